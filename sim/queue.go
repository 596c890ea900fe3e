package sim

import (
	"fmt"

	"github.com/osisim/osisim/layers"
	"github.com/osisim/osisim/layers/datalink"
	"github.com/osisim/osisim/layers/physical"
)

// Every interface of a host or router has one transmitter per link
// direction: a frame waits for it while the frames before it are being
// serialized. By default the wait is unbounded. SetQueue bounds it, as a
// router's output queue is (RFC 1812 5.3.6): once the given number of
// frames wait, the next datagram routed to the interface is dropped on
// arrival ("drop-tail"), the simplest of the disciplines RFC 7567 discusses.
// Where the outgoing link is slower than the traffic arriving for it, that
// is where congestion drops happen.

// SetQueue bounds the output queue of interface iface to packets frames
// waiting for the transmitter (the frame being sent not counted); 0 means
// unbounded.
func (n *ipNode) SetQueue(iface string, packets int) error {
	if packets < 0 {
		return fmt.Errorf("sim: %s: queue size %d is negative", n.name, packets)
	}
	for i, p := range n.ports {
		if p.Name == iface {
			if n.queues == nil {
				n.queues = make([]int, len(n.ports))
			}
			n.queues[i] = packets
			if packets > 0 && p.Link != nil {
				p.Link.dir(p.side) // its drops and longest wait show in Stats
			}
			return nil
		}
	}
	return fmt.Errorf("sim: %s has no interface %q", n.name, iface)
}

// Queue returns the bound of interface iface's output queue (0:
// unbounded).
func (n *ipNode) Queue(iface string) int {
	for i, p := range n.ports {
		if p.Name == iface && n.queues != nil {
			return n.queues[i]
		}
	}
	return 0
}

// SetSourceQuench makes the router answer a datagram it drops for a full
// output queue with an ICMP source quench to its source (RFC 792; RFC 1812
// 4.3.3.3 already said a router should not send them, and RFC 6633
// deprecates them: it is here for the congestion lesson).
func (r *Router) SetSourceQuench(on bool) { r.quench = on }

// queueFull reports whether the output queue of port is full, and if so
// drops the datagram (or ARP packet) payload of type t with a trace event
// and, on a router with source quench on, has the IP layer send one.
func (n *ipNode) queueFull(iface int, t datalink.EtherType, payload []byte, m layers.Meta) bool {
	if n.queues == nil || n.queues[iface] == 0 {
		return false
	}
	port := n.ports[iface]
	l := port.Link
	if l == nil || l.waiting[port.side] < n.queues[iface] {
		return false
	}
	limit := n.queues[iface]
	d := l.dir(port.side)
	d.stats.QueueDrops++
	label := "queue of " + port.Label() + " full"
	e := layers.Event{Iface: port.Name, Layer: layers.Network, Dir: layers.Drop, Reason: layers.ReasonQueueFull, Cause: m.Cause}.Say(
		"l3.queue.full", "output queue of %s full (%s waiting for the %s transmitter): datagram dropped (drop-tail)",
		port.Name, count(limit, "packet"), physical.FormatRate(l.BitRate))
	if n.sim.tracing {
		pdu := describeL3(t, payload)
		pdu.Parents = parents(m)
		e.PDU = pdu
		c := classifyL3(t, payload)
		d.remember(&c, label)
	}
	n.record(e)
	if !n.quench || t != datalink.EtherTypeIPv4 {
		return true
	}
	// The IP layer is in the middle of sending: it is called back once
	// this send is over (network.Link forbids calling back before).
	orig := append([]byte(nil), payload...)
	qm := layers.Meta{Parents: parents(m), Cause: label}
	n.sim.After(0, func() {
		if err := n.ip.SourceQuench(orig, qm); err != nil {
			n.record(layers.Event{Iface: port.Name, Layer: layers.Network, Dir: layers.Note}.Say("l3.quench.none",
				"no source quench sent: %v", err))
		}
	})
	return true
}
