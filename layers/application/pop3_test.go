package application

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/osisim/osisim/layers"
	"github.com/osisim/osisim/layers/layerstest"
	"github.com/osisim/osisim/layers/presentation"
	"github.com/osisim/osisim/layers/session"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// link carries one POP3 session between a Client and a Server through their
// session and presentation layers, as the simulator does over TCP: the
// octets of each turn are delivered in chunks of a given size, and both
// directions are written to a transcript ("C: " and "S: " lines, as on the
// wire, byte-stuffing included).
type link struct {
	t          *testing.T
	chunk      int
	srv        *Server
	cli        *Client
	ss, cs     *session.Session
	envS, envC *layerstest.Env
	transcript []string
	lastReply  Reply
	notes      bool      // also write the server's notes ("N: " lines)
	prefix     string    // put before every line, to tell two sessions apart
	out        *[]string // where the lines go: &transcript unless shared
}

func newLink(t *testing.T, srv *Server, cli *Client, chunk int) *link {
	l := &link{t: t, chunk: chunk, srv: srv, cli: cli, envS: layerstest.New("server", 1), envC: layerstest.New("client", 1)}
	l.out = &l.transcript
	l.ss = session.New(l.envS, 1, session.Responder)
	l.cs = session.New(l.envC, 1, session.Initiator)
	if err := l.ss.Open(); err != nil {
		t.Fatal(err)
	}
	if err := l.cs.Open(); err != nil {
		t.Fatal(err)
	}
	return l
}

func (l *link) record(who string, b []byte) {
	for _, line := range strings.SplitAfter(string(b), "\r\n") {
		if line != "" {
			l.write(who + ": " + strings.TrimSuffix(line, "\r\n"))
		}
	}
}

func (l *link) write(line string) { *l.out = append(*l.out, l.prefix+line) }

// note writes the server's note for a reply, if notes are on.
func (l *link) note(r Reply) {
	if l.notes && r.Note != "" {
		l.write("N: " + r.Note)
	}
}

// lose drops the connection without QUIT, as a failed link would.
func (l *link) lose() {
	l.write("-- the connection is lost --")
	if note := l.srv.Lost(); l.notes {
		l.write("N: " + note)
	}
	l.cli.Lost()
	l.ss.Abort(layers.Plain("the connection is lost"))
	l.cs.Abort(layers.Plain("the connection is lost"))
}

// serverSends turns a reply into octets: the line, then the stuffed body.
func (l *link) serverSends(r Reply) []byte {
	b := r.Line.Append(nil)
	if err := l.ss.Sent(session.Line, r.Body == nil); err != nil {
		l.t.Fatal(err)
	}
	if r.Body != nil {
		body, err := io.ReadAll(presentation.NewStuffer(r.Body.Reader()))
		if err != nil {
			l.t.Fatal(err)
		}
		b = append(b, body...)
		if err := l.ss.Sent(session.DotTerminated, true); err != nil {
			l.t.Fatal(err)
		}
	}
	l.record("S", b)
	return b
}

// feed frames b on a session in chunks, calling piece for each piece and
// framing held octets whenever a new unit is expected.
func (l *link) feed(s *session.Session, b []byte, piece func(session.Piece)) {
	for i := 0; i < len(b); i += l.chunk {
		ps, err := s.Feed(b[i:min(i+l.chunk, len(b))])
		for {
			if err != nil {
				l.t.Fatal(err)
			}
			ended := false
			for _, p := range ps {
				piece(p)
				ended = ended || p.End
			}
			// A unit ended and piece expected the next one: frame the
			// octets held after it.
			if !ended || s.Framer().Expecting() == 0 || s.Framer().Held() == 0 {
				break
			}
			ps, err = s.Feed(nil)
		}
	}
	if s.Framer().Held() != 0 || s.Framer().Expecting() != 0 {
		l.t.Fatalf("%d octets left unframed, expecting a %v", s.Framer().Held(), s.Framer().Expecting())
	}
}

// clientReceives delivers a server turn to the client.
func (l *link) clientReceives(b []byte, greeting bool, cmd Message) {
	var dec *presentation.Decoder
	var un *presentation.Unstuffer
	var listing bytes.Buffer
	n, _ := strconv.Atoi(strings.Join(cmd.Args[:min(len(cmd.Args), 1)], ""))
	l.cs.Expect(session.Line)
	l.feed(l.cs, b, func(p session.Piece) {
		switch p.Unit {
		case session.Line:
			m, err := ParseReply(p.Data)
			if err != nil {
				l.t.Fatal(err)
			}
			if greeting {
				l.cli.HandleGreeting(m)
			} else {
				l.cli.HandleReply(m)
			}
			if err := l.cs.Received(session.Line, !l.cli.AwaitingBody()); err != nil {
				l.t.Fatal(err)
			}
			if l.cli.AwaitingBody() {
				l.cs.Expect(session.DotTerminated)
				if cmd.Keyword == "RETR" || cmd.Keyword == "TOP" {
					dec = presentation.NewDecoder()
					un = presentation.NewUnstuffer(dec)
				} else {
					un = presentation.NewUnstuffer(&listing)
				}
			}
		case session.DotTerminated:
			if _, err := un.Write(p.Data); err != nil {
				l.t.Fatal(err)
			}
			if !p.End {
				return
			}
			if !un.Done() {
				l.t.Fatal("the framer saw the end of the block, the unstuffer did not")
			}
			if err := l.cs.Received(session.DotTerminated, true); err != nil {
				l.t.Fatal(err)
			}
			if dec == nil {
				l.cli.Listed(listing.Bytes())
				return
			}
			r, err := dec.Result()
			switch {
			case err != nil:
				l.cli.BodyFailed(err)
			case cmd.Keyword == "TOP":
				l.cli.Topped(n, r)
			default:
				l.cli.Retrieved(n, r)
				if _, err := l.cs.Checkpoint(layers.Plain(fmt.Sprintf("message %d complete", n)), r.Octets); err != nil {
					l.t.Fatal(err)
				}
			}
		}
	})
}

// greet runs the server's greeting.
func (l *link) greet() {
	g := l.srv.Greeting()
	l.note(g)
	l.clientReceives(l.serverSends(g), true, Message{})
}

// step runs one command and its reply, and reports false when the client
// has nothing more to send.
func (l *link) step() bool {
	cmd, _, ok := l.cli.Next()
	if !ok {
		return false
	}
	b := cmd.Append(nil)
	if err := l.cs.Sent(session.Line, true); err != nil {
		l.t.Fatal(err)
	}
	l.record("C", b)
	var reply Reply
	l.ss.Expect(session.Line)
	l.feed(l.ss, b, func(p session.Piece) {
		if err := l.ss.Received(session.Line, true); err != nil {
			l.t.Fatal(err)
		}
		reply = l.srv.HandleLine(p.Data)
	})
	l.lastReply = reply
	l.note(reply)
	l.clientReceives(l.serverSends(reply), false, cmd)
	if reply.Close {
		if err := l.ss.Release(); err != nil {
			l.t.Fatal(err)
		}
		if err := l.cs.Release(); err != nil {
			l.t.Fatal(err)
		}
	}
	return true
}

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s differs (-want +got):\n%s", name, diff)
	}
}

// TestPOP3Transcript runs the default scenario's session, USER, PASS, STAT,
// LIST, RETR 1, DELE 1, QUIT, through the session and presentation layers,
// and compares the whole dialogue, the mail included, with a golden file.
func TestPOP3Transcript(t *testing.T) {
	var first []string
	for _, chunk := range []int{1, 2, 7, 100, 1460, 1 << 16} {
		srv, md := newTestServer()
		cli := NewClient("wang", "secret", []string{"STAT", "LIST", "RETR 1", "DELE 1", "QUIT"})
		l := newLink(t, srv, cli, chunk)
		l.greet()
		for l.step() {
			if l.lastReply.Line.String() == "+OK message 1 deleted" {
				// Deletion only at QUIT: message 1 is still there.
				if md.Len() != 2 || md.Marked() != 1 || srv.State() != Transaction {
					t.Fatalf("after DELE 1: %d messages, %d marked, %v", md.Len(), md.Marked(), srv.State())
				}
			}
		}
		if first == nil {
			first = l.transcript
			golden(t, "pop3_session.golden", strings.Join(l.transcript, "\n")+"\n")
		} else if diff := cmp.Diff(first, l.transcript); diff != "" {
			t.Fatalf("chunks of %d: transcript differs (-1 octet +%d):\n%s", chunk, chunk, diff)
		}
		if !cli.Done() || cli.Err() != nil {
			t.Fatalf("client done %v, err %v", cli.Done(), cli.Err())
		}
		// The client got message 1 intact.
		res := cli.Results()
		var keywords []string
		for _, e := range res {
			keywords = append(keywords, e.Command.Keyword)
		}
		if diff := cmp.Diff([]string{"USER", "PASS", "STAT", "LIST", "RETR", "DELE", "QUIT"}, keywords); diff != "" {
			t.Fatalf("exchanges (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff(ScanListing{{1, 2048}, {2, 790}}, res[3].Listing); diff != "" {
			t.Errorf("listing (-want +got):\n%s", diff)
		}
		got := res[4].Mail
		if got == nil || got.Hash != presentation.Hash(presentation.SampleMail()) || got.Subject != "关于POP3的课堂笔记" {
			t.Fatalf("RETR 1 gave %+v", got)
		}
		// Message 1 was removed at QUIT, in the UPDATE state.
		if srv.State() != Update || md.Len() != 1 || md.List()[0].Subject != "Lab 3: capture a POP3 session" {
			t.Errorf("after QUIT: %v, %v", srv.State(), md.List())
		}
		if l.ss.State() != session.Released || l.cs.State() != session.Released {
			t.Errorf("sessions %v and %v, want RELEASED", l.ss.State(), l.cs.State())
		}
		if cps := l.cs.Checkpoints(); len(cps) != 1 || cps[0].Label.En != "message 1 complete" || cps[0].Octets != 2048 {
			t.Errorf("checkpoints %v", cps)
		}
	}
}

// TestPOP3DotStuffing retrieves message 2, whose lines start with "." and
// one is "." alone, and checks the stuffed lines on the wire and the mail
// decoded.
func TestPOP3DotStuffing(t *testing.T) {
	srv, _ := newTestServer()
	cli := NewClient("wang", "secret", []string{"RETR 2"})
	l := newLink(t, srv, cli, 3)
	l.greet()
	for l.step() {
	}
	wire := strings.Join(l.transcript, "\n")
	for _, want := range []string{"\nS: ..profile and the other dot-files", "\nS: ..\nS: and the message goes on", "\nS: .\nC: QUIT"} {
		if !strings.Contains(wire, want) {
			t.Errorf("transcript lacks %q:\n%s", want, wire)
		}
	}
	m := cli.Results()[2].Mail
	// The same hash as the stored mail: every stuffed "." was removed.
	if m == nil || m.Hash != presentation.Hash(presentation.SampleMail2()) {
		t.Errorf("RETR 2 gave %+v", m)
	}
}

// FuzzBlockEnd checks that the session layer's framer and the presentation
// layer's unstuffer agree on where a multi-line block ends.
func FuzzBlockEnd(f *testing.F) {
	f.Add([]byte("a\r\n..\r\n.\r\nb"))
	f.Add([]byte(".\r\n"))
	f.Add([]byte("x\r\n.\rx\r\n.\n.\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		var fr session.Framer
		fr.Expect(session.DotTerminated)
		ps, err := fr.Feed(data)
		if err != nil {
			t.Fatal(err)
		}
		framed, end := 0, false
		for _, p := range ps {
			framed += len(p.Data)
			end = end || p.End
		}
		u := presentation.NewUnstuffer(io.Discard)
		n, _ := u.Write(data)
		if end != u.Done() || (end && n != framed) {
			t.Fatalf("%q: framer end %v at %d, unstuffer done %v at %d", data, end, framed, u.Done(), n)
		}
	})
}
