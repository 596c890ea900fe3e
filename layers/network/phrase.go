package network

import "fmt"

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

// pduText is the summary of a PDU as an argument of a text: PDUKind lets a
// renderer in another language find its own words for the summary.
type pduText struct{ kind, text string }

func (p pduText) String() string  { return p.text }
func (p pduText) PDUKind() string { return p.kind }

// arpText and icmpText are the summaries of an ARP packet and of an ICMP
// message as arguments of a text.
func arpText(a ARP) pduText   { return pduText{kind: "arp", text: a.Summary()} }
func icmpText(m ICMP) pduText { return pduText{kind: "icmp", text: m.Summary()} }

// count counts things for the trace: "1 datagram", "2 datagrams".
func count(n int, noun string) phrase {
	switch noun {
	case "datagram":
		if n == 1 {
			return say("net.n.datagram", "%d datagram", n)
		}
		return say("net.n.datagrams", "%d datagrams", n)
	case "waiting datagram":
		if n == 1 {
			return say("net.n.waiting", "%d waiting datagram", n)
		}
		return say("net.n.waitings", "%d waiting datagrams", n)
	case "request":
		if n == 1 {
			return say("net.n.request", "%d request", n)
		}
		return say("net.n.requests", "%d requests", n)
	case "fragment":
		if n == 1 {
			return say("net.n.fragment", "%d fragment", n)
		}
		return say("net.n.fragments", "%d fragments", n)
	}
	return phrase{text: plural(n, noun)}
}

// opText is the name of an ARP opcode (arpOpName) as an argument of a text.
func opText(op uint16) phrase {
	switch op {
	case ARPRequest:
		return say("net.op.request", "request")
	case ARPReply:
		return say("net.op.reply", "reply")
	case RARPRequest:
		return say("net.op.rarp.request", "RARP request")
	case RARPReply:
		return say("net.op.rarp.reply", "RARP reply")
	}
	return say("net.op", "opcode %d", op)
}
