package sqltest

import (
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/cwlogd/cwlogd/internal/model"
	"github.com/cwlogd/cwlogd/internal/store"
)

// Scale of BenchReadsAtScale: streams of one group, each given rounds
// batches of 1000 events of 200 bytes. CWLOGD_BENCH_ROUNDS sets rounds.
const (
	scaleStreams = 100
	scaleBatch   = 1000
	scanPages    = 10
)

// BenchReadsAtScale fills a group with scaleStreams streams whose events
// interleave in time (10 rounds: 1,000,000 events), then measures a page
// of 1000 events of each kind of read, from a random time on: one stream
// (GetLogEvents), the whole group, two named streams, a prefix of a tenth
// of the streams, a prefix of two and twenty named streams
// (FilterLogEvents). GroupScan reads scanPages pages of the group one
// after the other in one View, each after the last event of the one
// before, as FilterLogEvents scans.
func BenchReadsAtScale(b *testing.B, s store.Store) {
	rounds := 10
	if v, err := strconv.Atoi(os.Getenv("CWLOGD_BENCH_ROUNDS")); err == nil && v > 0 {
		rounds = v
	}
	names := make([]string, scaleStreams)
	for i := range names {
		names[i] = fmt.Sprintf("s%03d", i)
	}
	names[98], names[99] = "t098", "t099" // the prefix of two
	makeGroup(b, s, "scale", names...)
	msg := strings.Repeat("m", 200)
	evs := make([]model.LogEvent, scaleBatch)
	// Round r, stream i, event j at t0 + r*span + j*100 + i: in every
	// 100 ms of a round, one event of each stream.
	const span = scaleBatch * 100
	for r := range rounds {
		for i, n := range names {
			for j := range evs {
				evs[j] = model.LogEvent{Timestamp: t0 + int64(r*span+j*100+i), IngestionTime: t0, Message: msg}
			}
			update(b, s, func(tx store.Tx) error {
				_, err := tx.AppendLogEvents(sc, "scale", n, evs)
				return err
			})
		}
	}
	end := t0 + int64(rounds*span)
	twenty := make([]string, 0, 20)
	for i := 0; i < scaleStreams; i += scaleStreams / 20 {
		twenty = append(twenty, names[i])
	}
	for _, c := range []struct {
		name  string
		q     store.EventQuery
		pages int
	}{
		{"OneStream", store.EventQuery{Streams: names[42:43]}, 1},
		{"Group", store.EventQuery{}, 1},
		{"GroupScan", store.EventQuery{}, scanPages},
		{"TwoStreams", store.EventQuery{Streams: []string{names[7], names[70]}}, 1},
		{"Prefix", store.EventQuery{StreamPrefix: "s04"}, 1},
		{"PrefixOfTwo", store.EventQuery{StreamPrefix: "t"}, 1},
		{"TwentyStreams", store.EventQuery{Streams: twenty}, 1},
	} {
		b.Run(c.name, func(b *testing.B) {
			r := rand.New(rand.NewPCG(1, 2))
			q := c.q
			q.Limit = scaleBatch
			for b.Loop() {
				q.Start, q.After = t0+r.Int64N(end-t0-int64(span)), nil
				err := s.View(ctx, func(tx store.Tx) error {
					for range c.pages {
						evs, err := tx.LogEvents(sc, "scale", q)
						if err == nil && len(evs) != scaleBatch {
							err = fmt.Errorf("%d events, want %d", len(evs), scaleBatch)
						}
						if err != nil {
							return err
						}
						last := evs[len(evs)-1]
						q.After = &store.EventKey{Timestamp: last.Timestamp, Seq: last.Seq}
					}
					return nil
				})
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N*c.pages*scaleBatch)/b.Elapsed().Seconds(), "events/s")
		})
	}
}

// BenchAppendParallel measures PutLogEvents as the service runs it (read
// the group, append a batch) from 4×GOMAXPROCS goroutines, each to its own
// stream of one group, with batches of 100 events of 200 bytes spanning the
// last second of a clock they share: the events of all streams interleave
// in time, as they do when many writers feed one group. retries/op counts
// the transactions run again after losing a race.
func BenchAppendParallel(b *testing.B, s store.Store) {
	const writers, batch = 64, 100
	names := make([]string, writers)
	for i := range names {
		names[i] = fmt.Sprintf("w%02d", i)
	}
	makeGroup(b, s, "parallel", names...)
	msg := strings.Repeat("m", 200)
	var next atomic.Int64 // writer numbers
	var runs atomic.Int64 // of Update's fn: more than b.N when transactions were retried
	var clock atomic.Int64
	clock.Store(t0)
	b.SetBytes(batch * 200)
	b.SetParallelism(4)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		name := names[int(next.Add(1)-1)%writers]
		evs := make([]model.LogEvent, batch)
		for pb.Next() {
			now := clock.Add(10)
			for j := range evs {
				evs[j] = model.LogEvent{Timestamp: now - 1000 + int64(j*10), IngestionTime: now, Message: msg}
			}
			err := s.Update(ctx, func(tx store.Tx) error {
				runs.Add(1)
				if _, err := tx.LogGroup(sc, "parallel"); err != nil {
					return err
				}
				_, err := tx.AppendLogEvents(sc, "parallel", name, evs)
				return err
			})
			if err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N*batch)/b.Elapsed().Seconds(), "events/s")
	b.ReportMetric(float64(runs.Load()-int64(b.N))/float64(b.N), "retries/op")
}

// BenchDeepCursor fills a stream with deepBlocks appends of deepBatch
// events (as many blocks, a millisecond apart, each overlapping the next
// by half) and a second stream with one, then measures a page of 100
// events from the start, the middle and the end of the stream, both ways,
// by stream and over the group. Pages deep into the stream cost what the
// first does when reads do not walk the blocks before them.
func BenchDeepCursor(b *testing.B, s store.Store) {
	const deepBlocks, deepBatch, page = 5000, 20, 100
	makeGroup(b, s, "deep", "s", "other")
	msg := strings.Repeat("m", 200)
	evs := make([]model.LogEvent, deepBatch)
	for j := range deepBlocks {
		for i := range evs {
			evs[i] = model.LogEvent{Timestamp: t0 + int64(j*deepBatch/2+i), IngestionTime: t0, Message: msg}
		}
		update(b, s, func(tx store.Tx) error {
			_, err := tx.AppendLogEvents(sc, "deep", "s", evs)
			return err
		})
	}
	update(b, s, func(tx store.Tx) error {
		_, err := tx.AppendLogEvents(sc, "deep", "other", evs[:1])
		return err
	})
	end := t0 + deepBlocks*deepBatch/2
	for _, where := range []struct {
		name string
		at   int64
	}{{"Start", t0}, {"Middle", (t0 + end) / 2}, {"End", end - 2*page}} {
		for _, c := range []struct {
			name string
			q    store.EventQuery
		}{
			{"Stream", store.EventQuery{Streams: []string{"s"}}},
			{"StreamDesc", store.EventQuery{Streams: []string{"s"}, Descending: true, End: where.at + page}},
			{"Group", store.EventQuery{}},
			{"GroupDesc", store.EventQuery{Descending: true, End: where.at + page}},
		} {
			b.Run(where.name+"/"+c.name, func(b *testing.B) {
				q := c.q
				q.Limit = page
				if !q.Descending {
					q.Start = where.at
				}
				for b.Loop() {
					err := s.View(ctx, func(tx store.Tx) error {
						evs, err := tx.LogEvents(sc, "deep", q)
						if err == nil && len(evs) != page {
							err = fmt.Errorf("%d events, want %d", len(evs), page)
						}
						return err
					})
					if err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
