package e2e

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	cwl "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"

	"github.com/cwlogd/cwlogd/internal/app"
	"github.com/cwlogd/cwlogd/internal/config"
)

// hostileServer runs the real listener (app.Run: timeouts, header cap,
// connection cap) on a free port with the configuration edited by edit,
// and returns its address.
func hostileServer(t *testing.T, edit func(*config.Config)) string {
	t.Helper()
	cfg := config.Default()
	cfg.Store, cfg.Listen = "memory", "127.0.0.1:0"
	edit(&cfg)
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	a, err := app.New(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	runCtx, cancel := context.WithCancel(context.Background())
	addrc := make(chan string, 1)
	done := make(chan error, 1)
	go func() { done <- a.Run(runCtx, func(addr net.Addr) { addrc <- addr.String() }) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
		a.Close()
	})
	select {
	case addr := <-addrc:
		return addr
	case err := <-done:
		t.Fatalf("Run: %v", err)
	}
	return ""
}

// rawAuth is an Authorization header of acct in region; --auth off reads
// only its credential scope.
const rawAuth = "AWS4-HMAC-SHA256 Credential=" + acct + "/20260101/" + region + "/logs/aws4_request, SignedHeaders=host;x-amz-date;x-amz-target, Signature=00"

// answer is what a raw request got back.
type answer struct {
	status int
	typ    string
	msg    string
	size   int
}

func (a answer) String() string {
	msg := a.msg
	if len(msg) > 90 {
		msg = fmt.Sprintf("%s… (%d bytes)", msg[:90], len(msg))
	}
	if a.typ == "" {
		return fmt.Sprintf("%d", a.status)
	}
	return fmt.Sprintf("%d %s: %s", a.status, a.typ, msg)
}

// call posts body to operation op and reads the JSON answer.
func call(t *testing.T, hc *http.Client, addr, op string, body io.Reader, size int64) answer {
	t.Helper()
	req, err := http.NewRequest("POST", "http://"+addr+"/", body)
	if err != nil {
		t.Fatal(err)
	}
	req.ContentLength = size
	req.Header.Set("X-Amz-Target", "Logs_20140328."+op)
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("Authorization", rawAuth)
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatalf("%s: %v", op, err)
	}
	defer resp.Body.Close()
	return readAnswer(t, resp)
}

func readAnswer(t *testing.T, resp *http.Response) answer {
	t.Helper()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read answer: %v", err)
	}
	a := answer{status: resp.StatusCode, size: len(b)}
	if resp.StatusCode == http.StatusOK {
		return a
	}
	var e struct {
		Type    string `json:"__type"`
		Message string `json:"message"`
	}
	if err := json.Unmarshal(b, &e); err != nil {
		t.Fatalf("answer %d is not JSON: %q", resp.StatusCode, b)
	}
	if h := resp.Header.Get("X-Amzn-ErrorType"); h != e.Type {
		t.Errorf("X-Amzn-ErrorType %q, body __type %q", h, e.Type)
	}
	a.typ, a.msg = e.Type, e.Message
	return a
}

// stillServes asserts a normal request is answered normally.
func stillServes(t *testing.T, addr string) {
	t.Helper()
	c := cwl.New(cwl.Options{
		Region: region, BaseEndpoint: aws.String("http://" + addr),
		Credentials: credentials.NewStaticCredentialsProvider(acct, "secret", ""),
	})
	if _, err := c.DescribeLogGroups(ctx, &cwl.DescribeLogGroupsInput{}); err != nil {
		t.Fatalf("a normal request afterwards: %v", err)
	}
}

// repeat is s n times.
func repeat(s string, n int) string { return strings.Repeat(s, n) }

// heapInUse is the live heap after a full collection.
func heapInUse() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// TestHostileBodies sends bodies built to hurt; each gets a JSON error (or
// the AWS answer), the server keeps answering, and the live heap does not
// keep what the bodies cost.
func TestHostileBodies(t *testing.T) {
	addr := hostileServer(t, func(c *config.Config) { c.MaxBodyBytes = 8 << 20 })
	hc := &http.Client{Timeout: time.Minute}
	post := func(op, body string) answer { return call(t, hc, addr, op, strings.NewReader(body), int64(len(body))) }
	if a := post("CreateLogGroup", `{"logGroupName":"g"}`); a.status != 200 {
		t.Fatalf("CreateLogGroup: %s", a)
	}
	post("CreateLogStream", `{"logGroupName":"g","logStreamName":"s"}`)

	hugeMap := func(n int) string {
		var b strings.Builder
		b.WriteString(`{"logGroupName":"g","tags":{`)
		for i := range n {
			if i > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, `"k%d":"v"`, i)
		}
		b.WriteString(`}}`)
		return b.String()
	}
	fiveMB := repeat("a", 5<<20)
	cases := []struct {
		name, op, body string
		status         int
		typ            string
	}{
		{"body one byte past the 8 MiB cap", "PutLogEvents", `{"logGroupName":"g","logStreamName":"s","logEvents":[{"timestamp":1,"message":"` + repeat("x", 8<<20) + `"}]}`, 413, "RequestEntityTooLargeException"},
		{"10,000-deep arrays in a known member", "GetDeliverySource", `{"name":` + repeat("[", 10000) + repeat("]", 10000) + `}`, 400, "SerializationException"},
		{"10,000-deep objects in an unknown member", "DescribeLogGroups", `{"x":` + repeat(`{"a":`, 10000) + "1" + repeat("}", 10000) + `}`, 400, "SerializationException"},
		{"100,000-deep arrays", "DescribeLogGroups", `{"x":` + repeat("[", 100000) + repeat("]", 100000) + `}`, 400, "SerializationException"},
		{"invalid UTF-8 in a name", "CreateLogGroup", "{\"logGroupName\":\"g\xff\xfe\"}", 400, "InvalidParameterException"},
		{"invalid UTF-8 in a log event", "PutLogEvents", "{\"logGroupName\":\"g\",\"logStreamName\":\"s\",\"logEvents\":[{\"timestamp\":" + fmt.Sprint(time.Now().UnixMilli()) + ",\"message\":\"\xc3\x28 bad\"}]}", 200, ""},
		{"invalid UTF-8 as a member name", "DescribeLogGroups", "{\"\xff\":1}", 200, ""},
		{"5 MB string as a log group name", "CreateLogGroup", `{"logGroupName":"` + fiveMB + `"}`, 400, "InvalidParameterException"},
		{"5 MB string as a delivery source name", "GetDeliverySource", `{"name":"` + fiveMB + `"}`, 400, "ValidationException"},
		{"5 MB log event message", "PutLogEvents", `{"logGroupName":"g","logStreamName":"s","logEvents":[{"timestamp":1,"message":"` + fiveMB + `"}]}`, 400, "InvalidParameterException"},
		{"100,000 tags", "TagLogGroup", hugeMap(100000), 400, "InvalidParameterException"},
		{"100,000 tags on create", "CreateLogGroup", strings.Replace(hugeMap(100000), `"g"`, `"g2"`, 1), 400, "InvalidParameterException"},
		{"duplicate keys (last wins, as encoding/json and Jackson do)", "CreateLogGroup", `{"logGroupName":"bad name!","logGroupName":"dup"}`, 200, ""},
		{"number for a string", "CreateLogGroup", `{"logGroupName":5}`, 400, "SerializationException"},
		{"string for a number", "DescribeLogGroups", `{"limit":"5"}`, 400, "SerializationException"},
		{"object for a list", "DescribeLogStreams", `{"logGroupName":"g","logStreamNamePrefix":{}}`, 400, "SerializationException"},
		{"list as the body", "DescribeLogGroups", `[]`, 400, "SerializationException"},
		{"number past int64", "DescribeLogGroups", `{"limit":1e400}`, 400, "SerializationException"},
		{"truncated JSON", "DescribeLogGroups", `{"limit":`, 400, "SerializationException"},
		{"raw NUL byte in a string (not JSON)", "CreateLogGroup", "{\"logGroupName\":\"\x00\"}", 400, "SerializationException"},
		{"escaped NUL in a name", "CreateLogGroup", `{"logGroupName":"\u0000"}`, 400, "InvalidParameterException"},
		{"lone surrogate escape in a name", "CreateLogGroup", `{"logGroupName":"\ud800"}`, 400, "InvalidParameterException"},
	}
	over := `{"x":"` + repeat("x", 8<<20) + `"}`
	before := heapInUse()
	var report []string
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := post(tc.op, tc.body)
			report = append(report, fmt.Sprintf("%-60s %s → %s", tc.name, tc.op, a))
			if a.status != tc.status || a.typ != tc.typ {
				t.Errorf("%s %s: got %s, want %d %s", tc.op, tc.name, a, tc.status, tc.typ)
			}
			stillServes(t, addr)
		})
	}
	// The same body again without a Content-Length (chunked): the cap holds
	// while reading.
	a := call(t, hc, addr, "DescribeLogGroups", io.MultiReader(strings.NewReader(over)), -1)
	report = append(report, fmt.Sprintf("%-60s %s → %s", "chunked body past the cap", "DescribeLogGroups", a))
	if a.status != 413 || a.typ != "RequestEntityTooLargeException" {
		t.Errorf("chunked body past the cap: %s", a)
	}
	stillServes(t, addr)
	after := heapInUse() // the bodies are still alive: growth is what the server kept
	runtime.KeepAlive(cases)
	runtime.KeepAlive(over)
	growth := int64(after) - int64(before)
	report = append(report, fmt.Sprintf("live heap before %d KiB, after %d KiB (growth %d KiB)", before>>10, after>>10, growth>>10))
	if growth > 32<<20 {
		t.Errorf("live heap grew by %d MiB", growth>>20)
	}
	t.Log("hostile bodies:\n" + strings.Join(report, "\n"))
}

// TestHostileClients: slow clients are cut off, oversized headers refused,
// and connections past the cap answered 503 ServiceUnavailableException.
func TestHostileClients(t *testing.T) {
	const maxConns = 8
	addr := hostileServer(t, func(c *config.Config) {
		c.ReadHeaderTimeout = 300 * time.Millisecond
		c.ReadTimeout = time.Second
		c.MaxConnections = maxConns
		c.MaxHeaderBytes = 16 << 10
	})
	var report []string
	note := func(input, ans string) { report = append(report, fmt.Sprintf("%-60s → %s", input, ans)) }
	dial := func(t *testing.T) net.Conn {
		t.Helper()
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		return c
	}
	head := func(n int) string {
		return fmt.Sprintf("POST / HTTP/1.1\r\nHost: %s\r\nX-Amz-Target: Logs_20140328.DescribeLogGroups\r\nAuthorization: %s\r\nContent-Length: %d\r\n", addr, rawAuth, n)
	}

	t.Run("slowloris: headers dribbled", func(t *testing.T) {
		c := dial(t)
		start := time.Now()
		c.Write([]byte(head(2)))
		var err error
		for i := 0; i < 100 && err == nil; i++ {
			_, err = c.Write([]byte("X-Drip: a\r\n"))
			time.Sleep(50 * time.Millisecond)
		}
		c.SetReadDeadline(time.Now().Add(5 * time.Second))
		n, rerr := c.Read(make([]byte, 512))
		took := time.Since(start)
		if n != 0 || rerr == nil || took > 4*time.Second {
			t.Fatalf("after %s: read %d bytes, %v; want the connection closed after the header timeout", took, n, rerr)
		}
		note("slowloris (a header line every 50 ms, 300 ms header timeout)", fmt.Sprintf("connection closed after %s (no answer: net/http drops it)", took.Round(100*time.Millisecond)))
		stillServes(t, addr)
	})

	t.Run("slow body", func(t *testing.T) {
		c := dial(t)
		start := time.Now()
		body := `{"limit":5}` + repeat(" ", 89)
		c.Write([]byte(head(len(body)) + "\r\n"))
		go func() {
			for i := range body {
				if _, err := c.Write([]byte{body[i]}); err != nil {
					return
				}
				time.Sleep(50 * time.Millisecond)
			}
		}()
		c.SetReadDeadline(time.Now().Add(5 * time.Second))
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil {
			t.Fatalf("after %s: %v", time.Since(start), err)
		}
		defer resp.Body.Close()
		a := readAnswer(t, resp)
		if a.status != 408 || a.typ != "RequestTimeoutException" {
			t.Fatalf("slow body: %s", a)
		}
		note("slow body (a byte every 50 ms, 1 s read timeout)", fmt.Sprintf("%s after %s", a, time.Since(start).Round(100*time.Millisecond)))
		stillServes(t, addr)
	})

	t.Run("headers past the cap", func(t *testing.T) {
		c := dial(t)
		c.Write([]byte(head(2) + "X-Big: " + repeat("b", 32<<10) + "\r\n\r\n{}"))
		c.SetReadDeadline(time.Now().Add(5 * time.Second))
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
			t.Fatalf("status %d, want 431", resp.StatusCode)
		}
		note("32 KiB header (16 KiB cap)", resp.Status+" (net/http's own plain-text answer)")
		stillServes(t, addr)
	})

	t.Run("connections past the cap", func(t *testing.T) {
		// maxConns idle keep-alive connections hold every slot. Each makes
		// one request first: a connection that never sends one would be
		// closed at the 300 ms header timeout, freeing its slot.
		var held []net.Conn
		for range maxConns {
			c := dial(t)
			c.Write([]byte(head(2) + "\r\n{}"))
			c.SetReadDeadline(time.Now().Add(5 * time.Second))
			resp, err := http.ReadResponse(bufio.NewReader(c), nil)
			if err != nil {
				t.Fatal(err)
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			held = append(held, c)
		}
		c := dial(t)
		c.Write([]byte(head(2) + "\r\n{}"))
		c.SetReadDeadline(time.Now().Add(5 * time.Second))
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil {
			t.Fatal(err)
		}
		a := readAnswer(t, resp)
		resp.Body.Close()
		if a.status != 503 || a.typ != "ServiceUnavailableException" || !resp.Close {
			t.Fatalf("past the cap: %s (Connection: close %v)", a, resp.Close)
		}
		note(fmt.Sprintf("connection %d with %d open (cap %d)", maxConns+1, maxConns, maxConns), a.String())

		// The SDK retries a 503 and succeeds once a slot frees.
		sdk := cwl.New(cwl.Options{
			Region: region, BaseEndpoint: aws.String("http://" + addr),
			Credentials:      credentials.NewStaticCredentialsProvider(acct, "secret", ""),
			RetryMaxAttempts: 10,
		})
		go func() {
			time.Sleep(300 * time.Millisecond)
			held[0].Close()
		}()
		if _, err := sdk.DescribeLogGroups(ctx, &cwl.DescribeLogGroupsInput{}); err != nil {
			t.Fatalf("SDK once a slot frees: %v", err)
		}
		note("SDK request while full, a slot frees 300 ms later", "200 after the SDK's retries")
		for _, h := range held {
			h.Close()
		}
		time.Sleep(100 * time.Millisecond)
		stillServes(t, addr)
	})

	t.Run("a burst of 200 concurrent connections", func(t *testing.T) {
		var (
			wg     sync.WaitGroup
			mu     sync.Mutex
			counts = map[string]int{}
		)
		before := runtime.NumGoroutine()
		for range 200 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				tr := &http.Transport{DisableKeepAlives: true}
				defer tr.CloseIdleConnections()
				hc := &http.Client{Transport: tr, Timeout: 10 * time.Second}
				req, _ := http.NewRequest("POST", "http://"+addr+"/", bytes.NewReader([]byte(`{}`)))
				req.Header.Set("X-Amz-Target", "Logs_20140328.DescribeLogGroups")
				req.Header.Set("Authorization", rawAuth)
				resp, err := hc.Do(req)
				key := ""
				if err != nil {
					var ne net.Error
					key = "transport error: " + err.Error()
					if errors.As(err, &ne) {
						key = "transport error: " + strings.TrimPrefix(ne.Error(), "Post \"http://"+addr+"/\": ")
					}
				} else {
					b, _ := io.ReadAll(resp.Body)
					resp.Body.Close()
					key = fmt.Sprint(resp.StatusCode)
					if resp.StatusCode != 200 {
						var e struct {
							Type string `json:"__type"`
						}
						json.Unmarshal(b, &e)
						key += " " + e.Type
					}
				}
				mu.Lock()
				counts[key]++
				mu.Unlock()
			}()
		}
		wg.Wait()
		for k := range counts {
			if k != "200" && k != "503 ServiceUnavailableException" {
				t.Errorf("answer %q (%d times)", k, counts[k])
			}
		}
		note(fmt.Sprintf("200 concurrent connections, one request each (cap %d)", maxConns), fmt.Sprint(counts))
		time.Sleep(200 * time.Millisecond)
		if g := runtime.NumGoroutine(); g > before+20 {
			t.Errorf("%d goroutines after the burst, %d before", g, before)
		}
		stillServes(t, addr)
	})
	t.Log("hostile clients:\n" + strings.Join(report, "\n"))
}
