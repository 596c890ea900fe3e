package datalink

import (
	"fmt"
	"strconv"
	"strings"
)

// phrase is a part of a trace text with a message id of its own (a list of
// ports, the state of a window): it prints its English template formatted
// with its arguments, and a renderer in another language formats its own
// template of the id with the same arguments (see layers.Event.Say).
type phrase struct {
	msg, en string
	args    []any
}

// say returns the phrase of message id msg with English template en.
func say(msg, en string, args ...any) phrase { return phrase{msg: msg, en: en, args: args} }

// String returns the English text.
func (p phrase) String() string { return fmt.Sprintf(p.en, p.args...) }

// Phrase returns the message id and arguments.
func (p phrase) Phrase() (string, []any) { return p.msg, p.args }

// portList returns "port 2", "ports 2, 3" or "no other port".
func portList(ports []int) phrase {
	switch len(ports) {
	case 0:
		return say("l2.ports.none", "no other port")
	case 1:
		return say("l2.port", "port %d", ports[0])
	}
	var b strings.Builder
	for i, p := range ports {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(strconv.Itoa(p))
	}
	return say("l2.ports", "ports %s", b.String())
}
