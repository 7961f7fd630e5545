package loadgen

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// Reused signed headers are exactly what signing the request afresh at its
// X-Amz-Date gives.
func TestSignatureCache(t *testing.T) {
	type seen struct {
		header http.Header
		body   string
	}
	var mu sync.Mutex
	var got []seen
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		got = append(got, seen{r.Header.Clone(), string(b)})
		mu.Unlock()
		w.Write(BaselineBody)
	}))
	defer srv.Close()
	for _, op := range []string{OpGetDeliverySource, OpPutDeliverySource} {
		got = nil
		res, err := Run(context.Background(), Config{Endpoint: srv.URL, Op: op, Clients: 2, Requests: 40,
			Region: "eu-west-1", Account: "123456789012", Names: 3})
		if err != nil || res.Errors != 0 {
			t.Fatalf("%s: %+v, %v", op, res, err)
		}
		signer := v4.NewSigner()
		creds := aws.Credentials{AccessKeyID: "123456789012", SecretAccessKey: "cwlogd-bench"}
		for _, s := range got {
			at, err := time.Parse("20060102T150405Z", s.header.Get("X-Amz-Date"))
			if err != nil {
				t.Fatalf("X-Amz-Date %q: %v", s.header.Get("X-Amz-Date"), err)
			}
			req, _ := http.NewRequest(http.MethodPost, srv.URL+"/", strings.NewReader(s.body))
			req.Header.Set("Content-Type", s.header.Get("Content-Type"))
			req.Header.Set("X-Amz-Target", s.header.Get("X-Amz-Target"))
			if err := signer.SignHTTP(context.Background(), creds, req, hashHex([]byte(s.body)), "logs", "eu-west-1", at); err != nil {
				t.Fatal(err)
			}
			if want := req.Header.Get("Authorization"); s.header.Get("Authorization") != want {
				t.Fatalf("%s: Authorization\n%s\nwant\n%s", op, s.header.Get("Authorization"), want)
			}
		}
	}
}

// BenchmarkIterate measures the client's cost of one GetDeliverySource
// against the baseline handler, the server included.
func BenchmarkIterate(b *testing.B) {
	srv := httptest.NewServer(BaselineHandler())
	defer srv.Close()
	cfg := Config{Endpoint: srv.URL, Op: OpGetDeliverySource, Clients: 1, Duration: time.Second, Region: "us-east-1", Account: "123456789012"}
	if err := cfg.Validate(); err != nil {
		b.Fatal(err)
	}
	c, err := newClient(cfg.Endpoint, cfg.Region, cfg.Account, DefaultSecretKey, 1, time.Second)
	if err != nil {
		b.Fatal(err)
	}
	defer c.close()
	r := &runner{cfg: cfg, c: c}
	r.prepare()
	w := &worker{r: r, record: true}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if !w.iterate(context.Background(), uint64(i)) {
			b.Fatal(w.firstErr)
		}
	}
}
