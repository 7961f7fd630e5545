// Package policy parses IAM-style resource policy documents and decides
// whether one allows a principal to perform an action on a resource:
// explicit deny wins, and nothing is allowed by default.
//
// This evaluator covers Principal (AWS account ids, account/user/role ARNs,
// "*"), Action/NotAction and Resource/NotResource with * and ? wildcards.
// Statements with a Condition are never taken as an Allow (conditions are
// not evaluated yet) but always as a Deny, so a policy never grants more
// than it says.
//
// It imports nothing from the project.
package policy

import (
	"encoding/json"
	"errors"
	"strings"
)

// Document is a parsed policy.
type Document struct {
	Version   string
	Statement []Statement
}

// Statement is one policy statement.
type Statement struct {
	Sid          string
	Effect       string
	Principal    *Principal
	NotPrincipal *Principal
	Action       stringList
	NotAction    stringList
	Resource     stringList
	NotResource  stringList
	Condition    map[string]map[string]stringList
}

// Principal is "*" or a map such as {"AWS": [...], "Service": "..."}.
type Principal struct {
	Any bool
	AWS stringList
	// Service principals are kept but never match an account caller.
	Service stringList
}

// UnmarshalJSON accepts "*" or an object of principal lists.
func (p *Principal) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		if s != "*" {
			return errors.New(`principal string must be "*"`)
		}
		p.Any = true
		return nil
	}
	var m map[string]stringList
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}
	for k, v := range m {
		switch k {
		case "AWS":
			p.AWS = v
		case "Service":
			p.Service = v
		case "Federated", "CanonicalUser":
		default:
			return errors.New("unknown principal type " + k)
		}
	}
	return nil
}

// stringList is a JSON string or list of strings.
type stringList []string

func (l *stringList) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*l = stringList{s}
		return nil
	}
	var list []string
	if err := json.Unmarshal(b, &list); err != nil {
		return err
	}
	*l = list
	return nil
}

// Parse parses and checks a policy document: a JSON object whose Statement
// (an object or a list) has at least one statement, each with an Effect of
// Allow or Deny, a principal, an action and a resource element.
func Parse(doc string) (*Document, error) {
	var raw struct {
		Version   string          `json:"Version"`
		Statement json.RawMessage `json:"Statement"`
	}
	if err := json.Unmarshal([]byte(doc), &raw); err != nil {
		return nil, err
	}
	var d Document
	d.Version = raw.Version
	if len(raw.Statement) == 0 {
		return nil, errors.New("policy has no Statement")
	}
	if raw.Statement[0] == '{' {
		var st Statement
		if err := json.Unmarshal(raw.Statement, &st); err != nil {
			return nil, err
		}
		d.Statement = []Statement{st}
	} else if err := json.Unmarshal(raw.Statement, &d.Statement); err != nil {
		return nil, err
	}
	if len(d.Statement) == 0 {
		return nil, errors.New("policy has no Statement")
	}
	for _, st := range d.Statement {
		if st.Effect != "Allow" && st.Effect != "Deny" {
			return nil, errors.New("statement Effect must be Allow or Deny")
		}
		if (st.Principal == nil) == (st.NotPrincipal == nil) {
			return nil, errors.New("statement needs exactly one of Principal and NotPrincipal")
		}
		if (st.Action == nil) == (st.NotAction == nil) {
			return nil, errors.New("statement needs exactly one of Action and NotAction")
		}
		if (st.Resource == nil) == (st.NotResource == nil) {
			return nil, errors.New("statement needs exactly one of Resource and NotResource")
		}
	}
	return &d, nil
}

// Request is what a caller asks to do.
type Request struct {
	Account  string // principal account id
	Action   string // e.g. logs:CreateDelivery
	Resource string // ARN
}

// Allows reports whether d allows r and does not deny it.
func (d *Document) Allows(r Request) bool {
	allowed := false
	for _, st := range d.Statement {
		if !st.matches(r) {
			continue
		}
		if st.Effect == "Deny" {
			return false
		}
		if len(st.Condition) == 0 {
			allowed = true
		}
	}
	return allowed
}

func (st Statement) matches(r Request) bool {
	if st.Principal != nil && !st.Principal.matches(r.Account) {
		return false
	}
	if st.NotPrincipal != nil && st.NotPrincipal.matches(r.Account) {
		return false
	}
	if st.Action != nil && !anyMatch(st.Action, r.Action, true) {
		return false
	}
	if st.NotAction != nil && anyMatch(st.NotAction, r.Action, true) {
		return false
	}
	if st.Resource != nil && !anyMatch(st.Resource, r.Resource, false) {
		return false
	}
	if st.NotResource != nil && anyMatch(st.NotResource, r.Resource, false) {
		return false
	}
	return true
}

// matches reports whether an account-level caller is among the principals:
// "*", the account id, or any IAM ARN of that account.
func (p *Principal) matches(account string) bool {
	if p.Any {
		return true
	}
	for _, a := range p.AWS {
		if a == "*" || a == account {
			return true
		}
		parts := strings.SplitN(a, ":", 6)
		if len(parts) == 6 && parts[0] == "arn" && parts[2] == "iam" && parts[4] == account {
			return true
		}
	}
	return false
}

func anyMatch(patterns []string, v string, foldCase bool) bool {
	for _, p := range patterns {
		if foldCase {
			if Wildcard(strings.ToLower(p), strings.ToLower(v)) {
				return true
			}
		} else if Wildcard(p, v) {
			return true
		}
	}
	return false
}

// Wildcard matches s against pattern, where * matches any run of
// characters and ? any one character.
func Wildcard(pattern, s string) bool {
	p, i := 0, 0
	star, mark := -1, 0
	for i < len(s) {
		switch {
		case p < len(pattern) && (pattern[p] == '?' || pattern[p] == s[i]):
			p++
			i++
		case p < len(pattern) && pattern[p] == '*':
			star, mark = p, i
			p++
		case star >= 0:
			p = star + 1
			mark++
			i = mark
		default:
			return false
		}
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}

// Evaluator adapts the package to the service's Authorizer.
type Evaluator struct{}

// Valid reports whether doc parses as a policy.
func (Evaluator) Valid(doc string) bool {
	_, err := Parse(doc)
	return err == nil
}

// Allows reports whether doc allows account to perform action on resource.
func (Evaluator) Allows(doc, account, action, resource string) bool {
	d, err := Parse(doc)
	if err != nil {
		return false
	}
	return d.Allows(Request{Account: account, Action: action, Resource: resource})
}
