// Package policy parses IAM JSON resource-policy documents, checks them
// against IAM's grammar, and decides whether one lets a principal perform an
// action on a resource in a given request context.
//
// The grammar: Version (2012-10-17 or 2008-10-17; absent means 2008-10-17),
// Id, and Statement (one object or a list). Each statement has an optional
// Sid, an Effect of exactly Allow or Deny, exactly one of Principal and
// NotPrincipal, of Action and NotAction and of Resource and NotResource, and
// an optional Condition. Evaluation: a statement applies when its principal,
// action, resource and every condition match; any applicable Deny is an
// explicit deny and wins; otherwise an applicable Allow allows; otherwise the
// request is implicitly denied.
//
// Matching: actions are case-insensitive globs (* and ?); resources and ARN
// conditions are matched component by component (the six colon-separated
// parts of an ARN, the last one keeping any further colons), case-sensitive.
// Principals: "*" and {"AWS":"*"} match everyone; an account id or
// arn:…:iam::ACCOUNT:root matches every principal of that account; any other
// IAM or STS ARN (user, role, assumed-role session) matches only that exact
// principal, and a role ARN also matches its assumed-role sessions. A caller
// known only by its account is that account's root principal, so a policy
// naming only a user or role of the account grants it nothing (and a Deny
// naming only a user or role does not deny it) — as AWS decides for a
// request signed by the account's root user. Service principals match a
// caller that is that service.
//
// Policy variables (${aws:SourceAccount}, ${key, 'default'}, ${*}, ${?},
// ${$}) are expanded in Resource and in String, Arn and Bool conditions of a
// 2012-10-17 document; a value substituted into a pattern is literal.
//
// It imports nothing from the project.
package policy

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
)

// Effect is Allow or Deny.
type Effect string

// The two effects.
const (
	Allow Effect = "Allow"
	Deny  Effect = "Deny"
)

// The two policy language versions.
const (
	Version2012 = "2012-10-17"
	Version2008 = "2008-10-17"
)

// Document is a parsed and validated policy.
type Document struct {
	Version    string // "" when the document has none
	ID         string
	Statements []Statement
}

// Statement is one policy statement.
type Statement struct {
	Sid    string
	Effect Effect
	// Principal lists the principals of Principal, or of NotPrincipal when
	// NotPrincipal is set.
	Principal    Principal
	NotPrincipal bool
	// Action lists Action, or NotAction when NotAction is set.
	Action    []string
	NotAction bool
	// Resource lists Resource, or NotResource when NotResource is set.
	Resource    []string
	NotResource bool
	Conditions  []Condition

	actions []glob // lower-cased Action patterns
}

// Principal is the parsed Principal (or NotPrincipal) element.
type Principal struct {
	All           bool // "*" or {"AWS":"*"}
	AWS           []string
	Service       []string
	Federated     []string
	CanonicalUser []string
}

// Error is a reason a document was refused. Its text names the element at
// fault, never the document's content.
type Error struct {
	Message string
}

func (e *Error) Error() string { return "invalid policy: " + e.Message }

func errorf(format string, args ...any) error {
	return &Error{Message: fmt.Sprintf(format, args...)}
}

var (
	vendorRe    = regexp.MustCompile(`^[A-Za-z0-9.\-]+$`)
	partitionRe = regexp.MustCompile(`^aws(-[a-z]+)*$`)
	accountRe   = regexp.MustCompile(`^[0-9]{12}$`)
	// An IAM or STS principal ARN: arn:PARTITION:iam::ACCOUNT:… or
	// arn:PARTITION:sts::ACCOUNT:…, without wildcards.
	principalArnRe = regexp.MustCompile(`^arn:aws(-[a-z]+)*:(iam|sts)::[0-9]{12}:[^*?]+$`)
)

// Parse parses doc and validates it against IAM's grammar (§4.6 of the
// design notes): a JSON object with only Version, Id and Statement; a known
// Version; a non-empty Statement of objects with only the statement
// elements, each of the right type; Effect exactly Allow or Deny; exactly one
// of each X/NotX pair; no NotPrincipal with Allow; unique Sids; actions
// prefixed by a vendor with at most one colon; resources "*" or ARNs with a
// literal partition and service; principals "*", account ids, IAM/STS ARNs
// or service names, without partial wildcards; known condition operators
// with well-formed values.
func Parse(doc string) (*Document, error) {
	top, err := object([]byte(doc))
	if err != nil {
		return nil, errorf("the document is not a JSON object")
	}
	if err := noDuplicateKeys([]byte(doc)); err != nil {
		return nil, err
	}
	var d Document
	for _, k := range sortedKeys(top) {
		v := top[k]
		switch k {
		case "Version":
			if err := json.Unmarshal(v, &d.Version); err != nil || v[0] != '"' {
				return nil, errorf("Version must be a string")
			}
			if d.Version != Version2012 && d.Version != Version2008 {
				return nil, errorf("Version must be %s or %s", Version2012, Version2008)
			}
		case "Id":
			if err := json.Unmarshal(v, &d.ID); err != nil || v[0] != '"' {
				return nil, errorf("Id must be a string")
			}
		case "Statement":
		default:
			return nil, errorf("unknown top-level element")
		}
	}
	raw, ok := top["Statement"]
	if !ok {
		return nil, errorf("Statement is required")
	}
	var list []json.RawMessage
	switch raw[0] {
	case '{':
		list = []json.RawMessage{raw}
	case '[':
		if err := json.Unmarshal(raw, &list); err != nil {
			return nil, errorf("Statement must be an object or a list of objects")
		}
	default:
		return nil, errorf("Statement must be an object or a list of objects")
	}
	if len(list) == 0 {
		return nil, errorf("Statement must not be empty")
	}
	sids := map[string]bool{}
	vars := d.Version == Version2012
	for i, r := range list {
		st, err := parseStatement(r, vars)
		if err != nil {
			return nil, errorf("statement %d: %s", i+1, err.(*Error).Message)
		}
		if st.Sid != "" {
			if sids[st.Sid] {
				return nil, errorf("statement %d: Statement IDs (SID) in a single policy must be unique", i+1)
			}
			sids[st.Sid] = true
		}
		d.Statements = append(d.Statements, st)
	}
	return &d, nil
}

// object decodes a JSON object into its members. It refuses anything else,
// including null, and trailing data.
func object(b []byte) (map[string]json.RawMessage, error) {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || b[0] != '{' {
		return nil, errors.New("not an object")
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	for k, v := range m {
		m[k] = bytes.TrimSpace(v)
	}
	return m, nil
}

// noDuplicateKeys refuses a document in which an object names a member
// twice: which of the two counts is not something to guess in a policy.
func noDuplicateKeys(b []byte) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	type frame struct {
		keys     map[string]bool
		isObject bool
		wantKey  bool
	}
	var stack []frame
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return errorf("the document is not valid JSON")
		}
		top := len(stack) - 1
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{', '[':
				if top >= 0 && stack[top].isObject {
					stack[top].wantKey = true
				}
				stack = append(stack, frame{isObject: t == '{', wantKey: t == '{'})
			default:
				stack = stack[:top]
			}
			continue
		case string:
			if top >= 0 && stack[top].isObject && stack[top].wantKey {
				if stack[top].keys == nil {
					stack[top].keys = map[string]bool{}
				}
				if stack[top].keys[t] {
					return errorf("an object names the same member twice")
				}
				stack[top].keys[t] = true
				stack[top].wantKey = false
				continue
			}
		}
		if top >= 0 && stack[top].isObject {
			stack[top].wantKey = true
		}
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func parseStatement(raw json.RawMessage, vars bool) (Statement, error) {
	var st Statement
	m, err := object(raw)
	if err != nil {
		return st, errorf("a statement must be an object")
	}
	has := func(k string) bool { _, ok := m[k]; return ok }
	for _, k := range sortedKeys(m) {
		switch k {
		case "Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition":
		default:
			return st, errorf("unknown statement element")
		}
	}
	if v, ok := m["Sid"]; ok {
		if err := json.Unmarshal(v, &st.Sid); err != nil || v[0] != '"' {
			return st, errorf("Sid must be a string")
		}
	}
	var effect string
	if v, ok := m["Effect"]; !ok {
		return st, errorf("Effect is required")
	} else if err := json.Unmarshal(v, &effect); err != nil || v[0] != '"' {
		return st, errorf("Effect must be a string")
	}
	switch Effect(effect) {
	case Allow, Deny:
		st.Effect = Effect(effect)
	default:
		return st, errorf("Effect must be Allow or Deny")
	}

	if has("Principal") == has("NotPrincipal") {
		return st, errorf("exactly one of Principal and NotPrincipal is required")
	}
	pk := "Principal"
	if has("NotPrincipal") {
		pk, st.NotPrincipal = "NotPrincipal", true
		if st.Effect == Allow {
			return st, errorf("NotPrincipal cannot be used with Allow")
		}
	}
	if st.Principal, err = parsePrincipal(m[pk]); err != nil {
		return st, errorf("%s: %s", pk, err.(*Error).Message)
	}

	if has("Action") == has("NotAction") {
		return st, errorf("Policy statement must contain actions (exactly one of Action and NotAction)")
	}
	ak := "Action"
	if has("NotAction") {
		ak, st.NotAction = "NotAction", true
	}
	if st.Action, err = stringList(m[ak]); err != nil || len(st.Action) == 0 {
		return st, errorf("%s must be a string or a non-empty list of strings", ak)
	}
	for _, a := range st.Action {
		if err := checkAction(a); err != nil {
			return st, err
		}
		st.actions = append(st.actions, compileGlob(strings.ToLower(a)))
	}

	if has("Resource") == has("NotResource") {
		return st, errorf("Policy statement must contain resources (exactly one of Resource and NotResource)")
	}
	rk := "Resource"
	if has("NotResource") {
		rk, st.NotResource = "NotResource", true
	}
	if st.Resource, err = stringList(m[rk]); err != nil || len(st.Resource) == 0 {
		return st, errorf("%s must be a string or a non-empty list of strings", rk)
	}
	for _, r := range st.Resource {
		if err := checkResource(r); err != nil {
			return st, err
		}
	}

	if v, ok := m["Condition"]; ok {
		if st.Conditions, err = parseConditions(v, vars); err != nil {
			return st, err
		}
	}
	return st, nil
}

// stringList decodes a JSON string or list of strings.
func stringList(b json.RawMessage) ([]string, error) {
	if len(b) == 0 {
		return nil, errors.New("empty")
	}
	switch b[0] {
	case '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return nil, err
		}
		return []string{s}, nil
	case '[':
		var l []string
		if err := json.Unmarshal(b, &l); err != nil {
			return nil, err
		}
		if l == nil {
			l = []string{}
		}
		return l, nil
	}
	return nil, errors.New("not a string or a list of strings")
}

// checkAction applies IAM's action rules: "*", or vendor:name with a vendor
// of letters, digits, dots and dashes and no second colon.
func checkAction(a string) error {
	if a == "*" {
		return nil
	}
	vendor, name, ok := strings.Cut(a, ":")
	if !ok {
		return errorf("Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.")
	}
	if strings.Contains(name, ":") {
		return errorf("Actions/Condition can contain only one colon.")
	}
	if !vendorRe.MatchString(vendor) {
		return errorf("an action's vendor is not valid")
	}
	return nil
}

// checkResource applies IAM's resource rules: "*", or an ARN whose
// partition and service are literal.
func checkResource(r string) error {
	if r == "*" {
		return nil
	}
	parts := strings.SplitN(r, ":", 4)
	if len(parts) < 4 || parts[0] != "arn" {
		return errorf(`Resource must be in ARN format or "*"`)
	}
	if !partitionRe.MatchString(parts[1]) {
		return errorf("a resource's partition is not valid")
	}
	if parts[2] == "" || strings.ContainsAny(parts[2], "*?") {
		return errorf("Resource vendor must be fully qualified and cannot contain regexes")
	}
	return nil
}

func parsePrincipal(b json.RawMessage) (Principal, error) {
	var p Principal
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil || s != "*" {
			return p, errorf(`a principal string must be "*"`)
		}
		p.All = true
		return p, nil
	}
	m, err := object(b)
	if err != nil || len(m) == 0 {
		return p, errorf(`must be "*" or a non-empty object of principal lists`)
	}
	for _, k := range sortedKeys(m) {
		l, err := stringList(m[k])
		if err != nil || len(l) == 0 {
			return p, errorf("%s must be a string or a non-empty list of strings", k)
		}
		for _, v := range l {
			if v == "" || (v != "*" && strings.ContainsAny(v, "*?")) {
				return p, errorf("%s: a principal cannot be empty or contain a partial wildcard", k)
			}
		}
		switch k {
		case "AWS":
			for _, v := range l {
				if v == "*" {
					p.All = true
				} else if !accountRe.MatchString(v) && !principalArnRe.MatchString(v) {
					return p, errorf("AWS: a principal must be \"*\", an account id or an IAM or STS ARN")
				}
			}
			p.AWS = l
		case "Service":
			if slices.Contains(l, "*") {
				return p, errorf("Service: a service principal cannot be a wildcard")
			}
			p.Service = l
		case "Federated":
			p.Federated = l
		case "CanonicalUser":
			p.CanonicalUser = l
		default:
			return p, errorf("unknown principal type")
		}
	}
	return p, nil
}
