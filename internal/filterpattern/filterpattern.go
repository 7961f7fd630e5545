// Package filterpattern compiles and matches CloudWatch Logs filter patterns
// (the filterPattern of FilterLogEvents, metric and subscription filters).
//
// A pattern has one of four flavours, chosen by its first non-blank
// character: '{' a JSON pattern, '[' a space-delimited pattern, "%…%" on its
// own a regular expression, anything else a list of terms. Matching is
// case-sensitive. The specification is AWS's "Filter pattern syntax" page,
// as summarised with its test vectors in the shared log-events.md §4;
// comments tagged [I] mark where AWS's behaviour is not documented and this
// package makes a choice.
package filterpattern

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// Pattern is a compiled filter pattern; safe for concurrent use.
type Pattern struct {
	kind  kind
	terms termsMatcher
	re    *regexp.Regexp
	json  *jsonMatcher
	delim *delimMatcher
}

type kind uint8

const (
	kindAll kind = iota
	kindTerms
	kindRegex
	kindJSON
	kindDelimited
)

// Error is a pattern AWS would refuse.
type Error struct{ Message string }

func (e *Error) Error() string { return e.Message }

// The texts AWS sends with InvalidParameterException.
const (
	msgInvalid = "Invalid filter pattern"
	msgBrace   = "If a filter pattern starts with '{' it must end with '}'"
)

func errInvalid() *Error { return &Error{Message: msgInvalid} }

// errChars is AWS's "Invalid character(s) in term" error. term is the text
// AWS quotes: observed values are a lone character ('(', ':', ',', '\')
// or, inside a token that was not finished, the token so far with the
// offending character ('$."' for { $."sc-status" = 5* }).
func errChars(term string) *Error {
	// Invalid UTF-8 shows as '?', as AWS showed a mangled typographic quote.
	return &Error{Message: "Invalid character(s) in term '" + strings.ToValidUTF8(term, "?") + "'"}
}

// badChar reports the character at s[i], which cannot start or continue a
// token. [I] Observed AWS replies split the characters in two: '@', '/' and
// '.' give "Invalid filter pattern" (they occur in values elsewhere in the
// grammar, so AWS's lexer knows them), while '(', ':', ',', '\', '`', '['
// and non-ASCII characters give "Invalid character(s) in term". Characters
// never observed are put with the group they resemble: operator and value
// punctuation with the first, brackets, quotes and controls with the second.
func badChar(s string, i int) *Error {
	c := s[i]
	if strings.IndexByte("!#$%&*+./;<=>@^|~-?", c) >= 0 {
		return errInvalid()
	}
	if c >= utf8.RuneSelf {
		_, n := utf8.DecodeRuneInString(s[i:])
		return errChars(s[i : i+n])
	}
	return errChars(s[i : i+1])
}

// Parse compiles pattern. The empty pattern (or only blanks) matches every event.
// A pattern AWS would refuse returns an *Error whose Error() is the message AWS sends
// with InvalidParameterException (e.g. "Invalid filter pattern",
// "If a filter pattern starts with '{' it must end with '}'", "Invalid character(s) in term '<t>'").
func Parse(pattern string) (*Pattern, error) {
	s := strings.Trim(pattern, blanks)
	var p *Pattern
	var err *Error
	switch {
	case s == "":
		return &Pattern{kind: kindAll}, nil
	case s[0] == '{':
		if s[len(s)-1] != '}' || len(s) == 1 {
			return nil, &Error{Message: msgBrace}
		}
		var m *jsonMatcher
		m, err = parseJSON(s[1 : len(s)-1])
		p = &Pattern{kind: kindJSON, json: m}
	case s[0] == '[':
		if s[len(s)-1] != ']' || len(s) == 1 {
			return nil, errInvalid()
		}
		var m *delimMatcher
		m, err = parseDelimited(s[1 : len(s)-1])
		p = &Pattern{kind: kindDelimited, delim: m}
	case len(s) >= 2 && s[0] == '%' && s[len(s)-1] == '%':
		var re *regexp.Regexp
		re, err = compileRegex(s[1 : len(s)-1])
		p = &Pattern{kind: kindRegex, re: re}
	default:
		var t termsMatcher
		t, err = parseTerms(s)
		p = &Pattern{kind: kindTerms, terms: t}
		if t.matchAll() {
			p.kind = kindAll
		}
	}
	if err != nil {
		return nil, err
	}
	return p, nil
}

// blanks are the characters trimmed from a pattern and skipped between its
// tokens.
const blanks = " \t\n\r\f\v"

func isBlank(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}

// MatchAll reports whether the pattern matches every event (the empty
// pattern, or terms that exclude nothing), so callers can skip Match.
func (p *Pattern) MatchAll() bool { return p == nil || p.kind == kindAll }

// Match reports whether a log event's message matches.
func (p *Pattern) Match(message string) bool {
	if p == nil {
		return true
	}
	switch p.kind {
	case kindTerms:
		return p.terms.match(message)
	case kindRegex:
		return p.re.MatchString(message)
	case kindJSON:
		return p.json.match(message)
	case kindDelimited:
		return p.delim.match(message)
	}
	return true
}

func isWordChar(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_'
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }
