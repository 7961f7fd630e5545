package auth

import (
	"net/http/httptest"
	"testing"

	"github.com/cwlogd/cwlogd/internal/awserr"
)

func TestIdentify(t *testing.T) {
	accts := Accounts{Keys: map[string]string{"AKIDMAPPED": "333333333333"}, Default: "000000000000"}
	tests := []struct {
		name, auth, query       string
		account, region, access string
		code                    string
	}{
		{name: "12-digit key is its account", auth: "AWS4-HMAC-SHA256 Credential=111111111111/20260101/eu-west-1/logs/aws4_request, SignedHeaders=host, Signature=x",
			account: "111111111111", region: "eu-west-1", access: "111111111111"},
		{name: "configured key", auth: "AWS4-HMAC-SHA256 Credential=AKIDMAPPED/20260101/us-east-1/logs/aws4_request, SignedHeaders=host, Signature=x",
			account: "333333333333", region: "us-east-1", access: "AKIDMAPPED"},
		{name: "other key is the default account", auth: "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-west-2/logs/aws4_request,SignedHeaders=host,Signature=x",
			account: "000000000000", region: "us-west-2", access: "AKIDEXAMPLE"},
		{name: "presigned query", query: "X-Amz-Credential=111111111111%2F20260101%2Fap-south-1%2Flogs%2Faws4_request",
			account: "111111111111", region: "ap-south-1", access: "111111111111"},
		{name: "no signature", code: awserr.MissingAuthenticationToken},
		{name: "no credential", auth: "Bearer x", code: awserr.MissingAuthenticationToken},
		{name: "malformed scope", auth: "AWS4-HMAC-SHA256 Credential=AKID/20260101/logs/aws4_request, Signature=x", code: awserr.IncompleteSignature},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("POST", "/?"+tt.query, nil)
			if tt.auth != "" {
				r.Header.Set("Authorization", tt.auth)
			}
			id, err := accts.Identify(r)
			if tt.code != "" {
				if err == nil || err.Code != tt.code {
					t.Fatalf("err = %v, want %s", err, tt.code)
				}
				return
			}
			if err != nil || id.Account != tt.account || id.Region != tt.region || id.AccessKey != tt.access {
				t.Fatalf("Identify = %+v, %v", id, err)
			}
		})
	}
}
