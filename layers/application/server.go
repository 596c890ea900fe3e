package application

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/osisim/osisim/layers/presentation"

	"github.com/osisim/osisim/layers"
)

// State is a state of a POP3 session (RFC 1939 section 3).
type State uint8

// The POP3 states.
const (
	Authorization State = iota + 1 // the client identifies itself
	Transaction                    // the client works on the maildrop
	Update                         // after QUIT: the server removes the messages marked deleted
)

// String returns the state as RFC 1939 spells it: "AUTHORIZATION",
// "TRANSACTION" or "UPDATE".
func (s State) String() string {
	switch s {
	case Authorization:
		return "AUTHORIZATION"
	case Transaction:
		return "TRANSACTION"
	case Update:
		return "UPDATE"
	}
	return fmt.Sprintf("state(%d)", uint8(s))
}

// User is an account of the server.
type User struct {
	Name, Pass string
}

// Body is the multi-line part of a reply, before byte-stuffing: a mail (a
// *presentation.Encoded), the top of one (*Top), or a listing
// (ScanListing, UIDListing, Capabilities). Reader gives a fresh stream of
// its octets each call.
type Body interface {
	Size() int64
	Reader() io.Reader
	Summary() string
}

var (
	_ Body = (*presentation.Encoded)(nil)
	_ Body = ScanListing(nil)
	_ Body = UIDListing(nil)
	_ Body = Capabilities(nil)
)

// Reply is the server's answer to one command.
type Reply struct {
	Line  Message
	Body  Body   // nil, or the body of a multi-line reply, to send after Line
	Close bool   // the server closes the connection after this reply
	Note  string // what the server did, in plain English, for the trace
	// NoteMsg and NoteArgs are the message id and arguments of Note (as
	// layers.Event.Say sets them), so that a trace can say it in another
	// language; NoteMsg is empty for a note that has none.
	NoteMsg  string
	NoteArgs []any
	// StartTLS: the TLS handshake starts once Line is sent (STLS, RFC 2595).
	StartTLS bool
}

// Limits of a session, as Dovecot sets them.
const (
	// DefaultMaxBadCommands is how many bad commands in a row a session
	// may send; the next one closes it (Dovecot's CLIENT_MAX_BAD_COMMANDS).
	DefaultMaxBadCommands = 20
	// DefaultLineHardLimit is the longest command line, CRLF included, the
	// server answers with "-ERR" and goes on; a longer one closes the
	// session. Lines over MaxCommand (255) are refused either way (RFC
	// 2449 section 4).
	DefaultLineHardLimit = 512
)

// Implementation is the text of the IMPLEMENTATION capability (RFC 2449
// section 6.9).
const Implementation = "osisim"

// Server is a POP3 server's session with one client (RFC 1939): a state
// machine that takes parsed commands and returns replies.
type Server struct {
	// Host names the server in its sign-off ("+OK dewey POP3 server
	// signing off") and in the APOP timestamp; it is "dewey" (RFC 1939's
	// examples) unless set.
	Host string

	md       *Maildrop
	users    []User
	greeting string
	state    State
	user     string // the mailbox named by USER, waiting for PASS
	authed   string // the logged-in user
	closed   bool
	endNote  layers.Phrase // what Lost says once the session has ended

	apop       bool   // the greeting carries a timestamp: APOP is offered
	pid, clock uint64 // the timestamp's values
	ts         string // the timestamp, fixed once made

	maxBad   int  // bad commands allowed in a row; 0: no limit
	badRow   int  // bad commands in a row so far
	hardLine int  // the longest line answered without closing
	refused  bool // the command being handled was a bad command
	stls     stlsState
}

// A ServerOption configures a Server.
type ServerOption func(*Server)

// WithTimestamp makes the server offer APOP (RFC 1939 section 7): its
// greeting ends with the timestamp "<pid.clock@host>" (FormatTimestamp),
// whose values the caller chooses, for instance the session's number and
// the simulated time, so that every greeting's timestamp differs.
func WithTimestamp(pid, clock uint64) ServerOption {
	return func(s *Server) { s.apop, s.pid, s.clock = true, pid, clock }
}

// WithMaxBadCommands sets how many bad commands in a row a session may
// send before the server answers "-ERR too many bad commands" and closes
// it; n < 1 sets no limit. The default is DefaultMaxBadCommands.
func WithMaxBadCommands(n int) ServerOption {
	return func(s *Server) { s.maxBad = max(n, 0) }
}

// WithLineHardLimit sets the longest command line, CRLF included, that the
// server answers and goes on; a longer line closes the session. It is at
// least MaxCommand. The default is DefaultLineHardLimit.
func WithLineHardLimit(n int) ServerOption {
	return func(s *Server) { s.hardLine = max(n, MaxCommand) }
}

// NewServer returns a server in the AUTHORIZATION state, serving md to
// users, that greets with "+OK " and greeting (and the APOP timestamp, with
// WithTimestamp).
func NewServer(md *Maildrop, users []User, greeting string, opts ...ServerOption) *Server {
	s := &Server{Host: "dewey", md: md, users: users, greeting: greeting, state: Authorization,
		maxBad: DefaultMaxBadCommands, hardLine: DefaultLineHardLimit}
	for _, o := range opts {
		o(s)
	}
	return s
}

// State returns the server's state.
func (s *Server) State() State { return s.state }

// User returns the logged-in user, or "".
func (s *Server) User() string { return s.authed }

// BadCommands returns how many bad commands the client sent in a row.
func (s *Server) BadCommands() int { return s.badRow }

// Timestamp returns the APOP timestamp of the greeting, "<pid.clock@host>",
// or "" if the server does not offer APOP.
func (s *Server) Timestamp() string {
	if !s.apop {
		return ""
	}
	if s.ts == "" {
		s.ts = FormatTimestamp(s.pid, s.clock, s.Host)
	}
	return s.ts
}

// Capabilities returns what the server announces in reply to CAPA (RFC 2449
// section 6, and RFC 3206 section 6 for AUTH-RESP-CODE). It is the same in
// both states. APOP has no capability: the greeting's timestamp announces
// it.
func (s *Server) Capabilities() Capabilities {
	return s.withSTLS(Capabilities{"TOP", "UIDL", "USER", "RESP-CODES", "AUTH-RESP-CODE", "IMPLEMENTATION " + Implementation})
}

// Greeting returns the greeting the server sends once the connection is
// open (RFC 1939 section 4), with the APOP timestamp at its end if the
// server offers APOP (section 7).
func (s *Server) Greeting() Reply {
	if ts := s.Timestamp(); ts != "" {
		return Reply{Line: OK(s.greeting + " " + ts)}.note(
			layers.Tell("pop3.greeting.apop", "greeting sent with the timestamp %s for APOP: the session starts in the AUTHORIZATION state", ts))
	}
	return Reply{Line: OK(s.greeting)}.note(layers.Tell("pop3.greeting", "greeting sent: the session starts in the AUTHORIZATION state"))
}

// HandleLine answers one command line, CRLF included, as it came from the
// session layer: it parses it and calls Handle, or HandleMalformed if it is
// not a valid command.
func (s *Server) HandleLine(line []byte) Reply {
	cmd, err := ParseCommand(line)
	if err != nil {
		return s.HandleMalformed(line, err)
	}
	return s.Handle(cmd)
}

// HandleMalformed answers a line that is not a valid command; err says why
// (from ParseCommand). A line longer than MaxCommand gets "-ERR command line
// too long" (RFC 2449 section 4); one longer than the hard limit also
// closes the session, as Dovecot does when its input buffer is full. Any
// other error gets "-ERR syntax error: " and the reason. Either counts as a
// bad command.
func (s *Server) HandleMalformed(line []byte, err error) Reply {
	if s.closed {
		return s.over(layers.Tell("pop3.over.line", "a line"))
	}
	n := len(line)
	if n > s.hardLine {
		text := fmt.Sprintf("command line too long: %d octets, at most %d with CRLF; closing the connection", n, MaxCommand)
		return s.abort(Err(text), layers.Tell("pop3.line.hard", "a command line of %d octets, over the hard limit of %d: the server closes the connection", n, s.hardLine))
	}
	s.refused = true
	var r Reply
	if n > MaxCommand {
		r = Reply{Line: Err(fmt.Sprintf("command line too long: %d octets, at most %d with CRLF", n, MaxCommand))}.note(
			layers.Tell("pop3.line.long", "a command line of %d octets refused: RFC 2449 allows at most %d with CRLF", n, MaxCommand))
	} else {
		why := "not a command"
		if err != nil {
			why = strings.TrimPrefix(strings.TrimPrefix(err.Error(), ErrSyntax.Error()+": "), "application: ")
		}
		why = replyText(why)
		r = Reply{Line: Err("syntax error: " + why)}.note(layers.Tell("pop3.line.bad", "a line that is not a valid command: %s", why))
	}
	return s.count(r)
}

// replyText makes s fit in a reply line: no CR, LF or NUL, and short
// enough for MaxReply.
func replyText(s string) string {
	s = strings.Map(func(r rune) rune {
		if r == '\r' || r == '\n' || r == 0 {
			return ' '
		}
		return r
	}, s)
	if len(s) > 400 {
		s = strings.ToValidUTF8(s[:400], "") + "..."
	}
	return s
}

// Handle answers one command. Commands are checked against the state (RFC
// 1939 sections 4 to 7, RFC 2449 section 5 for CAPA); a command that does
// not exist, is not valid in the state, has bad arguments or names a
// message that does not exist or is marked deleted gets "-ERR" and counts
// as a bad command. After more bad commands in a row than the limit, the
// server answers "-ERR too many bad commands" and closes the session.
func (s *Server) Handle(cmd Message) Reply {
	if s.closed {
		return s.over(layers.Plain(cmd.Keyword))
	}
	s.refused = false
	return s.count(s.dispatch(cmd))
}

func (s *Server) over(what layers.Phrase) Reply {
	return Reply{Line: Err("session is over"), Close: true}.note(layers.Tell("pop3.over", "%v after the session ended", what))
}

func (s *Server) dispatch(cmd Message) Reply {
	switch s.state {
	case Authorization:
		switch cmd.Keyword {
		case "USER":
			return s.userCmd(cmd)
		case "PASS":
			return s.pass(cmd)
		case "APOP":
			return s.apopCmd(cmd)
		case "CAPA":
			return s.capa(cmd)
		case "QUIT":
			return s.quit(cmd)
		case "STLS":
			return s.stlsCmd(cmd)
		}
	case Transaction:
		switch cmd.Keyword {
		case "STAT":
			return s.stat(cmd)
		case "LIST":
			return s.list(cmd)
		case "RETR":
			return s.retr(cmd)
		case "DELE":
			return s.dele(cmd)
		case "NOOP":
			if len(cmd.Args) != 0 {
				return s.syntax(cmd, "NOOP takes no argument")
			}
			return Reply{Line: OK("")}.note(layers.Tell("pop3.noop", "NOOP: nothing to do"))
		case "RSET":
			return s.rset(cmd)
		case "TOP":
			return s.top(cmd)
		case "UIDL":
			return s.uidl(cmd)
		case "CAPA":
			return s.capa(cmd)
		case "QUIT":
			return s.quit(cmd)
		}
	}
	switch cmd.Keyword {
	case "USER", "PASS", "APOP", "QUIT", "STAT", "LIST", "RETR", "DELE", "NOOP", "RSET", "TOP", "UIDL", "CAPA", "STLS":
		return s.deny(Err(cmd.Keyword+" is not valid in the "+s.state.String()+" state"),
			layers.Tell("pop3.refused.state", "%s refused: not valid in the %v state", cmd.Keyword, s.state))
	}
	return s.deny(Err("unknown command"), layers.Tell("pop3.refused.unknown", "%q is not a POP3 command this server knows", cmd.Keyword))
}

// deny returns a reply to a bad command, with its note for the trace.
func (s *Server) deny(line Message, note layers.Phrase) Reply {
	s.refused = true
	return Reply{Line: line}.note(note)
}

// count counts bad commands in a row, as Dovecot does: a good command
// starts the count again, and one more than the limit closes the session.
func (s *Server) count(r Reply) Reply {
	if !s.refused {
		s.badRow = 0
		return r
	}
	s.badRow++
	if s.maxBad > 0 && s.badRow > s.maxBad {
		return s.abort(Err("too many bad commands, closing the connection"),
			layers.Tell("pop3.bad.many", "%d bad commands in a row, more than the %d allowed (the last: %s): the server closes the connection",
				s.badRow, s.maxBad, r.Line.String()))
	}
	return r
}

// abort ends the session from the server's side without UPDATE: as for a
// lost connection (RFC 1939 section 6), nothing is removed.
func (s *Server) abort(line Message, note layers.Phrase) Reply {
	s.closed = true
	s.user = ""
	if s.state == Transaction {
		k := s.md.Reset()
		s.md.Unlock()
		note = layers.Tell("pop3.abort.tx", "%v; no UPDATE, so nothing is removed (%v dropped); maildrop unlocked", note, marks(k))
	}
	s.endNote = layers.Tell("pop3.end.server", "connection closed by the server in the %v state: nothing more to undo", s.state)
	return Reply{Line: line, Close: true}.note(note)
}

func (s *Server) syntax(cmd Message, why string) Reply {
	return s.deny(Err(why), layers.Tell("pop3.refused", "%s refused: %s", cmd.String(), why))
}

func (s *Server) findUser(name string) (User, bool) {
	for _, u := range s.users {
		if u.Name == name {
			return u, true
		}
	}
	return User{}, false
}

// userCmd handles USER name (RFC 1939 section 7). An unknown mailbox gets
// the AUTH response code (RFC 3206 section 5): the credentials are wrong.
func (s *Server) userCmd(cmd Message) Reply {
	if len(cmd.Args) != 1 {
		return s.syntax(cmd, "USER takes one mailbox name")
	}
	name := cmd.Args[0]
	s.user = ""
	if _, ok := s.findUser(name); !ok {
		return Reply{Line: ErrCode(CodeAuth, "never heard of mailbox "+name)}.note(
			layers.Tell("pop3.user.unknown", "USER %s: no such mailbox (stays in AUTHORIZATION)", name))
	}
	s.user = name
	return Reply{Line: OK(name + " is a valid mailbox")}.note(
		layers.Tell("pop3.user", "USER %s: a known mailbox; waiting for PASS", name))
}

// pass handles PASS string (RFC 1939 section 7). The password is the rest of
// the line: "a POP3 server may treat spaces in the argument as part of the
// password". A wrong password gets the AUTH response code (RFC 3206).
func (s *Server) pass(cmd Message) Reply {
	if s.user == "" {
		return s.deny(Err("USER first"), layers.Tell("pop3.pass.nouser", "PASS refused: no USER before it"))
	}
	if len(cmd.Args) == 0 {
		return s.syntax(cmd, "PASS takes a password")
	}
	name := s.user
	s.user = ""
	u, _ := s.findUser(name)
	if strings.Join(cmd.Args, " ") != u.Pass {
		return Reply{Line: ErrCode(CodeAuth, "invalid password")}.note(
			layers.Tell("pop3.pass.wrong", "PASS for %s: wrong password (stays in AUTHORIZATION)", name))
	}
	return s.login(name, "PASS", layers.Phrase{})
}

// login enters the TRANSACTION state for name once its credentials are
// right: the server "acquires an exclusive-access lock on the maildrop"
// (RFC 1939 section 4), or answers "-ERR [IN-USE]" if another session holds
// it (RFC 2449 section 8.1.2).
func (s *Server) login(name, how string, detail layers.Phrase) Reply {
	if err := s.md.Lock(); err != nil {
		return Reply{Line: ErrCode(CodeInUse, "unable to lock maildrop")}.note(
			layers.Tell("pop3.login.inuse", "%s for %s: right credentials, but another session holds the maildrop lock (stays in AUTHORIZATION)", how, name))
	}
	s.authed = name
	s.state = Transaction
	n, octets := s.md.Stat()
	return Reply{Line: OK("maildrop locked and ready")}.note(
		layers.Tell("pop3.login", "%s for %s accepted%v: maildrop locked (%v, %s octets); AUTHORIZATION -> TRANSACTION",
			how, name, detail, messages(n), layers.Thousands(octets)))
}

// parseNumber parses a decimal argument of at least min, without sign.
func parseNumber(a string, min int) (int, bool) {
	n, err := strconv.Atoi(a)
	if err != nil || n < min || a[0] == '+' || a[0] == '-' {
		return 0, false
	}
	return n, true
}

// number parses the one message-number argument of cmd.
func (s *Server) number(cmd Message) (int, *Reply) {
	if len(cmd.Args) != 1 {
		r := s.syntax(cmd, cmd.Keyword+" takes one message number")
		return 0, &r
	}
	a := cmd.Args[0]
	n, ok := parseNumber(a, 1)
	if !ok {
		r := s.syntax(cmd, "invalid message number "+a)
		return 0, &r
	}
	return n, nil
}

// msgErr turns a maildrop error into the reply of RFC 1939's examples. The
// messages keep their numbers while marked deleted (section 5, DELE), so a
// deleted message gets its own error, not the next message.
func (s *Server) msgErr(cmd Message, n int, err error) Reply {
	if errors.Is(err, ErrDeleted) {
		return s.deny(Err(fmt.Sprintf("message %d already deleted", n)),
			layers.Tell("pop3.refused.deleted", "%s refused: message %d is marked deleted", cmd.String(), n))
	}
	text := "no such message"
	if cmd.Keyword == "LIST" || cmd.Keyword == "UIDL" {
		text = fmt.Sprintf("no such message, only %s in maildrop", layers.Plural(s.md.Len(), "message"))
	}
	return s.deny(Err(text),
		layers.Tell("pop3.refused.nomsg", "%s refused: the maildrop has %v", cmd.String(), messages(s.md.Len())))
}

// stat handles STAT (RFC 1939 section 5): "+OK nn mm".
func (s *Server) stat(cmd Message) Reply {
	if len(cmd.Args) != 0 {
		return s.syntax(cmd, "STAT takes no argument")
	}
	n, octets := s.md.Stat()
	return Reply{Line: OK(fmt.Sprintf("%d %d", n, octets))}.note(
		layers.Tell("pop3.stat", "STAT: %v, %s octets (messages marked deleted are not counted)", messages(n), layers.Thousands(octets)))
}

// list handles LIST [msg] (RFC 1939 section 5).
func (s *Server) list(cmd Message) Reply {
	if len(cmd.Args) == 0 {
		var l ScanListing
		for _, m := range s.md.List() {
			if !m.Deleted {
				l = append(l, ScanLine{N: m.N, Size: m.Size})
			}
		}
		n, octets := s.md.Stat()
		return Reply{Line: OK(fmt.Sprintf("%s (%d octets)", layers.Plural(n, "message"), octets)), Body: l}.note(
			layers.Tell("pop3.list", "LIST: a scan listing of %v follows as a multi-line response", messages(len(l))))
	}
	n, bad := s.number(cmd)
	if bad != nil {
		return *bad
	}
	e, err := s.md.Message(n)
	if err != nil {
		return s.msgErr(cmd, n, err)
	}
	return Reply{Line: OK(fmt.Sprintf("%d %d", n, e.Size()))}.note(
		layers.Tell("pop3.list.one", "LIST %d: message %d has %s octets", n, n, layers.Thousands(e.Size())))
}

// retr handles RETR msg (RFC 1939 section 5).
func (s *Server) retr(cmd Message) Reply {
	n, bad := s.number(cmd)
	if bad != nil {
		return *bad
	}
	e, err := s.md.Message(n)
	if err != nil {
		return s.msgErr(cmd, n, err)
	}
	return Reply{Line: OK(fmt.Sprintf("%d octets", e.Size())), Body: e}.note(
		layers.Tell("pop3.retr", "RETR %d: message %d (%s octets) follows as a multi-line response", n, n, layers.Thousands(e.Size())))
}

// dele handles DELE msg (RFC 1939 section 5): the message is only marked.
func (s *Server) dele(cmd Message) Reply {
	n, bad := s.number(cmd)
	if bad != nil {
		return *bad
	}
	if err := s.md.Delete(n); err != nil {
		return s.msgErr(cmd, n, err)
	}
	return Reply{Line: OK(fmt.Sprintf("message %d deleted", n))}.note(
		layers.Tell("pop3.dele", "marked message %d deleted (it is removed only at QUIT)", n))
}

// rset handles RSET (RFC 1939 section 5): every deletion mark is removed.
func (s *Server) rset(cmd Message) Reply {
	if len(cmd.Args) != 0 {
		return s.syntax(cmd, "RSET takes no argument")
	}
	k := s.md.Reset()
	n, octets := s.md.Stat()
	return Reply{Line: OK(fmt.Sprintf("maildrop has %s (%d octets)", layers.Plural(n, "message"), octets))}.note(
		layers.Tell("pop3.rset", "RSET: %v unmarked; nothing will be removed", marks(k)))
}

// quit handles QUIT (RFC 1939 sections 4 and 6). In the TRANSACTION state
// the server enters UPDATE and removes the messages marked deleted.
func (s *Server) quit(cmd Message) Reply {
	if len(cmd.Args) != 0 {
		return s.syntax(cmd, "QUIT takes no argument")
	}
	s.closed = true
	s.endNote = layers.Tell("pop3.end.quit", "connection closed after QUIT")
	if s.state == Authorization {
		s.user = ""
		return Reply{Line: OK(s.Host + " POP3 server signing off"), Close: true}.note(
			layers.Tell("pop3.quit.auth", "QUIT in AUTHORIZATION: no UPDATE state, nothing removed"))
	}
	s.state = Update
	removed := s.md.Commit()
	s.md.Unlock()
	left := s.md.Len()
	what := layers.Tell("pop3.left", "%v left", messages(left))
	if left == 0 {
		what = layers.Tell("pop3.empty", "maildrop empty")
	}
	return Reply{Line: OK(fmt.Sprintf("%s POP3 server signing off (%v)", s.Host, what)), Close: true}.note(
		layers.Tell("pop3.quit", "QUIT: TRANSACTION -> UPDATE: removed %v marked deleted, %v; maildrop unlocked",
			messages(removed), what))
}

// Lost tells the server that the connection dropped without QUIT. The
// session never reaches UPDATE (RFC 1939 section 6), so nothing is removed:
// the deletion marks are dropped and the maildrop unlocked. It returns a
// note for the trace.
func (s *Server) Lost() string { return s.LostNote().En }

// LostNote is Lost with the note as a phrase, which a trace says in its
// reader's language.
func (s *Server) LostNote() layers.Phrase {
	if s.closed {
		return s.endNote
	}
	s.closed = true
	s.user = ""
	s.endNote = layers.Tell("pop3.end.lost", "connection lost earlier: nothing more to undo")
	if s.state != Transaction {
		return layers.Tell("pop3.lost", "connection lost in the %v state: nothing to undo", s.state)
	}
	k := s.md.Reset()
	s.md.Unlock()
	return layers.Tell("pop3.lost.tx", "connection lost in the TRANSACTION state without QUIT: no UPDATE, so nothing is removed (%v dropped); maildrop unlocked",
		marks(k))
}
