package policy

import (
	"strings"
)

// Request is what a principal asks to do, with the request's condition keys.
type Request struct {
	// Principal is the caller: a 12-digit account id (the account's root
	// principal), an IAM or STS ARN, or a service principal name such as
	// delivery.logs.amazonaws.com.
	Principal string
	Action    string // e.g. logs:CreateDelivery
	Resource  string // ARN
	// Context holds the condition keys of the request by name (any case),
	// e.g. "aws:SourceAccount": {"111111111111"}. A key that is missing or
	// has no values is absent.
	Context map[string][]string
}

// Decision is the outcome of evaluating a policy.
type Decision int

// The three outcomes: nothing applies, an Allow applies, a Deny applies.
const (
	ImplicitDeny Decision = iota
	Allowed
	ExplicitDeny
)

func (d Decision) String() string {
	switch d {
	case Allowed:
		return "Allow"
	case ExplicitDeny:
		return "ExplicitDeny"
	}
	return "ImplicitDeny"
}

// Result is a decision and the statement that made it (Statement is -1 and
// Sid "" for an implicit deny).
type Result struct {
	Decision  Decision
	Statement int
	Sid       string
}

// Evaluate decides r: the first applicable Deny statement gives an explicit
// deny; otherwise the first applicable Allow allows; otherwise the request
// is implicitly denied.
func (d *Document) Evaluate(r Request) Result {
	c := parseCaller(r.Principal)
	ctx := newContext(r.Context)
	action := strings.ToLower(r.Action)
	vars := d.Version == Version2012
	res := Result{Decision: ImplicitDeny, Statement: -1}
	for i := range d.Statements {
		st := &d.Statements[i]
		if st.Effect == Allow && res.Decision == Allowed {
			continue // only a Deny can change the answer now
		}
		if !st.applies(c, action, r.Resource, ctx, vars) {
			continue
		}
		if st.Effect == Deny {
			return Result{Decision: ExplicitDeny, Statement: i, Sid: st.Sid}
		}
		res = Result{Decision: Allowed, Statement: i, Sid: st.Sid}
	}
	return res
}

// Allows reports whether d allows r (an Allow applies and no Deny does).
func (d *Document) Allows(r Request) bool { return d.Evaluate(r).Decision == Allowed }

// applies reports whether the statement covers the request: principal,
// action, resource and every condition.
func (st *Statement) applies(c caller, lowerAction, resource string, ctx reqContext, vars bool) bool {
	if st.Principal.matches(c) == st.NotPrincipal {
		return false
	}
	matched := false
	for _, g := range st.actions {
		if g.match(lowerAction) {
			matched = true
			break
		}
	}
	if matched == st.NotAction {
		return false
	}
	matched = false
	for _, p := range st.Resource {
		if g, ok := expandGlob(p, ctx, vars); ok && g.matchArn(resource) {
			matched = true
			break
		}
	}
	if matched == st.NotResource {
		return false
	}
	for i := range st.Conditions {
		if !st.Conditions[i].eval(ctx) {
			return false
		}
	}
	return true
}

// Evaluator adapts the package to the service's Authorizer: it parses the
// stored document on each call (documents are small; nothing is cached).
type Evaluator struct{}

// Valid reports whether doc parses and validates as a policy.
func (Evaluator) Valid(doc string) bool {
	_, err := Parse(doc)
	return err == nil
}

// Evaluate decides whether doc lets principal perform action on resource
// in a request with the given condition keys. allowed is true when an Allow
// applies and no Deny does; explicitDeny when a Deny applies. A document
// that does not parse allows nothing.
func (Evaluator) Evaluate(doc, principal, action, resource string, keys map[string][]string) (allowed, explicitDeny bool) {
	d, err := Parse(doc)
	if err != nil {
		return false, false
	}
	res := d.Evaluate(Request{Principal: principal, Action: action, Resource: resource, Context: keys})
	return res.Decision == Allowed, res.Decision == ExplicitDeny
}
