package main

// Emission of the validators: a Validate method for every structure
// reachable from an operation input, ValidateShape for every operation
// input, and helper functions for the constrained scalar, list and map
// shapes they use. Messages follow AWS's (Coral's) wording and order:
// members in model order; per string max, min, pattern, enum; per number
// max, min; per list/map count first, then one aggregated message for the
// elements (or keys, then values).

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Constraint bits of a scalar shape, in message order. The messages of a
// shape are a [4]string indexed by bit number.
const (
	bitMax     = 1 << 0
	bitMin     = 1 << 1
	bitPattern = 1 << 2
	bitEnum    = 1 << 3
)

// emitValidation writes all validation code for the planned operations.
func (g *generator) emitValidation() error {
	if err := g.computeNeeds(); err != nil {
		return err
	}
	w := &g.body
	// Per operation ValidateShape and the input's Validate, in list order,
	// then the nested input structures sorted by name.
	inputs := map[string]bool{}
	for _, op := range g.ops {
		o := g.m.Operations[op]
		name := op + "Input"
		g.writeDoc(fmt.Sprintf("ValidateShape checks x against the constraints of the model and returns AWS's validation message for %s, or \"\" when x is valid.", op))
		fmt.Fprintf(w, "func (x *%s) ValidateShape() string {\n\tvar v Violations\n\tx.Validate(&v, \"\")\n\treturn v.Message()\n}\n\n", name)
		if o.Input == nil {
			g.writeDoc("Validate does nothing: " + name + " has no members.")
			fmt.Fprintf(w, "func (x *%s) Validate(v *Violations, path string) {}\n\n", name)
			continue
		}
		inputs[o.Input.Shape] = true
		if err := g.emitStructValidate(g.m.Shapes[o.Input.Shape]); err != nil {
			return err
		}
	}
	for _, shape := range sortedKeys(g.input) {
		s := g.m.Shapes[shape]
		if s.Type == "structure" && !s.Document && !inputs[shape] {
			if err := g.emitStructValidate(s); err != nil {
				return err
			}
		}
	}
	// Helpers of the constrained scalar, list and map shapes.
	for _, shape := range sortedKeys(g.input) {
		s := g.m.Shapes[shape]
		if !g.needs[shape] {
			continue
		}
		var err error
		switch s.Type {
		case "string", "integer", "long", "double", "float":
			err = g.emitScalarCheck(s)
		case "list":
			err = g.emitListValidate(s)
		case "map":
			err = g.emitMapValidate(s)
		}
		if err != nil {
			return err
		}
	}
	g.emitPatterns()
	g.emitHelpers()
	return nil
}

// computeNeeds marks the input shapes that have any constraint to check,
// directly or through their members (a fixed point, so that recursive
// shapes are handled).
func (g *generator) computeNeeds() error {
	shapes := sortedKeys(g.input)
	for changed := true; changed; {
		changed = false
		for _, name := range shapes {
			if g.needs[name] {
				continue
			}
			n, err := g.needsOwn(g.m.Shapes[name])
			if err != nil {
				return err
			}
			for _, c := range g.m.Children(g.m.Shapes[name]) {
				n = n || g.needs[c.Name]
			}
			if n {
				g.needs[name] = true
				changed = true
			}
		}
	}
	return nil
}

// needsOwn reports whether shape s has constraints of its own.
func (g *generator) needsOwn(s *Shape) (bool, error) {
	switch s.Type {
	case "string":
		c, err := g.scalarConstraints(s)
		return c != [4]string{}, err
	case "integer", "long", "double", "float":
		c, err := g.scalarConstraints(s)
		return c != [4]string{}, err
	case "list", "map":
		mx, mn, err := countBounds(s)
		return mx >= 0 || mn > 0, err
	case "structure":
		return len(s.Required) > 0, nil
	}
	return false, nil
}

// countBounds returns a list or map shape's max (-1 if none) and min.
func countBounds(s *Shape) (mx, mn int64, err error) {
	mx = -1
	if s.Max != nil {
		if mx, err = s.Max.Int64(); err != nil {
			return 0, 0, fmt.Errorf("shape %s: max: %w", s.Name, err)
		}
	}
	if s.Min != nil {
		if mn, err = s.Min.Int64(); err != nil {
			return 0, 0, fmt.Errorf("shape %s: min: %w", s.Name, err)
		}
	}
	return mx, mn, nil
}

// scalarConstraints returns the messages of the constraints of a string or
// number shape, indexed by bit number; unused bits have "".
func (g *generator) scalarConstraints(s *Shape) ([4]string, error) {
	var c [4]string
	switch s.Type {
	case "string":
		mx, mn, err := countBounds(s)
		if err != nil {
			return c, err
		}
		if mx >= 0 {
			c[0] = "Member must have length less than or equal to " + s.Max.String()
		}
		if mn > 0 {
			c[1] = "Member must have length greater than or equal to " + s.Min.String()
		}
		if s.Pattern != "" {
			if _, err := g.pattern(s.Name, s.Pattern); err != nil {
				return c, fmt.Errorf("shape %s: %w", s.Name, err)
			}
			if g.unsupported[s.Pattern] == "" {
				c[2] = "Member must satisfy regular expression pattern: " + s.Pattern
			}
		}
		if len(s.Enum) > 0 {
			order, err := enumMessageOrder(s)
			if err != nil {
				return c, err
			}
			c[3] = "Member must satisfy enum value set: [" + strings.Join(order, ", ") + "]"
		}
	default:
		lo, hi := numRange(s.Type)
		if s.Max != nil {
			v, err := numBound(s, *s.Max)
			if err != nil {
				return c, err
			}
			if v < hi { // otherwise no value of the Go type can exceed it
				c[0] = "Member must have value less than or equal to " + s.Max.String()
			}
		}
		if s.Min != nil {
			v, err := numBound(s, *s.Min)
			if err != nil {
				return c, err
			}
			if v > lo {
				c[1] = "Member must have value greater than or equal to " + s.Min.String()
			}
		}
	}
	return c, nil
}

// numBound parses bound n of number shape s, which must be an integer for
// integer and long shapes.
func numBound(s *Shape, n json.Number) (float64, error) {
	if s.Type == "integer" || s.Type == "long" {
		if _, err := strconv.ParseInt(n.String(), 10, 64); err != nil {
			return 0, fmt.Errorf("shape %s: integer bound %q: %w", s.Name, n, err)
		}
	}
	v, err := strconv.ParseFloat(n.String(), 64)
	if err != nil {
		return 0, fmt.Errorf("shape %s: bound %q: %w", s.Name, n, err)
	}
	return v, nil
}

// numRange is the range of the Go type of a number shape type.
func numRange(typ string) (lo, hi float64) {
	switch typ {
	case "integer":
		return math.MinInt32, math.MaxInt32
	case "long":
		return math.MinInt64, math.MaxInt64
	}
	return math.Inf(-1), math.Inf(1)
}

// enumMessageOrder is the order in which AWS lists s's enum values in
// messages: the model order unless enumOrderOverrides says otherwise.
func enumMessageOrder(s *Shape) ([]string, error) {
	order, ok := enumOrderOverrides[s.Name]
	if !ok {
		return s.Enum, nil
	}
	a, b := slices.Clone(order), slices.Clone(s.Enum)
	slices.Sort(a)
	slices.Sort(b)
	if !slices.Equal(a, b) {
		return nil, fmt.Errorf("enum order override for %s (%v) does not match the model's values %v", s.Name, order, s.Enum)
	}
	return order, nil
}

// pattern returns the Go variable holding the compiled form of Java
// pattern p, registering it on first use ("" if p is unsupported).
func (g *generator) pattern(shape, p string) (string, error) {
	if v, ok := g.patternVars[p]; ok {
		return v, nil
	}
	if _, ok := g.unsupported[p]; ok {
		return "", nil
	}
	re2, why, err := translatePattern(p)
	if err != nil {
		return "", err
	}
	if why != "" {
		g.unsupported[p] = why
		return "", nil
	}
	name := "re" + shape
	g.patternVars[p] = name
	g.patternRE2[p] = re2
	return name, nil
}

// emitPatterns declares the compiled patterns.
func (g *generator) emitPatterns() {
	if len(g.patternVars) == 0 {
		return
	}
	g.imports["regexp"] = true
	ps := sortedKeys(g.patternVars)
	slices.SortFunc(ps, func(a, b string) int { return strings.Compare(g.patternVars[a], g.patternVars[b]) })
	g.body.WriteString("// The model's patterns, translated from Java to RE2 syntax and anchored:\n")
	g.body.WriteString("// AWS matches the whole value.\n")
	g.body.WriteString("var (\n")
	for _, p := range ps {
		fmt.Fprintf(&g.body, "\t%s = regexp.MustCompile(%s) // %s\n", g.patternVars[p], goString(anchored(g.patternRE2[p])), p)
	}
	g.body.WriteString(")\n\n")
}

// goString renders s as a Go string literal, raw when possible.
func goString(s string) string {
	q := strconv.Quote(s)
	if !strings.Contains(q, `\`) || strings.ContainsAny(s, "`\r") || !isPrintable(s) {
		return q
	}
	return "`" + s + "`"
}

func isPrintable(s string) bool {
	for _, r := range s {
		if !strconv.IsPrint(r) {
			return false
		}
	}
	return true
}

// emitStructValidate writes the Validate method of structure s.
func (g *generator) emitStructValidate(s *Shape) error {
	w := &g.body
	name := g.typeName[s.Name]
	g.writeDoc("Validate records in v the constraint violations of x, reporting members at path (\"\" at the top level) joined with \".\" to their names.")
	fmt.Fprintf(w, "func (x *%s) Validate(v *Violations, path string) {\n", name)
	if !g.needs[s.Name] {
		w.WriteString("}\n\n")
		return nil
	}
	w.WriteString("\tif x == nil {\n\t\treturn\n\t}\n")
	for _, mem := range s.Members {
		t := g.m.Shapes[mem.Shape]
		field := "x." + fieldName(mem.Name)
		path := fmt.Sprintf("memberPath(path, %q)", mem.Name)
		check, err := g.valueCheck(t, field, path, true)
		if err != nil {
			return fmt.Errorf("%s.%s: %w", s.Name, mem.Name, err)
		}
		switch {
		case s.IsRequired(mem.Name):
			g.helpers["memberPath"] = true
			fmt.Fprintf(w, "\tif %s == nil {\n\t\tv.AddNull(%s)\n\t}", field, path)
			switch {
			case isScalar(t) && check != "":
				// check is a single if statement: chain it.
				fmt.Fprintf(w, " else %s", strings.TrimSpace(indent(check, 1)))
			case check != "":
				fmt.Fprintf(w, " else {\n%s\t}", indent(check, 2))
			}
			w.WriteString("\n")
		case check != "":
			fmt.Fprintf(w, "\tif %s != nil {\n%s\t}\n", field, indent(check, 2))
		}
	}
	w.WriteString("}\n\n")
	return nil
}

// valueCheck returns statements checking the non-nil value expr of shape t
// (member form when member is set: scalars are pointers) found at the Go
// string expression path, or "" when t has nothing to check.
func (g *generator) valueCheck(t *Shape, expr, path string, member bool) (string, error) {
	if !g.needs[t.Name] {
		return "", nil
	}
	g.helpers["memberPath"] = g.helpers["memberPath"] || strings.Contains(path, "memberPath(")
	switch t.Type {
	case "string", "integer", "long", "double", "float":
		val := expr
		if member {
			val = "*" + expr
		}
		g.helpers["addFails"] = true
		return fmt.Sprintf("if f := check%s(%s); f != 0 {\n\taddFails(v, %s, %s, f, &constraints%s)\n}\n",
			t.Name, val, g.render(t, val), path, t.Name), nil
	case "structure":
		return fmt.Sprintf("%s.Validate(v, %s)\n", expr, path), nil
	case "list", "map":
		return fmt.Sprintf("validate%s(v, %s, %s)\n", t.Name, expr, path), nil
	}
	return "", nil
}

// emitScalarCheck writes checkT and constraintsT for a string or number
// shape.
func (g *generator) emitScalarCheck(s *Shape) error {
	c, err := g.scalarConstraints(s)
	if err != nil {
		return err
	}
	typ, err := g.goType(s, false)
	if err != nil {
		return err
	}
	g.helpers["constraints"] = true
	w := &g.body
	g.writeDoc(fmt.Sprintf("constraints%s are the messages of the constraints of %s, by bit.", s.Name, s.Name))
	fmt.Fprintf(w, "var constraints%s = constraints{\n", s.Name)
	for i, m := range c {
		if m != "" {
			fmt.Fprintf(w, "\t%d: %s,\n", i, goString(m))
		}
	}
	w.WriteString("}\n\n")

	g.writeDoc(fmt.Sprintf("check%s returns the constraints of %s that x fails, as bits.", s.Name, s.Name))
	fmt.Fprintf(w, "func check%s(x %s) uint8 {\n\tvar f uint8\n", s.Name, typ)
	if s.Type == "string" {
		if c[0] != "" || c[1] != "" {
			g.imports["unicode/utf8"] = true
			w.WriteString("\tn := utf8.RuneCountInString(x)\n")
			if c[0] != "" {
				fmt.Fprintf(w, "\tif n > %s {\n\t\tf |= %d\n\t}\n", s.Max, bitMax)
			}
			if c[1] != "" {
				fmt.Fprintf(w, "\tif n < %s {\n\t\tf |= %d\n\t}\n", s.Min, bitMin)
			}
		}
		if c[2] != "" {
			v, _ := g.pattern(s.Name, s.Pattern)
			fmt.Fprintf(w, "\tif !%s.MatchString(x) {\n\t\tf |= %d\n\t}\n", v, bitPattern)
		} else if s.Pattern != "" {
			fmt.Fprintf(w, "\t// Pattern %s not checked: %s is not supported by RE2.\n", s.Pattern, g.unsupported[s.Pattern])
		}
		if c[3] != "" {
			w.WriteString("\tswitch x {\n\tcase ")
			for i, e := range s.Enum {
				if i > 0 {
					w.WriteString(", ")
				}
				fmt.Fprintf(w, "%q", e)
			}
			fmt.Fprintf(w, ":\n\tdefault:\n\t\tf |= %d\n\t}\n", bitEnum)
		}
	} else {
		if c[0] != "" {
			fmt.Fprintf(w, "\tif x > %s {\n\t\tf |= %d\n\t}\n", s.Max, bitMax)
		}
		if c[1] != "" {
			fmt.Fprintf(w, "\tif x < %s {\n\t\tf |= %d\n\t}\n", s.Min, bitMin)
		}
	}
	w.WriteString("\treturn f\n}\n\n")
	return nil
}

// countChecks returns statements checking the element count of the list or
// map value expr at path.
func (g *generator) countChecks(s *Shape, expr, path string) (string, error) {
	mx, mn, err := countBounds(s)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	if mx >= 0 {
		fmt.Fprintf(&b, "if len(%s) > %d {\n\tv.Add(%s, %s, %q)\n}\n", expr, mx, g.render(s, expr), path,
			"Member must have length less than or equal to "+s.Max.String())
	}
	if mn > 0 {
		fmt.Fprintf(&b, "if len(%s) < %d {\n\tv.Add(%s, %s, %q)\n}\n", expr, mn, g.render(s, expr), path,
			"Member must have length greater than or equal to "+s.Min.String())
	}
	return b.String(), nil
}

// isScalar reports whether s is checked by a checkT function.
func isScalar(s *Shape) bool {
	switch s.Type {
	case "string", "integer", "long", "double", "float":
		return true
	}
	return false
}

// emitListValidate writes validateL for list shape s.
func (g *generator) emitListValidate(s *Shape) error {
	typ, err := g.goType(s, false)
	if err != nil {
		return err
	}
	elem := g.m.Shapes[s.Member.Shape]
	w := &g.body
	g.writeDoc(fmt.Sprintf("validate%s records the constraint violations of list %s l at path.", s.Name, s.Name))
	fmt.Fprintf(w, "func validate%s(v *Violations, l %s, path string) {\n", s.Name, typ)
	cc, err := g.countChecks(s, "l", "path")
	if err != nil {
		return err
	}
	w.WriteString(indent(cc, 1))
	if g.needs[elem.Name] {
		if isScalar(elem) {
			g.helpers["satisfy"] = true
			fmt.Fprintf(w, "\tvar f uint8\n\tfor _, e := range l {\n\t\tf |= check%s(e)\n\t}\n", elem.Name)
			fmt.Fprintf(w, "\tif f != 0 {\n\t\tv.Add(%s, path, satisfy(\"Member must satisfy constraint: \", f, &constraints%s))\n\t}\n",
				g.render(s, "l"), elem.Name)
		} else {
			g.helpers["elemPath"] = true
			check, err := g.valueCheck(elem, "l[i]", "elemPath(path, i)", false)
			if err != nil {
				return err
			}
			fmt.Fprintf(w, "\tfor i := range l {\n%s\t}\n", indent(check, 2))
		}
	}
	w.WriteString("}\n\n")
	return nil
}

// emitMapValidate writes validateM for map shape s.
func (g *generator) emitMapValidate(s *Shape) error {
	typ, err := g.goType(s, false)
	if err != nil {
		return err
	}
	key, val := g.m.Shapes[s.Key.Shape], g.m.Shapes[s.Value.Shape]
	w := &g.body
	g.writeDoc(fmt.Sprintf("validate%s records the constraint violations of map %s m at path.", s.Name, s.Name))
	fmt.Fprintf(w, "func validate%s(v *Violations, m %s, path string) {\n", s.Name, typ)
	cc, err := g.countChecks(s, "m", "path")
	if err != nil {
		return err
	}
	w.WriteString(indent(cc, 1))
	checkKeys := g.needs[key.Name]
	checkVals := g.needs[val.Name] && isScalar(val)
	if checkKeys || checkVals {
		g.helpers["satisfy"] = true
		if checkKeys {
			w.WriteString("\tvar kf uint8\n")
		}
		if checkVals {
			w.WriteString("\tvar vf uint8\n")
		}
		k, e := "k", "e"
		if !checkKeys {
			k = "_"
		}
		if !checkVals {
			e = ""
		}
		if e == "" {
			fmt.Fprintf(w, "\tfor %s := range m {\n", k)
		} else {
			fmt.Fprintf(w, "\tfor %s, %s := range m {\n", k, e)
		}
		if checkKeys {
			fmt.Fprintf(w, "\t\tkf |= check%s(k)\n", key.Name)
		}
		if checkVals {
			fmt.Fprintf(w, "\t\tvf |= check%s(e)\n", val.Name)
		}
		w.WriteString("\t}\n")
		if checkKeys {
			fmt.Fprintf(w, "\tif kf != 0 {\n\t\tv.Add(%s, path, satisfy(\"Map keys must satisfy constraint: \", kf, &constraints%s))\n\t}\n",
				g.render(s, "m"), key.Name)
		}
		if checkVals {
			fmt.Fprintf(w, "\tif vf != 0 {\n\t\tv.Add(%s, path, satisfy(\"Map value must satisfy constraint: \", vf, &constraints%s))\n\t}\n",
				g.render(s, "m"), val.Name)
		}
	}
	if g.needs[val.Name] && !isScalar(val) {
		// Structure, list or map values: recurse, in key order.
		g.imports["maps"] = true
		g.imports["slices"] = true
		check, err := g.valueCheck(val, "e", `path+"."+k`, false)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "\tfor _, k := range slices.Sorted(maps.Keys(m)) {\n\t\te := m[k]\n%s\t}\n", indent(check, 2))
	}
	w.WriteString("}\n\n")
	return nil
}

// render returns a Go string expression rendering value expr of shape s
// (element form) as Java's toString would, for violation messages.
// Structures, which have no agreed rendering, render as their shape name.
func (g *generator) render(s *Shape, expr string) string {
	switch s.Type {
	case "string":
		return expr
	case "integer":
		g.imports["strconv"] = true
		return "strconv.FormatInt(int64(" + expr + "), 10)"
	case "long", "timestamp":
		g.imports["strconv"] = true
		return "strconv.FormatInt(" + expr + ", 10)"
	case "boolean":
		g.imports["strconv"] = true
		return "strconv.FormatBool(" + expr + ")"
	case "double", "float":
		g.helpers["renderDouble"] = true
		return "renderDouble(" + expr + ")"
	case "blob":
		return "string(" + expr + ")"
	case "structure":
		if s.Document {
			return "string(" + expr + ")"
		}
		return strconv.Quote(s.Name)
	case "list":
		elem := g.m.Shapes[s.Member.Shape]
		if elem.Type == "string" {
			return "RenderList(" + expr + ")"
		}
		et, _ := g.goType(elem, false)
		g.helpers["renderSlice"] = true
		return fmt.Sprintf("renderSlice(%s, func(e %s) string { return %s })", expr, et, g.render(elem, "e"))
	case "map":
		val := g.m.Shapes[s.Value.Shape]
		if val.Type == "string" {
			return "RenderMap(" + expr + ")"
		}
		vt, _ := g.goType(val, false)
		g.helpers["renderMapOf"] = true
		return fmt.Sprintf("renderMapOf(%s, func(e %s) string { return %s })", expr, vt, g.render(val, "e"))
	}
	return `""`
}

// helperSource holds the runtime helpers, emitted only when used, with the
// imports each needs.
var helperSource = []struct {
	name    string
	imports []string
	src     string
}{
	{"constraints", nil, `
// constraints holds the messages of a shape's constraints, indexed by bit
// number: max, min, pattern, enum.
type constraints [4]string
`},
	{"memberPath", nil, `
// memberPath is the path of member name of the structure at path.
func memberPath(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}
`},
	{"elemPath", []string{"strconv"}, `
// elemPath is the path of element i (0-based) of the list at path.
func elemPath(path string, i int) string {
	return path + "." + strconv.Itoa(i+1) + ".member"
}
`},
	{"addFails", nil, `
// addFails records one violation of value at path per constraint in fails.
func addFails(v *Violations, value, path string, fails uint8, c *constraints) {
	for i, msg := range c {
		if fails&(1<<i) != 0 {
			v.Add(value, path, msg)
		}
	}
}
`},
	{"satisfy", []string{"strings"}, `
// satisfy renders the constraints in fails as prefix + "[c1, c2]".
func satisfy(prefix string, fails uint8, c *constraints) string {
	var msgs []string
	for i, msg := range c {
		if fails&(1<<i) != 0 {
			msgs = append(msgs, msg)
		}
	}
	return prefix + "[" + strings.Join(msgs, ", ") + "]"
}
`},
	{"renderSlice", nil, `
// renderSlice renders a list as Java's List.toString, each element by f.
func renderSlice[E any](l []E, f func(E) string) string {
	s := make([]string, len(l))
	for i, e := range l {
		s[i] = f(e)
	}
	return RenderList(s)
}
`},
	{"renderMapOf", nil, `
// renderMapOf renders a map as Java's Map.toString, each value by f.
func renderMapOf[V any](m map[string]V, f func(V) string) string {
	s := make(map[string]string, len(m))
	for k, e := range m {
		s[k] = f(e)
	}
	return RenderMap(s)
}
`},
	{"renderDouble", []string{"math", "strconv", "strings"}, `
// renderDouble renders x as Java's Double.toString does.
func renderDouble(x float64) string {
	switch {
	case math.IsNaN(x):
		return "NaN"
	case math.IsInf(x, 1):
		return "Infinity"
	case math.IsInf(x, -1):
		return "-Infinity"
	case x == 0 && math.Signbit(x):
		return "-0.0"
	case x == 0:
		return "0.0"
	}
	if a := math.Abs(x); a >= 1e-3 && a < 1e7 {
		s := strconv.FormatFloat(x, 'f', -1, 64)
		if !strings.Contains(s, ".") {
			s += ".0"
		}
		return s
	}
	mant, exp, _ := strings.Cut(strconv.FormatFloat(x, 'e', -1, 64), "e")
	if !strings.Contains(mant, ".") {
		mant += ".0"
	}
	sign := ""
	if exp[0] == '-' {
		sign = "-"
	}
	return mant + "E" + sign + strings.TrimLeft(exp[1:], "0")
}
`},
}

// emitHelpers writes the helpers the generated code uses.
func (g *generator) emitHelpers() {
	for _, h := range helperSource {
		if !g.helpers[h.name] {
			continue
		}
		for _, imp := range h.imports {
			g.imports[imp] = true
		}
		g.body.WriteString(strings.TrimPrefix(h.src, "\n") + "\n")
	}
}

// indent prefixes every non-empty line of s with n tabs.
func indent(s string, n int) string {
	if s == "" {
		return ""
	}
	pre := strings.Repeat("\t", n)
	lines := strings.SplitAfter(s, "\n")
	for i, l := range lines {
		if strings.TrimSpace(l) != "" {
			lines[i] = pre + l
		}
	}
	return strings.Join(lines, "")
}
