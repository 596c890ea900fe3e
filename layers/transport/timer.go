package transport

import (
	"time"

	"github.com/osisim/osisim/layers"
)

// lazyTimer is a restartable timer that schedules at most one callback with
// the Env at a time. TCP restarts its retransmission timer on almost every
// ACK (RFC 6298 5.3); rather than cancel and schedule a new Env timer each
// time, a later deadline only moves the deadline, and the pending callback
// reschedules itself for the rest when it finds the deadline moved.
type lazyTimer struct {
	env      layers.Env
	fire     func()
	expireFn func()
	t        layers.Timer // the scheduled Env timer, nil if none
	at       time.Duration
	deadline time.Duration
	armed    bool
}

func (l *lazyTimer) init(env layers.Env, fire func()) {
	l.env = env
	l.fire = fire
	l.expireFn = l.expire
}

// set (re)starts the timer to fire d from now.
func (l *lazyTimer) set(d time.Duration) {
	now := l.env.Now()
	l.deadline = now + d
	l.armed = true
	if l.t != nil && l.at <= l.deadline {
		return
	}
	if l.t != nil {
		l.t.Stop()
	}
	l.at = l.deadline
	l.t = l.env.After(d, l.expireFn)
}

// stop disarms the timer; a pending Env callback finds it disarmed.
func (l *lazyTimer) stop() { l.armed = false }

// kill disarms the timer and cancels the pending Env callback.
func (l *lazyTimer) kill() {
	l.armed = false
	if l.t != nil {
		l.t.Stop()
		l.t = nil
	}
}

func (l *lazyTimer) expire() {
	l.t = nil
	if !l.armed {
		return
	}
	if now := l.env.Now(); now < l.deadline {
		l.at = l.deadline
		l.t = l.env.After(l.deadline-now, l.expireFn)
		return
	}
	l.armed = false
	l.fire()
}
