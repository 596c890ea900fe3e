package main

import (
	"strings"
	"testing"

	"github.com/osisim/osisim/layers"
)

func TestLayersGolden(t *testing.T) {
	cases := []golden{
		{"layers.en", []string{"layers", "--lang", "en"}},
		{"layers.zh", []string{"layers", "--lang", "zh"}},
	}
	for _, l := range layers.All {
		n := string(rune('0' + l))
		cases = append(cases,
			golden{"layers-" + n + ".en", []string{"layers", n, "--lang", "en"}},
			golden{"layers-" + n + ".zh", []string{"layers", n, "--lang", "zh"}})
	}
	checkGolden(t, cases)
}

func TestParseLayer(t *testing.T) {
	tests := []struct {
		in   string
		want layers.Layer
		ok   bool
	}{
		{"1", layers.Physical, true},
		{"7", layers.Application, true},
		{"L4", layers.Transport, true},
		{"l2", layers.DataLink, true},
		{"transport", layers.Transport, true},
		{"Transport", layers.Transport, true},
		{"Data link", layers.DataLink, true},
		{"datalink", layers.DataLink, true},
		{"data-link", layers.DataLink, true},
		{" network ", layers.Network, true},
		{"internet", layers.Network, true},
		{"presentation", layers.Presentation, true},
		{"传输层", layers.Transport, true},
		{"数据链路层", layers.DataLink, true},
		{"应用", layers.Application, true},
		{"0", 0, false},
		{"8", 0, false},
		{"-1", 0, false},
		{"", 0, false},
		{"tcp", 0, false},
	}
	for _, tt := range tests {
		got, err := parseLayer(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("parseLayer(%q) = %v, %v; want %v, ok %v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

// TestLayerByNameOrNumber checks that a layer's number and its names in
// both languages give the same page.
func TestLayerByNameOrNumber(t *testing.T) {
	for _, l := range layers.All {
		byNumber, _, _ := runCLI(t, "layers", string(rune('0'+l)), "--lang", "zh")
		for _, name := range []string{l.Name(layers.EN), l.Name(layers.ZH)} {
			byName, errOut, code := runCLI(t, "layers", name, "--lang", "zh")
			if code != exitOK || byName != byNumber {
				t.Errorf("osisim layers %q: exit %d (%s), and not the page of layer %d", name, code, errOut, l)
			}
		}
	}
}

func TestLayersBadArgument(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"layers", "9"}, `no layer "9": want a number 1-7`},
		{[]string{"layers", "ethernet"}, `no layer "ethernet"`},
		{[]string{"layers", "0", "--lang", "zh"}, `没有 "0" 这一层`},
		{[]string{"layers", "1", "2"}, "accepts at most 1 arg"},
	}
	for _, tt := range tests {
		_, errOut, code := runCLI(t, tt.args...)
		if code != exitBadInput || !strings.Contains(errOut, tt.want) {
			t.Errorf("osisim %v: exit %d, stderr %q; want exit 2 and %q", tt.args, code, errOut, tt.want)
		}
	}
}
