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
)

// BenchReadsAtScale fills a group with scaleStreams streams whose events
// interleave in time (10 rounds: 1,000,000 events), then measures a page
// of 1000 events of each kind of read, from a random time on: one stream
// (GetLogEvents), the whole group, two named streams, a prefix of a tenth
// of the streams, a prefix of two and twenty named streams
// (FilterLogEvents).
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
		name string
		q    store.EventQuery
	}{
		{"OneStream", store.EventQuery{Streams: names[42:43]}},
		{"Group", store.EventQuery{}},
		{"TwoStreams", store.EventQuery{Streams: []string{names[7], names[70]}}},
		{"Prefix", store.EventQuery{StreamPrefix: "s04"}},
		{"PrefixOfTwo", store.EventQuery{StreamPrefix: "t"}},
		{"TwentyStreams", store.EventQuery{Streams: twenty}},
	} {
		b.Run(c.name, func(b *testing.B) {
			r := rand.New(rand.NewPCG(1, 2))
			q := c.q
			q.Limit = scaleBatch
			for b.Loop() {
				q.Start = t0 + r.Int64N(end-t0-int64(span))
				err := s.View(ctx, func(tx store.Tx) error {
					evs, err := tx.LogEvents(sc, "scale", q)
					if err == nil && len(evs) != scaleBatch {
						err = fmt.Errorf("%d events, want %d", len(evs), scaleBatch)
					}
					return err
				})
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N*scaleBatch)/b.Elapsed().Seconds(), "events/s")
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
