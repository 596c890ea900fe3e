package transport

import (
	"time"

	"github.com/osisim/osisim/layers"
)

// Meta.Cause values of segments that this package resends.
const (
	CauseRTO        = "RTO"
	CauseFast       = "fast retransmit"
	CauseProbe      = "zero-window probe"
	CauseWindowOpen = "window update"
)

// rcvWindow is the receive window: the free space of the receive buffer,
// at most 65535 (RFC 9293 3.8.6.2). Out-of-order data waits in that free
// space, so it does not shrink the window, and since RCV.NXT advances by
// exactly what fills the buffer, the right edge never moves left.
func (c *Conn) rcvWindow() uint32 {
	return uint32(min(c.rbuf.free(), maxWindow))
}

// advertise returns the window to put in an outgoing segment and notes
// when it closes to zero or opens from zero.
func (c *Conn) advertise() uint16 {
	w := c.rcvWindow()
	if c.t.env.Tracing() && c.state.synchronized() {
		switch {
		case w == 0 && c.lastAdvWnd != 0:
			c.t.env.Record(noteEvent.Say("tcp.wnd.full", "receive buffer full (%d bytes not yet read by the application): advertising window 0", c.rbuf.n))
		case w != 0 && c.lastAdvWnd == 0:
			c.t.env.Record(noteEvent.Say("tcp.wnd.update", "window update: advertising window %d again after the application read data", w))
		}
	}
	c.lastAdvWnd = w
	return uint16(w)
}

// sendSYN sends the SYN (SYN-SENT) or SYN-ACK (SYN-RECEIVED) with the MSS
// option (RFC 9293 3.7.1).
func (c *Conn) sendSYN(cause string) {
	s := Segment{
		SrcPort: c.local.Port(), DstPort: c.remote.Port(),
		Seq: c.iss, Flags: SYN, MSS: c.t.cfg.MSS,
	}
	s.Window = uint16(c.rcvWindow())
	c.lastAdvWnd = uint32(s.Window)
	if c.state == SynReceived {
		s.Flags |= ACK
		s.Ack = c.rcvNxt
	}
	if cause != "" {
		c.timing = false // Karn's rule: a resent SYN gives no RTT sample
	} else if !c.timing {
		c.timing, c.timedSeq, c.timedAt = true, c.iss, c.t.env.Now()
	}
	c.stats.SegmentsSent++
	c.t.emit(c.local.Addr(), c.remote.Addr(), &s, nil, cause)
}

// sendAck sends an empty ACK <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>. RFC
// 9293's SND.NXT is sndMax here: sndNxt only says where go-back-N resending
// has got to, and an ACK carrying it would be older than what the peer has
// received, fail its acceptability test and be thrown away.
func (c *Conn) sendAck(cause string) {
	s := Segment{
		SrcPort: c.local.Port(), DstPort: c.remote.Port(),
		Seq: c.sndMax, Ack: c.rcvNxt, Flags: ACK,
	}
	s.Window = c.advertise()
	c.stats.SegmentsSent++
	c.t.emit(c.local.Addr(), c.remote.Addr(), &s, nil, cause)
}

// transmit sends the n data bytes from seq, with FIN after them if fin.
func (c *Conn) transmit(seq uint32, n int, fin bool, cause string) {
	s := Segment{
		SrcPort: c.local.Port(), DstPort: c.remote.Port(),
		Seq: seq, Ack: c.rcvNxt, Flags: ACK,
	}
	var parents []uint64
	if n > 0 {
		if cap(c.t.payload) < n {
			c.t.payload = make([]byte, max(n, int(c.t.cfg.MSS)))
		}
		s.Payload = c.t.payload[:n]
		c.sbuf.peek(int(seq-c.sbufSeq), s.Payload)
		if seq+uint32(n) == c.dataEnd {
			// RFC 9293 3.9.1: push the last byte the application wrote.
			s.Flags |= PSH
		}
		parents = c.parentsOf(seq, seq+uint32(n))
	}
	if fin {
		s.Flags |= FIN
	}
	s.Window = c.advertise()
	retransmit := seqLT(seq, c.sndMax)
	if retransmit {
		// Karn's rule (RFC 6298 3): no RTT sample while anything is resent.
		c.timing = false
		switch cause {
		case CauseRTO:
			c.stats.RetransmitsRTO++
		case CauseFast:
			c.stats.RetransmitsFast++
		}
	} else if !c.timing && n > 0 {
		c.timing, c.timedSeq, c.timedAt = true, seq, c.t.env.Now()
	}
	c.stats.SegmentsSent++
	c.t.emit(c.local.Addr(), c.remote.Addr(), &s, parents, cause)
}

// output sends what the windows allow from SND.NXT (RFC 9293 3.10.2,
// RFC 5681 3.1): segments of at most MSS bytes within min(cwnd, SND.WND)
// of SND.UNA, then the FIN once every byte has gone. It avoids the sender
// side silly window syndrome (RFC 9293 3.8.6.2.1): a segment shorter than
// the MSS leaves only if it holds all the queued data or at least half the
// largest window the peer ever offered. Nagle's algorithm is not applied.
// Finally it arms the retransmission or the persist timer.
func (c *Conn) output() {
	if !c.state.canSend() {
		return
	}
	for {
		wnd := min(c.cwnd, c.sndWnd)
		inFlight := c.sndNxt - c.sndUna
		var avail uint32
		if wnd > inFlight {
			avail = wnd - inFlight
		}
		var unsent uint32
		if seqLT(c.sndNxt, c.dataEnd) {
			unsent = c.dataEnd - c.sndNxt
		}
		n := min(unsent, avail, uint32(c.mss))
		if n > 0 && n < uint32(c.mss) && n < unsent && n < c.maxSndWnd/2 {
			n = 0
		}
		fin := c.finQueued && c.sndNxt+n == c.dataEnd && seqLEQ(c.sndNxt, c.dataEnd)
		if n == 0 && !fin {
			break
		}
		cause := ""
		if seqLT(c.sndNxt, c.sndMax) {
			cause = c.rtxCause
		}
		c.transmit(c.sndNxt, int(n), fin, cause)
		c.sndNxt += n
		if fin {
			c.sndNxt++
		}
		c.sndMax = seqMax(c.sndMax, c.sndNxt)
	}
	c.armTimers()
}

// armTimers starts the retransmission timer when something is in flight
// (RFC 6298 5.1) and the persist timer when data waits but nothing is in
// flight to bring an ACK that would open the window (RFC 9293 3.8.6.1).
func (c *Conn) armTimers() {
	if c.persisting {
		return
	}
	if c.sndNxt != c.sndUna {
		if !c.rto.armed {
			c.rto.set(c.rtt.rto)
		}
		return
	}
	if seqLT(c.sndNxt, c.dataEnd) {
		c.persisting = true
		c.persistDelay = c.rtt.rto
		c.persist.set(c.persistDelay)
		if c.t.env.Tracing() {
			if c.sndWnd == 0 {
				c.t.env.Record(noteEvent.Say("tcp.wnd.zero", "peer's window is 0: sending stops, first zero-window probe in %s", seconds(c.persistDelay)))
			} else {
				c.t.env.Record(noteEvent.Say("tcp.wnd.small", "peer's window (%d) too small for a segment: waiting, persist timer %s", c.sndWnd, seconds(c.persistDelay)))
			}
		}
	}
}

// stopPersist leaves the persist state when the peer's window opens.
func (c *Conn) stopPersist(old uint32) {
	if !c.persisting {
		return
	}
	c.persisting = false
	c.persist.stop()
	if seqGT(c.sndNxt, c.sndUna) {
		// The only byte in flight is a probe the receiver refused: send it
		// again as the first byte of the next segment.
		c.sndNxt = c.sndUna
	}
	if c.t.env.Tracing() && old == 0 {
		c.t.env.Record(noteEvent.Say("tcp.wnd.open", "peer's window opened: 0 -> %d, sending resumes", c.sndWnd))
	}
}

// retransmitFirst resends the first unacknowledged segment.
func (c *Conn) retransmitFirst(cause string) {
	var n uint32
	if seqLT(c.sndUna, c.dataEnd) {
		n = min(c.dataEnd-c.sndUna, uint32(c.mss))
	}
	fin := c.finQueued && c.sndUna+n == c.dataEnd && seqLT(c.dataEnd, c.sndMax)
	if n == 0 && !fin {
		return
	}
	c.transmit(c.sndUna, int(n), fin, cause)
}

// onRTO runs when the retransmission timer expires (RFC 6298 5.4-5.6): it
// gives up after MaxRetries, or resends the first unacknowledged segment,
// doubles the RTO and, per RFC 5681 3.1, sets ssthresh to half the flight
// size and cwnd to one segment; the rest goes out again as ACKs return
// (go-back-N), and RFC 6582's recover keeps their duplicate ACKs from
// starting a fast retransmit.
func (c *Conn) onRTO() {
	defer c.flush()
	if c.persisting || c.state == Closed || c.state == TimeWait {
		return
	}
	synPhase := c.state == SynSent || c.state == SynReceived
	if !synPhase && c.sndUna == c.sndMax {
		return
	}
	old := c.rtt.rto
	c.stats.Timeouts++
	if c.retries >= c.t.cfg.MaxRetries {
		var what layers.Phrase
		switch c.state {
		case SynSent:
			what = layers.Tell("tcp.what.rtx.syn", "the SYN was retransmitted %d times (MaxRetries) without an acknowledgment", c.retries)
		case SynReceived:
			what = layers.Tell("tcp.what.rtx.synack", "the SYN-ACK was retransmitted %d times (MaxRetries) without an acknowledgment", c.retries)
		default:
			what = layers.Tell("tcp.what.rtx", "seq %s was retransmitted %d times (MaxRetries) without an acknowledgment", c.relSnd(c.sndUna), c.retries)
		}
		c.giveUp(CauseRTO, old, what)
		return
	}
	c.retries++
	c.timing = false
	c.rtt.backoff()
	if synPhase {
		c.synRetried = true
		if c.t.env.Tracing() {
			what := "SYN"
			if c.state == SynReceived {
				what = "SYN-ACK"
			}
			c.t.env.Record(timerEvent(CauseRTO).Say("tcp.rto.syn", "RTO %s expired for the %s: retransmit, RTO now %s", seconds(old), what, seconds(c.rtt.rto)))
		}
		c.stats.RetransmitsRTO++
		c.sendSYN(CauseRTO)
		c.rto.set(c.rtt.rto)
		return
	}
	flight := c.sndMax - c.sndUna
	c.ssthresh = max(flight/2, 2*uint32(c.mss))
	c.cwnd = uint32(c.mss)
	c.recover = c.sndMax
	c.inRecovery = false
	c.dupAcks = 0
	c.sndNxt = c.sndUna
	c.rtxCause = CauseRTO
	if c.t.env.Tracing() {
		c.t.env.Record(timerEvent(CauseRTO).Say("tcp.rto",
			"RTO %s expired for seq %s: retransmit, RTO now %s; ssthresh %d, cwnd %d (retry %d of %d)",
			seconds(old), c.relSnd(c.sndUna), seconds(c.rtt.rto), c.ssthresh, c.cwnd, c.retries, c.t.cfg.MaxRetries))
	}
	c.rto.set(c.rtt.rto)
	c.output()
}

// giveUp ends the connection after MaxRetries unanswered retransmissions
// (RFC 1122 4.2.3.5, threshold R2).
func (c *Conn) giveUp(timer string, last time.Duration, what layers.Phrase) {
	err := ErrTimeout.Because(what)
	if c.t.env.Tracing() {
		if timer == CauseRTO {
			c.t.env.Record(timerEvent(timer).Say("tcp.giveup.rto", "RTO %s expired again: giving up, %v", seconds(last), what))
		} else {
			c.t.env.Record(timerEvent(timer).Say("tcp.giveup.persist", "persist timer %s expired again: giving up, %v", seconds(last), what))
		}
	}
	c.finish(err, layers.Tell("tcp.why.timeout", "connection timed out"))
}

// onPersist runs when the persist timer expires (RFC 9293 3.8.6.1, RFC 1122
// 4.2.2.17): with a zero window it sends one byte of new data as a probe
// (or resends the probe byte), and backs off exponentially; with a small
// window it sends what fits, overriding silly window avoidance.
func (c *Conn) onPersist() {
	defer c.flush()
	if !c.persisting || !c.state.canSend() {
		return
	}
	if c.sndWnd > 0 {
		c.persisting = false
		n := min(c.dataEnd-c.sndNxt, c.sndWnd, uint32(c.mss))
		if n > 0 && c.sndNxt == c.sndUna {
			if c.t.env.Tracing() {
				c.t.env.Record(timerEvent("persist").Say("tcp.persist.small", "persist timer %s expired: sending %d bytes into the small window", seconds(c.persistDelay), n))
			}
			c.transmit(c.sndNxt, int(n), false, "")
			c.sndNxt += n
			c.sndMax = seqMax(c.sndMax, c.sndNxt)
		}
		c.output()
		return
	}
	if c.probes >= c.t.cfg.MaxRetries {
		c.giveUp("persist timer", c.persistDelay, layers.Tell("tcp.what.probes", "%d zero-window probes in a row went unanswered", c.probes))
		return
	}
	c.probes++
	seq := c.sndUna
	if c.sndNxt == c.sndUna {
		if !seqLT(c.sndNxt, c.dataEnd) {
			c.persisting = false
			return
		}
		// The probe is one byte of new data beyond the window.
		c.transmit(c.sndNxt, 1, false, CauseProbe)
		c.sndNxt++
		c.sndMax = seqMax(c.sndMax, c.sndNxt)
	} else {
		c.transmit(c.sndUna, 1, false, CauseProbe)
	}
	c.stats.ZeroWindowProbes++
	c.timing = false
	old := c.persistDelay
	c.persistDelay = min(2*c.persistDelay, c.t.cfg.MaxRTO)
	c.persist.set(c.persistDelay)
	if c.t.env.Tracing() {
		c.t.env.Record(timerEvent(CauseProbe).Say("tcp.persist.probe", "persist timer %s expired: zero-window probe, 1 byte at seq %s; next probe in %s", seconds(old), c.relSnd(seq), seconds(c.persistDelay)))
	}
}

// onTimeWait ends TIME-WAIT after 2*MSL (RFC 9293 3.6.1).
func (c *Conn) onTimeWait() {
	defer c.flush()
	if c.state != TimeWait {
		return
	}
	if c.t.env.Tracing() {
		c.t.env.Record(timerEvent("TIME-WAIT").Say("tcp.timewait", "TIME-WAIT %s (2*MSL) expired: no old duplicate can arrive any more", seconds(2*c.t.cfg.MSL)))
	}
	c.finish(nil, layers.Tell("tcp.why.closed", "connection closed"))
}

// initialWindow is IW of RFC 5681 3.1 (RFC 3390): 4, 3 or 2 segments by
// MSS, or one segment if the SYN had to be retransmitted.
func (c *Conn) initialWindow() uint32 {
	mss := uint32(c.mss)
	switch {
	case c.synRetried:
		return mss
	case mss > 2190:
		return 2 * mss
	case mss > 1095:
		return 3 * mss
	}
	return 4 * mss
}
