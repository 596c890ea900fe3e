package transport

import (
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"time"

	"github.com/osisim/osisim/layers"
)

// State is a state of the TCP connection state machine (RFC 9293 3.3.2).
type State uint8

// The eleven states of RFC 9293 3.3.2.
const (
	Closed State = iota
	Listen
	SynSent
	SynReceived
	Established
	FinWait1
	FinWait2
	CloseWait
	Closing
	LastAck
	TimeWait
)

var stateNames = [...]string{
	"CLOSED", "LISTEN", "SYN-SENT", "SYN-RECEIVED", "ESTABLISHED",
	"FIN-WAIT-1", "FIN-WAIT-2", "CLOSE-WAIT", "CLOSING", "LAST-ACK", "TIME-WAIT",
}

// String returns the state's name as RFC 9293 spells it ("SYN-SENT").
func (s State) String() string {
	if int(s) < len(stateNames) {
		return stateNames[s]
	}
	return "STATE(" + strconv.Itoa(int(s)) + ")"
}

// synchronized reports whether the state is one of RFC 9293's synchronized
// states, in which both sequence numbers are known.
func (s State) synchronized() bool { return s >= Established }

// canSend reports whether the connection may still send data or its FIN.
func (s State) canSend() bool {
	return s == Established || s == CloseWait || s == FinWait1 || s == Closing || s == LastAck
}

// canReceive reports whether segment text is still accepted (RFC 9293
// 3.10.7.4, seventh check).
func (s State) canReceive() bool { return s == Established || s == FinWait1 || s == FinWait2 }

// Errors a connection can end with (Handler.Closed) or that the API returns.
// The ones a connection ends with say themselves in the trace as a phrase
// (layers.Error); their Go error strings stay in English.
var (
	ErrRefused = layers.NewError("transport: connection refused: the peer answered our SYN with RST (nothing listens on that port)",
		layers.Tell("tcp.err.refused", "connection refused: the peer answered our SYN with RST (nothing listens on that port)"))
	ErrReset = layers.NewError("transport: connection reset: the peer sent RST and dropped the connection",
		layers.Tell("tcp.err.reset", "connection reset: the peer sent RST and dropped the connection"))
	ErrTimeout = layers.NewError("transport: connection timed out: the peer stopped acknowledging",
		layers.Tell("tcp.err.timeout", "connection timed out: the peer stopped acknowledging"))
	ErrAborted = layers.NewError("transport: connection aborted: this side sent RST",
		layers.Tell("tcp.err.aborted", "connection aborted: this side sent RST"))
	ErrPortUsed = errors.New("transport: port already in use")
	ErrNoPorts  = errors.New("transport: no free port in the dynamic range 49152-65535")
)

// Config tunes a TCP endpoint. The zero value of every field selects the
// default given in its comment.
type Config struct {
	MSS        uint16        // maximum segment size this side receives and advertises; 1460 (Ethernet MTU 1500 - 40)
	RecvBuffer int           // receive buffer in octets; 65535. Windows above 65535 are not advertised (no window scaling)
	SendBuffer int           // send buffer in octets; 256 KiB
	MinRTO     time.Duration // lower bound of the RTO; 1 s (RFC 6298 2.4)
	MaxRTO     time.Duration // upper bound of the RTO; 60 s (RFC 6298 2.5)
	InitialRTO time.Duration // RTO before the first RTT sample; 1 s (RFC 6298 2.1)
	MaxRetries int           // retransmissions of one segment before giving up with ErrTimeout; 8
	MSL        time.Duration // maximum segment lifetime; 30 s (TIME-WAIT lasts 2*MSL)

	// ISN, when set, picks every initial sequence number instead of the
	// run's random source. It is a test hook (to start a transfer near 2^32
	// and see sequence numbers wrap); scenarios leave it nil.
	ISN func() uint32
}

func (c Config) withDefaults() Config {
	if c.MSS == 0 {
		c.MSS = 1460
	}
	if c.RecvBuffer <= 0 {
		c.RecvBuffer = 65535
	}
	if c.SendBuffer <= 0 {
		c.SendBuffer = 256 << 10
	}
	if c.MinRTO <= 0 {
		c.MinRTO = time.Second
	}
	if c.MaxRTO <= 0 {
		c.MaxRTO = 60 * time.Second
	}
	if c.MaxRTO < c.MinRTO {
		c.MaxRTO = c.MinRTO
	}
	if c.InitialRTO <= 0 {
		c.InitialRTO = time.Second
	}
	if c.MaxRetries <= 0 {
		c.MaxRetries = 8
	}
	if c.MSL <= 0 {
		c.MSL = 30 * time.Second
	}
	return c
}

// Network is the IP layer below a TCP or UDP endpoint: it sends the
// transport PDU seg from src to dst. The simulator implements it (bound to
// protocol 6 for TCP and 17 for UDP) and records the boundary event. seg may
// be reused after the call returns; m.Parents may be kept. SendSegment must
// not call back into the endpoint before it returns: delivery goes through
// the simulator's event queue.
type Network interface {
	SendSegment(src, dst netip.Addr, seg []byte, m layers.Meta)
}

// Handler receives a connection's events. Every func may be nil. They are
// called after the connection has finished processing the segment or timer
// that caused them, so they may call any method of the Conn.
type Handler struct {
	Established func(*Conn)        // the three-way handshake completed
	Readable    func(*Conn)        // in-order data arrived: call Read
	Writable    func(*Conn)        // send buffer space freed after a short Write
	PeerClosed  func(*Conn)        // the peer's FIN arrived: no more data will come
	Closed      func(*Conn, error) // the connection reached CLOSED; nil for an orderly close
}

// defaultPeerMSS is the MSS assumed when the peer's SYN has no MSS option
// (RFC 9293 3.7.1, RFC 1122 4.2.2.6).
const defaultPeerMSS = 536

// maxWindow is the largest window the 16-bit Window field can advertise
// without the window scale option (RFC 7323), which is not implemented.
const maxWindow = 65535

type connKey struct {
	local, remote netip.AddrPort
}

// TCP is the TCP endpoint of one node: its listeners and connections.
type TCP struct {
	env       layers.Env
	cfg       Config
	net       Network
	listeners map[uint16]func(*Conn)
	conns     map[connKey]*Conn
	ports     map[uint16]int // local port -> connections using it
	out       []byte         // segment being emitted
	payload   []byte         // payload copied out of a send buffer
	idSlab    []uint64       // Meta.Parents slices are carved from this
}

// NewTCP returns a TCP endpoint that sends through net.
func NewTCP(env layers.Env, cfg Config, net Network) *TCP {
	return &TCP{
		env:       env,
		cfg:       cfg.withDefaults(),
		net:       net,
		listeners: make(map[uint16]func(*Conn)),
		conns:     make(map[connKey]*Conn),
		ports:     make(map[uint16]int),
	}
}

// Config returns the endpoint's configuration with defaults filled in.
func (t *TCP) Config() Config { return t.cfg }

// Listen makes port accept connections on every local address (RFC 9293
// 3.10.1, passive OPEN). accept is called with each new connection once it
// is ESTABLISHED; it should set the connection's Handler, whose Established
// then fires too.
func (t *TCP) Listen(port uint16, accept func(*Conn)) error {
	if port == 0 {
		return errors.New("transport: cannot listen on port 0")
	}
	if _, ok := t.listeners[port]; ok {
		return fmt.Errorf("%w: something already listens on TCP port %d", ErrPortUsed, port)
	}
	if accept == nil {
		accept = func(*Conn) {}
	}
	t.listeners[port] = accept
	if t.env.Tracing() {
		t.env.Record(stateEvent.Say("tcp.listen", "CLOSED -> LISTEN: passive open on port %v", Port(port)))
	}
	return nil
}

// Unlisten stops accepting connections on port; established connections
// are not affected.
func (t *TCP) Unlisten(port uint16) {
	if _, ok := t.listeners[port]; !ok {
		return
	}
	delete(t.listeners, port)
	if t.env.Tracing() {
		t.env.Record(stateEvent.Say("tcp.unlisten", "LISTEN -> CLOSED: port %v no longer accepts connections", Port(port)))
	}
}

// Dial opens a connection from local to remote (RFC 9293 3.10.1, active
// OPEN): it picks a free local port at random from the dynamic range
// (RFC 6335 6, RFC 6056), an initial sequence number from the run's random
// source, and sends the SYN. The connection reports to h.
func (t *TCP) Dial(local netip.Addr, remote netip.AddrPort, h Handler) (*Conn, error) {
	if !local.IsValid() || !remote.Addr().IsValid() {
		return nil, fmt.Errorf("transport: cannot dial from %v to %v: missing address", local, remote)
	}
	if local.Is4() != remote.Addr().Is4() {
		return nil, fmt.Errorf("transport: cannot dial from %v to %v: mixed IPv4 and IPv6", local, remote)
	}
	if remote.Port() == 0 {
		return nil, fmt.Errorf("transport: cannot dial %v: port 0", remote)
	}
	port, err := t.ephemeralPort(local, remote)
	if err != nil {
		return nil, err
	}
	c := t.newConn(netip.AddrPortFrom(local, port), remote)
	c.h = h
	c.setState(SynSent, layers.Tell("tcp.why.open", "active open from port %d to %v", port, remote), "")
	c.sendSYN("")
	c.rto.set(c.rtt.rto)
	c.flush()
	return c, nil
}

// ephemeralPort draws ports at random from the dynamic range until one is
// free (RFC 6056 3.3.1), then falls back to a scan from a random start.
func (t *TCP) ephemeralPort(local netip.Addr, remote netip.AddrPort) (uint16, error) {
	const first, count = 49152, 65536 - 49152
	free := func(p uint16) bool {
		if _, ok := t.listeners[p]; ok {
			return false
		}
		return t.ports[p] == 0
	}
	rng := t.env.Rand()
	for range 16 {
		p := uint16(first + rng.IntN(count))
		if free(p) {
			return p, nil
		}
	}
	start := rng.IntN(count)
	for i := range count {
		p := uint16(first + (start+i)%count)
		if free(p) {
			return p, nil
		}
	}
	return 0, ErrNoPorts
}

func (t *TCP) isn() uint32 {
	if t.cfg.ISN != nil {
		return t.cfg.ISN()
	}
	return t.env.Rand().Uint32()
}

func (t *TCP) newConn(local, remote netip.AddrPort) *Conn {
	c := &Conn{t: t, local: local, remote: remote}
	c.sbuf.size = t.cfg.SendBuffer
	c.rbuf.size = t.cfg.RecvBuffer
	c.rtt.init(t.cfg.InitialRTO, t.cfg.MinRTO, t.cfg.MaxRTO)
	c.rto.init(t.env, c.onRTO)
	c.persist.init(t.env, c.onPersist)
	c.timeWait.init(t.env, c.onTimeWait)
	c.windowUpdateFn = c.windowUpdate
	c.outputFn = c.deferredOutput
	c.iss = t.isn()
	c.sndUna, c.sndNxt, c.sndMax = c.iss, c.iss+1, c.iss+1
	c.sbufSeq, c.dataEnd = c.iss+1, c.iss+1
	c.recover = c.iss + 1
	c.ssthresh = 1 << 30
	c.mss = int(t.cfg.MSS)
	t.conns[connKey{local, remote}] = c
	t.ports[local.Port()]++
	return c
}

func (t *TCP) removeConn(c *Conn) {
	k := connKey{c.local, c.remote}
	if t.conns[k] != c {
		return
	}
	delete(t.conns, k)
	if t.ports[c.local.Port()]--; t.ports[c.local.Port()] <= 0 {
		delete(t.ports, c.local.Port())
	}
}

// Conns returns how many connections the endpoint holds (TIME-WAIT included).
func (t *TCP) Conns() int { return len(t.conns) }

// HandleSegment takes a segment from IP (RFC 9293 3.10.7, SEGMENT ARRIVES).
// A segment that fails to parse or to checksum is dropped; one for a port
// with no connection and no listener is answered with RST.
func (t *TCP) HandleSegment(src, dst netip.Addr, b []byte, m layers.Meta) {
	seg, err := Parse(b, src, dst)
	if err != nil {
		reason := layers.ReasonMalformed
		if errors.Is(err, ErrChecksum) {
			reason = layers.ReasonChecksum
		}
		t.drop(reason, func(e layers.Event) layers.Event { return e.Say("tcp.drop.bad", "segment dropped: %v", err) })
		return
	}
	key := connKey{netip.AddrPortFrom(dst, seg.DstPort), netip.AddrPortFrom(src, seg.SrcPort)}
	if c := t.conns[key]; c != nil {
		c.stats.SegmentsReceived++
		c.input(&seg)
		c.flush()
		return
	}
	if _, ok := t.listeners[seg.DstPort]; ok {
		t.listenInput(key, &seg)
		return
	}
	t.closedInput(key, &seg, layers.ReasonPortClosed, layers.Tell("tcp.what.closed", "port %d closed", seg.DstPort))
}

// closedInput answers a segment that belongs to no connection, as RFC 9293
// 3.10.7.1 says for the CLOSED state: an RST is dropped; anything else gets
// an RST that the sender will accept. Drops are recorded even when nothing
// traces, so that the run's drop counts do not depend on the trace.
func (t *TCP) closedInput(key connKey, seg *Segment, reason layers.Reason, what layers.Phrase) {
	if seg.Flags&RST != 0 {
		t.drop(layers.ReasonNoConn, func(e layers.Event) layers.Event {
			return e.Say("tcp.drop.rst.noconn", "%v: RST for no connection ignored", what)
		})
		return
	}
	t.sendReset(key, seg, what.String())
	t.drop(reason, func(e layers.Event) layers.Event { return e.Say("tcp.drop.reset", "%v: answered RST", what) })
}

// sendReset sends the RST of RFC 9293 3.10.7.1: <SEQ=SEG.ACK><CTL=RST> if
// the segment has ACK, else <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>.
func (t *TCP) sendReset(key connKey, seg *Segment, cause string) {
	r := Segment{SrcPort: key.local.Port(), DstPort: key.remote.Port(), Flags: RST}
	if seg.Flags&ACK != 0 {
		r.Seq = seg.Ack
	} else {
		r.Ack = seg.Seq + seg.SeqLen()
		r.Flags |= ACK
	}
	t.emit(key.local.Addr(), key.remote.Addr(), &r, nil, cause)
}

// listenInput handles a segment for a listening port (RFC 9293 3.10.7.2).
func (t *TCP) listenInput(key connKey, seg *Segment) {
	switch {
	case seg.Flags&RST != 0:
		t.drop(layers.ReasonNoConn, func(e layers.Event) layers.Event {
			return e.Say("tcp.drop.rst.listen", "RST for no connection on listening port %d ignored", seg.DstPort)
		})
		return
	case seg.Flags&ACK != 0:
		t.closedInput(key, seg, layers.ReasonNoConn, layers.Tell("tcp.what.noconn", "no connection from %v on port %d", key.remote, seg.DstPort))
		return
	case seg.Flags&SYN == 0:
		t.drop(layers.ReasonNoConn, func(e layers.Event) layers.Event {
			return e.Say("tcp.drop.nosyn.listen", "segment without SYN for listening port %d dropped", seg.DstPort)
		})
		return
	}
	c := t.newConn(key.local, key.remote)
	c.passive = true
	c.state = Listen
	c.irs = seg.Seq
	c.rcvNxt = seg.Seq + 1
	c.setPeerMSS(seg.MSS)
	c.sndWnd = uint32(seg.Window)
	c.maxSndWnd = c.sndWnd
	c.sndWl1 = seg.Seq
	c.stats.SegmentsReceived++
	if len(seg.Payload) > 0 && t.env.Tracing() {
		t.env.Record(noteEvent.Say("tcp.syn.data", "%d bytes of data on the SYN not accepted: the peer will send them again", len(seg.Payload)))
	}
	c.setState(SynReceived, layers.Tell("tcp.why.syn", "SYN from %v on port %v", key.remote, Port(key.local.Port())), "SYN received")
	c.sendSYN("")
	c.rto.set(c.rtt.rto)
	c.flush()
}

// emit builds the segment's bytes and hands them to IP with a fresh id.
func (t *TCP) emit(src, dst netip.Addr, s *Segment, parents []uint64, cause string) {
	t.out = s.Append(t.out[:0], src, dst)
	t.net.SendSegment(src, dst, t.out, layers.Meta{ID: t.env.NewID(), Parents: parents, Cause: cause})
}

// parentSlice returns an empty slice with room for n ids, carved from a
// shared slab so that most segments need no allocation of their own.
func (t *TCP) parentSlice(n int) []uint64 {
	if len(t.idSlab) < n {
		t.idSlab = make([]uint64, max(512, n))
	}
	s := t.idSlab[:0:n]
	t.idSlab = t.idSlab[n:]
	return s
}

// seconds prints a duration as "1.000 s".
func seconds(d time.Duration) string {
	return strconv.FormatFloat(d.Seconds(), 'f', 3, 64) + " s"
}
