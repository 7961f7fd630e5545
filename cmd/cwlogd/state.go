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
	return report(stderr, "export", withStore(cfg, func(ctx context.Context, st store.Store) error {
		snap, err := store.Export(ctx, st)
		if err != nil {
			return err
		}
		return writeSnapshot(snap, *out, stdout)
	}))
}

func writeSnapshot(snap *store.Snapshot, path string, stdout io.Writer) error {
	w, closeOut := stdout, func() error { return nil }
	if path != "-" {
		f, err := os.Create(path)
		if err != nil {
			return err
		}
		w, closeOut = f, f.Close
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return errors.Join(enc.Encode(snap), closeOut())
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
	snap, err := readSnapshot(*in)
	if err != nil {
		return report(stderr, "import", err)
	}
	return report(stderr, "import", withStore(cfg, func(ctx context.Context, st store.Store) error {
		return store.Import(ctx, st, snap)
	}))
}

func readSnapshot(path string) (*store.Snapshot, error) {
	r := io.Reader(os.Stdin)
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		r = f
	}
	var snap store.Snapshot
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&snap); err != nil {
		return nil, fmt.Errorf("%s: not a cwlogd export: %w", path, err)
	}
	return &snap, nil
}

// withStore runs fn on the store cfg names and closes it.
func withStore(cfg config.Config, fn func(context.Context, store.Store) error) error {
	ctx := context.Background()
	st, err := app.OpenStore(ctx, cfg)
	if err != nil {
		return err
	}
	return errors.Join(fn(ctx, st), st.Close())
}

// report prints err for command and returns the exit code.
func report(stderr io.Writer, command string, err error) int {
	if err != nil {
		fmt.Fprintf(stderr, "cwlogd %s: %v\n", command, err)
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
