// Package api holds the wire shapes of the CloudWatch Logs operations cwlogd
// serves and their shape validators, generated from the AWS service model by
// tools/apigen. Only this file and doc.go are written by hand.
//
// It imports nothing from the project.
package api

import (
	"slices"
	"strconv"
	"strings"
)

// Violations collects shape-constraint failures in AWS's (Coral) wording.
// The zero value is ready to use.
type Violations struct {
	msgs []string
}

// Add records that value (already rendered as Java's toString would, without
// quotes) at path failed constraint.
func (v *Violations) Add(value, path, constraint string) {
	v.msgs = append(v.msgs, "Value '"+value+"' at '"+path+"' failed to satisfy constraint: "+constraint)
}

// AddNull records a missing required member.
func (v *Violations) AddNull(path string) {
	v.msgs = append(v.msgs, "Value null at '"+path+"' failed to satisfy constraint: Member must not be null")
}

// Len is the number of violations recorded.
func (v *Violations) Len() int { return len(v.msgs) }

// Message renders all violations as one AWS validation message, or "" when
// there are none: "1 validation error detected: …", "2 validation errors
// detected: …; …".
func (v *Violations) Message() string {
	switch len(v.msgs) {
	case 0:
		return ""
	case 1:
		return "1 validation error detected: " + v.msgs[0]
	}
	return strconv.Itoa(len(v.msgs)) + " validation errors detected: " + strings.Join(v.msgs, "; ")
}

// RenderList renders a string list as Java's List.toString does: [a, b].
func RenderList(l []string) string { return "[" + strings.Join(l, ", ") + "]" }

// RenderMap renders a string map as Java's Map.toString does: {k=v, k2=v2},
// with keys sorted so messages are deterministic.
func RenderMap(m map[string]string) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var b strings.Builder
	b.WriteByte('{')
	for i, k := range keys {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(k)
		b.WriteByte('=')
		b.WriteString(m[k])
	}
	b.WriteByte('}')
	return b.String()
}
