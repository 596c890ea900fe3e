package network

import "github.com/osisim/osisim/layers"

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
func count(n int, noun string) layers.Phrase {
	switch noun {
	case "datagram":
		return layers.Count(n, layers.Tell("net.n.datagram", "%d datagram", n),
			layers.Tell("net.n.datagrams", "%d datagrams", n))
	case "waiting datagram":
		return layers.Count(n, layers.Tell("net.n.waiting", "%d waiting datagram", n),
			layers.Tell("net.n.waitings", "%d waiting datagrams", n))
	case "request":
		return layers.Count(n, layers.Tell("net.n.request", "%d request", n),
			layers.Tell("net.n.requests", "%d requests", n))
	case "fragment":
		return layers.Count(n, layers.Tell("net.n.fragment", "%d fragment", n),
			layers.Tell("net.n.fragments", "%d fragments", n))
	}
	return layers.Plain(layers.Plural(n, noun))
}

// opText is the name of an ARP opcode (arpOpName) as an argument of a text.
func opText(op uint16) layers.Phrase {
	switch op {
	case ARPRequest:
		return layers.Tell("net.op.request", "request")
	case ARPReply:
		return layers.Tell("net.op.reply", "reply")
	case RARPRequest:
		return layers.Tell("net.op.rarp.request", "RARP request")
	case RARPReply:
		return layers.Tell("net.op.rarp.reply", "RARP reply")
	}
	return layers.Tell("net.op", "opcode %d", op)
}
