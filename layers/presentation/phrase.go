package presentation

import "github.com/osisim/osisim/layers"

// tell returns s with its Text the English template en formatted with args,
// and its Msg and Args the message id and arguments (see layers.Tell), so
// that a trace can say the step in another language.
func (s Step) tell(msg, en string, args ...any) Step {
	p := layers.Tell(msg, en, args...)
	s.Text, s.Msg, s.Args = p.En, p.Msg, p.Args
	return s
}

// Phrase returns the step's text as a phrase.
func (s Step) Phrase() layers.Phrase { return layers.Phrase{Msg: s.Msg, Args: s.Args, En: s.Text} }
