package layers

import (
	"fmt"
	"math/rand/v2"
	"time"
)

// Dir says what a trace event is: a PDU going down (encapsulation), up
// (decapsulation), forwarded by a relay, crossing a wire, dropped, or a state
// change, a timer or a plain note of a layer entity.
type Dir uint8

// The event kinds.
const (
	Down    Dir = iota + 1 // encapsulate: the layer builds its PDU from an SDU from above
	Up                     // decapsulate: the layer strips its header and hands the SDU up
	Forward                // a relay (switch, router, hub) passes a PDU on
	Wire                   // bits on a link: transmission or arrival
	Drop                   // a PDU is discarded; Reason says why
	State                  // a state machine changes state (TCP CLOSED -> SYN-SENT)
	Timeout                // a timer fires (RTO, TIME-WAIT, ARP retry)
	Note                   // anything else a layer wants the reader to know
)

var dirNames = [...]string{"", "down", "up", "forward", "wire", "drop", "state", "timer", "note"}

// String returns the JSON name of the direction ("down", "drop", ...).
func (d Dir) String() string {
	if int(d) < len(dirNames) && d != 0 {
		return dirNames[d]
	}
	return "unknown"
}

// Reason is the typed cause of a drop.
type Reason string

// Drop reasons. Every drop in a trace carries one of these.
const (
	ReasonNone       Reason = ""
	ReasonFCS        Reason = "fcs-mismatch"         // L2: the frame check sequence does not match
	ReasonLineCode   Reason = "line-code"            // L1: the signal violates the line code or has no SFD
	ReasonNotForMe   Reason = "not-for-me"           // L2/L3: addressed to another station
	ReasonFiltered   Reason = "filtered"             // L2: a switch filters a frame for the port it came in on
	ReasonMalformed  Reason = "malformed"            // any layer: the PDU does not parse
	ReasonChecksum   Reason = "bad-checksum"         // L3/L4: header or segment checksum mismatch
	ReasonTTL        Reason = "ttl-expired"          // L3: TTL reached zero at a router
	ReasonNoRoute    Reason = "no-route"             // L3: no route to the destination
	ReasonARPFailed  Reason = "arp-failed"           // L3: the next hop never answered ARP
	ReasonQueueFull  Reason = "queue-full"           // L3: a router's output queue is full (drop-tail)
	ReasonPortClosed Reason = "port-closed"          // L4: no listener on the port (answered with RST)
	ReasonUnaccepted Reason = "unacceptable"         // L4: segment fails RFC 9293's acceptability test
	ReasonDuplicate  Reason = "duplicate"            // L4: data already received
	ReasonNoConn     Reason = "no-connection"        // L4: segment for a connection that does not exist
	ReasonFaultRule  Reason = "fault-rule"           // a scenario's targeted fault rule
	ReasonLoss       Reason = "link-loss"            // random loss on a link
	ReasonLinkDown   Reason = "link-down"            // the link is in an outage
	ReasonNeedFrag   Reason = "fragmentation-needed" // L3: larger than the MTU with DF set
	ReasonReassembly Reason = "reassembly-timeout"   // L3: fragments never completed
	ReasonProtocol   Reason = "protocol-error"       // L5-L7: the peer broke the protocol
	ReasonOutOfOrder Reason = "out-of-order"         // L2: a go-back-N receiver discards a frame after a gap
	ReasonTLS        Reason = "tls-handshake"        // L6: the TLS handshake failed (certificate rejected, alert)
)

// Field is one header field of a PDU, in wire order.
type Field struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// PDU describes the protocol data unit an event is about.
type PDU struct {
	Kind      string   // "bits", "ethernet", "arp", "ipv4", "icmp", "tcp", "udp", "spdu", "ppdu", "pop3"
	ID        uint64   // simulator-only identity, never on the wire
	Parents   []uint64 // ids of the PDUs whose bytes this one carries
	Len       int      // total length in octets (header + payload)
	HeaderLen int      // header (and trailer) octets this layer added
	Summary   string   // one line, e.g. "TCP 49731 > 110 [SYN] seq=... win=65535"
	Fields    []Field  // header fields in wire order
	Bytes     []byte   // the PDU's octets; valid only during Recorder.Record
}

// Event is one entry of a trace.
type Event struct {
	Seq   uint64        // position in the trace, from 1
	Time  time.Duration // simulated time since the start of the run
	Node  string        // the node that acted
	Iface string        // the interface or port, if any
	Layer Layer
	Dir   Dir
	PDU   *PDU   // nil for state changes and notes
	Text  string // what happened, in plain English
	// Msg, when set, is the message id of Text ("l1.received"): Text is the
	// English template of that id formatted with Args, and a renderer in
	// another language formats its own template of Msg with the same Args
	// (set both with Say).
	Msg    string
	Args   []any
	Reason Reason // for Drop
	Cause  string // what caused it: a fault rule, a timer ("RTO"), "3 duplicate ACKs"
	Peer   string // for Wire events: the node at the other end of the link
	// Chapter, when set, starts a new chapter of the story with this title
	// (set by the application that drives the scenario).
	Chapter string
	// ChapterMsg and ChapterArgs are the message id and arguments of
	// Chapter, as Msg and Args are of Text (set them with Title).
	ChapterMsg  string
	ChapterArgs []any
	// Walk marks a chapter in which the story follows one exchange through
	// every layer of every node it crosses.
	Walk bool
}

// Say returns e with its message id msg and arguments args set and its
// Text the English template en formatted with args. The English template
// stays next to the code that records the event; the other languages'
// templates of msg live in the renderers' message catalog, with the same
// verbs in the same order.
func (e Event) Say(msg, en string, args ...any) Event {
	e.Msg, e.Args, e.Text = msg, args, fmt.Sprintf(en, args...)
	return e
}

// Title returns e starting a chapter: its ChapterMsg msg, ChapterArgs args
// and Chapter the English template en formatted with args (as Say does for
// Text).
func (e Event) Title(msg, en string, args ...any) Event {
	e.ChapterMsg, e.ChapterArgs, e.Chapter = msg, args, fmt.Sprintf(en, args...)
	return e
}

// Recorder receives trace events. An Event and what it points to are valid
// only during the call; a recorder that keeps them must copy.
type Recorder interface {
	Record(e *Event)
}

// Discard is a Recorder that throws every event away.
var Discard Recorder = discard{}

type discard struct{}

func (discard) Record(*Event) {}

// Meta is simulator-only metadata that travels with bytes across a layer
// boundary and is never serialized.
type Meta struct {
	ID      uint64   // the id of the PDU whose bytes are handed over (the parent of what the next layer builds)
	Parents []uint64 // ids of upper-layer PDUs carried
	Cause   string   // why this PDU exists (retransmission after RTO, fault rule ...)
}

// Timer is a scheduled callback that may be stopped.
type Timer interface {
	// Stop cancels the timer; it reports whether the timer was still pending.
	Stop() bool
}

// Env is what the simulator gives every layer entity of a node: the
// simulated clock, timers, the run's seeded randomness, PDU identities and
// the trace. Entities never use the wall clock, a global RNG or globals.
type Env interface {
	// Now is the simulated time since the start of the run.
	Now() time.Duration
	// After runs f after d of simulated time, unless stopped.
	After(d time.Duration, f func()) Timer
	// Rand is the run's one seeded random source.
	Rand() *rand.Rand
	// NewID returns a fresh PDU id.
	NewID() uint64
	// Record adds an event to the trace. Time and Node are filled in by Env.
	Record(e Event)
	// Tracing reports whether anything records events; when it is false an
	// entity may skip building descriptions.
	Tracing() bool
}
