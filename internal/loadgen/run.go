package loadgen

import (
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"regexp"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/cwlogd/cwlogd/internal/model"
)

// The operations a run can drive.
const (
	OpGetDeliverySource = "GetDeliverySource"
	OpPutDeliverySource = "PutDeliverySource"
	// OpCreateDeleteDelivery is CreateDelivery then DeleteDelivery of the
	// delivery just created, measured as one iteration.
	OpCreateDeleteDelivery = "CreateDeleteDelivery"
	OpDescribeDeliveries   = "DescribeDeliveries"
)

// Ops lists the operations a run can drive.
var Ops = []string{OpGetDeliverySource, OpPutDeliverySource, OpCreateDeleteDelivery, OpDescribeDeliveries,
	OpPutLogEvents, OpGetLogEvents, OpFilterLogEvents}

// Bounds of a run.
const (
	// MaxDuration caps the measured part of every run, including one bounded
	// by a request count.
	MaxDuration = 10 * time.Minute
	// MaxWarmup caps the warm-up.
	MaxWarmup = time.Minute
	// MaxClients caps the number of concurrent clients.
	MaxClients = 1024
	// MaxNames caps the set of names PutDeliverySource cycles over.
	MaxNames = 100_000
)

// Names of what a run creates.
const (
	SourceName      = "bench-src"
	DestinationName = "bench-dst"
	putPrefix       = "bench-put-"
	cddPrefix       = "bench-cdd-"
	bucketArn       = "arn:aws:s3:::cwlogd-bench"
)

const (
	targetPrefix = "Logs_20140328."
	contentType  = "application/x-amz-json-1.1"
	signingName  = "logs"
	// errorBodyMax caps the error body kept in a Result.
	errorBodyMax = 512
	// maxPutSigs caps the signatures of the PutDeliverySource cycle cached
	// over all clients.
	maxPutSigs = 1 << 16
)

// Config describes one run.
type Config struct {
	// Endpoint is the server's URL, http://HOST:PORT with a loopback host.
	Endpoint string
	// Op is one of Ops.
	Op string
	// Clients is the number of concurrent clients, each with its own
	// keep-alive connection.
	Clients int
	// Requests, when positive, ends the run after that many measured
	// iterations (or MaxDuration, whichever comes first).
	Requests int64
	// Duration is how long to measure when Requests is 0 (at most
	// MaxDuration).
	Duration time.Duration
	// Warmup runs the load before measuring, for this long, unrecorded.
	Warmup time.Duration
	// Region and Account sign the requests; Account is the access key id,
	// a 12-digit account id.
	Region, Account string
	// SecretKey is the secret they are signed with (default
	// DefaultSecretKey): a server with --auth strict must know it.
	SecretKey string
	// Setup creates what Op needs before the run.
	Setup bool
	// Names is how many names PutDeliverySource cycles over (default 100).
	Names int
	// Distinct makes PutDeliverySource use a new name for every request.
	Distinct bool
	// First is the number of the first distinct name (bench-put-<First>,
	// then up), so that successive runs against one server create new
	// sources instead of overwriting those of the runs before.
	First int64
	// Timeout bounds the wait for one answer (default 30 s).
	Timeout time.Duration

	// Batch is the number of events of one PutLogEvents (default
	// DefaultBatch), EventSize the bytes of each message (default
	// DefaultEventSize).
	Batch, EventSize int
	// Fill is the number of events GetLogEvents and FilterLogEvents fill
	// their stream with (default DefaultFill).
	Fill int64
	// Page is the limit of one GetLogEvents (default DefaultPage).
	Page int
	// Window is the number of consecutive events one FilterLogEvents
	// iteration searches (default DefaultWindow).
	Window int64
	// Pattern is FilterLogEvents' filter pattern; empty matches every
	// event (the CLI's default is DefaultPattern).
	Pattern string
}

// Result is what a run measured. Latencies are of every measured iteration,
// failed ones included.
type Result struct {
	Op       string `json:"op"`
	Endpoint string `json:"endpoint"`
	Clients  int    `json:"clients"`
	// Requests is the number of measured iterations, OK the successful ones
	// and Errors the others (a non-2xx answer or a transport error).
	Requests   int64   `json:"requests"`
	OK         int64   `json:"ok"`
	Errors     int64   `json:"errors"`
	FirstError string  `json:"first_error,omitempty"`
	WarmupS    float64 `json:"warmup_s"`
	ElapsedS   float64 `json:"elapsed_s"`
	RPS        float64 `json:"requests_per_s"`
	P50ms      float64 `json:"p50_ms"`
	P90ms      float64 `json:"p90_ms"`
	P99ms      float64 `json:"p99_ms"`
	MaxMs      float64 `json:"max_ms"`
	// Stopped says why a run ended before its bound, if it did.
	Stopped string `json:"stopped,omitempty"`

	// Log-event operations. EventsPerIteration is the events one iteration
	// puts (PutLogEvents), reads (GetLogEvents) or searches
	// (FilterLogEvents), and EventsPerS that times the successful
	// iterations per second: events put, read or scanned per second.
	EventsPerIteration int64   `json:"events_per_iteration,omitempty"`
	EventsPerS         float64 `json:"events_per_s,omitempty"`
	// MBPerS is the message bytes PutLogEvents put per second, in 10^6.
	MBPerS float64 `json:"mb_per_s,omitempty"`
	// EventSize is the bytes of each message PutLogEvents puts.
	EventSize int `json:"event_size,omitempty"`
	// Pattern is FilterLogEvents' filter pattern, MatchedPerIteration the
	// events its successful iterations returned on average and
	// PagesPerIteration the requests they took.
	Pattern             *string `json:"pattern,omitempty"`
	MatchedPerIteration float64 `json:"matched_per_iteration,omitempty"`
	PagesPerIteration   float64 `json:"pages_per_iteration,omitempty"`
	// StreamEvents is the number of events in the stream GetLogEvents and
	// FilterLogEvents read; FillEvents of them the setup put, in FillS
	// seconds (0 when the stream was full already).
	StreamEvents int64   `json:"stream_events,omitempty"`
	FillEvents   int64   `json:"fill_events,omitempty"`
	FillS        float64 `json:"fill_s,omitempty"`
}

var regionPattern = regexp.MustCompile(`^[a-z]{2}(-[a-z0-9]+)+-\d+$`)

// Validate checks c and fills in defaults.
func (c *Config) Validate() error {
	var errs []error
	if _, err := CheckEndpoint(c.Endpoint); err != nil {
		errs = append(errs, err)
	}
	known := false
	for _, op := range Ops {
		known = known || c.Op == op
	}
	if !known {
		errs = append(errs, fmt.Errorf("op %q: want one of %v", c.Op, Ops))
	}
	if c.Clients < 1 || c.Clients > MaxClients {
		errs = append(errs, fmt.Errorf("clients %d: want 1 to %d", c.Clients, MaxClients))
	}
	if c.Requests < 0 {
		errs = append(errs, fmt.Errorf("requests %d: must not be negative", c.Requests))
	}
	if c.Requests == 0 && (c.Duration <= 0 || c.Duration > MaxDuration) {
		errs = append(errs, fmt.Errorf("duration %s: want more than 0 and at most %s", c.Duration, MaxDuration))
	}
	if c.Warmup < 0 || c.Warmup > MaxWarmup {
		errs = append(errs, fmt.Errorf("warmup %s: want 0 to %s", c.Warmup, MaxWarmup))
	}
	if !regionPattern.MatchString(c.Region) {
		errs = append(errs, fmt.Errorf("region %q: want a region name such as us-east-1", c.Region))
	}
	if !model.IsAccountID(c.Account) {
		errs = append(errs, fmt.Errorf("account %q: want a 12-digit account id", c.Account))
	}
	if c.Names == 0 {
		c.Names = 100
	}
	if c.Names < 1 || c.Names > MaxNames {
		errs = append(errs, fmt.Errorf("names %d: want 1 to %d", c.Names, MaxNames))
	}
	if c.Distinct && c.Op != OpPutDeliverySource {
		errs = append(errs, fmt.Errorf("distinct: only for %s", OpPutDeliverySource))
	}
	if c.First < 0 {
		errs = append(errs, fmt.Errorf("first %d: must not be negative", c.First))
	} else if c.First > 0 && !c.Distinct {
		errs = append(errs, fmt.Errorf("first: only with distinct"))
	}
	if c.Timeout == 0 {
		c.Timeout = 30 * time.Second
	}
	if c.Timeout < 0 {
		errs = append(errs, fmt.Errorf("timeout %s: must be positive", c.Timeout))
	}
	errs = append(errs, c.validateLogs()...)
	return errors.Join(errs...)
}

// validateLogs checks and fills in the log-event settings.
func (c *Config) validateLogs() []error {
	var errs []error
	c.Batch = cmp.Or(c.Batch, DefaultBatch)
	c.EventSize = cmp.Or(c.EventSize, DefaultEventSize)
	c.Fill = cmp.Or(c.Fill, DefaultFill)
	c.Page = cmp.Or(c.Page, DefaultPage)
	c.Window = cmp.Or(c.Window, DefaultWindow)
	if c.Batch < 1 || c.Batch > MaxBatchEvents {
		errs = append(errs, fmt.Errorf("batch %d: want 1 to %d events", c.Batch, MaxBatchEvents))
	}
	if c.EventSize < 1 || c.EventSize > MaxEventSize {
		errs = append(errs, fmt.Errorf("event size %d: want 1 to %d bytes", c.EventSize, MaxEventSize))
	} else if n := int64(c.Batch) * int64(c.EventSize+EventOverhead); n > MaxBatchBytes {
		errs = append(errs, fmt.Errorf("batch %d × (event size %d + %d): %d bytes, more than the %d a PutLogEvents may hold", c.Batch, c.EventSize, EventOverhead, n, MaxBatchBytes))
	} else if c.Op == OpPutLogEvents && int64(c.Clients)*n > maxPutMemory {
		errs = append(errs, fmt.Errorf("clients %d × a batch of %d bytes: more than %d MiB of bodies", c.Clients, n, maxPutMemory>>20))
	}
	if c.Fill < 1 || c.Fill > MaxFill {
		errs = append(errs, fmt.Errorf("fill %d: want 1 to %d events", c.Fill, MaxFill))
	}
	if c.Page < 1 || c.Page > MaxPage || c.Op == OpGetLogEvents && int64(c.Page) > c.Fill {
		errs = append(errs, fmt.Errorf("page %d: want 1 to %d events, and no more than fill (%d)", c.Page, MaxPage, c.Fill))
	}
	if c.Window < 1 || c.Window > MaxFill || c.Op == OpFilterLogEvents && c.Window > c.Fill {
		errs = append(errs, fmt.Errorf("window %d: want 1 to fill (%d) events", c.Window, c.Fill))
	}
	if len(c.Pattern) > MaxPattern {
		errs = append(errs, fmt.Errorf("pattern: %d bytes, more than %d", len(c.Pattern), MaxPattern))
	}
	return errs
}

// client sends signed requests to one endpoint.
type client struct {
	url    string
	http   *http.Client
	signer *v4.Signer
	creds  aws.Credentials
	region string
}

// DefaultSecretKey is the secret bench signs with unless told another.
const DefaultSecretKey = "cwlogd-bench"

func newClient(endpoint, region, account, secret string, conns int, timeout time.Duration) (*client, error) {
	u, err := CheckEndpoint(endpoint)
	if err != nil {
		return nil, err
	}
	tr := &http.Transport{
		Proxy:                 nil, // loopback only: never through a proxy
		DialContext:           (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:          conns + 1,
		MaxIdleConnsPerHost:   conns + 1,
		IdleConnTimeout:       90 * time.Second,
		ResponseHeaderTimeout: timeout,
		DisableCompression:    true,
		WriteBufferSize:       16 << 10,
		ReadBufferSize:        16 << 10,
	}
	return &client{
		url: u.String(),
		// No Client.Timeout, which costs a timer per request: the transport
		// bounds the wait for an answer and the run's context the rest.
		http: &http.Client{
			Transport:     tr,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
		signer: v4.NewSigner(),
		creds:  aws.Credentials{AccessKeyID: account, SecretAccessKey: secret, Source: "cwlogd bench"},
		region: region,
	}, nil
}

func (c *client) close() { c.http.CloseIdleConnections() }

// signed is the signed headers of one prebuilt request. A SigV4 signature
// only changes with its X-Amz-Date, to the second, so the same request sent
// again within that second reuses them instead of signing again.
type signed struct {
	sec    int64
	header http.Header // read-only once stored
}

// do sends one signed request and reads the whole answer into buf. target is
// the full X-Amz-Target value and hash the hex SHA-256 of body; sig, if not
// nil, caches the signed headers of this very target and body.
func (c *client) do(ctx context.Context, buf *bytes.Buffer, target string, body []byte, hash string, sig *signed) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	now := time.Now()
	if sig != nil && sig.header != nil && sig.sec == now.Unix() {
		req.Header = sig.header
	} else {
		req.Header.Set("Content-Type", contentType)
		req.Header.Set("X-Amz-Target", target)
		if err := c.signer.SignHTTP(ctx, c.creds, req, hash, signingName, c.region, now); err != nil {
			return 0, err
		}
		if sig != nil {
			sig.sec, sig.header = now.Unix(), req.Header
		}
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, err
	}
	buf.Reset()
	_, err = buf.ReadFrom(resp.Body)
	resp.Body.Close()
	return resp.StatusCode, err
}

// call is do that turns a non-2xx answer into an error quoting its body.
func (c *client) call(ctx context.Context, buf *bytes.Buffer, target string, body []byte) error {
	status, err := c.do(ctx, buf, target, body, hashHex(body), nil)
	if err != nil {
		return fmt.Errorf("%s: %w", target, err)
	}
	if status/100 != 2 {
		return &statusError{target: target, status: status, body: truncate(buf.Bytes(), errorBodyMax)}
	}
	return nil
}

type statusError struct {
	target string
	status int
	body   string
}

func (e *statusError) Error() string {
	return fmt.Sprintf("%s: HTTP %d: %s", e.target, e.status, e.body)
}

func hashHex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func truncate(b []byte, n int) string {
	if len(b) > n {
		return string(b[:n]) + "…"
	}
	return string(b)
}

// body is a prebuilt request body and its payload hash.
type body struct {
	data []byte
	hash string
}

func newBody(s string) body { return body{data: []byte(s), hash: hashHex([]byte(s))} }

// runner holds what every client of one run shares.
type runner struct {
	cfg Config
	c   *client
	// seq numbers iterations across warm-up and measurement, so distinct
	// names never repeat within a run.
	seq atomic.Uint64

	get      body
	describe body
	puts     []body // the PutDeliverySource cycle
	creates  []body // CreateDelivery of each client's own source
	target   struct{ get, put, create, del, describe, putLogs, getLogs, filterLogs string }

	// The read stream of GetLogEvents and FilterLogEvents, what the setup
	// put in it and the FilterLogEvents pattern as a JSON string.
	read    readRange
	filled  fillStats
	pattern []byte
}

// worker is one client's loop state: reused buffers and its own histogram.
type worker struct {
	r       *runner
	id      int
	buf     bytes.Buffer
	scratch []byte
	hash    [sha256.Size * 2]byte

	// sig caches the signed headers of the single prebuilt request (Get,
	// Describe, this client's CreateDelivery); putSigs those of each name
	// of the PutDeliverySource cycle, when the cycle is small.
	sig     signed
	putSigs []signed

	// batch is this client's PutLogEvents body and lastTS the newest
	// timestamp it put; token holds a FilterLogEvents nextToken.
	batch  *putBatch
	lastTS int64
	token  []byte

	record     bool
	hist       Histogram
	n, errs    int64
	firstErr   string
	firstErrAt time.Time
	// matched and pages count the events returned and the requests of the
	// successful measured iterations of GetLogEvents and FilterLogEvents.
	matched, pages int64
}

// phase is one stretch of load: the warm-up or the measurement.
type phase struct {
	record   bool
	deadline time.Time
	tickets  *atomic.Int64 // nil: until the deadline
	limit    int64
}

// Run performs one bounded run and reports it. It returns an error when the
// configuration is invalid or setup fails; failed requests during the run
// are counted in the Result instead.
func Run(ctx context.Context, cfg Config) (*Result, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	secret := cfg.SecretKey
	if secret == "" {
		secret = DefaultSecretKey
	}
	c, err := newClient(cfg.Endpoint, cfg.Region, cfg.Account, secret, cfg.Clients, cfg.Timeout)
	if err != nil {
		return nil, err
	}
	defer c.close()
	r := &runner{cfg: cfg, c: c}
	r.prepare()
	if err := r.setup(ctx); err != nil {
		return nil, fmt.Errorf("setup for %s: %w", cfg.Op, err)
	}

	// In-flight requests may outlive the last deadline by one timeout.
	limit := cfg.Duration
	if cfg.Requests > 0 {
		limit = MaxDuration
	}
	runCtx, cancel := context.WithTimeout(ctx, cfg.Warmup+limit+cfg.Timeout)
	defer cancel()

	workers := make([]*worker, cfg.Clients)
	for i := range workers {
		workers[i] = &worker{r: r, id: i, scratch: make([]byte, 0, 512)}
		if n := len(r.puts); n > 0 && n*cfg.Clients <= maxPutSigs {
			workers[i].putSigs = make([]signed, n)
		}
		if cfg.Op == OpPutLogEvents {
			workers[i].batch = newPutBatch(putStream(i), cfg.Batch, cfg.EventSize, rand.New(rand.NewPCG(uint64(i), 0x6c6f6773)))
		}
	}
	if cfg.Warmup > 0 {
		r.runPhase(runCtx, workers, &phase{deadline: time.Now().Add(cfg.Warmup)})
	}
	res := &Result{Op: cfg.Op, Endpoint: c.url, Clients: cfg.Clients, WarmupS: cfg.Warmup.Seconds()}
	if err := ctx.Err(); err != nil {
		res.Stopped = "interrupted during warm-up"
		return res, nil
	}
	start := time.Now()
	p := &phase{record: true, deadline: start.Add(limit)}
	if cfg.Requests > 0 {
		p.tickets, p.limit = new(atomic.Int64), cfg.Requests
	}
	r.runPhase(runCtx, workers, p)
	elapsed := time.Since(start)

	var h Histogram
	var firstAt time.Time
	var matched, pages int64
	for _, w := range workers {
		h.Merge(&w.hist)
		res.Requests += w.n
		res.Errors += w.errs
		matched += w.matched
		pages += w.pages
		if w.firstErr != "" && (firstAt.IsZero() || w.firstErrAt.Before(firstAt)) {
			res.FirstError, firstAt = w.firstErr, w.firstErrAt
		}
	}
	res.OK = res.Requests - res.Errors
	res.ElapsedS = elapsed.Seconds()
	if elapsed > 0 {
		res.RPS = float64(res.Requests) / elapsed.Seconds()
	}
	r.logFigures(res, elapsed, matched, pages)
	res.P50ms = ms(h.Percentile(50))
	res.P90ms = ms(h.Percentile(90))
	res.P99ms = ms(h.Percentile(99))
	res.MaxMs = ms(h.Max())
	switch {
	case ctx.Err() != nil:
		res.Stopped = "interrupted"
	case runCtx.Err() != nil:
		res.Stopped = "hit the time cap"
	case cfg.Requests > 0 && res.Requests < cfg.Requests:
		res.Stopped = fmt.Sprintf("hit the %s cap before %d requests", MaxDuration, cfg.Requests)
	}
	return res, nil
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func (r *runner) runPhase(ctx context.Context, workers []*worker, p *phase) {
	var wg sync.WaitGroup
	for _, w := range workers {
		w.record = p.record
		wg.Add(1)
		go func() {
			defer wg.Done()
			w.loop(ctx, p)
		}()
	}
	wg.Wait()
}

func (w *worker) loop(ctx context.Context, p *phase) {
	for {
		if p.tickets != nil && p.tickets.Add(1) > p.limit {
			return
		}
		start := time.Now()
		if !start.Before(p.deadline) || ctx.Err() != nil {
			return
		}
		ok := w.iterate(ctx, w.r.seq.Add(1)-1)
		if ctx.Err() != nil {
			return // interrupted: the iteration does not count
		}
		if p.record {
			w.hist.Record(time.Since(start))
			w.n++
			if !ok {
				w.errs++
			}
		}
	}
}

// fail notes an iteration's failure, keeping the first measured one.
func (w *worker) fail(err error) bool {
	if w.record && w.firstErr == "" {
		w.firstErr, w.firstErrAt = err.Error(), time.Now()
	}
	return false
}

// send sends one prebuilt or scratch body; hash is its payload hash and sig,
// for a prebuilt body, the cache of its signed headers.
func (w *worker) send(ctx context.Context, target string, data []byte, hash string, sig *signed) bool {
	status, err := w.r.c.do(ctx, &w.buf, target, data, hash, sig)
	if err != nil {
		if ctx.Err() != nil {
			return false // interrupted: not the server's failure, and not counted
		}
		return w.fail(fmt.Errorf("%s: %w", target, err))
	}
	if status/100 != 2 {
		return w.fail(&statusError{target: target, status: status, body: truncate(w.buf.Bytes(), errorBodyMax)})
	}
	return true
}

// hashScratch returns the payload hash of w.scratch.
func (w *worker) hashScratch() string { return w.hashOf(w.scratch) }

// hashOf returns the payload hash of b.
func (w *worker) hashOf(b []byte) string {
	sum := sha256.Sum256(b)
	hex.Encode(w.hash[:], sum[:])
	return string(w.hash[:])
}

// iterate performs iteration seq of the run's operation.
func (w *worker) iterate(ctx context.Context, seq uint64) bool {
	r := w.r
	switch r.cfg.Op {
	case OpGetDeliverySource:
		return w.send(ctx, r.target.get, r.get.data, r.get.hash, &w.sig)
	case OpDescribeDeliveries:
		return w.send(ctx, r.target.describe, r.describe.data, r.describe.hash, &w.sig)
	case OpPutDeliverySource:
		if r.cfg.Distinct {
			w.scratch = appendPutBody(w.scratch[:0], r.cfg.Account, uint64(r.cfg.First)+seq)
			return w.send(ctx, r.target.put, w.scratch, w.hashScratch(), nil)
		}
		i := seq % uint64(len(r.puts))
		var sig *signed
		if w.putSigs != nil {
			sig = &w.putSigs[i]
		}
		return w.send(ctx, r.target.put, r.puts[i].data, r.puts[i].hash, sig)
	case OpPutLogEvents:
		return w.putLogEvents(ctx)
	case OpGetLogEvents:
		return w.getLogEvents(ctx, seq)
	case OpFilterLogEvents:
		return w.filterLogEvents(ctx, seq)
	case OpCreateDeleteDelivery:
		b := r.creates[w.id]
		if !w.send(ctx, r.target.create, b.data, b.hash, &w.sig) {
			return false
		}
		id, ok := deliveryID(w.buf.Bytes())
		if !ok {
			return w.fail(fmt.Errorf("%s: no delivery id in %s", r.target.create, truncate(w.buf.Bytes(), errorBodyMax)))
		}
		w.scratch = append(append(append(w.scratch[:0], `{"id":"`...), id...), `"}`...)
		return w.send(ctx, r.target.del, w.scratch, w.hashScratch(), nil)
	}
	return false
}

// prepare builds the bodies the run sends over and over.
func (r *runner) prepare() {
	r.target.get = targetPrefix + "GetDeliverySource"
	r.target.put = targetPrefix + "PutDeliverySource"
	r.target.create = targetPrefix + "CreateDelivery"
	r.target.del = targetPrefix + "DeleteDelivery"
	r.target.describe = targetPrefix + "DescribeDeliveries"
	r.target.putLogs = targetPrefix + OpPutLogEvents
	r.target.getLogs = targetPrefix + OpGetLogEvents
	r.target.filterLogs = targetPrefix + OpFilterLogEvents
	r.pattern = patternJSON(r.cfg.Pattern)
	switch r.cfg.Op {
	case OpGetDeliverySource:
		r.get = newBody(`{"name":"` + SourceName + `"}`)
	case OpDescribeDeliveries:
		r.describe = newBody(`{}`)
	case OpPutDeliverySource:
		if !r.cfg.Distinct {
			r.puts = make([]body, r.cfg.Names)
			for i := range r.puts {
				r.puts[i] = newBody(string(appendPutBody(nil, r.cfg.Account, uint64(i))))
			}
		}
	case OpCreateDeleteDelivery:
		// The destination ARN is known once setup has created it; until
		// then assume the usual one.
		r.setCreates(destinationArn(r.cfg.Region, r.cfg.Account))
	}
}

func (r *runner) setCreates(destArn string) {
	r.creates = make([]body, r.cfg.Clients)
	for i := range r.creates {
		r.creates[i] = newBody(`{"deliverySourceName":"` + cddSource(i) + `","deliveryDestinationArn":"` + destArn + `"}`)
	}
}

func destinationArn(region, account string) string {
	return "arn:aws:logs:" + region + ":" + account + ":delivery-destination:" + DestinationName
}

func cddSource(client int) string { return cddPrefix + strconv.Itoa(client) }

// distributionArn is the ARN of a CloudFront distribution whose id ends in
// the upper-case letters and digits of suffix.
func distributionArn(account, suffix string) string {
	return "arn:aws:cloudfront::" + account + ":distribution/EBENCH" + suffix
}

// appendPutBody appends the PutDeliverySource body of name bench-put-<n>: a
// CloudFront ACCESS_LOGS source with a distribution of its own, so that
// putting it again is an overwrite AWS accepts.
func appendPutBody(b []byte, account string, n uint64) []byte {
	b = append(b, `{"name":"`+putPrefix...)
	b = strconv.AppendUint(b, n, 10)
	b = append(b, `","resourceArn":"arn:aws:cloudfront::`...)
	b = append(b, account...)
	b = append(b, `:distribution/EBENCHPUT`...)
	b = strconv.AppendUint(b, n, 10)
	b = append(b, `","logType":"ACCESS_LOGS"}`...)
	return b
}

// deliveryID finds the value of the first "id" key in a JSON answer.
func deliveryID(b []byte) ([]byte, bool) {
	key := []byte(`"id"`)
	for {
		i := bytes.Index(b, key)
		if i < 0 {
			return nil, false
		}
		b = bytes.TrimLeft(b[i+len(key):], " \t\r\n")
		if len(b) == 0 || b[0] != ':' {
			continue
		}
		b = bytes.TrimLeft(b[1:], " \t\r\n")
		if len(b) == 0 || b[0] != '"' {
			continue
		}
		b = b[1:]
		j := bytes.IndexByte(b, '"')
		if j <= 0 {
			return nil, false
		}
		return b[:j], true
	}
}
