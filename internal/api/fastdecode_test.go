package api

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// sameAsEncodingJSON checks that DecodeFast either declines b or decodes it
// exactly as encoding/json does.
func sameAsEncodingJSON(t *testing.T, b []byte) (fast bool) {
	t.Helper()
	var got, want PutLogEventsInput
	fast = got.DecodeFast(b)
	if !fast {
		if !reflect.DeepEqual(got, PutLogEventsInput{}) {
			t.Fatalf("declined %q but left %+v", b, got)
		}
		return false
	}
	if err := json.Unmarshal(b, &want); err != nil {
		t.Fatalf("DecodeFast accepted %q, which encoding/json refuses: %v", b, err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("DecodeFast(%q) = %s, encoding/json %s", b, show(got), show(want))
	}
	return true
}

func show(v any) string { b, _ := json.Marshal(v); return string(b) }

func TestDecodeFast(t *testing.T) {
	for _, c := range []struct {
		body string
		fast bool
	}{
		{`{"logGroupName":"g","logStreamName":"s","logEvents":[{"timestamp":1,"message":"a"},{"message":"b","timestamp":2}]}`, true},
		{` { "logGroupName" : "g" , "logEvents" : [ ] , "sequenceToken" : "x" } `, true},
		{`{}`, true},
		{`{"logEvents":[{"timestamp":-5,"message":"esc \" \\ \/ \b \f \n \r \t \u00e9 \ud83d\ude40 \ud800 x"}]}`, true},
		{`{"logEvents":[{"timestamp":1,"message":"🙀 - 参よ - 日本語"}]}`, true},
		{`{"logGroupName":"a","logGroupName":"b"}`, true},
		// Everything else is left to encoding/json.
		{`{"logEvents":[{"timestamp":1.5,"message":"a"}]}`, false},
		{`{"logEvents":[{"timestamp":1e3,"message":"a"}]}`, false},
		{`{"logEvents":[{"timestamp":1}]}`, false},
		{`{"logEvents":[{"timestamp":1,"message":"a","extra":1}]}`, false},
		{`{"logEvents":null}`, false},
		{`{"logGroupName":null}`, false},
		{`{"entity":{"keyAttributes":{}}}`, false},
		{"{\"logGroupName\":\"\xff\"}", false},
		{`{"logGroupName":"g"} x`, false},
		{`{"logGroupName":"g",}`, false},
		{`{"logEvents":[{"timestamp":01,"message":"a"}]}`, false},
		{`{"logEvents":[{"timestamp":99999999999999999999,"message":"a"}]}`, false},
		{`{"logEvents":[{"timestamp":1,"message":"a"},]}`, false},
		{`{"logEv\u0065nts":[]}`, false},
	} {
		if got := sameAsEncodingJSON(t, []byte(c.body)); got != c.fast {
			t.Errorf("DecodeFast(%s) = %v, want %v", c.body, got, c.fast)
		}
	}
}

func FuzzDecodeFast(f *testing.F) {
	f.Add([]byte(`{"logGroupName":"g","logStreamName":"s","logEvents":[{"timestamp":1,"message":"a\nb"}]}`))
	f.Add([]byte(`{"logEvents":[{"timestamp":-0,"message":"\u00e9\ud83d\ude40"}],"sequenceToken":"t"}`))
	f.Fuzz(func(t *testing.T, b []byte) { sameAsEncodingJSON(t, b) })
}

func BenchmarkDecodePutLogEvents(b *testing.B) {
	var body strings.Builder
	body.WriteString(`{"logGroupName":"g","logStreamName":"s","logEvents":[`)
	for i := range 1000 {
		if i > 0 {
			body.WriteByte(',')
		}
		body.WriteString(`{"timestamp":1767225600000,"message":"127.0.0.1 - - [01/Jan/2026:00:00:00 +0000] \"GET /api/orders/12345 HTTP/1.1\" 200 5120 \"-\" \"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36\" rt=0.012 uct=0.001"}`)
		_ = i
	}
	body.WriteString(`]}`)
	data := []byte(body.String())
	b.Run("fast", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			var in PutLogEventsInput
			if !in.DecodeFast(data) {
				b.Fatal("declined")
			}
		}
	})
	b.Run("encoding-json", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			var in PutLogEventsInput
			if err := json.Unmarshal(data, &in); err != nil {
				b.Fatal(err)
			}
		}
	})
}
