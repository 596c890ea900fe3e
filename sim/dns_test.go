package sim_test

import (
	"errors"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/osisim/osisim/layers"
	"github.com/osisim/osisim/layers/application"
)

func labZone() []application.DNSRecord {
	return []application.DNSRecord{
		application.DNSA("pop.lab", netip.MustParseAddr("10.0.1.10"), 300),
		{Name: "mail.lab", Type: application.DNSTypeCNAME, TTL: 60, Target: "pop.lab"},
	}
}

type lookupResult struct {
	Addr netip.Addr
	Err  string
}

var addrCmp = cmp.Comparer(func(a, b netip.Addr) bool { return a == b })

// The client resolves names at the server over UDP port 53: an address, an
// alias, a name that does not exist; and the trace shows UDP, never TCP.
func TestResolveOverUDP(t *testing.T) {
	lab := newLab(t, 1, 1)
	srv, err := lab.server.StartDNSServer(labZone())
	if err != nil {
		t.Fatal(err)
	}
	var got []lookupResult
	then := func(a netip.Addr, err error) {
		r := lookupResult{Addr: a}
		if err != nil {
			r.Err = err.Error()
		}
		got = append(got, r)
	}
	server := lab.server.Addr()
	pop := lab.client.Resolve(0, server, "pop.lab", then)
	lab.client.Resolve(time.Second, server, "MAIL.lab.", then)
	nx := lab.client.Resolve(2*time.Second, server, "nothere.lab", then)
	lab.s.Run(time.Minute)

	want := []lookupResult{
		{Addr: netip.MustParseAddr("10.0.1.10")},
		{Addr: netip.MustParseAddr("10.0.1.10")},
		{Err: "application: DNS: no such name (NXDOMAIN): nothere.lab"},
	}
	if d := cmp.Diff(want, got, addrCmp); d != "" {
		t.Fatalf("lookups (-want +got):\n%s", d)
	}
	if !pop.Done() || pop.Tries() != 1 || !errors.Is(nx.Err(), application.ErrDNSNoSuchName) || srv.Queries() != 3 {
		t.Errorf("pop: done %v, tries %d; nx err %v; server saw %d queries", pop.Done(), pop.Tries(), nx.Err(), srv.Queries())
	}
	texts := lab.rec.texts("client", layers.Application)
	for _, w := range []string{
		"resolver: pop.lab is 10.0.1.10 (an authoritative answer, may be cached for 300 s)",
		"resolver: MAIL.lab is 10.0.1.10 (an authoritative answer, may be cached for 60 s)",
		"resolver: nothere.lab does not exist (NXDOMAIN)",
	} {
		if !contains(texts, w) {
			t.Errorf("no line %q in\n%s", w, strings.Join(texts, "\n"))
		}
	}
	if !contains(lab.rec.texts("server", layers.Application), "DNS server answers: MAIL.lab is an alias of pop.lab; pop.lab has 1 A record: an authoritative answer") {
		t.Errorf("server lines:\n%s", strings.Join(lab.rec.texts("server", layers.Application), "\n"))
	}
	// UDP, not TCP: every transport-layer PDU is a UDP datagram to or
	// from port 53.
	udp := 0
	for _, e := range lab.rec.list {
		if e.Layer != layers.Transport || e.PDU == nil {
			continue
		}
		if e.PDU.Kind != "udp" || !strings.Contains(e.PDU.Summary, " 53 ") && !strings.HasPrefix(e.PDU.Summary, "UDP 53 ") {
			t.Errorf("%s: transport PDU %s %q", e.Node, e.PDU.Kind, e.PDU.Summary)
		}
		udp++
	}
	// Each lookup: one datagram down and up at each end, each way.
	if udp != 3*2*2 {
		t.Errorf("%d UDP events, want 12", udp)
	}
	// The DNS messages are PDUs of the application layer on both hosts.
	for _, node := range []string{"client", "server"} {
		if !lab.rec.has(func(e *layers.Event) bool {
			return e.Node == node && e.Layer == layers.Application && e.PDU != nil && e.PDU.Kind == "dns" &&
				strings.HasPrefix(e.PDU.Summary, "Standard query response 0x") && strings.HasSuffix(e.PDU.Summary, "A pop.lab A 10.0.1.10")
		}) {
			t.Errorf("%s: no DNS response PDU", node)
		}
	}
}

// Without a name server on port 53, the server's host answers with ICMP
// port unreachable and the resolver stops at once; a host that answers
// nothing (a router runs no DNS) makes the resolver ask three times, with
// doubling timeouts, then give up.
func TestResolveFailures(t *testing.T) {
	lab := newLab(t, 1, 1)
	var errs []error
	then := func(_ netip.Addr, err error) { errs = append(errs, err) }
	closed := lab.client.Resolve(0, lab.server.Addr(), "pop.lab", then)
	silent := lab.client.Resolve(time.Second, netip.MustParseAddr("10.0.0.254"), "pop.lab", then)
	lab.s.Run(time.Minute)
	if len(errs) != 2 || !errors.Is(errs[0], application.ErrDNSUnreachable) || !errors.Is(errs[1], application.ErrDNSTimeout) {
		t.Fatalf("errors %v", errs)
	}
	if closed.Tries() != 1 || silent.Tries() != 3 {
		t.Errorf("tries: closed port %d, silent host %d; want 1 and 3", closed.Tries(), silent.Tries())
	}
	texts := lab.rec.texts("client", layers.Application)
	for _, w := range []string{
		"resolver: destination unreachable (port unreachable) from 10.0.1.10: no name server there",
		"resolver: no answer from 10.0.0.254 within 2 s: UDP does not retransmit, so the resolver asks again (try 2 of 3)",
		"resolver: no answer from 10.0.0.254 within 4 s: UDP does not retransmit, so the resolver asks again (try 3 of 3)",
		"resolver: no answer from 10.0.0.254 within 8 s: giving up after 3 tries",
	} {
		if !contains(texts, w) {
			t.Errorf("no line %q in\n%s", w, strings.Join(texts, "\n"))
		}
	}
	// The last try gave up 2 + 4 + 8 s after the first query.
	for _, e := range lab.rec.list {
		if e.Node == "client" && strings.HasSuffix(e.Text, "giving up after 3 tries") && e.Time != time.Second+14*time.Second {
			t.Errorf("gave up at %v, want 15s", e.Time)
		}
	}
}

// A second server on the same port is refused, and a stopped server's port
// answers port unreachable.
func TestDNSServerPort(t *testing.T) {
	lab := newLab(t, 1, 1)
	srv, err := lab.server.StartDNSServer(labZone())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := lab.server.StartDNSServer(labZone()); err == nil || !strings.Contains(err.Error(), "UDP port 53 is already bound") {
		t.Errorf("second server: %v", err)
	}
	if _, err := lab.server.StartDNSServer([]application.DNSRecord{application.DNSA("a..b", netip.MustParseAddr("10.0.0.1"), 1)}); err == nil {
		t.Error("a zone with a bad name was accepted")
	}
	srv.Stop()
	var gotErr error
	lab.client.Resolve(0, lab.server.Addr(), "pop.lab", func(_ netip.Addr, err error) { gotErr = err })
	lab.s.Run(time.Minute)
	if !errors.Is(gotErr, application.ErrDNSUnreachable) {
		t.Errorf("after Stop: %v", gotErr)
	}
}

// The programs draw identifiers and ports from the run's seeded source
// only: the same seed gives the same trace, another seed another one.
func TestLabProgramsDeterministic(t *testing.T) {
	run := func(seed uint64) []string {
		lab := newLab(t, 2, seed)
		if _, err := lab.server.StartDNSServer(labZone()); err != nil {
			t.Fatal(err)
		}
		lab.client.StartPing(0, lab.server.Addr(), 2, time.Second)
		lab.client.StartTelnet(time.Second, netip.AddrPortFrom(lab.server.Addr(), 110))
		lab.client.Resolve(2*time.Second, lab.server.Addr(), "mail.lab", nil)
		lab.client.StartTraceroute(3*time.Second, lab.server.Addr(), 5)
		lab.s.Run(time.Minute)
		var out []string
		for _, e := range lab.rec.list {
			s := e.Time.String() + " " + e.Node + " " + e.Text
			if e.PDU != nil {
				s += " | " + e.PDU.Summary
			}
			out = append(out, s)
		}
		return out
	}
	a, b := run(7), run(7)
	if d := cmp.Diff(a, b); d != "" {
		t.Errorf("two runs with seed 7 differ (-first +second):\n%s", d)
	}
	if cmp.Equal(a, run(8)) {
		t.Error("seeds 7 and 8 give the same trace: the ids and ports are not drawn from the seed")
	}
}
