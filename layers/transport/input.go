package transport

import (
	"strings"

	"github.com/osisim/osisim/layers"
)

// input processes a segment for this connection (RFC 9293 3.10.7).
func (c *Conn) input(seg *Segment) {
	c.probes = 0
	switch c.state {
	case Closed:
		return
	case SynSent:
		c.synSentInput(seg)
		return
	}
	tracing := c.t.env.Tracing()

	// A retransmitted SYN in SYN-RECEIVED means our SYN-ACK was lost: send
	// it again rather than the plain ACK of the acceptability test.
	if c.state == SynReceived && seg.Flags&(SYN|ACK|RST) == SYN && seg.Seq == c.irs {
		if tracing {
			c.t.env.Record(noteEvent.Say("tcp.syn.again", "SYN received again: the SYN-ACK was lost, sending it again"))
		}
		c.sendSYN("SYN received again")
		return
	}

	// First check: is the segment acceptable (RFC 9293 3.10.7.4)?
	segLen := seg.SeqLen()
	wnd := c.rcvWindow()
	if !acceptable(seg.Seq, segLen, c.rcvNxt, wnd) {
		if seg.Flags&RST != 0 {
			c.t.drop(layers.ReasonUnaccepted, func(e layers.Event) layers.Event {
				return e.Say("tcp.drop.rst.window", "RST with seq %s outside the receive window ignored", c.relRcv(seg.Seq))
			})
			return
		}
		if c.state == TimeWait && seg.Flags&FIN != 0 {
			// RFC 9293 3.10.7.4 (eighth check, TIME-WAIT): a retransmitted FIN
			// is acknowledged and restarts the 2 MSL timeout.
			c.timeWait.set(2 * c.t.cfg.MSL)
		}
		c.sendAck("")
		// A drop is recorded even when nothing traces: the run's drop
		// counts must not depend on whether a trace is written.
		end := seg.Seq + segLen
		switch {
		case segLen > 0 && seqLEQ(end, c.rcvNxt):
			c.stats.DuplicatesIn++
			c.t.drop(layers.ReasonDuplicate, func(e layers.Event) layers.Event {
				return e.Say("tcp.drop.dup", "duplicate: seq %s..%s already received (RCV.NXT=%s): answered ACK", c.relRcv(seg.Seq), c.relRcv(end), c.relRcv(c.rcvNxt))
			})
		case segLen > 0 && wnd == 0:
			c.t.drop(layers.ReasonUnaccepted, func(e layers.Event) layers.Event {
				return e.Say("tcp.drop.zerownd", "receive window is 0: %d bytes at seq %s not accepted, answered ACK", len(seg.Payload), c.relRcv(seg.Seq))
			})
		default:
			c.t.drop(layers.ReasonUnaccepted, func(e layers.Event) layers.Event {
				return e.Say("tcp.drop.window",
					"seq %s..%s outside the receive window %s..%s: answered ACK",
					c.relRcv(seg.Seq), c.relRcv(end), c.relRcv(c.rcvNxt), c.relRcv(c.rcvNxt+wnd))
			})
		}
		return
	}

	// Second check: RST. RFC 5961 3.2: only an RST exactly at RCV.NXT
	// resets; one elsewhere in the window gets a challenge ACK.
	if seg.Flags&RST != 0 {
		if seg.Seq != c.rcvNxt {
			c.sendAck("challenge ACK")
			c.t.drop(layers.ReasonUnaccepted, func(e layers.Event) layers.Event {
				return e.Say("tcp.drop.rst.challenge", "RST at seq %s, not exactly RCV.NXT=%s: challenge ACK sent (RFC 5961 3.2)", c.relRcv(seg.Seq), c.relRcv(c.rcvNxt))
			})
			return
		}
		c.resetInput()
		return
	}

	// Fourth check: a SYN in a synchronized state gets a challenge ACK
	// (RFC 5961 4.2).
	if seg.Flags&SYN != 0 {
		c.sendAck("challenge ACK")
		c.t.drop(layers.ReasonUnaccepted, func(e layers.Event) layers.Event {
			return e.Say("tcp.drop.syn.challenge", "SYN on an open connection: challenge ACK sent (RFC 5961 4.2)")
		})
		return
	}

	// Fifth check: the ACK field.
	if seg.Flags&ACK == 0 {
		c.t.drop(layers.ReasonUnaccepted, func(e layers.Event) layers.Event {
			return e.Say("tcp.drop.noack", "segment without the ACK bit dropped")
		})
		return
	}
	if c.state == SynReceived {
		if !(seqLT(c.sndUna, seg.Ack) && seqLEQ(seg.Ack, c.sndMax)) {
			c.t.sendReset(connKey{c.local, c.remote}, seg, "bad ACK in SYN-RECEIVED")
			c.t.drop(layers.ReasonUnaccepted, func(e layers.Event) layers.Event {
				return e.Say("tcp.drop.badack.rst", "ACK %d does not acknowledge our SYN: answered RST", seg.Ack)
			})
			return
		}
		c.sndWnd = uint32(seg.Window)
		c.maxSndWnd = max(c.maxSndWnd, c.sndWnd)
		c.sndWl1, c.sndWl2 = seg.Seq, seg.Ack
		c.established(layers.Tell("tcp.why.synack.acked", "ACK of our SYN-ACK received"), "ACK received")
	}
	if seqGT(seg.Ack, c.sndMax) {
		c.sendAck("")
		c.t.drop(layers.ReasonUnaccepted, func(e layers.Event) layers.Event {
			return e.Say("tcp.drop.ack.unsent", "ACK %s acknowledges data not yet sent (SND.NXT=%s): answered ACK", c.relSnd(seg.Ack), c.relSnd(c.sndMax))
		})
		return
	}
	finAcked := false
	if seqGEQ(seg.Ack, c.sndUna) {
		finAcked = c.ackInput(seg)
		if c.state == Closed {
			return
		}
	}
	switch c.state {
	case FinWait1:
		if finAcked {
			c.setState(FinWait2, layers.Tell("tcp.why.fin.acked", "our FIN was acknowledged"), "ACK received")
		}
	case Closing:
		if finAcked {
			c.enterTimeWait(layers.Tell("tcp.why.fin.acked", "our FIN was acknowledged"))
		}
	case LastAck:
		if finAcked {
			c.finish(nil, layers.Tell("tcp.why.fin.acked", "our FIN was acknowledged"))
			return
		}
	}

	// Sixth check (URG) is not implemented: the urgent pointer is ignored.
	// Seventh: the segment text.
	if c.state.canReceive() {
		c.dataInput(seg)
	}
}

// acceptable is the segment acceptability test of RFC 9293 3.10.7.4.
func acceptable(seq, segLen, rcvNxt, wnd uint32) bool {
	switch {
	case segLen == 0 && wnd == 0:
		return seq == rcvNxt
	case segLen == 0:
		return seqLEQ(rcvNxt, seq) && seqLT(seq, rcvNxt+wnd)
	case wnd == 0:
		return false
	}
	last := seq + segLen - 1
	return (seqLEQ(rcvNxt, seq) && seqLT(seq, rcvNxt+wnd)) ||
		(seqLEQ(rcvNxt, last) && seqLT(last, rcvNxt+wnd))
}

// synSentInput handles a segment in SYN-SENT (RFC 9293 3.10.7.3).
func (c *Conn) synSentInput(seg *Segment) {
	tracing := c.t.env.Tracing()
	ackOK := false
	if seg.Flags&ACK != 0 {
		if seqLEQ(seg.Ack, c.iss) || seqGT(seg.Ack, c.sndMax) {
			if seg.Flags&RST == 0 {
				c.t.sendReset(connKey{c.local, c.remote}, seg, "bad ACK in SYN-SENT")
			}
			c.t.drop(layers.ReasonUnaccepted, func(e layers.Event) layers.Event {
				return e.Say("tcp.drop.badack", "ACK %d does not acknowledge our SYN", seg.Ack)
			})
			return
		}
		ackOK = true
	}
	if seg.Flags&RST != 0 {
		if ackOK {
			c.finish(ErrRefused, layers.Tell("tcp.why.refused", "the peer answered our SYN with RST: connection refused"))
		} else {
			c.t.drop(layers.ReasonUnaccepted, func(e layers.Event) layers.Event {
				return e.Say("tcp.drop.rst.synsent", "RST without ACK ignored in SYN-SENT")
			})
		}
		return
	}
	if seg.Flags&SYN == 0 {
		c.t.drop(layers.ReasonUnaccepted, func(e layers.Event) layers.Event {
			return e.Say("tcp.drop.nosyn", "segment without SYN or RST ignored in SYN-SENT")
		})
		return
	}
	c.irs = seg.Seq
	c.rcvNxt = seg.Seq + 1
	c.setPeerMSS(seg.MSS)
	if len(seg.Payload) > 0 && tracing {
		c.t.env.Record(noteEvent.Say("tcp.syn.data", "%d bytes of data on the SYN not accepted: the peer will send them again", len(seg.Payload)))
	}
	if !ackOK {
		// Simultaneous open (RFC 9293 3.5, figure 8).
		c.sndWnd = uint32(seg.Window)
		c.maxSndWnd = c.sndWnd
		c.sndWl1 = seg.Seq
		c.setState(SynReceived, layers.Tell("tcp.why.simopen", "SYN crossed ours (simultaneous open)"), "SYN received")
		c.sendSYN("")
		return
	}
	c.sndUna = seg.Ack
	if c.timing && seqGT(seg.Ack, c.timedSeq) {
		c.timing = false
		c.rtt.sample(c.t.env.Now() - c.timedAt)
	}
	c.retries = 0
	c.rto.stop()
	c.sndWnd = uint32(seg.Window)
	c.maxSndWnd = c.sndWnd
	c.sndWl1, c.sndWl2 = seg.Seq, seg.Ack
	c.established(layers.Tell("tcp.why.synack", "SYN-ACK received"), "SYN-ACK received")
	c.sendAck("")
	c.output()
}

// setPeerMSS takes the peer's MSS option (536 without one) and sets the
// effective send MSS to the smaller of both sides' values.
func (c *Conn) setPeerMSS(peer uint16) {
	if peer == 0 {
		peer = defaultPeerMSS
	}
	c.mss = int(min(peer, c.t.cfg.MSS))
}

// established enters ESTABLISHED and sets up congestion control.
func (c *Conn) established(why layers.Phrase, cause string) {
	c.setState(Established, why, cause)
	c.cwnd = c.initialWindow()
	if c.synRetried && c.rtt.rto < 3e9 && !c.rtt.measured {
		// RFC 6298 5.7: after a timed-out SYN, data starts with an RTO of 3 s.
		c.rtt.rto = c.rtt.clamp(3e9)
	}
	if c.finQueued {
		c.setState(FinWait1, layers.Tell("tcp.why.close.handshake", "Close was called during the handshake"), "")
	}
	if c.passive {
		c.pending |= evAccept
	}
	c.pending |= evEstablished
	if c.t.env.Tracing() {
		c.t.env.Record(noteEvent.Say("tcp.mss", "effective MSS %d (ours %d); initial cwnd %d bytes (RFC 5681 3.1), peer's window %d",
			c.mss, c.t.cfg.MSS, c.cwnd, c.sndWnd))
	}
}

// resetInput handles an acceptable RST (RFC 9293 3.10.7.4, second check).
func (c *Conn) resetInput() {
	switch c.state {
	case SynReceived:
		if c.passive {
			c.setState(Listen, layers.Tell("tcp.why.rst.halfopen", "RST received: the half-open connection is dropped, the port keeps listening"), "RST received")
			c.finish(nil, layers.Phrase{})
			return
		}
		c.finish(ErrRefused, layers.Tell("tcp.why.rst.simopen", "RST received during a simultaneous open: connection refused"))
	case TimeWait:
		// RFC 1337: an RST in TIME-WAIT is ignored, so that it cannot
		// cut TIME-WAIT short.
		c.t.drop(layers.ReasonUnaccepted, func(e layers.Event) layers.Event {
			return e.Say("tcp.drop.rst.timewait", "RST in TIME-WAIT ignored (RFC 1337)")
		})
	default:
		c.finish(ErrReset, layers.Tell("tcp.why.reset", "RST received: connection reset by the peer"))
	}
}

// ackInput processes an ACK with SND.UNA =< SEG.ACK =< SND.MAX (RFC 9293
// 3.10.7.4 fifth check, RFC 5681, RFC 6582, RFC 6298 5.2-5.3) and reports
// whether it acknowledged our FIN.
func (c *Conn) ackInput(seg *Segment) bool {
	tracing := c.t.env.Tracing()
	ack := seg.Ack
	mss := uint32(c.mss)
	oldWnd := c.sndWnd
	// RFC 5681 2: a duplicate ACK acknowledges nothing new, carries no data,
	// SYN or FIN, leaves the window as it was, and arrives while data is
	// outstanding. A zero window is excluded: a refused probe is no loss.
	dup := ack == c.sndUna && c.sndUna != c.sndMax && len(seg.Payload) == 0 &&
		seg.Flags&(SYN|FIN) == 0 && uint32(seg.Window) == c.sndWnd && c.sndWnd != 0

	// RFC 9293 3.10.7.4: update the send window if the segment is newer
	// than the one that last set it.
	if seqLT(c.sndWl1, seg.Seq) || (c.sndWl1 == seg.Seq && seqLEQ(c.sndWl2, ack)) {
		c.sndWnd = uint32(seg.Window)
		c.sndWl1, c.sndWl2 = seg.Seq, ack
		c.maxSndWnd = max(c.maxSndWnd, c.sndWnd)
	}

	finAcked := false
	if seqGT(ack, c.sndUna) {
		acked := ack - c.sndUna
		if c.timing && seqGT(ack, c.timedSeq) {
			c.timing = false
			c.rtt.sample(c.t.env.Now() - c.timedAt)
		}
		var dataAcked uint32
		if seqGT(ack, c.sbufSeq) {
			k := min(ack-c.sbufSeq, uint32(c.sbuf.n))
			dataAcked = k
			c.sbuf.discard(int(k))
			c.sbufSeq += k
			c.stats.BytesOut += int64(k)
			if k > 0 && c.wantWritable {
				c.wantWritable = false
				c.pending |= evWritable
			}
		}
		finAcked = c.finQueued && ack == c.dataEnd+1
		c.sndUna = ack
		if seqLT(c.sndNxt, ack) {
			c.sndNxt = ack
		}
		if seqGEQ(c.sndNxt, c.sndMax) {
			c.rtxCause = ""
		}
		c.retries = 0
		c.trimParents()

		restart := true
		if c.inRecovery {
			if seqGEQ(ack, c.recover) {
				// RFC 6582 3.2 step 3: a full ACK ends fast recovery.
				c.inRecovery = false
				c.cwnd = min(c.ssthresh, max(c.sndMax-ack, mss)+mss)
				if tracing {
					c.t.env.Record(noteEvent.Say("tcp.recovery.end", "ACK %s covers everything sent before the loss: fast recovery ends, cwnd %d", c.relSnd(ack), c.cwnd))
				}
			} else {
				// RFC 6582 3.2 step 4: a partial ACK; the next hole is
				// lost too. Resend it and deflate cwnd by what was acked.
				if tracing {
					c.t.env.Record(withCause(noteEvent, CauseFast).Say("tcp.recovery.partial", "partial ACK %s during fast recovery: retransmit the next hole at seq %s (RFC 6582)", c.relSnd(ack), c.relSnd(ack)))
				}
				c.retransmitFirst(CauseFast)
				if acked >= c.cwnd {
					c.cwnd = 0
				} else {
					c.cwnd -= acked
				}
				if acked >= mss {
					c.cwnd += mss
				}
				c.cwnd = max(c.cwnd, mss)
				// RFC 6582 3.2 step 5: only the first partial ACK restarts
				// the retransmission timer.
				restart = c.firstPartial
				c.firstPartial = false
			}
		} else if dataAcked > 0 {
			if c.cwnd < c.ssthresh {
				// RFC 5681 3.1 slow start, equation 2.
				c.cwnd += min(dataAcked, mss)
			} else {
				// Congestion avoidance, equation 3.
				c.cwnd += max(1, mss*mss/c.cwnd)
			}
			c.cwnd = min(c.cwnd, 1<<30)
		}
		c.dupAcks = 0
		// RFC 6298 5.2 and 5.3.
		if c.sndUna == c.sndMax {
			c.rto.stop()
		} else if restart {
			c.rto.set(c.rtt.rto)
		}
	} else if dup {
		c.dupAcks++
		c.stats.DupAcksReceived++
		switch {
		case c.dupAcks == 3 && !c.inRecovery:
			if seqGEQ(ack, c.recover) {
				c.fastRetransmit()
			} else if tracing {
				c.t.env.Record(noteEvent.Say("tcp.dupack.recover", "3 duplicate ACKs for seq %s, but data sent before the last timeout is still coming back: no fast retransmit (RFC 6582 recover)", c.relSnd(ack)))
			}
		case c.inRecovery:
			// RFC 5681 3.2 step 4: each further duplicate ACK means a segment
			// left the network; inflate cwnd.
			c.cwnd += mss
			if tracing {
				c.t.env.Record(noteEvent.Say("tcp.dupack.inflate", "duplicate ACK #%d for seq %s in fast recovery: cwnd inflated to %d", c.dupAcks, c.relSnd(ack), c.cwnd))
			}
		default:
			if tracing {
				c.t.env.Record(noteEvent.Say("tcp.dupack", "duplicate ACK #%d for seq %s: a segment after it arrived, it may be lost", c.dupAcks, c.relSnd(ack)))
			}
		}
	}

	if c.sndWnd > 0 {
		c.stopPersist(oldWnd)
	}
	c.output()
	return finAcked
}

// fastRetransmit starts fast retransmit and NewReno fast recovery on the
// third duplicate ACK (RFC 5681 3.2 steps 2-3, RFC 6582 3.2 step 2).
func (c *Conn) fastRetransmit() {
	mss := uint32(c.mss)
	flight := c.sndMax - c.sndUna
	c.ssthresh = max(flight/2, 2*mss)
	c.recover = c.sndMax
	c.inRecovery = true
	c.firstPartial = true
	c.stats.FastRetransmits++
	if c.t.env.Tracing() {
		c.t.env.Record(withCause(noteEvent, "3 duplicate ACKs").Say("tcp.fastrtx",
			"fast retransmit of seq %s after 3 duplicate ACKs; ssthresh %d, cwnd %d; fast recovery until seq %s is acknowledged",
			c.relSnd(c.sndUna), c.ssthresh, c.ssthresh+3*mss, c.relSnd(c.recover)))
	}
	c.retransmitFirst(CauseFast)
	c.cwnd = c.ssthresh + 3*mss
}

// dataInput takes the segment text and FIN (RFC 9293 3.10.7.4, seventh
// and eighth checks). In-order data goes to the receive buffer; data
// beyond a hole is written to its place in the buffer's free space and its
// range remembered, and every such segment is answered at once with a
// duplicate ACK (RFC 5681 4.2). Every data segment is acknowledged at once:
// delayed ACKs are not implemented.
func (c *Conn) dataInput(seg *Segment) {
	tracing := c.t.env.Tracing()
	seq := seg.Seq
	payload := seg.Payload
	fin := seg.Flags&FIN != 0
	if len(payload) == 0 && !fin {
		return
	}
	// Trim what was already received.
	if seqLT(seq, c.rcvNxt) {
		d := c.rcvNxt - seq
		if d > uint32(len(payload)) {
			d = uint32(len(payload))
		}
		if d > 0 {
			c.stats.DuplicatesIn++
			if tracing {
				c.t.env.Record(noteEvent.Say("tcp.trim.dup", "seq %s..%s already received: %d duplicate bytes trimmed", c.relRcv(seq), c.relRcv(seq+d), d))
			}
		}
		payload = payload[d:]
		seq += d
	}
	// Trim what lies beyond the window; a FIN after cut data is dropped.
	if wnd := c.rcvWindow(); uint32(len(payload)) > wnd-(seq-c.rcvNxt) {
		keep := wnd - (seq - c.rcvNxt)
		if tracing {
			c.t.env.Record(noteEvent.Say("tcp.trim.window", "%d bytes beyond the receive window trimmed", len(payload)-int(keep)))
		}
		payload = payload[:keep]
		fin = false
	}
	if len(payload) > 0 {
		off := int(seq - c.rcvNxt)
		c.rbuf.writeAt(c.rbuf.n+off, payload)
		if off == 0 {
			c.advance(uint32(len(payload)))
			c.pending |= evReadable
		} else {
			c.queueOutOfOrder(seq, seq+uint32(len(payload)))
		}
	}
	if fin {
		if finSeq := seq + uint32(len(payload)); finSeq == c.rcvNxt {
			c.finInput()
		} else {
			c.oooFin, c.oooFinSeq = true, finSeq
		}
	}
	c.sendAck("")
}

// advance moves RCV.NXT over n in-order bytes just written after the
// buffered data, then over any queued ranges the new data reaches.
func (c *Conn) advance(n uint32) {
	c.rcvNxt += n
	c.rbuf.n += int(n)
	c.stats.BytesIn += int64(n)
	c.drainOutOfOrder()
	if c.oooFin && c.oooFinSeq == c.rcvNxt {
		c.oooFin = false
		c.finInput()
	}
}

// drainOutOfOrder moves RCV.NXT over the queued ranges it has reached.
func (c *Conn) drainOutOfOrder() {
	i := 0
	from := c.rcvNxt
	for ; i < len(c.ooo) && seqLEQ(c.ooo[i].start, c.rcvNxt); i++ {
		if end := c.ooo[i].end; seqGT(end, c.rcvNxt) {
			k := end - c.rcvNxt
			c.rcvNxt = end
			c.rbuf.n += int(k)
			c.stats.BytesIn += int64(k)
		}
	}
	if i == 0 {
		return
	}
	c.ooo = c.ooo[:copy(c.ooo, c.ooo[i:])]
	if c.t.env.Tracing() {
		if len(c.ooo) > 0 {
			c.t.env.Record(noteEvent.Say("tcp.ooo.filled.more", "hole filled: seq %s..%s from the out-of-order queue delivered in order; %v",
				c.relRcv(from), c.relRcv(c.rcvNxt), c.holes()))
		} else {
			c.t.env.Record(noteEvent.Say("tcp.ooo.filled", "hole filled: seq %s..%s from the out-of-order queue delivered in order",
				c.relRcv(from), c.relRcv(c.rcvNxt)))
		}
	}
}

// queueOutOfOrder remembers that [start, end) was received beyond a hole.
func (c *Conn) queueOutOfOrder(start, end uint32) {
	c.stats.OutOfOrderQueued++
	// Insert keeping the ranges sorted, merging any that touch.
	i := 0
	for i < len(c.ooo) && seqLT(c.ooo[i].end, start) {
		i++
	}
	j := i
	for j < len(c.ooo) && seqLEQ(c.ooo[j].start, end) {
		if seqLT(c.ooo[j].start, start) {
			start = c.ooo[j].start
		}
		if seqGT(c.ooo[j].end, end) {
			end = c.ooo[j].end
		}
		j++
	}
	switch {
	case j == i:
		c.ooo = append(c.ooo, seqRange{})
		copy(c.ooo[i+1:], c.ooo[i:])
		c.ooo[i] = seqRange{start, end}
	default:
		c.ooo[i] = seqRange{start, end}
		c.ooo = append(c.ooo[:i+1], c.ooo[j:]...)
	}
	if c.t.env.Tracing() {
		c.t.env.Record(noteEvent.Say("tcp.ooo.queued", "out of order: seq %s..%s queued; %v", c.relRcv(start), c.relRcv(end), c.holes()))
	}
}

// holes lists the gaps before and between the queued ranges:
// "hole 2921..4381" or "holes 2921..4381, 5841..7301".
func (c *Conn) holes() layers.Phrase {
	var b strings.Builder
	from := c.rcvNxt
	for i, r := range c.ooo {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(c.relRcv(from) + ".." + c.relRcv(r.start))
		from = r.end
	}
	if len(c.ooo) > 1 {
		return layers.Tell("tcp.holes", "holes %s", b.String())
	}
	return layers.Tell("tcp.hole", "hole %s", b.String())
}

// finInput processes the peer's FIN once every byte before it arrived
// (RFC 9293 3.10.7.4, eighth check).
func (c *Conn) finInput() {
	c.rcvNxt++
	c.pending |= evPeerClosed
	switch c.state {
	case Established:
		c.setState(CloseWait, layers.Tell("tcp.why.fin", "the peer's FIN arrived: it will send no more data"), "FIN received")
	case FinWait1:
		c.setState(Closing, layers.Tell("tcp.why.simclose", "the peer's FIN crossed ours (simultaneous close)"), "FIN received")
	case FinWait2:
		c.enterTimeWait(layers.Tell("tcp.why.fin.timewait", "the peer's FIN arrived"))
	}
}

// enterTimeWait enters TIME-WAIT for 2*MSL (RFC 9293 3.6.1).
func (c *Conn) enterTimeWait(why layers.Phrase) {
	c.setState(TimeWait, layers.Tell("tcp.why.timewait", "%v; waiting 2*MSL = %s", why, seconds(2*c.t.cfg.MSL)), "")
	c.rto.kill()
	c.persist.kill()
	c.persisting = false
	c.timeWait.set(2 * c.t.cfg.MSL)
}
