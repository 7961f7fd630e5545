// Package httpserve runs an http.Handler on an address until a context ends,
// with the server settings cwlogd uses, then drains it. The load tool's
// baseline server uses it too, so both are measured with the same settings.
//
// The settings bound what one client can hold: header and body read
// timeouts (a slow client is cut off), a header size cap, an idle timeout,
// and a cap on open connections. A connection past the cap is answered at
// once with HTTP 503 and a JSON ServiceUnavailableException body, then
// closed: the AWS SDKs and the CLI retry a 503 with back-off, which a reset
// or a hanging connection would not give them as cleanly.
//
// It imports nothing from the project.
package httpserve

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// DrainTimeout bounds how long in-flight requests may take at shutdown.
const DrainTimeout = 10 * time.Second

// Limits are the bounds Serve puts on clients. A zero field means no bound
// (the net/http default for MaxHeaderBytes).
type Limits struct {
	// ReadHeaderTimeout bounds reading a request's headers (slowloris).
	ReadHeaderTimeout time.Duration
	// ReadTimeout bounds reading a whole request, headers and body.
	ReadTimeout time.Duration
	// WriteTimeout bounds the time from the end of the headers to the end
	// of the answer.
	WriteTimeout time.Duration
	// IdleTimeout closes keep-alive connections that send nothing.
	IdleTimeout time.Duration
	// MaxHeaderBytes caps the request line and headers; net/http answers
	// 431 past it.
	MaxHeaderBytes int
	// MaxConnections caps open connections (idle keep-alive ones count);
	// connections past it are refused with 503.
	MaxConnections int
}

// DefaultLimits are the limits of a plain `cwlogd serve`.
func DefaultLimits() Limits {
	return Limits{
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       time.Minute,
		WriteTimeout:      2 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		MaxConnections:    1024,
	}
}

// Serve is ServeWith with DefaultLimits.
func Serve(ctx context.Context, addr string, h http.Handler, log *slog.Logger, ready func(net.Addr)) error {
	return ServeWith(ctx, addr, h, DefaultLimits(), log, ready)
}

// ServeWith listens on addr and serves h within lim until ctx is done, then
// stops accepting and lets in-flight requests finish (up to DrainTimeout).
// ready, if not nil, is called with the bound address once requests are
// accepted. log may be nil.
func ServeWith(ctx context.Context, addr string, h http.Handler, lim Limits, log *slog.Logger, ready func(net.Addr)) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", addr, err)
	}
	if lim.MaxConnections > 0 {
		ln = LimitListener(ln, lim.MaxConnections)
	}
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: lim.ReadHeaderTimeout,
		ReadTimeout:       lim.ReadTimeout,
		WriteTimeout:      lim.WriteTimeout,
		IdleTimeout:       lim.IdleTimeout,
		MaxHeaderBytes:    lim.MaxHeaderBytes,
	}
	if log != nil {
		srv.ErrorLog = slog.NewLogLogger(log.Handler(), slog.LevelWarn)
	}
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
	shutdownCtx, cancel := context.WithTimeout(context.Background(), DrainTimeout)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}

// maxRefusing bounds the connections being refused at once; past it a
// connection is closed without an answer, so a flood costs no more than
// this many goroutines.
const maxRefusing = 512

// refuseTimeout bounds how long a refused connection is read from and
// written to.
const refuseTimeout = 2 * time.Second

// LimitListener returns a listener that hands out at most n connections at
// a time; it answers every connection past that with HTTP 503 and a JSON
// ServiceUnavailableException body, then closes it.
func LimitListener(ln net.Listener, n int) net.Listener {
	return &limitListener{
		Listener: ln,
		open:     make(chan struct{}, n),
		refusing: make(chan struct{}, maxRefusing),
		answer:   refusal(n),
	}
}

type limitListener struct {
	net.Listener
	open     chan struct{}
	refusing chan struct{}
	answer   []byte
}

func (l *limitListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		select {
		case l.open <- struct{}{}:
			return &limitConn{Conn: c, release: func() { <-l.open }}, nil
		default:
		}
		select {
		case l.refusing <- struct{}{}:
			go func() {
				defer func() { <-l.refusing }()
				refuse(c, l.answer)
			}()
		default:
			c.Close()
		}
	}
}

// refusal is the whole HTTP answer to a connection past the cap.
func refusal(n int) []byte {
	body := `{"__type":"ServiceUnavailableException","message":"Too many connections: the server accepts at most ` + strconv.Itoa(n) + ` at a time. Retry later."}`
	return []byte("HTTP/1.1 503 Service Unavailable\r\n" +
		"Content-Type: application/x-amz-json-1.1\r\n" +
		"X-Amzn-ErrorType: ServiceUnavailableException\r\n" +
		"Retry-After: 1\r\n" +
		"Connection: close\r\n" +
		"Content-Length: " + strconv.Itoa(len(body)) + "\r\n\r\n" + body)
}

// refuse reads the request head (so the client is not reset before it has
// sent it), writes the 503 answer, and closes gently: the write side
// first, then the rest of what the client sends is drained for a moment.
func refuse(c net.Conn, answer []byte) {
	defer c.Close()
	c.SetDeadline(time.Now().Add(refuseTimeout))
	r := bufio.NewReaderSize(c, 4096)
	var head []byte
	for len(head) < 16<<10 {
		line, err := r.ReadSlice('\n')
		head = append(head, line...)
		if err != nil && !errors.Is(err, bufio.ErrBufferFull) {
			break
		}
		if bytes.HasSuffix(head, []byte("\r\n\r\n")) || bytes.Equal(head, []byte("\r\n")) {
			break
		}
	}
	if _, err := c.Write(answer); err != nil {
		return
	}
	if cw, ok := c.(interface{ CloseWrite() error }); ok {
		cw.CloseWrite()
	}
	io.CopyN(io.Discard, r, 1<<20)
}

// limitConn gives its slot back once, when it is closed.
type limitConn struct {
	net.Conn
	once    sync.Once
	release func()
}

func (c *limitConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(c.release)
	return err
}
