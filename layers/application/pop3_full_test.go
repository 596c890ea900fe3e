package application

import (
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/osisim/osisim/layers/presentation"
)

// fullUsers adds RFC 1939's APOP example account to the test users.
var fullUsers = append(append([]User(nil), testUsers...), User{"mrose", "tanstaaf"})

// fullRun plays several POP3 sessions on one maildrop and writes them all
// into one transcript, with the server's notes ("N: " lines).
type fullRun struct {
	t     *testing.T
	chunk int
	md    *Maildrop
	out   []string
}

func (f *fullRun) section(title string) {
	if len(f.out) > 0 {
		f.out = append(f.out, "")
	}
	f.out = append(f.out, "# "+title)
}

// server returns a new session of the server, as a new connection gets.
func (f *fullRun) server(opts ...ServerOption) *Server {
	return NewServer(f.md, fullUsers, "dewey POP3 server ready", opts...)
}

// link connects a client to a server session through the session and
// presentation layers; prefix tells interleaved sessions apart.
func (f *fullRun) link(srv *Server, cli *Client, prefix string) *link {
	l := newLink(f.t, srv, cli, f.chunk)
	l.notes, l.out, l.prefix = true, &f.out, prefix
	return l
}

// session runs a whole client session and returns the client.
func (f *fullRun) session(srv *Server, cli *Client) *Client {
	l := f.link(srv, cli, "")
	l.greet()
	for l.step() {
	}
	return cli
}

// raw sends command lines to a server session as they are, for what the
// scripted client never sends (malformed or too long lines), and returns
// the last reply. Lines of more than 100 octets are shortened in the
// transcript. The session must not end before the last line.
func (f *fullRun) raw(srv *Server, lines ...string) Reply {
	var r Reply
	for i, line := range lines {
		shown := line
		if len(line) > 100 {
			shown = fmt.Sprintf("%s... (%d octets with CRLF)", line[:40], len(line)+2)
		}
		f.out = append(f.out, "C: "+shown)
		if r.Close {
			f.t.Fatalf("line %d %q sent after the server closed", i+1, line)
		}
		r = srv.HandleLine([]byte(line + "\r\n"))
		if r.Note != "" {
			f.out = append(f.out, "N: "+r.Note)
		}
		f.out = append(f.out, "S: "+r.Line.String())
		if r.Body != nil {
			b, err := io.ReadAll(presentation.NewStuffer(r.Body.Reader()))
			if err != nil {
				f.t.Fatal(err)
			}
			for _, bl := range strings.SplitAfter(string(b), "\r\n") {
				if bl != "" {
					f.out = append(f.out, "S: "+strings.TrimSuffix(bl, "\r\n"))
				}
			}
		}
	}
	return r
}

// exchangeOf returns the client's exchange whose command is cmd.
func exchangeOf(t *testing.T, c *Client, cmd string) Exchange {
	t.Helper()
	for _, e := range c.Results() {
		if e.Command.String() == cmd {
			return e
		}
	}
	t.Fatalf("no exchange %q in %v", cmd, c.Results())
	return Exchange{}
}

// TestPOP3FullTranscript runs every command and error path of the server
// through the session and presentation layers, session after session on
// one maildrop, and compares the whole dialogue, with the server's notes,
// with a golden file: CAPA before and after login, UIDL stable across
// sessions and renumbering, TOP, APOP right and wrong, a wrong password,
// [IN-USE] for a second session, a DELE undone by RSET, a session lost
// without QUIT, the bad-command limit, the line limits, and malformed lines.
func TestPOP3FullTranscript(t *testing.T) {
	var first []string
	for _, chunk := range []int{1, 7, 1460} {
		got := runFull(t, chunk)
		if first == nil {
			first = got
			golden(t, "pop3_full.golden", strings.Join(got, "\n")+"\n")
		} else if diff := cmp.Diff(first, got); diff != "" {
			t.Fatalf("chunks of %d: transcript differs (-1 octet +%d):\n%s", chunk, chunk, diff)
		}
	}
}

func runFull(t *testing.T, chunk int) []string {
	f := &fullRun{t: t, chunk: chunk,
		md: NewMaildrop(presentation.Options{}, presentation.SampleMail(), presentation.SampleMail2())}

	f.section("1. CAPA before login, USER and PASS, every TRANSACTION command, a DELE undone by RSET")
	c1 := f.session(f.server(), NewClient("wang", "secret", []string{
		"CAPA", "USER", "CAPA", "UIDL", "UIDL 2", "LIST 1", "TOP 2 3", "TOP 1 1", "TOP 2 0", "STAT",
		"DELE 1", "RETR 1", "DELE 1", "UIDL 1", "TOP 1 1", "LIST 1", "LIST", "UIDL", "STAT",
		"RSET", "STAT", "NOOP", "XYZZ", "TOP 2", "TOP 2 x", "TOP 0 1", "TOP 3 1", "UIDL 3", "UIDL x", "CAPA 1", "QUIT"}))
	if c1.Err() != nil || !c1.Done() {
		t.Fatalf("session 1: done %v, err %v", c1.Done(), c1.Err())
	}
	if f.md.Len() != 2 || f.md.Marked() != 0 || f.md.Locked() {
		t.Errorf("after RSET and QUIT: %d messages, %d marked, locked %v; want 2, 0, false", f.md.Len(), f.md.Marked(), f.md.Locked())
	}
	uids1 := exchangeOf(t, c1, "UIDL").UIDs
	if len(uids1) != 2 || uids1[0].UID == uids1[1].UID {
		t.Fatalf("UIDL of session 1: %v", uids1)
	}
	if e := exchangeOf(t, c1, "CAPA"); !e.Capabilities.Has("top") || !e.Capabilities.Has("UIDL") || e.Capabilities.Has("PIPELINING") {
		t.Errorf("CAPA gave %q", e.Capabilities)
	}
	if m := exchangeOf(t, c1, "TOP 2 3").Mail; m == nil || m.Subject != "Lab 3: capture a POP3 session" || m.BodyLines != 3 {
		t.Errorf("TOP 2 3 decoded as %+v", m)
	}
	if m := exchangeOf(t, c1, "TOP 1 1").Mail; m == nil || m.Subject != "关于POP3的课堂笔记" || !strings.HasPrefix(m.Sample, "王同学：") {
		t.Errorf("TOP 1 1 decoded as %+v", m)
	}

	f.section("2. APOP (RFC 1939's example), then DELE 1 and QUIT: message 1 is removed in UPDATE")
	srv := f.server(WithTimestamp(1896, 697170952))
	srv.Host = "dbc.mtview.ca.us"
	c2 := f.session(srv, NewClient("mrose", "tanstaaf", []string{"APOP", "UIDL", "DELE 1", "QUIT"}))
	if got := exchangeOf(t, c2, "APOP mrose c4c9334bac560ecc979e58001b3e22fb"); !got.Reply.OK {
		t.Errorf("APOP: %v", got.Reply)
	}
	if diff := cmp.Diff(uids1, exchangeOf(t, c2, "UIDL").UIDs); diff != "" {
		t.Errorf("UIDL differs between sessions (-session 1 +session 2):\n%s", diff)
	}
	if f.md.Len() != 1 {
		t.Fatalf("after DELE 1 and QUIT: %d messages", f.md.Len())
	}

	f.section("3. UIDL after the UPDATE: the old message 2 is now message 1, with the same unique-id")
	c3 := f.session(f.server(), NewClient("wang", "secret", []string{"UIDL", "UIDL 1", "UIDL 2"}))
	if want := (UIDListing{{1, uids1[1].UID}}); !cmp.Equal(want, exchangeOf(t, c3, "UIDL").UIDs) ||
		!cmp.Equal(want, exchangeOf(t, c3, "UIDL 1").UIDs) {
		t.Errorf("UIDL after renumbering: %v and %v, want %v", exchangeOf(t, c3, "UIDL").UIDs, exchangeOf(t, c3, "UIDL 1").UIDs, want)
	}

	f.section("4. APOP with the wrong secret")
	srv = f.server(WithTimestamp(1897, 697171000))
	c4 := f.session(srv, NewClient("wang", "wrong", nil, WithAPOP()))
	if c4.Err() == nil || !strings.Contains(c4.Err().Error(), "APOP refused: -ERR [AUTH] permission denied") || srv.State() != Authorization {
		t.Errorf("APOP with a wrong secret: err %v, state %v", c4.Err(), srv.State())
	}

	f.section("5. A wrong password")
	srv = f.server()
	c5 := f.session(srv, NewClient("wang", "wrong", []string{"STAT"}))
	if c5.Err() == nil || c5.Results()[1].Reply.Code() != CodeAuth || srv.State() != Authorization {
		t.Errorf("wrong password: err %v, state %v", c5.Err(), srv.State())
	}

	f.section("6. A second session while the first holds the maildrop: [IN-USE]")
	a := f.link(f.server(), NewClient("wang", "secret", []string{"STAT"}), "A ")
	b := f.link(f.server(WithTimestamp(1899, 697171100)), NewClient("wang", "secret", []string{"STAT"}, WithAPOP()), "B ")
	a.greet()
	a.step() // USER
	a.step() // PASS: A is in TRANSACTION and holds the lock
	b.greet()
	b.step() // APOP: refused
	if b.lastReply.Line.Code() != CodeInUse || b.srv.State() != Authorization {
		t.Errorf("second session: %q, state %v", b.lastReply.Line.String(), b.srv.State())
	}
	for b.step() {
	}
	for a.step() {
	}
	if f.md.Locked() {
		t.Error("maildrop still locked after both sessions")
	}

	f.section("7. A session lost without QUIT deletes nothing")
	l := f.link(f.server(), NewClient("wang", "secret", []string{"DELE 1", "STAT"}), "")
	l.greet()
	for range 4 {
		l.step()
	}
	l.lose()
	if f.md.Len() != 1 || f.md.Marked() != 0 || f.md.Locked() {
		t.Errorf("after a lost session: %d messages, %d marked, locked %v; want 1, 0, false", f.md.Len(), f.md.Marked(), f.md.Locked())
	}
	f.out = append(f.out, "-- the next session --")
	f.session(f.server(), NewClient("wang", "secret", []string{"STAT"}))

	f.section("8. Malformed lines, bad arguments, and APOP without a timestamp (raw lines)")
	srv = f.server()
	f.raw(srv, "RETR  1", "RETRIEVE 1", "LIST\t1", "", "USER wang x", "APOP mrose c4c9334bac560ecc979e58001b3e22fb",
		"USER wang", "PASS secret", "QUIT now", "TOP 1", "TOP 1 -1", "TOP 1 +1", "TOP 1 99999999999999999999", "QUIT")

	f.section("9. APOP syntax and an unknown mailbox (raw lines)")
	srv = f.server(WithTimestamp(1900, 697172000))
	f.out = append(f.out, "S: "+srv.Greeting().Line.String())
	f.raw(srv, "APOP", "APOP mrose", "APOP mrose c4c9334bac560ecc979e58001b3e22f", "APOP mrose zzc9334bac560ecc979e58001b3e22fb",
		"APOP nobody "+APOPDigest(srv.Timestamp(), "x"), "APOP mrose "+strings.ToUpper(APOPDigest(srv.Timestamp(), "tanstaaf")), "QUIT")

	f.section("10. The bad-command limit (here 3 in a row; 20 by default): a good command starts the count again")
	srv = f.server(WithMaxBadCommands(3))
	r := f.raw(srv, "STAT", "XYZZ", "RETR 1", "USER wang", "PASS secret", "DELE 1", "FOO", "RETR 9", "LIST x", "BAR")
	if !r.Close || srv.BadCommands() != 4 || f.md.Marked() != 0 || f.md.Locked() {
		t.Errorf("bad-command limit: close %v, %d bad, %d marked, locked %v", r.Close, srv.BadCommands(), f.md.Marked(), f.md.Locked())
	}
	if note := srv.Lost(); note != "connection closed by the server in the TRANSACTION state: nothing more to undo" {
		t.Errorf("Lost after the limit: %q", note)
	}

	f.section("11. The line limits: over 255 octets refused (RFC 2449), over 512 the connection closed")
	srv = f.server()
	r = f.raw(srv, "NOOP "+strings.Repeat("x", 248), "NOOP "+strings.Repeat("x", 249), "USER "+strings.Repeat("x", 506))
	if !r.Close || srv.State() != Authorization {
		t.Errorf("line limit: close %v, state %v", r.Close, srv.State())
	}
	return f.out
}
