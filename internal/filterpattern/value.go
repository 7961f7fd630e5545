package filterpattern

import (
	"regexp"
	"strconv"
	"strings"
)

// operand is the right-hand side of a comparison in a JSON or
// space-delimited pattern, tested against one value's text.
type operand struct {
	op   op
	kind operandKind
	str  strMatch       // operandString
	num  float64        // operandNumber
	text string         // operandNumber: the literal as written
	re   *regexp.Regexp // operandRegex
}

type operandKind uint8

const (
	operandString operandKind = iota
	operandNumber
	operandRegex
)

// parseOperand builds the operand for o followed by the value token t.
// Strings and regexes take = and != only; numbers take all six operators.
func parseOperand(o op, t token, regexes *int) (operand, *Error) {
	v := operand{op: o}
	switch t.kind {
	case tWord:
		if isNumber(t.text) {
			v.kind, v.text = operandNumber, t.text
			v.num, _ = strconv.ParseFloat(t.text, 64)
			return v, nil
		}
		v.str = newStrMatch(t.text)
	case tString:
		// [I] Quoted strings keep the * wildcard too (AWS CDK relies on
		// it), and a quoted number is a string: "strings do not support
		// scientific notation".
		v.str = newStrMatch(t.text)
	case tRegex:
		*regexes++
		if *regexes > maxRegexes {
			return v, errInvalid()
		}
		re, err := compileRegex(t.text)
		if err != nil {
			return v, err
		}
		v.kind, v.re = operandRegex, re
	default:
		return v, errInvalid()
	}
	if o != opEq && o != opNe {
		return v, errInvalid()
	}
	return v, nil
}

// test reports whether the value whose text is s satisfies the comparison.
func (v *operand) test(s string) bool {
	switch v.kind {
	case operandRegex:
		return v.re.MatchString(s) == (v.op == opEq)
	case operandString:
		return v.str.match(s) == (v.op == opEq)
	}
	// [I] A number compares numerically with any value that reads as a
	// number, JSON strings like "400" included; any other value is simply
	// not equal to it.
	var c int
	if s == v.text {
		c = 0
	} else {
		if !isNumber(s) {
			return v.op == opNe
		}
		f, _ := strconv.ParseFloat(s, 64) // ±Inf past float64 range is fine
		switch {
		case f < v.num:
			c = -1
		case f > v.num:
			c = 1
		}
	}
	switch v.op {
	case opEq:
		return c == 0
	case opNe:
		return c != 0
	case opLt:
		return c < 0
	case opLe:
		return c <= 0
	case opGt:
		return c > 0
	}
	return c >= 0
}

// strMatch is a string operand with AWS's wildcard: '*' at the start or end
// matches any text there (*Event, Event*, *html*, a lone * matches
// anything), while a '*' inside (Ev*ent) is a literal character.
type strMatch struct {
	mode strMode
	lit  string
}

type strMode uint8

const (
	strExact strMode = iota
	strPrefix
	strSuffix
	strContains
)

func newStrMatch(s string) strMatch {
	lead := strings.HasPrefix(s, "*")
	if lead {
		s = s[1:]
	}
	trail := strings.HasSuffix(s, "*")
	if trail {
		s = s[:len(s)-1]
	}
	switch {
	case lead && trail, lead && s == "":
		return strMatch{strContains, s}
	case lead:
		return strMatch{strSuffix, s}
	case trail:
		return strMatch{strPrefix, s}
	}
	return strMatch{strExact, s}
}

func (m strMatch) match(s string) bool {
	switch m.mode {
	case strPrefix:
		return strings.HasPrefix(s, m.lit)
	case strSuffix:
		return strings.HasSuffix(s, m.lit)
	case strContains:
		return strings.Contains(s, m.lit)
	}
	return s == m.lit
}

// isNumber reports whether s is a number as filter patterns write them: an
// integer or decimal with optional sign and exponent (+1000, 55.5, 10e-3,
// 1e+3, .5). Stricter than strconv, which would also take Inf, NaN and hex.
func isNumber(s string) bool {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	digits := 0
	for i < len(s) && isDigit(s[i]) {
		i++
		digits++
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && isDigit(s[i]) {
			i++
			digits++
		}
	}
	if digits == 0 {
		return false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		exp := i
		for i < len(s) && isDigit(s[i]) {
			i++
		}
		if i == exp {
			return false
		}
	}
	return i == len(s)
}
