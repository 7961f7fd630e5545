// Package server is cwlogd's HTTP front: it gives every request an id,
// identifies the caller, routes the AWS JSON 1.1 operation to the service and
// renders the answer, and serves the /_cwlogd/ endpoints for operators and
// test suites.
//
// It imports api, auth, awsjson, awserr, model and service.
package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"

	"github.com/cwlogd/cwlogd/internal/api"
	"github.com/cwlogd/cwlogd/internal/auth"
	"github.com/cwlogd/cwlogd/internal/awserr"
	"github.com/cwlogd/cwlogd/internal/awsjson"
	"github.com/cwlogd/cwlogd/internal/model"
	"github.com/cwlogd/cwlogd/internal/service"
)

// Config wires a Server.
type Config struct {
	Service  *service.Service
	Accounts auth.Accounts
	// BodyLimit caps request bodies; 0 means DefaultBodyLimit.
	BodyLimit int64
	// Reset empties all state for POST /_cwlogd/reset; nil disables it.
	Reset  func(context.Context) error
	Logger *slog.Logger
	// Verifier, when not nil, checks every request's SigV4 signature
	// (strict mode; /_cwlogd/health excepted); nil reads the identity from
	// the credential scope unchecked (off mode).
	Verifier *auth.Verifier
}

// DefaultBodyLimit is larger than any valid CloudWatch Logs request.
const DefaultBodyLimit = 8 << 20

// Server is the http.Handler of cwlogd.
type Server struct {
	ops       map[string]handler
	accounts  auth.Accounts
	bodyLimit int64
	reset     func(context.Context) error
	log       *slog.Logger
	ids       requestIDs
	verifier  *auth.Verifier
}

// New returns a Server.
func New(c Config) *Server {
	s := &Server{
		ops:       operations(c.Service),
		accounts:  c.Accounts,
		bodyLimit: c.BodyLimit,
		reset:     c.Reset,
		log:       c.Logger,
		ids:       newRequestIDs(),
		verifier:  c.Verifier,
	}
	if s.bodyLimit <= 0 {
		s.bodyLimit = DefaultBodyLimit
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	return s
}

// handler runs one operation on a request body.
type handler func(ctx context.Context, sc model.Scope, body []byte) (any, *awserr.Error)

// ServeHTTP answers one request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("x-amzn-RequestId", s.ids.next())
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			s.log.Error("panic serving request", "panic", v, "path", r.URL.Path)
			awsjson.WriteError(w, awserr.Internal())
		}
	}()
	var signed *verified
	if s.verifier != nil && r.URL.Path != healthPath {
		v, err := s.authenticate(r)
		if err != nil {
			awsjson.WriteError(w, err)
			return
		}
		signed = v
	}
	if strings.HasPrefix(r.URL.Path, "/_cwlogd/") {
		s.serveAdmin(w, r)
		return
	}
	out, err := s.call(r, signed)
	if err != nil {
		awsjson.WriteError(w, err)
		return
	}
	awsjson.WriteResult(w, out)
}

// call runs the operation r names; signed, when not nil, is r's verified
// identity and body.
func (s *Server) call(r *http.Request, signed *verified) (any, *awserr.Error) {
	name, err := awsjson.Operation(r, api.TargetPrefix)
	if err != nil {
		return nil, err
	}
	h, ok := s.ops[name]
	if !ok {
		return nil, awserr.New(awserr.UnknownOperation, "")
	}
	if signed != nil {
		return h(r.Context(), signed.id.Scope, signed.body)
	}
	id, err := s.accounts.Identify(r)
	if err != nil {
		return nil, err
	}
	body, err := awsjson.ReadBody(r, s.bodyLimit)
	if err != nil {
		return nil, err
	}
	return h(r.Context(), id.Scope, body)
}

func (s *Server) serveAdmin(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/_cwlogd/health":
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			writeAdminError(w, http.StatusMethodNotAllowed, "use GET")
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"status":"ok"}`))
	case "/_cwlogd/reset":
		if r.Method != http.MethodPost {
			writeAdminError(w, http.StatusMethodNotAllowed, "use POST")
			return
		}
		if s.reset == nil {
			writeAdminError(w, http.StatusForbidden, "reset is disabled")
			return
		}
		if err := s.reset(r.Context()); err != nil {
			s.log.Error("reset failed", "err", err)
			awsjson.WriteError(w, awserr.Internal())
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"reset":true}`))
	default:
		writeAdminError(w, http.StatusNotFound, "no such endpoint")
	}
}

func writeAdminError(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write([]byte(`{"error":"` + msg + `"}`))
}

// asAWS turns an operation's error into the AWS error it answers with.
func asAWS(err error) *awserr.Error {
	var ae *awserr.Error
	if errors.As(err, &ae) {
		return ae
	}
	return awserr.Internal()
}

// requestIDs issues UUID-shaped request ids: a random per-process prefix and
// a counter, so issuing one costs no system call.
type requestIDs struct {
	prefix [8]byte
	n      *atomic.Uint64
}

func newRequestIDs() requestIDs {
	ids := requestIDs{n: new(atomic.Uint64)}
	rand.Read(ids.prefix[:])
	return ids
}

func (ids requestIDs) next() string {
	var raw [16]byte
	copy(raw[:8], ids.prefix[:])
	n := ids.n.Add(1)
	for i := 15; i >= 8; i-- {
		raw[i] = byte(n)
		n >>= 8
	}
	var b [36]byte
	hex.Encode(b[0:8], raw[0:4])
	b[8] = '-'
	hex.Encode(b[9:13], raw[4:6])
	b[13] = '-'
	hex.Encode(b[14:18], raw[6:8])
	b[18] = '-'
	hex.Encode(b[19:23], raw[8:10])
	b[23] = '-'
	hex.Encode(b[24:36], raw[10:16])
	return string(b[:])
}
