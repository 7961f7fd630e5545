package loadgen

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"
)

// The log-event operations.
const (
	// OpPutLogEvents puts one batch of Batch events to the client's own
	// stream per iteration.
	OpPutLogEvents = "PutLogEvents"
	// OpGetLogEvents reads one page of Page events, forwards from a
	// startTime somewhere in the filled stream, per iteration.
	OpGetLogEvents = "GetLogEvents"
	// OpFilterLogEvents reads a window of Window consecutive events of the
	// filled stream through a filter pattern, following nextToken to the
	// end, per iteration.
	OpFilterLogEvents = "FilterLogEvents"
)

// Names of what the log-event operations create.
const (
	// LogGroupName is the group PutLogEvents writes to, one stream per
	// client: LogStreamPrefix<client>.
	LogGroupName    = "bench-logs"
	LogStreamPrefix = "bench-stream-"
	// ReadGroupName and ReadStreamName are the stream the read operations
	// fill once and then read.
	ReadGroupName  = "bench-read"
	ReadStreamName = "s"
)

// Defaults and bounds of the log-event settings.
const (
	DefaultBatch     = 1000
	DefaultEventSize = 200
	DefaultFill      = 1_000_000
	DefaultPage      = 1000
	DefaultWindow    = 10_000
	// DefaultPattern is the FilterLogEvents pattern of the CLI: a JSON
	// condition one filled event in 2000 meets.
	DefaultPattern = `{ $.status = 500 }`

	// MaxBatchEvents and MaxBatchBytes are PutLogEvents' limits: events a
	// batch holds, and bytes it holds counting each message's UTF-8 bytes
	// plus EventOverhead.
	MaxBatchEvents = 10_000
	MaxBatchBytes  = 1_048_576
	EventOverhead  = 26
	// MaxEventSize is the largest message of one event.
	MaxEventSize = MaxBatchBytes - EventOverhead
	// MaxFill caps the events the read operations fill their stream with.
	MaxFill = 10_000_000
	// MaxPage is GetLogEvents' largest limit.
	MaxPage = 10_000
	// MaxPattern is the longest filter pattern AWS accepts.
	MaxPattern = 1024
	// maxPutMemory caps the prebuilt PutLogEvents bodies of all clients.
	maxPutMemory = 512 << 20
	// maxFilterPages bounds the pages of one FilterLogEvents iteration.
	maxFilterPages = 10_000
)

// fillSpacing is the time between two filled events, and fillAge how long
// before the setup the first one is stamped: a million events span about
// 17 minutes, all between three hours and two hours and 43 minutes old.
const (
	fillSpacing = time.Millisecond
	fillAge     = 3 * time.Hour
	// putHistory is how far back the first batch a client puts reaches.
	putHistory = time.Hour
)

// tsDigits is the width of every timestamp a PutLogEvents body holds, so
// that a new one is written over the old in place: milliseconds since the
// epoch have 13 digits from 2001 to 2286.
const tsDigits = 13

// putBatch is one client's PutLogEvents body: its messages are built once,
// and each iteration rewrites its timestamps in place.
type putBatch struct {
	data []byte
	ts   []int // offset of each event's timestamp digits in data
	// msgBytes is the total size of the messages.
	msgBytes int64
}

// newPutBatch builds the body of n events of size bytes each for stream,
// with messages drawn from rng.
func newPutBatch(stream string, n, size int, rng *rand.Rand) *putBatch {
	b := &putBatch{ts: make([]int, n), msgBytes: int64(n) * int64(size)}
	data := make([]byte, 0, 96+len(stream)+n*(size+40))
	data = append(data, `{"logGroupName":"`+LogGroupName+`","logStreamName":"`...)
	data = append(data, stream...)
	data = append(data, `","logEvents":[`...)
	line := make([]byte, 0, size+64)
	for i := range n {
		if i > 0 {
			data = append(data, ',')
		}
		data = append(data, `{"timestamp":`...)
		b.ts[i] = len(data)
		data = append(data, "0000000000000"...)
		data = append(data, `,"message":"`...)
		line = appendLogLine(line[:0], size, rng)
		data = append(data, line...) // printable ASCII without '"' or '\': no escaping
		data = append(data, `"}`...)
	}
	b.data = append(data, "]}"...)
	return b
}

// stamp gives the batch's events timestamps from just after last (the
// newest timestamp this stream was given, 0 for none: then an hour ago) to
// now, non-decreasing, so that a stream's events arrive in order as an
// agent would send them. It returns the newest.
func (b *putBatch) stamp(last, now int64) (int64, error) {
	if last == 0 {
		last = now - putHistory.Milliseconds()
	}
	lo := min(last+1, now)
	n := int64(len(b.ts))
	for i, off := range b.ts {
		ts := now
		if n > 1 {
			ts = lo + (now-lo)*int64(i)/(n-1)
		}
		if ts < 1e12 || ts >= 1e13 {
			return 0, fmt.Errorf("timestamp %d does not have %d digits", ts, tsDigits)
		}
		for p := off + tsDigits - 1; p >= off; p-- {
			b.data[p] = byte('0' + ts%10)
			ts /= 10
		}
	}
	return now, nil
}

var (
	logLevels  = []string{"INFO", "INFO", "INFO", "INFO", "INFO", "INFO", "INFO", "DEBUG", "WARN", "ERROR"}
	logMethods = []string{"GET", "GET", "GET", "POST", "PUT", "DELETE"}
	logPaths   = []string{"/api/v1/orders/", "/api/v1/users/", "/api/v1/items/", "/api/v1/cart/", "/api/v1/search?q=", "/healthz?probe="}
	logStatus  = []int{200, 200, 200, 200, 200, 201, 204, 304, 400, 404, 500}
	logAgents  = []string{"Mozilla/5.0 (X11; Linux x86_64)", "curl/8.5.0", "aws-sdk-go-v2/1.30.3", "python-requests/2.32.3", "Go-http-client/1.1"}
	logExtras  = []string{"cache=", "db_ms=", "queue_ms=", "retries=", "shard=", "bytes_in=", "conn=", "span=", "tenant=t", "az=us-east-1"}
)

// appendLogLine appends a log line of exactly size bytes, printable ASCII
// without '"' or '\': the shape of an access log line of a web service,
// extended with key=value fields or cut to fit.
func appendLogLine(b []byte, size int, rng *rand.Rand) []byte {
	start := len(b)
	b = append(b, logLevels[rng.IntN(len(logLevels))]...)
	b = append(b, " [api-"...)
	b = strconv.AppendInt(b, int64(rng.IntN(16)), 10)
	b = append(b, "] 10.0."...)
	b = strconv.AppendInt(b, int64(rng.IntN(256)), 10)
	b = append(b, '.')
	b = strconv.AppendInt(b, int64(1+rng.IntN(254)), 10)
	b = append(b, ' ')
	b = append(b, logMethods[rng.IntN(len(logMethods))]...)
	b = append(b, ' ')
	b = append(b, logPaths[rng.IntN(len(logPaths))]...)
	b = strconv.AppendInt(b, int64(rng.IntN(100_000)), 10)
	b = append(b, ' ')
	b = strconv.AppendInt(b, int64(logStatus[rng.IntN(len(logStatus))]), 10)
	b = append(b, ' ')
	b = strconv.AppendInt(b, int64(1+rng.IntN(rng.IntN(2000)+1)), 10)
	b = append(b, "ms req="...)
	b = fmt.Appendf(b, "%016x", rng.Uint64())
	b = append(b, " user=u"...)
	b = strconv.AppendInt(b, int64(rng.IntN(10_000)), 10)
	b = append(b, " bytes="...)
	b = strconv.AppendInt(b, int64(rng.IntN(65_536)), 10)
	b = append(b, " ua="...)
	b = append(b, logAgents[rng.IntN(len(logAgents))]...)
	for len(b)-start < size {
		b = append(b, ' ')
		b = append(b, logExtras[rng.IntN(len(logExtras))]...)
		b = strconv.AppendInt(b, int64(rng.IntN(1000)), 10)
	}
	return b[:start+size]
}

// Filled events: event i of the read stream has timestamp base+i ms and
// message fillMessage(i). Even events are JSON lines, odd ones text lines;
// one JSON line in 1000 has status 500 (i%2000 == 0) and one text line in
// 1000 is an [ERROR] line (i%2000 == 1): a window of 10,000 consecutive
// events holds 5 of each.
var fillPaths = []string{"/api/orders", "/api/users", "/api/items", "/api/cart", "/api/login", "/api/search"}

// appendFillMessage appends the message of filled event i, unescaped.
func appendFillMessage(b []byte, i int64) []byte {
	h := uint64(i) * 0x9E3779B97F4A7C15
	latency := int64(1 + h>>32%250)
	path := fillPaths[h>>16%uint64(len(fillPaths))]
	status := int64(200)
	if i%2 == 0 {
		if i%2000 == 0 {
			status, latency = 500, 500+latency
		}
		b = append(b, `{"status":`...)
		b = strconv.AppendInt(b, status, 10)
		b = append(b, `,"latency":`...)
		b = strconv.AppendInt(b, latency, 10)
		b = append(b, `,"path":"`...)
		b = append(b, path...)
		b = append(b, `","user":"u`...)
		b = strconv.AppendInt(b, int64(h>>40%10_000), 10)
		return append(b, `"}`...)
	}
	level, method := "[INFO] ", "GET "
	if i%2000 == 1 {
		level, status, latency = "[ERROR] ", 500, 500+latency
	}
	if h>>8%4 == 0 {
		method = "POST "
	}
	b = append(b, level...)
	b = append(b, method...)
	b = append(b, path...)
	b = append(b, ' ')
	b = strconv.AppendInt(b, status, 10)
	b = append(b, ' ')
	b = strconv.AppendInt(b, latency, 10)
	return append(b, "ms"...)
}

// appendJSONString appends s as a JSON string: the messages of filled
// events hold quotes.
func appendJSONString(b []byte, s []byte) []byte {
	b = append(b, '"')
	for _, c := range s {
		switch {
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
		case c < 0x20:
			b = fmt.Appendf(b, `\u%04x`, c)
		default:
			b = append(b, c)
		}
	}
	return append(b, '"')
}

// appendFillBody appends the PutLogEvents body of filled events from, from+1
// … up to to (excluded) or as many as fit in one batch, and returns the
// index of the first event left out.
func appendFillBody(b []byte, base, from, to int64) ([]byte, int64) {
	b = append(b, `{"logGroupName":"`+ReadGroupName+`","logStreamName":"`+ReadStreamName+`","logEvents":[`...)
	var msg []byte
	size := 0
	i := from
	for ; i < to && i-from < MaxBatchEvents; i++ {
		msg = appendFillMessage(msg[:0], i)
		if size += len(msg) + EventOverhead; size > MaxBatchBytes {
			break
		}
		if i > from {
			b = append(b, ',')
		}
		b = append(b, `{"timestamp":`...)
		b = strconv.AppendInt(b, base+i*fillSpacing.Milliseconds(), 10)
		b = append(b, `,"message":`...)
		b = appendJSONString(b, msg)
		b = append(b, '}')
	}
	return append(b, "]}"...), i
}

// appendGetBody appends a GetLogEvents body: limit events of the read
// stream forwards from start.
func appendGetBody(b []byte, start int64, limit int) []byte {
	b = append(b, `{"logGroupName":"`+ReadGroupName+`","logStreamName":"`+ReadStreamName+`","startFromHead":true,"limit":`...)
	b = strconv.AppendInt(b, int64(limit), 10)
	b = append(b, `,"startTime":`...)
	b = strconv.AppendInt(b, start, 10)
	return append(b, '}')
}

// appendFilterBody appends a FilterLogEvents body over the read group from
// start to end (both included: FilterLogEvents' endTime is inclusive),
// with pattern (a JSON string) and, if not nil, token (the raw JSON string
// of the previous page's nextToken).
func appendFilterBody(b []byte, start, end int64, pattern, token []byte) []byte {
	b = append(b, `{"logGroupName":"`+ReadGroupName+`","startTime":`...)
	b = strconv.AppendInt(b, start, 10)
	b = append(b, `,"endTime":`...)
	b = strconv.AppendInt(b, end, 10)
	b = append(b, `,"filterPattern":`...)
	b = append(b, pattern...)
	if token != nil {
		b = append(b, `,"nextToken":`...)
		b = append(b, token...)
	}
	return append(b, '}')
}

// offset picks iteration seq's starting event among n possible ones:
// spread over the whole range (Fibonacci hashing), a different one each
// time, so that successive iterations read different parts of the stream.
func offset(seq uint64, n int64) int64 {
	if n <= 1 {
		return 0
	}
	return int64((seq * 0x9E3779B97F4A7C15 >> 1) % uint64(n))
}

// answer is what the load generator reads in a log-event answer.
type answer struct {
	// events is the number of elements of "events", and firstTS the
	// "timestamp" of the first (when events > 0).
	events  int
	firstTS int64
	// token is the raw JSON string of "nextToken", nil when absent or null.
	token []byte
	// rejected is the raw "rejectedLogEventsInfo", nil when absent or null.
	rejected []byte
}

var errJSON = errors.New("malformed JSON answer")

// parseAnswer reads the top level of a JSON object answer, skipping what it
// does not need without decoding it. Of a key given twice, the last counts.
func parseAnswer(b []byte) (answer, error) {
	var a answer
	err := eachMember(b, func(key, val []byte) error {
		switch string(key) {
		case `"events"`:
			a.events, a.firstTS = 0, 0
			if string(val) == "null" {
				return nil
			}
			first := true
			return eachElement(val, func(ev []byte) error {
				a.events++
				if !first {
					return nil
				}
				first = false
				return eachMember(ev, func(k, v []byte) error {
					if string(k) != `"timestamp"` {
						return nil
					}
					n, err := strconv.ParseInt(string(v), 10, 64)
					if err != nil {
						return fmt.Errorf("%w: timestamp %s", errJSON, truncate(v, 40))
					}
					a.firstTS = n
					return nil
				})
			})
		case `"nextToken"`:
			a.token = nil
			if string(val) != "null" {
				if val[0] != '"' {
					return fmt.Errorf("%w: nextToken %s", errJSON, truncate(val, 40))
				}
				a.token = val
			}
		case `"rejectedLogEventsInfo"`:
			a.rejected = nil
			if string(val) != "null" {
				a.rejected = val
			}
		}
		return nil
	})
	return a, err
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// skipString returns the index just past the string starting at b[i] == '"'.
func skipString(b []byte, i int) (int, error) {
	j := i + 1
	for {
		k := bytes.IndexByte(b[j:], '"')
		if k < 0 {
			return 0, errJSON
		}
		end := j + k
		slashes := 0
		for p := end - 1; p > i && b[p] == '\\'; p-- {
			slashes++
		}
		if slashes%2 == 0 {
			return end + 1, nil
		}
		j = end + 1
	}
}

// skipValue returns the index just past the value starting at b[i].
func skipValue(b []byte, i int) (int, error) {
	if i >= len(b) {
		return 0, errJSON
	}
	switch b[i] {
	case '"':
		return skipString(b, i)
	case '{', '[':
		depth := 0
		for i < len(b) {
			switch b[i] {
			case '"':
				end, err := skipString(b, i)
				if err != nil {
					return 0, err
				}
				i = end
				continue
			case '{', '[':
				depth++
			case '}', ']':
				if depth--; depth == 0 {
					return i + 1, nil
				}
			}
			i++
		}
		return 0, errJSON
	default: // number, true, false, null
		j := i
		for j < len(b) && b[j] != ',' && b[j] != '}' && b[j] != ']' && b[j] != ' ' && b[j] != '\t' && b[j] != '\n' && b[j] != '\r' {
			j++
		}
		if j == i {
			return 0, errJSON
		}
		return j, nil
	}
}

// eachMember calls fn with the raw key (quotes included) and raw value of
// each member of the object b, stopping at fn's first error.
func eachMember(b []byte, fn func(key, val []byte) error) error {
	i := skipSpace(b, 0)
	if i >= len(b) || b[i] != '{' {
		return fmt.Errorf("%w: not an object: %s", errJSON, truncate(b, 80))
	}
	i = skipSpace(b, i+1)
	if i < len(b) && b[i] == '}' {
		return nil
	}
	for {
		if i >= len(b) || b[i] != '"' {
			return errJSON
		}
		end, err := skipString(b, i)
		if err != nil {
			return err
		}
		key := b[i:end]
		i = skipSpace(b, end)
		if i >= len(b) || b[i] != ':' {
			return errJSON
		}
		i = skipSpace(b, i+1)
		end, err = skipValue(b, i)
		if err != nil {
			return err
		}
		if err := fn(key, b[i:end]); err != nil {
			return err
		}
		i = skipSpace(b, end)
		if i >= len(b) {
			return errJSON
		}
		if b[i] == '}' {
			return nil
		}
		if b[i] != ',' {
			return errJSON
		}
		i = skipSpace(b, i+1)
	}
}

// eachElement calls fn with each raw element of the array b.
func eachElement(b []byte, fn func(val []byte) error) error {
	if len(b) == 0 || b[0] != '[' {
		return fmt.Errorf("%w: not an array: %s", errJSON, truncate(b, 80))
	}
	i := skipSpace(b, 1)
	if i < len(b) && b[i] == ']' {
		return nil
	}
	for {
		end, err := skipValue(b, i)
		if err != nil {
			return err
		}
		if err := fn(b[i:end]); err != nil {
			return err
		}
		i = skipSpace(b, end)
		if i >= len(b) {
			return errJSON
		}
		if b[i] == ']' {
			return nil
		}
		if b[i] != ',' {
			return errJSON
		}
		i = skipSpace(b, i+1)
	}
}

// readRange is the filled stream as the read operations see it: count
// events, one a millisecond from first.
type readRange struct{ first, count int64 }

// fillStats is what the setup of a read operation put.
type fillStats struct {
	events int64
	took   time.Duration
}

// setupPut creates the group and each client's stream.
func (s *setupClient) setupPut(ctx context.Context, clients int) error {
	if err := s.createExisting(ctx, "CreateLogGroup", map[string]string{"logGroupName": LogGroupName}); err != nil {
		return err
	}
	for i := range clients {
		if err := s.createExisting(ctx, "CreateLogStream", map[string]string{"logGroupName": LogGroupName, "logStreamName": putStream(i)}); err != nil {
			return err
		}
	}
	return nil
}

func putStream(client int) string { return LogStreamPrefix + strconv.Itoa(client) }

// createExisting calls a create operation, content if what it creates
// exists already.
func (s *setupClient) createExisting(ctx context.Context, op string, in any) error {
	err := s.call(ctx, op, in)
	var se *statusError
	if errors.As(err, &se) && bytes.Contains([]byte(se.body), []byte("ResourceAlreadyExistsException")) {
		return nil
	}
	return err
}

// setupRead creates the read stream and fills it with fill events, unless
// it holds some already: then it completes an interrupted fill, or leaves
// a complete one as it is.
func (s *setupClient) setupRead(ctx context.Context, fill int64) (fillStats, error) {
	var st fillStats
	if err := s.createExisting(ctx, "CreateLogGroup", map[string]string{"logGroupName": ReadGroupName}); err != nil {
		return st, err
	}
	if err := s.createExisting(ctx, "CreateLogStream", map[string]string{"logGroupName": ReadGroupName, "logStreamName": ReadStreamName}); err != nil {
		return st, err
	}
	rr, err := s.readRange(ctx)
	if err != nil {
		return st, err
	}
	base, from := time.Now().Add(-fillAge).UnixMilli(), int64(0)
	if rr.count > 0 {
		if rr.count > fill {
			return st, fmt.Errorf("%s/%s holds %d events already, more than the %d to fill: give --fill %d, or start from an empty server", ReadGroupName, ReadStreamName, rr.count, fill, rr.count)
		}
		base, from = rr.first, rr.count
	}
	start := time.Now()
	var b []byte
	for from < fill {
		var next int64
		b, next = appendFillBody(b[:0], base, from, fill)
		if err := s.c.call(ctx, &s.buf, targetPrefix+OpPutLogEvents, b); err != nil {
			return st, fmt.Errorf("filling %s/%s, events %d on: %w", ReadGroupName, ReadStreamName, from, err)
		}
		a, err := parseAnswer(s.buf.Bytes())
		if err != nil {
			return st, fmt.Errorf("filling %s/%s: %s: %w", ReadGroupName, ReadStreamName, OpPutLogEvents, err)
		}
		if a.rejected != nil {
			return st, fmt.Errorf("filling %s/%s, events %d on: rejected: %s", ReadGroupName, ReadStreamName, from, truncate(a.rejected, errorBodyMax))
		}
		st.events += next - from
		from = next
	}
	st.took = time.Since(start)
	return st, nil
}

// readRange finds the first and last event of the read stream, each with a
// GetLogEvents of limit 1.
func (s *setupClient) readRange(ctx context.Context) (readRange, error) {
	edge := func(head bool) (answer, error) {
		in := map[string]any{"logGroupName": ReadGroupName, "logStreamName": ReadStreamName, "limit": 1, "startFromHead": head}
		if err := s.call(ctx, OpGetLogEvents, in); err != nil {
			return answer{}, err
		}
		a, err := parseAnswer(s.buf.Bytes())
		if err != nil {
			return a, fmt.Errorf("%s: %w", OpGetLogEvents, err)
		}
		return a, nil
	}
	first, err := edge(true)
	if err != nil || first.events == 0 {
		return readRange{}, err
	}
	last, err := edge(false)
	if err != nil {
		return readRange{}, err
	}
	if last.events == 0 || last.firstTS < first.firstTS {
		return readRange{}, fmt.Errorf("%s/%s: first event at %d, last %v at %d", ReadGroupName, ReadStreamName, first.firstTS, last.events, last.firstTS)
	}
	return readRange{first: first.firstTS, count: (last.firstTS-first.firstTS)/fillSpacing.Milliseconds() + 1}, nil
}

// patternJSON is the pattern as a JSON string.
func patternJSON(p string) []byte {
	b, _ := json.Marshal(p)
	return b
}

// putLogEvents puts this client's batch, stamped afresh: the body changes
// every time, so it is hashed and signed every time.
func (w *worker) putLogEvents(ctx context.Context) bool {
	r := w.r
	last, err := w.batch.stamp(w.lastTS, time.Now().UnixMilli())
	if err != nil {
		return w.fail(err)
	}
	w.lastTS = last
	data := w.batch.data
	if !w.send(ctx, r.target.putLogs, data, w.hashOf(data), nil) {
		return false
	}
	a, err := parseAnswer(w.buf.Bytes())
	if err != nil {
		return w.fail(fmt.Errorf("%s: %w", r.target.putLogs, err))
	}
	if a.rejected != nil {
		return w.fail(fmt.Errorf("%s: events rejected: %s", r.target.putLogs, truncate(a.rejected, errorBodyMax)))
	}
	return true
}

// getLogEvents reads one page forwards from a startTime that changes every
// iteration, and checks it is full.
func (w *worker) getLogEvents(ctx context.Context, seq uint64) bool {
	r := w.r
	page := int64(r.cfg.Page)
	start := r.read.first + offset(seq, r.read.count-page+1)*fillSpacing.Milliseconds()
	w.scratch = appendGetBody(w.scratch[:0], start, r.cfg.Page)
	if !w.send(ctx, r.target.getLogs, w.scratch, w.hashScratch(), nil) {
		return false
	}
	a, err := parseAnswer(w.buf.Bytes())
	if err != nil {
		return w.fail(fmt.Errorf("%s: %w", r.target.getLogs, err))
	}
	if int64(a.events) != page || a.firstTS != start {
		return w.fail(fmt.Errorf("%s from %d: %d events from %d, want %d from %d", r.target.getLogs, start, a.events, a.firstTS, page, start))
	}
	if w.record {
		w.matched += int64(a.events)
		w.pages++
	}
	return true
}

// filterLogEvents searches a window of consecutive events that changes
// every iteration, following nextToken until the answer has none.
func (w *worker) filterLogEvents(ctx context.Context, seq uint64) bool {
	r := w.r
	start := r.read.first + offset(seq, r.read.count-r.cfg.Window+1)*fillSpacing.Milliseconds()
	end := start + (r.cfg.Window-1)*fillSpacing.Milliseconds()
	var matched, pages int64
	w.token = w.token[:0]
	for {
		var token []byte
		if pages > 0 {
			token = w.token
		}
		w.scratch = appendFilterBody(w.scratch[:0], start, end, r.pattern, token)
		if !w.send(ctx, r.target.filterLogs, w.scratch, w.hashScratch(), nil) {
			return false
		}
		pages++
		a, err := parseAnswer(w.buf.Bytes())
		if err != nil {
			return w.fail(fmt.Errorf("%s: %w", r.target.filterLogs, err))
		}
		matched += int64(a.events)
		if a.token == nil {
			break
		}
		if pages > 1 && bytes.Equal(a.token, w.token) {
			return w.fail(fmt.Errorf("%s: the same nextToken twice in a row: %s", r.target.filterLogs, truncate(a.token, 80)))
		}
		if pages == maxFilterPages {
			return w.fail(fmt.Errorf("%s: still a nextToken after %d pages", r.target.filterLogs, pages))
		}
		w.token = append(w.token[:0], a.token...)
	}
	if w.record {
		w.matched += matched
		w.pages += pages
	}
	return true
}

// logFigures adds the log-event figures to a run's result.
func (r *runner) logFigures(res *Result, elapsed time.Duration, matched, pages int64) {
	var per int64
	switch r.cfg.Op {
	case OpPutLogEvents:
		per = int64(r.cfg.Batch)
		res.EventSize = r.cfg.EventSize
		if elapsed > 0 {
			res.MBPerS = float64(res.OK) * float64(per) * float64(r.cfg.EventSize) / elapsed.Seconds() / 1e6
		}
	case OpGetLogEvents:
		per = int64(r.cfg.Page)
	case OpFilterLogEvents:
		per = r.cfg.Window
		res.Pattern = &r.cfg.Pattern
	default:
		return
	}
	res.EventsPerIteration = per
	if elapsed > 0 {
		res.EventsPerS = float64(res.OK) * float64(per) / elapsed.Seconds()
	}
	if r.cfg.Op != OpPutLogEvents {
		if res.OK > 0 {
			res.MatchedPerIteration = float64(matched) / float64(res.OK)
			res.PagesPerIteration = float64(pages) / float64(res.OK)
		}
		res.StreamEvents = r.read.count
		res.FillEvents = r.filled.events
		res.FillS = r.filled.took.Seconds()
	}
}
