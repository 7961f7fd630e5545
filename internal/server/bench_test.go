package server_test

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// call sends one request to srv and fails b unless it answers 200.
func call(b *testing.B, srv http.Handler, target string, body []byte) {
	req := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
	req.Header.Set("X-Amz-Target", "Logs_20140328."+target)
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("Authorization", signature)
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		b.Fatalf("%s: %d %s", target, rec.Code, rec.Body)
	}
}

// BenchmarkPutLogEvents is the whole request path of a batch of 1,000
// events of 200 bytes on the memory store: decode, validate, rules, append,
// encode.
func BenchmarkPutLogEvents(b *testing.B) {
	srv := newServer(b)
	call(b, srv, "CreateLogGroup", []byte(`{"logGroupName":"g"}`))
	call(b, srv, "CreateLogStream", []byte(`{"logGroupName":"g","logStreamName":"s"}`))
	// Each batch follows the one before in time, as a log agent's do.
	msg := strings.Repeat("x", 200)
	batch := func(n int) []byte {
		var body strings.Builder
		body.WriteString(`{"logGroupName":"g","logStreamName":"s","logEvents":[`)
		base := goldenNow.UnixMilli() - 3_600_000 + int64(n)
		for i := range 1000 {
			if i > 0 {
				body.WriteByte(',')
			}
			fmt.Fprintf(&body, `{"timestamp":%d,"message":%q}`, base, msg)
		}
		body.WriteString(`]}`)
		return []byte(body.String())
	}
	b.SetBytes(int64(len(batch(0))))
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		b.StopTimer()
		data := batch(n)
		n++
		b.StartTimer()
		call(b, srv, "PutLogEvents", data)
	}
}
