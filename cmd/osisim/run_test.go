package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// run executes the CLI in memory and returns the exit code and outputs.
func run(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := execute(args, strings.NewReader(""), &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestRunDefault(t *testing.T) {
	code, out, errOut := run(t, "run")
	if code != exitOK {
		t.Fatalf("exit %d, stderr:\n%s", code, errOut)
	}
	for _, want := range []string{
		"osisim  pop3-retr  seed 1  model OSI-7",
		"client 10.0.1.10 --- sw1 --- r1 --- server 10.0.2.110",
		"1. client opens a TCP connection to 10.0.2.110 port 110",
		"RETR 1: the whole walk, every layer",
		"L1 Physical", "L2 Data link", "L3 Network", "L4 Transport", "L5 Session", "L6 Presentation", "L7 Application",
		"message 1 retrieved intact by client: ok",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
}

func TestRunAllIsLonger(t *testing.T) {
	_, story, _ := run(t, "run")
	code, all, _ := run(t, "run", "--all")
	if code != exitOK {
		t.Fatalf("exit %d", code)
	}
	if strings.Count(all, "\n") <= 2*strings.Count(story, "\n") {
		t.Errorf("--all printed %d lines, the story %d: --all should show far more", strings.Count(all, "\n"), strings.Count(story, "\n"))
	}
	if strings.Contains(all, "--all shows them") {
		t.Error("--all still summarises hidden events")
	}
}

func TestRunModels(t *testing.T) {
	code, out, _ := run(t, "run", "--model", "tcpip4")
	if code != exitOK {
		t.Fatalf("exit %d", code)
	}
	if !strings.Contains(out, "L1 Network access") || !strings.Contains(out, "L4 Application") || strings.Contains(out, "L7 Application") {
		t.Error("--model tcpip4 does not relabel the layers")
	}
	code, out, _ = run(t, "run", "--lang", "zh")
	if code != exitOK || !strings.Contains(out, "L3 网络层") {
		t.Errorf("--lang zh: exit %d, no Chinese layer names", code)
	}
}

func TestRunJSONToFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "trace.jsonl")
	code, out, errOut := run(t, "run", "--format", "json", "-o", path, "--seed", "3")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if out != "" {
		t.Errorf("with -o nothing goes to standard output, got %q", out[:min(len(out), 80)])
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(lines) < 100 || !strings.HasPrefix(lines[0], `{"v":1,"seq":1,`) {
		t.Errorf("%d lines, first %q", len(lines), lines[0])
	}
}

func TestRunBadInput(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	if err := os.WriteFile(bad, []byte("name: x\nnodes:\n  - name: a\n    kind: toaster\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"run", "--format", "xml"}, `unknown format "xml"`},
		{[]string{"run", "--model", "osi9"}, `unknown model "osi9"`},
		{[]string{"run", "--lang", "fr"}, `unknown language "fr"`},
		{[]string{"run", "no-such-lesson"}, `no bundled scenario "no-such-lesson"`},
		{[]string{"run", "--seed", "abc"}, `invalid argument "abc"`},
		{[]string{"run", bad}, `bad.yaml:4:11: node "a" has kind "toaster"`},
		{[]string{"run", "a", "b"}, "accepts at most 1 arg"},
	}
	for _, tt := range tests {
		code, _, errOut := run(t, tt.args...)
		if code != exitBadInput {
			t.Errorf("%v: exit %d, want %d", tt.args, code, exitBadInput)
		}
		if !strings.Contains(errOut, tt.want) {
			t.Errorf("%v: stderr %q lacks %q", tt.args, errOut, tt.want)
		}
	}
}

func TestVersion(t *testing.T) {
	code, out, _ := run(t, "version")
	if code != exitOK || !strings.HasPrefix(out, "osisim ") {
		t.Errorf("exit %d, %q", code, out)
	}
}

// TestRunFailedExpectation: a scenario whose expectation is not met exits 1.
func TestRunFailedExpectation(t *testing.T) {
	src, err := os.ReadFile("../../scenarios/library/pop3-retr.yaml")
	if err != nil {
		t.Fatal(err)
	}
	s := strings.Replace(string(src), "retrieved: {node: client, message: 1}", "retrieved: {node: client, message: 2}", 1)
	if s == string(src) {
		t.Fatal("the default scenario no longer has the expectation this test edits")
	}
	path := filepath.Join(t.TempDir(), "lesson.yaml")
	if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := run(t, "run", path)
	if code != exitFailed {
		t.Fatalf("exit %d, want %d; stderr: %s", code, exitFailed, errOut)
	}
	if !strings.Contains(errOut, "message 2 retrieved intact by client: never received") {
		t.Errorf("stderr %q does not say which expectation failed", errOut)
	}
}
