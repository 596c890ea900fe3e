package scenarios

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/osisim/osisim/sim"
)

// TestFaultKeyErrors checks that every key of the faults, queues and rules
// is validated, with the position of the problem.
func TestFaultKeyErrors(t *testing.T) {
	base, ok := Source("pop3-retr-lossy")
	if !ok {
		t.Fatal("pop3-retr-lossy missing")
	}
	tests := []struct {
		name, from, to string
		want           string
	}{
		{"loss above 1", "loss: 0.02", "loss: 1.5", `70:13: loss 1.5 is outside [0, 1]`},
		{"negative reorder", "reorder: 0.05", "reorder: -0.05", `71:16: reorder -0.05 is outside [0, 1]`},
		{"bad reorder delay", "reorder_delay: 1ms", "reorder_delay: soon", `72:22: reorder_delay "soon" is not a positive time`},
		{"BER of 1", "reorder_delay: 1ms", "reorder_delay: 1ms\n      ber: 1", `73:12: ber 1 is outside [0, 1)`},
		{"per-direction dup", "reorder_delay: 1ms", "reorder_delay: 1ms\n      ab: {dup: 2}", `73:17: dup 2 is outside [0, 1]`},
		{"outage backwards", "reorder_delay: 1ms", "reorder_delay: 1ms\n      outages: [{from: 2s, to: 1s}]", `outage from 2s to 1s ends before it starts`},
		{"outage without end", "reorder_delay: 1ms", "reorder_delay: 1ms\n      outages: [{from: 2s}]", `outage end "" is not a time`},
		{"unknown fault key", "reorder_delay: 1ms", "reorder_delay: 1ms\n      jitter: 2ms", `unknown field "jitter"`},
		{"two unreliable links", "code: manchester}\n  - {a: sw1.2", "code: manchester, unreliable: true}\n  - {a: sw1.2",
			`68:17: links 1 and 4 are both marked unreliable`},
		{"negative queue", `ip: 10.0.2.1/24}`, `ip: 10.0.2.1/24, queue: -1}`, `42:72: queue -1: want a number of packets`},
		{"source quench on a host", "    gateway: 10.0.2.1\n", "    gateway: 10.0.2.1\n    source_quench: true\n", `source_quench is for routers, "server" is a host`},
		{"rule syntax", "expect:", "rules:\n  - drop tcp-dta#2 on r1->server\nexpect:", `85:5: rule "drop tcp-dta#2 on r1->server", column 6: unknown filter "tcp-dta"`},
		{"rule node", "expect:", "rules:\n  - drop tcp#2 on r1->mars\nexpect:", `85:5: rule "drop tcp#2 on r1->mars": there is no node "mars"`},
		{"rule link", "expect:", "rules:\n  - drop tcp#2 on client->r1\nexpect:", `no link joins client and r1 directly (client is linked to sw1)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := string(base)
			if !strings.Contains(src, tt.from) {
				t.Fatalf("pop3-retr-lossy no longer contains %q", tt.from)
			}
			src = strings.Replace(src, tt.from, tt.to, 1)
			_, err := Load("lesson.yaml", []byte(src))
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not contain %q", err, tt.want)
			}
		})
	}
}

// TestLinkFaultsMerge checks that ab: and ba: replace the keys of the top
// for their direction only.
func TestLinkFaultsMerge(t *testing.T) {
	src := `
faults:
  loss: 0.1
  reorder: 0.2
  reorder_delay: 3ms
  outages: [{from: 1s, to: 2s}]
  ab: {loss: 0}
  ba: {dup: 0.5, outages: []}
`
	base, _ := Source(Default)
	text := strings.Replace(string(base), "{a: r1.eth1, b: server.eth0, rate: 100Mb/s, delay: 2ms, code: nrz}",
		"a: r1.eth1\n    b: server.eth0\n    rate: 100Mb/s\n    delay: 2ms"+strings.ReplaceAll(src, "\n", "\n    "), 1)
	f, err := Load("merge.yaml", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	lf := f.Links[3].Faults
	if lf == nil {
		t.Fatal("no faults read")
	}
	wantAB := sim.Faults{Loss: 0, Reorder: 0.2, ReorderDelay: 3 * time.Millisecond, Outages: []sim.Outage{{From: time.Second, To: 2 * time.Second}}}
	wantBA := sim.Faults{Loss: 0.1, Reorder: 0.2, Dup: 0.5, ReorderDelay: 3 * time.Millisecond}
	if diff := cmp.Diff(wantAB, lf.faults(true)); diff != "" {
		t.Errorf("a->b (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(wantBA, lf.faults(false)); diff != "" {
		t.Errorf("b->a (-want +got):\n%s", diff)
	}
}

func TestUnreliableLinkAndOverrides(t *testing.T) {
	f, err := LoadBundled(Default)
	if err != nil {
		t.Fatal(err)
	}
	if i, err := UnreliableLink(f); err != nil || i != 3 {
		t.Errorf("UnreliableLink = %d, %v; want 3 (r1 - server, the largest delay)", i, err)
	}
	f.Links[1].Unreliable = true
	if i, _ := UnreliableLink(f); i != 1 {
		t.Errorf("UnreliableLink = %d; want the marked link 1", i)
	}
	f.Links[1].Unreliable = false
	loss, ber := 0.25, 1e-7
	o := Overrides{Loss: &loss, BER: &ber, Rules: []string{"dup arp#1 on client->sw1"}, MessageSize: "1MiB"}
	if err := o.Apply(f); err != nil {
		t.Fatal(err)
	}
	got := f.Links[3].Faults.faults(true)
	if diff := cmp.Diff(sim.Faults{Loss: 0.25, BER: 1e-7}, got); diff != "" {
		t.Errorf("faults after the overrides (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"dup arp#1 on client->sw1"}, f.Rules); diff != "" {
		t.Errorf("rules (-want +got):\n%s", diff)
	}
	if m := f.Nodes[4].Services.POP3.Maildrop; m[0].Generated != "1MiB" || m[1].Sample != "en" {
		t.Errorf("maildrop after --message-size: %+v", m)
	}
	// The command line's value wins over a per-direction one.
	f.Links[3].Faults.AB = &FaultSet{Loss: new(float64)}
	*f.Links[3].Faults.AB.Loss = 0.9
	if err := o.Apply(f); err != nil {
		t.Fatal(err)
	}
	if got := f.Links[3].Faults.faults(true).Loss; got != 0.25 {
		t.Errorf("a->b loss %v after --loss 0.25", got)
	}
}
