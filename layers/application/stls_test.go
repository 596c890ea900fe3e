package application

import (
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/osisim/osisim/layers/presentation"
)

// newSTLSServer returns a test server that offers STLS.
func newSTLSServer() *Server {
	md := NewMaildrop(presentation.Options{}, presentation.SampleMail(), presentation.SampleMail2())
	return NewServer(md, testUsers, "dewey POP3 server ready", WithSTLS())
}

// handle sends one command line to s.
func handle(t *testing.T, s *Server, line string) Reply {
	t.Helper()
	cmd, err := ParseCommand([]byte(line + "\r\n"))
	if err != nil {
		t.Fatalf("%q: %v", line, err)
	}
	return s.Handle(cmd)
}

// capa returns the capability list of a CAPA reply.
func capaList(t *testing.T, s *Server) Capabilities {
	t.Helper()
	r := handle(t, s, "CAPA")
	if !r.Line.OK || r.Body == nil {
		t.Fatalf("CAPA: %q, body %v", r.Line.String(), r.Body)
	}
	b, err := io.ReadAll(r.Body.Reader())
	if err != nil {
		t.Fatal(err)
	}
	c, err := ParseCapabilities(b)
	if err != nil {
		t.Fatalf("CAPA body %q: %v", b, err)
	}
	return c
}

// RFC 2595 section 4: "STLS" is in CAPA while TLS may still be started,
// and no longer once it is active; a server without a certificate never
// lists it.
func TestSTLSCapability(t *testing.T) {
	plain, _ := newTestServer()
	if c := capaList(t, plain); c.Has("STLS") {
		t.Errorf("a server without STLS lists it: %q", c)
	}
	s := newSTLSServer()
	if c := capaList(t, s); !c.Has("STLS") {
		t.Errorf("before STLS: CAPA %q lacks STLS", c)
	}
	if s.TLSActive() {
		t.Error("TLSActive before STLS")
	}
	if r := handle(t, s, "STLS"); !r.Line.OK {
		t.Fatalf("STLS: %q", r.Line.String())
	}
	if !s.TLSActive() {
		t.Error("TLSActive false after STLS")
	}
	c := capaList(t, s)
	if c.Has("STLS") {
		t.Errorf("after STLS: CAPA %q still lists STLS", c)
	}
	if !c.Has("USER") || !c.Has("TOP") {
		t.Errorf("after STLS: CAPA %q lost other capabilities", c)
	}
}

// The reply to each STLS of a dialog, and whether it starts TLS.
func TestSTLSReplies(t *testing.T) {
	type step struct {
		Line  string
		Reply string
		TLS   bool // StartTLS set
	}
	tests := []struct {
		name   string
		noSTLS bool
		steps  []step
	}{
		{"accepted", false, []step{
			{"STLS", "+OK Begin TLS negotiation", true},
		}},
		{"twice", false, []step{
			{"STLS", "+OK Begin TLS negotiation", true},
			{"STLS", "-ERR command not permitted when TLS active", false},
		}},
		{"with an argument", false, []step{
			{"STLS now", "-ERR STLS takes no argument", false},
			{"STLS", "+OK Begin TLS negotiation", true},
		}},
		{"in TRANSACTION", false, []step{
			{"USER wang", "+OK wang is a valid mailbox", false},
			{"PASS secret", "+OK maildrop locked and ready", false},
			{"STLS", "-ERR STLS is not valid in the TRANSACTION state", false},
		}},
		{"not offered", true, []step{
			{"STLS", "-ERR STLS not available", false},
		}},
		// RFC 1939 allows lower case keywords.
		{"lower case", false, []step{
			{"stls", "+OK Begin TLS negotiation", true},
		}},
		// A USER given in the clear is forgotten: PASS over TLS needs a
		// new USER, so an injected USER cannot choose the mailbox.
		{"USER before STLS", false, []step{
			{"USER wang", "+OK wang is a valid mailbox", false},
			{"STLS", "+OK Begin TLS negotiation", true},
			{"PASS secret", "-ERR USER first", false},
			{"USER wang", "+OK wang is a valid mailbox", false},
			{"PASS secret", "+OK maildrop locked and ready", false},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSTLSServer()
			if tt.noSTLS {
				s, _ = newTestServer()
			}
			var got []step
			for _, st := range tt.steps {
				r := handle(t, s, st.Line)
				got = append(got, step{st.Line, r.Line.String(), r.StartTLS})
				if r.StartTLS && r.Note == "" {
					t.Errorf("%q: StartTLS without a note for the trace", st.Line)
				}
				if r.Close {
					t.Errorf("%q: the server closes the connection", st.Line)
				}
			}
			if diff := cmp.Diff(tt.steps, got); diff != "" {
				t.Errorf("replies differ (-want +got):\n%s", diff)
			}
		})
	}
}

// A refused STLS counts as a bad command (Dovecot's limit), an accepted
// one does not.
func TestSTLSBadCommandCount(t *testing.T) {
	md := NewMaildrop(presentation.Options{}, presentation.SampleMail())
	s := NewServer(md, testUsers, "ready", WithSTLS(), WithMaxBadCommands(2))
	var got []string
	for _, l := range []string{"STLS", "STLS", "STLS", "STLS"} {
		r := handle(t, s, l)
		got = append(got, r.Line.String())
		if r.Close {
			break
		}
	}
	want := []string{
		"+OK Begin TLS negotiation",
		"-ERR command not permitted when TLS active",
		"-ERR command not permitted when TLS active",
		"-ERR too many bad commands, closing the connection",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("replies differ (-want +got):\n%s", diff)
	}
	if !strings.Contains(s.Lost(), "closed by the server") {
		t.Errorf("Lost after the close: %q", s.Lost())
	}
}
