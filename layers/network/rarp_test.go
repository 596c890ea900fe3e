package network

import (
	"bytes"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/osisim/osisim/layers"
	"github.com/osisim/osisim/layers/datalink"
	"github.com/osisim/osisim/layers/layerstest"
)

var (
	// Constructed: RARP request (opcode 3) from 02:00:00:00:01:0a about
	// itself: sender and target MAC 02:00:00:00:01:0a, both IPv4
	// addresses 0.0.0.0.
	fixRARPRequest = unhex(`
		0001 0800 0604 0003 0200 0000 010a 0000 0000
		0200 0000 010a 0000 0000`)

	// Constructed: RARP reply (opcode 4) from the server 10.0.1.1 at
	// 02:00:00:00:01:01: 02:00:00:00:01:0a is 10.0.1.10.
	fixRARPReply = unhex(`
		0001 0800 0604 0004 0200 0000 0101 0a00 0101
		0200 0000 010a 0a00 010a`)
)

// rarpServerConfig is the test router serving one entry: the host.
func rarpServerConfig() Config {
	c := routerConfig()
	c.RARPServer = RARPServer{macHost: addr("10.0.1.10")}
	return c
}

// disklessConfig is the test host with no address yet on 10.0.1.0/24.
func disklessConfig() Config {
	return Config{Interfaces: []Interface{{Name: "eth0", MAC: macHost, Addr: pfx("0.0.0.0/24")}}}
}

func TestRARPWire(t *testing.T) {
	for _, tt := range []struct {
		b    []byte
		want ARP
	}{
		{fixRARPRequest, ARP{Op: RARPRequest, SenderMAC: macHost, SenderIP: addr("0.0.0.0"), TargetMAC: macHost, TargetIP: addr("0.0.0.0")}},
		{fixRARPReply, ARP{Op: RARPReply, SenderMAC: macRouter, SenderIP: addr("10.0.1.1"), TargetMAC: macHost, TargetIP: addr("10.0.1.10")}},
	} {
		a := mustARP(t, tt.b)
		if diff := cmp.Diff(tt.want, a, cmpOpts); diff != "" {
			t.Errorf("ParseARP (-want +got):\n%s", diff)
		}
		if out := a.Append(nil); !bytes.Equal(out, tt.b) {
			t.Errorf("Append:\n got %x\nwant %x", out, tt.b)
		}
	}
}

func TestRARPServerAnswers(t *testing.T) {
	r := newNode(t, "router", rarpServerConfig(), false)
	r.s.HandleFrame(0, macHost, datalink.EtherTypeRARP, fixRARPRequest, layers.Meta{ID: 4})
	diffTexts(t, "known", []string{
		"L3 note: RARP request from 02:00:00:00:01:0a: the table says 02:00:00:00:01:0a is 10.0.1.10, replying",
	}, r.events())
	f := checkOneFrame(t, "reply", r.link.take(), 0, macHost, datalink.EtherTypeRARP)
	if !bytes.Equal(f.Payload, fixRARPReply) {
		t.Errorf("reply:\n got %x\nwant %x", f.Payload, fixRARPReply)
	}
	// A hardware address the table does not hold gets no reply; nor does
	// an ARP opcode in a RARP frame.
	r.s.HandleFrame(0, macPeer, datalink.EtherTypeRARP, ARP{Op: RARPRequest, SenderMAC: macPeer, TargetMAC: macPeer}.Append(nil), layers.Meta{})
	r.s.HandleFrame(0, macHost, datalink.EtherTypeRARP, fixARPRequest, layers.Meta{})
	r.s.HandleFrame(0, macHost, datalink.EtherTypeRARP, fixRARPRequest[:20], layers.Meta{})
	diffTexts(t, "unknown", []string{
		"L3 drop: RARP request: who is 02:00:00:00:01:14? tell 02:00:00:00:01:14: 02:00:00:00:01:14 is not in this server's RARP table, no reply [not-for-me]",
		"L3 drop: request in a RARP frame (EtherType 0x8035) discarded: RARP uses opcodes 3 and 4 [malformed]",
		"L3 drop: RARP packet discarded: network: ARP packet too short: 20 bytes, need 28 [malformed]",
	}, r.events())
	if n := len(r.link.take()); n != 0 {
		t.Errorf("%d frames sent", n)
	}
	// A node that is no server ignores requests.
	h := newNode(t, "host", hostConfig(), true)
	h.s.HandleFrame(0, macPeer, datalink.EtherTypeRARP, fixRARPRequest, layers.Meta{})
	diffTexts(t, "no server", []string{
		"L3 drop: RARP request: who is 02:00:00:00:01:0a? tell 02:00:00:00:01:0a ignored: this node is not a RARP server [not-for-me]",
	}, h.events())
}

func TestRARPClient(t *testing.T) {
	h := newNode(t, "diskless", disklessConfig(), true)
	if err := h.s.Send(addr("10.0.1.1"), ProtoUDP, []byte("x"), layers.Meta{}); !errors.Is(err, ErrNoRoute) {
		t.Errorf("Send before the address = %v, want no route", err)
	}
	// ARP is not answered without an address.
	h.s.HandleFrame(0, macRouter, datalink.EtherTypeARP, arpBytes(ARPRequest, macRouter, "10.0.1.1", datalink.MAC{}, "0.0.0.0"), layers.Meta{})
	diffTexts(t, "ARP without address", []string{
		"L3 drop: no route to 10.0.1.1: the routing table has no matching prefix and no default route, datagram not sent [no-route]",
		"L3 drop: ARP request: who has 0.0.0.0? tell 10.0.1.1 ignored: eth0 has no IPv4 address yet [not-for-me]",
	}, h.events())
	if err := h.s.RequestAddress(); err != nil {
		t.Fatal(err)
	}
	f := checkOneFrame(t, "request", h.link.take(), 0, datalink.Broadcast, datalink.EtherTypeRARP)
	if !bytes.Equal(f.Payload, fixRARPRequest) {
		t.Errorf("request:\n got %x\nwant %x", f.Payload, fixRARPRequest)
	}
	if err := h.s.RequestAddress(); err == nil || err.Error() != "network: a RARP request for the address of eth0 is already out" {
		t.Errorf("second RequestAddress = %v", err)
	}
	h.env.Advance(500 * time.Millisecond)
	h.s.HandleFrame(0, macRouter, datalink.EtherTypeRARP, fixRARPReply, layers.Meta{ID: 6})
	diffTexts(t, "learned", []string{
		"L3 note: eth0 has no IPv4 address: broadcasting a RARP request for the address of 02:00:00:00:01:0a",
		"L3 state: RARP server 10.0.1.1 (02:00:00:00:01:01) says this interface is 10.0.1.10: eth0 is now 10.0.1.10/24",
	}, h.events())
	if got := h.s.Interfaces()[0].Addr; got != pfx("10.0.1.10/24") {
		t.Errorf("address %s, want 10.0.1.10/24", got)
	}
	if diff := cmp.Diff("Destination        Gateway          Interface\n10.0.1.0/24        direct           eth0\n", h.s.RouteTable()); diff != "" {
		t.Errorf("routes (-want +got):\n%s", diff)
	}
	// The retry timer was stopped, and the host now speaks IP.
	h.env.Advance(10 * time.Second)
	if ev := h.events(); len(ev) != 0 {
		t.Errorf("after the reply: %q", ev)
	}
	if err := h.s.Send(addr("10.0.1.1"), ProtoUDP, []byte("x"), layers.Meta{}); err != nil {
		t.Fatal(err)
	}
	req := checkOneFrame(t, "first datagram", h.link.take(), 0, datalink.Broadcast, datalink.EtherTypeARP)
	if a := mustARP(t, req.Payload); a.SenderIP != addr("10.0.1.10") {
		t.Errorf("ARP request from %s", a.SenderIP)
	}
	if err := h.s.RequestAddress(); err == nil {
		t.Error("RequestAddress with every interface addressed succeeded")
	}
	// A second reply is not for a request that is out.
	h.events()
	h.s.HandleFrame(0, macRouter, datalink.EtherTypeRARP, fixRARPReply, layers.Meta{})
	diffTexts(t, "late reply", []string{
		"L3 drop: RARP reply: 02:00:00:00:01:0a is 10.0.1.10 ignored: eth0 asked no RARP server about it [not-for-me]",
	}, h.events())
}

func TestRARPRetriesAndBadReplies(t *testing.T) {
	h := newNode(t, "diskless", disklessConfig(), true)
	if err := h.s.RequestAddress(); err != nil {
		t.Fatal(err)
	}
	h.events()
	// A reply for another station, and one giving the network address.
	other := ARP{Op: RARPReply, SenderMAC: macRouter, SenderIP: addr("10.0.1.1"), TargetMAC: macPeer, TargetIP: addr("10.0.1.20")}.Append(nil)
	bad := ARP{Op: RARPReply, SenderMAC: macRouter, SenderIP: addr("10.0.1.1"), TargetMAC: macHost, TargetIP: addr("10.0.1.0")}.Append(nil)
	h.s.HandleFrame(0, macRouter, datalink.EtherTypeRARP, other, layers.Meta{})
	h.s.HandleFrame(0, macRouter, datalink.EtherTypeRARP, bad, layers.Meta{})
	h.env.Advance(10 * time.Second)
	diffTexts(t, "retries", []string{
		"L3 drop: RARP reply: 02:00:00:00:01:14 is 10.0.1.20 ignored: eth0 asked no RARP server about it [not-for-me]",
		"L3 drop: RARP reply from 10.0.1.1 discarded: network: interface eth0: 10.0.1.0 is the network address of 10.0.1.0/24, not a host address [malformed]",
		"L3 timer: no RARP reply after 1s: asking again (retry 1 of 3)",
		"L3 timer: no RARP reply after 1s: asking again (retry 2 of 3)",
		"L3 timer: no RARP reply after 1s: asking again (retry 3 of 3)",
		"L3 timer: no RARP server answered 4 requests: eth0 stays without an address",
	}, h.events())
	if n := len(h.link.take()); n != 4 {
		t.Errorf("%d requests sent, want 4", n)
	}
	if got := h.s.Interfaces()[0].Addr; got != pfx("0.0.0.0/24") {
		t.Errorf("address %s after failure", got)
	}
	// It may ask again.
	if err := h.s.RequestAddress(); err != nil {
		t.Errorf("RequestAddress after failure: %v", err)
	}
}

func TestRARPConfigErrors(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		want string
	}{
		{"no prefix length", Config{Interfaces: []Interface{{MAC: macHost, Addr: pfx("0.0.0.0/0")}}},
			"network: interface eth0: an interface without an address still needs its network's prefix length (0.0.0.0/24)"},
		{"bad MAC without address", Config{Interfaces: []Interface{{MAC: datalink.Broadcast, Addr: pfx("0.0.0.0/24")}}},
			"network: interface eth0: MAC address ff:ff:ff:ff:ff:ff is not a unicast address"},
		{"route through no network", Config{Interfaces: disklessConfig().Interfaces, Routes: []Route{{Prefix: pfx("0.0.0.0/0"), Gateway: addr("10.0.1.1")}}},
			"network: route 0.0.0.0/0: gateway 10.0.1.1 is on none of the node's networks"},
		{"table address", Config{Interfaces: hostConfig().Interfaces, RARPServer: RARPServer{macPeer: addr("224.0.0.1"), macHost: addr("10.0.1.10")}},
			"network: RARP table: 02:00:00:00:01:14 maps to 224.0.0.1, not an IPv4 host address"},
		{"table MAC", Config{Interfaces: hostConfig().Interfaces, RARPServer: RARPServer{{}: addr("10.0.1.9"), macPeer: netipFrom4([4]byte{})}},
			"network: RARP table: 00:00:00:00:00:00 is not a unicast MAC address"},
	}
	for _, tt := range tests {
		if _, err := NewStack(layerstest.New("n", 1), tt.cfg, &fakeLink{}, nil); err == nil || err.Error() != tt.want {
			t.Errorf("%s: NewStack error %v, want %q", tt.name, err, tt.want)
		}
	}
}
