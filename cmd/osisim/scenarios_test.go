package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/osisim/osisim/scenarios"
)

// TestScenariosList checks that every bundled scenario has a line with its
// title in the language asked for.
func TestScenariosList(t *testing.T) {
	for _, lang := range []string{"en", "zh"} {
		code, out, errOut := run(t, "scenarios", "--lang", lang)
		if code != exitOK {
			t.Fatalf("--lang %s: exit %d, stderr:\n%s", lang, code, errOut)
		}
		lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
		if len(lines) != len(scenarios.Names())+1 {
			t.Errorf("--lang %s: %d lines for %d scenarios and a heading", lang, len(lines), len(scenarios.Names()))
		}
		for _, name := range scenarios.Names() {
			title, _ := scenarios.Title(name)
			want := title.EN
			if lang == "zh" {
				want = title.ZH
			}
			if want == "" || !strings.Contains(out, "  "+name+" ") || !strings.Contains(out, want) {
				t.Errorf("--lang %s: no line for %s with its title %q", lang, name, want)
			}
		}
	}
	_, en, _ := run(t, "scenarios", "--lang", "en")
	_, zh, _ := run(t, "scenarios", "--lang", "zh")
	if !strings.Contains(en, "ping vs telnet: the host is up, but is the service?") || !strings.Contains(zh, "ping 与 telnet：主机在线，服务呢？") {
		t.Error("the ping-vs-telnet line is not in its language")
	}
}

func TestScenariosShow(t *testing.T) {
	code, out, _ := run(t, "scenarios", "show", "rarp")
	want, _ := scenarios.Source("rarp")
	if code != exitOK || out != string(want) {
		t.Errorf("exit %d; show printed %d bytes, the file has %d", code, len(out), len(want))
	}
	code, _, errOut := run(t, "scenarios", "show", "nosuch")
	if code != exitBadInput || !strings.Contains(errOut, `no bundled scenario "nosuch"`) {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
	// What show prints is a valid file that validate accepts.
	file := filepath.Join(t.TempDir(), "mine.yaml")
	if err := os.WriteFile(file, want, 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut = run(t, "validate", file)
	if code != exitOK || out != file+": ok\n" {
		t.Errorf("validate: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}

func TestValidate(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.yaml")
	bad := filepath.Join(dir, "bad.yaml")
	src, _ := scenarios.Source("ping-vs-telnet")
	broken := strings.Replace(string(src), "start: 3s", "start: 3s\n        stop: 1s", 1)
	broken = strings.Replace(broken, `mac: "02:00:00:00:01:01"`, `mac: "02:00:00:00:01:0a"`, 1)
	for _, f := range []struct{ name, text string }{{good, string(src)}, {bad, broken}} {
		if err := os.WriteFile(f.name, []byte(f.text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name    string
		args    []string
		code    int
		out     string
		errLine []string
	}{
		{"a valid file", []string{good}, exitOK, good + ": ok\n", nil},
		{"a bundled name", []string{"traceroute"}, exitOK, "traceroute.yaml: ok\n", nil},
		{"an invalid file", []string{bad}, exitBadInput, "", []string{
			bad + ":32:27: MAC address 02:00:00:00:01:0a is already used by client.eth0",
			bad + ":42:15: the service stops at 1s, before it starts at 3s",
			"osisim: " + bad + " is not a valid scenario",
		}},
		{"good and bad", []string{good, bad, filepath.Join(dir, "none.yaml")}, exitBadInput, good + ": ok\n", []string{
			bad + ":32:27: MAC address 02:00:00:00:01:0a is already used by client.eth0",
			bad + ":42:15: the service stops at 1s, before it starts at 3s",
			filepath.Join(dir, "none.yaml") + ": cannot read the file: no such file or directory",
			"osisim: 2 of 3 files are not valid scenarios",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := run(t, append([]string{"validate"}, tt.args...)...)
			if code != tt.code || out != tt.out {
				t.Errorf("exit %d, stdout %q; want %d, %q", code, out, tt.code, tt.out)
			}
			var got []string
			if errOut != "" {
				got = strings.Split(strings.TrimRight(errOut, "\n"), "\n")
			}
			if diff := cmp.Diff(tt.errLine, got); diff != "" {
				t.Errorf("stderr (-want +got):\n%s", diff)
			}
		})
	}
}
