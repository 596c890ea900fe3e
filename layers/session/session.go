package session

import (
	"errors"
	"fmt"
	"time"

	"github.com/osisim/osisim/layers"
)

// Role is the part a side plays in a session.
type Role uint8

// The two roles. In POP3 the client is the initiator (it opens the TCP
// connection) and the server the responder.
const (
	Initiator Role = iota + 1
	Responder
)

// String returns "initiator" or "responder".
func (r Role) String() string {
	switch r {
	case Initiator:
		return "initiator"
	case Responder:
		return "responder"
	}
	return fmt.Sprintf("role(%d)", uint8(r))
}

// Peer returns the other role.
func (r Role) Peer() Role {
	if r == Initiator {
		return Responder
	}
	return Initiator
}

// State is the state of a session.
type State uint8

// The session states.
const (
	Idle     State = iota // not yet open: the transport is not connected
	Open                  // open: units flow, turn by turn
	Released              // ended in order (for POP3: QUIT was answered)
	Aborted               // ended by a connection loss or a protocol error
)

var stateNames = [...]string{"IDLE", "OPEN", "RELEASED", "ABORTED"}

// String returns "IDLE", "OPEN", "RELEASED" or "ABORTED".
func (s State) String() string {
	if int(s) < len(stateNames) {
		return stateNames[s]
	}
	return fmt.Sprintf("state(%d)", uint8(s))
}

// ErrNotOpen is returned (wrapped) when a session that is not OPEN is asked
// to carry a unit, to checkpoint or to release.
var ErrNotOpen = errors.New("session: not open")

// TurnError reports that a side spoke while the turn was the other side's:
// in a half-duplex dialog only the holder of the turn may send.
type TurnError struct {
	Session int
	Speaker Role // who spoke
	Unit    Unit // what they sent
}

func (e *TurnError) Error() string {
	return fmt.Sprintf("session %d: the %v sent a %v out of turn (the turn is the %v's)",
		e.Session, e.Speaker, e.Unit, e.Speaker.Peer())
}

// Checkpoint is a synchronization point: a place in the dialog, numbered
// from 1, that both sides agree has been reached, and from which a later
// transfer could resume.
type Checkpoint struct {
	N      int
	Label  layers.Phrase // what is complete at this point ("message 1 complete")
	Octets int64         // octets of the unit it marks (or transferred so far)
	At     time.Duration // simulated time
}

// Session is one side of a session: its state, the turn token of its
// half-duplex dialog, its checkpoints and the framer of the units it
// receives. The simulator drives it: Open once the transport is connected,
// Sent and Received for each unit, Expect and Feed to frame what arrives,
// Release or Abort at the end.
type Session struct {
	env   layers.Env
	id    int
	role  Role
	state State
	turn  Role
	first Role

	framer      Framer
	osi         bool // the osi profile: see SetOSIProfile
	checkpoints []Checkpoint
	sent, recv  int // units
}

// New returns an IDLE session numbered id, for the side playing role.
func New(env layers.Env, id int, role Role) *Session {
	return &Session{env: env, id: id, role: role, first: Responder}
}

// ID returns the session's number.
func (s *Session) ID() int { return s.id }

// Role returns the part this side plays.
func (s *Session) Role() Role { return s.role }

// State returns the session's state.
func (s *Session) State() State { return s.state }

// Turn returns the role that holds the turn: the only one that may send.
func (s *Session) Turn() Role { return s.turn }

// Units returns how many units this side has sent and received.
func (s *Session) Units() (sent, received int) { return s.sent, s.recv }

// SetFirstSpeaker chooses who holds the turn when the session opens. It is
// the responder unless changed: in POP3 (RFC 1939 section 4) and SMTP (RFC
// 5321 section 3.1) the server speaks first with its greeting.
func (s *Session) SetFirstSpeaker(r Role) { s.first = r }

// Open opens the session once the transport connection is established.
func (s *Session) Open() error {
	if s.state != Idle {
		return fmt.Errorf("session %d: cannot open in state %v", s.id, s.state)
	}
	s.state = Open
	s.turn = s.first
	if s.env.Tracing() {
		if s.osi {
			s.note(layers.Event{}.Say("l5.open.osi", "open session %d (osi profile: every unit carries a 16 B session header); the %v speaks first",
				s.id, s.first), "")
		} else {
			s.note(layers.Event{}.Say("l5.open", "open session %d (no header on the wire: TCP/IP leaves this to the application); the %v speaks first",
				s.id, s.first), "")
		}
	}
	return nil
}

// Sent records that this side sent a complete unit. With endTurn the turn
// passes to the peer; without it this side keeps the turn to send another
// unit (a "+OK" line followed by its multi-line body). Sending while the
// turn is the peer's is a *TurnError.
func (s *Session) Sent(u Unit, endTurn bool) error {
	return s.unit(s.role, u, endTurn)
}

// Received records that the peer sent a complete unit; endTurn as in Sent.
// A unit from the peer while the turn is this side's is a *TurnError.
func (s *Session) Received(u Unit, endTurn bool) error {
	return s.unit(s.role.Peer(), u, endTurn)
}

func (s *Session) unit(speaker Role, u Unit, endTurn bool) error {
	if s.state != Open {
		return fmt.Errorf("%w: session %d is %v, the %v cannot send a %v", ErrNotOpen, s.id, s.state, speaker, u)
	}
	if s.turn != speaker {
		return &TurnError{Session: s.id, Speaker: speaker, Unit: u}
	}
	if speaker == s.role {
		s.sent++
	} else {
		s.recv++
	}
	if endTurn {
		s.turn = speaker.Peer()
		if s.env.Tracing() {
			s.note(layers.Event{}.Say("l5.turn", "session %d: the %v ends its turn with a %v; the turn passes to the %v (half-duplex dialog control)",
				s.id, speaker, u, s.turn), "")
		}
	}
	return nil
}

// Expect sets the unit that the next octets received make up.
func (s *Session) Expect(u Unit) error { return s.framer.Expect(u) }

// Feed frames received octets; see Framer.Feed.
func (s *Session) Feed(chunk []byte) ([]Piece, error) {
	if s.state != Open {
		return nil, fmt.Errorf("%w: session %d is %v, %d octets arrived", ErrNotOpen, s.id, s.state, len(chunk))
	}
	return s.framer.Feed(chunk)
}

// Framer returns the session's framer.
func (s *Session) Framer() *Framer { return &s.framer }

// Checkpoint records the next synchronization point, numbered from 1, with a
// label saying what is complete and the octets it covers.
func (s *Session) Checkpoint(label layers.Phrase, octets int64) (Checkpoint, error) {
	if s.state != Open {
		return Checkpoint{}, fmt.Errorf("%w: session %d is %v, no checkpoint %q", ErrNotOpen, s.id, s.state, label.En)
	}
	c := Checkpoint{N: len(s.checkpoints) + 1, Label: label, Octets: octets, At: s.env.Now()}
	s.checkpoints = append(s.checkpoints, c)
	if s.env.Tracing() {
		s.note(layers.Event{}.Say("l5.checkpoint", "checkpoint %d: %s (%s B)", c.N, label, layers.Thousands(octets)), "")
	}
	return c, nil
}

// Checkpoints returns the checkpoints in order.
func (s *Session) Checkpoints() []Checkpoint { return s.checkpoints }

// Release ends an OPEN session in order: for POP3, QUIT was answered.
func (s *Session) Release() error {
	if s.state != Open {
		return fmt.Errorf("%w: session %d is %v, cannot release", ErrNotOpen, s.id, s.state)
	}
	s.state = Released
	if s.env.Tracing() {
		e := layers.Event{}.Say("l5.release", "release session %d: orderly end after %d units sent and %d received, %d checkpoints",
			s.id, s.sent, s.recv, len(s.checkpoints))
		if len(s.checkpoints) == 1 {
			e = e.Say("l5.release.one", "release session %d: orderly end after %d units sent and %d received, %d checkpoint",
				s.id, s.sent, s.recv, len(s.checkpoints))
		}
		s.note(e, "")
	}
	return nil
}

// Abort ends the session because of reason (a connection loss, a protocol
// error), which the trace says in its reader's language and whose English
// is the event's cause. Aborting a session that has already ended does
// nothing.
func (s *Session) Abort(reason layers.Phrase) {
	if s.state == Released || s.state == Aborted {
		return
	}
	s.state = Aborted
	if !s.env.Tracing() {
		return
	}
	e := layers.Event{}.Say("l5.abort", "abort session %d: %s; no checkpoint to resume from", s.id, reason)
	if n := len(s.checkpoints); n > 0 {
		c := s.checkpoints[n-1]
		e = e.Say("l5.abort.resume", "abort session %d: %s; the last checkpoint is %d: %s (%s B)",
			s.id, reason, c.N, c.Label, layers.Thousands(c.Octets))
	}
	s.note(e, reason.En)
}

func (s *Session) note(e layers.Event, cause string) {
	e.Layer, e.Dir, e.Cause = layers.Session, layers.Note, cause
	s.env.Record(e)
}
