package transport

import "github.com/osisim/osisim/layers"

// The bases of the transport layer's events.
var (
	noteEvent  = layers.Event{Layer: layers.Transport, Dir: layers.Note}
	stateEvent = layers.Event{Layer: layers.Transport, Dir: layers.State}
)

// timerEvent is the base of a timer's event with its cause.
func timerEvent(cause string) layers.Event {
	return layers.Event{Layer: layers.Transport, Dir: layers.Timeout, Cause: cause}
}

// dropEvent is the base of a drop with its reason.
func dropEvent(reason layers.Reason) layers.Event {
	return layers.Event{Layer: layers.Transport, Dir: layers.Drop, Reason: reason}
}

// withCause returns e with its cause set.
func withCause(e layers.Event, cause string) layers.Event {
	e.Cause = cause
	return e
}

// drop records a drop of the transport layer. A drop is recorded even when
// nothing traces, since the run's drop counts need it, but its text is
// built only when something does: say adds it to the event.
func (t *TCP) drop(reason layers.Reason, say func(layers.Event) layers.Event) {
	e := dropEvent(reason)
	if t.env.Tracing() {
		e = say(e)
	}
	t.env.Record(e)
}
