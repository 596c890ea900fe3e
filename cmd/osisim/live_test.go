package main

import (
	"bytes"
	"strings"
	"testing"
)

// TestLiveUsage checks what osisim live says, before it touches any
// device, when its arguments are wrong: every case exits 2 with a message
// that names the problem. The network tests are in
// scenarios/live_test.go.
func TestLiveUsage(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"no role", []string{"live"}, []string{"accepts 1 arg(s), received 0"}},
		{"unknown role", []string{"live", "relay"}, []string{`unknown role "relay": want serve or fetch`}},
		{"bad address", []string{"live", "serve", "--addr", "10.99.0.2"}, []string{`--addr "10.99.0.2": want an IPv4 address with its prefix length`}},
		{"bad kernel address", []string{"live", "serve", "--kernel-addr", "fe80::1/64"}, []string{`--kernel-addr "fe80::1/64"`}},
		{"binary format without file", []string{"live", "serve", "-f", "pcapng"}, []string{"the pcapng format is binary: name the capture file with -o FILE"}},
		{"unknown format", []string{"live", "serve", "-f", "html"}, []string{`unknown format "html": want text, json, pcapng or pcap`}},
		{"loss above 1", []string{"live", "serve", "--loss", "1.5"}, []string{"the fault flags: loss probability 1.5 is outside [0, 1]"}},
		{"bad mac", []string{"live", "serve", "--mac", "02:00"}, []string{"--mac:"}},
		{"bad rate", []string{"live", "serve", "--rate", "fast"}, []string{"--rate:"}},
		{"bad peer", []string{"live", "fetch", "--peer", "mail"}, []string{`--peer "mail": want the IPv4 address of the real POP3 server`}},
		{"no scenario", []string{"live", "serve", "--scenario", "no-such-lesson"}, []string{`no bundled scenario "no-such-lesson"`}},
		{"bad message size", []string{"live", "serve", "--message-size", "big"}, []string{`--message-size "big"`}},
		// These are told before the TAP is opened: the missing clone
		// device must not be what the user hears about.
		{"unknown model", []string{"live", "serve", "--model", "osi9", "--tun", "/nonexistent/net/tun"}, []string{`unknown model "osi9"`}},
		{"unknown language", []string{"live", "serve", "--lang", "fr", "--tun", "/nonexistent/net/tun"}, []string{`unknown language "fr"`}},
		{"bad fault rule", []string{"live", "serve", "--fault", "drop nothing", "--tun", "/nonexistent/net/tun"},
			[]string{`--fault: rule "drop nothing", column 6: unknown filter "nothing"`, "(the nodes are kernel and osisim)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := execute(tt.args, strings.NewReader(""), &out, &errOut)
			if code != exitBadInput {
				t.Fatalf("exit status %d, want %d\nstderr: %s", code, exitBadInput, errOut.String())
			}
			for _, w := range tt.want {
				if !strings.Contains(errOut.String(), w) {
					t.Errorf("stderr lacks %q:\n%s", w, errOut.String())
				}
			}
		})
	}
}

// TestLiveNoTUN checks the error when the TUN/TAP clone device is missing:
// it says what is missing and how to get it, and exits 2. The test for a
// missing capability runs as an unprivileged user in
// scenarios/live_test.go.
func TestLiveNoTUN(t *testing.T) {
	var out, errOut bytes.Buffer
	code := execute([]string{"live", "serve", "--tun", "/nonexistent/net/tun"}, strings.NewReader(""), &out, &errOut)
	if code != exitBadInput {
		t.Fatalf("exit status %d, want %d\nstderr: %s", code, exitBadInput, errOut.String())
	}
	want := `osisim: cannot open the TAP interface: open /nonexistent/net/tun: no such file or directory
  missing: the TUN/TAP clone device /nonexistent/net/tun (the kernel's tun driver)
  to run it: load the driver (sudo modprobe tun); in a container, pass the device and the capability: docker run --device /dev/net/tun --cap-add NET_ADMIN ...
`
	if got := errOut.String(); got != want {
		t.Errorf("stderr:\n%s\nwant:\n%s", got, want)
	}
}
