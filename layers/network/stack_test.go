package network

import (
	"bytes"
	"errors"
	"net/netip"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/osisim/osisim/layers"
	"github.com/osisim/osisim/layers/datalink"
	"github.com/osisim/osisim/layers/layerstest"
)

// The test network: host (10.0.1.10) and peer (10.0.1.20) on 10.0.1.0/24,
// the router (10.0.1.1 on eth0, 10.0.2.1 on eth1), and the server
// 10.0.2.110 on 10.0.2.0/24.
var (
	macPeer     = datalink.MAC{0x02, 0, 0, 0, 0x01, 0x14}
	macRouterE1 = datalink.MAC{0x02, 0, 0, 0, 0x02, 0x01}
	macServer   = datalink.MAC{0x02, 0, 0, 0, 0x02, 0x6e}
)

// sent is one frame the stack handed to the link.
type sent struct {
	Iface   int
	Dst     datalink.MAC
	Type    datalink.EtherType
	Payload []byte
	Meta    layers.Meta
}

// fakeLink records every frame, copying the payload as a link must.
type fakeLink struct{ frames []sent }

func (l *fakeLink) SendFrame(iface int, dst datalink.MAC, t datalink.EtherType, payload []byte, m layers.Meta) {
	l.frames = append(l.frames, sent{iface, dst, t, append([]byte(nil), payload...), m})
}

// take returns the frames sent since the last call.
func (l *fakeLink) take() []sent {
	f := l.frames
	l.frames = nil
	return f
}

type icmpUp struct {
	Src netip.Addr
	Msg ICMP
}

// fakeUpper records what the IP layer delivers, copying what aliases.
type fakeUpper struct {
	datagrams []Datagram
	icmp      []icmpUp
}

func (u *fakeUpper) Deliver(d Datagram, m layers.Meta) {
	d.Payload = append([]byte(nil), d.Payload...)
	d.Options = append([]byte(nil), d.Options...)
	u.datagrams = append(u.datagrams, d)
}

func (u *fakeUpper) DeliverICMP(src netip.Addr, msg ICMP, m layers.Meta) {
	msg.Data = append([]byte(nil), msg.Data...)
	u.icmp = append(u.icmp, icmpUp{src, msg})
}

type node struct {
	s    *Stack
	env  *layerstest.Env
	link *fakeLink
	up   *fakeUpper
}

// events returns the texts of the events recorded since the last call.
func (n *node) events() []string {
	t := n.env.Texts()
	n.env.Events = nil
	return t
}

func hostConfig() Config {
	return Config{
		Interfaces: []Interface{{Name: "eth0", MAC: macHost, Addr: pfx("10.0.1.10/24")}},
		Routes:     []Route{{Prefix: pfx("0.0.0.0/0"), Gateway: addr("10.0.1.1")}},
	}
}

func routerConfig() Config {
	return Config{
		Interfaces: []Interface{
			{Name: "eth0", MAC: macRouter, Addr: pfx("10.0.1.1/24")},
			{Name: "eth1", MAC: macRouterE1, Addr: pfx("10.0.2.1/24")},
		},
		Forwarding: true,
	}
}

func newNode(t *testing.T, name string, cfg Config, withUpper bool) *node {
	t.Helper()
	n := &node{env: layerstest.New(name, 1), link: &fakeLink{}}
	var up Upper
	if withUpper {
		n.up = &fakeUpper{}
		up = n.up
	}
	s, err := NewStack(n.env, cfg, n.link, up)
	if err != nil {
		t.Fatalf("NewStack: %v", err)
	}
	n.s = s
	return n
}

func arpBytes(op uint16, smac datalink.MAC, sip string, tmac datalink.MAC, tip string) []byte {
	return ARP{Op: op, SenderMAC: smac, SenderIP: addr(sip), TargetMAC: tmac, TargetIP: addr(tip)}.Append(nil)
}

func datagram(src, dst string, ttl uint8, p Protocol, payload []byte) []byte {
	return Datagram{ID: 0x1a2b, TTL: ttl, Protocol: p, Src: addr(src), Dst: addr(dst), Payload: payload}.Append(nil)
}

func mustParse(t *testing.T, b []byte) Datagram {
	t.Helper()
	d, err := Parse(b)
	if err != nil {
		t.Fatalf("sent datagram does not parse: %v", err)
	}
	return d
}

func mustARP(t *testing.T, b []byte) ARP {
	t.Helper()
	a, err := ParseARP(b)
	if err != nil {
		t.Fatalf("sent ARP does not parse: %v", err)
	}
	return a
}

func diffTexts(t *testing.T, what string, want, got []string) {
	t.Helper()
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("%s: events (-want +got):\n%s", what, diff)
	}
}

// checkOneFrame asserts exactly one frame of type typ to dst on iface.
func checkOneFrame(t *testing.T, what string, frames []sent, iface int, dst datalink.MAC, typ datalink.EtherType) sent {
	t.Helper()
	if len(frames) != 1 {
		t.Fatalf("%s: %d frames sent, want 1: %+v", what, len(frames), frames)
	}
	f := frames[0]
	if f.Iface != iface || f.Dst != dst || f.Type != typ {
		t.Fatalf("%s: frame on iface %d to %s type %s, want iface %d to %s type %s", what, f.Iface, f.Dst, f.Type, iface, dst, typ)
	}
	return f
}

func TestSendWaitsForARPThenUsesCache(t *testing.T) {
	h := newNode(t, "host", hostConfig(), true)
	segment := []byte("a TCP segment")
	if err := h.s.Send(addr("10.0.2.110"), ProtoTCP, segment, layers.Meta{ID: 77}); err != nil {
		t.Fatalf("Send: %v", err)
	}
	diffTexts(t, "first send", []string{
		"L3 note: route 10.0.2.110 via 10.0.1.1 (default gateway) on eth0",
		"L3 note: ARP cache has no entry for 10.0.1.1: datagram waits",
	}, h.events())
	req := checkOneFrame(t, "first send", h.link.take(), 0, datalink.Broadcast, datalink.EtherTypeARP)
	if req.Meta.ID != 0 || len(req.Meta.Parents) != 0 {
		t.Errorf("ARP request meta %+v: it carries no upper PDU", req.Meta)
	}
	if diff := cmp.Diff(ARP{Op: ARPRequest, SenderMAC: macHost, SenderIP: addr("10.0.1.10"), TargetIP: addr("10.0.1.1")}, mustARP(t, req.Payload), cmpOpts); diff != "" {
		t.Errorf("ARP request (-want +got):\n%s", diff)
	}

	// The router answers; the waiting datagram goes out to its MAC address.
	h.s.HandleFrame(0, macRouter, datalink.EtherTypeARP, arpBytes(ARPReply, macRouter, "10.0.1.1", macHost, "10.0.1.10"), layers.Meta{ID: 90})
	diffTexts(t, "ARP reply", []string{
		"L3 note: ARP cache: 10.0.1.1 is at 02:00:00:00:01:01; 1 waiting datagram sent",
	}, h.events())
	f := checkOneFrame(t, "ARP reply", h.link.take(), 0, macRouter, datalink.EtherTypeIPv4)
	d := mustParse(t, f.Payload)
	want := Datagram{ID: d.ID, TTL: 64, Protocol: ProtoTCP, Checksum: d.Checksum, Src: addr("10.0.1.10"), Dst: addr("10.0.2.110"), Payload: segment}
	if diff := cmp.Diff(want, d, cmpOpts); diff != "" {
		t.Errorf("datagram (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(layers.Meta{ID: 77}, f.Meta); diff != "" {
		t.Errorf("meta handed to the link (-want +got):\n%s", diff)
	}

	// The second datagram finds the cache entry and leaves at once.
	if err := h.s.Send(addr("10.0.2.110"), ProtoTCP, segment, layers.Meta{ID: 78}); err != nil {
		t.Fatalf("Send: %v", err)
	}
	diffTexts(t, "second send", []string{"L3 note: route 10.0.2.110 via 10.0.1.1 (default gateway) on eth0"}, h.events())
	f2 := checkOneFrame(t, "second send", h.link.take(), 0, macRouter, datalink.EtherTypeIPv4)
	if d2 := mustParse(t, f2.Payload); d2.ID != d.ID+1 {
		t.Errorf("second identification 0x%04x, want 0x%04x", d2.ID, d.ID+1)
	}
	if diff := cmp.Diff([]ARPEntry{{Iface: 0, IP: addr("10.0.1.1"), MAC: macRouter, Expires: DefaultARPTimeout}}, h.s.ARPCache().Entries(), cmpOpts); diff != "" {
		t.Errorf("ARP cache (-want +got):\n%s", diff)
	}
}

func TestSendOnLink(t *testing.T) {
	h := newNode(t, "host", hostConfig(), true)
	if err := h.s.Send(addr("10.0.1.20"), ProtoUDP, []byte("x"), layers.Meta{}); err != nil {
		t.Fatal(err)
	}
	diffTexts(t, "on-link send", []string{
		"L3 note: 10.0.1.20 is on the local network eth0 (10.0.1.0/24)",
		"L3 note: ARP cache has no entry for 10.0.1.20: datagram waits",
	}, h.events())
	req := checkOneFrame(t, "on-link send", h.link.take(), 0, datalink.Broadcast, datalink.EtherTypeARP)
	if a := mustARP(t, req.Payload); a.TargetIP != addr("10.0.1.20") {
		t.Errorf("ARP asks for %s, want the destination itself", a.TargetIP)
	}
}

func TestARPRetryThenFailure(t *testing.T) {
	h := newNode(t, "host", hostConfig(), true)
	if err := h.s.Send(addr("10.0.2.110"), ProtoTCP, []byte("lost"), layers.Meta{ID: 5}); err != nil {
		t.Fatal(err)
	}
	// A second datagram joins the queue without a second request.
	if err := h.s.Send(addr("10.0.2.110"), ProtoTCP, []byte("also lost"), layers.Meta{ID: 6}); err != nil {
		t.Fatal(err)
	}
	h.events()
	requests := len(h.link.take())
	for i := 0; i < 5; i++ {
		h.env.Advance(time.Second)
		for _, f := range h.link.take() {
			if f.Type != datalink.EtherTypeARP || f.Dst != datalink.Broadcast {
				t.Fatalf("at %s: unexpected frame %+v", h.env.Now(), f)
			}
			requests++
		}
	}
	if requests != 4 {
		t.Errorf("%d ARP requests, want 1 + 3 retries", requests)
	}
	drops := h.env.Find("never answered ARP")
	if len(drops) != 2 || drops[0].PDU == nil || drops[0].PDU.Kind != "ipv4" || !cmp.Equal(drops[0].PDU.Parents, []uint64{5}) {
		t.Errorf("ARP failure drops %+v: want the datagram carrying PDU 5", drops)
	}
	diffTexts(t, "ARP failure", []string{
		"L3 timer: no ARP reply from 10.0.1.1 after 1s: asking again (retry 1 of 3)",
		"L3 timer: no ARP reply from 10.0.1.1 after 1s: asking again (retry 2 of 3)",
		"L3 timer: no ARP reply from 10.0.1.1 after 1s: asking again (retry 3 of 3)",
		"L3 timer: ARP for 10.0.1.1 failed: no reply to 4 requests; 2 waiting datagrams dropped",
		"L3 drop: next hop 10.0.1.1 never answered ARP: datagram for 10.0.2.110 dropped [arp-failed]",
		"L3 note: ICMP destination unreachable (host unreachable) reported to the local TCP sender",
		"L3 drop: next hop 10.0.1.1 never answered ARP: datagram for 10.0.2.110 dropped [arp-failed]",
		"L3 note: ICMP destination unreachable (host unreachable) reported to the local TCP sender",
	}, h.events())
	if len(h.up.icmp) != 2 {
		t.Fatalf("%d ICMP messages delivered, want 2", len(h.up.icmp))
	}
	got := h.up.icmp[0]
	if got.Src != addr("10.0.1.10") || got.Msg.Type != ICMPDestUnreachable || got.Msg.Code != ICMPHostUnreachable {
		t.Errorf("delivered %s from %s", got.Msg.Summary(), got.Src)
	}
	od, err := got.Msg.Original()
	if err != nil {
		t.Fatal(err)
	}
	if od.Dst != addr("10.0.2.110") || od.Protocol != ProtoTCP || string(od.Payload) != "lost" {
		t.Errorf("quoted datagram %s payload %q", od.Summary(), od.Payload)
	}
	if len(h.s.ARPCache().Entries()) != 0 || h.env.Pending() != 0 {
		t.Errorf("after failure: cache %v, %d timers pending", h.s.ARPCache().Entries(), h.env.Pending())
	}
	// A new datagram starts a new resolution.
	if err := h.s.Send(addr("10.0.2.110"), ProtoTCP, []byte("again"), layers.Meta{}); err != nil {
		t.Fatal(err)
	}
	checkOneFrame(t, "after failure", h.link.take(), 0, datalink.Broadcast, datalink.EtherTypeARP)
}

func TestARPQueueLimit(t *testing.T) {
	h := newNode(t, "host", hostConfig(), true)
	for i := 0; i <= ARPQueueLimit; i++ {
		if err := h.s.Send(addr("10.0.2.110"), ProtoUDP, []byte{byte(i)}, layers.Meta{}); err != nil {
			t.Fatal(err)
		}
	}
	drops := h.env.Find("already wait")
	if len(drops) != 1 || drops[0].Reason != layers.ReasonQueueFull || drops[0].PDU == nil {
		t.Fatalf("queue-full drops: %+v", drops)
	}
	if got := drops[0].Text; got != "16 datagrams already wait for the ARP reply from 10.0.1.1: datagram dropped" {
		t.Errorf("drop text %q", got)
	}
	checkOneFrame(t, "queueing", h.link.take(), 0, datalink.Broadcast, datalink.EtherTypeARP)
	if e := h.s.ARPCache().Entries(); len(e) != 1 || !e[0].Incomplete || e[0].Waiting != ARPQueueLimit {
		t.Errorf("cache while waiting: %+v", e)
	}
	if got := h.s.ARPCache().String(); got != "10.0.1.1 at (incomplete) on eth0, 16 datagrams waiting\n" {
		t.Errorf("cache String = %q", got)
	}
	h.s.HandleFrame(0, macRouter, datalink.EtherTypeARP, arpBytes(ARPReply, macRouter, "10.0.1.1", macHost, "10.0.1.10"), layers.Meta{})
	frames := h.link.take()
	if len(frames) != ARPQueueLimit {
		t.Fatalf("%d datagrams released, want %d", len(frames), ARPQueueLimit)
	}
	for i, f := range frames {
		if d := mustParse(t, f.Payload); d.Payload[0] != byte(i) || f.Dst != macRouter {
			t.Errorf("released datagram %d carries %d to %s", i, d.Payload[0], f.Dst)
		}
	}
	if h.env.Pending() != 0 {
		// The retry timer was stopped; layerstest keeps stopped timers
		// queued as no-ops, so fire them and check nothing happens.
		h.env.Run(10)
		if f := h.link.take(); len(f) != 0 {
			t.Errorf("retry after the reply sent %d frames", len(f))
		}
	}
}

func TestARPExpiry(t *testing.T) {
	h := newNode(t, "host", hostConfig(), true)
	h.s.HandleFrame(0, macRouter, datalink.EtherTypeARP, arpBytes(ARPRequest, macRouter, "10.0.1.1", datalink.MAC{}, "10.0.1.10"), layers.Meta{})
	h.link.take()
	h.events()
	if mac, ok := h.s.ARPCache().Lookup(0, addr("10.0.1.1")); !ok || mac != macRouter {
		t.Fatalf("learned entry: %s %v", mac, ok)
	}
	h.env.Advance(DefaultARPTimeout - time.Millisecond)
	if err := h.s.Send(addr("10.0.2.110"), ProtoUDP, []byte("x"), layers.Meta{}); err != nil {
		t.Fatal(err)
	}
	checkOneFrame(t, "before expiry", h.link.take(), 0, macRouter, datalink.EtherTypeIPv4)
	h.env.Advance(time.Millisecond)
	if _, ok := h.s.ARPCache().Lookup(0, addr("10.0.1.1")); ok {
		t.Error("entry still valid after ARPTimeout")
	}
	h.events()
	if err := h.s.Send(addr("10.0.2.110"), ProtoUDP, []byte("x"), layers.Meta{}); err != nil {
		t.Fatal(err)
	}
	checkOneFrame(t, "after expiry", h.link.take(), 0, datalink.Broadcast, datalink.EtherTypeARP)
	diffTexts(t, "after expiry", []string{
		"L3 note: route 10.0.2.110 via 10.0.1.1 (default gateway) on eth0",
		"L3 note: ARP cache entry 10.0.1.1 is at 02:00:00:00:01:01 expired (not confirmed for 1m0s): asking again",
		"L3 note: ARP cache has no entry for 10.0.1.1: datagram waits",
	}, h.events())
}

func TestAnswerARPRequest(t *testing.T) {
	r := newNode(t, "router", routerConfig(), false)
	r.s.HandleFrame(0, macHost, datalink.EtherTypeARP, fixARPRequest, layers.Meta{ID: 3})
	diffTexts(t, "request for us", []string{
		"L3 note: ARP cache: learned 10.0.1.10 is at 02:00:00:00:01:0a (from its request)",
		"L3 note: ARP request for this interface's address 10.0.1.1 from 10.0.1.10: replying",
	}, r.events())
	f := checkOneFrame(t, "request for us", r.link.take(), 0, macHost, datalink.EtherTypeARP)
	if !bytes.Equal(f.Payload, fixARPReply) {
		t.Errorf("reply:\n got %x\nwant %x", f.Payload, fixARPReply)
	}
	// A request for 10.0.1.1 arriving on eth1 is not for that interface.
	r.s.HandleFrame(1, macServer, datalink.EtherTypeARP, arpBytes(ARPRequest, macServer, "10.0.2.110", datalink.MAC{}, "10.0.1.1"), layers.Meta{})
	diffTexts(t, "request on the other interface", []string{
		"L3 drop: ARP request for 10.0.1.1, not this interface's address 10.0.2.1 [not-for-me]",
	}, r.events())
	if len(r.link.take()) != 0 {
		t.Error("answered a request for another interface's address")
	}
	if diff := cmp.Diff([]ARPEntry{{Iface: 0, IP: addr("10.0.1.10"), MAC: macHost, Expires: DefaultARPTimeout}}, r.s.ARPCache().Entries(), cmpOpts); diff != "" {
		t.Errorf("cache (-want +got):\n%s", diff)
	}
}

func TestARPMergeRule(t *testing.T) {
	h := newNode(t, "host", hostConfig(), true)
	// A request between two other stations teaches nothing new...
	h.s.HandleFrame(0, macPeer, datalink.EtherTypeARP, arpBytes(ARPRequest, macPeer, "10.0.1.20", datalink.MAC{}, "10.0.1.1"), layers.Meta{})
	if len(h.s.ARPCache().Entries()) != 0 {
		t.Fatal("learned a sender from a request for another address")
	}
	// ...but updates an entry that exists (RFC 826: merge before checking
	// the target).
	h.s.HandleFrame(0, macPeer, datalink.EtherTypeARP, arpBytes(ARPRequest, macPeer, "10.0.1.20", datalink.MAC{}, "10.0.1.10"), layers.Meta{})
	h.env.Advance(10 * time.Second)
	moved := datalink.MAC{0x02, 0, 0, 0, 0x01, 0x99}
	h.events()
	h.s.HandleFrame(0, moved, datalink.EtherTypeARP, arpBytes(ARPRequest, moved, "10.0.1.20", datalink.MAC{}, "10.0.1.1"), layers.Meta{})
	diffTexts(t, "merge", []string{"L3 note: ARP cache: 10.0.1.20 moved from 02:00:00:00:01:14 to 02:00:00:00:01:99"}, h.events())
	if diff := cmp.Diff([]ARPEntry{{IP: addr("10.0.1.20"), MAC: moved, Expires: 10*time.Second + DefaultARPTimeout}}, h.s.ARPCache().Entries(), cmpOpts); diff != "" {
		t.Errorf("cache (-want +got):\n%s", diff)
	}
	// A probe (sender 0.0.0.0) and a claim of our own address are not learned.
	h.s.HandleFrame(0, macPeer, datalink.EtherTypeARP, arpBytes(ARPRequest, macPeer, "0.0.0.0", datalink.MAC{}, "10.0.1.10"), layers.Meta{})
	h.s.HandleFrame(0, macPeer, datalink.EtherTypeARP, arpBytes(ARPReply, macPeer, "10.0.1.10", macHost, "10.0.1.10"), layers.Meta{})
	if n := len(h.s.ARPCache().Entries()); n != 1 {
		t.Errorf("%d entries after probe and conflict, want 1", n)
	}
	if c := h.env.Find("address conflict"); len(c) != 1 || c[0].Reason != layers.ReasonNotForMe {
		t.Errorf("conflict events: %+v", c)
	}
}

func TestRouterForwards(t *testing.T) {
	r := newNode(t, "router", routerConfig(), false)
	in := datagram("10.0.1.10", "10.0.2.110", 64, ProtoTCP, []byte("SYN"))
	r.s.HandleFrame(0, macHost, datalink.EtherTypeIPv4, in, layers.Meta{ID: 41})
	if fwd := r.env.Events[0]; fwd.Iface != "eth1" {
		t.Errorf("forward note on %q, want eth1", fwd.Iface)
	}
	diffTexts(t, "forward", []string{
		"L3 note: forward to 10.0.2.110 via eth1, TTL 64 -> 63",
		"L3 note: ARP cache has no entry for 10.0.2.110: datagram waits",
	}, r.events())
	req := checkOneFrame(t, "forward", r.link.take(), 1, datalink.Broadcast, datalink.EtherTypeARP)
	if diff := cmp.Diff(ARP{Op: ARPRequest, SenderMAC: macRouterE1, SenderIP: addr("10.0.2.1"), TargetIP: addr("10.0.2.110")}, mustARP(t, req.Payload), cmpOpts); diff != "" {
		t.Errorf("ARP request on eth1 (-want +got):\n%s", diff)
	}
	r.s.HandleFrame(1, macServer, datalink.EtherTypeARP, arpBytes(ARPReply, macServer, "10.0.2.110", macRouterE1, "10.0.2.1"), layers.Meta{})
	f := checkOneFrame(t, "forward after ARP", r.link.take(), 1, macServer, datalink.EtherTypeIPv4)
	if f.Meta.ID != 41 {
		t.Errorf("forwarded meta %+v, want the arriving datagram's id 41", f.Meta)
	}
	got := mustParse(t, f.Payload) // verifies the updated checksum
	want := mustParse(t, in)
	want.TTL, want.Checksum = 63, got.Checksum
	if diff := cmp.Diff(want, got, cmpOpts); diff != "" {
		t.Errorf("forwarded datagram (-want +got):\n%s", diff)
	}
	if got.Checksum != fullChecksum(f.Payload) {
		t.Errorf("checksum 0x%04x, recomputed 0x%04x", got.Checksum, fullChecksum(f.Payload))
	}

	// Ethernet padding after the datagram is not forwarded.
	r.events()
	padded := append(append([]byte(nil), in...), 0, 0, 0, 0)
	r.s.HandleFrame(0, macHost, datalink.EtherTypeIPv4, padded, layers.Meta{ID: 42})
	f = checkOneFrame(t, "second datagram", r.link.take(), 1, macServer, datalink.EtherTypeIPv4)
	if len(f.Payload) != len(in) {
		t.Errorf("forwarded %d octets, want %d", len(f.Payload), len(in))
	}
}

// learn makes node n's ARP cache know ip on iface by answering a request
// from it.
func learn(n *node, iface int, mac datalink.MAC, ip string) {
	own := n.s.ifaces[iface].addr.String()
	n.s.HandleFrame(iface, mac, datalink.EtherTypeARP, arpBytes(ARPRequest, mac, ip, datalink.MAC{}, own), layers.Meta{})
	n.link.take()
	n.events()
}

func TestRouterTTLExpiry(t *testing.T) {
	r := newNode(t, "router", routerConfig(), false)
	learn(r, 0, macHost, "10.0.1.10")
	in := datagram("10.0.1.10", "10.0.2.110", 1, ProtoUDP, []byte("0123456789abcdef"))
	r.s.HandleFrame(0, macHost, datalink.EtherTypeIPv4, in, layers.Meta{ID: 50})
	if ev := r.env.Find("sending ICMP"); len(ev) != 1 || ev[0].PDU == nil || ev[0].PDU.Kind != "icmp" || len(ev[0].PDU.Parents) != 1 || ev[0].PDU.Parents[0] != 50 {
		t.Errorf("ICMP note %+v", ev)
	}
	diffTexts(t, "ttl expiry", []string{
		"L3 drop: TTL expired in transit: datagram from 10.0.1.10 to 10.0.2.110 arrived with TTL 1 [ttl-expired]",
		"L3 note: sending ICMP time exceeded (TTL expired in transit) to 10.0.1.10",
		"L3 note: 10.0.1.10 is on the local network eth0 (10.0.1.0/24)",
	}, r.events())
	f := checkOneFrame(t, "ttl expiry", r.link.take(), 0, macHost, datalink.EtherTypeIPv4)
	d := mustParse(t, f.Payload)
	if d.Src != addr("10.0.1.1") || d.Dst != addr("10.0.1.10") || d.Protocol != ProtoICMP || d.TTL != 64 {
		t.Errorf("time exceeded carried in %s", d.Summary())
	}
	msg, err := ParseICMP(d.Payload)
	if err != nil {
		t.Fatal(err)
	}
	// RFC 792: the original header and the first 8 octets of its data.
	if msg.Type != ICMPTimeExceeded || msg.Code != ICMPTTLExceeded || !bytes.Equal(msg.Data, in[:28]) {
		t.Errorf("got %s quoting %x, want time exceeded quoting %x", msg.Summary(), msg.Data, in[:28])
	}
}

func TestNoICMPErrorAboutICMPError(t *testing.T) {
	r := newNode(t, "router", routerConfig(), false)
	learn(r, 0, macHost, "10.0.1.10")
	in := datagram("10.0.1.10", "10.0.2.110", 1, ProtoICMP, fixTimeExceeded)
	r.s.HandleFrame(0, macHost, datalink.EtherTypeIPv4, in, layers.Meta{})
	diffTexts(t, "icmp error about icmp error", []string{
		"L3 drop: TTL expired in transit: datagram from 10.0.1.10 to 10.0.2.110 arrived with TTL 1 [ttl-expired]",
		"L3 note: no ICMP time exceeded (TTL expired in transit) sent about the datagram from 10.0.1.10: it is an ICMP error message (RFC 1122 3.2.2)",
	}, r.events())
	if f := r.link.take(); len(f) != 0 {
		t.Errorf("%d frames sent", len(f))
	}
}

func TestNoICMPErrorRules(t *testing.T) {
	r := newNode(t, "router", routerConfig(), false)
	base := Datagram{TTL: 1, Protocol: ProtoUDP, Src: addr("10.0.1.10"), Dst: addr("10.0.2.110"), Payload: []byte("12345678")}
	tests := []struct {
		name string
		mod  func(*Datagram)
		want string
	}{
		{"allowed", func(*Datagram) {}, ""},
		{"echo request is not an error", func(d *Datagram) { d.Protocol, d.Payload = ProtoICMP, EchoRequest(1, 1, nil).Append(nil) }, ""},
		{"first fragment", func(d *Datagram) { d.MoreFragments = true }, ""},
		{"later fragment", func(d *Datagram) { d.FragOffset = 8 }, "it is a fragment other than the first"},
		{"icmp error", func(d *Datagram) { d.Protocol, d.Payload = ProtoICMP, fixTimeExceeded }, "it is an ICMP error message"},
		{"limited broadcast", func(d *Datagram) { d.Dst = addr("255.255.255.255") }, "it was sent to the broadcast or multicast address 255.255.255.255"},
		{"directed broadcast", func(d *Datagram) { d.Dst = addr("10.0.2.255") }, "it was sent to the broadcast or multicast address 10.0.2.255"},
		{"multicast", func(d *Datagram) { d.Dst = addr("224.0.0.1") }, "it was sent to the broadcast or multicast address 224.0.0.1"},
		{"source zero", func(d *Datagram) { d.Src = addr("0.0.0.0") }, "its source 0.0.0.0 is not a single host"},
		{"source broadcast", func(d *Datagram) { d.Src = addr("10.0.1.255") }, "its source 10.0.1.255 is not a single host"},
		{"source loopback", func(d *Datagram) { d.Src = addr("127.0.0.1") }, "its source 127.0.0.1 is not a single host"},
	}
	for _, tt := range tests {
		d := base
		tt.mod(&d)
		if got := r.s.noErrorAbout(d); got != tt.want {
			t.Errorf("%s: noErrorAbout = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestRouterNoRoute(t *testing.T) {
	r := newNode(t, "router", routerConfig(), false)
	learn(r, 0, macHost, "10.0.1.10")
	in := datagram("10.0.1.10", "192.0.2.7", 64, ProtoTCP, []byte("12345678"))
	r.s.HandleFrame(0, macHost, datalink.EtherTypeIPv4, in, layers.Meta{})
	diffTexts(t, "no route", []string{
		"L3 drop: no route to 192.0.2.7: datagram from 10.0.1.10 dropped [no-route]",
		"L3 note: sending ICMP destination unreachable (net unreachable) to 10.0.1.10",
		"L3 note: 10.0.1.10 is on the local network eth0 (10.0.1.0/24)",
	}, r.events())
	f := checkOneFrame(t, "no route", r.link.take(), 0, macHost, datalink.EtherTypeIPv4)
	msg, err := ParseICMP(mustParse(t, f.Payload).Payload)
	if err != nil || msg.Type != ICMPDestUnreachable || msg.Code != ICMPNetUnreachable {
		t.Errorf("sent %s, %v", msg.Summary(), err)
	}
}

func TestHostNoRoute(t *testing.T) {
	cfg := hostConfig()
	cfg.Routes = nil
	h := newNode(t, "host", cfg, true)
	err := h.s.Send(addr("192.0.2.7"), ProtoTCP, []byte("x"), layers.Meta{})
	if !errors.Is(err, ErrNoRoute) || err.Error() != "network: no route to host: 192.0.2.7" {
		t.Errorf("Send error %v, want ErrNoRoute", err)
	}
	diffTexts(t, "no route", []string{
		"L3 drop: no route to 192.0.2.7: the routing table has no matching prefix and no default route, datagram not sent [no-route]",
	}, h.events())
	if _, err := h.s.SourceFor(addr("192.0.2.7")); !errors.Is(err, ErrNoRoute) {
		t.Errorf("SourceFor error %v", err)
	}
	if err := h.s.Ping(addr("192.0.2.7"), 1, 1, nil); !errors.Is(err, ErrNoRoute) {
		t.Errorf("Ping error %v", err)
	}
	if len(h.link.take()) != 0 {
		t.Error("frames sent without a route")
	}
}

func TestEchoRequestAnswered(t *testing.T) {
	h := newNode(t, "host", hostConfig(), true)
	learn(h, 0, macPeer, "10.0.1.20") // the peer resolved us first
	req := datagram("10.0.1.20", "10.0.1.10", 64, ProtoICMP, fixEchoRequest[20:])
	h.s.HandleFrame(0, macPeer, datalink.EtherTypeIPv4, req, layers.Meta{ID: 9})
	diffTexts(t, "echo", []string{
		"L3 note: ICMP echo request id=1 seq=1 from 10.0.1.20: answering with an echo reply",
		"L3 note: sending ICMP echo reply id=1 seq=1 to 10.0.1.20",
		"L3 note: 10.0.1.20 is on the local network eth0 (10.0.1.0/24)",
	}, h.events())
	f := checkOneFrame(t, "echo", h.link.take(), 0, macPeer, datalink.EtherTypeIPv4)
	d := mustParse(t, f.Payload)
	if d.Src != addr("10.0.1.10") || d.Dst != addr("10.0.1.20") || d.Protocol != ProtoICMP {
		t.Errorf("reply in %s", d.Summary())
	}
	// The reply is the captured kernel reply's ICMP message, octet for octet.
	if !bytes.Equal(d.Payload, fixEchoReply[20:]) {
		t.Errorf("echo reply:\n got %x\nwant %x", d.Payload, fixEchoReply[20:])
	}
	if len(h.up.icmp) != 0 {
		t.Error("echo request passed up")
	}
	// An echo request to the broadcast address is ignored.
	bc := datagram("10.0.1.20", "10.0.1.255", 64, ProtoICMP, fixEchoRequest[20:])
	h.s.HandleFrame(0, macPeer, datalink.EtherTypeIPv4, bc, layers.Meta{})
	if f := h.link.take(); len(f) != 0 {
		t.Errorf("answered a broadcast echo request")
	}
}

func TestPing(t *testing.T) {
	h := newNode(t, "host", hostConfig(), true)
	learn(h, 0, macRouter, "10.0.1.1")
	if err := h.s.Ping(addr("10.0.2.110"), 7, 3, []byte("ping data")); err != nil {
		t.Fatal(err)
	}
	f := checkOneFrame(t, "ping", h.link.take(), 0, macRouter, datalink.EtherTypeIPv4)
	d := mustParse(t, f.Payload)
	msg, err := ParseICMP(d.Payload)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(ICMP{Type: ICMPEchoRequest, Checksum: msg.Checksum, ID: 7, Seq: 3, Data: []byte("ping data")}, msg, cmpOpts); diff != "" {
		t.Errorf("echo request (-want +got):\n%s", diff)
	}
	// The reply goes up to ping.
	reply := ICMP{Type: ICMPEchoReply, ID: 7, Seq: 3, Data: []byte("ping data")}.Append(nil)
	h.s.HandleFrame(0, macRouter, datalink.EtherTypeIPv4, datagram("10.0.2.110", "10.0.1.10", 62, ProtoICMP, reply), layers.Meta{})
	if len(h.up.icmp) != 1 || h.up.icmp[0].Src != addr("10.0.2.110") || h.up.icmp[0].Msg.Summary() != "ICMP echo reply id=7 seq=3" {
		t.Errorf("delivered ICMP: %+v", h.up.icmp)
	}
}

func TestHostDelivers(t *testing.T) {
	h := newNode(t, "host", hostConfig(), true)
	in := datagram("10.0.2.110", "10.0.1.10", 62, ProtoTCP, []byte("segment"))
	h.s.HandleFrame(0, macRouter, datalink.EtherTypeIPv4, append(in, 0, 0), layers.Meta{})
	if len(h.up.datagrams) != 1 {
		t.Fatalf("%d datagrams delivered", len(h.up.datagrams))
	}
	if diff := cmp.Diff(mustParse(t, in), h.up.datagrams[0], cmpOpts); diff != "" {
		t.Errorf("delivered (-want +got):\n%s", diff)
	}
	// A UDP broadcast on the local network is delivered too.
	h.s.HandleFrame(0, macPeer, datalink.EtherTypeIPv4, datagram("10.0.1.20", "255.255.255.255", 64, ProtoUDP, []byte("dhcp?")), layers.Meta{})
	if len(h.up.datagrams) != 2 {
		t.Errorf("broadcast not delivered")
	}
	h.events()

	bad := append([]byte(nil), in...)
	bad[10] ^= 0xff
	other := datagram("10.0.2.110", "10.0.1.99", 62, ProtoTCP, []byte("segment"))
	frag := Datagram{ID: 1, MoreFragments: true, TTL: 62, Protocol: ProtoUDP, Src: addr("10.0.2.110"), Dst: addr("10.0.1.10"), Payload: []byte("12345678")}.Append(nil)
	gre := datagram("10.0.2.110", "10.0.1.10", 62, 47, []byte("12345678"))
	for _, b := range [][]byte{bad, in[:25], other, frag} {
		h.s.HandleFrame(0, macRouter, datalink.EtherTypeIPv4, b, layers.Meta{})
	}
	h.s.HandleFrame(0, macRouter, datalink.EtherType(0x86dd), in, layers.Meta{})
	diffTexts(t, "drops", []string{
		"L3 drop: datagram discarded: network: IPv4 header checksum 0xb43b does not match the computed 0x4b3b [bad-checksum]",
		"L3 drop: datagram discarded: network: total length 27 exceeds the 25 bytes received (truncated datagram) [malformed]",
		"L3 drop: datagram for 10.0.1.99 is not addressed to this host (10.0.1.10) and this node does not forward [not-for-me]",
		"L3 note: fragment 1 of ID 0x0001 from 10.0.2.110: 0..8 held, reassembly timer 30s started; hole 8..end",
		"L3 drop: frame from 02:00:00:00:01:01 with EtherType 0x86dd: not a protocol this network layer speaks [not-for-me]",
	}, h.events())
	learn(h, 0, macRouter, "10.0.1.1")
	h.s.HandleFrame(0, macRouter, datalink.EtherTypeIPv4, gre, layers.Meta{})
	if got := h.events(); len(got) == 0 || got[0] != "L3 drop: datagram from 10.0.2.110 discarded: no handler for protocol 47 [not-for-me]" {
		t.Errorf("GRE: %q", got)
	}
	f := checkOneFrame(t, "protocol unreachable", h.link.take(), 0, macRouter, datalink.EtherTypeIPv4)
	if msg, _ := ParseICMP(mustParse(t, f.Payload).Payload); msg.Summary() != "ICMP destination unreachable (protocol unreachable)" {
		t.Errorf("sent %s", msg.Summary())
	}
	if len(h.up.datagrams) != 2 {
		t.Errorf("%d datagrams delivered, want 2", len(h.up.datagrams))
	}
}

func TestSendUnreachable(t *testing.T) {
	h := newNode(t, "host", hostConfig(), true)
	learn(h, 0, macRouter, "10.0.1.1")
	in := datagram("10.0.2.110", "10.0.1.10", 62, ProtoUDP, []byte("0123456789"))
	if err := h.s.SendUnreachable(mustParse(t, in), ICMPPortUnreachable, layers.Meta{ID: 4}); err != nil {
		t.Fatal(err)
	}
	f := checkOneFrame(t, "port unreachable", h.link.take(), 0, macRouter, datalink.EtherTypeIPv4)
	d := mustParse(t, f.Payload)
	msg, err := ParseICMP(d.Payload)
	if err != nil {
		t.Fatal(err)
	}
	if d.Dst != addr("10.0.2.110") || msg.Summary() != "ICMP destination unreachable (port unreachable)" || !bytes.Equal(msg.Data, in[:28]) {
		t.Errorf("sent %s to %s quoting %x", msg.Summary(), d.Dst, msg.Data)
	}
	// Never about a broadcast.
	bc := datagram("10.0.1.20", "10.0.1.255", 64, ProtoUDP, []byte("0123456789"))
	if err := h.s.SendUnreachable(mustParse(t, bc), ICMPPortUnreachable, layers.Meta{}); err != nil {
		t.Fatal(err)
	}
	if len(h.link.take()) != 0 {
		t.Error("port unreachable sent about a broadcast")
	}
}

func TestRouterWithoutTransport(t *testing.T) {
	r := newNode(t, "router", routerConfig(), false)
	learn(r, 0, macHost, "10.0.1.10")
	// A ping to the router's far interface is answered from that address.
	r.s.HandleFrame(0, macHost, datalink.EtherTypeIPv4, datagram("10.0.1.10", "10.0.2.1", 64, ProtoICMP, fixEchoRequest[20:]), layers.Meta{})
	f := checkOneFrame(t, "ping router", r.link.take(), 0, macHost, datalink.EtherTypeIPv4)
	if d := mustParse(t, f.Payload); d.Src != addr("10.0.2.1") || d.Dst != addr("10.0.1.10") {
		t.Errorf("echo reply %s", d.Summary())
	}
	// TCP to the router: protocol unreachable, as it runs no transport.
	r.events()
	r.s.HandleFrame(0, macHost, datalink.EtherTypeIPv4, datagram("10.0.1.10", "10.0.1.1", 64, ProtoTCP, []byte("12345678")), layers.Meta{})
	if got := r.events()[0]; got != "L3 drop: TCP datagram from 10.0.1.10 discarded: this node has no transport layer [not-for-me]" {
		t.Errorf("event %q", got)
	}
	checkOneFrame(t, "tcp to router", r.link.take(), 0, macHost, datalink.EtherTypeIPv4)
}

func TestRouterForwardARPFailure(t *testing.T) {
	r := newNode(t, "router", routerConfig(), false)
	learn(r, 0, macHost, "10.0.1.10")
	in := datagram("10.0.1.10", "10.0.2.110", 64, ProtoUDP, []byte("12345678"))
	r.s.HandleFrame(0, macHost, datalink.EtherTypeIPv4, in, layers.Meta{})
	r.env.Advance(10 * time.Second)
	var icmp []sent
	for _, f := range r.link.take() {
		if f.Type == datalink.EtherTypeIPv4 {
			icmp = append(icmp, f)
		}
	}
	f := checkOneFrame(t, "host unreachable", icmp, 0, macHost, datalink.EtherTypeIPv4)
	d := mustParse(t, f.Payload)
	msg, _ := ParseICMP(d.Payload)
	if d.Src != addr("10.0.1.1") || msg.Summary() != "ICMP destination unreachable (host unreachable)" {
		t.Errorf("sent %s in %s", msg.Summary(), d.Summary())
	}
	// The quoted header is the datagram as it left: TTL already decremented.
	if od, err := msg.Original(); err != nil || od.TTL != 63 || od.Dst != addr("10.0.2.110") {
		t.Errorf("quoted %s, %v", od.Summary(), err)
	}
}

func TestSourceFor(t *testing.T) {
	r := newNode(t, "router", routerConfig(), false)
	for dst, want := range map[string]string{"10.0.1.10": "10.0.1.1", "10.0.2.110": "10.0.2.1", "255.255.255.255": "10.0.1.1"} {
		got, err := r.s.SourceFor(addr(dst))
		if err != nil || got != addr(want) {
			t.Errorf("SourceFor(%s) = %s, %v; want %s", dst, got, err, want)
		}
	}
}

func TestSendErrors(t *testing.T) {
	h := newNode(t, "host", hostConfig(), true)
	tests := []struct {
		dst     netip.Addr
		payload []byte
		want    string
	}{
		{addr("2001:db8::1"), nil, "network: destination 2001:db8::1 is not an IPv4 address"},
		{netip.Addr{}, nil, "network: destination invalid IP is not an IPv4 address"},
		{addr("10.0.1.10"), nil, "network: 10.0.1.10 is this node's own address and there is no loopback interface"},
		{addr("10.0.1.20"), make([]byte, 65516), "network: a 65516-byte payload makes a 65536-byte datagram, over the IPv4 maximum of 65535"},
	}
	for _, tt := range tests {
		err := h.s.Send(tt.dst, ProtoUDP, tt.payload, layers.Meta{})
		if err == nil || err.Error() != tt.want {
			t.Errorf("Send(%s) = %v, want %q", tt.dst, err, tt.want)
		}
	}
	if len(h.link.take()) != 0 {
		t.Error("frames sent on error")
	}
}

func TestBroadcastSend(t *testing.T) {
	h := newNode(t, "host", hostConfig(), true)
	for _, dst := range []string{"255.255.255.255", "10.0.1.255"} {
		if err := h.s.Send(addr(dst), ProtoUDP, []byte("hello all"), layers.Meta{}); err != nil {
			t.Fatal(err)
		}
		f := checkOneFrame(t, dst, h.link.take(), 0, datalink.Broadcast, datalink.EtherTypeIPv4)
		if d := mustParse(t, f.Payload); d.Dst != addr(dst) || d.Src != addr("10.0.1.10") {
			t.Errorf("broadcast %s", d.Summary())
		}
	}
}

func TestNewStackErrors(t *testing.T) {
	good := func() Config { return hostConfig() }
	tests := []struct {
		name string
		mod  func(*Config)
		want string
	}{
		{"no interfaces", func(c *Config) { c.Interfaces = nil }, "network: a node needs at least one interface"},
		{"ipv6", func(c *Config) { c.Interfaces[0].Addr = pfx("2001:db8::1/64") }, "network: interface eth0: address 2001:db8::1/64 is not an IPv4 address with a prefix length (10.0.1.10/24)"},
		{"no address", func(c *Config) { c.Interfaces[0].Addr = netip.Prefix{} }, "network: interface eth0: address invalid Prefix is not an IPv4 address with a prefix length (10.0.1.10/24)"},
		{"network address", func(c *Config) { c.Interfaces[0].Addr = pfx("10.0.1.0/24") }, "network: interface eth0: 10.0.1.0 is the network address of 10.0.1.0/24, not a host address"},
		{"broadcast address", func(c *Config) { c.Interfaces[0].Addr = pfx("10.0.1.255/24") }, "network: interface eth0: 10.0.1.255 is the broadcast address of 10.0.1.0/24, not a host address"},
		{"multicast", func(c *Config) { c.Interfaces[0].Addr = pfx("224.0.0.1/24") }, "network: interface eth0: 224.0.0.1 is not a host address"},
		{"zero MAC", func(c *Config) { c.Interfaces[0].MAC = datalink.MAC{} }, "network: interface eth0: MAC address 00:00:00:00:00:00 is not a unicast address"},
		{"multicast MAC", func(c *Config) { c.Interfaces[0].MAC = datalink.Broadcast }, "network: interface eth0: MAC address ff:ff:ff:ff:ff:ff is not a unicast address"},
		{"small MTU", func(c *Config) { c.Interfaces[0].MTU = 67 }, "network: interface eth0: MTU 67 is outside 68..65535"},
		{"duplicate name", func(c *Config) {
			c.Interfaces = append(c.Interfaces, Interface{Name: "eth0", MAC: macRouterE1, Addr: pfx("10.0.2.1/24")})
		}, `network: interfaces 0 and 1 are both named "eth0"`},
		{"duplicate address", func(c *Config) {
			c.Interfaces = append(c.Interfaces, Interface{MAC: macRouterE1, Addr: pfx("10.0.1.10/16")})
		}, "network: eth0 and eth1 both have address 10.0.1.10"},
		{"route iface", func(c *Config) { c.Routes[0].Iface = 1 }, "network: route 0.0.0.0/0: no interface 1 (the node has 1)"},
		{"gateway off link", func(c *Config) { c.Routes[0].Gateway = addr("10.0.2.1") }, "network: route 0.0.0.0/0: gateway 10.0.2.1 is on none of the node's networks"},
		{"gateway is us", func(c *Config) { c.Routes[0].Gateway = addr("10.0.1.10") }, "network: route 0.0.0.0/0: gateway 10.0.1.10 is this node's own address"},
		{"host bits", func(c *Config) { c.Routes[0].Prefix = pfx("10.9.0.1/16") }, "network: route prefix 10.9.0.1/16 has host bits set; did you mean 10.9.0.0/16?"},
		{"negative timer", func(c *Config) { c.ARPRetry = -time.Second }, "network: negative ARP timer (timeout 1m0s, retry -1s)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := good()
			tt.mod(&c)
			_, err := NewStack(layerstest.New("n", 1), c, &fakeLink{}, nil)
			if err == nil || err.Error() != tt.want {
				t.Errorf("NewStack error = %v, want %q", err, tt.want)
			}
		})
	}
	if _, err := NewStack(nil, good(), &fakeLink{}, nil); err == nil {
		t.Error("nil env accepted")
	}
	if _, err := NewStack(layerstest.New("n", 1), good(), nil, nil); err == nil {
		t.Error("nil link accepted")
	}
}

func TestStackDefaultsAndTables(t *testing.T) {
	cfg := routerConfig()
	cfg.Interfaces[1].Name = ""
	cfg.Routes = []Route{{Prefix: pfx("0.0.0.0/0"), Gateway: addr("10.0.2.254"), Iface: 1}}
	r := newNode(t, "router", cfg, false)
	ifs := r.s.Interfaces()
	if ifs[1].Name != "eth1" || ifs[0].MTU != DefaultMTU {
		t.Errorf("interfaces %+v", ifs)
	}
	want := "" +
		"Destination        Gateway          Interface\n" +
		"10.0.1.0/24        direct           eth0\n" +
		"10.0.2.0/24        direct           eth1\n" +
		"0.0.0.0/0          10.0.2.254       eth1\n"
	if diff := cmp.Diff(want, r.s.RouteTable()); diff != "" {
		t.Errorf("RouteTable (-want +got):\n%s", diff)
	}
	if err := r.s.AddRoute(Route{Prefix: pfx("192.0.2.0/24"), Gateway: addr("10.0.1.5")}); err != nil {
		t.Fatal(err)
	}
	// Iface 0 is not on 10.0.2.0/24: the route goes through eth1, where
	// its gateway is.
	if err := r.s.AddRoute(Route{Prefix: pfx("198.51.100.0/24"), Gateway: addr("10.0.2.7")}); err != nil {
		t.Fatal(err)
	}
	if got, _ := r.s.routes.Lookup(addr("198.51.100.1")); got.Iface != 1 {
		t.Errorf("route through 10.0.2.7 on iface %d, want 1", got.Iface)
	}
	if err := r.s.AddRoute(Route{Prefix: pfx("192.0.3.0/24"), Gateway: addr("10.0.9.5")}); err == nil {
		t.Error("AddRoute accepted an off-link gateway")
	}
	if n := len(r.s.Routes()); n != 5 {
		t.Errorf("%d routes, want 5", n)
	}
}

func TestIdentificationFromSeed(t *testing.T) {
	first := func(seed uint64) uint16 {
		env := layerstest.New("h", seed)
		l := &fakeLink{}
		s, err := NewStack(env, hostConfig(), l, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Send(addr("10.0.1.1"), ProtoUDP, nil, layers.Meta{}); err != nil {
			t.Fatal(err)
		}
		s.HandleFrame(0, macRouter, datalink.EtherTypeARP, fixARPReply, layers.Meta{})
		return mustParse(t, l.frames[len(l.frames)-1].Payload).ID
	}
	if a, b := first(7), first(7); a != b {
		t.Errorf("same seed, identifications 0x%04x and 0x%04x", a, b)
	}
	if a, b := first(7), first(8); a == b {
		t.Errorf("seeds 7 and 8 both start at 0x%04x", a)
	}
}
