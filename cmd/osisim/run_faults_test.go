package main

import (
	"strings"
	"testing"
)

// TestRunFaultFlags checks the flags that impair the unreliable link, add
// fault rules and change the message size, and their errors (exit 2).
func TestRunFaultFlags(t *testing.T) {
	tests := []struct {
		args []string
		code int
		want string // in the output or the error stream
	}{
		{[]string{"run", "--loss", "0.05", "--reorder", "0.1", "--dup", "0.01", "--ber", "1e-6"}, exitOK, "link r1->server:"},
		{[]string{"run", "--fault", "drop tcp-data#2 on r1->server"}, exitOK, `rule "drop tcp-data#2 on r1->server" acted at`},
		{[]string{"run", "--fault", "drop tcp-data#2 on r1->server", "--fault", "dup tcp-syn#1 on client->sw1"}, exitOK, `rule "dup tcp-syn#1 on client->sw1" acted at`},
		{[]string{"run", "--message-size", "64kB"}, exitOK, "retrieval by client: message 1, 89,"},
		{[]string{"run", "pop3-retr-lossy"}, exitOK, "fast retransmit"},
		{[]string{"run", "--loss", "1.5"}, exitBadInput, "--loss 1.5: a probability is between 0 and 1"},
		{[]string{"run", "--reorder", "-0.1"}, exitBadInput, "--reorder -0.1: a probability is between 0 and 1"},
		{[]string{"run", "--ber", "1"}, exitBadInput, "--ber 1: a bit error rate is at least 0 and below 1"},
		{[]string{"run", "--loss", "5%"}, exitBadInput, `invalid argument "5%"`},
		{[]string{"run", "--fault", "drop tcp-dta#2 on r1->server"}, exitBadInput, `column 6: unknown filter "tcp-dta"`},
		{[]string{"run", "--fault", "drop tcp#2 on client->server"}, exitBadInput, "no link joins client and server directly (client is linked to sw1)"},
		{[]string{"run", "--fault", "drop tcp#2 on r1->mars"}, exitBadInput, `there is no node "mars"`},
		{[]string{"run", "--message-size", "0"}, exitBadInput, `--message-size "0": want a positive size`},
		{[]string{"run", "--message-size", "ten"}, exitBadInput, `--message-size "ten": want a positive size`},
	}
	for _, tt := range tests {
		code, out, errOut := run(t, tt.args...)
		if code != tt.code {
			t.Errorf("%q: exit %d, want %d; stderr:\n%s", tt.args, code, tt.code, errOut)
			continue
		}
		if !strings.Contains(out+errOut, tt.want) {
			t.Errorf("%q: the output lacks %q; stderr:\n%s\nend of stdout:\n%s", tt.args, tt.want, errOut, tail(out, 12))
		}
	}
}

// TestRunTotalLoss: with every frame lost on the unreliable link the run
// fails its expectations (exit 1), the maildrop keeps its messages, and
// the run ends.
func TestRunTotalLoss(t *testing.T) {
	code, out, errOut := run(t, "run", "--loss", "1")
	if code != exitFailed {
		t.Fatalf("exit %d, want %d; stderr:\n%s", code, exitFailed, errOut)
	}
	for _, want := range []string{"message 1 retrieved intact by client: FAILED", "message 1 is still there", "link-loss"} {
		if !strings.Contains(out+errOut, want) {
			t.Errorf("the output lacks %q:\n%s\n%s", want, tail(out, 12), errOut)
		}
	}
}

func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
