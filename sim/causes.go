package sim

import (
	"encoding/binary"
	"net/netip"
	"slices"

	"github.com/osisim/osisim/layers/transport"
)

// A fault has consequences far from where it struck: the receiver sends
// duplicate ACKs, the sender's retransmission timer expires, the sender
// resends. So that the trace can say why, each link direction remembers the
// TCP sequence ranges it recently lost, corrupted or delayed, with a label
// ("rule: drop tcp-data#2 on r1->server", "loss on r1->server"), and the
// hosts consult that record when TCP hands them a segment: a
// retransmission of those bytes gets the cause "RTO after <label>" or "fast
// retransmit after <label>", a duplicate ACK asking for them "duplicate ACK
// after <label>". This is bookkeeping for the trace only: nothing is kept
// when nothing is traced, and TCP never sees it.

// lostRange is sequence space of one connection direction that a link
// lost, corrupted or held back.
type lostRange struct {
	flow       flow
	start, end uint32 // the sequence space [start, end)
	ackOnly    bool   // a pure ACK was lost: ack is what it acknowledged
	ack        uint32
	label      string
}

// maxLost bounds the ranges a link direction remembers.
const maxLost = 64

// remember notes that the segment c (if it is one) was lost, corrupted or
// delayed on the direction, for the reason label.
func (d *linkDir) remember(c *frameClass, label string) {
	if !c.tcp {
		return
	}
	r := lostRange{flow: c.flow, label: label}
	switch {
	case c.seqLen() > 0:
		r.start, r.end = c.seq, c.seq+c.seqLen()
	case c.pureACK():
		r.ackOnly, r.ack = true, c.ack
	default:
		return
	}
	if len(d.lost) >= maxLost {
		d.lost = slices.Delete(d.lost, 0, 1)
	}
	d.lost = append(d.lost, r)
}

// sentAck is the last acknowledgment a host sent on one connection.
type sentAck struct {
	flow   flow
	ack    uint32
	window uint16
}

// segmentCounts are the TCP segments a host handed to IP.
type segmentCounts struct {
	sent, rto, fast uint64
}

// countSegment adds a segment that TCP hands down with cause.
func (n *ipNode) countSegment(cause string) {
	n.segs.sent++
	switch cause {
	case transport.CauseRTO:
		n.segs.rto++
	case transport.CauseFast:
		n.segs.fast++
	}
}

// explainSegment returns the cause a segment TCP sends should carry in the
// trace: cause itself, or, for a retransmission or a duplicate ACK that a
// fault brought about, cause followed by "after <label>". It also forgets
// the ranges the segment acknowledges.
func (n *ipNode) explainSegment(src, dst netip.Addr, seg []byte, cause string) string {
	s := n.sim
	if !s.tracing || len(seg) < 20 || !s.faulty() {
		return cause
	}
	sport, dport := binary.BigEndian.Uint16(seg[0:2]), binary.BigEndian.Uint16(seg[2:4])
	c := frameClass{tcp: true, flow: flowOf(src, dst, sport, dport),
		seq: binary.BigEndian.Uint32(seg[4:8]), ack: binary.BigEndian.Uint32(seg[8:12]),
		flags: seg[13], window: binary.BigEndian.Uint16(seg[14:16])}
	if doff := int(seg[12]>>4) * 4; doff >= 20 && doff <= len(seg) {
		c.payload = len(seg) - doff
	}
	back := c.flow.reverse()
	label := ""
	dupAck := false
	if c.flags&tcpACK != 0 {
		i := slices.IndexFunc(n.acks, func(a sentAck) bool { return a.flow == c.flow })
		if i < 0 {
			n.acks = append(n.acks, sentAck{flow: c.flow, ack: c.ack, window: c.window})
		} else {
			a := &n.acks[i]
			dupAck = c.pureACK() && cause == "" && a.ack == c.ack && a.window == c.window
			a.ack, a.window = c.ack, c.window
		}
	}
	for _, l := range s.links {
		for _, d := range l.dirs {
			if d == nil || len(d.lost) == 0 {
				continue
			}
			// What this segment acknowledges is no longer missing; a lost
			// ACK is overtaken by a later one.
			if c.flags&tcpACK != 0 {
				d.lost = slices.DeleteFunc(d.lost, func(r lostRange) bool {
					return (r.flow == back && !r.ackOnly && seqLEQ(r.end, c.ack)) ||
						(r.flow == c.flow && r.ackOnly && seqLEQ(r.ack, c.ack) && cause == "")
				})
			}
			if label != "" {
				continue
			}
			switch {
			case dupAck:
				for _, r := range d.lost {
					if r.flow == back && !r.ackOnly && r.start == c.ack {
						label = r.label
						break
					}
				}
			case (cause == transport.CauseRTO || cause == transport.CauseFast) && c.seqLen() > 0:
				end := c.seq + c.seqLen()
				for _, r := range d.lost {
					if r.flow != c.flow {
						continue
					}
					if !r.ackOnly && seqLT(c.seq, r.end) && seqLT(r.start, end) {
						label = r.label
						break
					}
				}
				if label != "" {
					break
				}
				for i, r := range d.lost {
					if r.ackOnly && r.flow == back && seqLT(c.seq, r.ack) {
						label = "a lost ACK (" + r.label + ")"
						d.lost = slices.Delete(d.lost, i, i+1)
						break
					}
				}
			}
		}
	}
	switch {
	case label == "":
		return cause
	case dupAck:
		return "duplicate ACK after " + label
	}
	return cause + " after " + label
}
