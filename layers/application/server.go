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
// *presentation.Encoded) or a ScanListing. Reader gives a fresh stream of
// its octets each call.
type Body interface {
	Size() int64
	Reader() io.Reader
	Summary() string
}

var (
	_ Body = (*presentation.Encoded)(nil)
	_ Body = ScanListing(nil)
)

// Reply is the server's answer to one command.
type Reply struct {
	Line  Message
	Body  Body   // nil, or the body of a multi-line reply, to send after Line
	Close bool   // the server closes the connection after this reply
	Note  string // what the server did, in plain English, for the trace
}

// Server is a POP3 server's session with one client (RFC 1939): a state
// machine that takes parsed commands and returns replies.
type Server struct {
	// Host names the server in its sign-off ("+OK dewey POP3 server
	// signing off"); it is "dewey" (RFC 1939's examples) unless set.
	Host string

	md       *Maildrop
	users    []User
	greeting string
	state    State
	user     string // the mailbox named by USER, waiting for PASS
	authed   string // the logged-in user
	closed   bool
}

// NewServer returns a server in the AUTHORIZATION state, serving md to
// users, that greets with "+OK " and greeting.
func NewServer(md *Maildrop, users []User, greeting string) *Server {
	return &Server{Host: "dewey", md: md, users: users, greeting: greeting, state: Authorization}
}

// State returns the server's state.
func (s *Server) State() State { return s.state }

// User returns the logged-in user, or "".
func (s *Server) User() string { return s.authed }

// Greeting returns the greeting the server sends once the connection is
// open (RFC 1939 section 4).
func (s *Server) Greeting() Reply {
	return Reply{Line: OK(s.greeting),
		Note: "greeting sent: the session starts in the AUTHORIZATION state"}
}

// Handle answers one command. Commands are checked against the state (RFC
// 1939 sections 4 to 6); a command that does not exist or is not valid in
// the state gets "-ERR".
func (s *Server) Handle(cmd Message) Reply {
	if s.closed {
		return Reply{Line: Err("session is over"), Close: true, Note: cmd.Keyword + " after the session ended"}
	}
	switch s.state {
	case Authorization:
		switch cmd.Keyword {
		case "USER":
			return s.userCmd(cmd)
		case "PASS":
			return s.pass(cmd)
		case "QUIT":
			return s.quit()
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
			return Reply{Line: OK(""), Note: "NOOP: nothing to do"}
		case "RSET":
			return s.rset(cmd)
		case "QUIT":
			return s.quit()
		}
	}
	switch cmd.Keyword {
	case "USER", "PASS", "QUIT", "STAT", "LIST", "RETR", "DELE", "NOOP", "RSET":
		return Reply{Line: Err(cmd.Keyword + " is not valid in the " + s.state.String() + " state"),
			Note: fmt.Sprintf("%s refused: not valid in the %v state", cmd.Keyword, s.state)}
	}
	return Reply{Line: Err("unknown command"), Note: fmt.Sprintf("%q is not a POP3 command this server knows", cmd.Keyword)}
}

func (s *Server) syntax(cmd Message, why string) Reply {
	return Reply{Line: Err(why), Note: fmt.Sprintf("%s refused: %s", cmd.String(), why)}
}

func (s *Server) findUser(name string) (User, bool) {
	for _, u := range s.users {
		if u.Name == name {
			return u, true
		}
	}
	return User{}, false
}

// userCmd handles USER name (RFC 1939 section 7).
func (s *Server) userCmd(cmd Message) Reply {
	if len(cmd.Args) != 1 {
		return s.syntax(cmd, "USER takes one mailbox name")
	}
	name := cmd.Args[0]
	s.user = ""
	if _, ok := s.findUser(name); !ok {
		return Reply{Line: Err("never heard of mailbox " + name),
			Note: fmt.Sprintf("USER %s: no such mailbox (stays in AUTHORIZATION)", name)}
	}
	s.user = name
	return Reply{Line: OK(name + " is a valid mailbox"),
		Note: fmt.Sprintf("USER %s: a known mailbox; waiting for PASS", name)}
}

// pass handles PASS string (RFC 1939 section 7). The password is the rest of
// the line: "a POP3 server may treat spaces in the argument as part of the
// password".
func (s *Server) pass(cmd Message) Reply {
	if s.user == "" {
		return Reply{Line: Err("USER first"), Note: "PASS refused: no USER before it"}
	}
	if len(cmd.Args) == 0 {
		return s.syntax(cmd, "PASS takes a password")
	}
	name := s.user
	s.user = ""
	u, _ := s.findUser(name)
	if strings.Join(cmd.Args, " ") != u.Pass {
		return Reply{Line: Err("invalid password"),
			Note: fmt.Sprintf("PASS for %s: wrong password (stays in AUTHORIZATION)", name)}
	}
	if err := s.md.Lock(); err != nil {
		return Reply{Line: Err("unable to lock maildrop"),
			Note: fmt.Sprintf("PASS for %s: right password, but another session holds the maildrop lock", name)}
	}
	s.authed = name
	s.state = Transaction
	n, octets := s.md.Stat()
	return Reply{Line: OK("maildrop locked and ready"),
		Note: fmt.Sprintf("PASS for %s accepted: maildrop locked (%s, %s octets); AUTHORIZATION -> TRANSACTION",
			name, plural(n, "message"), layers.Thousands(octets))}
}

// number parses the one message-number argument of cmd.
func (s *Server) number(cmd Message) (int, *Reply) {
	if len(cmd.Args) != 1 {
		r := s.syntax(cmd, cmd.Keyword+" takes one message number")
		return 0, &r
	}
	a := cmd.Args[0]
	n, err := strconv.Atoi(a)
	if err != nil || n < 1 || a[0] == '+' {
		r := s.syntax(cmd, "invalid message number "+a)
		return 0, &r
	}
	return n, nil
}

// msgErr turns a maildrop error into the reply of RFC 1939's examples.
func (s *Server) msgErr(cmd Message, n int, err error) Reply {
	if errors.Is(err, ErrDeleted) {
		return Reply{Line: Err(fmt.Sprintf("message %d already deleted", n)),
			Note: fmt.Sprintf("%s refused: message %d is marked deleted", cmd.String(), n)}
	}
	text := "no such message"
	if cmd.Keyword == "LIST" {
		text = fmt.Sprintf("no such message, only %s in maildrop", plural(s.md.Len(), "message"))
	}
	return Reply{Line: Err(text),
		Note: fmt.Sprintf("%s refused: the maildrop has %s", cmd.String(), plural(s.md.Len(), "message"))}
}

// stat handles STAT (RFC 1939 section 5): "+OK nn mm".
func (s *Server) stat(cmd Message) Reply {
	if len(cmd.Args) != 0 {
		return s.syntax(cmd, "STAT takes no argument")
	}
	n, octets := s.md.Stat()
	return Reply{Line: OK(fmt.Sprintf("%d %d", n, octets)),
		Note: fmt.Sprintf("STAT: %s, %s octets (messages marked deleted are not counted)", plural(n, "message"), layers.Thousands(octets))}
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
		return Reply{Line: OK(fmt.Sprintf("%s (%d octets)", plural(n, "message"), octets)), Body: l,
			Note: fmt.Sprintf("LIST: a scan listing of %s follows as a multi-line response", plural(len(l), "message"))}
	}
	n, bad := s.number(cmd)
	if bad != nil {
		return *bad
	}
	e, err := s.md.Message(n)
	if err != nil {
		return s.msgErr(cmd, n, err)
	}
	return Reply{Line: OK(fmt.Sprintf("%d %d", n, e.Size())),
		Note: fmt.Sprintf("LIST %d: message %d has %s octets", n, n, layers.Thousands(e.Size()))}
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
	return Reply{Line: OK(fmt.Sprintf("%d octets", e.Size())), Body: e,
		Note: fmt.Sprintf("RETR %d: message %d (%s octets) follows as a multi-line response", n, n, layers.Thousands(e.Size()))}
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
	return Reply{Line: OK(fmt.Sprintf("message %d deleted", n)),
		Note: fmt.Sprintf("marked message %d deleted (it is removed only at QUIT)", n)}
}

// rset handles RSET (RFC 1939 section 5): every deletion mark is removed.
func (s *Server) rset(cmd Message) Reply {
	if len(cmd.Args) != 0 {
		return s.syntax(cmd, "RSET takes no argument")
	}
	k := s.md.Reset()
	n, octets := s.md.Stat()
	return Reply{Line: OK(fmt.Sprintf("maildrop has %s (%d octets)", plural(n, "message"), octets)),
		Note: fmt.Sprintf("RSET: %s unmarked; nothing will be removed", plural(k, "deletion mark"))}
}

// quit handles QUIT (RFC 1939 sections 4 and 6). In the TRANSACTION state
// the server enters UPDATE and removes the messages marked deleted.
func (s *Server) quit() Reply {
	s.closed = true
	if s.state == Authorization {
		s.user = ""
		return Reply{Line: OK(s.Host + " POP3 server signing off"), Close: true,
			Note: "QUIT in AUTHORIZATION: no UPDATE state, nothing removed"}
	}
	s.state = Update
	removed := s.md.Commit()
	s.md.Unlock()
	left := s.md.Len()
	what := plural(left, "message") + " left"
	if left == 0 {
		what = "maildrop empty"
	}
	return Reply{Line: OK(fmt.Sprintf("%s POP3 server signing off (%s)", s.Host, what)), Close: true,
		Note: fmt.Sprintf("QUIT: TRANSACTION -> UPDATE: removed %s marked deleted, %s; maildrop unlocked",
			plural(removed, "message"), what)}
}

// Lost tells the server that the connection dropped without QUIT. The
// session never reaches UPDATE (RFC 1939 section 6), so nothing is removed:
// the deletion marks are dropped and the maildrop unlocked. It returns a
// note for the trace.
func (s *Server) Lost() string {
	if s.closed {
		return "connection closed after QUIT"
	}
	s.closed = true
	s.user = ""
	if s.state != Transaction {
		return fmt.Sprintf("connection lost in the %v state: nothing to undo", s.state)
	}
	k := s.md.Reset()
	s.md.Unlock()
	return fmt.Sprintf("connection lost in the TRANSACTION state without QUIT: no UPDATE, so nothing is removed (%s dropped); maildrop unlocked",
		plural(k, "deletion mark"))
}

// plural returns "1 message", "2 messages".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}
