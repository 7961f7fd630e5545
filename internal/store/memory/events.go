package memory

import (
	"cmp"
	"math/bits"
	"slices"
	"sort"
	"unsafe"

	"github.com/cwlogd/cwlogd/internal/model"
)

// Event storage.
//
// A stream keeps its events in one slice of event, sorted by (ts, seq), and
// their messages in slabs: byte arrays it appends messages to, in the order
// they arrive, each message whole in one slab. Neither the events nor the
// slabs hold a pointer, so the garbage collector neither scans them nor
// counts millions of objects: a stream of a million events is one array of
// events and a few hundred slabs. The stream's name is not kept per event;
// reads fill LogEvent.Stream in.
//
// Slabs are append-only: a byte once written is never written again, so
// reads hand out strings over the slabs without copying (see message). The
// one exception is undoing an append: it takes the slab back to its length
// before the append, and the next append writes over the bytes, but only if
// the transaction read no events after appending, that is handed out no
// string over them (tx.handedOut). Otherwise the bytes stay, unreferenced,
// until their slab goes.
//
// Purges take events from the front; a slab that no event references
// anymore is let go of (but the last one, which appends go on filling), and
// the garbage collector frees it once no string read from it is left.
// Nothing is compacted: an event appended out of order keeps its slab alive
// until it is purged itself.

const (
	// minSlab and maxSlab bound the size of a new slab: a stream's first
	// slab holds its first batch, or minSlab, and each next one is twice
	// the last, up to maxSlab, so that a small stream takes little room and
	// a large one few slabs. A message larger than maxSlab gets a slab of
	// its own, of its size.
	minSlab = 1 << 10
	maxSlab = 1 << 20
	// compactMin is how many purged event slots a stream's events array
	// may keep at its head before purge copies the live events to a new
	// array (it does once they outnumber the live ones, and when none is
	// left).
	compactMin = 1024
	// maxMessage is the largest message event.n can describe.
	maxMessage = 1<<32 - 1
)

// event is a stored log event; its stream is the logStream holding it and
// its message is bytes [off, off+n) of the stream's slab of id slab.
type event struct {
	ts, ingest, seq int64
	slab, off, n    uint32
}

// slab is a chunk of a stream's message bytes. Its capacity is fixed when
// it is made: appends never move it.
type slab struct {
	buf  []byte // nil once let go of
	live int    // events whose message is in buf
}

// freedSlab is a slab purge let go of, kept for its undo.
type freedSlab struct {
	id  uint32
	buf []byte
}

// logStream is a stored log stream and its events, sorted by (ts, seq).
// Appends in time order, the common case, land at the end.
type logStream struct {
	st     model.LogStream
	events []event
	dead   int // purged slots of events' array before events[0]
	// slabs[i] is the slab of id base+i. Ids grow by one per slab made, and
	// wrap around harmlessly: slab-base is computed in uint32 too.
	slabs []slab
	base  uint32
}

// cmpKey orders events by (Timestamp, Seq).
func cmpKey(ts, seq, ts2, seq2 int64) int {
	if c := cmp.Compare(ts, ts2); c != 0 {
		return c
	}
	return cmp.Compare(seq, seq2)
}

// message returns the message of e, an event of ls.
//
// The string shares the slab's bytes: they are never modified while it can
// exist (see the package's Event storage comment), and the slab, a plain
// Go allocation, lives as long as the string does.
func (ls *logStream) message(e *event) string {
	if e.n == 0 {
		return ""
	}
	b := ls.slabs[e.slab-ls.base].buf[e.off : int(e.off)+int(e.n)]
	return unsafe.String(unsafe.SliceData(b), len(b))
}

// store copies msg to the last slab, or to a new one when it does not fit
// there, and returns where it is. rest is the size of the messages of the
// batch from msg on, to size a new slab.
func (ls *logStream) store(msg string, rest int) (id, off uint32) {
	k := len(ls.slabs)
	if k == 0 || len(msg) > cap(ls.slabs[k-1].buf)-len(ls.slabs[k-1].buf) {
		ls.open(len(msg), rest)
		k++
	}
	s := &ls.slabs[k-1]
	off = uint32(len(s.buf))
	s.buf = append(s.buf, msg...)
	s.live++
	return ls.base + uint32(k-1), off
}

// open adds a slab for a message of n bytes.
func (ls *logStream) open(n, rest int) {
	size := minSlab
	if k := len(ls.slabs); k > 0 {
		last := &ls.slabs[k-1]
		size = max(size, 2*cap(last.buf))
		// No event references it (purge keeps the last slab): let go of it.
		if last.live == 0 {
			last.buf = nil
		}
	}
	size = max(size, min(rest, maxSlab))
	size = min(1<<bits.Len(uint(size-1)), maxSlab) // a power of two: a size class, all of it used
	size = max(size, n)
	ls.slabs = append(ls.slabs, slab{buf: make([]byte, 0, size)})
}

// unstore undoes the stores since ls had nc slabs, the last of them tail.
// It keeps the bytes written to tail since when keep is set: a string may
// refer to them.
func (ls *logStream) unstore(nc int, tail slab, keep bool) {
	if nc > 0 {
		if cur := ls.slabs[nc-1].buf; keep && cur != nil {
			tail.buf = tail.buf[:len(cur)]
		}
		ls.slabs[nc-1] = tail
	}
	clear(ls.slabs[nc:])
	ls.slabs = ls.slabs[:nc]
}

// grow makes room for n more events.
func (ls *logStream) grow(n int) {
	if cap(ls.events)-len(ls.events) < n {
		ls.events = slices.Grow(ls.events, n)
		ls.dead = 0
	}
}

// insert adds batch, whose Seqs are above every stored event's, and
// returns the index from which the stored events may have moved.
func (ls *logStream) insert(batch []event) int {
	byTs := func(a, b event) int { return cmp.Compare(a.ts, b.ts) }
	if !slices.IsSortedFunc(batch, byTs) {
		slices.SortStableFunc(batch, byTs) // stable: Seqs stay ascending
	}
	n := len(ls.events)
	// A stored event follows batch[0] iff its timestamp is later: its Seq
	// is lower.
	p := sort.Search(n, func(i int) bool { return ls.events[i].ts > batch[0].ts })
	ls.grow(len(batch))
	if p == n {
		ls.events = append(ls.events, batch...)
		return p
	}
	ev := ls.events[:n+len(batch)]
	// Merge from the back, in place.
	i, j := n-1, len(batch)-1
	for k := len(ev) - 1; j >= 0; k-- {
		if i >= p && ev[i].ts > batch[j].ts {
			ev[k] = ev[i]
			i--
		} else {
			ev[k] = batch[j]
			j--
		}
	}
	ls.events = ev
	return p
}

// remove undoes insert: it drops the events from index p on whose Seq is
// in [first, last]. Their slabs are unstore's business.
func (ls *logStream) remove(p int, first, last int64) {
	ev := ls.events
	w := p
	for _, e := range ev[p:] {
		if e.seq < first || e.seq > last {
			ev[w] = e
			w++
		}
	}
	ls.events = ev[:w]
}

// sweep lets go of the slabs that no event references, but the last one,
// and drops those at the front. It returns what unsweep needs to undo it.
func (ls *logStream) sweep() (freed []freedSlab, front int) {
	last := len(ls.slabs) - 1
	for i := range max(last, 0) {
		if s := &ls.slabs[i]; s.live == 0 && s.buf != nil {
			freed = append(freed, freedSlab{id: ls.base + uint32(i), buf: s.buf})
			s.buf = nil
		}
	}
	for front < last && ls.slabs[front].buf == nil {
		front++
	}
	ls.slabs = ls.slabs[front:]
	ls.base += uint32(front)
	return freed, front
}

// unsweep undoes sweep.
func (ls *logStream) unsweep(freed []freedSlab, front int) {
	if front > 0 {
		ls.slabs = append(make([]slab, front, front+len(ls.slabs)), ls.slabs...)
		ls.base -= uint32(front)
	}
	for _, f := range freed {
		ls.slabs[f.id-ls.base].buf = f.buf
	}
}
