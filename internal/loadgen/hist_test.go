package loadgen

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

func TestNearestRank(t *testing.T) {
	for _, c := range []struct {
		p    float64
		n    uint64
		want uint64
	}{
		{50, 100, 50}, {90, 100, 90}, {99, 100, 99}, {100, 100, 100},
		{50, 1, 1}, {99, 1, 1}, {0, 10, 1}, {50, 3, 2}, {99, 1000, 990},
		{99, 1001, 991}, {90, 11, 10}, {150, 10, 10},
	} {
		if got := nearestRank(c.p, c.n); got != c.want {
			t.Errorf("nearestRank(%v, %d) = %d, want %d", c.p, c.n, got, c.want)
		}
	}
}

func TestPercentileOf(t *testing.T) {
	var s []time.Duration
	for i := 1; i <= 100; i++ {
		s = append(s, time.Duration(i)*time.Millisecond)
	}
	for p, want := range map[float64]time.Duration{50: 50 * time.Millisecond, 90: 90 * time.Millisecond, 99: 99 * time.Millisecond, 100: 100 * time.Millisecond} {
		if got := PercentileOf(s, p); got != want {
			t.Errorf("PercentileOf(1..100 ms, %v) = %s, want %s", p, got, want)
		}
	}
	if got := PercentileOf(nil, 50); got != 0 {
		t.Errorf("PercentileOf(nil) = %s, want 0", got)
	}
	if got := PercentileOf([]time.Duration{7}, 99); got != 7 {
		t.Errorf("PercentileOf([7], 99) = %s, want 7ns", got)
	}
}

// Below 256 ns every value has its own bucket, so percentiles are exact.
func TestHistogramExactForSmallValues(t *testing.T) {
	var h Histogram
	for i := 100; i >= 1; i-- { // order must not matter
		h.Record(time.Duration(i))
	}
	for p, want := range map[float64]time.Duration{50: 50, 90: 90, 99: 99, 100: 100, 1: 1} {
		if got := h.Percentile(p); got != want {
			t.Errorf("Percentile(%v) = %d, want %d", p, got, want)
		}
	}
	if h.Count() != 100 || h.Min() != 1 || h.Max() != 100 {
		t.Errorf("count, min, max = %d, %d, %d; want 100, 1, 100", h.Count(), h.Min(), h.Max())
	}
}

func TestHistogramBuckets(t *testing.T) {
	// Every bucket's range is contiguous with the next and maps back to it.
	prevHi := int64(-1)
	for i := 0; i < histBuckets; i++ {
		lo, hi := bucketRange(i)
		if lo != prevHi+1 || hi < lo {
			t.Fatalf("bucket %d = [%d, %d], previous ended at %d", i, lo, hi, prevHi)
		}
		if bucketOf(lo) != i || bucketOf(hi) != i {
			t.Fatalf("bucket %d = [%d, %d] maps back to %d, %d", i, lo, hi, bucketOf(lo), bucketOf(hi))
		}
		if lo >= exact && float64(hi-lo+1)/float64(lo) > 1.0/(1<<subBits) {
			t.Fatalf("bucket %d = [%d, %d] is wider than 1/%d of its values", i, lo, hi, 1<<subBits)
		}
		prevHi = hi
		if hi == 1<<63-1 {
			if i != histBuckets-1 {
				t.Fatalf("largest int64 in bucket %d of %d", i, histBuckets)
			}
			return
		}
	}
	t.Fatalf("buckets end at %d, before the largest int64", prevHi)
}

// Against the exact percentiles of random latencies spread from
// microseconds to seconds, the histogram is within 0.4 %.
func TestHistogramMatchesExact(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var parts [4]Histogram
	var all []time.Duration
	for i := 0; i < 50_000; i++ {
		// log-uniform from 1 µs to ~4 s, plus a few outliers
		d := time.Duration(float64(time.Microsecond) * float64(uint64(1)<<rng.IntN(22)) * (1 + rng.Float64()))
		all = append(all, d)
		parts[i%4].Record(d)
	}
	var h Histogram
	for i := range parts {
		h.Merge(&parts[i])
	}
	slices.Sort(all)
	if h.Count() != uint64(len(all)) || h.Max() != all[len(all)-1] || h.Min() != all[0] {
		t.Fatalf("count, min, max = %d, %s, %s; want %d, %s, %s", h.Count(), h.Min(), h.Max(), len(all), all[0], all[len(all)-1])
	}
	for _, p := range []float64{1, 10, 50, 90, 99, 99.9, 100} {
		got, want := h.Percentile(p), PercentileOf(all, p)
		if diff := float64(got-want) / float64(want); diff > 0.004 || diff < -0.004 {
			t.Errorf("Percentile(%v) = %s, exact %s (%.2f %%)", p, got, want, 100*diff)
		}
	}
}

func TestHistogramEmptyAndNegative(t *testing.T) {
	var h Histogram
	if h.Percentile(50) != 0 || h.Max() != 0 {
		t.Fatal("empty histogram is not all zero")
	}
	h.Record(-5)
	if h.Percentile(50) != 0 || h.Count() != 1 {
		t.Fatalf("negative sample: p50 %s, count %d", h.Percentile(50), h.Count())
	}
	var e Histogram
	h.Merge(&e) // merging an empty one changes nothing
	if h.Count() != 1 {
		t.Fatalf("count after merging an empty histogram = %d", h.Count())
	}
}
