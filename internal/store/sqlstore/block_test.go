package sqlstore

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/cwlogd/cwlogd/internal/model"
)

// sortedEvents returns n events in (Timestamp, Seq) order with varied
// fields: equal timestamps, Seqs out of order across timestamps, messages
// of every kind of byte.
func sortedEvents(r *rand.Rand, n int) []model.LogEvent {
	evs := make([]model.LogEvent, n)
	ts := r.Int64N(1<<41) - 1<<40
	for i := range evs {
		if r.IntN(3) > 0 {
			ts += r.Int64N(1000)
		}
		msg := make([]byte, r.IntN(300))
		for j := range msg {
			msg[j] = byte(r.IntN(256))
		}
		evs[i] = model.LogEvent{Timestamp: ts, IngestionTime: r.Int64N(1 << 42), Message: string(msg), Seq: r.Int64N(1 << 40)}
	}
	slices.SortFunc(evs, func(a, b model.LogEvent) int { return cmpEventKey(a, eventKey(b)) })
	return slices.CompactFunc(evs, func(a, b model.LogEvent) bool { return eventKey(a) == eventKey(b) })
}

func TestBlockRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	cases := [][]model.LogEvent{
		{{Timestamp: 0, Seq: 1}},
		{{Timestamp: -5, IngestionTime: -7, Seq: 1, Message: "\x00"}, {Timestamp: -5, Seq: 2, Message: "\xff\xfe not UTF-8 \x00"}},
		{{Timestamp: math.MinInt64, IngestionTime: math.MaxInt64, Seq: math.MinInt64 + 1, Message: "min"},
			{Timestamp: math.MaxInt64, IngestionTime: math.MinInt64, Seq: math.MaxInt64, Message: "max"}},
		{{Timestamp: 7, Seq: 9, Message: strings.Repeat("🙀", 100_000)}, {Timestamp: 7, Seq: 10, Message: ""}},
	}
	for range 50 {
		cases = append(cases, sortedEvents(r, 1+r.IntN(500)))
	}
	for i, evs := range cases {
		b := encodeBlock(evs)
		var bytes int64
		for _, e := range evs {
			bytes += int64(len(e.Message))
		}
		first, last := evs[0], evs[len(evs)-1]
		want := blockRow{minTS: first.Timestamp, minSeq: first.Seq, maxTS: last.Timestamp, maxSeq: last.Seq,
			events: int64(len(evs)), bytes: bytes, data: b.data}
		if !reflect.DeepEqual(b, want) {
			t.Fatalf("case %d: block %+v, want %+v", i, b, want)
		}
		got, err := decodeBlock(nil, b.data, "s")
		if err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
		if err := checkBlock(&b, got); err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
		for j := range evs {
			evs[j].Stream = "s"
		}
		if !reflect.DeepEqual(got, evs) {
			t.Fatalf("case %d: decoded %d events, not those encoded", i, len(got))
		}
		// Decoding appends.
		again, err := decodeBlock(got[:1], b.data, "s")
		if err != nil || len(again) != 1+len(evs) || !reflect.DeepEqual(again[1:], evs) {
			t.Fatalf("case %d: decoding after an event: %d events, %v", i, len(again), err)
		}
	}
}

func TestBlockSize(t *testing.T) {
	// The usual events: a second's worth of 200-byte messages, Seqs in a
	// row, one ingestion time. Each costs its message and 5 bytes.
	evs := make([]model.LogEvent, 80)
	for i := range evs {
		evs[i] = model.LogEvent{Timestamp: 1_700_000_000_000 + int64(i*10), IngestionTime: 1_700_000_001_000, Message: strings.Repeat("m", 200), Seq: 5000 + int64(i)}
	}
	b := encodeBlock(evs)
	if over := len(b.data) - int(b.bytes); over > 20+5*len(evs) {
		t.Errorf("%d events of %d bytes take %d bytes: %d of overhead", len(evs), b.bytes, len(b.data), over)
	}
}

func TestBlockCorrupt(t *testing.T) {
	evs := []model.LogEvent{
		{Timestamp: 10, IngestionTime: 20, Seq: 3, Message: "abc"},
		{Timestamp: 10, IngestionTime: 20, Seq: 4, Message: "de"},
		{Timestamp: 12, IngestionTime: 21, Seq: 1, Message: ""},
	}
	good := encodeBlock(evs).data
	edit := func(f func(b []byte) []byte) []byte { return f(slices.Clone(good)) }
	// Hand-made blocks: format, count, then per event dts dseq dingest len.
	block := func(n uint64, fields ...int64) []byte {
		b := binary.AppendUvarint([]byte{blockFormat}, n)
		for _, f := range fields {
			b = binary.AppendVarint(b, f)
		}
		return b
	}
	cases := map[string][]byte{
		"empty":             {},
		"format only":       {blockFormat},
		"unknown format":    edit(func(b []byte) []byte { b[0] = 2; return b }),
		"no events":         edit(func(b []byte) []byte { b[1] = 0; return b }),
		"count too large":   edit(func(b []byte) []byte { b[1] = 100; return b }),
		"count overflows":   append([]byte{blockFormat}, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f, 0, 0, 0, 0),
		"truncated":         good[:len(good)-1],
		"truncated varint":  append(block(1), 0x80),
		"trailing byte":     append(slices.Clone(good), 0),
		"message too long":  append(block(1, 0, 0, 0), 0x0a, 'x'),
		"huge message":      append(block(1, 0, 0, 0), 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f),
		"same key twice":    block(2, 5, 1, 0, 0, 0, 0, 0, 0),
		"seq backwards":     block(2, 5, 2, 0, 0, 0, -1, 0, 0),
		"time backwards":    block(2, 5, 1, 0, 0, -1, 1, 0, 0),
		"varint too long":   append(block(1), 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01, 0, 0, 0),
		"count of 2^63 + 1": append(binary.AppendUvarint([]byte{blockFormat}, 1<<63+1), make([]byte, 64)...),
	}
	for name, data := range cases {
		t.Run(name, func(t *testing.T) {
			evs, err := decodeBlock(nil, data, "s")
			if !errors.Is(err, errCorruptBlock) {
				t.Errorf("decodeBlock(% x) = %d events, %v; want errCorruptBlock", data, len(evs), err)
			}
		})
	}
	// A block whose events disagree with its row.
	row := encodeBlock(evs)
	got, err := decodeBlock(nil, row.data, "")
	if err != nil {
		t.Fatal(err)
	}
	for name, f := range map[string]func(b *blockRow){
		"events":  func(b *blockRow) { b.events++ },
		"min_ts":  func(b *blockRow) { b.minTS-- },
		"min_seq": func(b *blockRow) { b.minSeq++ },
		"max_ts":  func(b *blockRow) { b.maxTS++ },
		"max_seq": func(b *blockRow) { b.maxSeq-- },
	} {
		b := row
		f(&b)
		if err := checkBlock(&b, got); !errors.Is(err, errCorruptBlock) {
			t.Errorf("row with another %s: checkBlock = %v, want errCorruptBlock", name, err)
		}
	}
}

func TestChunkEvents(t *testing.T) {
	// Events of n bytes encoded after another of the same timestamp (the
	// four varints take a byte each), and of the limits of data after the
	// block's header.
	ev := func(ts int64, n int) model.LogEvent {
		return model.LogEvent{Timestamp: ts, Message: strings.Repeat("x", n-4)}
	}
	lim := blockLimits{events: 3, bytes: 100 + blockHeader, span: 1000}
	cases := []struct {
		name string
		evs  []model.LogEvent
		want []int
	}{
		{"none", nil, nil},
		{"one", []model.LogEvent{ev(0, 10)}, []int{1}},
		{"by count", []model.LogEvent{ev(0, 6), ev(0, 6), ev(0, 6), ev(0, 6), ev(0, 6), ev(0, 6), ev(0, 6)}, []int{3, 6, 7}},
		{"by bytes", []model.LogEvent{ev(0, 60), ev(0, 40), ev(0, 6), ev(0, 94), ev(0, 6)}, []int{2, 4, 5}},
		{"one large event", []model.LogEvent{ev(0, 10), ev(0, 500), ev(0, 10)}, []int{1, 2, 3}},
		{"by span", []model.LogEvent{ev(0, 6), ev(1000, 6), ev(1001, 6), ev(5000, 6)}, []int{2, 3, 4}},
	}
	for _, c := range cases {
		if got := chunkEvents(c.evs, lim); !slices.Equal(got, c.want) {
			t.Errorf("%s: chunkEvents = %v, want %v", c.name, got, c.want)
		}
	}
	// The sizes chunkEvents counts are those of the blocks.
	r := rand.New(rand.NewPCG(7, 8))
	for range 100 {
		evs := sortedEvents(r, 1+r.IntN(300))
		lim := blockLimits{events: 1 + r.IntN(100), bytes: 50 + r.IntN(20_000), span: 1 + r.Int64N(1<<40)}
		start := 0
		for _, end := range chunkEvents(evs, lim) {
			b := encodeBlock(evs[start:end])
			if n := end - start; n > lim.events || n > 1 && len(b.data) > lim.bytes || n > 1 && b.span() > lim.span {
				t.Fatalf("block of %d events, %d bytes, span %d: over %+v", n, len(b.data), b.span(), lim)
			}
			if end < len(evs) {
				// The next event did not fit (chunkEvents counts the largest
				// header, a byte more for fewer than 128 events).
				next := encodeBlock(evs[start : end+1])
				if end+1-start <= lim.events && len(next.data)+1 <= lim.bytes && next.span() <= lim.span {
					t.Fatalf("block of %d events cut before one that fits %+v", end-start, lim)
				}
			}
			start = end
		}
	}
}

// FuzzDecodeBlock: whatever the bytes, decodeBlock returns an error or
// events in (Timestamp, Seq) order that encode back to the same bytes.
func FuzzDecodeBlock(f *testing.F) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{1, 2, 5, 40} {
		f.Add(encodeBlock(sortedEvents(r, n)).data)
	}
	f.Add([]byte{blockFormat, 1, 0, 2, 4, 0})
	f.Add([]byte{blockFormat, 2, 0, 2, 4, 1, 'a', 0, 2, 0, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		data = slices.Clone(data)
		evs, err := decodeBlock(nil, data, "s")
		if err != nil {
			if !errors.Is(err, errCorruptBlock) {
				t.Fatalf("error %v is not errCorruptBlock", err)
			}
			return
		}
		for i := 1; i < len(evs); i++ {
			if cmpEventKey(evs[i-1], eventKey(evs[i])) >= 0 {
				t.Fatalf("events %d and %d out of order", i-1, i)
			}
		}
		b := encodeBlock(evs)
		if err := checkBlock(&b, evs); err != nil {
			t.Fatal(err)
		}
		// Varints have more than one encoding: compare what the bytes mean.
		again, err := decodeBlock(nil, b.data, "s")
		if err != nil || !reflect.DeepEqual(again, evs) {
			t.Fatalf("re-encoded block decodes to %d events, %v", len(again), err)
		}
		// The encoding is the shortest: another one of these events is
		// longer.
		if len(b.data) > len(data) || len(b.data) == len(data) && !bytes.Equal(b.data, data) {
			t.Fatalf("encodings of the same events:\n% x\n% x", data, b.data)
		}
	})
}
