// Package postgres is cwlogd's shared store: a store.Store in a PostgreSQL
// database, through github.com/jackc/pgx/v5 (pgxpool), so that several
// cwlogd processes on one database behave as one service.
//
// The database, not the process, keeps them consistent: Update runs fn in a
// SERIALIZABLE transaction and runs it again, a bounded number of times with
// jittered backoff, when PostgreSQL reports a serialization failure (SQLSTATE
// 40001) or a deadlock (40P01); the one-delivery-per-(source, destination
// type) rule is also a unique constraint. View runs in a REPEATABLE READ,
// READ ONLY transaction. Open creates or upgrades the schema from the embedded
// migrations, serialized across processes with an advisory lock.
//
// So that a transaction cannot lose again and again, a retry runs alone: see
// Store.Update.
//
// Log events are appended in blocks, all of a batch in one statement, from
// arrays, and the schema is laid out so that appends to different streams
// of a group do not conflict (see migrations/003_logs.sql). For the same reason a writer reads
// log groups' stored bytes, like quota counts, outside its transaction.
//
// It imports model, store, sqlstore and pgx.
package postgres

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/cwlogd/cwlogd/internal/store"
	"github.com/cwlogd/cwlogd/internal/store/sqlstore"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// MaxAttempts is how many times Update runs fn before giving up on a
// transaction that keeps losing races.
const MaxAttempts = 10

// SQLSTATEs Update retries on, and the one it maps to store.ErrConflict.
const (
	serializationFailure = "40001"
	deadlockDetected     = "40P01"
	uniqueViolation      = "23505"
)

// Store is the PostgreSQL store.Store. It is safe for concurrent use.
type Store struct {
	pool    *pgxpool.Pool
	counts  *pgxpool.Pool // a small pool of its own: quota counts and stored bytes, read outside transactions
	name    string        // host:port/database, for errors
	lockKey int64         // advisory lock of the writers in this database and schema
}

var _ store.Store = (*Store)(nil)

// Open connects to the database dsn names, a PostgreSQL URL or key=value
// string as pgx reads it (pool settings such as pool_max_conns included),
// and brings the schema up to date. Tables live in the connection's
// search_path schema, normally public.
func Open(ctx context.Context, dsn string) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("postgres: open: %w", err)
	}
	return OpenConfig(ctx, cfg)
}

// OpenConfig is Open with a parsed configuration, which it does not change.
// Set cfg.ConnConfig.RuntimeParams["search_path"] to keep the tables in a
// schema of their own.
func OpenConfig(ctx context.Context, cfg *pgxpool.Config) (*Store, error) {
	cc := cfg.ConnConfig
	name := fmt.Sprintf("%s:%d/%s", cc.Host, cc.Port, cc.Database)
	ms, err := loadMigrations()
	if err != nil {
		return nil, fmt.Errorf("postgres: open %s: %w", name, err)
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg.Copy())
	if err != nil {
		return nil, fmt.Errorf("postgres: open %s: %w", name, err)
	}
	s := &Store{pool: pool, name: name}
	if err := s.migrate(ctx, ms); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: open %s: %w", name, err)
	}
	const key = `SELECT hashtextextended('cwlogd writers ' || coalesce(current_schema(), ''), 0)`
	if err := pool.QueryRow(ctx, key).Scan(&s.lockKey); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: open %s: %w", name, err)
	}
	// Counts come from a pool of their own so that a transaction holding a
	// connection of the main pool never waits on that pool for its count.
	// Every PutLogEvents reads one (its group's stored bytes), so the pool
	// grows with the main one.
	countsCfg := cfg.Copy()
	countsCfg.MaxConns, countsCfg.MinConns = max(2, cfg.MaxConns/4), 0
	if s.counts, err = pgxpool.NewWithConfig(ctx, countsCfg); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: open %s: %w", name, err)
	}
	return s, nil
}

func loadMigrations() ([]sqlstore.Migration, error) {
	sub, err := fs.Sub(migrationFiles, "migrations")
	if err != nil {
		return nil, err
	}
	return sqlstore.LoadMigrations(sub)
}

// migrate applies the migrations in one transaction, holding an advisory
// lock for the current schema so that processes starting together migrate
// one after the other. It runs at READ COMMITTED so that the version it reads
// once it holds the lock is the one the previous holder committed.
func (s *Store) migrate(ctx context.Context, ms []sqlstore.Migration) error {
	tx, err := s.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.ReadCommitted})
	if err != nil {
		return fmt.Errorf("begin migration: %w", err)
	}
	defer tx.Rollback(ctx)
	const lock = `SELECT pg_advisory_xact_lock(hashtextextended('cwlogd schema ' || coalesce(current_schema(), ''), 0))`
	if _, err := tx.Exec(ctx, lock); err != nil {
		return fmt.Errorf("lock for migration: %w", err)
	}
	if _, _, err := sqlstore.Migrate(ctx, querier{tx}, ms); err != nil {
		return err
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("commit migration: %w", err)
	}
	return nil
}

// View runs fn in a REPEATABLE READ, READ ONLY transaction: one snapshot.
//
// Reads of log events walk an index in order and stop after a few blocks
// (see sqlstore). Without statistics (a new table; autovacuum off) the
// planner counts on a handful of rows and would rather collect every block
// past the start in a bitmap and sort them, however many they are: the
// transaction does without bitmap scans, which none of its reads needs.
func (s *Store) View(ctx context.Context, fn func(store.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	const begin = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET LOCAL enable_bitmapscan = off"
	tx, err := s.pool.BeginTx(ctx, pgx.TxOptions{BeginQuery: begin})
	if err != nil {
		return fmt.Errorf("postgres: begin read: %w", err)
	}
	defer tx.Rollback(ctx)
	return fn(sqlstore.NewTx(ctx, querier{tx}, sqlstore.PostgreSQL, true))
}

// Update runs fn in a SERIALIZABLE transaction, and again when the
// transaction loses a race with another writer (in this process or
// another), at most MaxAttempts times; then it returns an error wrapping
// store.ErrConflict. fn's own error ends Update at once, unless the
// transaction had already lost: then fn's decisions rested on a doomed
// transaction and it runs again.
//
// On tables this small PostgreSQL tracks reads by page or by table, so
// writers of unrelated records conflict too, and under load an unlucky one
// could lose every time. Hence the first attempt runs alongside other
// writers, holding an advisory lock in shared mode, and a retry runs alone:
// it takes the lock in exclusive mode before it begins, so its snapshot
// already holds every cwlogd writer it waited for. It can then lose only to
// writers outside cwlogd. The lock is PostgreSQL's, held by every replica.
func (s *Store) Update(ctx context.Context, fn func(store.Tx) error) error {
	return s.update(ctx, func(t *sqlstore.Tx) error { return fn(t) })
}

// Reset deletes every record.
func (s *Store) Reset(ctx context.Context) error {
	return s.update(ctx, (*sqlstore.Tx).DeleteAll)
}

// Close closes the pool's connections. Closing again does nothing.
func (s *Store) Close() error {
	s.pool.Close()
	if s.counts != nil {
		s.counts.Close()
	}
	return nil
}

func (s *Store) update(ctx context.Context, fn func(*sqlstore.Tx) error) error {
	var err error
	for attempt := 1; attempt <= MaxAttempts; attempt++ {
		if attempt > 1 {
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(backoff(attempt - 1)):
			}
		}
		if cerr := ctx.Err(); cerr != nil {
			return cerr
		}
		var again bool
		if attempt == 1 {
			again, err = s.together(ctx, fn)
		} else {
			again, err = s.alone(ctx, fn)
		}
		if !again {
			return err
		}
	}
	return fmt.Errorf("postgres: update: %w: transaction lost to concurrent writers %d times: %w", store.ErrConflict, MaxAttempts, err)
}

// backoff is the pause after the n-th lost attempt: about 1ms, doubling to
// at most about 32ms, drawn from [d/2, d) so that racing writers drift apart.
func backoff(n int) time.Duration {
	d := time.Millisecond << min(n-1, 5)
	return d/2 + rand.N(d/2)
}

// together runs fn alongside other writers, which hold the writers' lock
// in shared mode too; a writer running alone waits for them.
func (s *Store) together(ctx context.Context, fn func(*sqlstore.Tx) error) (again bool, err error) {
	begin := fmt.Sprintf("BEGIN ISOLATION LEVEL SERIALIZABLE READ WRITE; SELECT pg_advisory_xact_lock_shared(%d)", s.lockKey)
	return s.attempt(ctx, s.pool, pgx.TxOptions{BeginQuery: begin}, fn)
}

// alone runs fn holding the writers' lock in exclusive mode, taken on the
// session before the transaction begins.
func (s *Store) alone(ctx context.Context, fn func(*sqlstore.Tx) error) (again bool, err error) {
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return false, fmt.Errorf("postgres: acquire connection: %w", err)
	}
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock($1)", s.lockKey); err != nil {
		// Whether or not the lock was granted, ending the session drops it.
		conn.Hijack().Close(context.WithoutCancel(ctx))
		return false, fmt.Errorf("postgres: lock writers: %w", err)
	}
	defer func() {
		// The lock belongs to the session: unlock it, or end the session.
		uctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		if _, err := conn.Exec(uctx, "SELECT pg_advisory_unlock($1)", s.lockKey); err != nil {
			conn.Hijack().Close(uctx)
			return
		}
		conn.Release()
	}()
	return s.attempt(ctx, conn, pgx.TxOptions{IsoLevel: pgx.Serializable, AccessMode: pgx.ReadWrite}, fn)
}

type beginner interface {
	BeginTx(ctx context.Context, opts pgx.TxOptions) (pgx.Tx, error)
}

// attempt runs fn once and reports whether the transaction lost a race, in
// which case Update may try again.
func (s *Store) attempt(ctx context.Context, b beginner, opts pgx.TxOptions, fn func(*sqlstore.Tx) error) (again bool, err error) {
	tx, err := b.BeginTx(ctx, opts)
	if err != nil {
		return lostRace(err), fmt.Errorf("postgres: begin: %w", err)
	}
	defer tx.Rollback(ctx) // after Commit, a no-op; after a panic in fn, the cleanup
	t := sqlstore.NewTx(ctx, querier{tx}, sqlstore.PostgreSQL, false).WithCounts(poolQuerier{s.counts})
	ferr := fn(t)
	if dbErr := t.Err(); lostRace(dbErr) {
		return true, dbErr
	}
	if ferr != nil {
		return false, ferr
	}
	if err := tx.Commit(ctx); err != nil {
		if lostRace(err) {
			return true, err
		}
		if dbErr := t.Err(); dbErr != nil {
			// fn went on after a failed statement, which aborted the transaction.
			return false, fmt.Errorf("postgres: commit: %w (the transaction was aborted by: %w)", err, dbErr)
		}
		return false, fmt.Errorf("postgres: commit: %w", err)
	}
	return false, nil
}

// lostRace reports whether err is PostgreSQL refusing a transaction because
// of a concurrent one: running it again can succeed.
func lostRace(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == serializationFailure || pe.Code == deadlockDetected)
}

// querier runs the shared statements on a pgx transaction.
type querier struct{ tx pgx.Tx }

func (q querier) Exec(ctx context.Context, query string, args ...any) (int64, error) {
	tag, err := q.tx.Exec(ctx, query, args...)
	if err != nil {
		return 0, mapErr(err)
	}
	return tag.RowsAffected(), nil
}

func (q querier) Query(ctx context.Context, query string, args ...any) (sqlstore.Rows, error) {
	r, err := q.tx.Query(ctx, query, args...)
	if err != nil {
		return nil, mapErr(err)
	}
	return rows{r}, nil
}

// poolQuerier reads through a pool, outside any transaction.
type poolQuerier struct{ pool *pgxpool.Pool }

func (q poolQuerier) Exec(ctx context.Context, query string, args ...any) (int64, error) {
	tag, err := q.pool.Exec(ctx, query, args...)
	if err != nil {
		return 0, mapErr(err)
	}
	return tag.RowsAffected(), nil
}

func (q poolQuerier) Query(ctx context.Context, query string, args ...any) (sqlstore.Rows, error) {
	r, err := q.pool.Query(ctx, query, args...)
	if err != nil {
		return nil, mapErr(err)
	}
	return rows{r}, nil
}

type rows struct{ pgx.Rows }

func (r rows) Err() error { return mapErr(r.Rows.Err()) }

func (r rows) Close() error {
	r.Rows.Close()
	return r.Err()
}

// mapErr makes a unique violation wrap store.ErrConflict.
func mapErr(err error) error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == uniqueViolation {
		return fmt.Errorf("%w: %w", store.ErrConflict, err)
	}
	return err
}

// SchemaVersion is the schema version this binary writes: the number of its
// embedded migrations.
func SchemaVersion() int {
	ms, err := loadMigrations()
	if err != nil {
		return 0
	}
	return len(ms)
}
