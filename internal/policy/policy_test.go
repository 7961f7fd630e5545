package policy

import (
	"errors"
	"strings"
	"testing"
)

// ctx builds a request context from key, value, key, value, ….
func ctx(kv ...string) map[string][]string {
	m := map[string][]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = append(m[kv[i]], kv[i+1])
	}
	return m
}

type vector struct {
	name string
	doc  string
	req  Request
	want Decision
}

const (
	acctA   = "111111111111"
	acctB   = "222222222222"
	acctC   = "333333333333"
	dstB    = "arn:aws:logs:us-east-1:222222222222:delivery-destination:xacct-1"
	create  = "logs:CreateDelivery"
	srcArnA = "arn:aws:logs:us-east-1:111111111111:delivery-source:src"
)

// cwlCtx is the context cwlogd gives a cross-account CreateDelivery by
// account A (auth-and-policies.md §4.8).
func cwlCtx() map[string][]string {
	return ctx("aws:PrincipalAccount", acctA, "aws:PrincipalArn", "arn:aws:iam::111111111111:root",
		"aws:SourceAccount", acctA, "aws:SourceArn", srcArnA, "aws:ResourceAccount", acctB)
}

// The example policies of auth-and-policies.md §5, each with the decisions
// the document expects.
var docVectors = func() []vector {
	v1 := `{"Version":"2012-10-17","Statement":[{"Sid":"AllowLogDeliveryActions","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"logs:CreateDelivery","Resource":["arn:aws:logs:us-east-1:111111111111:delivery-source:*","arn:aws:logs:us-east-1:222222222222:delivery:*","arn:aws:logs:us-east-1:222222222222:delivery-destination:*"]}]}`
	v1lower := strings.Replace(v1, "logs:CreateDelivery", "logs:createdelivery", 1)
	v2 := `{"Version":"2012-10-17","Statement":[{"Sid":"AllowCreateDelivery","Effect":"Allow","Principal":{"AWS":"123456789012"},"Action":["logs:CreateDelivery"],"Resource":"arn:aws:logs:us-east-1:111122223333:delivery-destination:amzn-s3-demo-bucket"}]}`
	v3 := `{"Version":"2012-10-17","Statement":[{"Sid":"AllowCreateDelivery","Effect":"Allow","Principal":{"AWS":"111111111111"},"Action":["logs:CreateDelivery"],"Resource":"arn:aws:logs:us-east-1:222222222222:delivery-destination:cloudfront-delivery-destination"}]}`
	v4 := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"logs:CreateDelivery","Resource":"*"},{"Effect":"Deny","Principal":"*","Action":"logs:*","Resource":"*","Condition":{"StringEquals":{"aws:SourceAccount":"111111111111"}}}]}`
	v5 := `{"Version":"2012-10-17","Statement":[{"Sid":"AWSLogsDeliveryWrite","Effect":"Allow","Principal":{"Service":"delivery.logs.amazonaws.com"},"Action":["s3:PutObject"],"Resource":"arn:aws:s3:::amzn-s3-demo-bucket/AWSLogs/123456789012/*","Condition":{"StringEquals":{"s3:x-amz-acl":"bucket-owner-full-control","aws:SourceAccount":["123456789012"]},"ArnLike":{"aws:SourceArn":["arn:aws:logs:us-east-1:123456789012:delivery-source:my-delivery-source"]}}}]}`
	v5obj := "arn:aws:s3:::amzn-s3-demo-bucket/AWSLogs/123456789012/x.gz"
	v5ctx := func(drop string, kv ...string) map[string][]string {
		m := ctx("s3:x-amz-acl", "bucket-owner-full-control", "aws:SourceAccount", "123456789012",
			"aws:SourceArn", "arn:aws:logs:us-east-1:123456789012:delivery-source:my-delivery-source")
		delete(m, drop)
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i]] = []string{kv[i+1]}
		}
		return m
	}
	v6 := `{"Version":"2012-10-17","Statement":[{"Sid":"AWSLogDeliveryWrite20150319","Effect":"Allow","Principal":{"Service":["delivery.logs.amazonaws.com"]},"Action":["logs:CreateLogStream","logs:PutLogEvents"],"Resource":["arn:aws:logs:us-east-1:111122223333:log-group:my-log-group:log-stream:*"],"Condition":{"StringEquals":{"aws:SourceAccount":["111122223333"]},"ArnLike":{"aws:SourceArn":["arn:aws:logs:us-east-1:111122223333:*"]}}}]}`
	v6stream := "arn:aws:logs:us-east-1:111122223333:log-group:my-log-group:log-stream:abc"
	v6ctx := ctx("aws:SourceAccount", "111122223333", "aws:SourceArn", "arn:aws:logs:us-east-1:111122223333:delivery-source:s1")
	svc := "delivery.logs.amazonaws.com"

	return []vector{
		{"V1 documented account", v1, Request{Principal: acctA, Action: create, Resource: dstB, Context: cwlCtx()}, Allowed},
		{"V1 other account", v1, Request{Principal: acctC, Action: create, Resource: dstB}, ImplicitDeny},
		{"V1 destination in another region", v1, Request{Principal: acctA, Action: create, Resource: "arn:aws:logs:us-west-2:222222222222:delivery-destination:xacct-1"}, ImplicitDeny},
		{"V1 lower-case action in the policy", v1lower, Request{Principal: acctA, Action: create, Resource: dstB}, Allowed},
		{"V1 root ARN as the caller", v1, Request{Principal: "arn:aws:iam::111111111111:root", Action: create, Resource: dstB}, Allowed},
		{"V1 other action", v1, Request{Principal: acctA, Action: "logs:DeleteDelivery", Resource: dstB}, ImplicitDeny},

		{"V2 bare account id, named destination", v2, Request{Principal: "123456789012", Action: create, Resource: "arn:aws:logs:us-east-1:111122223333:delivery-destination:amzn-s3-demo-bucket"}, Allowed},
		{"V2 another destination (strict Resource)", v2, Request{Principal: "123456789012", Action: create, Resource: "arn:aws:logs:us-east-1:111122223333:delivery-destination:my-s3-delivery-destination"}, ImplicitDeny},

		{"V3 CloudFront account", v3, Request{Principal: acctA, Action: create, Resource: "arn:aws:logs:us-east-1:222222222222:delivery-destination:cloudfront-delivery-destination"}, Allowed},
		{"V3 other account", v3, Request{Principal: "444444444444", Action: create, Resource: "arn:aws:logs:us-east-1:222222222222:delivery-destination:cloudfront-delivery-destination"}, ImplicitDeny},

		{"V4 deny on SourceAccount wins", v4, Request{Principal: acctA, Action: create, Resource: dstB, Context: cwlCtx()}, ExplicitDeny},
		{"V4 without SourceAccount the Allow decides", v4, Request{Principal: acctA, Action: create, Resource: dstB}, Allowed},

		{"V5 delivery service writes", v5, Request{Principal: svc, Action: "s3:PutObject", Resource: v5obj, Context: v5ctx("")}, Allowed},
		{"V5 other source ARN", v5, Request{Principal: svc, Action: "s3:PutObject", Resource: v5obj, Context: v5ctx("", "aws:SourceArn", "arn:aws:logs:us-east-1:123456789012:delivery-source:other")}, ImplicitDeny},
		{"V5 no ACL header", v5, Request{Principal: svc, Action: "s3:PutObject", Resource: v5obj, Context: v5ctx("s3:x-amz-acl")}, ImplicitDeny},
		{"V5 other account's prefix", v5, Request{Principal: svc, Action: "s3:PutObject", Resource: "arn:aws:s3:::amzn-s3-demo-bucket/AWSLogs/999999999999/x", Context: v5ctx("")}, ImplicitDeny},
		{"V5 an account is not the service", v5, Request{Principal: "123456789012", Action: "s3:PutObject", Resource: v5obj, Context: v5ctx("")}, ImplicitDeny},

		{"V6 PutLogEvents", v6, Request{Principal: svc, Action: "logs:PutLogEvents", Resource: v6stream, Context: v6ctx}, Allowed},
		{"V6 lower-case action", v6, Request{Principal: svc, Action: "logs:putlogevents", Resource: v6stream, Context: v6ctx}, Allowed},
		{"V6 resource is case-sensitive", v6, Request{Principal: svc, Action: "logs:PutLogEvents", Resource: "arn:aws:logs:us-east-1:111122223333:log-group:My-Log-Group:log-stream:abc", Context: v6ctx}, ImplicitDeny},
		{"V6 other action", v6, Request{Principal: svc, Action: "logs:DeleteLogGroup", Resource: "arn:aws:logs:us-east-1:111122223333:log-group:my-log-group", Context: v6ctx}, ImplicitDeny},
		{"V6 SourceArn in another region", v6, Request{Principal: svc, Action: "logs:PutLogEvents", Resource: v6stream,
			Context: ctx("aws:SourceAccount", "111122223333", "aws:SourceArn", "arn:aws:logs:us-west-2:111122223333:x")}, ImplicitDeny},
		{"V6 service name is case-insensitive", v6, Request{Principal: "Delivery.Logs.AmazonAWS.com", Action: "logs:PutLogEvents", Resource: v6stream, Context: v6ctx}, Allowed},
	}
}()

// The grammar and edge vectors of §5.
var edgeVectors = func() []vector {
	allow := func(principal, action, resource string) string {
		return `{"Effect":"Allow","Principal":` + principal + `,"Action":"` + action + `","Resource":"` + resource + `"}`
	}
	doc := func(stmts ...string) string {
		return `{"Version":"2012-10-17","Statement":[` + strings.Join(stmts, ",") + `]}`
	}
	withCond := func(effect, cond string) string {
		return doc(`{"Effect":"` + effect + `","Principal":"*","Action":"logs:*","Resource":"*","Condition":` + cond + `}`)
	}
	allowAll := allow(`"*"`, "*", "*")
	req := func(principal string, c map[string][]string) Request {
		return Request{Principal: principal, Action: create, Resource: dstB, Context: c}
	}
	return []vector{
		{"Statement as an object", `{"Version":"2012-10-17","Statement":` + allow(`{"AWS":"111111111111"}`, create, "*") + `}`, req(acctA, nil), Allowed},
		{"no Version", `{"Statement":[` + allow(`"*"`, create, "*") + `]}`, req(acctA, nil), Allowed},
		{"Version 2008-10-17", `{"Version":"2008-10-17","Statement":[` + allow(`"*"`, create, "*") + `]}`, req(acctA, nil), Allowed},
		{"Principal *", doc(allow(`"*"`, create, "*")), req(acctC, nil), Allowed},
		{"Principal AWS *", doc(allow(`{"AWS":"*"}`, create, "*")), req(acctC, nil), Allowed},
		{"NotPrincipal Deny spares the listed account", doc(allowAll, `{"Effect":"Deny","NotPrincipal":{"AWS":"111111111111"},"Action":"logs:*","Resource":"*"}`), req(acctA, nil), Allowed},
		{"NotPrincipal Deny hits the others", doc(allowAll, `{"Effect":"Deny","NotPrincipal":{"AWS":"111111111111"},"Action":"logs:*","Resource":"*"}`), req(acctC, nil), ExplicitDeny},
		{"NotAction Allow grants other actions", doc(`{"Effect":"Allow","Principal":"*","NotAction":"logs:Delete*","Resource":"*"}`), req(acctA, nil), Allowed},
		{"NotAction Allow does not grant the listed ones", doc(`{"Effect":"Allow","Principal":"*","NotAction":"logs:Delete*","Resource":"*"}`),
			Request{Principal: acctA, Action: "logs:DeleteDelivery", Resource: dstB}, ImplicitDeny},
		{"NotResource Deny spares the listed destination", doc(allowAll, `{"Effect":"Deny","Principal":"*","Action":"*","NotResource":"arn:aws:logs:*:*:delivery-destination:secret-*"}`),
			Request{Principal: acctA, Action: create, Resource: "arn:aws:logs:us-east-1:222222222222:delivery-destination:secret-1"}, Allowed},
		{"NotResource Deny hits the others", doc(allowAll, `{"Effect":"Deny","Principal":"*","Action":"*","NotResource":"arn:aws:logs:*:*:delivery-destination:secret-*"}`),
			Request{Principal: acctA, Action: create, Resource: "arn:aws:logs:us-east-1:222222222222:delivery-destination:open-1"}, ExplicitDeny},
		{"StringNotEquals PrincipalOrgID Deny with no org configured", doc(allowAll, `{"Effect":"Deny","Principal":"*","Action":"*","Resource":"*","Condition":{"StringNotEquals":{"aws:PrincipalOrgID":"o-1"}}}`),
			req(acctA, cwlCtx()), ExplicitDeny},
		{"StringNotEquals PrincipalOrgID Deny for a member", doc(allowAll, `{"Effect":"Deny","Principal":"*","Action":"*","Resource":"*","Condition":{"StringNotEquals":{"aws:PrincipalOrgID":"o-1"}}}`),
			req(acctA, ctx("aws:PrincipalOrgID", "o-1")), Allowed},
		{"StringEqualsIfExists on an absent key", withCond("Allow", `{"StringEqualsIfExists":{"aws:SourceAccount":"999999999999"}}`), req(acctA, nil), Allowed},
		{"Null true with the key present", withCond("Allow", `{"Null":{"aws:SourceAccount":"true"}}`), req(acctA, cwlCtx()), ImplicitDeny},
		{"ForAllValues with no tags", withCond("Allow", `{"ForAllValues:StringEquals":{"aws:TagKeys":["a"]}}`), req(acctA, nil), Allowed},
		{"ForAnyValue with no tags", withCond("Allow", `{"ForAnyValue:StringEquals":{"aws:TagKeys":["a"]}}`), req(acctA, nil), ImplicitDeny},
		{"values are OR", withCond("Allow", `{"StringEquals":{"aws:SourceAccount":["1","111111111111"]}}`), req(acctA, cwlCtx()), Allowed},
		{"negated values are NOR", withCond("Allow", `{"StringNotEquals":{"k:k":["1","2"]}}`), req(acctA, ctx("k:k", "2")), ImplicitDeny},
		{"Action with ?", doc(allow(`"*"`, "logs:Create?elivery", "*")), req(acctA, nil), Allowed},
		{"Action with *", doc(allow(`"*"`, "logs:Create*", "*")), req(acctA, nil), Allowed},
		{"keys are AND", withCond("Allow", `{"StringEquals":{"aws:SourceAccount":"111111111111","aws:ResourceAccount":"999999999999"}}`), req(acctA, cwlCtx()), ImplicitDeny},
		{"operators are AND", withCond("Allow", `{"StringEquals":{"aws:SourceAccount":"111111111111"},"ArnLike":{"aws:SourceArn":"arn:aws:logs:*:111111111111:delivery-source:*"}}`), req(acctA, cwlCtx()), Allowed},
		{"condition key names are case-insensitive", withCond("Allow", `{"StringEquals":{"AWS:sourceaccount":"111111111111"}}`), req(acctA, cwlCtx()), Allowed},
		{"operator names are case-insensitive", withCond("Allow", `{"stringequals":{"aws:SourceAccount":"111111111111"}}`), req(acctA, cwlCtx()), Allowed},
		{"deny wins over an earlier allow", doc(allowAll, `{"Effect":"Deny","Principal":{"AWS":"111111111111"},"Action":"logs:CreateDelivery","Resource":"*"}`), req(acctA, nil), ExplicitDeny},
		{"deny wins over a later allow", doc(`{"Effect":"Deny","Principal":{"AWS":"111111111111"},"Action":"logs:CreateDelivery","Resource":"*"}`, allowAll), req(acctA, nil), ExplicitDeny},
		{"default deny", doc(`{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*"}`), req(acctA, nil), ImplicitDeny},
		{"a failed condition on a Deny does not deny", doc(allowAll, `{"Effect":"Deny","Principal":"*","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:SourceAccount":"999999999999"}}}`), req(acctA, cwlCtx()), Allowed},
	}
}()

func TestVectors(t *testing.T) {
	for _, set := range [][]vector{docVectors, edgeVectors} {
		for _, v := range set {
			t.Run(v.name, func(t *testing.T) {
				d, err := Parse(v.doc)
				if err != nil {
					t.Fatal(err)
				}
				if got := d.Evaluate(v.req); got.Decision != v.want {
					t.Fatalf("Evaluate = %v, want %v", got.Decision, v.want)
				}
			})
		}
	}
}

func TestResultNamesTheStatement(t *testing.T) {
	d, err := Parse(`{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Allow","Principal":"*","Action":"*","Resource":"*"},
		{"Sid":"D","Effect":"Deny","Principal":{"AWS":"333333333333"},"Action":"*","Resource":"*"}]}`)
	if err != nil {
		t.Fatal(err)
	}
	if got := d.Evaluate(Request{Principal: acctA, Action: create, Resource: dstB}); got != (Result{Allowed, 0, "A"}) {
		t.Errorf("allow: %+v", got)
	}
	if got := d.Evaluate(Request{Principal: acctC, Action: create, Resource: dstB}); got != (Result{ExplicitDeny, 1, "D"}) {
		t.Errorf("deny: %+v", got)
	}
	d, _ = Parse(`{"Statement":{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}}`)
	if got := d.Evaluate(Request{Principal: acctA, Action: create, Resource: dstB}); got != (Result{ImplicitDeny, -1, ""}) {
		t.Errorf("implicit: %+v", got)
	}
}

func TestDecisionString(t *testing.T) {
	for d, want := range map[Decision]string{ImplicitDeny: "ImplicitDeny", Allowed: "Allow", ExplicitDeny: "ExplicitDeny"} {
		if d.String() != want {
			t.Errorf("%d.String() = %s", d, d.String())
		}
	}
}

func TestPrincipals(t *testing.T) {
	stmt := func(principal string) string {
		return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":` + principal + `,"Action":"*","Resource":"*"}]}`
	}
	const (
		rootA    = "arn:aws:iam::111111111111:root"
		userA    = "arn:aws:iam::111111111111:user/alice"
		roleA    = "arn:aws:iam::111111111111:role/path/deployer"
		sessionA = "arn:aws:sts::111111111111:assumed-role/deployer/ci-42"
		svc      = "delivery.logs.amazonaws.com"
	)
	tests := []struct {
		principal, caller string
		want              bool
	}{
		{`"*"`, acctA, true},
		{`"*"`, svc, true},
		{`{"AWS":"*"}`, svc, true},
		{`{"AWS":"111111111111"}`, acctA, true},
		{`{"AWS":"111111111111"}`, rootA, true},
		{`{"AWS":"111111111111"}`, userA, true}, // the account delegates to its principals
		{`{"AWS":"111111111111"}`, acctC, false},
		{`{"AWS":"111111111111"}`, svc, false},
		{`{"AWS":"` + rootA + `"}`, acctA, true},
		{`{"AWS":"` + rootA + `"}`, sessionA, true},
		{`{"AWS":"arn:aws-cn:iam::111111111111:root"}`, acctA, true},
		// A caller known only by its account is its root: a user or role
		// principal is not it.
		{`{"AWS":"` + userA + `"}`, acctA, false},
		{`{"AWS":"` + userA + `"}`, userA, true},
		{`{"AWS":"arn:aws:iam::111111111111:user/Alice"}`, userA, false}, // user names are case-sensitive
		{`{"AWS":"` + roleA + `"}`, acctA, false},
		{`{"AWS":"` + roleA + `"}`, roleA, true},
		{`{"AWS":"` + roleA + `"}`, sessionA, true}, // a role covers its sessions
		{`{"AWS":"arn:aws:iam::111111111111:role/other"}`, sessionA, false},
		{`{"AWS":"` + sessionA + `"}`, sessionA, true},
		{`{"AWS":"` + sessionA + `"}`, roleA, false},
		{`{"AWS":["333333333333","` + rootA + `"]}`, acctA, true},
		{`{"AWS":"333333333333","Service":"` + svc + `"}`, svc, true},
		{`{"Service":"` + svc + `"}`, acctA, false},
		{`{"Service":["s3.amazonaws.com"]}`, svc, false},
		{`{"Federated":"cognito-identity.amazonaws.com"}`, acctA, false},
		{`{"CanonicalUser":"79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"}`, acctA, false},
	}
	for _, tt := range tests {
		d, err := Parse(stmt(tt.principal))
		if err != nil {
			t.Errorf("Parse(%s): %v", tt.principal, err)
			continue
		}
		if got := d.Allows(Request{Principal: tt.caller, Action: create, Resource: dstB}); got != tt.want {
			t.Errorf("Principal %s, caller %s: %v, want %v", tt.principal, tt.caller, got, tt.want)
		}
	}
}

func TestResources(t *testing.T) {
	for _, tt := range []struct {
		pattern, resource string
		want              bool
	}{
		{"*", dstB, true},
		{"arn:aws:logs:us-east-1:222222222222:delivery-destination:*", dstB, true},
		{"arn:aws:logs:*:222222222222:delivery-destination:xacct-?", dstB, true},
		{"arn:aws:logs:*:*:*", dstB, true},
		{"arn:aws:logs:us-east-1:222222222222:*", dstB, true}, // * spans the colons of the last part
		{"arn:aws:logs:*", dstB, true},                        // a short pattern's last part spans the rest
		{"arn:aws:logs:us-east-1:222*", dstB, true},           // likewise
		{"arn:aws:logs:us-*:222222222222:delivery-destination:xacct-1", dstB, true},
		{"arn:aws:logs:*:*:delivery-destination:XACCT-1", dstB, false}, // case-sensitive
		{"arn:aws:logs:*:*:delivery:*", dstB, false},
		{"arn:aws:logs:*east-1:222222222222:delivery-destination:*", dstB, true},
		{"arn:aws:logs:us-east-1*222222222222:delivery-destination:*", dstB, false}, // * stays in its part
		{"arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/a/b.gz", true},
		{"arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket2/a", false},
	} {
		doc := `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"` + tt.pattern + `"}]}`
		d, err := Parse(doc)
		if err != nil {
			t.Errorf("Parse(%s): %v", tt.pattern, err)
			continue
		}
		if got := d.Allows(Request{Principal: acctA, Action: create, Resource: tt.resource}); got != tt.want {
			t.Errorf("Resource %s vs %s: %v, want %v", tt.pattern, tt.resource, got, tt.want)
		}
	}
}

// opCase evaluates {"<op>": {"<key>": <values>}} in an Allow statement
// against a context.
type opCase struct {
	op, values string
	ctx        map[string][]string
	want       bool
}

func TestOperators(t *testing.T) {
	const k = "k:k"
	one := func(v string) map[string][]string { return ctx(k, v) }
	many := func(vs ...string) map[string][]string { return map[string][]string{k: vs} }
	cases := []opCase{
		// String
		{"StringEquals", `"abc"`, one("abc"), true},
		{"StringEquals", `"abc"`, one("ABC"), false},
		{"StringEquals", `"abc"`, nil, false},
		{"StringEquals", `["x","abc"]`, one("abc"), true},
		{"StringEquals", `"a*"`, one("abc"), false}, // no wildcards
		{"StringEquals", `12`, one("12"), true},     // numbers are compared as written
		{"StringEquals", `true`, one("true"), true}, // and booleans
		{"StringEquals", `[]`, one("abc"), false},
		{"StringNotEquals", `"abc"`, one("abc"), false},
		{"StringNotEquals", `"abc"`, one("abd"), true},
		{"StringNotEquals", `"abc"`, nil, true}, // absent key: negated operators hold
		{"StringNotEquals", `["a","b"]`, one("b"), false},
		{"StringNotEquals", `[]`, one("b"), true},
		{"StringEqualsIgnoreCase", `"AbC"`, one("aBc"), true},
		{"StringEqualsIgnoreCase", `"AbC"`, one("aBd"), false},
		{"StringNotEqualsIgnoreCase", `"AbC"`, one("aBc"), false},
		{"StringNotEqualsIgnoreCase", `"AbC"`, one("x"), true},
		{"StringNotEqualsIgnoreCase", `"AbC"`, nil, true},
		{"StringLike", `"a*c"`, one("abbbc"), true},
		{"StringLike", `"a?c"`, one("abc"), true},
		{"StringLike", `"a?c"`, one("ac"), false},
		{"StringLike", `"A*"`, one("abc"), false}, // case-sensitive
		{"StringLike", `"arn:aws:someservice:*:111122223333:finance/*"`, one("arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt"), true},
		{"StringNotLike", `"a*"`, one("abc"), false},
		{"StringNotLike", `"a*"`, one("xbc"), true},
		{"StringNotLike", `"a*"`, nil, true},
		// Numeric
		{"NumericEquals", `"10"`, one("10"), true},
		{"NumericEquals", `"10"`, one("10.0"), true},
		{"NumericEquals", `10`, one("1e1"), true},
		{"NumericEquals", `"10"`, one("11"), false},
		{"NumericEquals", `"10"`, one("ten"), false},
		{"NumericNotEquals", `"10"`, one("11"), true},
		{"NumericNotEquals", `"10"`, one("10"), false},
		{"NumericNotEquals", `"10"`, nil, true},
		{"NumericLessThan", `"10"`, one("9.5"), true},
		{"NumericLessThan", `"10"`, one("10"), false},
		{"NumericLessThanEquals", `"10"`, one("10"), true},
		{"NumericLessThanEquals", `"10"`, one("10.01"), false},
		{"NumericGreaterThan", `"10"`, one("11"), true},
		{"NumericGreaterThan", `"10"`, one("-11"), false},
		{"NumericGreaterThanEquals", `"-1.5"`, one("-1.5"), true},
		{"NumericGreaterThanEquals", `"-1.5"`, one("-2"), false},
		{"NumericGreaterThan", `"10"`, nil, false},
		// Date
		{"DateEquals", `"2020-01-01T00:00:00Z"`, one("2020-01-01T00:00:00Z"), true},
		{"DateEquals", `"2020-01-01T00:00:00Z"`, one("1577836800"), true}, // epoch
		{"DateEquals", `"2020-01-01"`, one("2020-01-01T00:00:00+00:00"), true},
		{"DateEquals", `"2020-01-01T01:00:00+01:00"`, one("2020-01-01T00:00:00Z"), true},
		{"DateNotEquals", `"2020-01-01T00:00:00Z"`, one("2020-01-01T00:00:01Z"), true},
		{"DateNotEquals", `"2020-01-01T00:00:00Z"`, nil, true},
		{"DateLessThan", `"2020-01-01T00:00:01Z"`, one("2020-01-01T00:00:00Z"), true},
		{"DateLessThan", `"2020-01-01T00:00:00Z"`, one("2020-01-01T00:00:00Z"), false},
		{"DateLessThanEquals", `"2020-01-01T00:00:00Z"`, one("2020-01-01T00:00:00.000Z"), true},
		{"DateGreaterThan", `"2020-01-01T00:00:00Z"`, one("2030-06-01T12:00:00Z"), true},
		{"DateGreaterThan", `1577836800`, one("2019-12-31T23:59:59Z"), false},
		{"DateGreaterThanEquals", `"2020-01-01T00:00:00Z"`, one("2020-01-01T00:00:00Z"), true},
		{"DateGreaterThan", `"2020-01-01T00:00:00Z"`, one("not a date"), false},
		// Bool
		{"Bool", `"true"`, one("true"), true},
		{"Bool", `true`, one("true"), true},
		{"Bool", `"true"`, one("false"), false},
		{"Bool", `"false"`, one("FALSE"), true},
		{"Bool", `"true"`, nil, false},
		// Binary
		{"BinaryEquals", `"QmluYXJ5VmFsdWVJbkJhc2U2NA=="`, one("QmluYXJ5VmFsdWVJbkJhc2U2NA=="), true},
		{"BinaryEquals", `"QmluYXJ5VmFsdWVJbkJhc2U2NA=="`, one("eA=="), false},
		// IP
		{"IpAddress", `"203.0.113.0/24"`, one("203.0.113.7"), true},
		{"IpAddress", `"203.0.113.0/24"`, one("203.0.114.7"), false},
		{"IpAddress", `"203.0.113.7"`, one("203.0.113.7"), true}, // a bare address is /32
		{"IpAddress", `"2001:db8::/32"`, one("2001:db8:1::1"), true},
		{"IpAddress", `"203.0.113.0/24"`, one("::ffff:203.0.113.9"), true},
		{"IpAddress", `"203.0.113.0/24"`, one("bogus"), false},
		{"NotIpAddress", `"203.0.113.0/24"`, one("198.51.100.1"), true},
		{"NotIpAddress", `"203.0.113.0/24"`, one("203.0.113.1"), false},
		// ARN
		{"ArnEquals", `"arn:aws:logs:us-east-1:111111111111:delivery-source:src"`, one(srcArnA), true},
		{"ArnEquals", `"arn:aws:logs:*:111111111111:delivery-source:*"`, one(srcArnA), true}, // ArnEquals ≡ ArnLike
		{"ArnLike", `"arn:aws:logs:*:111111111111:*"`, one(srcArnA), true},
		{"ArnLike", `"arn:aws:logs:*:222222222222:*"`, one(srcArnA), false},
		{"ArnLike", `"arn:aws:someservice:*:111122223333:finance/*"`, one("arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt"), false},
		{"ArnLike", `"arn:aws:logs:us-east-1:111111111111:delivery-source:SRC"`, one(srcArnA), false},
		{"ArnLike", `"arn:aws:logs:*:111111111111:*"`, one("not-an-arn"), false},
		{"ArnNotEquals", `"arn:aws:logs:*:111111111111:*"`, one(srcArnA), false},
		{"ArnNotLike", `"arn:aws:logs:*:222222222222:*"`, one(srcArnA), true},
		{"ArnNotLike", `"arn:aws:logs:*:222222222222:*"`, nil, true},
		// Null
		{"Null", `"true"`, nil, true},
		{"Null", `"true"`, one("x"), false},
		{"Null", `"false"`, one("x"), true},
		{"Null", `"false"`, nil, false},
		{"Null", `"TRUE"`, many(), true}, // no values is absent
		{"Null", `["true","false"]`, nil, true},
		// IfExists
		{"StringEqualsIfExists", `"abc"`, nil, true},
		{"StringEqualsIfExists", `"abc"`, one("abc"), true},
		{"StringEqualsIfExists", `"abc"`, one("abd"), false},
		{"StringNotEqualsIfExists", `"abc"`, nil, true},
		{"StringNotEqualsIfExists", `"abc"`, one("abc"), false},
		{"NumericLessThanIfExists", `"5"`, nil, true},
		{"NumericLessThanIfExists", `"5"`, one("6"), false},
		{"ArnLikeIfExists", `"arn:aws:logs:*:111111111111:*"`, one(srcArnA), true},
		{"DateLessThanIfExists", `"2020-01-01T00:00:00Z"`, nil, true},
		{"BoolIfExists", `"true"`, one("false"), false},
		// ForAnyValue / ForAllValues
		{"ForAnyValue:StringEquals", `["a","b"]`, many("x", "b"), true},
		{"ForAnyValue:StringEquals", `["a","b"]`, many("x", "y"), false},
		{"ForAnyValue:StringEquals", `["a","b"]`, nil, false},
		{"ForAnyValue:StringLike", `["a*"]`, many("x", "abc"), true},
		{"ForAnyValue:StringNotEquals", `["a","b"]`, many("a", "c"), true}, // c is neither
		{"ForAnyValue:StringNotEquals", `["a","b"]`, many("a", "b"), false},
		{"ForAnyValue:StringNotEquals", `["a"]`, nil, false},
		{"ForAllValues:StringEquals", `["a","b"]`, many("a", "b"), true},
		{"ForAllValues:StringEquals", `["a","b"]`, many("a", "c"), false},
		{"ForAllValues:StringEquals", `["a","b"]`, nil, true},
		{"ForAllValues:StringEquals", `["a","b"]`, many(), true},
		{"ForAllValues:StringNotEquals", `["a","b"]`, many("c", "d"), true},
		{"ForAllValues:StringNotEquals", `["a","b"]`, many("c", "a"), false},
		{"ForAllValues:StringEqualsIgnoreCase", `["A"]`, many("a", "A"), true},
		{"ForAnyValue:StringEqualsIfExists", `["a"]`, nil, true},
		{"ForAllValues:NumericLessThan", `"10"`, many("1", "2", "9"), true},
		{"ForAllValues:NumericLessThan", `"10"`, many("1", "20"), false},
		// A multi-valued key without a set operator: any value matches;
		// negated, none may.
		{"StringEquals", `"b"`, many("a", "b"), true},
		{"StringNotEquals", `"b"`, many("a", "b"), false},
		{"StringNotEquals", `"c"`, many("a", "b"), true},
	}
	for _, tc := range cases {
		doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":{"` +
			tc.op + `":{"` + k + `":` + tc.values + `}}}]}`
		d, err := Parse(doc)
		if err != nil {
			t.Errorf("%s %s: Parse: %v", tc.op, tc.values, err)
			continue
		}
		if got := d.Allows(Request{Principal: acctA, Action: create, Resource: dstB, Context: tc.ctx}); got != tc.want {
			t.Errorf("%s %s with %v: %v, want %v", tc.op, tc.values, tc.ctx, got, tc.want)
		}
	}
}

func TestContextKeys(t *testing.T) {
	doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":{` +
		`"StringEquals":{"aws:ResourceTag/Team":"blue"}}}]}`
	d, err := Parse(doc)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		ctx  map[string][]string
		want bool
	}{
		{ctx("aws:ResourceTag/team", "blue"), true}, // tag keys are case-insensitive
		{ctx("AWS:RESOURCETAG/TEAM", "blue"), true},
		{ctx("aws:ResourceTag/Team", "Blue"), false}, // values are not
		{ctx("aws:ResourceTag/Team", "red", "aws:ResourceTag/team", "blue"), true},
		{ctx("aws:ResourceTag/Team", "red"), false},
		{nil, false},
	} {
		if got := d.Allows(Request{Principal: acctA, Action: create, Resource: dstB, Context: c.ctx}); got != c.want {
			t.Errorf("%v: %v, want %v", c.ctx, got, c.want)
		}
	}
}

func TestVariables(t *testing.T) {
	c := ctx("aws:SourceAccount", acctA, "aws:PrincipalAccount", acctA, "aws:ResourceTag/env", "p*d", "multi:k", "a")
	c["multi:k"] = append(c["multi:k"], "b")
	tests := []struct {
		name, version, resource, cond string
		want                          bool
	}{
		{"resource with a variable", "2012-10-17", "arn:aws:logs:us-east-1:222222222222:delivery-destination:${aws:SourceAccount}-*", "", false},
		{"resource variable resolves", "2012-10-17", "arn:aws:logs:us-east-1:222222222222:delivery-destination:xacct-?", "", true},
		{"condition with a variable", "2012-10-17", "*", `{"StringEquals":{"aws:SourceAccount":"${aws:PrincipalAccount}"}}`, true},
		{"variable names are case-insensitive", "2012-10-17", "*", `{"StringEquals":{"aws:SourceAccount":"${AWS:principalaccount}"}}`, true},
		{"2008-10-17 keeps ${} literal", "2008-10-17", "*", `{"StringEquals":{"aws:SourceAccount":"${aws:PrincipalAccount}"}}`, false},
		{"no Version keeps ${} literal", "", "*", `{"StringEquals":{"aws:SourceAccount":"${aws:PrincipalAccount}"}}`, false},
		{"unresolved: positive does not match", "2012-10-17", "*", `{"StringEquals":{"aws:SourceAccount":"${aws:username}"}}`, false},
		{"unresolved: negated matches", "2012-10-17", "*", `{"StringNotEquals":{"aws:SourceAccount":"${aws:username}"}}`, true},
		{"default value", "2012-10-17", "*", `{"StringEquals":{"aws:SourceAccount":"${aws:username, '111111111111'}"}}`, true},
		{"multi-valued keys do not resolve", "2012-10-17", "*", `{"StringLike":{"aws:SourceAccount":"${multi:k}"}}`, false},
		{"substituted wildcards are literal", "2012-10-17", "*", `{"StringLike":{"aws:SourceAccount":"${aws:ResourceTag/env}"}}`, false},
		{"escapes", "2012-10-17", "*", `{"StringLike":{"aws:ResourceTag/env":"p${*}d"}}`, true},
		{"escaped star is literal", "2012-10-17", "*", `{"StringLike":{"aws:SourceAccount":"${*}"}}`, false},
		{"pattern around a variable", "2012-10-17", "*", `{"StringLike":{"aws:SourceAccount":"1*${aws:PrincipalAccount}"}}`, false},
		{"ArnLike with a variable", "2012-10-17", "*", `{"ArnLike":{"k:arn":"arn:aws:logs:*:${aws:SourceAccount}:*"}}`, true},
	}
	c["k:arn"] = []string{srcArnA}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			version := ""
			if tt.version != "" {
				version = `"Version":"` + tt.version + `",`
			}
			cond := ""
			if tt.cond != "" {
				cond = `,"Condition":` + tt.cond
			}
			d, err := Parse(`{` + version + `"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"` + tt.resource + `"` + cond + `}]}`)
			if err != nil {
				t.Fatal(err)
			}
			if got := d.Allows(Request{Principal: acctA, Action: create, Resource: dstB, Context: c}); got != tt.want {
				t.Fatalf("Allows = %v, want %v", got, tt.want)
			}
		})
	}
	// A resource variable that resolves.
	d, err := Parse(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"arn:aws:logs:us-east-1:${aws:ResourceAccount}:delivery-destination:*"}]}`)
	if err != nil {
		t.Fatal(err)
	}
	if !d.Allows(Request{Principal: acctA, Action: create, Resource: dstB, Context: ctx("aws:ResourceAccount", acctB)}) {
		t.Error("resource variable: denied")
	}
	if d.Allows(Request{Principal: acctA, Action: create, Resource: dstB}) {
		t.Error("unresolved resource variable: allowed")
	}
}

// validStmt is a statement every refusal below breaks one rule of.
const validStmt = `{"Sid":"S1","Effect":"Allow","Principal":{"AWS":"111111111111"},"Action":"logs:CreateDelivery","Resource":"*"}`

func TestParseAccepts(t *testing.T) {
	for _, doc := range []string{
		`{"Version":"2012-10-17","Statement":[` + validStmt + `]}`,
		`{"Version":"2008-10-17","Id":"x","Statement":` + validStmt + `}`,
		`{"Statement":[` + validStmt + `]}`,
		` {"Statement":[` + validStmt + `]} `,
		`{"Statement":[{"Effect":"Allow","Principal":"*","Action":["logs:CreateDelivery","logs:Get*"],"Resource":["arn:aws:logs:us-east-1:222222222222:delivery-destination:*"]}]}`,
		`{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"},{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}`, // no Sids
		`{"Statement":[{"Sid":"","Effect":"Allow","Principal":"*","Action":"*","Resource":"*"},{"Sid":"","Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}`,
		`{"Statement":[{"Effect":"Deny","NotPrincipal":{"AWS":["111111111111","arn:aws:iam::222222222222:root"]},"NotAction":"logs:Get*","NotResource":"arn:aws:logs:*:*:*"}]}`,
		`{"Statement":[{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::111111111111:user/a/b","arn:aws:iam::111111111111:role/r","arn:aws:sts::111111111111:assumed-role/r/s","arn:aws-cn:iam::111111111111:root"]},"Action":"*","Resource":"*"}]}`,
		`{"Statement":[{"Effect":"Allow","Principal":{"Service":["delivery.logs.amazonaws.com"],"Federated":"cognito-identity.amazonaws.com","CanonicalUser":"abc"},"Action":"*","Resource":"*"}]}`,
		`{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":{}}]}`,
		`{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":{"StringEquals":{}}}]}`,
		`{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":{"ForAnyValue:StringLikeIfExists":{"aws:TagKeys":["a*",1,true]},"Null":{"aws:SourceArn":false},"NumericLessThan":{"s3:max-keys":[10,"1.5e2"]},"DateGreaterThan":{"aws:CurrentTime":["2020-01-01T00:00:00Z",1577836800,"2020-01-01"]},"IpAddress":{"aws:SourceIp":["10.0.0.0/8","::1"]},"ArnNotLike":{"aws:SourceArn":"arn:aws:logs:*"}}}]}`,
		`{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"arn:aws:logs:us-east-1:${aws:PrincipalAccount}:*"}]}`,
		`{"Statement":[{"Effect":"Allow","Principal":"*","Action":"logs:","Resource":"arn:aws:s3:::b"}]}`,
		// the same member name in different objects
		`{"Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"*","Resource":"*","Condition":{"StringEquals":{"a:b":"1"},"StringLike":{"a:b":"1"}}},{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"*","Resource":"*"}]}`,
	} {
		if _, err := Parse(doc); err != nil {
			t.Errorf("Parse(%s): %v", doc, err)
		}
	}
}

func TestParseRefuses(t *testing.T) {
	st := func(repl ...string) string {
		return `{"Version":"2012-10-17","Statement":[` + strings.NewReplacer(repl...).Replace(validStmt) + `]}`
	}
	withStmt := func(s string) string { return `{"Version":"2012-10-17","Statement":[` + s + `]}` }
	cond := func(c string) string {
		return withStmt(`{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":` + c + `}`)
	}
	for _, doc := range []string{
		// not a JSON object
		``, `not json`, `[]`, `null`, `"x"`, `5`, `{`, `{"Statement":[` + validStmt + `]} x`,
		// top level
		`{}`, `{"Statement":[]}`, `{"Statement":{}}`, `{"Statement":null}`, `{"Statement":"x"}`, `{"Statement":[5]}`, `{"Statement":[null]}`,
		`{"Version":"2012-10-17"}`,
		`{"Version":"2012-10-18","Statement":[` + validStmt + `]}`,
		`{"Version":20121017,"Statement":[` + validStmt + `]}`,
		`{"Version":null,"Statement":[` + validStmt + `]}`,
		`{"Id":5,"Statement":[` + validStmt + `]}`,
		`{"Statement":[` + validStmt + `],"Extra":1}`,
		`{"statement":[` + validStmt + `]}`,
		`{"Statement":[` + validStmt + `],"Conditions":{}}`,
		// statement elements
		st(`"Sid":"S1",`, `"Sid":"S1","Foo":1,`),
		st(`"Sid":"S1"`, `"Sid":5`),
		withStmt(validStmt + `,` + validStmt), // duplicate Sid
		st(`"Effect":"Allow"`, `"Effect":"allow"`),
		st(`"Effect":"Allow"`, `"Effect":"Maybe"`),
		st(`"Effect":"Allow",`, ``),
		st(`"Effect":"Allow"`, `"Effect":true`),
		// principals
		st(`"Principal":{"AWS":"111111111111"},`, ``),
		st(`"Principal"`, `"NotPrincipal"`), // NotPrincipal with Allow
		st(`"Principal":{"AWS":"111111111111"}`, `"Principal":{"AWS":"111111111111"},"NotPrincipal":{"AWS":"1"}`),
		st(`{"AWS":"111111111111"}`, `"someone"`),
		st(`{"AWS":"111111111111"}`, `{}`),
		st(`{"AWS":"111111111111"}`, `{"AWS":[]}`),
		st(`{"AWS":"111111111111"}`, `{"AWS":""}`),
		st(`{"AWS":"111111111111"}`, `{"AWS":"11111111111"}`),
		st(`{"AWS":"111111111111"}`, `{"AWS":"arn:aws:iam::*:root"}`),
		st(`{"AWS":"111111111111"}`, `{"AWS":"arn:aws:iam::111111111111:user/*"}`),
		st(`{"AWS":"111111111111"}`, `{"AWS":"arn:aws:s3:::bucket"}`),
		st(`{"AWS":"111111111111"}`, `{"AWS":"AIDAJQABLZS4A3QDU576Q"}`),
		st(`{"AWS":"111111111111"}`, `{"Nobody":"x"}`),
		st(`{"AWS":"111111111111"}`, `{"Service":"*"}`),
		st(`{"AWS":"111111111111"}`, `{"Service":"*.amazonaws.com"}`),
		st(`{"AWS":"111111111111"}`, `{"AWS":5}`),
		st(`{"AWS":"111111111111"}`, `null`),
		// actions
		st(`"Action":"logs:CreateDelivery",`, ``),
		st(`"Action":"logs:CreateDelivery"`, `"Action":"logs:CreateDelivery","NotAction":"logs:X"`),
		st(`"Action":"logs:CreateDelivery"`, `"Action":[]`),
		st(`"Action":"logs:CreateDelivery"`, `"Action":5`),
		st(`"Action":"logs:CreateDelivery"`, `"Action":[5]`),
		st(`"Action":"logs:CreateDelivery"`, `"Action":"CreateDelivery"`),
		st(`"Action":"logs:CreateDelivery"`, `"Action":"logs:Create:Delivery"`),
		st(`"Action":"logs:CreateDelivery"`, `"Action":"lo*s:CreateDelivery"`),
		st(`"Action":"logs:CreateDelivery"`, `"Action":":CreateDelivery"`),
		st(`"Action":"logs:CreateDelivery"`, `"Action":"lo gs:CreateDelivery"`),
		// resources
		st(`,"Resource":"*"`, ``),
		st(`"Resource":"*"`, `"Resource":"*","NotResource":"*"`),
		st(`"Resource":"*"`, `"Resource":[]`),
		st(`"Resource":"*"`, `"Resource":{}`),
		st(`"Resource":"*"`, `"Resource":"bucket"`),
		st(`"Resource":"*"`, `"Resource":"arn:aws:logs"`),
		st(`"Resource":"*"`, `"Resource":"arn:*:logs:us-east-1:1:x"`),
		st(`"Resource":"*"`, `"Resource":"arn:aws:log*:us-east-1:1:x"`),
		st(`"Resource":"*"`, `"Resource":"arn:aws::us-east-1:1:x"`),
		st(`"Resource":"*"`, `"Resource":"arn:foo:logs:us-east-1:1:x"`),
		// conditions
		cond(`[]`),
		cond(`"x"`),
		cond(`{"StringEquals":"x"}`),
		cond(`{"StringEquals":[]}`),
		cond(`{"StringEqualz":{"aws:SourceAccount":"1"}}`),
		cond(`{"StringEqualz":{}}`),
		cond(`{"NullIfExists":{"aws:SourceAccount":"true"}}`),
		cond(`{"ForSomeValues:StringEquals":{"aws:SourceAccount":"1"}}`),
		cond(`{"StringEquals":{"SourceAccount":"1"}}`),
		cond(`{"StringEquals":{"aws:":"1"}}`),
		cond(`{"StringEquals":{"aws:SourceAccount":null}}`),
		cond(`{"StringEquals":{"aws:SourceAccount":{"a":"b"}}}`),
		cond(`{"StringEquals":{"aws:SourceAccount":[["a"]]}}`),
		cond(`{"StringEquals":{"aws:SourceAccount":[null]}}`),
		cond(`{"NumericEquals":{"s3:max-keys":"ten"}}`),
		cond(`{"NumericEquals":{"s3:max-keys":"NaN"}}`),
		cond(`{"NumericEquals":{"s3:max-keys":"1e999"}}`),
		cond(`{"NumericEquals":{"s3:max-keys":"${aws:EpochTime}"}}`),
		cond(`{"DateLessThan":{"aws:CurrentTime":"yesterday"}}`),
		cond(`{"DateLessThan":{"aws:CurrentTime":"2020-13-01T00:00:00Z"}}`),
		cond(`{"IpAddress":{"aws:SourceIp":"10.0.0.0/33"}}`),
		cond(`{"IpAddress":{"aws:SourceIp":"localhost"}}`),
		cond(`{"Null":{"aws:SourceAccount":"yes"}}`),
		// a member named twice
		`{"Statement":[` + validStmt + `],"Statement":[` + validStmt + `]}`,
		withStmt(`{"Effect":"Deny","Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}`),
		st(`{"AWS":"111111111111"}`, `{"AWS":"111111111111","AWS":"*"}`),
		cond(`{"StringEquals":{"aws:SourceAccount":"1","aws:SourceAccount":"2"}}`),
		cond(`{"StringEquals":{"aws:SourceAccount":[{"a":1,"a":2}]}}`),
	} {
		d, err := Parse(doc)
		if err == nil {
			t.Errorf("Parse(%s) accepted", doc)
			continue
		}
		var pe *Error
		if !errors.As(err, &pe) || pe.Message == "" || d != nil {
			t.Errorf("Parse(%s): bad refusal %#v, %v", doc, err, d)
		}
	}
}

// Refusals never quote the document: policy bodies stay out of logs.
func TestErrorsDoNotQuoteTheDocument(t *testing.T) {
	const secret = "s3cr3t-marker"
	for _, doc := range []string{
		`{"Version":"` + secret + `","Statement":[]}`,
		`{"` + secret + `":1,"Statement":[]}`,
		`{"Statement":[{"Effect":"` + secret + `","Principal":"*","Action":"*","Resource":"*"}]}`,
		`{"Statement":[{"Effect":"Allow","Principal":{"AWS":"` + secret + `"},"Action":"*","Resource":"*"}]}`,
		`{"Statement":[{"Effect":"Allow","Principal":"*","Action":"` + secret + `","Resource":"*"}]}`,
		`{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"` + secret + `"}]}`,
		`{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":{"` + secret + `":{}}}]}`,
		`{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":{"NumericEquals":{"a:b":"` + secret + `"}}}]}`,
	} {
		_, err := Parse(doc)
		if err == nil || strings.Contains(err.Error(), secret) {
			t.Errorf("Parse: %v", err)
		}
	}
}

func TestWildcard(t *testing.T) {
	for _, c := range []struct {
		p, s string
		want bool
	}{
		{"*", "", true}, {"a*c", "abbbc", true}, {"a*c", "abbb", false}, {"a?c", "abc", true}, {"a?c", "ac", false},
		{"*:delivery-destination:*", "arn:aws:logs:r:1:delivery-destination:x", true}, {"a**b", "ab", true}, {"", "a", false},
		{"", "", true}, {"?", "é", true}, {"??", "é", false}, {"*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaa", false},
	} {
		if got := Wildcard(c.p, c.s); got != c.want {
			t.Errorf("Wildcard(%q, %q) = %v", c.p, c.s, got)
		}
	}
	for _, c := range []struct {
		p, s string
		want bool
	}{
		{"arn:aws:logs:*:1:x", "arn:aws:logs:us-east-1:1:x", true},
		{"arn:aws:logs:*:1:x", "arn:aws:logs:us-east-1:2:x", false},
		{"arn:aws:logs:*:1:a:*", "arn:aws:logs:r:1:a:b:c", true},
		{"*", "anything:at:all", true},
		{"arn:*", "arn:aws:logs:r:1:x", true},
		{"arn:aws:logs:r:1:x", "arn:aws:logs:r:1", false},
	} {
		if got := ArnLike(c.p, c.s); got != c.want {
			t.Errorf("ArnLike(%q, %q) = %v", c.p, c.s, got)
		}
	}
}

func TestEvaluatorAdapter(t *testing.T) {
	var e Evaluator
	doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"111111111111"},"Action":"logs:CreateDelivery","Resource":"*"},
		{"Effect":"Deny","Principal":"*","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-bad"}}}]}`
	if !e.Valid(doc) || e.Valid(`{}`) {
		t.Fatal("Valid")
	}
	if a, d := e.Evaluate(doc, acctA, create, dstB, nil); !a || d {
		t.Errorf("allowed: %v %v", a, d)
	}
	if a, d := e.Evaluate(doc, acctA, create, dstB, ctx("aws:PrincipalOrgID", "o-bad")); a || !d {
		t.Errorf("explicit deny: %v %v", a, d)
	}
	if a, d := e.Evaluate(doc, acctC, create, dstB, nil); a || d {
		t.Errorf("implicit deny: %v %v", a, d)
	}
	if a, d := e.Evaluate(`not json`, acctA, create, dstB, nil); a || d {
		t.Errorf("invalid document: %v %v", a, d)
	}
}
