// Package sqlstore is the part of cwlogd's SQL stores that does not depend on
// the database: the store.Tx implementation over a small query interface, the
// JSON format of the records kept in the doc columns, and the runner for
// embedded, numbered schema migrations. The sqlite and postgres packages
// supply connections, transactions and error mapping.
//
// Queries use $1, $2, … placeholders, which both PostgreSQL and
// modernc.org/sqlite accept, and standard SQL both understand (INSERT … ON
// CONFLICT … DO UPDATE, LIMIT, row values, RETURNING). Key columns compare
// bytewise in both stores (SQLite's BINARY collation, PostgreSQL's COLLATE
// "C"), matching the memory store's ordering. The little that differs (how
// Seqs are drawn and blocks of log events inserted, lists as parameters, a
// log group's stored bytes, the purge) is a Dialect.
//
// Log events are kept in blocks, a row per append (or per chunk of a large
// one) holding the append's events of one stream sorted by (ts, seq), in
// a compact encoding (block.go). Reads fetch the blocks that can hold
// events of their range in order, from where the longest block of the
// stream or group could start, and merge their events (events.go): one
// stream through its own indexes, a few named streams each through theirs
// and merged, more or a prefix through the group's with a filter on the
// stream.
//
// It imports model and store, and only the standard library besides.
package sqlstore

import (
	"context"
)

// Querier runs statements inside one open transaction.
type Querier interface {
	// Exec runs a statement and returns the number of rows it changed. Run
	// without arguments, query may hold several statements.
	Exec(ctx context.Context, query string, args ...any) (rowsAffected int64, err error)
	// Query runs a statement returning rows.
	Query(ctx context.Context, query string, args ...any) (Rows, error)
}

// Rows is a result set, read like database/sql's.
type Rows interface {
	Next() bool
	Scan(dest ...any) error
	// Err returns the error that ended Next, if any.
	Err() error
	Close() error
}
