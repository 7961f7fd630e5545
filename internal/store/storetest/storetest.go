// Package storetest is the conformance suite every store.Store passes.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/cwlogd/cwlogd/internal/model"
	"github.com/cwlogd/cwlogd/internal/store"
)

// Run runs the suite; open returns a new, empty store each time.
func Run(t *testing.T, open func(t *testing.T) store.Store) {
	tests := map[string]func(*testing.T, store.Store){
		"SourceCRUD":            testSourceCRUD,
		"DestinationCRUD":       testDestinationCRUD,
		"DeliveryCRUD":          testDeliveryCRUD,
		"ListPaging":            testListPaging,
		"ScopesAreIsolated":     testScopes,
		"OneDeliveryPerType":    testOneDeliveryPerType,
		"DestinationInUse":      testDestinationInUse,
		"FailedUpdateRollsBack": testRollback,
		"ConcurrentCreates":     testConcurrentCreates,
		"Reset":                 testReset,

		"RoundTrip":                   testRoundTrip,
		"ByteOrder":                   testByteOrder,
		"DeliveryPairingIsFixed":      testDeliveryPairingIsFixed,
		"ConflictKeepsTxUsable":       testConflictKeepsTxUsable,
		"CanceledContext":             testCanceledContext,
		"ConcurrentMixedDistinctKeys": testConcurrentMixed,

		"LogGroupCRUD":              testLogGroupCRUD,
		"LogGroupDeleteCascades":    testLogGroupDeleteCascades,
		"ListLogGroups":             testListLogGroups,
		"LogScopes":                 testLogScopes,
		"LogReset":                  testLogReset,
		"LogStreamCRUD":             testLogStreamCRUD,
		"ListLogStreamsByName":      testListLogStreamsByName,
		"ListLogStreamsByLastEvent": testListLogStreamsByLastEvent,
		"ResourcePolicies":          testResourcePolicies,
		"LogConflictKeepsTxUsable":  testLogConflictKeepsTxUsable,
		"AppendLogEvents":           testAppendLogEvents,
		"LogEventsQuery":            testLogEventsQuery,
		"LogEventsPaging":           testLogEventsPaging,
		"LogEventMessages":          testLogEventMessages,
		"PurgeLogEvents":            testPurgeLogEvents,
		"LogRollback":               testLogRollback,
		"ConcurrentLogAppends":      testConcurrentLogAppends,
	}
	for name, fn := range tests {
		t.Run(name, func(t *testing.T) {
			s := open(t)
			t.Cleanup(func() { s.Close() })
			fn(t, s)
		})
	}
}

var (
	ctx = context.Background()
	scA = model.Scope{Account: "111111111111", Region: "us-east-1"}
	scB = model.Scope{Account: "222222222222", Region: "us-east-1"}
	scC = model.Scope{Account: "111111111111", Region: "eu-west-1"}
)

func update(t *testing.T, s store.Store, fn func(store.Tx) error) {
	t.Helper()
	if err := s.Update(ctx, fn); err != nil {
		t.Fatalf("update: %v", err)
	}
}

func source(sc model.Scope, name string) model.DeliverySource {
	return model.DeliverySource{
		Name: name, Arn: model.LogsARN(sc, model.KindSource, name),
		ResourceArn: "arn:aws:cloudfront::" + sc.Account + ":distribution/E" + name,
		Service:     "cloudfront", LogType: "ACCESS_LOGS",
		Tags: map[string]string{"k": "v"}, Config: map[string]string{"samplingRate": "50"},
	}
}

func destination(sc model.Scope, name string) model.DeliveryDestination {
	return model.DeliveryDestination{
		Name: name, Arn: model.LogsARN(sc, model.KindDestination, name), Type: "S3",
		OutputFormat: "json", ResourceArn: "arn:aws:s3:::bucket-" + name, Policy: `{"Version":"2012-10-17"}`,
	}
}

func delivery(sc model.Scope, id, src string, dst model.DeliveryDestination) model.Delivery {
	delim := ""
	return model.Delivery{
		ID: id, Arn: model.LogsARN(sc, model.KindDelivery, id), SourceName: src,
		DestinationArn: dst.Arn, DestinationType: dst.Type,
		RecordFields: []string{"date", "time"}, FieldDelimiter: &delim,
		S3: &model.S3Config{SuffixPath: "AWSLogs/{account-id}/CloudFront/", Hive: true},
	}
}

func testSourceCRUD(t *testing.T, s store.Store) {
	want := source(scA, "src")
	update(t, s, func(tx store.Tx) error { return tx.PutSource(scA, want) })
	s.View(ctx, func(tx store.Tx) error {
		got, err := tx.Source(scA, "src")
		if err != nil || fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("Source = %+v, %v; want %+v", got, err, want)
		}
		if n, _ := tx.CountSources(scA); n != 1 {
			t.Errorf("CountSources = %d, want 1", n)
		}
		return nil
	})
	// The store keeps its own copy.
	want.Tags["k"] = "changed"
	s.View(ctx, func(tx store.Tx) error {
		if got, _ := tx.Source(scA, "src"); got.Tags["k"] != "v" {
			t.Errorf("stored tags changed with the caller's map: %v", got.Tags)
		}
		return nil
	})
	update(t, s, func(tx store.Tx) error { return tx.DeleteSource(scA, "src") })
	s.View(ctx, func(tx store.Tx) error {
		if _, err := tx.Source(scA, "src"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("after delete: %v, want ErrNotFound", err)
		}
		return nil
	})
	if err := s.Update(ctx, func(tx store.Tx) error { return tx.DeleteSource(scA, "src") }); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("delete missing: %v, want ErrNotFound", err)
	}
}

func testDestinationCRUD(t *testing.T, s store.Store) {
	want := destination(scA, "dst")
	update(t, s, func(tx store.Tx) error { return tx.PutDestination(scA, want) })
	want.Policy = ""
	update(t, s, func(tx store.Tx) error { return tx.PutDestination(scA, want) })
	s.View(ctx, func(tx store.Tx) error {
		got, err := tx.Destination(scA, "dst")
		if err != nil || fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("Destination = %+v, %v; want %+v", got, err, want)
		}
		return nil
	})
	update(t, s, func(tx store.Tx) error { return tx.DeleteDestination(scA, "dst") })
	if err := s.Update(ctx, func(tx store.Tx) error { return tx.DeleteDestination(scA, "dst") }); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("delete missing: %v, want ErrNotFound", err)
	}
}

func testDeliveryCRUD(t *testing.T, s store.Store) {
	dst := destination(scA, "dst")
	want := delivery(scA, "AAAAaaaa00001111", "src", dst)
	update(t, s, func(tx store.Tx) error { return tx.PutDelivery(scA, want) })
	want.RecordFields = []string{"time"}
	update(t, s, func(tx store.Tx) error { return tx.PutDelivery(scA, want) })
	s.View(ctx, func(tx store.Tx) error {
		got, err := tx.Delivery(scA, want.ID)
		if err != nil || fmt.Sprint(got.RecordFields, *got.FieldDelimiter, *got.S3) != fmt.Sprint(want.RecordFields, "", *want.S3) {
			t.Errorf("Delivery = %+v, %v; want %+v", got, err, want)
		}
		ds, _ := tx.DeliveriesOfSource(scA, "src")
		if len(ds) != 1 || ds[0].ID != want.ID {
			t.Errorf("DeliveriesOfSource = %v", ds)
		}
		return nil
	})
	update(t, s, func(tx store.Tx) error { return tx.DeleteDelivery(scA, want.ID) })
	s.View(ctx, func(tx store.Tx) error {
		if _, err := tx.Delivery(scA, want.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("after delete: %v", err)
		}
		if ds, _ := tx.DeliveriesOfSource(scA, "src"); len(ds) != 0 {
			t.Errorf("DeliveriesOfSource after delete = %v", ds)
		}
		return nil
	})
}

func testListPaging(t *testing.T, s store.Store) {
	const n = 25
	update(t, s, func(tx store.Tx) error {
		for i := n - 1; i >= 0; i-- {
			if err := tx.PutSource(scA, source(scA, fmt.Sprintf("s%03d", i))); err != nil {
				return err
			}
		}
		return nil
	})
	var names []string
	after := ""
	for {
		var page []model.DeliverySource
		s.View(ctx, func(tx store.Tx) (err error) {
			page, err = tx.ListSources(scA, after, 7)
			return err
		})
		for _, v := range page {
			names = append(names, v.Name)
		}
		if len(page) < 7 {
			break
		}
		after = page[len(page)-1].Name
	}
	if len(names) != n {
		t.Fatalf("listed %d, want %d", len(names), n)
	}
	for i, name := range names {
		if want := fmt.Sprintf("s%03d", i); name != want {
			t.Fatalf("names[%d] = %s, want %s", i, name, want)
		}
	}
}

func testScopes(t *testing.T, s store.Store) {
	update(t, s, func(tx store.Tx) error {
		for _, sc := range []model.Scope{scA, scB, scC} {
			if err := tx.PutSource(sc, source(sc, "same")); err != nil {
				return err
			}
		}
		return tx.DeleteSource(scB, "same")
	})
	s.View(ctx, func(tx store.Tx) error {
		if _, err := tx.Source(scA, "same"); err != nil {
			t.Errorf("scope A lost its source: %v", err)
		}
		if _, err := tx.Source(scB, "same"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("scope B source survived its delete: %v", err)
		}
		if got, _ := tx.Source(scC, "same"); got.Arn != model.LogsARN(scC, model.KindSource, "same") {
			t.Errorf("scope C source = %+v", got)
		}
		if l, _ := tx.ListSources(model.Scope{Account: "333333333333", Region: "us-east-1"}, "", 50); len(l) != 0 {
			t.Errorf("empty scope lists %v", l)
		}
		// Scope B's only record was deleted: it no longer counts.
		if got, _ := tx.Scopes(); fmt.Sprint(got) != fmt.Sprint([]model.Scope{scC, scA}) {
			t.Errorf("Scopes = %v, want %v", got, []model.Scope{scC, scA})
		}
		return nil
	})
}

func testOneDeliveryPerType(t *testing.T, s store.Store) {
	d1, d2 := destination(scA, "one"), destination(scA, "two")
	update(t, s, func(tx store.Tx) error { return tx.PutDelivery(scA, delivery(scA, "id1", "src", d1)) })
	err := s.Update(ctx, func(tx store.Tx) error { return tx.PutDelivery(scA, delivery(scA, "id2", "src", d2)) })
	if !errors.Is(err, store.ErrConflict) {
		t.Fatalf("second S3 delivery of one source: %v, want ErrConflict", err)
	}
	cwl := d2
	cwl.Type = "CWL"
	update(t, s, func(tx store.Tx) error { return tx.PutDelivery(scA, delivery(scA, "id3", "src", cwl)) })
	update(t, s, func(tx store.Tx) error { return tx.DeleteDelivery(scA, "id1") })
	update(t, s, func(tx store.Tx) error { return tx.PutDelivery(scA, delivery(scA, "id4", "src", d2)) })
}

func testDestinationInUse(t *testing.T, s store.Store) {
	dst := destination(scB, "shared")
	update(t, s, func(tx store.Tx) error { return tx.PutDelivery(scA, delivery(scA, "x1", "src", dst)) })
	check := func(want bool) {
		t.Helper()
		s.View(ctx, func(tx store.Tx) error {
			if got, err := tx.DestinationInUse(dst.Arn); got != want || err != nil {
				t.Errorf("DestinationInUse = %v, %v; want %v", got, err, want)
			}
			return nil
		})
	}
	check(true)
	update(t, s, func(tx store.Tx) error { return tx.DeleteDelivery(scA, "x1") })
	check(false)
}

func testRollback(t *testing.T, s store.Store) {
	update(t, s, func(tx store.Tx) error { return tx.PutSource(scA, source(scA, "keep")) })
	boom := errors.New("boom")
	err := s.Update(ctx, func(tx store.Tx) error {
		changed := source(scA, "keep")
		changed.LogType = "CHANGED"
		tx.PutSource(scA, changed)
		tx.PutSource(scA, source(scA, "new"))
		tx.PutDelivery(scA, delivery(scA, "rb1", "keep", destination(scA, "d")))
		tx.DeleteSource(scA, "keep")
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Update = %v, want boom", err)
	}
	s.View(ctx, func(tx store.Tx) error {
		if got, err := tx.Source(scA, "keep"); err != nil || got.LogType != "ACCESS_LOGS" {
			t.Errorf("keep = %+v, %v", got, err)
		}
		if _, err := tx.Source(scA, "new"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("rolled-back insert visible: %v", err)
		}
		if n, _ := tx.CountDeliveries(scA); n != 0 {
			t.Errorf("rolled-back delivery counted: %d", n)
		}
		if used, _ := tx.DestinationInUse(destination(scA, "d").Arn); used {
			t.Error("rolled-back delivery marks its destination in use")
		}
		return nil
	})
	// The index must be rolled back too: a new delivery of that type works.
	update(t, s, func(tx store.Tx) error {
		return tx.PutDelivery(scA, delivery(scA, "rb2", "keep", destination(scA, "d")))
	})
}

func testConcurrentCreates(t *testing.T, s store.Store) {
	const workers = 16
	var wg sync.WaitGroup
	var mu sync.Mutex
	wins := 0
	for i := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := s.Update(ctx, func(tx store.Tx) error {
				if err := tx.PutSource(scA, source(scA, fmt.Sprintf("c%02d", i))); err != nil {
					return err
				}
				return tx.PutDelivery(scA, delivery(scA, fmt.Sprintf("race%02d", i), "racer", destination(scA, fmt.Sprintf("d%02d", i))))
			})
			if err == nil {
				mu.Lock()
				wins++
				mu.Unlock()
			} else if !errors.Is(err, store.ErrConflict) {
				t.Errorf("worker %d: %v", i, err)
			}
		}()
	}
	wg.Wait()
	if wins != 1 {
		t.Fatalf("%d concurrent creates of one (source, type) succeeded, want 1", wins)
	}
	s.View(ctx, func(tx store.Tx) error {
		if n, _ := tx.CountDeliveries(scA); n != 1 {
			t.Errorf("CountDeliveries = %d, want 1", n)
		}
		if n, _ := tx.CountSources(scA); n != 1 {
			t.Errorf("CountSources = %d, want 1 (losers must roll back)", n)
		}
		return nil
	})
}

func testReset(t *testing.T, s store.Store) {
	update(t, s, func(tx store.Tx) error { return tx.PutSource(scA, source(scA, "x")) })
	if err := s.Reset(ctx); err != nil {
		t.Fatal(err)
	}
	s.View(ctx, func(tx store.Tx) error {
		if n, _ := tx.CountSources(scA); n != 0 {
			t.Errorf("after Reset: %d sources", n)
		}
		return nil
	})
}
