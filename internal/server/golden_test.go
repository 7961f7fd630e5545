package server_test

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cwlogd/cwlogd/internal/auth"
	"github.com/cwlogd/cwlogd/internal/catalog"
	"github.com/cwlogd/cwlogd/internal/policy"
	"github.com/cwlogd/cwlogd/internal/server"
	"github.com/cwlogd/cwlogd/internal/service"
	"github.com/cwlogd/cwlogd/internal/store/memory"
)

var update = flag.Bool("update", false, "rewrite the golden files with the answers cwlogd gives now")

// newServer is a server on a fresh memory store whose delivery ids are
// DELIVERY00000001, DELIVERY00000002, … so answers are reproducible.
func newServer(t testing.TB) *server.Server {
	t.Helper()
	cat, err := catalog.Load()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	svc, err := service.New(service.Config{
		Store: memory.New(), Catalog: cat, Authorizer: policy.Evaluator{}, Quotas: service.DefaultQuotas,
		NewID: func() string { n++; return fmt.Sprintf("DELIVERY%08d", n) },
		Now:   func() time.Time { return goldenNow },
	})
	if err != nil {
		t.Fatal(err)
	}
	return server.New(server.Config{Service: svc, Accounts: auth.Accounts{Default: "000000000000"}})
}

// goldenNow is the clock of the golden exchanges: 2026-01-01T00:00:00Z,
// 1767225600000 in milliseconds.
var goldenNow = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// signature is a SigV4 Authorization header for account 111111111111 in
// us-east-1 (signatures are not verified in this mode).
const signature = "AWS4-HMAC-SHA256 Credential=111111111111/20260101/us-east-1/logs/aws4_request, SignedHeaders=host;x-amz-date;x-amz-target, Signature=00"

// TestGolden replays each file in testdata/golden: exchanges separated by
// "=====" lines, each a request ("TARGET" line, optional "Header: value"
// lines, a blank line, the body) then "-----" and the expected answer
// (status line, the headers that matter, a blank line, the body).
func TestGolden(t *testing.T) {
	files, _ := filepath.Glob("testdata/golden/*.txt")
	if len(files) == 0 {
		t.Fatal("no golden files")
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txt"), func(t *testing.T) {
			raw, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			srv := newServer(t)
			var out strings.Builder
			for i, exchange := range strings.Split(string(raw), "\n=====\n") {
				req, want, _ := strings.Cut(exchange, "\n-----")
				got := replay(t, srv, req)
				if i > 0 {
					out.WriteString("\n=====\n")
				}
				out.WriteString(strings.TrimRight(req, "\n") + "\n-----\n" + got)
				if !*update && strings.TrimSpace(got) != strings.TrimSpace(want) {
					t.Errorf("exchange %d:\n%s\n--- got:\n%s\n--- want:\n%s", i+1, req, got, want)
				}
			}
			if *update {
				os.WriteFile(file, []byte(strings.TrimSpace(out.String())+"\n"), 0o644)
			}
		})
	}
}

func replay(t *testing.T, srv http.Handler, spec string) string {
	head, body, _ := strings.Cut(spec, "\n\n")
	lines := strings.Split(head, "\n")
	// Comment lines start with #.
	for len(lines) > 0 && strings.HasPrefix(lines[0], "#") {
		lines = lines[1:]
	}
	method, target := "POST", strings.TrimSpace(lines[0])
	if m, rest, ok := strings.Cut(target, " "); ok {
		method, target = m, rest
	}
	r := httptest.NewRequest(method, "/", strings.NewReader(body))
	r.Header.Set("Content-Type", "application/x-amz-json-1.1")
	r.Header.Set("Authorization", signature)
	if target != "-" {
		r.Header.Set("X-Amz-Target", target)
	}
	for _, h := range lines[1:] {
		k, v, _ := strings.Cut(h, ":")
		if v = strings.TrimSpace(v); v == "" {
			r.Header.Del(k)
		} else {
			r.Header.Set(k, v)
		}
	}
	w := httptest.NewRecorder()
	srv.ServeHTTP(w, r)
	res := w.Result()
	b, _ := io.ReadAll(res.Body)
	var o bytes.Buffer
	fmt.Fprintf(&o, "%d\n", res.StatusCode)
	for _, h := range []string{"Content-Type", "X-Amzn-Errortype"} {
		if v := res.Header.Get(h); v != "" {
			fmt.Fprintf(&o, "%s: %s\n", h, v)
		}
	}
	if res.Header.Get("X-Amzn-Requestid") == "" {
		t.Error("answer has no x-amzn-RequestId")
	}
	o.WriteString("\n" + string(b))
	return o.String()
}
