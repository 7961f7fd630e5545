package sqlstore

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/cwlogd/cwlogd/internal/model"
)

// Dialect is what the SQL stores do differently: the few log statements
// whose SQL differs, and how a batch of log events is inserted. Everything
// else Tx runs is shared. The schemas differ too (see each store's
// migrations), in ways these statements hide.
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
	// purge deletes up to $2 events older than their group's retention at
	// $1 (Unix milliseconds), returning group_id, stream_id and the byte
	// length of the message of each.
	purge string
	// insertEvents inserts evs into the stream sid of the group gid, each
	// with the next Seq, and returns the last Seq; insertSQL lists the
	// statements it runs.
	insertEvents func(t *Tx, op string, gid, sid int64, evs []model.LogEvent) (lastSeq int64, err error)
	insertSQL    []string

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
	// events by the group index, rather than scan every event.
	purge: `DELETE FROM log_events WHERE seq IN (
	SELECT e.seq FROM log_groups g CROSS JOIN log_events e
	WHERE g.retention_days > 0 AND e.group_id = g.id AND e.ts < $1 - g.retention_days * 86400000 LIMIT $2)
RETURNING group_id, stream_id, octet_length(message)`,
	insertEvents: sqliteInsertEvents,
	insertSQL:    append([]string{qSQLiteNextSeqs}, sqliteInsertSQL...),
}

// PostgreSQL is the dialect of pgx. Its schema keeps no per-group sum,
// which every append would have to update (making concurrent appends to
// one group conflict): a group's stored bytes is the sum over its streams.
// Events get Seqs from a sequence and are inserted by one statement per
// batch, from arrays.
var PostgreSQL = &Dialect{
	Name:       "postgres",
	groupBytes: "(SELECT CAST(coalesce(sum(s.bytes), 0) AS BIGINT) FROM log_streams s WHERE s.group_id = g.id)",
	inList:     "%s = ANY(%s)",
	listArg:    func(list any) (any, error) { return list, nil },
	// log_events has no primary key (seq is unique by the sequence): rows
	// are deleted by their physical address. The LATERAL subquery, ordered,
	// reads each group's events through its index and only as far as
	// needed; a plain join lets the planner scan every event, or collect
	// all the expired ones in a bitmap, for each batch.
	purge: `DELETE FROM log_events WHERE ctid = ANY(ARRAY(
	SELECT x.ctid FROM log_groups g CROSS JOIN LATERAL (
		SELECT e.ctid FROM log_events e WHERE e.group_id = g.id AND e.ts < $1 - g.retention_days * 86400000
		ORDER BY e.ts LIMIT $2) x
	WHERE g.retention_days > 0 LIMIT $2))
RETURNING group_id, stream_id, octet_length(message)`,
	insertEvents: pgInsertEvents,
	insertSQL:    []string{qPGInsertEvents},
}

const (
	// The counter's row holds the last Seq handed out.
	qSQLiteNextSeqs = `UPDATE log_event_seq SET last = last + $1 WHERE id = 1 RETURNING last`

	// ORDER BY u.n: nextval runs in the order of the arrays, as PostgreSQL
	// evaluates volatile output expressions after ORDER BY (it knows
	// ordinality is sorted: no sort runs).
	qPGInsertEvents = `WITH ins AS (
	INSERT INTO log_events (seq, group_id, stream_id, ts, ingest, message)
	SELECT nextval('log_event_seq'), $1, $2, u.ts, u.ingest, u.message
	FROM unnest($3::bigint[], $4::bigint[], $5::bytea[]) WITH ORDINALITY AS u (ts, ingest, message, n)
	ORDER BY u.n
	RETURNING seq)
SELECT max(seq) FROM ins`
)

// sqliteChunks are the numbers of rows of the prepared multi-row inserts
// sqliteInsertEvents runs, largest first; the last must be 1. Batches of
// 1000 took about 15% less CPU in chunks of 64 than row by row, and more
// in chunks of 256.
var sqliteChunks = []int{64, 8, 1}

// sqliteInsertSQL[i] inserts sqliteChunks[i] rows: $1 the group id, $2 the
// stream id, then seq, ts, ingest and message of each row.
var sqliteInsertSQL = func() []string {
	out := make([]string, len(sqliteChunks))
	for i, n := range sqliteChunks {
		var b strings.Builder
		b.WriteString(`INSERT INTO log_events (seq, group_id, stream_id, ts, ingest, message) VALUES `)
		p := params(2)
		for r := range n {
			if r > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "(%s, $1, $2, %s, %s, %s)", p.next(), p.next(), p.next(), p.next())
		}
		out[i] = b.String()
	}
	return out
}()

func sqliteInsertEvents(t *Tx, op string, gid, sid int64, evs []model.LogEvent) (int64, error) {
	var last int64
	if _, err := t.row(op, []any{&last}, qSQLiteNextSeqs, len(evs)); err != nil {
		return 0, err
	}
	seq := last - int64(len(evs))
	args := make([]any, 0, 2+4*sqliteChunks[0])
	for i, n := range sqliteChunks {
		for len(evs) >= n {
			args = append(args[:0], gid, sid)
			for _, e := range evs[:n] {
				seq++
				args = append(args, seq, e.Timestamp, e.IngestionTime, e.Message)
			}
			if _, err := t.exec(op, sqliteInsertSQL[i], args...); err != nil {
				return 0, err
			}
			evs = evs[n:]
		}
	}
	return last, nil
}

func pgInsertEvents(t *Tx, op string, gid, sid int64, evs []model.LogEvent) (int64, error) {
	ts := make([]int64, len(evs))
	ingest := make([]int64, len(evs))
	msgs := make([][]byte, len(evs))
	for i, e := range evs {
		ts[i], ingest[i], msgs[i] = e.Timestamp, e.IngestionTime, []byte(e.Message)
	}
	var last int64
	if _, err := t.row(op, []any{&last}, qPGInsertEvents, gid, sid, ts, ingest, msgs); err != nil {
		return 0, err
	}
	return last, nil
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
	group       string          // id, doc, stored bytes of a group by key
	listGroups  [2][2][2]string // [withBytes][lowerStrict][hasUpper]: id, doc (, stored bytes)
	streamsName [2][2][2]string // [descending][lowerStrict][hasUpper]
	streamsLast [2][2][3]string // [descending][after][prefix bounds]
	events      [2][nFilters]string
	namedIDs    string // id, name of the streams of group $1 named in the list $2
	purge       string
}

// Event filters: which streams of the group an event query reads.
const (
	oneStream   = iota // the stream $1, by its index
	allStreams         // every stream of the group $1, by the group's index
	prefixUpper        // streams named in [$7, $8)
	prefixNoEnd        // streams named from $7 on
	streamList         // the streams whose ids are in the list $7
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
	for _, a := range s.events {
		out = append(out, a[:]...)
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
		namedIDs: `SELECT id, name FROM log_streams WHERE group_id = $1 AND ` + fmt.Sprintf(d.inList, "name", "$2") + ` ORDER BY name`,
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
			s.events[desc][f] = eventsSQL(d, desc == 1, f)
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

// eventsSQL: $1 the stream or group id, $2 and $3 the (ts, seq) to start
// strictly after, $4 and $5 the one to stop strictly before, $6 the limit,
// then the filter's parameters. Reads over a group join the stream for its
// name.
func eventsSQL(d *Dialect, desc bool, filter int) string {
	var b strings.Builder
	if filter == oneStream {
		b.WriteString(`SELECT e.seq, e.ts, e.ingest, e.message FROM log_events e WHERE e.stream_id = $1`)
	} else {
		b.WriteString(`SELECT e.seq, e.ts, e.ingest, e.message, s.name FROM log_events e JOIN log_streams s ON s.id = e.stream_id WHERE e.group_id = $1`)
	}
	b.WriteString(` AND (e.ts, e.seq) > ($2, $3) AND (e.ts, e.seq) < ($4, $5)`)
	switch filter {
	case prefixUpper:
		b.WriteString(` AND s.name >= $7 AND s.name < $8`)
	case prefixNoEnd:
		b.WriteString(` AND s.name >= $7`)
	case streamList:
		b.WriteString(` AND ` + fmt.Sprintf(d.inList, "e.stream_id", "$7"))
	}
	b.WriteString(` ORDER BY e.ts` + dir(desc) + `, e.seq` + dir(desc) + ` LIMIT $6`)
	return b.String()
}

func dir(desc bool) string {
	if desc {
		return " DESC"
	}
	return ""
}
