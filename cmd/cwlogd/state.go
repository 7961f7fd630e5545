package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/cwlogd/cwlogd/internal/app"
	"github.com/cwlogd/cwlogd/internal/config"
	"github.com/cwlogd/cwlogd/internal/store"
)

// exportCmd writes the whole state of the configured store as JSON.
func exportCmd(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("cwlogd export", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("out", "-", "file to write, - for standard output")
	cfg, err := config.Load(fs, args)
	if code, done := configError(err, stderr); done {
		return code
	}
	ctx := context.Background()
	st, err := app.OpenStore(ctx, cfg)
	if err != nil {
		fmt.Fprintln(stderr, "cwlogd export:", err)
		return 1
	}
	defer st.Close()
	snap, err := store.Export(ctx, st)
	if err != nil {
		fmt.Fprintln(stderr, "cwlogd export:", err)
		return 1
	}
	w, closeOut := stdout, func() error { return nil }
	if *out != "-" {
		f, err := os.Create(*out)
		if err != nil {
			fmt.Fprintln(stderr, "cwlogd export:", err)
			return 1
		}
		w, closeOut = f, f.Close
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := errors.Join(enc.Encode(snap), closeOut()); err != nil {
		fmt.Fprintln(stderr, "cwlogd export:", err)
		return 1
	}
	return 0
}

// importCmd replaces the whole state of the configured store with an export.
func importCmd(args []string, stderr io.Writer) int {
	fs := flag.NewFlagSet("cwlogd import", flag.ContinueOnError)
	fs.SetOutput(stderr)
	in := fs.String("in", "", "export file to read, - for standard input (required)")
	cfg, err := config.Load(fs, args)
	if code, done := configError(err, stderr); done {
		return code
	}
	if *in == "" {
		fmt.Fprintln(stderr, "cwlogd import: --in is required")
		return 2
	}
	r := io.Reader(os.Stdin)
	if *in != "-" {
		f, err := os.Open(*in)
		if err != nil {
			fmt.Fprintln(stderr, "cwlogd import:", err)
			return 1
		}
		defer f.Close()
		r = f
	}
	var snap store.Snapshot
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&snap); err != nil {
		fmt.Fprintf(stderr, "cwlogd import: %s: not a cwlogd export: %v\n", *in, err)
		return 1
	}
	ctx := context.Background()
	st, err := app.OpenStore(ctx, cfg)
	if err != nil {
		fmt.Fprintln(stderr, "cwlogd import:", err)
		return 1
	}
	defer st.Close()
	if err := store.Import(ctx, st, &snap); err != nil {
		fmt.Fprintln(stderr, "cwlogd import:", err)
		return 1
	}
	return 0
}

// configError reports a configuration error; done says whether the command
// must stop, with code.
func configError(err error, stderr io.Writer) (code int, done bool) {
	switch {
	case err == nil:
		return 0, false
	case errors.Is(err, flag.ErrHelp):
		return 0, true
	}
	fmt.Fprintln(stderr, "cwlogd: invalid configuration:\n"+err.Error())
	return 2, true
}
