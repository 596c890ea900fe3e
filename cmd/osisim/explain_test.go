package main

import (
	"strings"
	"testing"
)

// TestViewsGolden keeps the packet list, the follow view, the sequence
// diagram and the explanation of the RETR frame of the default lesson, in
// both languages.
func TestViewsGolden(t *testing.T) {
	var cases []golden
	for _, lang := range []string{"en", "zh"} {
		cases = append(cases,
			golden{"list." + lang, []string{"run", "--format", "list", "--lang", lang}},
			golden{"list-r1.eth1-tcp." + lang, []string{"run", "--format", "list", "--link", "r1.eth1", "--proto", "tcp", "--from", "20ms", "--to", "30ms", "--lang", lang}},
			golden{"follow." + lang, []string{"run", "--format", "follow", "--lang", lang}},
			golden{"mermaid." + lang, []string{"run", "--format", "mermaid", "--lang", lang}},
			golden{"explain-24." + lang, []string{"explain", "24", "--lang", lang}},
			golden{"explain-arp." + lang, []string{"explain", "pop3-retr", "1", "--model", "tcpip4", "--lang", lang}},
		)
	}
	checkGolden(t, cases)
}

// TestExplainFindsRETR: frame 24 of the list is the RETR command, and
// explain says where its octets are.
func TestExplainFindsRETR(t *testing.T) {
	list, _, code := runCLI(t, "run", "--format", "list", "--lang", "en")
	if code != exitOK {
		t.Fatalf("exit %d", code)
	}
	var line string
	for _, l := range strings.Split(list, "\n") {
		if strings.Contains(l, "C: RETR 1") {
			line = l
		}
	}
	if !strings.HasPrefix(strings.TrimSpace(line), "24 ") {
		t.Fatalf("the RETR frame is not frame 24: %q", line)
	}
	out, errOut, code := runCLI(t, "explain", "24", "--lang", "en")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{
		"Frame 24 on client.eth0: sent to sw1",
		"frame octets 54-61 (8 B) = TCP sequence numbers",
		`POP3 command "RETR 1"`,
		"Preamble", "SFD", "FCS",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("explain 24 lacks %q", want)
		}
	}
}

// TestRunFilters checks the filter flags through the command line.
func TestRunFilters(t *testing.T) {
	out, _, code := runCLI(t, "run", "--all", "--node", "r1", "--model", "tcpip4", "--layer", "internet", "--lang", "en")
	if code != exitOK {
		t.Fatalf("exit %d", code)
	}
	lines := 0
	for _, l := range strings.Split(out, "\n") {
		if !strings.HasPrefix(l, "  0.") {
			continue
		}
		lines++
		if !strings.Contains(l, " r1 ") || !strings.Contains(l, "L2 Internet") {
			t.Errorf("--node r1 --layer internet shows %q", l)
		}
	}
	if lines == 0 {
		t.Error("the filter left nothing")
	}
	out, _, code = runCLI(t, "run", "--format", "json", "--proto", "arp", "--to", "5ms")
	if code != exitOK || strings.Contains(out, `"kind":"tcp"`) || !strings.Contains(out, `"kind":"arp"`) {
		t.Errorf("--proto arp in json: exit %d, tcp present %v", code, strings.Contains(out, `"kind":"tcp"`))
	}
}

func TestViewsBadInput(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"run", "--format", "list", "--link", "client.eth9"}, `no link of the scenario ends at "client.eth9"`},
		{[]string{"run", "--format", "list", "--link", "client"}, "want NODE.INTERFACE"},
		{[]string{"run", "--format", "list", "--layer", "2"}, "choose it with --link"},
		{[]string{"run", "--layer", "5", "--model", "tcpip4"}, "no layer 5 in the TCP/IP-4 model"},
		{[]string{"run", "--proto", "http"}, `unknown protocol "http"`},
		{[]string{"run", "--from", "soon"}, `--from "soon"`},
		{[]string{"run", "--from", "40ms", "--to", "10ms"}, "is before --from"},
		{[]string{"explain"}, "accepts between 1 and 2 arg(s)"},
		{[]string{"explain", "x"}, `"x" is not a frame number`},
		{[]string{"explain", "0"}, `"0" is not a frame number`},
		{[]string{"explain", "100000"}, "no frame 100000 on client.eth0"},
		{[]string{"explain", "no-such-lesson", "3"}, `no bundled scenario "no-such-lesson"`},
		{[]string{"explain", "3", "--model", "osi9"}, `unknown model "osi9"`},
	}
	for _, tt := range tests {
		_, errOut, code := runCLI(t, tt.args...)
		if code != exitBadInput {
			t.Errorf("%v: exit %d, want %d", tt.args, code, exitBadInput)
		}
		if !strings.Contains(errOut, tt.want) {
			t.Errorf("%v: stderr %q lacks %q", tt.args, errOut, tt.want)
		}
	}
}
