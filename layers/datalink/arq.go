package datalink

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/osisim/osisim/layers"
)

// The ARQ sublayer: automatic repeat request on a point-to-point link, the
// data link layer's own "reliable transfer over an unreliable physical
// medium". Ethernet itself only detects damaged frames and discards them
// (IEEE 802.3 clause 3.4); a link with ARQ also numbers every frame,
// acknowledges the frames that arrive intact and retransmits those whose
// acknowledgement does not come back in time, as HDLC's numbered
// information frames do (ISO/IEC 13239; LAPB in ITU-T X.25).
//
// An ARQ frame is an Ethernet II frame of EtherType 0x88B5 (IEEE Std 802
// clause 9.2.2, "Local Experimental Ethertype 1", reserved for experiments
// on a local link) whose payload starts with the 6-octet ARQ header below,
// so that every frame on the wire is still valid Ethernet:
//
//	 0                   1                   2                   3
//	 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//	|     Kind      |     Mode      |   Sequence    |Acknowledgement|
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//	|   EtherType of the payload    |   Payload (DATA only) ...     |
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// Kind is 1 for DATA and 2 for ACK. Mode is 1 for stop-and-wait (the
// alternating-bit protocol: sequence numbers modulo 2) and 2 for go-back-N
// (sequence numbers modulo 256). Sequence is the number of a DATA frame (0
// in an ACK). Acknowledgement, in an ACK, is the number of the next frame
// the receiver expects: every frame before it has arrived (a cumulative
// acknowledgement, as HDLC's N(R)); it is 0 in a DATA frame. EtherType is
// the type of the payload a DATA frame carries (0 in an ACK).

// EtherTypeARQ is IEEE Std 802's Local Experimental Ethertype 1, which the
// ARQ sublayer's frames carry.
const EtherTypeARQ EtherType = 0x88b5

// ARQHeaderLen is the length of the ARQ header.
const ARQHeaderLen = 6

// ARQMaxPayload is the largest payload an ARQ DATA frame carries in an
// Ethernet frame: the ARQ header takes 6 of Ethernet's 1500 octets, so the
// MTU of an interface on an ARQ link is at most 1494 (as PPPoE's 8-octet
// header makes its MTU 1492, RFC 2516 7).
const ARQMaxPayload = MaxPayload - ARQHeaderLen

// ARQRetransmitCause is the cause the ARQ sender gives a DATA frame it
// sends again after its timer expired.
const ARQRetransmitCause = "ARQ timeout"

// ARQKind is the kind of an ARQ frame.
type ARQKind uint8

// The kinds of ARQ frame.
const (
	ARQData ARQKind = 1 // carries a payload and a sequence number
	ARQAck  ARQKind = 2 // acknowledges every DATA frame before its acknowledgement number
)

// String returns "DATA" or "ACK".
func (k ARQKind) String() string {
	switch k {
	case ARQData:
		return "DATA"
	case ARQAck:
		return "ACK"
	}
	return "kind " + strconv.Itoa(int(k))
}

// ARQMode is the ARQ protocol a link runs.
type ARQMode uint8

// The ARQ protocols.
const (
	// StopAndWait sends one frame and waits for its acknowledgement
	// before the next: the alternating-bit protocol, sequence numbers
	// modulo 2.
	StopAndWait ARQMode = 1
	// GoBackN keeps up to a window of frames unacknowledged; on a timeout
	// it goes back to the oldest and sends them all again. Sequence
	// numbers are modulo 256.
	GoBackN ARQMode = 2
)

// String returns "stop-and-wait" or "go-back-N".
func (m ARQMode) String() string {
	switch m {
	case StopAndWait:
		return "stop-and-wait"
	case GoBackN:
		return "go-back-N"
	}
	return "mode " + strconv.Itoa(int(m))
}

// Modulus is how many sequence numbers the mode uses: 2 or 256.
func (m ARQMode) Modulus() int {
	if m == StopAndWait {
		return 2
	}
	return 256
}

// ParseARQMode parses "stop-and-wait" or "go-back-n" (any case of the N).
func ParseARQMode(s string) (ARQMode, error) {
	switch s {
	case "stop-and-wait":
		return StopAndWait, nil
	case "go-back-n", "go-back-N":
		return GoBackN, nil
	}
	return 0, fmt.Errorf("datalink: ARQ mode %q: want stop-and-wait or go-back-n", s)
}

// Errors of ParseARQ.
var (
	ErrARQTooShort = errors.New("datalink: ARQ header too short")
	ErrARQHeader   = errors.New("datalink: bad ARQ header")
)

// ARQFrame is an ARQ header and what follows it: the payload of an
// Ethernet frame of type EtherTypeARQ.
type ARQFrame struct {
	Kind ARQKind
	Mode ARQMode
	Seq  uint8     // the DATA frame's sequence number
	Ack  uint8     // in an ACK: the next sequence number expected
	Type EtherType // the payload's EtherType (DATA)
	// Payload follows the header. On a received frame it includes the
	// Ethernet padding, which the upper layer's own length field tells
	// apart; in an ACK it is only padding.
	Payload []byte
}

// ParseARQ decodes an ARQ header and its payload from b (an Ethernet
// payload). It checks the kind and mode, that the sequence numbers lie
// within the mode's modulus, that a DATA frame carries an EtherType
// (at least 0x0600) and that an ACK has zero sequence and type fields.
// Payload aliases b.
func ParseARQ(b []byte) (ARQFrame, error) {
	if len(b) < ARQHeaderLen {
		return ARQFrame{}, fmt.Errorf("%w: %d bytes, need %d", ErrARQTooShort, len(b), ARQHeaderLen)
	}
	f := ARQFrame{
		Kind:    ARQKind(b[0]),
		Mode:    ARQMode(b[1]),
		Seq:     b[2],
		Ack:     b[3],
		Type:    EtherType(binary.BigEndian.Uint16(b[4:6])),
		Payload: b[ARQHeaderLen:],
	}
	if f.Mode != StopAndWait && f.Mode != GoBackN {
		return ARQFrame{}, fmt.Errorf("%w: mode %d, want 1 (stop-and-wait) or 2 (go-back-N)", ErrARQHeader, b[1])
	}
	if m := f.Mode.Modulus(); int(f.Seq) >= m || int(f.Ack) >= m {
		return ARQFrame{}, fmt.Errorf("%w: sequence %d or acknowledgement %d not below %s's modulus %d",
			ErrARQHeader, f.Seq, f.Ack, f.Mode, m)
	}
	switch f.Kind {
	case ARQData:
		if f.Type < minEtherType {
			return ARQFrame{}, fmt.Errorf("%w: DATA frame carries type 0x%04x, not an EtherType (at least 0x0600)", ErrARQHeader, uint16(f.Type))
		}
		if f.Ack != 0 {
			return ARQFrame{}, fmt.Errorf("%w: DATA frame with acknowledgement %d, want 0", ErrARQHeader, f.Ack)
		}
	case ARQAck:
		if f.Seq != 0 || f.Type != 0 {
			return ARQFrame{}, fmt.Errorf("%w: ACK with sequence %d and type 0x%04x, want both 0", ErrARQHeader, f.Seq, uint16(f.Type))
		}
	default:
		return ARQFrame{}, fmt.Errorf("%w: kind %d, want 1 (DATA) or 2 (ACK)", ErrARQHeader, b[0])
	}
	return f, nil
}

// HeaderLen returns the ARQ header's length, 6.
func (f ARQFrame) HeaderLen() int { return ARQHeaderLen }

// Len returns header and payload octets.
func (f ARQFrame) Len() int { return ARQHeaderLen + len(f.Payload) }

// Append appends the header and the payload to dst.
func (f ARQFrame) Append(dst []byte) []byte {
	dst = append(dst, byte(f.Kind), byte(f.Mode), f.Seq, f.Ack)
	dst = binary.BigEndian.AppendUint16(dst, uint16(f.Type))
	return append(dst, f.Payload...)
}

// Summary returns "ARQ DATA seq=3 (go-back-N), IPv4 1494 B" or
// "ARQ ACK ack=4 (go-back-N)".
func (f ARQFrame) Summary() string {
	if f.Kind == ARQAck {
		return fmt.Sprintf("ARQ ACK ack=%d (%s)", f.Ack, f.Mode)
	}
	return fmt.Sprintf("ARQ %s seq=%d (%s), %s %d B", f.Kind, f.Seq, f.Mode, f.Type, len(f.Payload))
}

// Fields returns the header fields in wire order.
func (f ARQFrame) Fields() []layers.Field {
	ack := strconv.Itoa(int(f.Ack)) + " (not used in DATA)"
	seq := strconv.Itoa(int(f.Seq))
	typ := fmt.Sprintf("0x%04x (%s)", uint16(f.Type), typeName(f.Type))
	if f.Kind == ARQAck {
		ack = fmt.Sprintf("%d (the next frame expected: the frames before it arrived)", f.Ack)
		seq += " (not used in ACK)"
		typ = "0x0000 (no payload)"
	}
	return []layers.Field{
		{Name: "Kind", Value: fmt.Sprintf("%d (%s)", uint8(f.Kind), f.Kind)},
		{Name: "Mode", Value: fmt.Sprintf("%d (%s, sequence numbers modulo %d)", uint8(f.Mode), f.Mode, f.Mode.Modulus())},
		{Name: "Sequence", Value: seq},
		{Name: "Acknowledgement", Value: ack},
		{Name: "EtherType", Value: typ},
	}
}

// ARQConfig configures one end of a link's ARQ sublayer.
type ARQConfig struct {
	Mode ARQMode
	// Window is how many DATA frames may be sent and not yet
	// acknowledged: 1 for stop-and-wait, 1 to 127 for go-back-N. Go-back-N
	// needs a window below its modulus, 256, or the receiver could not
	// tell a new frame from an old one sent again; half of it also lets
	// the receiver tell a frame sent again from one after a gap.
	Window int
	// Timeout is how long the sender waits for the acknowledgement of its
	// oldest unacknowledged frame before it sends again. It must exceed
	// the round trip: a full frame's serialization, the propagation both
	// ways and the ACK's serialization.
	Timeout time.Duration
	// MaxRetries is how many timeouts in a row, with no acknowledgement in
	// between, the sender accepts before it declares the link down (as
	// LAPB's N2); 0 means DefaultARQMaxRetries.
	MaxRetries int
	// Queue bounds the frames from the network layer that wait for room
	// in the window; 0 means DefaultARQQueue.
	Queue int
}

// Defaults of ARQConfig.
const (
	DefaultARQMaxRetries = 10
	DefaultARQQueue      = 1000
	MaxARQWindow         = 127 // the largest go-back-N window
)

// Validate checks the mode, the window for that mode and the timeout.
func (c ARQConfig) Validate() error {
	switch c.Mode {
	case StopAndWait:
		if c.Window != 1 && c.Window != 0 {
			return fmt.Errorf("datalink: stop-and-wait has a window of 1 frame, not %d", c.Window)
		}
	case GoBackN:
		if c.Window < 1 || c.Window > MaxARQWindow {
			return fmt.Errorf("datalink: go-back-N window %d: want 1 to %d (half the modulus 256)", c.Window, MaxARQWindow)
		}
	default:
		return fmt.Errorf("datalink: unknown ARQ mode %d", c.Mode)
	}
	if c.Timeout <= 0 {
		return fmt.Errorf("datalink: ARQ timeout %v is not positive", c.Timeout)
	}
	if c.MaxRetries < 0 || c.Queue < 0 {
		return fmt.Errorf("datalink: ARQ retries %d and queue %d must not be negative", c.MaxRetries, c.Queue)
	}
	return nil
}

// ARQStats counts what one end of an ARQ link did.
type ARQStats struct {
	Sent          uint64 // DATA frames sent for the first time
	Retransmitted uint64 // DATA frames sent again after a timeout
	Timeouts      uint64 // times the retransmission timer expired
	AcksSent      uint64 // ACK frames sent
	AcksReceived  uint64 // ACK frames that acknowledged new frames
	Delivered     uint64 // DATA frames handed to the network layer, in order
	Duplicates    uint64 // DATA frames discarded as already delivered
	OutOfOrder    uint64 // DATA frames discarded after a gap (go-back-N)
	Discarded     uint64 // frames from the network layer discarded: queue full or link down
}

// arqPending is a frame of the sender: waiting for the window, or sent and
// not yet acknowledged.
type arqPending struct {
	dst     MAC
	typ     EtherType
	payload []byte
	m       layers.Meta
	seq     uint8
}

// ARQ is one end of a point-to-point link's ARQ sublayer, between the
// network layer and the rest of the data link layer: a sender for the
// frames this end transmits and a receiver for those the other end
// transmits. It works on parsed frames: Send takes a plain frame from
// above, Receive an ARQ frame that passed the FCS check; out transmits a
// frame (the payload is valid only during the call) and up hands a
// frame's payload, in order and once, to the network layer.
type ARQ struct {
	env   layers.Env
	iface string
	mac   MAC
	cfg   ARQConfig
	mod   int
	out   func(f Frame, m layers.Meta)
	up    func(f Frame, m layers.Meta)

	// Sender. q[head:head+sent] have been sent and await their
	// acknowledgement, oldest first; q[head+sent:] wait for the window.
	q       []arqPending
	head    int
	sent    int
	base    uint8 // sequence number of the oldest unacknowledged frame
	next    uint8 // sequence number of the next new frame
	timer   layers.Timer
	onTimer func()
	tries   int  // timeouts in a row without progress
	down    bool // the sender gave up: the link is declared down
	free    [][]byte
	obuf    []byte

	// Receiver.
	expected uint8 // sequence number of the next frame to deliver

	stats ARQStats
}

// NewARQ returns the ARQ sublayer of interface iface, whose MAC address is
// mac. out transmits a frame; up delivers a received frame's payload to
// the network layer.
func NewARQ(env layers.Env, iface string, mac MAC, cfg ARQConfig, out, up func(f Frame, m layers.Meta)) (*ARQ, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.Mode == StopAndWait {
		cfg.Window = 1
	}
	if cfg.MaxRetries == 0 {
		cfg.MaxRetries = DefaultARQMaxRetries
	}
	if cfg.Queue == 0 {
		cfg.Queue = DefaultARQQueue
	}
	a := &ARQ{env: env, iface: iface, mac: mac, cfg: cfg, mod: cfg.Mode.Modulus(), out: out, up: up}
	a.onTimer = a.timeout
	return a, nil
}

// Config returns the configuration with its defaults filled in.
func (a *ARQ) Config() ARQConfig { return a.cfg }

// Stats returns what this end did so far.
func (a *ARQ) Stats() ARQStats { return a.stats }

// Down reports whether the sender has declared the link down.
func (a *ARQ) Down() bool { return a.down }

func (a *ARQ) record(e layers.Event) {
	e.Layer, e.Iface = layers.DataLink, a.iface
	a.env.Record(e)
}

// add returns x+n modulo the mode's modulus.
func (a *ARQ) add(x uint8, n int) uint8 { return uint8((int(x) + n) % a.mod) }

// dist returns how many steps lead from x forward to y, modulo the
// modulus.
func (a *ARQ) dist(x, y uint8) int { return ((int(y)-int(x))%a.mod + a.mod) % a.mod }

// Send takes a frame from the network layer (f.Src is this interface's
// address), copies its payload and sends it as an ARQ DATA frame as soon
// as the window has room.
func (a *ARQ) Send(f Frame, m layers.Meta) {
	waiting := len(a.q) - a.head - a.sent
	switch {
	case a.down:
		a.stats.Discarded++
		a.record(layers.Event{Dir: layers.Drop, Reason: layers.ReasonLinkDown, Cause: m.Cause}.Say("l2.arq.down.drop", "the ARQ sender declared the link down after %d retransmissions without an ACK: %s frame discarded", a.cfg.MaxRetries, f.Type))
		return
	case waiting >= a.cfg.Queue:
		a.stats.Discarded++
		a.record(layers.Event{Dir: layers.Drop, Reason: layers.ReasonQueueFull, Cause: m.Cause}.Say("l2.arq.queuefull", "ARQ queue full: %d frames already wait for the %s window: %s frame discarded", waiting, a.cfg.Mode, f.Type))
		return
	}
	var buf []byte
	if n := len(a.free); n > 0 {
		buf, a.free = a.free[n-1][:0], a.free[:n-1]
	}
	a.q = append(a.q, arqPending{dst: f.Dst, typ: f.Type, payload: append(buf, f.Payload...), m: m})
	if waiting == 0 && a.sent >= a.cfg.Window && a.env.Tracing() {
		a.record(layers.Event{Dir: layers.Note}.Say("l2.arq.wndfull", "%s window full (%d of %d frames unacknowledged): the next frames wait for an ACK",
			a.cfg.Mode, a.sent, a.cfg.Window))
	}
	a.pump()
}

// pump sends waiting frames while the window has room.
func (a *ARQ) pump() {
	for a.sent < a.cfg.Window && a.head+a.sent < len(a.q) {
		p := &a.q[a.head+a.sent]
		p.seq = a.next
		a.next = a.add(a.next, 1)
		a.sent++
		a.stats.Sent++
		a.transmit(p, "")
		if a.timer == nil {
			a.timer = a.env.After(a.cfg.Timeout, a.onTimer)
		}
	}
}

// transmit sends p as a DATA frame.
func (a *ARQ) transmit(p *arqPending, cause string) {
	h := ARQFrame{Kind: ARQData, Mode: a.cfg.Mode, Seq: p.seq, Type: p.typ, Payload: p.payload}
	a.obuf = h.Append(a.obuf[:0])
	m := layers.Meta{Parents: parentIDs(p.m), Cause: cause}
	if cause == "" {
		m.Cause = p.m.Cause
	}
	a.out(Frame{Dst: p.dst, Src: a.mac, Type: EtherTypeARQ, Payload: a.obuf}, m)
}

func parentIDs(m layers.Meta) []uint64 {
	if m.ID != 0 {
		return []uint64{m.ID}
	}
	return m.Parents
}

// timeout is the retransmission timer: no ACK for the oldest frame came
// back in time. Go-back-N sends every unacknowledged frame again, oldest
// first; stop-and-wait, whose window is one frame, sends that frame again.
func (a *ARQ) timeout() {
	a.timer = nil
	if a.sent == 0 {
		return
	}
	a.stats.Timeouts++
	a.tries++
	if a.tries > a.cfg.MaxRetries {
		a.giveUp()
		return
	}
	last := a.add(a.base, a.sent-1)
	what := layers.Tell("l2.arq.rtx.one", "retransmitting frame %d", a.base)
	if a.sent > 1 {
		what = layers.Tell("l2.arq.rtx.back", "going back to frame %d and retransmitting %d frames (%d to %d)", a.base, a.sent, a.base, last)
	}
	a.record(layers.Event{Dir: layers.Timeout, Cause: ARQRetransmitCause}.Say("l2.arq.timeout",
		"ARQ timer expired: no ACK for frame %d within %s: %v (try %d of %d)",
		a.base, a.cfg.Timeout, what, a.tries, a.cfg.MaxRetries))
	for i := range a.sent {
		a.stats.Retransmitted++
		a.transmit(&a.q[a.head+i], ARQRetransmitCause)
	}
	a.timer = a.env.After(a.cfg.Timeout, a.onTimer)
}

// giveUp declares the link down after MaxRetries timeouts in a row and
// discards every frame of the sender.
func (a *ARQ) giveUp() {
	n := len(a.q) - a.head
	a.stats.Discarded += uint64(n)
	a.record(layers.Event{Dir: layers.State, Cause: ARQRetransmitCause}.Say("l2.arq.giveup", "ARQ sender gives up: frame %d still unacknowledged after %d retransmissions; the link is declared down",
		a.base, a.cfg.MaxRetries))
	a.record(layers.Event{Dir: layers.Drop, Reason: layers.ReasonLinkDown, Cause: ARQRetransmitCause}.Say("l2.arq.down.flush", "%d frames of the ARQ sender discarded: the link is down", n))
	a.down = true
	for i := a.head; i < len(a.q); i++ {
		a.free = append(a.free, a.q[i].payload)
	}
	a.q, a.head, a.sent = a.q[:0], 0, 0
}

// Receive takes an ARQ frame that arrived with a correct FCS and was
// addressed to this interface (f.Type is EtherTypeARQ).
func (a *ARQ) Receive(f Frame, m layers.Meta) {
	h, err := ParseARQ(f.Payload)
	if err != nil {
		a.record(layers.Event{Dir: layers.Drop, Reason: layers.ReasonMalformed, Cause: m.Cause}.Say("l2.arq.bad", "%v", err))
		return
	}
	if h.Mode != a.cfg.Mode {
		a.record(layers.Event{Dir: layers.Drop, Reason: layers.ReasonMalformed, Cause: m.Cause}.Say("l2.arq.mode", "ARQ %s frame in %s mode, but this end runs %s: discarded", h.Kind, h.Mode, a.cfg.Mode))
		return
	}
	if h.Kind == ARQAck {
		a.handleAck(h, m)
		return
	}
	a.handleData(f, h, m)
}

// handleAck slides the window: an ACK acknowledges every frame before its
// acknowledgement number (a cumulative acknowledgement).
func (a *ARQ) handleAck(h ARQFrame, m layers.Meta) {
	n := a.dist(a.base, h.Ack)
	switch {
	case n == 0 && a.sent > 0:
		a.record(layers.Event{Dir: layers.Note, Cause: m.Cause}.Say("l2.arq.ack.old", "ACK %d acknowledges nothing new: frame %d is still unacknowledged (the timer will resend it)", h.Ack, a.base))
		return
	case n == 0 || n > a.sent:
		a.record(layers.Event{Dir: layers.Drop, Reason: layers.ReasonDuplicate, Cause: m.Cause}.Say("l2.arq.ack.outside", "ACK %d is outside the window (%v): an old or repeated ACK, ignored", h.Ack, a.window()))
		return
	}
	a.stats.AcksReceived++
	first := a.base
	for i := range n {
		a.free = append(a.free, a.q[a.head+i].payload)
		a.q[a.head+i] = arqPending{}
	}
	a.head += n
	a.sent -= n
	a.base = h.Ack
	a.tries = 0
	if a.head == len(a.q) {
		a.q, a.head = a.q[:0], 0
	} else if a.head > 64 && a.head*2 > len(a.q) {
		k := copy(a.q, a.q[a.head:])
		clear(a.q[k:])
		a.q, a.head = a.q[:k], 0
	}
	if a.env.Tracing() {
		acked := layers.Tell("l2.arq.acked.one", "frame %d acknowledged", first)
		if n > 1 {
			acked = layers.Tell("l2.arq.acked", "frames %d to %d acknowledged", first, a.add(first, n-1))
		}
		a.record(layers.Event{Dir: layers.Note}.Say("l2.arq.ack", "ACK %d received: %v; window now %v", h.Ack, acked, a.window()))
	}
	if a.timer != nil {
		a.timer.Stop()
		a.timer = nil
	}
	a.pump()
	if a.sent > 0 && a.timer == nil {
		// The timer now times the oldest frame still unacknowledged.
		a.timer = a.env.After(a.cfg.Timeout, a.onTimer)
	}
}

// window describes the sender's window: "frames 3 to 5 unacknowledged" or
// "empty, frame 6 next".
func (a *ARQ) window() layers.Phrase {
	switch a.sent {
	case 0:
		return layers.Tell("l2.arq.wnd.empty", "empty, frame %d next", a.next)
	case 1:
		return layers.Tell("l2.arq.wnd.one", "frame %d unacknowledged", a.base)
	}
	return layers.Tell("l2.arq.wnd", "frames %d to %d unacknowledged", a.base, a.add(a.base, a.sent-1))
}

// handleData delivers the expected frame and acknowledges it. A frame
// sent again after a lost ACK is a duplicate: discarded, and acknowledged
// again so that the sender moves on. In go-back-N a frame after a gap is
// discarded too: the receiver's window is one frame, and the sender will
// go back to the missing one.
func (a *ARQ) handleData(f Frame, h ARQFrame, m layers.Meta) {
	if h.Seq == a.expected {
		a.expected = a.add(a.expected, 1)
		a.stats.Delivered++
		a.ack(f.Src, m, "")
		a.up(Frame{Dst: f.Dst, Src: f.Src, Type: h.Type, Payload: h.Payload}, m)
		return
	}
	// A frame among the last Window delivered is a duplicate; any other
	// lies ahead of a missing one.
	if back := a.dist(h.Seq, a.expected); back >= 1 && back <= a.cfg.Window {
		a.stats.Duplicates++
		a.record(layers.Event{Dir: layers.Drop, Reason: layers.ReasonDuplicate, Cause: m.Cause}.Say("l2.arq.dup", "duplicate ARQ frame %d (already delivered; its ACK was lost or late): discarded, ACK %d sent again", h.Seq, a.expected))
		a.ack(f.Src, m, fmt.Sprintf("duplicate frame %d", h.Seq))
		return
	}
	a.stats.OutOfOrder++
	a.record(layers.Event{Dir: layers.Drop, Reason: layers.ReasonOutOfOrder, Cause: m.Cause}.Say("l2.arq.gap", "ARQ frame %d arrived but frame %d is missing: discarded (go-back-N keeps no frame after a gap), ACK %d sent again", h.Seq, a.expected, a.expected))
	a.ack(f.Src, m, fmt.Sprintf("frame %d missing", a.expected))
}

// ack sends an ACK for everything before the expected frame to dst.
func (a *ARQ) ack(dst MAC, m layers.Meta, cause string) {
	a.stats.AcksSent++
	h := ARQFrame{Kind: ARQAck, Mode: a.cfg.Mode, Ack: a.expected}
	a.obuf = h.Append(a.obuf[:0])
	a.out(Frame{Dst: dst, Src: a.mac, Type: EtherTypeARQ, Payload: a.obuf}, layers.Meta{Parents: parentIDs(m), Cause: cause})
}
