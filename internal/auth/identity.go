// Package auth turns a request into the identity it acts as: the access key
// and region from its SigV4 credential scope, and the account that key
// belongs to.
//
// It imports awserr and model.
package auth

import (
	"net/http"
	"strings"

	"github.com/cwlogd/cwlogd/internal/awserr"
	"github.com/cwlogd/cwlogd/internal/model"
)

// Identity is who a request acts as.
type Identity struct {
	AccessKey string
	model.Scope
}

// Accounts maps access keys to account ids.
type Accounts struct {
	// Keys maps an access key id to its account id.
	Keys map[string]string
	// Default is the account of any other key that is not itself 12 digits.
	Default string
}

// Account returns the account an access key belongs to: a configured key's
// account, the key itself when it is a 12-digit account id, else Default.
func (a Accounts) Account(accessKey string) string {
	if acct, ok := a.Keys[accessKey]; ok {
		return acct
	}
	if model.IsAccountID(accessKey) {
		return accessKey
	}
	return a.Default
}

// Identify reads the credential scope of r's SigV4 signature (Authorization
// header or presigned query) without verifying the signature.
func (a Accounts) Identify(r *http.Request) (Identity, *awserr.Error) {
	cred, ok := credential(r)
	if !ok {
		return Identity{}, awserr.New(awserr.MissingAuthenticationToken, "Missing Authentication Token")
	}
	// Credential = AKID/yyyymmdd/region/service/aws4_request
	parts := strings.Split(cred, "/")
	if len(parts) != 5 || parts[0] == "" || parts[2] == "" || parts[4] != "aws4_request" {
		return Identity{}, awserr.New(awserr.IncompleteSignature,
			"Credential should be scoped to a valid region, not a malformed credential scope: '"+cred+"'.")
	}
	return Identity{AccessKey: parts[0], Scope: model.Scope{Account: a.Account(parts[0]), Region: parts[2]}}, nil
}

// credential returns the Credential=… value of the request's signature.
func credential(r *http.Request) (string, bool) {
	if h := r.Header.Get("Authorization"); h != "" {
		_, rest, found := strings.Cut(h, "Credential=")
		if !found {
			return "", false
		}
		cred, _, _ := strings.Cut(rest, ",")
		return strings.TrimSpace(cred), true
	}
	if c := r.URL.Query().Get("X-Amz-Credential"); c != "" {
		return c, true
	}
	return "", false
}
