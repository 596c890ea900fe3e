package scenarios

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/osisim/osisim/layers"
	"github.com/osisim/osisim/sim"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// runJSON runs a bundled scenario with seed and returns its JSON-lines trace.
func runJSON(t *testing.T, name string, seed uint64) ([]byte, *Result) {
	t.Helper()
	f, err := LoadBundled(name)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	rec := sim.NewJSONRecorder(&buf)
	res, err := Run(f, Options{Seed: seed, Recorder: rec})
	if err != nil {
		t.Fatal(err)
	}
	if err := rec.Flush(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), res
}

type jsonEvent struct {
	Seq   int    `json:"seq"`
	Node  string `json:"node"`
	Layer int    `json:"layer"`
	Dir   string `json:"dir"`
	Text  string `json:"text"`
	PDU   *struct {
		Kind    string `json:"kind"`
		Summary string `json:"summary"`
		Fields  []layers.Field
	} `json:"pdu"`
}

func parseTrace(t *testing.T, b []byte) []jsonEvent {
	t.Helper()
	var out []jsonEvent
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		var e jsonEvent
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			t.Fatalf("line %d is not JSON: %v", len(out)+1, err)
		}
		out = append(out, e)
	}
	return out
}

// TestDefaultScenarioEndToEnd checks the outcome the lesson promises: the
// client's application received message 1 equal to the server's stored
// message (by hash after presentation decoding), and message 1 left the
// maildrop only in the UPDATE state after QUIT.
func TestDefaultScenarioEndToEnd(t *testing.T) {
	trace, res := runJSON(t, Default, 1)
	if !res.OK() {
		t.Fatalf("expectations failed:\n%s", res.Failures())
	}
	cl := res.Clients[0]
	got, ok := cl.Retrieved(1)
	if !ok {
		t.Fatal("message 1 not retrieved")
	}
	srv := res.Servers["server"]
	want, _ := srv.StoredHash(1)
	if got.Hash != want {
		t.Errorf("received hash %x, stored %x", got.Hash, want)
	}
	if got.Subject != "关于POP3的课堂笔记" {
		t.Errorf("subject %q", got.Subject)
	}
	if diff := cmp.Diff([]int{2}, srv.Remaining()); diff != "" {
		t.Errorf("remaining messages (-want +got):\n%s", diff)
	}
	if s := srv.DeletedBeforeQuit(); s != "" {
		t.Errorf("deleted before QUIT: %s", s)
	}

	// In the trace, the server removes the message only after it got QUIT,
	// and it had marked it at DELE without removing it.
	events := parseTrace(t, trace)
	quit, dele, removed := -1, -1, -1
	for i, e := range events {
		if e.Node != "server" || e.Layer != 7 {
			continue
		}
		switch {
		case strings.Contains(e.Text, `got "QUIT"`):
			quit = i
		case strings.Contains(e.Text, `got "DELE 1"`):
			dele = i
		case strings.Contains(e.Text, "removed 1 message"):
			removed = i
		}
	}
	if dele < 0 || quit < 0 || removed < 0 || !(dele < quit && quit < removed) {
		t.Errorf("DELE at %d, QUIT at %d, removal at %d: want DELE < QUIT < removal", dele, quit, removed)
	}
}

// TestWalkThroughLayers checks that the trace shows what a student must see:
// ARP before the first IPv4 frame, the switch learning, the router
// decrementing TTL, the reply split into segments, the checkpoint, and the
// presentation layer decoding the Chinese subject.
func TestWalkThroughLayers(t *testing.T) {
	trace, _ := runJSON(t, Default, 1)
	events := parseTrace(t, trace)
	first := func(pred func(e jsonEvent) bool) int {
		for i, e := range events {
			if pred(e) {
				return i
			}
		}
		return -1
	}
	arp := first(func(e jsonEvent) bool {
		return e.Node == "client" && e.Layer == 2 && e.PDU != nil && strings.Contains(e.PDU.Summary, "type ARP")
	})
	ipv4 := first(func(e jsonEvent) bool {
		return e.Node == "client" && e.Layer == 2 && e.PDU != nil && strings.Contains(e.PDU.Summary, "type IPv4")
	})
	if arp < 0 || ipv4 < 0 || arp > ipv4 {
		t.Errorf("client's first ARP frame at %d, first IPv4 frame at %d: ARP must come first", arp, ipv4)
	}
	checks := map[string]func(e jsonEvent) bool{
		"switch learns the client's MAC": func(e jsonEvent) bool {
			return e.Node == "sw1" && strings.Contains(e.Text, "learned 02:00:00:00:01:0a on port 1")
		},
		"router decrements TTL": func(e jsonEvent) bool {
			return e.Node == "r1" && e.Layer == 3 && strings.Contains(e.Text, "TTL 64 -> 63")
		},
		"router re-frames with its own MAC": func(e jsonEvent) bool {
			return e.Node == "r1" && e.Layer == 2 && e.Dir == "down" && e.PDU != nil && strings.HasPrefix(e.PDU.Summary, "02:00:00:00:02:01 > 02:00:00:00:02:6e type IPv4")
		},
		"a full-size segment of the reply": func(e jsonEvent) bool {
			return e.Node == "server" && e.Layer == 4 && e.Dir == "down" && e.PDU != nil && strings.Contains(e.PDU.Summary, "len=1460")
		},
		"the session checkpoint": func(e jsonEvent) bool {
			return e.Node == "client" && e.Layer == 5 && strings.Contains(e.Text, "checkpoint 1: message 1 complete")
		},
		"the Chinese subject decoded": func(e jsonEvent) bool {
			return e.Node == "client" && e.Layer == 6 && strings.Contains(e.Text, `-> "关于POP3的课堂笔记" (RFC 2047 decoded)`)
		},
		"the Chinese subject encoded": func(e jsonEvent) bool {
			return e.Node == "server" && e.Layer == 6 && strings.Contains(e.Text, `Subject "关于POP3的课堂笔记" -> "=?UTF-8?B?`)
		},
		"bits on the wire in Manchester": func(e jsonEvent) bool {
			return e.Node == "client" && e.Layer == 1 && e.Dir == "wire" && strings.Contains(e.Text, "Manchester")
		},
	}
	for name, pred := range checks {
		if first(pred) < 0 {
			t.Errorf("the trace does not show %s", name)
		}
	}
}

// TestDeterminism runs the default scenario twice with the same seed and
// once with another: same seed, byte-identical JSON traces; another seed,
// other ISNs and another client port.
func TestDeterminism(t *testing.T) {
	a, _ := runJSON(t, Default, 1)
	b, _ := runJSON(t, Default, 1)
	if !bytes.Equal(a, b) {
		t.Fatal("two runs with seed 1 gave different traces")
	}
	c, _ := runJSON(t, Default, 2)
	syn := func(trace []byte) string {
		for _, e := range parseTrace(t, trace) {
			if e.Node == "client" && e.Layer == 4 && e.Dir == "down" && e.PDU != nil && strings.Contains(e.PDU.Summary, "[SYN]") {
				return e.PDU.Summary
			}
		}
		return ""
	}
	s1, s2 := syn(a), syn(c)
	if s1 == "" || s2 == "" {
		t.Fatalf("no SYN found: %q %q", s1, s2)
	}
	port := func(s string) string { return strings.Fields(s)[1] }
	seq := func(s string) string {
		for _, f := range strings.Fields(s) {
			if strings.HasPrefix(f, "seq=") {
				return f
			}
		}
		return ""
	}
	if port(s1) == port(s2) || seq(s1) == seq(s2) {
		t.Errorf("seeds 1 and 2 gave the same port or ISN: %q vs %q", s1, s2)
	}
	p := port(s1)
	var n int
	for _, ch := range p {
		n = n*10 + int(ch-'0')
	}
	if n < 49152 || n > 65535 {
		t.Errorf("client port %s is outside the dynamic range 49152-65535", p)
	}
}

// TestGoldenStory compares the text story of every bundled scenario with
// testdata/NAME.golden (go test ./scenarios -run GoldenStory -update
// rewrites them).
func TestGoldenStory(t *testing.T) {
	for _, name := range Names() {
		t.Run(name, func(t *testing.T) {
			f, err := LoadBundled(name)
			if err != nil {
				t.Fatal(err)
			}
			compareGolden(t, name+".golden", storyOf(t, f, layers.EN, true))
		})
	}
}

// storyOf runs f with its own seed and returns the text story in lang,
// followed by the run's summary when withSummary is set.
func storyOf(t *testing.T, f *File, lang layers.Lang, withSummary bool) string {
	t.Helper()
	var buf bytes.Buffer
	rec := sim.NewTextRecorder(&buf, sim.TextOptions{Model: layers.OSI7, Lang: lang, NodeWidth: NodeWidth(f)})
	res, err := Run(f, Options{Seed: f.Seed, Recorder: rec})
	if err != nil {
		t.Fatal(err)
	}
	if err := rec.Flush(); err != nil {
		t.Fatal(err)
	}
	if withSummary {
		buf.WriteString("\n" + res.SummaryIn(lang) + "\n")
	}
	return buf.String()
}

// compareGolden compares got with testdata/name; -update rewrites the file.
func compareGolden(t *testing.T, name, got string) {
	t.Helper()
	golden := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("story differs from %s (-want +got):\n%s", golden, diff)
	}
}
