package policy

import "testing"

// The cross-account example of the CloudWatch Logs documentation.
const docExample = `{"Version":"2012-10-17","Statement":[{"Sid":"AllowLogDeliveryActions","Effect":"Allow",
"Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"logs:CreateDelivery",
"Resource":["arn:aws:logs:us-east-1:111111111111:delivery-source:*","arn:aws:logs:us-east-1:222222222222:delivery:*",
"arn:aws:logs:us-east-1:222222222222:delivery-destination:*"]}]}`

func TestAllows(t *testing.T) {
	dst := "arn:aws:logs:us-east-1:222222222222:delivery-destination:d"
	tests := []struct {
		name, doc, account, action, resource string
		want                                 bool
	}{
		{"documented example", docExample, "111111111111", "logs:CreateDelivery", dst, true},
		{"other account", docExample, "333333333333", "logs:CreateDelivery", dst, false},
		{"other action", docExample, "111111111111", "logs:DeleteDelivery", dst, false},
		{"resource not listed", docExample, "111111111111", "logs:CreateDelivery", "arn:aws:logs:us-east-1:222222222222:log-group:x", false},
		{"action case-insensitive", docExample, "111111111111", "LOGS:createdelivery", dst, true},
		{"statement object, star principal, wildcards",
			`{"Statement":{"Effect":"Allow","Principal":"*","Action":"logs:Create*","Resource":"arn:aws:logs:*:2222222222??:delivery-destination:*"}}`,
			"999999999999", "logs:CreateDelivery", dst, true},
		{"account id principal", `{"Statement":[{"Effect":"Allow","Principal":{"AWS":["111111111111"]},"Action":"*","Resource":"*"}]}`,
			"111111111111", "logs:CreateDelivery", dst, true},
		{"role ARN of the account", `{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:role/r"},"Action":"*","Resource":"*"}]}`,
			"111111111111", "logs:CreateDelivery", dst, true},
		{"service principal only", `{"Statement":[{"Effect":"Allow","Principal":{"Service":"delivery.logs.amazonaws.com"},"Action":"*","Resource":"*"}]}`,
			"111111111111", "logs:CreateDelivery", dst, false},
		{"explicit deny wins", `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"},
			{"Effect":"Deny","Principal":{"AWS":"111111111111"},"Action":"logs:CreateDelivery","Resource":"*"}]}`,
			"111111111111", "logs:CreateDelivery", dst, false},
		{"NotAction", `{"Statement":[{"Effect":"Allow","Principal":"*","NotAction":"logs:Delete*","Resource":"*"}]}`,
			"111111111111", "logs:CreateDelivery", dst, true},
		{"NotResource", `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","NotResource":"` + dst + `"}]}`,
			"111111111111", "logs:CreateDelivery", dst, false},
		{"condition never grants", `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*",
			"Condition":{"StringEquals":{"aws:SourceAccount":"111111111111"}}}]}`, "111111111111", "logs:CreateDelivery", dst, false},
		{"no statement grants: default deny", `{"Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*"}]}`,
			"111111111111", "logs:CreateDelivery", dst, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := Parse(tt.doc)
			if err != nil {
				t.Fatal(err)
			}
			if got := d.Allows(Request{Account: tt.account, Action: tt.action, Resource: tt.resource}); got != tt.want {
				t.Fatalf("Allows = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestParseRefuses(t *testing.T) {
	for _, doc := range []string{
		``, `not json`, `[]`, `{}`, `{"Statement":[]}`,
		`{"Statement":[{"Effect":"Maybe","Principal":"*","Action":"*","Resource":"*"}]}`,
		`{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`,
		`{"Statement":[{"Effect":"Allow","Principal":"*","Resource":"*"}]}`,
		`{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*"}]}`,
		`{"Statement":[{"Effect":"Allow","Principal":"someone","Action":"*","Resource":"*"}]}`,
		`{"Statement":[{"Effect":"Allow","Principal":{"Nobody":"x"},"Action":"*","Resource":"*"}]}`,
		`{"Statement":[{"Effect":"Allow","Principal":"*","Action":5,"Resource":"*"}]}`,
	} {
		if _, err := Parse(doc); err == nil {
			t.Errorf("Parse(%q) accepted", doc)
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
	} {
		if got := Wildcard(c.p, c.s); got != c.want {
			t.Errorf("Wildcard(%q, %q) = %v", c.p, c.s, got)
		}
	}
}
