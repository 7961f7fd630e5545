package sqlstore

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// Dialect is what the SQL stores do differently: the few log statements
// whose SQL differs, how Seqs are drawn and how blocks of log events are
// inserted. Everything else Tx runs is shared. The schemas differ too (see
// each store's migrations), in ways these statements hide.
type Dialect struct {
	// Name prefixes errors: "sqlite", "postgres".
	Name string

	// groupBytes is the SQL expression of the stored bytes of the
	// log_groups row g.
	groupBytes string
	// inList formats the condition that the column %[1]s is one of the
	// values of the list bound to parameter %[2]s; listArg makes that
	// parameter's value of a []int64 or a []string.
	inList  string
	listArg func(list any) (any, error)
	// purge selects up to $2 blocks holding events older than their
	// group's retention at $1 (Unix milliseconds): group_id, stream_id,
	// min_ts, min_seq, max_ts, events, bytes and the group's cutoff (the
	// events before it have expired).
	purge string
	// nextSeqs returns n new Seqs, increasing.
	nextSeqs func(t *Tx, op string, n int) ([]int64, error)
	// insertBlocks inserts blocks of the stream sid of the group gid;
	// insertSQL lists the statements it runs.
	insertBlocks func(t *Tx, op string, gid, sid int64, blocks []blockRow) error
	insertSQL    []string
	// blocks bounds the blocks of an append.
	blocks blockLimits

	once  sync.Once
	stmts *logStmts
}

// SQLite is the dialect of modernc.org/sqlite. Its schema keeps each log
// group's stored bytes in the group's row, by triggers, and gives events
// Seqs from a one-row counter, which its single writer updates without
// contention.
var SQLite = &Dialect{
	Name:       "sqlite",
	groupBytes: "g.bytes",
	inList:     "%s IN (SELECT value FROM json_each(%s))",
	listArg: func(list any) (any, error) {
		b, err := json.Marshal(list)
		return string(b), err
	},
	// CROSS JOIN makes SQLite loop over the groups and search each one's
	// blocks by the group index, rather than scan every block.
	purge: `SELECT b.group_id, b.stream_id, b.min_ts, b.min_seq, b.max_ts, b.events, b.bytes, $1 - g.retention_days * 86400000
FROM log_groups g CROSS JOIN log_blocks b
WHERE g.retention_days > 0 AND b.group_id = g.id AND b.min_ts < $1 - g.retention_days * 86400000
LIMIT $2`,
	nextSeqs:     sqliteNextSeqs,
	insertBlocks: sqliteInsertBlocks,
	insertSQL:    []string{qSQLiteNextSeqs, qSQLiteInsertBlock},
	blocks:       defaultBlocks,
}

// PostgreSQL is the dialect of pgx. Its schema keeps no per-group sum,
// which every append would have to update (making concurrent appends to
// one group conflict): a group's stored bytes is the sum over its streams.
// Events get Seqs from a sequence, in ranges, and an append's blocks are
// inserted by one statement, from arrays.
var PostgreSQL = &Dialect{
	Name:       "postgres",
	groupBytes: "(SELECT CAST(coalesce(sum(s.bytes), 0) AS BIGINT) FROM log_streams s WHERE s.group_id = g.id)",
	inList:     "%s = ANY(%s)",
	listArg:    func(list any) (any, error) { return list, nil },
	// The LATERAL subquery, ordered, reads each group's blocks through its
	// index and only as far as needed; a plain join lets the planner scan
	// every block, or collect all the expired ones in a bitmap, for each
	// batch.
	purge: `SELECT g.id, x.stream_id, x.min_ts, x.min_seq, x.max_ts, x.events, x.bytes, $1 - g.retention_days * 86400000
FROM log_groups g CROSS JOIN LATERAL (
	SELECT b.stream_id, b.min_ts, b.min_seq, b.max_ts, b.events, b.bytes FROM log_blocks b
	WHERE b.group_id = g.id AND b.min_ts < $1 - g.retention_days * 86400000
	ORDER BY b.min_ts LIMIT $2) x
WHERE g.retention_days > 0 LIMIT $2`,
	nextSeqs:     pgNextSeqs,
	insertBlocks: pgInsertBlocks,
	insertSQL:    []string{qPGNextSeqs, qPGInsertBlocks},
	blocks:       defaultBlocks,
}

// defaultBlocks bounds the blocks of both stores. Blocks of 8000 bytes
// (38 events of 200 bytes) measured best over appends, reads of one stream
// and reads of a group whose streams interleave in time, which read every
// block they touch, whole, for the few events of each stream in a page:
// 16 KiB appended 10% faster but read such groups 40% slower, 4 KiB the
// reverse. At this size a block is one page and one overflow page in
// SQLite (4 KiB pages), one tuple stored inline in PostgreSQL (see its
// toast_tuple_target). A minute of span bounds the look-back of reads
// (see events.go) while cutting a batch only when it spans far more than
// a client's usual flush interval.
var defaultBlocks = blockLimits{events: 4096, bytes: 8000, span: 60_000}

const (
	// The counter's row holds the last Seq handed out.
	qSQLiteNextSeqs    = `UPDATE log_event_seq SET last = last + $1 WHERE id = 1 RETURNING last`
	qSQLiteInsertBlock = `INSERT INTO log_blocks (group_id, stream_id, min_ts, min_seq, max_ts, max_seq, span, events, bytes, data) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`

	// The values come in no promised order: pgNextSeqs sorts them.
	qPGNextSeqs     = `SELECT array_agg(nextval('log_event_seq')) FROM generate_series(1, $1)`
	pgSeqRange      = 64 // the sequence's increment
	qPGInsertBlocks = `INSERT INTO log_blocks (group_id, stream_id, min_ts, min_seq, max_ts, max_seq, span, events, bytes, data)
SELECT $1, $2, u.min_ts, u.min_seq, u.max_ts, u.max_seq, u.max_ts - u.min_ts, u.events, u.bytes, u.data
FROM unnest($3::bigint[], $4::bigint[], $5::bigint[], $6::bigint[], $7::bigint[], $8::bigint[], $9::bytea[]) AS u (min_ts, min_seq, max_ts, max_seq, events, bytes, data)`
)

func sqliteNextSeqs(t *Tx, op string, n int) ([]int64, error) {
	var last int64
	if _, err := t.row(op, []any{&last}, qSQLiteNextSeqs, n); err != nil {
		return nil, err
	}
	seqs := make([]int64, n)
	for i := range seqs {
		seqs[i] = last - int64(n-1-i)
	}
	return seqs, nil
}

func sqliteInsertBlocks(t *Tx, op string, gid, sid int64, blocks []blockRow) error {
	for _, b := range blocks {
		if _, err := t.exec(op, qSQLiteInsertBlock, gid, sid, b.minTS, b.minSeq, b.maxTS, b.maxSeq, b.span(), b.events, b.bytes, b.data); err != nil {
			return err
		}
	}
	return nil
}

// pgNextSeqs draws the ranges of pgSeqRange Seqs that n events need.
func pgNextSeqs(t *Tx, op string, n int) ([]int64, error) {
	var starts []int64
	ranges := (n + pgSeqRange - 1) / pgSeqRange
	if _, err := t.row(op, []any{&starts}, qPGNextSeqs, ranges); err != nil {
		return nil, err
	}
	if len(starts) != ranges {
		return nil, t.wrap(op, fmt.Errorf("drew %d Seq ranges, want %d", len(starts), ranges))
	}
	slices.Sort(starts)
	seqs := make([]int64, n)
	for i := range seqs {
		seqs[i] = starts[i/pgSeqRange] + int64(i%pgSeqRange)
	}
	return seqs, nil
}

func pgInsertBlocks(t *Tx, op string, gid, sid int64, blocks []blockRow) error {
	cols := make([][]int64, 6)
	for i := range cols {
		cols[i] = make([]int64, len(blocks))
	}
	data := make([][]byte, len(blocks))
	for i, b := range blocks {
		cols[0][i], cols[1][i], cols[2][i], cols[3][i], cols[4][i], cols[5][i] = b.minTS, b.minSeq, b.maxTS, b.maxSeq, b.events, b.bytes
		data[i] = b.data
	}
	_, err := t.exec(op, qPGInsertBlocks, gid, sid, cols[0], cols[1], cols[2], cols[3], cols[4], cols[5], data)
	return err
}

// Queries lists every statement a Tx of d runs, so that a store can
// prepare them all before its first transaction.
func (d *Dialect) Queries() []string {
	s := d.logStmts()
	out := append([]string(nil), Queries...)
	out = append(out, logQueries...)
	out = append(out, d.insertSQL...)
	out = append(out, s.all()...)
	return out
}

// logStmts are the log statements built from a dialect's parts, indexed by
// the options of the query they answer.
type logStmts struct {
	group       string                        // id, doc, stored bytes of a group by key
	listGroups  [2][2][2]string               // [withBytes][lowerStrict][hasUpper]: id, doc (, stored bytes)
	streamsName [2][2][2]string               // [descending][lowerStrict][hasUpper]
	streamsLast [2][2][3]string               // [descending][after][prefix bounds]
	blocks      [2][nFilters][nBatches]string // [descending][filter][batch class]
	namedIDs    string                        // id, name, span of the streams of group $1 named in the list $2
	purge       string
}

// Event filters: which streams of the group an event query reads.
const (
	oneStream   = iota // the stream $1, by its index
	allStreams         // every stream of the group $1, by the group's index
	prefixUpper        // streams named in [$6, $7)
	prefixNoEnd        // streams named from $6 on
	streamList         // the streams whose ids are in the list $6
	nFilters
)

func (d *Dialect) logStmts() *logStmts {
	d.once.Do(func() { d.stmts = buildLogStmts(d) })
	return d.stmts
}

func (s *logStmts) all() []string {
	out := []string{s.group, s.namedIDs, s.purge}
	for _, a := range s.listGroups {
		for _, b := range a {
			out = append(out, b[:]...)
		}
	}
	for _, a := range s.streamsName {
		for _, b := range a {
			out = append(out, b[:]...)
		}
	}
	for _, a := range s.streamsLast {
		for _, b := range a {
			out = append(out, b[:]...)
		}
	}
	for _, a := range s.blocks {
		for _, b := range a {
			out = append(out, b[:]...)
		}
	}
	return out
}

// params numbers placeholders $1, $2, … in the order they are taken.
type params int

func (p *params) next() string {
	*p++
	return "$" + strconv.Itoa(int(*p))
}

const streamCols = `s.name, s.creation_time, s.first_ts, s.last_ts, s.last_ingest, s.bytes, s.events, s.last_seq`

func buildLogStmts(d *Dialect) *logStmts {
	s := &logStmts{
		group:    `SELECT g.id, g.doc, ` + d.groupBytes + ` FROM log_groups g WHERE g.account = $1 AND g.region = $2 AND g.name = $3`,
		namedIDs: `SELECT s.id, s.name, ` + streamSpan + ` FROM log_streams s WHERE s.group_id = $1 AND ` + fmt.Sprintf(d.inList, "s.name", "$2") + ` ORDER BY s.name`,
		purge:    d.purge,
	}
	for _, withBytes := range []int{0, 1} {
		for _, strict := range []int{0, 1} {
			for _, upper := range []int{0, 1} {
				s.listGroups[withBytes][strict][upper] = listGroupsSQL(d, withBytes == 1, strict == 1, upper == 1)
			}
		}
	}
	for _, desc := range []int{0, 1} {
		for _, a := range []int{0, 1} {
			for _, upper := range []int{0, 1} {
				s.streamsName[desc][a][upper] = streamsByNameSQL(desc == 1, a == 1, upper == 1)
			}
			for prefix := range 3 {
				s.streamsLast[desc][a][prefix] = streamsByLastSQL(desc == 1, a == 1, prefix)
			}
		}
		for f := range nFilters {
			for c := range nBatches {
				s.blocks[desc][f][c] = blocksSQL(d, desc == 1, f, batchSize(c))
			}
		}
	}
	return s
}

// listGroupsSQL: $1 account, $2 region, $3 the lower bound of names
// (strictly above it, or from it on), then the upper bound (below it) when
// there is one, then the limit.
func listGroupsSQL(d *Dialect, withBytes, lowerStrict, hasUpper bool) string {
	p := params(3)
	var b strings.Builder
	b.WriteString(`SELECT g.id, g.doc`)
	if withBytes {
		b.WriteString(`, ` + d.groupBytes)
	}
	b.WriteString(` FROM log_groups g WHERE g.account = $1 AND g.region = $2 AND g.name `)
	b.WriteString(map[bool]string{true: ">", false: ">="}[lowerStrict] + ` $3`)
	if hasUpper {
		b.WriteString(` AND g.name < ` + p.next())
	}
	b.WriteString(` ORDER BY g.name LIMIT ` + p.next())
	return b.String()
}

// streamsByNameSQL: $1 group id, $2 the lower bound of names (strictly
// above it, or from it on), then the upper bound (below it) when there is
// one, then the limit.
func streamsByNameSQL(desc, lowerStrict, hasUpper bool) string {
	p := params(2)
	var b strings.Builder
	b.WriteString(`SELECT ` + streamCols + ` FROM log_streams s WHERE s.group_id = $1 AND s.name `)
	b.WriteString(map[bool]string{true: ">", false: ">="}[lowerStrict] + ` $2`)
	if hasUpper {
		b.WriteString(` AND s.name < ` + p.next())
	}
	b.WriteString(` ORDER BY s.name` + dir(desc) + ` LIMIT ` + p.next())
	return b.String()
}

// streamsByLastSQL: $1 group id, then the prefix and its end (the upper
// bound of names), as many as prefix says, then the key (last event
// timestamp, name) to start after when there is one, then the limit.
// Without a prefix, the order is the one of SQLite's index on
// (group_id, last_ts, name); with one, the prefix's streams are sorted.
func streamsByLastSQL(desc, after bool, prefix int) string {
	p := params(1)
	var b strings.Builder
	b.WriteString(`SELECT ` + streamCols + ` FROM log_streams s WHERE s.group_id = $1`)
	if prefix >= prefixFrom {
		b.WriteString(` AND s.name >= ` + p.next())
	}
	if prefix == prefixRange {
		b.WriteString(` AND s.name < ` + p.next())
	}
	if after {
		op := map[bool]string{false: ">", true: "<"}[desc]
		b.WriteString(` AND (s.last_ts, s.name) ` + op + ` (` + p.next() + `, ` + p.next() + `)`)
	}
	b.WriteString(` ORDER BY s.last_ts` + dir(desc) + `, s.name` + dir(desc) + ` LIMIT ` + p.next())
	return b.String()
}

// How a query bounds names by a prefix: not at all, from the prefix on, or
// from it to its end.
const (
	noPrefix = iota
	prefixFrom
	prefixRange
)

// blocksSQL selects the blocks an event query reads, in the order of the
// query: by first key (min_ts, min_seq) ascending, or by last key (max_ts,
// max_seq) descending. $1 is the stream or group id, $2 and $3 the key to
// start strictly after, $4 and $5 the bounds on the other end of blocks:
// ascending, blocks that start at or before $4 and end at or after $5;
// descending, blocks that end at or after $4 and start at or before $5.
// The filter's parameters follow. The most blocks to return, limit, is
// part of the statement: SQLite, built with STAT4, prepares a statement
// again whenever the value of a bound LIMIT changes.
// Blocks come with their keys, events and data, and over a group with
// their stream's name.
//
// Each order has an index per stream and per group. The bound on the other
// end is written so that it cannot delimit a range of the other order's
// index, and a group's blocks get their stream's name from a subquery, not
// a join: without statistics (a new table, or new timestamps) PostgreSQL
// would walk the other index, or hash every block of the group past the
// cursor into a join, then sort.
func blocksSQL(d *Dialect, desc bool, filter, limit int) string {
	const name = `(SELECT s.name FROM log_streams s WHERE s.id = b.stream_id)`
	var b strings.Builder
	b.WriteString(`SELECT b.min_ts, b.min_seq, b.max_ts, b.max_seq, b.events, b.data`)
	if filter == oneStream {
		b.WriteString(` FROM log_blocks b WHERE b.stream_id = $1`)
	} else {
		b.WriteString(`, ` + name + ` FROM log_blocks b WHERE b.group_id = $1`)
	}
	if desc {
		b.WriteString(` AND (b.max_ts, b.max_seq) < ($2, $3) AND b.max_ts >= $4 AND b.min_ts + 0 <= $5`)
	} else {
		b.WriteString(` AND (b.min_ts, b.min_seq) > ($2, $3) AND b.min_ts <= $4 AND b.max_ts + 0 >= $5`)
	}
	switch filter {
	case prefixUpper:
		b.WriteString(` AND ` + name + ` >= $6 AND ` + name + ` < $7`)
	case prefixNoEnd:
		b.WriteString(` AND ` + name + ` >= $6`)
	case streamList:
		b.WriteString(` AND ` + fmt.Sprintf(d.inList, "b.stream_id", "$6"))
	}
	if desc {
		b.WriteString(` ORDER BY b.max_ts DESC, b.max_seq DESC`)
	} else {
		b.WriteString(` ORDER BY b.min_ts, b.min_seq`)
	}
	b.WriteString(` LIMIT ` + strconv.Itoa(limit))
	return b.String()
}

func dir(desc bool) string {
	if desc {
		return " DESC"
	}
	return ""
}
