package main

import (
	"strings"
	"testing"
)

func TestRunProfileFlags(t *testing.T) {
	code, out, errOut := run(t, "run", "--profile", "osi", "--compress", "--all")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"osi profile: the TCP payload carries session and presentation headers",
		"(16 B session header)", "DEFLATE (RFC 1951) compressed: 2,051 B before", "retrieved intact"} {
		if !strings.Contains(out, want) {
			t.Errorf("the trace does not say %q", want)
		}
	}
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"run", "--profile", "iso"}, `unknown profile "iso": want internet or osi`},
		{[]string{"run", "--compress"}, "--compress needs --profile osi"},
		{[]string{"run", "pop3-tls", "--profile", "osi"}, "scenario pop3-tls uses TLS, which runs in the internet profile only"},
		{[]string{"explain", "pop3s", "3", "--profile", "osi"}, "scenario pop3s uses TLS, which runs in the internet profile only"},
	} {
		code, _, errOut := run(t, tt.args...)
		if code != 2 && code != 1 || !strings.Contains(errOut, tt.want) {
			t.Errorf("%v: exit %d, stderr %q; want an error saying %q", tt.args, code, errOut, tt.want)
		}
	}
}

// TestExplainProfile explains a frame of the osi profile: its session and
// presentation headers, then the overhead beside the Internet profile's; in
// the Internet profile explain prints no comparison.
func TestExplainProfile(t *testing.T) {
	code, out, errOut := run(t, "explain", "12", "--profile", "osi")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"(16 B session header)", "The same run in the Internet and the osi profile",
		"internet profile", "osi profile", "more octets on the wire"} {
		if !strings.Contains(out, want) {
			t.Errorf("explain --profile osi does not say %q:\n%s", want, out)
		}
	}
	code, out, errOut = run(t, "explain", "12", "--profile", "osi", "--compress", "--lang", "zh")
	if code != 0 || !strings.Contains(out, "同一次运行在 Internet 规范和 osi 规范下的开销") {
		t.Errorf("explain --compress --lang zh: exit %d, stderr %q, no comparison in Chinese:\n%s", code, errOut, out)
	}
	code, out, _ = run(t, "explain", "12")
	if code != 0 || strings.Contains(out, "The same run in the Internet and the osi profile") {
		t.Errorf("explain in the Internet profile: exit %d, and it compares profiles:\n%s", code, out)
	}
}
