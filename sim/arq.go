package sim

import (
	"errors"
	"fmt"

	"github.com/osisim/osisim/layers"
	"github.com/osisim/osisim/layers/datalink"
	"github.com/osisim/osisim/layers/physical"
)

// A link with ARQ has a datalink.ARQ at each end, between the NIC's
// framing and the line: a frame the network layer hands down waits in the
// sending end's ARQ sublayer for room in the window, goes on the line as an
// ARQ DATA frame (EtherType 0x88b5), and is resent when no ACK comes back
// in time; an arriving frame whose FCS is correct goes to the receiving
// end's ARQ sublayer, which acknowledges it, discards duplicates and hands
// the payloads up in order. The network layer on either side sees an
// ordinary link that neither loses nor duplicates.

// arqEnd is the ARQ sublayer at one end of a link.
type arqEnd struct {
	link *Link
	port *Port
	node *ipNode
	arq  *datalink.ARQ
	buf  []byte // the frame being sent; the link copies it
}

// ARQEndStats is what the ARQ sublayer at one end of a link did.
type ARQEndStats struct {
	Link   string // "client.eth0 - server.eth0"
	Port   string // the end: "server.eth0"
	Config datalink.ARQConfig
	datalink.ARQStats
	Down bool // the sender gave up and declared the link down
}

// ipNodeOf returns the hosts' and routers' shared NIC and IP part of d.
func ipNodeOf(d Device) *ipNode {
	switch d := d.(type) {
	case *Host:
		return d.ipNode
	case *Router:
		return d.ipNode
	}
	return nil
}

// SetARQ puts an ARQ sublayer with configuration cfg at both ends of l. Both
// ends must be interfaces of hosts or routers (a point-to-point link; a
// switch or hub in between would forward the ARQ frames of several
// stations), with an MTU of at most datalink.ARQMaxPayload so that a
// datagram and the ARQ header fit in an Ethernet frame.
func (l *Link) SetARQ(cfg datalink.ARQConfig) error {
	if err := cfg.Validate(); err != nil {
		return fmt.Errorf("sim: link %s: %w", l.Name(), err)
	}
	var nodes [2]*ipNode
	for side, p := range l.ends {
		n := ipNodeOf(p.Device)
		if n == nil {
			return fmt.Errorf("sim: link %s: ARQ runs between the NICs of hosts and routers, %s is not one", l.Name(), p.Label())
		}
		if mtu := n.ip.Interfaces()[p.Index].MTU; mtu > datalink.ARQMaxPayload {
			return fmt.Errorf("sim: link %s: %s has an MTU of %d; with the %d-octet ARQ header it may be at most %d",
				l.Name(), p.Label(), mtu, datalink.ARQHeaderLen, datalink.ARQMaxPayload)
		}
		if l.arq[side] != nil {
			return fmt.Errorf("sim: link %s already has ARQ", l.Name())
		}
		nodes[side] = n
	}
	for side, p := range l.ends {
		n := nodes[side]
		e := &arqEnd{link: l, port: p, node: n}
		a, err := datalink.NewARQ(n.env, p.Name, n.macs[p.Index], cfg, e.send, e.deliver)
		if err != nil {
			return fmt.Errorf("sim: link %s: %w", l.Name(), err)
		}
		e.arq = a
		l.arq[side] = e
	}
	return nil
}

// ARQ returns the ARQ sublayer at port p's end of the link, or nil.
func (l *Link) ARQ(p *Port) *datalink.ARQ {
	if p.Link != l || l.arq[p.side] == nil {
		return nil
	}
	return l.arq[p.side].arq
}

// ARQStats returns what the ARQ sublayers did, in link order, end a before
// end b.
func (s *Sim) ARQStats() []ARQEndStats {
	var out []ARQEndStats
	for _, l := range s.links {
		for _, e := range l.arq {
			if e == nil {
				continue
			}
			out = append(out, ARQEndStats{Link: l.Name(), Port: e.port.Label(), Config: e.arq.Config(),
				ARQStats: e.arq.Stats(), Down: e.arq.Down()})
		}
	}
	return out
}

// record stamps the end's node and interface on e and adds it to the trace.
func (e *arqEnd) record(ev layers.Event) {
	ev.Node, ev.Iface = e.node.name, e.port.Name
	e.node.sim.Record(&ev)
}

// down takes a frame the NIC built (header through FCS) and hands it to
// the ARQ sender.
func (e *arqEnd) down(frame []byte, m layers.Meta) {
	f, err := datalink.Parse(frame)
	if err != nil { // not reached: the NIC built the frame
		e.record(layers.Event{Layer: layers.DataLink, Dir: layers.Drop, Reason: layers.ReasonMalformed, Cause: m.Cause, Text: err.Error()})
		return
	}
	if len(f.Payload) > datalink.ARQMaxPayload {
		e.record(layers.Event{Layer: layers.DataLink, Dir: layers.Drop, Reason: layers.ReasonMalformed, Cause: m.Cause}.Say("l2.arq.toobig",
			"%s payload of %d B and the %d-octet ARQ header exceed Ethernet's %d B: the interface's MTU must be at most %d",
			f.Type, len(f.Payload), datalink.ARQHeaderLen, datalink.MaxPayload, datalink.ARQMaxPayload))
		return
	}
	e.arq.Send(f, m)
}

// send is the ARQ sublayer's way to the line: it builds the frame, records
// it and puts it on the link.
func (e *arqEnd) send(f datalink.Frame, m layers.Meta) {
	e.buf = f.Append(e.buf[:0])
	l2 := layers.Meta{Cause: m.Cause}
	s := e.node.sim
	if s.tracing {
		l2.ID = s.NewID()
		l2.Parents = m.Parents
		pdu, h := describeARQFrame(e.buf)
		pdu.ID, pdu.Parents = l2.ID, l2.Parents
		ev := layers.Event{Layer: layers.DataLink, Dir: layers.Down, PDU: pdu, Cause: m.Cause}
		switch {
		case h.Kind == datalink.ARQAck:
			prev := (int(h.Ack) + h.Mode.Modulus() - 1) % h.Mode.Modulus()
			ev = ev.Say("l2.arq.ack.down", "ARQ ACK %d: frames up to %d arrived, frame %d expected next", h.Ack, prev, h.Ack)
			if h.Mode == datalink.StopAndWait {
				ev = ev.Say("l2.arq.ack.down.one", "ARQ ACK %d: frame %d arrived, frame %d expected next", h.Ack, prev, h.Ack)
			}
		case m.Cause == datalink.ARQRetransmitCause:
			ev = ev.Say("l2.arq.data.again", "ARQ retransmits DATA frame %d (%s %d B)", h.Seq, h.Type, len(h.Payload))
		default:
			ev = ev.Say("l2.arq.data", "ARQ DATA frame %d: the %s payload (%d B) behind a %d-octet ARQ header, type 0x88b5",
				h.Seq, h.Type, len(h.Payload), datalink.ARQHeaderLen)
		}
		e.record(ev)
	}
	e.link.send(e.port, e.buf, l2)
}

// receive is the receiving end of a link with ARQ: the physical layer
// decodes the signal, the NIC checks the FCS and the address, and the ARQ
// sublayer takes the frame.
func (e *arqEnd) receive(sig physical.Signal, m layers.Meta) {
	p, n := e.port, e.node
	frame, ok := decodeSignal(n.sim, n.name, p, sig, m)
	if !ok {
		return
	}
	f, err := datalink.Parse(frame)
	if err != nil {
		ev := layers.Event{Layer: layers.DataLink, Dir: layers.Drop, Reason: layers.ReasonMalformed, Cause: m.Cause, Text: err.Error()}
		if errors.Is(err, datalink.ErrFCS) {
			// The damaged frame is not acknowledged: its sender's ARQ
			// timer will expire and it will be sent again.
			ev.Reason = layers.ReasonFCS
			ev = ev.Say("l2.arq.fcs", "%v: no ARQ acknowledgement goes back, the sender's timer will resend it", err)
		}
		e.record(ev)
		return
	}
	mac := n.macs[p.Index]
	if !f.IsFor(mac) {
		e.record(layers.Event{Layer: layers.DataLink, Dir: layers.Drop, Reason: layers.ReasonNotForMe}.Say("l2.arq.notforme",
			"frame for %s is not for this NIC (%s): ignored", f.Dst, mac))
		return
	}
	if f.Type != datalink.EtherTypeARQ {
		e.record(layers.Event{Layer: layers.DataLink, Dir: layers.Drop, Reason: layers.ReasonMalformed, Cause: m.Cause}.Say("l2.arq.noheader",
			"%s frame without an ARQ header on a link with ARQ: discarded", f.Type))
		return
	}
	if n.sim.tracing {
		pdu, h := describeARQFrame(frame)
		pdu.ID = m.ID
		ev := layers.Event{Layer: layers.DataLink, Dir: layers.Up, PDU: pdu}.Say("l2.arq.up.other", "FCS ok, for this NIC: %s", pdu.Summary)
		if h.Kind == datalink.ARQAck || h.Kind == datalink.ARQData {
			ev = ev.Say("l2.arq.up", "FCS ok, for this NIC: %s, to the ARQ sublayer", h.Summary())
		}
		e.record(ev)
	}
	e.arq.Receive(f, layers.Meta{ID: m.ID, Cause: m.Cause})
}

// deliver hands a payload the ARQ receiver accepted, in order, to the
// network layer.
func (e *arqEnd) deliver(f datalink.Frame, m layers.Meta) {
	e.node.ip.HandleFrame(e.port.Index, f.Src, f.Type, f.Payload, m)
}

// describeARQFrame describes an ARQ frame (header through FCS) for the
// trace: the Ethernet fields with the ARQ header's fields after the type.
func describeARQFrame(b []byte) (*layers.PDU, datalink.ARQFrame) {
	p := describeFrame(b)
	f, err := datalink.Parse(b)
	if err != nil {
		return p, datalink.ARQFrame{}
	}
	h, err := datalink.ParseARQ(f.Payload)
	if err != nil {
		p.Summary += ", undecodable ARQ header: " + err.Error()
		return p, h
	}
	p.Summary = fmt.Sprintf("%s > %s %s, %d B + FCS %d B", f.Src, f.Dst, h.Summary(), f.Len()-datalink.FCSLen, datalink.FCSLen)
	p.HeaderLen += datalink.ARQHeaderLen
	if h.Kind == datalink.ARQAck {
		p.HeaderLen = p.Len // an ACK carries nothing but its header and padding
	}
	fs := make([]layers.Field, 0, len(p.Fields)+5)
	for _, fd := range p.Fields {
		if fd.Name == "Type" {
			fd.Value = "0x88b5 (ARQ: IEEE 802 Local Experimental Ethertype 1)"
			fs = append(fs, fd)
			fs = append(fs, h.Fields()...)
			continue
		}
		fs = append(fs, fd)
	}
	p.Fields = fs
	return p, h
}
