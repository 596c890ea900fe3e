package scenarios

import (
	"github.com/goccy/go-yaml"
)

// Title returns the title of a bundled scenario in both languages. It
// reads only the title, so that a listing never fails on a scenario that
// does not load.
func Title(name string) (Text, bool) {
	src, ok := Source(name)
	if !ok {
		return Text{}, false
	}
	var head struct {
		Title Text `yaml:"title"`
	}
	if err := yaml.Unmarshal(src, &head); err != nil {
		return Text{}, false
	}
	return head.Title, true
}
