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

	dirs    [2]*linkDir // faults, fault rules and queue figures of each direction, if any (faults.go)
	waiting [2]int      // frames waiting for each direction's transmitter
	arq     [2]*arqEnd  // the ARQ sublayer at each end, if the link has one (arq.go)

	// What is reused frame after frame, so that a long transfer allocates
	// next to nothing per frame.
	bits []byte      // the bit stream being line-coded (the code copies it)
	pool []*inflight // frames that have arrived, with their symbol buffers
	rx   []byte      // the bits a receiver decodes; receivers only read them during the call
}

// inflight is one frame crossing a link direction: its signal and
// metadata from the moment it is queued for the transmitter until it has
// arrived (or was lost). Finished ones are kept for reuse, with their
// symbol buffer and the bound functions the event queue calls.
type inflight struct {
	l        *Link
	from, to *Port
	fd       *linkDir
	sig      physical.Signal
	m        layers.Meta
	captured []byte
	class    frameClass
	dur      time.Duration
	queued   bool
	send     func() // f.start, bound once
	arrive   func() // f.deliver, bound once
}

func (l *Link) newInflight() *inflight {
	if n := len(l.pool); n > 0 {
		f := l.pool[n-1]
		l.pool = l.pool[:n-1]
		return f
	}
	f := &inflight{l: l}
	f.send, f.arrive = f.start, f.deliver
	return f
}

// done returns f to the pool: nothing refers to its signal any more.
func (f *inflight) done() {
	f.m, f.captured, f.fd = layers.Meta{}, nil, nil
	f.l.pool = append(f.l.pool, f)
}

// decode turns an arriving signal back into bits in the link's receive
// buffer. Every receiver (network.Stack.HandleFrame, the switch and the
// hub, which copy into a new signal) only reads the bits during its
// receive call, before the next signal can arrive.
func (l *Link) decode(sig physical.Signal) (physical.Bits, error) {
	bits, err := sig.DecodeInto(l.rx)
	if err == nil {
		l.rx = bits.Octets()
	}
	return bits, err
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
// bytes are copied. When the frame starts on the wire, the direction's
// faults and fault rules decide its fate (faults.go): a lost frame is still
// transmitted, then dropped in the medium. On a link with ARQ the frame
// goes to the sending end's ARQ sublayer first.
func (l *Link) transmit(from *Port, frame []byte, m layers.Meta) {
	if a := l.arq[from.side]; a != nil {
		a.down(frame, m) // the ARQ sublayer numbers the frame and sends it when its window allows (arq.go)
		return
	}
	l.send(from, frame, m)
}

// send is transmit below the ARQ sublayer, if the link has one.
func (l *Link) send(from *Port, frame []byte, m layers.Meta) {
	dir := from.side
	f := l.newInflight()
	f.from, f.to, f.m, f.fd = from, l.ends[1-dir], m, l.dirs[dir]
	bits := physical.EncodeInto(l.bits, frame)
	l.bits = bits.Octets()
	f.sig = l.Code.EncodeInto(f.sig.Packed(), bits)
	if l.sim.capture != nil {
		f.captured = append([]byte(nil), frame...)
	}
	if fd := f.fd; fd != nil && (len(fd.rules) > 0 || len(fd.watch) > 0 || l.sim.tracing) {
		f.class = classifyFrame(frame)
	} else if f.fd != nil {
		f.class = frameClass{}
	}
	start := max(l.sim.now, l.freeAt[dir])
	f.dur = physical.SerializationTime(f.sig.Bits(), l.BitRate)
	l.freeAt[dir] = start + f.dur
	l.frames[dir]++
	f.queued = start > l.sim.now
	if !f.queued {
		f.start()
		return
	}
	l.waiting[dir]++
	if f.fd != nil && l.waiting[dir] > f.fd.stats.MaxWaiting {
		f.fd.stats.MaxWaiting = l.waiting[dir]
	}
	l.sim.At(start, f.send)
}

// start puts the frame on the wire: the direction's faults and rules
// decide its fate, the capture and the trace see it, and it propagates.
func (f *inflight) start() {
	l, from, to, m := f.l, f.from, f.to, f.m
	if f.queued {
		l.waiting[from.side]--
	}
	var v verdict
	if f.fd != nil {
		v = f.fd.decide(f.sig, &f.class, to)
	}
	if f.captured != nil {
		l.sim.capture.Frame(l, from, f.captured, m, v.capture)
	}
	if l.sim.tracing {
		pdu := describeSignal(f.sig, l.BitRate)
		pdu.ID = l.sim.NewID()
		pdu.Parents = []uint64{m.ID}
		ev := layers.Event{
			Node: from.Device.Name(), Iface: from.Name, Layer: layers.Physical, Dir: layers.Wire,
			PDU: pdu, Peer: to.Device.Name(), Cause: v.cause,
		}.Say("l1.transmit", "transmit to %s: %s", to.Label(), summaryOf(pdu))
		l.sim.Record(&ev)
		for i, note := range v.notes {
			e := layers.Event{Node: from.Device.Name(), Iface: from.Name, Layer: layers.Physical, Dir: layers.Note,
				Peer: to.Device.Name(), Cause: v.cause}.SayPhrase(note)
			if v.drop && i == len(v.notes)-1 {
				e.Dir, e.Reason = layers.Drop, v.reason
			}
			l.sim.Record(&e)
		}
	} else if v.drop {
		l.sim.Record(&layers.Event{Node: from.Device.Name(), Iface: from.Name, Layer: layers.Physical, Dir: layers.Drop,
			Peer: to.Device.Name(), Reason: v.reason, Cause: v.cause})
	}
	if v.drop {
		f.done()
		return
	}
	if v.dup {
		// The copy follows the original as closely as the line allows,
		// with the same bits (and the same errors, if any).
		d := l.newInflight()
		d.from, d.to, d.m, d.dur = from, to, m, f.dur
		d.m.Cause = v.dupBy
		d.sig, _ = physical.NewSignal(l.Code, append(d.sig.Packed()[:0], f.sig.Packed()...), f.sig.Symbols())
		if f.captured != nil {
			l.sim.capture.Frame(l, from, f.captured, m, "duplicate copy: "+v.dupBy)
		}
		l.sim.After(2*f.dur+l.Delay, d.arrive)
	}
	if v.cause != "" {
		f.m.Cause = v.cause
	}
	l.sim.After(f.dur+l.Delay+v.extra, f.arrive)
}

// deliver hands the signal to the receiving port.
func (f *inflight) deliver() {
	if a := f.l.arq[f.to.side]; a != nil {
		a.receive(f.sig, f.m) // through the ARQ sublayer to the network layer (arq.go)
	} else {
		f.to.Device.receive(f.to, f.sig, f.m)
	}
	f.done()
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
