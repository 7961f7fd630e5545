package auth

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"net/http"
	"strings"
	"sync"
)

// The JSON protocol's requests all look alike — POST /, no query, a few
// signed headers — so their signature is computed here directly, with the
// signing key cached per secret, day, region and service (a key lives a
// day; deriving it is four HMACs). Anything else, and every presigned
// request, goes through aws-http-auth; tests check the two agree.

// signingKeys caches derived signing keys.
type signingKeys struct {
	mu   sync.Mutex
	keys map[signingScope][]byte
}

type signingScope struct{ secret, date, region, service string }

// maxSigningKeys bounds the cache: a day's keys of many credentials and
// regions fit; past it the cache starts afresh.
const maxSigningKeys = 4096

func (c *signingKeys) get(s signingScope) []byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	if k, ok := c.keys[s]; ok {
		return k
	}
	k := hmacSum([]byte("AWS4"+s.secret), s.date)
	k = hmacSum(k, s.region)
	k = hmacSum(k, s.service)
	k = hmacSum(k, "aws4_request")
	if c.keys == nil || len(c.keys) >= maxSigningKeys {
		c.keys = make(map[signingScope][]byte)
	}
	c.keys[s] = k
	return k
}

func hmacSum(key []byte, data string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(data))
	return m.Sum(nil)
}

// bufPool holds the buffers canonical requests are built in.
var bufPool = sync.Pool{New: func() any { b := make([]byte, 0, 1024); return &b }}

// fastSignature computes the hex signature of a header-signed request to
// "/" without a query, whose SignedHeaders are sorted and X-Amz-Date is in
// basic format; ok is false for any other request.
func (v *Verifier) fastSignature(r *http.Request, sig signature, headers []signedHeader, cred Credential, scope []string, payloadHash []byte) (string, bool) {
	if sig.query || sig.httpDate || (r.URL.Path != "/" && r.URL.Path != "") || r.URL.RawQuery != "" || r.Method == "" {
		return "", false
	}
	names := strings.Split(sig.signedHeaders, ";")
	bp := bufPool.Get().(*[]byte)
	defer bufPool.Put(bp)
	b := append((*bp)[:0], r.Method...)
	b = append(b, "\n/\n\n"...)
	hi := 0
	for i, n := range names {
		if i > 0 && names[i-1] >= n {
			return "", false // not sorted as canonical headers must be
		}
		b = append(b, n...)
		b = append(b, ':')
		if n == "host" {
			b = append(b, strings.TrimSpace(r.Host)...)
		} else {
			if hi >= len(headers) || strings.ToLower(headers[hi].key) != n {
				return "", false
			}
			for j, val := range headers[hi].values {
				if j > 0 {
					b = append(b, ',')
				}
				b = append(b, collapseSpaces(val)...)
			}
			hi++
		}
		b = append(b, '\n')
	}
	b = append(b, '\n')
	b = append(b, sig.signedHeaders...)
	b = append(b, '\n')
	b = hex.AppendEncode(b, payloadHash)
	creq := sha256.Sum256(b)

	b = append(b[:0], "AWS4-HMAC-SHA256\n"...)
	b = append(b, sig.date...)
	b = append(b, '\n')
	b = append(b, scope[1]...)
	b = append(b, '/')
	b = append(b, scope[2]...)
	b = append(b, '/')
	b = append(b, scope[3]...)
	b = append(b, "/aws4_request\n"...)
	b = hex.AppendEncode(b, creq[:])
	key := v.keys.get(signingScope{secret: cred.SecretAccessKey, date: scope[1], region: scope[2], service: scope[3]})
	var m hash.Hash = hmac.New(sha256.New, key)
	m.Write(b)
	*bp = b
	return hex.EncodeToString(m.Sum(nil)), true
}
