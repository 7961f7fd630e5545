package server_test

import (
	"encoding/json"
	"io"
	"net/http/httptest"
	"strings"
	"testing"
)

// FuzzRequest throws arbitrary targets and bodies at the whole request path
// (identify, decode, validate, route, run, encode): whatever arrives, the
// answer is JSON and never a server error.
func FuzzRequest(f *testing.F) {
	seeds := []struct{ op, body string }{
		{"PutDeliverySource", `{"name":"s","resourceArn":"arn:aws:cloudfront::111111111111:distribution/E1","logType":"ACCESS_LOGS","tags":{"a":"b"}}`},
		{"PutDeliveryDestination", `{"name":"d","outputFormat":"json","deliveryDestinationConfiguration":{"destinationResourceArn":"arn:aws:s3:::b/p"}}`},
		{"PutDeliveryDestination", `{"name":"x","deliveryDestinationType":"XRAY"}`},
		{"CreateDelivery", `{"deliverySourceName":"s","deliveryDestinationArn":"arn:aws:logs:us-east-1:111111111111:delivery-destination:d","recordFields":["date"],"fieldDelimiter":"","s3DeliveryConfiguration":{"suffixPath":"a/{yyyy}","enableHiveCompatiblePath":true}}`},
		{"UpdateDeliveryConfiguration", `{"id":"DELIVERY00000001","recordFields":[],"s3DeliveryConfiguration":{}}`},
		{"PutDeliveryDestinationPolicy", `{"deliveryDestinationName":"d","deliveryDestinationPolicy":"{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"*\",\"Resource\":\"*\"}}"}`},
		{"DescribeConfigurationTemplates", `{"service":"cloudfront","logTypes":["ACCESS_LOGS"],"deliveryDestinationTypes":["S3","FH"],"limit":2,"nextToken":"AAAA"}`},
		{"TagResource", `{"resourceArn":"arn:aws:logs:us-east-1:111111111111:delivery-source:s","tags":{"k":"v"}}`},
		{"UntagResource", `{"resourceArn":"arn:aws:logs:us-east-1:111111111111:delivery:DELIVERY00000001","tagKeys":["k"]}`},
		{"DescribeDeliveries", `{"limit":0}`},
		{"GetDelivery", `{"id":null}`},
		{"NoSuchOperation", `{}`},
		{"GetDeliverySource", `[`},
		{"GetDeliverySource", `{"name":{"nested":[1,2,3]}}`},
		{"DescribeDeliverySources", `{"limit":1e99}`},
	}
	for _, s := range seeds {
		f.Add(s.op, s.body)
	}
	srv := newServer(f)
	f.Fuzz(func(t *testing.T, op, body string) {
		r := httptest.NewRequest("POST", "/", strings.NewReader(body))
		r.Header.Set("X-Amz-Target", "Logs_20140328."+op)
		r.Header.Set("Authorization", signature)
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, r)
		res := w.Result()
		b, _ := io.ReadAll(res.Body)
		if res.StatusCode >= 500 {
			t.Fatalf("%s %q: status %d: %s", op, body, res.StatusCode, b)
		}
		if !json.Valid(b) {
			t.Fatalf("%s %q: answer is not JSON: %q", op, body, b)
		}
	})
}
