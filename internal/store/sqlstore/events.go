package sqlstore

import (
	"cmp"
	"math"
	"slices"

	"github.com/cwlogd/cwlogd/internal/model"
	"github.com/cwlogd/cwlogd/internal/store"
)

// Log events are written and read in blocks (see block.go).
//
// An append sorts its events by (Timestamp, Seq) and writes them as one
// block, or several when they exceed the dialect's blockLimits. Blocks of
// one stream may overlap in time (a later batch can carry earlier
// timestamps), so a read merges: it fetches the blocks that can hold
// events of its range in the order of their first keys (their last keys,
// descending), decodes each when no event of a block not yet decoded
// could come before what it holds, and merges the events of the decoded
// blocks.
//
// A read from a time T on wants the blocks that end at or after T. Their
// index is ordered by where blocks start, so that blocks come in the order
// the merge needs them; to find the first without walking every earlier
// block, the read starts the index at T minus the longest span of the
// stream's (or group's) blocks, read from another index: no block that
// starts earlier reaches T. Descending reads mirror this on the index of
// where blocks end. Appends cut blocks longer than blockLimits.span, which
// bounds that look-back even after a batch of scattered timestamps.

// insertBlocks gives evs their Seqs, in order, writes them in blocks to
// the stream sid of the group gid and returns the last Seq.
func (t *Tx) insertBlocks(op string, gid, sid int64, evs []model.LogEvent) (int64, error) {
	seqs, err := t.d.nextSeqs(t, op, len(evs))
	if err != nil {
		return 0, err
	}
	sorted := make([]model.LogEvent, len(evs))
	for i, e := range evs {
		sorted[i] = model.LogEvent{Timestamp: e.Timestamp, IngestionTime: e.IngestionTime, Message: e.Message, Seq: seqs[i]}
	}
	// Stable: events of one timestamp keep the batch's order, which is the
	// order of their Seqs.
	byTime := func(a, b model.LogEvent) int { return cmp.Compare(a.Timestamp, b.Timestamp) }
	if !slices.IsSortedFunc(sorted, byTime) {
		slices.SortStableFunc(sorted, byTime)
	}
	ends := chunkEvents(sorted, t.d.blocks)
	blocks := make([]blockRow, len(ends))
	start := 0
	for i, end := range ends {
		blocks[i] = encodeBlock(sorted[start:end])
		start = end
	}
	if err := t.d.insertBlocks(t, op, gid, sid, blocks); err != nil {
		return 0, err
	}
	return seqs[len(seqs)-1], nil
}

// mergeMax is the most streams, named or of a prefix, LogEvents reads one
// by one, each by its own indexes, merging them; more are read through the
// group's indexes, with a filter on the stream.
// Reading k streams by their own indexes reads at most k times the blocks
// it needs; a group read may have to skip any number of other streams'
// blocks.
const mergeMax = 8

func (t *Tx) LogEvents(s model.Scope, group string, q store.EventQuery) ([]model.LogEvent, error) {
	op := "read log events of " + group
	if sc := t.scan; sc != nil && q.Limit > 0 && sc.continues(s, group, q) {
		// The group is there: the transaction, read-only, saw it.
		out, err := sc.next(t, op, q.Limit)
		if err != nil {
			t.scan = nil
		}
		return out, err
	}
	t.scan = nil
	// The group, and the streams named (with the group when there is one).
	var gid, span int64
	var found bool
	var err error
	var names []string
	var streams []streamRef
	if len(q.Streams) > 0 {
		names = streamNames(q)
	}
	if len(names) == 1 {
		var sid, sspan int64
		found, err = t.row(op, []any{&gid, &sid, &sspan}, qGroupStreamSpan, s.Account, s.Region, group, names[0])
		if sid != 0 {
			streams = []streamRef{{id: sid, name: names[0], span: sspan}}
		}
	} else {
		found, err = t.row(op, []any{&gid, &span}, qGroupIDSpan, s.Account, s.Region, group)
	}
	if err == nil && !found {
		err = store.ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	if q.Limit <= 0 || len(q.Streams) > 0 && len(streams) == 0 && len(names) <= 1 {
		return nil, nil
	}
	// The range, as (ts, seq) keys strictly between lo and hi: ts >= Start
	// is (ts, seq) > (Start, MinInt64), as every Seq is above it.
	lo := store.EventKey{Timestamp: q.Start, Seq: math.MinInt64}
	hi := store.EventKey{Timestamp: math.MaxInt64, Seq: math.MaxInt64}
	if q.End > 0 {
		hi = store.EventKey{Timestamp: q.End, Seq: math.MinInt64}
	}
	if a := q.After; a != nil {
		if q.Descending && keyLess(*a, hi) {
			hi = *a
		}
		if !q.Descending && keyLess(lo, *a) {
			lo = *a
		}
	}
	if !keyLess(lo, hi) {
		return nil, nil
	}
	sc := &eventScan{scope: s, group: group, query: q, desc: q.Descending, lo: lo, hi: hi}
	sc.query.Streams, sc.query.After, sc.query.Limit = slices.Clone(q.Streams), nil, 0
	if len(names) > 1 {
		if streams, err = t.namedStreams(op, gid, names); err != nil {
			return nil, err
		}
	}
	if err := t.addSources(op, sc, gid, span, q, streams); err != nil {
		return nil, err
	}
	out, err := sc.next(t, op, q.Limit)
	if err == nil && t.readOnly {
		// A transaction that cannot write sees the same blocks until it
		// ends: the scan goes on where the next page starts.
		t.scan = sc
	}
	return out, err
}

// addSources adds to sc the block sources of the streams q reads, of the
// group gid whose blocks span at most span: one stream is read by its own
// indexes, a few are merged, more are read through the group's indexes.
// streams are the existing streams q names, if it names any.
func (t *Tx) addSources(op string, sc *eventScan, gid, span int64, q store.EventQuery, streams []streamRef) error {
	stmts := &t.d.logStmts().blocks[b2i(sc.desc)]
	var err error
	end := store.PrefixEnd(q.StreamPrefix)
	if len(q.Streams) > 0 {
		if len(streams) > mergeMax {
			ids := make([]int64, len(streams))
			for i, r := range streams {
				ids[i] = r.id
			}
			arg, err := t.d.listArg(ids)
			if err != nil {
				return t.wrap(op, err)
			}
			sc.add(&stmts[streamList], gid, "", span, arg)
			return nil
		}
	} else {
		// Streams of the prefix (all when it is ""): one is read alone, a
		// prefix of a few is merged like named streams.
		args, first := []any{gid, q.StreamPrefix}, qFirstStreams
		if end != "" {
			args, first = append(args, end), qFirstStreamsUpper
		}
		args = append(args, mergeMax+1)
		if streams, err = t.streamRefs(op, first, args...); err != nil {
			return err
		}
		switch {
		case len(streams) <= 1:
		case q.StreamPrefix == "":
			sc.add(&stmts[allStreams], gid, "", span)
			return nil
		case len(streams) <= mergeMax:
		case end == "":
			sc.add(&stmts[prefixNoEnd], gid, "", span, q.StreamPrefix)
			return nil
		default:
			sc.add(&stmts[prefixUpper], gid, "", span, q.StreamPrefix, end)
			return nil
		}
	}
	for _, r := range streams {
		sc.add(&stmts[oneStream], r.id, r.name, r.span)
	}
	return nil
}

// eventScan is one read of log events, which a later call can go on with.
type eventScan struct {
	// What it reads: query is the first call's, without After and Limit.
	scope model.Scope
	group string
	query store.EventQuery
	// last is the key of the last event it returned, if any.
	last    store.EventKey
	started bool

	desc    bool
	lo, hi  store.EventKey // the range, both ends excluded
	sources []*blockSource
	heads   []*blockRun // a heap, by the key of each run's first event
}

// continues reports whether q, of group in s, reads on from where sc
// stopped.
func (sc *eventScan) continues(s model.Scope, group string, q store.EventQuery) bool {
	p := sc.query
	return sc.started && q.After != nil && *q.After == sc.last && s == sc.scope && group == sc.group &&
		q.StreamPrefix == p.StreamPrefix && q.Start == p.Start && q.End == p.End &&
		q.Descending == p.Descending && slices.Equal(q.Streams, p.Streams)
}

// before reports whether a comes before b in the scan's order.
func (sc *eventScan) before(a, b store.EventKey) bool {
	if sc.desc {
		return keyLess(b, a)
	}
	return keyLess(a, b)
}

// blockSource yields the blocks of one stream, or of a group's streams, in
// the scan's order, fetched in batches.
type blockSource struct {
	queries *[nBatches]string // by batch class
	args    []any             // $1 …: see blocksSQL; the cursor is set per batch
	stream  string            // the stream's name, or "" when rows carry it
	// pending are fetched blocks not yet decoded, in order.
	pending []fetchedBlock
	// cursor is the key of the last block fetched, or before the first:
	// every block after pending comes after it.
	cursor store.EventKey
	done   bool // no blocks after pending
	// class is the batch class of the last fetch; fetched and events count
	// the blocks fetched and their events.
	class           int
	fetched, events int
}

type fetchedBlock struct {
	row    blockRow
	stream string
}

// Blocks are fetched in batches of 2, 3, 4, 6, … up to 256 (each about
// half as large again as the one before): batchSize(class). A source's
// first batch is of 4 blocks (2 for a read of a few events).
// The next is as large as the events the read still needs take, at the
// source's number of events per block so far, and no smaller than the
// last: the blocks of a stream seldom overlap. The blocks of a group's
// streams do, and a page needs every one that overlaps it, however few of
// its events it takes: such a source's batches double at least, up to
// maxGroupBatch. A source thus fetches at most about twice the blocks it
// needs.
var batchSizes = [...]int{2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 96, 128, 192, 256}

const nBatches = len(batchSizes)

func batchSize(class int) int { return batchSizes[class] }

// nextClass returns the class of src's next batch, when the read needs
// about want more events from it.
func (src *blockSource) nextClass(want int) int {
	if src.fetched == 0 {
		return 2 * b2i(want > 100)
	}
	need := batchSize(src.class)
	if src.stream == "" {
		need *= 2
	}
	if src.events > 0 {
		need = max(need, (want*src.fetched+src.events-1)/src.events+1)
	}
	c := src.class
	for c < nBatches-1 && batchSize(c) < need && (src.stream != "" || batchSize(c) < maxGroupBatch) {
		c++
	}
	return c
}

// maxGroupBatch bounds the batches of a group's blocks: their doubling
// overshoots the most when a scan ends, and at that size a batch costs
// far more than the query that fetches it.
const maxGroupBatch = 32

// add adds a source whose blocks span at most span milliseconds.
func (sc *eventScan) add(queries *[nBatches]string, id int64, stream string, span int64, extra ...any) {
	src := &blockSource{queries: queries, stream: stream}
	span = max(span, 0)
	// The first block that can matter starts at lo's time minus span or
	// later (ascending), ends at hi's time plus span or earlier
	// (descending).
	if sc.desc {
		src.cursor = store.EventKey{Timestamp: math.MaxInt64, Seq: math.MaxInt64}
		if sc.hi.Timestamp < math.MaxInt64-span {
			src.cursor = store.EventKey{Timestamp: sc.hi.Timestamp + span + 1, Seq: math.MinInt64}
		}
		src.args = append([]any{id, nil, nil, sc.lo.Timestamp, sc.hi.Timestamp}, extra...)
	} else {
		src.cursor = store.EventKey{Timestamp: math.MinInt64, Seq: math.MinInt64}
		if sc.lo.Timestamp > math.MinInt64+span {
			src.cursor = store.EventKey{Timestamp: sc.lo.Timestamp - span - 1, Seq: math.MaxInt64}
		}
		src.args = append([]any{id, nil, nil, sc.hi.Timestamp, sc.lo.Timestamp}, extra...)
	}
	sc.sources = append(sc.sources, src)
}

// frontier returns a bound on the keys of the events of src's blocks not
// yet decoded, in the scan's order: none of them comes before it. ok is
// false when src has no such blocks in the range.
func (sc *eventScan) frontier(src *blockSource) (k store.EventKey, ok bool) {
	switch {
	case len(src.pending) > 0:
		b := &src.pending[0].row
		if sc.desc {
			k = store.EventKey{Timestamp: b.maxTS, Seq: b.maxSeq}
		} else {
			k = store.EventKey{Timestamp: b.minTS, Seq: b.minSeq}
		}
	case !src.done:
		k = src.cursor
	default:
		return k, false
	}
	// Past the end of the range, the rest of src does not matter.
	if sc.desc {
		return k, keyLess(sc.lo, k)
	}
	return k, keyLess(k, sc.hi)
}

// fetch reads src's next batch of blocks, for a read that needs about want
// more events.
func (sc *eventScan) fetch(t *Tx, op string, src *blockSource, want int) error {
	src.class = src.nextClass(want)
	src.args[1], src.args[2] = src.cursor.Timestamp, src.cursor.Seq
	rows, err := t.query(op, src.queries[src.class], src.args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		// Scanned into a []byte, data is a copy of its own (database/sql's
		// rule, which pgx follows too): decodeBlock may keep it.
		f := fetchedBlock{stream: src.stream}
		b := &f.row
		dest := []any{&b.minTS, &b.minSeq, &b.maxTS, &b.maxSeq, &b.events, &b.data, &f.stream}
		if src.stream != "" {
			dest = dest[:6]
		}
		if err := rows.Scan(dest...); err != nil {
			return t.fail(op, err)
		}
		src.pending = append(src.pending, f)
		src.events += int(b.events)
		n++
	}
	if err := rows.Err(); err != nil {
		return t.fail(op, err)
	}
	src.fetched += n
	if n < batchSize(src.class) {
		src.done = true
	}
	if n > 0 {
		b := &src.pending[len(src.pending)-1].row
		if sc.desc {
			src.cursor = store.EventKey{Timestamp: b.maxTS, Seq: b.maxSeq}
		} else {
			src.cursor = store.EventKey{Timestamp: b.minTS, Seq: b.minSeq}
		}
	}
	return nil
}

// decode decodes src's first pending block and adds its events in the
// range to the heap.
func (sc *eventScan) decode(t *Tx, op string, src *blockSource) error {
	f := &src.pending[0]
	evs, err := decodeBlock(nil, f.row.data, f.stream)
	if err == nil {
		err = checkBlock(&f.row, evs)
	}
	if err != nil {
		return t.wrap(op, err)
	}
	src.pending[0] = fetchedBlock{}
	src.pending = src.pending[1:]
	// The events strictly between lo and hi.
	i, _ := slices.BinarySearchFunc(evs, sc.lo, cmpEventKey)
	if i < len(evs) && evs[i].Timestamp == sc.lo.Timestamp && evs[i].Seq == sc.lo.Seq {
		i++
	}
	j, _ := slices.BinarySearchFunc(evs, sc.hi, cmpEventKey)
	if i >= j {
		return nil
	}
	evs = evs[i:j]
	if sc.desc {
		slices.Reverse(evs)
	}
	sc.push(&blockRun{evs: evs})
	return nil
}

func cmpEventKey(e model.LogEvent, k store.EventKey) int {
	return cmp.Or(cmp.Compare(e.Timestamp, k.Timestamp), cmp.Compare(e.Seq, k.Seq))
}

func eventKey(e model.LogEvent) store.EventKey {
	return store.EventKey{Timestamp: e.Timestamp, Seq: e.Seq}
}

// next returns up to limit more events of the scan.
func (sc *eventScan) next(t *Tx, op string, limit int) ([]model.LogEvent, error) {
	out := make([]model.LogEvent, 0, min(limit, 1024))
	var urgent *blockSource // the source with the first frontier, when known
	var bound store.EventKey
	stale := true
	for len(out) < limit {
		if stale {
			urgent, stale = nil, false
			for _, src := range sc.sources {
				if k, ok := sc.frontier(src); ok && (urgent == nil || sc.before(k, bound)) {
					urgent, bound = src, k
				}
			}
		}
		// Before taking the first event of the heap, decode every block
		// whose events could come before it.
		if urgent != nil && (len(sc.heads) == 0 || sc.before(bound, sc.heads[0].key())) {
			var err error
			if len(urgent.pending) > 0 {
				err = sc.decode(t, op, urgent)
			} else {
				// The sources still to read share what is left to read.
				err = sc.fetch(t, op, urgent, (limit-len(out)-sc.held())/sc.live())
			}
			if err != nil {
				return nil, err
			}
			stale = true
			continue
		}
		if len(sc.heads) == 0 {
			break
		}
		run := sc.heads[0]
		out = append(out, run.evs[0])
		if run.evs = run.evs[1:]; len(run.evs) == 0 {
			sc.pop()
		} else {
			sc.down(0)
		}
	}
	if len(out) > 0 {
		sc.last, sc.started = eventKey(out[len(out)-1]), true
	}
	return out, nil
}

// live returns the number of sources with blocks left to fetch.
func (sc *eventScan) live() int {
	n := 0
	for _, src := range sc.sources {
		if !src.done {
			n++
		}
	}
	return max(n, 1)
}

// held returns the number of events in the heap.
func (sc *eventScan) held() int {
	n := 0
	for _, r := range sc.heads {
		n += len(r.evs)
	}
	return n
}

// blockRun is the events of a decoded block still to return, in the
// scan's order.
type blockRun struct {
	evs []model.LogEvent
}

func (r *blockRun) key() store.EventKey { return eventKey(r.evs[0]) }

func (sc *eventScan) push(r *blockRun) {
	sc.heads = append(sc.heads, r)
	for i := len(sc.heads) - 1; i > 0; {
		p := (i - 1) / 2
		if !sc.before(sc.heads[i].key(), sc.heads[p].key()) {
			break
		}
		sc.heads[i], sc.heads[p] = sc.heads[p], sc.heads[i]
		i = p
	}
}

func (sc *eventScan) pop() {
	n := len(sc.heads) - 1
	sc.heads[0] = sc.heads[n]
	sc.heads[n] = nil
	sc.heads = sc.heads[:n]
	if n > 0 {
		sc.down(0)
	}
}

func (sc *eventScan) down(i int) {
	h := sc.heads
	for {
		c := 2*i + 1
		if c >= len(h) {
			return
		}
		if c+1 < len(h) && sc.before(h[c+1].key(), h[c].key()) {
			c++
		}
		if !sc.before(h[c].key(), h[i].key()) {
			return
		}
		h[i], h[c] = h[c], h[i]
		i = c
	}
}
