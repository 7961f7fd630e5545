package e2e

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/credentials"
	cwl "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"

	"github.com/cwlogd/cwlogd/internal/app"
	"github.com/cwlogd/cwlogd/internal/config"
)

// Strict mode's credentials in these tests. The secrets and the token are
// distinctive so that the log test can look for them.
const (
	strictSecret = "strict-SECRET-of-111111111111"
	otherKey     = "AKIASTRICTOTHER"
	otherSecret  = "strict-SECRET-of-AKIASTRICTOTHER"
	tempKey      = "ASIASTRICTTEMP"
	tempSecret   = "strict-SECRET-of-ASIASTRICTTEMP"
	tempToken    = "strict-SESSION-TOKEN-of-ASIASTRICTTEMP"
)

// Authentication errors as AWS's JSON services send them
// (docs/authentication.md).
const (
	msgMissingToken   = "Missing Authentication Token"
	msgSignatureMatch = "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
	msgInvalidToken   = "The security token included in the request is invalid."
)

// strictServer starts cwlogd with --auth strict and a credentials file
// holding acct's key, otherKey (account other) and tempKey (account third,
// with a session token). log, if not nil, receives the server's log at
// debug level.
func strictServer(t *testing.T, log io.Writer) *httptest.Server {
	t.Helper()
	dir := t.TempDir()
	doc := map[string]any{"credentials": []map[string]string{
		{"accessKeyId": acct, "secretAccessKey": strictSecret, "accountId": acct},
		{"accessKeyId": otherKey, "secretAccessKey": otherSecret, "accountId": other},
		{"accessKeyId": tempKey, "secretAccessKey": tempSecret, "accountId": third, "sessionToken": tempToken},
	}}
	data, _ := json.Marshal(doc)
	path := filepath.Join(dir, "credentials.json")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := config.Default()
	cfg.Store = "memory"
	if os.Getenv("CWLOGD_TEST_STORE") == "sqlite" {
		cfg.Store, cfg.DataDir = "sqlite", dir
	}
	cfg.Auth, cfg.CredentialsFile = config.AuthStrict, path
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	var logger *slog.Logger
	if log != nil {
		logger = slog.New(slog.NewTextHandler(log, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	a, err := app.New(cfg, logger)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a.Handler())
	t.Cleanup(func() { srv.Close(); a.Close() })
	return srv
}

// strictClient is an SDK client with the given credentials; edit, if not
// nil, changes its options.
func strictClient(srv *httptest.Server, key, secret, token string, edit func(*cwl.Options)) *cwl.Client {
	o := cwl.Options{
		Region:           region,
		BaseEndpoint:     aws.String(srv.URL),
		Credentials:      credentials.NewStaticCredentialsProvider(key, secret, token),
		HTTPClient:       srv.Client(),
		RetryMaxAttempts: 1,
	}
	if edit != nil {
		edit(&o)
	}
	return cwl.New(o)
}

// skewedSigner signs as the SDK does, with its clock off by skew.
type skewedSigner struct {
	inner *v4.Signer
	skew  time.Duration
}

func (s skewedSigner) SignHTTP(ctx context.Context, creds aws.Credentials, r *http.Request, payloadHash, service, region string, t time.Time, opts ...func(*v4.SignerOptions)) error {
	return s.inner.SignHTTP(ctx, creds, r, payloadHash, service, region, t.Add(s.skew), opts...)
}

// tamperingTransport changes one byte of every request body after the
// SDK has signed it (keeping its length).
type tamperingTransport struct{ next http.RoundTripper }

func (tt tamperingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, err
	}
	r.Body.Close()
	if i := bytes.LastIndexByte(body, '}'); i >= 0 {
		body[i] = ']'
	}
	r = r.Clone(r.Context())
	r.Body = io.NopCloser(bytes.NewReader(body))
	return tt.next.RoundTrip(r)
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestStrictAuthRightKeysWork(t *testing.T) {
	srv := strictServer(t, nil)
	for _, c := range []struct {
		name, key, secret, token, account string
	}{
		{"account key", acct, strictSecret, "", acct},
		{"mapped key", otherKey, otherSecret, "", other},
		{"temporary key with its token", tempKey, tempSecret, tempToken, third},
	} {
		t.Run(c.name, func(t *testing.T) {
			logs := strictClient(srv, c.key, c.secret, c.token, nil)
			out, err := logs.PutDeliverySource(ctx, &cwl.PutDeliverySourceInput{
				Name: aws.String("src-" + c.account), LogType: aws.String("ACCESS_LOGS"),
				ResourceArn: aws.String("arn:aws:cloudfront::" + c.account + ":distribution/E1Q5F5862X9VJ5"),
			})
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(aws.ToString(out.DeliverySource.Arn), ":"+c.account+":") {
				t.Fatalf("source ARN %s is not in account %s", aws.ToString(out.DeliverySource.Arn), c.account)
			}
		})
	}
}

func TestStrictAuthRefusals(t *testing.T) {
	srv := strictServer(t, nil)
	describe := func(c *cwl.Client) error {
		_, err := c.DescribeDeliverySources(ctx, &cwl.DescribeDeliverySourcesInput{})
		return err
	}
	t.Run("wrong secret", func(t *testing.T) {
		wantAPIError(t, describe(strictClient(srv, acct, "not-the-secret", "", nil)), "InvalidSignatureException", msgSignatureMatch)
	})
	t.Run("unknown key", func(t *testing.T) {
		wantAPIError(t, describe(strictClient(srv, "AKIANOBODYKNOWS", strictSecret, "", nil)), "UnrecognizedClientException", msgInvalidToken)
	})
	t.Run("temporary key without its token", func(t *testing.T) {
		wantAPIError(t, describe(strictClient(srv, tempKey, tempSecret, "", nil)), "UnrecognizedClientException", msgInvalidToken)
	})
	t.Run("temporary key with another token", func(t *testing.T) {
		wantAPIError(t, describe(strictClient(srv, tempKey, tempSecret, "stale-token", nil)), "UnrecognizedClientException", msgInvalidToken)
	})
	t.Run("no signature", func(t *testing.T) {
		c := strictClient(srv, acct, strictSecret, "", func(o *cwl.Options) { o.Credentials = aws.AnonymousCredentials{} })
		wantAPIError(t, describe(c), "MissingAuthenticationTokenException", msgMissingToken)
	})
	expired := regexp.MustCompile(`^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 5 min\.\)$`)
	notYet := regexp.MustCompile(`^Signature not yet current: \d{8}T\d{6}Z is still later than \d{8}T\d{6}Z \(\d{8}T\d{6}Z \+ 5 min\.\)$`)
	for _, c := range []struct {
		skew time.Duration
		re   *regexp.Regexp
	}{{-10 * time.Minute, expired}, {10 * time.Minute, notYet}} {
		t.Run("clock off by "+c.skew.String(), func(t *testing.T) {
			cl := strictClient(srv, acct, strictSecret, "", func(o *cwl.Options) { o.HTTPSignerV4 = skewedSigner{v4.NewSigner(), c.skew} })
			ae := wantAPIError(t, describe(cl), "InvalidSignatureException", "")
			if !c.re.MatchString(ae.ErrorMessage()) {
				t.Fatalf("message %q does not match %s", ae.ErrorMessage(), c.re)
			}
		})
	}
	t.Run("clock off by 4m is within the window", func(t *testing.T) {
		cl := strictClient(srv, acct, strictSecret, "", func(o *cwl.Options) { o.HTTPSignerV4 = skewedSigner{v4.NewSigner(), -4 * time.Minute} })
		if err := describe(cl); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("body changed after signing", func(t *testing.T) {
		hc := &http.Client{Transport: tamperingTransport{srv.Client().Transport}}
		cl := strictClient(srv, acct, strictSecret, "", func(o *cwl.Options) { o.HTTPClient = hc })
		_, err := cl.PutDeliverySource(ctx, &cwl.PutDeliverySourceInput{Name: aws.String("tampered"), LogType: aws.String("ACCESS_LOGS"), ResourceArn: aws.String(seedSourceArn)})
		wantAPIError(t, err, "InvalidSignatureException", msgSignatureMatch)
	})
	t.Run("operation changed after signing", func(t *testing.T) {
		hc := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
			r = r.Clone(r.Context())
			r.Header.Set("X-Amz-Target", "Logs_20140328.DeleteDeliverySource")
			return srv.Client().Transport.RoundTrip(r)
		})}
		cl := strictClient(srv, acct, strictSecret, "", func(o *cwl.Options) { o.HTTPClient = hc })
		_, err := cl.GetDeliverySource(ctx, &cwl.GetDeliverySourceInput{Name: aws.String("x")})
		wantAPIError(t, err, "InvalidSignatureException", msgSignatureMatch)
	})
}

// rawCall sends a request signed (or presigned) by the SDK's signer, or
// unsigned when secret is empty, and returns the status and body.
func rawCall(t *testing.T, srv *httptest.Server, method, path, target, body, secret string, presign bool) (int, string) {
	t.Helper()
	r, err := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if target != "" {
		r.Header.Set("Content-Type", "application/x-amz-json-1.1")
		r.Header.Set("X-Amz-Target", target)
	}
	sum := sha256.Sum256([]byte(body))
	hash := hex.EncodeToString(sum[:])
	creds := aws.Credentials{AccessKeyID: acct, SecretAccessKey: secret}
	switch {
	case secret == "":
	case presign:
		signer := v4.NewSigner(func(o *v4.SignerOptions) { o.DisableHeaderHoisting = true })
		uri, hdr, err := signer.PresignHTTP(ctx, creds, r, hash, "logs", region, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if r, err = http.NewRequest(method, uri, strings.NewReader(body)); err != nil {
			t.Fatal(err)
		}
		for k, vs := range hdr {
			if k != "Host" {
				r.Header[k] = vs
			}
		}
		if strings.Contains(r.Header.Get("Authorization"), "Signature") || !strings.Contains(uri, "X-Amz-Signature=") {
			t.Fatalf("not a presigned request: %s %v", uri, r.Header)
		}
	default:
		if err := v4.NewSigner().SignHTTP(ctx, creds, r, hash, "logs", region, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	resp, err := srv.Client().Do(r)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestStrictAuthPresignedURL(t *testing.T) {
	srv := strictServer(t, nil)
	status, body := rawCall(t, srv, "POST", "/", "Logs_20140328.DescribeDeliverySources", `{"limit":5}`, strictSecret, true)
	if status != 200 || !strings.Contains(body, "deliverySources") {
		t.Fatalf("presigned: %d %s", status, body)
	}
	status, body = rawCall(t, srv, "POST", "/", "Logs_20140328.DescribeDeliverySources", `{"limit":5}`, "wrong", true)
	if status != 400 || !strings.Contains(body, `"__type":"InvalidSignatureException"`) {
		t.Fatalf("presigned with a wrong secret: %d %s", status, body)
	}
}

func TestStrictAuthAdminEndpoints(t *testing.T) {
	srv := strictServer(t, nil)
	// Health stays open, for probes.
	if status, body := rawCall(t, srv, "GET", "/_cwlogd/health", "", "", "", false); status != 200 {
		t.Fatalf("health: %d %s", status, body)
	}
	status, body := rawCall(t, srv, "POST", "/_cwlogd/reset", "", "", "", false)
	if status != 400 || body != `{"__type":"MissingAuthenticationTokenException","message":"Missing Authentication Token"}` {
		t.Fatalf("unsigned reset: %d %s", status, body)
	}
	if status, body := rawCall(t, srv, "POST", "/_cwlogd/reset", "", "", "wrong", false); status != 400 || !strings.Contains(body, "InvalidSignatureException") {
		t.Fatalf("reset with a wrong secret: %d %s", status, body)
	}
	if status, body := rawCall(t, srv, "POST", "/_cwlogd/reset", "", "", strictSecret, false); status != 200 {
		t.Fatalf("signed reset: %d %s", status, body)
	}
}

// lockedBuffer collects the server's log lines.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestStrictAuthLogsNoSecrets runs successful and refused exchanges of
// every kind against a server logging at debug level and checks that no
// secret, session token, Authorization header or signature reaches the
// log.
func TestStrictAuthLogsNoSecrets(t *testing.T) {
	var log lockedBuffer
	srv := strictServer(t, &log)
	var mu sync.Mutex
	var sent []string // Authorization headers and signatures the clients sent
	recording := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		mu.Lock()
		if a := r.Header.Get("Authorization"); a != "" {
			sent = append(sent, a)
			if _, sig, ok := strings.Cut(a, "Signature="); ok {
				sent = append(sent, sig)
			}
		}
		mu.Unlock()
		return srv.Client().Transport.RoundTrip(r)
	})}
	rec := func(o *cwl.Options) { o.HTTPClient = recording }
	put := &cwl.PutDeliverySourceInput{Name: aws.String("logged"), LogType: aws.String("ACCESS_LOGS"), ResourceArn: aws.String(seedSourceArn)}
	clients := []*cwl.Client{
		strictClient(srv, acct, strictSecret, "", rec),
		strictClient(srv, tempKey, tempSecret, tempToken, rec),
		strictClient(srv, acct, "wrong-"+strictSecret, "", rec),
		strictClient(srv, "AKIANOBODYKNOWS", strictSecret, "", rec),
		strictClient(srv, tempKey, tempSecret, "wrong-"+tempToken, rec),
		strictClient(srv, acct, strictSecret, "", func(o *cwl.Options) { rec(o); o.HTTPSignerV4 = skewedSigner{v4.NewSigner(), -time.Hour} }),
		strictClient(srv, acct, strictSecret, "", func(o *cwl.Options) { o.Credentials = aws.AnonymousCredentials{} }),
		strictClient(srv, acct, strictSecret, "", func(o *cwl.Options) {
			o.HTTPClient = &http.Client{Transport: tamperingTransport{recording.Transport}}
		}),
	}
	for _, c := range clients {
		c.PutDeliverySource(ctx, put)
		c.GetDeliverySource(ctx, &cwl.GetDeliverySourceInput{Name: aws.String("logged")})
		c.DescribeDeliverySources(ctx, &cwl.DescribeDeliverySourcesInput{})
		// Failing operations log too.
		c.GetDeliverySource(ctx, &cwl.GetDeliverySourceInput{Name: aws.String("missing")})
		c.CreateDelivery(ctx, &cwl.CreateDeliveryInput{DeliverySourceName: aws.String("logged"), DeliveryDestinationArn: aws.String("arn:aws:logs:us-east-1:111111111111:delivery-destination:nope")})
	}
	rawCall(t, srv, "POST", "/_cwlogd/reset", "", "", strictSecret, false)
	rawCall(t, srv, "POST", "/_cwlogd/reset", "", "", "wrong", false)
	for _, h := range []string{"Basic dXNlcjpwYXNzd29yZA==", "AWS4-HMAC-SHA256 Credential=" + acct + "/20200101/us-east-1/logs/aws4_request, SignedHeaders=host, Signature=deadbeef" + strictSecret} {
		r, _ := http.NewRequest("POST", srv.URL+"/", strings.NewReader("{}"))
		r.Header.Set("Authorization", h)
		r.Header.Set("X-Amz-Target", "Logs_20140328.DescribeDeliverySources")
		sent = append(sent, h)
		if resp, err := srv.Client().Do(r); err == nil {
			resp.Body.Close()
		}
	}
	srv.Close()

	out := log.String()
	if os.Getenv("CWLOGD_SHOW_LOG") != "" {
		t.Log(out)
	}
	if !strings.Contains(out, "level=DEBUG") || !strings.Contains(out, "InvalidSignatureException") || !strings.Contains(out, "strict authentication") {
		t.Fatalf("the exchange logged too little to judge:\n%s", out)
	}
	if len(sent) < 20 {
		t.Fatalf("only %d Authorization headers recorded", len(sent))
	}
	secrets := append([]string{strictSecret, otherSecret, tempSecret, tempToken, "dXNlcjpwYXNzd29yZA=="}, sent...)
	for _, s := range secrets {
		if strings.Contains(out, s) {
			t.Errorf("the log holds %q:\n%s", s, out)
		}
	}
	if strings.Contains(out, "Authorization") || strings.Contains(out, "Signature=") || strings.Contains(out, "X-Amz-Security-Token") {
		t.Errorf("the log names a signature header:\n%s", out)
	}
}
