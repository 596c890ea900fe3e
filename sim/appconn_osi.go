package sim

import (
	"bufio"
	"errors"
	"fmt"
	"io"

	"github.com/osisim/osisim/layers"
	"github.com/osisim/osisim/layers/presentation"
	"github.com/osisim/osisim/layers/session"
)

// Profile is the stack profile of the layers above TCP (docs/profiles.md).
type Profile string

// The profiles.
const (
	// ProfileInternet is TCP/IP as deployed: the session and presentation
	// layers add no header; POP3's CRLF and CRLF.CRLF delimit the units.
	ProfileInternet Profile = "internet"
	// ProfileOSI is the textbook picture: the session and presentation
	// layers add their own headers, so a frame carries seven nested ones.
	ProfileOSI Profile = "osi"
)

// ParseProfile parses "internet" (or "") and "osi".
func ParseProfile(s string) (Profile, error) {
	switch Profile(s) {
	case "", ProfileInternet:
		return ProfileInternet, nil
	case ProfileOSI:
		return ProfileOSI, nil
	}
	return "", fmt.Errorf("unknown profile %q: want internet or osi", s)
}

// OSICaptureNote is what the trace says about an osi-profile capture.
const OSICaptureNote = "osi profile: the TCP payload carries session and presentation headers; Wireshark shows it as data (on port 110 it tries POP3 and prints the headers as stray octets)"

// setProfile chooses the connection's profile and whether its presentation
// layer compresses (osi profile only).
func (a *appConn) setProfile(p Profile, compress bool) {
	if p != ProfileOSI {
		return
	}
	a.osi, a.compress = true, compress
	a.sess.SetOSIProfile()
	if a.h.sim.tracing {
		// The texts begin with OSICaptureNote.
		e := layers.Event{Layer: layers.Session, Dir: layers.Note}.Say("l5.osi.profile",
			"osi profile: the TCP payload carries session and presentation headers; Wireshark shows it as data (on port 110 it tries POP3 and prints the headers as stray octets)")
		if compress {
			e = e.Say("l5.osi.profile.deflate",
				"osi profile: the TCP payload carries session and presentation headers; Wireshark shows it as data (on port 110 it tries POP3 and prints the headers as stray octets); the presentation layer DEFLATE-compresses every unit that gets smaller")
		}
		a.record(e)
	}
}

// osiWrap adds the presentation header (compressing data if asked and
// worth it) and the session header to one unit or segment of a unit, and
// records both boundary events. It returns the octets for TCP and the
// SPDU's id.
func (a *appConn) osiWrap(u session.Unit, syntax presentation.SyntaxID, data []byte, end, giveTurn bool, parent uint64) ([]byte, uint64) {
	buf := make([]byte, session.OSIHeaderLen, session.OSIHeaderLen+presentation.OSIHeaderLen+len(data))
	buf, ph := a.comp.OSIUnit(buf, syntax, data, a.compress)
	sh := session.OSIHeader{Type: session.TypeData, Speaker: a.sess.Role(), Session: uint16(a.sess.ID()),
		Turn: a.turns, Sync: uint32(len(a.sess.Checkpoints())), Length: uint32(len(buf) - session.OSIHeaderLen)}
	if end {
		sh.Flags |= session.FlagEndOfUnit
	}
	if giveTurn {
		sh.Flags |= session.FlagGiveTurn
		a.turns++
	}
	if u == session.DotTerminated {
		sh.Flags |= session.FlagBlock
	}
	sh.Append(buf[:0])
	if !a.h.sim.tracing {
		return buf, 0
	}
	id6 := a.recordOSIPPDU(layers.Down, ph, buf[session.OSIHeaderLen:], parent)
	id5 := a.h.sim.NewID()
	a.record(layers.Event{Layer: layers.Session, Dir: layers.Down, PDU: &layers.PDU{
		Kind: "spdu", ID: id5, Parents: idList(id6), Len: len(buf), HeaderLen: session.OSIHeaderLen,
		Summary: sh.Summary(), Fields: sh.Fields(), Bytes: buf[:session.OSIHeaderLen:session.OSIHeaderLen]}}.Say(
		"l5.osi.down", "%s to TCP", pduSummary{kind: "spdu", text: sh.Summary()}))
	return buf, id5
}

// recordOSIPPDU records a presentation boundary event of the osi profile;
// ppdu is the header and the data as on the wire.
func (a *appConn) recordOSIPPDU(dir layers.Dir, h presentation.OSIHeader, ppdu []byte, parent uint64) uint64 {
	wire := len(ppdu) - presentation.OSIHeaderLen
	id := a.h.sim.NewID()
	e := layers.Event{Layer: layers.Presentation, Dir: dir, PDU: &layers.PDU{
		Kind: "ppdu", ID: id, Parents: idList(parent), Len: len(ppdu), HeaderLen: presentation.OSIHeaderLen,
		Summary: h.Summary(), Fields: h.Fields(), Bytes: ppdu[:presentation.OSIHeaderLen:presentation.OSIHeaderLen]}}
	switch {
	case h.Compressed() && dir == layers.Up:
		e = e.Say("l6.osi.inflate", "%v: DEFLATE (RFC 1951) decompressed: %s B before, %s B after compression (%d%%)", h.Syntax,
			Thousands(int64(h.Original)), Thousands(int64(wire)), sharePercent(wire, int(h.Original)))
	case h.Compressed():
		e = e.Say("l6.osi.deflate", "%v: DEFLATE (RFC 1951) compressed: %s B before, %s B after compression (%d%%)", h.Syntax,
			Thousands(int64(h.Original)), Thousands(int64(wire)), sharePercent(wire, int(h.Original)))
	case a.compress && h.Original > 0:
		e = e.Say("l6.osi.nodeflate", "%v, %s B, not compressed (DEFLATE would not make it smaller)", h.Syntax, Thousands(int64(h.Original)))
	default:
		e = e.Say("l6.osi.plain", "%v, %s B, not compressed", h.Syntax, Thousands(int64(h.Original)))
	}
	a.record(e)
	return id
}

func sharePercent(a, b int) int {
	if b == 0 {
		return 0
	}
	return a * 100 / b
}

// osiNextSegment reads the next segment of a body in the osi profile and
// wraps it; a lookahead of one octet tells whether it is the last.
func (a *appConn) osiNextSegment(it *outItem) error {
	if a.chunk == nil {
		a.chunk = make([]byte, appChunk)
	}
	n, err := io.ReadFull(it.br, a.chunk)
	last := false
	switch {
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		last = true
	case err != nil:
		return err
	default:
		if _, err := it.br.Peek(1); errors.Is(err, io.EOF) {
			last = true
		}
	}
	a.pending, it.id = a.osiWrap(session.DotTerminated, it.syntax, a.chunk[:n], last, last, it.parent)
	a.eof = last
	return nil
}

// feedOSI takes octets from TCP in the osi profile: the session layer
// finds each SPDU by its length, the presentation layer checks its header
// and decompresses, and each unit goes up as a piece.
func (a *appConn) feedOSI(b []byte) {
	units, err := a.ureader.Feed(b)
	for _, u := range units {
		if !a.takeOSI(u) {
			return
		}
	}
	if err != nil {
		a.protocolError(err)
	}
}

// takeOSI handles one SPDU; it returns false once the connection is reset.
func (a *appConn) takeOSI(u session.OSIUnit) bool {
	h := u.Header
	tracing := a.h.sim.tracing
	var id5 uint64
	if tracing {
		id5 = a.h.sim.NewID()
		a.record(layers.Event{Layer: layers.Session, Dir: layers.Up, PDU: &layers.PDU{
			Kind: "spdu", ID: id5, Len: session.OSIHeaderLen + len(u.Data), HeaderLen: session.OSIHeaderLen,
			Summary: h.Summary(), Fields: h.Fields()}}.Say("l5.osi.up", "%s from TCP", pduSummary{kind: "spdu", text: h.Summary()}))
	}
	switch h.Type {
	case session.TypeRelease:
		if tracing {
			a.record(layers.Event{Layer: layers.Session, Dir: layers.Note}.Say("l5.osi.released",
				"the %v released session %d", h.Speaker, h.Session))
		}
		return true
	case session.TypeCheckpoint:
		if tracing {
			a.record(layers.Event{Layer: layers.Session, Dir: layers.Note}.Say("l5.osi.sync",
				"the %v marked synchronization point %d", h.Speaker, h.Sync))
		}
		return true
	}
	if a.sess.State() != session.Open {
		return true
	}
	ph, data, err := a.decomp.ParseOSIUnit(u.Data)
	if err != nil {
		a.record(layers.Event{Layer: layers.Presentation, Dir: layers.Drop, Reason: layers.ReasonMalformed}.Say("l6.osi.bad",
			"bad presentation unit: %v", err))
		a.protocolError(err)
		return false
	}
	if tracing {
		a.recordOSIPPDU(layers.Up, ph, u.Data, id5)
	}
	p, err := a.sess.TakeOSI(h, data)
	if err != nil {
		a.protocolError(err)
		return false
	}
	if h.Flags&session.FlagGiveTurn != 0 {
		a.turns++
	}
	a.onPiece(p)
	return a.sess.State() == session.Open || a.sess.State() == session.Released
}

// release releases the session; in the osi profile a release SPDU tells
// the peer.
func (a *appConn) release() {
	a.sess.Release()
	if !a.osi {
		return
	}
	a.sendControlOSI(session.TypeRelease, uint32(len(a.sess.Checkpoints())), func(e layers.Event, sum pduSummary) layers.Event {
		return e.Say("l5.osi.down", "%s to TCP", sum)
	})
}

// sendControlOSI queues an osi-profile SPDU without user data (a release or
// a checkpoint) and records it, with the words say gives its summary.
func (a *appConn) sendControlOSI(typ session.SPDUType, sync uint32, say func(layers.Event, pduSummary) layers.Event) {
	sh := session.OSIHeader{Type: typ, Speaker: a.sess.Role(), Session: uint16(a.sess.ID()),
		Turn: a.turns, Sync: sync, Flags: session.FlagEndOfUnit}
	buf := sh.Append(nil)
	var id uint64
	if a.h.sim.tracing {
		id = a.h.sim.NewID()
		a.record(say(layers.Event{Layer: layers.Session, Dir: layers.Down, PDU: &layers.PDU{
			Kind: "spdu", ID: id, Len: len(buf), HeaderLen: len(buf), Summary: sh.Summary(), Fields: sh.Fields(), Bytes: buf}},
			pduSummary{kind: "spdu", text: sh.Summary()}))
	}
	a.out = append(a.out, outItem{data: buf, id: id})
}

// sendCheckpointOSI tells the peer, in the osi profile, that the session
// marked synchronization point cp: a checkpoint SPDU (ISO/IEC 8327-1's
// minor synchronization point, MIP) carrying its number. Both ends then
// know where a resumed session can start again; the Internet profile has no
// such unit, and its checkpoints stay local.
func (a *appConn) sendCheckpointOSI(cp session.Checkpoint) {
	a.sendControlOSI(session.TypeCheckpoint, uint32(cp.N), func(e layers.Event, sum pduSummary) layers.Event {
		return e.Say("l5.osi.checkpoint", "synchronization point %d (%s) to the peer in a checkpoint SPDU: %s", cp.N, cp.Label, sum)
	})
}

// osiBodyReader prepares a body for segmenting in the osi profile: the
// lookahead tells which segment is the last.
func osiBodyReader(r io.Reader) *bufio.Reader { return bufio.NewReaderSize(r, appChunk) }
