package network

import (
	"fmt"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/osisim/osisim/layers"
	"github.com/osisim/osisim/layers/datalink"
	"github.com/osisim/osisim/layers/layerstest"
)

// nodeEnv shares one clock and trace between several nodes, naming each.
type nodeEnv struct {
	*layerstest.Env
	name string
}

func (e nodeEnv) Record(ev layers.Event) {
	ev.Node = e.name
	e.Env.Record(ev)
}

// wire is a point-to-point Ethernet cable between two interfaces: frames
// arrive a millisecond later, if addressed to the peer's MAC or broadcast.
type wire struct {
	env  *layerstest.Env
	ends map[endpoint]endpoint
	macs map[endpoint]datalink.MAC
	// stacks are the stacks by node name, filled once built.
	stacks map[string]*Stack
}

type endpoint struct {
	node  string
	iface int
}

// wireLink is the Link of one node on the wires.
type wireLink struct {
	w    *wire
	node string
}

func (l wireLink) SendFrame(iface int, dst datalink.MAC, t datalink.EtherType, payload []byte, m layers.Meta) {
	from := endpoint{l.node, iface}
	to, ok := l.w.ends[from]
	if !ok {
		return
	}
	if dst != datalink.Broadcast && dst != l.w.macs[to] {
		return
	}
	b := append([]byte(nil), payload...)
	src := l.w.macs[from]
	l.w.env.After(time.Millisecond, func() { l.w.stacks[to.node].HandleFrame(to.iface, src, t, b, m) })
}

// replies collects what reaches ping on the client.
type replies struct{ got []string }

func (r *replies) Deliver(d Datagram, m layers.Meta) {}
func (r *replies) DeliverICMP(src netip.Addr, msg ICMP, m layers.Meta) {
	r.got = append(r.got, fmt.Sprintf("%s from %s", msg.Summary(), src))
}

func TestPingAcrossRouter(t *testing.T) {
	env := layerstest.New("", 1)
	w := &wire{env: env, ends: map[endpoint]endpoint{}, macs: map[endpoint]datalink.MAC{}, stacks: map[string]*Stack{}}
	connect := func(a, b endpoint, ma, mb datalink.MAC) {
		w.ends[a], w.ends[b] = b, a
		w.macs[a], w.macs[b] = ma, mb
	}
	connect(endpoint{"client", 0}, endpoint{"router", 0}, macHost, macRouter)
	connect(endpoint{"router", 1}, endpoint{"server", 0}, macRouterE1, macServer)
	ping := &replies{}
	build := func(name string, cfg Config, up Upper) {
		s, err := NewStack(nodeEnv{env, name}, cfg, wireLink{w, name}, up)
		if err != nil {
			t.Fatal(err)
		}
		w.stacks[name] = s
	}
	build("client", hostConfig(), ping)
	build("router", routerConfig(), nil)
	build("server", Config{
		Interfaces: []Interface{{MAC: macServer, Addr: pfx("10.0.2.110/24")}},
		Routes:     []Route{{Prefix: pfx("0.0.0.0/0"), Gateway: addr("10.0.2.1")}},
	}, &replies{})

	if err := w.stacks["client"].Ping(addr("10.0.2.110"), 1, 1, []byte("hello")); err != nil {
		t.Fatal(err)
	}
	env.Run(100)
	if err := w.stacks["client"].Ping(addr("10.0.2.110"), 1, 2, []byte("hello")); err != nil {
		t.Fatal(err)
	}
	env.Run(100)
	var got []string
	for _, ev := range env.Events {
		got = append(got, fmt.Sprintf("%s %s: %s", ev.Node, ev.Dir, ev.Text))
	}
	want := []string{
		"client note: sending ICMP echo request id=1 seq=1 to 10.0.2.110",
		"client note: route 10.0.2.110 via 10.0.1.1 (default gateway) on eth0",
		"client note: ARP cache has no entry for 10.0.1.1: datagram waits",
		"router note: ARP cache: learned 10.0.1.10 is at 02:00:00:00:01:0a (from its request)",
		"router note: ARP request for this interface's address 10.0.1.1 from 10.0.1.10: replying",
		"client note: ARP cache: 10.0.1.1 is at 02:00:00:00:01:01; 1 waiting datagram sent",
		"router note: forward to 10.0.2.110 via eth1, TTL 64 -> 63",
		"router note: ARP cache has no entry for 10.0.2.110: datagram waits",
		"server note: ARP cache: learned 10.0.2.1 is at 02:00:00:00:02:01 (from its request)",
		"server note: ARP request for this interface's address 10.0.2.110 from 10.0.2.1: replying",
		"router note: ARP cache: 10.0.2.110 is at 02:00:00:00:02:6e; 1 waiting datagram sent",
		"server note: ICMP echo request id=1 seq=1 from 10.0.1.10: answering with an echo reply",
		"server note: sending ICMP echo reply id=1 seq=1 to 10.0.1.10",
		"server note: route 10.0.1.10 via 10.0.2.1 (default gateway) on eth0",
		"router note: forward to 10.0.1.10 via eth0, TTL 64 -> 63",
		// The second ping finds every ARP cache filled.
		"client note: sending ICMP echo request id=1 seq=2 to 10.0.2.110",
		"client note: route 10.0.2.110 via 10.0.1.1 (default gateway) on eth0",
		"router note: forward to 10.0.2.110 via eth1, TTL 64 -> 63",
		"server note: ICMP echo request id=1 seq=2 from 10.0.1.10: answering with an echo reply",
		"server note: sending ICMP echo reply id=1 seq=2 to 10.0.1.10",
		"server note: route 10.0.1.10 via 10.0.2.1 (default gateway) on eth0",
		"router note: forward to 10.0.1.10 via eth0, TTL 64 -> 63",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("trace (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"ICMP echo reply id=1 seq=1 from 10.0.2.110", "ICMP echo reply id=1 seq=2 from 10.0.2.110"}, ping.got); diff != "" {
		t.Errorf("ping got (-want +got):\n%s", diff)
	}
}

func TestFragmentedPingAcrossRouter(t *testing.T) {
	env := layerstest.New("", 1)
	w := &wire{env: env, ends: map[endpoint]endpoint{}, macs: map[endpoint]datalink.MAC{}, stacks: map[string]*Stack{}}
	connect := func(a, b endpoint, ma, mb datalink.MAC) {
		w.ends[a], w.ends[b] = b, a
		w.macs[a], w.macs[b] = ma, mb
	}
	connect(endpoint{"client", 0}, endpoint{"router", 0}, macHost, macRouter)
	connect(endpoint{"router", 1}, endpoint{"server", 0}, macRouterE1, macServer)
	ping := &replies{}
	build := func(name string, cfg Config, up Upper) {
		s, err := NewStack(nodeEnv{env, name}, cfg, wireLink{w, name}, up)
		if err != nil {
			t.Fatal(err)
		}
		w.stacks[name] = s
	}
	build("client", hostConfig(), ping)
	rc := routerConfig()
	rc.Interfaces[1].MTU = 576 // the router-server link
	build("router", rc, nil)
	build("server", Config{
		Interfaces: []Interface{{MAC: macServer, Addr: pfx("10.0.2.110/24")}},
		Routes:     []Route{{Prefix: pfx("0.0.0.0/0"), Gateway: addr("10.0.2.1")}},
	}, &replies{})

	// 2,000 octets of data: a 2,028-octet datagram.
	if err := w.stacks["client"].Ping(addr("10.0.2.110"), 1, 1, pattern(2000)); err != nil {
		t.Fatal(err)
	}
	env.Run(1000)
	var got []string
	for _, ev := range env.Events {
		if strings.Contains(ev.Text, "fragment") || strings.Contains(ev.Text, "echo") {
			got = append(got, fmt.Sprintf("%s %s %s: %s", ev.Time, ev.Node, ev.Dir, ev.Text))
		}
	}
	// The client's fragments wait 2 ms for ARP; the router cuts the first
	// again for its 576-octet link (after its own 2 ms of ARP); the server
	// reassembles four fragments and answers in two, which the router
	// forwards unchanged onto the 1500-octet link.
	want := []string{
		"0s client note: sending ICMP echo request id=1 seq=1 to 10.0.2.110",
		"2ms client note: datagram id=0xa01d of 2,028 B fragmented into 2 fragments for MTU 1500 on eth0: 1480+528 B of data",
		"5ms router note: datagram id=0xa01d of 1,500 B fragmented into 3 fragments for MTU 576 on eth1: 552+552+376 B of data",
		"6ms server note: fragment 1 of ID 0xa01d from 10.0.1.10: 0..552 held, reassembly timer 30s started; hole 552..end",
		"6ms server note: fragment 2 of ID 0xa01d from 10.0.1.10: 552..1104 held; hole 1104..end",
		"6ms server note: fragment 3 of ID 0xa01d from 10.0.1.10: 1104..1480 held; hole 1480..end",
		"6ms server note: fragment 4 of ID 0xa01d from 10.0.1.10: 1480..2008 held; no hole left: 2,008 B of data from 4 fragments complete after 0s",
		"6ms server note: ICMP echo request id=1 seq=1 from 10.0.1.10: answering with an echo reply",
		"6ms server note: sending ICMP echo reply id=1 seq=1 to 10.0.1.10",
		"6ms server note: datagram id=0xfc52 of 2,028 B fragmented into 2 fragments for MTU 1500 on eth0: 1480+528 B of data",
		"8ms client note: fragment 1 of ID 0xfc52 from 10.0.2.110: 0..1480 held, reassembly timer 30s started; hole 1480..end",
		"8ms client note: fragment 2 of ID 0xfc52 from 10.0.2.110: 1480..2008 held; no hole left: 2,008 B of data from 2 fragments complete after 0s",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("trace (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"ICMP echo reply id=1 seq=1 from 10.0.2.110"}, ping.got); diff != "" {
		t.Errorf("ping got (-want +got):\n%s", diff)
	}
}

func TestDisklessHostBoots(t *testing.T) {
	env := layerstest.New("", 1)
	w := &wire{env: env, ends: map[endpoint]endpoint{}, macs: map[endpoint]datalink.MAC{}, stacks: map[string]*Stack{}}
	w.ends[endpoint{"diskless", 0}], w.ends[endpoint{"server", 0}] = endpoint{"server", 0}, endpoint{"diskless", 0}
	w.macs[endpoint{"diskless", 0}], w.macs[endpoint{"server", 0}] = macHost, macRouter
	ping := &replies{}
	for _, n := range []struct {
		name string
		cfg  Config
		up   Upper
	}{
		{"diskless", disklessConfig(), ping},
		{"server", Config{Interfaces: []Interface{{MAC: macRouter, Addr: pfx("10.0.1.1/24")}}, RARPServer: RARPServer{macHost: addr("10.0.1.10")}}, &replies{}},
	} {
		s, err := NewStack(nodeEnv{env, n.name}, n.cfg, wireLink{w, n.name}, n.up)
		if err != nil {
			t.Fatal(err)
		}
		w.stacks[n.name] = s
	}
	if err := w.stacks["diskless"].RequestAddress(); err != nil {
		t.Fatal(err)
	}
	env.Run(100)
	if err := w.stacks["diskless"].Ping(addr("10.0.1.1"), 1, 1, []byte("booted")); err != nil {
		t.Fatal(err)
	}
	env.Run(100)
	var got []string
	for _, ev := range env.Events {
		got = append(got, fmt.Sprintf("%s %s %s: %s", ev.Time, ev.Node, ev.Dir, ev.Text))
	}
	want := []string{
		"0s diskless note: eth0 has no IPv4 address: broadcasting a RARP request for the address of 02:00:00:00:01:0a",
		"1ms server note: RARP request from 02:00:00:00:01:0a: the table says 02:00:00:00:01:0a is 10.0.1.10, replying",
		"2ms diskless state: RARP server 10.0.1.1 (02:00:00:00:01:01) says this interface is 10.0.1.10: eth0 is now 10.0.1.10/24",
		"1s diskless note: sending ICMP echo request id=1 seq=1 to 10.0.1.1",
		"1s diskless note: 10.0.1.1 is on the local network eth0 (10.0.1.0/24)",
		"1s diskless note: ARP cache has no entry for 10.0.1.1: datagram waits",
		"1.001s server note: ARP cache: learned 10.0.1.10 is at 02:00:00:00:01:0a (from its request)",
		"1.001s server note: ARP request for this interface's address 10.0.1.1 from 10.0.1.10: replying",
		"1.002s diskless note: ARP cache: 10.0.1.1 is at 02:00:00:00:01:01; 1 waiting datagram sent",
		"1.003s server note: ICMP echo request id=1 seq=1 from 10.0.1.10: answering with an echo reply",
		"1.003s server note: sending ICMP echo reply id=1 seq=1 to 10.0.1.10",
		"1.003s server note: 10.0.1.10 is on the local network eth0 (10.0.1.0/24)",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("trace (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"ICMP echo reply id=1 seq=1 from 10.0.1.1"}, ping.got); diff != "" {
		t.Errorf("ping got (-want +got):\n%s", diff)
	}
}
