package scenarios

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/osisim/osisim/layers"
	"github.com/osisim/osisim/sim"
)

// zhStory runs the default scenario and returns its text story in Chinese.
func zhStory(t *testing.T) string {
	t.Helper()
	f, err := LoadBundled("pop3-retr")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	rec := sim.NewTextRecorder(&buf, sim.TextOptions{Model: layers.OSI7, Lang: layers.ZH, NodeWidth: NodeWidth(f)})
	if _, err := Run(f, Options{Seed: f.Seed, Recorder: rec}); err != nil {
		t.Fatal(err)
	}
	if err := rec.Flush(); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

var englishLayerName = regexp.MustCompile(`(?i)(physical|data link|network|transport|session|presentation|application) layer`)

// TestChineseStoryHasNoEnglishLayerNames fails when the Chinese story of
// the default scenario names a layer in English.
func TestChineseStoryHasNoEnglishLayerNames(t *testing.T) {
	story := zhStory(t)
	for _, line := range bytes.Split([]byte(story), []byte("\n")) {
		if englishLayerName.Match(line) {
			t.Errorf("English layer name in the Chinese story: %s", line)
		}
	}
	if !bytes.Contains([]byte(story), []byte("交给数据链路层")) {
		t.Error("the Chinese story lacks the physical layer's Chinese text")
	}
}

// TestGoldenStoryZH compares the Chinese text story of the default scenario
// with testdata/pop3-retr.zh.golden (go test ./scenarios -run GoldenStoryZH
// -update rewrites it).
func TestGoldenStoryZH(t *testing.T) {
	got := zhStory(t)
	golden := filepath.Join("testdata", "pop3-retr.zh.golden")
	if *update {
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
