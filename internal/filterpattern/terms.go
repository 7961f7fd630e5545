package filterpattern

import "strings"

// termsMatcher is an unstructured pattern: every term in all must occur in
// the message, none of none may, and when there are neither (the pattern
// has only ?-terms) at least one of any must.
type termsMatcher struct {
	all, none, any []string
	// never is set by an excluded blank phrase, which every event contains.
	never bool
	// anyAlways is set by a blank ?-phrase.
	anyAlways bool
}

func (t *termsMatcher) matchAll() bool {
	return !t.never && len(t.all) == 0 && len(t.none) == 0 && (len(t.any) == 0 || t.anyAlways)
}

func (t *termsMatcher) match(msg string) bool {
	if t.never {
		return false
	}
	for _, s := range t.all {
		if !strings.Contains(msg, s) {
			return false
		}
	}
	for _, s := range t.none {
		if strings.Contains(msg, s) {
			return false
		}
	}
	if len(t.any) == 0 || t.anyAlways {
		return true
	}
	for _, s := range t.any {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}

// parseTerms compiles a term pattern. Terms are read like tokens, not split
// on blanks, so "-" and "?" apply to the term that follows even after a
// blank ("ERROR" - "Exiting" in AWS's old examples) and an unquoted
// ORDER-ITEM-1 reads as ORDER -ITEM -1, as AWS does.
func parseTerms(s string) (termsMatcher, *Error) {
	var t termsMatcher
	plain := false // a term without '?': then every ?-term is ignored
	var ors []string
	anyBlank := false
	for i := 0; i < len(s); {
		if isBlank(s[i]) {
			i++
			continue
		}
		prefix := byte(0)
		if s[i] == '-' || s[i] == '?' {
			prefix = s[i]
			i++
			for i < len(s) && isBlank(s[i]) {
				i++
			}
			if i == len(s) || s[i] == '-' || s[i] == '?' {
				return t, errInvalid()
			}
		}
		var term string
		switch c := s[i]; {
		case c == '"':
			end, text, ok := quoted(s, i)
			if !ok {
				return t, errInvalid()
			}
			term, i = text, end
		case isWordChar(c):
			j := i
			for j < len(s) && isWordChar(s[j]) {
				j++
			}
			term, i = s[i:j], j
		default:
			return t, badChar(s, i)
		}
		// AWS documents `" "` as matching every event, so a blank phrase is
		// taken to occur in every message rather than searched for.
		blank := strings.Trim(term, " ") == ""
		switch prefix {
		case '-':
			plain = true
			if blank {
				t.never = true
			} else {
				t.none = append(t.none, term)
			}
		case '?':
			if blank {
				anyBlank = true
			} else {
				ors = append(ors, term)
			}
		default:
			plain = true
			if !blank {
				t.all = append(t.all, term)
			}
		}
	}
	if !plain {
		t.any, t.anyAlways = ors, anyBlank
	}
	return t, nil
}

// quoted reads the "…" string starting at s[i] and returns the index after
// its closing quote and its text. [I] \" and \\ stand for " and \ (AWS
// users match a literal backslash with \\); any other backslash is kept.
func quoted(s string, i int) (end int, text string, ok bool) {
	j := i + 1
	esc := false
	for ; j < len(s); j++ {
		switch s[j] {
		case '\\':
			if j+1 < len(s) && (s[j+1] == '"' || s[j+1] == '\\') {
				esc = true
				j++
			}
			continue
		case '"':
			text = s[i+1 : j]
			if esc {
				text = unescapeQuoted(text)
			}
			return j + 1, text, true
		}
	}
	return 0, "", false
}

func unescapeQuoted(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) && (s[i+1] == '"' || s[i+1] == '\\') {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
