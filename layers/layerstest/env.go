// Package layerstest provides a deterministic layers.Env for the tests of
// layer packages: a manual simulated clock with a timer queue, a seeded
// random source and a recorder that keeps every event.
package layerstest

import (
	"container/heap"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/osisim/osisim/layers"
)

// Env is a manual-clock layers.Env. Time moves only through Advance and Run.
type Env struct {
	Node   string
	Events []layers.Event

	now    time.Duration
	rng    *rand.Rand
	timers timerHeap
	seq    uint64
	nextID uint64
}

var _ layers.Env = (*Env)(nil)

// New returns an Env for node whose randomness is seeded with seed.
func New(node string, seed uint64) *Env {
	return &Env{Node: node, rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}
}

// Now returns the simulated time.
func (e *Env) Now() time.Duration { return e.now }

// Rand returns the seeded random source.
func (e *Env) Rand() *rand.Rand { return e.rng }

// NewID returns 1, 2, 3, ...
func (e *Env) NewID() uint64 { e.nextID++; return e.nextID }

// Tracing reports true: the test recorder keeps everything.
func (e *Env) Tracing() bool { return true }

// Record keeps a copy of ev with Time and Node filled in.
func (e *Env) Record(ev layers.Event) {
	ev.Time = e.now
	if ev.Node == "" {
		ev.Node = e.Node
	}
	if ev.PDU != nil {
		p := *ev.PDU
		p.Bytes = append([]byte(nil), p.Bytes...)
		ev.PDU = &p
	}
	e.Events = append(e.Events, ev)
	ev.Seq = uint64(len(e.Events))
}

// After schedules f at Now()+d.
func (e *Env) After(d time.Duration, f func()) layers.Timer {
	if d < 0 {
		d = 0
	}
	e.seq++
	t := &timer{at: e.now + d, seq: e.seq, f: f, index: -1}
	heap.Push(&e.timers, t)
	return t
}

// Pending reports how many timers are scheduled.
func (e *Env) Pending() int { return len(e.timers) }

// NextAt returns when the next timer fires, and false if none is pending.
func (e *Env) NextAt() (time.Duration, bool) {
	if len(e.timers) == 0 {
		return 0, false
	}
	return e.timers[0].at, true
}

// Advance moves the clock forward by d, firing every timer due on the way
// in time order (ties in scheduling order).
func (e *Env) Advance(d time.Duration) {
	end := e.now + d
	for len(e.timers) > 0 && e.timers[0].at <= end {
		t := heap.Pop(&e.timers).(*timer)
		e.now = t.at
		t.f()
	}
	e.now = end
}

// Run fires timers until none is left or max have fired; it returns the
// number fired.
func (e *Env) Run(max int) int {
	n := 0
	for len(e.timers) > 0 && n < max {
		t := heap.Pop(&e.timers).(*timer)
		e.now = t.at
		t.f()
		n++
	}
	return n
}

// Texts returns "L4 state: CLOSED -> SYN-SENT" style lines for every event,
// for assertions and failure messages.
func (e *Env) Texts() []string {
	out := make([]string, 0, len(e.Events))
	for _, ev := range e.Events {
		s := fmt.Sprintf("L%d %s: %s", ev.Layer, ev.Dir, ev.Text)
		if ev.Reason != "" {
			s += " [" + string(ev.Reason) + "]"
		}
		out = append(out, s)
	}
	return out
}

// Find returns the events whose text contains sub.
func (e *Env) Find(sub string) []layers.Event {
	var out []layers.Event
	for _, ev := range e.Events {
		if strings.Contains(ev.Text, sub) {
			out = append(out, ev)
		}
	}
	return out
}

type timer struct {
	at    time.Duration
	seq   uint64
	f     func()
	index int
}

func (t *timer) Stop() bool {
	// A stopped timer is marked by a nil f and skipped when it fires.
	if t.f == nil || t.index < 0 {
		return false
	}
	t.f = func() {}
	return true
}

type timerHeap []*timer

func (h timerHeap) Len() int { return len(h) }
func (h timerHeap) Less(i, j int) bool {
	if h[i].at != h[j].at {
		return h[i].at < h[j].at
	}
	return h[i].seq < h[j].seq
}
func (h timerHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].index = i
	h[j].index = j
}
func (h *timerHeap) Push(x any) {
	t := x.(*timer)
	t.index = len(*h)
	*h = append(*h, t)
}
func (h *timerHeap) Pop() any {
	old := *h
	t := old[len(old)-1]
	old[len(old)-1] = nil
	t.index = -1
	*h = old[:len(old)-1]
	return t
}
