package scenarios

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/osisim/osisim/layers"
	"github.com/osisim/osisim/sim"
)

// upperEvent is what the profile tests keep of a session or presentation
// boundary event.
type upperEvent struct {
	node      string
	layer     layers.Layer
	dir       layers.Dir
	text      string
	summary   string
	len, hlen int
}

type upperRecorder struct{ events []upperEvent }

func (r *upperRecorder) Record(e *layers.Event) {
	if e.Layer != layers.Session && e.Layer != layers.Presentation {
		return
	}
	u := upperEvent{node: e.Node, layer: e.Layer, dir: e.Dir, text: e.Text}
	if e.PDU != nil {
		u.summary, u.len, u.hlen = e.PDU.Summary, e.PDU.Len, e.PDU.HeaderLen
	}
	r.events = append(r.events, u)
}

func osiScenario(t *testing.T, compress bool) *File {
	t.Helper()
	f, err := LoadBundled(Default)
	if err != nil {
		t.Fatal(err)
	}
	f.Profile, f.Compress = string(sim.ProfileOSI), compress
	return f
}

// TestOSIProfileRun runs the default lesson in the osi profile, with and
// without compression: the message arrives intact, and the trace shows the
// session and presentation headers with their sizes.
func TestOSIProfileRun(t *testing.T) {
	for _, compress := range []bool{false, true} {
		t.Run(fmt.Sprintf("compress=%v", compress), func(t *testing.T) {
			f := osiScenario(t, compress)
			rec := &upperRecorder{}
			res, err := Run(f, Options{Seed: f.Seed, Recorder: rec})
			if err != nil {
				t.Fatal(err)
			}
			if !res.OK() {
				t.Fatalf("expectations failed:\n%s", res.Failures())
			}
			got, ok := res.Clients[0].Retrieved(1)
			if !ok {
				t.Fatal("message 1 not retrieved")
			}
			if want, _ := res.Servers["server"].StoredHash(1); got.Hash != want {
				t.Errorf("received hash %x, stored %x", got.Hash, want)
			}
			var spdus, ppdus, notes, deflated int
			for _, e := range rec.events {
				switch {
				case e.layer == layers.Session && e.hlen == 16 && strings.Contains(e.summary, "(16 B session header)"):
					if e.len < 16 {
						t.Errorf("SPDU of %d B with a 16 B header: %s", e.len, e.summary)
					}
					spdus++
				case e.layer == layers.Presentation && e.hlen == 8 && strings.Contains(e.summary, "(8 B presentation header)"):
					ppdus++
					if strings.Contains(e.text, "RFC 5322 + MIME: DEFLATE (RFC 1951) compressed: 2,051 B before") {
						deflated++
					}
				case e.dir == layers.Note && strings.HasPrefix(e.text, sim.OSICaptureNote):
					notes++
				}
			}
			// Both ends send and receive at least the dialog's 16 units.
			if spdus < 32 || ppdus < 32 {
				t.Errorf("%d SPDUs and %d PPDUs with osi headers in the trace, want at least 32 of each", spdus, ppdus)
			}
			if notes != 2 {
				t.Errorf("%d capture notes, want one per end", notes)
			}
			if want := map[bool]int{false: 0, true: 1}[compress]; deflated != want {
				t.Errorf("%d compressed mail units in the trace, want %d", deflated, want)
			}
		})
	}
}

// TestOSIProfileExplain checks that explaining a frame of the osi profile
// shows the session and presentation headers inside the TCP data.
func TestOSIProfileExplain(t *testing.T) {
	f := osiScenario(t, false)
	for n := 1; n <= 40; n++ {
		rec, err := sim.NewExplainRecorder("client.eth0", n)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Run(f, Options{Seed: f.Seed, Recorder: rec}); err != nil {
			t.Fatal(err)
		}
		x, err := rec.Explanation()
		if err != nil {
			t.Fatal(err)
		}
		var l5, l6 bool
		for _, u := range x.Upper {
			l5 = l5 || u.Layer == layers.Session && u.HeaderLen == 16
			l6 = l6 || u.Layer == layers.Presentation && u.HeaderLen == 8
		}
		if !l5 || !l6 {
			continue
		}
		var b bytes.Buffer
		if err := x.WriteText(&b, layers.OSI7, layers.EN); err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"this layer's 16 B header is inside the data", "this layer's 8 B header is inside the data",
			"(16 B session header)", "(8 B presentation header)"} {
			if !strings.Contains(b.String(), want) {
				t.Errorf("explain of frame %d does not say %q:\n%s", n, want, b.String())
			}
		}
		return
	}
	t.Fatal("no frame among the first 40 on client.eth0 carries osi-profile headers")
}

func TestProfileValidation(t *testing.T) {
	src, _ := Source(Default)
	for _, tt := range []struct{ top, want string }{
		{"profile: tcp\n", `x.yaml:1:10: profile "tcp": want internet or osi`},
		{"compress: true\n", "x.yaml:1:11: compression needs `profile: osi`"},
		{"profile: internet\ncompress: true\n", "x.yaml:2:11: compression needs `profile: osi`"},
	} {
		_, err := Load("x.yaml", append([]byte(tt.top), src...))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: err = %v, want %q", tt.top, err, tt.want)
		}
	}
	for _, top := range []string{"profile: osi\n", "profile: osi\ncompress: true\n", "profile: internet\n"} {
		if _, err := Load("x.yaml", append([]byte(top), src...)); err != nil {
			t.Errorf("%q: %v", top, err)
		}
	}
}

// TestOSIProfileEveryLesson runs every bundled lesson without TLS in the osi profile,
// with and without compression: the lessons' expectations hold whichever
// profile carries them (telnet, a raw octet client, finds the greeting
// inside the session and presentation headers).
func TestOSIProfileEveryLesson(t *testing.T) {
	for _, name := range Names() {
		for _, compress := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/compress=%v", name, compress), func(t *testing.T) {
				f, err := LoadBundled(name)
				if err != nil {
					t.Fatal(err)
				}
				if f.UsesTLS() {
					t.Skipf("%s uses TLS, which runs in the internet profile only (TestTLSNotInOSIProfile)", name)
				}
				f.Profile, f.Compress = string(sim.ProfileOSI), compress
				res, err := Run(f, Options{Seed: f.Seed, Recorder: layers.Discard})
				if err != nil {
					t.Fatal(err)
				}
				if !res.OK() {
					t.Fatalf("expectations failed under the osi profile:\n%s", res.Failures())
				}
			})
		}
	}
}

// TestOverheadComparison counts the default lesson's headers in both
// profiles: the osi profile adds exactly its 16 B session and 8 B
// presentation headers to TCP's data, the Internet profile none, and the
// table says so.
func TestOverheadComparison(t *testing.T) {
	count := func(profile sim.Profile, compress bool) sim.Overhead {
		f, err := LoadBundled(Default)
		if err != nil {
			t.Fatal(err)
		}
		f.Profile, f.Compress = string(profile), compress
		rec := sim.NewOverheadRecorder()
		if _, err := Run(f, Options{Seed: f.Seed, Recorder: rec}); err != nil {
			t.Fatal(err)
		}
		return rec.Overhead()
	}
	inet, osi, zip := count(sim.ProfileInternet, false), count(sim.ProfileOSI, false), count(sim.ProfileOSI, true)
	if diff := cmp.Diff([]string{"client", "server"}, osi.Hosts); diff != "" {
		t.Errorf("hosts counted (-want +got):\n%s", diff)
	}
	if inet.HeaderOctets[layers.Session] != 0 || inet.HeaderOctets[layers.Presentation] != 0 {
		t.Errorf("internet profile: %d B of session and %d B of presentation headers, want none",
			inet.HeaderOctets[layers.Session], inet.HeaderOctets[layers.Presentation])
	}
	if got, n := osi.HeaderOctets[layers.Session], osi.Headers[layers.Session]; n == 0 || got != 16*n {
		t.Errorf("osi profile: %d B in %d session headers, want 16 B each", got, n)
	}
	if got, n := osi.HeaderOctets[layers.Presentation], osi.Headers[layers.Presentation]; n == 0 || got != 8*n {
		t.Errorf("osi profile: %d B in %d presentation headers, want 8 B each", got, n)
	}
	added := osi.HeaderOctets[layers.Session] + osi.HeaderOctets[layers.Presentation]
	if osi.TCPPayload-inet.TCPPayload != added {
		t.Errorf("TCP data: internet %d B, osi %d B: differ by %d, want the %d B of osi headers",
			inet.TCPPayload, osi.TCPPayload, osi.TCPPayload-inet.TCPPayload, added)
	}
	if osi.WireOctets <= inet.WireOctets || zip.WireOctets >= osi.WireOctets {
		t.Errorf("wire octets: internet %d, osi %d, osi compressed %d: want internet < osi and compressed < osi",
			inet.WireOctets, osi.WireOctets, zip.WireOctets)
	}
	var b bytes.Buffer
	if err := sim.WriteOverheadComparison(&b, inet, osi, layers.EN); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		fmt.Sprintf("application data  %s B", layers.Thousands(inet.TCPPayload)),
		fmt.Sprintf("%d B in %d headers", osi.HeaderOctets[layers.Session], osi.Headers[layers.Session]),
		fmt.Sprintf("The osi profile put %s more octets on the wire", layers.Thousands(osi.WireOctets-inet.WireOctets)),
	} {
		if !strings.Contains(strings.Join(strings.Fields(b.String()), "  "), strings.Join(strings.Fields(want), "  ")) {
			t.Errorf("the table does not say %q:\n%s", want, b.String())
		}
	}
}

// TestOSIProfileCheckpointSPDU checks that the client tells the server, in
// a checkpoint SPDU, the synchronization point it marked when message 1
// arrived intact, and that the server reads it.
func TestOSIProfileCheckpointSPDU(t *testing.T) {
	f := osiScenario(t, false)
	rec := &upperRecorder{}
	if _, err := Run(f, Options{Seed: f.Seed, Recorder: rec}); err != nil {
		t.Fatal(err)
	}
	var sent, read bool
	for _, e := range rec.events {
		if e.layer != layers.Session || !strings.HasPrefix(e.summary, "SPDU checkpoint session 1") {
			continue
		}
		if !strings.Contains(e.summary, "sync 1 from the initiator") || e.len != 16 || e.hlen != 16 {
			t.Errorf("%s %v: checkpoint SPDU %q, %d B (header %d B); want sync 1 from the initiator, 16 B", e.node, e.dir, e.summary, e.len, e.hlen)
		}
		sent = sent || e.node == "client" && e.dir == layers.Down
		read = read || e.node == "server" && e.dir == layers.Up
	}
	if !sent || !read {
		t.Errorf("checkpoint SPDU sent by the client: %v, read by the server: %v; want both", sent, read)
	}
}

// TestGoldenStoryProfiles compares the default lesson's story in the osi
// profile, without and with compression, with its golden file: the
// textbook's seven nested headers, and DEFLATE at the presentation layer.
func TestGoldenStoryProfiles(t *testing.T) {
	for _, tt := range []struct {
		golden   string
		compress bool
	}{{"pop3-retr.osi.golden", false}, {"pop3-retr.osi-compress.golden", true}} {
		t.Run(tt.golden, func(t *testing.T) {
			compareGolden(t, tt.golden, storyOf(t, osiScenario(t, tt.compress), layers.EN, true))
		})
	}
}
