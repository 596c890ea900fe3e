package application

import (
	"fmt"
	"strconv"

	"github.com/osisim/osisim/layers/presentation"
)

// Exchange is one command of a client and what came back.
type Exchange struct {
	Command Message
	Reply   Message
	Listing ScanListing          // the body of a LIST without argument
	Mail    *presentation.Result // the decoded body of a RETR
	Err     error                // a body that could not be read
}

// The phases of a Client.
const (
	cWaitGreeting = iota
	cReady
	cWaitReply
	cWaitBody
	cDone
)

// Client is a scripted POP3 client (RFC 1939): it logs in with USER and
// PASS, then sends the commands of its script one at a time, each after the
// reply to the one before, and ends after QUIT. The simulator drives it:
// HandleGreeting, then Next and HandleReply in turn, and for a multi-line
// reply Retrieved (RETR) or Listed (LIST) once the body is decoded.
type Client struct {
	user, pass string
	script     []string
	next       int // index of the next script entry
	phase      int
	sentUser   bool
	sentPass   bool
	quitting   bool // QUIT is due next (script over, or login failed)
	pending    Exchange
	multi      bool
	results    []Exchange
	err        error
}

// NewClient returns a client that logs in as user with pass and then sends
// script, such as "STAT", "LIST", "RETR 1", "DELE 1", "QUIT". If the script
// does not end with QUIT, QUIT is sent after it.
func NewClient(user, pass string, script []string) *Client {
	return &Client{user: user, pass: pass, script: script}
}

// HandleGreeting takes the server's greeting. A "-ERR" greeting ends the
// client.
func (c *Client) HandleGreeting(m Message) {
	if c.phase != cWaitGreeting {
		c.fail(fmt.Errorf("application: a greeting %q out of turn", m.String()))
		return
	}
	if m.IsCommand() || !m.OK {
		c.fail(fmt.Errorf("application: the server's greeting is %q", m.String()))
		return
	}
	c.phase = cReady
}

func (c *Client) fail(err error) {
	if c.err == nil {
		c.err = err
	}
	c.phase = cDone
}

// Next returns the next command to send, whether a multi-line body follows
// a "+OK" reply to it (RETR, LIST without argument), and false if the client
// is waiting for a reply or done.
func (c *Client) Next() (cmd Message, expectMulti bool, ok bool) {
	if c.phase != cReady {
		return Message{}, false, false
	}
	switch {
	case !c.sentUser:
		c.sentUser = true
		cmd = Command("USER", c.user)
	case c.quitting:
		cmd = Command("QUIT")
	case !c.sentPass:
		c.sentPass = true
		cmd = Command("PASS", c.pass)
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
			c.err = fmt.Errorf("application: script line %d %q: %w", c.next, line, err)
			cmd = Command("QUIT")
		}
	}
	if cmd.Keyword == "QUIT" {
		c.quitting = true
	}
	c.multi = expectsBody(cmd)
	c.pending = Exchange{Command: cmd}
	c.phase = cWaitReply
	return cmd, c.multi, true
}

// expectsBody reports whether a "+OK" reply to cmd has a multi-line body
// (RFC 1939 section 5: RETR, and LIST without argument).
func expectsBody(cmd Message) bool {
	switch cmd.Keyword {
	case "RETR":
		return true
	case "LIST":
		return len(cmd.Args) == 0
	}
	return false
}

// HandleReply takes the reply line to the last command. After "-ERR" to
// USER or PASS the client gives up its script and sends QUIT next.
func (c *Client) HandleReply(line Message) {
	if c.phase != cWaitReply {
		c.fail(fmt.Errorf("application: a reply %q out of turn", line.String()))
		return
	}
	c.pending.Reply = line
	switch {
	case line.IsCommand():
		c.fail(fmt.Errorf("application: a command %q where a reply was due", line.String()))
		return
	case c.pending.Command.Keyword == "QUIT":
		c.results = append(c.results, c.pending)
		c.phase = cDone
		return
	case !line.OK && (c.pending.Command.Keyword == "USER" || c.pending.Command.Keyword == "PASS"):
		if c.err == nil {
			c.err = fmt.Errorf("application: %s refused: %s", c.pending.Command.Keyword, line.String())
		}
		c.quitting = true
	case line.OK && c.multi:
		c.phase = cWaitBody
		return
	}
	c.results = append(c.results, c.pending)
	c.phase = cReady
}

// AwaitingBody reports whether the client waits for the body of a
// multi-line reply.
func (c *Client) AwaitingBody() bool { return c.phase == cWaitBody }

// Retrieved takes the decoded mail of the RETR n just answered.
func (c *Client) Retrieved(n int, r presentation.Result) {
	if c.phase != cWaitBody || c.pending.Command.Keyword != "RETR" || c.pending.Command.Args[0] != strconv.Itoa(n) {
		c.fail(fmt.Errorf("application: message %d retrieved but not asked for", n))
		return
	}
	c.pending.Mail = &r
	c.endBody()
}

// Listed takes the un-stuffed body of the LIST just answered.
func (c *Client) Listed(body []byte) {
	if c.phase != cWaitBody || c.pending.Command.Keyword != "LIST" {
		c.fail(fmt.Errorf("application: a scan listing not asked for"))
		return
	}
	c.pending.Listing, c.pending.Err = ParseScanListing(body)
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
