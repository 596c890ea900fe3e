package session

import (
	"encoding/binary"
	"fmt"
	"strconv"

	"github.com/osisim/osisim/layers"
)

// The session header of the osi profile (docs/profiles.md): 16 octets,
// big-endian, in front of every unit the session layer passes down. It is
// osisim's own small format, modelled on the kernel, half-duplex and minor
// synchronize functional units of ISO/IEC 8327-1, not that standard's
// encoding.

// OSIVersion is the only version of the osi-profile session header.
const OSIVersion = 1

// OSIHeaderLen is the length of the osi-profile session header.
const OSIHeaderLen = 16

// MaxOSIData is the most user data one osi-profile SPDU may carry. A long
// unit (a mail body) is segmented into SPDUs of at most this size, so a
// receiver never holds more than one of them.
const MaxOSIData = 64 << 10

// SPDUType is the type of an osi-profile SPDU.
type SPDUType uint8

// The SPDU types of the osi profile.
const (
	// TypeData carries a unit, or a segment of one (ISO/IEC 8327-1 DT).
	TypeData SPDUType = 1
	// TypeCheckpoint marks a synchronization point (ISO/IEC 8327-1 MIP).
	TypeCheckpoint SPDUType = 2
	// TypeRelease releases the session in an orderly way (ISO/IEC 8327-1 FN).
	TypeRelease SPDUType = 3
)

// String returns "data", "checkpoint" or "release".
func (t SPDUType) String() string {
	switch t {
	case TypeData:
		return "data"
	case TypeCheckpoint:
		return "checkpoint"
	case TypeRelease:
		return "release"
	}
	return fmt.Sprintf("type(%d)", uint8(t))
}

// The flag bits of the osi-profile session header.
const (
	// FlagEndOfUnit: this SPDU completes its unit (a line always does).
	FlagEndOfUnit = 1 << 0
	// FlagGiveTurn: the turn passes to the peer after this SPDU.
	FlagGiveTurn = 1 << 1
	// FlagBlock: the unit is a multi-line (dot-terminated) block, not a line.
	FlagBlock = 1 << 2

	osiFlagsKnown = FlagEndOfUnit | FlagGiveTurn | FlagBlock
)

// OSIHeader is the session header of the osi profile:
//
//	 0       1       2       3
//	+-------+-------+-------+-------+
//	|Version| Type  | Flags |Speaker|
//	+-------+-------+-------+-------+
//	|  Session id   |  Dialog turn  |
//	+-------+-------+-------+-------+
//	|    Last synchronization point |
//	+-------+-------+-------+-------+
//	|     Length of the user data   |
//	+-------+-------+-------+-------+
type OSIHeader struct {
	Type    SPDUType
	Flags   uint8
	Speaker Role   // who sends the SPDU, holding the turn
	Session uint16 // the session's number
	Turn    uint16 // the dialog turn: how many times the turn has passed so far
	Sync    uint32 // the last synchronization point (0: none yet)
	Length  uint32 // octets of user data after the header
}

// Unit returns the kind of unit the SPDU carries.
func (h OSIHeader) Unit() Unit {
	if h.Flags&FlagBlock != 0 {
		return DotTerminated
	}
	return Line
}

// ParseOSIHeader parses an osi-profile session header at the start of b.
// The user data (Length octets) need not follow: the caller checks.
func ParseOSIHeader(b []byte) (OSIHeader, error) {
	if len(b) < OSIHeaderLen {
		return OSIHeader{}, fmt.Errorf("session: osi header too short: %d B, need %d", len(b), OSIHeaderLen)
	}
	if b[0] != OSIVersion {
		return OSIHeader{}, fmt.Errorf("session: osi header version %d, want %d", b[0], OSIVersion)
	}
	h := OSIHeader{Type: SPDUType(b[1]), Flags: b[2], Speaker: Role(b[3]),
		Session: binary.BigEndian.Uint16(b[4:]), Turn: binary.BigEndian.Uint16(b[6:]),
		Sync: binary.BigEndian.Uint32(b[8:]), Length: binary.BigEndian.Uint32(b[12:])}
	switch {
	case h.Type < TypeData || h.Type > TypeRelease:
		return OSIHeader{}, fmt.Errorf("session: unknown osi SPDU type %d", b[1])
	case h.Flags&^osiFlagsKnown != 0:
		return OSIHeader{}, fmt.Errorf("session: unknown osi header flags %#02x", h.Flags&^osiFlagsKnown)
	case h.Speaker != Initiator && h.Speaker != Responder:
		return OSIHeader{}, fmt.Errorf("session: bad speaker %d in osi header, want 1 (initiator) or 2 (responder)", b[3])
	case h.Length > MaxOSIData:
		return OSIHeader{}, fmt.Errorf("session: osi SPDU of %d B of user data, at most %d allowed", h.Length, MaxOSIData)
	case h.Type != TypeData && h.Length != 0:
		return OSIHeader{}, fmt.Errorf("session: %v SPDU carries %d B of user data, want none", h.Type, h.Length)
	}
	return h, nil
}

// Append appends the header's 16 octets to dst.
func (h OSIHeader) Append(dst []byte) []byte {
	dst = append(dst, OSIVersion, byte(h.Type), h.Flags, byte(h.Speaker))
	dst = binary.BigEndian.AppendUint16(dst, h.Session)
	dst = binary.BigEndian.AppendUint16(dst, h.Turn)
	dst = binary.BigEndian.AppendUint32(dst, h.Sync)
	return binary.BigEndian.AppendUint32(dst, h.Length)
}

// HeaderLen returns 16.
func (h OSIHeader) HeaderLen() int { return OSIHeaderLen }

// Summary returns one line for the trace, such as "SPDU data session 1
// turn 3 sync 0: line of 6 B from the initiator, gives the turn (16 B
// session header)".
func (h OSIHeader) Summary() string {
	s := fmt.Sprintf("SPDU %v session %d turn %d sync %d", h.Type, h.Session, h.Turn, h.Sync)
	if h.Type == TypeData {
		what := "line"
		if h.Flags&FlagBlock != 0 {
			what = "block segment"
			if h.Flags&FlagEndOfUnit != 0 {
				what = "last block segment"
			}
		}
		s += fmt.Sprintf(": %s of %s B", what, layers.Thousands(int64(h.Length)))
	}
	s += " from the " + h.Speaker.String()
	if h.Flags&FlagGiveTurn != 0 {
		s += ", gives the turn"
	}
	return s + " (16 B session header)"
}

// Fields returns the header's fields in wire order.
func (h OSIHeader) Fields() []layers.Field {
	return []layers.Field{
		{Name: "Version", Value: strconv.Itoa(OSIVersion)},
		{Name: "SPDU type", Value: fmt.Sprintf("%d (%v)", h.Type, h.Type)},
		{Name: "Flags", Value: flagsText(h.Flags)},
		{Name: "Speaker", Value: fmt.Sprintf("%d (%v)", h.Speaker, h.Speaker)},
		{Name: "Session id", Value: strconv.Itoa(int(h.Session))},
		{Name: "Dialog turn", Value: strconv.Itoa(int(h.Turn))},
		{Name: "Last sync point", Value: strconv.FormatUint(uint64(h.Sync), 10)},
		{Name: "Length", Value: strconv.FormatUint(uint64(h.Length), 10)},
	}
}

func flagsText(f uint8) string {
	s := fmt.Sprintf("%#02x", f)
	var names []string
	if f&FlagEndOfUnit != 0 {
		names = append(names, "end of unit")
	}
	if f&FlagGiveTurn != 0 {
		names = append(names, "give turn")
	}
	if f&FlagBlock != 0 {
		names = append(names, "block")
	}
	for i, n := range names {
		if i == 0 {
			s += " ("
		} else {
			s += ", "
		}
		s += n
	}
	if len(names) > 0 {
		s += ")"
	}
	return s
}

// OSIUnit is one whole osi-profile SPDU: its header and its user data.
type OSIUnit struct {
	Header OSIHeader
	Data   []byte
}

// ParseOSIUnit parses one whole SPDU that fills b exactly.
func ParseOSIUnit(b []byte) (OSIUnit, error) {
	h, err := ParseOSIHeader(b)
	if err != nil {
		return OSIUnit{}, err
	}
	if got := len(b) - OSIHeaderLen; got != int(h.Length) {
		return OSIUnit{}, fmt.Errorf("session: osi SPDU says %d B of user data, has %d", h.Length, got)
	}
	return OSIUnit{Header: h, Data: b[OSIHeaderLen:]}, nil
}

// Append appends the header, with Length set from Data, and the data.
func (u OSIUnit) Append(dst []byte) []byte {
	u.Header.Length = uint32(len(u.Data))
	return append(u.Header.Append(dst), u.Data...)
}

// UnitReader finds the osi-profile SPDUs in a byte stream that arrives in
// chunks cut anywhere: each SPDU is delimited by the Length of its header,
// so no scanning of the data is needed (the Framer does that work in the
// Internet profile).
type UnitReader struct {
	buf []byte
	err error
}

// Feed takes the next chunk and returns the SPDUs it completed. Their Data
// stays valid until the next call to Feed. After an error every later call
// returns the same error: the stream cannot be resynchronized.
func (r *UnitReader) Feed(chunk []byte) ([]OSIUnit, error) {
	if r.err != nil {
		return nil, r.err
	}
	r.buf = append(r.buf, chunk...)
	var out []OSIUnit
	off := 0
	for len(r.buf)-off >= OSIHeaderLen {
		h, err := ParseOSIHeader(r.buf[off:])
		if err != nil {
			r.err = err
			return out, err
		}
		end := off + OSIHeaderLen + int(h.Length)
		if end > len(r.buf) {
			break
		}
		out = append(out, OSIUnit{Header: h, Data: r.buf[off+OSIHeaderLen : end : end]})
		off = end
	}
	if off > 0 {
		// Keep the partial SPDU in a fresh buffer: the data handed out
		// refers to the old one.
		rest := r.buf[off:]
		r.buf = append(make([]byte, 0, len(rest)+OSIHeaderLen), rest...)
	}
	return out, nil
}

// Held returns the octets of a partial SPDU waiting for the rest.
func (r *UnitReader) Held() int { return len(r.buf) }

// SetOSIProfile makes the session run the osi profile: its units travel in
// osi-profile SPDUs (see OSIHeader) instead of being framed by the Framer.
// Call it before Open.
func (s *Session) SetOSIProfile() { s.osi = true }

// OSIProfile reports whether the session runs the osi profile.
func (s *Session) OSIProfile() bool { return s.osi }

// TakeOSI takes a data SPDU of the osi profile, whose user data (data) the
// presentation layer has already unwrapped, and returns it as the piece of
// the unit expected (see Expect). The SPDU must come from the peer and
// carry the kind of unit expected; its end-of-unit flag completes the unit.
func (s *Session) TakeOSI(h OSIHeader, data []byte) (Piece, error) {
	f := &s.framer
	switch {
	case h.Type != TypeData:
		return Piece{}, fmt.Errorf("session %d: a %v SPDU carries no unit", s.id, h.Type)
	case h.Speaker != s.role.Peer():
		return Piece{}, fmt.Errorf("session %d: SPDU from the %v, want one from the %v", s.id, h.Speaker, s.role.Peer())
	case f.expect == 0:
		return Piece{}, fmt.Errorf("session %d: a %v arrived while no unit was expected", s.id, h.Unit())
	case h.Unit() != f.expect:
		return Piece{}, fmt.Errorf("session %d: a %v arrived, a %v was expected", s.id, h.Unit(), f.expect)
	case h.Unit() == Line && h.Flags&FlagEndOfUnit == 0:
		return Piece{}, fmt.Errorf("session %d: a line SPDU without the end-of-unit flag", s.id)
	}
	f.unitLen += int64(len(data))
	end := h.Flags&FlagEndOfUnit != 0
	if end {
		f.expect = 0
	}
	return Piece{Unit: h.Unit(), Data: data, End: end}, nil
}
