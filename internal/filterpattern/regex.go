package filterpattern

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// maxRegexes is AWS's limit of regular expressions in one JSON or
// space-delimited pattern.
const maxRegexes = 2

// regexChar reports whether AWS accepts c inside %…%: letters, digits, the
// symbols : _ # = @ / ; , - , the operators ^ $ ? [ ] { } | \ * + . and the
// space its own example uses. Everything else, including ( ) ! and any
// multi-byte character, is refused; AWS tells users to write \x28 for '('.
func regexChar(c byte) bool {
	return isWordChar(c) || strings.IndexByte(":#=@/;,- ^$?[]{}|\\*+.", c) >= 0
}

// compileRegex compiles the body of %body% (RE2 covers AWS's operators).
// The search is unanchored: %AUTHORIZED% matches UNAUTHORIZED.
func compileRegex(body string) (*regexp.Regexp, *Error) {
	for i := 0; i < len(body); i++ {
		if !regexChar(body[i]) {
			n := 1
			if body[i] >= utf8.RuneSelf {
				_, n = utf8.DecodeRuneInString(body[i:])
			}
			// [I] AWS quotes the unfinished token, like '$."' for a selector.
			return nil, errChars("%" + body[:i+n])
		}
	}
	if body == "" {
		return nil, errInvalid()
	}
	re, err := regexp.Compile(fillLowerBound(body))
	if err != nil {
		return nil, errInvalid()
	}
	return re, nil
}

// fillLowerBound rewrites {,n} as {0,n}: AWS lets either bound of a
// repetition be left out, RE2 only the upper one (it reads {,n} as text).
func fillLowerBound(re string) string {
	if !strings.Contains(re, "{,") {
		return re
	}
	var b strings.Builder
	inClass := false
	for i := 0; i < len(re); i++ {
		c := re[i]
		switch {
		case c == '\\' && i+1 < len(re):
			b.WriteByte(c)
			i++
			c = re[i]
		case inClass:
			if c == ']' {
				inClass = false
			}
		case c == '[':
			inClass = true
			// A ']' right after '[' or '[^' is a literal member.
			b.WriteByte(c)
			if i+1 < len(re) && re[i+1] == '^' {
				i++
				b.WriteByte('^')
			}
			if i+1 < len(re) && re[i+1] == ']' {
				i++
				b.WriteByte(']')
			}
			continue
		case c == '{' && i+1 < len(re) && re[i+1] == ',' && isRepeatUpper(re[i+2:]):
			b.WriteString("{0")
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// isRepeatUpper reports whether s starts with digits and '}'.
func isRepeatUpper(s string) bool {
	i := 0
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	return i > 0 && i < len(s) && s[i] == '}'
}
