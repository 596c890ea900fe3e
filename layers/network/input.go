package network

import (
	"encoding/binary"
	"errors"
	"net/netip"

	"github.com/osisim/osisim/layers"
	"github.com/osisim/osisim/layers/datalink"
)

// HandleFrame takes the payload of a frame that arrived on interface iface
// from src with EtherType t (its FCS already checked by the data link
// layer). ARP packets update the ARP cache and are answered; IPv4
// datagrams are checked, then delivered when addressed to this node,
// forwarded when it is a router, or dropped. payload is only read during
// the call.
func (s *Stack) HandleFrame(iface int, src datalink.MAC, t datalink.EtherType, payload []byte, m layers.Meta) {
	if iface < 0 || iface >= len(s.ifaces) {
		s.record(-1, layers.Drop, layers.ReasonNotForMe, "", nil, layers.Tell("net.in.noiface", "frame from %s on interface %d, which this node does not have", src, iface))
		return
	}
	switch t {
	case datalink.EtherTypeIPv4:
		s.handleIPv4(iface, payload, m)
	case datalink.EtherTypeARP:
		s.handleARP(iface, payload, m)
	case datalink.EtherTypeRARP:
		s.handleRARP(iface, src, payload, m)
	default:
		s.record(iface, layers.Drop, layers.ReasonNotForMe, "", nil, layers.Tell("net.in.ethertype", "frame from %s with EtherType %s: not a protocol this network layer speaks", src, t))
	}
}

func (s *Stack) handleIPv4(ifi int, payload []byte, m layers.Meta) {
	d, err := Parse(payload)
	if err != nil {
		reason := layers.ReasonMalformed
		if errors.Is(err, ErrChecksum) {
			reason = layers.ReasonChecksum
		}
		var pdu *layers.PDU
		if s.env.Tracing() {
			pdu = &layers.PDU{Kind: "ipv4", ID: m.ID, Parents: m.Parents, Len: len(payload), Summary: "IPv4 (malformed)", Bytes: payload}
		}
		s.record(ifi, layers.Drop, reason, "", pdu, layers.Tell("net.in.bad", "datagram discarded: %v", err))
		return
	}
	b := payload[:d.Len()]
	switch {
	case s.isForMe(d.Dst):
		s.deliver(ifi, d, b, m)
	case s.cfg.Forwarding:
		s.forward(ifi, d, b, m)
	default:
		// RFC 1122 3.2.1.3: a host silently discards a datagram that is not
		// addressed to it (silently on the wire; the trace still says so).
		s.record(ifi, layers.Drop, layers.ReasonNotForMe, "", s.ipPDU(&d, b, m),
			layers.Tell("net.in.notforme", "datagram for %s is not addressed to this host (%s) and this node does not forward", d.Dst, s.ifaces[ifi].addr))
	}
}

// deliver passes a datagram addressed to this node to its protocol.
func (s *Stack) deliver(ifi int, d Datagram, b []byte, m layers.Meta) {
	if d.IsFragment() {
		s.reassemble(ifi, d, b, m)
		return
	}
	switch d.Protocol {
	case ProtoICMP:
		s.handleICMP(ifi, d, b, m)
	case ProtoTCP, ProtoUDP:
		if s.up == nil {
			s.noProtocol(ifi, d, b, m, layers.Tell("net.in.nol4", "%s datagram from %s discarded: this node has no transport layer", d.Protocol, d.Src))
			return
		}
		s.up.Deliver(d, m)
	default:
		s.noProtocol(ifi, d, b, m, layers.Tell("net.in.noproto", "datagram from %s discarded: no handler for %s", d.Src, d.Protocol))
	}
}

// noProtocol drops a datagram for a protocol the node does not run and
// answers with protocol unreachable (RFC 1122 3.2.2.1).
func (s *Stack) noProtocol(ifi int, d Datagram, b []byte, m layers.Meta, text layers.Phrase) {
	s.record(ifi, layers.Drop, layers.ReasonNotForMe, "", s.ipPDU(&d, b, m), text)
	s.sendICMPError(ifi, d, b, ICMPDestUnreachable, ICMPProtoUnreachable, 0, m, "protocol unreachable")
}

// handleICMP answers echo requests and passes every other message up.
func (s *Stack) handleICMP(ifi int, d Datagram, b []byte, m layers.Meta) {
	msg, err := ParseICMP(d.Payload)
	if err != nil {
		reason := layers.ReasonMalformed
		if errors.Is(err, ErrChecksum) {
			reason = layers.ReasonChecksum
		}
		s.record(ifi, layers.Drop, reason, "", s.ipPDU(&d, b, m), layers.Tell("net.icmp.bad", "ICMP message from %s discarded: %v", d.Src, err))
		return
	}
	if msg.Type == ICMPEchoRequest {
		if !s.isOwnAddr(d.Dst) {
			// RFC 1122 3.2.2.6 lets a host ignore an echo request sent to a
			// broadcast address, as most do.
			s.record(ifi, layers.Drop, layers.ReasonNotForMe, "", s.icmpPDU(&msg, d.Payload, m),
				layers.Tell("net.icmp.bcast", "echo request from %s to broadcast address %s ignored", d.Src, d.Dst))
			return
		}
		if s.env.Tracing() {
			s.record(ifi, layers.Note, "", "", s.icmpPDU(&msg, d.Payload, m),
				layers.Tell("net.icmp.echo", "%s from %s: answering with an echo reply", icmpText(msg), d.Src))
		}
		// RFC 1122 3.2.2.6: the reply comes from the address the request
		// was sent to and returns its identifier, sequence number and data.
		reply := ICMP{Type: ICMPEchoReply, ID: msg.ID, Seq: msg.Seq, Data: msg.Data}
		_ = s.sendICMP(d.Dst, d.Src, reply, layers.Meta{ID: s.env.NewID(), Parents: parentsOf(m), Cause: "echo request"})
		return
	}
	if s.up == nil {
		s.record(ifi, layers.Drop, layers.ReasonNotForMe, "", s.icmpPDU(&msg, d.Payload, m),
			layers.Tell("net.icmp.nobody", "%s from %s: nothing above the network layer on this node takes it", icmpText(msg), d.Src))
		return
	}
	s.up.DeliverICMP(d.Src, msg, m)
}

// forward relays a datagram addressed to another node (RFC 1812 5.2, 5.3):
// check the TTL, look up the route, decrement the TTL with an incremental
// checksum update and send the datagram on towards its next hop.
func (s *Stack) forward(ifi int, d Datagram, b []byte, m layers.Meta) {
	if !isUnicast(d.Dst) {
		// RFC 1812 5.3.7: a router does not forward datagrams for
		// 0.0.0.0, 127.0.0.0/8, multicast or class E addresses (multicast
		// routing is not run here).
		s.record(ifi, layers.Drop, layers.ReasonNotForMe, "", s.ipPDU(&d, b, m),
			layers.Tell("net.fwd.notunicast", "datagram for %s not forwarded: not a unicast address", d.Dst))
		return
	}
	// RFC 1812 5.3.1: a datagram whose TTL would reach 0 is discarded and
	// answered with time exceeded; TTL 0 or 1 on arrival means just that.
	if d.TTL <= 1 {
		s.record(ifi, layers.Drop, layers.ReasonTTL, "", s.ipPDU(&d, b, m),
			layers.Tell("net.fwd.ttl", "TTL expired in transit: datagram from %s to %s arrived with TTL %d", d.Src, d.Dst, d.TTL))
		s.sendICMPError(ifi, d, b, ICMPTimeExceeded, ICMPTTLExceeded, 0, m, "TTL expired")
		return
	}
	r, ok := s.routes.Lookup(d.Dst)
	if !ok {
		s.record(ifi, layers.Drop, layers.ReasonNoRoute, "", s.ipPDU(&d, b, m),
			layers.Tell("net.fwd.noroute", "no route to %s: datagram from %s dropped", d.Dst, d.Src))
		s.sendICMPError(ifi, d, b, ICMPDestUnreachable, ICMPNetUnreachable, 0, m, "no route")
		return
	}
	s.fwd = append(s.fwd[:0], b...)
	ttl, _ := DecrementTTL(s.fwd) // d.TTL > 1 was checked above
	if s.env.Tracing() {
		// The link records the forwarded datagram itself as it leaves; this
		// note says why it leaves where it does.
		out := &s.ifaces[r.Iface]
		e := layers.Event{Layer: layers.Network, Dir: layers.Note}
		if r.Connected() {
			e = e.Say("l3.forward", "forward to %s via %s, TTL %d -> %d", d.Dst, out.Name, d.TTL, ttl)
		} else {
			e = e.Say("l3.forward.via", "forward to %s via %s (next hop %s), TTL %d -> %d", d.Dst, out.Name, r.Gateway, d.TTL, ttl)
		}
		s.recordEvent(r.Iface, e)
	}
	s.output(r.Iface, r.NextHop(d.Dst), s.fwd, m, false)
}

// isUnicast reports whether a may be the destination of a forwarded
// datagram.
func isUnicast(a netip.Addr) bool {
	return a.Is4() && !a.IsUnspecified() && !a.IsLoopback() && !a.IsMulticast() && a.As4()[0] < 240
}

// noErrorAbout says why RFC 1122 3.2.2 forbids an ICMP error about d, or
// returns "" when one may be sent. (The rule about datagrams that arrived
// as link-layer broadcasts is not checked: HandleFrame is not told the
// frame's destination.)
func (s *Stack) noErrorAbout(d Datagram) string { return s.noErrorWhy(d).En }

// noErrorWhy is noErrorAbout as a layers.Phrase for the trace.
func (s *Stack) noErrorWhy(d Datagram) layers.Phrase {
	switch {
	case d.FragOffset != 0:
		return layers.Tell("net.noerr.frag", "it is a fragment other than the first")
	case d.Protocol == ProtoICMP && (len(d.Payload) == 0 || isICMPError(d.Payload[0])):
		return layers.Tell("net.noerr.icmp", "it is an ICMP error message")
	case s.isBroadcast(d.Dst) || d.Dst.IsMulticast():
		return layers.Tell("net.noerr.bcast", "it was sent to the broadcast or multicast address %s", d.Dst)
	case !isUnicast(d.Src) || s.isBroadcast(d.Src):
		return layers.Tell("net.noerr.src", "its source %s is not a single host", d.Src)
	}
	return layers.Phrase{}
}

// sendICMPError sends an ICMP error of type typ and code about datagram d
// (octets b) to its source, unless RFC 1122 3.2.2 forbids it. The error
// leaves from the address of the interface towards the source (RFC 1812
// 4.3.2.4).
func (s *Stack) sendICMPError(ifi int, d Datagram, b []byte, typ, code uint8, rest uint32, m layers.Meta, cause string) error {
	msg := NewError(typ, code, rest, b)
	if why := s.noErrorWhy(d); !why.IsZero() {
		s.record(ifi, layers.Note, "", cause, nil, layers.Tell("net.icmp.nosend", "no %s sent about the datagram from %s: %v (RFC 1122 3.2.2)", icmpText(msg), d.Src, why))
		return nil
	}
	return s.sendICMP(netip.Addr{}, d.Src, msg, layers.Meta{ID: s.env.NewID(), Parents: parentsOf(m), Cause: cause})
}

// sendICMP sends msg from src (the zero Addr: the outgoing interface's
// address) to dst. m describes the ICMP message.
func (s *Stack) sendICMP(src, dst netip.Addr, msg ICMP, m layers.Meta) error {
	s.msg = msg.Append(s.msg[:0])
	if s.env.Tracing() {
		msg.Checksum = binary.BigEndian.Uint16(s.msg[2:4])
		s.record(-1, layers.Note, "", m.Cause, s.icmpPDU(&msg, s.msg, m), layers.Tell("net.icmp.send", "sending %s to %s", icmpText(msg), dst))
	}
	return s.send(src, dst, ProtoICMP, 0, s.msg, m)
}
