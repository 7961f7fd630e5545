package filterpattern

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// Tokens of JSON and space-delimited patterns.
type tokKind uint8

const (
	tWord     tokKind = iota // names, numbers, unquoted strings, keywords, "..."
	tString                  // "…", text unescaped
	tRegex                   // %…%, text is the body
	tSelector                // $.a[0] (JSON only)
	tOp                      // = != < <= > >=
	tAnd                     // &&
	tOr                      // ||
	tLParen
	tRParen
	tComma // space-delimited only
)

type token struct {
	kind tokKind
	text string
	op   op
	sel  []step
}

type op uint8

const (
	opEq op = iota
	opNe
	opLt
	opLe
	opGt
	opGe
)

// valueChar reports whether c may appear in an unquoted word: names,
// numbers (+1000, 1e-3, 55.5), and strings such as 123.123.* or *.html*.
// [I] Other characters need quotes, as AWS says of '@', '$' and '\'.
func valueChar(c byte) bool {
	return isWordChar(c) || c == '.' || c == '-' || c == '+' || c == '*'
}

// lex splits the inside of a JSON (json) or space-delimited pattern.
func lex(s string, json bool) ([]token, *Error) {
	var toks []token
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case isBlank(c):
			i++
			continue
		case c == '(':
			toks = append(toks, token{kind: tLParen})
			i++
		case c == ')':
			toks = append(toks, token{kind: tRParen})
			i++
		case c == ',' && !json:
			toks = append(toks, token{kind: tComma})
			i++
		case c == '&' && strings.HasPrefix(s[i:], "&&"):
			toks = append(toks, token{kind: tAnd})
			i += 2
		case c == '|' && strings.HasPrefix(s[i:], "||"):
			toks = append(toks, token{kind: tOr})
			i += 2
		case c == '=':
			toks = append(toks, token{kind: tOp, op: opEq})
			i++
		case c == '!' && strings.HasPrefix(s[i:], "!="):
			toks = append(toks, token{kind: tOp, op: opNe})
			i += 2
		case c == '<' || c == '>':
			o := opLt
			if c == '>' {
				o = opGt
			}
			i++
			if i < len(s) && s[i] == '=' {
				o++ // opLe, opGe follow opLt, opGt
				i++
			}
			toks = append(toks, token{kind: tOp, op: o})
		case c == '"':
			end, text, ok := quoted(s, i)
			if !ok {
				return nil, errInvalid()
			}
			toks = append(toks, token{kind: tString, text: text})
			i = end
		case c == '%':
			j := i + 1
			for j < len(s) && s[j] != '%' {
				if !regexChar(s[j]) {
					_, err := compileRegex(s[i+1:]) // reports s[j]
					return nil, err
				}
				j++
			}
			if j == len(s) {
				return nil, errInvalid()
			}
			toks = append(toks, token{kind: tRegex, text: s[i+1 : j]})
			i = j + 1
		case c == '$' && json:
			sel, end, err := lexSelector(s, i)
			if err != nil {
				return nil, err
			}
			toks = append(toks, token{kind: tSelector, sel: sel, text: s[i:end]})
			i = end
		case valueChar(c):
			j := i
			for j < len(s) && valueChar(s[j]) {
				j++
			}
			toks = append(toks, token{kind: tWord, text: s[i:j]})
			i = j
		default:
			return nil, badChar(s, i)
		}
	}
	return toks, nil
}

// A selector step.
type stepKind uint8

const (
	stepKey      stepKind = iota // .name or ['name']
	stepAnyKey                   // .*
	stepIndex                    // [N]
	stepAnyIndex                 // [*]
)

type step struct {
	kind  stepKind
	key   string
	index int
}

func nameChar(c byte) bool { return isWordChar(c) || c == '-' }

// maxIndex bounds [N] so it fits every int.
const maxIndex = 1 << 30

// lexSelector reads the selector starting with '$' at s[i]: $.a.b, $.a[0][1],
// $.a[*], $.*, $.['cluster.name']. Property names are letters, digits, '-'
// and '_'; an index follows a property, as AWS requires ($[0] is refused).
// A character that cannot continue an unfinished step is reported with the
// selector so far, the way AWS answered { $."sc-status" = 5* }.
func lexSelector(s string, i int) ([]step, int, *Error) {
	var steps []step
	j := i + 1
	bad := func(k int) *Error {
		if k >= len(s) || isBlank(s[k]) {
			return errInvalid()
		}
		_, n := utf8.DecodeRuneInString(s[k:])
		return errChars(s[i : k+n])
	}
	for j < len(s) {
		switch s[j] {
		case '.':
			j++
			switch {
			case j < len(s) && s[j] == '*':
				steps = append(steps, step{kind: stepAnyKey})
				j++
			case j < len(s) && s[j] == '[':
				key, end, err := bracketKey(s, j, bad)
				if err != nil {
					return nil, 0, err
				}
				steps = append(steps, step{kind: stepKey, key: key})
				j = end
			default:
				k := j
				for k < len(s) && nameChar(s[k]) {
					k++
				}
				if k == j {
					return nil, 0, bad(j)
				}
				steps = append(steps, step{kind: stepKey, key: s[j:k]})
				j = k
			}
		case '[':
			if len(steps) == 0 {
				return nil, 0, errInvalid()
			}
			switch k := j + 1; {
			case k < len(s) && s[k] == '*':
				if k+1 >= len(s) || s[k+1] != ']' {
					return nil, 0, bad(k + 1)
				}
				steps = append(steps, step{kind: stepAnyIndex})
				j = k + 2
			case k < len(s) && (s[k] == '\'' || s[k] == '"'):
				key, end, err := bracketKey(s, j, bad)
				if err != nil {
					return nil, 0, err
				}
				steps = append(steps, step{kind: stepKey, key: key})
				j = end
			default:
				for k < len(s) && isDigit(s[k]) {
					k++
				}
				if k == j+1 || k >= len(s) || s[k] != ']' {
					return nil, 0, bad(k)
				}
				n, err := strconv.Atoi(s[j+1 : k])
				if err != nil || n > maxIndex {
					return nil, 0, errInvalid()
				}
				steps = append(steps, step{kind: stepIndex, index: n})
				j = k + 1
			}
		default:
			if len(steps) == 0 {
				return nil, 0, bad(j)
			}
			return steps, j, nil
		}
	}
	if len(steps) == 0 {
		return nil, 0, errInvalid()
	}
	return steps, j, nil
}

// bracketKey reads ['key'] (or ["key"]) starting at the '[' at s[j].
func bracketKey(s string, j int, bad func(int) *Error) (string, int, *Error) {
	k := j + 1
	if k >= len(s) || (s[k] != '\'' && s[k] != '"') {
		return "", 0, bad(k)
	}
	q := s[k]
	end := strings.IndexByte(s[k+1:], q)
	if end < 0 {
		return "", 0, errInvalid()
	}
	key := s[k+1 : k+1+end]
	k += end + 2
	if k >= len(s) || s[k] != ']' || key == "" {
		return "", 0, bad(k)
	}
	return key, k + 1, nil
}
