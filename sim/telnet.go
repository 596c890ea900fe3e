package sim

import (
	"bytes"
	"errors"
	"fmt"
	"net/netip"
	"time"

	"github.com/osisim/osisim/layers"
	"github.com/osisim/osisim/layers/presentation"
	"github.com/osisim/osisim/layers/session"
	"github.com/osisim/osisim/layers/transport"
)

// Telnet is "telnet HOST PORT" used the way the lessons use it: to test
// whether a TCP port is open. It opens a TCP connection (RFC 9293 3.5): an
// open port completes the three-way handshake, a closed one answers the
// SYN with RST ("Connection refused"). Once connected it shows what the
// service sends first (a POP3 server's greeting) and closes the
// connection. Unlike ping, which needs only the network layer, telnet needs
// a process listening on the port.
type Telnet struct {
	h         *Host
	dst       netip.AddrPort
	conn      *transport.Conn
	got       []byte
	greeting  []byte // what the service said, with the osi profile's headers taken off
	osiUsed   int    // octets of t.got the osi units found so far take
	buf       []byte
	connected bool
	closing   bool
	done      bool
	err       error
}

// StartTelnet starts a telnet client on h at time at that connects to dst.
func (h *Host) StartTelnet(at time.Duration, dst netip.AddrPort) *Telnet {
	t := &Telnet{h: h, dst: dst}
	h.sim.At(at, t.start)
	return t
}

// Connected reports whether the three-way handshake completed: the port is
// open.
func (t *Telnet) Connected() bool { return t.connected }

// Refused reports whether the server answered the SYN with RST: the port is
// closed.
func (t *Telnet) Refused() bool { return errors.Is(t.err, transport.ErrRefused) }

// Received returns what the server sent, octet for octet.
func (t *Telnet) Received() string { return string(t.got) }

// Greeting returns what the service said: what it sent or, when the server
// speaks the osi profile, the user data inside its session and presentation
// headers, decompressed.
func (t *Telnet) Greeting() string { return string(t.said()) }

func (t *Telnet) said() []byte {
	if t.osiUsed > 0 {
		return t.greeting
	}
	return t.got
}

// Err returns why the connection failed (transport.ErrRefused, ErrTimeout,
// ErrReset ...), or nil.
func (t *Telnet) Err() error { return t.err }

// Done reports whether the connection has ended.
func (t *Telnet) Done() bool { return t.done }

// portText describes a port and the range it belongs to: "110 (pop3), a
// well-known port (0-1023)".
func portText(p uint16) layers.Phrase {
	tp := transport.Port(p)
	s := fmt.Sprint(p)
	if name := tp.Service(); name != "" {
		s += " (" + name + ")"
	}
	switch tp.Class() {
	case transport.WellKnown:
		return layers.Tell("port.wellknown", "%s, a well-known port (0-1023)", s)
	case transport.Registered:
		return layers.Tell("port.registered", "%s, a registered port (1024-49151)", s)
	}
	return layers.Tell("port.dynamic", "%s, a dynamic port (49152-65535)", s)
}

func (t *Telnet) start() {
	h := t.h
	port := t.dst.Port()
	h.record(layers.Event{Layer: layers.Application, Dir: layers.Note, Walk: true}.
		Title("chapter.telnet", "%s runs telnet %s %d: is TCP port %d open?", h.name, t.dst.Addr(), port, port).
		Say("l7.telnet.trying", "telnet: Trying %s... port %s: TCP asks with a SYN whether a process listens there",
			t.dst.Addr(), portText(port)))
	src, err := h.ip.SourceFor(t.dst.Addr())
	if err != nil {
		t.fail(err, tell("l7.telnet.unable", "telnet: Unable to connect to remote host: %v", err))
		return
	}
	c, err := h.tcp.Dial(src, t.dst, transport.Handler{
		Established: t.established,
		Readable:    t.readable,
		PeerClosed:  t.peerClosed,
		Closed:      t.closed,
	})
	if err != nil {
		t.fail(err, tell("l7.telnet.err", "telnet: %v", err))
		return
	}
	t.conn = c
}

func (t *Telnet) fail(err error, text layers.Event) {
	t.err, t.done = err, true
	t.h.record(said(layers.Event{Layer: layers.Application, Dir: layers.Note}, text))
}

func (t *Telnet) established(c *transport.Conn) {
	t.connected = true
	t.h.record(layers.Event{Layer: layers.Application, Dir: layers.Note}.Say("l7.telnet.connected",
		"telnet: Connected to %s. Port %d is open: the three-way handshake completed (from local port %d)",
		t.dst.Addr(), t.dst.Port(), c.LocalAddr().Port()))
}

// readable shows what the server sent; after its first line (a greeting),
// telnet closes the connection, as a person testing the port would.
func (t *Telnet) readable(c *transport.Conn) {
	if t.buf == nil {
		t.buf = make([]byte, 2048)
	}
	for {
		n := c.Read(t.buf)
		if n == 0 {
			break
		}
		data := t.buf[:n]
		t.got = append(t.got, data...)
		t.h.record(layers.Event{Layer: layers.Application, Dir: layers.Up,
			PDU: &layers.PDU{Kind: "telnet", ID: t.h.sim.NewID(), Len: n,
				Summary: fmt.Sprintf("%d bytes of data: %q", n, clipBytes(data, 60)), Bytes: data}}.Say(
			"l7.telnet.says", "telnet: the service on port %d says %q", t.dst.Port(), clipBytes(bytes.TrimRight(data, "\r\n"), 200)))
	}
	t.readOSI()
	if !t.closing && bytes.Contains(t.said(), []byte("\n")) {
		t.closing = true
		t.h.record(layers.Event{Layer: layers.Application, Dir: layers.Note}.Say("l7.telnet.quit",
			"telnet: the service answered; closing the connection (telnet> quit): TCP sends FIN"))
		c.Close()
	}
}

// readOSI looks for the osi profile's units in what the service sent. A real
// telnet prints the session and presentation headers as the octets they
// are; osisim shows them and also what they carry, so a student sees both
// what the wire holds and the greeting inside it.
func (t *Telnet) readOSI() {
	for {
		b := t.got[t.osiUsed:]
		h, err := session.ParseOSIHeader(b)
		if err != nil || len(b) < session.OSIHeaderLen+int(h.Length) {
			return
		}
		unit := b[session.OSIHeaderLen : session.OSIHeaderLen+int(h.Length)]
		ph, data, err := presentation.ParseOSIUnit(unit)
		if err != nil {
			return
		}
		t.osiUsed += session.OSIHeaderLen + int(h.Length)
		t.greeting = append(t.greeting, data...)
		e := layers.Event{Layer: layers.Application, Dir: layers.Note}
		if ph.Compressed() {
			e = e.Say("telnet.osi.deflate", "telnet: these are not characters: a %d B osi-profile session header and an %d B presentation header, then %d B of DEFLATE data; inside: %q",
				session.OSIHeaderLen, presentation.OSIHeaderLen, len(unit)-presentation.OSIHeaderLen, clipBytes(bytes.TrimRight(data, "\r\n"), 200))
		} else {
			e = e.Say("telnet.osi", "telnet: these are not characters: a %d B osi-profile session header and an %d B presentation header; inside: %q",
				session.OSIHeaderLen, presentation.OSIHeaderLen, clipBytes(bytes.TrimRight(data, "\r\n"), 200))
		}
		t.h.record(e)
	}
}

func (t *Telnet) peerClosed(c *transport.Conn) {
	t.h.record(layers.Event{Layer: layers.Application, Dir: layers.Note}.Say("l7.telnet.foreign", "telnet: Connection closed by foreign host."))
	t.closing = true
	c.Close()
}

func (t *Telnet) closed(_ *transport.Conn, err error) {
	t.done = true
	t.err = err
	e := layers.Event{Layer: layers.Application, Dir: layers.Note}
	switch {
	case errors.Is(err, transport.ErrRefused):
		e = e.Say("l7.telnet.refused", "telnet: Unable to connect to remote host: Connection refused: port %d is closed (RST): no process listens on it",
			t.dst.Port())
	case errors.Is(err, transport.ErrTimeout) && !t.connected:
		e = e.Say("l7.telnet.timeout", "telnet: Unable to connect to remote host: Connection timed out: no answer to the SYNs sent to %s", t.dst)
	case errors.Is(err, transport.ErrReset):
		e = e.Say("l7.telnet.reset", "telnet: Connection reset by peer")
	case err != nil:
		e = e.Say("l7.telnet.lost", "telnet: connection lost: %v", err)
	default:
		e = e.Say("l7.telnet.closed", "telnet: Connection closed.")
	}
	t.h.record(e)
}

// clipBytes cuts b to at most n octets for a line of the trace.
func clipBytes(b []byte, n int) string {
	if len(b) > n {
		return string(b[:n]) + "..."
	}
	return string(b)
}
