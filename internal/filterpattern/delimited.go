package filterpattern

import "strings"

// delimMatcher is a space-delimited pattern: one slot per field of the
// event, "..." standing for any number of fields.
//
// Arity: AWS's current page says [w1=ERROR, w2] returns the 7-field line
// "ERROR 09/25/2014 12:00:02 Failed to process request", its older page and
// every other example say the number of fields must match. We follow the
// latter: without "..." the event must have exactly as many fields as the
// pattern has slots.
type delimMatcher struct {
	slots    []slot
	ellipsis bool
}

type slot struct {
	kind slotKind
	e    *expr // slotCond: a tree of operands, all on this slot's field
}

type slotKind uint8

const (
	slotAny      slotKind = iota // a bare name, or an empty slot
	slotEllipsis                 // ...
	slotCond
)

func (s *slot) test(field string) bool {
	return s.kind != slotCond || evalOperands(s.e, field)
}

func evalOperands(e *expr, field string) bool {
	switch e.op {
	case exprAnd:
		return evalOperands(e.l, field) && evalOperands(e.r, field)
	case exprOr:
		return evalOperands(e.l, field) || evalOperands(e.r, field)
	}
	return e.val.test(field)
}

func isName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isWordChar(s[i]) {
			return false
		}
	}
	return true
}

// parseDelimited compiles the inside of [ … ].
func parseDelimited(s string) (*delimMatcher, *Error) {
	toks, err := lex(s, false)
	if err != nil {
		return nil, err
	}
	if len(toks) == 0 {
		return nil, errInvalid()
	}
	d := &delimMatcher{}
	var name string // the field the current slot's conditions are on
	p := &exprParser{}
	p.leaf = func(p *exprParser) (*expr, *Error) {
		t := p.next()
		if t == nil || t.kind != tWord || !isName(t.text) {
			return nil, errInvalid()
		}
		// Conditions joined in one slot must be on its own field: AWS
		// refuses status_code = 4* && bytes > 1000 although its old page
		// showed it.
		if name == "" {
			name = t.text
		} else if t.text != name {
			return nil, errInvalid()
		}
		o := p.next()
		if o == nil || o.kind != tOp {
			return nil, errInvalid()
		}
		v := p.next()
		if v == nil {
			return nil, errInvalid()
		}
		val, err := parseOperand(o.op, *v, &p.regexes)
		if err != nil {
			return nil, err
		}
		return &expr{val: val}, nil
	}
	for start := 0; start <= len(toks); {
		end := start
		for end < len(toks) && toks[end].kind != tComma {
			end++
		}
		g := toks[start:end]
		start = end + 1
		switch {
		case len(g) == 0:
			// [I] An empty slot is an unnamed field: AWS's old page shows
			// [..., request=*.html*, status_code=4*,] extracting the
			// seventh field as $7.
			d.slots = append(d.slots, slot{kind: slotAny})
		case len(g) == 1 && g[0].kind == tWord && g[0].text == "...":
			d.slots = append(d.slots, slot{kind: slotEllipsis})
			d.ellipsis = true
		case len(g) == 1 && g[0].kind == tWord && isName(g[0].text):
			d.slots = append(d.slots, slot{kind: slotAny})
		default:
			name = ""
			p.toks, p.pos = g, 0
			e, err := p.or()
			if err != nil {
				return nil, err
			}
			if p.pos != len(g) {
				return nil, errInvalid()
			}
			d.slots = append(d.slots, slot{kind: slotCond, e: e})
		}
	}
	return d, nil
}

// maxStackFields is how many fields an event may have before splitting it
// allocates.
const maxStackFields = 64

func (d *delimMatcher) match(msg string) bool {
	var buf [maxStackFields]string
	limit := len(d.slots)
	if d.ellipsis {
		limit = -1
	}
	fields, ok := splitFields(msg, buf[:0], limit)
	if !ok {
		return false
	}
	if !d.ellipsis {
		if len(fields) != len(d.slots) {
			return false
		}
		for i := range d.slots {
			if !d.slots[i].test(fields[i]) {
				return false
			}
		}
		return true
	}
	return globSlots(d.slots, fields)
}

// globSlots matches slots against fields with "..." as a wildcard over any
// run of fields: the usual greedy glob with backtracking to the last "...",
// correct because every other slot takes exactly one field.
func globSlots(slots []slot, fields []string) bool {
	si, fi := 0, 0
	star, mark := -1, 0
	for fi < len(fields) {
		switch {
		case si < len(slots) && slots[si].kind == slotEllipsis:
			star, mark = si, fi
			si++
		case si < len(slots) && slots[si].test(fields[fi]):
			si++
			fi++
		case star >= 0:
			mark++
			si, fi = star+1, mark
		default:
			return false
		}
	}
	for si < len(slots) && slots[si].kind == slotEllipsis {
		si++
	}
	return si == len(slots)
}

// splitFields appends msg's fields to dst. Fields are separated by runs of
// blanks; text inside "…" or […] belongs to one field, and a field wrapped
// whole in quotes or brackets is compared without them (AWS extracts
// [10/Oct/2000:13:25:15 -0700] as 10/Oct/2000:13:25:15 -0700 and matches
// request =*.html* against "GET /index.html HTTP/1.0"). An unclosed quote
// or bracket is an ordinary character. With limit >= 0, splitting stops
// and reports false once there are more than limit fields.
//
// [I] Every ASCII blank separates fields, not only the space, so a
// trailing newline does not stick to the last field.
func splitFields(msg string, dst []string, limit int) ([]string, bool) {
	// Once a closer is missing after some point it is missing after every
	// later one; remembering that keeps unclosed "[[[[…" linear.
	noQuote, noBracket := false, false
	for i := 0; ; {
		for i < len(msg) && isBlank(msg[i]) {
			i++
		}
		if i == len(msg) {
			return dst, true
		}
		if len(dst) == limit {
			return dst, false
		}
		start := i
		for i < len(msg) && !isBlank(msg[i]) {
			switch c := msg[i]; {
			case c == '"' && !noQuote:
				if j := strings.IndexByte(msg[i+1:], '"'); j >= 0 {
					i += j + 2
					continue
				}
				noQuote = true
			case c == '[' && !noBracket:
				if j := strings.IndexByte(msg[i+1:], ']'); j >= 0 {
					i += j + 2
					continue
				}
				noBracket = true
			}
			i++
		}
		f := msg[start:i]
		if n := len(f); n >= 2 && (f[0] == '"' && f[n-1] == '"' || f[0] == '[' && f[n-1] == ']') {
			f = f[1 : n-1]
		}
		dst = append(dst, f)
	}
}
