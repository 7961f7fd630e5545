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
		return tx.PutDelivery(sc, model.Delivery{ID: "x", SourceName: "saaa", DestinationArn: "arn:d", DestinationType: "S3",
			RecordFields: []string{}, FieldDelimiter: &empty, S3: &model.S3Config{SuffixPath: "p", Hive: false}})
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
	d := again.Scopes[0].Deliveries[0]
	if d.RecordFields == nil || d.FieldDelimiter == nil || *d.FieldDelimiter != "" {
		t.Fatalf("explicit empty values lost: %+v", d)
	}
}
