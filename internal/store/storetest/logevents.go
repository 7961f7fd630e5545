package storetest

// Conformance tests of log events: AppendLogEvents, LogEvents and
// PurgeLogEvents.
//
// Decisions the interface leaves open, which every store follows:
//
//   - Seq: the store numbers events from a counter over the whole store,
//     from 1: within a batch in the order of evs, and an append in a
//     transaction that starts after another committed gets higher Seqs than
//     that one's. Concurrent transactions only get distinct Seqs. A
//     caller's Seq and Stream in evs are ignored. A rolled-back append may
//     leave a gap.
//   - A stream's LastSeq is the Seq of the last event appended to it (its
//     highest), whatever its timestamp. FirstEventTimestamp and
//     LastEventTimestamp are the min and max Timestamp ever appended and
//     LastIngestionTime the max IngestionTime ever appended: purges keep
//     all four, and LastSeq too.
//   - An empty batch appends nothing and returns the stream as it is (or
//     ErrNotFound when the group or stream is missing).
//   - EventQuery: len(Streams) == 0 (nil or empty) means every stream;
//     names in Streams that are missing are ignored, duplicates count once.
//     Streams and StreamPrefix together select streams meeting both.
//     Start 0 is no lower bound; After is a position in the query's order
//     and need not be an event's key. Events come with Stream,
//     Timestamp, IngestionTime, Message and Seq set.
//   - PurgeLogEvents deletes, in groups with RetentionInDays > 0, events
//     with Timestamp < nowMillis - RetentionInDays*86_400_000 (an event
//     exactly at the cutoff stays), at most limit (> 0) of them, chosen as
//     the store likes; it returns how many it deleted. Callers loop until
//     it returns less than limit.

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/cwlogd/cwlogd/internal/model"
	"github.com/cwlogd/cwlogd/internal/store"
)

// ev is an event to append.
func ev(ts int64, msg string) model.LogEvent {
	return model.LogEvent{Timestamp: ts, IngestionTime: t0 + 500, Message: msg}
}

func appendEvents(t testing.TB, s store.Store, sc model.Scope, group, stream string, evs ...model.LogEvent) model.LogStream {
	t.Helper()
	var st model.LogStream
	mustUpdate(t, s, func(tx store.Tx) (err error) {
		st, err = tx.AppendLogEvents(sc, group, stream, evs)
		return err
	})
	return st
}

func queryEvents(t testing.TB, s store.Store, sc model.Scope, group string, q store.EventQuery) []model.LogEvent {
	t.Helper()
	return read(t, s, func(tx store.Tx) ([]model.LogEvent, error) { return tx.LogEvents(sc, group, q) })
}

// pageEvents reads every page of q, each of at most q.Limit, resuming after
// the last event of the previous page.
func pageEvents(t testing.TB, s store.Store, sc model.Scope, group string, q store.EventQuery) []model.LogEvent {
	t.Helper()
	var out []model.LogEvent
	for range 100_000 {
		page := queryEvents(t, s, sc, group, q)
		if len(page) > q.Limit {
			t.Fatalf("%s: page of %d", fmtQuery(q), len(page))
		}
		out = append(out, page...)
		if len(page) < q.Limit {
			return out
		}
		last := page[len(page)-1]
		q.After = &store.EventKey{Timestamp: last.Timestamp, Seq: last.Seq}
	}
	t.Fatalf("%s: paging does not end", fmtQuery(q))
	return nil
}

// allEvents reads every event q selects, in pages of 1000 unless q says.
func allEvents(t testing.TB, s store.Store, sc model.Scope, group string, q store.EventQuery) []model.LogEvent {
	t.Helper()
	if q.Limit == 0 {
		q.Limit = 1000
	}
	return pageEvents(t, s, sc, group, q)
}

func fmtQuery(q store.EventQuery) string {
	after := "nil"
	if q.After != nil {
		after = fmt.Sprint(*q.After)
	}
	return fmt.Sprintf("{Streams:%q StreamPrefix:%q Start:%d End:%d After:%s Descending:%v Limit:%d}",
		q.Streams, q.StreamPrefix, q.Start, q.End, after, q.Descending, q.Limit)
}

func messages(evs []model.LogEvent) []string {
	out := []string{}
	for _, e := range evs {
		out = append(out, e.Message)
	}
	return out
}

// wantEvents is what q selects from all, every event of a group in
// ascending order: the reference the stores are held to.
func wantEvents(all []model.LogEvent, q store.EventQuery) []model.LogEvent {
	out := []model.LogEvent{}
	for _, e := range all {
		if len(q.Streams) > 0 && !slices.Contains(q.Streams, e.Stream) ||
			!strings.HasPrefix(e.Stream, q.StreamPrefix) ||
			e.Timestamp < q.Start || q.End > 0 && e.Timestamp >= q.End {
			continue
		}
		if a := q.After; a != nil {
			c := cmpEventKey(e.Timestamp, e.Seq, a.Timestamp, a.Seq)
			if q.Descending && c >= 0 || !q.Descending && c <= 0 {
				continue
			}
		}
		out = append(out, e)
	}
	if q.Descending {
		slices.Reverse(out)
	}
	if q.Limit > 0 && len(out) > q.Limit {
		out = out[:q.Limit]
	}
	return out
}

func cmpEventKey(ts, seq, ts2, seq2 int64) int {
	switch {
	case ts != ts2:
		return cmpInt(ts, ts2)
	default:
		return cmpInt(seq, seq2)
	}
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func sameEvents(t testing.TB, what string, got, want []model.LogEvent) {
	t.Helper()
	if len(got) == 0 && len(want) == 0 {
		return
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s:\n got %s\nwant %s", what, fmtEvents(got), fmtEvents(want))
	}
}

func fmtEvents(evs []model.LogEvent) string {
	var b strings.Builder
	b.WriteString("[")
	for i, e := range evs {
		if i > 0 {
			b.WriteString(" ")
		}
		fmt.Fprintf(&b, "%s/%d/%d/%q", e.Stream, e.Timestamp-t0, e.Seq, e.Message)
	}
	b.WriteString("]")
	return b.String()
}

// eventLog appends events to the streams of one group and remembers them,
// to check what the store reads back.
type eventLog struct {
	t     testing.TB
	s     store.Store
	sc    model.Scope
	group string
	sent  []model.LogEvent // in append order, Stream set, Seq unknown
}

// add appends one batch of events at timestamps t0+offset to stream. Each
// message names the stream and the event's place in the append order.
func (l *eventLog) add(stream string, offsets ...int64) model.LogStream {
	l.t.Helper()
	var batch []model.LogEvent
	for _, off := range offsets {
		n := len(l.sent)
		e := model.LogEvent{Timestamp: t0 + off, IngestionTime: t0 + 1_000_000 + int64(n), Message: fmt.Sprintf("%s#%d", stream, n)}
		batch = append(batch, e)
		e.Stream = stream
		l.sent = append(l.sent, e)
	}
	return appendEvents(l.t, l.s, l.sc, l.group, stream, batch...)
}

// verify reads every event of the group and checks them against what was
// sent: in (Timestamp, append order) order, with Seqs rising in append
// order. It returns the events read.
func (l *eventLog) verify() []model.LogEvent {
	l.t.Helper()
	want := slices.Clone(l.sent)
	// Stable: events of one timestamp stay in append order.
	slices.SortStableFunc(want, func(a, b model.LogEvent) int { return cmpInt(a.Timestamp, b.Timestamp) })
	got := allEvents(l.t, l.s, l.sc, l.group, store.EventQuery{})
	strip := make([]model.LogEvent, len(got))
	seqOf := map[string]int64{}
	for i, e := range got {
		seqOf[e.Message] = e.Seq
		e.Seq = 0
		strip[i] = e
	}
	if !reflect.DeepEqual(strip, want) {
		l.t.Fatalf("events read:\n got %s\nwant %s", fmtEvents(strip), fmtEvents(want))
	}
	var prev int64
	for _, e := range l.sent {
		if seq := seqOf[e.Message]; seq <= prev {
			l.t.Fatalf("Seq of %s = %d, not above the previous append's %d", e.Message, seq, prev)
		} else {
			prev = seq
		}
	}
	return got
}

func testAppendLogEvents(t *testing.T, s store.Store) {
	makeGroup(t, s, scA, "g", "a", "b")
	makeGroup(t, s, scA, "h", "c")
	makeGroup(t, s, scB, "g", "a")
	seqs := map[string]int64{} // message → Seq, over every group
	readSeqs := func(sc model.Scope, group string) {
		for _, e := range allEvents(t, s, sc, group, store.EventQuery{}) {
			seqs[e.Message] = e.Seq
		}
	}

	st := appendEvents(t, s, scA, "g", "a",
		model.LogEvent{Timestamp: t0 + 1000, IngestionTime: t0 + 5000, Message: "one"},
		model.LogEvent{Timestamp: t0 + 1001, IngestionTime: t0 + 5000, Message: "two"})
	evs := allEvents(t, s, scA, "g", store.EventQuery{})
	if len(evs) != 2 || evs[0].Seq <= 0 || evs[1].Seq <= evs[0].Seq {
		t.Fatalf("events = %s, want two with rising Seqs", fmtEvents(evs))
	}
	sameEvents(t, "first append", evs, []model.LogEvent{
		{Stream: "a", Timestamp: t0 + 1000, IngestionTime: t0 + 5000, Message: "one", Seq: evs[0].Seq},
		{Stream: "a", Timestamp: t0 + 1001, IngestionTime: t0 + 5000, Message: "two", Seq: evs[1].Seq},
	})
	want := model.LogStream{Name: "a", CreationTime: t0, FirstEventTimestamp: t0 + 1000, LastEventTimestamp: t0 + 1001,
		LastIngestionTime: t0 + 5000, StoredBytes: 6, LastSeq: evs[1].Seq, Events: 2}
	if st != want {
		t.Errorf("AppendLogEvents returned %+v\nwant %+v", st, want)
	}
	if got := getStream(t, s, scA, "g", "a"); got != want {
		t.Errorf("LogStream = %+v\nwant %+v", got, want)
	}

	// Later appends get higher Seqs, whatever the stream, group or scope;
	// the caller's Seq and Stream are ignored.
	appendEvents(t, s, scA, "g", "b", ev(t0+500, "b1"))
	early := model.LogEvent{Timestamp: t0 + 900, IngestionTime: t0 + 6000, Message: "early", Seq: 1 << 40, Stream: "b"}
	st = appendEvents(t, s, scA, "g", "a", early)
	appendEvents(t, s, scA, "h", "c", ev(t0, "c1"))
	appendEvents(t, s, scB, "g", "a", ev(t0, "other scope"))
	// Within a batch, Seqs follow the batch's order, not the timestamps.
	appendEvents(t, s, scA, "g", "b", ev(t0+10, "x"), ev(t0+5, "y"))
	readSeqs(scA, "g")
	readSeqs(scA, "h")
	readSeqs(scB, "g")
	order := []string{"one", "two", "b1", "early", "c1", "other scope", "x", "y"}
	for i := 1; i < len(order); i++ {
		if seqs[order[i]] <= seqs[order[i-1]] {
			t.Errorf("Seq(%s) = %d, not above Seq(%s) = %d", order[i], seqs[order[i]], order[i-1], seqs[order[i-1]])
		}
	}
	got := allEvents(t, s, scA, "g", store.EventQuery{})
	if i := slices.IndexFunc(got, func(e model.LogEvent) bool { return e.Message == "early" }); i < 0 || got[i].Stream != "a" || got[i].Seq == 1<<40 {
		t.Errorf("appended early with Seq and Stream set: read %s", fmtEvents(got))
	}
	if got := messages(got); !slices.Equal(got, []string{"y", "x", "b1", "early", "one", "two"}) {
		t.Errorf("group g order = %q", got)
	}
	want = model.LogStream{Name: "a", CreationTime: t0, FirstEventTimestamp: t0 + 900, LastEventTimestamp: t0 + 1001,
		LastIngestionTime: t0 + 6000, StoredBytes: 11, LastSeq: seqs["early"], Events: 3}
	if st != want {
		t.Errorf("after an earlier event: %+v\nwant %+v", st, want)
	}
	wantB := model.LogStream{Name: "b", CreationTime: t0, FirstEventTimestamp: t0 + 5, LastEventTimestamp: t0 + 500,
		LastIngestionTime: t0 + 500, StoredBytes: 4, LastSeq: seqs["y"], Events: 3}
	if got := getStream(t, s, scA, "g", "b"); got != wantB {
		t.Errorf("stream b = %+v\nwant %+v", got, wantB)
	}
	// LastIngestionTime never goes back.
	st = appendEvents(t, s, scA, "g", "a", model.LogEvent{Timestamp: t0 + 2000, IngestionTime: t0 + 100, Message: "z"})
	if st.LastIngestionTime != t0+6000 || st.LastEventTimestamp != t0+2000 || st.Events != 4 || st.StoredBytes != 12 || st.LastSeq <= seqs["y"] {
		t.Errorf("after a late ingestion time: %+v", st)
	}
	if g := getGroup(t, s, scA, "g"); g.StoredBytes != 12+4 {
		t.Errorf("group StoredBytes = %d, want 16", g.StoredBytes)
	}

	// An empty batch changes nothing.
	before := getStream(t, s, scA, "g", "a")
	for _, empty := range [][]model.LogEvent{nil, {}} {
		var got model.LogStream
		mustUpdate(t, s, func(tx store.Tx) (err error) { got, err = tx.AppendLogEvents(scA, "g", "a", empty); return err })
		if got != before {
			t.Errorf("empty append returned %+v, want %+v", got, before)
		}
	}
	if got := getStream(t, s, scA, "g", "a"); got != before {
		t.Errorf("after an empty append: %+v, want %+v", got, before)
	}
	for _, c := range []struct {
		sc            model.Scope
		group, stream string
		evs           []model.LogEvent
	}{
		{scA, "missing", "a", []model.LogEvent{ev(t0, "lost")}},
		{scA, "g", "missing", []model.LogEvent{ev(t0, "lost")}},
		{scA, "g", "c", []model.LogEvent{ev(t0, "lost")}}, // a stream of group h
		{scC, "g", "a", []model.LogEvent{ev(t0, "lost")}},
		{scA, "g", "missing", nil},
	} {
		err := s.Update(ctx, func(tx store.Tx) error { _, err := tx.AppendLogEvents(c.sc, c.group, c.stream, c.evs); return err })
		isNotFound(t, fmt.Sprintf("AppendLogEvents(%v, %s, %s)", c.sc, c.group, c.stream), err)
	}

	// A transaction reads its own appends.
	mustUpdate(t, s, func(tx store.Tx) error {
		st, err := tx.AppendLogEvents(scA, "h", "c", []model.LogEvent{ev(t0+1, "c2")})
		if err != nil {
			return err
		}
		evs, err := tx.LogEvents(scA, "h", store.EventQuery{Limit: 10})
		if err != nil {
			return err
		}
		if len(evs) != 2 || evs[1].Message != "c2" || evs[1].Seq != st.LastSeq {
			t.Errorf("in the appending transaction: %s, stream %+v", fmtEvents(evs), st)
		}
		if got, err := tx.LogStream(scA, "h", "c"); err != nil || got != st {
			t.Errorf("LogStream in the appending transaction = %+v, %v; want %+v", got, err, st)
		}
		if g, err := tx.LogGroup(scA, "h"); err != nil || g.StoredBytes != 4 {
			t.Errorf("LogGroup in the appending transaction = %+v, %v", g, err)
		}
		return nil
	})
}

// testLogEventsQuery: every EventQuery filter, both directions, After keys
// on and off events, paged with limits 1 to 7, against a reference.
func testLogEventsQuery(t *testing.T, s store.Store) {
	makeGroup(t, s, scA, "g", "a", "ab", "b", "c")
	makeGroup(t, s, scA, "h", "a")
	l := &eventLog{t: t, s: s, sc: scA, group: "g"}
	l.add("a", 100, 200, 300)
	l.add("b", 200, 300)
	l.add("a", 150, 50) // a later batch with earlier timestamps
	l.add("ab", 100, 250)
	appendEvents(t, s, scA, "h", "a", ev(t0+100, "other group")) // never read through g
	l.add("b", 300, 100)
	l.add("a", 300) // ties with a#2 and b#4, later
	all := l.verify()
	seq := func(msg string) int64 {
		i := slices.IndexFunc(all, func(e model.LogEvent) bool { return e.Message == msg })
		return all[i].Seq
	}
	queries := []store.EventQuery{
		{},
		{Start: t0 + 150},
		{End: t0 + 300},
		{Start: t0 + 150, End: t0 + 300},
		{Start: t0 + 200, End: t0 + 200},
		{Start: t0 + 301},
		{End: t0 + 50},
		{End: t0 + 51},
		{Streams: []string{"a"}},
		{Streams: []string{"b", "a", "a"}},
		{Streams: []string{"nope"}},
		{Streams: []string{"a", "nope"}},
		{Streams: []string{"c"}},
		{Streams: []string{}},
		{StreamPrefix: "a"},
		{StreamPrefix: "ab"},
		{StreamPrefix: "z"},
		{StreamPrefix: "a", Streams: []string{"ab", "b"}},
		{Streams: []string{"a", "b"}, Start: t0 + 100, End: t0 + 300},
	}
	afters := []*store.EventKey{
		nil,
		{Timestamp: t0 + 200, Seq: seq("b#3")},
		{Timestamp: t0 + 300, Seq: seq("a#2")},
		{Timestamp: t0 + 150, Seq: 0},
		{Timestamp: t0 + 300, Seq: math.MaxInt64},
		{Timestamp: 0, Seq: 0},
		{Timestamp: t0 + 100, Seq: seq("ab#7")},
	}
	for _, q := range queries {
		for _, desc := range []bool{false, true} {
			for _, after := range afters {
				q.Descending, q.After, q.Limit = desc, after, 0
				want := wantEvents(all, q)
				for _, limit := range []int{1, 2, 3, 7, 100} { // LogEventsPaging tries every limit up to 7
					q.Limit = limit
					sameEvents(t, fmtQuery(q), pageEvents(t, s, scA, "g", q), want)
				}
				q.Limit = 3
				sameEvents(t, fmtQuery(q)+" one page", queryEvents(t, s, scA, "g", q), wantEvents(all, q))
			}
		}
	}
}

// testLogEventsPaging: random batches of events with many equal
// timestamps, appended out of order to several streams; paging forward and
// backward with every limit from 1 to 7 visits every event exactly once.
func testLogEventsPaging(t *testing.T, s store.Store) {
	streams := []string{"s0", "s1", "s2", "s3", "s4"}
	makeGroup(t, s, scA, "g", streams...)
	l := &eventLog{t: t, s: s, sc: scA, group: "g"}
	rng := rand.New(rand.NewPCG(7, 11))
	for range 40 {
		offsets := make([]int64, 1+rng.IntN(8))
		for i := range offsets {
			offsets[i] = int64(rng.IntN(20))
		}
		l.add(streams[rng.IntN(len(streams))], offsets...)
	}
	all := l.verify()
	for _, q := range []store.EventQuery{
		{},
		{Streams: []string{"s1", "s3"}},
		{Start: t0 + 5, End: t0 + 15},
		{Streams: []string{"s4"}, Start: t0 + 3},
	} {
		for _, desc := range []bool{false, true} {
			q.Descending, q.Limit = desc, 0
			want := wantEvents(all, q)
			for limit := 1; limit <= 7; limit++ {
				q.Limit = limit
				got := pageEvents(t, s, scA, "g", q)
				seen := map[int64]bool{}
				for _, e := range got {
					if seen[e.Seq] {
						t.Errorf("%s: Seq %d visited twice", fmtQuery(q), e.Seq)
					}
					seen[e.Seq] = true
				}
				sameEvents(t, fmtQuery(q), got, want)
			}
		}
	}
}

// testLogEventMessages: messages come back byte for byte, and stored bytes
// count UTF-8 bytes, not characters.
func testLogEventMessages(t *testing.T, s store.Store) {
	const cat = "🙀 - 参よ - 日本語" // 25 bytes, 12 characters
	if len(cat) != 25 {
		t.Fatalf("len(%q) = %d", cat, len(cat))
	}
	msgs := []string{
		cat,
		"tab\there, newline\nthere\r\n",
		`quotes ' " and \ backslash \\`,
		"%_ like wildcards %",
		"  leading and trailing spaces  ",
		"ünïcødé ✓ \u00a0 \u2028 \U0010FFFF",
		strings.Repeat("🙀x", 256*1024/5), // a large event: 256 KiB
	}
	makeGroup(t, s, scA, "g", "s", "t")
	makeGroup(t, s, scA, "other", "s")
	var evs []model.LogEvent
	var size int64
	for i, m := range msgs {
		evs = append(evs, ev(t0+int64(i), m))
		size += int64(len(m))
	}
	appendEvents(t, s, scA, "g", "s", evs...)
	st := appendEvents(t, s, scA, "g", "t", ev(t0, cat))
	if st.StoredBytes != 25 {
		t.Errorf("StoredBytes of one %q = %d, want 25", cat, st.StoredBytes)
	}
	got := allEvents(t, s, scA, "g", store.EventQuery{Streams: []string{"s"}})
	if got := messages(got); !slices.Equal(got, msgs) {
		for i := range min(len(got), len(msgs)) {
			if got[i] != msgs[i] {
				t.Errorf("message %d = %q (%d bytes), want %q (%d bytes)", i, trunc(got[i]), len(got[i]), trunc(msgs[i]), len(msgs[i]))
			}
		}
		if len(got) != len(msgs) {
			t.Errorf("read %d messages, want %d", len(got), len(msgs))
		}
	}
	if st := getStream(t, s, scA, "g", "s"); st.StoredBytes != size || st.Events != int64(len(msgs)) {
		t.Errorf("stream s: StoredBytes %d, Events %d; want %d, %d", st.StoredBytes, st.Events, size, len(msgs))
	}
	if g := getGroup(t, s, scA, "g"); g.StoredBytes != size+25 {
		t.Errorf("group StoredBytes = %d, want %d", g.StoredBytes, size+25)
	}
	if g := getGroup(t, s, scA, "other"); g.StoredBytes != 0 {
		t.Errorf("other group's StoredBytes = %d, want 0", g.StoredBytes)
	}
	gs := read(t, s, func(tx store.Tx) ([]model.LogGroup, error) { return tx.ListLogGroups(scA, store.GroupQuery{Limit: 10}) })
	if len(gs) != 2 || gs[0].StoredBytes != size+25 || gs[1].StoredBytes != 0 {
		t.Errorf("ListLogGroups StoredBytes = %v", gs)
	}
}

func trunc(s string) string {
	if len(s) > 60 {
		return s[:60] + "…"
	}
	return s
}

func setRetention(t testing.TB, s store.Store, sc model.Scope, group string, days int) {
	t.Helper()
	mustUpdate(t, s, func(tx store.Tx) error {
		g, err := tx.LogGroup(sc, group)
		if err != nil {
			return err
		}
		g.RetentionInDays = days
		return tx.UpdateLogGroup(sc, g)
	})
}

func purge(t testing.TB, s store.Store, now int64, limit int) int {
	t.Helper()
	var n int
	mustUpdate(t, s, func(tx store.Tx) (err error) { n, err = tx.PurgeLogEvents(now, limit); return err })
	return n
}

// checkFigures checks that the streams' and the group's counts and sizes
// match the events the group holds, and returns its messages by stream.
func checkFigures(t testing.TB, s store.Store, sc model.Scope, group string) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	var total int64
	for _, st := range pageStreams(t, s, sc, group, store.StreamQuery{Limit: 100}) {
		evs := allEvents(t, s, sc, group, store.EventQuery{Streams: []string{st.Name}})
		var size int64
		for _, e := range evs {
			size += int64(len(e.Message))
		}
		if st.Events != int64(len(evs)) || st.StoredBytes != size {
			t.Errorf("%s/%s: Events %d, StoredBytes %d; holds %d events of %d bytes", group, st.Name, st.Events, st.StoredBytes, len(evs), size)
		}
		total += size
		out[st.Name] = messages(evs)
	}
	g := getGroup(t, s, sc, group)
	if g.StoredBytes != total {
		t.Errorf("%s: StoredBytes %d, streams hold %d", group, g.StoredBytes, total)
	}
	gs := read(t, s, func(tx store.Tx) ([]model.LogGroup, error) {
		return tx.ListLogGroups(sc, store.GroupQuery{Prefix: group, Limit: 1})
	})
	if len(gs) != 1 || gs[0].StoredBytes != total {
		t.Errorf("%s: ListLogGroups = %+v, want StoredBytes %d", group, gs, total)
	}
	return out
}

func testPurgeLogEvents(t *testing.T, s store.Store) {
	now := t0 + 100*day
	type group struct {
		sc        model.Scope
		name      string
		retention int
	}
	groups := []group{{scA, "keep", 0}, {scA, "r1", 1}, {scB, "r7", 7}, {scC, "r3", 3}}
	makeGroup(t, s, scA, "keep", "s")
	makeGroup(t, s, scA, "r1", "s1", "s2", "empty")
	makeGroup(t, s, scB, "r7", "s")
	makeGroup(t, s, scC, "r3", "s")
	appendEvents(t, s, scA, "keep", "s", ev(now-50*day, "keep old"), ev(now-10*day, "keep older"))
	appendEvents(t, s, scA, "r1", "s1", ev(now-3*day, "a"), ev(now-2*day, "bb"), ev(now-day-1, "ccc"),
		ev(now-day, "d at the cutoff"), ev(now-3600_000, "e"))
	appendEvents(t, s, scA, "r1", "s2", ev(now-2*day, "ff"), ev(now, "g"))
	appendEvents(t, s, scB, "r7", "s", ev(now-8*day, "h"), ev(now-8*day, "i"), ev(now-8*day-5, "j"), ev(now-6*day, "k"))
	appendEvents(t, s, scC, "r3", "s", ev(now-4*day, "l"), ev(now-day, "m"))
	appendEvents(t, s, scC, "r3", "s", ev(now-5*day, "n")) // out of order
	for _, g := range groups {
		setRetention(t, s, g.sc, g.name, g.retention)
	}
	streamsBefore := map[string]model.LogStream{}
	for _, g := range groups {
		for _, st := range pageStreams(t, s, g.sc, g.name, store.StreamQuery{Limit: 10}) {
			streamsBefore[g.name+"/"+st.Name] = st
		}
	}
	const expired = 4 + 3 + 2
	remaining := func() int {
		n := 0
		for _, g := range groups {
			n += len(allEvents(t, s, g.sc, g.name, store.EventQuery{}))
			checkFigures(t, s, g.sc, g.name)
		}
		return n
	}
	if n := remaining(); n != 16 {
		t.Fatalf("%d events before purging, want 16", n)
	}
	deleted := 0
	for i, limit := range []int{2, 3, 100} {
		n := purge(t, s, now, limit)
		if want := min(limit, expired-deleted); n != want {
			t.Errorf("purge %d (limit %d) deleted %d, want %d", i, limit, n, want)
		}
		deleted += n
		if got := remaining(); got != 16-deleted {
			t.Errorf("after purge %d: %d events, want %d", i, got, 16-deleted)
		}
	}
	if n := purge(t, s, now, 100); n != 0 {
		t.Errorf("purge with nothing expired deleted %d", n)
	}
	want := map[string]map[string][]string{
		"keep": {"s": {"keep old", "keep older"}},
		"r1":   {"s1": {"d at the cutoff", "e"}, "s2": {"g"}, "empty": {}},
		"r7":   {"s": {"k"}},
		"r3":   {"s": {"m"}},
	}
	for _, g := range groups {
		if got := checkFigures(t, s, g.sc, g.name); !reflect.DeepEqual(got, want[g.name]) {
			t.Errorf("%s after purging: %q, want %q", g.name, got, want[g.name])
		}
		// Purging keeps the streams' timestamps and upload sequence.
		for _, st := range pageStreams(t, s, g.sc, g.name, store.StreamQuery{Limit: 10}) {
			b := streamsBefore[g.name+"/"+st.Name]
			if st.FirstEventTimestamp != b.FirstEventTimestamp || st.LastEventTimestamp != b.LastEventTimestamp ||
				st.LastIngestionTime != b.LastIngestionTime || st.LastSeq != b.LastSeq || st.CreationTime != b.CreationTime {
				t.Errorf("%s/%s after purging: %+v, was %+v", g.name, st.Name, st, b)
			}
		}
	}
	// Retention 0 stops purging; the other groups go on.
	setRetention(t, s, scA, "r1", 0)
	if n := purge(t, s, now+10*day, 100); n != 2 {
		t.Errorf("purge 10 days later deleted %d, want 2 (k and m)", n)
	}
	if got := checkFigures(t, s, scA, "r1"); !reflect.DeepEqual(got, want["r1"]) {
		t.Errorf("r1 without retention after purging: %q", got)
	}
	// Appending to a purged stream: the new event counts, the old
	// timestamps stay.
	st := appendEvents(t, s, scB, "r7", "s", ev(now+10*day, "new"))
	if b := streamsBefore["r7/s"]; st.Events != 1 || st.StoredBytes != 3 || st.FirstEventTimestamp != b.FirstEventTimestamp ||
		st.LastEventTimestamp != now+10*day || st.LastSeq <= b.LastSeq {
		t.Errorf("append after purge: %+v (before %+v)", st, b)
	}
}

// testLogRollback: a failed Update leaves no trace of its log writes.
func testLogRollback(t *testing.T, s store.Store) {
	arn := groupARN(scA, "keep")
	makeGroup(t, s, scA, "keep", "s")
	tagged := logGroup(scA, "keep")
	tagged.Tags = map[string]string{"k": "v"}
	mustUpdate(t, s, func(tx store.Tx) error { return tx.UpdateLogGroup(scA, tagged) })
	appendEvents(t, s, scA, "keep", "s", ev(t0+100, "k1"), ev(t0+300, "k3"))
	mustUpdate(t, s, func(tx store.Tx) error {
		if err := tx.PutResourcePolicy(scA, model.ResourcePolicy{Name: "p", Document: "{}", ResourceArn: arn}); err != nil {
			return err
		}
		return tx.PutResourcePolicy(scA, model.ResourcePolicy{Name: "acct", Document: "{}"})
	})
	type state struct {
		Group    model.LogGroup
		Streams  []model.LogStream
		Events   []model.LogEvent
		Policies [2][]model.ResourcePolicy
		Groups   int
		Scopes   []model.Scope
	}
	snapshot := func() state {
		t.Helper()
		var st state
		err := s.View(ctx, func(tx store.Tx) (err error) {
			if st.Group, err = tx.LogGroup(scA, "keep"); err != nil {
				return err
			}
			if st.Streams, err = tx.ListLogStreams(scA, "keep", store.StreamQuery{Limit: 10}); err != nil {
				return err
			}
			if st.Events, err = tx.LogEvents(scA, "keep", store.EventQuery{Limit: 100}); err != nil {
				return err
			}
			if st.Policies[0], err = tx.ResourcePolicies(scA, arn); err != nil {
				return err
			}
			if st.Policies[1], err = tx.ResourcePolicies(scA, ""); err != nil {
				return err
			}
			if st.Groups, err = tx.CountLogGroups(scA); err != nil {
				return err
			}
			st.Scopes, err = tx.Scopes()
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		st.Group = normGroup(st.Group)
		return st
	}
	before := snapshot()
	boom := errors.New("boom")
	must := func(what string, err error) {
		if err != nil {
			t.Errorf("in the failing update, %s: %v", what, err)
		}
	}
	err := s.Update(ctx, func(tx store.Tx) error {
		must("create group", tx.CreateLogGroup(scA, logGroup(scA, "new")))
		must("create stream", tx.CreateLogStream(scA, "new", model.LogStream{Name: "s"}))
		_, err := tx.AppendLogEvents(scA, "new", "s", []model.LogEvent{ev(t0, "new")})
		must("append to new", err)
		must("create group in scope B", tx.CreateLogGroup(scB, logGroup(scB, "new")))
		// Into the middle, at the end and at the front of keep/s.
		_, err = tx.AppendLogEvents(scA, "keep", "s", []model.LogEvent{ev(t0+200, "k2"), ev(t0+400, "k4")})
		must("append k2, k4", err)
		_, err = tx.AppendLogEvents(scA, "keep", "s", []model.LogEvent{ev(t0+50, "k0")})
		must("append k0", err)
		upd := logGroup(scA, "keep")
		upd.RetentionInDays, upd.Tags = 1, map[string]string{"k": "changed"}
		must("update group", tx.UpdateLogGroup(scA, upd))
		must("create s2", tx.CreateLogStream(scA, "keep", model.LogStream{Name: "s2"}))
		_, err = tx.AppendLogEvents(scA, "keep", "s2", []model.LogEvent{ev(t0, "s2")})
		must("append to s2", err)
		must("replace policy", tx.PutResourcePolicy(scA, model.ResourcePolicy{Name: "p", Document: `{"changed":1}`, ResourceArn: arn}))
		must("put policy", tx.PutResourcePolicy(scA, model.ResourcePolicy{Name: "new", Document: "{}"}))
		must("delete policy", tx.DeleteResourcePolicy(scA, "", "acct"))
		n, err := tx.PurgeLogEvents(t0+10*day, 100)
		must("purge", err)
		if n != 6 { // keep/s's five and s2's one
			t.Errorf("purge in the failing update deleted %d, want 6", n)
		}
		_, err = tx.AppendLogEvents(scA, "keep", "s", []model.LogEvent{ev(t0+20*day, "after purge")})
		must("append after purge", err)
		must("delete s2", tx.DeleteLogStream(scA, "keep", "s2"))
		must("delete group", tx.DeleteLogGroup(scA, "keep"))
		must("recreate group", tx.CreateLogGroup(scA, logGroup(scA, "keep")))
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Update = %v, want boom", err)
	}
	if after := snapshot(); !reflect.DeepEqual(after, before) {
		t.Errorf("after a failed update:\n got %+v\nwant %+v", after, before)
	}
	for _, sc := range []model.Scope{scA, scB} {
		_, err := readErr(s, func(tx store.Tx) (model.LogGroup, error) { return tx.LogGroup(sc, "new") })
		isNotFound(t, fmt.Sprintf("rolled-back group in %v", sc), err)
	}
	// The store goes on: a new append sorts after the kept events.
	st := appendEvents(t, s, scA, "keep", "s", ev(t0+300, "k3 again"))
	evs := allEvents(t, s, scA, "keep", store.EventQuery{})
	if got := messages(evs); !slices.Equal(got, []string{"k1", "k3", "k3 again"}) || st.Events != 3 || st.LastSeq != evs[2].Seq || evs[2].Seq <= evs[1].Seq {
		t.Errorf("after the rollback, append: %s, stream %+v", fmtEvents(evs), st)
	}

	// A failed purge alone.
	setRetention(t, s, scA, "keep", 1)
	before = snapshot()
	err = s.Update(ctx, func(tx store.Tx) error {
		if n, err := tx.PurgeLogEvents(t0+10*day, 2); err != nil || n != 2 {
			t.Errorf("purge = %d, %v; want 2", n, err)
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Update = %v, want boom", err)
	}
	if after := snapshot(); !reflect.DeepEqual(after, before) {
		t.Errorf("after a failed purge:\n got %+v\nwant %+v", after, before)
	}
}

// testConcurrentLogAppends: goroutines append to streams of their own and
// to one shared stream of one group, and read meanwhile; every event lands
// exactly once, with its own Seq.
func testConcurrentLogAppends(t *testing.T, s store.Store) {
	const workers, rounds, per = 8, 20, 5
	streams := []string{"shared"}
	for w := range workers {
		streams = append(streams, fmt.Sprintf("w%d", w))
	}
	makeGroup(t, s, scA, "g", streams...)
	batch := func(w, r int, target string) []model.LogEvent {
		var evs []model.LogEvent
		for e := range per {
			evs = append(evs, model.LogEvent{Timestamp: t0 + int64(r), IngestionTime: t0, Message: fmt.Sprintf("w%d r%02d e%d %s", w, r, e, target)})
		}
		return evs
	}
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			own := fmt.Sprintf("w%d", w)
			for r := range rounds {
				var err error
				// ErrConflict means the store wrote nothing: trying again is
				// safe, and the exactly-once checks below still hold.
				for range 100 {
					err = s.Update(ctx, func(tx store.Tx) error {
						if _, err := tx.AppendLogEvents(scA, "g", own, batch(w, r, own)); err != nil {
							return err
						}
						_, err := tx.AppendLogEvents(scA, "g", "shared", batch(w, r, "shared"))
						return err
					})
					if !errors.Is(err, store.ErrConflict) {
						break
					}
				}
				if err != nil {
					t.Errorf("worker %d round %d: %v", w, r, err)
					return
				}
				err = s.View(ctx, func(tx store.Tx) error {
					evs, err := tx.LogEvents(scA, "g", store.EventQuery{Streams: []string{own}, Descending: true, Limit: per})
					if err == nil && (len(evs) != per || evs[0].Message != fmt.Sprintf("w%d r%02d e%d %s", w, r, per-1, own)) {
						err = fmt.Errorf("latest events of %s: %s", own, fmtEvents(evs))
					}
					return err
				})
				if err != nil {
					t.Errorf("worker %d round %d: %v", w, r, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	all := allEvents(t, s, scA, "g", store.EventQuery{Limit: 333})
	if want := workers * rounds * per * 2; len(all) != want {
		t.Errorf("%d events, want %d", len(all), want)
	}
	seen := map[string]bool{}
	seqs := map[int64]bool{}
	bySeq := map[string][]model.LogEvent{}
	for i, e := range all {
		if seen[e.Message] {
			t.Errorf("%q read twice", e.Message)
		}
		seen[e.Message] = true
		if seqs[e.Seq] {
			t.Errorf("Seq %d given twice", e.Seq)
		}
		seqs[e.Seq] = true
		if i > 0 && cmpEventKey(all[i-1].Timestamp, all[i-1].Seq, e.Timestamp, e.Seq) >= 0 {
			t.Errorf("events %d and %d out of order: %s", i-1, i, fmtEvents(all[i-1:i+1]))
		}
		if !strings.HasSuffix(e.Message, " "+e.Stream) {
			t.Errorf("%q read in stream %s", e.Message, e.Stream)
		}
		w := strings.Fields(e.Message)[0]
		bySeq[w+" "+e.Stream] = append(bySeq[w+" "+e.Stream], e)
	}
	for w := range workers {
		for r := range rounds {
			for e := range per {
				for _, target := range []string{fmt.Sprintf("w%d", w), "shared"} {
					if m := fmt.Sprintf("w%d r%02d e%d %s", w, r, e, target); !seen[m] {
						t.Errorf("%q lost", m)
					}
				}
			}
		}
	}
	// Each worker's events, in Seq order, are in the order it appended them.
	for key, evs := range bySeq {
		slices.SortFunc(evs, func(a, b model.LogEvent) int { return cmpInt(a.Seq, b.Seq) })
		if !slices.IsSorted(messages(evs)) {
			t.Errorf("%s: Seqs do not follow the append order: %s", key, fmtEvents(evs))
		}
	}
	figures := checkFigures(t, s, scA, "g")
	if n := len(figures["shared"]); n != workers*rounds*per {
		t.Errorf("shared stream holds %d events, want %d", n, workers*rounds*per)
	}
	for _, name := range streams {
		st := getStream(t, s, scA, "g", name)
		var maxSeq int64
		for _, e := range all {
			if e.Stream == name {
				maxSeq = max(maxSeq, e.Seq)
			}
		}
		if st.LastSeq != maxSeq || st.FirstEventTimestamp != t0 || st.LastEventTimestamp != t0+rounds-1 {
			t.Errorf("stream %s = %+v, want LastSeq %d", name, st, maxSeq)
		}
	}
}
