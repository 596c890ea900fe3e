package presentation

import (
	"bytes"
	"crypto/tls"
	"io"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// epoch is the simulated clock's zero in these tests.
var epoch = time.Date(2024, 9, 2, 1, 30, 0, 0, time.UTC)

// pair is a client and a server endpoint joined back to back: what one
// writes, the other is fed, in lock step, and every record is described
// by the side that wrote it and by the side that read it.
type pair struct {
	t        *testing.T
	cli, srv *TLSEndpoint
	sent     [2][]string // the records each side described, by direction
	got      [2][]string
	hold     [2][]byte
}

func newPair(t *testing.T, names []string, serverName string, now time.Time, keylog io.Writer) *pair {
	t.Helper()
	seed := rand.NewChaCha8([32]byte{7})
	auth, err := NewTLSAuthority(seed, TLSCertSpec{CAName: "osisim test CA", Names: names,
		NotBefore: epoch.Add(-time.Hour), NotAfter: epoch.Add(24 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	clock := func() time.Time { return now }
	cc := &tls.Config{Rand: rand.NewChaCha8([32]byte{1}), Time: clock, RootCAs: auth.Roots, ServerName: serverName,
		CurvePreferences: []tls.CurveID{tls.X25519}, MinVersion: tls.VersionTLS13, KeyLogWriter: keylog,
		ClientSessionCache: tls.NewLRUClientSessionCache(1)}
	sc := &tls.Config{Rand: rand.NewChaCha8([32]byte{2}), Time: clock, Certificates: []tls.Certificate{auth.Server},
		CurvePreferences: []tls.CurveID{tls.X25519}, MinVersion: tls.VersionTLS13}
	p := &pair{t: t, cli: NewTLSEndpoint(cc, false), srv: NewTLSEndpoint(sc, true)}
	t.Cleanup(func() { p.cli.Stop(); p.srv.Stop() })
	p.srv.Start()
	p.cli.Start()
	return p
}

// shuttle moves records between the two sides until neither has output.
func (p *pair) shuttle() {
	for range 20 {
		c, s := p.cli.Output(), p.srv.Output()
		if len(c) == 0 && len(s) == 0 {
			return
		}
		// Each side describes the records it reads after reading them:
		// only then does it hold their keys.
		p.srv.Feed(c)
		p.cli.Feed(s)
		p.describe(FromClient, c)
		p.describe(FromServer, s)
	}
	p.t.Fatal("the endpoints never settled")
}

func (p *pair) describe(dir TLSDirection, b []byte) {
	p.hold[dir] = append(p.hold[dir], b...)
	recs, rest, err := ParseTLSRecords(p.hold[dir])
	if err != nil {
		p.t.Fatal(err)
	}
	p.hold[dir] = append([]byte(nil), rest...)
	writer, reader := p.cli, p.srv
	if dir == FromServer {
		writer, reader = p.srv, p.cli
	}
	for _, r := range recs {
		w, rd := r, r
		writer.Describe(&w, dir)
		reader.Describe(&rd, dir)
		p.sent[dir] = append(p.sent[dir], w.What())
		p.got[dir] = append(p.got[dir], rd.What())
	}
}

func TestTLSEndpointHandshakeAndData(t *testing.T) {
	before := runtime.NumGoroutine()
	var keylog bytes.Buffer
	p := newPair(t, []string{"mail.example.edu"}, "mail.example.edu", epoch, &keylog)
	p.shuttle()
	if !p.cli.HandshakeComplete() || !p.srv.HandshakeComplete() {
		t.Fatalf("handshake: client %v %v, server %v %v", p.cli.HandshakeComplete(), p.cli.HandshakeErr(),
			p.srv.HandshakeComplete(), p.srv.HandshakeErr())
	}
	if _, err := p.cli.Write([]byte("RETR 1\r\n")); err != nil {
		t.Fatal(err)
	}
	p.shuttle()
	if got := string(p.srv.Plaintext()); got != "RETR 1\r\n" {
		t.Errorf("server read %q", got)
	}
	body := bytes.Repeat([]byte("0123456789abcdef"), 2000) // two records
	if _, err := p.srv.Write(body); err != nil {
		t.Fatal(err)
	}
	p.shuttle()
	if got := p.cli.Plaintext(); !bytes.Equal(got, body) {
		t.Errorf("client read %d B, want %d", len(got), len(body))
	}
	if err := p.cli.CloseWrite(); err != nil {
		t.Fatal(err)
	}
	p.shuttle()
	if p.srv.ReadErr() != io.EOF || !p.srv.Ended() {
		t.Errorf("server after close_notify: ended %v, %v", p.srv.Ended(), p.srv.ReadErr())
	}
	want := [2][]string{
		{"ClientHello", "change_cipher_spec", "Finished", "application data", "alert warning close_notify"},
		{"ServerHello", "change_cipher_spec", "EncryptedExtensions", "Certificate", "CertificateVerify", "Finished",
			"NewSessionTicket",
			// 32,000 B of data: crypto/tls starts a connection with small
			// records and grows them (dynamic record sizing).
			"application data", "application data", "application data", "application data",
			"application data", "application data", "application data"},
	}
	if diff := cmp.Diff(want, p.sent); diff != "" {
		t.Errorf("records as their writer names them (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(want, p.got); diff != "" {
		t.Errorf("records as their reader names them (-want +got):\n%s", diff)
	}
	for _, label := range []string{"CLIENT_HANDSHAKE_TRAFFIC_SECRET", "SERVER_HANDSHAKE_TRAFFIC_SECRET", "CLIENT_TRAFFIC_SECRET_0", "SERVER_TRAFFIC_SECRET_0"} {
		if !strings.Contains(keylog.String(), label+" ") {
			t.Errorf("key log has no %s line:\n%s", label, keylog.String())
		}
	}
	p.cli.Stop()
	p.srv.Stop()
	p.cli.Stop() // twice is fine
	if !p.cli.Ended() || !p.srv.Ended() {
		t.Error("Stop left a goroutine running")
	}
	waitGoroutines(t, before)
}

// waitGoroutines fails if more goroutines run than before (a goroutine
// that has signalled its end may take a moment to be gone).
func waitGoroutines(t *testing.T, before int) {
	t.Helper()
	for range 100 {
		if runtime.NumGoroutine() <= before {
			return
		}
		runtime.Gosched()
		time.Sleep(time.Millisecond)
	}
	t.Errorf("%d goroutines, %d before: an endpoint's goroutine leaked", runtime.NumGoroutine(), before)
}

func TestTLSEndpointBadCertificate(t *testing.T) {
	tests := []struct {
		name       string
		names      []string
		serverName string
		now        time.Time
		want       string
	}{
		{"wrong name", []string{"www.example.org"}, "mail.example.edu", epoch,
			"certificate is valid for www.example.org, not mail.example.edu"},
		{"expired", []string{"mail.example.edu"}, "mail.example.edu", epoch.Add(48 * time.Hour),
			"certificate has expired or is not yet valid"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := runtime.NumGoroutine()
			p := newPair(t, tt.names, tt.serverName, tt.now, nil)
			p.shuttle()
			if p.cli.HandshakeComplete() {
				t.Fatal("the client accepted the certificate")
			}
			if err := p.cli.HandshakeErr(); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("client error %v, want it to say %q", err, tt.want)
			}
			if err := p.srv.HandshakeErr(); err == nil || !strings.Contains(err.Error(), "bad certificate") {
				t.Errorf("server error %v, want the client's bad_certificate alert", err)
			}
			if _, err := p.cli.Write([]byte("USER x\r\n")); err == nil {
				t.Error("Write after a failed handshake succeeded")
			}
			if last := p.sent[FromClient][len(p.sent[FromClient])-1]; last != "alert fatal bad_certificate" {
				t.Errorf("the client's last record is %q, want its alert", last)
			}
			p.cli.Stop()
			p.srv.Stop()
			waitGoroutines(t, before)
		})
	}
}

// TestTLSEndpointStopMidHandshake ends endpoints that still wait for the
// peer: no goroutine may be left behind.
func TestTLSEndpointStopMidHandshake(t *testing.T) {
	before := runtime.NumGoroutine()
	p := newPair(t, []string{"mail.example.edu"}, "mail.example.edu", epoch, nil)
	p.srv.Feed(p.cli.Output()) // the server answers, the client never hears it
	p.cli.Stop()
	p.srv.Stop()
	if p.cli.HandshakeErr() == nil || p.srv.HandshakeErr() == nil {
		t.Errorf("stopped mid-handshake: client %v, server %v", p.cli.HandshakeErr(), p.srv.HandshakeErr())
	}
	waitGoroutines(t, before)
}
