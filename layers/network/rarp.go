package network

import (
	"bytes"
	"errors"
	"fmt"
	"net/netip"
	"slices"

	"github.com/osisim/osisim/layers"
	"github.com/osisim/osisim/layers/datalink"
)

// RARPServer is the table of a RARP server (RFC 903): the IPv4 address of
// each hardware address it knows. It is only looked up, never iterated into
// output.
type RARPServer map[datalink.MAC]netip.Addr

// checkRARPServer checks every entry, in the order of the MAC addresses so
// that an error names the same entry on every run, and returns a private
// copy of the table.
func checkRARPServer(t RARPServer) (RARPServer, error) {
	macs := make([]datalink.MAC, 0, len(t))
	for mac := range t {
		macs = append(macs, mac)
	}
	slices.SortFunc(macs, func(a, b datalink.MAC) int { return bytes.Compare(a[:], b[:]) })
	out := make(RARPServer, len(t))
	for _, mac := range macs {
		a := t[mac].Unmap()
		switch {
		case mac.IsZero() || mac.IsMulticast():
			return nil, fmt.Errorf("network: RARP table: %s is not a unicast MAC address", mac)
		case !a.Is4() || a.IsUnspecified() || a.IsMulticast() || a.IsLoopback() || a == limitedBroadcast:
			return nil, fmt.Errorf("network: RARP table: %s maps to %s, not an IPv4 host address", mac, t[mac])
		}
		out[mac] = a
	}
	return out, nil
}

// RequestAddress asks a RARP server for the address of every interface
// that has none yet (Interface.Addr 0.0.0.0/N), as a diskless host does
// when it boots (RFC 903): it broadcasts a RARP request naming its own
// hardware address, and asks again every Config.ARPRetry, up to
// Config.ARPRetries times. When a reply comes, the interface takes the
// address with the configured prefix length and its connected route;
// Interfaces then shows it. It fails when every interface has an address
// or a request is already out.
func (s *Stack) RequestAddress() error {
	asked := 0
	for i := range s.ifaces {
		in := &s.ifaces[i]
		if !in.unaddressed() {
			continue
		}
		if in.rarpOut {
			return fmt.Errorf("network: a RARP request for the address of %s is already out", in.Name)
		}
		in.rarpOut, in.rarpTries = true, 0
		s.record(i, layers.Note, "", "", nil,
			layers.Tell("net.rarp.ask", "%s has no IPv4 address: broadcasting a RARP request for the address of %s", in.Name, in.MAC))
		s.sendRARPRequest(i, "")
		asked++
	}
	if asked == 0 {
		return errors.New("network: every interface already has an address; RARP is for one that has none")
	}
	return nil
}

// sendRARPRequest broadcasts "who is <our MAC>?" on ifi (RFC 903: a
// "request reverse" with the sender's hardware address as the target and
// both protocol addresses undefined, sent here as 0.0.0.0) and starts the
// retry timer.
func (s *Stack) sendRARPRequest(ifi int, cause string) {
	in := &s.ifaces[ifi]
	a := ARP{Op: RARPRequest, SenderMAC: in.MAC, TargetMAC: in.MAC}
	s.arpb = a.Append(s.arpb[:0])
	s.link.SendFrame(ifi, datalink.Broadcast, datalink.EtherTypeRARP, s.arpb, layers.Meta{Cause: cause})
	in.rarpTimer = s.env.After(s.cfg.ARPRetry, func() { s.rarpRetry(ifi) })
}

// rarpRetry runs ARPRetry after each RARP request that got no reply: it
// asks again, or after the last retry gives up.
func (s *Stack) rarpRetry(ifi int) {
	in := &s.ifaces[ifi]
	if !in.rarpOut {
		return
	}
	in.rarpTimer = nil
	if in.rarpTries < s.cfg.ARPRetries {
		in.rarpTries++
		cause := fmt.Sprintf("RARP retry %d of %d", in.rarpTries, s.cfg.ARPRetries)
		s.record(ifi, layers.Timeout, "", cause, nil,
			layers.Tell("net.rarp.retry", "no RARP reply after %s: asking again (retry %d of %d)", s.cfg.ARPRetry, in.rarpTries, s.cfg.ARPRetries))
		s.sendRARPRequest(ifi, cause)
		return
	}
	in.rarpOut = false
	s.record(ifi, layers.Timeout, "", "RARP failed", nil,
		layers.Tell("net.rarp.failed", "no RARP server answered %s: %s stays without an address", count(in.rarpTries+1, "request"), in.Name))
}

// handleRARP takes a RARP packet (EtherType 0x8035) that arrived on ifi
// from src: a server answers a request from its table, a client waiting
// for its address takes it from a reply (RFC 903).
func (s *Stack) handleRARP(ifi int, src datalink.MAC, payload []byte, m layers.Meta) {
	a, err := ParseARP(payload)
	if err != nil {
		s.record(ifi, layers.Drop, layers.ReasonMalformed, "", nil, layers.Tell("net.rarp.bad", "RARP packet discarded: %v", err))
		return
	}
	pdu := s.arpPDU(&a, payload[:ARPLen], m)
	switch a.Op {
	case RARPRequest:
		s.rarpAnswer(ifi, src, a, pdu)
	case RARPReply:
		s.rarpLearn(ifi, a, pdu)
	default:
		s.record(ifi, layers.Drop, layers.ReasonMalformed, "", pdu,
			layers.Tell("net.rarp.opcode", "%s in a RARP frame (EtherType 0x8035) discarded: RARP uses opcodes 3 and 4", opText(a.Op)))
	}
}

// rarpAnswer answers a RARP request from the server's table: the reply
// carries the server's own addresses as sender and the requested mapping
// as target, and goes to the station that asked (RFC 903). A server
// answers only for the hardware addresses it knows.
func (s *Stack) rarpAnswer(ifi int, src datalink.MAC, a ARP, pdu *layers.PDU) {
	in := &s.ifaces[ifi]
	if s.rarpTable == nil {
		s.record(ifi, layers.Drop, layers.ReasonNotForMe, "", pdu, layers.Tell("net.rarp.notserver", "%s ignored: this node is not a RARP server", arpText(a)))
		return
	}
	if in.unaddressed() {
		s.record(ifi, layers.Drop, layers.ReasonNotForMe, "", pdu, layers.Tell("net.rarp.noaddr", "%s ignored: %s has no address to answer from", arpText(a), in.Name))
		return
	}
	ip, ok := s.rarpTable[a.TargetMAC]
	if !ok {
		s.record(ifi, layers.Drop, layers.ReasonNotForMe, "", pdu,
			layers.Tell("net.rarp.unknown", "%s: %s is not in this server's RARP table, no reply", arpText(a), a.TargetMAC))
		return
	}
	s.record(ifi, layers.Note, "", "", pdu,
		layers.Tell("net.rarp.reply", "RARP request from %s: the table says %s is %s, replying", src, a.TargetMAC, ip))
	reply := ARP{Op: RARPReply, SenderMAC: in.MAC, SenderIP: in.addr, TargetMAC: a.TargetMAC, TargetIP: ip}
	s.arpb = reply.Append(s.arpb[:0])
	s.link.SendFrame(ifi, src, datalink.EtherTypeRARP, s.arpb, layers.Meta{Cause: "RARP request"})
}

// rarpLearn takes the address a RARP reply gives this interface, if it is
// waiting for one: with the configured prefix length it becomes the
// interface's address, and its network a connected route.
func (s *Stack) rarpLearn(ifi int, a ARP, pdu *layers.PDU) {
	in := &s.ifaces[ifi]
	if !in.rarpOut || a.TargetMAC != in.MAC {
		s.record(ifi, layers.Drop, layers.ReasonNotForMe, "", pdu,
			layers.Tell("net.rarp.notasked", "%s ignored: %s asked no RARP server about it", arpText(a), in.Name))
		return
	}
	p := netip.PrefixFrom(a.TargetIP, in.Addr.Bits())
	err := checkInterface(Interface{Name: in.Name, MAC: in.MAC, Addr: p, MTU: in.MTU})
	if err == nil && (a.TargetIP.IsUnspecified() || s.isOwnAddr(a.TargetIP)) {
		err = fmt.Errorf("network: interface %s: %s is not an address it can take", in.Name, a.TargetIP)
	}
	if err != nil {
		s.record(ifi, layers.Drop, layers.ReasonMalformed, "", pdu, layers.Tell("net.rarp.badreply", "RARP reply from %s discarded: %v", a.SenderIP, err))
		return
	}
	in.rarpOut = false
	if in.rarpTimer != nil {
		in.rarpTimer.Stop()
		in.rarpTimer = nil
	}
	in.Addr, in.addr, in.net, in.bcast = p, a.TargetIP, p.Masked(), directedBroadcast(p)
	// The connected route cannot fail: the prefix is IPv4 and masked.
	_ = s.routes.Add(Route{Prefix: in.net, Iface: ifi})
	s.record(ifi, layers.State, "", "", pdu,
		layers.Tell("net.rarp.got", "RARP server %s (%s) says this interface is %s: %s is now %s", a.SenderIP, a.SenderMAC, a.TargetIP, in.Name, p))
}
