package session

import (
	"bytes"
	"errors"
	"fmt"
)

// Unit is a kind of unit of a text dialog.
type Unit uint8

// The units of a POP3 or SMTP dialog.
const (
	// Line is one command or reply line ending in CRLF (RFC 1939 section 3).
	Line Unit = iota + 1
	// DotTerminated is a multi-line block ending in the line "." (CRLF.CRLF),
	// such as a POP3 multi-line response body (RFC 1939 section 3) or SMTP
	// message data (RFC 5321 section 4.1.1.4).
	DotTerminated
)

// String returns "line" or "dot-terminated block".
func (u Unit) String() string {
	switch u {
	case Line:
		return "line"
	case DotTerminated:
		return "dot-terminated block"
	}
	return fmt.Sprintf("unit(%d)", uint8(u))
}

// MaxLine is the longest line, CRLF included, that the framer accepts before
// it gives up on finding the line's end. It is SMTP's limit for a text line
// (RFC 5321 section 4.5.3.1.6), above POP3's own limits (a reply is at most
// 512 octets, RFC 1939 section 3), which the application layer enforces.
const MaxLine = 1000

// ErrLineTooLong is returned (wrapped) when a line exceeds MaxLine octets.
var ErrLineTooLong = errors.New("session: line too long")

// ErrBusy is returned (wrapped) by Expect while a unit is still being framed.
var ErrBusy = errors.New("session: a unit is still being framed")

// Piece is one framed piece of a unit. A line always comes as one piece; a
// dot-terminated block comes as one or more pieces as its octets arrive, the
// last one with End set. A block's pieces carry its octets as they are on the
// wire, still byte-stuffed and with the terminating line "." CRLF included
// in the last piece, so that the presentation layer can un-stuff them.
type Piece struct {
	Unit Unit
	Data []byte
	End  bool // the piece completes its unit
}

// Framer finds where the units of a text dialog end in a byte stream that
// arrives in chunks cut anywhere. The caller says which unit it expects next
// (Expect), then feeds chunks (Feed) and gets the framed pieces back. Octets
// that arrive after a unit is complete and before the next Expect are held
// and framed by the next call to Feed (which may be Feed(nil)).
//
// A Framer never un-stuffs: it only finds the end of a block, which it can do
// on the stuffed octets because a stuffed line is never "." alone.
type Framer struct {
	expect Unit
	hold   []byte // octets waiting: a partial line, or octets after a unit
	spare  []byte // the other hold buffer, swapped so pieces stay valid
	pieces []Piece
	err    error

	// The state of a dot-terminated block across chunks: the length of the
	// current line so far and its first two octets.
	lineLen int64
	head    [2]byte

	unitLen int64 // octets of the current unit framed so far
}

// Expect sets the unit that the next octets make up. It fails with ErrBusy
// while a unit is still in progress.
func (f *Framer) Expect(u Unit) error {
	if u != Line && u != DotTerminated {
		return fmt.Errorf("session: cannot expect %v", u)
	}
	if f.expect != 0 {
		return fmt.Errorf("%w: expecting a %v, %d octets framed so far, asked for a %v", ErrBusy, f.expect, f.unitLen, u)
	}
	f.expect = u
	f.unitLen = 0
	// A block starts at the beginning of a line: the line before it (the
	// "+OK" line) ended with CRLF, so "." CRLF right away is an empty block.
	f.lineLen = 0
	return nil
}

// Expecting returns the unit in progress, or 0 if none is expected.
func (f *Framer) Expecting() Unit { return f.expect }

// Held returns how many octets are held: a partial line, or octets that
// arrived after the last unit was complete.
func (f *Framer) Held() int { return len(f.hold) }

// Discard drops the held octets and returns how many there were. A
// protocol switch calls it: octets that came before the switch and were
// held must not be read as if they came after it (STLS, RFC 2595 section
// 4: only what arrives over TLS is protected by it).
func (f *Framer) Discard() int {
	n := len(f.hold)
	f.hold = f.hold[:0]
	return n
}

// Feed frames chunk, after any held octets, and returns the pieces found.
// The pieces and their Data are valid until the next call to Feed. Once Feed
// has returned an error, the stream cannot be framed any further and every
// later call returns the same error.
func (f *Framer) Feed(chunk []byte) ([]Piece, error) {
	f.pieces = f.pieces[:0]
	if f.err != nil {
		return nil, f.err
	}
	data := chunk
	if len(f.hold) > 0 {
		f.hold = append(f.hold, chunk...)
		data = f.hold
	}
	for len(data) > 0 && f.expect != 0 {
		switch f.expect {
		case Line:
			i := bytes.IndexByte(data, '\n')
			if i < 0 {
				if len(data) >= MaxLine {
					f.err = fmt.Errorf("%w: no LF in the first %d octets of a line (at most %d with CRLF)", ErrLineTooLong, len(data), MaxLine)
					return nil, f.err
				}
				f.keep(data)
				return f.pieces, nil
			}
			if i+1 > MaxLine {
				f.err = fmt.Errorf("%w: %d octets with CRLF (at most %d)", ErrLineTooLong, i+1, MaxLine)
				return nil, f.err
			}
			f.pieces = append(f.pieces, Piece{Unit: Line, Data: data[:i+1], End: true})
			data = data[i+1:]
			f.expect = 0
		case DotTerminated:
			if e := f.scanEnd(data); e >= 0 {
				f.pieces = append(f.pieces, Piece{Unit: DotTerminated, Data: data[:e], End: true})
				f.unitLen += int64(e)
				data = data[e:]
				f.expect = 0
			} else {
				f.pieces = append(f.pieces, Piece{Unit: DotTerminated, Data: data})
				f.unitLen += int64(len(data))
				data = nil
			}
		}
	}
	f.keep(data)
	return f.pieces, nil
}

// keep holds data (which may alias the hold buffer that returned pieces
// point into) in the other buffer.
func (f *Framer) keep(data []byte) {
	if len(data) == 0 {
		f.hold = f.hold[:0]
		return
	}
	f.spare = append(f.spare[:0], data...)
	f.hold, f.spare = f.spare, f.hold[:0]
}

// scanEnd looks for the end of a dot-terminated block in data, which
// continues the block's earlier octets. It returns the index just after the
// terminating line "." CRLF, or -1 if data does not complete the block.
//
// Per RFC 1939 section 3 the block ends at the line that is exactly "."
// followed by CRLF; any other line starting with "." has been byte-stuffed
// and so is at least ".." or ".x". A line starts at the beginning of the
// block or after an LF.
func (f *Framer) scanEnd(data []byte) int {
	pos := 0
	for {
		i := bytes.IndexByte(data[pos:], '\n')
		if i < 0 {
			f.addToLine(data[pos:])
			return -1
		}
		seg := data[pos : pos+i] // the current line's octets in data, before its LF
		if f.lineLen+int64(len(seg)) == 2 {
			var b0, b1 byte
			switch f.lineLen {
			case 0:
				b0, b1 = seg[0], seg[1]
			case 1:
				b0, b1 = f.head[0], seg[0]
			default:
				b0, b1 = f.head[0], f.head[1]
			}
			if b0 == '.' && b1 == '\r' {
				f.lineLen = 0
				return pos + i + 1
			}
		}
		f.lineLen = 0
		pos += i + 1
	}
}

// addToLine notes octets of the current line that are not yet followed by LF.
func (f *Framer) addToLine(seg []byte) {
	k := 0
	for ; f.lineLen < 2 && k < len(seg); k++ {
		f.head[f.lineLen] = seg[k]
		f.lineLen++
	}
	f.lineLen += int64(len(seg) - k)
}
