package auth

import (
	"context"
	"crypto/sha256"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	sdkv4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// The direct computation agrees with aws-http-auth on every request it
// takes: SDK-signed requests with extra, repeated, padded and multi-space
// header values, a session token and an empty body.
func TestFastSignatureAgreesWithLibrary(t *testing.T) {
	v := testVerifier(t)
	cases := []struct {
		name string
		edit func(r requestEditor)
		body string
	}{
		{"plain", func(requestEditor) {}, testBody},
		{"empty body", func(requestEditor) {}, ""},
		{"padded and repeated values", func(r requestEditor) {
			r.Add("X-Amz-Meta-A", "  two   spaces  ")
			r.Add("X-Amz-Meta-A", "second")
		}, testBody},
		{"user agent and trace id", func(r requestEditor) {
			r.Set("User-Agent", "aws-sdk-java/1.12 Linux/6 OpenJDK_64-Bit_Server_VM/17")
			r.Set("X-Amzn-Trace-Id", "Root=1-5759e988-bd862e3fe1be46a994272793")
		}, strings.Repeat("x", 5000)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := newRequest(c.body)
			c.edit(r.Header)
			r = signRequest(t, r, testKey, testSecret, "token", c.body, testNow)
			sig, err := v.parse(r)
			if err != nil {
				t.Fatal(err)
			}
			tm, _ := sig.time()
			signed, headers, err := signedHeaderSet(r, sig)
			if err != nil {
				t.Fatal(err)
			}
			scope := strings.Split(sig.credential, "/")
			cred := v.creds[testKey]
			cred.SecretAccessKey = testSecret
			sum := hashBytes([]byte(c.body))
			fast, ok := v.fastSignature(r, sig, headers, cred, scope, sum)
			if !ok {
				t.Fatal("fast path declined a plain request")
			}
			lib, ok := v.compute(r, sig, signed, headers, cred, scope, tm, sum)
			if !ok || fast != lib || fast != sig.signature {
				t.Fatalf("fast %s, library %s, client %s", fast, lib, sig.signature)
			}
		})
	}
}

func TestFastSignatureDeclines(t *testing.T) {
	v := testVerifier(t)
	r := signed(t, testKey, testSecret, "", testBody, testNow)
	sig, _ := v.parse(r)
	_, headers, _ := signedHeaderSet(r, sig)
	scope := strings.Split(sig.credential, "/")
	r.URL.RawQuery = "a=b"
	if _, ok := v.fastSignature(r, sig, headers, v.creds[testKey], scope, hashBytes([]byte(testBody))); ok {
		t.Fatal("a request with a query string is the library's")
	}
	r.URL.RawQuery, r.URL.Path = "", "/x"
	if _, ok := v.fastSignature(r, sig, headers, v.creds[testKey], scope, hashBytes([]byte(testBody))); ok {
		t.Fatal("a request to another path is the library's")
	}
}

type requestEditor = http.Header

// signRequest signs r as the Go SDK does.
func signRequest(t testing.TB, r *http.Request, key, secret, token, body string, at time.Time) *http.Request {
	t.Helper()
	creds := aws.Credentials{AccessKeyID: key, SecretAccessKey: secret, SessionToken: token}
	if err := sdkv4.NewSigner().SignHTTP(context.Background(), creds, r, hashHex([]byte(body)), "logs", "eu-west-1", at); err != nil {
		t.Fatal(err)
	}
	return r
}

func hashBytes(b []byte) []byte { s := sha256.Sum256(b); return s[:] }
