package storetest_test

import (
	"testing"

	"github.com/cwlogd/cwlogd/internal/store/memory"
	"github.com/cwlogd/cwlogd/internal/store/storetest"
)

// The memory store's figures, the baseline for the sqlite and postgres
// packages' benchmarks of the same names.

func BenchmarkMemoryGetSource(b *testing.B) { storetest.BenchGetSource(b, memory.New()) }

func BenchmarkMemoryGetSourceParallel(b *testing.B) {
	storetest.BenchGetSourceParallel(b, memory.New())
}

func BenchmarkMemoryPutSource(b *testing.B) { storetest.BenchPutSource(b, memory.New()) }

func BenchmarkMemoryAppendLogEvents(b *testing.B) {
	storetest.BenchAppendLogEvents(b, memory.New())
}

func BenchmarkMemoryLogEventsRange(b *testing.B) { storetest.BenchLogEventsRange(b, memory.New()) }
