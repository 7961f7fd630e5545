package internal_test

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const module = "github.com/cwlogd/cwlogd/internal/"

// allowed lists, for each package, the project packages it may import, so
// imports point one way: cmd → app → server → {service, awsjson, auth, api}
// → {model, store, awserr}.
var allowed = map[string][]string{
	"api":                    {},
	"awserr":                 {},
	"model":                  {},
	"config":                 {"model"},
	"policy":                 {},
	"filterpattern":          {},
	"catalog":                {},
	"store":                  {"model"},
	"store/memory":           {"model", "store"},
	"store/storetest":        {"model", "store"},
	"store/sqlstore":         {"model", "store"},
	"store/sqlstore/sqltest": {"model", "store"},
	"store/sqlite":           {"model", "store", "store/sqlstore"},
	"store/postgres":         {"model", "store", "store/sqlstore"},
	"awsjson":                {"awserr"},
	"auth":                   {"awserr", "model"},
	"service":                {"api", "awserr", "catalog", "filterpattern", "model", "store"},
	"server":                 {"api", "auth", "awsjson", "awserr", "model", "service"},
	"httpserve":              {},
	"loadgen":                {"httpserve", "api", "awsjson", "model"},
	"app":                    {"httpserve", "auth", "catalog", "config", "policy", "server", "service", "store", "store/memory", "store/postgres", "store/sqlite"},
	"e2e":                    {"*"},
}

func TestImportsPointOneWay(t *testing.T) {
	err := filepath.WalkDir(".", func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		pkg := filepath.ToSlash(filepath.Dir(path))
		if pkg == "." {
			return nil
		}
		rules, ok := allowed[pkg]
		if !ok {
			t.Errorf("package %s has no import rule: add it to allowed", pkg)
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		for _, imp := range f.Imports {
			p := strings.Trim(imp.Path.Value, `"`)
			dep, ok := strings.CutPrefix(p, module)
			if !ok || (len(rules) > 0 && rules[0] == "*") {
				continue
			}
			if !contains(rules, dep) {
				t.Errorf("%s imports %s, which it may not (allowed: %v)", path, dep, rules)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func contains(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}
