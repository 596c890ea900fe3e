package layers_test

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// order gives each layer package its OSI layer number.
var order = map[string]int{
	"physical": 1, "datalink": 2, "network": 3, "transport": 4,
	"session": 5, "presentation": 6, "application": 7,
}

const module = "github.com/osisim/osisim/"

// TestImportsPointDown checks DESIGN.md's rule: a layer package never imports
// sim/, scenarios/, cmd/ or a layer above it, and the root package layers
// imports no other package of osisim. Test files may also use layerstest.
func TestImportsPointDown(t *testing.T) {
	dirs, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	check := func(dir, pkg string, self int) {
		files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
		for _, file := range files {
			f, err := parser.ParseFile(token.NewFileSet(), file, nil, parser.ImportsOnly)
			if err != nil {
				t.Fatal(err)
			}
			checked++
			for _, imp := range f.Imports {
				path := strings.Trim(imp.Path.Value, `"`)
				if !strings.HasPrefix(path, module) {
					continue
				}
				rel := strings.TrimPrefix(path, module)
				switch {
				case rel == "layers":
					if pkg == "layers" && !strings.HasSuffix(file, "_test.go") {
						t.Errorf("%s: the root package layers imports itself?", file)
					}
				case rel == "layers/layerstest":
					if !strings.HasSuffix(file, "_test.go") {
						t.Errorf("%s imports layerstest outside a test", file)
					}
				case strings.HasPrefix(rel, "layers/"):
					name := strings.TrimPrefix(rel, "layers/")
					n, ok := order[name]
					if pkg == "layers" {
						t.Errorf("%s: the root package layers must import no other osisim package, imports %s", file, path)
					} else if !ok || n >= self {
						t.Errorf("%s (layer %d) imports %s, which is not a lower layer", file, self, path)
					}
				default:
					t.Errorf("%s imports %s: layer packages never import sim/, scenarios/ or cmd/", file, path)
				}
			}
		}
	}
	check(".", "layers", 0)
	for _, d := range dirs {
		if n, ok := order[d.Name()]; ok && d.IsDir() {
			check(d.Name(), d.Name(), n)
		}
	}
	if checked < 10 {
		t.Fatalf("only %d files checked: is the test running in layers/?", checked)
	}
}
