package store

import (
	"encoding/base64"
	"encoding/binary"
	"hash/fnv"
	"strings"
)

// Page tokens are opaque to clients but bound to the listing that issued
// them: the token carries the listing (kind, account, region and any
// filter digest) and the last key returned, plus a checksum, so a token from
// another listing or an edited token is refused.

// EncodeToken returns the next-page token for listing after key last.
func EncodeToken(listing, last string) string {
	payload := listing + "\x00" + last
	sum := checksum(payload)
	buf := make([]byte, 4+len(payload))
	binary.BigEndian.PutUint32(buf, sum)
	copy(buf[4:], payload)
	return base64.RawURLEncoding.EncodeToString(buf)
}

// DecodeToken returns the key a token resumes after; ok is false when the
// token is malformed or was issued by another listing.
func DecodeToken(listing, token string) (last string, ok bool) {
	buf, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || len(buf) < 4 {
		return "", false
	}
	payload := string(buf[4:])
	if binary.BigEndian.Uint32(buf) != checksum(payload) {
		return "", false
	}
	l, last, found := strings.Cut(payload, "\x00")
	if !found || l != listing {
		return "", false
	}
	return last, true
}

// Listing names a listing for EncodeToken/DecodeToken.
func Listing(parts ...string) string { return strings.Join(parts, "\x01") }

func checksum(s string) uint32 {
	h := fnv.New32a()
	h.Write([]byte("cwlogd-page-v1"))
	h.Write([]byte(s))
	return h.Sum32()
}
