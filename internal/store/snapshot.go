package store

import (
	"context"
	"fmt"

	"github.com/cwlogd/cwlogd/internal/model"
)

// SnapshotFormat versions the export file.
const SnapshotFormat = 1

// Snapshot is the whole state of a store, as written by `cwlogd export`
// and read by `cwlogd import`.
type Snapshot struct {
	Format int             `json:"format"`
	Scopes []ScopeSnapshot `json:"scopes"`
}

// ScopeSnapshot is the state of one account and region.
type ScopeSnapshot struct {
	Account      string                      `json:"account"`
	Region       string                      `json:"region"`
	Sources      []model.DeliverySource      `json:"deliverySources,omitempty"`
	Destinations []model.DeliveryDestination `json:"deliveryDestinations,omitempty"`
	Deliveries   []model.Delivery            `json:"deliveries,omitempty"`
}

// exportPage is how many records one listing call fetches while exporting.
const exportPage = 1000

// Export reads the whole state of s in one read-only transaction.
func Export(ctx context.Context, s Store) (*Snapshot, error) {
	snap := &Snapshot{Format: SnapshotFormat, Scopes: []ScopeSnapshot{}}
	err := s.View(ctx, func(tx Tx) error {
		scopes, err := tx.Scopes()
		if err != nil {
			return err
		}
		for _, sc := range scopes {
			ss := ScopeSnapshot{Account: sc.Account, Region: sc.Region}
			if ss.Sources, err = listAll(func(after string) ([]model.DeliverySource, error) {
				return tx.ListSources(sc, after, exportPage)
			}, func(v model.DeliverySource) string { return v.Name }); err != nil {
				return err
			}
			if ss.Destinations, err = listAll(func(after string) ([]model.DeliveryDestination, error) {
				return tx.ListDestinations(sc, after, exportPage)
			}, func(v model.DeliveryDestination) string { return v.Name }); err != nil {
				return err
			}
			if ss.Deliveries, err = listAll(func(after string) ([]model.Delivery, error) {
				return tx.ListDeliveries(sc, after, exportPage)
			}, func(v model.Delivery) string { return v.ID }); err != nil {
				return err
			}
			snap.Scopes = append(snap.Scopes, ss)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	return snap, nil
}

func listAll[T any](list func(after string) ([]T, error), key func(T) string) ([]T, error) {
	var all []T
	after := ""
	for {
		page, err := list(after)
		if err != nil {
			return nil, err
		}
		all = append(all, page...)
		if len(page) < exportPage {
			return all, nil
		}
		after = key(page[len(page)-1])
	}
}

// Import replaces the whole state of s with snap, in one transaction.
func Import(ctx context.Context, s Store, snap *Snapshot) error {
	if snap.Format != SnapshotFormat {
		return fmt.Errorf("import: snapshot format %d, want %d", snap.Format, SnapshotFormat)
	}
	if err := s.Reset(ctx); err != nil {
		return fmt.Errorf("import: reset: %w", err)
	}
	err := s.Update(ctx, func(tx Tx) error {
		for _, ss := range snap.Scopes {
			sc := model.Scope{Account: ss.Account, Region: ss.Region}
			for _, v := range ss.Sources {
				if err := tx.PutSource(sc, v); err != nil {
					return fmt.Errorf("delivery source %s: %w", v.Arn, err)
				}
			}
			for _, v := range ss.Destinations {
				if err := tx.PutDestination(sc, v); err != nil {
					return fmt.Errorf("delivery destination %s: %w", v.Arn, err)
				}
			}
			for _, v := range ss.Deliveries {
				if err := tx.PutDelivery(sc, v); err != nil {
					return fmt.Errorf("delivery %s: %w", v.Arn, err)
				}
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	return nil
}
