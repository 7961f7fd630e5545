// Package store defines how cwlogd keeps state: a Store runs read-only and
// read-write transactions over delivery sources, destinations and deliveries,
// log groups, streams, events and resource policies,
// each scoped to an account and region. Implementations live in
// subpackages and all pass storetest.
//
// It imports only model.
package store

import (
	"context"
	"errors"

	"github.com/cwlogd/cwlogd/internal/model"
)

// Sentinel errors every implementation returns (possibly wrapped).
var (
	// ErrNotFound: the addressed record does not exist.
	ErrNotFound = errors.New("store: not found")
	// ErrConflict: a uniqueness rule or a concurrent writer refused the change.
	ErrConflict = errors.New("store: conflict")
)

// Store is a transactional state store.
type Store interface {
	// View runs fn in a read-only transaction.
	View(ctx context.Context, fn func(Tx) error) error
	// Update runs fn in a read-write transaction: every write fn made is
	// kept if fn returns nil and none is if it returns an error. A store may
	// run fn again when the transaction lost a race with another writer, so
	// fn must not act outside tx except on values it sets afresh each run.
	// When it keeps losing, Update returns an error wrapping ErrConflict.
	Update(ctx context.Context, fn func(Tx) error) error
	// Reset deletes all state.
	Reset(ctx context.Context) error
	Close() error
}

// Tx is the view of the state inside one transaction. Values it returns are
// read-only: callers build a new value and Put it instead of mutating one.
// List methods return records ordered by key (name, or id for deliveries)
// strictly after `after` ("" for the start), at most limit of them.
type Tx interface {
	LogTx

	Source(s model.Scope, name string) (model.DeliverySource, error)
	PutSource(s model.Scope, v model.DeliverySource) error
	DeleteSource(s model.Scope, name string) error
	ListSources(s model.Scope, after string, limit int) ([]model.DeliverySource, error)
	CountSources(s model.Scope) (int, error)

	Destination(s model.Scope, name string) (model.DeliveryDestination, error)
	PutDestination(s model.Scope, v model.DeliveryDestination) error
	DeleteDestination(s model.Scope, name string) error
	ListDestinations(s model.Scope, after string, limit int) ([]model.DeliveryDestination, error)
	CountDestinations(s model.Scope) (int, error)

	Delivery(s model.Scope, id string) (model.Delivery, error)
	// PutDelivery stores v. It returns ErrConflict when inserting a new
	// delivery for a source that already has one of v.DestinationType.
	PutDelivery(s model.Scope, v model.Delivery) error
	DeleteDelivery(s model.Scope, id string) error
	ListDeliveries(s model.Scope, after string, limit int) ([]model.Delivery, error)
	CountDeliveries(s model.Scope) (int, error)
	// DeliveriesOfSource lists the deliveries in s whose source is name.
	DeliveriesOfSource(s model.Scope, name string) ([]model.Delivery, error)
	// DestinationInUse reports whether any delivery, in any account,
	// delivers to the delivery destination destArn.
	DestinationInUse(destArn string) (bool, error)

	// Scopes lists every scope that holds at least one record, ordered by
	// account then region.
	Scopes() ([]model.Scope, error)
}
