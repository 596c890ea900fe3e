package sim

import (
	"bufio"
	"errors"
	"io"

	"github.com/osisim/osisim/layers"
	"github.com/osisim/osisim/layers/application"
	"github.com/osisim/osisim/layers/presentation"
	"github.com/osisim/osisim/layers/session"
	"github.com/osisim/osisim/layers/transport"
)

// appConn is the stack glue above TCP on one end of a POP3 connection: it
// moves the application's lines and bodies down through the presentation
// and session layers into TCP, and the received octets up through the
// session layer's framer, recording the event of every boundary it crosses.
type appConn struct {
	h    *Host
	conn *transport.Conn
	sess *session.Session

	out     []outItem // what waits to go into TCP's send buffer, in order
	pending []byte    // read from out[0].r but not yet taken by TCP
	eof     bool      // out[0].r is exhausted
	chunk   []byte    // read buffer for bodies
	rbuf    []byte    // receive buffer

	closeWhenSent bool
	onPiece       func(session.Piece)

	// the osi profile (appconn_osi.go)
	osi      bool
	compress bool
	turns    uint16 // how many times the dialog turn has passed
	comp     presentation.Compressor
	decomp   presentation.Decompressor
	ureader  session.UnitReader

	tls *tlsLayer // the TLS record layer, once TLS is on (appconn_tls.go)
	// plainEnded: STLS was answered "+OK", so nothing more from the peer
	// is read in the clear (appconn_tls.go, endPlaintext).
	plainEnded bool
}

// outItem is a line or a streamed body on its way into TCP.
type outItem struct {
	data  []byte
	r     io.Reader
	id    uint64 // the PDU (SPDU) the octets belong to
	after func() // runs when the last octet went into TCP

	// the osi profile: r read through a lookahead, in the transfer syntax
	br     *bufio.Reader
	syntax presentation.SyntaxID
	parent uint64 // the body's PPDU, parent of each segment's
}

const appChunk = 16 << 10

func newAppConn(h *Host, c *transport.Conn, id int, role session.Role) *appConn {
	a := &appConn{h: h, conn: c, sess: session.New(h.env, id, role), rbuf: make([]byte, appChunk)}
	return a
}

// handler returns the TCP callbacks of the glue.
func (a *appConn) handler(established func(), closed func(error)) transport.Handler {
	return transport.Handler{
		Established: func(*transport.Conn) {
			if established != nil {
				established()
			}
		},
		Readable: func(*transport.Conn) { a.readable() },
		Writable: func(*transport.Conn) { a.pump() },
		// The peer will send no more: close our side too once our octets are
		// out (a telnet that leaves after the greeting, say).
		PeerClosed: func(*transport.Conn) {
			a.closeWhenSent = true
			a.pump()
		},
		Closed: func(_ *transport.Conn, err error) {
			a.stopTLS()
			if a.sess.State() == session.Open {
				reason := layers.Tell("l5.abort.closed", "the transport connection closed")
				if err != nil {
					reason = layers.Tell("l5.abort.failed", "the transport connection failed: %v", err)
				}
				a.sess.Abort(reason)
			}
			if closed != nil {
				closed(err)
			}
		},
	}
}

func (a *appConn) record(e layers.Event) { a.h.record(e) }

// tell is a text of the trace before its event: its message id, arguments
// and English text (layers.Event.Say). Helpers that build the event take it.
func tell(msg, en string, args ...any) layers.Event { return layers.Event{}.Say(msg, en, args...) }

// said returns e with the message of s.
func said(e layers.Event, s layers.Event) layers.Event {
	e.Msg, e.Args, e.Text = s.Msg, s.Args, s.Text
	return e
}

// sendLine takes a command or reply line down L7, L6 and L5. With endTurn
// the dialog turn passes to the peer.
func (a *appConn) sendLine(m application.Message, endTurn bool, text layers.Event) {
	line := m.Append(nil)
	tracing := a.h.sim.tracing
	var id5 uint64
	if tracing {
		id7 := a.h.sim.NewID()
		a.record(said(layers.Event{Layer: layers.Application, Dir: layers.Down, PDU: &layers.PDU{
			Kind: "pop3", ID: id7, Len: len(line), HeaderLen: m.HeaderLen(), Summary: m.Summary(), Fields: m.Fields(), Bytes: line}}, text))
		if a.osi {
			a.sendLineOSI(line, endTurn, id7)
			return
		}
		id6 := a.recordPPDU(layers.Down, presentation.LinePPDU(len(line)), id7,
			tell("l6.line.down", "US-ASCII line: the transfer syntax needs no conversion"))
		sp := session.SPDU{Session: a.sess.ID(), Speaker: a.sess.Role(), Unit: session.Line, Len: len(line), End: true}
		id5 = a.recordSPDU(layers.Down, sp, id6, tell("l5.spdu.down", "%s to TCP", spduSummary(sp)))
	}
	if a.osi {
		a.sendLineOSI(line, endTurn, 0)
		return
	}
	if err := a.sess.Sent(session.Line, endTurn); err != nil {
		a.protocolError(err)
	}
	a.out = append(a.out, outItem{data: line, id: id5})
	a.pump()
}

// sendLineOSI sends a line in the osi profile, in one SPDU.
func (a *appConn) sendLineOSI(line []byte, endTurn bool, parent uint64) {
	wire, id5 := a.osiWrap(session.Line, presentation.SyntaxLine, line, true, endTurn, parent)
	if err := a.sess.Sent(session.Line, endTurn); err != nil {
		a.protocolError(err)
	}
	a.out = append(a.out, outItem{data: wire, id: id5})
	a.pump()
}

// sendBody streams a multi-line body (a mail or a scan listing) down L6
// (transfer encoding, done by the maildrop; dot-stuffing here) and L5, then
// passes the turn to the peer.
func (a *appConn) sendBody(body application.Body, parent uint64, after func()) {
	stuffer := presentation.NewStuffer(body.Reader())
	tracing := a.h.sim.tracing
	var id5 uint64
	if tracing {
		var ppdu presentation.PPDU
		var text layers.Event
		if enc, ok := body.(*presentation.Encoded); ok {
			ppdu = enc.PPDU(-1)
			text = tell("l6.steps", "%v", stepList(enc.Steps()))
		} else if top, ok := body.(*application.Top); ok {
			ppdu = top.Mail.PPDU(-1)
			ppdu.Octets = top.Size()
			text = tell("l6.top.down", "%v\n%v", stepList(top.Mail.Steps()), bodySummary{top})
		} else {
			ppdu = presentation.BlockPPDU(body.Size(), -1)
			text = tell("l6.block.down", "%v: US-ASCII lines, no conversion", bodySummary{body})
		}
		id6 := a.recordPPDU(layers.Down, ppdu, parent, text)
		id5 = id6
		if !a.osi {
			sp := session.SPDU{Session: a.sess.ID(), Speaker: a.sess.Role(), Unit: session.DotTerminated, Len: int(body.Size()), End: true}
			id5 = a.recordSPDU(layers.Down, sp, id6,
				tell("l5.block.down", "session %d: a dot-terminated block of %s B follows the status line; it ends the %v's turn",
					a.sess.ID(), Thousands(body.Size()), a.sess.Role()))
		}
	}
	if err := a.sess.Sent(session.DotTerminated, true); err != nil {
		a.protocolError(err)
	}
	it := outItem{r: stuffer, id: id5}
	if a.osi {
		it.br = osiBodyReader(stuffer)
		it.parent = id5
		it.syntax = presentation.SyntaxLines
		if _, ok := body.(*presentation.Encoded); ok {
			it.syntax = presentation.SyntaxMail
		} else if _, ok := body.(*application.Top); ok {
			it.syntax = presentation.SyntaxMail
		}
	}
	it.after = func() {
		if tracing {
			st := stuffer.Step()
			a.record(layers.Event{Layer: layers.Presentation, Dir: layers.Note}.SayPhrase(st.Phrase()))
		}
		if after != nil {
			after()
		}
	}
	a.out = append(a.out, it)
	a.pump()
}

// pump moves queued octets into TCP's send buffer until it is full or the
// queue is empty. TCP calls it again (Writable) as space frees up.
func (a *appConn) pump() {
	if a.tls != nil && !a.tlsFlush() {
		return
	}
	for len(a.out) > 0 {
		it := &a.out[0]
		if it.r != nil {
			if it.br != nil && len(a.pending) == 0 && !a.eof {
				if err := a.osiNextSegment(it); err != nil {
					a.protocolError(err)
					return
				}
			}
			if len(a.pending) == 0 && !a.eof {
				if a.chunk == nil {
					a.chunk = make([]byte, appChunk)
				}
				n, err := it.r.Read(a.chunk)
				a.pending = a.chunk[:n]
				if errors.Is(err, io.EOF) {
					a.eof = true
				} else if err != nil {
					a.protocolError(err)
					return
				}
			}
			if len(a.pending) > 0 {
				w := a.write(a.pending, it.id)
				a.pending = a.pending[w:]
				if w == 0 {
					return
				}
				continue
			}
			if !a.eof {
				continue
			}
		} else if len(it.data) > 0 {
			w := a.write(it.data, it.id)
			it.data = it.data[w:]
			if len(it.data) > 0 {
				return
			}
		}
		after := it.after
		a.out = a.out[1:]
		a.eof = false
		if after != nil {
			after()
		}
	}
	if a.closeWhenSent && a.tlsIdle() {
		a.closeWhenSent = false
		a.conn.Close()
	}
}

// readable takes what TCP delivered in order and frames it.
func (a *appConn) readable() {
	for {
		n := a.conn.Read(a.rbuf)
		if n == 0 {
			return
		}
		a.feed(a.rbuf[:n])
	}
}

// feed frames octets into units (L5) and hands each piece on. Octets after
// a complete unit wait in the framer until the application says what it
// expects next.
func (a *appConn) feed(b []byte) {
	if a.tls != nil {
		if b = a.tlsFeed(b); len(b) == 0 {
			return
		}
	} else if a.plainEnded {
		a.dropPlaintext(len(b))
		return
	}
	if a.osi {
		a.feedOSI(b)
		return
	}
	for a.sess.State() == session.Open {
		pieces, err := a.sess.Feed(b)
		if err != nil {
			a.protocolError(err)
			return
		}
		for _, p := range pieces {
			a.onPiece(p)
		}
		b = nil
		if len(pieces) == 0 || a.sess.Framer().Held() == 0 {
			return
		}
	}
}

// protocolError ends the session and the connection: the peer (or this
// side) broke the dialog's rules.
func (a *appConn) protocolError(err error) {
	a.record(layers.Event{Layer: layers.Session, Dir: layers.Drop, Reason: layers.ReasonProtocol}.Say("l5.protocol.error",
		"protocol error: %v; the connection is reset", err))
	a.sess.Abort(layers.Tell("l5.abort.protocol", "%v", err))
	a.conn.Abort()
}

func (a *appConn) recordPPDU(dir layers.Dir, p presentation.PPDU, parent uint64, text layers.Event) uint64 {
	if a.osi && p.Stuffed < 0 && dir == layers.Up {
		return 0 // a line: the osi profile records its PPDU (appconn_osi.go)
	}
	id := a.h.sim.NewID()
	a.record(said(layers.Event{Layer: layers.Presentation, Dir: dir, PDU: &layers.PDU{
		Kind: "ppdu", ID: id, Parents: idList(parent), Len: int(p.Octets), HeaderLen: p.HeaderLen(),
		Summary: p.Summary(), Fields: p.Fields()}}, text))
	return id
}

func (a *appConn) recordSPDU(dir layers.Dir, p session.SPDU, parent uint64, text layers.Event) uint64 {
	if a.osi {
		return 0 // the osi profile records the real SPDUs (appconn_osi.go)
	}
	id := a.h.sim.NewID()
	a.record(said(layers.Event{Layer: layers.Session, Dir: dir, PDU: &layers.PDU{
		Kind: "spdu", ID: id, Parents: idList(parent), Len: p.Len, HeaderLen: p.HeaderLen(),
		Summary: p.Summary(), Fields: p.Fields()}}, text))
	return id
}

func idList(id uint64) []uint64 {
	if id == 0 {
		return nil
	}
	return []uint64{id}
}

// stepList is presentation steps as an argument of a text: one per line.
type stepList []presentation.Step

func (l stepList) String() string { return l.in(layers.EN) }

// in returns the steps in lang, one per line.
func (l stepList) in(lang layers.Lang) string {
	s := ""
	for i, st := range l {
		if i > 0 {
			s += "\n"
		}
		s += phraseIn(lang, st.Phrase())
	}
	return s
}
