package storetest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"sync"
	"testing"

	"github.com/cwlogd/cwlogd/internal/model"
	"github.com/cwlogd/cwlogd/internal/store"
)

// testRoundTrip: every field comes back as it went in, nil and empty apart.
func testRoundTrip(t *testing.T, s store.Store) {
	srcNil := source(scA, "nil")
	srcNil.Tags, srcNil.Config = nil, nil
	srcEmpty := source(scA, "empty")
	srcEmpty.Tags, srcEmpty.Config = map[string]string{}, map[string]string{}
	srcFull := source(scA, "full")
	srcFull.Tags = map[string]string{"ünï": "cødé \"quoted\" \\ \x00 nul", "": "empty key"}

	dstBare := model.DeliveryDestination{Name: "xray", Arn: model.LogsARN(scA, model.KindDestination, "xray"), Type: "XRAY"}
	dstFull := destination(scA, "full")
	dstFull.Tags = map[string]string{"a": "b"}

	dlvBare := model.Delivery{ID: "bare", Arn: model.LogsARN(scA, model.KindDelivery, "bare"),
		SourceName: "nil", DestinationArn: dstBare.Arn, DestinationType: "XRAY"}
	dlvEmpty := delivery(scA, "empty", "empty", dstFull)
	dlvEmpty.RecordFields, dlvEmpty.Tags, dlvEmpty.S3 = []string{}, map[string]string{}, &model.S3Config{}
	dlvFull := delivery(scA, "full", "full", dstFull)
	delim := "\t"
	dlvFull.FieldDelimiter, dlvFull.Tags = &delim, map[string]string{"x": "y"}

	sources := []model.DeliverySource{srcEmpty, srcFull, srcNil}
	dests := []model.DeliveryDestination{dstFull, dstBare}
	dlvs := []model.Delivery{dlvBare, dlvEmpty, dlvFull}
	update(t, s, func(tx store.Tx) error {
		for _, v := range sources {
			if err := tx.PutSource(scA, v); err != nil {
				return err
			}
		}
		for _, v := range dests {
			if err := tx.PutDestination(scA, v); err != nil {
				return err
			}
		}
		for _, v := range dlvs {
			if err := tx.PutDelivery(scA, v); err != nil {
				return err
			}
		}
		return nil
	})
	same := func(what string, got, want any) {
		t.Helper()
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s:\n got %#v\nwant %#v", what, got, want)
		}
	}
	s.View(ctx, func(tx store.Tx) error {
		for _, want := range sources {
			got, err := tx.Source(scA, want.Name)
			same("Source "+want.Name, got, want)
			same("Source error", err, nil)
		}
		for _, want := range dests {
			got, _ := tx.Destination(scA, want.Name)
			same("Destination "+want.Name, got, want)
		}
		for _, want := range dlvs {
			got, _ := tx.Delivery(scA, want.ID)
			same("Delivery "+want.ID, got, want)
		}
		gotS, _ := tx.ListSources(scA, "", 10)
		same("ListSources", gotS, sources)
		gotD, _ := tx.ListDestinations(scA, "", 10)
		same("ListDestinations", gotD, []model.DeliveryDestination{dstFull, dstBare})
		gotL, _ := tx.ListDeliveries(scA, "", 10)
		same("ListDeliveries", gotL, dlvs)
		gotO, _ := tx.DeliveriesOfSource(scA, "full")
		same("DeliveriesOfSource", gotO, []model.Delivery{dlvFull})
		return nil
	})
}

// testByteOrder: keys order bytewise, as Go compares strings, whatever the
// database's locale.
func testByteOrder(t *testing.T, s store.Store) {
	names := []string{"b", "B", "a", "A", "_x", "-x", "0", "é", "e", "Z", "z", "a-b", "a_b", "aB", "ab"}
	update(t, s, func(tx store.Tx) error {
		for _, n := range names {
			if err := tx.PutSource(scA, source(scA, n)); err != nil {
				return err
			}
		}
		return nil
	})
	want := slices.Clone(names)
	slices.Sort(want)
	var got []string
	after := ""
	for {
		var page []model.DeliverySource
		s.View(ctx, func(tx store.Tx) (err error) {
			page, err = tx.ListSources(scA, after, 4)
			return err
		})
		for _, v := range page {
			got = append(got, v.Name)
		}
		if len(page) < 4 {
			break
		}
		after = page[len(page)-1].Name
	}
	if !slices.Equal(got, want) {
		t.Errorf("order = %q\nwant %q", got, want)
	}
}

// testDeliveryPairingIsFixed: updating a delivery may change its
// configuration but not its source, destination type or destination.
func testDeliveryPairingIsFixed(t *testing.T, s store.Store) {
	dst := destination(scA, "d")
	orig := delivery(scA, "fixed", "src", dst)
	update(t, s, func(tx store.Tx) error { return tx.PutDelivery(scA, orig) })
	for name, change := range map[string]func(*model.Delivery){
		"source":      func(d *model.Delivery) { d.SourceName = "other" },
		"type":        func(d *model.Delivery) { d.DestinationType = "CWL" },
		"destination": func(d *model.Delivery) { d.DestinationArn = destination(scA, "other").Arn },
	} {
		v := orig.Clone()
		change(&v)
		err := s.Update(ctx, func(tx store.Tx) error { return tx.PutDelivery(scA, v) })
		if !errors.Is(err, store.ErrConflict) {
			t.Errorf("changing the %s: %v, want ErrConflict", name, err)
		}
	}
	s.View(ctx, func(tx store.Tx) error {
		got, err := tx.Delivery(scA, "fixed")
		if err != nil || !reflect.DeepEqual(got, orig) {
			t.Errorf("Delivery = %+v, %v; want %+v", got, err, orig)
		}
		if used, _ := tx.DestinationInUse(destination(scA, "other").Arn); used {
			t.Error("refused change marks the other destination in use")
		}
		return nil
	})
}

// testConflictKeepsTxUsable: a refused PutDelivery changes nothing, and fn
// may go on and commit its other writes.
func testConflictKeepsTxUsable(t *testing.T, s store.Store) {
	dst := destination(scA, "d")
	update(t, s, func(tx store.Tx) error { return tx.PutDelivery(scA, delivery(scA, "first", "src", dst)) })
	update(t, s, func(tx store.Tx) error {
		if err := tx.PutDelivery(scA, delivery(scA, "second", "src", dst)); !errors.Is(err, store.ErrConflict) {
			t.Errorf("duplicate pair: %v, want ErrConflict", err)
		}
		if _, err := tx.Delivery(scA, "second"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("refused delivery readable: %v", err)
		}
		if err := tx.DeleteSource(scA, "missing"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("DeleteSource(missing) = %v", err)
		}
		return tx.PutSource(scA, source(scA, "after"))
	})
	s.View(ctx, func(tx store.Tx) error {
		if _, err := tx.Source(scA, "after"); err != nil {
			t.Errorf("write after a refused one was lost: %v", err)
		}
		if n, _ := tx.CountDeliveries(scA); n != 1 {
			t.Errorf("CountDeliveries = %d, want 1", n)
		}
		return nil
	})
}

// testCanceledContext: a canceled context stops a transaction before fn runs.
func testCanceledContext(t *testing.T, s store.Store) {
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	ran := false
	err := s.Update(cctx, func(tx store.Tx) error { ran = true; return tx.PutSource(scA, source(scA, "x")) })
	if !errors.Is(err, context.Canceled) || ran {
		t.Errorf("Update(canceled) = %v, ran %v; want context.Canceled, not run", err, ran)
	}
	if err := s.View(cctx, func(store.Tx) error { ran = true; return nil }); !errors.Is(err, context.Canceled) || ran {
		t.Errorf("View(canceled) = %v, ran %v; want context.Canceled, not run", err, ran)
	}
}

// testConcurrentMixed: many goroutines create, read, list and delete records
// under keys of their own; every write lands exactly once.
func testConcurrentMixed(t *testing.T, s store.Store) {
	const workers, each = 8, 16
	name := func(w, i int) string { return fmt.Sprintf("w%02d-%03d", w, i) }
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			prefix := fmt.Sprintf("w%02d-", w)
			for i := range each {
				n := name(w, i)
				dst := destination(scA, n)
				err := s.Update(ctx, func(tx store.Tx) error {
					if err := tx.PutSource(scA, source(scA, n)); err != nil {
						return err
					}
					if err := tx.PutDestination(scA, dst); err != nil {
						return err
					}
					return tx.PutDelivery(scA, delivery(scA, "id-"+n, n, dst))
				})
				if err != nil {
					t.Errorf("create %s: %v", n, err)
					return
				}
				err = s.View(ctx, func(tx store.Tx) error {
					page, err := tx.ListSources(scA, prefix, 3)
					if err != nil {
						return err
					}
					if len(page) == 0 || page[0].Name != name(w, 0) {
						return fmt.Errorf("ListSources(after %q) = %d records, first %v", prefix, len(page), page)
					}
					if _, err := tx.Delivery(scA, "id-"+n); err != nil {
						return err
					}
					used, err := tx.DestinationInUse(dst.Arn)
					if err == nil && !used {
						err = errors.New("destination of a new delivery not in use")
					}
					return err
				})
				if err != nil {
					t.Errorf("read %s: %v", n, err)
					return
				}
				if i%2 == 0 {
					continue
				}
				err = s.Update(ctx, func(tx store.Tx) error {
					if err := tx.DeleteDelivery(scA, "id-"+n); err != nil {
						return err
					}
					if err := tx.DeleteDestination(scA, n); err != nil {
						return err
					}
					return tx.DeleteSource(scA, n)
				})
				if err != nil {
					t.Errorf("delete %s: %v", n, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	var want []string
	for w := range workers {
		for i := 0; i < each; i += 2 {
			want = append(want, name(w, i))
		}
	}
	s.View(ctx, func(tx store.Tx) error {
		counts := func() []int {
			a, _ := tx.CountSources(scA)
			b, _ := tx.CountDestinations(scA)
			c, _ := tx.CountDeliveries(scA)
			return []int{a, b, c}
		}()
		if wantN := len(want); !slices.Equal(counts, []int{wantN, wantN, wantN}) {
			t.Errorf("counts (sources, destinations, deliveries) = %v, want %d each", counts, wantN)
		}
		var got []string
		after := ""
		for {
			page, err := tx.ListDeliveries(scA, after, 10)
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range page {
				got = append(got, d.SourceName)
			}
			if len(page) < 10 {
				break
			}
			after = page[len(page)-1].ID
		}
		if !slices.Equal(got, want) {
			t.Errorf("deliveries of sources %q\nwant %q", got, want)
		}
		for w := range workers {
			used, _ := tx.DestinationInUse(destination(scA, name(w, 1)).Arn)
			if used {
				t.Errorf("deleted delivery's destination %s still in use", name(w, 1))
			}
		}
		return nil
	})
}
