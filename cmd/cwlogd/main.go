// Command cwlogd is a CloudWatch Logs–compatible server for the log-delivery
// API. `cwlogd serve` (the default) runs it; `cwlogd version` prints its
// version.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/cwlogd/cwlogd/internal/app"
	"github.com/cwlogd/cwlogd/internal/config"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	cmd := "serve"
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		return serve(args, stderr)
	case "version":
		fmt.Fprintln(stdout, "cwlogd", version)
		return 0
	case "export":
		return exportCmd(args, stdout, stderr)
	case "import":
		return importCmd(args, stderr)
	case "bench":
		return benchCmd(args, stdout, stderr)
	case "help":
		usage(stdout)
		return 0
	}
	fmt.Fprintf(stderr, "cwlogd: unknown command %q\n", cmd)
	usage(stderr)
	return 2
}

func usage(w io.Writer) {
	fmt.Fprintln(w, `usage: cwlogd [serve] [flags]   run the server (cwlogd serve -h lists the flags)
       cwlogd export [--out FILE] [store flags]   write the whole state as JSON
       cwlogd import --in FILE [store flags]      replace the whole state with an export
       cwlogd bench [flags]    load a local endpoint and report throughput and latency
       cwlogd version          print the version`)
}

func serve(args []string, stderr io.Writer) int {
	start := time.Now()
	fs := flag.NewFlagSet("cwlogd serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg, err := config.Load(fs, args)
	if code, done := configError(err, stderr); done {
		return code
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: cfg.LogLevel}))
	a, err := app.New(cfg, log)
	if err != nil {
		log.Error("cannot start", "err", err)
		return 1
	}
	defer a.Close()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err = a.Run(ctx, func(addr net.Addr) {
		log.Info("cwlogd listening", "addr", addr.String(), "store", cfg.StoreLabel(), "version", version,
			"startup", time.Since(start).Round(time.Microsecond).String())
	})
	if err != nil {
		log.Error("stopped", "err", err)
		return 1
	}
	log.Info("cwlogd stopped")
	return 0
}
