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
	} {
		code, _, errOut := run(t, tt.args...)
		if code != 2 && code != 1 || !strings.Contains(errOut, tt.want) {
			t.Errorf("%v: exit %d, stderr %q; want an error saying %q", tt.args, code, errOut, tt.want)
		}
	}
}
