package memory

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/cwlogd/cwlogd/internal/model"
	"github.com/cwlogd/cwlogd/internal/store"
)

var (
	ctx  = context.Background()
	sc   = model.Scope{Account: "123456789012", Region: "us-east-1"}
	boom = errors.New("boom")
)

// hasPointers reports whether values of t hold a pointer.
func hasPointers(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.Complex64, reflect.Complex128:
		return false
	case reflect.Array:
		return t.Len() > 0 && hasPointers(t.Elem())
	case reflect.Struct:
		for i := range t.NumField() {
			if hasPointers(t.Field(i).Type) {
				return true
			}
		}
		return false
	}
	return true
}

// TestEventsPointerFree: the garbage collector does not scan the events or
// the slabs' bytes.
func TestEventsPointerFree(t *testing.T) {
	if hasPointers(reflect.TypeFor[event]()) {
		t.Errorf("event holds a pointer")
	}
	if hasPointers(reflect.TypeFor[model.LogEvent]()) == false {
		t.Fatalf("hasPointers misses the strings of model.LogEvent")
	}
	if size := reflect.TypeFor[event]().Size(); size > 40 {
		t.Errorf("event takes %d bytes", size)
	}
}

func newStream(t testing.TB, streams ...string) *Store {
	t.Helper()
	m := New()
	err := m.Update(ctx, func(tx store.Tx) error {
		if err := tx.CreateLogGroup(sc, model.LogGroup{Name: "g", Arn: "arn:g"}); err != nil {
			return err
		}
		for _, s := range streams {
			if err := tx.CreateLogStream(sc, "g", model.LogStream{Name: s}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func (m *Store) logStream(name string) *logStream {
	g, _ := m.scopes[sc].groups.get("g")
	ls, _ := g.streams.get(name)
	return ls
}

// checkStream checks the invariants of ls's storage.
func checkStream(t testing.TB, ls *logStream) {
	t.Helper()
	live := make([]int, len(ls.slabs))
	var bytes int64
	for i := range ls.events {
		e := &ls.events[i]
		if i > 0 && cmpKey(ls.events[i-1].ts, ls.events[i-1].seq, e.ts, e.seq) >= 0 {
			t.Fatalf("events %d and %d out of order", i-1, i)
		}
		k := int(e.slab - ls.base)
		if k >= len(ls.slabs) {
			t.Fatalf("event %d in slab %d, base %d, %d slabs", i, e.slab, ls.base, len(ls.slabs))
		}
		if int(e.off)+int(e.n) > len(ls.slabs[k].buf) {
			t.Fatalf("event %d at [%d, +%d) of a slab of %d bytes", i, e.off, e.n, len(ls.slabs[k].buf))
		}
		live[k]++
		bytes += int64(e.n)
	}
	for k, s := range ls.slabs {
		if s.live != live[k] {
			t.Fatalf("slab %d: live %d, referenced by %d events", k, s.live, live[k])
		}
		if s.buf == nil && (s.live > 0 || k == len(ls.slabs)-1) {
			t.Fatalf("slab %d of %d, of %d events, let go of", k, len(ls.slabs), s.live)
		}
		if s.buf != nil && s.live == 0 && k < len(ls.slabs)-1 {
			t.Fatalf("slab %d of %d, of no event, kept", k, len(ls.slabs))
		}
	}
	if bytes != ls.st.StoredBytes || int64(len(ls.events)) != ls.st.Events {
		t.Fatalf("stream holds %d events of %d bytes; says %d of %d", len(ls.events), bytes, ls.st.Events, ls.st.StoredBytes)
	}
}

func appendTo(t testing.TB, m *Store, stream string, evs ...model.LogEvent) {
	t.Helper()
	err := m.Update(ctx, func(tx store.Tx) error {
		_, err := tx.AppendLogEvents(sc, "g", stream, evs)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

func readAll(t testing.TB, m *Store, stream string) []model.LogEvent {
	t.Helper()
	var out []model.LogEvent
	err := m.View(ctx, func(tx store.Tx) (err error) {
		out, err = tx.LogEvents(sc, "g", store.EventQuery{Streams: []string{stream}, Limit: 1 << 30})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestSlabSizes: slabs grow from minSlab to maxSlab, a message never
// straddles two, a larger one gets its own, an empty one is "".
func TestSlabSizes(t *testing.T) {
	m := newStream(t, "s")
	big := strings.Repeat("B", maxSlab+10)
	msgs := []string{"a", "", strings.Repeat("x", 700), strings.Repeat("y", 700), big, "c", strings.Repeat("z", maxSlab)}
	for range 3000 {
		msgs = append(msgs, strings.Repeat("m", 1000))
	}
	msgs = append(msgs, "")
	for i, msg := range msgs {
		appendTo(t, m, "s", model.LogEvent{Timestamp: int64(i), Message: msg})
	}
	ls := m.logStream("s")
	checkStream(t, ls)
	got := readAll(t, m, "s")
	for i, e := range got {
		if e.Message != msgs[i] || e.Stream != "s" {
			t.Fatalf("event %d: %q of %q (%d bytes), want %q (%d bytes)", i, e.Stream, e.Message[:min(10, len(e.Message))], len(e.Message), msgs[i][:min(10, len(msgs[i]))], len(msgs[i]))
		}
	}
	var caps []int
	for _, s := range ls.slabs {
		caps = append(caps, cap(s.buf))
	}
	if caps[0] != minSlab || caps[1] != 2*minSlab {
		t.Errorf("first slabs of %v, want %d then %d", caps[:2], minSlab, 2*minSlab)
	}
	for k, s := range ls.slabs {
		if c := cap(s.buf); c > maxSlab && (len(s.buf) != c || s.live != 1) {
			t.Errorf("slab %d of %d bytes holds %d bytes in %d events", k, c, len(s.buf), s.live)
		}
	}
	if !slices.Contains(caps, len(big)) || caps[len(caps)-1] != maxSlab {
		t.Errorf("slabs of %v", caps)
	}
	// A batch sizes the first slab.
	m = newStream(t, "s")
	var evs []model.LogEvent
	for i := range 300 {
		evs = append(evs, model.LogEvent{Timestamp: int64(i), Message: strings.Repeat("m", 200)})
	}
	appendTo(t, m, "s", evs...)
	if ls := m.logStream("s"); len(ls.slabs) != 1 || cap(ls.slabs[0].buf) != 64<<10 {
		t.Errorf("a batch of 60000 bytes went to %d slabs, the first of %d bytes", len(ls.slabs), cap(ls.slabs[0].buf))
	}
}

// TestPurgeFreesSlabs: purging lets go of the slabs no event references,
// and the events' array once mostly purged; undoing the purge brings them
// back.
func TestPurgeFreesSlabs(t *testing.T) {
	m := newStream(t, "s")
	msg := strings.Repeat("m", 1000)
	const n = 20000 // 20 MB: about 20 slabs
	for b := range n / 1000 {
		evs := make([]model.LogEvent, 1000)
		for i := range evs {
			evs[i] = model.LogEvent{Timestamp: int64(b*1000 + i), Message: msg}
		}
		appendTo(t, m, "s", evs...)
	}
	// One late event, out of order.
	appendTo(t, m, "s", model.LogEvent{Timestamp: n - 50, Message: "late"})
	ls := m.logStream("s")
	slabs := len(ls.slabs)
	err := m.Update(ctx, func(tx store.Tx) error {
		g, _ := tx.LogGroup(sc, "g")
		g.RetentionInDays = 1
		return tx.UpdateLogGroup(sc, g)
	})
	if err != nil {
		t.Fatal(err)
	}
	now := int64(86_400_000) + n - 100 // keeps the last 100 events and the late one
	purge := func(fail bool) {
		t.Helper()
		err := m.Update(ctx, func(tx store.Tx) error {
			for {
				if k, err := tx.PurgeLogEvents(now, 1000); err != nil || k < 1000 {
					break
				}
			}
			checkStream(t, ls)
			if fail {
				return boom
			}
			return nil
		})
		if err != nil != fail {
			t.Fatal(err)
		}
	}
	purge(true)
	checkStream(t, ls)
	if len(ls.events) != n+1 || len(ls.slabs) != slabs || ls.base != 0 {
		t.Fatalf("after a failed purge: %d events, %d slabs from %d; want %d, %d from 0", len(ls.events), len(ls.slabs), ls.base, n+1, slabs)
	}
	if got := readAll(t, m, "s"); len(got) != n+1 || got[0].Message != msg || got[n-49].Message != "late" {
		t.Fatalf("after a failed purge: %d events", len(got))
	}
	purge(false)
	checkStream(t, ls)
	if len(ls.events) != 101 || len(ls.slabs) > 2 || ls.base == 0 {
		t.Errorf("after purging: %d events, %d slabs from %d", len(ls.events), len(ls.slabs), ls.base)
	}
	if ls.dead+cap(ls.events) > 2048 {
		t.Errorf("after purging: events array of %d, %d purged slots", cap(ls.events), ls.dead)
	}
	if got := readAll(t, m, "s"); len(got) != 101 || got[0].Timestamp != n-100 || got[51].Message != "late" {
		t.Fatalf("after purging: %d events", len(got))
	}

	// Purged empty, the stream keeps its last slab for the next appends;
	// once they need another, it goes.
	now += 1000
	purge(false)
	checkStream(t, ls)
	if len(ls.events) != 0 || len(ls.slabs) != 1 || ls.slabs[0].buf == nil || ls.events != nil {
		t.Fatalf("purged empty: %d events, %d slabs", len(ls.events), len(ls.slabs))
	}
	big := strings.Repeat("b", maxSlab)
	for _, fail := range []bool{true, false} {
		err := m.Update(ctx, func(tx store.Tx) error {
			_, err := tx.AppendLogEvents(sc, "g", "s", []model.LogEvent{{Timestamp: 2 * n, Message: big}})
			checkStream(t, ls)
			if len(ls.slabs) != 2 || ls.slabs[0].buf != nil {
				t.Errorf("appending to an empty stream: %d slabs", len(ls.slabs))
			}
			if err == nil && fail {
				err = boom
			}
			return err
		})
		if errors.Is(err, boom) != fail {
			t.Fatal(err)
		}
		checkStream(t, ls)
	}
	if got := readAll(t, m, "s"); len(got) != 1 || got[0].Message != big {
		t.Fatalf("after appending to an empty stream: %d events", len(got))
	}
}

// TestRollbackReusesSlab: a rolled-back append gives its bytes back,
// unless the transaction read events after it: strings over them must not
// change.
func TestRollbackReusesSlab(t *testing.T) {
	m := newStream(t, "s")
	appendTo(t, m, "s", model.LogEvent{Timestamp: 1, Message: "first"})
	ls := m.logStream("s")
	used := len(ls.slabs[0].buf)
	err := m.Update(ctx, func(tx store.Tx) error {
		if _, err := tx.AppendLogEvents(sc, "g", "s", []model.LogEvent{{Timestamp: 2, Message: "rolled back"}}); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) || len(ls.slabs[0].buf) != used {
		t.Fatalf("rollback: %v, slab of %d bytes, was %d", err, len(ls.slabs[0].buf), used)
	}
	var seen []model.LogEvent
	err = m.Update(ctx, func(tx store.Tx) error {
		_, err := tx.AppendLogEvents(sc, "g", "s", []model.LogEvent{{Timestamp: 2, Message: "seen"}, {Timestamp: 3, Message: strings.Repeat("x", 5000)}})
		if err != nil {
			return err
		}
		seen, err = tx.LogEvents(sc, "g", store.EventQuery{Limit: 10})
		if err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) || len(seen) != 3 {
		t.Fatalf("rollback: %v, read %d events", err, len(seen))
	}
	checkStream(t, ls)
	if len(ls.slabs) != 1 || len(ls.slabs[0].buf) != used+len("seen") {
		t.Fatalf("after a rollback that read: %d slabs, the first of %d bytes", len(ls.slabs), len(ls.slabs[0].buf))
	}
	appendTo(t, m, "s", model.LogEvent{Timestamp: 2, Message: "over"}, model.LogEvent{Timestamp: 3, Message: strings.Repeat("y", 5000)})
	if seen[1].Message != "seen" || seen[2].Message != strings.Repeat("x", 5000) {
		t.Errorf("a string read in a rolled-back transaction changed to %q", seen[1].Message)
	}
	got := readAll(t, m, "s")
	if msgs := []string{got[0].Message, got[1].Message}; !slices.Equal(msgs, []string{"first", "over"}) || len(got) != 3 {
		t.Errorf("after the rollbacks: %q", msgs)
	}
	checkStream(t, ls)
}

// TestRandomLogOps runs random appends, purges and reads, in transactions
// that fail at random, against a model, checking the storage's invariants
// as it goes.
func TestRandomLogOps(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	streams := []string{"a", "b", "c"}
	m := newStream(t, streams...)
	err := m.Update(ctx, func(tx store.Tx) error {
		g, _ := tx.LogGroup(sc, "g")
		g.RetentionInDays = 1
		return tx.UpdateLogGroup(sc, g)
	})
	if err != nil {
		t.Fatal(err)
	}
	type ev struct {
		ts  int64
		msg string
	}
	model0 := map[string][]ev{} // by stream, in (ts, append) order
	var reads []model.LogEvent  // strings read, with what they said
	var readMsgs []string
	now := int64(86_400_000)
	nmsg := 0
	for round := range 600 {
		work := map[string][]ev{}
		for k, v := range model0 {
			work[k] = slices.Clone(v)
		}
		fail := rng.IntN(4) == 0
		err := m.Update(ctx, func(tx store.Tx) error {
			for range 1 + rng.IntN(4) {
				s := streams[rng.IntN(len(streams))]
				switch op := rng.IntN(10); {
				case op < 6:
					var evs []model.LogEvent
					base := now + int64(rng.IntN(200)) - 100
					for range 1 + rng.IntN(50) {
						size := rng.IntN(300)
						if rng.IntN(200) == 0 {
							size = maxSlab + rng.IntN(1000)
						}
						nmsg++
						msg := fmt.Sprintf("%d:%s", nmsg, strings.Repeat("x", size))
						ts := base + int64(rng.IntN(20))
						evs = append(evs, model.LogEvent{Timestamp: ts, Message: msg})
					}
					if _, err := tx.AppendLogEvents(sc, "g", s, evs); err != nil {
						return err
					}
					for _, e := range evs {
						work[s] = append(work[s], ev{e.Timestamp, e.Message})
					}
					slices.SortStableFunc(work[s], func(a, b ev) int { return cmp.Compare(a.ts, b.ts) })
				case op < 8:
					now += int64(rng.IntN(30))
					limit := 1 + rng.IntN(100)
					k, err := tx.PurgeLogEvents(now+86_400_000, limit)
					if err != nil {
						return err
					}
					// The store purges stream by stream, in name order.
					left := k
					for _, s := range streams {
						w := work[s]
						i := 0
						for i < len(w) && i < left && w[i].ts < now {
							i++
						}
						work[s] = w[i:]
						left -= i
					}
					if left != 0 {
						return fmt.Errorf("purge deleted %d, %d more than expired", k, left)
					}
				default:
					evs, err := tx.LogEvents(sc, "g", store.EventQuery{Streams: []string{s}, Limit: 1 + rng.IntN(20), Descending: rng.IntN(2) == 0})
					if err != nil {
						return err
					}
					for _, e := range evs {
						reads = append(reads, e)
						readMsgs = append(readMsgs, strings.Clone(e.Message))
					}
				}
			}
			for _, s := range streams {
				checkStream(t, m.logStream(s))
			}
			if fail {
				return boom
			}
			return nil
		})
		if fail != errors.Is(err, boom) || err != nil && !fail {
			t.Fatalf("round %d: %v", round, err)
		}
		if !fail {
			model0 = work
		}
		for _, s := range streams {
			ls := m.logStream(s)
			checkStream(t, ls)
			got := readAll(t, m, s)
			var msgs []string
			for _, e := range got {
				msgs = append(msgs, e.Message)
			}
			var want []string
			for _, e := range model0[s] {
				want = append(want, e.msg)
			}
			if !slices.Equal(msgs, want) {
				t.Fatalf("round %d, stream %s: %d events, want %d", round, s, len(msgs), len(want))
			}
			if l := len(ls.slabs); l > 0 && len(ls.events) == 0 && l > 1 {
				t.Fatalf("round %d, stream %s: empty, %d slabs", round, s, l)
			}
		}
	}
	for i, e := range reads {
		if e.Message != readMsgs[i] {
			t.Fatalf("read %d changed from %q to %q", i, readMsgs[i], e.Message)
		}
	}
	if len(reads) == 0 {
		t.Fatal("no reads")
	}
}
