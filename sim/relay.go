package sim

import (
	"strconv"
	"strings"
	"time"

	"github.com/osisim/osisim/layers"
	"github.com/osisim/osisim/layers/datalink"
	"github.com/osisim/osisim/layers/physical"
)

// Switch is a layer-2 relay (a multiport bridge): it checks each frame's FCS,
// learns source MAC addresses and forwards or floods by destination.
type Switch struct {
	sim   *Sim
	name  string
	ports []*Port
	br    *datalink.Switch
}

// AddSwitch adds a switch with n ports named "1" to "n".
func (s *Sim) AddSwitch(name string, n int, ageing time.Duration) *Switch {
	sw := &Switch{sim: s, name: name}
	sw.ports = numberedPorts(sw, n)
	sw.br = datalink.NewSwitch(nodeEnv{s, name}, n, ageing)
	return sw
}

func numberedPorts(d Device, n int) []*Port {
	ports := make([]*Port, n)
	for i := range ports {
		ports[i] = &Port{Device: d, Name: strconv.Itoa(i + 1), Index: i}
	}
	return ports
}

// Name returns the switch's name.
func (sw *Switch) Name() string { return sw.name }

// Ports returns ports 1..n.
func (sw *Switch) Ports() []*Port { return sw.ports }

// Bridge returns the switch's MAC learning entity (for its table).
func (sw *Switch) Bridge() *datalink.Switch { return sw.br }

func (sw *Switch) receive(p *Port, sig physical.Signal, m layers.Meta) {
	frame, ok := decodeSignal(sw.sim, sw.name, p, sig, m)
	if !ok {
		return
	}
	f, ok := parseFrame(sw.sim, sw.name, p, frame, m)
	if !ok {
		return
	}
	d := sw.br.Forward(p.Index+1, f)
	if d.Filtered || len(d.Out) == 0 {
		return
	}
	if sw.sim.tracing {
		pdu := describeFrame(frame)
		pdu.ID = m.ID
		e := layers.Event{Node: sw.name, Iface: p.Name, Layer: layers.DataLink, Dir: layers.Forward,
			PDU: pdu, Cause: m.Cause}
		if d.Flooded {
			e = e.Say("l2.switch.flooded", "%s: FCS checked, flooded to port %s", pdu.Summary, portList(d.Out))
		} else {
			e = e.Say("l2.switch.forwarded", "%s: FCS checked, forwarded to port %s", pdu.Summary, portList(d.Out))
		}
		sw.sim.Record(&e)
	}
	for _, out := range d.Out {
		op := sw.ports[out-1]
		if op.Link != nil {
			op.Link.transmit(op, frame, m)
		}
	}
}

// portList prints 2, 3 as "2, 3".
func portList(ports []int) string {
	s := make([]string, len(ports))
	for i, p := range ports {
		s[i] = strconv.Itoa(p)
	}
	return strings.Join(s, ", ")
}

// Hub is a layer-1 relay (a multiport repeater): it regenerates the bits
// arriving on one port onto every other port, without looking at them. All
// its ports form one collision domain.
type Hub struct {
	sim   *Sim
	name  string
	ports []*Port
	rep   *physical.Hub
}

// AddHub adds a hub with n ports named "1" to "n".
func (s *Sim) AddHub(name string, n int) *Hub {
	h := &Hub{sim: s, name: name, rep: physical.NewHub(n)}
	h.ports = numberedPorts(h, n)
	return h
}

// Name returns the hub's name.
func (h *Hub) Name() string { return h.name }

// Ports returns ports 1..n.
func (h *Hub) Ports() []*Port { return h.ports }

func (h *Hub) receive(p *Port, sig physical.Signal, m layers.Meta) {
	frame, ok := decodeSignal(h.sim, h.name, p, sig, m)
	if !ok {
		return
	}
	out := h.rep.Repeat(p.Index + 1)
	e := layers.Event{Node: h.name, Iface: p.Name, Layer: layers.Physical, Dir: layers.Forward,
		Cause: m.Cause}.Say("l1.hub", "repeated %d bits to port %s (a hub does not read addresses)", sig.Bits(), portList(out))
	h.sim.Record(&e)
	for _, o := range out {
		op := h.ports[o-1]
		if op.Link != nil {
			op.Link.transmit(op, frame, m)
		}
	}
}
