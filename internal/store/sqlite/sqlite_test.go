package sqlite_test

import (
	"bufio"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	_ "modernc.org/sqlite"

	"github.com/cwlogd/cwlogd/internal/model"
	"github.com/cwlogd/cwlogd/internal/store"
	"github.com/cwlogd/cwlogd/internal/store/sqlite"
	"github.com/cwlogd/cwlogd/internal/store/sqlstore/sqltest"
	"github.com/cwlogd/cwlogd/internal/store/storetest"
)

var (
	ctx = context.Background()
	sc  = model.Scope{Account: "111111111111", Region: "us-east-1"}
)

func open(t testing.TB, dir string) *sqlite.Store {
	t.Helper()
	s, err := sqlite.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store { return open(t, t.TempDir()) })
}

// TestSQL runs the SQL stores' own tests of the plans storetest cannot tell apart.
func TestSQL(t *testing.T) {
	sqltest.Run(t, func(t *testing.T) store.Store { return open(t, t.TempDir()) })
}

func src(name string) model.DeliverySource {
	return model.DeliverySource{Name: name, Arn: model.LogsARN(sc, model.KindSource, name), Service: "cloudfront", LogType: "ACCESS_LOGS"}
}

func TestSurvivesReopen(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data", "nested") // created by Open
	s := open(t, dir)
	if err := s.Update(ctx, func(tx store.Tx) error { return tx.PutSource(sc, src("kept")) }); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	for _, p := range []string{dir, filepath.Join(dir, sqlite.FileName)} {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if want := map[bool]os.FileMode{true: 0o700, false: 0o600}[fi.IsDir()]; fi.Mode().Perm() != want {
			t.Errorf("%s has mode %v, want %v", p, fi.Mode().Perm(), want)
		}
	}
	s = open(t, dir)
	err := s.View(ctx, func(tx store.Tx) error {
		got, err := tx.Source(sc, "kept")
		if err == nil && got.Arn != src("kept").Arn {
			err = fmt.Errorf("got %+v", got)
		}
		return err
	})
	if err != nil {
		t.Fatalf("after reopen: %v", err)
	}
}

func TestDurabilitySettings(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir)
	if err := s.Update(ctx, func(tx store.Tx) error { return tx.PutSource(sc, src("x")) }); err != nil {
		t.Fatal(err)
	}
	// A committed write is in the WAL, which SQLite fsyncs at commit under
	// synchronous=FULL; the WAL file exists while the store is open.
	if _, err := os.Stat(filepath.Join(dir, sqlite.FileName+"-wal")); err != nil {
		t.Errorf("no WAL file while open: %v", err)
	}
	db := rawDB(t, dir)
	var mode string
	if err := db.QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal_mode = %q, %v; want wal", mode, err)
	}
}

// rawDB opens the database file directly, for inspection and tampering.
func rawDB(t *testing.T, dir string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", filepath.Join(dir, sqlite.FileName)+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestNewerSchemaRefused(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir)
	s.Close()
	db := rawDB(t, dir)
	if _, err := db.Exec("UPDATE schema_version SET version = 99"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	_, err := sqlite.Open(ctx, dir)
	if err == nil {
		t.Fatal("Open of a database from the future succeeded")
	}
	want := fmt.Sprintf("database schema version 99 is newer than this cwlogd supports (%d): upgrade cwlogd", sqlite.SchemaVersion())
	if !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), filepath.Join(dir, sqlite.FileName)) {
		t.Errorf("error = %q\nwant it to name the file and say %q", err, want)
	}
}

func TestCorruptFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, sqlite.FileName)
	garbage := []byte(strings.Repeat("this is not a SQLite database, just garbage bytes\x00\xff", 200))
	if err := os.WriteFile(path, garbage, 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := sqlite.Open(ctx, dir)
	if err == nil {
		t.Fatal("Open of garbage succeeded")
	}
	if msg := err.Error(); !strings.Contains(msg, path) || !strings.Contains(msg, "not a database") {
		t.Errorf("error = %q; want the path and the cause", msg)
	}
	t.Log(err)
}

func TestTruncatedFile(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir)
	for i := range 200 {
		if err := s.Update(ctx, func(tx store.Tx) error { return tx.PutSource(sc, src(fmt.Sprintf("s%04d", i))) }); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	path := filepath.Join(dir, sqlite.FileName)
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	// Keep the header, scribble over the pages.
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteAt([]byte(strings.Repeat("\xde\xad\xbe\xef", int(fi.Size()/4))[100:]), 100)
	f.Close()
	s2, err := sqlite.Open(ctx, dir)
	if err != nil {
		if !strings.Contains(err.Error(), path) {
			t.Errorf("error does not name the file: %v", err)
		}
		t.Log(err)
		return
	}
	// Opening may succeed if the damage is only found by reading: then reads
	// must fail with an error, not panic.
	defer s2.Close()
	err = s2.View(ctx, func(tx store.Tx) error { _, err := tx.ListSources(sc, "", 1000); return err })
	if err == nil {
		t.Error("reading a scribbled database succeeded")
	}
	t.Log(err)
}

func TestBadDataDir(t *testing.T) {
	base := t.TempDir()
	file := filepath.Join(base, "file")
	if err := os.WriteFile(file, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	dbDir := filepath.Join(base, "dbdir")
	if err := os.MkdirAll(filepath.Join(dbDir, sqlite.FileName), 0o700); err != nil {
		t.Fatal(err)
	}
	cases := map[string]struct{ dir, want string }{
		"dir is a file":     {file, "not a directory"},
		"dir under a file":  {filepath.Join(file, "sub"), "not a directory"},
		"database is a dir": {dbDir, "is a directory"},
		"empty dir name":    {"", "no data directory"},
		"cannot be created": {"/proc/self/fdinfo/cwlogd", "data directory"},
	}
	if os.Geteuid() != 0 { // root writes anywhere
		ro := filepath.Join(base, "readonly")
		if err := os.Mkdir(ro, 0o500); err != nil {
			t.Fatal(err)
		}
		cases["unwritable dir"] = struct{ dir, want string }{ro, "not writable"}
		cases["under unwritable dir"] = struct{ dir, want string }{filepath.Join(ro, "sub"), "permission denied"}
		roFile := filepath.Join(base, "readonly-db")
		if err := os.Mkdir(roFile, 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(roFile, sqlite.FileName), nil, 0o400); err != nil {
			t.Fatal(err)
		}
		cases["read-only database"] = struct{ dir, want string }{roFile, "permission denied"}
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			s, err := sqlite.Open(ctx, c.dir)
			if err == nil {
				s.Close()
				t.Fatalf("Open(%q) succeeded", c.dir)
			}
			if msg := err.Error(); !strings.Contains(msg, c.want) || !strings.Contains(msg, c.dir) {
				t.Errorf("error = %q; want the path and %q", msg, c.want)
			}
			t.Log(err)
		})
	}
}

func TestConcurrentUpdateAndView(t *testing.T) {
	s := open(t, t.TempDir())
	const writers, readers, each = 8, 8, 25
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				err := s.Update(ctx, func(tx store.Tx) error {
					// Read-modify-write of a shared record: lost updates would show.
					counter, err := tx.Source(sc, "counter")
					if errors.Is(err, store.ErrNotFound) {
						counter, err = src("counter"), nil
					}
					if err != nil {
						return err
					}
					var n int
					fmt.Sscan(counter.LogType, &n)
					counter.LogType = fmt.Sprint(n + 1)
					if err := tx.PutSource(sc, counter); err != nil {
						return err
					}
					return tx.PutSource(sc, src(fmt.Sprintf("w%d-%d", w, i)))
				})
				if err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	for range readers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range each * 2 {
				err := s.View(ctx, func(tx store.Tx) error {
					n, err := tx.CountSources(sc)
					if err != nil {
						return err
					}
					all, err := tx.ListSources(sc, "", 10000)
					if err != nil {
						return err
					}
					if len(all) != n {
						return fmt.Errorf("inconsistent snapshot: count %d, listed %d", n, len(all))
					}
					if err := tx.PutSource(sc, src("nope")); err == nil {
						return errors.New("write in View succeeded")
					}
					return nil
				})
				if err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	s.View(ctx, func(tx store.Tx) error {
		n, _ := tx.CountSources(sc)
		c, _ := tx.Source(sc, "counter")
		if n != writers*each+1 || c.LogType != fmt.Sprint(writers*each) {
			t.Errorf("count %d, counter %s; want %d and %d", n, c.LogType, writers*each+1, writers*each)
		}
		return nil
	})
}

// TestTwoStoresOneDir: two stores on one data directory (as two processes
// would be) take turns writing and see each other's writes.
func TestTwoStoresOneDir(t *testing.T) {
	dir := t.TempDir()
	stores := [2]*sqlite.Store{open(t, dir), open(t, dir)}
	const workers, each = 4, 25
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range each {
				err := stores[w%2].Update(ctx, func(tx store.Tx) error {
					counter, err := tx.Source(sc, "counter")
					if errors.Is(err, store.ErrNotFound) {
						counter, err = src("counter"), nil
					}
					if err != nil {
						return err
					}
					var n int
					fmt.Sscan(counter.LogType, &n)
					counter.LogType = fmt.Sprint(n + 1)
					return tx.PutSource(sc, counter)
				})
				if err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	for i, s := range stores {
		s.View(ctx, func(tx store.Tx) error {
			if c, err := tx.Source(sc, "counter"); c.LogType != fmt.Sprint(workers*each) {
				t.Errorf("store %d: counter = %q, %v; want %d", i, c.LogType, err, workers*each)
			}
			return nil
		})
	}
}

const killChildEnv = "CWLOGD_SQLITE_KILL_CHILD_DIR"

// TestAcknowledgedWritesSurviveKill runs a child process that writes and
// reports each acknowledged write, SIGKILLs it mid-stream, and checks that
// every acknowledged write is in the reopened database. (Power loss is what
// synchronous=FULL is for; a test cannot pull the plug.)
func TestAcknowledgedWritesSurviveKill(t *testing.T) {
	if dir := os.Getenv(killChildEnv); dir != "" {
		killChild(dir)
		return
	}
	if testing.Short() {
		t.Skip("spawns a process")
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestAcknowledgedWritesSurviveKill$")
	cmd.Env = append(os.Environ(), killChildEnv+"="+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	acked := -1
	lines := bufio.NewScanner(out)
	for acked < 100 && lines.Scan() {
		fmt.Sscanf(lines.Text(), "acked %d", &acked)
	}
	cmd.Process.Kill() // SIGKILL
	for lines.Scan() {
		fmt.Sscanf(lines.Text(), "acked %d", &acked)
	}
	cmd.Wait()
	if acked < 100 {
		t.Fatalf("child acknowledged only %d writes", acked)
	}
	s := open(t, dir)
	s.View(ctx, func(tx store.Tx) error {
		n, err := tx.CountSources(sc)
		if err != nil || n < acked+1 {
			t.Errorf("after SIGKILL: %d sources, %v; %d were acknowledged", n, err, acked+1)
		}
		for i := range acked + 1 {
			if _, err := tx.Source(sc, fmt.Sprintf("k%06d", i)); err != nil {
				t.Fatalf("acknowledged write %d lost: %v", i, err)
			}
		}
		return nil
	})
}

// killChild writes until it is killed (or a minute passes), printing
// "acked N" once write N has been committed.
func killChild(dir string) {
	s, err := sqlite.Open(ctx, dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	deadline := time.Now().Add(time.Minute)
	for i := 0; time.Now().Before(deadline); i++ {
		if err := s.Update(ctx, func(tx store.Tx) error { return tx.PutSource(sc, src(fmt.Sprintf("k%06d", i))) }); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		fmt.Printf("acked %d\n", i)
	}
	os.Exit(1)
}

func BenchmarkGetSource(b *testing.B) {
	s := open(b, b.TempDir())
	storetest.BenchGetSource(b, s)
}

func BenchmarkPutSource(b *testing.B) {
	s := open(b, b.TempDir())
	storetest.BenchPutSource(b, s)
}

func BenchmarkGetSourceParallel(b *testing.B) {
	s := open(b, b.TempDir())
	storetest.BenchGetSourceParallel(b, s)
}

func BenchmarkAppendLogEvents(b *testing.B) {
	storetest.BenchAppendLogEvents(b, open(b, b.TempDir()))
}

func BenchmarkLogEventsRange(b *testing.B) {
	storetest.BenchLogEventsRange(b, open(b, b.TempDir()))
}

func BenchmarkReadsAtScale(b *testing.B) {
	sqltest.BenchReadsAtScale(b, open(b, b.TempDir()))
}

func BenchmarkAppendParallel(b *testing.B) {
	sqltest.BenchAppendParallel(b, open(b, b.TempDir()))
}

func BenchmarkDeepCursor(b *testing.B) {
	sqltest.BenchDeepCursor(b, open(b, b.TempDir()))
}

// TestCorruptBlock: a block of events whose bytes were damaged fails reads
// and purges with an error, and the store goes on.
func TestCorruptBlock(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir)
	g := model.LogGroup{Name: "g", Arn: model.LogsARN(sc, "log-group", "g"), CreationTime: 1, Class: "STANDARD", RetentionInDays: 1}
	err := s.Update(ctx, func(tx store.Tx) error {
		if err := tx.CreateLogGroup(sc, g); err != nil {
			return err
		}
		for _, n := range []string{"bad", "good"} {
			if err := tx.CreateLogStream(sc, "g", model.LogStream{Name: n, CreationTime: 1}); err != nil {
				return err
			}
			if _, err := tx.AppendLogEvents(sc, "g", n, []model.LogEvent{{Timestamp: 1000, Message: n}, {Timestamp: 1010, Message: n}}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	db := rawDB(t, dir)
	if _, err := db.Exec(`UPDATE log_blocks SET data = x'01ffffff' WHERE stream_id = (SELECT id FROM log_streams WHERE name = 'bad')`); err != nil {
		t.Fatal(err)
	}
	for _, q := range []store.EventQuery{{Limit: 10}, {Streams: []string{"bad"}, Limit: 10}, {Descending: true, Limit: 10}} {
		err := s.View(ctx, func(tx store.Tx) error { _, err := tx.LogEvents(sc, "g", q); return err })
		if err == nil || !strings.Contains(err.Error(), "corrupt log event block") {
			t.Errorf("LogEvents(%+v) = %v, want a corrupt block", q, err)
		}
	}
	// Both blocks straddle the cutoff, 1005: each is read to be cut.
	err = s.Update(ctx, func(tx store.Tx) error { _, err := tx.PurgeLogEvents(86_401_005, 100); return err })
	if err == nil || !strings.Contains(err.Error(), "corrupt log event block") {
		t.Errorf("PurgeLogEvents = %v, want a corrupt block", err)
	}
	err = s.View(ctx, func(tx store.Tx) error {
		evs, err := tx.LogEvents(sc, "g", store.EventQuery{Streams: []string{"good"}, Limit: 10})
		if err == nil && len(evs) != 2 {
			err = fmt.Errorf("%d events, want 2", len(evs))
		}
		return err
	})
	if err != nil {
		t.Errorf("reading the good stream: %v", err)
	}
}
