package policy

import (
	"bytes"
	"encoding/json"
	"math"
	"net/netip"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Condition is one key test of a Condition block: Operator applied to the
// request's values of Key and the policy's Values.
type Condition struct {
	Operator string // as written, e.g. "ForAnyValue:StringLikeIfExists"
	Key      string // as written, e.g. "aws:SourceAccount"
	Values   []string

	op       operator
	set      setOp
	ifExists bool
	key      string // lower-cased Key
	vars     bool   // policy variables are expanded in Values
	nums     []float64
	times    []time.Time
	nets     []netip.Prefix
}

type setOp int

const (
	setNone setOp = iota
	setAny        // ForAnyValue:
	setAll        // ForAllValues:
)

type opKind int

const (
	kString opKind = iota
	kStringFold
	kLike
	kNumeric
	kDate
	kBool
	kBinary
	kIP
	kArn
	kNull
)

type cmpOp int

const (
	cmpEq cmpOp = iota
	cmpLt
	cmpLe
	cmpGt
	cmpGe
)

// operator is a base condition operator. A negated operator is true when
// the request value matches none of the policy values.
type operator struct {
	kind    opKind
	cmp     cmpOp
	negated bool
}

// operators holds the base operators by lower-cased name.
var operators = map[string]operator{
	"stringequals":              {kind: kString},
	"stringnotequals":           {kind: kString, negated: true},
	"stringequalsignorecase":    {kind: kStringFold},
	"stringnotequalsignorecase": {kind: kStringFold, negated: true},
	"stringlike":                {kind: kLike},
	"stringnotlike":             {kind: kLike, negated: true},
	"numericequals":             {kind: kNumeric, cmp: cmpEq},
	"numericnotequals":          {kind: kNumeric, cmp: cmpEq, negated: true},
	"numericlessthan":           {kind: kNumeric, cmp: cmpLt},
	"numericlessthanequals":     {kind: kNumeric, cmp: cmpLe},
	"numericgreaterthan":        {kind: kNumeric, cmp: cmpGt},
	"numericgreaterthanequals":  {kind: kNumeric, cmp: cmpGe},
	"dateequals":                {kind: kDate, cmp: cmpEq},
	"datenotequals":             {kind: kDate, cmp: cmpEq, negated: true},
	"datelessthan":              {kind: kDate, cmp: cmpLt},
	"datelessthanequals":        {kind: kDate, cmp: cmpLe},
	"dategreaterthan":           {kind: kDate, cmp: cmpGt},
	"dategreaterthanequals":     {kind: kDate, cmp: cmpGe},
	"bool":                      {kind: kBool},
	"binaryequals":              {kind: kBinary},
	"ipaddress":                 {kind: kIP},
	"notipaddress":              {kind: kIP, negated: true},
	"arnequals":                 {kind: kArn},
	"arnlike":                   {kind: kArn},
	"arnnotequals":              {kind: kArn, negated: true},
	"arnnotlike":                {kind: kArn, negated: true},
	"null":                      {kind: kNull},
}

// parseConditions reads a Condition block: operators, each with keys, each
// with one value or a list of values.
func parseConditions(raw json.RawMessage, vars bool) ([]Condition, error) {
	block, err := object(raw)
	if err != nil {
		return nil, errorf("Condition must be an object")
	}
	var out []Condition
	for _, name := range sortedKeys(block) {
		op, set, ifExists, ok := lookupOperator(name)
		if !ok {
			return nil, errorf("unknown condition operator")
		}
		keys, err := object(block[name])
		if err != nil {
			return nil, errorf("a condition operator must hold an object of condition keys")
		}
		for _, key := range sortedKeys(keys) {
			vendor, rest, found := strings.Cut(key, ":")
			if !found || rest == "" || !vendorRe.MatchString(vendor) {
				return nil, errorf("Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.")
			}
			values, err := conditionValues(keys[key])
			if err != nil {
				return nil, err
			}
			c := Condition{Operator: name, Key: key, Values: values, op: op, set: set, ifExists: ifExists,
				key: strings.ToLower(key), vars: vars && (op.kind == kString || op.kind == kStringFold || op.kind == kLike || op.kind == kArn || op.kind == kBool)}
			if err := c.prepare(); err != nil {
				return nil, err
			}
			out = append(out, c)
		}
	}
	return out, nil
}

// lookupOperator splits an operator name into its ForAnyValue:/ForAllValues:
// prefix, base operator and IfExists suffix (not allowed on Null). Names
// are matched without regard to case.
func lookupOperator(name string) (op operator, set setOp, ifExists, ok bool) {
	n := strings.ToLower(name)
	if rest, found := strings.CutPrefix(n, "foranyvalue:"); found {
		n, set = rest, setAny
	} else if rest, found := strings.CutPrefix(n, "forallvalues:"); found {
		n, set = rest, setAll
	}
	if rest, found := strings.CutSuffix(n, "ifexists"); found {
		n, ifExists = rest, true
	}
	op, ok = operators[n]
	if ok && op.kind == kNull && ifExists {
		ok = false
	}
	return op, set, ifExists, ok
}

// conditionValues decodes a condition value: a string, number or boolean,
// or a list of them.
func conditionValues(raw json.RawMessage) ([]string, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, errorf("a condition value is not valid JSON")
	}
	if l, isList := v.([]any); isList {
		out := make([]string, 0, len(l))
		for _, x := range l {
			s, ok := scalar(x)
			if !ok {
				return nil, errorf("a condition value must be a string, number or boolean, or a list of them")
			}
			out = append(out, s)
		}
		return out, nil
	}
	s, ok := scalar(v)
	if !ok {
		return nil, errorf("a condition value must be a string, number or boolean, or a list of them")
	}
	return []string{s}, nil
}

func scalar(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case json.Number:
		return string(x), true
	case bool:
		return strconv.FormatBool(x), true
	}
	return "", false
}

// prepare checks and pre-parses the values of operators that take numbers,
// dates, addresses or true/false.
func (c *Condition) prepare() error {
	for _, v := range c.Values {
		switch c.op.kind {
		case kNumeric:
			n, ok := parseNumber(v)
			if !ok {
				return errorf("a Numeric condition value is not a number")
			}
			c.nums = append(c.nums, n)
		case kDate:
			t, ok := parseDate(v)
			if !ok {
				return errorf("a Date condition value is not an ISO 8601 date or epoch time")
			}
			c.times = append(c.times, t)
		case kIP:
			p, ok := parsePrefix(v)
			if !ok {
				return errorf("an IpAddress condition value is not an IP address or CIDR block")
			}
			c.nets = append(c.nets, p)
		case kNull:
			if !strings.EqualFold(v, "true") && !strings.EqualFold(v, "false") {
				return errorf("a Null condition value must be true or false")
			}
		}
	}
	return nil
}

var numberRe = regexp.MustCompile(`^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$`)

func parseNumber(s string) (float64, bool) {
	if !numberRe.MatchString(s) {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(f, 0) {
		return 0, false
	}
	return f, true
}

var dateLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999",
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04",
	"2006-01-02",
	"20060102T150405Z",
}

// parseDate reads an ISO 8601 date (a time without a zone is UTC) or epoch
// seconds.
func parseDate(s string) (time.Time, bool) {
	if s != "" && strings.Trim(s, "0123456789") == "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return time.Time{}, false
		}
		return time.Unix(n, 0).UTC(), true
	}
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

func parsePrefix(s string) (netip.Prefix, bool) {
	if p, err := netip.ParsePrefix(s); err == nil {
		if a := p.Addr(); a.Is4In6() && p.Bits() >= 96 {
			return netip.PrefixFrom(a.Unmap(), p.Bits()-96).Masked(), true
		}
		return p.Masked(), true
	}
	if a, err := netip.ParseAddr(s); err == nil && a.Zone() == "" {
		a = a.Unmap()
		return netip.PrefixFrom(a, a.BitLen()), true
	}
	return netip.Prefix{}, false
}

// eval decides the condition for a request context.
func (c *Condition) eval(ctx reqContext) bool {
	vals, present := ctx.get(c.key)
	if c.op.kind == kNull {
		for _, v := range c.Values {
			if strings.EqualFold(v, "true") != present {
				return true
			}
		}
		return false
	}
	if !present {
		switch {
		case c.ifExists, c.set == setAll:
			return true
		case c.set == setAny:
			return false
		}
		return c.op.negated // a negated operator holds for an absent key
	}
	matches := c.matcher(ctx)
	switch c.set {
	case setAny:
		for _, v := range vals {
			if matches(v) != c.op.negated {
				return true
			}
		}
		return false
	case setAll:
		for _, v := range vals {
			if matches(v) == c.op.negated {
				return false
			}
		}
		return true
	}
	return slices.ContainsFunc(vals, matches) != c.op.negated
}

// matcher returns the positive test of one request value against the
// policy values: true when it matches any of them. Values with a policy
// variable that does not resolve match nothing.
func (c *Condition) matcher(ctx reqContext) func(string) bool {
	switch c.op.kind {
	case kString, kStringFold, kBool, kBinary:
		var want []string
		for _, v := range c.Values {
			if s, ok := expandString(v, ctx, c.vars); ok {
				want = append(want, s)
			}
		}
		if c.op.kind == kString || c.op.kind == kBinary {
			return func(v string) bool { return slices.Contains(want, v) }
		}
		return func(v string) bool {
			return slices.ContainsFunc(want, func(w string) bool { return strings.EqualFold(v, w) })
		}
	case kLike, kArn:
		var globs []glob
		for _, v := range c.Values {
			if g, ok := expandGlob(v, ctx, c.vars); ok {
				globs = append(globs, g)
			}
		}
		if c.op.kind == kLike {
			return func(v string) bool { return slices.ContainsFunc(globs, func(g glob) bool { return g.match(v) }) }
		}
		return func(v string) bool { return slices.ContainsFunc(globs, func(g glob) bool { return g.matchArn(v) }) }
	case kNumeric:
		return func(v string) bool {
			n, ok := parseNumber(v)
			return ok && slices.ContainsFunc(c.nums, func(w float64) bool { return compare(c.op.cmp, cmpFloat(n, w)) })
		}
	case kDate:
		return func(v string) bool {
			t, ok := parseDate(v)
			return ok && slices.ContainsFunc(c.times, func(w time.Time) bool { return compare(c.op.cmp, t.Compare(w)) })
		}
	case kIP:
		return func(v string) bool {
			a, err := netip.ParseAddr(v)
			if err != nil {
				return false
			}
			a = a.Unmap().WithZone("")
			return slices.ContainsFunc(c.nets, func(p netip.Prefix) bool { return p.Contains(a) })
		}
	}
	return func(string) bool { return false }
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// compare applies a comparison to the sign of request value − policy value.
func compare(op cmpOp, sign int) bool {
	switch op {
	case cmpEq:
		return sign == 0
	case cmpLt:
		return sign < 0
	case cmpLe:
		return sign <= 0
	case cmpGt:
		return sign > 0
	case cmpGe:
		return sign >= 0
	}
	return false
}
