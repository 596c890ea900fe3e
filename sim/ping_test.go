package sim_test

import (
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/osisim/osisim/layers"
	"github.com/osisim/osisim/layers/datalink"
	"github.com/osisim/osisim/layers/network"
	"github.com/osisim/osisim/layers/physical"
	"github.com/osisim/osisim/sim"
)

// labTrace keeps every trace event (without the PDU octets).
type labTrace struct{ list []layers.Event }

func (r *labTrace) Record(e *layers.Event) {
	c := *e
	if e.PDU != nil {
		p := *e.PDU
		p.Bytes = nil
		c.PDU = &p
	}
	r.list = append(r.list, c)
}

// texts returns the texts of the events of node at layer l, in order.
func (r *labTrace) texts(node string, l layers.Layer) []string {
	var out []string
	for _, e := range r.list {
		if e.Node == node && e.Layer == l {
			out = append(out, e.Text)
		}
	}
	return out
}

// has reports whether some event satisfies pred.
func (r *labTrace) has(pred func(e *layers.Event) bool) bool {
	for i := range r.list {
		if pred(&r.list[i]) {
			return true
		}
	}
	return false
}

// labNet is a chain of networks 10.0.0.0/24 ... 10.0.N.0/24 joined by N
// routers: client 10.0.0.10 - r1 - r2 ... - rN - server 10.0.N.10. Router k
// has eth0 = 10.0.(k-1).254 and eth1 = 10.0.k.1, and a route to every
// network that is not its own.
type labNet struct {
	s      *sim.Sim
	rec    *labTrace
	client *sim.Host
	server *sim.Host
	links  int
}

const (
	labRate  = 10_000_000 // bit/s on every link
	labDelay = time.Millisecond
)

func newLab(t *testing.T, routers int, seed uint64) *labNet {
	t.Helper()
	rec := &labTrace{}
	lab := buildLab(t, sim.New(seed, rec), routers)
	lab.rec = rec
	return lab
}

// buildLab builds the chain of routers in s.
func buildLab(t *testing.T, s *sim.Sim, routers int) *labNet {
	t.Helper()
	mac := func(n byte) datalink.MAC { return datalink.MAC{2, 0, 0, 0, 0, n} }
	pfx := func(net, host int) netip.Prefix {
		return netip.MustParsePrefix(fmt.Sprintf("10.0.%d.%d/24", net, host))
	}
	addr := func(net, host int) netip.Addr { return pfx(net, host).Addr() }
	client, err := s.AddHost("client", sim.HostConfig{
		Interfaces: []sim.Interface{{Name: "eth0", MAC: mac(1), Addr: pfx(0, 10)}}, Gateway: addr(0, 254)})
	if err != nil {
		t.Fatal(err)
	}
	server, err := s.AddHost("server", sim.HostConfig{
		Interfaces: []sim.Interface{{Name: "eth0", MAC: mac(2), Addr: pfx(routers, 10)}}, Gateway: addr(routers, 1)})
	if err != nil {
		t.Fatal(err)
	}
	cfg := sim.LinkConfig{BitRate: labRate, Delay: labDelay, Code: physical.NRZ}
	prev := client.Ports()[0]
	for k := 1; k <= routers; k++ {
		var routes []network.Route
		for j := 0; j <= routers; j++ {
			switch {
			case j < k-1:
				routes = append(routes, network.Route{Prefix: pfx(j, 0).Masked(), Gateway: addr(k-1, 1)})
			case j > k:
				routes = append(routes, network.Route{Prefix: pfx(j, 0).Masked(), Gateway: addr(k, 254)})
			}
		}
		r, err := s.AddRouter(fmt.Sprintf("r%d", k), sim.RouterConfig{Interfaces: []sim.Interface{
			{Name: "eth0", MAC: mac(byte(16 * k)), Addr: pfx(k-1, 254)},
			{Name: "eth1", MAC: mac(byte(16*k + 1)), Addr: pfx(k, 1)},
		}, Routes: routes})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Connect(prev, r.Ports()[0], cfg); err != nil {
			t.Fatal(err)
		}
		prev = r.Ports()[1]
	}
	if _, err := s.Connect(prev, server.Ports()[0], cfg); err != nil {
		t.Fatal(err)
	}
	return &labNet{s: s, client: client, server: server, links: routers + 1}
}

// oneWay is the time a frame of n octets (destination MAC through FCS)
// takes over one lab link: its serialization with preamble and SFD, then
// the propagation delay.
func oneWay(n int) time.Duration {
	sig := physical.NRZ.Encode(physical.Encode(make([]byte, n)))
	return physical.SerializationTime(sig.Bits(), labRate) + labDelay
}

// An echo request and its reply are 102-octet frames (14 + 20 + 8 + 56 +
// 4); once ARP is done, the round trip is what the links imply, exactly.
func TestPingRTTs(t *testing.T) {
	lab := newLab(t, 1, 1)
	dst := lab.server.Addr()
	p := lab.client.StartPing(0, dst, 4, time.Second)
	lab.s.Run(time.Minute)
	if !p.Done() || p.Err() != nil {
		t.Fatalf("done %v, err %v", p.Done(), p.Err())
	}
	want := 2 * time.Duration(lab.links) * oneWay(102)
	rtts := p.RTTs()
	if len(rtts) != 4 {
		t.Fatalf("%d replies, want 4", len(rtts))
	}
	// The first request waits for two ARP exchanges (64-octet frames):
	// the client's for its gateway and the router's for the server. The
	// server learned the router's address from its request (RFC 826).
	first := want + 4*oneWay(64)
	if d := cmp.Diff([]time.Duration{first, want, want, want}, rtts); d != "" {
		t.Errorf("RTTs (-want +got):\n%s", d)
	}
	st := p.Stats()
	if st.Transmitted != 4 || st.Received != 4 || st.Loss() != 0 || st.Min != want || st.Max != rtts[0] {
		t.Errorf("stats %+v", st)
	}
	// The lines ping prints, as ping(8) prints them.
	got := lab.rec.texts("client", layers.Application)
	line := fmt.Sprintf("64 bytes from %s: icmp_seq=2 time=%.2f ms", dst, float64(want)/1e6)
	if !contains(got, line) {
		t.Errorf("no line %q in\n%s", line, strings.Join(got, "\n"))
	}
	sum := fmt.Sprintf("--- %s ping statistics ---\n4 packets transmitted, 4 received, 0%% packet loss\nrtt min/avg/max/mdev = ", dst)
	if !hasPrefix(got, sum) {
		t.Errorf("no summary starting %q in\n%s", sum, strings.Join(got, "\n"))
	}
	// Ping never touches the transport layer of either host.
	if lab.rec.has(func(e *layers.Event) bool { return e.Layer == layers.Transport }) {
		t.Error("ping produced a transport-layer event")
	}
	// The echo request goes down as ICMP straight into IP.
	if !lab.rec.has(func(e *layers.Event) bool {
		return e.Node == "client" && e.Layer == layers.Application && e.Dir == layers.Down && e.PDU != nil &&
			e.PDU.Kind == "icmp" && e.PDU.Len == 64 && strings.HasPrefix(e.PDU.Summary, "ICMP echo request id=")
	}) {
		t.Error("no echo request handed down by ping")
	}
}

// To an address nobody has, the requests wait in the router while it asks
// ARP; after its last retry (4 s) the router drops them and answers each
// with host unreachable. Without a route, ping fails at once.
func TestPingUnreachable(t *testing.T) {
	lab := newLab(t, 1, 1)
	p := lab.client.StartPing(0, netip.MustParseAddr("10.0.1.99"), 4, time.Second)
	lab.s.Run(time.Minute)
	st := p.Stats()
	if !p.Done() || st.Transmitted != 4 || st.Received != 0 || st.Errors != 4 || st.Loss() != 100 {
		t.Fatalf("done %v, stats %+v", p.Done(), st)
	}
	got := lab.rec.texts("client", layers.Application)
	for _, want := range []string{
		"ping: no reply to icmp_seq=1 from 10.0.1.99 within 2 s: the request or its reply was lost",
		"From 10.0.0.254 icmp_seq=1 Destination Host Unreachable",
		"From 10.0.0.254 icmp_seq=4 Destination Host Unreachable",
		"--- 10.0.1.99 ping statistics ---\n4 packets transmitted, 0 received, +4 errors, 100% packet loss",
	} {
		if !contains(got, want) {
			t.Errorf("no line %q in\n%s", want, strings.Join(got, "\n"))
		}
	}

	lone, err := lab.s.AddHost("lone", sim.HostConfig{Interfaces: []sim.Interface{
		{Name: "eth0", MAC: datalink.MAC{2, 0, 0, 0, 9, 9}, Addr: netip.MustParsePrefix("192.168.9.9/24")}}})
	if err != nil {
		t.Fatal(err)
	}
	q := lone.StartPing(lab.s.Now(), netip.MustParseAddr("10.9.9.9"), 3, time.Second)
	lab.s.Run(2 * time.Minute)
	if !errors.Is(q.Err(), network.ErrNoRoute) || !q.Done() || q.Stats().Transmitted != 0 {
		t.Errorf("ping without a route: err %v, done %v, stats %+v", q.Err(), q.Done(), q.Stats())
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func hasPrefix(list []string, p string) bool {
	for _, x := range list {
		if strings.HasPrefix(x, p) {
			return true
		}
	}
	return false
}
