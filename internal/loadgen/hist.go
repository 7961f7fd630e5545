package loadgen

import (
	"math"
	"math/bits"
	"time"
)

// Histogram records latencies in nanoseconds in log-linear buckets, like an
// HDR histogram: values below 256 ns are exact, larger ones fall in buckets
// 1/128 of their power of two wide, so a reported percentile is within 0.4 %
// of the recorded value. It takes constant memory (about 58 KB) whatever the
// number of samples, and recording does not allocate. A Histogram is not safe
// for concurrent use; give each client its own and Merge them.
type Histogram struct {
	counts [histBuckets]uint64
	n      uint64
	min    int64
	max    int64
}

const (
	subBits = 7                  // 2^subBits buckets per power of two above 2^(subBits+1)
	exact   = 1 << (subBits + 1) // values below this have their own bucket
	// histBuckets covers every non-negative int64: the largest value has
	// shift 63-(subBits+1) and mantissa below 2^(subBits+1).
	histBuckets = (64 - subBits) << subBits
)

// bucketOf returns the bucket of v ≥ 0.
func bucketOf(v int64) int {
	if v < exact {
		if v < 0 {
			return 0
		}
		return int(v)
	}
	shift := bits.Len64(uint64(v)) - (subBits + 1)
	return shift<<subBits + int(v>>shift)
}

// bucketRange returns the smallest and largest value of bucket i.
func bucketRange(i int) (lo, hi int64) {
	if i < exact {
		return int64(i), int64(i)
	}
	shift := i>>subBits - 1
	m := int64(i - shift<<subBits)
	lo = m << shift
	return lo, lo + (int64(1) << shift) - 1
}

// Record adds one latency.
func (h *Histogram) Record(d time.Duration) {
	v := int64(d)
	if v < 0 {
		v = 0
	}
	if h.n == 0 || v < h.min {
		h.min = v
	}
	if v > h.max {
		h.max = v
	}
	h.counts[bucketOf(v)]++
	h.n++
}

// Merge adds all of o's samples to h.
func (h *Histogram) Merge(o *Histogram) {
	if o.n == 0 {
		return
	}
	if h.n == 0 || o.min < h.min {
		h.min = o.min
	}
	if o.max > h.max {
		h.max = o.max
	}
	for i, c := range o.counts {
		h.counts[i] += c
	}
	h.n += o.n
}

// Count is the number of samples.
func (h *Histogram) Count() uint64 { return h.n }

// Max is the largest sample, exactly.
func (h *Histogram) Max() time.Duration { return time.Duration(h.max) }

// Min is the smallest sample, exactly.
func (h *Histogram) Min() time.Duration { return time.Duration(h.min) }

// Percentile returns the nearest-rank p-th percentile (0 < p ≤ 100): the
// smallest sample that at least p % of the samples are less than or equal
// to, as the middle of its bucket (exact below 256 ns), never outside
// [Min, Max]. It returns 0 for an empty histogram.
func (h *Histogram) Percentile(p float64) time.Duration {
	if h.n == 0 {
		return 0
	}
	rank := nearestRank(p, h.n)
	var seen uint64
	for i, c := range h.counts {
		seen += c
		if seen >= rank {
			lo, hi := bucketRange(i)
			v := lo + (hi-lo)/2
			v = max(v, h.min)
			v = min(v, h.max)
			return time.Duration(v)
		}
	}
	return time.Duration(h.max)
}

// nearestRank is the 1-based rank of the p-th percentile of n samples:
// ceil(p/100·n), at least 1 and at most n.
func nearestRank(p float64, n uint64) uint64 {
	r := uint64(math.Ceil(p / 100 * float64(n)))
	if r < 1 {
		r = 1
	}
	if r > n {
		r = n
	}
	return r
}

// PercentileOf returns the nearest-rank p-th percentile of sorted, exactly;
// it is the reference the histogram approximates.
func PercentileOf(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[nearestRank(p, uint64(len(sorted)))-1]
}
