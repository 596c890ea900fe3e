package session

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/osisim/osisim/layers"
	"github.com/osisim/osisim/layers/layerstest"
)

func TestSessionPOP3Dialog(t *testing.T) {
	env := layerstest.New("client", 1)
	s := New(env, 1, Initiator)
	if s.State() != Idle {
		t.Fatalf("new session is %v, want IDLE", s.State())
	}
	if err := s.Sent(Line, true); !errors.Is(err, ErrNotOpen) {
		t.Errorf("Sent before Open: err %v, want ErrNotOpen", err)
	}
	if err := s.Open(); err != nil {
		t.Fatal(err)
	}
	if s.Turn() != Responder {
		t.Fatalf("after Open the turn is the %v's, want the responder's (POP3 greeting)", s.Turn())
	}
	// The scripted exchange: greeting, USER, reply, RETR, reply line and
	// body, QUIT, reply.
	steps := []struct {
		sent    bool
		unit    Unit
		endTurn bool
	}{
		{false, Line, true},
		{true, Line, true},
		{false, Line, true},
		{true, Line, true},
		{false, Line, false},
		{false, DotTerminated, true},
		{true, Line, true},
		{false, Line, true},
	}
	for i, st := range steps {
		var err error
		if st.sent {
			err = s.Sent(st.unit, st.endTurn)
		} else {
			err = s.Received(st.unit, st.endTurn)
		}
		if err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
	}
	if sent, recv := s.Units(); sent != 3 || recv != 5 {
		t.Errorf("units sent %d received %d, want 3 and 5", sent, recv)
	}
	env.Advance(5 * time.Millisecond)
	if _, err := s.Checkpoint(layers.Plain("message 1 complete"), 2941); err != nil {
		t.Fatal(err)
	}
	if err := s.Release(); err != nil {
		t.Fatal(err)
	}
	if s.State() != Released {
		t.Errorf("state %v, want RELEASED", s.State())
	}
	want := []string{
		"L5 note: open session 1 (no header on the wire: TCP/IP leaves this to the application); the responder speaks first",
		"L5 note: session 1: the responder ends its turn with a line; the turn passes to the initiator (half-duplex dialog control)",
		"L5 note: session 1: the initiator ends its turn with a line; the turn passes to the responder (half-duplex dialog control)",
		"L5 note: session 1: the responder ends its turn with a line; the turn passes to the initiator (half-duplex dialog control)",
		"L5 note: session 1: the initiator ends its turn with a line; the turn passes to the responder (half-duplex dialog control)",
		"L5 note: session 1: the responder ends its turn with a dot-terminated block; the turn passes to the initiator (half-duplex dialog control)",
		"L5 note: session 1: the initiator ends its turn with a line; the turn passes to the responder (half-duplex dialog control)",
		"L5 note: session 1: the responder ends its turn with a line; the turn passes to the initiator (half-duplex dialog control)",
		"L5 note: checkpoint 1: message 1 complete (2,941 B)",
		"L5 note: release session 1: orderly end after 3 units sent and 5 received, 1 checkpoint",
	}
	if diff := cmp.Diff(want, env.Texts()); diff != "" {
		t.Errorf("trace differs (-want +got):\n%s", diff)
	}
	for _, ev := range env.Events {
		if ev.Layer != layers.Session || ev.Dir != layers.Note {
			t.Errorf("event %q is %v %v, want an L5 note", ev.Text, ev.Layer, ev.Dir)
		}
	}
}

func TestSessionTurnViolations(t *testing.T) {
	tests := []struct {
		name     string
		role     Role
		first    Role
		sent     bool // this side speaks (else the peer)
		wantSpkr Role
	}{
		{"client speaks before the greeting", Initiator, Responder, true, Initiator},
		{"server receives before the greeting", Responder, Responder, false, Initiator},
		{"server speaks first when the client should", Responder, Initiator, true, Responder},
		{"client receives before it asked", Initiator, Initiator, false, Responder},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := New(layerstest.New("n", 1), 7, tt.role)
			s.SetFirstSpeaker(tt.first)
			if err := s.Open(); err != nil {
				t.Fatal(err)
			}
			var err error
			if tt.sent {
				err = s.Sent(Line, true)
			} else {
				err = s.Received(Line, true)
			}
			var te *TurnError
			if !errors.As(err, &te) {
				t.Fatalf("err %v, want a *TurnError", err)
			}
			want := TurnError{Session: 7, Speaker: tt.wantSpkr, Unit: Line}
			if diff := cmp.Diff(want, *te); diff != "" {
				t.Errorf("TurnError differs (-want +got):\n%s", diff)
			}
			if s.Turn() != tt.first {
				t.Errorf("a refused unit moved the turn to the %v", s.Turn())
			}
		})
	}
	// Keeping the turn: a "+OK" line announces a body; a second line from
	// the peer before the body is still in turn, but not after the body.
	s := New(layerstest.New("n", 1), 1, Initiator)
	s.Open()
	if err := s.Received(Line, false); err != nil {
		t.Fatal(err)
	}
	if err := s.Received(DotTerminated, true); err != nil {
		t.Fatal(err)
	}
	if err := s.Received(Line, true); err == nil {
		t.Error("the responder spoke twice in a row after ending its turn; want a TurnError")
	}
	if got := (&TurnError{Session: 1, Speaker: Responder, Unit: Line}).Error(); got != "session 1: the responder sent a line out of turn (the turn is the initiator's)" {
		t.Errorf("TurnError text %q", got)
	}
}

func TestSessionCheckpointsNumbered(t *testing.T) {
	env := layerstest.New("client", 1)
	s := New(env, 2, Initiator)
	if _, err := s.Checkpoint(layers.Plain("too early"), 1); !errors.Is(err, ErrNotOpen) {
		t.Errorf("Checkpoint before Open: err %v, want ErrNotOpen", err)
	}
	s.Open()
	for i, l := range []string{"scan listing complete", "message 1 complete", "message 2 complete"} {
		env.Advance(time.Millisecond)
		if _, err := s.Checkpoint(layers.Plain(l), int64(1000*(i+1))); err != nil {
			t.Fatal(err)
		}
	}
	want := []Checkpoint{
		{1, layers.Plain("scan listing complete"), 1000, 1 * time.Millisecond},
		{2, layers.Plain("message 1 complete"), 2000, 2 * time.Millisecond},
		{3, layers.Plain("message 2 complete"), 3000, 3 * time.Millisecond},
	}
	if diff := cmp.Diff(want, s.Checkpoints()); diff != "" {
		t.Errorf("checkpoints differ (-want +got):\n%s", diff)
	}
	if got := env.Find("checkpoint 3: message 2 complete (3,000 B)"); len(got) != 1 {
		t.Errorf("no note for checkpoint 3 in %q", env.Texts())
	}
}

func TestSessionReleaseAbort(t *testing.T) {
	env := layerstest.New("server", 1)
	s := New(env, 3, Responder)
	if err := s.Release(); !errors.Is(err, ErrNotOpen) {
		t.Errorf("Release of an IDLE session: err %v, want ErrNotOpen", err)
	}
	s.Open()
	if err := s.Open(); err == nil {
		t.Error("a second Open gave no error")
	}
	s.Checkpoint(layers.Plain("message 1 complete"), 2941)
	s.Abort(layers.Plain("connection lost: retransmission limit reached"))
	if s.State() != Aborted {
		t.Fatalf("state %v, want ABORTED", s.State())
	}
	if _, err := s.Feed([]byte("+OK\r\n")); !errors.Is(err, ErrNotOpen) {
		t.Errorf("Feed after Abort: err %v, want ErrNotOpen", err)
	}
	if err := s.Release(); err == nil {
		t.Error("Release after Abort gave no error")
	}
	n := len(env.Events)
	s.Abort(layers.Plain("again"))
	if len(env.Events) != n || s.State() != Aborted {
		t.Error("a second Abort changed something")
	}
	last := env.Events[n-1]
	want := "abort session 3: connection lost: retransmission limit reached; the last checkpoint is 1: message 1 complete (2,941 B)"
	if last.Text != want || last.Cause != "connection lost: retransmission limit reached" {
		t.Errorf("abort note %q (cause %q), want %q", last.Text, last.Cause, want)
	}

	r := New(env, 4, Initiator)
	r.Open()
	r.Release()
	r.Abort(layers.Plain("reset after QUIT"))
	if r.State() != Released {
		t.Errorf("Abort after Release changed the state to %v", r.State())
	}
	q := New(env, 5, Initiator)
	q.Abort(layers.Plain("connect failed"))
	if q.State() != Aborted || env.Events[len(env.Events)-1].Text != "abort session 5: connect failed; no checkpoint to resume from" {
		t.Errorf("abort of an IDLE session: %v, %q", q.State(), env.Events[len(env.Events)-1].Text)
	}
}

func TestSPDU(t *testing.T) {
	p := SPDU{Session: 1, Speaker: Initiator, Unit: Line, Len: 8, End: true}
	if got, want := p.Summary(), "SPDU session 1: line of 8 B from the initiator (no session header)"; got != want {
		t.Errorf("Summary %q, want %q", got, want)
	}
	q := SPDU{Session: 1, Speaker: Responder, Unit: DotTerminated, Len: 14600}
	if got, want := q.Summary(), "SPDU session 1: piece of a dot-terminated block of 14,600 B from the responder (no session header)"; got != want {
		t.Errorf("Summary %q, want %q", got, want)
	}
	if p.HeaderLen() != 0 || len(p.Fields()) != 6 || p.Fields()[2].Value != "line" {
		t.Errorf("HeaderLen %d, Fields %v", p.HeaderLen(), p.Fields())
	}
}

func TestGrouped(t *testing.T) {
	for n, want := range map[int64]string{0: "0", 999: "999", 1000: "1,000", 2941: "2,941", 10485760: "10,485,760", -1234: "-1,234"} {
		if got := layers.Thousands(n); got != want {
			t.Errorf("layers.Thousands(%d) = %q, want %q", n, got, want)
		}
	}
}
