package transport

import (
	"github.com/osisim/osisim/layers"
	"net/netip"
	"strconv"
	"time"
)

// Conn is one TCP connection: its transmission control block (RFC 9293
// 3.3.1) and state machine.
type Conn struct {
	t        *TCP
	h        Handler
	local    netip.AddrPort
	remote   netip.AddrPort
	state    State
	passive  bool // created by a listener
	accepted bool // accept has run

	// Send sequence space (RFC 9293 3.3.1). sndMax is the highest sequence
	// number sent plus one; sndNxt falls back to sndUna after a timeout
	// (go-back-N) and catches up as ACKs arrive.
	iss, sndUna, sndNxt, sndMax uint32
	sndWnd, maxSndWnd           uint32
	sndWl1, sndWl2              uint32
	sbuf                        ring   // unacknowledged and unsent data, from sbufSeq on
	sbufSeq                     uint32 // sequence number of the first byte in sbuf
	dataEnd                     uint32 // sequence number after the last byte written
	finQueued                   bool   // Close was called: a FIN at dataEnd follows the data
	mss                         int    // effective send MSS: min(ours, the peer's)
	wantWritable                bool   // a Write was short: fire Writable when space frees
	parents                     []parentRange

	// Congestion control (RFC 5681, RFC 6582).
	cwnd, ssthresh uint32
	dupAcks        int
	inRecovery     bool
	recover        uint32 // RFC 6582 "recover", one past the highest byte sent when recovery began
	firstPartial   bool

	// Retransmission (RFC 6298).
	rtt          rttEstimator
	timing       bool // an RTT measurement is running (Karn: only on never-retransmitted data)
	timedSeq     uint32
	timedAt      time.Duration
	retries      int // consecutive timeouts of the segment at sndUna
	synRetried   bool
	rtxCause     string // Meta.Cause of segments resent below sndMax
	rto          lazyTimer
	persist      lazyTimer
	persisting   bool
	persistDelay time.Duration
	probes       int // zero-window probes sent since the peer last sent anything
	timeWait     lazyTimer

	// Receive sequence space.
	irs, rcvNxt uint32
	rbuf        ring       // in-order data not yet read; out-of-order data sits after it
	ooo         []seqRange // out-of-order ranges beyond rcvNxt, sorted and disjoint
	oooFin      bool       // a FIN arrived beyond a hole
	oooFinSeq   uint32
	lastAdvWnd  uint32 // the window of the last segment sent

	updateQueued   bool // a window update check is scheduled
	windowUpdateFn func()
	outputQueued   bool // a deferred output is scheduled
	outputFn       func()

	pending  uint8 // Handler events to deliver
	inNotify bool
	err      error
	stats    ConnStats
}

// seqRange is the sequence numbers [start, end).
type seqRange struct{ start, end uint32 }

// parentRange says that the bytes [start, end) belong to the upper-layer
// PDU id.
type parentRange struct {
	start, end uint32
	id         uint64
}

// ConnStats counts what a connection did.
type ConnStats struct {
	SegmentsSent     int   // segments handed to IP, retransmissions and ACKs included
	SegmentsReceived int   // segments that reached this connection
	RetransmitsRTO   int   // segments resent after a retransmission timeout (go-back-N included)
	RetransmitsFast  int   // segments resent by fast retransmit or a NewReno partial ACK
	Timeouts         int   // retransmission timer expirations
	FastRetransmits  int   // entries into fast retransmit / fast recovery
	DupAcksReceived  int   // duplicate ACKs received (RFC 5681 2)
	OutOfOrderQueued int   // segments held beyond a hole
	DuplicatesIn     int   // segments or parts of segments holding data already received
	ZeroWindowProbes int   // persist timer probes sent
	BytesOut         int64 // application bytes the peer acknowledged
	BytesIn          int64 // application bytes received in order
	SRTT             time.Duration
	RTO              time.Duration
	Cwnd, Ssthresh   uint32
}

// Handler events, in delivery order.
const (
	evAccept uint8 = 1 << iota
	evEstablished
	evReadable
	evPeerClosed
	evWritable
	evClosed
)

// SetHandler sets the functions that receive the connection's events.
func (c *Conn) SetHandler(h Handler) { c.h = h }

// State returns the connection's state.
func (c *Conn) State() State { return c.state }

// LocalAddr returns the local address and port.
func (c *Conn) LocalAddr() netip.AddrPort { return c.local }

// RemoteAddr returns the peer's address and port.
func (c *Conn) RemoteAddr() netip.AddrPort { return c.remote }

// Err returns why the connection closed: nil while open or after an
// orderly close.
func (c *Conn) Err() error { return c.err }

// MSS returns the effective send MSS, the smaller of both sides' MSS.
func (c *Conn) MSS() int { return c.mss }

// Buffered returns how many received bytes wait to be read.
func (c *Conn) Buffered() int { return c.rbuf.n }

// Unacked returns how many written bytes the peer has not acknowledged yet.
func (c *Conn) Unacked() int { return c.sbuf.n }

// Stats returns the connection's counters and its current SRTT and RTO.
func (c *Conn) Stats() ConnStats {
	s := c.stats
	s.SRTT, s.RTO = c.rtt.srtt, c.rtt.rto
	s.Cwnd, s.Ssthresh = c.cwnd, c.ssthresh
	return s
}

// Write copies as much of p as fits in the send buffer and returns how many
// bytes it took (RFC 9293 3.10.2, SEND). The bytes belong to the upper-layer
// PDU parent (0 for none); each segment carrying them lists parent in its
// Meta.Parents. When Write takes less than len(p), Writable fires once space
// frees up. The data is segmented once the current instant's work is done,
// so writes made together leave together. After Close, or once the
// connection is closing, Write takes nothing.
func (c *Conn) Write(p []byte, parent uint64) int {
	if c.finQueued || !(c.state == SynSent || c.state == SynReceived || c.state == Established || c.state == CloseWait) {
		return 0
	}
	n := c.sbuf.write(p)
	if n < len(p) {
		c.wantWritable = true
	}
	if n == 0 {
		return 0
	}
	if parent != 0 {
		c.addParent(c.dataEnd, c.dataEnd+uint32(n), parent)
	}
	c.dataEnd += uint32(n)
	if !c.outputQueued {
		// Writes at one instant are gathered before segmenting, so that
		// several small writes leave as one segment.
		c.outputQueued = true
		c.t.env.After(0, c.outputFn)
	}
	return n
}

// deferredOutput sends what the Writes of an instant queued.
func (c *Conn) deferredOutput() {
	c.outputQueued = false
	c.output()
	c.flush()
}

// Read moves received in-order data into p and returns how many bytes it
// moved (RFC 9293 3.10.3, RECEIVE). Reading frees receive buffer space;
// when that opens the window enough, a window update follows at the same
// instant (see windowUpdate).
func (c *Conn) Read(p []byte) int {
	n := c.rbuf.read(p)
	if n == 0 {
		return 0
	}
	if c.state.canReceive() && !c.updateQueued {
		// Reads at one instant are gathered into at most one update, sent
		// once the application is done reading.
		c.updateQueued = true
		c.t.env.After(0, c.windowUpdateFn)
	}
	c.flush()
	return n
}

// windowUpdate sends a window update after the application read, if the
// window grew by at least min(buffer/2, MSS) (RFC 1122 4.2.3.3) to at
// least twice what was last advertised: a larger window the peer does not
// need at once is announced by the next ACK anyway.
func (c *Conn) windowUpdate() {
	c.updateQueued = false
	if !c.state.canReceive() {
		return
	}
	w := c.rcvWindow()
	if w > c.lastAdvWnd && int(w-c.lastAdvWnd) >= min(c.rbuf.size/2, c.mss) && w >= 2*c.lastAdvWnd {
		c.sendAck(CauseWindowOpen)
	}
	c.flush()
}

// Close closes the sending direction (RFC 9293 3.10.4, CLOSE): a FIN
// follows the data already written. Data still arrives until the peer
// closes too. In SYN-SENT it abandons the connection.
func (c *Conn) Close() {
	switch c.state {
	case SynSent, Listen:
		c.finish(nil, layers.Tell("tcp.why.close.early", "Close called before the handshake completed"))
	case SynReceived, Established:
		if c.finQueued {
			return
		}
		c.finQueued = true
		if c.state == Established {
			c.setState(FinWait1, layers.Tell("tcp.why.close", "Close called: FIN follows the queued data"), "")
		}
		c.output()
	case CloseWait:
		if c.finQueued {
			return
		}
		c.finQueued = true
		c.setState(LastAck, layers.Tell("tcp.why.close.last", "Close called after the peer's FIN: FIN follows the queued data"), "")
		c.output()
	}
	c.flush()
}

// Abort resets the connection (RFC 9293 3.10.5, ABORT): it sends RST in a
// synchronized state, discards both buffers and ends with ErrAborted.
func (c *Conn) Abort() {
	switch c.state {
	case Closed, TimeWait:
		return
	case SynReceived, Established, FinWait1, FinWait2, CloseWait:
		r := Segment{SrcPort: c.local.Port(), DstPort: c.remote.Port(), Seq: c.sndMax, Flags: RST}
		c.stats.SegmentsSent++
		c.t.emit(c.local.Addr(), c.remote.Addr(), &r, nil, "abort")
	}
	c.finish(ErrAborted, layers.Tell("tcp.why.abort", "Abort called: RST sent"))
	c.flush()
}

// setState moves to s and records the change with why it happened.
func (c *Conn) setState(s State, why layers.Phrase, cause string) {
	old := c.state
	c.state = s
	if c.t.env.Tracing() {
		e := stateEvent
		e.Cause = cause
		if why.IsZero() {
			e = e.Say("tcp.state", "%v -> %v", old, s)
		} else {
			e = e.Say("tcp.state.why", "%v -> %v: %v", old, s, why)
		}
		c.t.env.Record(e)
	}
}

// finish moves the connection to CLOSED, releases it and schedules Closed.
// An error close discards both buffers (RFC 9293 3.10.7.4: "all segment
// queues should be flushed").
func (c *Conn) finish(err error, why layers.Phrase) {
	if c.state == Closed {
		return
	}
	if !why.IsZero() {
		c.setState(Closed, why, "")
	} else {
		c.state = Closed
	}
	c.err = err
	c.rto.kill()
	c.persist.kill()
	c.timeWait.kill()
	c.t.removeConn(c)
	c.sbuf.reset()
	c.ooo = nil
	c.parents = nil
	if err != nil {
		c.rbuf.reset()
		c.pending &^= evReadable | evWritable | evPeerClosed
	}
	if c.passive && !c.accepted && c.pending&evAccept == 0 {
		// The application never saw this connection: nothing to tell.
		c.pending = 0
		return
	}
	c.pending |= evClosed
}

// flush delivers pending Handler events in a fixed order, one at a time, so
// that a callback may call back into the connection.
func (c *Conn) flush() {
	if c.inNotify || c.pending == 0 {
		return
	}
	c.inNotify = true
	for c.pending != 0 {
		var ev uint8
		for ev = 1; c.pending&ev == 0; ev <<= 1 {
		}
		c.pending &^= ev
		switch ev {
		case evAccept:
			c.accepted = true
			if accept := c.t.listeners[c.local.Port()]; accept != nil {
				accept(c)
			}
		case evEstablished:
			if c.h.Established != nil {
				c.h.Established(c)
			}
		case evReadable:
			if c.h.Readable != nil {
				c.h.Readable(c)
			}
		case evPeerClosed:
			if c.h.PeerClosed != nil {
				c.h.PeerClosed(c)
			}
		case evWritable:
			if c.h.Writable != nil {
				c.h.Writable(c)
			}
		case evClosed:
			if c.h.Closed != nil {
				c.h.Closed(c, c.err)
			}
		}
	}
	c.inNotify = false
}

// addParent notes that the bytes [start, end) belong to the PDU id.
func (c *Conn) addParent(start, end uint32, id uint64) {
	if n := len(c.parents); n > 0 && c.parents[n-1].id == id && c.parents[n-1].end == start {
		c.parents[n-1].end = end
		return
	}
	c.parents = append(c.parents, parentRange{start, end, id})
}

// parentsOf returns the ids of the PDUs whose bytes overlap [start, end).
func (c *Conn) parentsOf(start, end uint32) []uint64 {
	n := 0
	for _, p := range c.parents {
		if seqGEQ(p.start, end) {
			break
		}
		if seqGT(p.end, start) {
			n++
		}
	}
	if n == 0 {
		return nil
	}
	ids := c.t.parentSlice(n)
	for _, p := range c.parents {
		if seqGEQ(p.start, end) {
			break
		}
		if seqGT(p.end, start) {
			ids = append(ids, p.id)
		}
	}
	return ids
}

// trimParents forgets the ranges the peer has acknowledged.
func (c *Conn) trimParents() {
	i := 0
	for i < len(c.parents) && seqLEQ(c.parents[i].end, c.sndUna) {
		i++
	}
	if i > 0 {
		c.parents = c.parents[:copy(c.parents, c.parents[i:])]
	}
}

// relSnd and relRcv give sequence numbers relative to the initial sequence
// numbers, as Wireshark shows them: the first data byte is 1.
func (c *Conn) relSnd(seq uint32) string { return strconv.FormatUint(uint64(seq-c.iss), 10) }
func (c *Conn) relRcv(seq uint32) string { return strconv.FormatUint(uint64(seq-c.irs), 10) }
