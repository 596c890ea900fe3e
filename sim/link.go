package sim

import (
	"fmt"
	"time"

	"github.com/osisim/osisim/layers"
	"github.com/osisim/osisim/layers/physical"
)

// Device is anything with ports that a link can plug into: a host, a switch,
// a hub or a router.
type Device interface {
	Name() string
	// Ports returns the device's ports in a fixed order.
	Ports() []*Port
	// receive is called when a signal has fully arrived on port p.
	receive(p *Port, sig physical.Signal, m layers.Meta)
}

// Port is one interface of a device: a NIC of a host or router, a port of a
// switch or hub.
type Port struct {
	Device Device
	Name   string // "eth0" on hosts and routers, "1", "2" ... on switches and hubs
	Index  int    // position in the device's port list, from 0
	Link   *Link
	side   int // which end of Link this port is
}

// Label returns "node.port".
func (p *Port) Label() string { return p.Device.Name() + "." + p.Name }

// Peer returns the port at the other end of the link, or nil.
func (p *Port) Peer() *Port {
	if p.Link == nil {
		return nil
	}
	return p.Link.ends[1-p.side]
}

// LinkConfig describes a point-to-point link.
type LinkConfig struct {
	BitRate int64         // bits per second
	Delay   time.Duration // propagation delay
	Code    physical.LineCode
}

// Link is a full-duplex point-to-point medium between two ports. Each
// direction has its own transmitter: a frame occupies the direction for its
// serialization time (preamble and SFD included), then propagates for Delay.
type Link struct {
	LinkConfig
	sim    *Sim
	ends   [2]*Port
	freeAt [2]time.Duration // when each direction's transmitter is idle again
	frames [2]uint64        // frames sent in each direction
}

// Connect joins two ports with a new link.
func (s *Sim) Connect(a, b *Port, cfg LinkConfig) (*Link, error) {
	if a.Link != nil {
		return nil, fmt.Errorf("sim: port %s is already connected", a.Label())
	}
	if b.Link != nil {
		return nil, fmt.Errorf("sim: port %s is already connected", b.Label())
	}
	if cfg.BitRate <= 0 {
		return nil, fmt.Errorf("sim: link %s - %s: bit rate must be positive", a.Label(), b.Label())
	}
	l := &Link{LinkConfig: cfg, sim: s, ends: [2]*Port{a, b}}
	a.Link, a.side = l, 0
	b.Link, b.side = l, 1
	s.links = append(s.links, l)
	return l, nil
}

// Name returns "a.eth0 - b.1".
func (l *Link) Name() string { return l.ends[0].Label() + " - " + l.ends[1].Label() }

// Ends returns the two ports.
func (l *Link) Ends() (a, b *Port) { return l.ends[0], l.ends[1] }

// Frames returns how many frames were sent from end a to b and from b to a.
func (l *Link) Frames() (ab, ba uint64) { return l.frames[0], l.frames[1] }

// transmit line-codes frame (header through FCS) and sends it from port
// from. If the transmitter is busy the frame waits its turn (FIFO). The frame
// bytes are copied.
func (l *Link) transmit(from *Port, frame []byte, m layers.Meta) {
	dir := from.side
	to := l.ends[1-dir]
	sig := l.Code.Encode(physical.Encode(frame))
	var captured []byte
	if l.sim.capture != nil {
		captured = append([]byte(nil), frame...)
	}
	start := max(l.sim.now, l.freeAt[dir])
	dur := physical.SerializationTime(sig.Bits(), l.BitRate)
	l.freeAt[dir] = start + dur
	l.frames[dir]++
	send := func() {
		if captured != nil {
			l.sim.capture.Frame(l, from, captured, m, "")
		}
		if l.sim.tracing {
			pdu := describeSignal(sig, l.BitRate)
			pdu.ID = l.sim.NewID()
			pdu.Parents = []uint64{m.ID}
			l.sim.Record(&layers.Event{
				Node: from.Device.Name(), Iface: from.Name, Layer: layers.Physical, Dir: layers.Wire,
				PDU: pdu, Peer: to.Device.Name(),
				Text: fmt.Sprintf("transmit to %s: %s", to.Label(), pdu.Summary),
			})
		}
		l.sim.After(dur+l.Delay, func() { to.Device.receive(to, sig, m) })
	}
	if start == l.sim.now {
		send()
	} else {
		l.sim.At(start, send)
	}
}

// Capture receives every frame put on a link, for capture files.
type Capture interface {
	// Frame is called when a frame starts on link l from port from (at the
	// simulation's current time). frame is the frame from the destination
	// address through the FCS; m its metadata; note what happened to it on
	// the link ("" if nothing: a drop or a fault rule otherwise).
	Frame(l *Link, from *Port, frame []byte, m layers.Meta, note string)
}

// SetCapture sends every frame to c from now on (nil stops).
func (s *Sim) SetCapture(c Capture) { s.capture = c }

// Links returns the links in the order they were connected.
func (s *Sim) Links() []*Link { return s.links }

// Index returns the link's position in Links().
func (l *Link) Index() int {
	for i, k := range l.sim.links {
		if k == l {
			return i
		}
	}
	return -1
}
