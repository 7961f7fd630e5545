package main

import (
	"context"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/cwlogd/cwlogd/internal/loadgen"
)

// benchCmd is `cwlogd bench`: a bounded load generator for a loopback
// server, a start-up timer (--wait-ready) and the bare baseline server
// (--op baseline-server). `cwlogd bench -h` lists the flags. An interrupt
// ends a run early and still prints what was measured.
func benchCmd(args []string, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return loadgen.Command(ctx, args, stdout, stderr)
}
