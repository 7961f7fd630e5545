package sqlstore

import (
	"context"
	"fmt"
	"io/fs"
	"regexp"
	"sort"
	"strconv"
)

// Migration is one numbered schema change.
type Migration struct {
	Version int    // from the file name, counting from 1
	Name    string // file name
	SQL     string // statements, run as one Exec
}

var migrationName = regexp.MustCompile(`^([0-9]+)_[a-z0-9_]+\.sql$`)

// LoadMigrations reads the migrations in the root of fsys: files named
// NNN_description.sql whose numbers run 1, 2, 3… without a gap. The
// highest number is the schema version the binary supports.
func LoadMigrations(fsys fs.FS) ([]Migration, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("read migrations: %w", err)
	}
	var ms []Migration
	for _, e := range entries {
		m := migrationName.FindStringSubmatch(e.Name())
		if e.IsDir() || m == nil {
			return nil, fmt.Errorf("read migrations: %s is not named NNN_description.sql", e.Name())
		}
		v, err := strconv.Atoi(m[1])
		if err != nil {
			return nil, fmt.Errorf("read migrations: %s: %w", e.Name(), err)
		}
		b, err := fs.ReadFile(fsys, e.Name())
		if err != nil {
			return nil, fmt.Errorf("read migrations: %w", err)
		}
		ms = append(ms, Migration{Version: v, Name: e.Name(), SQL: string(b)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].Version < ms[j].Version })
	for i, m := range ms {
		if m.Version != i+1 {
			return nil, fmt.Errorf("read migrations: %s: want version %d (versions count from 1 without gaps or repeats)", m.Name, i+1)
		}
	}
	if len(ms) == 0 {
		return nil, fmt.Errorf("read migrations: none found")
	}
	return ms, nil
}

// TooNewError is the error of opening a database whose recorded schema
// version is newer than the binary's migrations: a newer cwlogd has used it,
// and this one cannot tell what the schema means.
type TooNewError struct {
	Database, Supported int
}

func (e *TooNewError) Error() string {
	return fmt.Sprintf("database schema version %d is newer than this cwlogd supports (%d): upgrade cwlogd", e.Database, e.Supported)
}

// Migrate brings the schema up to the last of ms inside q, an open
// transaction the caller commits, and returns the versions before and after.
// The version lives in the one-row table schema_version, which Migrate
// creates. It fails with *TooNewError when the database is ahead of ms.
//
// Migrate does not serialize itself against other processes: the caller
// holds a lock for the transaction (SQLite's write lock, PostgreSQL's
// advisory lock) and runs it at an isolation level where the version it
// reads after taking that lock is the committed one.
func Migrate(ctx context.Context, q Querier, ms []Migration) (from, to int, err error) {
	const create = `CREATE TABLE IF NOT EXISTS schema_version (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL)`
	if _, err := q.Exec(ctx, create); err != nil {
		return 0, 0, fmt.Errorf("create schema_version: %w", err)
	}
	rows, err := q.Query(ctx, `SELECT version FROM schema_version WHERE id = 1`)
	if err != nil {
		return 0, 0, fmt.Errorf("read schema version: %w", err)
	}
	if rows.Next() {
		err = rows.Scan(&from)
	}
	if err == nil {
		err = rows.Err()
	}
	if cerr := rows.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return 0, 0, fmt.Errorf("read schema version: %w", err)
	}
	to = len(ms)
	if from > to {
		return from, from, &TooNewError{Database: from, Supported: to}
	}
	if from == to {
		return from, to, nil
	}
	for _, m := range ms[from:] {
		if _, err := q.Exec(ctx, m.SQL); err != nil {
			return from, from, fmt.Errorf("migration %s: %w", m.Name, err)
		}
	}
	const set = `INSERT INTO schema_version (id, version) VALUES (1, $1) ON CONFLICT (id) DO UPDATE SET version = excluded.version`
	if _, err := q.Exec(ctx, set, to); err != nil {
		return from, from, fmt.Errorf("record schema version %d: %w", to, err)
	}
	return from, to, nil
}
