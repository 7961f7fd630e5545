package auth

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	sdkv4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/cwlogd/cwlogd/internal/awserr"
)

// Fuzz request modes (bits).
const (
	fuzzSign         = 1 << iota // sign the request with the SDK (authz unused)
	fuzzDateHeader               // then set X-Amz-Date to date
	fuzzTokenHeader              // add X-Amz-Security-Token: date
	fuzzContentHash              // add X-Amz-Content-Sha256: date
	fuzzHTTPDate                 // Date: date instead of X-Amz-Date
	fuzzHost                     // Host: date
	fuzzReplaceAuthz             // then Authorization: authz
)

// FuzzVerify sends arbitrary Authorization headers, queries, dates and
// bodies, alone or over a request the SDK signed. Verify must never panic,
// must answer only authentication errors (HTTP 400), and must accept a
// request only when aws-sdk-go-v2's signer, an implementation independent
// of the verifier's, computes the same signature for it.
func FuzzVerify(f *testing.F) {
	signedReq := signed(f, testKey, testSecret, "", testBody, testNow)
	authz := signedReq.Header.Get("Authorization")
	presigned := presignedQuery(f, testBody)
	f.Add(uint8(fuzzSign), "", "", "", []byte(testBody))
	f.Add(uint8(fuzzDateHeader), authz, "", "20260301T100245Z", []byte(testBody))
	f.Add(uint8(0), "", presigned, "", []byte(testBody))
	f.Add(uint8(fuzzSign|fuzzDateHeader), "", "", "20260301T100246Z", []byte(testBody))
	f.Add(uint8(fuzzSign|fuzzContentHash), "", "", "UNSIGNED-PAYLOAD", []byte(testBody))
	f.Add(uint8(fuzzSign|fuzzReplaceAuthz), strings.Replace(authz, ", ", ",", -1), "", "", []byte(testBody))
	f.Add(uint8(fuzzHTTPDate), "AWS4-HMAC-SHA256 Credential=AKIATESTKEY/20260301/eu-west-1/logs/aws4_request, SignedHeaders=date;host, Signature=00", "", "Sun, 01 Mar 2026 10:02:45 GMT", []byte{})
	f.Add(uint8(fuzzDateHeader), "Basic dXNlcjpwYXNz", "", "", []byte("{}"))
	f.Add(uint8(fuzzDateHeader), "AWS4-HMAC-SHA256 Credential=AKIATESTKEY/20260301/eu-west-1/logs/aws4_request SignedHeaders=host Signature", "X-Amz-Signature=1", "20260301T100245Z", []byte("{}"))
	f.Add(uint8(0), "", "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=a%2Fb&X-Amz-Date=x&X-Amz-SignedHeaders=host&X-Amz-Signature=00", "", []byte(""))
	f.Add(uint8(fuzzSign|fuzzTokenHeader|fuzzHost), "", "", "127.0.0.1:4566", []byte(testBody))

	v := testVerifier(f)
	f.Fuzz(func(t *testing.T, mode uint8, authz, rawQuery, date string, body []byte) {
		r := newRequest(string(body))
		r.URL.RawQuery = rawQuery
		if mode&fuzzSign != 0 {
			creds := aws.Credentials{AccessKeyID: testKey, SecretAccessKey: testSecret}
			if err := sdkv4.NewSigner().SignHTTP(context.Background(), creds, r, hashHex(body), "logs", "eu-west-1", testNow); err != nil {
				t.Skip()
			}
		} else if authz != "" {
			r.Header.Set("Authorization", authz)
		}
		if mode&fuzzReplaceAuthz != 0 {
			r.Header.Set("Authorization", authz)
		}
		if mode&fuzzDateHeader != 0 {
			r.Header.Set("X-Amz-Date", date)
		}
		if mode&fuzzTokenHeader != 0 {
			r.Header.Set("X-Amz-Security-Token", date)
		}
		if mode&fuzzContentHash != 0 {
			r.Header.Set("X-Amz-Content-Sha256", date)
		}
		if mode&fuzzHTTPDate != 0 {
			r.Header.Del("X-Amz-Date")
			r.Header.Set("Date", date)
		}
		if mode&fuzzHost != 0 {
			r.Host = date
		}
		id, err := v.Verify(r, body)
		if err != nil {
			switch err.Code {
			case awserr.MissingAuthenticationToken, awserr.IncompleteSignature, awserr.InvalidSignature, awserr.UnrecognizedClient:
			default:
				t.Fatalf("unexpected error %v", err)
			}
			if err.Status != http.StatusBadRequest {
				t.Fatalf("status %d for %v", err.Status, err)
			}
			return
		}
		if id.AccessKey != testKey || id.Account != testAccount {
			t.Fatalf("verified as %+v", id)
		}
		if !sdkAgrees(t, r, body) {
			t.Fatalf("verified a request the SDK's signer does not sign so:\nAuthorization: %q\nquery: %q\nheaders: %v\nbody: %q", r.Header.Get("Authorization"), r.URL.RawQuery, r.Header, body)
		}
	})
}

var (
	reSignedHeaders = regexp.MustCompile(`SignedHeaders=([^,\s]*)`)
	reSignature     = regexp.MustCompile(`Signature=([^,\s]*)`)
	reCredential    = regexp.MustCompile(`Credential=([^,\s]*)`)
)

// sdkAgrees re-signs a request that verified, with only the headers it
// says it signed, using aws-sdk-go-v2's signer, and reports whether the
// signatures are the same.
func sdkAgrees(t *testing.T, r *http.Request, body []byte) bool {
	q := r.URL.Query()
	query := q.Has("X-Amz-Signature")
	var cred, signedHeaders, sig, date string
	if query {
		cred, signedHeaders, sig, date = q.Get("X-Amz-Credential"), q.Get("X-Amz-SignedHeaders"), q.Get("X-Amz-Signature"), q.Get("X-Amz-Date")
	} else {
		a := r.Header.Get("Authorization")
		m1, m2, m3 := reCredential.FindStringSubmatch(a), reSignedHeaders.FindStringSubmatch(a), reSignature.FindStringSubmatch(a)
		if m1 == nil || m2 == nil || m3 == nil {
			return false
		}
		cred, signedHeaders, sig, date = m1[1], m2[1], m3[1], r.Header.Get("X-Amz-Date")
	}
	at, err := time.Parse(isoBasic, date)
	scope := strings.Split(cred, "/")
	if err != nil || len(scope) != 5 {
		return false
	}
	u := *r.URL
	if query {
		for _, p := range []string{"X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-SignedHeaders", "X-Amz-Signature"} {
			q.Del(p)
		}
		u.RawQuery = q.Encode()
	}
	c := &http.Request{Method: r.Method, URL: &u, Host: r.Host, Header: http.Header{}, ContentLength: int64(len(body))}
	for _, h := range strings.Split(signedHeaders, ";") {
		if h != "host" && h != "content-length" {
			c.Header[http.CanonicalHeaderKey(h)] = r.Header.Values(h)
		}
	}
	creds := aws.Credentials{AccessKeyID: scope[0], SecretAccessKey: testSecret}
	if query {
		uri, _, err := sdkv4.NewSigner(func(o *sdkv4.SignerOptions) { o.DisableHeaderHoisting = true }).
			PresignHTTP(context.Background(), creds, c, hashHex(body), scope[3], scope[2], at)
		if err != nil {
			return false
		}
		pu, err := url.Parse(uri)
		return err == nil && pu.Query().Get("X-Amz-Signature") == sig
	}
	if err := sdkv4.NewSigner().SignHTTP(context.Background(), creds, c, hashHex(body), scope[3], scope[2], at); err != nil {
		return false
	}
	m := reSignature.FindStringSubmatch(c.Header.Get("Authorization"))
	return m != nil && m[1] == sig
}

// presignedQuery is the query of a request presigned by the SDK at testNow.
func presignedQuery(t testing.TB, body string) string {
	r := newRequest(body)
	creds := aws.Credentials{AccessKeyID: testKey, SecretAccessKey: testSecret}
	uri, _, err := sdkv4.NewSigner(func(o *sdkv4.SignerOptions) { o.DisableHeaderHoisting = true }).
		PresignHTTP(context.Background(), creds, r, hashHex([]byte(body)), "logs", "eu-west-1", testNow)
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(uri)
	if err != nil {
		t.Fatal(err)
	}
	return u.RawQuery
}

// TestFuzzSeedsVerify checks that the fuzz seeds that should verify do,
// so that the fuzzer starts from requests that pass.
func TestFuzzSeedsVerify(t *testing.T) {
	v := testVerifier(t)
	r := newRequest(testBody)
	r.URL.RawQuery = presignedQuery(t, testBody)
	if _, err := v.Verify(r, []byte(testBody)); err != nil {
		t.Fatalf("presigned seed: %v", err)
	}
	if !sdkAgrees(t, r, []byte(testBody)) {
		t.Fatal("the reference does not agree with the presigned seed")
	}
	r = signed(t, testKey, testSecret, "", testBody, testNow)
	if _, err := v.Verify(r, []byte(testBody)); err != nil || !sdkAgrees(t, r, []byte(testBody)) {
		t.Fatalf("signed seed: %v", err)
	}
}
