package layers

import (
	"errors"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestPhrase(t *testing.T) {
	inner := Tell("tcp.why.fin", "the peer's FIN arrived")
	tests := []struct {
		name string
		p    Phrase
		want Phrase
		text string
		zero bool
	}{
		{"no arguments", Tell("a", "plain words"), Phrase{Msg: "a", En: "plain words"}, "plain words", false},
		{"arguments", Tell("b", "%d of %s", 3, "x"), Phrase{Msg: "b", Args: []any{3, "x"}, En: "3 of x"}, "3 of x", false},
		{"a phrase in a phrase", Tell("c", "%v; waiting", inner),
			Phrase{Msg: "c", Args: []any{inner}, En: "the peer's FIN arrived; waiting"}, "the peer's FIN arrived; waiting", false},
		{"plain text keeps its percent signs", Plain("100% done"), Phrase{En: "100% done"}, "100% done", false},
		{"zero", Phrase{}, Phrase{}, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, tt.p); diff != "" {
				t.Errorf("phrase (-want +got):\n%s", diff)
			}
			if got := tt.p.String(); got != tt.text {
				t.Errorf("String() = %q, want %q", got, tt.text)
			}
			if got := fmt.Sprintf("%v", tt.p); got != tt.text {
				t.Errorf("%%v = %q, want %q", got, tt.text)
			}
			if got := tt.p.IsZero(); got != tt.zero {
				t.Errorf("IsZero() = %v, want %v", got, tt.zero)
			}
		})
	}
}

func TestSayPhrase(t *testing.T) {
	p := Tell("tcp.ooo.queued", "out of order: seq %d queued", 7)
	got := Event{Layer: Transport, Dir: Note}.SayPhrase(p)
	want := Event{Layer: Transport, Dir: Note}.Say("tcp.ooo.queued", "out of order: seq %d queued", 7)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("SayPhrase (-Say +SayPhrase):\n%s", diff)
	}
}

func TestPhrases(t *testing.T) {
	l := Phrases{Tell("a", "%s is an alias of %s; ", "www", "web"), Plain("web has 1 A record")}
	if got, want := l.String(), "www is an alias of web; web has 1 A record"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	if got := (Phrases{}).String(); got != "" {
		t.Errorf("empty String() = %q", got)
	}
}

func TestError(t *testing.T) {
	base := NewError("transport: connection timed out", Tell("tcp.err.timeout", "the connection timed out"))
	why := Tell("tcp.what.probes", "%d zero-window probes in a row went unanswered", 3)
	err := base.Because(why)
	if got, want := err.Error(), "transport: connection timed out: 3 zero-window probes in a row went unanswered"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if !errors.Is(err, base) {
		t.Error("errors.Is(err, base) = false")
	}
	want := Phrase{Msg: "error.because", Args: []any{base.Phrase(), why},
		En: "the connection timed out: 3 zero-window probes in a row went unanswered"}
	if diff := cmp.Diff(want, err.Phrase()); diff != "" {
		t.Errorf("Phrase (-want +got):\n%s", diff)
	}
	var e *Error
	if wrapped := fmt.Errorf("pop3: %w", err); !errors.As(wrapped, &e) || e != err {
		t.Errorf("errors.As through a wrap = %v", e)
	}
}
