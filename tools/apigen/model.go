package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"slices"
)

// Model is the part of a botocore service model (service-2.json) the
// generator uses.
type Model struct {
	Metadata struct {
		TargetPrefix string `json:"targetPrefix"`
	} `json:"metadata"`
	Operations map[string]*Operation `json:"operations"`
	Shapes     map[string]*Shape     `json:"shapes"`
}

// Operation is one API operation of the model.
type Operation struct {
	Name          string    `json:"name"`
	Input         *ShapeRef `json:"input"`
	Output        *ShapeRef `json:"output"`
	Documentation string    `json:"documentation"`
}

// ShapeRef points at a shape by name.
type ShapeRef struct {
	Shape string `json:"shape"`
}

// Member is a member of a structure shape.
type Member struct {
	Name          string // the JSON name of the member (the key in "members")
	Shape         string `json:"shape"`
	Documentation string `json:"documentation"`
	Deprecated    bool   `json:"deprecated"`
}

// Members keeps the members of a structure in the order the model lists
// them: AWS reports validation errors in that order.
type Members []Member

// UnmarshalJSON decodes a JSON object member by member, preserving key order.
func (ms *Members) UnmarshalJSON(b []byte) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	if err := expectDelim(dec, '{'); err != nil {
		return err
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		name, ok := tok.(string)
		if !ok {
			return fmt.Errorf("members: expected a key, got %v", tok)
		}
		m := Member{}
		if err := dec.Decode(&m); err != nil {
			return fmt.Errorf("member %s: %w", name, err)
		}
		m.Name = name
		*ms = append(*ms, m)
	}
	return expectDelim(dec, '}')
}

func expectDelim(dec *json.Decoder, want json.Delim) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if d, ok := tok.(json.Delim); !ok || d != want {
		return fmt.Errorf("expected %q, got %v", want, tok)
	}
	return nil
}

// Shape is one shape of the model. Min and Max keep the number literal as
// written in the model, since it is quoted verbatim in validation messages.
type Shape struct {
	Name          string `json:"-"`
	Type          string `json:"type"`
	Documentation string `json:"documentation"`

	// structure
	Members  Members  `json:"members"`
	Required []string `json:"required"`
	Union    bool     `json:"union"`
	Document bool     `json:"document"`

	// list and map
	Member *ShapeRef `json:"member"`
	Key    *ShapeRef `json:"key"`
	Value  *ShapeRef `json:"value"`

	// constraints
	Min     *json.Number `json:"min"`
	Max     *json.Number `json:"max"`
	Pattern string       `json:"pattern"`
	Enum    []string     `json:"enum"`
}

// IsRequired reports whether the structure requires member name.
func (s *Shape) IsRequired(name string) bool { return slices.Contains(s.Required, name) }

// LoadModel reads and decodes a botocore model file.
func LoadModel(path string) (*Model, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var m Model
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	for name, s := range m.Shapes {
		s.Name = name
	}
	for name, op := range m.Operations {
		if op.Name == "" {
			op.Name = name
		}
	}
	if err := m.check(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &m, nil
}

// check verifies that every shape reference resolves and every shape has a
// type the generator knows.
func (m *Model) check() error {
	ref := func(from string, r *ShapeRef) error {
		if r == nil {
			return fmt.Errorf("shape %s: missing reference", from)
		}
		if m.Shapes[r.Shape] == nil {
			return fmt.Errorf("%s refers to unknown shape %q", from, r.Shape)
		}
		return nil
	}
	for _, name := range sortedKeys(m.Shapes) {
		s := m.Shapes[name]
		switch s.Type {
		case "string", "integer", "long", "boolean", "double", "float", "timestamp", "blob":
		case "structure":
			for _, mem := range s.Members {
				if err := ref(name+"."+mem.Name, &ShapeRef{mem.Shape}); err != nil {
					return err
				}
			}
			for _, r := range s.Required {
				if !slices.ContainsFunc(s.Members, func(m Member) bool { return m.Name == r }) {
					return fmt.Errorf("shape %s: required member %q does not exist", name, r)
				}
			}
		case "list":
			if err := ref(name, s.Member); err != nil {
				return err
			}
		case "map":
			if err := ref(name, s.Key); err != nil {
				return err
			}
			if err := ref(name, s.Value); err != nil {
				return err
			}
		default:
			return fmt.Errorf("shape %s: unsupported type %q", name, s.Type)
		}
	}
	for _, name := range sortedKeys(m.Operations) {
		op := m.Operations[name]
		for _, r := range []*ShapeRef{op.Input, op.Output} {
			if r != nil {
				if err := ref("operation "+name, r); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// Children are the shapes s refers to directly, in model order.
func (m *Model) Children(s *Shape) []*Shape {
	var out []*Shape
	switch s.Type {
	case "structure":
		if s.Document {
			return nil
		}
		for _, mem := range s.Members {
			out = append(out, m.Shapes[mem.Shape])
		}
	case "list":
		out = append(out, m.Shapes[s.Member.Shape])
	case "map":
		out = append(out, m.Shapes[s.Key.Shape], m.Shapes[s.Value.Shape])
	}
	return out
}

// Reachable returns the names of all shapes reachable from roots (roots
// included), sorted. Operation error shapes are not followed: callers pass
// only input and output shapes.
func (m *Model) Reachable(roots []string) map[string]bool {
	seen := map[string]bool{}
	var walk func(s *Shape)
	walk = func(s *Shape) {
		if seen[s.Name] {
			return
		}
		seen[s.Name] = true
		for _, c := range m.Children(s) {
			walk(c)
		}
	}
	for _, r := range roots {
		walk(m.Shapes[r])
	}
	return seen
}

// AllPatterns returns every distinct pattern of the model, sorted.
func (m *Model) AllPatterns() []string {
	set := map[string]bool{}
	for _, s := range m.Shapes {
		if s.Pattern != "" {
			set[s.Pattern] = true
		}
	}
	return sortedKeys(set)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
