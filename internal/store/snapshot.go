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
	LogGroups    []LogGroupSnapshot          `json:"logGroups,omitempty"`
	// ResourcePolicies are the account-scoped resource policies; a log
	// group's own is in its LogGroupSnapshot.
	ResourcePolicies []model.ResourcePolicy `json:"resourcePolicies,omitempty"`
}

// LogGroupSnapshot is a log group with its streams, their events and its
// resource policy.
type LogGroupSnapshot struct {
	model.LogGroup
	Streams  []LogStreamSnapshot    `json:"logStreams,omitempty"`
	Policies []model.ResourcePolicy `json:"resourcePolicies,omitempty"`
}

// LogStreamSnapshot is a log stream and its events in time order.
type LogStreamSnapshot struct {
	model.LogStream
	Events []model.LogEvent `json:"events,omitempty"`
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
			if ss.LogGroups, err = exportLogGroups(tx, sc); err != nil {
				return err
			}
			if ss.ResourcePolicies, err = tx.ResourcePolicies(sc, ""); err != nil {
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

func exportLogGroups(tx Tx, sc model.Scope) ([]LogGroupSnapshot, error) {
	groups, err := listAll(func(after string) ([]model.LogGroup, error) {
		return tx.ListLogGroups(sc, GroupQuery{After: after, Limit: exportPage})
	}, func(g model.LogGroup) string { return g.Name })
	if err != nil {
		return nil, err
	}
	out := make([]LogGroupSnapshot, 0, len(groups))
	for _, g := range groups {
		gs := LogGroupSnapshot{LogGroup: g}
		if gs.Policies, err = tx.ResourcePolicies(sc, g.Arn); err != nil {
			return nil, err
		}
		streams, err := listAll(func(after string) ([]model.LogStream, error) {
			return tx.ListLogStreams(sc, g.Name, StreamQuery{After: &StreamKey{Name: after}, Limit: exportPage})
		}, func(st model.LogStream) string { return st.Name })
		if err != nil {
			return nil, err
		}
		for _, st := range streams {
			// The event fields of a stream follow from its events on import.
			ss := LogStreamSnapshot{LogStream: model.LogStream{Name: st.Name, CreationTime: st.CreationTime}}
			var after *EventKey
			for {
				evs, err := tx.LogEvents(sc, g.Name, EventQuery{Streams: []string{st.Name}, After: after, Limit: exportPage})
				if err != nil {
					return nil, err
				}
				for _, e := range evs {
					e.Stream, e.Seq = "", 0
					ss.Events = append(ss.Events, e)
				}
				if len(evs) < exportPage {
					break
				}
				after = &EventKey{Timestamp: evs[len(evs)-1].Timestamp, Seq: evs[len(evs)-1].Seq}
			}
			gs.Streams = append(gs.Streams, ss)
		}
		out = append(out, gs)
	}
	return out, nil
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
			for _, g := range ss.LogGroups {
				if err := importLogGroup(tx, sc, g); err != nil {
					return fmt.Errorf("log group %s: %w", g.Arn, err)
				}
			}
			for _, p := range ss.ResourcePolicies {
				if err := tx.PutResourcePolicy(sc, p); err != nil {
					return fmt.Errorf("resource policy %s: %w", p.Name, err)
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

func importLogGroup(tx Tx, sc model.Scope, g LogGroupSnapshot) error {
	if err := tx.CreateLogGroup(sc, g.LogGroup); err != nil {
		return err
	}
	for _, p := range g.Policies {
		if err := tx.PutResourcePolicy(sc, p); err != nil {
			return fmt.Errorf("resource policy %s: %w", p.Name, err)
		}
	}
	for _, st := range g.Streams {
		if err := tx.CreateLogStream(sc, g.Name, st.LogStream); err != nil {
			return fmt.Errorf("log stream %s: %w", st.Name, err)
		}
		// Events were exported in time order; appending them in chunks
		// keeps each store call bounded.
		for evs := st.Events; len(evs) > 0; {
			n := min(len(evs), exportPage)
			if _, err := tx.AppendLogEvents(sc, g.Name, st.Name, evs[:n]); err != nil {
				return fmt.Errorf("log stream %s: %w", st.Name, err)
			}
			evs = evs[n:]
		}
	}
	return nil
}
