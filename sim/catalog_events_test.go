package sim

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// eventTemplates reads the module's source and returns the English template
// of every message id recorded with layers.Event.Say or Title, or said with
// layers.Tell (a phrase inside a text or an error), sim's tell or a
// presentation step's tell, and where it is. An id recorded twice must have
// the same template.
func eventTemplates(t *testing.T) map[string]string {
	t.Helper()
	fset := token.NewFileSet()
	ids := map[string]string{}
	where := map[string]string{}
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); name == "testdata" || (strings.HasPrefix(name, ".") && name != "..") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) < 2 {
				return true
			}
			name := ""
			switch fn := call.Fun.(type) {
			case *ast.Ident:
				name = fn.Name
			case *ast.SelectorExpr:
				name = fn.Sel.Name
			}
			if name != "Say" && name != "Title" && name != "Tell" && name != "tell" {
				return true
			}
			pos := fset.Position(call.Pos()).String()
			lit := func(e ast.Expr) (string, bool) {
				b, ok := e.(*ast.BasicLit)
				if !ok || b.Kind != token.STRING {
					return "", false
				}
				s, err := strconv.Unquote(b.Value)
				return s, err == nil
			}
			if a, ok := call.Args[0].(*ast.Ident); ok && a.Name == "msg" {
				return true // a helper passing its own parameters on
			}
			id, ok1 := lit(call.Args[0])
			en, ok2 := lit(call.Args[1])
			if !ok1 || !ok2 {
				t.Errorf("%s: %s needs a literal message id and English template", pos, name)
				return true
			}
			if old, ok := ids[id]; ok && old != en {
				t.Errorf("%s: message %q has the English template %q, at %s %q", pos, id, en, where[id], old)
			}
			ids[id], where[id] = en, pos
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

// TestEventCatalog fails when a message id recorded in the code has no
// Chinese template, when the Chinese template's verbs differ from the
// English one's, or when the catalog holds an id the code never records.
func TestEventCatalog(t *testing.T) {
	ids := eventTemplates(t)
	if len(ids) == 0 {
		t.Fatal("no message id found in the source")
	}
	for id, en := range ids {
		zh, ok := eventCatalog[id]
		if !ok {
			t.Errorf("message %q (%q) has no Chinese template", id, en)
			continue
		}
		if strings.TrimSpace(zh) == "" {
			t.Errorf("message %q: the Chinese template is empty", id)
		}
		enArgs, err := argVerbs(en)
		if err != nil {
			t.Errorf("message %q: English template: %v", id, err)
		}
		zhArgs, err := argVerbs(zh)
		if err != nil {
			t.Errorf("message %q: Chinese template: %v", id, err)
		}
		if diff := cmp.Diff(enArgs, zhArgs); diff != "" {
			t.Errorf("message %q: the verbs differ (-en +zh):\n%s", id, diff)
		}
	}
	for id := range eventCatalog {
		if _, ok := ids[id]; !ok {
			t.Errorf("message %q is in the catalog but no code records it", id)
		}
	}
}

// indexedVerb is a verb of a fmt template, with its explicit argument
// index if it has one ("%[2]s").
var indexedVerb = regexp.MustCompile(`%(?:\[(\d+)\])?([-+# 0]*[0-9]*(?:\.[0-9]+)?[a-zA-Z%])`)

// argVerbs returns the verb a template applies to each of its arguments, by
// argument number from 1, following fmt's rules for explicit indexes (a
// verb after "%[n]d" takes argument n+1). A translation may so take the
// arguments in another order, but each with the same verb.
func argVerbs(s string) (map[int]string, error) {
	verbs := map[int]string{}
	n := 0
	for _, m := range indexedVerb.FindAllStringSubmatch(s, -1) {
		if m[2] == "%" {
			continue
		}
		if m[1] != "" {
			i, err := strconv.Atoi(m[1])
			if err != nil {
				return nil, err
			}
			n = i
		} else {
			n++
		}
		if v, ok := verbs[n]; ok && v != m[2] {
			return nil, fmt.Errorf("argument %d takes %%%s and %%%s", n, v, m[2])
		}
		verbs[n] = m[2]
	}
	return verbs, nil
}
