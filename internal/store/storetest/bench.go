package storetest

import (
	"fmt"
	"testing"

	"github.com/cwlogd/cwlogd/internal/store"
)

// benchRecords is how many sources the benchmarks spread over.
const benchRecords = 1000

// BenchGetSource measures View + Source of one of benchRecords sources.
func BenchGetSource(b *testing.B, s store.Store) {
	fill(b, s)
	i := 0
	for b.Loop() {
		name := fmt.Sprintf("bench%04d", i%benchRecords)
		i++
		err := s.View(ctx, func(tx store.Tx) error { _, err := tx.Source(scA, name); return err })
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchGetSourceParallel is BenchGetSource from GOMAXPROCS goroutines.
func BenchGetSourceParallel(b *testing.B, s store.Store) {
	fill(b, s)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			name := fmt.Sprintf("bench%04d", i%benchRecords)
			i++
			err := s.View(ctx, func(tx store.Tx) error { _, err := tx.Source(scA, name); return err })
			if err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchPutSource measures Update + PutSource, each a committed transaction,
// inserting and then overwriting benchRecords sources. Every write changes
// the record: SQLite skips writing a page whose content does not change.
func BenchPutSource(b *testing.B, s store.Store) {
	i := 0
	for b.Loop() {
		v := source(scA, fmt.Sprintf("bench%04d", i%benchRecords))
		v.Config = map[string]string{"n": fmt.Sprint(i)}
		i++
		if err := s.Update(ctx, func(tx store.Tx) error { return tx.PutSource(scA, v) }); err != nil {
			b.Fatal(err)
		}
	}
}

func fill(b *testing.B, s store.Store) {
	b.Helper()
	err := s.Update(ctx, func(tx store.Tx) error {
		for i := range benchRecords {
			if err := tx.PutSource(scA, source(scA, fmt.Sprintf("bench%04d", i))); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
}
