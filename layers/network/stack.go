package network

import (
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"time"

	"github.com/osisim/osisim/layers"
	"github.com/osisim/osisim/layers/datalink"
)

// Defaults of Config and Interface.
const (
	DefaultTTL        = 64 // RFC 1700's recommended initial TTL
	DefaultMTU        = 1500
	DefaultARPTimeout = 60 * time.Second
	DefaultARPRetry   = time.Second // RFC 1122 2.3.2.1: at most one request a second per address
	DefaultARPRetries = 3
	// ARPQueueLimit is how many datagrams wait for one next hop's ARP reply;
	// one more is dropped (RFC 1122 2.3.2.2 asks to keep at least the latest).
	ARPQueueLimit = 16
	// MinMTU is the smallest MTU an IPv4 link may have (RFC 791 3.1: every
	// module must forward a 68-octet datagram without fragmenting it).
	MinMTU = 68
	// DefaultReassemblyTimeout is how long the fragments of a datagram wait
	// for the rest, counted from the first to arrive (RFC 1122 3.3.2 asks
	// for a fixed timeout; RFC 791 suggests 15 s as a lower bound).
	DefaultReassemblyTimeout = 30 * time.Second
	// DefaultReassemblyLimit is how many datagrams may be in reassembly at
	// once; a fragment that would start one more is dropped.
	DefaultReassemblyLimit = 64
)

// ErrNoRoute is matched by errors.Is for the error Send, Ping and SourceFor
// return when no route leads to the destination.
var ErrNoRoute = errors.New("network: no route to host")

// Interface is one network interface of a node.
type Interface struct {
	Name string       // "eth0"; empty: "eth" and the index
	MAC  datalink.MAC // the interface's own MAC address
	// Addr is the interface address and its network's length:
	// 10.0.1.10/24. The unspecified address with a length (0.0.0.0/24) is
	// an interface with no address yet, as on a diskless host: it takes
	// no route until RequestAddress learns its address by RARP.
	Addr netip.Prefix
	MTU  int // the largest datagram the link carries; 0: DefaultMTU
}

// Config configures the IP layer of one node.
type Config struct {
	Interfaces []Interface
	// Routes are added after the connected routes that come from the
	// interfaces (a default route is Route{Prefix: 0.0.0.0/0, Gateway: gw}).
	// A gateway must be on one of the node's networks; when it is not on
	// the network of the route's interface, the interface whose network
	// holds it is used instead, so Iface may be left 0.
	Routes []Route
	// Forwarding makes the node a router (RFC 1812): datagrams not
	// addressed to it are forwarded instead of dropped.
	Forwarding bool
	TTL        uint8         // initial TTL of the datagrams the node originates; 0: DefaultTTL
	ARPTimeout time.Duration // lifetime of an ARP cache entry; 0: DefaultARPTimeout
	ARPRetry   time.Duration // wait for an ARP reply before asking again; 0: DefaultARPRetry
	ARPRetries int           // requests after the first; 0: DefaultARPRetries, negative: none
	// DontFragment sets the DF flag on every datagram the node originates,
	// as a host doing path MTU discovery does (RFC 1191 3): a router on the
	// path then drops what does not fit its next link and answers with
	// ICMP fragmentation needed instead of fragmenting.
	DontFragment bool
	// ReassemblyTimeout bounds how long the fragments of one datagram are
	// held, from the arrival of the first; 0: DefaultReassemblyTimeout.
	ReassemblyTimeout time.Duration
	// ReassemblyLimit is the most datagrams held in reassembly at once (each
	// at most 65,535 octets); 0: DefaultReassemblyLimit.
	ReassemblyLimit int
	// RARPServer, when not nil, makes the node a RARP server (RFC 903)
	// that answers from this table on every interface with an address.
	RARPServer RARPServer
}

// Link is the data link layer below the IP layer, as the simulator
// provides it.
type Link interface {
	// SendFrame sends payload in an Ethernet frame from interface iface to
	// dst with EtherType t. The payload belongs to the caller and is reused
	// once SendFrame returns: the link must copy what it keeps. SendFrame
	// must not call back into the Stack before it returns.
	SendFrame(iface int, dst datalink.MAC, t datalink.EtherType, payload []byte, m layers.Meta)
}

// Upper is what lives above the IP layer of a host: the transport layer for
// TCP and UDP, and ping or traceroute for ICMP. Datagrams and messages
// handed up alias received octets that are valid only during the call.
type Upper interface {
	// Deliver hands up a TCP or UDP datagram addressed to this node.
	Deliver(d Datagram, m layers.Meta)
	// DeliverICMP hands up an ICMP message other than an echo request
	// (echo replies, errors) from src; errors the node raises about its own
	// datagrams (host unreachable after ARP fails) come from its own address.
	DeliverICMP(src netip.Addr, msg ICMP, m layers.Meta)
}

// netIface is an Interface with the addresses the stack keeps asking about.
type netIface struct {
	Interface
	addr  netip.Addr   // the interface address
	net   netip.Prefix // its network
	bcast netip.Addr   // the network's directed broadcast; invalid for /31 and /32

	// A RARP request for the interface's own address is out (RFC 903).
	rarpOut   bool
	rarpTries int
	rarpTimer layers.Timer
}

// unaddressed reports whether the interface has no address yet.
func (in *netIface) unaddressed() bool { return in.addr.IsUnspecified() }

// Stack is the IP layer of one node, host or router: it sends datagrams for
// the transport layer, resolves next hops with ARP (RFC 826), answers ARP
// and echo requests, delivers what is addressed to the node, forwards the
// rest when it is a router (RFC 1812), fragments what does not fit an
// interface's MTU and reassembles the fragments addressed to it (RFC 791),
// and sends ICMP errors (RFC 792).
// Upper's methods may call back into the Stack (to answer with Send, for
// instance). A Stack belongs to one simulation run and is not safe for
// concurrent use.
type Stack struct {
	env    layers.Env
	link   Link
	up     Upper
	cfg    Config
	ifaces []netIface
	routes RoutingTable
	arp    ARPCache
	ipID   uint16

	// Scratch space reused for every PDU the stack emits; Link copies.
	em   emitter
	out  []byte // the datagram being sent
	msg  []byte // the ICMP message being sent
	fwd  []byte // the datagram being forwarded
	arpb []byte // the ARP packet being sent
	quo  []byte // a datagram re-emitted to be quoted in an ICMP error
	frag []byte // the fragment being sent
	fopt []byte // the options copied into fragments after the first
	whol []byte // a reassembled datagram being delivered

	// Datagrams in reassembly by (source, destination, protocol, ID), and
	// finished entries kept for reuse.
	reasm     map[reasmKey]*reasmEntry
	reasmFree []*reasmEntry

	rarpTable RARPServer // a private copy of Config.RARPServer
}

var limitedBroadcast = netip.AddrFrom4([4]byte{255, 255, 255, 255})

// NewStack returns the IP layer of a node. It checks the configuration:
// at least one interface, each with an IPv4 host address and prefix, a
// unicast MAC address, a unique name and an MTU of at least 68; every route
// on an existing interface with its gateway on one of the node's networks.
// up may be nil on a router, which has no transport layer.
func NewStack(env layers.Env, cfg Config, link Link, up Upper) (*Stack, error) {
	if env == nil {
		return nil, errors.New("network: no environment")
	}
	if link == nil {
		return nil, errors.New("network: no link layer")
	}
	if len(cfg.Interfaces) == 0 {
		return nil, errors.New("network: a node needs at least one interface")
	}
	s := &Stack{env: env, link: link, up: up, cfg: cfg}
	names := make(map[string]int)
	for i, in := range cfg.Interfaces {
		if in.Name == "" {
			in.Name = "eth" + strconv.Itoa(i)
		}
		if j, dup := names[in.Name]; dup {
			return nil, fmt.Errorf("network: interfaces %d and %d are both named %q", j, i, in.Name)
		}
		names[in.Name] = i
		if err := checkInterface(in); err != nil {
			return nil, err
		}
		if in.MTU == 0 {
			in.MTU = DefaultMTU
		}
		a := in.Addr.Addr()
		if a.IsUnspecified() {
			// No address yet: no network, no broadcast, no connected route.
			s.ifaces = append(s.ifaces, netIface{Interface: in, addr: a})
			continue
		}
		for _, o := range s.ifaces {
			if o.addr == a {
				return nil, fmt.Errorf("network: %s and %s both have address %s", o.Name, in.Name, a)
			}
		}
		s.ifaces = append(s.ifaces, netIface{Interface: in, addr: a, net: in.Addr.Masked(), bcast: directedBroadcast(in.Addr)})
	}
	// Connected routes come first, so that they win ties (RFC 1812 5.2.4.3
	// leaves tie-breaking to the implementation).
	for i, in := range s.ifaces {
		if in.unaddressed() {
			continue
		}
		if err := s.routes.Add(Route{Prefix: in.net, Iface: i}); err != nil {
			return nil, err
		}
	}
	for _, r := range cfg.Routes {
		r, err := s.checkRoute(r)
		if err != nil {
			return nil, err
		}
		if err := s.routes.Add(r); err != nil {
			return nil, err
		}
	}
	if s.cfg.TTL == 0 {
		s.cfg.TTL = DefaultTTL
	}
	if s.cfg.ARPTimeout == 0 {
		s.cfg.ARPTimeout = DefaultARPTimeout
	}
	if s.cfg.ARPRetry == 0 {
		s.cfg.ARPRetry = DefaultARPRetry
	}
	switch {
	case s.cfg.ARPRetries == 0:
		s.cfg.ARPRetries = DefaultARPRetries
	case s.cfg.ARPRetries < 0:
		s.cfg.ARPRetries = 0
	}
	if s.cfg.ARPTimeout < 0 || s.cfg.ARPRetry < 0 {
		return nil, fmt.Errorf("network: negative ARP timer (timeout %s, retry %s)", s.cfg.ARPTimeout, s.cfg.ARPRetry)
	}
	switch {
	case s.cfg.ReassemblyTimeout < 0:
		return nil, fmt.Errorf("network: negative reassembly timeout %s", s.cfg.ReassemblyTimeout)
	case s.cfg.ReassemblyTimeout == 0:
		s.cfg.ReassemblyTimeout = DefaultReassemblyTimeout
	}
	switch {
	case s.cfg.ReassemblyLimit < 0:
		return nil, fmt.Errorf("network: negative reassembly limit %d", s.cfg.ReassemblyLimit)
	case s.cfg.ReassemblyLimit == 0:
		s.cfg.ReassemblyLimit = DefaultReassemblyLimit
	}
	s.reasm = make(map[reasmKey]*reasmEntry)
	if cfg.RARPServer != nil {
		t, err := checkRARPServer(cfg.RARPServer)
		if err != nil {
			return nil, err
		}
		s.rarpTable = t
	}
	s.arp = ARPCache{env: env, entries: make(map[arpKey]*arpEntry)}
	for _, in := range s.ifaces {
		s.arp.names = append(s.arp.names, in.Name)
	}
	// The Identification counter starts at a random value (RFC 6864 4.1
	// only asks that it not repeat too soon for one source and destination).
	s.ipID = uint16(env.Rand().Uint32())
	return s, nil
}

func checkInterface(in Interface) error {
	a := in.Addr.Addr()
	switch {
	case !in.Addr.IsValid() || !a.Is4():
		return fmt.Errorf("network: interface %s: address %s is not an IPv4 address with a prefix length (10.0.1.10/24)", in.Name, in.Addr)
	case a.IsUnspecified() && in.Addr.Bits() == 0:
		return fmt.Errorf("network: interface %s: an interface without an address still needs its network's prefix length (0.0.0.0/24)", in.Name)
	case a.IsUnspecified():
		// No address yet (RARP): only the MAC address and MTU to check.
	case a.IsMulticast() || a.IsLoopback() || a == limitedBroadcast:
		return fmt.Errorf("network: interface %s: %s is not a host address", in.Name, a)
	case in.Addr.Bits() <= 30 && a == in.Addr.Masked().Addr():
		return fmt.Errorf("network: interface %s: %s is the network address of %s, not a host address", in.Name, a, in.Addr.Masked())
	case in.Addr.Bits() <= 30 && a == directedBroadcast(in.Addr):
		return fmt.Errorf("network: interface %s: %s is the broadcast address of %s, not a host address", in.Name, a, in.Addr.Masked())
	}
	switch {
	case in.MAC.IsZero() || in.MAC.IsMulticast():
		return fmt.Errorf("network: interface %s: MAC address %s is not a unicast address", in.Name, in.MAC)
	case in.MTU != 0 && (in.MTU < MinMTU || in.MTU > IPv4MaxLen):
		return fmt.Errorf("network: interface %s: MTU %d is outside %d..%d", in.Name, in.MTU, MinMTU, IPv4MaxLen)
	}
	return nil
}

// checkRoute checks a configured route and returns it with its interface
// settled: a gateway must be a neighbour (RFC 1812 5.2.4.3 routes name a
// next hop on a connected network), and when the route's interface is not
// on the gateway's network, the interface that is takes its place, so a
// route may name just its gateway.
func (s *Stack) checkRoute(r Route) (Route, error) {
	if r.Iface < 0 || r.Iface >= len(s.ifaces) {
		return r, fmt.Errorf("network: route %s: no interface %d (the node has %d)", r.Prefix, r.Iface, len(s.ifaces))
	}
	if !r.Gateway.IsValid() {
		return r, nil
	}
	if s.isOwnAddr(r.Gateway) {
		return r, fmt.Errorf("network: route %s: gateway %s is this node's own address", r.Prefix, r.Gateway)
	}
	if s.ifaces[r.Iface].net.Contains(r.Gateway) {
		return r, nil
	}
	for i := range s.ifaces {
		if s.ifaces[i].net.Contains(r.Gateway) {
			r.Iface = i
			return r, nil
		}
	}
	return r, fmt.Errorf("network: route %s: gateway %s is on none of the node's networks", r.Prefix, r.Gateway)
}

// directedBroadcast returns the broadcast address of p's network, or the
// zero Addr for /31 (RFC 3021) and /32 networks, which have none.
func directedBroadcast(p netip.Prefix) netip.Addr {
	if p.Bits() > 30 {
		return netip.Addr{}
	}
	a := p.Addr().As4()
	hostBits := uint32(1)<<(32-p.Bits()) - 1
	v := (uint32(a[0])<<24 | uint32(a[1])<<16 | uint32(a[2])<<8 | uint32(a[3])) | hostBits
	return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)})
}

// Interfaces returns a copy of the node's interfaces, defaults filled in.
func (s *Stack) Interfaces() []Interface {
	out := make([]Interface, len(s.ifaces))
	for i := range s.ifaces {
		out[i] = s.ifaces[i].Interface
	}
	return out
}

// Routes returns the routing table, longest prefix first.
func (s *Stack) Routes() []Route { return s.routes.Routes() }

// RouteTable prints the routing table with interface names.
func (s *Stack) RouteTable() string { return s.routes.Format(s.arp.names) }

// AddRoute adds a route to the running node, checked as NewStack checks
// Config.Routes.
func (s *Stack) AddRoute(r Route) error {
	r, err := s.checkRoute(r)
	if err != nil {
		return err
	}
	return s.routes.Add(r)
}

// ARPCache returns the node's ARP cache.
func (s *Stack) ARPCache() *ARPCache { return &s.arp }

func (s *Stack) isOwnAddr(a netip.Addr) bool {
	if a.IsUnspecified() {
		return false
	}
	for i := range s.ifaces {
		if s.ifaces[i].addr == a {
			return true
		}
	}
	return false
}

// isBroadcast reports whether a is the limited broadcast or the directed
// broadcast of one of the node's networks.
func (s *Stack) isBroadcast(a netip.Addr) bool {
	if a == limitedBroadcast {
		return true
	}
	for i := range s.ifaces {
		if s.ifaces[i].bcast == a && a.IsValid() {
			return true
		}
	}
	return false
}

// isForMe reports whether a datagram for dst is addressed to this node: one
// of its addresses or a broadcast it receives (RFC 1122 3.3.6).
func (s *Stack) isForMe(dst netip.Addr) bool { return s.isOwnAddr(dst) || s.isBroadcast(dst) }

// nextIPID returns the Identification of the next datagram.
func (s *Stack) nextIPID() uint16 {
	id := s.ipID
	s.ipID++
	return id
}

// SourceFor returns the source address a datagram to dst will carry: the
// address of the interface the route to dst leaves through (RFC 1122
// 3.3.4.3). TCP and UDP need it for their pseudo-header.
func (s *Stack) SourceFor(dst netip.Addr) (netip.Addr, error) {
	dst = dst.Unmap()
	if dst == limitedBroadcast {
		return s.ifaces[0].addr, nil
	}
	r, ok := s.routes.Lookup(dst)
	if !ok {
		return netip.Addr{}, fmt.Errorf("%w: %s", ErrNoRoute, dst)
	}
	return s.ifaces[r.Iface].addr, nil
}

// Send sends payload, a PDU of protocol proto described by m, to dst in a
// new datagram
// (RFC 791 3.2, RFC 1122 3.3): it picks the route and the source address,
// builds the datagram and hands it to the link once the next hop's MAC
// address is known, which may take an ARP exchange while the datagram
// waits. m goes with the datagram to the link unchanged, so the datagram's
// identity is the link's to give. It fails when there is no route to dst.
// The 255.255.255.255 limited broadcast leaves through the first interface.
func (s *Stack) Send(dst netip.Addr, proto Protocol, payload []byte, m layers.Meta) error {
	return s.send(netip.Addr{}, dst, proto, 0, payload, m)
}

// SendTTL is Send with the datagram's TTL set to ttl, as traceroute needs:
// the IP layer must let the transport layer choose the TTL of each datagram
// (RFC 1122 3.2.1.7). A host must not send TTL 0.
func (s *Stack) SendTTL(dst netip.Addr, proto Protocol, ttl uint8, payload []byte, m layers.Meta) error {
	if ttl == 0 {
		return errors.New("network: a host must not send a datagram with TTL 0 (RFC 1122 3.2.1.7)")
	}
	return s.send(netip.Addr{}, dst, proto, ttl, payload, m)
}

// send is Send with an optional source address (the zero Addr: the
// outgoing interface's address).
func (s *Stack) send(src, dst netip.Addr, proto Protocol, ttl uint8, payload []byte, m layers.Meta) error {
	if ttl == 0 {
		ttl = s.cfg.TTL
	}
	dst = dst.Unmap()
	if !dst.Is4() {
		return fmt.Errorf("network: destination %s is not an IPv4 address", dst)
	}
	if n := IPv4MinHeaderLen + len(payload); n > IPv4MaxLen {
		return fmt.Errorf("network: a %d-byte payload makes a %d-byte datagram, over the IPv4 maximum of %d", len(payload), n, IPv4MaxLen)
	}
	if s.isOwnAddr(dst) {
		return fmt.Errorf("network: %s is this node's own address and there is no loopback interface", dst)
	}
	ifi, nh, err := s.route(dst)
	if err != nil {
		return err
	}
	if !src.IsValid() {
		src = s.ifaces[ifi].addr
	}
	d := Datagram{ID: s.nextIPID(), DontFragment: s.cfg.DontFragment, TTL: ttl, Protocol: proto, Src: src, Dst: dst, Payload: payload}
	s.out = d.appendWith(s.out[:0], &s.em)
	s.output(ifi, nh, s.out, m, true)
	return nil
}

// route picks the interface and next hop for a datagram the node
// originates, and says so in the trace.
func (s *Stack) route(dst netip.Addr) (int, netip.Addr, error) {
	if dst == limitedBroadcast {
		if s.env.Tracing() {
			s.record(0, layers.Note, "", "", nil, layers.Tell("net.bcast", "%s is the limited broadcast: sent to every station on %s", dst, s.ifaces[0].Name))
		}
		return 0, dst, nil
	}
	r, ok := s.routes.Lookup(dst)
	if !ok {
		s.record(-1, layers.Drop, layers.ReasonNoRoute, "", nil, layers.Tell("net.noroute", "no route to %s: the routing table has no matching prefix and no default route, datagram not sent", dst))
		return 0, netip.Addr{}, fmt.Errorf("%w: %s", ErrNoRoute, dst)
	}
	if s.env.Tracing() {
		s.recordEvent(r.Iface, s.routeEvent(dst, r))
	}
	return r.Iface, r.NextHop(dst), nil
}

func (s *Stack) routeEvent(dst netip.Addr, r Route) layers.Event {
	name := s.ifaces[r.Iface].Name
	e := layers.Event{Layer: layers.Network, Dir: layers.Note}
	switch {
	case r.Connected():
		return e.Say("l3.route.local", "%s is on the local network %s (%s)", dst, name, r.Prefix)
	case r.IsDefault():
		return e.Say("l3.route.default", "route %s via %s (default gateway) on %s", dst, r.Gateway, name)
	}
	return e.Say("l3.route", "route %s via %s (route %s) on %s", dst, r.Gateway, r.Prefix, name)
}

// output hands a finished datagram b to the link towards next hop nh on
// interface ifi, once nh's MAC address is known; m describes what the
// datagram carries (the SDU from above, or the datagram as it arrived when
// forwarded). Every datagram leaves the IP layer through here. A datagram
// larger than the interface MTU with Don't Fragment set is dropped here,
// before any ARP exchange; others are fragmented as they go to the link
// (transmit). local says whether the node originated the datagram (an ICMP
// error about it then goes to the local transport layer rather than over
// the network).
func (s *Stack) output(ifi int, nh netip.Addr, b []byte, m layers.Meta, local bool) {
	if len(b) > s.ifaces[ifi].MTU && b[6]&0x40 != 0 {
		s.tooBig(ifi, b, m, local)
		return
	}
	if nh == limitedBroadcast || nh == s.ifaces[ifi].bcast {
		s.transmit(ifi, datalink.Broadcast, b, m)
		return
	}
	if mac, ok := s.resolve(ifi, nh, b, m, local); ok {
		s.transmit(ifi, mac, b, m)
	}
}

// Ping sends an ICMP echo request (RFC 792) to dst.
func (s *Stack) Ping(dst netip.Addr, id, seq uint16, data []byte) error {
	return s.sendICMP(netip.Addr{}, dst, EchoRequest(id, seq, data), layers.Meta{ID: s.env.NewID(), Cause: "ping"})
}

// SendUnreachable sends an ICMP destination unreachable with code (for
// instance ICMPPortUnreachable) to the source of about, a datagram the node
// received: the transport layer calls it for a UDP datagram no socket
// takes (RFC 1122 4.1.3.1). Nothing is sent where RFC 1122 3.2.2 forbids an
// ICMP error (about a broadcast, an ICMP error, a non-first fragment).
func (s *Stack) SendUnreachable(about Datagram, code uint8, m layers.Meta) error {
	s.quo = about.appendWith(s.quo[:0], &s.em)
	return s.sendICMPError(-1, about, s.quo, ICMPDestUnreachable, code, 0, m, "")
}

// record adds an event of the network layer to the trace.
// recordEvent records ev on interface ifi.
func (s *Stack) recordEvent(ifi int, ev layers.Event) {
	if ifi >= 0 && ifi < len(s.ifaces) {
		ev.Iface = s.ifaces[ifi].Name
	}
	s.env.Record(ev)
}

func (s *Stack) record(ifi int, dir layers.Dir, reason layers.Reason, cause string, pdu *layers.PDU, text layers.Phrase) {
	s.recordEvent(ifi, layers.Event{Layer: layers.Network, Dir: dir, Reason: reason, Cause: cause, PDU: pdu}.SayPhrase(text))
}

// ipPDU describes datagram d (octets b) for the trace, or returns nil when
// nothing records.
func (s *Stack) ipPDU(d *Datagram, b []byte, m layers.Meta) *layers.PDU {
	if !s.env.Tracing() {
		return nil
	}
	return &layers.PDU{Kind: "ipv4", ID: m.ID, Parents: m.Parents, Len: len(b), HeaderLen: d.HeaderLen(),
		Summary: d.Summary(), Fields: d.Fields(), Bytes: b}
}

// ownPDU describes a datagram the node built or relays that is dropped
// before it reaches the link: it gets a fresh id, its parent is what m
// describes.
func (s *Stack) ownPDU(d *Datagram, b []byte, m layers.Meta) *layers.PDU {
	if !s.env.Tracing() {
		return nil
	}
	return &layers.PDU{Kind: "ipv4", ID: s.env.NewID(), Parents: parentsOf(m), Len: len(b), HeaderLen: d.HeaderLen(),
		Summary: d.Summary(), Fields: d.Fields(), Bytes: b}
}

// parentsOf returns the parent ids of a PDU built from what m describes.
func parentsOf(m layers.Meta) []uint64 {
	if m.ID != 0 {
		return []uint64{m.ID}
	}
	return m.Parents
}

func (s *Stack) icmpPDU(msg *ICMP, b []byte, m layers.Meta) *layers.PDU {
	if !s.env.Tracing() {
		return nil
	}
	return &layers.PDU{Kind: "icmp", ID: m.ID, Parents: m.Parents, Len: len(b), HeaderLen: ICMPHeaderLen,
		Summary: msg.Summary(), Fields: msg.Fields(), Bytes: b}
}

func (s *Stack) arpPDU(a *ARP, b []byte, m layers.Meta) *layers.PDU {
	if !s.env.Tracing() {
		return nil
	}
	return &layers.PDU{Kind: "arp", ID: m.ID, Parents: m.Parents, Len: len(b), HeaderLen: ARPLen,
		Summary: a.Summary(), Fields: a.Fields(), Bytes: b}
}
