package loadgen

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"github.com/cwlogd/cwlogd/internal/model"
	"io"
	"net"
	"strings"
	"text/tabwriter"
	"time"
)

// OpBaselineServer is the --op that serves the baseline handler instead of
// generating load.
const OpBaselineServer = "baseline-server"

// Command is `cwlogd bench`: it parses args, runs one bounded load (or, with
// --wait-ready, times a server's start-up, or, with --op baseline-server,
// serves the baseline handler until ctx ends) and prints the report on
// stdout. It returns the exit status: 0 when every measured request
// succeeded, 1 when some failed or the run could not be done, 2 for bad
// usage.
func Command(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("cwlogd bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, `usage: cwlogd bench [flags]                     load a loopback server with one operation
       cwlogd bench --wait-ready [flags]        time a server's start-up: poll until it answers
       cwlogd bench --op baseline-server --listen 127.0.0.1:PORT
                                                serve the bare baseline handler
flags:`)
		fs.PrintDefaults()
	}
	cfg := Config{}
	fs.StringVar(&cfg.Endpoint, "endpoint", "http://127.0.0.1:4566", "server URL; the host must be loopback (127.0.0.0/8, ::1 or localhost)")
	fs.StringVar(&cfg.Op, "op", OpGetDeliverySource, "operation: "+strings.Join(Ops, ", ")+"; or "+OpBaselineServer+" to serve the baseline handler on --listen")
	fs.IntVar(&cfg.Clients, "clients", 1, fmt.Sprintf("concurrent keep-alive clients (1 to %d)", MaxClients))
	fs.Int64Var(&cfg.Requests, "requests", 0, "measured iterations, then stop (instead of --duration; still capped at "+MaxDuration.String()+")")
	fs.DurationVar(&cfg.Duration, "duration", 5*time.Second, "how long to measure (at most "+MaxDuration.String()+")")
	fs.DurationVar(&cfg.Warmup, "warmup", time.Second, "load before measuring, excluded from the figures (at most "+MaxWarmup.String()+")")
	fs.StringVar(&cfg.Region, "region", "us-east-1", "region to sign for (the setup's CloudFront sources need us-east-1)")
	fs.StringVar(&cfg.Account, "account", "123456789012", "12-digit account id, used as the access key id")
	fs.StringVar(&cfg.SecretKey, "secret-key", DefaultSecretKey, "secret access key the requests are signed with (a server with --auth strict must know it; --wait-ready signs with the default)")
	fs.BoolVar(&cfg.Setup, "setup", true, "first create what the operation needs (delivery source bench-src, destination bench-dst, …)")
	fs.IntVar(&cfg.Names, "names", 100, "PutDeliverySource: cycle over names bench-put-0 … bench-put-<names-1>, creating then overwriting")
	fs.BoolVar(&cfg.Distinct, "distinct", false, "PutDeliverySource: a new name for every request (bench-put-<n>) instead of cycling")
	fs.Int64Var(&cfg.First, "first", 0, "with --distinct: number of the first name (bench-put-<first>, then up), so that a second run creates new sources instead of overwriting")
	fs.DurationVar(&cfg.Timeout, "timeout", 30*time.Second, "bound on waiting for one answer")
	fs.IntVar(&cfg.Batch, "batch", DefaultBatch, fmt.Sprintf("PutLogEvents: events a request puts (1 to %d; batch × (event-size + %d) at most %d bytes)", MaxBatchEvents, EventOverhead, MaxBatchBytes))
	fs.IntVar(&cfg.EventSize, "event-size", DefaultEventSize, "PutLogEvents: bytes of each message, log-line-like printable ASCII")
	fs.Int64Var(&cfg.Fill, "fill", DefaultFill, fmt.Sprintf("GetLogEvents, FilterLogEvents: events the setup puts in %s/%s when it is empty (at most %d), one a millisecond from 3 hours ago", ReadGroupName, ReadStreamName, MaxFill))
	fs.IntVar(&cfg.Page, "page", DefaultPage, fmt.Sprintf("GetLogEvents: events a request reads (its limit, 1 to %d)", MaxPage))
	fs.Int64Var(&cfg.Window, "window", DefaultWindow, "FilterLogEvents: consecutive events an iteration searches, following nextToken to the end")
	fs.StringVar(&cfg.Pattern, "pattern", DefaultPattern, "FilterLogEvents: filter pattern (empty matches every event)")
	jsonOut := fs.Bool("json", false, "print the report as JSON instead of a table")
	listen := fs.String("listen", "127.0.0.1:0", "baseline-server: loopback address to listen on")
	waitReady := fs.Bool("wait-ready", false, "poll --endpoint with a signed DescribeDeliverySources until it answers 2xx, then print the milliseconds since --since")
	since := fs.String("since", "", "wait-ready: start time as Unix seconds with a fraction (as bash's $EPOCHREALTIME), or @FILE to read it from FILE once the server answers (so the probe can start first); default: now")
	waitTimeout := fs.Duration("wait-timeout", time.Minute, "wait-ready: give up after this long (at most "+MaxWait.String()+")")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "cwlogd bench: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })

	switch {
	case cfg.Op == OpBaselineServer:
		return baselineServer(ctx, *listen, stderr)
	case *waitReady:
		return waitReadyCmd(ctx, cfg, *since, *waitTimeout, *jsonOut, stdout, stderr)
	}
	if set["requests"] && set["duration"] {
		fmt.Fprintln(stderr, "cwlogd bench: give --requests or --duration, not both")
		return 2
	}
	if err := cfg.Validate(); err != nil {
		fmt.Fprintln(stderr, "cwlogd bench: "+strings.ReplaceAll(err.Error(), "\n", "\ncwlogd bench: "))
		return 2
	}
	res, err := Run(ctx, cfg)
	if err != nil {
		fmt.Fprintln(stderr, "cwlogd bench:", err)
		return 1
	}
	if *jsonOut {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.Encode(res)
	} else {
		WriteTable(stdout, res)
	}
	if res.Errors > 0 || res.Stopped != "" {
		return 1
	}
	return 0
}

// WriteTable prints a Result as an aligned two-column table.
func WriteTable(w io.Writer, r *Result) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "op\t%s\n", r.Op)
	fmt.Fprintf(tw, "endpoint\t%s\n", r.Endpoint)
	fmt.Fprintf(tw, "clients\t%d\n", r.Clients)
	fmt.Fprintf(tw, "requests\t%d\n", r.Requests)
	fmt.Fprintf(tw, "errors\t%d\n", r.Errors)
	fmt.Fprintf(tw, "elapsed\t%.3f s (after %.3g s of warm-up)\n", r.ElapsedS, r.WarmupS)
	fmt.Fprintf(tw, "requests/s\t%.1f\n", r.RPS)
	fmt.Fprintf(tw, "latency p50\t%.3f ms\n", r.P50ms)
	fmt.Fprintf(tw, "latency p90\t%.3f ms\n", r.P90ms)
	fmt.Fprintf(tw, "latency p99\t%.3f ms\n", r.P99ms)
	fmt.Fprintf(tw, "latency max\t%.3f ms\n", r.MaxMs)
	if r.EventsPerIteration > 0 {
		writeLogFigures(tw, r)
	}
	if r.FirstError != "" {
		fmt.Fprintf(tw, "first error\t%s\n", strings.ReplaceAll(r.FirstError, "\n", " "))
	}
	if r.Stopped != "" {
		fmt.Fprintf(tw, "stopped\t%s\n", r.Stopped)
	}
	tw.Flush()
}

func baselineServer(ctx context.Context, listen string, stderr io.Writer) int {
	err := ServeBaseline(ctx, listen, func(addr net.Addr) {
		fmt.Fprintln(stderr, "cwlogd bench: baseline server listening on", addr.String())
	})
	if err != nil {
		fmt.Fprintln(stderr, "cwlogd bench:", err)
		return 1
	}
	return 0
}

func waitReadyCmd(ctx context.Context, cfg Config, since string, timeout time.Duration, jsonOut bool, stdout, stderr io.Writer) int {
	start := time.Now()
	if since != "" && !strings.HasPrefix(since, "@") {
		t, err := ParseSince(since)
		if err != nil {
			fmt.Fprintln(stderr, "cwlogd bench:", err)
			return 2
		}
		start = t
	}
	if !model.IsAccountID(cfg.Account) {
		fmt.Fprintf(stderr, "cwlogd bench: account %q: want a 12-digit account id\n", cfg.Account)
		return 2
	}
	readyAt, err := WaitReady(ctx, cfg.Endpoint, cfg.Region, cfg.Account, timeout)
	if err != nil {
		fmt.Fprintln(stderr, "cwlogd bench:", err)
		return 1
	}
	if path, ok := strings.CutPrefix(since, "@"); ok {
		// The caller starts this probe first, then the server, and writes
		// the server's start time to the file: the probe's own start-up is
		// then not part of the figure.
		if start, err = ReadSince(path, 5*time.Second); err != nil {
			fmt.Fprintln(stderr, "cwlogd bench:", err)
			return 1
		}
	}
	d := readyAt.Sub(start)
	if jsonOut {
		fmt.Fprintf(stdout, "{\"ready_ms\": %.3f}\n", ms(d))
	} else {
		fmt.Fprintf(stdout, "%.3f\n", ms(d))
	}
	return 0
}

func writeLogFigures(w io.Writer, r *Result) {
	switch r.Op {
	case OpPutLogEvents:
		fmt.Fprintf(w, "events/request\t%d of %d bytes\n", r.EventsPerIteration, r.EventSize)
		fmt.Fprintf(w, "events/s\t%.0f\n", r.EventsPerS)
		fmt.Fprintf(w, "MB/s\t%.2f (message bytes, 10^6)\n", r.MBPerS)
		return
	case OpGetLogEvents:
		fmt.Fprintf(w, "events/request\t%d\n", r.EventsPerIteration)
		fmt.Fprintf(w, "events read/s\t%.0f\n", r.EventsPerS)
	case OpFilterLogEvents:
		fmt.Fprintf(w, "pattern\t%q\n", *r.Pattern)
		fmt.Fprintf(w, "events/iteration\t%d searched, %.1f matched, %.2f requests\n", r.EventsPerIteration, r.MatchedPerIteration, r.PagesPerIteration)
		fmt.Fprintf(w, "events scanned/s\t%.0f\n", r.EventsPerS)
	}
	fmt.Fprintf(w, "stream\t%d events\n", r.StreamEvents)
	if r.FillEvents > 0 {
		fmt.Fprintf(w, "fill\t%d events put in %.2f s (%.0f events/s)\n", r.FillEvents, r.FillS, float64(r.FillEvents)/r.FillS)
	}
}
