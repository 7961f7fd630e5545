package memory_test

import (
	"context"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cwlogd/cwlogd/internal/model"
	"github.com/cwlogd/cwlogd/internal/store"
	"github.com/cwlogd/cwlogd/internal/store/memory"
)

const (
	heapEvents  = 1_000_000 // events BenchmarkHeap stores
	heapBatch   = 1000      // events per append
	heapMessage = 200       // bytes per message
)

// BenchmarkHeap appends heapEvents events of heapMessage bytes to one
// stream, in batches of heapBatch, each message a string of its own as the
// request decoder makes them, and reports what the store costs the
// process:
//
//   - heap-MB, heap-B/event, heap-objects: HeapInuse and HeapObjects after
//     a GC, above what they were before the appends;
//   - gc-cycles, gc-pause-ms, gc-cpu-ms, gc-assist-ms: the GCs the appends
//     caused, their stop-the-world pauses, the CPU time the collector took
//     but for what it did on otherwise idle Ps, and of it the mark assists,
//     the marking the appending goroutine was made to do itself;
//   - full-gc-ms: how long a forced GC takes with the store filled, which
//     grows with the pointers it has to follow;
//   - rss-MB, peak-rss-MB (Linux): the process's resident size once the
//     freed memory went back to the OS, above what it was before the
//     appends, and its peak (the whole run's: one iteration only).
//
// Run it alone, with -benchtime=1x: each iteration fills a new store.
func BenchmarkHeap(b *testing.B) {
	ctx := context.Background()
	sc := model.Scope{Account: "123456789012", Region: "us-east-1"}
	samples := []metrics.Sample{
		{Name: "/cpu/classes/gc/total:cpu-seconds"},
		{Name: "/cpu/classes/gc/mark/idle:cpu-seconds"},
		{Name: "/cpu/classes/gc/mark/assist:cpu-seconds"},
	}
	// gcCPU returns the GC's CPU time but on idle Ps, and the assists'.
	gcCPU := func() (busy, assist float64) {
		metrics.Read(samples)
		var v [3]float64
		for i, s := range samples {
			if s.Value.Kind() == metrics.KindFloat64 {
				v[i] = s.Value.Float64()
			}
		}
		return v[0] - v[1], v[2]
	}
	var before, after runtime.MemStats
	for b.Loop() {
		b.StopTimer()
		s := memory.New()
		err := s.Update(ctx, func(tx store.Tx) error {
			if err := tx.CreateLogGroup(sc, model.LogGroup{Name: "g", Arn: "arn:g", CreationTime: 1}); err != nil {
				return err
			}
			return tx.CreateLogStream(sc, "g", model.LogStream{Name: "s", CreationTime: 1})
		})
		if err != nil {
			b.Fatal(err)
		}
		debug.FreeOSMemory()
		runtime.ReadMemStats(&before)
		rss0, _ := rss()
		cpu0, assist0 := gcCPU()
		b.StartTimer()

		evs := make([]model.LogEvent, heapBatch)
		msg := make([]byte, heapMessage)
		for i := range msg {
			msg[i] = 'a' + byte(i%26)
		}
		ts := int64(1_700_000_000_000)
		for n := 0; n < heapEvents; n += heapBatch {
			for i := range evs {
				copy(msg, strconv.Itoa(n+i))
				evs[i] = model.LogEvent{Timestamp: ts, IngestionTime: ts, Message: string(msg)}
				ts++
			}
			err := s.Update(ctx, func(tx store.Tx) error {
				_, err := tx.AppendLogEvents(sc, "g", "s", evs)
				return err
			})
			if err != nil {
				b.Fatal(err)
			}
		}

		b.StopTimer()
		clear(evs)
		runtime.ReadMemStats(&after)
		cycles := after.NumGC - before.NumGC
		pause := time.Duration(after.PauseTotalNs - before.PauseTotalNs)
		cpu, assist := gcCPU()
		cpu, assist = cpu-cpu0, assist-assist0
		start := time.Now()
		runtime.GC()
		full := time.Since(start)
		runtime.GC() // a second one: the first may finish sweeping the appends' garbage
		runtime.ReadMemStats(&after)
		debug.FreeOSMemory()
		if rss1, peak := rss(); rss1 > 0 {
			b.ReportMetric(float64(rss1-rss0)/(1<<20), "rss-MB")
			b.ReportMetric(float64(peak)/(1<<20), "peak-rss-MB")
		}
		heap := int64(after.HeapInuse) - int64(before.HeapInuse)
		b.ReportMetric(float64(heap)/(1<<20), "heap-MB")
		b.ReportMetric(float64(heap)/heapEvents, "heap-B/event")
		b.ReportMetric(float64(int64(after.HeapObjects)-int64(before.HeapObjects)), "heap-objects")
		b.ReportMetric(float64(cycles), "gc-cycles")
		b.ReportMetric(float64(pause.Microseconds())/1000, "gc-pause-ms")
		b.ReportMetric(cpu*1000, "gc-cpu-ms")
		b.ReportMetric(assist*1000, "gc-assist-ms")
		b.ReportMetric(float64(full.Microseconds())/1000, "full-gc-ms")
		runtime.KeepAlive(s)
		b.StartTimer()
	}
}

// rss returns the process's resident size and its peak, in bytes, or 0
// where /proc/self/status does not tell.
func rss() (cur, peak int64) {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, 0
	}
	for line := range strings.Lines(string(b)) {
		name, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
		if err != nil {
			continue
		}
		switch name {
		case "VmRSS":
			cur = kb << 10
		case "VmHWM":
			peak = kb << 10
		}
	}
	return cur, peak
}
