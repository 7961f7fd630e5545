package loadgen

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"time"
)

// BaselineBody is what the baseline server answers: a delivery source of the
// size and shape of a real GetDeliverySource answer.
var BaselineBody = []byte(`{"deliverySource":{"arn":"arn:aws:logs:us-east-1:123456789012:delivery-source:bench-src",` +
	`"logType":"ACCESS_LOGS","name":"bench-src","resourceArns":["arn:aws:cloudfront::123456789012:distribution/EBENCHSRC"],` +
	`"service":"cloudfront"}}`)

// BaselineHandler is the limit the benchmarks measure cwlogd against: a bare
// net/http handler that reads and discards the request body and answers
// every request with BaselineBody, doing no routing, authentication,
// decoding or storage.
func BaselineHandler() http.Handler {
	length := strconv.Itoa(len(BaselineBody))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		h := w.Header()
		h["Content-Type"] = []string{contentType}
		h["Content-Length"] = []string{length}
		w.Write(BaselineBody)
	})
}

// ServeBaseline serves BaselineHandler on addr, a loopback host:port, until
// ctx ends. ready, if not nil, is called with the bound address.
func ServeBaseline(ctx context.Context, addr string, ready func(net.Addr)) error {
	if err := CheckListen(addr); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", addr, err)
	}
	srv := &http.Server{Handler: BaselineHandler(), ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	if ready != nil {
		ready(ln.Addr())
	}
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}
