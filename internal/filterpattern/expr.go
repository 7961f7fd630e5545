package filterpattern

// expr is an && / || tree; a leaf is condition cond (JSON) or operand val
// (space-delimited).
type expr struct {
	op   exprOp
	l, r *expr
	cond int
	val  operand
}

type exprOp uint8

const (
	exprLeaf exprOp = iota
	exprAnd
	exprOr
)

// exprParser is a recursive-descent parser over tokens, shared by JSON
// patterns and space-delimited slots: precedence is () > && > ||.
type exprParser struct {
	toks    []token
	pos     int
	regexes int
	leaf    func(*exprParser) (*expr, *Error)
	parens  bool
	nesting int
}

// maxParens bounds parenthesis nesting, so no pattern can exhaust the stack.
const maxParens = 100

func (p *exprParser) peek() *token {
	if p.pos < len(p.toks) {
		return &p.toks[p.pos]
	}
	return nil
}

func (p *exprParser) next() *token {
	t := p.peek()
	if t != nil {
		p.pos++
	}
	return t
}

func (p *exprParser) or() (*expr, *Error) {
	l, err := p.and()
	for err == nil {
		if t := p.peek(); t == nil || t.kind != tOr {
			return l, nil
		}
		p.pos++
		var r *expr
		if r, err = p.and(); err == nil {
			l = &expr{op: exprOr, l: l, r: r}
		}
	}
	return nil, err
}

func (p *exprParser) and() (*expr, *Error) {
	l, err := p.unary()
	for err == nil {
		if t := p.peek(); t == nil || t.kind != tAnd {
			return l, nil
		}
		p.pos++
		var r *expr
		if r, err = p.unary(); err == nil {
			l = &expr{op: exprAnd, l: l, r: r}
		}
	}
	return nil, err
}

func (p *exprParser) unary() (*expr, *Error) {
	if t := p.peek(); t != nil && t.kind == tLParen && p.parens {
		p.pos++
		if p.nesting++; p.nesting > maxParens {
			return nil, errInvalid()
		}
		e, err := p.or()
		p.nesting--
		if err != nil {
			return nil, err
		}
		if t := p.next(); t == nil || t.kind != tRParen {
			return nil, errInvalid()
		}
		return e, nil
	}
	return p.leaf(p)
}
