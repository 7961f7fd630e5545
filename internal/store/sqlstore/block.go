package sqlstore

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math/bits"
	"unsafe"

	"github.com/cwlogd/cwlogd/internal/model"
)

// Log events are stored in blocks: one row of log_blocks holds the events
// one append wrote to one stream (a chunk of them when the append is large,
// see chunkEvents), sorted by (Timestamp, Seq). The row's columns describe
// the block: its first and last keys (min_ts, min_seq and max_ts, max_seq),
// its span (max_ts - min_ts), its number of events and their message bytes;
// data holds the events in the encoding below.
//
//	block = format count event…
//	event = ts seq ingest length message
//
// format is one byte, blockFormat. count is a uvarint, at least 1. ts, seq
// and ingest are signed varints (zigzag), each the difference from the same
// field of the previous event (of 0 for the first). length is a uvarint and
// message that many bytes, verbatim: any bytes, NUL and invalid UTF-8
// included. Nothing follows the last event.
const blockFormat = 1

// minEventSize is the fewest bytes an encoded event takes (four one-byte
// varints): it bounds the count a block of a given size can claim.
const minEventSize = 4

// blockLimits bound the blocks an append writes.
type blockLimits struct {
	events int   // at most this many events
	bytes  int   // at most this many bytes of data, unless of one event
	span   int64 // at most this many milliseconds between its first and last event
}

// blockHeader is the most bytes the format and count of a block take
// (with at most 2^14 events).
const blockHeader = 3

// eventSize is the size of e encoded after prev (after zero fields for the
// first event of a block).
func eventSize(prev, e *model.LogEvent) int {
	return varintLen(e.Timestamp-prev.Timestamp) + varintLen(e.Seq-prev.Seq) +
		varintLen(e.IngestionTime-prev.IngestionTime) + uvarintLen(uint64(len(e.Message))) + len(e.Message)
}

func varintLen(x int64) int { return uvarintLen(uint64(x<<1) ^ uint64(x>>63)) }

func uvarintLen(x uint64) int { return (bits.Len64(x|1) + 6) / 7 }

// blockRow is a block as a row of log_blocks.
type blockRow struct {
	minTS, minSeq, maxTS, maxSeq int64
	events, bytes                int64
	data                         []byte
}

func (b *blockRow) span() int64 { return b.maxTS - b.minTS }

// chunkEvents cuts evs, sorted by (Timestamp, Seq), into consecutive runs
// within lim, and returns their ends.
func chunkEvents(evs []model.LogEvent, lim blockLimits) []int {
	var ends []int
	var zero model.LogEvent
	start, size := 0, blockHeader
	for i := range evs {
		e := &evs[i]
		n := eventSize(&zero, e)
		if i > start {
			if n = eventSize(&evs[i-1], e); i-start >= lim.events || size+n > lim.bytes || e.Timestamp-evs[start].Timestamp > lim.span {
				ends = append(ends, i)
				start, size, n = i, blockHeader, eventSize(&zero, e)
			}
		}
		size += n
	}
	if len(evs) > 0 {
		ends = append(ends, len(evs))
	}
	return ends
}

// encodeBlock returns the block of evs, which are sorted by (Timestamp,
// Seq) and not empty.
func encodeBlock(evs []model.LogEvent) blockRow {
	first, last := evs[0], evs[len(evs)-1]
	b := blockRow{minTS: first.Timestamp, minSeq: first.Seq, maxTS: last.Timestamp, maxSeq: last.Seq, events: int64(len(evs))}
	// Room for the usual case: after the first event, the differences
	// take a few bytes.
	size := 1 + 2*binary.MaxVarintLen64 + 3*binary.MaxVarintLen64
	for _, e := range evs {
		size += 12 + len(e.Message)
	}
	buf := make([]byte, 0, size)
	buf = append(buf, blockFormat)
	buf = binary.AppendUvarint(buf, uint64(len(evs)))
	var ts, seq, ingest int64
	for _, e := range evs {
		buf = binary.AppendVarint(buf, e.Timestamp-ts)
		buf = binary.AppendVarint(buf, e.Seq-seq)
		buf = binary.AppendVarint(buf, e.IngestionTime-ingest)
		buf = binary.AppendUvarint(buf, uint64(len(e.Message)))
		buf = append(buf, e.Message...)
		ts, seq, ingest = e.Timestamp, e.Seq, e.IngestionTime
		b.bytes += int64(len(e.Message))
	}
	b.data = buf
	return b
}

var errCorruptBlock = errors.New("corrupt log event block")

// decodeBlock appends the events of the block data to dst, with Stream set
// to stream, and returns it. Their messages share data's memory: the caller
// must not change data afterwards. It fails, without panicking, on
// anything encodeBlock cannot have written, events out of (Timestamp, Seq)
// order included.
func decodeBlock(dst []model.LogEvent, data []byte, stream string) ([]model.LogEvent, error) {
	if len(data) < 2 {
		return dst, fmt.Errorf("%w: %d bytes", errCorruptBlock, len(data))
	}
	if data[0] != blockFormat {
		return dst, fmt.Errorf("%w: format %d, want %d", errCorruptBlock, data[0], blockFormat)
	}
	n, k := binary.Uvarint(data[1:])
	if k <= 0 || n == 0 || n > uint64(len(data)-1-k)/minEventSize {
		return dst, fmt.Errorf("%w: bad event count", errCorruptBlock)
	}
	p := 1 + k
	dst = growEvents(dst, int(n))
	var ts, seq, ingest int64
	for i := range int(n) {
		var d [3]int64
		for j := range d {
			v, k := binary.Varint(data[p:])
			if k <= 0 {
				return dst, fmt.Errorf("%w: event %d: bad varint", errCorruptBlock, i)
			}
			d[j], p = v, p+k
		}
		l, k := binary.Uvarint(data[p:])
		if k <= 0 || l > uint64(len(data)-p-k) {
			return dst, fmt.Errorf("%w: event %d: bad message length", errCorruptBlock, i)
		}
		p += k
		nts, nseq := ts+d[0], seq+d[1]
		if i > 0 && (nts < ts || nts == ts && nseq <= seq) {
			return dst, fmt.Errorf("%w: event %d out of order", errCorruptBlock, i)
		}
		ts, seq, ingest = nts, nseq, ingest+d[2]
		var msg string
		if l > 0 {
			msg = unsafe.String(&data[p], int(l))
			p += int(l)
		}
		dst = append(dst, model.LogEvent{Stream: stream, Timestamp: ts, IngestionTime: ingest, Message: msg, Seq: seq})
	}
	if p != len(data) {
		return dst, fmt.Errorf("%w: %d bytes after the last event", errCorruptBlock, len(data)-p)
	}
	return dst, nil
}

// checkBlock reports whether evs, decoded from the row b, are what its
// columns say.
func checkBlock(b *blockRow, evs []model.LogEvent) error {
	first, last := evs[0], evs[len(evs)-1]
	if int64(len(evs)) != b.events || first.Timestamp != b.minTS || first.Seq != b.minSeq ||
		last.Timestamp != b.maxTS || last.Seq != b.maxSeq {
		return fmt.Errorf("%w: its events do not match its row", errCorruptBlock)
	}
	return nil
}

func growEvents(s []model.LogEvent, n int) []model.LogEvent {
	if cap(s)-len(s) < n {
		s = append(make([]model.LogEvent, 0, len(s)+n), s...)
	}
	return s
}
