package main

import (
	"bytes"
	"errors"
	"net/netip"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/osisim/osisim/layers"
	"github.com/osisim/osisim/layers/transport"
)

func TestPortsGolden(t *testing.T) {
	var cases []golden
	for _, lang := range []string{"en", "zh"} {
		cases = append(cases,
			golden{"ports." + lang, []string{"ports", "--lang", lang}},
			golden{"ports-110." + lang, []string{"ports", "110", "--lang", lang}},
			golden{"ports-ftp." + lang, []string{"ports", "ftp", "--lang", lang}},
			golden{"ports-50000." + lang, []string{"ports", "50000", "--lang", lang}},
		)
	}
	checkGolden(t, cases)
}

func TestParsePortArg(t *testing.T) {
	tests := []struct {
		in   string
		want []transport.Port
		ok   bool
	}{
		{"0", []transport.Port{0}, true},
		{"110", []transport.Port{110}, true},
		{"65535", []transport.Port{65535}, true},
		{"65536", nil, false},
		{"99999999999999999999", nil, false},
		{"-1", nil, false},
		{"pop3", []transport.Port{110}, true},
		{"POP3", []transport.Port{110}, true},
		{"ftp", []transport.Port{20, 21}, true},
		{"ftp-data", []transport.Port{20}, true},
		{"dns", []transport.Port{53}, true},
		{"domain", []transport.Port{53}, true},
		{"OICQ", []transport.Port{8000}, true},
		{"qq", []transport.Port{8000}, true},
		{"rdp", []transport.Port{3389}, true},
		{"telnet", []transport.Port{23}, true},
		{"http", []transport.Port{80}, true},
		{"smtp", []transport.Port{25}, true},
		{"gopher", nil, false},
		{"", nil, false},
	}
	for _, tt := range tests {
		got, err := parsePortArg(tt.in)
		if (err == nil) != tt.ok {
			t.Errorf("parsePortArg(%q): error %v, want ok %v", tt.in, err, tt.ok)
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("parsePortArg(%q) (-want +got):\n%s", tt.in, diff)
		}
	}
}

// TestSourceServices checks the table against the source material: each
// service's port and transport protocols.
func TestSourceServices(t *testing.T) {
	type row struct {
		Name     string
		Port     transport.Port
		TCP, UDP bool
	}
	want := []row{
		{"ftp-data", 20, true, false}, {"ftp", 21, true, false}, {"telnet", 23, true, false},
		{"smtp", 25, true, false}, {"dns", 53, true, true}, {"http", 80, true, false},
		{"pop3", 110, true, false}, {"rdp", 3389, true, false}, {"oicq", 8000, true, true},
	}
	var got []row
	for _, p := range sourcePorts {
		sv, ok := transport.LookupService(p)
		if !ok {
			t.Errorf("transport has no service on port %d", p)
			continue
		}
		got = append(got, row{sv.Name, sv.Port, sv.TCP, sv.UDP})
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("the source material's services (-want +got):\n%s", diff)
	}
}

// TestClientPortsOfARun runs the default scenario and checks that its
// client connected from a dynamic port.
func TestClientPortsOfARun(t *testing.T) {
	run, err := defaultClientPorts()
	if err != nil {
		t.Fatal(err)
	}
	if len(run.Clients) == 0 {
		t.Fatal("the default scenario has no client")
	}
	for _, c := range run.Clients {
		if c.Node == "" || transport.Port(c.Local).Class() != transport.Dynamic {
			t.Errorf("client %q used port %d, want a dynamic port", c.Node, c.Local)
		}
		if c.Server.Port() != 110 {
			t.Errorf("client %q talked to %v, want port 110", c.Node, c.Server)
		}
	}
}

// TestPortsRunReport checks the report of a run with a fake run: a client
// that never connected, and a failing run.
func TestPortsRunReport(t *testing.T) {
	var out bytes.Buffer
	o := &portsOptions{streams: streams{Out: &out}, clientPorts: func() (*portsRun, error) {
		return &portsRun{Scenario: "lesson", Seed: 7, Clients: []clientPort{
			{Node: "pc1", Local: 49152, Server: netip.MustParseAddrPort("10.0.0.1:80")},
			{Node: "pc2"},
		}}, nil
	}}
	if err := o.all(layers.EN); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"Client ports of a run (lesson, seed 7)\n",
		"  pc1: local port 49152 (dynamic), to 10.0.0.1 port 80(http)\n",
		"  pc2: did not connect\n",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the report lacks %q:\n%s", want, out.String())
		}
	}
	o.clientPorts = func() (*portsRun, error) { return nil, errors.New("boom") }
	if err := o.all(layers.EN); err == nil || err.Error() != "boom" {
		t.Errorf("a failed run gave %v, want its error", err)
	}
}

func TestPortsBadArgument(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"ports", "70000"}, `no port or service "70000"`},
		{[]string{"ports", "gopher"}, `no port or service "gopher": want a number 0-65535 or a service name (ftp-data, ftp, telnet`},
		{[]string{"ports", "gopher", "--lang", "zh"}, `没有 "gopher" 这个端口或服务`},
		{[]string{"ports", "1", "2"}, "accepts at most 1 arg"},
	}
	for _, tt := range tests {
		_, errOut, code := runCLI(t, tt.args...)
		if code != exitBadInput || !strings.Contains(errOut, tt.want) {
			t.Errorf("osisim %v: exit %d, stderr %q; want exit 2 and %q", tt.args, code, errOut, tt.want)
		}
	}
}
