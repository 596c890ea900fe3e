package network

import (
	"fmt"

	"github.com/osisim/osisim/layers"
)

// SendICMPError sends an ICMP error message of type typ (destination
// unreachable, source quench, redirect, time exceeded, parameter problem)
// and code about datagram about, which the node received or relays, to
// its source (RFC 792). rest is the 32-bit field after the checksum (the
// next-hop MTU for fragmentation needed, RFC 1191; a gateway for a
// redirect; a pointer for a parameter problem; 0 otherwise). The error
// quotes about's header and the first 64 bits of its data. Nothing is sent
// where RFC 1122 3.2.2 forbids an ICMP error (about a broadcast, an ICMP
// error, a fragment other than the first), which the trace notes. It fails
// for a type that is not an error message, or when there is no route back.
func (s *Stack) SendICMPError(about Datagram, typ, code uint8, rest uint32, m layers.Meta) error {
	if !isICMPError(typ) {
		return fmt.Errorf("network: ICMP %s (type %d) is not an error message", ICMP{Type: typ}.typeName(), typ)
	}
	s.quo = about.appendWith(s.quo[:0], &s.em)
	return s.sendICMPError(-1, about, s.quo, typ, code, rest, m, m.Cause)
}

// SourceQuench sends an ICMP source quench (type 4, code 0, RFC 792) about
// the datagram whose octets are original to its source, as a congested
// router once did when it dropped a datagram from a full queue. RFC 6633
// deprecates the message: routers must not send it and hosts ignore it.
// The simulator sends it only when a scenario asks for it, and the trace
// says so. It fails when original is not an IPv4 datagram or there is no
// route back to its source.
func (s *Stack) SourceQuench(original []byte, m layers.Meta) error {
	d, err := Parse(original)
	if err != nil {
		return err
	}
	cause := m.Cause
	if cause == "" {
		cause = "source quench"
	}
	if s.env.Tracing() {
		s.record(-1, layers.Note, "", cause, nil,
			layers.Tell("net.quench", "source quench to %s about datagram ID 0x%04x: deprecated by RFC 6633 (hosts ignore it), sent only because the scenario asks for it", d.Src, d.ID))
	}
	return s.sendICMPError(-1, d, original[:d.Len()], ICMPSourceQuench, 0, 0, m, cause)
}
