// Package sqltest tests and measures what the SQL stores do beyond what
// storetest reaches: the plans they choose between (one stream's index,
// several streams merged, the group's index with a stream filter), the
// bounds only unusual prefixes reach, and the blocks events are kept in. The sqlite and postgres packages run
// it beside storetest.
package sqltest

import (
	"cmp"
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/cwlogd/cwlogd/internal/model"
	"github.com/cwlogd/cwlogd/internal/store"
)

var (
	ctx = context.Background()
	sc  = model.Scope{Account: "111111111111", Region: "us-east-1"}
)

const t0 = int64(1_700_000_000_000)

// Run runs the tests; open returns a new, empty store each time.
func Run(t *testing.T, open func(t *testing.T) store.Store) {
	tests := map[string]func(*testing.T, store.Store){
		"EventsOfManyStreams": testEventsOfManyStreams,
		"UnboundedPrefixes":   testUnboundedPrefixes,
		"StoredBytesInUpdate": testStoredBytesInUpdate,
		"EventsInBlocks":      testEventsInBlocks,
		"PurgeBlocks":         testPurgeBlocks,
	}
	for name, fn := range tests {
		t.Run(name, func(t *testing.T) {
			s := open(t)
			t.Cleanup(func() { s.Close() })
			fn(t, s)
		})
	}
}

func update(t testing.TB, s store.Store, fn func(store.Tx) error) {
	t.Helper()
	if err := s.Update(ctx, fn); err != nil {
		t.Fatal(err)
	}
}

func group(name string) model.LogGroup {
	return model.LogGroup{Name: name, Arn: model.LogsARN(sc, "log-group", name), CreationTime: t0, Class: "STANDARD"}
}

// makeGroup creates a group and its streams.
func makeGroup(t testing.TB, s store.Store, name string, streams ...string) {
	t.Helper()
	update(t, s, func(tx store.Tx) error {
		if err := tx.CreateLogGroup(sc, group(name)); err != nil {
			return err
		}
		for _, st := range streams {
			if err := tx.CreateLogStream(sc, name, model.LogStream{Name: st, CreationTime: t0}); err != nil {
				return err
			}
		}
		return nil
	})
}

// page reads all events of q, limit at a time, resuming after the last.
func page(t testing.TB, s store.Store, g string, q store.EventQuery) []model.LogEvent {
	t.Helper()
	var out []model.LogEvent
	for range 10_000 {
		var evs []model.LogEvent
		err := s.View(ctx, func(tx store.Tx) (err error) {
			evs, err = tx.LogEvents(sc, g, q)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, evs...)
		if len(evs) < q.Limit {
			return out
		}
		last := evs[len(evs)-1]
		q.After = &store.EventKey{Timestamp: last.Timestamp, Seq: last.Seq}
	}
	t.Fatalf("%+v: no end", q)
	return nil
}

func cmpKey(a, b model.LogEvent) int {
	return cmp.Or(cmp.Compare(a.Timestamp, b.Timestamp), cmp.Compare(a.Seq, b.Seq))
}

// testEventsOfManyStreams: reads of 2 to 12 named streams (merged one by
// one, or through the group's index past a handful) and of prefixes return
// what reading each stream alone and merging returns.
func testEventsOfManyStreams(t *testing.T, s store.Store) {
	var names []string
	for i := range 14 {
		names = append(names, fmt.Sprintf("s%02d", i))
	}
	makeGroup(t, s, "g", names...)
	makeGroup(t, s, "other", "s00")
	r := rand.New(rand.NewPCG(1, 2))
	for round := range 6 {
		update(t, s, func(tx store.Tx) error {
			for _, n := range names {
				var evs []model.LogEvent
				for i := range r.IntN(6) {
					// Few distinct timestamps: many ties, ordered by Seq.
					evs = append(evs, model.LogEvent{Timestamp: t0 + int64(r.IntN(8)), IngestionTime: t0, Message: fmt.Sprintf("%s r%d e%d", n, round, i)})
				}
				if _, err := tx.AppendLogEvents(sc, "g", n, evs); err != nil {
					return err
				}
			}
			_, err := tx.AppendLogEvents(sc, "other", "s00", []model.LogEvent{{Timestamp: t0 + 1, Message: "other"}})
			return err
		})
	}
	byStream := map[string][]model.LogEvent{}
	for _, n := range names {
		byStream[n] = page(t, s, "g", store.EventQuery{Streams: []string{n}, Limit: 1000})
	}
	want := func(streams []string, q store.EventQuery) []model.LogEvent {
		var out []model.LogEvent
		for _, n := range streams {
			for _, e := range byStream[n] {
				if e.Timestamp >= q.Start && (q.End <= 0 || e.Timestamp < q.End) {
					out = append(out, e)
				}
			}
		}
		slices.SortFunc(out, cmpKey)
		if q.Descending {
			slices.Reverse(out)
		}
		return out
	}
	for _, k := range []int{2, 3, 8, 9, 12} {
		streams := append(slices.Clone(names[:k]), "missing", names[0])
		r.Shuffle(len(streams), func(i, j int) { streams[i], streams[j] = streams[j], streams[i] })
		for _, desc := range []bool{false, true} {
			for _, bounds := range [][2]int64{{0, 0}, {t0 + 2, t0 + 6}} {
				for _, limit := range []int{1, 3, 7, 1000} {
					q := store.EventQuery{Streams: streams, Start: bounds[0], End: bounds[1], Descending: desc, Limit: limit}
					got := page(t, s, "g", q)
					if w := want(names[:k], q); !slices.EqualFunc(got, w, func(a, b model.LogEvent) bool { return a == b }) {
						t.Errorf("%d streams, %+v: got %d events, want %d\n got %v\nwant %v", k, q, len(got), len(w), got, w)
					}
				}
			}
		}
	}
	for _, prefix := range []string{"", "s0", "s1", "s13"} {
		var streams []string
		for _, n := range names {
			if strings.HasPrefix(n, prefix) {
				streams = append(streams, n)
			}
		}
		for _, desc := range []bool{false, true} {
			q := store.EventQuery{StreamPrefix: prefix, Descending: desc, Limit: 5}
			got := page(t, s, "g", q)
			if w := want(streams, q); !slices.EqualFunc(got, w, func(a, b model.LogEvent) bool { return a == b }) {
				t.Errorf("prefix %q, %+v: got %d events, want %d", prefix, q, len(got), len(w))
			}
		}
	}
}

// testUnboundedPrefixes: a prefix of U+10FFFF has no PrefixEnd, so the
// stores read it without an upper bound.
func testUnboundedPrefixes(t *testing.T, s store.Store) {
	const top = "\U0010FFFF"
	streams := []string{"a", top, top + "a", top + top}
	for _, g := range []string{"a", top, top + "b", top + top} {
		makeGroup(t, s, g, streams...)
	}
	if store.PrefixEnd(top) != "" {
		t.Fatal("PrefixEnd(U+10FFFF) is not empty: this test needs another prefix")
	}
	err := s.View(ctx, func(tx store.Tx) error {
		gs, err := tx.ListLogGroups(sc, store.GroupQuery{Prefix: top, Limit: 10})
		if err != nil {
			return err
		}
		var got []string
		for _, g := range gs {
			got = append(got, g.Name)
		}
		if want := []string{top, top + "b", top + top}; !slices.Equal(got, want) {
			t.Errorf("groups with prefix U+10FFFF: %q, want %q", got, want)
		}
		for _, q := range []store.StreamQuery{
			{Prefix: top, Limit: 10},
			{Prefix: top, Limit: 10, Descending: true},
			{Prefix: top, Limit: 10, ByLastEvent: true},
			{Prefix: top, Limit: 10, ByLastEvent: true, Descending: true},
		} {
			ss, err := tx.ListLogStreams(sc, "a", q)
			if err != nil {
				return err
			}
			var got []string
			for _, st := range ss {
				got = append(got, st.Name)
			}
			want := []string{top, top + "a", top + top}
			if q.Descending {
				slices.Reverse(want)
			}
			if !slices.Equal(got, want) {
				t.Errorf("streams %+v: %q, want %q", q, got, want)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	update(t, s, func(tx store.Tx) error {
		for i, st := range streams {
			if _, err := tx.AppendLogEvents(sc, "a", st, []model.LogEvent{{Timestamp: t0 + int64(i), Message: st}}); err != nil {
				return err
			}
		}
		return nil
	})
	for _, desc := range []bool{false, true} {
		got := page(t, s, "a", store.EventQuery{StreamPrefix: top, Descending: desc, Limit: 1})
		var msgs []string
		for _, e := range got {
			msgs = append(msgs, e.Message)
		}
		want := []string{top, top + "a", top + top}
		if desc {
			slices.Reverse(want)
		}
		if !slices.Equal(msgs, want) {
			t.Errorf("events with prefix U+10FFFF, descending %v: %q, want %q", desc, msgs, want)
		}
	}
}

// testStoredBytesInUpdate: a writer sees its own changes in StoredBytes of
// LogGroup and ListLogGroups, which PostgreSQL's writers read outside
// their transaction and SQLite keeps in the group's row.
func testStoredBytesInUpdate(t *testing.T, s store.Store) {
	check := func(tx store.Tx, what string, want ...int64) {
		t.Helper()
		names := []string{"a", "b"}
		for i, n := range names {
			g, err := tx.LogGroup(sc, n)
			if err != nil {
				t.Fatalf("%s: %v", what, err)
			}
			if g.StoredBytes != want[i] {
				t.Errorf("%s: LogGroup(%s).StoredBytes = %d, want %d", what, n, g.StoredBytes, want[i])
			}
		}
		gs, err := tx.ListLogGroups(sc, store.GroupQuery{Limit: 10})
		if err != nil || len(gs) != 2 {
			t.Fatalf("%s: ListLogGroups = %d groups, %v", what, len(gs), err)
		}
		for i, g := range gs {
			if g.StoredBytes != want[i] {
				t.Errorf("%s: ListLogGroups: %s.StoredBytes = %d, want %d", what, g.Name, g.StoredBytes, want[i])
			}
		}
	}
	evs := func(ts int64, msgs ...string) []model.LogEvent {
		var out []model.LogEvent
		for _, m := range msgs {
			out = append(out, model.LogEvent{Timestamp: ts, IngestionTime: ts, Message: m})
		}
		return out
	}
	update(t, s, func(tx store.Tx) error {
		for _, n := range []string{"a", "b"} {
			g := group(n)
			g.RetentionInDays = 1
			if err := tx.CreateLogGroup(sc, g); err != nil {
				return err
			}
			for _, st := range []string{"x", "y"} {
				if err := tx.CreateLogStream(sc, n, model.LogStream{Name: st, CreationTime: t0}); err != nil {
					return err
				}
			}
		}
		if _, err := tx.AppendLogEvents(sc, "a", "x", evs(t0, "12345", "héllo")); err != nil { // 5 + 6 bytes
			return err
		}
		check(tx, "after the first append", 11, 0)
		return nil
	})
	update(t, s, func(tx store.Tx) error {
		check(tx, "in the next Update", 11, 0)
		if _, err := tx.AppendLogEvents(sc, "a", "y", evs(t0+2*86_400_000, "1234567")); err != nil {
			return err
		}
		if _, err := tx.AppendLogEvents(sc, "b", "x", evs(t0, "12")); err != nil {
			return err
		}
		check(tx, "after more appends", 18, 2)
		// At t0 + 1 day + 1 ms, a day's retention expires the t0 events.
		n, err := tx.PurgeLogEvents(t0+86_400_001, 100)
		if err != nil || n != 3 {
			t.Errorf("PurgeLogEvents = %d, %v; want 3", n, err)
		}
		check(tx, "after the purge", 7, 0)
		if err := tx.DeleteLogStream(sc, "a", "y"); err != nil {
			return err
		}
		check(tx, "after deleting a stream", 0, 0)
		_, err = tx.AppendLogEvents(sc, "b", "y", evs(t0+3*86_400_000, "123"))
		return err
	})
	err := s.View(ctx, func(tx store.Tx) error {
		check(tx, "in a View", 0, 3)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
