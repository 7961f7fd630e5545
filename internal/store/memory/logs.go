package memory

import (
	"cmp"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/cwlogd/cwlogd/internal/model"
	"github.com/cwlogd/cwlogd/internal/store"
)

// logGroup is a stored log group: its attributes, its streams by name and
// the sum of their stored bytes.
type logGroup struct {
	g       model.LogGroup // StoredBytes unused: see bytes
	streams sortedMap[*logStream]
	bytes   int64
}

func (d *scopeData) hasPolicies() bool {
	for _, p := range d.policies {
		if p.len() > 0 {
			return true
		}
	}
	return false
}

// group returns the group name of s, or nil.
func (t *tx) group(s model.Scope, name string) *logGroup {
	d := t.scope(s, false)
	if d == nil {
		return nil
	}
	g, _ := d.groups.get(name)
	return g
}

func (g *logGroup) out() model.LogGroup {
	v := g.g.Clone()
	v.StoredBytes = g.bytes
	return v
}

func (t *tx) LogGroup(s model.Scope, name string) (model.LogGroup, error) {
	if g := t.group(s, name); g != nil {
		return g.out(), nil
	}
	return model.LogGroup{}, store.ErrNotFound
}

func (t *tx) CreateLogGroup(s model.Scope, g model.LogGroup) error {
	t.writable()
	if t.group(s, g.Name) != nil {
		return store.ErrConflict
	}
	lg := &logGroup{g: g.Clone()}
	lg.g.StoredBytes = 0
	d := t.scope(s, true)
	t.undo = append(t.undo, d.groups.set(g.Name, lg))
	return nil
}

func (t *tx) UpdateLogGroup(s model.Scope, g model.LogGroup) error {
	t.writable()
	lg := t.group(s, g.Name)
	if lg == nil {
		return store.ErrNotFound
	}
	old := lg.g
	lg.g = g.Clone()
	lg.g.StoredBytes = 0
	t.undo = append(t.undo, func() { lg.g = old })
	return nil
}

func (t *tx) DeleteLogGroup(s model.Scope, name string) error {
	t.writable()
	lg := t.group(s, name)
	if lg == nil {
		return store.ErrNotFound
	}
	d := t.scope(s, false)
	undo, _ := d.groups.del(name)
	t.undo = append(t.undo, undo)
	// The group's streams and events go with lg. Its resource policies are
	// keyed by its ARN; a group without one owns none (and must not take
	// the account-scoped policies, whose ARN is "").
	if arn := lg.g.Arn; arn != "" {
		if pm, ok := d.policies[arn]; ok {
			delete(d.policies, arn)
			t.undo = append(t.undo, func() { d.policies[arn] = pm })
		}
	}
	return nil
}

// prefixRange returns the bounds [lo, hi) of the keys that start with
// prefix.
func prefixRange(keys []string, prefix string) (lo, hi int) {
	if prefix == "" {
		return 0, len(keys)
	}
	lo, _ = slices.BinarySearch(keys, prefix)
	hi = lo + sort.Search(len(keys)-lo, func(i int) bool { return !strings.HasPrefix(keys[lo+i], prefix) })
	return lo, hi
}

// afterKey returns the index of the first key strictly greater than after.
func afterKey(keys []string, after string) int {
	i, found := slices.BinarySearch(keys, after)
	if found {
		i++
	}
	return i
}

func (t *tx) ListLogGroups(s model.Scope, q store.GroupQuery) ([]model.LogGroup, error) {
	d := t.scope(s, false)
	if d == nil || q.Limit <= 0 {
		return nil, nil
	}
	keys := d.groups.keys
	lo, hi := prefixRange(keys, q.Prefix)
	lo = max(lo, afterKey(keys, q.After))
	var out []model.LogGroup
	for i := lo; i < hi && len(out) < q.Limit; i++ {
		g, _ := d.groups.get(keys[i])
		out = append(out, g.out())
	}
	return out, nil
}

func (t *tx) CountLogGroups(s model.Scope) (int, error) {
	if d := t.scope(s, false); d != nil {
		return d.groups.len(), nil
	}
	return 0, nil
}

// stream returns the group and stream, or ErrNotFound.
func (t *tx) stream(s model.Scope, group, name string) (*logGroup, *logStream, error) {
	lg := t.group(s, group)
	if lg == nil {
		return nil, nil, store.ErrNotFound
	}
	ls, ok := lg.streams.get(name)
	if !ok {
		return nil, nil, store.ErrNotFound
	}
	return lg, ls, nil
}

func (t *tx) LogStream(s model.Scope, group, name string) (model.LogStream, error) {
	_, ls, err := t.stream(s, group, name)
	if err != nil {
		return model.LogStream{}, err
	}
	return ls.st, nil
}

func (t *tx) CreateLogStream(s model.Scope, group string, st model.LogStream) error {
	t.writable()
	lg := t.group(s, group)
	if lg == nil {
		return store.ErrNotFound
	}
	if _, ok := lg.streams.get(st.Name); ok {
		return store.ErrConflict
	}
	ls := &logStream{st: model.LogStream{Name: st.Name, CreationTime: st.CreationTime}}
	t.undo = append(t.undo, lg.streams.set(st.Name, ls))
	return nil
}

func (t *tx) DeleteLogStream(s model.Scope, group, name string) error {
	t.writable()
	lg, ls, err := t.stream(s, group, name)
	if err != nil {
		return err
	}
	undo, _ := lg.streams.del(name)
	lg.bytes -= ls.st.StoredBytes
	t.undo = append(t.undo, undo, func() { lg.bytes += ls.st.StoredBytes })
	return nil
}

func (t *tx) ListLogStreams(s model.Scope, group string, q store.StreamQuery) ([]model.LogStream, error) {
	lg := t.group(s, group)
	if lg == nil {
		return nil, store.ErrNotFound
	}
	if q.Limit <= 0 {
		return nil, nil
	}
	keys := lg.streams.keys
	lo, hi := prefixRange(keys, q.Prefix)
	var out []model.LogStream
	if !q.ByLastEvent {
		if q.Descending {
			if q.After != nil {
				i, _ := slices.BinarySearch(keys, q.After.Name) // first key >= After.Name
				hi = min(hi, i)
			}
			for i := hi - 1; i >= lo && len(out) < q.Limit; i-- {
				ls, _ := lg.streams.get(keys[i])
				out = append(out, ls.st)
			}
			return out, nil
		}
		if q.After != nil {
			lo = max(lo, afterKey(keys, q.After.Name))
		}
		for i := lo; i < hi && len(out) < q.Limit; i++ {
			ls, _ := lg.streams.get(keys[i])
			out = append(out, ls.st)
		}
		return out, nil
	}

	// By (LastEventTimestamp, Name): no index keeps that order, as every
	// append moves a stream; sort the candidates after the key.
	dir := 1
	if q.Descending {
		dir = -1
	}
	order := func(a, b *model.LogStream) int {
		if c := cmp.Compare(a.LastEventTimestamp, b.LastEventTimestamp); c != 0 {
			return c * dir
		}
		return strings.Compare(a.Name, b.Name) * dir
	}
	var after *model.LogStream
	if q.After != nil {
		after = &model.LogStream{Name: q.After.Name, LastEventTimestamp: q.After.LastEventTimestamp}
	}
	cands := make([]*model.LogStream, 0, hi-lo)
	for _, k := range keys[lo:hi] {
		ls, _ := lg.streams.get(k)
		if after == nil || order(&ls.st, after) > 0 {
			cands = append(cands, &ls.st)
		}
	}
	slices.SortFunc(cands, order)
	out = make([]model.LogStream, 0, min(len(cands), q.Limit))
	for _, st := range cands[:min(len(cands), q.Limit)] {
		out = append(out, *st)
	}
	return out, nil
}

func (t *tx) AppendLogEvents(s model.Scope, group, stream string, evs []model.LogEvent) (model.LogStream, error) {
	t.writable()
	lg, ls, err := t.stream(s, group, stream)
	if err != nil {
		return model.LogStream{}, err
	}
	if len(evs) == 0 {
		return ls.st, nil
	}
	var bytes int64
	for _, e := range evs {
		if uint64(len(e.Message)) > maxMessage {
			return model.LogStream{}, fmt.Errorf("memory store: a message of %d bytes", len(e.Message))
		}
		bytes += int64(len(e.Message))
	}
	old, oldSeq := ls.st, t.m.seq
	st := &ls.st
	first := t.m.seq + 1
	// In order after the stored events, the common case, the batch goes
	// straight onto the end.
	inOrder := len(ls.events) == 0 || evs[0].Timestamp >= ls.events[len(ls.events)-1].ts
	for i, e := range evs {
		if st.LastSeq == 0 && i == 0 { // the stream's first event ever
			st.FirstEventTimestamp, st.LastEventTimestamp = e.Timestamp, e.Timestamp
		}
		st.FirstEventTimestamp = min(st.FirstEventTimestamp, e.Timestamp)
		st.LastEventTimestamp = max(st.LastEventTimestamp, e.Timestamp)
		st.LastIngestionTime = max(st.LastIngestionTime, e.IngestionTime)
		if i > 0 && e.Timestamp < evs[i-1].Timestamp {
			inOrder = false
		}
	}
	nc := len(ls.slabs)
	var tail slab
	if nc > 0 {
		tail = ls.slabs[nc-1]
	}
	rest := int(bytes)
	stored := func(e *model.LogEvent) event {
		t.m.seq++
		id, off := ls.store(e.Message, rest)
		rest -= len(e.Message)
		return event{ts: e.Timestamp, ingest: e.IngestionTime, seq: t.m.seq, slab: id, off: off, n: uint32(len(e.Message))}
	}
	p := len(ls.events)
	if inOrder {
		ls.grow(len(evs))
		for i := range evs {
			ls.events = append(ls.events, stored(&evs[i]))
		}
	} else {
		batch := make([]event, len(evs))
		for i := range evs {
			batch[i] = stored(&evs[i])
		}
		p = ls.insert(batch)
	}
	last := t.m.seq
	st.StoredBytes += bytes
	st.Events += int64(len(evs))
	st.LastSeq = last
	lg.bytes += bytes
	t.undo = append(t.undo, func() {
		ls.remove(p, first, last)
		ls.unstore(nc, tail, t.handedOut)
		ls.st = old
		lg.bytes -= bytes
		t.m.seq = oldSeq
	})
	return ls.st, nil
}

// cursor walks the events of one stream that a query selects.
type cursor struct {
	ls     *logStream
	events []event // the selected events, in the stream's order
	pos    int     // next index: ascending from 0, descending from the end
}

func (t *tx) LogEvents(s model.Scope, group string, q store.EventQuery) ([]model.LogEvent, error) {
	lg := t.group(s, group)
	if lg == nil {
		return nil, store.ErrNotFound
	}
	if q.Limit <= 0 {
		return nil, nil
	}
	t.handedOut = true
	var curs []cursor
	total := 0
	add := func(ls *logStream) {
		ev := ls.events
		lo := sort.Search(len(ev), func(i int) bool { return ev[i].ts >= q.Start })
		hi := len(ev)
		if q.End > 0 {
			hi = sort.Search(len(ev), func(i int) bool { return ev[i].ts >= q.End })
		}
		if a := q.After; a != nil {
			// First event at or past the key: strictly after it when
			// ascending, strictly before it when descending.
			i := sort.Search(len(ev), func(i int) bool { return cmpKey(ev[i].ts, ev[i].seq, a.Timestamp, a.Seq) >= 0 })
			if q.Descending {
				hi = min(hi, i)
			} else {
				if i < len(ev) && ev[i].ts == a.Timestamp && ev[i].seq == a.Seq {
					i++
				}
				lo = max(lo, i)
			}
		}
		if lo >= hi {
			return
		}
		c := cursor{ls: ls, events: ev[lo:hi]}
		if q.Descending {
			c.pos = len(c.events) - 1
		}
		curs = append(curs, c)
		total += hi - lo
	}
	if len(q.Streams) > 0 {
		names := slices.Clone(q.Streams)
		slices.Sort(names)
		for _, name := range slices.Compact(names) {
			if ls, ok := lg.streams.get(name); ok && strings.HasPrefix(name, q.StreamPrefix) {
				add(ls)
			}
		}
	} else {
		keys := lg.streams.keys
		lo, hi := prefixRange(keys, q.StreamPrefix)
		for _, k := range keys[lo:hi] {
			ls, _ := lg.streams.get(k)
			add(ls)
		}
	}
	n := min(total, q.Limit)
	if n == 0 {
		return nil, nil
	}
	out := make([]model.LogEvent, 0, n)
	emit := func(c *cursor) {
		e := &c.events[c.pos]
		out = append(out, model.LogEvent{Stream: c.ls.st.Name, Timestamp: e.ts, IngestionTime: e.ingest, Message: c.ls.message(e), Seq: e.seq})
		if q.Descending {
			c.pos--
		} else {
			c.pos++
		}
	}
	if len(curs) == 1 {
		for len(out) < n {
			emit(&curs[0])
		}
		return out, nil
	}
	// k-way merge: h is a heap of cursors whose head comes first in the
	// query's order.
	first := func(a, b *cursor) bool {
		x, y := &a.events[a.pos], &b.events[b.pos]
		c := cmpKey(x.ts, x.seq, y.ts, y.seq)
		if q.Descending {
			return c > 0
		}
		return c < 0
	}
	h := make([]*cursor, len(curs))
	for i := range curs {
		h[i] = &curs[i]
	}
	down := func(i int) {
		for {
			l := 2*i + 1
			if l >= len(h) {
				return
			}
			if r := l + 1; r < len(h) && first(h[r], h[l]) {
				l = r
			}
			if !first(h[l], h[i]) {
				return
			}
			h[i], h[l] = h[l], h[i]
			i = l
		}
	}
	for i := len(h)/2 - 1; i >= 0; i-- {
		down(i)
	}
	for len(out) < n {
		c := h[0]
		emit(c)
		if c.pos < 0 || c.pos >= len(c.events) {
			h[0] = h[len(h)-1]
			h = h[:len(h)-1]
		}
		down(0)
	}
	return out, nil
}

func (t *tx) PurgeLogEvents(nowMillis int64, limit int) (int, error) {
	t.writable()
	deleted := 0
	for _, d := range t.m.scopes {
		for _, k := range d.groups.keys {
			lg, _ := d.groups.get(k)
			if lg.g.RetentionInDays <= 0 {
				continue
			}
			cutoff := nowMillis - int64(lg.g.RetentionInDays)*86_400_000
			for _, sk := range lg.streams.keys {
				if deleted >= limit {
					return deleted, nil
				}
				ls, _ := lg.streams.get(sk)
				deleted += t.purge(lg, ls, cutoff, limit-deleted)
			}
		}
	}
	return deleted, nil
}

// purge deletes up to limit events of ls older than cutoff: a prefix of
// its events, as they are sorted by time.
func (t *tx) purge(lg *logGroup, ls *logStream, cutoff int64, limit int) int {
	ev := ls.events
	n := min(limit, sort.Search(len(ev), func(i int) bool { return ev[i].ts >= cutoff }))
	if n == 0 {
		return 0
	}
	removed := append([]event(nil), ev[:n]...)
	var bytes int64
	for i := range removed {
		e := &removed[i]
		bytes += int64(e.n)
		ls.slabs[e.slab-ls.base].live--
	}
	freed, front := ls.sweep()
	ls.events = ev[n:]
	ls.dead += n
	if ls.dead > len(ls.events) && (ls.dead >= compactMin || len(ls.events) == 0) {
		// Let the array go, or most of it.
		ls.events = append([]event(nil), ls.events...)
		ls.dead = 0
	}
	ls.st.StoredBytes -= bytes
	ls.st.Events -= int64(n)
	lg.bytes -= bytes
	t.undo = append(t.undo, func() {
		ls.events = append(removed, ls.events...)
		ls.dead = 0
		ls.unsweep(freed, front)
		for i := range removed {
			ls.slabs[removed[i].slab-ls.base].live++
		}
		ls.st.StoredBytes += bytes
		ls.st.Events += int64(n)
		lg.bytes += bytes
	})
	return n
}

func (t *tx) ResourcePolicies(s model.Scope, resourceArn string) ([]model.ResourcePolicy, error) {
	d := t.scope(s, false)
	if d == nil {
		return nil, nil
	}
	pm := d.policies[resourceArn]
	if pm == nil || pm.len() == 0 {
		return nil, nil
	}
	return pm.list("", pm.len()), nil
}

func (t *tx) PutResourcePolicy(s model.Scope, p model.ResourcePolicy) error {
	t.writable()
	d := t.scope(s, true)
	if d.policies == nil {
		d.policies = map[string]*sortedMap[model.ResourcePolicy]{}
	}
	pm := d.policies[p.ResourceArn]
	if pm == nil {
		pm = &sortedMap[model.ResourcePolicy]{}
		d.policies[p.ResourceArn] = pm
	}
	t.undo = append(t.undo, pm.set(p.Name, p))
	return nil
}

func (t *tx) DeleteResourcePolicy(s model.Scope, resourceArn, name string) error {
	t.writable()
	d := t.scope(s, false)
	if d == nil {
		return store.ErrNotFound
	}
	pm := d.policies[resourceArn]
	if pm == nil {
		return store.ErrNotFound
	}
	undo, ok := pm.del(name)
	if !ok {
		return store.ErrNotFound
	}
	if pm.len() == 0 { // keep no empty map per ARN ever used
		delete(d.policies, resourceArn)
		undoDel := undo
		undo = func() { d.policies[resourceArn] = pm; undoDel() }
	}
	t.undo = append(t.undo, undo)
	return nil
}
