package sim

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"
)

// LiveOptions control a live run (RunLive).
type LiveOptions struct {
	// TAPs are the devices whose frames the run reads from the kernel.
	TAPs []*TAP
	// Limit ends the run when this much time has passed (0: no limit).
	Limit time.Duration
	// Until ends the run when it returns true; it is asked after every
	// batch of events (nil: never).
	Until func() bool
	// Idle is called whenever the loop has run everything that is due and
	// is about to wait: the moment to flush streamed output (nil: nothing).
	Idle func()
	// Clock returns the wall-clock time elapsed since the run started; nil
	// uses time.Since of the moment RunLive was called. Tests give their
	// own.
	Clock func() time.Duration
}

// liveFrame is a frame read from a TAP, waiting for the loop.
type liveFrame struct {
	t *TAP
	b []byte
}

// RunLive runs the simulation in step with the wall clock: simulated time
// is the wall time elapsed since the call. The loop sleeps until the next
// event is due or a frame arrives from one of opt.TAPs, whichever comes
// first; a frame enters the simulation at the current time. It returns
// when ctx is done, opt.Limit has passed, opt.Until returns true or a TAP
// can no longer be read (that error is returned). A run in simulated time
// (Run) never reads the wall clock; only this loop does.
//
// Each TAP is read by a goroutine of its own, which ends when its read
// fails: close the TAPs' files once RunLive has returned.
func (s *Sim) RunLive(ctx context.Context, opt LiveOptions) error {
	clock := opt.Clock
	if clock == nil {
		start := time.Now()
		clock = func() time.Duration { return time.Since(start) }
	}
	in := make(chan liveFrame, 64)
	errc := make(chan error, len(opt.TAPs))
	done := make(chan struct{})
	defer close(done)
	for _, t := range opt.TAPs {
		go t.readLoop(in, errc, done)
	}
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for {
		now := clock()
		s.runTo(now)
		if opt.Until != nil && opt.Until() {
			return nil
		}
		if opt.Limit > 0 && now >= opt.Limit {
			return nil
		}
		if opt.Idle != nil {
			opt.Idle()
		}
		wait := time.Hour
		if len(s.queue) > 0 {
			wait = s.queue[0].at - clock()
		}
		if opt.Limit > 0 {
			wait = min(wait, opt.Limit-clock())
		}
		timer.Reset(max(wait, 0))
		select {
		case <-ctx.Done():
			return nil
		case err := <-errc:
			return err
		case f := <-in:
			s.arrive(clock(), f)
			for more := true; more; { // take what else has come meanwhile
				select {
				case f := <-in:
					s.arrive(clock(), f)
				default:
					more = false
				}
			}
		case <-timer.C:
		}
	}
}

// runTo runs what is due at or before t and moves the clock to t:
// simulated time is wall time, events or not.
func (s *Sim) runTo(t time.Duration) {
	s.Run(t)
	s.now = max(s.now, t)
}

// arrive runs what is due at or before t, moves the clock to t and puts
// the frame on its TAP's link.
func (s *Sim) arrive(t time.Duration, f liveFrame) {
	s.runTo(t)
	f.t.inject(s, f.b)
}

// readLoop reads frames from the TAP until it fails or done is closed.
func (t *TAP) readLoop(in chan<- liveFrame, errc chan<- error, done <-chan struct{}) {
	buf := make([]byte, 65536)
	for {
		n, err := t.rw.Read(buf)
		if err != nil {
			if errors.Is(err, io.EOF) {
				err = fmt.Errorf("sim: TAP %s was closed", t.dev)
			} else {
				err = fmt.Errorf("sim: reading TAP %s: %w", t.dev, err)
			}
			select {
			case errc <- err:
			case <-done:
			}
			return
		}
		select {
		case in <- liveFrame{t: t, b: append([]byte(nil), buf[:n]...)}:
		case <-done:
			return
		}
	}
}
