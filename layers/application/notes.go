package application

import "github.com/osisim/osisim/layers"

// note returns r with its note set to p.
func (r Reply) note(p layers.Phrase) Reply {
	r.Note, r.NoteMsg, r.NoteArgs = p.En, p.Msg, p.Args
	return r
}

// messages counts messages: "1 message", "2 messages".
func messages(n int) layers.Phrase {
	if n == 1 {
		return layers.Tell("pop3.n.message", "%d message", n)
	}
	return layers.Tell("pop3.n.messages", "%d messages", n)
}

// marks counts deletion marks: "1 deletion mark", "2 deletion marks".
func marks(n int) layers.Phrase {
	if n == 1 {
		return layers.Tell("pop3.n.mark", "%d deletion mark", n)
	}
	return layers.Tell("pop3.n.marks", "%d deletion marks", n)
}
