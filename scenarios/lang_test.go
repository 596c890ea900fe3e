package scenarios

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

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
	return storyOf(t, f, layers.ZH, false)
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
	compareGolden(t, "pop3-retr.zh.golden", zhStory(t))
}

// TestGoldenStoryTLSZH compares the Chinese text story of pop3-tls (STLS,
// the TLS handshake and its records at the presentation layer) with
// testdata/pop3-tls.zh.golden (-update rewrites it).
func TestGoldenStoryTLSZH(t *testing.T) {
	f, err := LoadBundled("pop3-tls")
	if err != nil {
		t.Fatal(err)
	}
	compareGolden(t, "pop3-tls.zh.golden", storyOf(t, f, layers.ZH, false))
}

// englishSentence finds three or more ASCII lowercase words in a row: an
// English sentence (or the rest of one) in a line that should be Chinese.
// Protocol notation ("TCP 58788 > 110 [SYN] seq=..."), addresses, field
// names and keywords never have three lowercase words in a row.
var englishSentence = regexp.MustCompile(`\b[a-z]+(?: [a-z]+){2,}\b`)

// quoted is what a line quotes: protocol text as it is on the wire (a POP3
// command or reply line, a mail's subject), which stays as it is.
var quoted = regexp.MustCompile(`"[^"]*"`)

// englishLines returns the lines of text with an English sentence outside
// quotes.
func englishLines(text string) []string {
	var out []string
	for _, line := range strings.Split(text, "\n") {
		if m := englishSentence.FindString(quoted.ReplaceAllString(line, `""`)); m != "" {
			out = append(out, m+"  <-  "+line)
		}
	}
	return out
}

// zhResidue lists the English that a Chinese story may keep (the words the
// check finds), each with the reason it stays.
var zhResidue = map[string]string{
	"bytes of data":             "ping's first line as iputils ping prints it (PING host (addr) 56(84) bytes of data), quoted as the tool's output",
	"to connect to remote host": "telnet's own message (telnet: Unable to connect to remote host: ...), quoted as the tool prints it",
	"closed by foreign host":    "telnet's own message (telnet: Connection closed by foreign host.), quoted as the tool prints it",
}

// TestChineseStoryHasNoEnglishSentence fails when the Chinese story of any
// bundled scenario, every event of it, or its summary still says something
// in English. What a line quotes is protocol text and stays as it is; no
// other English is allowed but what zhResidue lists with its reason. The
// same check on the English story must find English, or the check itself
// is broken.
func TestChineseStoryHasNoEnglishSentence(t *testing.T) {
	for _, name := range Names() {
		t.Run(name, func(t *testing.T) {
			f, err := LoadBundled(name)
			if err != nil {
				t.Fatal(err)
			}
			run := func(lang layers.Lang, all bool) string {
				var buf bytes.Buffer
				rec := sim.NewTextRecorder(&buf, sim.TextOptions{Model: layers.OSI7, Lang: lang, All: all, NodeWidth: NodeWidth(f)})
				res, err := Run(f, Options{Seed: f.Seed, Recorder: rec})
				if err != nil {
					t.Fatal(err)
				}
				if err := rec.Flush(); err != nil {
					t.Fatal(err)
				}
				return buf.String() + "\n" + res.SummaryIn(lang)
			}
			for _, all := range []bool{false, true} {
				for _, l := range englishLines(run(layers.ZH, all)) {
					if _, ok := zhResidue[strings.SplitN(l, "  <-  ", 2)[0]]; ok {
						continue
					}
					t.Errorf("English in the Chinese story (all=%v): %s", all, l)
				}
			}
			if len(englishLines(run(layers.EN, false))) < 10 {
				t.Error("the check finds almost no English in the English story: it cannot see English")
			}
		})
	}
}
