package sim

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/osisim/osisim/layers"
	"github.com/osisim/osisim/layers/network"
)

// Defaults of ping, as iputils ping(8) has them.
const (
	// PingDataLen is the data of each echo request: 56 octets, which with
	// the 8-octet ICMP header make the "64 bytes" of ping's reply lines and,
	// with the 20-octet IPv4 header, 84-octet datagrams.
	PingDataLen = 56
	// PingTimeout is how long ping waits for the reply to one request
	// before it counts the request as lost.
	PingTimeout = 2 * time.Second
	// PingCount and PingInterval are used when StartPing is given a count
	// or an interval that is not positive.
	PingCount    = 4
	PingInterval = time.Second
)

// Ping is the ping program on a host: it sends ICMP echo requests (RFC 792)
// to one destination at a fixed interval and matches each echo reply to its
// request by identifier and sequence number. Ping tests reachability at the
// network layer only: ICMP is carried directly in IP, with no transport
// layer and no port, so a host answers ping whatever services it runs.
type Ping struct {
	h        *Host
	dst      netip.Addr
	count    int
	interval time.Duration
	id       uint16

	sent     []time.Duration // when each sequence number (from 1) was sent
	answered []bool          // a reply (or an ICMP error) came for the sequence number
	rtts     []time.Duration // in order of arrival
	errors   int             // ICMP errors about the requests
	dups     int
	done     bool
	err      error
}

// PingStats sums up a finished ping as ping(8) prints it.
type PingStats struct {
	Transmitted, Received, Errors, Duplicates int
	Min, Avg, Max, Mdev                       time.Duration
}

// Loss returns the share of requests without a reply, in percent.
func (s PingStats) Loss() float64 {
	if s.Transmitted == 0 {
		return 0
	}
	return 100 * float64(s.Transmitted-s.Received) / float64(s.Transmitted)
}

// StartPing starts ping on h at time at: count echo requests to dst, one
// every interval.
func (h *Host) StartPing(at time.Duration, dst netip.Addr, count int, interval time.Duration) *Ping {
	if count <= 0 {
		count = PingCount
	}
	if interval <= 0 {
		interval = PingInterval
	}
	p := &Ping{h: h, dst: dst, count: count, interval: interval}
	h.sim.At(at, p.start)
	return p
}

// Done reports whether ping has finished and printed its statistics.
func (p *Ping) Done() bool { return p.done }

// Err returns why ping could not send (no route, say), or nil.
func (p *Ping) Err() error { return p.err }

// RTTs returns the round-trip time of each reply, in order of arrival.
func (p *Ping) RTTs() []time.Duration { return append([]time.Duration(nil), p.rtts...) }

// Stats returns the counts and round-trip times so far.
func (p *Ping) Stats() PingStats {
	s := PingStats{Transmitted: len(p.sent), Received: len(p.rtts), Errors: p.errors, Duplicates: p.dups}
	if len(p.rtts) == 0 {
		return s
	}
	s.Min, s.Max = p.rtts[0], p.rtts[0]
	var sum, sq float64
	for _, r := range p.rtts {
		s.Min, s.Max = min(s.Min, r), max(s.Max, r)
		sum += float64(r)
		sq += float64(r) * float64(r)
	}
	n := float64(len(p.rtts))
	s.Avg = time.Duration(sum / n)
	// ping(8)'s mdev: the square root of the mean square less the square
	// of the mean.
	s.Mdev = time.Duration(math.Sqrt(max(0, sq/n-(sum/n)*(sum/n))))
	return s
}

func (p *Ping) start() {
	h := p.h
	// ping(8) takes its process id as the identifier; here it is drawn
	// from the run's random source.
	p.id = uint16(h.sim.Rand().Uint32())
	h.OnICMP(p.receive)
	h.record(layers.Event{Layer: layers.Application, Dir: layers.Note, Walk: true}.
		Title("chapter.ping", "%s pings %s: ICMP echo request and reply, no TCP, no port", h.name, p.dst).
		Say("l7.ping.start", "PING %s (%s) %d(%d) bytes of data: ping is a network-layer test, its ICMP messages go straight into IP",
			p.dst, p.dst, PingDataLen, PingDataLen+network.ICMPHeaderLen+network.IPv4MinHeaderLen))
	p.send()
}

// pingData returns the data of request seq sent at t: ping(8) puts its
// send time first (8 octets here), then the octets 8, 9, 10 ...
func pingData(t time.Duration) []byte {
	b := make([]byte, PingDataLen)
	binary.BigEndian.PutUint64(b, uint64(t))
	for i := 8; i < len(b); i++ {
		b[i] = byte(i)
	}
	return b
}

// send sends the next echo request and schedules the one after.
func (p *Ping) send() {
	h := p.h
	seq := len(p.sent) + 1
	now := h.sim.now
	if seq == 2 {
		h.record(layers.Event{Layer: layers.Application, Dir: layers.Note}.
			Title("chapter.ping.more", "ping: echo requests 2 to %d, one every %s s", p.count, durText(p.interval)).
			Say("l7.ping.more", "ping %s: %d more echo requests", p.dst, p.count-1))
	}
	msg := network.EchoRequest(p.id, uint16(seq), pingData(now))
	b := msg.Append(nil)
	var id uint64
	if h.sim.tracing {
		id = h.sim.NewID()
		msg.Checksum = binary.BigEndian.Uint16(b[2:])
		h.record(layers.Event{Layer: layers.Application, Dir: layers.Down, PDU: &layers.PDU{
			Kind: "icmp", ID: id, Len: len(b), HeaderLen: network.ICMPHeaderLen, Summary: msg.Summary(), Fields: msg.Fields(), Bytes: b}}.Say(
			"l7.ping.request", "ping: echo request icmp_seq=%d to %s with %d data bytes, handed straight to IP (protocol 1)", seq, p.dst, PingDataLen))
	}
	p.sent = append(p.sent, now)
	p.answered = append(p.answered, false)
	if err := h.ip.Send(p.dst, network.ProtoICMP, b, layers.Meta{ID: id}); err != nil {
		// ping(8) says "connect: Network is unreachable": nothing left.
		p.sent, p.answered = p.sent[:seq-1], p.answered[:seq-1]
		p.err = err
		h.record(layers.Event{Layer: layers.Application, Dir: layers.Note}.Say("l7.ping.err", "ping: %v", err))
		p.finish()
		return
	}
	h.sim.After(PingTimeout, func() { p.timeout(seq) })
	if seq < p.count {
		h.sim.After(p.interval, p.send)
	} else {
		h.sim.After(PingTimeout, p.finish)
	}
}

// receive takes the echo replies to this ping and the ICMP errors about its
// requests.
func (p *Ping) receive(src netip.Addr, msg network.ICMP, m layers.Meta) bool {
	if p.done {
		return false
	}
	if msg.Type == network.ICMPEchoReply && msg.ID == p.id {
		p.reply(src, msg, m)
		return true
	}
	if !msg.IsError() {
		return false
	}
	// An error quotes the request's IP header and its first 8 octets: the
	// ICMP header with the identifier and sequence number (RFC 792).
	d, err := msg.Original()
	if err != nil || d.Protocol != network.ProtoICMP || d.Dst != p.dst || len(d.Payload) < network.ICMPHeaderLen ||
		d.Payload[0] != network.ICMPEchoRequest || binary.BigEndian.Uint16(d.Payload[4:]) != p.id {
		return false
	}
	seq := int(binary.BigEndian.Uint16(d.Payload[6:]))
	p.errors++
	if seq >= 1 && seq <= len(p.answered) {
		p.answered[seq-1] = true
	}
	p.h.record(layers.Event{Layer: layers.Application, Dir: layers.Up, PDU: icmpPDU(msg, m),
		Text: fmt.Sprintf("From %s icmp_seq=%d %s", src, seq, pingErrorText(msg))})
	p.finishIfAnswered()
	return true
}

func (p *Ping) reply(src netip.Addr, msg network.ICMP, m layers.Meta) {
	h := p.h
	seq := int(msg.Seq)
	if seq < 1 || seq > len(p.sent) {
		h.record(layers.Event{Layer: layers.Application, Dir: layers.Drop, Reason: layers.ReasonNotForMe, PDU: icmpPDU(msg, m)}.Say(
			"l7.ping.stray", "ping: echo reply from %s with icmp_seq=%d, which was never sent: ignored", src, seq))
		return
	}
	rtt := h.sim.now - p.sent[seq-1]
	// The line is ping(8)'s; what osisim adds to it has a text of its own.
	line := fmt.Sprintf("%d bytes from %s: icmp_seq=%d time=%s ms", network.ICMPHeaderLen+len(msg.Data), src, seq, pingMillis(rtt))
	var late, differs layers.Phrase
	switch {
	case p.answered[seq-1]:
		// RFC 792 asks nothing of duplicates; ping(8) marks them.
		p.dups++
		line += " (DUP!)"
	default:
		p.answered[seq-1] = true
		p.rtts = append(p.rtts, rtt)
		if rtt > PingTimeout {
			late = layers.Tell("l7.ping.late", " (late: after the %s s timeout)", durText(PingTimeout))
		}
	}
	// RFC 792: the data of the echo request is returned in the reply.
	if !bytes.Equal(msg.Data, pingData(p.sent[seq-1])) {
		differs = layers.Tell("l7.ping.differs", "; the data differs from what was sent")
	}
	h.record(layers.Event{Layer: layers.Application, Dir: layers.Up, PDU: icmpPDU(msg, m)}.Say("l7.ping.reply", "%s%v%v", line, late, differs))
	p.finishIfAnswered()
}

// finishIfAnswered ends ping once every request was sent and answered, as
// ping(8) does without waiting out the timeout.
func (p *Ping) finishIfAnswered() {
	if len(p.sent) < p.count {
		return
	}
	for _, a := range p.answered {
		if !a {
			return
		}
	}
	p.finish()
}

func (p *Ping) timeout(seq int) {
	if p.done || p.answered[seq-1] {
		return
	}
	p.h.record(layers.Event{Layer: layers.Application, Dir: layers.Timeout}.Say("l7.ping.timeout",
		"ping: no reply to icmp_seq=%d from %s within %s s: the request or its reply was lost", seq, p.dst, durText(PingTimeout)))
}

// finish prints the statistics, as ping(8) does when it ends.
func (p *Ping) finish() {
	if p.done {
		return
	}
	p.done = true
	s := p.Stats()
	var b strings.Builder
	fmt.Fprintf(&b, "--- %s ping statistics ---\n%d packets transmitted, %d received", p.dst, s.Transmitted, s.Received)
	if s.Duplicates > 0 {
		fmt.Fprintf(&b, ", +%d duplicates", s.Duplicates)
	}
	if s.Errors > 0 {
		fmt.Fprintf(&b, ", +%d errors", s.Errors)
	}
	fmt.Fprintf(&b, ", %s%% packet loss", trimFloat(s.Loss()))
	if s.Received > 0 {
		fmt.Fprintf(&b, "\nrtt min/avg/max/mdev = %.3f/%.3f/%.3f/%.3f ms", ms(s.Min), ms(s.Avg), ms(s.Max), ms(s.Mdev))
	}
	p.h.record(layers.Event{Layer: layers.Application, Dir: layers.Note, Text: b.String()})
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// durText prints a duration in seconds without needless digits: "2", "0.5".
func durText(d time.Duration) string { return strconv.FormatFloat(d.Seconds(), 'f', -1, 64) }

// pingMillis prints a round-trip time with the precision of ping(8): three
// significant digits, and whole milliseconds from 100 ms.
func pingMillis(d time.Duration) string {
	v := ms(d)
	switch {
	case v >= 100:
		return fmt.Sprintf("%.0f", v)
	case v >= 10:
		return fmt.Sprintf("%.1f", v)
	case v >= 1:
		return fmt.Sprintf("%.2f", v)
	}
	return fmt.Sprintf("%.3f", v)
}

// trimFloat prints a percentage without needless decimals: "0", "25", "33.3333".
func trimFloat(v float64) string {
	s := fmt.Sprintf("%.4f", v)
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}

// pingErrorText words an ICMP error the way ping(8) prints it.
func pingErrorText(msg network.ICMP) string {
	switch {
	case msg.Type == network.ICMPDestUnreachable && msg.Code == network.ICMPNetUnreachable:
		return "Destination Net Unreachable"
	case msg.Type == network.ICMPDestUnreachable && msg.Code == network.ICMPHostUnreachable:
		return "Destination Host Unreachable"
	case msg.Type == network.ICMPDestUnreachable && msg.Code == network.ICMPProtoUnreachable:
		return "Destination Protocol Unreachable"
	case msg.Type == network.ICMPDestUnreachable && msg.Code == network.ICMPFragNeeded:
		return fmt.Sprintf("Frag needed and DF set (mtu = %d)", uint16(msg.Rest))
	case msg.Type == network.ICMPTimeExceeded && msg.Code == network.ICMPTTLExceeded:
		return "Time to live exceeded"
	}
	return strings.TrimPrefix(msg.Summary(), "ICMP ")
}

// icmpPDU describes an ICMP message that reached an application.
func icmpPDU(msg network.ICMP, m layers.Meta) *layers.PDU {
	return &layers.PDU{Kind: "icmp", ID: m.ID, Len: network.ICMPHeaderLen + len(msg.Data), HeaderLen: network.ICMPHeaderLen,
		Summary: msg.Summary(), Fields: msg.Fields()}
}
