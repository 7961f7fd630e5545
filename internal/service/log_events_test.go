package service_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/cwlogd/cwlogd/internal/api"
	"github.com/cwlogd/cwlogd/internal/catalog"
	"github.com/cwlogd/cwlogd/internal/model"
	"github.com/cwlogd/cwlogd/internal/policy"
	"github.com/cwlogd/cwlogd/internal/service"
	"github.com/cwlogd/cwlogd/internal/store"
	"github.com/cwlogd/cwlogd/internal/store/memory"
)

var sc = model.Scope{Account: "111111111111", Region: "us-east-1"}

func newService(t *testing.T, now func() time.Time) (*service.Service, store.Store) {
	t.Helper()
	cat, err := catalog.Load()
	if err != nil {
		t.Fatal(err)
	}
	st := memory.New()
	svc, err := service.New(service.Config{Store: st, Catalog: cat, Authorizer: policy.Evaluator{}, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	return svc, st
}

func ptr[T any](v T) *T { return &v }

// fill creates group g with stream s holding n events, one per
// millisecond from base, whose message is "event <i>".
func fill(t *testing.T, st store.Store, n int, base int64) {
	t.Helper()
	err := st.Update(context.Background(), func(tx store.Tx) error {
		if err := tx.CreateLogGroup(sc, model.LogGroup{Name: "g", Arn: "arn:aws:logs:us-east-1:111111111111:log-group:g", Class: "STANDARD"}); err != nil {
			return err
		}
		if err := tx.CreateLogStream(sc, "g", model.LogStream{Name: "s"}); err != nil {
			return err
		}
		evs := make([]model.LogEvent, n)
		for i := range evs {
			evs[i] = model.LogEvent{Timestamp: base + int64(i), IngestionTime: base, Message: fmt.Sprint("event ", i)}
		}
		_, err := tx.AppendLogEvents(sc, "g", "s", evs)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// A search that finds nothing within one call's scan budget answers an
// empty page with a token, as AWS answers partial pages, and the next call
// goes on from there.
func TestFilterLogEventsScanBudget(t *testing.T) {
	now := time.Now()
	svc, st := newService(t, func() time.Time { return now })
	const n = 300_001
	fill(t, st, n, now.UnixMilli()-n)
	in := &api.FilterLogEventsInput{LogGroupName: ptr("g"), FilterPattern: ptr(fmt.Sprintf(`"event %d"`, n-1))}
	first, err := svc.FilterLogEvents(context.Background(), sc, in)
	if err != nil {
		t.Fatal(err)
	}
	if len(first.Events) != 0 || first.NextToken == nil {
		t.Fatalf("first call: %d events, token %v; want an empty page with a token", len(first.Events), first.NextToken)
	}
	in.NextToken = first.NextToken
	second, err := svc.FilterLogEvents(context.Background(), sc, in)
	if err != nil {
		t.Fatal(err)
	}
	if len(second.Events) != 1 || *second.Events[0].Message != fmt.Sprintf("event %d", n-1) || second.NextToken != nil {
		t.Fatalf("second call: %d events, token %v; want the last event and no token", len(second.Events), second.NextToken)
	}
}

// PurgeExpiredEvents deletes what the retention no longer keeps, and
// storedBytes follows.
func TestPurgeExpiredEvents(t *testing.T) {
	now := time.Now()
	svc, st := newService(t, func() time.Time { return now })
	day := int64(24 * time.Hour / time.Millisecond)
	fill(t, st, 10, now.UnixMilli()-day-5) // events 0..4 are more than a day old
	if _, err := svc.PutRetentionPolicy(context.Background(), sc, &api.PutRetentionPolicyInput{LogGroupName: ptr("g"), RetentionInDays: ptr(int32(1))}); err != nil {
		t.Fatal(err)
	}
	n, err := svc.PurgeExpiredEvents(context.Background())
	if err != nil || n != 5 {
		t.Fatalf("purged %d (%v), want the 5 older than a day", n, err)
	}
	out, err := svc.DescribeLogGroups(context.Background(), sc, &api.DescribeLogGroupsInput{})
	if err != nil {
		t.Fatal(err)
	}
	if got := *out.LogGroups[0].StoredBytes; got != int64(5*len("event 5")) {
		t.Fatalf("storedBytes after purge = %d, want the 5 kept messages' %d", got, 5*len("event 5"))
	}
}
