package policy

import (
	"slices"
	"strings"
)

// reqContext holds a request's condition keys, lower-cased (key names are
// case-insensitive, tag keys included).
type reqContext map[string][]string

func newContext(m map[string][]string) reqContext {
	c := make(reqContext, len(m))
	keys := sortedKeys(m)
	for _, k := range keys {
		lk := strings.ToLower(k)
		c[lk] = append(c[lk], m[k]...)
	}
	return c
}

// get returns the values of key; a key with no values is absent.
func (c reqContext) get(lowerKey string) ([]string, bool) {
	v := c[lowerKey]
	return v, len(v) > 0
}

// expandString substitutes the policy variables of s (when vars is set) and
// reports false when one of them cannot be resolved.
func expandString(s string, c reqContext, vars bool) (string, bool) {
	if !vars || !strings.Contains(s, "${") {
		return s, true
	}
	var b strings.Builder
	ok := expand(s, c, func(text string, literal bool) { b.WriteString(text) })
	return b.String(), ok
}

// expandGlob compiles s as a pattern after substituting its policy
// variables (when vars is set); substituted values match literally.
func expandGlob(s string, c reqContext, vars bool) (glob, bool) {
	if !vars || !strings.Contains(s, "${") {
		return compileGlob(s), true
	}
	var g glob
	ok := expand(s, c, func(text string, literal bool) {
		if literal {
			g = append(g, literalGlob(text)...)
		} else {
			g = append(g, compileGlob(text)...)
		}
	})
	return slices.Clip(g), ok
}

// expand walks s, handing emit the policy text between variables (literal
// false) and the value of each variable (literal true). ${*}, ${?} and ${$}
// stand for the characters themselves; ${key, 'default'} falls back on the
// default when key is absent. Only single-valued keys resolve. It reports
// false when a variable resolves to nothing.
func expand(s string, c reqContext, emit func(text string, literal bool)) bool {
	ok := true
	for {
		i := strings.Index(s, "${")
		if i < 0 {
			break
		}
		j := strings.IndexByte(s[i+2:], '}')
		if j < 0 {
			break
		}
		emit(s[:i], false)
		inner := s[i+2 : i+2+j]
		s = s[i+3+j:]
		switch inner {
		case "*", "?", "$":
			emit(inner, true)
			continue
		}
		key, def, hasDef := strings.Cut(inner, ",")
		key = strings.ToLower(strings.TrimSpace(key))
		if v, present := c.get(key); present && len(v) == 1 {
			emit(v[0], true)
			continue
		}
		if hasDef {
			def = strings.TrimSpace(def)
			if len(def) >= 2 && def[0] == '\'' && def[len(def)-1] == '\'' {
				emit(def[1:len(def)-1], true)
				continue
			}
		}
		ok = false
	}
	emit(s, false)
	return ok
}
