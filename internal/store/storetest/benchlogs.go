package storetest

import (
	"strings"
	"testing"

	"github.com/cwlogd/cwlogd/internal/model"
	"github.com/cwlogd/cwlogd/internal/store"
)

const (
	benchBatch      = 1000   // events per append, and per page read
	benchMessage    = 200    // bytes per message
	benchStreamSize = 100000 // events of the stream BenchLogEventsRange reads
)

// benchEvents fills evs with a batch of events from timestamp ts on.
func benchEvents(evs []model.LogEvent, ts int64) {
	msg := strings.Repeat("m", benchMessage)
	for i := range evs {
		evs[i] = model.LogEvent{Timestamp: ts + int64(i), IngestionTime: ts, Message: msg}
	}
}

// BenchAppendLogEvents measures Update + AppendLogEvents of a batch of
// benchBatch events of benchMessage bytes, in time order, to one stream.
// Every benchStreamSize events the stream is deleted and created again,
// untimed, so memory stays bounded.
func BenchAppendLogEvents(b *testing.B, s store.Store) {
	makeGroup(b, s, scA, "bench", "s")
	evs := make([]model.LogEvent, benchBatch)
	b.SetBytes(benchBatch * benchMessage)
	ts, n := t0, 0
	for b.Loop() {
		if n == benchStreamSize/benchBatch {
			b.StopTimer()
			mustUpdate(b, s, func(tx store.Tx) error {
				if err := tx.DeleteLogStream(scA, "bench", "s"); err != nil {
					return err
				}
				return tx.CreateLogStream(scA, "bench", model.LogStream{Name: "s", CreationTime: t0})
			})
			n = 0
			b.StartTimer()
		}
		benchEvents(evs, ts)
		ts += benchBatch
		n++
		err := s.Update(ctx, func(tx store.Tx) error {
			_, err := tx.AppendLogEvents(scA, "bench", "s", evs)
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*benchBatch)/b.Elapsed().Seconds(), "events/s")
}

// BenchLogEventsRange measures View + LogEvents of a page of benchBatch
// events of a stream of benchStreamSize, resuming after the previous page
// and starting over at the end.
func BenchLogEventsRange(b *testing.B, s store.Store) {
	makeGroup(b, s, scA, "bench", "s", "other")
	evs := make([]model.LogEvent, benchBatch)
	for i := range benchStreamSize / benchBatch {
		benchEvents(evs, t0+int64(i*benchBatch))
		appendEvents(b, s, scA, "bench", "s", evs...)
	}
	appendEvents(b, s, scA, "bench", "other", evs[:10]...) // a stream the reads skip
	b.SetBytes(benchBatch * benchMessage)
	q := store.EventQuery{Streams: []string{"s"}, Limit: benchBatch}
	for b.Loop() {
		var page []model.LogEvent
		err := s.View(ctx, func(tx store.Tx) (err error) {
			page, err = tx.LogEvents(scA, "bench", q)
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
		if len(page) < benchBatch {
			q.After = nil
			continue
		}
		last := page[len(page)-1]
		q.After = &store.EventKey{Timestamp: last.Timestamp, Seq: last.Seq}
	}
	b.ReportMetric(float64(b.N*benchBatch)/b.Elapsed().Seconds(), "events/s")
}
