package scenarios

import (
	"strings"
	"testing"
)

func TestBundledScenariosLoad(t *testing.T) {
	names := Names()
	if len(names) == 0 {
		t.Fatal("no bundled scenarios")
	}
	for _, name := range names {
		if _, err := LoadBundled(name); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// TestLoadErrors checks that broken files are refused with the position of
// the problem and a plain sentence.
func TestLoadErrors(t *testing.T) {
	base, ok := Source(Default)
	if !ok {
		t.Fatal("default scenario missing")
	}
	tests := []struct {
		name, from, to string
		want           string // "line:col: message" fragment
	}{
		{"unknown key", "duration: 60s", "duration: 60s\ncolour: blue", `colour`},
		{"bad MAC", `mac: "02:00:00:00:01:0a"`, `mac: "02:00:00:00:01"`, `24:27: MAC address "02:00:00:00:01" is not like 02:00:00:00:01:0a`},
		{"duplicate MAC", `mac: "02:00:00:00:01:14"`, `mac: "02:00:00:00:01:0a"`, `29:27: MAC address 02:00:00:00:01:0a is already used by client.eth0`},
		{"gateway outside subnet", "gateway: 10.0.1.1\n  - name: pc2", "gateway: 10.0.9.1\n  - name: pc2", `25:14: gateway 10.0.9.1 is outside every subnet of "client" (10.0.1.0/24)`},
		{"link to a missing port", "b: sw1.3", "b: sw1.4", `link end "sw1.4": switch "sw1" has no port "4" (ports 1 to 3)`},
		{"bad rate", "rate: 10Mb/s, delay: 1us, code: manchester}\n  - {a: sw1.2", "rate: fast, delay: 1us, code: manchester}\n  - {a: sw1.2", `rate "fast" is not like 10Mb/s`},
		{"bad line code", "code: nrz}\n  - {a: pc2.eth0", "code: 4b5b}\n  - {a: pc2.eth0", `line code "4b5b": want nrz or manchester`},
		{"YAML syntax", "nodes:", "nodes: [", ""},
		{"unknown server", "server: 10.0.2.110", "server: mailhost", `server "mailhost" is neither an IPv4 address, a host of this scenario, nor a name a ` + "`dns:`" + ` app on "client" resolves`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := string(base)
			if !strings.Contains(src, tt.from) {
				t.Fatalf("the default scenario no longer contains %q", tt.from)
			}
			src = strings.Replace(src, tt.from, tt.to, 1)
			_, err := Load("lesson.yaml", []byte(src))
			if err == nil {
				t.Fatal("no error")
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "lesson.yaml:") {
				t.Errorf("error %q does not start with the file name", msg)
			}
			if tt.want != "" && !strings.Contains(msg, tt.want) {
				t.Errorf("error %q does not contain %q", msg, tt.want)
			}
		})
	}
}

func TestParseRateAndSize(t *testing.T) {
	rates := map[string]int64{"10Mb/s": 10e6, "100 Mbps": 100e6, "1Gb/s": 1e9, "9600b/s": 9600, "2.5Gb/s": 2.5e9}
	for in, want := range rates {
		if got, err := ParseRate(in); err != nil || got != want {
			t.Errorf("ParseRate(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	sizes := map[string]int64{"1MiB": 1 << 20, "10MiB": 10 << 20, "250kB": 250e3, "4096": 4096, "1GB": 1e9}
	for in, want := range sizes {
		if got, err := ParseSize(in); err != nil || got != want {
			t.Errorf("ParseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "fast", "-1Mb/s"} {
		if _, err := ParseRate(bad); err == nil {
			t.Errorf("ParseRate(%q) gave no error", bad)
		}
	}
}
