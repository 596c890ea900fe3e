package sim_test

import (
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/osisim/osisim/layers"
	"github.com/osisim/osisim/sim"
)

// traceroute needs the IP layer to set the TTL of each probe.
func skipWithoutSendTTL(t *testing.T, tr *sim.Traceroute) {
	t.Helper()
	if err := tr.Err(); err != nil && strings.Contains(err.Error(), "has no SendTTL") {
		t.Skip(err)
	}
}

// Across three routers, each router answers the probes whose TTL it ends
// with time exceeded from its interface towards the client, and the server
// answers with port unreachable: the path is the four addresses.
func TestTracerouteThreeRouters(t *testing.T) {
	lab := newLab(t, 3, 1)
	tr := lab.client.StartTraceroute(0, lab.server.Addr(), 30)
	lab.s.Run(5 * time.Minute)
	skipWithoutSendTTL(t, tr)
	if !tr.Done() || !tr.Reached() || tr.Err() != nil {
		t.Fatalf("done %v, reached %v, err %v", tr.Done(), tr.Reached(), tr.Err())
	}
	want := []netip.Addr{
		netip.MustParseAddr("10.0.0.254"), netip.MustParseAddr("10.0.1.254"),
		netip.MustParseAddr("10.0.2.254"), netip.MustParseAddr("10.0.3.10"),
	}
	if d := cmp.Diff(want, tr.Path(), addrCmp); d != "" {
		t.Fatalf("path (-want +got):\n%s", d)
	}
	hops := tr.Hops()
	for i, hp := range hops {
		if hp.TTL != i+1 || len(hp.Probes) != sim.TracerouteProbes {
			t.Fatalf("hop %d: %+v", i+1, hp)
		}
		for j, p := range hp.Probes {
			// A probe is a 78-octet frame (14 + 20 + 8 + 32 + 4), the
			// ICMP error back a 74-octet one (14 + 20 + 8 + 20 + 8 + 4),
			// over i+1 links each way. The first probe of each hop goes
			// one link further than any before it: it waits there for an
			// ARP request and reply (64-octet frames).
			rtt := time.Duration(i+1) * (oneWay(78) + oneWay(74))
			if j == 0 {
				rtt += 2 * oneWay(64)
			}
			if !p.Answered || p.From != want[i] || p.Mark != "" || p.RTT != rtt {
				t.Errorf("hop %d probe %d: %+v, want RTT %v", i+1, j+1, p, rtt)
			}
		}
	}
	got := lab.rec.texts("client", layers.Application)
	for _, w := range []string{
		"traceroute to 10.0.3.10 (10.0.3.10), 30 hops max, 60 byte packets",
		"traceroute: probe 1 of 3 with TTL 1 to 10.0.3.10 port 33434: the TTL lets it go 1 hop: a router there decrements the TTL to 0, discards it and answers time exceeded, or the destination answers port unreachable",
		"traceroute: probe 3 of 3 with TTL 4 to 10.0.3.10 port 33445: the TTL lets it go 4 hops: a router there decrements the TTL to 0, discards it and answers time exceeded, or the destination answers port unreachable",
	} {
		if !contains(got, w) {
			t.Errorf("no line %q in\n%s", w, strings.Join(got, "\n"))
		}
	}
	if !hasPrefix(got, "traceroute: hop 2 probe 1: time exceeded from 10.0.1.254: the router 2 hops away discarded the probe, ") ||
		!hasPrefix(got, "traceroute: hop 4 probe 3: port unreachable from 10.0.3.10: the destination itself answered, nothing listens on port 33445, ") ||
		!hasPrefix(got, "traceroute to 10.0.3.10: reached in 4 hops\n 1  10.0.0.254  ") {
		t.Errorf("answer or path lines missing in\n%s", strings.Join(got, "\n"))
	}
	// Each router dropped the probes whose TTL ran out there.
	for _, r := range []string{"r1", "r2", "r3"} {
		n := 0
		for _, e := range lab.rec.list {
			if e.Node == r && e.Dir == layers.Drop && e.Reason == layers.ReasonTTL {
				n++
			}
		}
		if n != sim.TracerouteProbes {
			t.Errorf("%s dropped %d probes for TTL, want %d", r, n, sim.TracerouteProbes)
		}
	}
}

// Towards an address nobody has, the first router answers the TTL-1
// probes with time exceeded; the TTL-2 probes wait in it for ARP, which
// fails after 4 s: host unreachable, printed "!H", and the trace ends.
func TestTracerouteHostUnreachable(t *testing.T) {
	lab := newLab(t, 1, 1)
	tr := lab.client.StartTraceroute(0, netip.MustParseAddr("10.0.1.99"), 5)
	lab.s.Run(5 * time.Minute)
	skipWithoutSendTTL(t, tr)
	if !tr.Done() || tr.Reached() {
		t.Fatalf("done %v, reached %v", tr.Done(), tr.Reached())
	}
	hops := tr.Hops()
	if len(hops) != 2 {
		t.Fatalf("hops %+v", hops)
	}
	for _, p := range hops[1].Probes {
		if !p.Answered || p.Mark != "!H" || p.From != netip.MustParseAddr("10.0.0.254") || p.RTT < 4*time.Second {
			t.Errorf("hop 2: %+v", p)
		}
	}
	got := lab.rec.texts("client", layers.Application)
	if !hasPrefix(got, "traceroute to 10.0.1.99: unreachable after 2 hops\n 1  10.0.0.254  ") ||
		!hasPrefix(got, " 2  10.0.0.254  4002.") {
		t.Errorf("no summary in\n%s", strings.Join(got, "\n"))
	}
}

// When the answers from beyond the first router are lost, those probes
// time out: "* * *" until the hop limit.
func TestTracerouteTimeouts(t *testing.T) {
	lab := newLab(t, 2, 1)
	// A ping first fills every ARP cache on the path; then r2's answers
	// towards r1 are lost from 1 s on.
	lab.client.StartPing(0, lab.server.Addr(), 1, time.Second)
	l, from, err := lab.s.Direction("r2", "r1")
	if err != nil {
		t.Fatal(err)
	}
	if err := l.SetFaults(from, sim.Faults{Outages: []sim.Outage{{From: time.Second, To: time.Hour}}}); err != nil {
		t.Fatal(err)
	}
	tr := lab.client.StartTraceroute(2*time.Second, lab.server.Addr(), 3)
	lab.s.Run(5 * time.Minute)
	skipWithoutSendTTL(t, tr)
	if !tr.Done() || tr.Reached() {
		t.Fatalf("done %v, reached %v", tr.Done(), tr.Reached())
	}
	if d := cmp.Diff([]netip.Addr{netip.MustParseAddr("10.0.0.254"), {}, {}}, tr.Path(), addrCmp); d != "" {
		t.Errorf("path (-want +got):\n%s", d)
	}
	got := lab.rec.texts("client", layers.Application)
	for _, w := range []string{
		"traceroute: hop 2 probe 1: no answer within 5 s (*)",
		" 2  * * *",
		" 3  * * *",
	} {
		if !contains(got, w) {
			t.Errorf("no line %q in\n%s", w, strings.Join(got, "\n"))
		}
	}
	if !hasPrefix(got, "traceroute to 10.0.2.10: not reached within 3 hops\n 1  10.0.0.254  ") {
		t.Errorf("no summary in\n%s", strings.Join(got, "\n"))
	}
}
