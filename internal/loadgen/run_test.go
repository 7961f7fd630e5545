package loadgen_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cwlogd/cwlogd/internal/app"
	"github.com/cwlogd/cwlogd/internal/config"
	"github.com/cwlogd/cwlogd/internal/loadgen"
)

// server starts cwlogd on the memory store behind an httptest server.
func server(t *testing.T) *httptest.Server {
	t.Helper()
	cfg := config.Default()
	cfg.Store = "memory"
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	a, err := app.New(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a.Handler())
	t.Cleanup(func() { srv.Close(); a.Close() })
	return srv
}

// The CLI, end to end: 200 GetDeliverySource requests, all successful.
func TestCommandGetDeliverySource(t *testing.T) {
	srv := server(t)
	var stdout, stderr bytes.Buffer
	code := loadgen.Command(context.Background(), []string{
		"--endpoint", srv.URL, "--op", "GetDeliverySource", "--clients", "4", "--requests", "200", "--warmup", "100ms", "--json",
	}, &stdout, &stderr)
	if code != 0 {
		t.Fatalf("exit %d; stderr: %s; stdout: %s", code, stderr.String(), stdout.String())
	}
	var res loadgen.Result
	if err := json.Unmarshal(stdout.Bytes(), &res); err != nil {
		t.Fatalf("report is not JSON: %v\n%s", err, stdout.String())
	}
	if res.Requests != 200 || res.OK != 200 || res.Errors != 0 || res.FirstError != "" || res.Stopped != "" {
		t.Fatalf("report = %+v, want 200 successful requests and no errors", res)
	}
	if res.RPS <= 0 || res.P50ms <= 0 || res.P50ms > res.P90ms || res.P90ms > res.P99ms || res.P99ms > res.MaxMs {
		t.Fatalf("figures out of order: %+v", res)
	}
}

func TestCommandTable(t *testing.T) {
	srv := server(t)
	var stdout, stderr bytes.Buffer
	code := loadgen.Command(context.Background(), []string{
		"--endpoint", srv.URL, "--requests", "20", "--warmup", "0",
	}, &stdout, &stderr)
	if code != 0 {
		t.Fatalf("exit %d; stderr: %s", code, stderr.String())
	}
	for _, want := range []string{"op           GetDeliverySource", "requests     20\n", "errors       0\n", "requests/s", "latency p99"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, stdout.String())
		}
	}
}

func TestCommandRefuses(t *testing.T) {
	for name, args := range map[string][]string{
		"remote endpoint":     {"--endpoint", "http://203.0.113.7:4566", "--requests", "1"},
		"both bounds":         {"--endpoint", "http://127.0.0.1:1", "--requests", "1", "--duration", "1s"},
		"over the cap":        {"--endpoint", "http://127.0.0.1:1", "--duration", "11m"},
		"unknown op":          {"--endpoint", "http://127.0.0.1:1", "--op", "PutLogs"},
		"stray argument":      {"--endpoint", "http://127.0.0.1:1", "GetDeliverySource"},
		"remote baseline":     {"--op", "baseline-server", "--listen", "0.0.0.0:0"},
		"remote wait-ready":   {"--wait-ready", "--endpoint", "http://192.0.2.1:80"},
		"bad since":           {"--wait-ready", "--since", "yesterday"},
		"distinct on get":     {"--endpoint", "http://127.0.0.1:1", "--distinct", "--requests", "1"},
		"first, not distinct": {"--endpoint", "http://127.0.0.1:1", "--op", "PutDeliverySource", "--first", "5", "--requests", "1"},
		"negative first":      {"--endpoint", "http://127.0.0.1:1", "--op", "PutDeliverySource", "--distinct", "--first", "-1", "--requests", "1"},
		"non-numeric account": {"--endpoint", "http://127.0.0.1:1", "--account", "AKIDEXAMPLE"},
	} {
		var stdout, stderr bytes.Buffer
		code := loadgen.Command(context.Background(), args, &stdout, &stderr)
		if code == 0 || stderr.Len() == 0 {
			t.Errorf("%s: exit %d, stderr %q; want a refusal", name, code, stderr.String())
		}
	}
}

// Every operation runs cleanly, with its setup, against cwlogd.
func TestRunEveryOp(t *testing.T) {
	srv := server(t)
	for _, op := range loadgen.Ops {
		for _, distinct := range []bool{false, true} {
			if distinct && op != loadgen.OpPutDeliverySource {
				continue
			}
			// Twice, so setup meets what the first run left behind.
			for run := 0; run < 2; run++ {
				res, err := loadgen.Run(context.Background(), loadgen.Config{
					Endpoint: srv.URL, Op: op, Clients: 3, Requests: 60, Warmup: 20 * time.Millisecond,
					Region: "us-east-1", Account: "111111111111", Setup: true, Names: 7, Distinct: distinct,
					Batch: 50, Fill: 20_000, Page: 100, Window: 2000, Pattern: loadgen.DefaultPattern,
				})
				if err != nil {
					t.Fatalf("%s (distinct %v, run %d): %v", op, distinct, run, err)
				}
				if res.Requests != 60 || res.Errors != 0 {
					t.Fatalf("%s (distinct %v, run %d): %+v", op, distinct, run, res)
				}
			}
		}
	}
}

// PutDeliverySource cycles over --names names, or with --distinct creates a
// new source each time.
func TestPutDeliverySourceNames(t *testing.T) {
	for _, c := range []struct {
		distinct bool
		want     int
	}{{false, 5}, {true, 40}} {
		srv := server(t)
		res, err := loadgen.Run(context.Background(), loadgen.Config{
			Endpoint: srv.URL, Op: loadgen.OpPutDeliverySource, Clients: 2, Requests: 40,
			Region: "us-east-1", Account: "111111111111", Names: 5, Distinct: c.distinct,
		})
		if err != nil || res.Errors != 0 {
			t.Fatalf("distinct %v: %+v, %v", c.distinct, res, err)
		}
		if got := countSources(t, srv.URL); got != c.want {
			t.Errorf("distinct %v: %d sources, want %d", c.distinct, got, c.want)
		}
	}
}

// With --first, a second distinct run creates new sources instead of
// overwriting those of the first.
func TestPutDeliverySourceFirst(t *testing.T) {
	srv := server(t)
	for _, first := range []int64{0, 0, 15} {
		res, err := loadgen.Run(context.Background(), loadgen.Config{
			Endpoint: srv.URL, Op: loadgen.OpPutDeliverySource, Clients: 3, Requests: 15,
			Region: "us-east-1", Account: "111111111111", Distinct: true, First: first,
		})
		if err != nil || res.Errors != 0 {
			t.Fatalf("first %d: %+v, %v", first, res, err)
		}
	}
	if got := countSources(t, srv.URL); got != 30 {
		t.Errorf("%d sources after runs from 0, 0 and 15, 15 requests each; want 30", got)
	}
}

func countSources(t *testing.T, url string) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(`{"limit":50}`))
	req.Header.Set("X-Amz-Target", "Logs_20140328.DescribeDeliverySources")
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=111111111111/20250101/us-east-1/logs/aws4_request, SignedHeaders=host, Signature=0")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		DeliverySources []json.RawMessage `json:"deliverySources"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	return len(out.DeliverySources)
}

// Non-2xx answers are counted, and the first one is quoted.
func TestRunCountsErrors(t *testing.T) {
	srv := server(t)
	var stdout, stderr bytes.Buffer
	code := loadgen.Command(context.Background(), []string{
		"--endpoint", srv.URL, "--requests", "10", "--warmup", "0", "--setup=false", "--json",
	}, &stdout, &stderr)
	if code != 1 {
		t.Fatalf("exit %d, want 1; stderr: %s", code, stderr.String())
	}
	var res loadgen.Result
	if err := json.Unmarshal(stdout.Bytes(), &res); err != nil {
		t.Fatal(err)
	}
	if res.Requests != 10 || res.Errors != 10 || !strings.Contains(res.FirstError, "HTTP 400") ||
		!strings.Contains(res.FirstError, "ResourceNotFoundException") {
		t.Fatalf("report = %+v, want 10 errors quoting ResourceNotFoundException", res)
	}
}

// A duration-bounded run stops on time, and an interrupt ends it early with
// what was measured.
func TestRunDurationAndInterrupt(t *testing.T) {
	srv := server(t)
	cfg := loadgen.Config{Endpoint: srv.URL, Op: loadgen.OpGetDeliverySource, Clients: 2, Duration: 300 * time.Millisecond,
		Region: "us-east-1", Account: "111111111111", Setup: true}
	start := time.Now()
	res, err := loadgen.Run(context.Background(), cfg)
	if err != nil || res.Errors != 0 || res.Requests == 0 || res.Stopped != "" {
		t.Fatalf("%+v, %v", res, err)
	}
	if took := time.Since(start); took > 5*time.Second || res.ElapsedS < 0.3 {
		t.Fatalf("a 300 ms run took %s (measured %.3f s)", took, res.ElapsedS)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	cfg.Duration = time.Minute
	res, err = loadgen.Run(ctx, cfg)
	if err != nil || res.Stopped != "interrupted" || res.Requests == 0 || res.Errors != 0 || res.FirstError != "" {
		t.Fatalf("interrupted run: %+v, %v", res, err)
	}
}

func TestBaselineHandler(t *testing.T) {
	srv := httptest.NewServer(loadgen.BaselineHandler())
	defer srv.Close()
	resp, err := http.Post(srv.URL, "application/x-amz-json-1.1", strings.NewReader(`{"name":"x"}`))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !bytes.Equal(b, loadgen.BaselineBody) || !json.Valid(b) {
		t.Fatalf("HTTP %d %s", resp.StatusCode, b)
	}
	// The load generator runs every operation cleanly against it, setup
	// included, but those reading log events: the baseline keeps none.
	for _, op := range loadgen.Ops {
		res, err := loadgen.Run(context.Background(), loadgen.Config{Endpoint: srv.URL, Op: op,
			Clients: 2, Requests: 50, Region: "us-east-1", Account: "111111111111", Setup: true, Fill: 2000, Window: 1000})
		if op == loadgen.OpGetLogEvents || op == loadgen.OpFilterLogEvents {
			if err == nil || !strings.Contains(err.Error(), "holds 0 events") {
				t.Fatalf("%s: %+v, %v; want a setup that finds no events", op, res, err)
			}
			continue
		}
		if err != nil || res.Errors != 0 || res.Requests != 50 {
			t.Fatalf("%s: %+v, %v", op, res, err)
		}
	}
}

func TestServeBaseline(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	addrc := make(chan string, 1)
	errc := make(chan error, 1)
	go func() {
		errc <- loadgen.ServeBaseline(ctx, "127.0.0.1:0", func(a net.Addr) { addrc <- a.String() })
	}()
	var addr string
	select {
	case addr = <-addrc:
	case err := <-errc:
		t.Fatal(err)
	}
	at, err := loadgen.WaitReady(context.Background(), "http://"+addr, "us-east-1", "111111111111", 5*time.Second)
	if err != nil || at.IsZero() {
		t.Fatalf("WaitReady = %s, %v", at, err)
	}
	cancel()
	if err := <-errc; err != nil {
		t.Fatalf("ServeBaseline: %v", err)
	}
}

// --wait-ready polls a server that is not ready yet until it answers, and
// prints the time since the start time written to the --since file.
func TestWaitReady(t *testing.T) {
	srv := httptest.NewUnstartedServer(nil)
	ready := make(chan struct{})
	srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-ready:
			w.Write([]byte(`{"deliverySources":[]}`))
		default:
			http.Error(w, `{"__type":"ServiceUnavailableException"}`, http.StatusServiceUnavailable)
		}
	})
	srv.Start()
	defer srv.Close()
	sinceFile := filepath.Join(t.TempDir(), "t0")
	var stdout, stderr bytes.Buffer
	done := make(chan int)
	go func() {
		done <- loadgen.Command(context.Background(), []string{"--wait-ready", "--endpoint", srv.URL, "--since", "@" + sinceFile, "--wait-timeout", "10s"}, &stdout, &stderr)
	}()
	time.Sleep(50 * time.Millisecond)
	t0 := time.Now().Add(-time.Second)
	close(ready)
	time.Sleep(20 * time.Millisecond) // written after the server is ready: read once it is
	os.WriteFile(sinceFile, []byte(fmt.Sprintf("%d.%06d\n", t0.Unix(), t0.Nanosecond()/1000)), 0o644)
	if code := <-done; code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	got, err := strconv.ParseFloat(strings.TrimSpace(stdout.String()), 64)
	if err != nil || got < 1000 || got > 1500 {
		t.Fatalf("printed %q, want about 1000 ms", stdout.String())
	}

	// Never ready: it gives up after its timeout, quoting the last answer.
	srv2 := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(500) }))
	defer srv2.Close()
	if _, err := loadgen.WaitReady(context.Background(), srv2.URL, "us-east-1", "111111111111", 100*time.Millisecond); err == nil ||
		!strings.Contains(err.Error(), "HTTP 500") {
		t.Fatalf("WaitReady on a failing server: %v", err)
	}
}

// call sends one unsigned-but-credentialed request to cwlogd and decodes
// its answer into out.
func call(t *testing.T, url, op, body string, out any) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	req.Header.Set("X-Amz-Target", "Logs_20140328."+op)
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=111111111111/20250101/us-east-1/logs/aws4_request, SignedHeaders=host, Signature=0")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("%s: HTTP %d: %s", op, resp.StatusCode, b)
	}
	if err := json.Unmarshal(b, out); err != nil {
		t.Fatalf("%s: %v", op, err)
	}
}

func near(a, b float64) bool { return a > 0 && math.Abs(a-b) <= 1e-9*a }

type logEvents struct {
	Events []struct {
		Timestamp int64
		Message   string
	}
}

func logConfig(url, op string) loadgen.Config {
	return loadgen.Config{Endpoint: url, Op: op, Clients: 1, Requests: 20, Region: "us-east-1", Account: "111111111111", Setup: true}
}

// PutLogEvents puts its batches, in order, in one stream per client, and
// reports events and bytes per second.
func TestPutLogEvents(t *testing.T) {
	srv := server(t)
	cfg := logConfig(srv.URL, loadgen.OpPutLogEvents)
	cfg.Clients, cfg.Batch, cfg.EventSize = 2, 100, 150
	res, err := loadgen.Run(context.Background(), cfg)
	if err != nil || res.Errors != 0 || res.Requests != 20 {
		t.Fatalf("%+v, %v", res, err)
	}
	if res.EventsPerIteration != 100 || res.EventSize != 150 || !near(res.EventsPerS, res.RPS*100) ||
		!near(res.MBPerS, res.EventsPerS*150/1e6) || res.Pattern != nil || res.StreamEvents != 0 {
		t.Fatalf("figures: %+v", res)
	}
	total := 0
	for i := range 2 {
		var out logEvents
		call(t, srv.URL, "GetLogEvents", fmt.Sprintf(`{"logGroupName":"bench-logs","logStreamName":"bench-stream-%d","startFromHead":true}`, i), &out)
		now := time.Now().UnixMilli()
		for k, e := range out.Events {
			if len(e.Message) != 150 || e.Timestamp < now-(time.Hour+time.Minute).Milliseconds() || e.Timestamp > now ||
				k > 0 && e.Timestamp < out.Events[k-1].Timestamp {
				t.Fatalf("stream %d, event %d: %d %q (now %d)", i, k, e.Timestamp, e.Message, now)
			}
		}
		total += len(out.Events)
	}
	if total != 2000 {
		t.Fatalf("%d events stored, want 20 batches of 100", total)
	}
	// The second run finds the group and streams there.
	if res, err := loadgen.Run(context.Background(), cfg); err != nil || res.Errors != 0 {
		t.Fatalf("second run: %+v, %v", res, err)
	}
}

// The read operations fill their stream once, read full pages, and find
// the 5 matches of each pattern in every window of 10,000 events.
func TestReadLogEvents(t *testing.T) {
	srv := server(t)
	get := logConfig(srv.URL, loadgen.OpGetLogEvents)
	get.Fill, get.Page = 30_000, 500
	res, err := loadgen.Run(context.Background(), get)
	if err != nil || res.Errors != 0 || res.FillEvents != 30_000 || res.FillS <= 0 || res.StreamEvents != 30_000 ||
		res.EventsPerIteration != 500 || res.MatchedPerIteration != 500 || res.PagesPerIteration != 1 || !near(res.EventsPerS, res.RPS*500) {
		t.Fatalf("GetLogEvents: %+v, %v", res, err)
	}
	var first logEvents
	call(t, srv.URL, "GetLogEvents", `{"logGroupName":"bench-read","logStreamName":"s","startFromHead":true,"limit":3}`, &first)
	if len(first.Events) != 3 || first.Events[1].Timestamp != first.Events[0].Timestamp+1 ||
		!strings.HasPrefix(first.Events[0].Message, `{"status":500,`) || first.Events[1].Message[:8] != "[ERROR] " {
		t.Fatalf("first events: %+v", first.Events)
	}
	for _, c := range []struct {
		pattern string
		window  int64
		matched float64
	}{{loadgen.DefaultPattern, 10_000, 5}, {"ERROR", 10_000, 5}, {`{ $.status = 500 && $.latency > 0 }`, 2000, 1}, {"", 25_000, 25_000}} {
		cfg := get
		cfg.Op, cfg.Pattern, cfg.Window, cfg.Requests = loadgen.OpFilterLogEvents, c.pattern, c.window, 5
		res, err := loadgen.Run(context.Background(), cfg)
		if err != nil || res.Errors != 0 || res.FillEvents != 0 || res.StreamEvents != 30_000 || res.Pattern == nil || *res.Pattern != c.pattern ||
			res.EventsPerIteration != c.window || res.MatchedPerIteration != c.matched || !near(res.EventsPerS, res.RPS*float64(c.window)) {
			t.Fatalf("FilterLogEvents %q: %+v, %v", c.pattern, res, err)
		}
		if c.pattern == "" && res.PagesPerIteration < 3 {
			t.Fatalf("FilterLogEvents of 25,000 events in %.1f pages", res.PagesPerIteration)
		}
	}
	var stdout, stderr bytes.Buffer
	code := loadgen.Command(context.Background(), []string{"--endpoint", srv.URL, "--op", "FilterLogEvents", "--pattern", "ERROR",
		"--fill", "30000", "--requests", "3", "--warmup", "0"}, &stdout, &stderr)
	for _, want := range []string{`pattern           "ERROR"`, "10000 searched, 5.0 matched, 1.00 requests", "events scanned/s", "stream            30000 events"} {
		if code != 0 || !strings.Contains(stdout.String(), want) {
			t.Errorf("exit %d, table lacks %q:\n%s%s", code, want, stdout.String(), stderr.String())
		}
	}
}

// A fill is completed when a run finds the stream partly filled, and a run
// that would fill fewer events than the stream holds refuses.
func TestFillResumes(t *testing.T) {
	srv := server(t)
	cfg := logConfig(srv.URL, loadgen.OpGetLogEvents)
	cfg.Requests, cfg.Page = 2, 100
	for _, c := range []struct{ fill, filled int64 }{{5000, 5000}, {12_000, 7000}, {12_000, 0}} {
		cfg.Fill = c.fill
		res, err := loadgen.Run(context.Background(), cfg)
		if err != nil || res.Errors != 0 || res.FillEvents != c.filled || res.StreamEvents != c.fill {
			t.Fatalf("fill %d: %+v, %v", c.fill, res, err)
		}
	}
	var all logEvents
	call(t, srv.URL, "GetLogEvents", `{"logGroupName":"bench-read","logStreamName":"s","startFromHead":true}`, &all)
	for i, e := range all.Events {
		if e.Timestamp != all.Events[0].Timestamp+int64(i) {
			t.Fatalf("event %d at %d, first at %d", i, e.Timestamp, all.Events[0].Timestamp)
		}
	}
	if len(all.Events) != 10_000 {
		t.Fatalf("first page: %d events", len(all.Events))
	}
	cfg.Fill = 3000
	if _, err := loadgen.Run(context.Background(), cfg); err == nil || !strings.Contains(err.Error(), "holds 12000 events already") {
		t.Fatalf("fill 3000 over 12,000: %v", err)
	}
	cfg.Fill, cfg.Setup = 3000, false // without setup, only the range matters
	if res, err := loadgen.Run(context.Background(), cfg); err != nil || res.Errors != 0 || res.StreamEvents != 12_000 || res.FillEvents != 0 {
		t.Fatalf("without setup: %+v, %v", res, err)
	}
}
