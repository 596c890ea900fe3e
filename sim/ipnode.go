package sim

import (
	"errors"
	"fmt"
	"net/netip"

	"github.com/osisim/osisim/layers"
	"github.com/osisim/osisim/layers/datalink"
	"github.com/osisim/osisim/layers/network"
	"github.com/osisim/osisim/layers/physical"
)

// ipNode is what hosts and routers share: NICs (layers 1 and 2) under one IP
// layer (layer 3). It implements network.Link, recording the boundary events
// between L3, L2 and L1 on the way down, and decodes arriving signals and
// frames on the way up.
type ipNode struct {
	sim    *Sim
	env    nodeEnv
	name   string
	ports  []*Port
	macs   []datalink.MAC
	addrs  []netip.Addr
	ip     *network.Stack
	router bool
	buf    []byte // frame under construction; links copy what they send

	queues []int         // output queue bound per interface, 0 unbounded (queue.go)
	quench bool          // a router sends source quench when its queue drops (queue.go)
	segs   segmentCounts // TCP segments the host sent (causes.go)
	acks   []sentAck     // the last ACK sent per connection, while faults are traced (causes.go)
}

func (n *ipNode) Name() string       { return n.name }
func (n *ipNode) Ports() []*Port     { return n.ports }
func (n *ipNode) IP() *network.Stack { return n.ip }

// record stamps the node's name on e and adds it to the trace.
func (n *ipNode) record(e layers.Event) {
	e.Node = n.name
	n.sim.Record(&e)
}

// parents returns the parent ids for a PDU built from bytes that came with m.
func parents(m layers.Meta) []uint64 {
	if m.ID != 0 {
		return []uint64{m.ID}
	}
	return m.Parents
}

// SendFrame implements network.Link: the IP layer hands a datagram (or an
// ARP packet) to the data link layer of interface iface.
func (n *ipNode) SendFrame(iface int, dst datalink.MAC, t datalink.EtherType, payload []byte, m layers.Meta) {
	if iface < 0 || iface >= len(n.ports) {
		return
	}
	port := n.ports[iface]
	if n.queueFull(iface, t, payload, m) {
		return
	}
	l3 := m
	if n.sim.tracing {
		l3.ID = n.sim.NewID()
		l3.Parents = parents(m)
		pdu := describeL3(t, payload)
		pdu.ID, pdu.Parents = l3.ID, l3.Parents
		dir := layers.Down
		if n.router && n.forwarded(t, payload) {
			dir = layers.Forward
		}
		n.record(layers.Event{Iface: port.Name, Layer: layers.Network, Dir: dir, PDU: pdu, Cause: m.Cause,
			Text: pdu.Summary})
	}
	f := datalink.Frame{Dst: dst, Src: n.macs[iface], Type: t, Payload: payload}
	n.buf = f.Append(n.buf[:0])
	l2 := layers.Meta{Cause: m.Cause}
	if n.sim.tracing {
		l2.ID = n.sim.NewID()
		l2.Parents = []uint64{l3.ID}
		pdu := describeFrame(n.buf)
		pdu.ID, pdu.Parents = l2.ID, l2.Parents
		n.record(layers.Event{Iface: port.Name, Layer: layers.DataLink, Dir: layers.Down, PDU: pdu, Cause: m.Cause,
			Text: pdu.Summary})
	}
	if port.Link == nil {
		n.record(layers.Event{Iface: port.Name, Layer: layers.Physical, Dir: layers.Drop,
			Reason: layers.ReasonLinkDown}.Say("l1.nocable", "no cable on %s: frame lost", port.Name))
		return
	}
	port.Link.transmit(port, n.buf, l2)
}

// forwarded reports whether a datagram leaving a router came from elsewhere
// (forwarded) rather than from the router itself (an ICMP error, say).
func (n *ipNode) forwarded(t datalink.EtherType, payload []byte) bool {
	if t != datalink.EtherTypeIPv4 {
		return false
	}
	d, err := network.Parse(payload)
	if err != nil {
		return false
	}
	for _, a := range n.addrs {
		if a == d.Src {
			return false
		}
	}
	return true
}

// receive decodes the signal (L1), checks and filters the frame (L2) and
// hands its payload to the IP layer.
func (n *ipNode) receive(p *Port, sig physical.Signal, m layers.Meta) {
	frame, ok := decodeSignal(n.sim, n.name, p, sig, m)
	if !ok {
		return
	}
	f, ok := parseFrame(n.sim, n.name, p, frame, m)
	if !ok {
		return
	}
	if !f.IsFor(n.macs[p.Index]) {
		n.record(layers.Event{Iface: p.Name, Layer: layers.DataLink, Dir: layers.Drop, Reason: layers.ReasonNotForMe}.Say("l2.notforme", "frame for %s is not for this NIC (%s): ignored", f.Dst, n.macs[p.Index]))
		return
	}
	up := layers.Meta{ID: m.ID, Cause: m.Cause}
	if n.sim.tracing {
		pdu := describeFrame(frame)
		pdu.ID = m.ID
		n.record(layers.Event{Iface: p.Name, Layer: layers.DataLink, Dir: layers.Up, PDU: pdu}.Say(
			"l2.up", "FCS ok, for this NIC: %s payload %d B to the network layer", f.Type, len(f.Payload)))
	}
	n.ip.HandleFrame(p.Index, f.Src, f.Type, f.Payload, up)
}

// decodeSignal is the receiving physical layer shared by every device: it
// turns the line-coded signal back into bits and checks preamble and SFD.
func decodeSignal(s *Sim, node string, p *Port, sig physical.Signal, m layers.Meta) ([]byte, bool) {
	bits, err := p.Link.decode(sig) // reuses the link's buffer (link.go)
	if err == nil {
		var frame []byte
		frame, err = bits.Frame()
		if err == nil {
			if s.tracing {
				e := layers.Event{Node: node, Iface: p.Name, Layer: layers.Physical, Dir: layers.Up,
					PDU: &layers.PDU{Kind: "bits", ID: m.ID, Len: len(bits.Octets()), HeaderLen: 8,
						Summary: fmt.Sprintf("%d symbols, %s", sig.Symbols(), sig.Code())}}.Say(
					"l1.up", "received %d symbols (%s): preamble and SFD found, %d B frame to the data link layer",
					sig.Symbols(), sig.Code(), len(frame))
				s.Record(&e)
			}
			return frame, true
		}
	}
	s.Record(&layers.Event{Node: node, Iface: p.Name, Layer: layers.Physical, Dir: layers.Drop,
		Reason: layers.ReasonLineCode, Cause: m.Cause, Text: err.Error()})
	return nil, false
}

// parseFrame is the receiving data link layer's check shared by every
// device that reads frames: a frame that does not parse or whose FCS does
// not match is dropped with its reason.
func parseFrame(s *Sim, node string, p *Port, frame []byte, m layers.Meta) (datalink.Frame, bool) {
	f, err := datalink.Parse(frame)
	if err == nil {
		return f, true
	}
	reason := layers.ReasonMalformed
	if errors.Is(err, datalink.ErrFCS) {
		reason = layers.ReasonFCS
	}
	e := layers.Event{Node: node, Iface: p.Name, Layer: layers.DataLink, Dir: layers.Drop,
		Reason: reason, Cause: m.Cause}.Say("l2.bad", "%v", err)
	s.Record(&e)
	return f, false
}
