package postgres_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/cwlogd/cwlogd/internal/model"
	"github.com/cwlogd/cwlogd/internal/store"
	"github.com/cwlogd/cwlogd/internal/store/postgres"
	"github.com/cwlogd/cwlogd/internal/store/sqlstore/sqltest"
	"github.com/cwlogd/cwlogd/internal/store/storetest"
)

const dsnEnv = "CWLOGD_TEST_POSTGRES_DSN"

var (
	ctx = context.Background()
	sc  = model.Scope{Account: "111111111111", Region: "us-east-1"}
)

// unavailable skips the test, or fails it in CI, where PostgreSQL must be
// there.
func unavailable(t testing.TB, format string, args ...any) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatalf("CI is set: "+format, args...)
	}
	t.Skipf(format, args...)
}

// freshConfig creates an empty schema t_<random> for this test, dropped when
// it ends, and returns a pool configuration whose connections use it.
func freshConfig(t testing.TB) *pgxpool.Config {
	t.Helper()
	dsn := os.Getenv(dsnEnv)
	if dsn == "" {
		unavailable(t, "%s is not set", dsnEnv)
	}
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		t.Fatalf("%s: %v", dsnEnv, err)
	}
	cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	conn, err := pgx.ConnectConfig(cctx, cfg.ConnConfig.Copy())
	if err != nil {
		unavailable(t, "PostgreSQL at %s is unreachable: %v", dsnEnv, err)
	}
	defer conn.Close(ctx)
	var b [8]byte
	rand.Read(b[:])
	schema := "t_" + hex.EncodeToString(b[:])
	ident := pgx.Identifier{schema}.Sanitize()
	if _, err := conn.Exec(cctx, "CREATE SCHEMA "+ident); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		conn, err := pgx.ConnectConfig(ctx, cfg.ConnConfig.Copy())
		if err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, "DROP SCHEMA "+ident+" CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	cfg.ConnConfig.RuntimeParams["search_path"] = schema
	return cfg
}

func open(t testing.TB, cfg *pgxpool.Config) *postgres.Store {
	t.Helper()
	s, err := postgres.OpenConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store { return open(t, freshConfig(t)) })
}

// TestSQL runs the SQL stores' own tests of the plans storetest cannot tell apart.
func TestSQL(t *testing.T) {
	sqltest.Run(t, func(t *testing.T) store.Store { return open(t, freshConfig(t)) })
}

func TestSurvivesReopen(t *testing.T) {
	cfg := freshConfig(t)
	s := open(t, cfg)
	if err := s.Update(ctx, func(tx store.Tx) error { return tx.PutSource(sc, src("kept")) }); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s.Close()
	s = open(t, cfg)
	if err := s.View(ctx, func(tx store.Tx) error { _, err := tx.Source(sc, "kept"); return err }); err != nil {
		t.Fatalf("after reopen: %v", err)
	}
}

func TestNewerSchemaRefused(t *testing.T) {
	cfg := freshConfig(t)
	open(t, cfg).Close()
	conn, err := pgx.ConnectConfig(ctx, cfg.ConnConfig.Copy())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "UPDATE schema_version SET version = 99"); err != nil {
		t.Fatal(err)
	}
	_, err = postgres.OpenConfig(ctx, cfg)
	want := fmt.Sprintf("database schema version 99 is newer than this cwlogd supports (%d): upgrade cwlogd", postgres.SchemaVersion())
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("Open = %v, want %q", err, want)
	}
	t.Log(err)
}

// TestConcurrentOpen: processes starting at once on an empty database all
// come up, and the schema is created once.
func TestConcurrentOpen(t *testing.T) {
	cfg := freshConfig(t)
	const n = 8
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, err := postgres.OpenConfig(ctx, cfg)
			if err != nil {
				t.Error(err)
				return
			}
			s.Close()
		}()
	}
	wg.Wait()
	conn, err := pgx.ConnectConfig(ctx, cfg.ConnConfig.Copy())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var rows, version int
	if err := conn.QueryRow(ctx, "SELECT count(*), max(version) FROM schema_version").Scan(&rows, &version); err != nil || rows != 1 || version != postgres.SchemaVersion() {
		t.Errorf("schema_version: %d rows, version %d, %v; want 1 row, version %d", rows, version, err, postgres.SchemaVersion())
	}
}

func TestUnreachable(t *testing.T) {
	cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	_, err := postgres.Open(cctx, "postgres://nobody:secret@127.0.0.1:1/none?sslmode=disable&connect_timeout=2")
	if err == nil {
		t.Fatal("Open of a closed port succeeded")
	}
	if msg := err.Error(); !strings.Contains(msg, "postgres: open 127.0.0.1:1/none") || strings.Contains(msg, "secret") {
		t.Errorf("error = %q; want it to name the server and not the password", msg)
	}
	if _, err := postgres.Open(ctx, "postgres://[::1"); err == nil {
		t.Error("Open of a malformed DSN succeeded")
	}
}

func src(name string) model.DeliverySource {
	return model.DeliverySource{Name: name, Arn: model.LogsARN(sc, model.KindSource, name), Service: "cloudfront", LogType: "ACCESS_LOGS"}
}

func dst(name string) model.DeliveryDestination {
	return model.DeliveryDestination{Name: name, Arn: model.LogsARN(sc, model.KindDestination, name), Type: "S3",
		ResourceArn: "arn:aws:s3:::bucket-" + name}
}

func dlv(id, source string, d model.DeliveryDestination) model.Delivery {
	return model.Delivery{ID: id, Arn: model.LogsARN(sc, model.KindDelivery, id), SourceName: source,
		DestinationArn: d.Arn, DestinationType: d.Type}
}

// replicas opens two stores, two pools, on one database: two cwlogd
// processes behind a load balancer.
func replicas(t *testing.T) [2]*postgres.Store {
	cfg := freshConfig(t)
	return [2]*postgres.Store{open(t, cfg), open(t, cfg)}
}

// TestReplicasCreateSameDelivery: 16 goroutines across two replicas create
// a delivery for the same (source, type); exactly one succeeds.
func TestReplicasCreateSameDelivery(t *testing.T) {
	rs := replicas(t)
	const workers, rounds = 16, 5
	for round := range rounds {
		source := fmt.Sprintf("racer%d", round)
		var wg sync.WaitGroup
		var mu sync.Mutex
		wins := 0
		for i := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				err := rs[i%2].Update(ctx, func(tx store.Tx) error {
					if err := tx.PutSource(sc, src(fmt.Sprintf("r%d-c%02d", round, i))); err != nil {
						return err
					}
					if ds, err := tx.DeliveriesOfSource(sc, source); err != nil || len(ds) > 0 {
						return errors.Join(err, store.ErrConflict)
					}
					return tx.PutDelivery(sc, dlv(fmt.Sprintf("r%d-%02d", round, i), source, dst(fmt.Sprintf("d%02d", i))))
				})
				switch {
				case err == nil:
					mu.Lock()
					wins++
					mu.Unlock()
				case !errors.Is(err, store.ErrConflict):
					t.Errorf("worker %d: %v", i, err)
				}
			}()
		}
		wg.Wait()
		if wins != 1 {
			t.Fatalf("round %d: %d creates of one (source, type) succeeded, want 1", round, wins)
		}
		rs[round%2].View(ctx, func(tx store.Tx) error {
			ds, _ := tx.DeliveriesOfSource(sc, source)
			n, _ := tx.CountSources(sc)
			if len(ds) != 1 || n != round+1 {
				t.Errorf("round %d: %d deliveries of %s, %d sources; want 1 and %d (losers roll back)", round, len(ds), source, n, round+1)
			}
			return nil
		})
	}
}

var errInUse = errors.New("destination in use")

// TestReplicasDeleteDestinationVsCreateDelivery races, on two replicas, the
// service's DeleteDeliveryDestination (refused while a delivery uses it)
// against CreateDelivery (which needs the destination): whatever the
// interleaving, no delivery may outlive its destination.
func TestReplicasDeleteDestinationVsCreateDelivery(t *testing.T) {
	rs := replicas(t)
	rounds := 100
	if testing.Short() {
		rounds = 20
	}
	outcomes := map[string]int{}
	for round := range rounds {
		d := dst(fmt.Sprintf("d%03d", round))
		if err := rs[0].Update(ctx, func(tx store.Tx) error { return tx.PutDestination(sc, d) }); err != nil {
			t.Fatal(err)
		}
		var del, create error
		var wg sync.WaitGroup
		start := make(chan struct{})
		wg.Add(2)
		go func() {
			defer wg.Done()
			<-start
			del = rs[round%2].Update(ctx, func(tx store.Tx) error {
				got, err := tx.Destination(sc, d.Name)
				if err != nil {
					return err
				}
				used, err := tx.DestinationInUse(got.Arn)
				if err != nil {
					return err
				}
				if used {
					return errInUse
				}
				return tx.DeleteDestination(sc, d.Name)
			})
		}()
		go func() {
			defer wg.Done()
			<-start
			create = rs[(round+1)%2].Update(ctx, func(tx store.Tx) error {
				if _, err := tx.Destination(sc, d.Name); err != nil {
					return err
				}
				return tx.PutDelivery(sc, dlv(fmt.Sprintf("x%03d", round), fmt.Sprintf("s%03d", round), d))
			})
		}()
		close(start)
		wg.Wait()
		switch {
		case del == nil && errors.Is(create, store.ErrNotFound):
			outcomes["delete first"]++
		case create == nil && errors.Is(del, errInUse):
			outcomes["create first"]++
		default:
			t.Errorf("round %d: delete = %v, create = %v; want exactly one to win", round, del, create)
		}
		rs[0].View(ctx, func(tx store.Tx) error {
			_, derr := tx.Destination(sc, d.Name)
			ds, err := tx.ListDeliveries(sc, "", 1000)
			if err != nil {
				t.Fatal(err)
			}
			for _, v := range ds {
				if v.DestinationArn == d.Arn && derr != nil {
					t.Errorf("round %d: delivery %s outlived its destination (%v)", round, v.ID, derr)
				}
			}
			return nil
		})
	}
	t.Logf("outcomes: %v", outcomes)
}

// TestRetriesThenConflict: a transaction that always loses its race runs
// MaxAttempts times, then Update gives up with an error wrapping
// store.ErrConflict; one that loses once runs again and commits.
func TestRetriesThenConflict(t *testing.T) {
	cfg := freshConfig(t)
	s := open(t, cfg)
	if err := s.Update(ctx, func(tx store.Tx) error { return tx.PutSource(sc, src("hot")) }); err != nil {
		t.Fatal(err)
	}
	// Another client, outside cwlogd and its locks.
	other, err := pgx.ConnectConfig(ctx, cfg.ConnConfig.Copy())
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close(ctx)
	// fn reads "hot", the other client changes it, then fn writes it:
	// PostgreSQL refuses the write (serialization failure).
	race := func(lose func(run int) bool) (runs int, err error) {
		err = s.Update(ctx, func(tx store.Tx) error {
			runs++
			v, err := tx.Source(sc, "hot")
			if err != nil {
				return err
			}
			if lose(runs) {
				if _, err := other.Exec(ctx, "UPDATE delivery_sources SET doc = doc WHERE name = 'hot'"); err != nil {
					t.Errorf("the other client's write: %v", err)
				}
			}
			v.LogType = fmt.Sprint("mine", runs)
			return tx.PutSource(sc, v)
		})
		return runs, err
	}
	runs, err := race(func(int) bool { return true })
	if !errors.Is(err, store.ErrConflict) || runs != postgres.MaxAttempts {
		t.Errorf("always losing: %d runs, %v; want %d runs and ErrConflict", runs, err, postgres.MaxAttempts)
	}
	t.Log(err)
	runs, err = race(func(run int) bool { return run == 1 })
	if err != nil || runs != 2 {
		t.Errorf("losing once: %d runs, %v; want 2 runs, success", runs, err)
	}
	s.View(ctx, func(tx store.Tx) error {
		if v, _ := tx.Source(sc, "hot"); v.LogType != "mine2" {
			t.Errorf("hot.LogType = %q, want mine2", v.LogType)
		}
		return nil
	})
}

func BenchmarkGetSource(b *testing.B) {
	storetest.BenchGetSource(b, open(b, freshConfig(b)))
}

func BenchmarkGetSourceParallel(b *testing.B) {
	storetest.BenchGetSourceParallel(b, open(b, freshConfig(b)))
}

func BenchmarkPutSource(b *testing.B) {
	storetest.BenchPutSource(b, open(b, freshConfig(b)))
}

func BenchmarkAppendLogEvents(b *testing.B) {
	storetest.BenchAppendLogEvents(b, open(b, freshConfig(b)))
}

func BenchmarkLogEventsRange(b *testing.B) {
	storetest.BenchLogEventsRange(b, open(b, freshConfig(b)))
}

// TestParallelAppendsToOneGroup: PutLogEvents to different streams of one
// group, as the service runs it (read the group, then append), from many
// goroutines on two replicas. They must not make each other lose and
// retry: an append writes only its own stream's row and new events.
func TestParallelAppendsToOneGroup(t *testing.T) {
	rs := replicas(t)
	const workers, rounds, per = 8, 30, 100
	g := model.LogGroup{Name: "busy", Arn: model.LogsARN(sc, "log-group", "busy"), CreationTime: 1, Class: "STANDARD"}
	err := rs[0].Update(ctx, func(tx store.Tx) error {
		if err := tx.CreateLogGroup(sc, g); err != nil {
			return err
		}
		for w := range workers {
			if err := tx.CreateLogStream(sc, g.Name, model.LogStream{Name: fmt.Sprint("s", w), CreationTime: 1}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	runs := 0
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			stream := fmt.Sprint("s", w)
			evs := make([]model.LogEvent, per)
			for r := range rounds {
				for i := range evs {
					evs[i] = model.LogEvent{Timestamp: int64(r*per + i), IngestionTime: 1, Message: strings.Repeat("x", 200)}
				}
				err := rs[w%2].Update(ctx, func(tx store.Tx) error {
					mu.Lock()
					runs++
					mu.Unlock()
					if _, err := tx.LogGroup(sc, g.Name); err != nil {
						return err
					}
					_, err := tx.AppendLogEvents(sc, g.Name, stream, evs)
					return err
				})
				if err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	appends := workers * rounds
	t.Logf("%d appends ran %d times", appends, runs)
	if retries := runs - appends; retries > appends/20 {
		t.Errorf("%d appends to different streams ran %d times: they conflict", appends, runs)
	}
	rs[1].View(ctx, func(tx store.Tx) error {
		got, err := tx.LogGroup(sc, g.Name)
		if want := int64(appends * per * 200); err != nil || got.StoredBytes != want {
			t.Errorf("StoredBytes = %d, %v; want %d", got.StoredBytes, err, want)
		}
		return nil
	})
}

func BenchmarkReadsAtScale(b *testing.B) {
	sqltest.BenchReadsAtScale(b, open(b, freshConfig(b)))
}

func BenchmarkAppendParallel(b *testing.B) {
	sqltest.BenchAppendParallel(b, open(b, freshConfig(b)))
}

func BenchmarkDeepCursor(b *testing.B) {
	sqltest.BenchDeepCursor(b, open(b, freshConfig(b)))
}
