// Package memory is the in-memory Store: everything lives in maps guarded by
// one lock, and an undo log rolls a failed transaction back. It is meant for
// tests and CI; nothing survives the process.
package memory

import (
	"context"
	"slices"
	"sort"
	"sync"

	"github.com/cwlogd/cwlogd/internal/model"
	"github.com/cwlogd/cwlogd/internal/store"
)

// Store is the in-memory store.Store.
type Store struct {
	mu      sync.RWMutex
	scopes  map[model.Scope]*scopeData
	destUse map[string]int // delivery destination ARN → deliveries using it
	seq     int64          // the last log event Seq handed out, across the store
}

type scopeData struct {
	sources    sortedMap[model.DeliverySource]
	dests      sortedMap[model.DeliveryDestination]
	deliveries sortedMap[model.Delivery]
	byType     map[[2]string]string // (source name, destination type) → delivery id
	groups     sortedMap[*logGroup]
	policies   map[string]*sortedMap[model.ResourcePolicy] // resource ARN ("" for the account) → name → policy
}

// New returns an empty store.
func New() *Store {
	return &Store{scopes: map[model.Scope]*scopeData{}, destUse: map[string]int{}}
}

var _ store.Store = (*Store)(nil)

// View runs fn under the read lock.
func (m *Store) View(ctx context.Context, fn func(store.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	return fn(&tx{m: m, readOnly: true})
}

// Update runs fn under the write lock and undoes its writes if it fails.
func (m *Store) Update(ctx context.Context, fn func(store.Tx) error) (err error) {
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	t := &tx{m: m}
	defer func() {
		if r := recover(); r != nil {
			t.rollback()
			panic(r)
		}
	}()
	if err = fn(t); err != nil {
		t.rollback()
	}
	return err
}

// Reset forgets everything. Log event Seqs keep increasing after it.
func (m *Store) Reset(ctx context.Context) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.scopes = map[model.Scope]*scopeData{}
	m.destUse = map[string]int{}
	return nil
}

// Close does nothing.
func (m *Store) Close() error { return nil }

type tx struct {
	m        *Store
	readOnly bool
	undo     []func()
	// handedOut is set once the transaction has read log events: strings
	// over the stream's slabs, whose bytes must then stay as they are even
	// if it is rolled back (see Event storage in events.go).
	handedOut bool
}

func (t *tx) rollback() {
	for i := len(t.undo) - 1; i >= 0; i-- {
		t.undo[i]()
	}
	t.undo = nil
}

func (t *tx) writable() {
	if t.readOnly {
		panic("memory store: write in a read-only transaction")
	}
}

// scope returns the data of s, creating it only when create is set.
func (t *tx) scope(s model.Scope, create bool) *scopeData {
	d := t.m.scopes[s]
	if d == nil && create {
		d = &scopeData{byType: map[[2]string]string{}}
		t.m.scopes[s] = d
	}
	return d
}

func (t *tx) Source(s model.Scope, name string) (model.DeliverySource, error) {
	if d := t.scope(s, false); d != nil {
		if v, ok := d.sources.get(name); ok {
			return v, nil
		}
	}
	return model.DeliverySource{}, store.ErrNotFound
}

func (t *tx) PutSource(s model.Scope, v model.DeliverySource) error {
	t.writable()
	d := t.scope(s, true)
	t.undo = append(t.undo, d.sources.set(v.Name, v.Clone()))
	return nil
}

func (t *tx) DeleteSource(s model.Scope, name string) error {
	t.writable()
	d := t.scope(s, false)
	if d == nil {
		return store.ErrNotFound
	}
	undo, ok := d.sources.del(name)
	if !ok {
		return store.ErrNotFound
	}
	t.undo = append(t.undo, undo)
	return nil
}

func (t *tx) ListSources(s model.Scope, after string, limit int) ([]model.DeliverySource, error) {
	d := t.scope(s, false)
	if d == nil {
		return nil, nil
	}
	return d.sources.list(after, limit), nil
}

func (t *tx) CountSources(s model.Scope) (int, error) {
	if d := t.scope(s, false); d != nil {
		return d.sources.len(), nil
	}
	return 0, nil
}

func (t *tx) Destination(s model.Scope, name string) (model.DeliveryDestination, error) {
	if d := t.scope(s, false); d != nil {
		if v, ok := d.dests.get(name); ok {
			return v, nil
		}
	}
	return model.DeliveryDestination{}, store.ErrNotFound
}

func (t *tx) PutDestination(s model.Scope, v model.DeliveryDestination) error {
	t.writable()
	d := t.scope(s, true)
	t.undo = append(t.undo, d.dests.set(v.Name, v.Clone()))
	return nil
}

func (t *tx) DeleteDestination(s model.Scope, name string) error {
	t.writable()
	d := t.scope(s, false)
	if d == nil {
		return store.ErrNotFound
	}
	undo, ok := d.dests.del(name)
	if !ok {
		return store.ErrNotFound
	}
	t.undo = append(t.undo, undo)
	return nil
}

func (t *tx) ListDestinations(s model.Scope, after string, limit int) ([]model.DeliveryDestination, error) {
	d := t.scope(s, false)
	if d == nil {
		return nil, nil
	}
	return d.dests.list(after, limit), nil
}

func (t *tx) CountDestinations(s model.Scope) (int, error) {
	if d := t.scope(s, false); d != nil {
		return d.dests.len(), nil
	}
	return 0, nil
}

func (t *tx) Delivery(s model.Scope, id string) (model.Delivery, error) {
	if d := t.scope(s, false); d != nil {
		if v, ok := d.deliveries.get(id); ok {
			return v, nil
		}
	}
	return model.Delivery{}, store.ErrNotFound
}

func (t *tx) PutDelivery(s model.Scope, v model.Delivery) error {
	t.writable()
	d := t.scope(s, true)
	key := [2]string{v.SourceName, v.DestinationType}
	old, exists := d.deliveries.get(v.ID)
	if owner, taken := d.byType[key]; taken && owner != v.ID {
		return store.ErrConflict
	}
	if exists && (old.SourceName != v.SourceName || old.DestinationType != v.DestinationType || old.DestinationArn != v.DestinationArn) {
		// A delivery's pairing never changes; only its configuration does.
		return store.ErrConflict
	}
	t.undo = append(t.undo, d.deliveries.set(v.ID, v.Clone()))
	if !exists {
		d.byType[key] = v.ID
		t.m.destUse[v.DestinationArn]++
		t.undo = append(t.undo, func() {
			delete(d.byType, key)
			t.m.decUse(v.DestinationArn)
		})
	}
	return nil
}

func (t *tx) DeleteDelivery(s model.Scope, id string) error {
	t.writable()
	d := t.scope(s, false)
	if d == nil {
		return store.ErrNotFound
	}
	old, ok := d.deliveries.get(id)
	if !ok {
		return store.ErrNotFound
	}
	undo, _ := d.deliveries.del(id)
	key := [2]string{old.SourceName, old.DestinationType}
	delete(d.byType, key)
	t.m.decUse(old.DestinationArn)
	t.undo = append(t.undo, undo, func() {
		d.byType[key] = id
		t.m.destUse[old.DestinationArn]++
	})
	return nil
}

func (m *Store) decUse(arn string) {
	if m.destUse[arn] <= 1 {
		delete(m.destUse, arn)
		return
	}
	m.destUse[arn]--
}

func (t *tx) ListDeliveries(s model.Scope, after string, limit int) ([]model.Delivery, error) {
	d := t.scope(s, false)
	if d == nil {
		return nil, nil
	}
	return d.deliveries.list(after, limit), nil
}

func (t *tx) CountDeliveries(s model.Scope) (int, error) {
	if d := t.scope(s, false); d != nil {
		return d.deliveries.len(), nil
	}
	return 0, nil
}

func (t *tx) DeliveriesOfSource(s model.Scope, name string) ([]model.Delivery, error) {
	d := t.scope(s, false)
	if d == nil {
		return nil, nil
	}
	var out []model.Delivery
	for _, typ := range destinationTypes {
		if id, ok := d.byType[[2]string{name, typ}]; ok {
			v, _ := d.deliveries.get(id)
			out = append(out, v)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

// destinationTypes are the values of a delivery's DestinationType.
var destinationTypes = [...]string{"S3", "CWL", "FH", "XRAY"}

func (t *tx) DestinationInUse(destArn string) (bool, error) {
	return t.m.destUse[destArn] > 0, nil
}

func (t *tx) Scopes() ([]model.Scope, error) {
	var out []model.Scope
	for sc, d := range t.m.scopes {
		if d.sources.len()+d.dests.len()+d.deliveries.len()+d.groups.len() > 0 || d.hasPolicies() {
			out = append(out, sc)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Account != out[j].Account {
			return out[i].Account < out[j].Account
		}
		return out[i].Region < out[j].Region
	})
	return out, nil
}

// sortedMap is a map that also keeps its keys sorted, for ordered paging.
type sortedMap[V any] struct {
	vals map[string]V
	keys []string
}

func (s *sortedMap[V]) len() int { return len(s.vals) }

func (s *sortedMap[V]) get(k string) (V, bool) {
	v, ok := s.vals[k]
	return v, ok
}

// set stores v under k and returns the function that undoes it.
func (s *sortedMap[V]) set(k string, v V) (undo func()) {
	if s.vals == nil {
		s.vals = map[string]V{}
	}
	old, existed := s.vals[k]
	s.vals[k] = v
	if existed {
		return func() { s.vals[k] = old }
	}
	i, _ := slices.BinarySearch(s.keys, k)
	s.keys = slices.Insert(s.keys, i, k)
	return func() { s.del(k) }
}

// del removes k and returns the function that undoes it.
func (s *sortedMap[V]) del(k string) (undo func(), ok bool) {
	old, ok := s.vals[k]
	if !ok {
		return nil, false
	}
	delete(s.vals, k)
	if i, found := slices.BinarySearch(s.keys, k); found {
		s.keys = slices.Delete(s.keys, i, i+1)
	}
	return func() { s.set(k, old) }, true
}

func (s *sortedMap[V]) list(after string, limit int) []V {
	i := 0
	if after != "" {
		i, _ = slices.BinarySearch(s.keys, after)
		if i < len(s.keys) && s.keys[i] == after {
			i++
		}
	}
	end := min(len(s.keys), i+limit)
	out := make([]V, 0, end-i)
	for _, k := range s.keys[i:end] {
		out = append(out, s.vals[k])
	}
	return out
}
