package policy

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

// encodeCtx writes a context as key=value lines, the form FuzzPolicy reads.
func encodeCtx(m map[string][]string) string {
	var b strings.Builder
	for _, k := range sortedKeys(m) {
		for _, v := range m[k] {
			b.WriteString(k + "=" + v + "\n")
		}
	}
	return b.String()
}

func decodeCtx(s string) map[string][]string {
	m := map[string][]string{}
	for line := range strings.SplitSeq(s, "\n") {
		if k, v, ok := strings.Cut(line, "="); ok {
			m[k] = append(m[k], v)
		}
	}
	return m
}

// FuzzPolicy parses and evaluates arbitrary documents and requests: nothing
// panics, a refusal is an *Error that quotes nothing, Valid agrees with
// Parse, a document that fails Parse never allows, the answer is the same
// every time and does not depend on the case of the context's key names.
func FuzzPolicy(f *testing.F) {
	for _, set := range [][]vector{docVectors, edgeVectors} {
		for _, v := range set {
			f.Add(v.doc, v.req.Principal, v.req.Action, v.req.Resource, encodeCtx(v.req.Context))
		}
	}
	f.Add(`{"Statement":[`+validStmt+`]}`, acctA, create, dstB, "")
	f.Add(`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"*","Resource":"arn:aws:logs:*:${aws:SourceAccount}:*","Condition":{"ForAllValues:StringLike":{"aws:TagKeys":["${*}a?"]},"DateLessThanIfExists":{"aws:CurrentTime":"2030-01-01"},"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}}`,
		acctA, create, dstB, "aws:SourceAccount=222222222222\naws:TagKeys=xa?\naws:SourceIp=10.1.2.3\n")
	f.Add(`{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":{"NumericLessThan":{"a:b":"1.5e2"},"Null":{"a:c":"false"}}}]}`,
		"delivery.logs.amazonaws.com", "x:y", "*", "a:b=3\na:c=\n")
	f.Fuzz(func(t *testing.T, doc, principal, action, resource, context string) {
		keys := decodeCtx(context)
		d, err := Parse(doc)
		var e Evaluator
		if err != nil {
			var pe *Error
			if !errors.As(err, &pe) || pe.Message == "" || !utf8.ValidString(pe.Message) || d != nil {
				t.Fatalf("Parse: bad refusal %#v (document %v)", err, d)
			}
			if e.Valid(doc) {
				t.Fatal("Valid accepts what Parse refuses")
			}
			if allowed, denied := e.Evaluate(doc, principal, action, resource, keys); allowed || denied {
				t.Fatal("a document that does not parse decides")
			}
			return
		}
		if !e.Valid(doc) {
			t.Fatal("Valid refuses what Parse accepts")
		}
		r := Request{Principal: principal, Action: action, Resource: resource, Context: keys}
		got := d.Evaluate(r)
		if again := d.Evaluate(r); again != got {
			t.Fatalf("Evaluate is not deterministic: %+v then %+v", got, again)
		}
		if got.Decision != ImplicitDeny && (got.Statement < 0 || got.Statement >= len(d.Statements) || d.Statements[got.Statement].Sid != got.Sid) {
			t.Fatalf("result names no statement: %+v", got)
		}
		if got.Decision == ImplicitDeny && got.Statement != -1 {
			t.Fatalf("implicit deny names a statement: %+v", got)
		}
		allowed, denied := e.Evaluate(doc, principal, action, resource, keys)
		if allowed != (got.Decision == Allowed) || denied != (got.Decision == ExplicitDeny) {
			t.Fatalf("Evaluator says %v/%v, Document %v", allowed, denied, got.Decision)
		}
		folded := map[string][]string{}
		foldable := true
		for k, v := range keys {
			fk := strings.ToUpper(k)
			folded[fk] = append(folded[fk], v...)
			foldable = foldable && strings.ToLower(fk) == strings.ToLower(k)
		}
		if foldable && len(folded) == len(keys) { // no two keys differ only in case
			r.Context = folded
			if f := d.Evaluate(r); f.Decision != got.Decision {
				t.Fatalf("the case of key names changes the answer: %v then %v", got.Decision, f.Decision)
			}
		}
	})
}
