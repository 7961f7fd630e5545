package loadgen

import (
	"context"
	"io"
	"net"
	"net/http"
	"strconv"

	"github.com/cwlogd/cwlogd/internal/httpserve"
)

// BaselineBody is what the baseline server answers: a delivery source of the
// size and shape of a real GetDeliverySource answer.
var BaselineBody = []byte(`{"deliverySource":{"arn":"arn:aws:logs:us-east-1:123456789012:delivery-source:bench-src",` +
	`"logType":"ACCESS_LOGS","name":"bench-src","resourceArns":["arn:aws:cloudfront::123456789012:distribution/EBENCHSRC"],` +
	`"service":"cloudfront"}}`)

// baselineAnswers are the baseline's answers to the two calls whose answer
// the load generator reads: the ARN of the destination its setup creates
// and the id of the delivery CreateDeleteDelivery deletes. Every other call
// is answered with BaselineBody.
var baselineAnswers = map[string][]byte{
	targetPrefix + "PutDeliveryDestination": []byte(`{"deliveryDestination":{"arn":"arn:aws:logs:us-east-1:123456789012:delivery-destination:` + DestinationName + `",` +
		`"deliveryDestinationConfiguration":{"destinationResourceArn":"` + bucketArn + `"},"deliveryDestinationType":"S3","name":"` + DestinationName + `"}}`),
	targetPrefix + "CreateDelivery": []byte(`{"delivery":{"arn":"arn:aws:logs:us-east-1:123456789012:delivery:BENCHBASELINE0001",` +
		`"deliveryDestinationArn":"arn:aws:logs:us-east-1:123456789012:delivery-destination:` + DestinationName + `",` +
		`"deliveryDestinationType":"S3","deliverySourceName":"` + cddPrefix + `0","id":"BENCHBASELINE0001"}}`),
}

// BaselineHandler is the limit the benchmarks measure cwlogd against: a bare
// net/http handler that reads and discards the request body and answers
// every request with BaselineBody, doing no routing, authentication,
// decoding or storage. The only exceptions are PutDeliveryDestination and
// CreateDelivery, answered with a fixed body of their own shape (one map
// lookup on X-Amz-Target), so that CreateDeleteDelivery runs against it too.
func BaselineHandler() http.Handler {
	type answer struct {
		body   []byte
		length string
	}
	answers := map[string]answer{}
	for target, b := range baselineAnswers {
		answers[target] = answer{b, strconv.Itoa(len(b))}
	}
	def := answer{BaselineBody, strconv.Itoa(len(BaselineBody))}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		a := def
		if t := r.Header["X-Amz-Target"]; len(t) == 1 {
			if v, ok := answers[t[0]]; ok {
				a = v
			}
		}
		h := w.Header()
		h["Content-Type"] = []string{contentType}
		h["Content-Length"] = []string{a.length}
		w.Write(a.body)
	})
}

// ServeBaseline serves BaselineHandler on addr, a loopback host:port, until
// ctx ends. ready, if not nil, is called with the bound address.
func ServeBaseline(ctx context.Context, addr string, ready func(net.Addr)) error {
	if err := CheckListen(addr); err != nil {
		return err
	}
	return httpserve.Serve(ctx, addr, BaselineHandler(), nil, ready)
}
