package loadgen

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// fillMatches is how many of the filled events first … first+n-1 match
// DefaultPattern (jsonErrors) and the term ERROR (textErrors).
func fillMatches(first, n int64) (jsonErrors, textErrors int64) {
	count := func(r int64) int64 { // events below first+n with i%2000 == r, minus those below first
		below := func(x int64) int64 { return (x - r + 1999) / 2000 }
		return below(first+n) - below(first)
	}
	return count(0), count(1)
}

func TestLogLine(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, size := range []int{1, 2, 10, 50, 99, 100, 199, 200, 201, 1000, 5000, 262_144} {
		for range 20 {
			b := appendLogLine([]byte("prefix"), size, rng)
			line := b[len("prefix"):]
			if string(b[:6]) != "prefix" || len(line) != size {
				t.Fatalf("size %d: %d bytes %q", size, len(line), truncate(line, 80))
			}
			for i, c := range line {
				if c < 0x20 || c > 0x7e || c == '"' || c == '\\' {
					t.Fatalf("size %d: byte %d is %q in %q", size, i, c, truncate(line, 80))
				}
			}
		}
	}
	if l := appendLogLine(nil, 200, rand.New(rand.NewPCG(3, 4))); !bytes.Contains(l, []byte(" req=")) || !bytes.Contains(l, []byte("ms ")) {
		t.Errorf("not log-like: %s", l)
	}
}

type putBody struct {
	LogGroupName  string `json:"logGroupName"`
	LogStreamName string `json:"logStreamName"`
	LogEvents     []struct {
		Timestamp int64  `json:"timestamp"`
		Message   string `json:"message"`
	} `json:"logEvents"`
}

func decodePut(t *testing.T, b []byte) putBody {
	t.Helper()
	var p putBody
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		t.Fatalf("body is not a PutLogEvents: %v\n%s", err, truncate(b, 300))
	}
	return p
}

// A batch is a valid PutLogEvents whose timestamps move on with each stamp:
// within the last hour, chronological, never before the previous batch's.
func TestPutBatch(t *testing.T) {
	for _, c := range []struct{ n, size int }{{1, 1}, {1000, 200}, {7, 3000}, {10_000, 78}} {
		b := newPutBatch("bench-stream-3", c.n, c.size, rand.New(rand.NewPCG(9, 9)))
		if b.msgBytes != int64(c.n*c.size) {
			t.Fatalf("%+v: msgBytes %d", c, b.msgBytes)
		}
		now := time.Now().UnixMilli()
		var last int64
		for round := range 3 {
			got, err := b.stamp(last, now)
			if err != nil || got != now {
				t.Fatalf("stamp = %d, %v; want %d", got, err, now)
			}
			p := decodePut(t, b.data)
			if p.LogGroupName != LogGroupName || p.LogStreamName != "bench-stream-3" || len(p.LogEvents) != c.n {
				t.Fatalf("%+v: group %q stream %q, %d events", c, p.LogGroupName, p.LogStreamName, len(p.LogEvents))
			}
			lo := last + 1
			if last == 0 {
				lo = now - time.Hour.Milliseconds() + 1
			}
			lo = min(lo, now)
			prev := int64(0)
			for i, e := range p.LogEvents {
				if len(e.Message) != c.size {
					t.Fatalf("%+v: message %d has %d bytes", c, i, len(e.Message))
				}
				if e.Timestamp < lo || e.Timestamp > now || e.Timestamp < prev {
					t.Fatalf("%+v round %d: event %d at %d, want chronological in [%d, %d]", c, round, i, e.Timestamp, lo, now)
				}
				prev = e.Timestamp
			}
			if p.LogEvents[c.n-1].Timestamp != now || now-p.LogEvents[0].Timestamp >= 24*time.Hour.Milliseconds() {
				t.Fatalf("%+v: events from %d to %d, now %d", c, p.LogEvents[0].Timestamp, p.LogEvents[c.n-1].Timestamp, now)
			}
			last = got
			now += int64(1 + round*5000)
		}
	}
	b := newPutBatch("s", 2, 10, rand.New(rand.NewPCG(1, 1)))
	if _, err := b.stamp(0, 99_999_999_999_999); err == nil {
		t.Error("a 14-digit timestamp was accepted")
	}
}

// Filled events: JSON and text lines, 1 in 1000 of each an error, within
// PutLogEvents' limits, one a millisecond from base.
func TestFillBody(t *testing.T) {
	base := time.Now().Add(-fillAge).UnixMilli()
	const fill = 25_000
	var jsonErr, textErr, events int64
	var body []byte
	for from := int64(0); from < fill; {
		var next int64
		body, next = appendFillBody(body[:0], base, from, fill)
		p := decodePut(t, body)
		if p.LogGroupName != ReadGroupName || p.LogStreamName != ReadStreamName {
			t.Fatalf("group %q, stream %q", p.LogGroupName, p.LogStreamName)
		}
		if n := int64(len(p.LogEvents)); n != next-from || n > MaxBatchEvents || n == 0 {
			t.Fatalf("batch from %d: %d events, next %d", from, n, next)
		}
		size := 0
		for k, e := range p.LogEvents {
			i := from + int64(k)
			size += len(e.Message) + EventOverhead
			if e.Timestamp != base+i {
				t.Fatalf("event %d at %d, want %d", i, e.Timestamp, base+i)
			}
			if strings.HasPrefix(e.Message, "{") {
				var m struct {
					Status  int    `json:"status"`
					Latency int    `json:"latency"`
					Path    string `json:"path"`
					User    string `json:"user"`
				}
				if err := json.Unmarshal([]byte(e.Message), &m); err != nil || m.Path == "" || m.User == "" || m.Latency == 0 {
					t.Fatalf("event %d: %q: %+v, %v", i, e.Message, m, err)
				}
				if m.Status == 500 {
					jsonErr++
				} else if m.Status != 200 {
					t.Fatalf("event %d: %q", i, e.Message)
				}
			} else {
				switch {
				case strings.HasPrefix(e.Message, "[ERROR] "):
					textErr++
				case !strings.HasPrefix(e.Message, "[INFO] "):
					t.Fatalf("event %d: %q", i, e.Message)
				}
				if strings.Contains(e.Message, "ERROR") != strings.HasPrefix(e.Message, "[ERROR]") {
					t.Fatalf("event %d: %q", i, e.Message)
				}
			}
		}
		if size > MaxBatchBytes {
			t.Fatalf("batch from %d: %d bytes", from, size)
		}
		events += next - from
		from = next
	}
	wj, wt := fillMatches(0, fill)
	if events != fill || jsonErr != wj || textErr != wt || wj != 13 || wt != 13 {
		t.Fatalf("%d events, %d JSON errors, %d ERROR lines; want %d, %d, %d", events, jsonErr, textErr, fill, wj, wt)
	}
	for _, c := range []struct{ first, n, want int64 }{{0, 10_000, 5}, {1, 10_000, 5}, {1999, 2000, 1}, {2, 1998, 0}, {0, 1, 1}} {
		if j, tx := fillMatches(c.first, c.n); j != c.want && c.first != 1 || c.first == 1 && tx != 5 {
			t.Errorf("fillMatches(%d, %d) = %d, %d", c.first, c.n, j, tx)
		}
	}
	// A batch stops at the byte limit too.
	body, next := appendFillBody(nil, base, 0, 1_000_000)
	if next != MaxBatchEvents || len(body) > 2*MaxBatchBytes {
		t.Fatalf("first batch of a million ends at %d (%d bytes)", next, len(body))
	}
}

func TestJSONString(t *testing.T) {
	for _, s := range []string{"", `{"a":"b\c"}`, "tab\there\x01", "ünï"} {
		var got string
		if err := json.Unmarshal(appendJSONString(nil, []byte(s)), &got); err != nil || got != s {
			t.Errorf("%q: %q, %v", s, got, err)
		}
	}
}

func TestReadBodies(t *testing.T) {
	var g struct {
		LogGroupName, LogStreamName string
		StartFromHead               bool
		Limit                       int
		StartTime                   int64
	}
	if err := json.Unmarshal(appendGetBody(nil, 1_732_512_345_678, 1000), &g); err != nil ||
		g.LogGroupName != ReadGroupName || g.LogStreamName != ReadStreamName || !g.StartFromHead || g.Limit != 1000 || g.StartTime != 1_732_512_345_678 {
		t.Fatalf("GetLogEvents body: %+v, %v", g, err)
	}
	token := []byte(`"tok\"en/1"`)
	for _, tok := range [][]byte{nil, token} {
		var f map[string]any
		b := appendFilterBody(nil, 100, 10_099, patternJSON(`{ $.path = "/api/x" }`), tok)
		if err := json.Unmarshal(b, &f); err != nil {
			t.Fatalf("%s: %v", b, err)
		}
		want := map[string]any{"logGroupName": ReadGroupName, "startTime": 100.0, "endTime": 10_099.0, "filterPattern": `{ $.path = "/api/x" }`}
		if tok != nil {
			want["nextToken"] = `tok"en/1`
		}
		if len(f) != len(want) {
			t.Fatalf("%s: want %v", b, want)
		}
		for k, v := range want {
			if f[k] != v {
				t.Fatalf("%s: %s = %v, want %v", b, k, f[k], v)
			}
		}
	}
}

func TestOffset(t *testing.T) {
	const n = 990_001
	seen := map[int64]bool{}
	var lo, hi int64 = n, 0
	for seq := range uint64(1000) {
		o := offset(seq, n)
		if o < 0 || o >= n {
			t.Fatalf("offset(%d) = %d", seq, o)
		}
		seen[o] = true
		lo, hi = min(lo, o), max(hi, o)
	}
	if len(seen) < 990 || lo > n/100 || hi < n-n/100 {
		t.Fatalf("1000 offsets: %d distinct, from %d to %d", len(seen), lo, hi)
	}
	if offset(5, 1) != 0 || offset(5, 0) != 0 {
		t.Fatal("a single possible offset is not 0")
	}
}

func TestParseAnswer(t *testing.T) {
	for _, c := range []struct {
		in       string
		events   int
		firstTS  int64
		token    string
		rejected string
	}{
		{`{}`, 0, 0, "", ""},
		{` { "events" : [ ] , "nextToken" : null } `, 0, 0, "", ""},
		{`{"events":[{"ingestionTime":5,"message":"a \"timestamp\":9 }]{","timestamp":1732512345678},{"timestamp":2}],"nextForwardToken":"f/1","nextBackwardToken":"b/1"}`, 2, 1732512345678, "", ""},
		{`{"searchedLogStreams":[{"logStreamName":"s","searchedCompletely":true}],"events":[{"eventId":"1","message":"x\\","timestamp":-3}],"nextToken":"a\"b\\"}`, 1, -3, `"a\"b\\"`, ""},
		{"{\"nextSequenceToken\":\"49\",\n\"rejectedLogEventsInfo\":{\"tooOldLogEventEndIndex\":3}}", 0, 0, "", `{"tooOldLogEventEndIndex":3}`},
		{`{"nextSequenceToken":"1","rejectedLogEventsInfo":null}`, 0, 0, "", ""},
		{`{"events":[{"message":"[{]}"},{"message":"{"}],"other":[1,[2,{"x":[]}],true,false,null,-1.5e3]}`, 2, 0, "", ""},
	} {
		a, err := parseAnswer([]byte(c.in))
		if err != nil || a.events != c.events || a.firstTS != c.firstTS || string(a.token) != c.token || string(a.rejected) != c.rejected {
			t.Errorf("%s: %+v (token %s, rejected %s), %v", c.in, a, a.token, a.rejected, err)
		}
	}
	for _, in := range []string{``, `[]`, `{`, `{"events":[}`, `{"events":[1,]}`, `{"a" 1}`, `{"a":"b}`, `{"a":1,}`, `{"a":1 "b":2}`,
		`{"events":{"timestamp":1}}`, `{"events":[{"timestamp":"x"}]}`, `{"nextToken":5}`, `{"a":}`, `{"events":[{"timestamp":1}]`} {
		if a, err := parseAnswer([]byte(in)); err == nil {
			t.Errorf("%s: %+v, want an error", in, a)
		}
	}
}

// parseAnswer agrees with encoding/json on whatever valid JSON it accepts.
func FuzzParseAnswer(f *testing.F) {
	f.Add([]byte(`{"events":[{"timestamp":1,"message":"{\"a\":[1]}"}],"nextToken":"x"}`))
	f.Add([]byte(`{"nextSequenceToken":"1","rejectedLogEventsInfo":{"tooNewLogEventStartIndex":0}}`))
	f.Add([]byte(`{"events":[],"nextToken":null}`))
	f.Add([]byte(`{"events":[1],"events":[],"nextToken":"a","nextToken":null}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		a, err := parseAnswer(b)
		var ref map[string]json.RawMessage
		if !json.Valid(b) || json.Unmarshal(b, &ref) != nil || ref == nil || bytes.Contains(b, []byte(`\u`)) {
			return // not an object, or keys parseAnswer would compare unescaped
		}
		var events []json.RawMessage
		if ev, ok := ref["events"]; ok && json.Unmarshal(ev, &events) != nil {
			if err == nil {
				t.Fatalf("%s: events not an array, accepted", b)
			}
			return
		}
		if err != nil {
			// Only members parseAnswer reads, of the wrong type, are refused:
			// events that are not an array of objects, a non-integer first
			// timestamp, a nextToken that is not a string.
			if !bytes.Contains(b, []byte(`"events"`)) && !bytes.Contains(b, []byte(`"nextToken"`)) {
				t.Fatalf("%s: %v", b, err)
			}
			return
		}
		if a.events != len(events) {
			t.Fatalf("%s: %d events, want %d", b, a.events, len(events))
		}
		tok := ref["nextToken"]
		if string(tok) == "null" {
			tok = nil
		}
		if !bytes.Equal(a.token, tok) {
			t.Fatalf("%s: token %s, want %s", b, a.token, tok)
		}
		rej := ref["rejectedLogEventsInfo"]
		if string(rej) == "null" {
			rej = nil
		}
		if !bytes.Equal(a.rejected, rej) {
			t.Fatalf("%s: rejected %s, want %s", b, a.rejected, rej)
		}
	})
}

// fakeLogs answers every PutLogEvents with body and FilterLogEvents with
// the same page, which always has a nextToken.
func fakeLogs(t *testing.T, put string) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		switch strings.TrimPrefix(r.Header.Get("X-Amz-Target"), targetPrefix) {
		case OpPutLogEvents:
			w.Write([]byte(put))
		case OpGetLogEvents:
			w.Write([]byte(`{"events":[{"timestamp":1732512345678,"message":"m"}],"nextForwardToken":"f","nextBackwardToken":"b"}`))
		case OpFilterLogEvents:
			w.Write([]byte(`{"events":[],"nextToken":"again"}`))
		default:
			w.Write([]byte(`{}`))
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

// Rejected events fail the iteration, and so does a nextToken that does not
// move on.
func TestLogAnswersChecked(t *testing.T) {
	srv := fakeLogs(t, `{"nextSequenceToken":"2","rejectedLogEventsInfo":{"tooOldLogEventEndIndex":1}}`)
	cfg := Config{Endpoint: srv.URL, Op: OpPutLogEvents, Clients: 1, Requests: 3, Region: "us-east-1", Account: "123456789012", Setup: true, Batch: 2}
	res, err := Run(context.Background(), cfg)
	if err != nil || res.Errors != 3 || !strings.Contains(res.FirstError, "events rejected") || res.EventsPerS != 0 {
		t.Fatalf("%+v, %v", res, err)
	}
	// The fake stream holds one event: too few to read a page of 1000.
	cfg.Op, cfg.Setup = OpGetLogEvents, false
	if _, err := Run(context.Background(), cfg); err == nil || !strings.Contains(err.Error(), "holds 1 events, fewer than the 1000") {
		t.Fatalf("GetLogEvents on a stream of 1: %v", err)
	}
	cfg.Op, cfg.Setup, cfg.Fill, cfg.Page, cfg.Window = OpFilterLogEvents, true, 1, 1, 1
	res, err = Run(context.Background(), cfg)
	if err != nil || res.Errors != 3 || !strings.Contains(res.FirstError, "the same nextToken twice") || res.StreamEvents != 1 || res.FillEvents != 0 {
		t.Fatalf("%+v, %v", res, err)
	}
	cfg.Op, cfg.Page = OpGetLogEvents, 1
	res, err = Run(context.Background(), cfg)
	if err != nil || res.Errors != 0 || res.OK != 3 || res.EventsPerIteration != 1 || res.MatchedPerIteration != 1 {
		t.Fatalf("%+v, %v", res, err)
	}
}

func TestLogValidate(t *testing.T) {
	ok := Config{Endpoint: "http://127.0.0.1:1", Op: OpPutLogEvents, Clients: 8, Duration: time.Second, Region: "us-east-1", Account: "123456789012"}
	if err := ok.Validate(); err != nil {
		t.Fatal(err)
	}
	if ok.Batch != DefaultBatch || ok.EventSize != DefaultEventSize || ok.Fill != DefaultFill || ok.Page != DefaultPage || ok.Window != DefaultWindow {
		t.Fatalf("defaults not filled in: %+v", ok)
	}
	for name, edit := range map[string]func(*Config){
		"batch too big":        func(c *Config) { c.Batch = MaxBatchEvents + 1 },
		"negative batch":       func(c *Config) { c.Batch = -1 },
		"event too big":        func(c *Config) { c.EventSize = MaxEventSize + 1 },
		"batch over 1 MiB":     func(c *Config) { c.Batch, c.EventSize = 1000, 1024 },
		"bodies over the cap":  func(c *Config) { c.Clients, c.Batch, c.EventSize = 1024, 1, MaxEventSize },
		"fill over the cap":    func(c *Config) { c.Fill = MaxFill + 1 },
		"page over 10,000":     func(c *Config) { c.Page = MaxPage + 1 },
		"page over the fill":   func(c *Config) { c.Op, c.Fill, c.Page = OpGetLogEvents, 10, 11 },
		"window over the fill": func(c *Config) { c.Op, c.Fill, c.Window = OpFilterLogEvents, 10, 11 },
		"window over the cap":  func(c *Config) { c.Window = MaxFill + 1 },
		"pattern too long":     func(c *Config) { c.Pattern = strings.Repeat("x", MaxPattern+1) },
	} {
		c := ok
		c.Batch, c.EventSize, c.Fill, c.Page, c.Window = 0, 0, 0, 0, 0
		edit(&c)
		if err := c.Validate(); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
