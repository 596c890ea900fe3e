package presentation

import "fmt"

// say returns s with its Text the English template en formatted with args,
// and its Msg and Args the message id and arguments (see
// layers.Event.Say), so that a trace can say the step in another language.
func (s Step) say(msg, en string, args ...any) Step {
	s.Text, s.Msg, s.Args = fmt.Sprintf(en, args...), msg, args
	return s
}

// String returns the step's text in English.
func (s Step) String() string { return s.Text }

// Phrase returns the message id and arguments of the step's text.
func (s Step) Phrase() (string, []any) { return s.Msg, s.Args }
