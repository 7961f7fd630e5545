package server

import (
	"bytes"
	"io"
	"net/http"

	"github.com/cwlogd/cwlogd/internal/auth"
	"github.com/cwlogd/cwlogd/internal/awserr"
	"github.com/cwlogd/cwlogd/internal/awsjson"
)

// healthPath answers without a signature in strict mode too: it tells
// only that the server is up, and probes and scripts poll it unsigned.
const healthPath = "/_cwlogd/health"

// verified is a request whose signature checked out: who it acts as and
// the body that was signed.
type verified struct {
	id   auth.Identity
	body []byte
}

// authenticate reads r's body (under the body limit) and verifies r's
// signature over it. The /_cwlogd/ handlers read the body again from r.
//
// A refusal is logged at debug level by its code only: its message may
// quote the Authorization header, and neither that nor any credential
// goes to the log.
func (s *Server) authenticate(r *http.Request) (*verified, *awserr.Error) {
	body, err := awsjson.ReadBody(r, s.bodyLimit)
	if err != nil {
		return nil, err
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	id, err := s.verifier.Verify(r, body)
	if err != nil {
		s.log.DebugContext(r.Context(), "request not authenticated", "code", err.Code, "path", r.URL.Path, "remote", r.RemoteAddr)
		return nil, err
	}
	return &verified{id: id, body: body}, nil
}
