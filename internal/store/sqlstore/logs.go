package sqlstore

import (
	"slices"

	"github.com/cwlogd/cwlogd/internal/model"
	"github.com/cwlogd/cwlogd/internal/store"
)

// The log statements both dialects share; the others are built per dialect
// (see Dialect).
//
// Log groups and streams have integer ids, never reused, and blocks of
// events name theirs: a group or stream created again under an old name
// starts empty.
const (
	qGroupRow          = `SELECT id, doc FROM log_groups WHERE account = $1 AND region = $2 AND name = $3`
	qGroupID           = `SELECT id FROM log_groups WHERE account = $1 AND region = $2 AND name = $3`
	qInsertGroup       = `INSERT INTO log_groups (account, region, name, retention_days, doc) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (account, region, name) DO NOTHING`
	qUpdateGroup       = `UPDATE log_groups SET retention_days = $4, doc = $5 WHERE account = $1 AND region = $2 AND name = $3`
	qDeleteGroup       = `DELETE FROM log_groups WHERE id = $1`
	qDeleteGroupBlocks = `DELETE FROM log_blocks WHERE group_id = $1`
	qDeleteGroupStrms  = `DELETE FROM log_streams WHERE group_id = $1`
	qDeleteArnPolicies = `DELETE FROM resource_policies WHERE account = $1 AND region = $2 AND resource_arn = $3`
	qCountGroups       = `SELECT coalesce(sum(n), 0) FROM scope_counts WHERE account = $1 AND region = $2 AND kind = 'log_groups'`
	qGroupBytes        = `SELECT CAST(coalesce(sum(bytes), 0) AS BIGINT) FROM log_streams WHERE group_id = $1`

	qStream           = `SELECT g.id, s.id, ` + streamCols + ` FROM log_groups g JOIN log_streams s ON s.group_id = g.id WHERE g.account = $1 AND g.region = $2 AND g.name = $3 AND s.name = $4`
	qInsertStream     = `INSERT INTO log_streams (group_id, name, creation_time) VALUES ($1, $2, $3) ON CONFLICT (group_id, name) DO NOTHING`
	qDeleteStreamBlks = `DELETE FROM log_blocks WHERE stream_id = $1`
	qDeleteStream     = `DELETE FROM log_streams WHERE id = $1`
	qSetStreamStats   = `UPDATE log_streams SET first_ts = $2, last_ts = $3, last_ingest = $4, bytes = $5, events = $6, last_seq = $7 WHERE id = $1`
	qPurgedStream     = `UPDATE log_streams SET bytes = bytes - $2, events = events - $3 WHERE id = $1`
	// Reads of log events look groups and streams up with the longest span
	// (max_ts - min_ts) of their blocks: spanOf(x) for the group g or the
	// stream s.
	qGroupIDSpan = `SELECT g.id, ` + groupSpan + ` FROM log_groups g WHERE g.account = $1 AND g.region = $2 AND g.name = $3`
	// A group's id and its stream $4's id (0 when it has none) and span.
	qGroupStreamSpan = `SELECT g.id, coalesce(s.id, 0), coalesce(` + streamSpan + `, 0) FROM log_groups g LEFT JOIN log_streams s ON s.group_id = g.id AND s.name = $4 WHERE g.account = $1 AND g.region = $2 AND g.name = $3`
	qStreamIDSpan    = `SELECT s.id, s.name, ` + streamSpan + ` FROM log_streams s WHERE s.group_id = $1 AND s.name = $2`
	// The first streams of a group from $2 on (below $3), at most $4 (or
	// $3): whether a read over them can use their own indexes.
	qFirstStreams      = `SELECT s.id, s.name, ` + streamSpan + ` FROM log_streams s WHERE s.group_id = $1 AND s.name >= $2 ORDER BY s.name LIMIT $3`
	qFirstStreamsUpper = `SELECT s.id, s.name, ` + streamSpan + ` FROM log_streams s WHERE s.group_id = $1 AND s.name >= $2 AND s.name < $3 ORDER BY s.name LIMIT $4`

	// A block by its key: its stream and first key (a Seq is in one block).
	qBlockData    = `SELECT data FROM log_blocks WHERE stream_id = $1 AND min_ts = $2 AND min_seq = $3`
	qDeleteBlock  = `DELETE FROM log_blocks WHERE stream_id = $1 AND min_ts = $2 AND min_seq = $3`
	qRewriteBlock = `UPDATE log_blocks SET min_ts = $4, min_seq = $5, max_ts = $6, max_seq = $7, span = $8, events = $9, bytes = $10, data = $11 WHERE stream_id = $1 AND min_ts = $2 AND min_seq = $3`

	qPolicies     = `SELECT doc FROM resource_policies WHERE account = $1 AND region = $2 AND resource_arn = $3 ORDER BY name`
	qPutPolicy    = `INSERT INTO resource_policies (account, region, resource_arn, name, doc) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (account, region, resource_arn, name) DO UPDATE SET doc = excluded.doc`
	qDeletePolicy = `DELETE FROM resource_policies WHERE account = $1 AND region = $2 AND resource_arn = $3 AND name = $4`

	qDeleteAllBlocks   = `DELETE FROM log_blocks`
	qDeleteAllStreams  = `DELETE FROM log_streams`
	qDeleteAllGroups   = `DELETE FROM log_groups`
	qDeleteAllPolicies = `DELETE FROM resource_policies`
)

var logQueries = []string{
	qGroupRow, qGroupID, qInsertGroup, qUpdateGroup, qDeleteGroup, qDeleteGroupBlocks, qDeleteGroupStrms,
	qDeleteArnPolicies, qCountGroups, qGroupBytes,
	qStream, qInsertStream, qDeleteStreamBlks, qDeleteStream, qSetStreamStats, qPurgedStream,
	qGroupIDSpan, qGroupStreamSpan, qStreamIDSpan, qFirstStreams, qFirstStreamsUpper,
	qBlockData, qDeleteBlock, qRewriteBlock,
	qPolicies, qPutPolicy, qDeletePolicy,
	qDeleteAllBlocks, qDeleteAllStreams, qDeleteAllGroups, qDeleteAllPolicies,
}

// groupID returns the id of the group name of s, or store.ErrNotFound.
func (t *Tx) groupID(op string, s model.Scope, name string) (int64, error) {
	var id int64
	found, err := t.row(op, []any{&id}, qGroupID, s.Account, s.Region, name)
	if err == nil && !found {
		err = store.ErrNotFound
	}
	return id, err
}

// outsideBytes reports whether this transaction reads stored bytes outside
// itself: PostgreSQL's writers do, for the reason WithCounts gives. A
// PutLogEvents reads its group: summing the group's streams inside a
// SERIALIZABLE transaction would make it conflict with every concurrent
// append to any stream of the group. The figure adds the transaction's own
// changes to the committed sum at the time of the read, which may include
// writers that committed after this transaction began: a statistic, not a
// snapshot.
func (t *Tx) outsideBytes() bool { return t.counts != nil && !t.readOnly }

// addBytes records that this transaction changed the stored bytes of the
// group gid by n, for outsideBytes.
func (t *Tx) addBytes(gid, n int64) {
	if !t.outsideBytes() || n == 0 {
		return
	}
	if t.ownBytes == nil {
		t.ownBytes = map[int64]int64{}
	}
	t.ownBytes[gid] += n
}

// groupBytes returns the stored bytes of the group gid read outside the
// transaction, plus this transaction's own changes.
func (t *Tx) groupBytes(op string, gid int64) (int64, error) {
	n, err := t.outsideInt(op, qGroupBytes, gid)
	return n + t.ownBytes[gid], err
}

func (t *Tx) LogGroup(s model.Scope, name string) (model.LogGroup, error) {
	op := "get log group " + name
	var gid, bytes int64
	var doc string
	var found bool
	var err error
	if t.outsideBytes() {
		found, err = t.row(op, []any{&gid, &doc}, qGroupRow, s.Account, s.Region, name)
	} else {
		found, err = t.row(op, []any{&gid, &doc, &bytes}, t.d.logStmts().group, s.Account, s.Region, name)
	}
	if err != nil {
		return model.LogGroup{}, err
	}
	if !found {
		return model.LogGroup{}, store.ErrNotFound
	}
	g, err := decodeLogGroup(doc)
	if err != nil {
		return model.LogGroup{}, t.wrap(op, err)
	}
	if t.outsideBytes() {
		if bytes, err = t.groupBytes(op, gid); err != nil {
			return model.LogGroup{}, err
		}
	}
	g.StoredBytes = bytes
	return g, nil
}

func (t *Tx) CreateLogGroup(s model.Scope, g model.LogGroup) error {
	op := "create log group " + g.Name
	if err := t.writable(op); err != nil {
		return err
	}
	doc, err := encodeLogGroup(g)
	if err != nil {
		return t.wrap(op, err)
	}
	// DO NOTHING rather than a unique violation, which would abort
	// PostgreSQL's transaction.
	n, err := t.exec(op, qInsertGroup, s.Account, s.Region, g.Name, g.RetentionInDays, doc)
	if err != nil {
		return err
	}
	if n == 0 {
		return store.ErrConflict
	}
	return nil
}

func (t *Tx) UpdateLogGroup(s model.Scope, g model.LogGroup) error {
	op := "update log group " + g.Name
	if err := t.writable(op); err != nil {
		return err
	}
	doc, err := encodeLogGroup(g)
	if err != nil {
		return t.wrap(op, err)
	}
	n, err := t.exec(op, qUpdateGroup, s.Account, s.Region, g.Name, g.RetentionInDays, doc)
	if err != nil {
		return err
	}
	if n == 0 {
		return store.ErrNotFound
	}
	return nil
}

func (t *Tx) DeleteLogGroup(s model.Scope, name string) error {
	op := "delete log group " + name
	if err := t.writable(op); err != nil {
		return err
	}
	var gid int64
	var doc string
	found, err := t.row(op, []any{&gid, &doc}, qGroupRow, s.Account, s.Region, name)
	if err != nil {
		return err
	}
	if !found {
		return store.ErrNotFound
	}
	g, err := decodeLogGroup(doc)
	if err != nil {
		return t.wrap(op, err)
	}
	for _, q := range []string{qDeleteGroupBlocks, qDeleteGroupStrms, qDeleteGroup} {
		if _, err := t.exec(op, q, gid); err != nil {
			return err
		}
	}
	// A group without an ARN owns no policy (and must not take the
	// account's, whose resource ARN is "").
	if g.Arn != "" {
		if _, err := t.exec(op, qDeleteArnPolicies, s.Account, s.Region, g.Arn); err != nil {
			return err
		}
	}
	if t.ownBytes != nil {
		delete(t.ownBytes, gid)
	}
	return nil
}

func (t *Tx) ListLogGroups(s model.Scope, q store.GroupQuery) ([]model.LogGroup, error) {
	const op = "list log groups"
	if q.Limit <= 0 {
		return nil, nil
	}
	lower, strict := q.Prefix, false
	if q.After >= q.Prefix {
		lower, strict = q.After, true
	}
	args := []any{s.Account, s.Region, lower}
	end := store.PrefixEnd(q.Prefix)
	if end != "" {
		args = append(args, end)
	}
	args = append(args, q.Limit)
	outside := t.outsideBytes()
	query := t.d.logStmts().listGroups[b2i(!outside)][b2i(strict)][b2i(end != "")]
	rows, err := t.query(op, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []model.LogGroup
	var gids []int64
	for rows.Next() {
		var gid, bytes int64
		var doc string
		dest := []any{&gid, &doc, &bytes}
		if outside {
			dest = dest[:2]
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, t.fail(op, err)
		}
		g, err := decodeLogGroup(doc)
		if err != nil {
			return nil, t.wrap(op, err)
		}
		g.StoredBytes = bytes
		out = append(out, g)
		gids = append(gids, gid)
	}
	if err := rows.Err(); err != nil {
		return nil, t.fail(op, err)
	}
	if err := rows.Close(); err != nil {
		return nil, t.fail(op, err)
	}
	if outside {
		for i := range out {
			var err error
			if out[i].StoredBytes, err = t.groupBytes(op, gids[i]); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

func (t *Tx) CountLogGroups(s model.Scope) (int, error) {
	return t.count("count log groups", qCountGroups, s)
}

// stream reads a stream and the ids of it and its group; found is false
// when either is missing.
func (t *Tx) stream(op string, s model.Scope, group, name string) (st model.LogStream, gid, sid int64, found bool, err error) {
	dest := append([]any{&gid, &sid}, streamDest(&st)...)
	found, err = t.row(op, dest, qStream, s.Account, s.Region, group, name)
	return st, gid, sid, found, err
}

func streamDest(st *model.LogStream) []any {
	return []any{&st.Name, &st.CreationTime, &st.FirstEventTimestamp, &st.LastEventTimestamp,
		&st.LastIngestionTime, &st.StoredBytes, &st.Events, &st.LastSeq}
}

func (t *Tx) LogStream(s model.Scope, group, name string) (model.LogStream, error) {
	st, _, _, found, err := t.stream("get log stream "+name, s, group, name)
	if err == nil && !found {
		err = store.ErrNotFound
	}
	return st, err
}

func (t *Tx) CreateLogStream(s model.Scope, group string, st model.LogStream) error {
	op := "create log stream " + st.Name
	if err := t.writable(op); err != nil {
		return err
	}
	gid, err := t.groupID(op, s, group)
	if err != nil {
		return err
	}
	n, err := t.exec(op, qInsertStream, gid, st.Name, st.CreationTime)
	if err != nil {
		return err
	}
	if n == 0 {
		return store.ErrConflict
	}
	return nil
}

func (t *Tx) DeleteLogStream(s model.Scope, group, name string) error {
	op := "delete log stream " + name
	if err := t.writable(op); err != nil {
		return err
	}
	st, gid, sid, found, err := t.stream(op, s, group, name)
	if err != nil {
		return err
	}
	if !found {
		return store.ErrNotFound
	}
	for _, q := range []string{qDeleteStreamBlks, qDeleteStream} {
		if _, err := t.exec(op, q, sid); err != nil {
			return err
		}
	}
	t.addBytes(gid, -st.StoredBytes)
	return nil
}

func (t *Tx) ListLogStreams(s model.Scope, group string, q store.StreamQuery) ([]model.LogStream, error) {
	op := "list log streams of " + group
	gid, err := t.groupID(op, s, group)
	if err != nil {
		return nil, err
	}
	if q.Limit <= 0 {
		return nil, nil
	}
	stmts := t.d.logStmts()
	end := store.PrefixEnd(q.Prefix)
	var query string
	var args []any
	switch {
	case q.ByLastEvent:
		args = []any{gid}
		prefix := noPrefix
		if q.Prefix != "" {
			args, prefix = append(args, q.Prefix), prefixFrom
			if end != "" {
				args, prefix = append(args, end), prefixRange
			}
		}
		if q.After != nil {
			args = append(args, q.After.LastEventTimestamp, q.After.Name)
		}
		query = stmts.streamsLast[b2i(q.Descending)][b2i(q.After != nil)][prefix]
	case q.Descending:
		// From the prefix on, below both the prefix's end and After.
		if q.After != nil && q.After.Name == "" {
			return nil, nil
		}
		upper := end
		if q.After != nil && (upper == "" || q.After.Name < upper) {
			upper = q.After.Name
		}
		args = []any{gid, q.Prefix}
		if upper != "" {
			args = append(args, upper)
		}
		query = stmts.streamsName[1][0][b2i(upper != "")]
	default:
		lower, strict := q.Prefix, false
		if q.After != nil && q.After.Name >= q.Prefix {
			lower, strict = q.After.Name, true
		}
		args = []any{gid, lower}
		if end != "" {
			args = append(args, end)
		}
		query = stmts.streamsName[0][b2i(strict)][b2i(end != "")]
	}
	args = append(args, q.Limit)
	rows, err := t.query(op, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []model.LogStream
	for rows.Next() {
		var st model.LogStream
		if err := rows.Scan(streamDest(&st)...); err != nil {
			return nil, t.fail(op, err)
		}
		out = append(out, st)
	}
	if err := rows.Err(); err != nil {
		return nil, t.fail(op, err)
	}
	return out, nil
}

func (t *Tx) AppendLogEvents(s model.Scope, group, stream string, evs []model.LogEvent) (model.LogStream, error) {
	op := "append to log stream " + stream
	if err := t.writable(op); err != nil {
		return model.LogStream{}, err
	}
	st, gid, sid, found, err := t.stream(op, s, group, stream)
	if err != nil {
		return model.LogStream{}, err
	}
	if !found {
		return model.LogStream{}, store.ErrNotFound
	}
	if len(evs) == 0 {
		return st, nil
	}
	if st.LastSeq == 0 { // the stream's first event ever
		st.FirstEventTimestamp, st.LastEventTimestamp = evs[0].Timestamp, evs[0].Timestamp
	}
	var bytes int64
	for _, e := range evs {
		bytes += int64(len(e.Message))
		st.FirstEventTimestamp = min(st.FirstEventTimestamp, e.Timestamp)
		st.LastEventTimestamp = max(st.LastEventTimestamp, e.Timestamp)
		st.LastIngestionTime = max(st.LastIngestionTime, e.IngestionTime)
	}
	last, err := t.insertBlocks(op, gid, sid, evs)
	if err != nil {
		return model.LogStream{}, err
	}
	st.StoredBytes += bytes
	st.Events += int64(len(evs))
	st.LastSeq = last
	if _, err := t.exec(op, qSetStreamStats, sid, st.FirstEventTimestamp, st.LastEventTimestamp,
		st.LastIngestionTime, st.StoredBytes, st.Events, st.LastSeq); err != nil {
		return model.LogStream{}, err
	}
	t.addBytes(gid, bytes)
	return st, nil
}

// streamRef is a stream an event read reads: its id, its name and the
// longest span of its blocks.
type streamRef struct {
	id   int64
	name string
	span int64
}

// groupSpan and streamSpan are the longest spans of the blocks of the
// group g and of the stream s.
const (
	groupSpan  = `(SELECT coalesce(max(b.span), 0) FROM log_blocks b WHERE b.group_id = g.id)`
	streamSpan = `(SELECT coalesce(max(b.span), 0) FROM log_blocks b WHERE b.stream_id = s.id)`
)

// streamNames returns the names of q.Streams that have q.StreamPrefix,
// sorted, without duplicates.
func streamNames(q store.EventQuery) []string {
	names := make([]string, 0, len(q.Streams))
	for _, n := range q.Streams {
		if len(n) >= len(q.StreamPrefix) && n[:len(q.StreamPrefix)] == q.StreamPrefix {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	return slices.Compact(names)
}

// namedStreams returns the existing streams of the group gid named in
// names, in name order.
func (t *Tx) namedStreams(op string, gid int64, names []string) ([]streamRef, error) {
	switch len(names) {
	case 0:
		return nil, nil
	case 1:
		return t.streamRefs(op, qStreamIDSpan, gid, names[0])
	}
	arg, err := t.d.listArg(names)
	if err != nil {
		return nil, t.wrap(op, err)
	}
	return t.streamRefs(op, t.d.logStmts().namedIDs, gid, arg)
}

// streamRefs runs a query of streams' ids, names and spans.
func (t *Tx) streamRefs(op, q string, args ...any) ([]streamRef, error) {
	rows, err := t.query(op, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []streamRef
	for rows.Next() {
		var r streamRef
		if err := rows.Scan(&r.id, &r.name, &r.span); err != nil {
			return nil, t.fail(op, err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, t.fail(op, err)
	}
	return out, nil
}

func keyLess(a, b store.EventKey) bool {
	return a.Timestamp < b.Timestamp || a.Timestamp == b.Timestamp && a.Seq < b.Seq
}

func (t *Tx) PurgeLogEvents(nowMillis int64, limit int) (int, error) {
	const op = "purge log events"
	if err := t.writable(op); err != nil {
		return 0, err
	}
	if limit <= 0 {
		return 0, nil
	}
	// Each block selected holds at least one expired event: limit blocks
	// are enough.
	type candidate struct {
		gid, sid             int64
		minTS, minSeq, maxTS int64
		events, bytes        int64
		cutoff               int64
	}
	var cands []candidate
	rows, err := t.query(op, t.d.logStmts().purge, nowMillis, limit)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	for rows.Next() {
		var c candidate
		if err := rows.Scan(&c.gid, &c.sid, &c.minTS, &c.minSeq, &c.maxTS, &c.events, &c.bytes, &c.cutoff); err != nil {
			return 0, t.fail(op, err)
		}
		cands = append(cands, c)
	}
	if err := rows.Err(); err != nil {
		return 0, t.fail(op, err)
	}
	if err := rows.Close(); err != nil {
		return 0, t.fail(op, err)
	}
	type purged struct{ gid, bytes, n int64 }
	byStream := map[int64]*purged{}
	total := 0
	for _, c := range cands {
		if total == limit {
			break
		}
		p := byStream[c.sid]
		if p == nil {
			p = &purged{gid: c.gid}
			byStream[c.sid] = p
		}
		// A block wholly expired, and not more than is left to delete, goes
		// at once; another loses its first expired events.
		if c.maxTS < c.cutoff && c.events <= int64(limit-total) {
			if _, err := t.exec(op, qDeleteBlock, c.sid, c.minTS, c.minSeq); err != nil {
				return 0, err
			}
			p.bytes += c.bytes
			p.n += c.events
			total += int(c.events)
			continue
		}
		n, bytes, err := t.trimBlock(op, c.sid, c.minTS, c.minSeq, c.cutoff, limit-total)
		if err != nil {
			return 0, err
		}
		p.bytes += bytes
		p.n += int64(n)
		total += n
	}
	// In id order, so that concurrent purges lock streams in one order.
	sids := make([]int64, 0, len(byStream))
	for sid, p := range byStream {
		if p.n > 0 {
			sids = append(sids, sid)
		}
	}
	slices.Sort(sids)
	for _, sid := range sids {
		p := byStream[sid]
		if _, err := t.exec(op, qPurgedStream, sid, p.bytes, p.n); err != nil {
			return 0, err
		}
		t.addBytes(p.gid, -p.bytes)
	}
	return total, nil
}

// trimBlock deletes the events before cutoff, at most max of them, from
// the block of the stream sid whose first key is (minTS, minSeq), and
// returns how many it deleted and their bytes.
func (t *Tx) trimBlock(op string, sid, minTS, minSeq, cutoff int64, max int) (int, int64, error) {
	var data []byte
	found, err := t.row(op, []any{&data}, qBlockData, sid, minTS, minSeq)
	if err != nil || !found {
		return 0, 0, err
	}
	evs, err := decodeBlock(nil, data, "")
	if err != nil {
		return 0, 0, t.wrap(op, err)
	}
	n := 0
	var bytes int64
	for n < len(evs) && n < max && evs[n].Timestamp < cutoff {
		bytes += int64(len(evs[n].Message))
		n++
	}
	switch {
	case n == 0:
		return 0, 0, nil
	case n == len(evs):
		_, err = t.exec(op, qDeleteBlock, sid, minTS, minSeq)
	default:
		b := encodeBlock(evs[n:])
		_, err = t.exec(op, qRewriteBlock, sid, minTS, minSeq, b.minTS, b.minSeq, b.maxTS, b.maxSeq, b.span(), b.events, b.bytes, b.data)
	}
	if err != nil {
		return 0, 0, err
	}
	return n, bytes, nil
}

func (t *Tx) ResourcePolicies(s model.Scope, resourceArn string) ([]model.ResourcePolicy, error) {
	return getAll(t, "resource policies of "+resourceArn, decodeResourcePolicy, qPolicies, s.Account, s.Region, resourceArn)
}

func (t *Tx) PutResourcePolicy(s model.Scope, p model.ResourcePolicy) error {
	op := "put resource policy " + p.Name
	doc, err := encodeResourcePolicy(p)
	if err != nil {
		return t.wrap(op, err)
	}
	return t.put(op, qPutPolicy, s.Account, s.Region, p.ResourceArn, p.Name, doc)
}

func (t *Tx) DeleteResourcePolicy(s model.Scope, resourceArn, name string) error {
	return t.delete("delete resource policy "+name, qDeletePolicy, s.Account, s.Region, resourceArn, name)
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
