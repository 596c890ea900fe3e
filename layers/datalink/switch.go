package datalink

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/osisim/osisim/layers"
)

// DefaultAgeing is the ageing time IEEE 802.1D recommends for the entries
// a bridge learns (clause 7.9.2, Table 7-5): 300 seconds.
const DefaultAgeing = 300 * time.Second

// Switch is a transparent bridge (IEEE 802.1D clause 7) with ports numbered
// from 1. It learns which port each source address lives on, forwards a
// frame for a known address to that port only, floods broadcasts,
// multicasts and frames for unknown addresses to every other port, and
// filters a frame whose destination lives on the port it came in on. Each
// port is its own collision domain; all of them form one broadcast domain.
type Switch struct {
	env       layers.Env
	ports     int
	ageing    time.Duration
	table     map[MAC]learned
	nextSweep time.Duration // no entry expires before this time
}

type learned struct {
	port int
	seen time.Duration // when a frame from the address last came in
}

// Entry is one row of a switch's filtering database.
type Entry struct {
	MAC  MAC
	Port int
	Age  time.Duration // time since a frame from MAC last came in
}

// Decision is what a switch does with one frame.
type Decision struct {
	Out      []int // the ports the frame goes out on, ascending
	Flooded  bool  // sent to every other port: broadcast, multicast or unknown destination
	Filtered bool  // dropped: the destination is on the port the frame came in on
	Learned  bool  // the source address was new, or moved to this port
}

// NewSwitch returns a switch with ports ports whose learned entries expire
// after ageing without traffic from their address; ageing 0 or less selects
// DefaultAgeing. It panics if ports is less than 1.
func NewSwitch(env layers.Env, ports int, ageing time.Duration) *Switch {
	if ports < 1 {
		panic(fmt.Sprintf("datalink: a switch needs at least one port, not %d", ports))
	}
	if ageing <= 0 {
		ageing = DefaultAgeing
	}
	return &Switch{env: env, ports: ports, ageing: ageing, table: make(map[MAC]learned), nextSweep: math.MaxInt64}
}

// Ports returns the number of ports.
func (s *Switch) Ports() int { return s.ports }

// Ageing returns the ageing time of learned entries.
func (s *Switch) Ageing() time.Duration { return s.ageing }

// Forward decides what to do with frame f that came in on port in: it
// first removes entries that have aged out, then learns f.Src on in, then
// forwards, floods or filters by f.Dst (IEEE 802.1D clause 7.7 and 7.8).
// It records its reasons in the trace. It panics if in is not a port.
func (s *Switch) Forward(in int, f Frame) Decision {
	if in < 1 || in > s.ports {
		panic(fmt.Sprintf("datalink: switch port %d out of range 1..%d", in, s.ports))
	}
	now := s.env.Now()
	s.age(now)
	var d Decision
	d.Learned = s.learn(in, f.Src, now)

	if !f.Dst.IsMulticast() {
		if e, ok := s.table[f.Dst]; ok {
			if e.port == in {
				// IEEE 802.1D clause 7.7: a frame never goes out on the port
				// it was received on; the destination has already seen it.
				// The drop is recorded even when nothing traces, so that
				// the run's drop counts do not depend on the trace.
				d.Filtered = true
				s.env.Record(layers.Event{Layer: layers.DataLink, Dir: layers.Drop, Reason: layers.ReasonFiltered}.Say(
					"l2.sw.filtered", "destination %s is on port %d, the port the frame came in on: filtered", f.Dst, in))
				return d
			}
			d.Out = []int{e.port}
			if s.env.Tracing() {
				s.env.Record(noteEvent.Say("l2.sw.known", "known destination %s on port %d: forwarded to port %d only", f.Dst, e.port, e.port))
			}
			return d
		}
	}

	// IEEE 802.1D clause 7.7: a frame for a group address, or for an
	// address not in the filtering database, goes out on every port but the
	// one it came in on.
	d.Flooded = true
	d.Out = make([]int, 0, s.ports-1)
	for p := 1; p <= s.ports; p++ {
		if p != in {
			d.Out = append(d.Out, p)
		}
	}
	if s.env.Tracing() {
		switch {
		case f.Dst.IsBroadcast():
			s.env.Record(noteEvent.Say("l2.sw.flood.broadcast", "broadcast: flooded to %v", portList(d.Out)))
		case f.Dst.IsMulticast():
			s.env.Record(noteEvent.Say("l2.sw.flood.multicast", "multicast %s: flooded to %v", f.Dst, portList(d.Out)))
		default:
			s.env.Record(noteEvent.Say("l2.sw.flood.unknown", "unknown destination %s: flooded to %v", f.Dst, portList(d.Out)))
		}
	}
	return d
}

// learn records that src lives on port in and reports whether that is
// news: a new address, or one that moved from another port.
func (s *Switch) learn(in int, src MAC, now time.Duration) bool {
	if src.IsMulticast() {
		// Clause 7.8: only individual addresses are learned; a group
		// address is never a valid source.
		if s.env.Tracing() {
			s.env.Record(noteEvent.Say("l2.sw.group", "source %s is a group address: not learned", src))
		}
		return false
	}
	old, ok := s.table[src]
	s.table[src] = learned{port: in, seen: now}
	if exp := now + s.ageing; exp < s.nextSweep {
		s.nextSweep = exp
	}
	switch {
	case !ok:
		if s.env.Tracing() {
			s.env.Record(noteEvent.Say("l2.sw.learned", "learned %s on port %d", src, in))
		}
		return true
	case old.port != in:
		if s.env.Tracing() {
			s.env.Record(noteEvent.Say("l2.sw.moved", "moved %s from port %d to port %d", src, old.port, in))
		}
		return true
	}
	return false
}

// age removes the entries not refreshed for the ageing time (IEEE 802.1D
// clause 7.9.2). It scans the table only when an entry may have expired.
func (s *Switch) age(now time.Duration) {
	if now < s.nextSweep {
		return
	}
	var expired []Entry
	next := time.Duration(math.MaxInt64)
	for m, e := range s.table {
		if now-e.seen >= s.ageing {
			expired = append(expired, Entry{MAC: m, Port: e.port, Age: now - e.seen})
			continue
		}
		next = min(next, e.seen+s.ageing)
	}
	s.nextSweep = next
	sortEntries(expired)
	for _, e := range expired {
		delete(s.table, e.MAC)
		if s.env.Tracing() {
			s.env.Record(layers.Event{Layer: layers.DataLink, Dir: layers.Note, Cause: "ageing"}.Say(
				"l2.sw.aged", "aged out %s on port %d: no frame from it for %v (ageing time %v)", e.MAC, e.Port, e.Age, s.ageing))
		}
	}
}

// noteEvent is the base of the switch's notes.
var noteEvent = layers.Event{Layer: layers.DataLink, Dir: layers.Note}

// Lookup returns the port a unicast address was learned on, if its entry
// has not aged out.
func (s *Switch) Lookup(m MAC) (port int, ok bool) {
	e, ok := s.table[m]
	if !ok || s.env.Now()-e.seen >= s.ageing {
		return 0, false
	}
	return e.port, true
}

// Table returns the filtering database, sorted by port then address,
// without the entries that have aged out.
func (s *Switch) Table() []Entry {
	now := s.env.Now()
	out := make([]Entry, 0, len(s.table))
	for m, e := range s.table {
		if age := now - e.seen; age < s.ageing {
			out = append(out, Entry{MAC: m, Port: e.port, Age: age})
		}
	}
	sortEntries(out)
	return out
}

// TableString returns Table as a small printable table:
//
//	MAC address        Port  Age
//	02:00:00:00:01:0a     1  1.5s
func (s *Switch) TableString() string {
	t := s.Table()
	if len(t) == 0 {
		return "MAC address table: empty\n"
	}
	var b strings.Builder
	b.WriteString("MAC address        Port  Age\n")
	for _, e := range t {
		fmt.Fprintf(&b, "%s  %4d  %v\n", e.MAC, e.Port, e.Age)
	}
	return b.String()
}

func sortEntries(es []Entry) {
	slices.SortFunc(es, func(a, b Entry) int {
		if c := cmp.Compare(a.Port, b.Port); c != 0 {
			return c
		}
		return slices.Compare(a.MAC[:], b.MAC[:])
	})
}
