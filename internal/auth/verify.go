package auth

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/aws/smithy-go/aws-http-auth/credentials"
	"github.com/aws/smithy-go/aws-http-auth/sigv4"
	v4 "github.com/aws/smithy-go/aws-http-auth/v4"

	"github.com/cwlogd/cwlogd/internal/awserr"
	"github.com/cwlogd/cwlogd/internal/model"
)

// ServiceName is the SigV4 signing name of CloudWatch Logs: the fourth
// element of every credential scope the Verifier accepts.
const ServiceName = "logs"

// DefaultClockSkew is how far a request's X-Amz-Date may be from the
// server's clock, either way: CloudWatch Logs, like AWS's other JSON
// services, allows 5 minutes.
const DefaultClockSkew = 5 * time.Minute

const (
	algorithm  = "AWS4-HMAC-SHA256"
	terminator = "aws4_request"
	isoBasic   = "20060102T150405Z"
	dateOnly   = "20060102"
)

// The texts of the authentication errors, as AWS's JSON services send them
// (docs/authentication.md gives the provenance of each).
const (
	msgMissingToken     = "Missing Authentication Token"
	msgSignatureMatch   = "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
	msgInvalidToken     = "The security token included in the request is invalid."
	msgHostNotSigned    = "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization."
	msgBothAuthMethods  = "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified"
	msgISO8601          = "Date must be in ISO-8601 'basic format'. Got '%s'. See http://en.wikipedia.org/wiki/ISO_8601"
	msgCredentialParts  = "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '%s'"
	msgNotKeyValue      = "'%s' not a valid key=value pair (missing equal-sign) in Authorization header: '%s'."
	msgSignedNotPresent = "'%s' is named as a SignedHeader, but it does not exist in the HTTP request."
	msgMustBeSigned     = "'%s' must be a 'SignedHeader' in the AWS Authorization."
	msgQueryParam       = "AWS query-string parameters must include '%s'. Re-examine the query-string parameters."
	msgAlgorithm        = "Unsupported AWS 'algorithm': '%s'."
)

// VerifierConfig configures a Verifier.
type VerifierConfig struct {
	// Credentials are the access keys requests may be signed with.
	Credentials []Credential
	// Accounts gives the account of a credential that names none.
	Accounts Accounts
	// ClockSkew is how far X-Amz-Date may be from now, either way; 0 means
	// DefaultClockSkew.
	ClockSkew time.Duration
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Verifier checks the SigV4 signatures of requests (strict mode): the
// Authorization header or presigned query, the date within the allowed
// skew, the credential scope, the access key and its session token, the
// payload hash and, in constant time, the signature itself, which it
// recomputes with github.com/aws/smithy-go/aws-http-auth over exactly the
// headers the client signed.
type Verifier struct {
	creds   map[string]Credential
	skew    time.Duration
	now     func() time.Time
	signer  *sigv4.Signer
	keys    signingKeys
	service string // ServiceName; the official test vectors sign for "service"
}

// NewVerifier returns a Verifier of c's credentials; it needs at least one.
func NewVerifier(c VerifierConfig) (*Verifier, error) {
	if len(c.Credentials) == 0 {
		return nil, errors.New("strict authentication needs at least one credential")
	}
	if c.ClockSkew < 0 {
		return nil, fmt.Errorf("clock skew %s: must not be negative", c.ClockSkew)
	}
	v := &Verifier{creds: make(map[string]Credential, len(c.Credentials)), skew: c.ClockSkew, now: c.Now, signer: sigv4.New(), service: ServiceName}
	if v.skew == 0 {
		v.skew = DefaultClockSkew
	}
	if v.now == nil {
		v.now = time.Now
	}
	for _, cr := range c.Credentials {
		if cr.AccessKeyID == "" || cr.SecretAccessKey == "" {
			return nil, errors.New("a credential needs an access key id and a secret access key")
		}
		if cr.AccountID == "" {
			cr.AccountID = c.Accounts.Account(cr.AccessKeyID)
		}
		if !model.IsAccountID(cr.AccountID) {
			return nil, fmt.Errorf("access key %s: account %q is not a 12-digit account id", cr.AccessKeyID, cr.AccountID)
		}
		if old, ok := v.creds[cr.AccessKeyID]; ok && old != cr {
			return nil, fmt.Errorf("access key %s is configured twice, differently", cr.AccessKeyID)
		}
		v.creds[cr.AccessKeyID] = cr
	}
	return v, nil
}

// Len is the number of access keys v accepts.
func (v *Verifier) Len() int { return len(v.creds) }

// ClockSkew is the allowed distance of X-Amz-Date from the server's clock.
func (v *Verifier) ClockSkew() time.Duration { return v.skew }

// signature is what a request says about its own signature.
type signature struct {
	query         bool
	raw           string // the Authorization header, for error texts
	credential    string
	signedHeaders string
	signature     string
	date          string // X-Amz-Date (or Date) as sent
	httpDate      bool   // date came from the Date header
	token         string // X-Amz-Security-Token, if any
}

// Verify checks that r, whose body is body, carries a valid SigV4
// signature of one of v's credentials, and returns the identity it acts
// as. Its errors are AWS's authentication errors; their messages may
// quote the Authorization header (as AWS's do), so they go to the client
// only, never to a log.
func (v *Verifier) Verify(r *http.Request, body []byte) (Identity, *awserr.Error) {
	sig, err := v.parse(r)
	if err != nil {
		return Identity{}, err
	}
	t, err := sig.time()
	if err != nil {
		return Identity{}, err
	}
	scope := strings.Split(sig.credential, "/")
	if len(scope) != 5 {
		return Identity{}, awserr.New(awserr.IncompleteSignature, fmt.Sprintf(msgCredentialParts, sig.credential))
	}
	signed, headers, err := signedHeaderSet(r, sig)
	if err != nil {
		return Identity{}, err
	}
	if err := v.checkScope(scope, t, sig.date); err != nil {
		return Identity{}, err
	}
	if err := v.checkTime(t); err != nil {
		return Identity{}, err
	}
	cred, ok := v.creds[scope[0]]
	if !ok || !tokenMatches(cred.SessionToken, sig.token) {
		return Identity{}, awserr.New(awserr.UnrecognizedClient, msgInvalidToken)
	}
	sum := sha256.Sum256(body)
	if h := r.Header.Get("X-Amz-Content-Sha256"); h != "" && h != hex.EncodeToString(sum[:]) {
		// Only a hash of this very body is accepted: no UNSIGNED-PAYLOAD,
		// no streaming (S3's) payloads.
		return Identity{}, awserr.New(awserr.InvalidSignature, msgSignatureMatch)
	}
	want, ok := v.fastSignature(r, sig, headers, cred, scope, sum[:])
	if !ok {
		want, ok = v.compute(r, sig, signed, headers, cred, scope, t, sum[:])
	}
	if !ok || !hmac.Equal([]byte(want), []byte(sig.signature)) {
		return Identity{}, awserr.New(awserr.InvalidSignature, msgSignatureMatch)
	}
	return Identity{AccessKey: cred.AccessKeyID, Scope: model.Scope{Account: cred.AccountID, Region: scope[2]}}, nil
}

// parse finds the signature in the Authorization header or the query.
func (v *Verifier) parse(r *http.Request) (signature, *awserr.Error) {
	h := r.Header.Get("Authorization")
	var q url.Values
	inQuery := false
	if r.URL.RawQuery != "" {
		q = r.URL.Query()
		inQuery = q.Has("X-Amz-Algorithm") || q.Has("X-Amz-Credential") || q.Has("X-Amz-Signature") || q.Has("X-Amz-SignedHeaders")
	}
	switch {
	case h != "" && inQuery:
		return signature{}, awserr.New(awserr.IncompleteSignature, msgBothAuthMethods)
	case h != "":
		return parseHeader(r, h)
	case inQuery:
		return parseQuery(r, q)
	}
	return signature{}, awserr.New(awserr.MissingAuthenticationToken, msgMissingToken)
}

func parseHeader(r *http.Request, h string) (signature, *awserr.Error) {
	sig := signature{raw: h}
	alg, rest, _ := strings.Cut(strings.TrimLeft(h, " \t"), " ")
	var haveCred, haveHeaders, haveSig bool
	for _, f := range strings.FieldsFunc(rest, func(c rune) bool { return c == ',' || c == ' ' || c == '\t' }) {
		k, val, ok := strings.Cut(f, "=")
		if !ok {
			return sig, awserr.New(awserr.IncompleteSignature, fmt.Sprintf(msgNotKeyValue, f, h))
		}
		switch {
		case k == "Credential" && !haveCred:
			sig.credential, haveCred = val, true
		case k == "SignedHeaders" && !haveHeaders:
			sig.signedHeaders, haveHeaders = val, true
		case k == "Signature" && !haveSig:
			sig.signature, haveSig = val, true
		}
	}
	sig.date = r.Header.Get("X-Amz-Date")
	if sig.date == "" {
		if d := r.Header.Get("Date"); d != "" {
			sig.date, sig.httpDate = d, true
		}
	}
	var missing []string
	if !haveCred {
		missing = append(missing, "Authorization header requires 'Credential' parameter.")
	}
	if !haveSig {
		missing = append(missing, "Authorization header requires 'Signature' parameter.")
	}
	if !haveHeaders {
		missing = append(missing, "Authorization header requires 'SignedHeaders' parameter.")
	}
	if sig.date == "" {
		missing = append(missing, "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.")
	}
	if len(missing) > 0 {
		return sig, awserr.New(awserr.IncompleteSignature, strings.Join(missing, " ")+" Authorization="+h)
	}
	if alg != algorithm {
		return sig, awserr.New(awserr.IncompleteSignature, fmt.Sprintf(msgAlgorithm, alg))
	}
	sig.token = r.Header.Get("X-Amz-Security-Token")
	return sig, nil
}

func parseQuery(r *http.Request, q url.Values) (signature, *awserr.Error) {
	sig := signature{query: true}
	for _, p := range []string{"X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Signature", "X-Amz-Date", "X-Amz-SignedHeaders"} {
		if q.Get(p) == "" {
			return sig, awserr.New(awserr.IncompleteSignature, fmt.Sprintf(msgQueryParam, p))
		}
	}
	if alg := q.Get("X-Amz-Algorithm"); alg != algorithm {
		return sig, awserr.New(awserr.IncompleteSignature, fmt.Sprintf(msgAlgorithm, alg))
	}
	sig.credential = q.Get("X-Amz-Credential")
	sig.signedHeaders = q.Get("X-Amz-SignedHeaders")
	sig.signature = q.Get("X-Amz-Signature")
	sig.date = q.Get("X-Amz-Date")
	sig.token = q.Get("X-Amz-Security-Token")
	return sig, nil
}

// time parses the request's date: ISO 8601 basic format, or an HTTP date
// in the Date header.
func (s signature) time() (time.Time, *awserr.Error) {
	if s.httpDate {
		t, err := http.ParseTime(s.date)
		if err != nil {
			return time.Time{}, awserr.New(awserr.IncompleteSignature, fmt.Sprintf(msgISO8601, s.date))
		}
		return t.UTC(), nil
	}
	t, err := time.Parse(isoBasic, s.date)
	if err != nil || t.Format(isoBasic) != s.date {
		return time.Time{}, awserr.New(awserr.IncompleteSignature, fmt.Sprintf(msgISO8601, s.date))
	}
	return t, nil
}

// headerSet is the lowercase names of the signed headers.
type headerSet map[string]bool

// IsSigned is aws-http-auth's v4.SignedHeaderRules: exactly the headers the
// client signed are signed again.
func (h headerSet) IsSigned(name string) bool { return h[name] }

// signedHeader is one signed header other than host: its canonical name
// and its values as the request carries them.
type signedHeader struct {
	key    string
	values []string
}

// signedHeaderSet checks the SignedHeaders list against the request: host
// signed, every listed header present, every x-amz-* header that selects
// or changes the operation (X-Amz-Target above all) signed. It returns
// the set and the signed headers' values.
func signedHeaderSet(r *http.Request, sig signature) (headerSet, []signedHeader, *awserr.Error) {
	names := strings.Split(sig.signedHeaders, ";")
	set := make(headerSet, len(names))
	for _, n := range names {
		set[n] = true
	}
	if !set["host"] {
		return nil, nil, awserr.New(awserr.InvalidSignature, msgHostNotSigned)
	}
	headers := make([]signedHeader, 0, len(names))
	for _, n := range names {
		if n == "host" {
			continue
		}
		key, vs := headerValue(r, n)
		if vs == nil {
			return nil, nil, awserr.New(awserr.IncompleteSignature, fmt.Sprintf(msgSignedNotPresent, n))
		}
		headers = append(headers, signedHeader{key, vs})
	}
	for name := range r.Header {
		if len(name) < 6 || !strings.EqualFold(name[:6], "x-amz-") {
			continue
		}
		lower := strings.ToLower(name)
		if set[lower] {
			continue
		}
		switch lower {
		case "x-amz-date", "x-amz-security-token", "x-amz-content-sha256":
			// Covered without being signed: the date is in the string to
			// sign, the token is compared with the credential's, the
			// content hash with the body's.
		default:
			return nil, nil, awserr.New(awserr.InvalidSignature, fmt.Sprintf(msgMustBeSigned, name))
		}
	}
	return set, headers, nil
}

// canonicalKeys spares the common signed headers a canonicalisation.
var canonicalKeys = map[string]string{
	"content-type": "Content-Type", "content-length": "Content-Length", "x-amz-date": "X-Amz-Date",
	"x-amz-target": "X-Amz-Target", "x-amz-security-token": "X-Amz-Security-Token",
	"x-amz-content-sha256": "X-Amz-Content-Sha256", "x-amz-user-agent": "X-Amz-User-Agent",
	"amz-sdk-invocation-id": "Amz-Sdk-Invocation-Id", "amz-sdk-request": "Amz-Sdk-Request",
	"accept-encoding": "Accept-Encoding", "user-agent": "User-Agent",
}

// headerValue returns the canonical key and the values of the request's
// header name (lowercase); nil values if it has none.
func headerValue(r *http.Request, name string) (string, []string) {
	key, ok := canonicalKeys[name]
	if !ok {
		key = http.CanonicalHeaderKey(name)
	}
	if name == "transfer-encoding" && len(r.TransferEncoding) > 0 {
		return key, []string{strings.Join(r.TransferEncoding, ",")}
	}
	if name == "" {
		return key, nil
	}
	vs := r.Header[key]
	if vs == nil && name == "content-length" && r.ContentLength > 0 {
		// A request built in process (not read from the wire) has its
		// length only here.
		return key, []string{strconv.FormatInt(r.ContentLength, 10)}
	}
	return key, vs
}

// checkScope checks the credential scope keyid/date/region/service/term;
// AWS reports every problem of a scope in one message.
func (v *Verifier) checkScope(scope []string, t time.Time, rawDate string) *awserr.Error {
	var msg strings.Builder
	if !validRegion(scope[2]) {
		msg.WriteString("Credential should be scoped to a valid region, not '" + scope[2] + "'. ")
	}
	if scope[3] != v.service {
		msg.WriteString("Credential should be scoped to correct service: '" + v.service + "'. ")
	}
	if scope[4] != terminator {
		msg.WriteString("Credential should be scoped with a valid terminator: '" + terminator + "', not '" + scope[4] + "'. ")
	}
	if d := t.Format(dateOnly); scope[1] != d {
		msg.WriteString("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '" + scope[1] + "' != '" + d + "', from '" + rawDate + "'. ")
	}
	if msg.Len() > 0 {
		return awserr.New(awserr.InvalidSignature, msg.String())
	}
	return nil
}

// validRegion accepts region-shaped names (us-east-1, eu-local-1, local):
// lowercase letters, digits and dashes.
func validRegion(r string) bool {
	if r == "" || len(r) > 63 {
		return false
	}
	for _, c := range []byte(r) {
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// checkTime refuses a date further than the skew from now.
func (v *Verifier) checkTime(t time.Time) *awserr.Error {
	now := v.now().UTC().Truncate(time.Second)
	if earliest := now.Add(-v.skew); t.Before(earliest) {
		return awserr.New(awserr.InvalidSignature, "Signature expired: "+t.Format(isoBasic)+" is now earlier than "+
			earliest.Format(isoBasic)+" ("+now.Format(isoBasic)+" - "+minutes(v.skew)+".)")
	}
	if latest := now.Add(v.skew); t.After(latest) {
		return awserr.New(awserr.InvalidSignature, "Signature not yet current: "+t.Format(isoBasic)+" is still later than "+
			latest.Format(isoBasic)+" ("+now.Format(isoBasic)+" + "+minutes(v.skew)+".)")
	}
	return nil
}

// minutes words a skew as AWS does: "5 min".
func minutes(d time.Duration) string {
	if d%time.Minute == 0 {
		return strconv.FormatInt(int64(d/time.Minute), 10) + " min"
	}
	return strconv.FormatFloat(d.Minutes(), 'f', -1, 64) + " min"
}

// tokenMatches compares a request's session token with the credential's,
// in constant time; a credential without one accepts no token.
func tokenMatches(want, got string) bool {
	if want == "" {
		return got == ""
	}
	return hmac.Equal([]byte(want), []byte(got))
}

// compute signs a copy of r holding only its signed headers, with the
// credential's secret, and returns the hex signature.
func (v *Verifier) compute(r *http.Request, sig signature, signed headerSet, headers []signedHeader, cred Credential, scope []string, t time.Time, payloadHash []byte) (string, bool) {
	u := *r.URL
	u.User = nil
	c := &http.Request{Method: r.Method, URL: &u, Host: r.Host, Header: make(http.Header, len(headers)+3)}
	for _, h := range headers {
		c.Header[h.key] = collapsed(h.values)
	}
	typ := v4.SignatureTypeHeader
	if sig.query {
		typ = v4.SignatureTypeQueryString
		q := r.URL.Query()
		q.Del("X-Amz-Signature")
		u.RawQuery = q.Encode()
	}
	err := v.signer.SignRequest(&sigv4.SignRequestInput{
		Request:       c,
		PayloadHash:   payloadHash,
		Credentials:   credentials.Credentials{AccessKeyID: cred.AccessKeyID, SecretAccessKey: cred.SecretAccessKey},
		Service:       scope[3],
		Region:        scope[2],
		Time:          t,
		SignatureType: typ,
	}, func(o *v4.SignerOptions) { o.HeaderRules = signed })
	if err != nil {
		return "", false
	}
	if sig.query {
		return c.URL.Query().Get("X-Amz-Signature"), true
	}
	_, s, ok := strings.Cut(c.Header.Get("Authorization"), "Signature=")
	return s, ok
}

// collapsed is values with collapseSpaces applied, values itself when that
// changes nothing (the signer does not change the values it reads).
func collapsed(values []string) []string {
	for i, val := range values {
		if collapseSpaces(val) != val {
			vs := make([]string, len(values))
			copy(vs, values[:i])
			for j := i; j < len(values); j++ {
				vs[j] = collapseSpaces(values[j])
			}
			return vs
		}
	}
	return values
}

// collapseSpaces trims a header value and turns each run of spaces and
// tabs inside it into one space, as the canonical request wants (the
// signer only trims).
func collapseSpaces(s string) string {
	if !strings.Contains(s, "  ") && !strings.ContainsAny(s, "\t\r\n") && strings.TrimSpace(s) == s {
		return s
	}
	return strings.Join(strings.FieldsFunc(s, func(c rune) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }), " ")
}
