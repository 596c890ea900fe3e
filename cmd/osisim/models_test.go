package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/osisim/osisim/layers"
	"github.com/osisim/osisim/sim"
)

// The -update flag rewrites the golden files. Another test file of the
// package may define it too; whichever comes first defines it.
func init() {
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite the golden files under testdata/")
	}
}

func updating() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// runCLI runs the command line args through execute with in-memory
// streams and returns what it wrote and its exit code.
func runCLI(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = execute(args, strings.NewReader(""), &out, &errOut)
	return out.String(), errOut.String(), code
}

// golden is one command line whose output is kept in testdata/NAME.golden.
type golden struct {
	name string
	args []string
}

// checkGolden runs each command line and compares its output with its
// golden file, or rewrites the file with -update.
func checkGolden(t *testing.T, cases []golden) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out, errOut, code := runCLI(t, tc.args...)
			if code != exitOK {
				t.Fatalf("osisim %s: exit %d, stderr %q", strings.Join(tc.args, " "), code, errOut)
			}
			if strings.Contains(out, "{!") {
				t.Errorf("output uses a message the catalog lacks:\n%s", out)
			}
			path := filepath.Join("testdata", tc.name+".golden")
			if updating() {
				if err := os.MkdirAll("testdata", 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, []byte(out), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if diff := cmp.Diff(string(want), out); diff != "" {
				t.Errorf("osisim %s (-want +got):\n%s", strings.Join(tc.args, " "), diff)
			}
		})
	}
}

func TestModelsGolden(t *testing.T) {
	checkGolden(t, []golden{
		{"models.en", []string{"models", "--lang", "en"}},
		{"models.zh", []string{"models", "--lang", "zh"}},
	})
}

// TestModelTable checks the shape of the side-by-side table: every line is
// as wide as the others, each OSI layer has a row, and a layer of a TCP/IP
// model that takes several OSI layers is named once.
func TestModelTable(t *testing.T) {
	for _, lang := range []layers.Lang{layers.EN, layers.ZH} {
		table := modelTable(lang)
		lines := strings.Split(strings.TrimSuffix(table, "\n"), "\n")
		if want := 3 + 2*len(layers.All); len(lines) != want {
			t.Errorf("%s: %d lines, want %d:\n%s", lang, len(lines), want, table)
		}
		for i, l := range lines {
			if sim.DisplayWidth(l) != sim.DisplayWidth(lines[0]) {
				t.Errorf("%s: line %d is %d columns wide, line 0 %d:\n%s", lang, i, sim.DisplayWidth(l), sim.DisplayWidth(lines[0]), table)
			}
		}
		for _, l := range layers.All {
			if !strings.Contains(table, "| "+string(rune('0'+l))+" "+l.Name(lang)+" ") {
				t.Errorf("%s: no row for %v:\n%s", lang, l, table)
			}
		}
		// Every TCP/IP-4 layer, and the TCP/IP-5 application layer, is
		// named once, however many rows it spans.
		cells := []layers.ModelLayer{layers.TCPIP5.Map(layers.Application)}
		cells = append(cells, layers.TCPIP4.Layers()...)
		for _, ml := range cells {
			cell := "| " + string(rune('0'+ml.Number)) + " " + ml.Name(lang) + " "
			if n := strings.Count(table, cell); n != 1 {
				t.Errorf("%s: %q appears %d times:\n%s", lang, cell, n, table)
			}
		}
	}
	// The merged cells: the TCP/IP-4 application layer spans the rows of
	// OSI 7, 6 and 5, named on the middle one, and the network-access
	// layer those of OSI 2 and 1.
	lines := strings.Split(modelTable(layers.EN), "\n")
	want := []string{
		"| 7 Application  |               |                  | message           |",
		"+----------------+               |                  +-------------------+",
		"| 6 Presentation | 5 Application | 4 Application    | PPDU              |",
		"| 2 Data link    | 2 Data link   | 1 Network access | frame             |",
		"+----------------+---------------+                  +-------------------+",
		"| 1 Physical     | 1 Physical    |                  | bits              |",
	}
	got := []string{lines[3], lines[4], lines[5], lines[13], lines[14], lines[15]}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("merged cells (-want +got):\n%s", diff)
	}
}

// englishNames are the English names of the layers of the three models
// and of their PDUs.
func englishNames() []string {
	var names []string
	for _, m := range layers.Models {
		for _, ml := range m.Layers() {
			names = append(names, ml.EN)
		}
	}
	for _, l := range layers.All {
		names = append(names, l.PDUName(layers.EN))
	}
	names = append(names, "datagram", "packet")
	return names
}

var packagePath = regexp.MustCompile(`layers/[a-z]+`)

// TestChineseHasNoEnglishLayerNames runs the explaining commands with
// --lang zh and looks for the English name of a layer or a PDU, outside
// package paths such as layers/network.
func TestChineseHasNoEnglishLayerNames(t *testing.T) {
	commands := [][]string{{"models"}, {"layers"}, {"ports"}, {"ports", "110"}, {"ports", "50000"}}
	for _, l := range layers.All {
		commands = append(commands, []string{"layers", string(rune('0' + l))})
	}
	var words []*regexp.Regexp
	for _, n := range englishNames() {
		words = append(words, regexp.MustCompile(`(?i)\b`+regexp.QuoteMeta(n)+`s?\b`))
	}
	for _, args := range commands {
		out, errOut, code := runCLI(t, append(args, "--lang", "zh")...)
		if code != exitOK {
			t.Fatalf("osisim %v: exit %d, %s", args, code, errOut)
		}
		text := packagePath.ReplaceAllString(out, "")
		for _, w := range words {
			if loc := w.FindStringIndex(text); loc != nil {
				from, to := max(0, loc[0]-30), min(len(text), loc[1]+30)
				t.Errorf("osisim %v --lang zh says %q: ...%s...", args, text[loc[0]:loc[1]], text[from:to])
			}
		}
	}
}

func TestDefaultLang(t *testing.T) {
	tests := []struct {
		env  map[string]string
		want layers.Lang
	}{
		{nil, layers.EN},
		{map[string]string{"LANG": "zh_CN.UTF-8"}, layers.ZH},
		{map[string]string{"LANG": "zh_TW.Big5"}, layers.ZH},
		{map[string]string{"LANG": "zh"}, layers.ZH},
		{map[string]string{"LANG": "en_US.UTF-8"}, layers.EN},
		{map[string]string{"LANG": "C"}, layers.EN},
		{map[string]string{"LANG": "zu_ZA.UTF-8"}, layers.EN},
		{map[string]string{"LANG": "en_US.UTF-8", "LC_MESSAGES": "zh_CN.UTF-8"}, layers.ZH},
		{map[string]string{"LANG": "zh_CN.UTF-8", "LC_ALL": "C"}, layers.EN},
		{map[string]string{"LANG": "zh_CN.UTF-8", "LC_ALL": ""}, layers.ZH},
	}
	for _, tt := range tests {
		getenv := func(k string) string { return tt.env[k] }
		if got := defaultLang(getenv); got != tt.want {
			t.Errorf("defaultLang(%v) = %s, want %s", tt.env, got, tt.want)
		}
	}
	if got := defaultLang(nil); got != layers.EN {
		t.Errorf("defaultLang(nil) = %s, want en", got)
	}
}

// TestLangFromEnvironment checks that LANG sets the default of --lang and
// that the flag overrides it.
func TestLangFromEnvironment(t *testing.T) {
	tests := []struct {
		lang string
		args []string
		want string
	}{
		{"zh_CN.UTF-8", []string{"layers", "4"}, "L4 传输层\n"},
		{"zh_CN.UTF-8", []string{"layers", "4", "--lang", "en"}, "L4 Transport\n"},
		{"en_GB.UTF-8", []string{"layers", "4"}, "L4 Transport\n"},
		{"en_GB.UTF-8", []string{"--lang", "zh", "layers", "4"}, "L4 传输层\n"},
	}
	for _, tt := range tests {
		var out, errOut bytes.Buffer
		root := newRootCmd(streams{In: strings.NewReader(""), Out: &out, Err: &errOut,
			Getenv: func(k string) string {
				if k == "LANG" {
					return tt.lang
				}
				return ""
			}})
		root.SetArgs(tt.args)
		if err := root.Execute(); err != nil {
			t.Fatalf("LANG=%s osisim %v: %v", tt.lang, tt.args, err)
		}
		if first, _, _ := strings.Cut(out.String(), "TCP/IP"); first != tt.want {
			t.Errorf("LANG=%s osisim %v begins %q, want %q", tt.lang, tt.args, first, tt.want)
		}
	}
}

func TestBadLang(t *testing.T) {
	for _, args := range [][]string{{"models", "--lang", "fr"}, {"layers", "--lang", "de"}, {"ports", "--lang", "jp"}} {
		_, errOut, code := runCLI(t, args...)
		if code != exitBadInput || !strings.Contains(errOut, "unknown language") {
			t.Errorf("osisim %v: exit %d, stderr %q; want exit 2 and unknown language", args, code, errOut)
		}
	}
	if _, _, code := runCLI(t, "models", "extra"); code != exitBadInput {
		t.Errorf("osisim models extra: exit %d, want 2", code)
	}
}

// TestHelpInBothLanguages checks that the help follows --lang, whichever
// way it is asked for.
func TestHelpInBothLanguages(t *testing.T) {
	tests := []struct {
		args []string
		want []string
	}{
		{[]string{"models", "--help"}, []string{"Show the OSI 7-layer", "Usage:", "help for models", "language of the output"}},
		{[]string{"models", "--help", "--lang", "zh"}, []string{"并排显示", "用法：", "models 的帮助", "输出的语言"}},
		{[]string{"--lang", "zh", "help", "ports"}, []string{"端口号的三类", "用法："}},
		{[]string{"--help", "--lang", "zh"}, []string{"在模拟时间里运行", "可用的命令：", "讲解一层", "运行一个场景"}},
		{[]string{"run", "--help", "--lang", "zh"}, []string{"运行一个自带的场景", "默认的一课 pop3-retr", "本次运行的随机数种子"}},
		{[]string{"layers", "-h"}, []string{"Without an argument, list the seven layers", "Global Flags:"}},
	}
	for _, tt := range tests {
		out, errOut, code := runCLI(t, tt.args...)
		if code != exitOK {
			t.Fatalf("osisim %v: exit %d, %s", tt.args, code, errOut)
		}
		for _, w := range tt.want {
			if !strings.Contains(out, w) {
				t.Errorf("osisim %v lacks %q:\n%s", tt.args, w, out)
			}
		}
	}
}

func TestWrap(t *testing.T) {
	tests := []struct {
		s     string
		width int
		want  []string
	}{
		{"", 10, []string{""}},
		{"one two three four", 9, []string{"one two", "three", "four"}},
		{"a verylongwordindeed b", 6, []string{"a", "verylongwordindeed", "b"}},
		{"Post Office Protocol (RFC 1939)", 24, []string{"Post Office Protocol", "(RFC 1939)"}},
		// Chinese breaks between characters, but never before a closing
		// mark nor after an opening one.
		{"传输层协议数据单元", 8, []string{"传输层协", "议数据单", "元"}},
		{"一二三，四五", 6, []string{"一二", "三，四", "五"}},
		{"一二三（四五）", 8, []string{"一二三", "（四五）"}},
		{"用 TCP 传送", 8, []string{"用 TCP", "传送"}},
		{"端口 110（pop3）", 12, []string{"端口 110", "（pop3）"}},
	}
	for _, tt := range tests {
		got := wrap(tt.s, tt.width)
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("wrap(%q, %d) (-want +got):\n%s", tt.s, tt.width, diff)
		}
		for _, l := range got {
			if sim.DisplayWidth(l) > tt.width && !strings.Contains(tt.s, "verylong") {
				t.Errorf("wrap(%q, %d): line %q is too wide", tt.s, tt.width, l)
			}
		}
	}
}
