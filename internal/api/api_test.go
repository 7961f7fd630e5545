package api

import (
	"encoding/json"
	"strings"
	"testing"
)

func ptr[T any](v T) *T { return &v }

// shaper is implemented by every generated operation input.
type shaper interface{ ValidateShape() string }

func TestValidateShape(t *testing.T) {
	const pre1 = "1 validation error detected: "
	name61 := strings.Repeat("a", 60) + "!"
	key129 := strings.Repeat("k", 129)
	tests := []struct {
		name string
		in   shaper
		want string
	}{
		{"valid", &PutDeliveryDestinationInput{
			Name:                             ptr("dest-1"),
			OutputFormat:                     ptr("json"),
			DeliveryDestinationConfiguration: &DeliveryDestinationConfiguration{DestinationResourceArn: ptr("arn:aws:s3:::b")},
			Tags:                             map[string]string{"k": "v"},
		}, ""},
		{"enum, AWS order", &PutDeliveryDestinationInput{Name: ptr("x"), OutputFormat: ptr("foobar")},
			pre1 + "Value 'foobar' at 'outputFormat' failed to satisfy constraint: Member must satisfy enum value set: [w3c, raw, json, plain, parquet]"},
		{"enum, model order", &PutDeliveryDestinationInput{Name: ptr("x"), DeliveryDestinationType: ptr("s3")},
			pre1 + "Value 's3' at 'deliveryDestinationType' failed to satisfy constraint: Member must satisfy enum value set: [S3, CWL, FH, XRAY]"},
		{"length then pattern", &PutDeliveryDestinationInput{Name: ptr(name61)},
			"2 validation errors detected: " +
				"Value '" + name61 + "' at 'name' failed to satisfy constraint: Member must have length less than or equal to 60; " +
				"Value '" + name61 + "' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w-]*"},
		{"min length", &GetDeliverySourceInput{Name: ptr("")},
			pre1 + "Value '' at 'name' failed to satisfy constraint: Member must have length greater than or equal to 1"},
		{"required", &PutDeliveryDestinationInput{},
			pre1 + "Value null at 'name' failed to satisfy constraint: Member must not be null"},
		{"required members in model order", &PutDeliverySourceInput{},
			"3 validation errors detected: " +
				"Value null at 'name' failed to satisfy constraint: Member must not be null; " +
				"Value null at 'resourceArn' failed to satisfy constraint: Member must not be null; " +
				"Value null at 'logType' failed to satisfy constraint: Member must not be null"},
		{"anchored pattern", &GetDeliveryInput{Id: ptr("a-b")},
			pre1 + "Value 'a-b' at 'id' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[0-9A-Za-z]+$"},
		{"value max", &DescribeDeliveriesInput{Limit: ptr[int32](51)},
			pre1 + "Value '51' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 50"},
		{"value min", &DescribeDeliverySourcesInput{Limit: ptr[int32](0), NextToken: ptr("")},
			"2 validation errors detected: " +
				"Value '' at 'nextToken' failed to satisfy constraint: Member must have length greater than or equal to 1; " +
				"Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1"},
		{"map keys", &TagResourceInput{ResourceArn: ptr("arn:aws:logs:us-east-1:123456789012:delivery:abc"), Tags: map[string]string{key129: "v"}},
			pre1 + "Value '{" + key129 + "=v}' at 'tags' failed to satisfy constraint: Map keys must satisfy constraint: [Member must have length less than or equal to 128]"},
		{"map keys then values", &TagResourceInput{ResourceArn: ptr("r"), Tags: map[string]string{"a": "b", "c!": "d?"}},
			"2 validation errors detected: " +
				"Value '{a=b, c!=d?}' at 'tags' failed to satisfy constraint: Map keys must satisfy constraint: [Member must satisfy regular expression pattern: ^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+)$]; " +
				"Value '{a=b, c!=d?}' at 'tags' failed to satisfy constraint: Map value must satisfy constraint: [Member must satisfy regular expression pattern: ^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$]"},
		{"map count", &TagResourceInput{ResourceArn: ptr("r"), Tags: map[string]string{}},
			pre1 + "Value '{}' at 'tags' failed to satisfy constraint: Member must have length greater than or equal to 1"},
		{"required map", &TagResourceInput{ResourceArn: ptr("r")},
			pre1 + "Value null at 'tags' failed to satisfy constraint: Member must not be null"},
		{"list elements", &CreateDeliveryInput{DeliverySourceName: ptr("s"), DeliveryDestinationArn: ptr("d"), RecordFields: []string{"a", ""}},
			pre1 + "Value '[a, ]' at 'recordFields' failed to satisfy constraint: Member must satisfy constraint: [Member must have length greater than or equal to 1]"},
		{"list element constraints once each, in order", &UntagResourceInput{ResourceArn: ptr("r"), TagKeys: []string{"!", key129, "?"}},
			pre1 + "Value '[!, " + key129 + ", ?]' at 'tagKeys' failed to satisfy constraint: Member must satisfy constraint: [Member must have length less than or equal to 128, Member must satisfy regular expression pattern: ^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+)$]"},
		{"list count then elements", &DescribeConfigurationTemplatesInput{LogTypes: []string{}, DeliveryDestinationTypes: []string{"S3", "GCS"}},
			"2 validation errors detected: " +
				"Value '[]' at 'logTypes' failed to satisfy constraint: Member must have length greater than or equal to 1; " +
				"Value '[S3, GCS]' at 'deliveryDestinationTypes' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [S3, CWL, FH, XRAY]]"},
		{"pattern with hyphen after class escape", &DescribeConfigurationTemplatesInput{ResourceTypes: []string{"AWS-Res_1", "a b"}},
			pre1 + "Value '[AWS-Res_1, a b]' at 'resourceTypes' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy regular expression pattern: [\\w-_]*]"},
		{"nested required", &PutDeliveryDestinationInput{Name: ptr("x"), DeliveryDestinationConfiguration: &DeliveryDestinationConfiguration{}},
			pre1 + "Value null at 'deliveryDestinationConfiguration.destinationResourceArn' failed to satisfy constraint: Member must not be null"},
		{"nested member", &UpdateDeliveryConfigurationInput{Id: ptr("abc"), S3DeliveryConfiguration: &S3DeliveryConfiguration{SuffixPath: ptr("")}},
			pre1 + "Value '' at 's3DeliveryConfiguration.suffixPath' failed to satisfy constraint: Member must have length greater than or equal to 1"},
		{"length in code points", &TagResourceInput{ResourceArn: ptr("r"), Tags: map[string]string{"k": strings.Repeat("é", 256)}}, ""},
		{"length in code points, too long", &TagResourceInput{ResourceArn: ptr("r"), Tags: map[string]string{"k": strings.Repeat("é", 257)}},
			pre1 + "Value '{k=" + strings.Repeat("é", 257) + "}' at 'tags' failed to satisfy constraint: Map value must satisfy constraint: [Member must have length less than or equal to 256]"},
		{"no constraints", &DeleteDeliverySourceInput{Name: ptr("ok_name-1")}, ""},
		{"policy", &PutDeliveryDestinationPolicyInput{DeliveryDestinationName: ptr("d")},
			pre1 + "Value null at 'deliveryDestinationPolicy' failed to satisfy constraint: Member must not be null"},
		{"field delimiter", &CreateDeliveryInput{DeliverySourceName: ptr("s"), DeliveryDestinationArn: ptr("d"), FieldDelimiter: ptr("######")},
			pre1 + "Value '######' at 'fieldDelimiter' failed to satisfy constraint: Member must have length less than or equal to 5"},
		{"delivery source configuration", &PutDeliverySourceInput{Name: ptr("s"), ResourceArn: ptr("r"), LogType: ptr("ACCESS_LOGS"), DeliverySourceConfiguration: map[string]string{"": "v"}},
			pre1 + "Value '{=v}' at 'deliverySourceConfiguration' failed to satisfy constraint: Map keys must satisfy constraint: [Member must have length greater than or equal to 1]"},
		{"empty input", &ListTagsForResourceInput{ResourceArn: ptr("arn:aws:logs:us-east-1:123456789012:log-group:g")}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.in.ValidateShape(); got != tt.want {
				t.Errorf("ValidateShape()\n got: %s\nwant: %s", got, tt.want)
			}
		})
	}
}

func TestValidateNilReceiver(t *testing.T) {
	var in *CreateDeliveryInput
	if got := in.ValidateShape(); got != "" {
		t.Errorf("nil input: %q", got)
	}
}

func TestValidatePathPrefix(t *testing.T) {
	var v Violations
	c := &S3DeliveryConfiguration{SuffixPath: ptr("")}
	c.Validate(&v, "a.1.member")
	want := "1 validation error detected: Value '' at 'a.1.member.suffixPath' failed to satisfy constraint: Member must have length greater than or equal to 1"
	if got := v.Message(); got != want {
		t.Errorf("got %s\nwant %s", got, want)
	}
}

func TestJSON(t *testing.T) {
	var in CreateDeliveryInput
	if err := json.Unmarshal([]byte(`{"recordFields":[]}`), &in); err != nil {
		t.Fatal(err)
	}
	if in.RecordFields == nil || len(in.RecordFields) != 0 {
		t.Fatalf("recordFields = %#v, want a non-nil empty slice", in.RecordFields)
	}
	if in.DeliverySourceName != nil || in.Tags != nil || in.S3DeliveryConfiguration != nil {
		t.Fatalf("unset members decoded as set: %+v", in)
	}
	b, err := json.Marshal(&in)
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != `{"recordFields":[]}` {
		t.Errorf("Marshal = %s, want {\"recordFields\":[]}", b)
	}

	// Set pointers encode even when they point at zero values.
	out := DescribeDeliveriesOutput{Deliveries: []Delivery{{
		Id:                      ptr("abc"),
		FieldDelimiter:          ptr(""),
		S3DeliveryConfiguration: &S3DeliveryConfiguration{EnableHiveCompatiblePath: ptr(false)},
	}}}
	b, err = json.Marshal(out)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"deliveries":[{"id":"abc","fieldDelimiter":"","s3DeliveryConfiguration":{"enableHiveCompatiblePath":false}}]}`
	if string(b) != want {
		t.Errorf("Marshal = %s\nwant %s", b, want)
	}
	if b, _ := json.Marshal(DeleteDeliveryOutput{}); string(b) != "{}" {
		t.Errorf("empty output = %s", b)
	}
}

func TestOperationNames(t *testing.T) {
	if TargetPrefix != "Logs_20140328" {
		t.Errorf("TargetPrefix = %q", TargetPrefix)
	}
	for i := 1; i < len(OperationNames); i++ {
		if OperationNames[i-1] >= OperationNames[i] {
			t.Errorf("OperationNames not sorted at %d: %q >= %q", i, OperationNames[i-1], OperationNames[i])
		}
	}
	// 20 delivery-family operations and 18 of log groups, streams, events
	// and resource policies.
	if len(OperationNames) != 38 {
		t.Errorf("len(OperationNames) = %d, want 38", len(OperationNames))
	}
}

func BenchmarkValidateCreateDelivery(b *testing.B) {
	valid := &CreateDeliveryInput{
		DeliverySourceName:      ptr("my-delivery-source"),
		DeliveryDestinationArn:  ptr("arn:aws:logs:us-east-1:123456789012:delivery-destination:my-dest"),
		RecordFields:            []string{"event_timestamp", "request_id", "status", "bytes", "latency_ms"},
		FieldDelimiter:          ptr(","),
		S3DeliveryConfiguration: &S3DeliveryConfiguration{SuffixPath: ptr("{account-id}/{DestinationName}"), EnableHiveCompatiblePath: ptr(true)},
		Tags:                    map[string]string{"team": "logs", "env": "prod"},
	}
	invalid := &CreateDeliveryInput{
		DeliverySourceName: ptr("bad name!"),
		RecordFields:       []string{""},
		Tags:               map[string]string{"": "v"},
	}
	b.Run("valid", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if msg := valid.ValidateShape(); msg != "" {
				b.Fatal(msg)
			}
		}
	})
	b.Run("invalid", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if msg := invalid.ValidateShape(); msg == "" {
				b.Fatal("no violations")
			}
		}
	})
}
