package sim

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"time"

	"github.com/osisim/osisim/layers"
	"github.com/osisim/osisim/layers/application"
	"github.com/osisim/osisim/layers/network"
	"github.com/osisim/osisim/layers/transport"
)

// Timers of the stub resolver. RFC 1123 6.1.3.3 asks for retransmissions
// with exponential backoff and warns against retrying too eagerly; RFC
// 1536 1 reports 2 to 5 seconds as what resolvers start with.
const (
	DNSRetryTimeout = 2 * time.Second // the first wait; each retry doubles it
	DNSTries        = 3               // queries sent before giving up
)

// DNSServer is a small authoritative name server on a host's UDP port 53
// (RFC 1035 4.2.1): it answers queries from its zone and recurses for
// nobody.
type DNSServer struct {
	h       *Host
	zone    *application.DNSZone
	queries int
	stopped bool
}

// StartDNSServer starts a name server on h that answers from records.
func (h *Host) StartDNSServer(records []application.DNSRecord) (*DNSServer, error) {
	z, err := application.NewDNSZone(records)
	if err != nil {
		return nil, fmt.Errorf("%s: DNS server: %w", h.name, err)
	}
	s := &DNSServer{h: h, zone: z}
	if err := h.UDP().Bind(application.DNSPort, s.receive); err != nil {
		return nil, fmt.Errorf("%s: DNS server: %w", h.name, err)
	}
	var names []string
	for _, r := range z.Records() {
		names = append(names, strings.TrimSuffix(r.Name, ".")+" "+r.Type.String()+" "+r.Value())
	}
	h.record(layers.Event{Layer: layers.Application, Dir: layers.Note}.Say("l7.dns.server.listen",
		"DNS server listening on UDP port %s: authoritative for %d records (%s)",
		portText(application.DNSPort), len(names), strings.Join(names, "; ")))
	return s, nil
}

// Stop closes the server's port: later queries are answered with ICMP port
// unreachable.
func (s *DNSServer) Stop() {
	if s.stopped {
		return
	}
	s.stopped = true
	s.h.UDP().Unbind(application.DNSPort)
	s.h.record(layers.Event{Layer: layers.Application, Dir: layers.Note}.Say("l7.dns.server.stop", "DNS server stopped: UDP port 53 is closed"))
}

// Queries returns how many queries the server received.
func (s *DNSServer) Queries() int { return s.queries }

// Zone returns the server's zone.
func (s *DNSServer) Zone() *application.DNSZone { return s.zone }

// dnsPDU describes a DNS message for the trace.
func dnsPDU(id uint64, m application.DNSMessage, b []byte) *layers.PDU {
	return &layers.PDU{Kind: "dns", ID: id, Len: len(b), HeaderLen: m.HeaderLen(), Summary: m.Summary(), Fields: m.Fields(), Bytes: b}
}

func (s *DNSServer) receive(src netip.AddrPort, dst netip.Addr, payload []byte) {
	h := s.h
	s.queries++
	q, err := application.ParseDNS(payload)
	if err != nil {
		// RFC 1035 4.1.1 lets a server answer FORMERR, but a message that
		// does not parse may not even be a query: it is dropped.
		h.record(layers.Event{Layer: layers.Application, Dir: layers.Drop, Reason: layers.ReasonMalformed}.Say("l7.dns.server.bad",
			"DNS server: message from %s dropped: %v", src, err))
		return
	}
	if h.sim.tracing {
		h.record(layers.Event{Layer: layers.Application, Dir: layers.Up, PDU: dnsPDU(h.sim.NewID(), q, payload)}.Say("l7.dns.server.got",
			"DNS server got from %s: %s", src, questionText(q)))
	}
	resp, note, ok := s.zone.AnswerNote(q)
	if !ok {
		h.record(layers.Event{Layer: layers.Application, Dir: layers.Drop, Reason: layers.ReasonProtocol}.Say("l7.dns.server.noanswer",
			"DNS server: message from %s not answered: %v", src, note))
		return
	}
	b := resp.Append(nil)
	var id uint64
	if h.sim.tracing {
		id = h.sim.NewID()
		h.record(layers.Event{Layer: layers.Application, Dir: layers.Down, PDU: dnsPDU(id, resp, b)}.Say("l7.dns.server.answers",
			"DNS server answers: %v", note))
	}
	// The answer leaves from the address and port the query came to (RFC
	// 1035 4.2.1), so that the resolver recognizes it.
	if err := h.UDP().SendTo(netip.AddrPortFrom(dst, application.DNSPort), src, b, id); err != nil {
		h.record(layers.Event{Layer: layers.Application, Dir: layers.Note}.Say("l7.dns.server.err", "DNS server: %v", err))
	}
}

// questionText says in words what a query asks.
func questionText(q application.DNSMessage) layers.Phrase {
	if len(q.Questions) != 1 {
		return layers.Tell("l7.dns.q.many", "a query with %d questions (ID 0x%04x)", len(q.Questions), q.ID)
	}
	qq := q.Questions[0]
	return layers.Tell("l7.dns.q", "what is the %s record of %s? (query ID 0x%04x)", qq.Type, strings.TrimSuffix(qq.Name, "."), q.ID)
}

// Resolution is one name lookup by a host's stub resolver (RFC 1034 5.3.1):
// a query over UDP to the server's port 53, sent again with a longer
// timeout when no answer comes, and the answer checked against the query
// (RFC 1035 7.3, RFC 5452).
type Resolution struct {
	h      *Host
	server netip.Addr
	name   string
	lookup application.DNSLookup
	local  netip.AddrPort
	bound  bool
	tries  int
	timer  *Event
	then   func(netip.Addr, error)
	addrs  []netip.Addr
	err    error
	done   bool
}

// Resolve asks the DNS server at server, at time at, for the IPv4 address
// of name, and calls then (if not nil) with the first address or the error
// (application.ErrDNSNoSuchName, ErrDNSTimeout, ErrDNSUnreachable ...).
func (h *Host) Resolve(at time.Duration, server netip.Addr, name string, then func(netip.Addr, error)) *Resolution {
	r := &Resolution{h: h, server: server, name: name, then: then}
	h.sim.At(at, r.start)
	return r
}

// Done reports whether the lookup has finished.
func (r *Resolution) Done() bool { return r.done }

// Addrs returns the addresses found.
func (r *Resolution) Addrs() []netip.Addr { return append([]netip.Addr(nil), r.addrs...) }

// Err returns why the lookup failed, or nil.
func (r *Resolution) Err() error { return r.err }

// Tries returns how many queries were sent.
func (r *Resolution) Tries() int { return r.tries }

func (r *Resolution) start() {
	h := r.h
	h.record(layers.Event{Layer: layers.Application, Dir: layers.Note, Walk: true}.
		Title("chapter.dns", "%s resolves %s: a DNS query to %s over UDP port 53", h.name, strings.TrimSuffix(r.name, "."), r.server).
		Say("l7.dns.ask", "resolver: ask the name server %s for the address of %s: one UDP datagram each way, no connection to open",
			r.server, strings.TrimSuffix(r.name, ".")))
	// RFC 5452 9.2: a random query ID and a random source port make a
	// forged answer hard to guess.
	l, err := application.NewDNSLookup(r.name, uint16(h.sim.Rand().Uint32()))
	if err != nil {
		r.fail(err)
		return
	}
	r.lookup = l
	src, err := h.ip.SourceFor(r.server)
	if err != nil {
		r.fail(err)
		return
	}
	for range 16 {
		port := uint16(transport.FirstDynamic) + uint16(h.sim.Rand().IntN(65536-int(transport.FirstDynamic)))
		if h.UDP().Bind(port, r.receive) == nil {
			r.local, r.bound = netip.AddrPortFrom(src, port), true
			break
		}
	}
	if !r.bound {
		r.fail(errors.New("sim: resolver: no free UDP port in the dynamic range"))
		return
	}
	h.OnICMP(r.receiveICMP)
	r.send()
}

// send sends the query (again).
func (r *Resolution) send() {
	h := r.h
	r.tries++
	q := r.lookup.Query()
	b := q.Append(nil)
	var id uint64
	if h.sim.tracing {
		id = h.sim.NewID()
		e := layers.Event{Layer: layers.Application, Dir: layers.Down, PDU: dnsPDU(id, q, b)}.Say("l7.dns.query",
			"resolver asks %s: %s, from UDP port %d", r.server, questionText(q), r.local.Port())
		if r.tries > 1 {
			e = e.Say("l7.dns.query.again", "resolver asks %s: %s, from UDP port %d (try %d of %d)",
				r.server, questionText(q), r.local.Port(), r.tries, DNSTries)
		}
		h.record(e)
	}
	if err := h.UDP().SendTo(r.local, netip.AddrPortFrom(r.server, application.DNSPort), b, id); err != nil {
		r.fail(err)
		return
	}
	wait := DNSRetryTimeout << (r.tries - 1)
	r.timer = h.sim.After(wait, func() { r.timeout(wait) })
}

func (r *Resolution) timeout(wait time.Duration) {
	r.timer = nil
	if r.done {
		return
	}
	if r.tries < DNSTries {
		r.h.record(layers.Event{Layer: layers.Application, Dir: layers.Timeout}.Say("l7.dns.timeout",
			"resolver: no answer from %s within %s s: UDP does not retransmit, so the resolver asks again (try %d of %d)",
			r.server, durText(wait), r.tries+1, DNSTries))
		r.send()
		return
	}
	r.h.record(layers.Event{Layer: layers.Application, Dir: layers.Timeout}.Say("l7.dns.giveup",
		"resolver: no answer from %s within %s s: giving up after %d tries", r.server, durText(wait), r.tries))
	r.finish(fmt.Errorf("%w: %s after %d tries", application.ErrDNSTimeout, r.server, r.tries))
}

// receive takes a datagram that arrived on the resolver's port.
func (r *Resolution) receive(src netip.AddrPort, _ netip.Addr, payload []byte) {
	h := r.h
	if r.done {
		return
	}
	resp, err := application.ParseDNS(payload)
	if err != nil {
		h.record(layers.Event{Layer: layers.Application, Dir: layers.Drop, Reason: layers.ReasonMalformed}.Say("l7.dns.bad",
			"resolver: answer from %s dropped: %v", src, err))
		return
	}
	pdu := dnsPDU(h.sim.NewID(), resp, payload)
	// RFC 5452 9.1: an answer must come from the address and port the
	// query went to, and match its ID and question.
	if src != netip.AddrPortFrom(r.server, application.DNSPort) {
		h.record(layers.Event{Layer: layers.Application, Dir: layers.Drop, Reason: layers.ReasonNotForMe, PDU: pdu}.Say("l7.dns.spoof",
			"resolver: answer ignored: it comes from %s, not from the server asked (%s port 53)", src, r.server))
		return
	}
	if err = r.lookup.Matches(resp); err != nil {
		h.record(layers.Event{Layer: layers.Application, Dir: layers.Drop, Reason: layers.ReasonNotForMe, PDU: pdu}.Say("l7.dns.mismatch",
			"resolver: answer ignored: %s", strings.TrimPrefix(err.Error(), "application: ")))
		return
	}
	addrs, err := r.lookup.Addrs(resp)
	name := strings.TrimSuffix(r.name, ".")
	e := layers.Event{Layer: layers.Application, Dir: layers.Up, PDU: pdu}
	switch {
	case err == nil:
		var as []string
		for _, a := range addrs {
			as = append(as, a.String())
		}
		if resp.Authoritative {
			e = e.Say("l7.dns.answer.auth", "resolver: %s is %s (an authoritative answer, may be cached for %d s)", name, strings.Join(as, ", "), minTTL(resp))
		} else {
			e = e.Say("l7.dns.answer", "resolver: %s is %s (a non-authoritative answer, may be cached for %d s)", name, strings.Join(as, ", "), minTTL(resp))
		}
	case errors.Is(err, application.ErrDNSNoSuchName):
		e = e.Say("l7.dns.nxdomain", "resolver: %s does not exist (NXDOMAIN)", name)
	default:
		e = e.Say("l7.dns.err", "resolver: %s", strings.TrimPrefix(err.Error(), "application: "))
	}
	h.record(e)
	r.addrs = addrs
	r.finish(err)
}

// minTTL says how long the answer may be cached: the smallest TTL of the
// records that gave the address.
func minTTL(resp application.DNSMessage) uint32 {
	var ttl uint32
	for i, rr := range resp.Answers {
		if i == 0 || rr.TTL < ttl {
			ttl = rr.TTL
		}
	}
	return ttl
}

// receiveICMP takes the ICMP port unreachable that answers a query when no
// server listens on port 53 (RFC 1122 4.1.3.1): there is no point in
// asking again.
func (r *Resolution) receiveICMP(src netip.Addr, msg network.ICMP, m layers.Meta) bool {
	if r.done || msg.Type != network.ICMPDestUnreachable {
		return false
	}
	d, err := msg.Original()
	if err != nil || d.Protocol != network.ProtoUDP || d.Dst != r.server || len(d.Payload) < 4 ||
		binary.BigEndian.Uint16(d.Payload) != r.local.Port() || binary.BigEndian.Uint16(d.Payload[2:]) != application.DNSPort {
		return false
	}
	r.h.record(layers.Event{Layer: layers.Application, Dir: layers.Up, PDU: icmpPDU(msg, m)}.Say("l7.dns.unreachable",
		"resolver: %s from %s: no name server there", pduSummary{kind: "icmp-name", text: strings.TrimPrefix(msg.Summary(), "ICMP ")}, src))
	if msg.Code == network.ICMPPortUnreachable {
		r.finish(fmt.Errorf("%w: %s", application.ErrDNSUnreachable, r.server))
	} else {
		r.finish(fmt.Errorf("sim: resolver: %s is unreachable: %s", r.server, strings.TrimPrefix(msg.Summary(), "ICMP ")))
	}
	return true
}

// fail ends the lookup with an error nothing has recorded yet.
func (r *Resolution) fail(err error) {
	r.h.record(layers.Event{Layer: layers.Application, Dir: layers.Note}.Say("l7.dns.fail", "resolver: %v", err))
	r.finish(err)
}

// finish ends the lookup: the port is closed, the timer stopped and then
// called.
func (r *Resolution) finish(err error) {
	if r.done {
		return
	}
	r.done, r.err = true, err
	if r.timer != nil {
		r.timer.Stop()
		r.timer = nil
	}
	if r.bound {
		r.h.UDP().Unbind(r.local.Port())
	}
	if r.then != nil {
		var a netip.Addr
		if len(r.addrs) > 0 {
			a = r.addrs[0]
		}
		r.then(a, err)
	}
}
