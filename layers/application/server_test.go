package application

import (
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/osisim/osisim/layers/presentation"
)

var testUsers = []User{{"wang", "secret"}, {"li", "two words"}}

// newTestServer returns a server whose maildrop holds the default
// scenario's two messages: 1 of 2,048 octets and 2 of 790.
func newTestServer() (*Server, *Maildrop) {
	md := NewMaildrop(presentation.Options{}, presentation.SampleMail(), presentation.SampleMail2())
	return NewServer(md, testUsers, "dewey POP3 server ready"), md
}

// exchange sends each command line to s and returns "C: cmd" / "S: reply"
// lines, with a multi-line body's lines after "S: " too (before stuffing).
func exchange(t *testing.T, s *Server, lines ...string) []string {
	t.Helper()
	var out []string
	for _, l := range lines {
		cmd, err := ParseCommand([]byte(l + "\r\n"))
		if err != nil {
			t.Fatalf("%q: %v", l, err)
		}
		r := s.Handle(cmd)
		out = append(out, "C: "+l, "S: "+r.Line.String())
		if r.Body != nil {
			b, _ := io.ReadAll(r.Body.Reader())
			for _, bl := range strings.SplitAfter(string(b), "\r\n") {
				if bl != "" {
					out = append(out, "S: "+strings.TrimSuffix(bl, "\r\n"))
				}
			}
		}
	}
	return out
}

// dialog interleaves commands and replies as exchange returns them.
func dialog(pairs ...string) []string {
	var out []string
	for i := 0; i < len(pairs); i += 2 {
		out = append(out, "C: "+pairs[i], "S: "+pairs[i+1])
	}
	return out
}

func TestServerAuthorization(t *testing.T) {
	s, _ := newTestServer()
	if g := s.Greeting().Line.String(); g != "+OK dewey POP3 server ready" {
		t.Errorf("greeting %q", g)
	}
	got := exchange(t, s,
		"STAT", "RETR 1", "PASS secret", "USER", "USER bob", "USER wang", "PASS wrong", "PASS secret",
		"XYZZ", "user wang", "PASS", "pass secret")
	want := dialog(
		"STAT", "-ERR STAT is not valid in the AUTHORIZATION state",
		"RETR 1", "-ERR RETR is not valid in the AUTHORIZATION state",
		"PASS secret", "-ERR USER first",
		"USER", "-ERR USER takes one mailbox name",
		"USER bob", "-ERR [AUTH] never heard of mailbox bob",
		"USER wang", "+OK wang is a valid mailbox",
		"PASS wrong", "-ERR [AUTH] invalid password",
		"PASS secret", "-ERR USER first", // a failed PASS needs a new USER
		"XYZZ", "-ERR unknown command",
		"user wang", "+OK wang is a valid mailbox",
		"PASS", "-ERR PASS takes a password", // a syntax error keeps the USER
		"pass secret", "+OK maildrop locked and ready",
	)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("dialog differs (-want +got):\n%s", diff)
	}
	if s.State() != Transaction || s.User() != "wang" {
		t.Errorf("state %v, user %q; want TRANSACTION, wang", s.State(), s.User())
	}
	// A password with a space: PASS has one argument, the rest of the line.
	s, _ = newTestServer()
	got = exchange(t, s, "USER li", "PASS two words")
	if got[3] != "S: +OK maildrop locked and ready" || s.State() != Transaction || s.User() != "li" {
		t.Errorf("PASS with a space: %q, state %v", got, s.State())
	}
}

func TestServerQuitBeforeLogin(t *testing.T) {
	s, md := newTestServer()
	r := s.Handle(Command("QUIT"))
	if r.Line.String() != "+OK dewey POP3 server signing off" || !r.Close || s.State() != Authorization {
		t.Errorf("QUIT in AUTHORIZATION: %q close %v state %v", r.Line.String(), r.Close, s.State())
	}
	if md.Len() != 2 {
		t.Errorf("maildrop has %d messages", md.Len())
	}
	if r := s.Handle(Command("NOOP")); r.Line.OK || !r.Close {
		t.Errorf("a command after QUIT: %q", r.Line.String())
	}
}

func TestServerTransaction(t *testing.T) {
	s, md := newTestServer()
	exchange(t, s, "USER wang", "PASS secret")
	got := exchange(t, s,
		"STAT", "LIST", "LIST 2", "LIST 3", "LIST x", "LIST 0", "LIST +1", "LIST 1 2",
		"RETR", "RETR 3", "RETR -1", "STAT 1",
		"DELE 1", "DELE 1", "RETR 1", "LIST 1", "STAT", "LIST",
		"RSET", "STAT", "NOOP", "NOOP 1", "RSET 1", "USER wang", "PASS secret", "APOP wang x", "XYZZ 1")
	want := []string{
		"C: STAT", "S: +OK 2 2838",
		"C: LIST", "S: +OK 2 messages (2838 octets)", "S: 1 2048", "S: 2 790",
		"C: LIST 2", "S: +OK 2 790",
		"C: LIST 3", "S: -ERR no such message, only 2 messages in maildrop",
		"C: LIST x", "S: -ERR invalid message number x",
		"C: LIST 0", "S: -ERR invalid message number 0",
		"C: LIST +1", "S: -ERR invalid message number +1",
		"C: LIST 1 2", "S: -ERR LIST takes one message number",
		"C: RETR", "S: -ERR RETR takes one message number",
		"C: RETR 3", "S: -ERR no such message",
		"C: RETR -1", "S: -ERR invalid message number -1",
		"C: STAT 1", "S: -ERR STAT takes no argument",
		"C: DELE 1", "S: +OK message 1 deleted",
		"C: DELE 1", "S: -ERR message 1 already deleted",
		"C: RETR 1", "S: -ERR message 1 already deleted",
		"C: LIST 1", "S: -ERR message 1 already deleted",
		"C: STAT", "S: +OK 1 790",
		"C: LIST", "S: +OK 1 message (790 octets)", "S: 2 790",
		"C: RSET", "S: +OK maildrop has 2 messages (2838 octets)",
		"C: STAT", "S: +OK 2 2838",
		"C: NOOP", "S: +OK",
		"C: NOOP 1", "S: -ERR NOOP takes no argument",
		"C: RSET 1", "S: -ERR RSET takes no argument",
		"C: USER wang", "S: -ERR USER is not valid in the TRANSACTION state",
		"C: PASS secret", "S: -ERR PASS is not valid in the TRANSACTION state",
		"C: APOP wang x", "S: -ERR APOP is not valid in the TRANSACTION state",
		"C: XYZZ 1", "S: -ERR unknown command",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("dialog differs (-want +got):\n%s", diff)
	}
	if md.Len() != 2 || md.Marked() != 0 {
		t.Errorf("maildrop: %d messages, %d marked", md.Len(), md.Marked())
	}
}

func TestServerRetrBody(t *testing.T) {
	s, md := newTestServer()
	exchange(t, s, "USER wang", "PASS secret")
	r := s.Handle(Command("RETR", "2"))
	e, _ := md.Message(2)
	if r.Line.String() != "+OK 790 octets" || r.Body != Body(e) {
		t.Fatalf("RETR 2: %q, body %v", r.Line.String(), r.Body)
	}
	if r.Note != "RETR 2: message 2 (790 octets) follows as a multi-line response" {
		t.Errorf("note %q", r.Note)
	}
}

func TestServerDeletesOnlyAtQuit(t *testing.T) {
	s, md := newTestServer()
	exchange(t, s, "USER wang", "PASS secret")
	r := s.Handle(Command("DELE", "1"))
	if r.Note != "marked message 1 deleted (it is removed only at QUIT)" {
		t.Errorf("DELE note %q", r.Note)
	}
	if md.Len() != 2 || md.Marked() != 1 || !md.Locked() {
		t.Fatalf("after DELE: %d messages, %d marked, locked %v; want 2, 1, true", md.Len(), md.Marked(), md.Locked())
	}
	r = s.Handle(Command("QUIT"))
	if r.Line.String() != "+OK dewey POP3 server signing off (1 message left)" || !r.Close {
		t.Errorf("QUIT: %q close %v", r.Line.String(), r.Close)
	}
	if s.State() != Update {
		t.Errorf("state %v, want UPDATE", s.State())
	}
	if r.Note != "QUIT: TRANSACTION -> UPDATE: removed 1 message marked deleted, 1 message left; maildrop unlocked" {
		t.Errorf("QUIT note %q", r.Note)
	}
	want := []Info{{N: 1, Size: 790, Subject: "Lab 3: capture a POP3 session"}}
	if diff := cmp.Diff(want, md.List()); diff != "" || md.Locked() {
		t.Errorf("maildrop after QUIT (-want +got):\n%s(locked %v)", diff, md.Locked())
	}
	if s.Lost() != "connection closed after QUIT" {
		t.Error("Lost after QUIT did something")
	}

	// Deleting everything empties the maildrop.
	s2 := NewServer(md, testUsers, "ready")
	s2.Host = "mail.school.example"
	exchange(t, s2, "USER wang", "PASS secret", "DELE 1")
	if got := s2.Handle(Command("QUIT")).Line.String(); got != "+OK mail.school.example POP3 server signing off (maildrop empty)" {
		t.Errorf("QUIT: %q", got)
	}
	if md.Len() != 0 {
		t.Errorf("%d messages left", md.Len())
	}
}

func TestServerLostDeletesNothing(t *testing.T) {
	s, md := newTestServer()
	exchange(t, s, "USER wang", "PASS secret", "DELE 1", "DELE 2")
	note := s.Lost()
	if note != "connection lost in the TRANSACTION state without QUIT: no UPDATE, so nothing is removed (2 deletion marks dropped); maildrop unlocked" {
		t.Errorf("Lost note %q", note)
	}
	if md.Len() != 2 || md.Marked() != 0 || md.Locked() {
		t.Errorf("after Lost: %d messages, %d marked, locked %v; want 2, 0, false", md.Len(), md.Marked(), md.Locked())
	}
	if s.State() != Transaction {
		t.Errorf("state %v: a lost session never reaches UPDATE", s.State())
	}
	// The next session finds both messages.
	s2 := NewServer(md, testUsers, "ready")
	if got := exchange(t, s2, "USER wang", "PASS secret", "STAT"); got[5] != "S: +OK 2 2838" {
		t.Errorf("next session: %q", got)
	}
	s3, _ := newTestServer()
	if note := s3.Lost(); note != "connection lost in the AUTHORIZATION state: nothing to undo" {
		t.Errorf("Lost in AUTHORIZATION: %q", note)
	}
}

func TestServerMaildropLock(t *testing.T) {
	s, md := newTestServer()
	exchange(t, s, "USER wang", "PASS secret")
	other := NewServer(md, testUsers, "ready")
	got := exchange(t, other, "USER wang", "PASS secret")
	if got[3] != "S: -ERR [IN-USE] unable to lock maildrop" || other.State() != Authorization {
		t.Errorf("second session: %q, state %v", got, other.State())
	}
}

func TestMaildrop(t *testing.T) {
	md := NewMaildrop(presentation.Options{TransferEncoding: presentation.Base64}, presentation.SampleMail2())
	if n := md.Add(presentation.SampleMail()); n != 2 {
		t.Errorf("Add returned %d, want 2", n)
	}
	if _, err := md.Message(3); !errors.Is(err, ErrNoSuchMessage) {
		t.Errorf("Message(3): %v", err)
	}
	if _, err := md.Hash(0); !errors.Is(err, ErrNoSuchMessage) {
		t.Errorf("Hash(0): %v", err)
	}
	md.Delete(1)
	if _, err := md.Message(1); !errors.Is(err, ErrDeleted) {
		t.Errorf("Message(1) after Delete: %v", err)
	}
	h, err := md.Hash(1)
	if err != nil || h != presentation.Hash(presentation.SampleMail2()) {
		t.Errorf("Hash(1) of a deleted message: %x, %v", h[:4], err)
	}
	if e, _ := md.Message(2); e.TransferEncoding() != presentation.Base64 {
		t.Errorf("maildrop options not used: %v", e.TransferEncoding())
	}
	if md.Commit() != 1 || md.Len() != 1 || md.List()[0].Subject != "关于POP3的课堂笔记" {
		t.Errorf("after Commit: %v", md.List())
	}
	if err := md.Lock(); err != nil {
		t.Fatal(err)
	}
	if err := md.Lock(); !errors.Is(err, ErrLocked) {
		t.Errorf("second Lock: %v", err)
	}
}

func TestStateNames(t *testing.T) {
	for s, want := range map[State]string{Authorization: "AUTHORIZATION", Transaction: "TRANSACTION", Update: "UPDATE", 9: "state(9)"} {
		if s.String() != want {
			t.Errorf("%d: %q, want %q", s, s.String(), want)
		}
	}
}
