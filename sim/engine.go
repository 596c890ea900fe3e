package sim

import (
	"container/heap"
	"math/rand/v2"
	"time"

	"github.com/osisim/osisim/layers"
)

// Sim is one run: the virtual clock, the event queue, the run's single seeded
// random source, PDU identities and the trace recorder.
//
// Events scheduled for the same instant run in the order they were
// scheduled (a sequence number breaks ties), so a run is a pure function of
// its scenario and seed.
type Sim struct {
	now     time.Duration
	queue   eventQueue
	seq     uint64
	rng     *rand.Rand
	rec     layers.Recorder
	tracing bool
	nextID  uint64
	traced  uint64 // trace events recorded so far
	fired   uint64 // simulation events executed so far
	stopped bool
	links   []*Link
	capture Capture
	drops   map[dropKey]int
}

// New returns a run seeded with seed that records its trace to rec (nil or
// layers.Discard records nothing).
func New(seed uint64, rec layers.Recorder) *Sim {
	if rec == nil {
		rec = layers.Discard
	}
	return &Sim{
		rng:     rand.New(rand.NewPCG(seed, 0x6f7369736d)), // "osism": a fixed second word
		rec:     rec,
		tracing: rec != layers.Discard,
	}
}

// Now is the simulated time since the start of the run.
func (s *Sim) Now() time.Duration { return s.now }

// Rand is the run's one seeded random source.
func (s *Sim) Rand() *rand.Rand { return s.rng }

// Tracing reports whether events are recorded anywhere.
func (s *Sim) Tracing() bool { return s.tracing }

// NewID returns a fresh PDU id.
func (s *Sim) NewID() uint64 { s.nextID++; return s.nextID }

// Events returns how many simulation events have run.
func (s *Sim) Events() uint64 { return s.fired }

// Traced returns how many trace events have been recorded.
func (s *Sim) Traced() uint64 { return s.traced }

// Record stamps e with the time and the next sequence number and hands it to
// the recorder.
func (s *Sim) Record(e *layers.Event) {
	s.traced++
	if e.Dir == layers.Drop {
		s.countDrop(e)
	}
	if !s.tracing {
		return
	}
	e.Seq = s.traced
	e.Time = s.now
	s.rec.Record(e)
}

// After schedules f to run after d of simulated time.
func (s *Sim) After(d time.Duration, f func()) *Event {
	if d < 0 {
		d = 0
	}
	return s.At(s.now+d, f)
}

// At schedules f at time t (never in the past).
func (s *Sim) At(t time.Duration, f func()) *Event {
	if t < s.now {
		t = s.now
	}
	s.seq++
	ev := &Event{at: t, seq: s.seq, f: f, index: -1}
	heap.Push(&s.queue, ev)
	return ev
}

// Stop makes Run return after the current event.
func (s *Sim) Stop() { s.stopped = true }

// Run executes events in time order until the queue is empty, Stop is
// called, or the next event lies beyond limit. It returns the time reached.
func (s *Sim) Run(limit time.Duration) time.Duration {
	s.stopped = false
	for len(s.queue) > 0 && !s.stopped {
		if s.queue[0].at > limit {
			break
		}
		ev := heap.Pop(&s.queue).(*Event)
		f := ev.f
		ev.f = nil
		if f != nil { // a stopped timer neither runs nor moves the clock
			s.now = ev.at
			s.fired++
			f()
		}
	}
	return s.now
}

// Pending reports how many events are scheduled.
func (s *Sim) Pending() int { return len(s.queue) }

// Event is a scheduled callback. It implements layers.Timer.
type Event struct {
	at    time.Duration
	seq   uint64
	f     func()
	index int
}

// Stop cancels the event; it reports whether it was still pending.
func (e *Event) Stop() bool {
	if e == nil || e.f == nil || e.index < 0 {
		return false
	}
	e.f = nil
	return true
}

type eventQueue []*Event

func (q eventQueue) Len() int { return len(q) }
func (q eventQueue) Less(i, j int) bool {
	if q[i].at != q[j].at {
		return q[i].at < q[j].at
	}
	return q[i].seq < q[j].seq
}
func (q eventQueue) Swap(i, j int) {
	q[i], q[j] = q[j], q[i]
	q[i].index = i
	q[j].index = j
}
func (q *eventQueue) Push(x any) {
	e := x.(*Event)
	e.index = len(*q)
	*q = append(*q, e)
}
func (q *eventQueue) Pop() any {
	old := *q
	e := old[len(old)-1]
	old[len(old)-1] = nil
	e.index = -1
	*q = old[:len(old)-1]
	return e
}

// nodeEnv is the layers.Env of one node: the run's clock and randomness with
// the node's name stamped on every event it records.
type nodeEnv struct {
	s    *Sim
	node string
}

var _ layers.Env = nodeEnv{}

func (n nodeEnv) Now() time.Duration { return n.s.now }
func (n nodeEnv) After(d time.Duration, f func()) layers.Timer {
	return n.s.After(d, f)
}
func (n nodeEnv) Rand() *rand.Rand { return n.s.rng }
func (n nodeEnv) NewID() uint64    { return n.s.NewID() }
func (n nodeEnv) Tracing() bool    { return n.s.tracing }
func (n nodeEnv) Record(e layers.Event) {
	e.Node = n.node
	n.s.Record(&e)
}
