package sim

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/osisim/osisim/layers"
	"github.com/osisim/osisim/layers/physical"
)

// Faults are the random impairments of one direction of a link: what makes
// IP's service "best effort" (RFC 791 1.1: no guarantee of delivery, order
// or single delivery). Every draw comes from the run's one seeded random
// source, in a fixed order for each frame that starts on the direction
// (docs/faults.md): the fault rules count the frame; an outage or a drop
// rule drops it without a draw; otherwise loss is drawn, then the bit
// errors, then duplication, then reordering. A direction without faults or
// rules draws nothing, so adding faults to one link leaves every other
// random choice of the run where it was only until the first faulty frame.
type Faults struct {
	Loss         float64       // probability that the medium loses a frame
	Reorder      float64       // probability that a frame is held back by ReorderDelay, so later frames overtake it
	ReorderDelay time.Duration // extra delay of a held-back frame; 0 means DefaultReorderDelay
	Dup          float64       // probability that the medium delivers a frame twice
	BER          float64       // bit error rate: the probability that any one bit on the wire is inverted
	Outages      []Outage      // intervals during which the direction carries nothing
}

// DefaultReorderDelay is how much later a reordered frame arrives when
// Faults.ReorderDelay is 0: at 100 Mb/s about eight full-size frames can
// overtake it.
const DefaultReorderDelay = time.Millisecond

// Outage is an interval [From, To) of simulated time during which a link
// direction is down: a frame that starts on it then is lost.
type Outage struct {
	From, To time.Duration
}

// IsZero reports whether f impairs nothing.
func (f Faults) IsZero() bool {
	return f.Loss == 0 && f.Reorder == 0 && f.Dup == 0 && f.BER == 0 && len(f.Outages) == 0
}

// Validate checks that the probabilities lie in [0, 1], the bit error rate
// in [0, 1), the delay is not negative and every outage ends after it
// starts.
func (f Faults) Validate() error {
	for _, p := range []struct {
		name string
		v    float64
	}{{"loss", f.Loss}, {"reorder", f.Reorder}, {"dup", f.Dup}} {
		if !(p.v >= 0 && p.v <= 1) {
			return fmt.Errorf("sim: %s probability %v is outside [0, 1]", p.name, p.v)
		}
	}
	if !(f.BER >= 0 && f.BER < 1) {
		return fmt.Errorf("sim: bit error rate %v is outside [0, 1)", f.BER)
	}
	if f.ReorderDelay < 0 {
		return fmt.Errorf("sim: reorder delay %v is negative", f.ReorderDelay)
	}
	for _, o := range f.Outages {
		if o.From < 0 || o.To <= o.From {
			return fmt.Errorf("sim: outage from %v to %v: want 0 <= from < to", o.From, o.To)
		}
	}
	return nil
}

// down returns the outage in force at t, if any.
func (f *Faults) down(t time.Duration) (Outage, bool) {
	for _, o := range f.Outages {
		if t >= o.From && t < o.To {
			return o, true
		}
	}
	return Outage{}, false
}

func (f *Faults) reorderDelay() time.Duration {
	if f.ReorderDelay > 0 {
		return f.ReorderDelay
	}
	return DefaultReorderDelay
}

// LinkStats says what happened on one direction of a link that has faults,
// fault rules or a bounded output queue.
type LinkStats struct {
	Link       string // "r1.eth1 - server.eth0"
	Dir        string // "r1->server"
	Frames     uint64 // frames that started on the direction
	Lost       uint64 // lost at random (Faults.Loss)
	Down       uint64 // lost during an outage
	RuleDrops  uint64 // dropped by a drop rule
	Corrupted  uint64 // frames with bit errors (Faults.BER or a corrupt rule)
	BitErrors  uint64 // bits inverted
	Duplicated uint64 // frames delivered twice
	Reordered  uint64 // frames held back (Faults.Reorder)
	Delayed    uint64 // frames delayed by a delay rule
	QueueDrops uint64 // datagrams refused by the full output queue in front of the transmitter
	MaxWaiting int    // the most frames that ever waited for the transmitter
}

// linkDir is the fault machinery of one direction of a link. A link
// direction without faults, rules or queue has none.
type linkDir struct {
	link   *Link
	side   int    // the sending end
	name   string // "r1->server"
	faults Faults
	rules  []*ruleState
	watch  []*ruleState // KEYWORD-data rules of the other direction, which watch the commands going this way
	stats  LinkStats
	lost   []lostRange // recently lost TCP sequence ranges, for the causes of what follows
}

// dir returns the fault machinery of the direction leaving end side,
// creating it.
func (l *Link) dir(side int) *linkDir {
	if l.dirs[side] == nil {
		from, to := l.ends[side], l.ends[1-side]
		name := from.Device.Name() + "->" + to.Device.Name()
		l.dirs[side] = &linkDir{link: l, side: side, name: name,
			stats: LinkStats{Link: l.Name(), Dir: name}}
	}
	return l.dirs[side]
}

// SetFaults sets the faults of the direction from port from to the other
// end.
func (l *Link) SetFaults(from *Port, f Faults) error {
	if from == nil || from.Link != l {
		return errors.New("sim: SetFaults: the port is not an end of this link")
	}
	if err := f.Validate(); err != nil {
		return fmt.Errorf("%w (link %s)", err, l.Name())
	}
	f.Outages = append([]Outage(nil), f.Outages...)
	l.dir(from.side).faults = f
	return nil
}

// Faults returns the faults of the direction from port from.
func (l *Link) Faults(from *Port) Faults {
	if from == nil || from.Link != l || l.dirs[from.side] == nil {
		return Faults{}
	}
	return l.dirs[from.side].faults
}

// Direction returns the port that sends on the direction from node from to
// node to of a link that joins them directly (the first such link), and the
// link.
func (s *Sim) Direction(from, to string) (*Link, *Port, error) {
	for _, l := range s.links {
		for side := range 2 {
			if l.ends[side].Device.Name() == from && l.ends[1-side].Device.Name() == to {
				return l, l.ends[side], nil
			}
		}
	}
	var near []string
	for _, l := range s.links {
		a, b := l.ends[0].Device.Name(), l.ends[1].Device.Name()
		if a == from {
			near = append(near, b)
		} else if b == from {
			near = append(near, a)
		}
	}
	if len(near) == 0 {
		return nil, nil, fmt.Errorf("sim: no link leaves a node named %q", from)
	}
	return nil, nil, fmt.Errorf("sim: no link joins %s and %s directly (%s is linked to %s)", from, to, from, strings.Join(near, ", "))
}

// AddRule puts a fault rule to work on its link direction.
func (s *Sim) AddRule(r Rule) error {
	if _, _, _, ok := filterKind(r.Filter); !ok || r.N < 1 || r.Action < RuleDrop || r.Action > RuleCorrupt {
		return fmt.Errorf("sim: invalid rule %q", r.String())
	}
	if r.Action == RuleDelay && r.Delay <= 0 {
		return fmt.Errorf("sim: rule %q: a delay must be positive", r.String())
	}
	l, from, err := s.Direction(r.From, r.To)
	if err != nil {
		return fmt.Errorf("%w: rule %q", err, r.String())
	}
	rs := newRuleState(r, len(s.rules()))
	d := l.dir(from.side)
	d.rules = append(d.rules, rs)
	if rs.reply {
		back := l.dir(1 - from.side)
		back.watch = append(back.watch, rs)
	}
	return nil
}

// rules returns every rule of the run in the order they were added.
func (s *Sim) rules() []*ruleState {
	var out []*ruleState
	for _, l := range s.links {
		for _, d := range l.dirs {
			if d != nil {
				out = append(out, d.rules...)
			}
		}
	}
	sortRules(out)
	return out
}

func sortRules(rs []*ruleState) {
	for i := 1; i < len(rs); i++ {
		for j := i; j > 0 && rs[j].order < rs[j-1].order; j-- {
			rs[j], rs[j-1] = rs[j-1], rs[j]
		}
	}
}

// faulty reports whether any link direction has faults, rules or a queue.
func (s *Sim) faulty() bool {
	for _, l := range s.links {
		if l.dirs[0] != nil || l.dirs[1] != nil {
			return true
		}
	}
	return false
}

// verdict is what a link direction does to one frame.
type verdict struct {
	drop    bool
	reason  layers.Reason
	cause   string          // the Meta.Cause of the frame from here on, and of its drop
	extra   time.Duration   // added to the propagation delay
	dup     bool            // a second copy follows
	dupBy   string          // who made the copy
	flipped int             // bits inverted
	first   [3]int          // the first inverted bits
	notes   []layers.Phrase // what the trace says about it, after the wire event
	capture string          // the note for the capture hook
}

// decide applies the rules and draws the faults for a frame that starts on
// the direction now, in the documented order. It may invert bits of sig.
func (d *linkDir) decide(sig physical.Signal, c *frameClass, to *Port) verdict {
	s := d.link.sim
	tracing := s.tracing
	var v verdict
	d.stats.Frames++
	for _, r := range d.watch {
		r.observe(c)
	}
	var fired []*ruleState
	for _, r := range d.rules {
		if r.match(c) {
			r.fired, r.at = true, s.now
			fired = append(fired, r)
		}
	}
	if o, down := d.faults.down(s.now); down {
		d.stats.Down++
		v.drop, v.reason = true, layers.ReasonLinkDown
		v.cause = "outage of " + d.name
		v.capture = "lost: " + v.cause
		if tracing {
			v.notes = append(v.notes, layers.Tell("l1.fault.outage", "%s is down from %s s to %s s (outage): the frame is lost and never reaches %s",
				d.name, Seconds(o.From), Seconds(o.To), to.Label()))
			d.remember(c, v.cause)
		}
		return v
	}
	for _, r := range fired {
		if r.Action == RuleDrop {
			d.stats.RuleDrops++
			v.drop, v.reason, v.cause = true, layers.ReasonFaultRule, r.text
			v.capture = "dropped by fault rule: " + r.text
			if tracing {
				v.notes = append(v.notes, layers.Tell("l1.fault.rule.drop", "fault rule %q picks this frame, the %s %s frame on %s: dropped in the medium, it never reaches %s",
					r.text, ordinal(r.N), r.Filter, d.name, to.Label()))
				d.remember(c, "rule: "+r.text)
			}
			return v
		}
	}
	rng := s.rng
	f := &d.faults
	if f.Loss > 0 && rng.Float64() < f.Loss {
		d.stats.Lost++
		v.drop, v.reason = true, layers.ReasonLoss
		v.cause = "loss on " + d.name
		v.capture = "lost in the medium (link-loss)"
		if tracing {
			v.notes = append(v.notes, layers.Tell("l1.fault.loss", "lost on %s (link %s, loss probability %s): the frame never reaches %s",
				d.name, d.link.Name(), percent(f.Loss), to.Label()))
			d.remember(c, v.cause)
		}
		return v
	}
	if f.BER > 0 {
		v.flipped = flipBits(sig, f.BER, rng.Float64, &v.first)
		if v.flipped > 0 {
			d.stats.Corrupted++
			d.stats.BitErrors += uint64(v.flipped)
			v.cause = "bit errors on " + d.name
			v.capture = fmt.Sprintf("corrupted: %d bit errors", v.flipped)
			if tracing {
				v.notes = append(v.notes, layers.Tell("l1.fault.noise", "noise on %s inverts %s of the %s bits of this frame (%s; bit error rate %s): it arrives corrupt",
					d.name, count(v.flipped, "bit"), Thousands(int64(sig.Bits())), bitList(v.first[:], v.flipped), strconv.FormatFloat(f.BER, 'g', -1, 64)))
				d.remember(c, v.cause)
			}
		}
	}
	for _, r := range fired {
		switch r.Action {
		case RuleCorrupt:
			// A bit in the middle of the frame, after the preamble and SFD:
			// the receiver's FCS check (IEEE 802.3 clause 3.2.9) fails.
			bit := physical.PreambleSFDBits + 8*((sig.Bits()-physical.PreambleSFDBits)/16)
			sig.FlipBit(bit)
			d.stats.Corrupted++
			d.stats.BitErrors++
			v.cause = r.text
			v.capture = "corrupted by fault rule: " + r.text
			if tracing {
				v.notes = append(v.notes, layers.Tell("l1.fault.rule.corrupt", "fault rule %q picks this frame, the %s %s frame on %s: bit %s (octet %d of the frame) is inverted",
					r.text, ordinal(r.N), r.Filter, d.name, Thousands(int64(bit)), (bit-physical.PreambleSFDBits)/8))
				d.remember(c, "rule: "+r.text)
			}
		case RuleDelay:
			d.stats.Delayed++
			v.extra += r.Delay
			v.cause = r.text
			v.capture = "delayed by fault rule: " + r.text
			if tracing {
				v.notes = append(v.notes, layers.Tell("l1.fault.rule.delay", "fault rule %q picks this frame, the %s %s frame on %s: it arrives %s later than it would",
					r.text, ordinal(r.N), r.Filter, d.name, physical.FormatDuration(r.Delay)))
				d.remember(c, "rule: "+r.text)
			}
		case RuleDup:
			v.dup, v.dupBy = true, r.text
			if tracing {
				v.notes = append(v.notes, layers.Tell("l1.fault.rule.dup", "fault rule %q picks this frame, the %s %s frame on %s: a second copy follows it",
					r.text, ordinal(r.N), r.Filter, d.name))
			}
		}
	}
	if f.Dup > 0 && rng.Float64() < f.Dup && !v.dup {
		v.dup, v.dupBy = true, "duplication on "+d.name
		if tracing {
			v.notes = append(v.notes, layers.Tell("l1.fault.dup", "the link duplicates this frame (duplication probability %s on %s): a second copy follows it",
				percent(f.Dup), d.name))
		}
	}
	if v.dup {
		d.stats.Duplicated++
	}
	if f.Reorder > 0 && rng.Float64() < f.Reorder {
		d.stats.Reordered++
		delay := f.reorderDelay()
		v.extra += delay
		if v.cause == "" {
			v.cause = "reordering on " + d.name
			v.capture = "held back (reordering)"
		}
		if tracing {
			v.notes = append(v.notes, layers.Tell("l1.fault.reorder", "%s holds this frame back %s (reordering probability %s): frames sent after it can arrive first",
				d.name, physical.FormatDuration(delay), percent(f.Reorder)))
			d.remember(c, "reordering on "+d.name)
		}
	}
	return v
}

// flipBits inverts the bits of sig that the noise hits at bit error rate
// ber, and returns how many it inverted (the first few in first). Rather
// than one draw per bit, it draws the gap to the next error from the
// geometric distribution: for U uniform in [0, 1), floor(ln(1-U) /
// ln(1-ber)) good bits precede each error.
func flipBits(sig physical.Signal, ber float64, uniform func() float64, first *[3]int) int {
	n := sig.Bits()
	lq := math.Log1p(-ber)
	pos, count := -1, 0
	for {
		gap := math.Floor(math.Log1p(-uniform()) / lq)
		if gap >= float64(n-pos-1) {
			return count
		}
		pos += int(gap) + 1
		sig.FlipBit(pos)
		if count < len(first) {
			first[count] = pos
		}
		count++
	}
}

// bitList prints the first inverted bits: "bits 1,204, 9,771 and 3 more".
func bitList(first []int, n int) string {
	shown := min(n, len(first))
	parts := make([]string, shown)
	for i := range shown {
		parts[i] = Thousands(int64(first[i]))
	}
	s := "bit " + parts[0]
	if n > 1 {
		s = "bits " + strings.Join(parts, ", ")
	}
	if n > shown {
		s += fmt.Sprintf(" and %d more", n-shown)
	}
	return s
}

// percent prints a probability as a percentage: 0.05 -> "5%".
func percent(p float64) string {
	return strconv.FormatFloat(100*p, 'g', 4, 64) + "%"
}

// nth prints 1 as "1st", 2 as "2nd", 11 as "11th".
func nth(n int) string {
	suffix := "th"
	switch {
	case n%100 >= 11 && n%100 <= 13:
	case n%10 == 1:
		suffix = "st"
	case n%10 == 2:
		suffix = "nd"
	case n%10 == 3:
		suffix = "rd"
	}
	return strconv.Itoa(n) + suffix
}
