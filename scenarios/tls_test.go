package scenarios

import (
	"bytes"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/osisim/osisim/sim"
)

// tlsRun runs pop3-tls, changed by edit, and returns its result, its
// whole text trace and its key log.
func tlsRun(t *testing.T, edit func(*File)) (*Result, string, string) {
	t.Helper()
	f, err := LoadBundled("pop3-tls")
	if err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		edit(f)
	}
	var trace, keys bytes.Buffer
	text := sim.NewTextRecorder(&trace, sim.TextOptions{All: true})
	res, err := Run(f, Options{Seed: f.Seed, Recorder: text, KeyLog: &keys})
	if err != nil {
		t.Fatal(err)
	}
	if err := text.Flush(); err != nil {
		t.Fatal(err)
	}
	return res, trace.String(), keys.String()
}

// TestTLSLossyRoundTrip: over the lossy link, TCP retransmits segments
// that carry TLS records, and the message arrives intact (its hash equals
// the server's copy).
func TestTLSLossyRoundTrip(t *testing.T) {
	res, trace, _ := tlsRun(t, nil)
	if !res.OK() {
		t.Fatalf("pop3-tls failed:\n%s", res.Failures())
	}
	got, ok := res.Clients[0].Retrieved(1)
	want, _ := res.Servers["server"].StoredHash(1)
	if !ok || got.Hash != want {
		t.Errorf("message 1: retrieved %v, hash %x, want %x", ok, got.Hash[:6], want[:6])
	}
	for _, s := range []string{"retransmit", "TLS record layer encrypts Certificate", "TLS record layer decrypts a 58 B record: Finished",
		"TLS handshake complete: TLS 1.3", "close_notify"} {
		if !strings.Contains(trace, s) {
			t.Errorf("the trace never says %q", s)
		}
	}
}

// TestTLSBadCertificate: a certificate for the wrong name, or expired in
// simulated time, fails the handshake: the client sends no command, reads
// no mail, and the maildrop is unchanged.
func TestTLSBadCertificate(t *testing.T) {
	tests := []struct {
		name string
		edit func(*TLSService)
		want string
	}{
		{"wrong name", func(s *TLSService) { s.Names = []string{"www.example.org"} },
			"certificate is valid for www.example.org, not mail.example.edu"},
		{"expired", func(s *TLSService) { s.ValidFrom, s.ValidUntil = "-48h", "-24h" },
			"certificate has expired or is not yet valid"},
		{"not yet valid", func(s *TLSService) { s.ValidFrom, s.ValidUntil = "1h", "48h" },
			"certificate has expired or is not yet valid"},
	}
	one := 1
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := runtime.NumGoroutine()
			res, trace, _ := tlsRun(t, func(f *File) {
				tt.edit(f.Nodes[4].Services.POP3.TLS)
				f.Expect = []Expect{
					{TLS: &ExpectTLS{Node: "client", Handshake: "failed", Error: tt.want}},
					{Maildrop: &ExpectMaildrop{Node: "server", Kept: []int{1, 2}}},
					// The client rejects the certificate, the server gets its
					// alert: one failed handshake at L6 on each side.
					{Dropped: &ExpectDropped{Node: "client", Reason: "tls-handshake", Layer: 6, AtLeast: &one, AtMost: &one}},
					{Dropped: &ExpectDropped{Node: "server", Reason: "tls-handshake", Layer: 6, AtLeast: &one, AtMost: &one}},
				}
			})
			for _, s := range []string{"client L6 tls-handshake 1", "server L6 tls-handshake 1"} {
				if !strings.Contains(res.Summary(), s) {
					t.Errorf("the summary does not count %q:\n%s", s, res.Summary())
				}
			}
			if !res.OK() {
				t.Errorf("expectations:\n%s", res.Failures())
			}
			if _, ok := res.Clients[0].Retrieved(1); ok {
				t.Error("the client read message 1")
			}
			if diff := cmp.Diff([]int{1, 2}, res.Servers["server"].Remaining()); diff != "" {
				t.Errorf("maildrop (-want +got):\n%s", diff)
			}
			err := res.Clients[0].Err()
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("client error %v, want it to say %q", err, tt.want)
			}
			for _, s := range []string{"TLS handshake failed", "alert fatal bad_certificate", "it sends no command and closes the connection"} {
				if !strings.Contains(trace, s) {
					t.Errorf("the trace never says %q", s)
				}
			}
			if strings.Contains(trace, `sends "USER`) {
				t.Error("the client sent USER over a connection it does not trust")
			}
			waitGoroutines(t, before)
		})
	}
}

// TestTLSRunCutShort: a run that ends in the middle of the handshake
// leaves no goroutine behind.
func TestTLSRunCutShort(t *testing.T) {
	before := runtime.NumGoroutine()
	res, trace, _ := tlsRun(t, func(f *File) { f.Duration = "22ms" })
	if !strings.Contains(trace, "ClientHello") || strings.Contains(trace, "TLS handshake complete") {
		t.Fatalf("the run should end inside the handshake (ok %v)", res.OK())
	}
	waitGoroutines(t, before)
}

func waitGoroutines(t *testing.T, before int) {
	t.Helper()
	for range 200 {
		if runtime.NumGoroutine() <= before {
			return
		}
		time.Sleep(time.Millisecond)
	}
	t.Errorf("%d goroutines, %d before the run: a TLS goroutine leaked", runtime.NumGoroutine(), before)
}

// TestTLSDeterminism runs pop3-tls twice with the same seed. The trace
// text (every event, time, size and sequence number) and the client
// random of the key log are the same; the secrets differ, because
// crypto/tls draws its X25519 key shares from the operating system
// (docs/tls.md).
func TestTLSDeterminism(t *testing.T) {
	res1, trace1, keys1 := tlsRun(t, nil)
	res2, trace2, keys2 := tlsRun(t, nil)
	if diff := cmp.Diff(strings.Split(trace1, "\n"), strings.Split(trace2, "\n")); diff != "" {
		t.Errorf("the trace differs between two runs of one seed (-first +second):\n%s", diff)
	}
	if res1.Summary() != res2.Summary() {
		t.Errorf("summaries differ:\n%s\n%s", res1.Summary(), res2.Summary())
	}
	k1, k2 := strings.Fields(keys1), strings.Fields(keys2)
	if len(k1) != 12 || len(k2) != 12 {
		t.Fatalf("key logs of %d and %d fields, want 4 lines of 3", len(k1), len(k2))
	}
	for i := 0; i < 12; i += 3 {
		if k1[i] != k2[i] || k1[i+1] != k2[i+1] {
			t.Errorf("line %d: label and client random %s %s, then %s %s: want them equal", i/3+1, k1[i], k1[i+1], k2[i], k2[i+1])
		}
		if k1[i+2] == k2[i+2] {
			t.Errorf("line %d: %s is the same in both runs: the key shares no longer vary; update docs/tls.md and the trace note", i/3+1, k1[i])
		}
	}
	if !slices.ContainsFunc(strings.Split(trace1, "\n"), func(l string) bool { return strings.Contains(l, "key shares of ClientHello and ServerHello vary") }) {
		t.Error("the trace does not say which bytes vary")
	}
}

// The JSON trace's octets and checksums of encrypted data, masked for the
// comparison of two runs of a TLS scenario (docs/tls.md: the key shares,
// and so every encrypted octet and every checksum over them, vary).
var (
	jsonBytes    = regexp.MustCompile(`"bytes":"[0-9a-f]*"`)
	jsonChecksum = regexp.MustCompile(`("name":"[^"]*(?:Checksum|checksum|FCS)[^"]*","value":)"[^"]*"`)
)

// sameTrace reports whether two JSON traces of f are the same: byte for
// byte, or for a TLS scenario, but for the octets and checksums that
// depend on the key shares.
func sameTrace(f *File, a, b []byte) bool {
	if bytes.Equal(a, b) {
		return true
	}
	tls := false
	for _, app := range f.Apps {
		tls = tls || (app.POP3 != nil && app.POP3.TLS != nil)
	}
	if !tls {
		return false
	}
	mask := func(x []byte) []byte {
		return jsonChecksum.ReplaceAll(jsonBytes.ReplaceAll(x, []byte(`"bytes":""`)), []byte(`$1""`))
	}
	return bytes.Equal(mask(a), mask(b))
}

// TestTLSNotInOSIProfile: the osi profile's encrypted flag is reserved, so
// a scenario that asks for TLS there fails validation with a clear error
// at the tls: key (docs/profiles.md).
func TestTLSNotInOSIProfile(t *testing.T) {
	for _, name := range []string{"pop3-tls", "pop3s"} {
		src, ok := Source(name)
		if !ok {
			t.Fatalf("no bundled %s", name)
		}
		_, err := Load(name+".yaml", append(append([]byte(nil), src...), "\nprofile: osi\n"...))
		if err == nil || !strings.Contains(err.Error(), "TLS runs in the internet profile only") {
			t.Errorf("%s with profile osi: error %v, want one saying TLS runs in the internet profile only", name, err)
		}
	}
}
