// Package scenarios reads scenario files, checks them before anything runs,
// builds the simulated network they describe and runs it, checking the
// scenario's expectations at the end. The bundled lessons are embedded.
package scenarios

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
)

//go:embed library/*.yaml
var library embed.FS

// Default is the scenario `osisim run` runs with no argument.
const Default = "pop3-retr"

// Names lists the bundled scenarios in alphabetical order.
func Names() []string {
	entries, _ := fs.ReadDir(library, "library")
	var out []string
	for _, e := range entries {
		out = append(out, strings.TrimSuffix(e.Name(), ".yaml"))
	}
	sort.Strings(out)
	return out
}

// Source returns the text of a bundled scenario.
func Source(name string) ([]byte, bool) {
	b, err := library.ReadFile(path.Join("library", name+".yaml"))
	return b, err == nil
}

// Error is a problem in a scenario file, with its position.
type Error struct {
	File      string
	Line, Col int
	Msg       string
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Col, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Msg)
}

// Errors is every problem found in one file, in file order.
type Errors []*Error

func (es Errors) Error() string {
	s := make([]string, len(es))
	for i, e := range es {
		s[i] = e.Error()
	}
	return strings.Join(s, "\n")
}

// Load parses and validates a scenario file. file names the source in error
// messages. The error, if any, is an Errors list with line:column positions.
func Load(file string, data []byte) (*File, error) {
	var f File
	if err := yaml.UnmarshalWithOptions(data, &f, yaml.Strict()); err != nil {
		return nil, Errors{yamlError(file, err)}
	}
	astFile, err := parser.ParseBytes(data, 0)
	if err != nil {
		return nil, Errors{yamlError(file, err)}
	}
	v := &validator{file: file, ast: astFile}
	v.check(&f)
	if len(v.errs) > 0 {
		sort.SliceStable(v.errs, func(i, j int) bool {
			a, b := v.errs[i], v.errs[j]
			if a.Line != b.Line {
				return a.Line < b.Line
			}
			return a.Col < b.Col
		})
		return nil, v.errs
	}
	return &f, nil
}

// LoadBundled loads a bundled scenario by name.
func LoadBundled(name string) (*File, error) {
	b, ok := Source(name)
	if !ok {
		return nil, fmt.Errorf("no bundled scenario %q (osisim scenarios lists them: %s)", name, strings.Join(Names(), ", "))
	}
	return Load(name+".yaml", b)
}

func yamlError(file string, err error) *Error {
	var ye yaml.Error
	if errors.As(err, &ye) {
		e := &Error{File: file, Msg: ye.GetMessage()}
		if tk := ye.GetToken(); tk != nil && tk.Position != nil {
			e.Line, e.Col = tk.Position.Line, tk.Position.Column
		}
		return e
	}
	return &Error{File: file, Msg: err.Error()}
}

// validator collects semantic errors, placing each at the YAML node its path
// names.
type validator struct {
	file string
	ast  *ast.File
	errs Errors
}

// errorf records a problem at the node at YAML path p ("$.nodes[0].mac").
func (v *validator) errorf(p string, format string, args ...any) {
	e := &Error{File: v.file, Msg: fmt.Sprintf(format, args...)}
	if yp, err := yaml.PathString(p); err == nil {
		if n, err := yp.FilterFile(v.ast); err == nil && n != nil {
			// A mapping is placed at its first key rather than at the
			// first ':'.
			switch m := n.(type) {
			case *ast.MappingNode:
				if len(m.Values) > 0 && m.Values[0].Key != nil {
					n = m.Values[0].Key
				}
			case *ast.MappingValueNode:
				if m.Key != nil {
					n = m.Key
				}
			}
			if tk := n.GetToken(); tk != nil && tk.Position != nil {
				e.Line, e.Col = tk.Position.Line, tk.Position.Column
			}
		}
	}
	v.errs = append(v.errs, e)
}
