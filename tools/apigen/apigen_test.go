package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

const (
	modelPath     = "../../../shared/spec/service-2.json"
	generatedPath = "../../internal/api/zz_generated.go"
	violations    = "../../internal/api/violations.go"
)

func loadModel(t *testing.T) *Model {
	t.Helper()
	if _, err := os.Stat(modelPath); err != nil {
		t.Skipf("model not available: %v", err)
	}
	m, err := LoadModel(modelPath)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestGeneratedUpToDate fails when internal/api/zz_generated.go is not what
// the generator produces from the model.
func TestGeneratedUpToDate(t *testing.T) {
	loadModel(t)
	out := filepath.Join(t.TempDir(), "zz_generated.go")
	if err := run(modelPath, out, operations); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(generatedPath)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
		line := 0
		for line < len(gl) && line < len(wl) && gl[line] == wl[line] {
			line++
		}
		t.Fatalf("%s is stale (first difference at line %d); run `go generate ./internal/api`", generatedPath, line+1)
	}
}

// TestModelPatterns translates every pattern of the whole model, not only
// those of the generated operations.
func TestModelPatterns(t *testing.T) {
	m := loadModel(t)
	for _, p := range m.AllPatterns() {
		re2, why, err := translatePattern(p)
		switch {
		case err != nil:
			t.Errorf("%s: %v", p, err)
		case why != "":
			t.Logf("%s: not supported by RE2 (%s); the generator skips it", p, why)
		default:
			if _, err := regexp.Compile(anchored(re2)); err != nil {
				t.Errorf("%s → %s: %v", p, re2, err)
			}
		}
	}
}

// TestPatternSemantics checks that translated patterns accept what Java's
// Matcher.matches accepts.
func TestPatternSemantics(t *testing.T) {
	tests := []struct {
		java  string
		input string
		match bool
	}{
		{`[\w-_]*`, "AWS::Res", false},
		{`[\w-_]*`, "a-b_c9", true},
		{`[\w-]*`, "a-b", true},
		{`[\w-]*`, "a!", false},
		{`[\w_-]*`, "-_", true},
		{`[-a]+`, "-a", true},
		{`[a-c-e]+`, "a-e", true},
		{`[a-c-e]+`, "d", false},
		{`[\-a-zA-Z0-9]+`, "a-Z", true},
		{`[\.\-_/#A-Za-z0-9]+`, "/aws/lambda/x.y#z", true},
		{`[\w+=/:,.@\-\*]*`, "arn:aws:*", true},
		{`^[0-9A-Za-z]+$`, "abc", true},
		{`^[0-9A-Za-z]+$`, "a-b", false},
		{`^[a-zA-Z_][a-zA-Z0-9_]*`, "a b", false}, // matches() anchors the end too
		{`\S{2}`, "ab", true},
		{`\S{2}`, "a\v", false}, // Java's \s includes \x0B
		{`\s`, "\v", true},
		{`[^:*$]*`, "a$", false},
		{`s3://[a-z0-9][\.\-a-z0-9]{1,61}[a-z0-9](/.*)?`, "s3://bucket/a/b", true},
		{`s3://[a-z0-9][\.\-a-z0-9]{1,61}[a-z0-9](/.*)?`, "s3://bucket/a\rb", false}, // Java's . excludes \r
		{`^([\p{L}\p{Z}\p{N}_.:/=+\-@]+)$`, "café 1", true},
		{`^([\p{L}\p{Z}\p{N}_.:/=+\-@]+)$`, "a!", false},
		{`^!?\*?([\p{L}\p{Z}\p{N}_.:/=+\-@]*)\*?$`, "!*abc*", true},
		{`(\^?[\.\-_\/#A-Za-z0-9]{3,24})(\|\^?[\.\-_\/#A-Za-z0-9]{3,24}){0,4}`, "^abc|def", true},
		{`\p{Alpha}+`, "abc", true},
		{`\p{Alpha}+`, "é", false}, // Java POSIX classes are ASCII
		{`\p{IsL}+`, "é", true},
		{`[\p{Alpha}\d]+`, "a1", true},
		{`\x41\u0042\0103`, "ABC", true},
		{`\Q.*\E`, ".*", true},
		{`\Q.*\E`, "ab", false},
		{`(?i)abc`, "ABC", true},
		{`a(?<n>b)c`, "abc", true},
	}
	for _, tt := range tests {
		re2, why, err := translatePattern(tt.java)
		if err != nil || why != "" {
			t.Errorf("%s: err %v, unsupported %q", tt.java, err, why)
			continue
		}
		re := regexp.MustCompile(anchored(re2))
		if got := re.MatchString(tt.input); got != tt.match {
			t.Errorf("%s (RE2 %s) on %q: match = %v, want %v", tt.java, re2, tt.input, got, tt.match)
		}
	}
}

func TestPatternUnsupported(t *testing.T) {
	for _, p := range []string{`(?=a)a`, `(?!a).`, `(?<=a)b`, `(?<!a)b`, `(?>a)`, `a*+`, `a++`, `(a)\1`, `[a-z&&[^b]]`, `[a[b]]`, `\p{InGreek}`, `(?x)a`, `\R`, `\h`} {
		_, why, err := translatePattern(p)
		if err != nil || why == "" {
			t.Errorf("%s: want unsupported, got err %v, unsupported %q", p, err, why)
		}
	}
	for _, p := range []string{`[z-a]`, `[a`, `\`} {
		if _, _, err := translatePattern(p); err == nil {
			t.Errorf("%s: want an error", p)
		}
	}
}

func TestFirstSentence(t *testing.T) {
	tests := []struct{ in, want string }{
		{"<p>Creates a <i>delivery</i>. More text.</p>", "Creates a delivery."},
		{"<p>Use a prefix, e.g. <code>/aws</code>, for this. Then.</p>", "Use a prefix, e.g. /aws, for this."},
		{"<p>A &amp; B</p>", "A & B"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := firstSentence(tt.in); got != tt.want {
			t.Errorf("firstSentence(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	long := "<p>" + strings.Repeat("word ", 100) + "</p>"
	if got := firstSentence(long); len(got) > maxDoc+len(" …") {
		t.Errorf("long sentence not shortened: %d bytes", len(got))
	}
}

func TestMembersKeepModelOrder(t *testing.T) {
	var s Shape
	if err := json.Unmarshal([]byte(`{"type":"structure","members":{"z":{"shape":"S"},"a":{"shape":"S"},"m":{"shape":"S"}}}`), &s); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, m := range s.Members {
		names = append(names, m.Name)
	}
	if got := strings.Join(names, ","); got != "z,a,m" {
		t.Errorf("member order %s, want z,a,m", got)
	}
}

func TestUnknownOperation(t *testing.T) {
	m := loadModel(t)
	if _, err := Generate(m, []string{"NoSuchOperation"}); err == nil {
		t.Error("want an error for an unknown operation")
	}
}

// vetPackage writes src as package api next to violations.go (plus extra
// files) in a temporary module and runs go vet and, when tests are given,
// go test on it.
func vetPackage(t *testing.T, src []byte, extra map[string]string) {
	t.Helper()
	if testing.Short() {
		t.Skip("builds a temporary module")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go tool not found")
	}
	dir := t.TempDir()
	v, err := os.ReadFile(violations)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"go.mod":          "module apigentest\n\ngo 1.26\n",
		"zz_generated.go": string(src),
		"violations.go":   string(v),
	}
	for k, s := range extra {
		files[k] = s
	}
	for name, s := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cmds := [][]string{{"vet", "."}}
	if len(extra) > 0 {
		cmds = append(cmds, []string{"test", "-count=1", "."})
	}
	for _, args := range cmds {
		cmd := exec.Command(goTool, args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod", "GOTOOLCHAIN=local")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
}

// TestAllOperations generates every operation of the model and vets the
// result, so that extending the operation list is only a list change.
func TestAllOperations(t *testing.T) {
	m := loadModel(t)
	src, err := Generate(m, sortedKeys(m.Operations))
	if err != nil {
		t.Fatal(err)
	}
	if n := len(m.Operations); n != 118 {
		t.Logf("model has %d operations", n)
	}
	vetPackage(t, src, nil)
}

// synthModel exercises every shape type and container combination the
// generator supports, including those the CloudWatch Logs model lacks.
const synthModel = `{
  "metadata": {"targetPrefix": "Synth_1", "apiVersion": "2024-01-01"},
  "operations": {
    "DoThing": {"name": "DoThing", "input": {"shape": "DoThingRequest"}, "output": {"shape": "DoThingResponse"},
                "documentation": "<p>Does a <b>thing</b>. Really.</p>"},
    "NoInput": {"name": "NoInput"}
  },
  "shapes": {
    "DoThingRequest": {"type": "structure", "required": ["zName", "Blob"], "members": {
      "zName": {"shape": "Name"},
      "count": {"shape": "Count"},
      "big": {"shape": "Big"},
      "ratio": {"shape": "Ratio"},
      "weight": {"shape": "Weight"},
      "when": {"shape": "When"},
      "Blob": {"shape": "Bytes"},
      "doc": {"shape": "Doc"},
      "flag": {"shape": "Flag"},
      "ratios": {"shape": "Ratios"},
      "matrix": {"shape": "Matrix"},
      "nodes": {"shape": "NodeMap"},
      "lists": {"shape": "ListMap"},
      "choice": {"shape": "Choice"},
      "tree": {"shape": "Node"},
      "kinds": {"shape": "Kinds"}
    }},
    "DoThingResponse": {"type": "structure", "members": {"blobs": {"shape": "BlobList"}, "counts": {"shape": "CountMap"}}},
    "Name": {"type": "string", "min": 2, "max": 5, "pattern": "[a-z-]+"},
    "Count": {"type": "integer", "min": -3, "max": 3000000000},
    "Big": {"type": "long", "min": 0, "max": 10000000000},
    "Ratio": {"type": "double", "min": 0.5, "max": 2.5},
    "Weight": {"type": "float"},
    "When": {"type": "timestamp"},
    "Bytes": {"type": "blob"},
    "Doc": {"type": "structure", "members": {}, "document": true},
    "Flag": {"type": "boolean"},
    "Ratios": {"type": "list", "member": {"shape": "Ratio"}, "max": 2},
    "Matrix": {"type": "list", "member": {"shape": "Row"}},
    "Row": {"type": "list", "member": {"shape": "Name"}, "min": 1},
    "NodeMap": {"type": "map", "key": {"shape": "Name"}, "value": {"shape": "Node"}},
    "ListMap": {"type": "map", "key": {"shape": "Key"}, "value": {"shape": "Row"}, "max": 1},
    "Key": {"type": "string"},
    "Node": {"type": "structure", "required": ["label"], "members": {
      "label": {"shape": "Name"},
      "children": {"shape": "Nodes"}
    }, "documentation": "<p>A tree node.</p>"},
    "Nodes": {"type": "list", "member": {"shape": "Node"}},
    "Choice": {"type": "structure", "union": true, "members": {"a": {"shape": "Name"}, "b": {"shape": "Count"}}},
    "Kinds": {"type": "list", "member": {"shape": "Kind"}},
    "Kind": {"type": "string", "enum": ["X", "Y"]},
    "BlobList": {"type": "list", "member": {"shape": "Bytes"}},
    "CountMap": {"type": "map", "key": {"shape": "Key"}, "value": {"shape": "Big"}}
  }
}`

// synthTest runs inside the temporary module built from synthModel.
const synthTest = `package api

import (
	"encoding/json"
	"math"
	"testing"
)

func p[T any](v T) *T { return &v }

func TestSynth(t *testing.T) {
	var _ json.RawMessage = DoThingInput{}.Doc
	var _ *int64 = DoThingInput{}.When
	var _ *float64 = DoThingInput{}.Weight
	var _ []byte = DoThingInput{}.Blob
	var _ [][]string = DoThingInput{}.Matrix
	var _ map[string]Node = DoThingInput{}.Nodes
	var _ *Choice = DoThingInput{}.Choice
	var _ []int64 = nil
	if TargetPrefix != "Synth_1" || len(OperationNames) != 2 {
		t.Fatal(TargetPrefix, OperationNames)
	}
	tests := []struct {
		in   *DoThingInput
		want string
	}{
		{&DoThingInput{}, "2 validation errors detected: Value null at 'zName' failed to satisfy constraint: Member must not be null; Value null at 'Blob' failed to satisfy constraint: Member must not be null"},
		{&DoThingInput{ZName: p("ab"), Blob: []byte{}}, ""},
		{&DoThingInput{ZName: p("ab"), Blob: []byte{}, Count: p[int32](-4), Big: p[int64](10000000001), Ratio: p(3.0), Ratios: []float64{0.1, 1, 1e-5}},
			"5 validation errors detected: Value '-4' at 'count' failed to satisfy constraint: Member must have value greater than or equal to -3; " +
				"Value '10000000001' at 'big' failed to satisfy constraint: Member must have value less than or equal to 10000000000; " +
				"Value '3.0' at 'ratio' failed to satisfy constraint: Member must have value less than or equal to 2.5; " +
				"Value '[0.1, 1.0, 1.0E-5]' at 'ratios' failed to satisfy constraint: Member must have length less than or equal to 2; " +
				"Value '[0.1, 1.0, 1.0E-5]' at 'ratios' failed to satisfy constraint: Member must satisfy constraint: [Member must have value greater than or equal to 0.5]"},
		{&DoThingInput{ZName: p("ab"), Blob: []byte{}, Matrix: [][]string{{"ab"}, {}, {"A"}}},
			"2 validation errors detected: Value '[]' at 'matrix.2.member' failed to satisfy constraint: Member must have length greater than or equal to 1; " +
				"Value '[A]' at 'matrix.3.member' failed to satisfy constraint: Member must satisfy constraint: [Member must have length greater than or equal to 2, Member must satisfy regular expression pattern: [a-z-]+]"},
		{&DoThingInput{ZName: p("ab"), Blob: []byte{}, Nodes: map[string]Node{"zz": {}, "B": {Label: p("ok"), Children: []Node{{Label: p("x")}}}}},
			"3 validation errors detected: Value '{B=Node, zz=Node}' at 'nodes' failed to satisfy constraint: Map keys must satisfy constraint: [Member must have length greater than or equal to 2, Member must satisfy regular expression pattern: [a-z-]+]; " +
				"Value 'x' at 'nodes.B.children.1.member.label' failed to satisfy constraint: Member must have length greater than or equal to 2; " +
				"Value null at 'nodes.zz.label' failed to satisfy constraint: Member must not be null"},
		{&DoThingInput{ZName: p("ab"), Blob: []byte{}, Lists: map[string][]string{"a": {}, "b": {"cc"}}},
			"2 validation errors detected: Value '{a=[], b=[cc]}' at 'lists' failed to satisfy constraint: Member must have length less than or equal to 1; " +
				"Value '[]' at 'lists.a' failed to satisfy constraint: Member must have length greater than or equal to 1"},
		{&DoThingInput{ZName: p("ab"), Blob: []byte{}, Choice: &Choice{A: p("a")}, Kinds: []string{"X", "Z"}, Tree: &Node{Label: p("ok"), Children: []Node{{}}}},
			"3 validation errors detected: Value 'a' at 'choice.a' failed to satisfy constraint: Member must have length greater than or equal to 2; " +
				"Value null at 'tree.children.1.member.label' failed to satisfy constraint: Member must not be null; " +
				"Value '[X, Z]' at 'kinds' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [X, Y]]"},
	}
	for i, tt := range tests {
		if got := tt.in.ValidateShape(); got != tt.want {
			t.Errorf("%d:\n got %s\nwant %s", i, got, tt.want)
		}
	}
	if got := (&NoInputInput{}).ValidateShape(); got != "" {
		t.Error(got)
	}
	for x, want := range map[float64]string{1: "1.0", 0.001: "0.001", 1e7: "1.0E7", 1.5e-7: "1.5E-7", -2.25: "-2.25", 123456789.5: "1.234567895E8", math.Inf(-1): "-Infinity"} {
		if got := renderDouble(x); got != want {
			t.Errorf("renderDouble(%v) = %s, want %s", x, got, want)
		}
	}
}
`

// TestSyntheticModel generates code for a model using every shape type and
// runs its validators.
func TestSyntheticModel(t *testing.T) {
	var m Model
	if err := json.Unmarshal([]byte(synthModel), &m); err != nil {
		t.Fatal(err)
	}
	for name, s := range m.Shapes {
		s.Name = name
	}
	if err := m.check(); err != nil {
		t.Fatal(err)
	}
	src, err := Generate(&m, []string{"DoThing", "NoInput"})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"ZName *string `json:\"zName,omitzero\"` // required",
		"Blob []byte `json:\"Blob,omitzero\"`",
		"Doc json.RawMessage",
		"When *int64",
		"Weight *float64",
		"type NoInputOutput struct{}",
		"// Node: A tree node.",
		"// DoThingInput is the input of DoThing. Does a thing.",
		"A union: set exactly one member.",
	} {
		if !bytes.Contains(src, []byte(want)) && !regexp.MustCompile(strings.ReplaceAll(regexp.QuoteMeta(want), " ", `\s+(?://\s+)?`)).Match(src) {
			t.Errorf("generated code lacks %q", want)
		}
	}
	vetPackage(t, src, map[string]string{"synth_test.go": synthTest})
}
