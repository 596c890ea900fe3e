package sim

import (
	"math/rand/v2"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/osisim/osisim/layers"
	"github.com/osisim/osisim/layers/application"
	"github.com/osisim/osisim/layers/datalink"
	"github.com/osisim/osisim/layers/physical"
	"github.com/osisim/osisim/layers/presentation"
	"github.com/osisim/osisim/layers/transport"
)

// The STARTTLS command-injection flaw (CVE-2011-0411): a man in the middle
// appends commands to the client's STLS in the same segment. Octets that
// came in the clear must never be read as if TLS had protected them (RFC
// 2595 section 4), on the server's side and on the client's.

type injectRec struct{ events []layers.Event }

func (r *injectRec) Record(e *layers.Event) { r.events = append(r.events, *e) }

// drops returns the texts of node's drops at layer with reason.
func (r *injectRec) drops(node string, l layers.Layer, reason layers.Reason) []string {
	var out []string
	for _, e := range r.events {
		if e.Node == node && e.Layer == l && e.Dir == layers.Drop && e.Reason == reason {
			out = append(out, e.Text)
		}
	}
	return out
}

// injectLab is a client and a server on one link, the server's certificate
// and the roots that trust it.
func injectLab(t *testing.T) (*Sim, *injectRec, *Host, *Host, *presentation.TLSAuthority) {
	t.Helper()
	rec := &injectRec{}
	s := New(7, rec)
	pfx := func(h int) netip.Prefix { return netip.PrefixFrom(netip.AddrFrom4([4]byte{10, 0, 0, byte(h)}), 24) }
	client, err := s.AddHost("client", HostConfig{Interfaces: []Interface{{Name: "eth0", MAC: datalink.MAC{2, 0, 0, 0, 0, 1}, Addr: pfx(1)}}})
	if err != nil {
		t.Fatal(err)
	}
	server, err := s.AddHost("server", HostConfig{Interfaces: []Interface{{Name: "eth0", MAC: datalink.MAC{2, 0, 0, 0, 0, 2}, Addr: pfx(2)}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Connect(client.Ports()[0], server.Ports()[0], LinkConfig{BitRate: 10_000_000, Delay: time.Millisecond, Code: physical.NRZ}); err != nil {
		t.Fatal(err)
	}
	auth, err := presentation.NewTLSAuthority(rand.NewChaCha8([32]byte{1}), presentation.TLSCertSpec{
		CAName: "test CA", Names: []string{"mail.example.edu"}, NotBefore: Epoch.Add(-time.Hour), NotAfter: Epoch.Add(24 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	return s, rec, client, server, auth
}

// rawConn is a scripted TCP peer: it writes its octets once it has read
// the line it waits for, and keeps everything it reads.
type rawConn struct {
	c        *transport.Conn
	got      strings.Builder
	waitFor  string
	write    string
	buf      [4096]byte
	accepted bool
}

func (r *rawConn) handler() transport.Handler {
	return transport.Handler{Readable: func(c *transport.Conn) {
		for {
			n := c.Read(r.buf[:])
			if n == 0 {
				break
			}
			r.got.Write(r.buf[:n])
		}
		if r.write != "" && strings.Contains(r.got.String(), r.waitFor) {
			c.Write([]byte(r.write), 0)
			r.write = ""
		}
	}}
}

// A client pipelines USER and PASS after STLS in one segment, as an
// attacker in the path would add them: the server answers STLS and
// discards the rest unread, so the injected commands log nobody in, and a
// real client that logs in over TLS afterwards finds the maildrop free.
func TestSTLSServerDiscardsPipelinedPlaintext(t *testing.T) {
	s, rec, client, server, auth := injectLab(t)
	srv, err := server.StartPOP3Server(POP3ServerConfig{Port: 110, Hostname: "mail.example.edu",
		Users: []application.User{{Name: "wang", Pass: "secret"}}, Mails: []presentation.Mail{presentation.SampleMail()},
		TLS: &TLSServer{Certificate: auth.Server}})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.EndTLS()
	dst := netip.AddrPortFrom(server.Addr(), 110)
	injected := "USER wang\r\nPASS secret\r\n"
	evil := &rawConn{waitFor: "\r\n", write: "STLS\r\n" + injected}
	evil.c, err = client.tcp.Dial(client.Addr(), dst, evil.handler())
	if err != nil {
		t.Fatal(err)
	}
	good := client.StartPOP3Client(time.Second, POP3ClientConfig{Server: dst, User: "wang", Pass: "secret",
		Commands: []string{"RETR 1", "QUIT"}, TLS: &TLSClient{Roots: auth.Roots, ServerName: "mail.example.edu"}})
	defer good.EndTLS()
	s.Run(time.Minute)

	lines := strings.SplitAfter(evil.got.String(), "\r\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "+OK ") || lines[1] != "+OK Begin TLS negotiation\r\n" || lines[2] != "" {
		t.Errorf("the injecting client got %q, want the greeting and +OK to STLS only", evil.got.String())
	}
	for _, e := range rec.events {
		if e.Node == "server" && e.Layer == layers.Application && e.Dir == layers.Up && e.Time < time.Second &&
			!strings.HasSuffix(e.Text, `got "STLS"`) {
			t.Errorf("the server read a command from the injecting client: %s", e.Text)
		}
	}
	want := []string{"TLS: 24 B the client sent in the clear after STLS are discarded unread: once STLS is answered, only what comes through TLS is a command (RFC 2595 section 4; CVE-2011-0411)"}
	if diff := cmp.Diff(want, rec.drops("server", layers.Presentation, layers.ReasonProtocol)); diff != "" {
		t.Errorf("server drops (-want +got):\n%s", diff)
	}
	if err := good.Err(); err != nil || !good.Done() {
		t.Fatalf("the client over TLS: done %v, err %v", good.Done(), err)
	}
	if _, ok := good.Retrieved(1); !ok {
		t.Error("the client over TLS did not retrieve message 1")
	}
}

// A server (or an attacker in its place) sends reply lines in the clear
// after its "+OK" to STLS: the client discards them and starts the
// handshake; it never takes them for replies.
func TestSTLSClientDiscardsPlaintextAfterOK(t *testing.T) {
	s, rec, client, server, auth := injectLab(t)
	injected := "+OK injected\r\n-ERR injected\r\n"
	var fake *rawConn
	if err := server.tcp.Listen(110, func(c *transport.Conn) {
		fake = &rawConn{c: c, waitFor: "STLS\r\n", write: "+OK Begin TLS negotiation\r\n" + injected}
		c.SetHandler(fake.handler())
		c.Write([]byte("+OK fake POP3 server ready\r\n"), 0)
	}); err != nil {
		t.Fatal(err)
	}
	cl := client.StartPOP3Client(0, POP3ClientConfig{Server: netip.AddrPortFrom(server.Addr(), 110), User: "wang", Pass: "secret",
		Commands: []string{"RETR 1", "QUIT"}, TLS: &TLSClient{Roots: auth.Roots, ServerName: "mail.example.edu"}})
	defer cl.EndTLS()
	s.Run(10 * time.Second)

	var got []string
	for _, x := range cl.Results() {
		got = append(got, x.Command.String()+" -> "+x.Reply.String())
	}
	if diff := cmp.Diff([]string{"STLS -> +OK Begin TLS negotiation"}, got); diff != "" {
		t.Errorf("client exchanges (-want +got):\n%s", diff)
	}
	want := []string{"TLS: 29 B the server sent in the clear after its +OK to STLS are discarded unread: once STLS is answered, only what comes through TLS is a reply (RFC 2595 section 4)"}
	if diff := cmp.Diff(want, rec.drops("client", layers.Presentation, layers.ReasonProtocol)); diff != "" {
		t.Errorf("client drops (-want +got):\n%s", diff)
	}
	// The client went on with the handshake: its ClientHello reached the
	// fake server, which cannot answer it.
	if fake == nil || !strings.Contains(fake.got.String(), "STLS\r\n\x16\x03\x01") {
		t.Errorf("no ClientHello after STLS at the fake server")
	}
}

// A client that uses STLS logs in after it: the login goes right after
// STLS unless the script says where, and STLS goes first unless the script
// says where.
func TestTLSScript(t *testing.T) {
	tests := []struct {
		name     string
		implicit bool
		in, want []string
	}{
		{"nothing said", false, []string{"RETR 1", "QUIT"}, []string{"STLS", "USER", "RETR 1", "QUIT"}},
		{"empty", false, nil, []string{"STLS", "USER"}},
		{"STLS placed", false, []string{"CAPA", "STLS", "RETR 1"}, []string{"CAPA", "STLS", "USER", "RETR 1"}},
		{"login placed", false, []string{"CAPA", "APOP", "STAT"}, []string{"STLS", "CAPA", "APOP", "STAT"}},
		{"both placed", false, []string{"CAPA", "stls", "CAPA", "user", "STAT"}, []string{"CAPA", "stls", "CAPA", "user", "STAT"}},
		{"USER with a name is a command", false, []string{"USER bob", "STAT"}, []string{"STLS", "USER", "USER bob", "STAT"}},
		{"POP3S", true, []string{"RETR 1"}, []string{"RETR 1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := append([]string(nil), tt.in...)
			got := tlsScript(POP3ClientConfig{Commands: in, TLS: &TLSClient{Implicit: tt.implicit}})
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("script (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.in, in); diff != "" {
				t.Errorf("the configured script changed (-want +got):\n%s", diff)
			}
		})
	}
	if got := tlsScript(POP3ClientConfig{Commands: []string{"STAT"}}); !cmp.Equal(got, []string{"STAT"}) {
		t.Errorf("without TLS: %q", got)
	}
}

// The client never sends its password before TLS is up: with a script
// that names neither STLS nor the login, the first command is STLS and
// USER and PASS travel encrypted.
func TestSTLSClientLogsInAfterTLS(t *testing.T) {
	s, rec, client, server, auth := injectLab(t)
	srv, err := server.StartPOP3Server(POP3ServerConfig{Port: 110, Hostname: "mail.example.edu",
		Users: []application.User{{Name: "wang", Pass: "secret"}}, Mails: []presentation.Mail{presentation.SampleMail()},
		TLS: &TLSServer{Certificate: auth.Server}})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.EndTLS()
	c := client.StartPOP3Client(0, POP3ClientConfig{Server: netip.AddrPortFrom(server.Addr(), 110), User: "wang", Pass: "secret",
		Commands: []string{"RETR 1", "QUIT"}, TLS: &TLSClient{Roots: auth.Roots, ServerName: "mail.example.edu"}})
	defer c.EndTLS()
	s.Run(time.Minute)
	if err := c.Err(); err != nil || !c.Done() {
		t.Fatalf("done %v, err %v", c.Done(), err)
	}
	var cmds []string
	for _, x := range c.Results() {
		cmds = append(cmds, x.Command.Keyword)
	}
	if diff := cmp.Diff([]string{"STLS", "USER", "PASS", "RETR", "QUIT"}, cmds); diff != "" {
		t.Errorf("commands (-want +got):\n%s", diff)
	}
	// PASS went down the client's stack after the handshake completed.
	var done, pass time.Duration = -1, -1
	for _, e := range rec.events {
		if e.Node != "client" {
			continue
		}
		if done < 0 && e.Layer == layers.Presentation && e.Dir == layers.State && strings.HasPrefix(e.Text, "TLS handshake complete") {
			done = e.Time
		}
		if pass < 0 && e.Layer == layers.Application && e.Dir == layers.Down && strings.HasPrefix(e.Text, `POP3 client sends "PASS`) {
			pass = e.Time
		}
	}
	if done < 0 || pass < done {
		t.Errorf("handshake complete at %v, PASS sent at %v", done, pass)
	}
}
