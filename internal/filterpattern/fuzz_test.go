package filterpattern

import (
	"encoding/json"
	"errors"
	"testing"
	"unicode/utf8"
)

// FuzzParse checks that Parse and Match never panic, that refusals are
// *Error values with a message, and that a compiled pattern answers the
// same way every time (and true whenever MatchAll says so).
func FuzzParse(f *testing.F) {
	for _, v := range vectors {
		for _, m := range append(v.match, v.noMatch...) {
			f.Add(v.pattern, m)
		}
	}
	for _, r := range rejections {
		f.Add(r.pattern, "x")
	}
	notExists, err := Parse("{ $.fuzz NOT EXISTS }")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, pattern, message string) {
		// The JSON scanner must agree with encoding/json on which
		// messages are JSON objects, and on their keys.
		var obj map[string]json.RawMessage
		want := json.Unmarshal([]byte(message), &obj) == nil && obj != nil
		if _, has := obj["fuzz"]; has {
			want = false
		}
		if got := notExists.Match(message); got != want {
			t.Fatalf("{ $.fuzz NOT EXISTS }.Match(%q) = %v, encoding/json says %v", message, got, want)
		}
		p, err := Parse(pattern)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Message == "" || !utf8.ValidString(e.Message) {
				t.Fatalf("Parse(%q): bad error %#v", pattern, err)
			}
			if p != nil {
				t.Fatalf("Parse(%q) returned a pattern with its error", pattern)
			}
			return
		}
		got := p.Match(message)
		if p.Match(message) != got {
			t.Fatalf("Parse(%q).Match(%q) is not deterministic", pattern, message)
		}
		if p.MatchAll() && !got {
			t.Fatalf("Parse(%q).MatchAll() but Match(%q) = false", pattern, message)
		}
		q, err := Parse(pattern)
		if err != nil || q.Match(message) != got {
			t.Fatalf("Parse(%q) twice disagrees on %q", pattern, message)
		}
	})
}
