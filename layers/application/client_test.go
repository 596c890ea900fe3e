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
		{"listing not asked for", func(c *Client) { c.HandleGreeting(OK("")); c.Listed(nil) }, "a listing not asked for"},
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

func TestClientLoginPoint(t *testing.T) {
	const greeting = "POP3 server ready <1896.697170952@dbc.mtview.ca.us>"
	tests := []struct {
		name    string
		script  []string
		opts    []ClientOption
		replies []string
		want    []string
		wantErr string
	}{
		{"USER and PASS first", []string{"STAT"}, nil,
			[]string{"+OK", "+OK", "+OK 1 2", "+OK bye"},
			[]string{"USER mrose", "PASS tanstaaf", "STAT", "QUIT"}, ""},
		{"WithAPOP", []string{"STAT"}, []ClientOption{WithAPOP()},
			[]string{"+OK", "+OK 1 2", "+OK bye"},
			[]string{"APOP mrose c4c9334bac560ecc979e58001b3e22fb", "STAT", "QUIT"}, ""},
		{"the script entry APOP, after CAPA", []string{"CAPA", "apop", "UIDL 1"}, nil,
			[]string{"+OK capability list follows", "+OK", "+OK 1 whqtswO00WBw418f9t5JxYwZ", "+OK bye"},
			[]string{"CAPA", "APOP mrose c4c9334bac560ecc979e58001b3e22fb", "UIDL 1", "QUIT"}, ""},
		{"the script entry USER, after CAPA", []string{"CAPA", "USER", "NOOP"}, []ClientOption{WithAPOP()},
			[]string{"+OK capability list follows", "+OK", "+OK", "+OK", "+OK bye"},
			[]string{"CAPA", "USER mrose", "PASS tanstaaf", "NOOP", "QUIT"}, ""},
		{"a second APOP entry is a command", []string{"APOP", "APOP"}, nil,
			[]string{"+OK", "-ERR APOP is not valid in the TRANSACTION state", "+OK bye"},
			[]string{"APOP mrose c4c9334bac560ecc979e58001b3e22fb", "APOP", "QUIT"}, ""},
		{"APOP refused", []string{"APOP", "STAT"}, nil,
			[]string{"-ERR [AUTH] permission denied", "+OK bye"},
			[]string{"APOP mrose c4c9334bac560ecc979e58001b3e22fb", "QUIT"}, "APOP refused: -ERR [AUTH] permission denied"},
		{"APOP refused: the maildrop is in use", []string{"APOP", "STAT"}, nil,
			[]string{"-ERR [IN-USE] unable to lock maildrop", "+OK bye"},
			[]string{"APOP mrose c4c9334bac560ecc979e58001b3e22fb", "QUIT"}, "APOP refused: -ERR [IN-USE]"},
		{"a USER entry after the login is a command", []string{"USER x"}, nil,
			[]string{"+OK", "+OK", "-ERR USER is not valid in the TRANSACTION state", "+OK bye"},
			[]string{"USER mrose", "PASS tanstaaf", "USER x", "QUIT"}, ""},
		{"a bad line after the login point", []string{"CAPA", "APOP", "RETRIEVE 1"}, nil,
			[]string{"+OK capability list follows", "+OK", "+OK bye"},
			[]string{"CAPA", "APOP mrose c4c9334bac560ecc979e58001b3e22fb", "QUIT"}, `script line 3 "RETRIEVE 1"`},
	}
	for _, tt := range tests {
		c := NewClient("mrose", "tanstaaf", tt.script, tt.opts...)
		c.HandleGreeting(OK(greeting))
		got := script(t, c, tt.replies...)
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s: commands (-want +got):\n%s", tt.name, diff)
		}
		if (tt.wantErr == "") != (c.Err() == nil) || (c.Err() != nil && !strings.Contains(c.Err().Error(), tt.wantErr)) {
			t.Errorf("%s: err %v, want %q", tt.name, c.Err(), tt.wantErr)
		}
		if !c.Done() {
			t.Errorf("%s: not done", tt.name)
		}
	}
}

func TestClientAPOPWithoutTimestamp(t *testing.T) {
	c := NewClient("wang", "secret", []string{"STAT"}, WithAPOP())
	c.HandleGreeting(OK("dewey POP3 server ready"))
	if got := script(t, c, "+OK bye"); got[0] != "QUIT" {
		t.Errorf("commands %q, want QUIT", got)
	}
	if c.Err() == nil || !strings.Contains(c.Err().Error(), "greeting has no timestamp") {
		t.Errorf("err %v", c.Err())
	}
}

func TestClientBodies(t *testing.T) {
	c := NewClient("wang", "secret", []string{"CAPA", "UIDL", "UIDL 2", "LIST 2", "TOP 2 3", "LIST", "RETR 1"})
	c.HandleGreeting(OK("ready"))
	step := func(reply string) (Message, bool) {
		t.Helper()
		cmd, multi, ok := c.Next()
		if !ok {
			t.Fatalf("no command before %q", reply)
		}
		if multi != ExpectsBody(cmd) {
			t.Fatalf("%s: expectMulti %v", cmd, multi)
		}
		m, _ := ParseReply([]byte(reply + "\r\n"))
		c.HandleReply(m)
		return cmd, multi
	}
	step("+OK")
	step("+OK")
	if _, multi := step("+OK capability list follows"); !multi || !c.AwaitingBody() {
		t.Fatal("CAPA: no body expected")
	}
	c.Listed([]byte("TOP\r\nUIDL\r\n"))
	step("+OK")
	c.Listed([]byte("1 abc\r\n2 def\r\n"))
	if _, multi := step("+OK 2 def"); multi || c.AwaitingBody() {
		t.Fatal("UIDL 2: a body expected")
	}
	step("+OK 2 790")
	step("+OK 372 octets: top of message 2, header and the first 3 body lines")
	c.Topped(2, presentation.Result{Subject: "top"})
	step("+OK 2 messages")
	c.Listed([]byte("1 x\r\n")) // not a scan listing
	step("+OK 2048 octets")
	c.Retrieved(1, presentation.Result{Subject: "whole"})
	res := c.Results()
	if len(res) != 9 {
		t.Fatalf("%d results", len(res))
	}
	if diff := cmp.Diff(Capabilities{"TOP", "UIDL"}, res[2].Capabilities); diff != "" {
		t.Errorf("CAPA (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(UIDListing{{1, "abc"}, {2, "def"}}, res[3].UIDs); diff != "" {
		t.Errorf("UIDL (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(UIDListing{{2, "def"}}, res[4].UIDs); diff != "" {
		t.Errorf("UIDL 2 (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(ScanListing{{2, 790}}, res[5].Listing); diff != "" {
		t.Errorf("LIST 2 (-want +got):\n%s", diff)
	}
	if res[6].Mail == nil || res[6].Mail.Subject != "top" || res[8].Mail == nil || res[8].Mail.Subject != "whole" {
		t.Errorf("TOP and RETR: %+v, %+v", res[6].Mail, res[8].Mail)
	}
	if res[7].Err == nil || res[7].Listing != nil {
		t.Errorf("a bad scan listing: %v, %v", res[7].Listing, res[7].Err)
	}
	if c.Err() != nil {
		t.Errorf("err %v", c.Err())
	}
}

func TestClientBodyOutOfTurn(t *testing.T) {
	tests := []struct {
		name   string
		script string
		do     func(c *Client)
		want   string
	}{
		{"TOP answered as RETR", "TOP 1 2", func(c *Client) { c.Retrieved(1, presentation.Result{}) }, "message 1 retrieved but not asked for"},
		{"RETR answered as TOP", "RETR 1", func(c *Client) { c.Topped(1, presentation.Result{}) }, "message 1 topped but not asked for"},
		{"TOP of another message", "TOP 1 2", func(c *Client) { c.Topped(2, presentation.Result{}) }, "message 2 topped but not asked for"},
		{"a listing for RETR", "RETR 1", func(c *Client) { c.Listed(nil) }, "a listing not asked for (the last command was RETR)"},
	}
	for _, tt := range tests {
		c := NewClient("wang", "secret", []string{tt.script})
		c.HandleGreeting(OK("ready"))
		for _, r := range []string{"+OK", "+OK", "+OK follows"} {
			c.Next()
			c.HandleReply(OK(strings.TrimPrefix(r, "+OK ")))
		}
		if !c.AwaitingBody() {
			t.Fatalf("%s: no body awaited", tt.name)
		}
		tt.do(c)
		if !c.Done() || c.Err() == nil || !strings.Contains(c.Err().Error(), tt.want) {
			t.Errorf("%s: done %v, err %v; want an error with %q", tt.name, c.Done(), c.Err(), tt.want)
		}
	}
}
