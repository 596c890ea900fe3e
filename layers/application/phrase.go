package application

import (
	"fmt"
	"strings"
)

// phrase is a text for the trace with the message id it was made from: its
// English text, and the id and arguments with which a renderer in another
// language formats its own template of the id (see layers.Event.Say). A
// phrase may be the argument of another.
type phrase struct {
	msg  string
	args []any
	text string
}

// say returns the phrase of message id msg: the English template en
// formatted with args.
func say(msg, en string, args ...any) phrase {
	return phrase{msg: msg, args: args, text: fmt.Sprintf(en, args...)}
}

// String returns the English text.
func (p phrase) String() string { return p.text }

// Phrase returns the message id and arguments.
func (p phrase) Phrase() (string, []any) { return p.msg, p.args }

// note returns r with its note set to p.
func (r Reply) note(p phrase) Reply {
	r.Note, r.NoteMsg, r.NoteArgs = p.text, p.msg, p.args
	return r
}

// messages counts messages: "1 message", "2 messages".
func messages(n int) phrase {
	if n == 1 {
		return say("pop3.n.message", "%d message", n)
	}
	return say("pop3.n.messages", "%d messages", n)
}

// marks counts deletion marks: "1 deletion mark", "2 deletion marks".
func marks(n int) phrase {
	if n == 1 {
		return say("pop3.n.mark", "%d deletion mark", n)
	}
	return say("pop3.n.marks", "%d deletion marks", n)
}

// phraseList is a text made of phrases one after the other.
type phraseList []phrase

// String returns the English text.
func (l phraseList) String() string {
	var b strings.Builder
	for _, p := range l {
		b.WriteString(p.text)
	}
	return b.String()
}

// Parts returns the phrases, for a trace in another language.
func (l phraseList) Parts() []any {
	parts := make([]any, len(l))
	for i, p := range l {
		parts[i] = p
	}
	return parts
}
