package sim

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/osisim/osisim/layers"
	"github.com/osisim/osisim/layers/transport"
)

// TestCatalogComplete fails when a message lacks either language.
func TestCatalogComplete(t *testing.T) {
	for _, id := range MsgIDs() {
		m, _ := LookupMsg(id)
		if strings.TrimSpace(m.EN) == "" {
			t.Errorf("message %q has no English text", id)
		}
		if strings.TrimSpace(m.ZH) == "" {
			t.Errorf("message %q has no Chinese text", id)
		}
	}
}

var verb = regexp.MustCompile(`%[-+# 0]*[0-9]*(?:\.[0-9]+)?[a-zA-Z%]`)

// TestCatalogVerbs checks that both languages of a formatted message take
// the same arguments in the same order.
func TestCatalogVerbs(t *testing.T) {
	for _, id := range MsgIDs() {
		m, _ := LookupMsg(id)
		if diff := cmp.Diff(verb.FindAllString(m.EN, -1), verb.FindAllString(m.ZH, -1)); diff != "" {
			t.Errorf("message %q: the verbs differ (-en +zh):\n%s", id, diff)
		}
		if strings.Count(m.EN, "{scenario}") != strings.Count(m.ZH, "{scenario}") {
			t.Errorf("message %q: {scenario} differs between the languages", id)
		}
	}
}

// TestCatalogLists checks that list messages have as many items in both
// languages, none of them empty.
func TestCatalogLists(t *testing.T) {
	for _, id := range MsgIDs() {
		if !strings.HasSuffix(id, ".impl") && !strings.HasSuffix(id, ".not") {
			continue
		}
		en, zh := MsgLines(layers.EN, id), MsgLines(layers.ZH, id)
		if len(en) != len(zh) {
			t.Errorf("list %q: %d items in English, %d in Chinese", id, len(en), len(zh))
		}
		for i, it := range append(en, zh...) {
			if strings.TrimSpace(it) == "" {
				t.Errorf("list %q: item %d is empty", id, i)
			}
		}
	}
}

// TestCatalogLayerFacts checks that every layer has all its facts.
func TestCatalogLayerFacts(t *testing.T) {
	for _, l := range layers.All {
		for _, fact := range []string{"role", "does", "protocols", "devices", "impl", "not"} {
			id := fmt.Sprintf("layer.%d.%s", l, fact)
			if _, ok := LookupMsg(id); !ok {
				t.Errorf("%v lacks %q", l, id)
			}
		}
	}
}

// TestCatalogServices checks that every service of transport's table is in
// the catalog, its English text being transport's own description.
func TestCatalogServices(t *testing.T) {
	for _, sv := range transport.Services() {
		m, ok := LookupMsg("service." + sv.Name)
		if !ok {
			t.Errorf("service %s (port %d) is not in the catalog", sv.Name, sv.Port)
			continue
		}
		if m.EN != sv.Description {
			t.Errorf("service %s: catalog says %q, transport says %q", sv.Name, m.EN, sv.Description)
		}
	}
	for _, c := range []transport.PortClass{transport.WellKnown, transport.Registered, transport.Dynamic} {
		id := "portclass." + c.String()
		if m, ok := LookupMsg(id); !ok || m.EN != c.String() {
			t.Errorf("%q = %+v, want the English text %q", id, m, c.String())
		}
	}
}

// TestCatalogModels checks that every model has its name.
func TestCatalogModels(t *testing.T) {
	for _, m := range layers.Models {
		if _, ok := LookupMsg("model." + m.ID()); !ok {
			t.Errorf("model %v lacks model.%s", m, m.ID())
		}
	}
}

func TestMsg(t *testing.T) {
	tests := []struct {
		lang layers.Lang
		id   string
		args []any
		want string
	}{
		{layers.EN, "portclass.dynamic", nil, "dynamic"},
		{layers.ZH, "portclass.dynamic", nil, "动态端口"},
		{layers.EN, "ports.one", []any{110, "well-known", "0-1023"}, "Port 110 is a well-known port (0-1023)."},
		{layers.ZH, "ports.one", []any{110, "熟知端口", "0-1023"}, "端口 110 是熟知端口（0-1023）。"},
		{layers.Lang("fr"), "portclass.dynamic", nil, "dynamic"},
		{layers.ZH, "no.such.message", nil, "{!no.such.message}"},
	}
	for _, tt := range tests {
		if got := Msgf(tt.lang, tt.id, tt.args...); got != tt.want {
			t.Errorf("Msgf(%s, %q) = %q, want %q", tt.lang, tt.id, got, tt.want)
		}
	}
}

func TestMsgIDsSorted(t *testing.T) {
	ids := MsgIDs()
	if len(ids) == 0 {
		t.Fatal("the catalog is empty")
	}
	for i := 1; i < len(ids); i++ {
		if ids[i-1] >= ids[i] {
			t.Fatalf("MsgIDs not sorted: %q before %q", ids[i-1], ids[i])
		}
	}
}

func TestDisplayWidth(t *testing.T) {
	tests := []struct {
		s    string
		want int
	}{
		{"", 0},
		{"Transport", 9},
		{"传输层", 6},
		{"L4 传输层", 9},
		{"数据报/分组", 11},
		{"（RFC 1939）", 12},
		{"端口、服务。", 12},
		{"é", 1},
	}
	for _, tt := range tests {
		if got := DisplayWidth(tt.s); got != tt.want {
			t.Errorf("DisplayWidth(%q) = %d, want %d", tt.s, got, tt.want)
		}
	}
}
