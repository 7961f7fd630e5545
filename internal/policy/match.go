package policy

import (
	"strings"
)

// glob is a compiled pattern: runes to match literally, with starRune for a
// * wildcard (any run of characters) and anyRune for ? (one character).
// Runes are never negative, so wildcards cannot be confused with text.
type glob []rune

const (
	starRune rune = -1
	anyRune  rune = -2
)

// compileGlob compiles a policy pattern in which * and ? are wildcards.
func compileGlob(p string) glob {
	g := make(glob, 0, len(p))
	for _, r := range p {
		switch r {
		case '*':
			if n := len(g); n > 0 && g[n-1] == starRune {
				continue // ** is *
			}
			g = append(g, starRune)
		case '?':
			g = append(g, anyRune)
		default:
			g = append(g, r)
		}
	}
	return g
}

// literalGlob is a glob that matches exactly s: its * and ? are text.
func literalGlob(s string) glob { return glob([]rune(s)) }

// match reports whether the whole of s matches g. It runs in O(len(g) *
// len(s)) at worst and needs no memory beyond the subject's runes.
func (g glob) match(s string) bool {
	return g.matchRunes([]rune(s))
}

func (g glob) matchRunes(s []rune) bool {
	p, i := 0, 0
	star, mark := -1, 0
	for i < len(s) {
		switch {
		case p < len(g) && g[p] == starRune:
			star, mark = p, i
			p++
		case p < len(g) && (g[p] == anyRune || g[p] == s[i]):
			p++
			i++
		case star >= 0:
			p = star + 1
			mark++
			i = mark
		default:
			return false
		}
	}
	for p < len(g) && g[p] == starRune {
		p++
	}
	return p == len(g)
}

// Wildcard reports whether s matches pattern, where * matches any run of
// characters and ? any one character (StringLike).
func Wildcard(pattern, s string) bool { return compileGlob(pattern).match(s) }

// ArnLike reports whether arn matches pattern component by component, as
// the ArnLike condition operator and the Resource element compare: the six
// colon-separated parts (the last keeping any further colons) must each
// match, with * and ? confined to their part. A pattern with fewer parts
// matches its last part against the rest of the ARN.
func ArnLike(pattern, arn string) bool { return compileGlob(pattern).matchArn(arn) }

// matchArn matches s against g component by component.
func (g glob) matchArn(s string) bool {
	gp := g.splitColons(6)
	sp := strings.SplitN(s, ":", len(gp))
	if len(sp) != len(gp) {
		return false
	}
	for i := range gp {
		if !gp[i].match(sp[i]) {
			return false
		}
	}
	return true
}

// splitColons splits g at its colons into at most n parts, the last keeping
// any further colons.
func (g glob) splitColons(n int) []glob {
	var parts []glob
	start := 0
	for i, r := range g {
		if len(parts) == n-1 {
			break
		}
		if r == ':' {
			parts = append(parts, g[start:i])
			start = i + 1
		}
	}
	return append(parts, g[start:])
}

// caller is the principal a request is made by.
type caller struct {
	account string // "" for a service principal
	arn     string // the caller's IAM/STS ARN; its account root when known only by account
	service string // lower-case service principal name, e.g. delivery.logs.amazonaws.com
}

// parseCaller reads a request principal: a 12-digit account id (the
// account's root), an IAM or STS ARN, or a service principal name.
func parseCaller(p string) caller {
	if accountRe.MatchString(p) {
		return caller{account: p, arn: "arn:aws:iam::" + p + ":root"}
	}
	if parts := strings.SplitN(p, ":", 6); len(parts) == 6 && parts[0] == "arn" && (parts[2] == "iam" || parts[2] == "sts") {
		return caller{account: parts[4], arn: p}
	}
	return caller{service: strings.ToLower(p)}
}

// matches reports whether c is one of the principals of p.
func (p *Principal) matches(c caller) bool {
	if p.All {
		return true
	}
	if c.account != "" {
		for _, a := range p.AWS {
			if awsPrincipalMatches(a, c) {
				return true
			}
		}
		return false
	}
	if c.service == "" {
		return false
	}
	for _, s := range p.Service {
		if strings.EqualFold(s, c.service) {
			return true
		}
	}
	return false
}

// awsPrincipalMatches decides one AWS principal entry: an account (id or
// root ARN) covers every principal of the account; a user or role ARN only
// that user or role (and the role's sessions); other ARNs only themselves.
func awsPrincipalMatches(a string, c caller) bool {
	if accountRe.MatchString(a) {
		return a == c.account
	}
	parts := strings.SplitN(a, ":", 6)
	if len(parts) != 6 {
		return false
	}
	account, res := parts[4], parts[5]
	if account != c.account {
		return false
	}
	if parts[2] == "iam" && res == "root" {
		return true
	}
	if a == c.arn {
		return true
	}
	// arn:P:iam::A:role/path/name matches arn:P:sts::A:assumed-role/name/session.
	if parts[2] == "iam" && strings.HasPrefix(res, "role/") {
		name := res[strings.LastIndexByte(res, '/')+1:]
		cp := strings.SplitN(c.arn, ":", 6)
		if len(cp) == 6 && cp[1] == parts[1] && cp[2] == "sts" {
			rest, ok := strings.CutPrefix(cp[5], "assumed-role/"+name+"/")
			return ok && rest != "" && !strings.Contains(rest, "/")
		}
	}
	return false
}
