package filterpattern

import (
	"strconv"
	"strings"
	"sync"
	"unicode/utf16"
	"unicode/utf8"
)

// jsonMatcher is a JSON pattern: conditions on selected values combined
// with && and ||.
type jsonMatcher struct {
	conds []jcond
	expr  *expr
	pool  sync.Pool // of *jsonState
}

type jcond struct {
	steps []step
	kind  condKind
	val   operand // condCompare
}

type condKind uint8

const (
	condCompare condKind = iota
	condNull
	condTrue
	condFalse
	condNotExists
)

// AWS's wildcard limits: one per selector, three per pattern.
const (
	maxSelectorWildcards = 1
	maxPatternWildcards  = 3
)

// parseJSON compiles the inside of { … }.
func parseJSON(s string) (*jsonMatcher, *Error) {
	toks, err := lex(s, true)
	if err != nil {
		return nil, err
	}
	m := &jsonMatcher{}
	wildcards := 0
	p := &exprParser{toks: toks, parens: true}
	p.leaf = func(p *exprParser) (*expr, *Error) {
		t := p.next()
		if t == nil || t.kind != tSelector {
			return nil, errInvalid()
		}
		c := jcond{steps: t.sel}
		n := 0
		for _, st := range c.steps {
			if st.kind == stepAnyKey || st.kind == stepAnyIndex {
				n++
			}
		}
		if wildcards += n; n > maxSelectorWildcards || wildcards > maxPatternWildcards {
			return nil, errInvalid()
		}
		t = p.next()
		switch {
		case t == nil:
			return nil, errInvalid()
		case t.kind == tWord && t.text == "IS":
			// IS NULL / IS TRUE / IS FALSE; AWS has no IS NOT. [I] The
			// keywords are upper case only, as AWS writes them.
			switch t = p.next(); {
			case t == nil || t.kind != tWord:
				return nil, errInvalid()
			case t.text == "NULL":
				c.kind = condNull
			case t.text == "TRUE":
				c.kind = condTrue
			case t.text == "FALSE":
				c.kind = condFalse
			default:
				return nil, errInvalid()
			}
		case t.kind == tWord && t.text == "NOT":
			// NOT EXISTS; AWS has no plain EXISTS.
			if t = p.next(); t == nil || t.kind != tWord || t.text != "EXISTS" {
				return nil, errInvalid()
			}
			c.kind = condNotExists
		case t.kind == tOp:
			v := p.next()
			if v == nil {
				return nil, errInvalid()
			}
			val, err := parseOperand(t.op, *v, &p.regexes)
			if err != nil {
				return nil, err
			}
			c.val = val
		default:
			return nil, errInvalid()
		}
		m.conds = append(m.conds, c)
		return &expr{cond: len(m.conds) - 1}, nil
	}
	e, perr := p.or()
	if perr != nil {
		return nil, perr
	}
	if p.pos != len(toks) {
		return nil, errInvalid()
	}
	m.expr = e
	return m, nil
}

// maxNesting is where a message stops counting as JSON, like Jackson's
// default nesting limit; it also bounds recursion.
const maxNesting = 1000

// match parses msg once, in a single pass that both validates it (a
// message that is not a JSON object never matches) and, for every value a
// selector reaches, records that it exists and whether it satisfies its
// condition. Subtrees no selector reaches are only validated.
func (m *jsonMatcher) match(msg string) bool {
	i := 0
	for i < len(msg) && isJSONSpace(msg[i]) {
		i++
	}
	if i == len(msg) || msg[i] != '{' {
		return false
	}
	// The walk is recursive, so escape analysis cannot keep its per-match
	// state on the stack; a pool per pattern keeps Match allocation-free.
	st, _ := m.pool.Get().(*jsonState)
	if st == nil {
		n := len(m.conds)
		st = &jsonState{conds: m.conds, depth: make([]uint16, n), exists: make([]bool, n), sat: make([]bool, n)}
	}
	st.s, st.i = msg, i
	ok := st.value(0, true)
	st.ws()
	ok = ok && st.i == len(msg) && m.eval(m.expr, st)
	st.s = ""
	clear(st.depth)
	clear(st.exists)
	clear(st.sat)
	m.pool.Put(st)
	return ok
}

func (m *jsonMatcher) eval(e *expr, st *jsonState) bool {
	switch e.op {
	case exprAnd:
		return m.eval(e.l, st) && m.eval(e.r, st)
	case exprOr:
		return m.eval(e.l, st) || m.eval(e.r, st)
	}
	if m.conds[e.cond].kind == condNotExists {
		return !st.exists[e.cond]
	}
	return st.sat[e.cond]
}

// jsonState walks one message. depth[k] is how many leading levels of the
// current path match condition k's selector; a value at level d is
// selected by k when depth[k] == d == len(steps). A selector with a
// wildcard selects several values: the condition holds if any satisfies it.
type jsonState struct {
	s      string
	i      int
	conds  []jcond
	depth  []uint16
	exists []bool
	sat    []bool
}

func isJSONSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func (st *jsonState) ws() {
	for st.i < len(st.s) && isJSONSpace(st.s[st.i]) {
		st.i++
	}
}

type scalarKind uint8

const (
	scalarString scalarKind = iota
	scalarNumber
	scalarTrue
	scalarFalse
	scalarNull
)

// value parses the value at level lvl; tracked says some selector's path
// reaches it.
func (st *jsonState) value(lvl int, tracked bool) bool {
	st.ws()
	if st.i >= len(st.s) {
		return false
	}
	start := st.i
	kind := scalarNumber
	switch c := st.s[st.i]; c {
	case '{', '[':
		if lvl >= maxNesting {
			return false
		}
		live := false
		if tracked {
			for k := range st.conds {
				if int(st.depth[k]) == lvl {
					// A selector that stops at an object or array finds
					// the key but no value: = and != are both false.
					if len(st.conds[k].steps) == lvl {
						st.exists[k] = true
					} else {
						live = true
					}
				}
			}
		}
		if c == '{' {
			return st.object(lvl, live)
		}
		return st.array(lvl, live)
	case '"':
		esc, ok := st.str()
		if !ok {
			return false
		}
		if tracked {
			st.scalar(lvl, scalarString, st.s[start+1:st.i-1], esc)
		}
		return true
	case 't':
		kind = scalarTrue
		if !st.literal("true") {
			return false
		}
	case 'f':
		kind = scalarFalse
		if !st.literal("false") {
			return false
		}
	case 'n':
		kind = scalarNull
		if !st.literal("null") {
			return false
		}
	default:
		if !st.number() {
			return false
		}
	}
	if tracked {
		st.scalar(lvl, kind, st.s[start:st.i], false)
	}
	return true
}

func (st *jsonState) literal(lit string) bool {
	if !strings.HasPrefix(st.s[st.i:], lit) {
		return false
	}
	st.i += len(lit)
	return true
}

// scalar records the scalar at level lvl for the selectors that end there.
// Comparisons see a value's text: a string's decoded contents, or the
// literal as written (400, 4e2, true, null), so {$.a = true} matches true.
// A condition only holds on a value that exists: {$.a != 1} needs an a.
func (st *jsonState) scalar(lvl int, kind scalarKind, text string, esc bool) {
	for k := range st.conds {
		c := &st.conds[k]
		if int(st.depth[k]) != lvl || len(c.steps) != lvl {
			continue
		}
		st.exists[k] = true
		if st.sat[k] {
			continue
		}
		switch c.kind {
		case condNull:
			st.sat[k] = kind == scalarNull
		case condTrue:
			st.sat[k] = kind == scalarTrue
		case condFalse:
			st.sat[k] = kind == scalarFalse
		case condCompare:
			if esc {
				text, esc = decodeJSONString(text), false
			}
			st.sat[k] = c.val.test(text)
		}
	}
}

// object parses {…} at level lvl; live says some selector continues below.
func (st *jsonState) object(lvl int, live bool) bool {
	st.i++
	st.ws()
	if st.i < len(st.s) && st.s[st.i] == '}' {
		st.i++
		return true
	}
	for {
		st.ws()
		if st.i >= len(st.s) || st.s[st.i] != '"' {
			return false
		}
		start := st.i
		esc, ok := st.str()
		if !ok {
			return false
		}
		key := st.s[start+1 : st.i-1]
		st.ws()
		if st.i >= len(st.s) || st.s[st.i] != ':' {
			return false
		}
		st.i++
		adv := false
		if live {
			decoded := false
			for k := range st.conds {
				steps := st.conds[k].steps
				if int(st.depth[k]) != lvl || len(steps) <= lvl {
					continue
				}
				switch sp := &steps[lvl]; sp.kind {
				case stepAnyKey:
				case stepKey:
					if esc && !decoded {
						key, decoded = decodeJSONString(key), true
					}
					if key != sp.key {
						continue
					}
				default:
					continue
				}
				st.depth[k] = uint16(lvl + 1)
				adv = true
			}
		}
		if !st.value(lvl+1, adv) {
			return false
		}
		if adv {
			st.leave(lvl)
		}
		st.ws()
		if st.i >= len(st.s) {
			return false
		}
		switch st.s[st.i] {
		case ',':
			st.i++
		case '}':
			st.i++
			return true
		default:
			return false
		}
	}
}

// array parses […] at level lvl; live says some selector continues below.
func (st *jsonState) array(lvl int, live bool) bool {
	st.i++
	st.ws()
	if st.i < len(st.s) && st.s[st.i] == ']' {
		st.i++
		return true
	}
	for idx := 0; ; idx++ {
		adv := false
		if live {
			for k := range st.conds {
				steps := st.conds[k].steps
				if int(st.depth[k]) != lvl || len(steps) <= lvl {
					continue
				}
				if sp := &steps[lvl]; sp.kind == stepAnyIndex || sp.kind == stepIndex && sp.index == idx {
					st.depth[k] = uint16(lvl + 1)
					adv = true
				}
			}
		}
		if !st.value(lvl+1, adv) {
			return false
		}
		if adv {
			st.leave(lvl)
		}
		st.ws()
		if st.i >= len(st.s) {
			return false
		}
		switch st.s[st.i] {
		case ',':
			st.i++
		case ']':
			st.i++
			return true
		default:
			return false
		}
	}
}

// leave returns to level lvl after one of its members.
func (st *jsonState) leave(lvl int) {
	for k, d := range st.depth {
		if int(d) > lvl {
			st.depth[k] = uint16(lvl)
		}
	}
}

// str skips the string starting at st.i and reports whether it has escapes.
func (st *jsonState) str() (esc, ok bool) {
	s := st.s
	i := st.i + 1
	// Fast path: most strings have no escapes, so find the closing quote
	// with IndexByte and only check the run for control characters.
	if j := strings.IndexByte(s[i:], '"'); j >= 0 {
		seg := s[i : i+j]
		if strings.IndexByte(seg, '\\') < 0 {
			for k := 0; k < len(seg); k++ {
				if seg[k] < 0x20 {
					return false, false
				}
			}
			st.i = i + j + 1
			return false, true
		}
	}
	for ; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"':
			st.i = i + 1
			return esc, true
		case c == '\\':
			esc = true
			i++
			if i >= len(s) {
				return false, false
			}
			switch s[i] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			case 'u':
				if i+4 >= len(s) {
					return false, false
				}
				if _, ok := hex4(s[i+1 : i+5]); !ok {
					return false, false
				}
				i += 4
			default:
				return false, false
			}
		case c < 0x20:
			return false, false
		}
	}
	return false, false
}

// number skips a JSON number.
func (st *jsonState) number() bool {
	s, i := st.s, st.i
	if i < len(s) && s[i] == '-' {
		i++
	}
	switch {
	case i < len(s) && s[i] == '0':
		i++
	case i < len(s) && '1' <= s[i] && s[i] <= '9':
		for i < len(s) && isDigit(s[i]) {
			i++
		}
	default:
		return false
	}
	if i < len(s) && s[i] == '.' {
		i++
		j := i
		for i < len(s) && isDigit(s[i]) {
			i++
		}
		if i == j {
			return false
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		j := i
		for i < len(s) && isDigit(s[i]) {
			i++
		}
		if i == j {
			return false
		}
	}
	st.i = i
	return true
}

func hex4(s string) (rune, bool) {
	n, err := strconv.ParseUint(s, 16, 16)
	return rune(n), err == nil && len(s) == 4
}

// decodeJSONString unescapes the inside of a string str has validated.
func decodeJSONString(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' {
			b.WriteByte(c)
			continue
		}
		i++
		switch s[i] {
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case 'u':
			r, _ := hex4(s[i+1 : i+5])
			i += 4
			if utf16.IsSurrogate(r) && i+6 < len(s) && s[i+1] == '\\' && s[i+2] == 'u' {
				if r2, ok := hex4(s[i+3 : i+7]); ok {
					if d := utf16.DecodeRune(r, r2); d != utf8.RuneError {
						r = d
						i += 6
					}
				}
			}
			b.WriteRune(r)
		default: // " \ /
			b.WriteByte(s[i])
		}
	}
	return b.String()
}
