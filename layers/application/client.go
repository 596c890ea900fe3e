package application

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/osisim/osisim/layers/presentation"
)

// Exchange is one command of a client and what came back.
type Exchange struct {
	Command      Message
	Reply        Message
	Listing      ScanListing          // the scan listing of a LIST (one line for LIST msg)
	UIDs         UIDListing           // the unique-id listing of a UIDL (one line for UIDL msg)
	Capabilities Capabilities         // the body of a CAPA
	Mail         *presentation.Result // the decoded body of a RETR or a TOP
	Err          error                // a body that could not be read
}

// The phases of a Client.
const (
	cWaitGreeting = iota
	cReady
	cWaitReply
	cWaitBody
	cDone
)

// How a Client logs in.
const (
	loginUserPass = iota // USER name, then PASS secret
	loginAPOP            // APOP name digest (RFC 1939 section 7)
)

// A ClientOption configures a Client.
type ClientOption func(*Client)

// WithAPOP makes the client log in with APOP instead of USER and PASS: it
// sends the MD5 digest of the greeting's timestamp and its password, never
// the password itself (RFC 1939 section 7).
func WithAPOP() ClientOption {
	return func(c *Client) { c.login = loginAPOP }
}

// Client is a scripted POP3 client (RFC 1939): it logs in, then sends the
// commands of its script one at a time, each after the reply to the one
// before, and ends after QUIT. The simulator drives it: HandleGreeting, then
// Next and HandleReply in turn, and for a multi-line reply Retrieved (RETR),
// Topped (TOP) or Listed (LIST, UIDL, CAPA) once the body is decoded.
type Client struct {
	user, pass string
	script     []string
	next       int // index of the next script entry
	loginAt    int // the script index before which the client logs in
	login      int // loginUserPass or loginAPOP
	timestamp  string
	phase      int
	sentUser   bool // the login began (USER or APOP sent)
	sentPass   bool // the login is over (PASS or APOP sent)
	inLogin    bool // the command awaiting its reply is part of the login
	marker     int  // the index of the script entry "APOP" or "USER", or -1
	quitting   bool // QUIT is due next (script over, or login failed)
	pending    Exchange
	multi      bool
	results    []Exchange
	err        error
}

// NewClient returns a client that logs in as user with pass and then sends
// script, such as "STAT", "LIST", "RETR 1", "DELE 1", "QUIT". If the script
// does not end with QUIT, QUIT is sent after it.
//
// The client logs in with USER and PASS before its script, or with APOP if
// WithAPOP is given. A script entry that is "APOP" or "USER" alone (in any
// case) instead marks where the client logs in, and how: the entries before
// it are sent in the AUTHORIZATION state (CAPA, for instance).
func NewClient(user, pass string, script []string, opts ...ClientOption) *Client {
	c := &Client{user: user, pass: pass}
	for _, o := range opts {
		o(c)
	}
	at := -1
	for i, line := range script {
		switch w := strings.ToUpper(strings.TrimSpace(line)); {
		case at >= 0:
		case w == "APOP":
			at, c.login = i, loginAPOP
			continue
		case w == "USER":
			at, c.login = i, loginUserPass
			continue
		}
		c.script = append(c.script, line)
	}
	c.loginAt, c.marker = max(at, 0), at
	return c
}

// HandleGreeting takes the server's greeting. A "-ERR" greeting ends the
// client. The greeting's APOP timestamp, if any, is kept for APOP.
func (c *Client) HandleGreeting(m Message) {
	if c.phase != cWaitGreeting {
		c.fail(fmt.Errorf("application: a greeting %q out of turn", m.String()))
		return
	}
	if m.IsCommand() || !m.OK {
		c.fail(fmt.Errorf("application: the server's greeting is %q", m.String()))
		return
	}
	c.timestamp, _ = m.Timestamp()
	c.phase = cReady
}

func (c *Client) fail(err error) {
	if c.err == nil {
		c.err = err
	}
	c.phase = cDone
}

// Next returns the next command to send, whether a multi-line body follows
// a "+OK" reply to it (ExpectsBody), and false if the client is waiting for
// a reply or done.
func (c *Client) Next() (cmd Message, expectMulti bool, ok bool) {
	if c.phase != cReady {
		return Message{}, false, false
	}
	c.inLogin = false
	switch {
	case c.quitting:
		cmd = Command("QUIT")
	case !c.sentPass && c.next == c.loginAt:
		cmd = c.loginCommand()
		c.inLogin = cmd.Keyword != "QUIT"
	case c.next >= len(c.script):
		cmd = Command("QUIT")
	default:
		line := c.script[c.next]
		c.next++
		var err error
		cmd, err = ParseCommand([]byte(line + "\r\n"))
		if err != nil {
			// A script line that is not a command: record it and leave
			// politely.
			c.err = fmt.Errorf("application: script line %d %q: %w", c.scriptLine(c.next-1), line, err)
			cmd = Command("QUIT")
		}
	}
	if cmd.Keyword == "QUIT" {
		c.quitting = true
	}
	c.multi = ExpectsBody(cmd)
	c.pending = Exchange{Command: cmd}
	c.phase = cWaitReply
	return cmd, c.multi, true
}

// scriptLine returns the 1-based number, in the script as given, of the
// entry at index i of c.script.
func (c *Client) scriptLine(i int) int {
	if c.marker >= 0 && i >= c.marker {
		return i + 2
	}
	return i + 1
}

// loginCommand returns the next command of the login: USER then PASS, or
// APOP with the digest of the greeting's timestamp and the password.
func (c *Client) loginCommand() Message {
	if c.login == loginAPOP {
		c.sentUser, c.sentPass = true, true
		if c.timestamp == "" {
			c.err = fmt.Errorf("application: APOP asked for, but the server's greeting has no timestamp")
			return Command("QUIT")
		}
		return Command("APOP", c.user, APOPDigest(c.timestamp, c.pass))
	}
	if !c.sentUser {
		c.sentUser = true
		return Command("USER", c.user)
	}
	c.sentPass = true
	return Command("PASS", c.pass)
}

// ExpectsBody reports whether a "+OK" reply to cmd is followed by a
// multi-line body: RETR and TOP (RFC 1939 sections 5 and 7), LIST and UIDL
// without argument, and CAPA (RFC 2449 section 5).
func ExpectsBody(cmd Message) bool {
	switch cmd.Keyword {
	case "RETR", "TOP", "CAPA":
		return true
	case "LIST", "UIDL":
		return len(cmd.Args) == 0
	}
	return false
}

// HandleReply takes the reply line to the last command. After "-ERR" to
// USER, PASS or APOP the client gives up its script and sends QUIT next.
func (c *Client) HandleReply(line Message) {
	if c.phase != cWaitReply {
		c.fail(fmt.Errorf("application: a reply %q out of turn", line.String()))
		return
	}
	c.pending.Reply = line
	kw := c.pending.Command.Keyword
	switch {
	case line.IsCommand():
		c.fail(fmt.Errorf("application: a command %q where a reply was due", line.String()))
		return
	case kw == "QUIT":
		c.results = append(c.results, c.pending)
		c.phase = cDone
		return
	case !line.OK && c.inLogin:
		if c.err == nil {
			c.err = fmt.Errorf("application: %s refused: %s", kw, line.String())
		}
		c.quitting = true
	case line.OK && c.multi:
		c.phase = cWaitBody
		return
	case line.OK && kw == "LIST" && len(c.pending.Command.Args) == 1:
		if s, err := ParseScanListing([]byte(line.Text + "\r\n")); err == nil {
			c.pending.Listing = s
		}
	case line.OK && kw == "UIDL" && len(c.pending.Command.Args) == 1:
		if u, err := ParseUIDLine([]byte(line.Text)); err == nil {
			c.pending.UIDs = UIDListing{u}
		}
	}
	c.results = append(c.results, c.pending)
	c.phase = cReady
}

// AwaitingBody reports whether the client waits for the body of a
// multi-line reply.
func (c *Client) AwaitingBody() bool { return c.phase == cWaitBody }

// Retrieved takes the decoded mail of the RETR n just answered.
func (c *Client) Retrieved(n int, r presentation.Result) {
	c.mail("RETR", n, r)
}

// Topped takes the decoded header and first lines of the TOP n just
// answered.
func (c *Client) Topped(n int, r presentation.Result) {
	c.mail("TOP", n, r)
}

func (c *Client) mail(kw string, n int, r presentation.Result) {
	cmd := c.pending.Command
	if c.phase != cWaitBody || cmd.Keyword != kw || len(cmd.Args) == 0 || cmd.Args[0] != strconv.Itoa(n) {
		what := "retrieved"
		if kw == "TOP" {
			what = "topped"
		}
		c.fail(fmt.Errorf("application: message %d %s but not asked for", n, what))
		return
	}
	c.pending.Mail = &r
	c.endBody()
}

// Listed takes the un-stuffed body of the LIST, UIDL or CAPA just
// answered, and parses it as a scan listing, a unique-id listing or a
// capability list.
func (c *Client) Listed(body []byte) {
	if c.phase != cWaitBody {
		c.fail(fmt.Errorf("application: a listing not asked for"))
		return
	}
	switch c.pending.Command.Keyword {
	case "LIST":
		c.pending.Listing, c.pending.Err = ParseScanListing(body)
	case "UIDL":
		c.pending.UIDs, c.pending.Err = ParseUIDListing(body)
	case "CAPA":
		c.pending.Capabilities, c.pending.Err = ParseCapabilities(body)
	default:
		c.fail(fmt.Errorf("application: a listing not asked for (the last command was %s)", c.pending.Command.Keyword))
		return
	}
	c.endBody()
}

// BodyFailed records that the body of the reply just answered could not be
// read (it did not decode); the client goes on with its script.
func (c *Client) BodyFailed(err error) {
	if c.phase != cWaitBody {
		c.fail(fmt.Errorf("application: a body failed but none was due: %w", err))
		return
	}
	c.pending.Err = err
	c.endBody()
}

func (c *Client) endBody() {
	c.results = append(c.results, c.pending)
	c.pending = Exchange{}
	c.phase = cReady
}

// Lost tells the client that the connection dropped.
func (c *Client) Lost() {
	if c.phase != cDone {
		c.fail(fmt.Errorf("application: connection lost before QUIT was answered"))
	}
}

// Done reports whether the client has ended: QUIT answered, or a failure.
func (c *Client) Done() bool { return c.phase == cDone }

// Err returns why the client stopped short of its script, or nil.
func (c *Client) Err() error { return c.err }

// Results returns every exchange completed so far, in order.
func (c *Client) Results() []Exchange { return c.results }
