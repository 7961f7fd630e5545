package auth

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"

	"github.com/cwlogd/cwlogd/internal/model"
)

// Credential is an access key the server accepts in strict mode, with the
// secret that signs its requests, the account it acts as and, for
// temporary credentials, the session token its requests must carry.
//
// Its String and LogValue never show the secret or the token.
type Credential struct {
	AccessKeyID     string `json:"accessKeyId"`
	SecretAccessKey string `json:"secretAccessKey"`
	AccountID       string `json:"accountId"`
	SessionToken    string `json:"sessionToken,omitempty"`
}

// String describes c without its secret or token.
func (c Credential) String() string {
	s := "access key " + c.AccessKeyID + " (account " + c.AccountID
	if c.SessionToken != "" {
		s += ", with session token"
	}
	return s + ")"
}

// GoString is String, so that %#v cannot print the secret either.
func (c Credential) GoString() string { return c.String() }

// LogValue logs c without its secret or token.
func (c Credential) LogValue() slog.Value {
	return slog.GroupValue(slog.String("accessKeyId", c.AccessKeyID), slog.String("accountId", c.AccountID),
		slog.Bool("sessionToken", c.SessionToken != ""))
}

// credentialsFile is the document --credentials names:
// {"credentials": [{"accessKeyId": …, "secretAccessKey": …, "accountId": …, "sessionToken": …}]}.
type credentialsFile struct {
	Credentials *[]Credential `json:"credentials"`
}

// ReadCredentialsFile reads the credentials document at path (see
// ParseCredentials). Its errors never quote a secret.
func ReadCredentialsFile(path string) ([]Credential, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("credentials file: %w", err)
	}
	creds, err := ParseCredentials(data)
	if err != nil {
		return nil, fmt.Errorf("credentials file %s: %w", path, err)
	}
	return creds, nil
}

// ParseCredentials parses a credentials document:
// {"credentials": [{"accessKeyId": …, "secretAccessKey": …, "accountId": …,
// "sessionToken": optional}]}. Every entry needs an access key id and a
// secret; the account id, when given, must be 12 digits (when not, Accounts
// decides it, as for a key of the environment). An access key may appear
// once. Its errors name entries by position and access key, never by
// secret.
func ParseCredentials(data []byte) ([]Credential, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	var f credentialsFile
	if err := dec.Decode(&f); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			// The syntax error names only the offending character and offset.
			return nil, fmt.Errorf("not valid JSON (at byte %d)", se.Offset)
		}
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return nil, fmt.Errorf("%s: want %s", te.Field, te.Type)
		}
		return nil, errors.New("not a JSON document of the form {\"credentials\": [...]}")
	}
	if dec.More() {
		return nil, errors.New("more than one JSON value")
	}
	if f.Credentials == nil {
		return nil, errors.New(`no "credentials" list`)
	}
	var errs []error
	seen := map[string]bool{}
	for i, c := range *f.Credentials {
		switch {
		case c.AccessKeyID == "":
			errs = append(errs, fmt.Errorf("credentials[%d]: accessKeyId is empty", i))
		case c.SecretAccessKey == "":
			errs = append(errs, fmt.Errorf("credentials[%d] (%s): secretAccessKey is empty", i, c.AccessKeyID))
		case c.AccountID != "" && !model.IsAccountID(c.AccountID):
			errs = append(errs, fmt.Errorf("credentials[%d] (%s): accountId %q is not a 12-digit account id", i, c.AccessKeyID, c.AccountID))
		case seen[c.AccessKeyID]:
			errs = append(errs, fmt.Errorf("credentials[%d]: access key %s appears twice", i, c.AccessKeyID))
		}
		seen[c.AccessKeyID] = true
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return *f.Credentials, nil
}
