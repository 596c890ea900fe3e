package sim

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"time"

	"github.com/osisim/osisim/layers"
	"github.com/osisim/osisim/layers/network"
	"github.com/osisim/osisim/layers/transport"
)

// Defaults of traceroute, as traceroute(8) has them.
const (
	TraceroutePort    = 33434 // the destination port of the first probe; each probe takes the next
	TracerouteProbes  = 3     // probes per TTL
	TracerouteWait    = 5 * time.Second
	TracerouteMaxHops = 30
	// TracerouteDataLen makes 60-octet probes: 20 (IPv4) + 8 (UDP) + 32.
	TracerouteDataLen = 32
)

// Traceroute is the traceroute program (Van Jacobson's, as traceroute(8)
// still runs it by default): it sends UDP probes to unlikely ports of the
// destination with TTL 1, 2, 3 ... Each router that decrements a probe's
// TTL to 0 discards it and answers with ICMP time exceeded (RFC 792, RFC
// 1812 5.3.1), which gives away the router's address; the destination
// itself answers with ICMP port unreachable (RFC 1122 4.1.3.1), since
// nothing listens on the port, and the path is complete.
type Traceroute struct {
	h       *Host
	dst     netip.Addr
	maxHops int
	src     netip.Addr
	sport   uint16

	ttl, probe int
	port       uint16 // the destination port of the probe in flight
	sentAt     time.Duration
	timer      *Event
	hops       []TracerouteHop
	stop       bool // an unreachable other than "port" ends the trace after this hop
	reached    bool
	done       bool
	err        error
}

// TracerouteHop is what came back for one TTL.
type TracerouteHop struct {
	TTL    int
	Probes []TracerouteProbe
}

// TracerouteProbe is the answer to one probe.
type TracerouteProbe struct {
	Answered bool       // false: no answer within TracerouteWait ("*")
	From     netip.Addr // who answered
	RTT      time.Duration
	// Mark is traceroute(8)'s annotation of an unreachable: "!N", "!H",
	// "!P", "!F-1400" ...; "" for time exceeded and for the port
	// unreachable of the destination.
	Mark string
}

// ttlSender is what traceroute needs of the IP layer: sending a datagram
// with a TTL of its choosing (RFC 1122 3.2.1.7: "The IP layer MUST provide
// a means for the transport layer to set the TTL field of every datagram
// that is sent").
type ttlSender interface {
	SendTTL(dst netip.Addr, proto network.Protocol, ttl uint8, payload []byte, m layers.Meta) error
}

// errNoTTL says that the IP layer offers no way to set a datagram's TTL.
var errNoTTL = errors.New("sim: this IP layer cannot set the TTL of a datagram (network.Stack has no SendTTL)")

// StartTraceroute starts traceroute on h at time at, towards dst, with at
// most maxHops TTLs (TracerouteMaxHops if maxHops is not positive).
func (h *Host) StartTraceroute(at time.Duration, dst netip.Addr, maxHops int) *Traceroute {
	if maxHops <= 0 {
		maxHops = TracerouteMaxHops
	}
	t := &Traceroute{h: h, dst: dst, maxHops: min(maxHops, 255)}
	h.sim.At(at, t.start)
	return t
}

// Hops returns the hops traced so far.
func (t *Traceroute) Hops() []TracerouteHop {
	out := make([]TracerouteHop, len(t.hops))
	for i, hp := range t.hops {
		out[i] = TracerouteHop{TTL: hp.TTL, Probes: append([]TracerouteProbe(nil), hp.Probes...)}
	}
	return out
}

// Path returns, for each hop, the first address that answered (the zero
// Addr for a hop where no probe was answered).
func (t *Traceroute) Path() []netip.Addr {
	out := make([]netip.Addr, len(t.hops))
	for i, hp := range t.hops {
		for _, p := range hp.Probes {
			if p.Answered {
				out[i] = p.From
				break
			}
		}
	}
	return out
}

// Reached reports whether the destination answered.
func (t *Traceroute) Reached() bool { return t.reached }

// Done reports whether traceroute has finished.
func (t *Traceroute) Done() bool { return t.done }

// Err returns why traceroute could not run, or nil.
func (t *Traceroute) Err() error { return t.err }

func (t *Traceroute) start() {
	h := t.h
	// The text is traceroute(8)'s first line.
	h.record(layers.Event{Layer: layers.Application, Dir: layers.Note, Walk: true,
		Text: fmt.Sprintf("traceroute to %s (%s), %d hops max, %d byte packets", t.dst, t.dst, t.maxHops,
			network.IPv4MinHeaderLen+transport.UDPHeaderLen+TracerouteDataLen)}.
		Title("chapter.traceroute", "%s runs traceroute %s: UDP probes with TTL 1, 2, 3 ...", h.name, t.dst))
	src, err := h.ip.SourceFor(t.dst)
	if err != nil {
		t.fail(err)
		return
	}
	t.src = src
	// traceroute(8) takes a source port from its process id; here it is
	// drawn from the dynamic range (RFC 6335 6).
	t.sport = uint16(transport.FirstDynamic) + uint16(h.sim.Rand().IntN(65536-int(transport.FirstDynamic)))
	h.OnICMP(t.receive)
	t.ttl = 1
	t.send()
}

func (t *Traceroute) fail(err error) {
	t.err, t.done = err, true
	t.h.record(layers.Event{Layer: layers.Application, Dir: layers.Note}.Say("l7.traceroute.err", "traceroute: %v", err))
}

// send sends the next probe: a UDP datagram to the next port, with the
// current TTL.
func (t *Traceroute) send() {
	h := t.h
	ip, ok := any(h.ip).(ttlSender)
	if !ok {
		t.fail(errNoTTL)
		return
	}
	if t.probe == 0 {
		t.hops = append(t.hops, TracerouteHop{TTL: t.ttl})
		if t.ttl > 1 {
			h.record(layers.Event{Layer: layers.Application, Dir: layers.Note}.
				Title("chapter.traceroute.ttl", "traceroute: TTL %d, one hop further", t.ttl).
				Say("l7.traceroute.ttl", "traceroute: %d probes with TTL %d", TracerouteProbes, t.ttl))
		}
	}
	t.port = uint16(TraceroutePort + (t.ttl-1)*TracerouteProbes + t.probe)
	data := make([]byte, TracerouteDataLen)
	for i := range data {
		data[i] = byte(0x40 + i) // traceroute(8) fills its probes with "@ABC..."
	}
	var id7, id4 uint64
	if h.sim.tracing {
		id7 = h.sim.NewID()
		h.record(layers.Event{Layer: layers.Application, Dir: layers.Down,
			PDU: &layers.PDU{Kind: "traceroute", ID: id7, Len: len(data),
				Summary: fmt.Sprintf("traceroute probe %d for hop %d: %d bytes to UDP port %d", t.probe+1, t.ttl, len(data), t.port), Bytes: data}}.Say(
			"l7.traceroute.probe", "traceroute: probe %d of %d with TTL %d to %s port %d: %s", t.probe+1, TracerouteProbes, t.ttl,
			t.dst, t.port, ttlMeaning(t.ttl)))
	}
	seg := transport.UserDatagram{SrcPort: t.sport, DstPort: t.port, Payload: data}.Append(nil, t.src, t.dst)
	if h.sim.tracing {
		id4 = h.sim.NewID()
		pdu := describeUDP(t.src, t.dst, seg)
		pdu.ID, pdu.Parents = id4, []uint64{id7}
		h.record(layers.Event{Layer: layers.Transport, Dir: layers.Down, PDU: pdu}.Say("l4.traceroute.ttl",
			"%s, to be sent with TTL %d", pdu.Summary, t.ttl))
	}
	t.sentAt = h.sim.now
	if err := ip.SendTTL(t.dst, network.ProtoUDP, uint8(t.ttl), seg, layers.Meta{ID: id4, Parents: idList(id7)}); err != nil {
		t.fail(err)
		return
	}
	t.timer = h.sim.After(TracerouteWait, t.timeout)
}

// ttlMeaning says what a probe's TTL does to it.
func ttlMeaning(ttl int) layers.Phrase {
	return layers.Tell("l7.traceroute.ttl.means", "the TTL lets it go %s: a router there decrements the TTL to 0, discards it and answers time exceeded, or the destination answers port unreachable",
		count(ttl, "hop"))
}

// receive takes the ICMP errors that quote one of this traceroute's
// probes: the quoted datagram's first 8 octets are the probe's UDP header,
// with its ports (RFC 792).
func (t *Traceroute) receive(src netip.Addr, msg network.ICMP, m layers.Meta) bool {
	if t.done || !msg.IsError() {
		return false
	}
	d, err := msg.Original()
	if err != nil || d.Protocol != network.ProtoUDP || d.Dst != t.dst || len(d.Payload) < 4 ||
		binary.BigEndian.Uint16(d.Payload) != t.sport {
		return false
	}
	port := binary.BigEndian.Uint16(d.Payload[2:])
	h := t.h
	if port != t.port || t.timer == nil {
		h.record(layers.Event{Layer: layers.Application, Dir: layers.Note, PDU: icmpPDU(msg, m)}.Say("l7.traceroute.late",
			"traceroute: %s from %s about the probe to port %d, which already timed out: ignored", icmpSummary(msg), src, port))
		return true
	}
	t.timer.Stop()
	t.timer = nil
	pr := TracerouteProbe{Answered: true, From: src, RTT: h.sim.now - t.sentAt}
	var what layers.Phrase
	name := pduSummary{kind: "icmp-name", text: strings.TrimPrefix(msg.Summary(), "ICMP ")}
	switch {
	case msg.Type == network.ICMPTimeExceeded:
		what = layers.Tell("l7.traceroute.exceeded", "time exceeded from %s: the router %s away discarded the probe", src, count(t.ttl, "hop"))
	case msg.Type == network.ICMPDestUnreachable && msg.Code == network.ICMPPortUnreachable:
		t.reached = true
		what = layers.Tell("l7.traceroute.port", "port unreachable from %s: the destination itself answered, nothing listens on port %d", src, port)
		if src != t.dst {
			pr.Mark = "!P"
		}
	case msg.Type == network.ICMPDestUnreachable:
		pr.Mark = unreachableMark(msg)
		t.stop = true
		what = layers.Tell("l7.traceroute.unreachable", "%s from %s (%s): the trace ends after this hop", name, src, pr.Mark)
	default:
		what = layers.Tell("l7.traceroute.other", "%s from %s", name, src)
	}
	h.record(layers.Event{Layer: layers.Application, Dir: layers.Up, PDU: icmpPDU(msg, m)}.Say("l7.traceroute.answer",
		"traceroute: hop %d probe %d: %s, %s ms", t.ttl, t.probe+1, what, pingMillis(pr.RTT)))
	t.next(pr)
	return true
}

// unreachableMark is traceroute(8)'s annotation of an unreachable code.
func unreachableMark(msg network.ICMP) string {
	switch msg.Code {
	case network.ICMPNetUnreachable:
		return "!N"
	case network.ICMPHostUnreachable:
		return "!H"
	case network.ICMPProtoUnreachable:
		return "!P"
	case network.ICMPFragNeeded:
		return fmt.Sprintf("!F-%d", uint16(msg.Rest))
	case network.ICMPSourceRouteFailed:
		return "!S"
	case 13:
		return "!X"
	}
	return fmt.Sprintf("!<%d>", msg.Code)
}

func (t *Traceroute) timeout() {
	t.timer = nil
	t.h.record(layers.Event{Layer: layers.Application, Dir: layers.Timeout}.Say("l7.traceroute.timeout",
		"traceroute: hop %d probe %d: no answer within %s s (*)", t.ttl, t.probe+1, durText(TracerouteWait)))
	t.next(TracerouteProbe{})
}

// next records the answer to the probe in flight and sends the next probe,
// moves to the next TTL, or ends the trace.
func (t *Traceroute) next(pr TracerouteProbe) {
	hop := &t.hops[len(t.hops)-1]
	hop.Probes = append(hop.Probes, pr)
	t.probe++
	if t.probe < TracerouteProbes {
		t.send()
		return
	}
	t.h.record(layers.Event{Layer: layers.Application, Dir: layers.Note, Text: hopLine(*hop)})
	if t.reached || t.stop || t.ttl >= t.maxHops {
		t.finish()
		return
	}
	t.ttl++
	t.probe = 0
	t.send()
}

// hopLine prints a hop as traceroute -n does: " 2  10.0.2.1  1.234 ms
// 1.201 ms  *", an address printed again only when another one answers.
func hopLine(hp TracerouteHop) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%2d ", hp.TTL)
	var last netip.Addr
	for _, p := range hp.Probes {
		if !p.Answered {
			b.WriteString(" *")
			continue
		}
		if p.From != last {
			fmt.Fprintf(&b, " %s", p.From)
			last = p.From
		}
		fmt.Fprintf(&b, "  %.3f ms", ms(p.RTT))
		if p.Mark != "" {
			b.WriteString(" " + p.Mark)
		}
	}
	return b.String()
}

func (t *Traceroute) finish() {
	t.done = true
	var b strings.Builder
	for _, hp := range t.hops {
		b.WriteString("\n" + hopLine(hp))
	}
	e := layers.Event{Layer: layers.Application, Dir: layers.Note}
	switch {
	case t.reached:
		e = e.Say("l7.traceroute.reached", "traceroute to %s: reached in %d hops%s", t.dst, len(t.hops), b.String())
	case t.stop:
		e = e.Say("l7.traceroute.stopped", "traceroute to %s: unreachable after %d hops%s", t.dst, len(t.hops), b.String())
	default:
		e = e.Say("l7.traceroute.notreached", "traceroute to %s: not reached within %d hops%s", t.dst, t.maxHops, b.String())
	}
	t.h.record(e)
}
