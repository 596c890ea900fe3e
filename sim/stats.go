package sim

import (
	"cmp"
	"slices"
	"time"

	"github.com/osisim/osisim/layers"
)

// DropCount is how many PDUs one node dropped at one layer for one reason.
type DropCount struct {
	Node   string
	Iface  string // the interface or port, if the drop happened at one
	Layer  layers.Layer
	Reason layers.Reason
	Count  int
}

// Place returns "node" or "node.iface".
func (d DropCount) Place() string {
	if d.Iface == "" {
		return d.Node
	}
	return d.Node + "." + d.Iface
}

// SegmentCount is how many TCP segments a host handed to IP, and how many
// of them were retransmissions.
type SegmentCount struct {
	Node     string
	Sent     uint64 // every segment, retransmissions and ACKs included
	RTO      uint64 // resent after a retransmission timeout
	Fast     uint64 // resent by fast retransmit or NewReno recovery
	Resent   uint64 // RTO + Fast
	Segments uint64 // Sent - Resent
}

// Stats sums up a run.
type Stats struct {
	Duration time.Duration // simulated time of the last event
	Events   uint64        // simulation events executed
	Traced   uint64        // trace events recorded
	Frames   uint64        // frames put on a wire, every link and direction
	Drops    []DropCount   // sorted by node, interface, layer, reason

	Segments []SegmentCount // per host that sent TCP segments, by name
	Links    []LinkStats    // per link direction with faults, rules or a bounded queue, in link order
	Rules    []RuleStats    // per fault rule, in the order they were added
}

// Dropped returns how many PDUs were dropped, for every reason and place.
func (s Stats) Dropped() int {
	n := 0
	for _, d := range s.Drops {
		n += d.Count
	}
	return n
}

type dropKey struct {
	node   string
	iface  string
	layer  layers.Layer
	reason layers.Reason
}

// countDrop adds a drop to the run's tally.
func (s *Sim) countDrop(e *layers.Event) {
	if s.drops == nil {
		s.drops = map[dropKey]int{}
	}
	s.drops[dropKey{e.Node, e.Iface, e.Layer, e.Reason}]++
}

// Stats returns the run's figures so far.
func (s *Sim) Stats() Stats {
	st := Stats{Duration: s.now, Events: s.fired, Traced: s.traced}
	for _, l := range s.links {
		ab, ba := l.Frames()
		st.Frames += ab + ba
	}
	for k, n := range s.drops {
		st.Drops = append(st.Drops, DropCount{Node: k.node, Iface: k.iface, Layer: k.layer, Reason: k.reason, Count: n})
	}
	slices.SortFunc(st.Drops, func(a, b DropCount) int {
		return cmp.Or(cmp.Compare(a.Node, b.Node), cmp.Compare(a.Iface, b.Iface), cmp.Compare(a.Layer, b.Layer), cmp.Compare(a.Reason, b.Reason))
	})
	seen := map[*ipNode]bool{}
	for _, l := range s.links {
		for side, p := range l.ends {
			if h, ok := p.Device.(*Host); ok && !seen[h.ipNode] {
				seen[h.ipNode] = true
				if c := h.segs; c.sent > 0 {
					st.Segments = append(st.Segments, SegmentCount{Node: h.name, Sent: c.sent, RTO: c.rto, Fast: c.fast,
						Resent: c.rto + c.fast, Segments: c.sent - c.rto - c.fast})
				}
			}
			if d := l.dirs[side]; d != nil {
				st.Links = append(st.Links, d.stats)
			}
		}
	}
	slices.SortFunc(st.Segments, func(a, b SegmentCount) int { return cmp.Compare(a.Node, b.Node) })
	for _, r := range s.rules() {
		st.Rules = append(st.Rules, RuleStats{Rule: r.text, Matches: r.matches, Fired: r.fired, At: r.at})
	}
	return st
}
