package sqltest

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/cwlogd/cwlogd/internal/model"
	"github.com/cwlogd/cwlogd/internal/store"
)

// The SQL stores keep events in blocks, one per append or per chunk of a
// large one, sorted within; reads merge blocks that overlap in time. These
// tests reach what storetest's small batches do not: appends cut into
// several blocks (by count, bytes and span), blocks that overlap other
// blocks far back, reads that resume within one transaction.

// eventRef appends batches to the streams of one group and keeps every
// event, read back once to learn its Seq, as the reference.
type eventRef struct {
	t     testing.TB
	s     store.Store
	group string
	all   []model.LogEvent // every event, Stream set, in (Timestamp, Seq) order once sorted
	n     int
}

func (r *eventRef) add(stream string, evs []model.LogEvent) {
	r.t.Helper()
	for i := range evs {
		evs[i].Message = fmt.Sprintf("%s#%d %s", stream, r.n, evs[i].Message)
		r.n++
	}
	update(r.t, r.s, func(tx store.Tx) error {
		_, err := tx.AppendLogEvents(sc, r.group, stream, evs)
		return err
	})
	for _, e := range evs {
		e.Stream = stream
		r.all = append(r.all, e)
	}
}

// learnSeqs reads every event back and sets the Seqs of the reference.
func (r *eventRef) learnSeqs() {
	r.t.Helper()
	got := page(r.t, r.s, r.group, store.EventQuery{Limit: 5000})
	seq := map[string]int64{}
	for _, e := range got {
		seq[e.Message] = e.Seq
	}
	if len(seq) != len(r.all) {
		r.t.Fatalf("read %d events back, appended %d", len(seq), len(r.all))
	}
	for i := range r.all {
		r.all[i].Seq = seq[r.all[i].Message]
	}
	slices.SortFunc(r.all, cmpKey)
}

// want returns what q selects, in q's order, without paging.
func (r *eventRef) want(q store.EventQuery) []model.LogEvent {
	out := []model.LogEvent{}
	for _, e := range r.all {
		if len(q.Streams) > 0 && !slices.Contains(q.Streams, e.Stream) || !strings.HasPrefix(e.Stream, q.StreamPrefix) ||
			e.Timestamp < q.Start || q.End > 0 && e.Timestamp >= q.End {
			continue
		}
		out = append(out, e)
	}
	if q.Descending {
		slices.Reverse(out)
	}
	return out
}

// pageInOne reads all events of q, limit at a time, in one View: the
// store may go on from where the previous page stopped.
func pageInOne(t testing.TB, s store.Store, g string, q store.EventQuery) []model.LogEvent {
	t.Helper()
	var out []model.LogEvent
	err := s.View(ctx, func(tx store.Tx) error {
		for range 100_000 {
			evs, err := tx.LogEvents(sc, g, q)
			if err != nil {
				return err
			}
			out = append(out, evs...)
			if len(evs) < q.Limit {
				return nil
			}
			last := evs[len(evs)-1]
			q.After = &store.EventKey{Timestamp: last.Timestamp, Seq: last.Seq}
		}
		return fmt.Errorf("%+v: no end", q)
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func sameEvents(a, b []model.LogEvent) bool {
	return slices.EqualFunc(a, b, func(x, y model.LogEvent) bool { return x == y })
}

// testEventsInBlocks: large appends cut into blocks, batches far out of
// order and spanning minutes, in 12 streams; every kind of read, both
// ways, paged in fresh transactions and in one, against the reference.
func testEventsInBlocks(t *testing.T, s store.Store) {
	var names []string
	for i := range 12 {
		names = append(names, fmt.Sprintf("s%02d", i))
	}
	makeGroup(t, s, "g", names...)
	ref := &eventRef{t: t, s: s, group: "g"}
	r := rand.New(rand.NewPCG(5, 6))
	batch := func(n int, from, spread int64, size int) []model.LogEvent {
		evs := make([]model.LogEvent, n)
		for i := range evs {
			evs[i] = model.LogEvent{Timestamp: from + r.Int64N(spread), IngestionTime: t0 + int64(i), Message: strings.Repeat("x", r.IntN(size))}
		}
		return evs
	}
	// More than 4096 events; more than 16 KiB: several blocks each.
	ref.add("s00", batch(5000, t0, 50_000, 4))
	ref.add("s01", batch(300, t0, 20_000, 400))
	// A batch over ten minutes, cut by span; a later one far before it,
	// and one that covers both.
	ref.add("s02", batch(200, t0+100_000, 600_000, 50))
	ref.add("s02", batch(50, t0-3_600_000, 1000, 50))
	ref.add("s02", batch(100, t0-3_600_000, 4_500_000, 50))
	// Many small batches, in and out of order, in every stream.
	for range 150 {
		ref.add(names[r.IntN(len(names))], batch(1+r.IntN(20), t0+r.Int64N(700_000)-100_000, 1+r.Int64N(30_000), 30))
	}
	// Ties: one timestamp across streams and batches.
	for _, n := range names[:4] {
		ref.add(n, batch(3, t0+12_345, 1, 10))
	}
	ref.learnSeqs()

	queries := []store.EventQuery{
		{},
		{Streams: []string{"s00"}},
		{Streams: []string{"s02"}},
		{Streams: []string{"s01", "s02"}},
		{Streams: names[:10]}, // more than are merged one by one
		{StreamPrefix: "s0"},  // ten: through the group's index
		{StreamPrefix: "s1"},  // two: merged
		{Start: t0 + 12_345, End: t0 + 12_346},
		{Start: t0 - 3_000_000, End: t0 + 30_000},
		{Streams: []string{"s02"}, Start: t0 + 300_000},
		{Streams: []string{"s02"}, End: t0 - 3_500_000},
	}
	for _, q := range queries {
		for _, desc := range []bool{false, true} {
			q.Descending = desc
			want := ref.want(q)
			for _, limit := range []int{1, 7, 250, 5000} {
				if limit == 1 && len(want) > 2000 {
					continue
				}
				q.Limit = limit
				if got := pageInOne(t, s, "g", q); !sameEvents(got, want) {
					t.Errorf("%+v in one View: %d events, want %d", q, len(got), len(want))
				}
				if limit < 250 && len(want) > 300 {
					continue // a View per page: slow
				}
				if got := page(t, s, "g", q); !sameEvents(got, want) {
					t.Errorf("%+v, a View per page: %d events, want %d", q, len(got), len(want))
				}
			}
		}
	}

	// Pages from any key on, one View each and resumed.
	for range 40 {
		e := ref.all[r.IntN(len(ref.all))]
		q := store.EventQuery{After: &store.EventKey{Timestamp: e.Timestamp, Seq: e.Seq}, Descending: r.IntN(2) == 0, Limit: 1 + r.IntN(300)}
		if r.IntN(2) == 0 {
			q.Streams = []string{e.Stream}
		}
		all := ref.want(store.EventQuery{Streams: q.Streams, Descending: q.Descending})
		i := slices.IndexFunc(all, func(x model.LogEvent) bool { return x.Seq == e.Seq })
		want := all[i+1:]
		if got := pageInOne(t, s, "g", q); !sameEvents(got, want) {
			t.Errorf("after %s/%d/%d %+v: %d events, want %d", e.Stream, e.Timestamp-t0, e.Seq, q, len(got), len(want))
		}
		want = want[:min(q.Limit, len(want))]
		var got []model.LogEvent
		s.View(ctx, func(tx store.Tx) (err error) { got, err = tx.LogEvents(sc, "g", q); return err })
		if !sameEvents(got, want) {
			t.Errorf("one page after %s/%d/%d %+v: %d events, want %d", e.Stream, e.Timestamp-t0, e.Seq, q, len(got), len(want))
		}
	}

	// Reads in one View that do not follow on from the one before.
	err := s.View(ctx, func(tx store.Tx) error {
		for range 30 {
			q := queries[r.IntN(len(queries))]
			q.Descending, q.Limit = r.IntN(2) == 0, 1+r.IntN(100)
			want := ref.want(q)
			if r.IntN(2) == 0 && len(want) > 0 {
				e := want[r.IntN(len(want))]
				q.After = &store.EventKey{Timestamp: e.Timestamp, Seq: e.Seq}
				want = want[slices.IndexFunc(want, func(x model.LogEvent) bool { return x.Seq == e.Seq })+1:]
			}
			want = want[:min(q.Limit, len(want))]
			got, err := tx.LogEvents(sc, "g", q)
			if err != nil {
				return err
			}
			if !sameEvents(got, want) {
				t.Errorf("%+v after other reads: %d events, want %d", q, len(got), len(want))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// testPurgeBlocks: purges through large blocks that straddle the cutoff
// delete exactly their limit, the oldest of each block first, and keep
// the streams' figures and the remaining events right.
func testPurgeBlocks(t *testing.T, s store.Store) {
	const day = 86_400_000
	now := t0 + 30*day
	g := group("g")
	g.RetentionInDays = 1
	update(t, s, func(tx store.Tx) error {
		if err := tx.CreateLogGroup(sc, g); err != nil {
			return err
		}
		for _, n := range []string{"a", "b"} {
			if err := tx.CreateLogStream(sc, "g", model.LogStream{Name: n, CreationTime: t0}); err != nil {
				return err
			}
		}
		return nil
	})
	ref := &eventRef{t: t, s: s, group: "g"}
	// Stream a: 5000 events over two days, in order (several blocks, one
	// straddling the cutoff); b: batches each straddling it.
	evs := make([]model.LogEvent, 5000)
	for i := range evs {
		evs[i] = model.LogEvent{Timestamp: now - 2*day + int64(i)*(2*day/5000), IngestionTime: now, Message: "a"}
	}
	ref.add("a", evs)
	for i := range 5 {
		evs := make([]model.LogEvent, 30)
		for j := range evs {
			evs[j] = model.LogEvent{Timestamp: now - day - 15 + int64(j) + int64(i), IngestionTime: now, Message: "b"}
		}
		ref.add("b", evs)
	}
	ref.learnSeqs()
	expired := 0
	for _, e := range ref.all {
		if e.Timestamp < now-day {
			expired++
		}
	}
	deleted := 0
	for _, limit := range []int{1, 7, 333, 1000, 10_000} {
		var n int
		update(t, s, func(tx store.Tx) (err error) { n, err = tx.PurgeLogEvents(now, limit); return err })
		if want := min(limit, expired-deleted); n != want {
			t.Fatalf("purge with limit %d deleted %d, want %d", limit, n, want)
		}
		deleted += n
		// What is left: the events not expired, and of the expired ones
		// the store chose to keep, none newer than one it deleted from the
		// same stream.
		got := page(t, s, "g", store.EventQuery{Limit: 5000})
		if len(got) != len(ref.all)-deleted {
			t.Fatalf("after purging %d: %d events, want %d", deleted, len(got), len(ref.all)-deleted)
		}
		kept := map[int64]bool{}
		for _, e := range got {
			kept[e.Seq] = true
		}
		var bytes int64
		counts := map[string]int64{}
		for _, e := range ref.all {
			switch {
			case kept[e.Seq]:
				bytes += int64(len(e.Message))
				counts[e.Stream]++
			case e.Timestamp >= now-day:
				t.Fatalf("unexpired event %s/%d purged", e.Stream, e.Seq)
			}
		}
		err := s.View(ctx, func(tx store.Tx) error {
			gr, err := tx.LogGroup(sc, "g")
			if err != nil {
				return err
			}
			if gr.StoredBytes != bytes {
				t.Errorf("after purging %d: StoredBytes %d, events hold %d", deleted, gr.StoredBytes, bytes)
			}
			for _, n := range []string{"a", "b"} {
				st, err := tx.LogStream(sc, "g", n)
				if err != nil {
					return err
				}
				if st.Events != counts[n] {
					t.Errorf("after purging %d: stream %s counts %d events, holds %d", deleted, n, st.Events, counts[n])
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if deleted != expired {
		t.Errorf("purged %d events, %d had expired", deleted, expired)
	}
	want := ref.want(store.EventQuery{Start: now - day})
	if got := page(t, s, "g", store.EventQuery{Limit: 777}); !sameEvents(got, want) {
		t.Errorf("after the purges: %d events, want the %d unexpired", len(got), len(want))
	}
}
