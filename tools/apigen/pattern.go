package main

// Translation of the model's patterns (java.util.regex syntax, which AWS's
// Coral validators use) into Go RE2 syntax with the same meaning.
//
// Differences handled:
//   - In a Java character class a '-' that cannot form a range (next to a
//     class escape such as \w, or at either end) is a literal; RE2 rejects
//     "[\w-_]". Such hyphens become "\-".
//   - Java's \s is [ \t\n\x0B\f\r] (RE2's lacks \x0B); \S is its complement.
//   - Java's '.' excludes the line terminators \n \r \u0085 \u2028 \u2029
//     (RE2's excludes only \n).
//   - \uXXXX, \e, \0oo and \cX escapes; \Q…\E quoting; Java POSIX classes
//     such as \p{Alpha}; the "Is" prefix of \p{IsL}.
//
// Java constructs RE2 cannot express (lookaround, atomic groups, possessive
// quantifiers, back references, class intersection, …) make the pattern
// unsupported: translatePattern reports why, and the generator skips the
// check for that pattern only.

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Whitespace as Java's \s defines it: [ \t\n\x0B\f\r].
const (
	javaSpaceClass    = `\t-\r `                            // inside a class
	javaNonSpaceClass = `\x00-\x08\x0E-\x1F\x21-\x{10FFFF}` // inside a class
	javaDot           = `[^\n\r\x{85}\x{2028}\x{2029}]`
)

// javaPosix maps Java's POSIX property names (US-ASCII only, as in Java
// without UNICODE_CHARACTER_CLASS) to RE2 ASCII classes.
var javaPosix = map[string]string{
	"Lower": "lower", "Upper": "upper", "ASCII": "ascii", "Alpha": "alpha",
	"Digit": "digit", "Alnum": "alnum", "Punct": "punct", "Graph": "graph",
	"Print": "print", "Blank": "blank", "Cntrl": "cntrl", "XDigit": "xdigit",
	"Space": "space",
}

// unsupportedError marks a valid Java construct that RE2 cannot express.
type unsupportedError struct{ what string }

func (e unsupportedError) Error() string { return e.what }

// translatePattern converts Java regex p to an RE2 expression matching the
// same strings. unsupported is non-empty (and re2 empty) when p uses a Java
// feature RE2 lacks; err is set when p is malformed or the translation does
// not compile.
func translatePattern(p string) (re2, unsupported string, err error) {
	t := &translator{src: []rune(p)}
	out, err := t.run()
	if err != nil {
		if u, ok := err.(unsupportedError); ok {
			return "", u.what, nil
		}
		return "", "", fmt.Errorf("pattern %q: %w", p, err)
	}
	if _, err := regexp.Compile(anchored(out)); err != nil {
		return "", "", fmt.Errorf("pattern %q translated to %q: %w", p, out, err)
	}
	return out, "", nil
}

// anchored makes re match only the whole input, as Java's Matcher.matches.
func anchored(re string) string { return "^(?:" + re + ")$" }

type translator struct {
	src []rune
	i   int
	out strings.Builder
}

func (t *translator) peek(off int) (rune, bool) {
	if t.i+off < len(t.src) {
		return t.src[t.i+off], true
	}
	return 0, false
}

func (t *translator) run() (string, error) {
	for t.i < len(t.src) {
		c := t.src[t.i]
		switch c {
		case '\\':
			if err := t.escapeOutside(); err != nil {
				return "", err
			}
			continue
		case '[':
			if err := t.class(); err != nil {
				return "", err
			}
			continue
		case '.':
			t.out.WriteString(javaDot)
		case '(':
			if err := t.group(); err != nil {
				return "", err
			}
			continue
		case '*', '+', '?', '}':
			t.out.WriteRune(c)
			if n, ok := t.peek(1); ok && n == '+' {
				return "", unsupportedError{"possessive quantifier"}
			}
		default:
			t.out.WriteRune(c)
		}
		t.i++
	}
	return t.out.String(), nil
}

// group handles "(" and the Java "(?…" forms.
func (t *translator) group() error {
	if n, _ := t.peek(1); n != '?' {
		t.out.WriteRune('(')
		t.i++
		return nil
	}
	rest := string(t.src[t.i+2:])
	switch {
	case strings.HasPrefix(rest, ":"):
		t.out.WriteString("(?:")
		t.i += 3
		return nil
	case strings.HasPrefix(rest, "="), strings.HasPrefix(rest, "!"),
		strings.HasPrefix(rest, "<="), strings.HasPrefix(rest, "<!"):
		return unsupportedError{"lookaround"}
	case strings.HasPrefix(rest, ">"):
		return unsupportedError{"atomic group"}
	case strings.HasPrefix(rest, "<"):
		end := strings.IndexByte(rest, '>')
		if end < 0 {
			return fmt.Errorf("unterminated group name")
		}
		t.out.WriteString("(?P<" + rest[1:end] + ">")
		t.i += 2 + utf8.RuneCountInString(rest[:end+1])
		return nil
	}
	// Inline flags: (?i) (?i:…). Only case-insensitivity maps directly.
	end := strings.IndexAny(rest, ":)")
	if end < 0 {
		return fmt.Errorf("unterminated group")
	}
	if strings.Trim(rest[:end], "i-") != "" {
		return unsupportedError{"inline flags (?" + rest[:end] + ")"}
	}
	t.out.WriteString("(?" + rest[:end+1])
	t.i += 2 + end + 1
	return nil
}

// escapeOutside translates an escape sequence outside character classes.
func (t *translator) escapeOutside() error {
	c, ok := t.peek(1)
	if !ok {
		return fmt.Errorf("trailing backslash")
	}
	switch c {
	case 'd', 'D', 'w', 'W', 'b', 'B', 'A', 'z':
		t.out.WriteString(`\` + string(c))
		t.i += 2
	case 's':
		t.out.WriteString("[" + javaSpaceClass + "]")
		t.i += 2
	case 'S':
		t.out.WriteString("[" + javaNonSpaceClass + "]")
		t.i += 2
	case 'p', 'P':
		item, err := t.property()
		if err != nil {
			return err
		}
		t.out.WriteString("[" + item + "]")
	case 'Q':
		lit := t.quoted()
		t.out.WriteString(regexp.QuoteMeta(lit))
	default:
		r, err := t.charEscape()
		if err != nil {
			return err
		}
		t.out.WriteString(literal(r, false))
	}
	return nil
}

// quoted consumes \Q…\E (or \Q… to the end) and returns the quoted text.
func (t *translator) quoted() string {
	rest := string(t.src[t.i+2:])
	lit, _, found := strings.Cut(rest, `\E`)
	t.i += 2 + utf8.RuneCountInString(lit)
	if found {
		t.i += 2
	}
	return lit
}

// property consumes \p{Name}, \pL, \P{Name} and returns the RE2 class item
// (usable inside brackets).
func (t *translator) property() (string, error) {
	neg := t.src[t.i+1] == 'P'
	var name string
	if n, ok := t.peek(2); ok && n == '{' {
		rest := string(t.src[t.i+3:])
		end := strings.IndexByte(rest, '}')
		if end < 0 {
			return "", fmt.Errorf("unterminated \\p{")
		}
		name = rest[:end]
		t.i += 3 + utf8.RuneCountInString(name) + 1
	} else if ok {
		name = string(n)
		t.i += 3
	} else {
		return "", fmt.Errorf("bad \\p escape")
	}
	if posix, ok := javaPosix[name]; ok {
		if neg {
			return "[:^" + posix + ":]", nil
		}
		return "[:" + posix + ":]", nil
	}
	uname := name
	if _, ok := unicodeClass(uname); !ok {
		uname = strings.TrimPrefix(name, "Is")
	}
	if _, ok := unicodeClass(uname); !ok {
		return "", unsupportedError{`\p{` + name + `}`}
	}
	if neg {
		return `\P{` + uname + `}`, nil
	}
	return `\p{` + uname + `}`, nil
}

func unicodeClass(name string) (*unicode.RangeTable, bool) {
	if name == "Any" {
		return nil, true
	}
	if t, ok := unicode.Categories[name]; ok {
		return t, true
	}
	t, ok := unicode.Scripts[name]
	return t, ok
}

// charEscape consumes an escape denoting a single character and returns it.
func (t *translator) charEscape() (rune, error) {
	c := t.src[t.i+1]
	t.i += 2
	simple := map[rune]rune{'t': '\t', 'n': '\n', 'r': '\r', 'f': '\f', 'a': '\a', 'e': '\x1b'}
	if r, ok := simple[c]; ok {
		return r, nil
	}
	switch {
	case c == 'x':
		if n, _ := t.peek(0); n == '{' {
			rest := string(t.src[t.i+1:])
			end := strings.IndexByte(rest, '}')
			if end < 0 {
				return 0, fmt.Errorf("unterminated \\x{")
			}
			t.i += 1 + end + 1
			return hexRune(rest[:end])
		}
		return t.hexDigits(2)
	case c == 'u':
		return t.hexDigits(4)
	case c == '0':
		// \0n, \0nn, \0mnn (m <= 3)
		digits := ""
		for len(digits) < 3 {
			n, ok := t.peek(0)
			if !ok || n < '0' || n > '7' || (len(digits) == 2 && digits[0] > '3') {
				break
			}
			digits += string(n)
			t.i++
		}
		if digits == "" {
			return 0, fmt.Errorf(`bad octal escape \0`)
		}
		v, _ := strconv.ParseUint(digits, 8, 32)
		return rune(v), nil
	case c == 'c':
		n, ok := t.peek(0)
		if !ok {
			return 0, fmt.Errorf(`bad \c escape`)
		}
		t.i++
		return n ^ 64, nil
	case c >= '1' && c <= '9', c == 'k':
		return 0, unsupportedError{"back reference"}
	case c < utf8.RuneSelf && !isAlnum(c):
		return c, nil
	}
	return 0, unsupportedError{`escape \` + string(c)}
}

func (t *translator) hexDigits(n int) (rune, error) {
	if t.i+n > len(t.src) {
		return 0, fmt.Errorf("short hex escape")
	}
	s := string(t.src[t.i : t.i+n])
	t.i += n
	return hexRune(s)
}

func hexRune(s string) (rune, error) {
	v, err := strconv.ParseUint(s, 16, 32)
	if err != nil || v > unicode.MaxRune {
		return 0, fmt.Errorf("bad hex escape %q", s)
	}
	return rune(v), nil
}

func isAlnum(c rune) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// literal renders rune r as an RE2 literal, inside or outside a class.
func literal(r rune, inClass bool) string {
	special := `\.+*?()|[]{}^$`
	if inClass {
		special = `\[]^-`
	}
	switch {
	case strings.ContainsRune(special, r):
		return `\` + string(r)
	case r < 0x20 || r == 0x7f || !unicode.IsPrint(r):
		return fmt.Sprintf(`\x{%X}`, r)
	}
	return string(r)
}

// classItem is one element of a character class: a single character, a
// set (class escape, property), a bare '-', or ('e') a character that
// closes a range.
type classItem struct {
	kind byte // 'c' char, 's' set, '-' hyphen, 'e' range end
	r    rune
	set  string
}

// class translates a character class starting at '['.
func (t *translator) class() error {
	t.i++ // '['
	neg := false
	if c, _ := t.peek(0); c == '^' {
		neg = true
		t.i++
	}
	if c, _ := t.peek(0); c == ']' {
		return unsupportedError{"']' first in a character class"}
	}
	var items []classItem
	for {
		c, ok := t.peek(0)
		if !ok {
			return fmt.Errorf("unterminated character class")
		}
		if c == ']' {
			t.i++
			break
		}
		switch {
		case c == '[':
			return unsupportedError{"nested character class"}
		case c == '&':
			if n, _ := t.peek(1); n == '&' {
				return unsupportedError{"character class intersection"}
			}
			items = append(items, classItem{kind: 'c', r: c})
			t.i++
		case c == '-':
			items = append(items, classItem{kind: '-'})
			t.i++
		case c == '\\':
			n, ok := t.peek(1)
			if !ok {
				return fmt.Errorf("trailing backslash")
			}
			switch n {
			case 'd', 'D', 'w', 'W':
				items = append(items, classItem{kind: 's', set: `\` + string(n)})
				t.i += 2
			case 's':
				items = append(items, classItem{kind: 's', set: javaSpaceClass})
				t.i += 2
			case 'S':
				items = append(items, classItem{kind: 's', set: javaNonSpaceClass})
				t.i += 2
			case 'p', 'P':
				set, err := t.property()
				if err != nil {
					return err
				}
				items = append(items, classItem{kind: 's', set: set})
			case 'Q':
				for _, r := range t.quoted() {
					items = append(items, classItem{kind: 'c', r: r})
				}
			default:
				r, err := t.charEscape()
				if err != nil {
					return err
				}
				items = append(items, classItem{kind: 'c', r: r})
			}
		default:
			items = append(items, classItem{kind: 'c', r: c})
			t.i++
		}
	}
	if len(items) == 0 {
		return fmt.Errorf("empty character class")
	}
	t.out.WriteByte('[')
	if neg {
		t.out.WriteByte('^')
	}
	for j, it := range items {
		switch it.kind {
		case 's':
			t.out.WriteString(it.set)
		case 'c', 'e':
			t.out.WriteString(literal(it.r, true))
		case '-':
			// A range needs a single character on both sides; a character
			// that already closed a range cannot open another ("a-c-e").
			if j == 0 || j+1 == len(items) || items[j-1].kind != 'c' || items[j+1].kind != 'c' {
				t.out.WriteString(`\-`)
				continue
			}
			if items[j-1].r > items[j+1].r {
				return fmt.Errorf("illegal character range %q-%q", items[j-1].r, items[j+1].r)
			}
			t.out.WriteByte('-')
			items[j+1].kind = 'e'
		}
	}
	t.out.WriteByte(']')
	return nil
}
