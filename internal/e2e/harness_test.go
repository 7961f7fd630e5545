// Package e2e drives the real AWS SDK for Go v2 against an in-process
// cwlogd, as users do.
package e2e

import (
	"context"
	"errors"
	"net/http/httptest"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	cwl "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/smithy-go"

	"github.com/cwlogd/cwlogd/internal/config"
)

// server starts cwlogd behind an httptest server, on the memory store, or
// on a fresh sqlite store when CWLOGD_TEST_STORE=sqlite.
func server(t *testing.T) *httptest.Server {
	return serverWith(t, func(*config.Config) {})
}

// client returns an SDK client for the server acting as account (a 12-digit
// access key is its own account) in region.
func client(srv *httptest.Server, account, region string) *cwl.Client {
	return cwl.New(cwl.Options{
		Region:       region,
		BaseEndpoint: aws.String(srv.URL),
		Credentials:  credentials.NewStaticCredentialsProvider(account, "secret", ""),
		HTTPClient:   srv.Client(),
	})
}

const (
	acct   = "111111111111"
	other  = "222222222222"
	region = "us-east-1"
)

var ctx = context.Background()

// wantAPIError asserts err is an AWS error with code and, when msg is not
// empty, exactly that message; it returns the error for further checks.
func wantAPIError(t *testing.T, err error, code, msg string) smithy.APIError {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("err = %v, want API error %s", err, code)
	}
	if ae.ErrorCode() != code {
		t.Fatalf("code = %s (%s), want %s", ae.ErrorCode(), ae.ErrorMessage(), code)
	}
	if msg != "" && ae.ErrorMessage() != msg {
		t.Fatalf("message = %q, want %q", ae.ErrorMessage(), msg)
	}
	return ae
}
