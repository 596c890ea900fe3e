package sim_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/osisim/osisim/scenarios"
	"github.com/osisim/osisim/sim"
)

// The -update flag rewrites the golden files. Another test file of the
// package may define it too; whichever comes first defines it.
func init() {
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite the golden files under testdata/")
	}
}

func updatingGolden() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// runForViewer runs a bundled scenario into an HTMLRecorder.
func runForViewer(t *testing.T, name string) (*sim.HTMLRecorder, *scenarios.Result, sim.HTMLMeta) {
	t.Helper()
	f, err := scenarios.LoadBundled(name)
	if err != nil {
		t.Fatal(err)
	}
	rec := sim.NewHTMLRecorder()
	res, err := scenarios.Run(f, scenarios.Options{Seed: f.Seed, Recorder: rec})
	if err != nil {
		t.Fatal(err)
	}
	return rec, res, sim.HTMLMeta{Scenario: f.Name, Title: f.Title.EN, TitleZH: f.Title.ZH, Seed: f.Seed, Summary: res.Summary()}
}

// The data embedded in the page of the default lesson, byte for byte.
func TestHTMLDataGolden(t *testing.T) {
	rec, res, meta := runForViewer(t, scenarios.Default)
	got, err := rec.Data(res.Sim, meta)
	if err != nil {
		t.Fatal(err)
	}
	if !json.Valid(got) {
		t.Fatal("the page data is not valid JSON")
	}
	path := filepath.Join("testdata", "viewer-"+scenarios.Default+".golden.json")
	if updatingGolden() {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./sim -run TestHTMLDataGolden -update)", err)
	}
	if !bytes.Equal(want, got) {
		wl, gl := strings.Split(string(want), "\n"), strings.Split(string(got), "\n")
		t.Errorf("page data differs from %s (-want +got):\n%s", path, cmp.Diff(wl, gl))
	}
}

// The page holds the same events as the JSON trace, in the same order,
// with the same text, and the topology of the scenario.
func TestHTMLDataMatchesTrace(t *testing.T) {
	rec, res, meta := runForViewer(t, scenarios.Default)
	data, err := rec.Data(res.Sim, meta)
	if err != nil {
		t.Fatal(err)
	}
	var page struct {
		Events []struct {
			Seq  uint64 `json:"seq"`
			Node string `json:"node"`
			Text string `json:"text"`
			PDU  *struct {
				Kind string `json:"kind"`
				Blob int    `json:"blob"`
			} `json:"pdu"`
		} `json:"events"`
		Blobs    []json.RawMessage `json:"blobs"`
		Topology struct {
			Nodes []struct{ Name, Kind string } `json:"nodes"`
			Links []struct {
				A string `json:"a"`
				B string `json:"b"`
			} `json:"links"`
		} `json:"topology"`
	}
	if err := json.Unmarshal(data, &page); err != nil {
		t.Fatal(err)
	}
	f, _ := scenarios.LoadBundled(scenarios.Default)
	var trace bytes.Buffer
	j := sim.NewJSONRecorder(&trace)
	if _, err := scenarios.Run(f, scenarios.Options{Seed: f.Seed, Recorder: j}); err != nil {
		t.Fatal(err)
	}
	if err := j.Flush(); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(trace.String()), "\n")
	if len(lines) != len(page.Events) {
		t.Fatalf("the page has %d events, the trace %d", len(page.Events), len(lines))
	}
	for i, l := range lines {
		var e struct {
			Seq  uint64 `json:"seq"`
			Node string `json:"node"`
			Text string `json:"text"`
			PDU  *struct {
				Bytes string `json:"bytes"`
			} `json:"pdu"`
		}
		if err := json.Unmarshal([]byte(l), &e); err != nil {
			t.Fatal(err)
		}
		pe := page.Events[i]
		if pe.Seq != e.Seq || pe.Node != e.Node || pe.Text != e.Text {
			t.Fatalf("event %d: page %d %s %q, trace %d %s %q", i, pe.Seq, pe.Node, pe.Text, e.Seq, e.Node, e.Text)
		}
		if e.PDU != nil && e.PDU.Bytes != "" && (pe.PDU == nil || pe.PDU.Blob == 0) {
			t.Errorf("event %d carries octets in the trace but none in the page", e.Seq)
		}
	}
	var nodes []string
	for _, n := range page.Topology.Nodes {
		nodes = append(nodes, n.Name+":"+n.Kind)
	}
	if diff := cmp.Diff([]string{"client:host", "sw1:switch", "r1:router", "pc2:host", "server:host"}, nodes); diff != "" {
		t.Errorf("topology nodes (-want +got):\n%s", diff)
	}
	if len(page.Topology.Links) != 4 {
		t.Errorf("%d links, want 4", len(page.Topology.Links))
	}
}

// The page is self-contained: no external script, style, image or font,
// and the data cannot end its script element early.
func TestHTMLPageSelfContained(t *testing.T) {
	rec, res, meta := runForViewer(t, scenarios.Default)
	var b bytes.Buffer
	if err := rec.WriteHTML(&b, res.Sim, meta); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	if n := strings.Count(page, "</script>"); n != 2 {
		t.Errorf("%d script elements closed, want 2 (the data and the viewer)", n)
	}
	if m := regexp.MustCompile(`(?i)\s(src|href)\s*=|@import|url\(\s*['"]?(https?:|//)`).FindString(page); m != "" {
		t.Errorf("the page refers to an outside resource: %q", m)
	}
	// The only absolute URL is the SVG namespace, which is never fetched.
	for _, u := range regexp.MustCompile(`https?://[^\s"'<>]+`).FindAllString(page, -1) {
		if u != "http://www.w3.org/2000/svg" {
			t.Errorf("the page holds the URL %s", u)
		}
	}
	for _, want := range []string{"<title>osisim: pop3-retr: POP3 RETR through the seven layers</title>", `id="osisim-data"`, "Content-Security-Policy"} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if strings.Contains(page, "{{") {
		t.Error("a template placeholder is left in the page")
	}
}
