// Package sqlite is cwlogd's embedded store: a store.Store kept in one SQLite
// database file, cwlogd.db, in a data directory, through the pure-Go driver
// modernc.org/sqlite.
//
// The database runs in WAL mode with synchronous=FULL, so a write is on disk
// before Update returns and survives the process being killed or the machine
// losing power. Writes are serialized through one connection that begins
// every transaction with BEGIN IMMEDIATE, and Updates that arrive together
// share one transaction, each in its own savepoint (group commit: one fsync
// for the batch, see groupcommit.go); View reads from a separate pool of
// read-only connections, which WAL lets run alongside the writer. The schema
// is created and upgraded at Open from the embedded migrations.
//
// It imports model, store, sqlstore and modernc.org/sqlite.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	sqlite "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/cwlogd/cwlogd/internal/store"
	"github.com/cwlogd/cwlogd/internal/store/sqlstore"
)

// FileName is the name of the database file in the data directory.
const FileName = "cwlogd.db"

// busyTimeoutMS is how long a connection waits for a lock another process
// holds before failing with SQLITE_BUSY.
const busyTimeoutMS = 5000

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Store is the SQLite store.Store. It is safe for concurrent use.
type Store struct {
	path    string
	writer  *sql.DB    // one connection: every Update
	commits *committer // runs Updates on writer, in batches

	writeStmts, readStmts *stmtCache
	reader                *sql.DB // read-only connections: View

	closeOnce sync.Once
	closeErr  error
}

var _ store.Store = (*Store)(nil)

// Open opens the store in the data directory dir, creating the directory
// (mode 0700) and the database (mode 0600) when missing, and brings the
// schema up to date. It fails when dir is not a writable directory, when
// cwlogd.db is not a SQLite database, or when its schema is newer than this
// binary knows.
func Open(ctx context.Context, dir string) (*Store, error) {
	if dir == "" {
		return nil, errors.New("sqlite: open: no data directory given")
	}
	dir, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", dir, err)
	}
	path := filepath.Join(dir, FileName)
	if err := checkDir(dir, path); err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	migrations, err := loadMigrations()
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}

	s := &Store{path: path}
	s.writer, err = sql.Open("sqlite", dsn(path,
		"_txlock=immediate", "_journal_mode=WAL", "_synchronous=FULL", "_foreign_keys=1"))
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	s.writer.SetMaxOpenConns(1)
	s.writer.SetMaxIdleConns(1)
	s.writer.SetConnMaxLifetime(0)
	s.writer.SetConnMaxIdleTime(0)
	s.commits = startCommitter(s.writer)
	if err := s.setUp(ctx, migrations); err != nil {
		s.commits.close()
		s.writer.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, explain(err))
	}

	n := max(4, runtime.GOMAXPROCS(0))
	s.reader, err = sql.Open("sqlite", dsn(path, "_query_only=1", "_foreign_keys=1"))
	if err == nil {
		s.reader.SetMaxOpenConns(n)
		s.reader.SetMaxIdleConns(n)

		err = s.reader.PingContext(ctx)
	}
	if err != nil {
		s.Close()
		return nil, fmt.Errorf("sqlite: open %s: read connection: %w", path, explain(err))
	}
	// Prepared only now: the tables exist, and no transaction holds the
	// writer's one connection. The committer sees the cache from its next
	// request on (the request's channel send orders the write before).
	if s.writeStmts, err = newStmtCache(ctx, s.writer); err == nil {
		s.readStmts, err = newStmtCache(ctx, s.reader)
	}
	if err != nil {
		s.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, explain(err))
	}
	s.commits.stmts = s.writeStmts
	return s, nil
}

// Path returns the database file's path.
func (s *Store) Path() string { return s.path }

// checkDir makes sure dir is a directory cwlogd can write in and that the
// database file can be opened for writing, so that these common mistakes get
// a plain error rather than SQLite's "unable to open database file". What it
// creates, it makes durable: a new directory entry is fsynced.
func checkDir(dir, path string) error {
	_, err := os.Stat(dir)
	newDir := errors.Is(err, fs.ErrNotExist)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("data directory: %w", err)
	}
	probe, err := os.CreateTemp(dir, ".cwlogd-probe-*")
	if err != nil {
		return fmt.Errorf("data directory is not writable: %w", err)
	}
	probe.Close()
	os.Remove(probe.Name())
	newFile := true
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		newFile = false
		f, err = os.OpenFile(path, os.O_RDWR, 0)
	}
	if err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if newDir {
		if err := syncDir(filepath.Dir(dir)); err != nil {
			return err
		}
	}
	if newDir || newFile {
		return syncDir(dir)
	}
	return nil
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("fsync %s: %w", dir, err)
	}
	return nil
}

// setUp checks the writer's durability settings and migrates the schema.
func (s *Store) setUp(ctx context.Context, migrations []sqlstore.Migration) error {
	var mode string
	if err := s.writer.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil {
		return err
	}
	if !strings.EqualFold(mode, "wal") {
		return fmt.Errorf("journal_mode is %q, not WAL (is the data directory on a file system without shared memory?)", mode)
	}
	var sync int
	if err := s.writer.QueryRowContext(ctx, "PRAGMA synchronous").Scan(&sync); err != nil {
		return err
	}
	if sync != 2 {
		return fmt.Errorf("synchronous is %d, not FULL (2)", sync)
	}
	return s.update(ctx, func(t *sqlTx) error {
		_, _, err := sqlstore.Migrate(ctx, t.q, migrations)
		return err
	})
}

func loadMigrations() ([]sqlstore.Migration, error) {
	sub, err := fs.Sub(migrationFiles, "migrations")
	if err != nil {
		return nil, err
	}
	return sqlstore.LoadMigrations(sub)
}

// dsn returns the modernc.org/sqlite data source name of the file at path
// with the driver parameters params. The path is a SQLite URI path, with the
// characters that would end it escaped.
func dsn(path string, params ...string) string {
	esc := strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23")
	params = append([]string{"_busy_timeout=" + fmt.Sprint(busyTimeoutMS)}, params...)
	return "file:" + esc.Replace(filepath.ToSlash(path)) + "?" + strings.Join(params, "&")
}

// View runs fn in a read-only transaction on a reader connection. It sees
// the last committed state as of its first read.
func (s *Store) View(ctx context.Context, fn func(store.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	tx, err := s.reader.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return fmt.Errorf("sqlite: begin read: %w", mapErr(err))
	}
	defer tx.Rollback()
	return fn(sqlstore.NewTx(ctx, querier{tx, s.readStmts}, sqlstore.SQLite, true))
}

// Update runs fn in a write transaction, which holds the database's one
// write lock from its start: fn runs once, never concurrently with another
// Update, so it cannot lose a race. It returns once fn's writes are on disk. Update fails with an error wrapping
// store.ErrConflict only when another process holds the lock for longer than
// the busy timeout.
func (s *Store) Update(ctx context.Context, fn func(store.Tx) error) error {
	return s.update(ctx, func(t *sqlTx) error { return fn(t.Tx) })
}

// Reset deletes every record.
func (s *Store) Reset(ctx context.Context) error {
	return s.update(ctx, func(t *sqlTx) error { return t.DeleteAll() })
}

// Close closes the connections; the last one to close checkpoints the WAL
// into the database file. Closing again does nothing.
func (s *Store) Close() error {
	s.closeOnce.Do(func() {
		var errs []error
		if s.reader != nil {
			s.readStmts.close()
			errs = append(errs, s.reader.Close())
		}
		s.commits.close()
		s.writeStmts.close()
		errs = append(errs, s.writer.Close())
		if err := errors.Join(errs...); err != nil {
			s.closeErr = fmt.Errorf("sqlite: close %s: %w", s.path, err)
		}
	})
	return s.closeErr
}

// sqlTx is a write transaction: the shared Tx and the querier under it.
type sqlTx struct {
	*sqlstore.Tx
	q querier
}

func (s *Store) update(ctx context.Context, fn func(*sqlTx) error) error {
	return s.commits.do(ctx, fn)
}

// querier runs the shared statements on a database/sql transaction, each
// prepared once per database and connection and then reused.
type querier struct {
	tx    *sql.Tx
	stmts *stmtCache
}

func (q querier) Exec(ctx context.Context, query string, args ...any) (int64, error) {
	var res sql.Result
	var err error
	if stmt := q.stmts.lookup(query); stmt != nil {
		res, err = q.tx.StmtContext(ctx, stmt).ExecContext(ctx, args...)
	} else { // migrations and savepoints
		res, err = q.tx.ExecContext(ctx, query, args...)
	}
	if err != nil {
		return 0, mapErr(err)
	}
	return res.RowsAffected()
}

func (q querier) Query(ctx context.Context, query string, args ...any) (sqlstore.Rows, error) {
	var r *sql.Rows
	var err error
	if stmt := q.stmts.lookup(query); stmt != nil {
		r, err = q.tx.StmtContext(ctx, stmt).QueryContext(ctx, args...)
	} else {
		r, err = q.tx.QueryContext(ctx, query, args...)
	}
	if err != nil {
		return nil, mapErr(err)
	}
	return rows{r}, nil
}

// stmtCache holds the statements of sqlstore prepared on one *sql.DB. They
// are all prepared at Open, before any transaction holds the connection;
// a query not among them runs unprepared.
type stmtCache struct {
	m map[string]*sql.Stmt // read-only after newStmtCache
}

func newStmtCache(ctx context.Context, db *sql.DB) (*stmtCache, error) {
	c := &stmtCache{m: map[string]*sql.Stmt{}}
	for _, q := range sqlstore.SQLite.Queries() {
		st, err := db.PrepareContext(ctx, q)
		if err != nil {
			c.close()
			return nil, fmt.Errorf("prepare %q: %w", q, err)
		}
		c.m[q] = st
	}
	return c, nil
}

// lookup returns the prepared statement of query, or nil.
func (c *stmtCache) lookup(query string) *sql.Stmt {
	if c == nil {
		return nil
	}
	return c.m[query]
}

func (c *stmtCache) close() {
	if c == nil {
		return
	}
	for _, st := range c.m {
		st.Close()
	}
}

type rows struct{ *sql.Rows }

func (r rows) Err() error { return mapErr(r.Rows.Err()) }

// mapErr makes SQLite's lock and uniqueness failures wrap store.ErrConflict.
func mapErr(err error) error {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return err
	}
	switch code := se.Code(); {
	case code&0xff == sqlite3.SQLITE_BUSY, code&0xff == sqlite3.SQLITE_LOCKED,
		code == sqlite3.SQLITE_CONSTRAINT_UNIQUE, code == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
		return fmt.Errorf("%w: %w", store.ErrConflict, err)
	}
	return err
}

// explain adds what an error at Open most likely means.
func explain(err error) error {
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT:
			return fmt.Errorf("not a usable SQLite database (corrupt, or not written by cwlogd): %w", err)
		case sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PERM, sqlite3.SQLITE_READONLY:
			return fmt.Errorf("cannot open the database for writing: %w", err)
		}
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
