package network

import (
	"cmp"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/osisim/osisim/layers"
	"github.com/osisim/osisim/layers/datalink"
)

// ARPEntry is one entry of an ARP cache, as the trace shows it.
type ARPEntry struct {
	Iface      int
	IP         netip.Addr
	MAC        datalink.MAC  // zero while Incomplete
	Expires    time.Duration // simulated time the entry stops being used; 0 while Incomplete
	Incomplete bool          // a request is out and no reply has come yet
	Waiting    int           // datagrams queued until the reply comes
}

// ARPCache maps the IPv4 addresses of neighbours to their MAC addresses,
// per interface (RFC 826's translation table). An entry is used for
// Config.ARPTimeout after it was last confirmed, then resolved again.
type ARPCache struct {
	env     layers.Env
	names   []string
	entries map[arpKey]*arpEntry
}

type arpKey struct {
	iface int
	ip    netip.Addr
}

type arpEntry struct {
	mac        datalink.MAC
	expires    time.Duration
	incomplete bool
	// While incomplete: the datagrams waiting for the reply, the requests
	// sent after the first, and the retry timer.
	queue []waiting
	tries int
	timer layers.Timer
}

// waiting is a datagram held until its next hop answers ARP.
type waiting struct {
	b     []byte // a private copy of the datagram
	m     layers.Meta
	local bool // originated by this node
}

// Lookup returns the MAC address of ip on interface iface if the cache
// holds a complete entry that has not expired.
func (c *ARPCache) Lookup(iface int, ip netip.Addr) (datalink.MAC, bool) {
	e := c.entries[arpKey{iface, ip}]
	if e == nil || e.incomplete || c.env.Now() >= e.expires {
		return datalink.MAC{}, false
	}
	return e.mac, true
}

// Entries returns the entries in use (incomplete ones included, expired
// ones left out), sorted by interface then address.
func (c *ARPCache) Entries() []ARPEntry {
	now := c.env.Now()
	out := make([]ARPEntry, 0, len(c.entries))
	for k, e := range c.entries {
		if !e.incomplete && now >= e.expires {
			continue
		}
		en := ARPEntry{Iface: k.iface, IP: k.ip, MAC: e.mac, Incomplete: e.incomplete, Waiting: len(e.queue)}
		if !e.incomplete {
			en.Expires = e.expires
		}
		out = append(out, en)
	}
	slices.SortFunc(out, func(a, b ARPEntry) int {
		if c := cmp.Compare(a.Iface, b.Iface); c != 0 {
			return c
		}
		return a.IP.Compare(b.IP)
	})
	return out
}

// String prints the cache like "arp -a": one entry a line.
//
//	10.0.1.1 at 02:00:00:00:01:01 on eth0 (expires at 61s)
//	10.0.1.20 at (incomplete) on eth0, 1 datagram waiting
func (c *ARPCache) String() string {
	var sb strings.Builder
	for _, e := range c.Entries() {
		name := fmt.Sprintf("iface %d", e.Iface)
		if e.Iface < len(c.names) {
			name = c.names[e.Iface]
		}
		if e.Incomplete {
			fmt.Fprintf(&sb, "%s at (incomplete) on %s, %s waiting\n", e.IP, name, layers.Plural(e.Waiting, "datagram"))
			continue
		}
		fmt.Fprintf(&sb, "%s at %s on %s (expires at %s)\n", e.IP, e.MAC, name, e.Expires)
	}
	return sb.String()
}

// resolve returns the MAC address of next hop nh on interface ifi. When the
// cache has no valid entry, the datagram b is copied into the entry's queue
// and an ARP request goes out (RFC 826, RFC 1122 2.3.2.2), and resolve
// reports false.
func (s *Stack) resolve(ifi int, nh netip.Addr, b []byte, m layers.Meta, local bool) (datalink.MAC, bool) {
	k := arpKey{ifi, nh}
	e := s.arp.entries[k]
	if e != nil && !e.incomplete {
		if s.env.Now() < e.expires {
			return e.mac, true
		}
		s.record(ifi, layers.Note, "", "", nil, layers.Tell("net.arp.expired", "ARP cache entry %s is at %s expired (not confirmed for %s): asking again", nh, e.mac, s.cfg.ARPTimeout))
		e.incomplete, e.mac, e.expires = true, datalink.MAC{}, 0
	}
	if e == nil {
		e = &arpEntry{incomplete: true}
		s.arp.entries[k] = e
	}
	if len(e.queue) >= ARPQueueLimit {
		d, _ := Parse(b)
		s.record(ifi, layers.Drop, layers.ReasonQueueFull, "", s.ownPDU(&d, b, m),
			layers.Tell("net.arp.queuefull", "%s already wait for the ARP reply from %s: datagram dropped", count(len(e.queue), "datagram"), nh))
		return datalink.MAC{}, false
	}
	e.queue = append(e.queue, waiting{b: append([]byte(nil), b...), m: m, local: local})
	if e.timer != nil {
		if s.env.Tracing() {
			s.record(ifi, layers.Note, "", "", nil, layers.Tell("net.arp.pending", "ARP request for %s is out: datagram waits (%s waiting)", nh, count(len(e.queue), "datagram")))
		}
		return datalink.MAC{}, false
	}
	if s.env.Tracing() {
		s.recordEvent(ifi, layers.Event{Layer: layers.Network, Dir: layers.Note}.Say("l3.arp.wait", "ARP cache has no entry for %s: datagram waits", nh))
	}
	e.tries = 0
	s.sendARPRequest(ifi, nh, "")
	e.timer = s.env.After(s.cfg.ARPRetry, func() { s.arpRetry(k, e) })
	return datalink.MAC{}, false
}

// sendARPRequest broadcasts "who has target? tell <our address>" on ifi.
func (s *Stack) sendARPRequest(ifi int, target netip.Addr, cause string) {
	in := &s.ifaces[ifi]
	a := ARP{Op: ARPRequest, SenderMAC: in.MAC, SenderIP: in.addr, TargetIP: target}
	s.arpb = a.Append(s.arpb[:0])
	s.link.SendFrame(ifi, datalink.Broadcast, datalink.EtherTypeARP, s.arpb, layers.Meta{Cause: cause})
}

// arpRetry runs ARPRetry after each request for k: it asks again, or after
// the last retry gives up, dropping the waiting datagrams with an ICMP host
// unreachable for each (RFC 1122 2.3.2.2, RFC 1812 4.3.3.1 for a router).
func (s *Stack) arpRetry(k arpKey, e *arpEntry) {
	if s.arp.entries[k] != e || !e.incomplete {
		return
	}
	e.timer = nil
	if e.tries < s.cfg.ARPRetries {
		e.tries++
		cause := fmt.Sprintf("ARP retry %d of %d", e.tries, s.cfg.ARPRetries)
		s.record(k.iface, layers.Timeout, "", cause, nil,
			layers.Tell("net.arp.retry", "no ARP reply from %s after %s: asking again (retry %d of %d)", k.ip, s.cfg.ARPRetry, e.tries, s.cfg.ARPRetries))
		s.sendARPRequest(k.iface, k.ip, cause)
		e.timer = s.env.After(s.cfg.ARPRetry, func() { s.arpRetry(k, e) })
		return
	}
	delete(s.arp.entries, k)
	s.record(k.iface, layers.Timeout, "", "ARP failed", nil,
		layers.Tell("net.arp.failed", "ARP for %s failed: no reply to %s; %s dropped", k.ip, count(e.tries+1, "request"), count(len(e.queue), "waiting datagram")))
	for _, w := range e.queue {
		s.arpFailed(k, w)
	}
}

// arpFailed drops one datagram whose next hop never answered and reports
// host unreachable to its source: the local transport layer when the node
// sent it, otherwise the source host over the network.
func (s *Stack) arpFailed(k arpKey, w waiting) {
	d, err := Parse(w.b)
	if err != nil {
		return // cannot happen: w.b was emitted by this stack
	}
	s.record(k.iface, layers.Drop, layers.ReasonARPFailed, "ARP failed", s.ownPDU(&d, w.b, w.m),
		layers.Tell("net.arp.failed.drop", "next hop %s never answered ARP: datagram for %s dropped", k.ip, d.Dst))
	if !w.local {
		s.sendICMPError(k.iface, d, w.b, ICMPDestUnreachable, ICMPHostUnreachable, 0, w.m, "ARP failed")
		return
	}
	s.reportLocal(k.iface, d, w.b, ICMPDestUnreachable, ICMPHostUnreachable, 0, w.m, "ARP failed")
}

// handleARP runs RFC 826's packet reception algorithm: update the sender's
// entry if there is one (the merge flag); if the packet is for this
// interface's address, add the sender if it was not merged and answer a
// request with a reply.
func (s *Stack) handleARP(ifi int, payload []byte, m layers.Meta) {
	a, err := ParseARP(payload)
	if err != nil {
		s.record(ifi, layers.Drop, layers.ReasonMalformed, "", nil, layers.Tell("net.arp.bad", "ARP packet discarded: %v", err))
		return
	}
	in := &s.ifaces[ifi]
	switch {
	case a.Op == RARPRequest || a.Op == RARPReply:
		s.record(ifi, layers.Drop, layers.ReasonNotForMe, "", s.arpPDU(&a, payload[:ARPLen], m),
			layers.Tell("net.arp.notrarp", "%s ignored: this node is not a RARP server", arpText(a)))
		return
	case a.Op != ARPRequest && a.Op != ARPReply:
		s.record(ifi, layers.Drop, layers.ReasonMalformed, "", s.arpPDU(&a, payload[:ARPLen], m),
			layers.Tell("net.arp.opcode", "ARP packet with unknown opcode %d discarded", a.Op))
		return
	case in.unaddressed():
		s.record(ifi, layers.Drop, layers.ReasonNotForMe, "", s.arpPDU(&a, payload[:ARPLen], m),
			layers.Tell("net.arp.noaddr", "%s ignored: %s has no IPv4 address yet", arpText(a), in.Name))
		return
	case a.SenderMAC == in.MAC:
		s.record(ifi, layers.Drop, layers.ReasonNotForMe, "", s.arpPDU(&a, payload[:ARPLen], m),
			layers.Tell("net.arp.echo", "ARP packet sent by this interface came back: ignored"))
		return
	case a.SenderIP == in.addr:
		s.record(ifi, layers.Drop, layers.ReasonNotForMe, "", s.arpPDU(&a, payload[:ARPLen], m),
			layers.Tell("net.arp.conflict", "address conflict: %s claims this interface's address %s; its claim is not learned", a.SenderMAC, in.addr))
		return
	}
	// An ARP probe (RFC 5227 2.1.1) has sender address 0.0.0.0: nothing to
	// learn from it.
	learnable := !a.SenderIP.IsUnspecified()
	merged := false
	k := arpKey{ifi, a.SenderIP}
	if e := s.arp.entries[k]; e != nil && learnable {
		s.update(k, e, a.SenderMAC)
		merged = true
	}
	if a.TargetIP != in.addr {
		if !merged {
			s.record(ifi, layers.Drop, layers.ReasonNotForMe, "", s.arpPDU(&a, payload[:ARPLen], m),
				layers.Tell("net.arp.notforme", "ARP %s for %s, not this interface's address %s", opText(a.Op), a.TargetIP, in.addr))
		}
		return
	}
	if !merged && learnable {
		s.arp.entries[k] = &arpEntry{mac: a.SenderMAC, expires: s.env.Now() + s.cfg.ARPTimeout}
		if s.env.Tracing() {
			s.recordEvent(ifi, layers.Event{Layer: layers.Network, Dir: layers.Note}.Say("l3.arp.learned", "ARP cache: learned %s is at %s (from its %v)", a.SenderIP, a.SenderMAC, opText(a.Op)))
		}
	}
	if a.Op != ARPRequest {
		return
	}
	if s.env.Tracing() {
		s.recordEvent(ifi, layers.Event{Layer: layers.Network, Dir: layers.Note}.Say("l3.arp.reply", "ARP request for this interface's address %s from %s: replying", in.addr, a.SenderIP))
	}
	reply := ARP{Op: ARPReply, SenderMAC: in.MAC, SenderIP: in.addr, TargetMAC: a.SenderMAC, TargetIP: a.SenderIP}
	s.arpb = reply.Append(s.arpb[:0])
	s.link.SendFrame(ifi, a.SenderMAC, datalink.EtherTypeARP, s.arpb, layers.Meta{Cause: "ARP request"})
}

// update merges a fresh MAC address into an existing entry and, if the
// entry was waiting for it, sends the queued datagrams.
func (s *Stack) update(k arpKey, e *arpEntry, mac datalink.MAC) {
	was, old := e.incomplete, e.mac
	e.mac, e.incomplete, e.expires = mac, false, s.env.Now()+s.cfg.ARPTimeout
	if e.timer != nil {
		e.timer.Stop()
		e.timer = nil
	}
	switch {
	case !s.env.Tracing():
	case was:
		ev := layers.Event{Layer: layers.Network, Dir: layers.Note}
		switch n := len(e.queue); {
		case n == 1:
			ev = ev.Say("l3.arp.resolved.one", "ARP cache: %s is at %s; 1 waiting datagram sent", k.ip, mac)
		case n > 1:
			ev = ev.Say("l3.arp.resolved.sent", "ARP cache: %s is at %s; %d waiting datagrams sent", k.ip, mac, n)
		default:
			ev = ev.Say("l3.arp.resolved", "ARP cache: %s is at %s", k.ip, mac)
		}
		s.recordEvent(k.iface, ev)
	case old != mac:
		s.record(k.iface, layers.Note, "", "", nil, layers.Tell("net.arp.moved", "ARP cache: %s moved from %s to %s", k.ip, old, mac))
	}
	q := e.queue
	e.queue, e.tries = nil, 0
	for _, w := range q {
		s.transmit(k.iface, mac, w.b, w.m)
	}
}
