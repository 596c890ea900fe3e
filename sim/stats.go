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
	Layer  layers.Layer
	Reason layers.Reason
	Count  int
}

// Stats sums up a run.
type Stats struct {
	Duration time.Duration // simulated time of the last event
	Events   uint64        // simulation events executed
	Traced   uint64        // trace events recorded
	Frames   uint64        // frames put on a wire, every link and direction
	Drops    []DropCount   // sorted by node, layer, reason
}

type dropKey struct {
	node   string
	layer  layers.Layer
	reason layers.Reason
}

// countDrop adds a drop to the run's tally.
func (s *Sim) countDrop(e *layers.Event) {
	if s.drops == nil {
		s.drops = map[dropKey]int{}
	}
	s.drops[dropKey{e.Node, e.Layer, e.Reason}]++
}

// Stats returns the run's figures so far.
func (s *Sim) Stats() Stats {
	st := Stats{Duration: s.now, Events: s.fired, Traced: s.traced}
	for _, l := range s.links {
		ab, ba := l.Frames()
		st.Frames += ab + ba
	}
	for k, n := range s.drops {
		st.Drops = append(st.Drops, DropCount{Node: k.node, Layer: k.layer, Reason: k.reason, Count: n})
	}
	slices.SortFunc(st.Drops, func(a, b DropCount) int {
		return cmp.Or(cmp.Compare(a.Node, b.Node), cmp.Compare(a.Layer, b.Layer), cmp.Compare(a.Reason, b.Reason))
	})
	return st
}
