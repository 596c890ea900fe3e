package application

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/osisim/osisim/layers/presentation"
)

// script plays a client against canned replies: each Next is answered with
// the next reply line; it returns the commands sent, as lines.
func script(t *testing.T, c *Client, replies ...string) []string {
	t.Helper()
	var sent []string
	for _, r := range replies {
		cmd, multi, ok := c.Next()
		if !ok {
			t.Fatalf("the client stopped after %q, with replies left", sent)
		}
		sent = append(sent, cmd.String())
		m, err := ParseReply([]byte(r + "\r\n"))
		if err != nil {
			t.Fatal(err)
		}
		c.HandleReply(m)
		if multi && m.OK != c.AwaitingBody() {
			t.Fatalf("%s answered %q: awaiting a body %v", cmd, r, c.AwaitingBody())
		}
		if c.AwaitingBody() {
			if cmd.Keyword == "LIST" {
				c.Listed([]byte("1 10\r\n"))
			} else {
				c.BodyFailed(errors.New("test body"))
			}
		}
	}
	if _, _, ok := c.Next(); ok {
		t.Fatalf("the client wants to send more after %q", sent)
	}
	return sent
}

func TestClientScript(t *testing.T) {
	c := NewClient("wang", "secret", []string{"stat", "LIST", "retr 9", "RETR 1", "QUIT"})
	if _, _, ok := c.Next(); ok {
		t.Fatal("the client speaks before the greeting")
	}
	c.HandleGreeting(OK("dewey POP3 server ready"))
	sent := script(t, c, "+OK", "+OK", "+OK 2 2838", "+OK 1 message", "-ERR no such message", "+OK 10 octets", "+OK bye")
	want := []string{"USER wang", "PASS secret", "STAT", "LIST", "RETR 9", "RETR 1", "QUIT"}
	if diff := cmp.Diff(want, sent); diff != "" {
		t.Errorf("commands (-want +got):\n%s", diff)
	}
	if !c.Done() || c.Err() != nil {
		t.Errorf("done %v, err %v", c.Done(), c.Err())
	}
	res := c.Results()
	if len(res) != 7 || res[3].Listing[0] != (ScanLine{1, 10}) || res[4].Reply.OK || res[5].Err == nil {
		t.Errorf("results %+v", res)
	}
}

func TestClientAddsQuit(t *testing.T) {
	c := NewClient("wang", "secret", []string{"NOOP"})
	c.HandleGreeting(OK("ready"))
	if got := script(t, c, "+OK", "+OK", "+OK", "+OK bye"); got[3] != "QUIT" {
		t.Errorf("commands %q, want QUIT last", got)
	}
}

func TestClientStopsOnLoginError(t *testing.T) {
	for _, tt := range []struct {
		replies []string
		want    []string
	}{
		{[]string{"+OK", "-ERR invalid password", "+OK bye"}, []string{"USER wang", "PASS wrong", "QUIT"}},
		{[]string{"-ERR never heard of mailbox wang", "+OK bye"}, []string{"USER wang", "QUIT"}},
	} {
		c := NewClient("wang", "wrong", []string{"STAT", "RETR 1", "DELE 1", "QUIT"})
		c.HandleGreeting(OK("ready"))
		got := script(t, c, tt.replies...)
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("commands (-want +got):\n%s", diff)
		}
		if c.Err() == nil || !strings.Contains(c.Err().Error(), "refused: -ERR") || !c.Done() {
			t.Errorf("err %v, done %v", c.Err(), c.Done())
		}
	}
}

func TestClientBadScriptLine(t *testing.T) {
	c := NewClient("wang", "secret", []string{"RETRIEVE 1", "DELE 1"})
	c.HandleGreeting(OK("ready"))
	got := script(t, c, "+OK", "+OK", "+OK bye")
	if diff := cmp.Diff([]string{"USER wang", "PASS secret", "QUIT"}, got); diff != "" {
		t.Errorf("commands (-want +got):\n%s", diff)
	}
	if c.Err() == nil || !strings.Contains(c.Err().Error(), `script line 1 "RETRIEVE 1"`) {
		t.Errorf("err %v", c.Err())
	}
}

func TestClientOutOfTurn(t *testing.T) {
	tests := []struct {
		name string
		do   func(c *Client)
		want string
	}{
		{"-ERR greeting", func(c *Client) { c.HandleGreeting(Err("busy")) }, `greeting is "-ERR busy"`},
		{"reply before a command", func(c *Client) { c.HandleGreeting(OK("")); c.HandleReply(OK("")) }, "out of turn"},
		{"two greetings", func(c *Client) { c.HandleGreeting(OK("")); c.HandleGreeting(OK("")) }, "greeting \"+OK\" out of turn"},
		{"a command as reply", func(c *Client) { c.HandleGreeting(OK("")); c.Next(); c.HandleReply(Command("STAT")) }, "where a reply was due"},
		{"mail not asked for", func(c *Client) { c.HandleGreeting(OK("")); c.Retrieved(1, presentation.Result{}) }, "message 1 retrieved but not asked for"},
		{"listing not asked for", func(c *Client) { c.HandleGreeting(OK("")); c.Listed(nil) }, "scan listing not asked for"},
		{"body failed not due", func(c *Client) { c.BodyFailed(errors.New("x")) }, "none was due"},
		{"lost", func(c *Client) { c.HandleGreeting(OK("")); c.Lost() }, "connection lost before QUIT"},
	}
	for _, tt := range tests {
		c := NewClient("wang", "secret", nil)
		tt.do(c)
		if !c.Done() || c.Err() == nil || !strings.Contains(c.Err().Error(), tt.want) {
			t.Errorf("%s: done %v, err %v; want an error with %q", tt.name, c.Done(), c.Err(), tt.want)
		}
	}
}
