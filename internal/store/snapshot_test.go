package store_test

import (
	"context"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/cwlogd/cwlogd/internal/model"
	"github.com/cwlogd/cwlogd/internal/store"
	"github.com/cwlogd/cwlogd/internal/store/memory"
)

func TestExportImportRoundTrip(t *testing.T) {
	ctx := context.Background()
	sc := model.Scope{Account: "111111111111", Region: "us-east-1"}
	empty := ""
	src := memory.New()
	err := src.Update(ctx, func(tx store.Tx) error {
		for i := range 2500 { // more than one export page
			name := "s" + string(rune('a'+i%26)) + string(rune('a'+i/26%26)) + string(rune('a'+i/676))
			if err := tx.PutSource(sc, model.DeliverySource{Name: name, Arn: "arn:" + name, Tags: map[string]string{"k": "v"}}); err != nil {
				return err
			}
		}
		if err := tx.PutDestination(sc, model.DeliveryDestination{Name: "d", Arn: "arn:d", Type: "S3", Policy: `{"a":1}`}); err != nil {
			return err
		}
		if err := tx.PutDelivery(sc, model.Delivery{ID: "x", SourceName: "saaa", DestinationArn: "arn:d", DestinationType: "S3",
			RecordFields: []string{}, FieldDelimiter: &empty, S3: &model.S3Config{SuffixPath: "p", Hive: false}}); err != nil {
			return err
		}
		return putLogs(tx, sc)
	})
	if err != nil {
		t.Fatal(err)
	}
	snap, err := store.Export(ctx, src)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(snap)
	var back store.Snapshot
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	dst := memory.New()
	if err := store.Import(ctx, dst, &back); err != nil {
		t.Fatal(err)
	}
	again, err := store.Export(ctx, dst)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(snap, again) {
		t.Fatal("state differs after export, JSON and import")
	}
	if n := len(again.Scopes[0].Sources); n != 2500 {
		t.Fatalf("%d sources after import, want 2500", n)
	}
	groups := again.Scopes[0].LogGroups
	if len(groups) != 1 || len(groups[0].Streams) != 2 || len(groups[0].Streams[0].Events) != 2500 || len(groups[0].Policies) != 1 ||
		groups[0].RetentionInDays != 7 || len(again.Scopes[0].ResourcePolicies) != 1 {
		t.Fatalf("logs after import: %d groups, %+v", len(groups), again.Scopes[0].ResourcePolicies)
	}
	if msg := groups[0].Streams[1].Events[0].Message; msg != "🙀 - 参よ" {
		t.Fatalf("message after import %q", msg)
	}
	d := again.Scopes[0].Deliveries[0]
	if d.RecordFields == nil || d.FieldDelimiter == nil || *d.FieldDelimiter != "" {
		t.Fatalf("explicit empty values lost: %+v", d)
	}
}

// putLogs adds a log group with two streams (one of more than an export
// page of events), a group policy and an account policy.
func putLogs(tx store.Tx, sc model.Scope) error {
	g := model.LogGroup{Name: "/app", Arn: "arn:aws:logs:us-east-1:111111111111:log-group:/app", CreationTime: 5,
		RetentionInDays: 7, Class: "STANDARD", Tags: map[string]string{"team": "a"}}
	if err := tx.CreateLogGroup(sc, g); err != nil {
		return err
	}
	for _, st := range []string{"a", "b"} {
		if err := tx.CreateLogStream(sc, g.Name, model.LogStream{Name: st, CreationTime: 6}); err != nil {
			return err
		}
	}
	evs := make([]model.LogEvent, 2500)
	for i := range evs {
		evs[i] = model.LogEvent{Timestamp: int64(1000 + i/3), IngestionTime: 2000, Message: "event"}
	}
	if _, err := tx.AppendLogEvents(sc, g.Name, "a", evs); err != nil {
		return err
	}
	if _, err := tx.AppendLogEvents(sc, g.Name, "b", []model.LogEvent{{Timestamp: 1, IngestionTime: 2, Message: "🙀 - 参よ"}}); err != nil {
		return err
	}
	if err := tx.PutResourcePolicy(sc, model.ResourcePolicy{Name: "g", Document: "{}", LastUpdatedTime: 3, ResourceArn: g.Arn, RevisionID: "r1"}); err != nil {
		return err
	}
	return tx.PutResourcePolicy(sc, model.ResourcePolicy{Name: "acct", Document: `{"Version":"2012-10-17"}`, LastUpdatedTime: 4})
}
