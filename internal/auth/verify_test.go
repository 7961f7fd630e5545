package auth

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	sdkv4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/cwlogd/cwlogd/internal/awserr"
)

// The requests of these tests are signed by aws-sdk-go-v2's signer, as the
// SDK clients sign them, so the Verifier (built on aws-http-auth) is
// checked against an independent implementation.
const (
	testKey     = "AKIATESTKEY"
	testSecret  = "test/secret+key"
	testAccount = "123456789012"
	testTarget  = "Logs_20140328.DescribeDeliverySources"
	testBody    = `{"limit":5}`
)

var testNow = time.Date(2026, 3, 1, 10, 2, 45, 0, time.UTC)

func testVerifier(t testing.TB, creds ...Credential) *Verifier {
	t.Helper()
	if len(creds) == 0 {
		creds = []Credential{{AccessKeyID: testKey, SecretAccessKey: testSecret, AccountID: testAccount}}
	}
	v, err := NewVerifier(VerifierConfig{Credentials: creds, Accounts: Accounts{Default: "000000000000"}, Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func hashHex(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// newRequest is a CloudWatch Logs request as a server receives it.
func newRequest(body string) *http.Request {
	r := httptest.NewRequest(http.MethodPost, "http://127.0.0.1:4566/", strings.NewReader(body))
	r.Header.Set("Content-Type", "application/x-amz-json-1.1")
	r.Header.Set("X-Amz-Target", testTarget)
	return r
}

// signed returns a request signed as the Go SDK signs, at signedAt.
func signed(t testing.TB, key, secret, token string, body string, signedAt time.Time) *http.Request {
	t.Helper()
	r := newRequest(body)
	creds := aws.Credentials{AccessKeyID: key, SecretAccessKey: secret, SessionToken: token}
	if err := sdkv4.NewSigner().SignHTTP(context.Background(), creds, r, hashHex([]byte(body)), "logs", "eu-west-1", signedAt); err != nil {
		t.Fatal(err)
	}
	return r
}

func TestVerifyAcceptsSDKSignatures(t *testing.T) {
	v := testVerifier(t)
	for _, at := range []time.Time{testNow, testNow.Add(-5 * time.Minute), testNow.Add(5 * time.Minute)} {
		r := signed(t, testKey, testSecret, "", testBody, at)
		id, err := v.Verify(r, []byte(testBody))
		if err != nil {
			t.Fatalf("signed at %s: %v", at, err)
		}
		if id.AccessKey != testKey || id.Account != testAccount || id.Region != "eu-west-1" {
			t.Fatalf("identity = %+v", id)
		}
	}
	// An empty body.
	r := signed(t, testKey, testSecret, "", "", testNow)
	if _, err := v.Verify(r, nil); err != nil {
		t.Fatal(err)
	}
}

func TestVerifyPresigned(t *testing.T) {
	v := testVerifier(t)
	r := newRequest(testBody)
	creds := aws.Credentials{AccessKeyID: testKey, SecretAccessKey: testSecret}
	uri, hdr, err := sdkv4.NewSigner(func(o *sdkv4.SignerOptions) { o.DisableHeaderHoisting = true }).
		PresignHTTP(context.Background(), creds, r, hashHex([]byte(testBody)), "logs", "eu-west-1", testNow)
	if err != nil {
		t.Fatal(err)
	}
	p := httptest.NewRequest(http.MethodPost, uri, strings.NewReader(testBody))
	for k, vs := range hdr {
		if k != "Host" {
			p.Header[k] = vs
		}
	}
	if _, err := v.Verify(p, []byte(testBody)); err != nil {
		t.Fatalf("presigned %s: %v", uri, err)
	}
	if _, err := v.Verify(p, []byte(`{"limit":6}`)); err == nil || err.Code != awserr.InvalidSignature {
		t.Fatalf("presigned, other body: err = %v", err)
	}
}

func TestVerifySessionToken(t *testing.T) {
	v := testVerifier(t, Credential{AccessKeyID: testKey, SecretAccessKey: testSecret, AccountID: testAccount, SessionToken: "the-token"})
	if _, err := v.Verify(signed(t, testKey, testSecret, "the-token", testBody, testNow), []byte(testBody)); err != nil {
		t.Fatal(err)
	}
	for _, tok := range []string{"", "other-token"} {
		_, err := v.Verify(signed(t, testKey, testSecret, tok, testBody, testNow), []byte(testBody))
		if err == nil || err.Code != awserr.UnrecognizedClient || err.Message != msgInvalidToken {
			t.Fatalf("token %q: err = %v", tok, err)
		}
	}
	// A long-term key accepts no token.
	v = testVerifier(t)
	if _, err := v.Verify(signed(t, testKey, testSecret, "a-token", testBody, testNow), []byte(testBody)); err == nil || err.Code != awserr.UnrecognizedClient {
		t.Fatalf("token on a long-term key: err = %v", err)
	}
}

func TestVerifyErrors(t *testing.T) {
	const cred = "AKIATESTKEY/20260301/eu-west-1/logs/aws4_request"
	good := func() *http.Request { return signed(t, testKey, testSecret, "", testBody, testNow) }
	withAuth := func(auth string) func() *http.Request {
		return func() *http.Request {
			r := newRequest(testBody)
			r.Header.Set("X-Amz-Date", "20260301T100245Z")
			r.Header.Set("Authorization", auth)
			return r
		}
	}
	tests := []struct {
		name    string
		req     func() *http.Request
		body    string
		code    string
		message string
	}{
		{name: "no signature", req: func() *http.Request { return newRequest(testBody) },
			code: awserr.MissingAuthenticationToken, message: "Missing Authentication Token"},
		{name: "not sigv4, no date", req: func() *http.Request {
			r := newRequest(testBody)
			r.Header.Set("Authorization", "Basic ZWxhc3RpYzpwYXNz==")
			return r
		}, code: awserr.IncompleteSignature,
			message: "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=Basic ZWxhc3RpYzpwYXNz=="},
		{name: "parts missing", req: withAuth("AWS4-HMAC-SHA256 Credential=ABCDEF"), code: awserr.IncompleteSignature,
			message: "Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization=AWS4-HMAC-SHA256 Credential=ABCDEF"},
		{name: "not key=value", req: withAuth("AWS4-HMAC-SHA256 Credential= " + cred + ", SignedHeaders=host;x-amz-date, Signature=abc"), code: awserr.IncompleteSignature,
			message: "'" + cred + "' not a valid key=value pair (missing equal-sign) in Authorization header: 'AWS4-HMAC-SHA256 Credential= " + cred + ", SignedHeaders=host;x-amz-date, Signature=abc'."},
		{name: "other algorithm", req: withAuth("AWS4-ECDSA-P256-SHA256 Credential=" + cred + ", SignedHeaders=host;x-amz-date, Signature=abc"), code: awserr.IncompleteSignature,
			message: "Unsupported AWS 'algorithm': 'AWS4-ECDSA-P256-SHA256'."},
		{name: "bad date", req: func() *http.Request {
			r := good()
			r.Header.Set("X-Amz-Date", "2026-03-01T10:02:45Z")
			return r
		}, code: awserr.IncompleteSignature,
			message: "Date must be in ISO-8601 'basic format'. Got '2026-03-01T10:02:45Z'. See http://en.wikipedia.org/wiki/ISO_8601"},
		{name: "credential of 4 parts", req: withAuth("AWS4-HMAC-SHA256 Credential=AKIATESTKEY/20260301/eu-west-1/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=abc"),
			code: awserr.IncompleteSignature, message: "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got 'AKIATESTKEY/20260301/eu-west-1/aws4_request'"},
		{name: "wrong service", req: withAuth("AWS4-HMAC-SHA256 Credential=AKIATESTKEY/20260301/eu-west-1/s3/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=abc"),
			code: awserr.InvalidSignature, message: "Credential should be scoped to correct service: 'logs'. "},
		{name: "invalid region", req: withAuth("AWS4-HMAC-SHA256 Credential=AKIATESTKEY/20260301/EU_WEST/logs/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=abc"),
			code: awserr.InvalidSignature, message: "Credential should be scoped to a valid region, not 'EU_WEST'. "},
		{name: "bad terminator and date", req: withAuth("AWS4-HMAC-SHA256 Credential=AKIATESTKEY/20260302/eu-west-1/logs/aws5_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=abc"),
			code: awserr.InvalidSignature, message: "Credential should be scoped with a valid terminator: 'aws4_request', not 'aws5_request'. Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20260302' != '20260301', from '20260301T100245Z'. "},
		{name: "expired", req: func() *http.Request {
			return signed(t, testKey, testSecret, "", testBody, testNow.Add(-5*time.Minute-3*time.Second))
		},
			code: awserr.InvalidSignature, message: "Signature expired: 20260301T095742Z is now earlier than 20260301T095745Z (20260301T100245Z - 5 min.)"},
		{name: "not yet current", req: func() *http.Request {
			return signed(t, testKey, testSecret, "", testBody, testNow.Add(5*time.Minute+time.Second))
		},
			code: awserr.InvalidSignature, message: "Signature not yet current: 20260301T100746Z is still later than 20260301T100745Z (20260301T100245Z + 5 min.)"},
		{name: "unknown key", req: func() *http.Request { return signed(t, "AKIAUNKNOWN", testSecret, "", testBody, testNow) },
			code: awserr.UnrecognizedClient, message: "The security token included in the request is invalid."},
		{name: "wrong secret", req: func() *http.Request { return signed(t, testKey, "wrong", "", testBody, testNow) },
			code: awserr.InvalidSignature, message: msgSignatureMatch},
		{name: "tampered body", req: good, body: `{"limit":50}`, code: awserr.InvalidSignature, message: msgSignatureMatch},
		{name: "tampered signed header", req: func() *http.Request {
			r := good()
			r.Header.Set("X-Amz-Target", "Logs_20140328.DeleteDeliverySource")
			return r
		}, code: awserr.InvalidSignature, message: msgSignatureMatch},
		{name: "tampered host", req: func() *http.Request {
			r := good()
			r.Host = "127.0.0.1:4567"
			return r
		}, code: awserr.InvalidSignature, message: msgSignatureMatch},
		{name: "content hash of another body", req: func() *http.Request {
			r := good()
			r.Header.Set("X-Amz-Content-Sha256", hashHex([]byte("{}")))
			return r
		}, code: awserr.InvalidSignature, message: msgSignatureMatch},
		{name: "unsigned payload", req: func() *http.Request {
			r := good()
			r.Header.Set("X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD")
			return r
		}, code: awserr.InvalidSignature, message: msgSignatureMatch},
		{name: "host not signed", req: withAuth("AWS4-HMAC-SHA256 Credential=" + cred + ", SignedHeaders=x-amz-date;x-amz-target, Signature=abc"),
			code: awserr.InvalidSignature, message: "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization."},
		{name: "signed header absent", req: withAuth("AWS4-HMAC-SHA256 Credential=" + cred + ", SignedHeaders=accept;host;x-amz-date;x-amz-target, Signature=abc"),
			code: awserr.IncompleteSignature, message: "'accept' is named as a SignedHeader, but it does not exist in the HTTP request."},
		{name: "target not signed", req: withAuth("AWS4-HMAC-SHA256 Credential=" + cred + ", SignedHeaders=host;x-amz-date, Signature=abc"),
			code: awserr.InvalidSignature, message: "'X-Amz-Target' must be a 'SignedHeader' in the AWS Authorization."},
		{name: "header and query", req: func() *http.Request {
			r := good()
			r.URL.RawQuery = "X-Amz-Signature=abc"
			return r
		}, code: awserr.IncompleteSignature, message: msgBothAuthMethods},
		{name: "query without signature", req: func() *http.Request {
			r := newRequest(testBody)
			r.URL.RawQuery = "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=" + cred + "&X-Amz-Date=20260301T100245Z&X-Amz-SignedHeaders=host"
			return r
		}, code: awserr.IncompleteSignature, message: "AWS query-string parameters must include 'X-Amz-Signature'. Re-examine the query-string parameters."},
		{name: "Date header too old", req: func() *http.Request {
			r := withAuth("AWS4-HMAC-SHA256 Credential=AKIATESTKEY/20260301/eu-west-1/logs/aws4_request, SignedHeaders=content-type;date;host;x-amz-target, Signature=abc")()
			r.Header.Del("X-Amz-Date")
			r.Header.Set("Date", "Sun, 01 Mar 2026 09:00:00 GMT")
			return r
		}, code: awserr.InvalidSignature, message: "Signature expired: 20260301T090000Z is now earlier than 20260301T095745Z (20260301T100245Z - 5 min.)"},
	}
	v := testVerifier(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := tt.body
			if body == "" {
				body = testBody
			}
			_, err := v.Verify(tt.req(), []byte(body))
			if err == nil {
				t.Fatalf("verified, want %s", tt.code)
			}
			if err.Code != tt.code || err.Message != tt.message || err.Status != http.StatusBadRequest {
				t.Fatalf("err = %d %s: %q\nwant    %s: %q", err.Status, err.Code, err.Message, tt.code, tt.message)
			}
		})
	}
}

func TestVerifyClockSkewConfigurable(t *testing.T) {
	v, err := NewVerifier(VerifierConfig{
		Credentials: []Credential{{AccessKeyID: testKey, SecretAccessKey: testSecret, AccountID: testAccount}},
		ClockSkew:   90 * time.Second, Now: func() time.Time { return testNow },
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.Verify(signed(t, testKey, testSecret, "", testBody, testNow.Add(-80*time.Second)), []byte(testBody)); err != nil {
		t.Fatal(err)
	}
	_, aerr := v.Verify(signed(t, testKey, testSecret, "", testBody, testNow.Add(-2*time.Minute)), []byte(testBody))
	if aerr == nil || aerr.Message != "Signature expired: 20260301T100045Z is now earlier than 20260301T100115Z (20260301T100245Z - 1.5 min.)" {
		t.Fatalf("err = %v", aerr)
	}
}

func TestNewVerifier(t *testing.T) {
	if _, err := NewVerifier(VerifierConfig{}); err == nil {
		t.Fatal("no credentials: want an error")
	}
	v, err := NewVerifier(VerifierConfig{
		Credentials: []Credential{{AccessKeyID: "111111111111", SecretAccessKey: "s"}, {AccessKeyID: "AKIDMAPPED", SecretAccessKey: "s"}, {AccessKeyID: "AKIDOTHER", SecretAccessKey: "s"}},
		Accounts:    Accounts{Keys: map[string]string{"AKIDMAPPED": "333333333333"}, Default: "000000000000"},
	})
	if err != nil {
		t.Fatal(err)
	}
	for key, acct := range map[string]string{"111111111111": "111111111111", "AKIDMAPPED": "333333333333", "AKIDOTHER": "000000000000"} {
		if got := v.creds[key].AccountID; got != acct {
			t.Errorf("%s: account %s, want %s", key, got, acct)
		}
	}
	_, err = NewVerifier(VerifierConfig{Credentials: []Credential{{AccessKeyID: "K", SecretAccessKey: "a", AccountID: testAccount}, {AccessKeyID: "K", SecretAccessKey: "b", AccountID: testAccount}}})
	if err == nil || strings.Contains(err.Error(), "a") && strings.Contains(err.Error(), `"b"`) {
		t.Fatalf("duplicate key: err = %v", err)
	}
}

func TestParseCredentials(t *testing.T) {
	creds, err := ParseCredentials([]byte(`{"credentials":[{"accessKeyId":"AKID1","secretAccessKey":"s1","accountId":"111111111111"},
		{"accessKeyId":"AKID2","secretAccessKey":"s2","accountId":"222222222222","sessionToken":"t2"},{"accessKeyId":"AKID3","secretAccessKey":"s3"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if len(creds) != 3 || creds[1].SessionToken != "t2" || creds[2].AccountID != "" {
		t.Fatalf("creds = %v", creds)
	}
	for _, bad := range []string{
		`{"credentials":[{"accessKeyId":"AKID1","secretAccessKey":"TOPSECRET","accountId":"12"}]}`,
		`{"credentials":[{"accessKeyId":"","secretAccessKey":"TOPSECRET"}]}`,
		`{"credentials":[{"accessKeyId":"A","secretAccessKey":""}]}`,
		`{"credentials":[{"accessKeyId":"A","secretAccessKey":"TOPSECRET"},{"accessKeyId":"A","secretAccessKey":"TOPSECRET"}]}`,
		`{"credentials":[{"accessKeyId":"A","secretAccessKey":TOPSECRET}]}`,
		`{"credentials":[{"accessKeyId":"A","secretAccessKey":12345}]}`,
		`{"credentials":{}}`,
		`{}`,
		`[]`,
		`{"credentials":[]} {"x":"TOPSECRET"}`,
	} {
		_, err := ParseCredentials([]byte(bad))
		if err == nil {
			t.Errorf("%s: want an error", bad)
			continue
		}
		if strings.Contains(err.Error(), "TOPSECRET") || strings.Contains(err.Error(), "12345") {
			t.Errorf("%s: error quotes the secret: %v", bad, err)
		}
	}
	c := Credential{AccessKeyID: "AKID", SecretAccessKey: "TOPSECRET", AccountID: testAccount, SessionToken: "TOKEN"}
	var buf bytes.Buffer
	for _, s := range []string{c.String(), c.GoString()} {
		buf.WriteString(s)
	}
	if strings.Contains(buf.String(), "TOPSECRET") || strings.Contains(buf.String(), "TOKEN") {
		t.Fatalf("Credential prints its secret: %s", buf.String())
	}
}

func BenchmarkVerify(b *testing.B) {
	v := testVerifier(b)
	r := signed(b, testKey, testSecret, "", testBody, testNow)
	body := []byte(testBody)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := v.Verify(r, body); err != nil {
			b.Fatal(err)
		}
	}
}
