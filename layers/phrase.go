package layers

import (
	"fmt"
	"strings"
)

// Phrase is a text for the trace together with the message id it was made
// from: the why of a TCP state change, a POP3 server's note, the holes of a
// reassembly. It prints its English text, and a renderer in another
// language formats its own template of Msg with the same Args (see
// Event.Say). A phrase may be the argument of another phrase or event, and
// is then said in the renderer's language too. The zero Phrase says
// nothing.
type Phrase struct {
	// Msg is the message id ("tcp.why.fin"); empty for a phrase that is
	// plain text with no translation.
	Msg string
	// Args are the arguments of Msg's templates.
	Args []any
	// En is the English text: Msg's English template formatted with Args.
	En string
}

// Tell returns the phrase of message id msg: the English template en
// formatted with args. The English template stays next to the code that
// says it; the other languages' templates of msg live in the renderers'
// message catalog, with the same verbs in the same order.
func Tell(msg, en string, args ...any) Phrase {
	return Phrase{Msg: msg, Args: args, En: fmt.Sprintf(en, args...)}
}

// Plain returns a phrase that is text with no message id: every language
// prints it as it is (a POP3 keyword, a number list).
func Plain(text string) Phrase { return Phrase{En: text} }

// String returns the English text.
func (p Phrase) String() string { return p.En }

// IsZero reports whether p says nothing.
func (p Phrase) IsZero() bool { return p.Msg == "" && p.En == "" }

// SayPhrase returns e with its text the phrase p (as Say sets it).
func (e Event) SayPhrase(p Phrase) Event {
	e.Msg, e.Args, e.Text = p.Msg, p.Args, p.En
	return e
}

// Phrases is a text made of phrases one after the other; a renderer in
// another language says each of them in its language.
type Phrases []Phrase

// String returns the English text.
func (l Phrases) String() string {
	var b strings.Builder
	for _, p := range l {
		b.WriteString(p.En)
	}
	return b.String()
}

// Error is an error that a trace tells in its reader's language. Error
// returns the Go error string, in English with its package's prefix, for
// programs; Phrase returns what a trace says about it, for students.
type Error struct {
	text   string
	phrase Phrase
	wraps  error
}

// NewError returns an error with the Go error string text that a trace says
// as p.
func NewError(text string, p Phrase) *Error { return &Error{text: text, phrase: p} }

// Error returns the Go error string.
func (e *Error) Error() string { return e.text }

// Phrase returns what a trace says about the error.
func (e *Error) Phrase() Phrase { return e.phrase }

// Unwrap returns the error that e adds to, if any.
func (e *Error) Unwrap() error { return e.wraps }

// Because returns an error that is e (errors.Is reports it) with why it
// happened: its Go error string is e's, ": " and why in English, and a
// trace says e's phrase and why, each in its reader's language.
func (e *Error) Because(why Phrase) *Error {
	return &Error{text: e.text + ": " + why.En, phrase: Tell("error.because", "%v: %v", e.phrase, why), wraps: e}
}
