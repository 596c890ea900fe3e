package sim

import (
	"fmt"
	"net/netip"

	"github.com/osisim/osisim/layers"
	"github.com/osisim/osisim/layers/datalink"
	"github.com/osisim/osisim/layers/network"
	"github.com/osisim/osisim/layers/transport"
)

// Interface configures one NIC of a host or router.
type Interface struct {
	Name string
	MAC  datalink.MAC
	Addr netip.Prefix // address and prefix length, e.g. 10.0.1.10/24
	MTU  int
}

// HostConfig configures a host.
type HostConfig struct {
	Interfaces []Interface
	Gateway    netip.Addr // default gateway, if any
	Routes     []network.Route
	TCP        transport.Config
}

// Host is an end system with all seven layers: NICs, IP, TCP and UDP, and the
// applications (with their session and presentation layers) that a scenario
// starts on it.
type Host struct {
	*ipNode
	tcp      *transport.TCP
	udp      *transport.UDP
	icmpApps []func(src netip.Addr, msg network.ICMP, m layers.Meta) bool
}

// OnICMP registers f to see every ICMP message delivered to the host (echo
// replies, errors); f returns true when the message was for it.
func (h *Host) OnICMP(f func(src netip.Addr, msg network.ICMP, m layers.Meta) bool) {
	h.icmpApps = append(h.icmpApps, f)
}

// UDP returns the host's UDP entity.
func (h *Host) UDP() *transport.UDP { return h.udp }

// RouterConfig configures a router.
type RouterConfig struct {
	Interfaces []Interface
	Routes     []network.Route
}

// Router is an intermediate system with layers 1 to 3: it forwards datagrams
// between its interfaces by longest-prefix match, decrementing TTL.
type Router struct {
	*ipNode
}

func (s *Sim) newIPNode(name string, ifs []Interface, routes []network.Route, forwarding bool, up network.Upper) (*ipNode, error) {
	n := &ipNode{sim: s, env: nodeEnv{s, name}, name: name, router: forwarding}
	var nifs []network.Interface
	for i, itf := range ifs {
		n.ports = append(n.ports, &Port{Device: nil, Name: itf.Name, Index: i})
		n.macs = append(n.macs, itf.MAC)
		n.addrs = append(n.addrs, itf.Addr.Addr())
		mtu := itf.MTU
		if mtu == 0 {
			mtu = datalink.MaxPayload
		}
		nifs = append(nifs, network.Interface{Name: itf.Name, MAC: itf.MAC, Addr: itf.Addr, MTU: mtu})
	}
	ip, err := network.NewStack(n.env, network.Config{Interfaces: nifs, Routes: routes, Forwarding: forwarding}, n, up)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	n.ip = ip
	return n, nil
}

// AddHost adds a host.
func (s *Sim) AddHost(name string, cfg HostConfig) (*Host, error) {
	h := &Host{}
	routes := cfg.Routes
	if cfg.Gateway.IsValid() {
		routes = append(routes, network.Route{Prefix: netip.PrefixFrom(netip.IPv4Unspecified(), 0), Gateway: cfg.Gateway})
	}
	n, err := s.newIPNode(name, cfg.Interfaces, routes, false, hostUpper{h})
	if err != nil {
		return nil, err
	}
	h.ipNode = n
	for _, p := range h.ports {
		p.Device = h
	}
	h.tcp = transport.NewTCP(h.env, cfg.TCP, hostTCPNet{h})
	h.udp = transport.NewUDP(h.env, hostUDPNet{h})
	return h, nil
}

// AddRouter adds a router.
func (s *Sim) AddRouter(name string, cfg RouterConfig) (*Router, error) {
	r := &Router{}
	n, err := s.newIPNode(name, cfg.Interfaces, cfg.Routes, true, routerUpper{r})
	if err != nil {
		return nil, err
	}
	r.ipNode = n
	for _, p := range r.ports {
		p.Device = r
	}
	return r, nil
}

// TCP returns the host's TCP entity.
func (h *Host) TCP() *transport.TCP { return h.tcp }

// Addr returns the address of the host's first interface.
func (h *Host) Addr() netip.Addr {
	if len(h.addrs) == 0 {
		return netip.Addr{}
	}
	return h.addrs[0]
}

// hostTCPNet is what TCP sees below it: it records the segment going down
// (L4 encapsulation) and hands it to IP.
type hostTCPNet struct{ h *Host }

func (n hostTCPNet) SendSegment(src, dst netip.Addr, seg []byte, m layers.Meta) {
	h := n.h
	h.countSegment(m.Cause)
	m.Cause = h.explainSegment(src, dst, seg, m.Cause) // "RTO after rule: ..." (causes.go)
	// A failure (no route) is recorded by the IP layer as a drop; TCP's
	// retransmission timer treats it as a loss.
	h.sendL4(network.ProtoTCP, describeSegment, src, dst, seg, m)
}

// sendL4 records a transport PDU going down (L4 encapsulation), described
// by describe, and hands it to IP.
func (h *Host) sendL4(proto network.Protocol, describe func(src, dst netip.Addr, b []byte) *layers.PDU,
	src, dst netip.Addr, b []byte, m layers.Meta) {
	l4 := layers.Meta{Cause: m.Cause, Parents: m.Parents}
	if h.sim.tracing {
		l4.ID = h.sim.NewID()
		pdu := describe(src, dst, b)
		pdu.ID, pdu.Parents = l4.ID, m.Parents
		h.record(layers.Event{Layer: layers.Transport, Dir: layers.Down, PDU: pdu, Cause: m.Cause, Text: pdu.Summary})
	}
	_ = h.ip.Send(dst, proto, b, l4)
}

// recordL4Up records a transport PDU arriving (L4 decapsulation).
func (h *Host) recordL4Up(describe func(src, dst netip.Addr, b []byte) *layers.PDU, d network.Datagram, m layers.Meta) {
	if h.sim.tracing {
		pdu := describe(d.Src, d.Dst, d.Payload)
		pdu.ID = m.ID
		h.record(layers.Event{Layer: layers.Transport, Dir: layers.Up, PDU: pdu, Text: pdu.Summary})
	}
}

// hostUpper is what IP sees above it on a host.
type hostUpper struct{ h *Host }

func (u hostUpper) Deliver(d network.Datagram, m layers.Meta) {
	h := u.h
	if h.sim.tracing {
		h.record(layers.Event{Layer: layers.Network, Dir: layers.Up, PDU: &layers.PDU{
			Kind: "ipv4", ID: m.ID, Len: d.HeaderLen() + len(d.Payload), HeaderLen: d.HeaderLen(),
			Summary: d.Summary(), Fields: d.Fields()}}.Say(
			"l3.up", "for this host: %s payload %d B to the transport layer", d.Protocol, len(d.Payload)))
	}
	switch d.Protocol {
	case network.ProtoTCP:
		h.recordL4Up(describeSegment, d, m)
		h.tcp.HandleSegment(d.Src, d.Dst, d.Payload, m)
	case network.ProtoUDP:
		h.recordL4Up(describeUDP, d, m)
		if unreachable := h.udp.HandleDatagram(d.Src, d.Dst, d.Payload, m); unreachable {
			// RFC 1122 4.1.3.1: a datagram for a port with no listener is
			// answered with ICMP port unreachable.
			_ = h.ip.SendUnreachable(d, network.ICMPPortUnreachable, m)
		}
	default:
		h.record(layers.Event{Layer: layers.Transport, Dir: layers.Drop, Reason: layers.ReasonPortClosed}.Say("l4.noservice",
			"no %s service on this host", d.Protocol))
	}
}

func (u hostUpper) DeliverICMP(src netip.Addr, msg network.ICMP, m layers.Meta) {
	u.h.record(layers.Event{Layer: layers.Network, Dir: layers.Up}.Say("l3.icmp.up", "from %s: %s", src, icmpSummary(msg)))
	for _, f := range u.h.icmpApps {
		if f(src, msg, m) {
			return
		}
	}
}

// hostUDPNet is what UDP sees below it: it records the datagram going down
// (L4 encapsulation) and hands it to IP.
type hostUDPNet struct{ h *Host }

func (n hostUDPNet) SendSegment(src, dst netip.Addr, seg []byte, m layers.Meta) {
	n.h.sendL4(network.ProtoUDP, describeUDP, src, dst, seg, m)
}

// routerUpper receives what is addressed to the router itself.
type routerUpper struct{ r *Router }

func (u routerUpper) Deliver(d network.Datagram, m layers.Meta) {
	u.r.record(layers.Event{Layer: layers.Network, Dir: layers.Drop, Reason: layers.ReasonPortClosed}.Say("l3.router.self", "%s for the router itself: a router runs no %s service", d.Summary(), d.Protocol))
}

func (u routerUpper) DeliverICMP(src netip.Addr, msg network.ICMP, m layers.Meta) {
	u.r.record(layers.Event{Layer: layers.Network, Dir: layers.Up}.Say("l3.icmp.up", "from %s: %s", src, icmpSummary(msg)))
}
