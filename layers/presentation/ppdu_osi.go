package presentation

import (
	"bytes"
	"compress/flate"
	"encoding/binary"
	"fmt"
	"io"
	"strconv"

	"github.com/osisim/osisim/layers"
)

// The presentation header of the osi profile (docs/profiles.md): 8 octets,
// big-endian, in front of the user data of every unit, saying which
// transfer syntax the data is in and whether it is compressed or encrypted.
// It is osisim's own small format, standing for the presentation context
// that ISO/IEC 8823-1 negotiates, not that standard's encoding.

// OSIVersion is the only version of the osi-profile presentation header.
const OSIVersion = 1

// OSIHeaderLen is the length of the osi-profile presentation header.
const OSIHeaderLen = 8

// MaxOSIOriginal is the most octets one unit may have before compression:
// the decompressor never produces more, whatever its input.
const MaxOSIOriginal = 64 << 10

// SyntaxID names a transfer syntax in the osi-profile presentation header.
type SyntaxID uint8

// The transfer syntaxes of the osi profile.
const (
	SyntaxLine  SyntaxID = 1 // a US-ASCII line with CRLF (RFC 1939 section 3)
	SyntaxLines SyntaxID = 2 // US-ASCII lines of a multi-line block, byte-stuffed
	SyntaxMail  SyntaxID = 3 // an RFC 5322 + MIME message, byte-stuffed
)

// String returns the syntax's name as the trace prints it.
func (s SyntaxID) String() string {
	switch s {
	case SyntaxLine:
		return "US-ASCII line"
	case SyntaxLines:
		return "US-ASCII lines"
	case SyntaxMail:
		return "RFC 5322 + MIME"
	}
	return fmt.Sprintf("syntax(%d)", uint8(s))
}

// The flag bits of the osi-profile presentation header.
const (
	// FlagCompressed: the data is DEFLATE-compressed (RFC 1951).
	FlagCompressed = 1 << 0
	// FlagEncrypted: the data is encrypted (reserved: never set yet).
	FlagEncrypted = 1 << 1

	osiFlagsKnown = FlagCompressed | FlagEncrypted
)

// OSIHeader is the presentation header of the osi profile:
//
//	 0       1       2       3
//	+-------+-------+-------+-------+
//	|Version|Syntax | Flags |   0   |
//	+-------+-------+-------+-------+
//	|   Original length (octets)    |
//	+-------+-------+-------+-------+
//
// Original length is the length of the data before compression; without
// compression it equals the length of the data that follows.
type OSIHeader struct {
	Syntax   SyntaxID
	Flags    uint8
	Original uint32
}

// Compressed reports whether the data is DEFLATE-compressed.
func (h OSIHeader) Compressed() bool { return h.Flags&FlagCompressed != 0 }

// ParseOSIHeader parses the header at the start of b and returns it with
// the data after it. Without compression the data must be Original octets.
func ParseOSIHeader(b []byte) (OSIHeader, []byte, error) {
	if len(b) < OSIHeaderLen {
		return OSIHeader{}, nil, fmt.Errorf("presentation: osi header too short: %d B, need %d", len(b), OSIHeaderLen)
	}
	if b[0] != OSIVersion {
		return OSIHeader{}, nil, fmt.Errorf("presentation: osi header version %d, want %d", b[0], OSIVersion)
	}
	h := OSIHeader{Syntax: SyntaxID(b[1]), Flags: b[2], Original: binary.BigEndian.Uint32(b[4:])}
	data := b[OSIHeaderLen:]
	switch {
	case h.Syntax < SyntaxLine || h.Syntax > SyntaxMail:
		return OSIHeader{}, nil, fmt.Errorf("presentation: unknown transfer syntax id %d", b[1])
	case h.Flags&^osiFlagsKnown != 0:
		return OSIHeader{}, nil, fmt.Errorf("presentation: unknown osi header flags %#02x", h.Flags&^osiFlagsKnown)
	case h.Flags&FlagEncrypted != 0:
		return OSIHeader{}, nil, fmt.Errorf("presentation: the unit is encrypted, which this profile does not support yet")
	case b[3] != 0:
		return OSIHeader{}, nil, fmt.Errorf("presentation: reserved octet of the osi header is %d, want 0", b[3])
	case h.Original > MaxOSIOriginal:
		return OSIHeader{}, nil, fmt.Errorf("presentation: original length %d B, at most %d allowed", h.Original, MaxOSIOriginal)
	case !h.Compressed() && len(data) != int(h.Original):
		return OSIHeader{}, nil, fmt.Errorf("presentation: uncompressed unit says %d B, has %d", h.Original, len(data))
	}
	return h, data, nil
}

// Append appends the header's 8 octets to dst.
func (h OSIHeader) Append(dst []byte) []byte {
	dst = append(dst, OSIVersion, byte(h.Syntax), h.Flags, 0)
	return binary.BigEndian.AppendUint32(dst, h.Original)
}

// HeaderLen returns 8.
func (h OSIHeader) HeaderLen() int { return OSIHeaderLen }

// Summary returns one line for the trace, such as "PPDU US-ASCII line,
// 6 B, not compressed (8 B presentation header)".
func (h OSIHeader) Summary() string {
	c := "not compressed"
	if h.Compressed() {
		c = "DEFLATE-compressed"
	}
	return fmt.Sprintf("PPDU %v, %s B, %s, not encrypted (8 B presentation header)", h.Syntax, layers.Thousands(int64(h.Original)), c)
}

// Fields returns the header's fields in wire order.
func (h OSIHeader) Fields() []layers.Field {
	flags := fmt.Sprintf("%#02x", h.Flags)
	if h.Compressed() {
		flags += " (compressed)"
	}
	return []layers.Field{
		{Name: "Version", Value: strconv.Itoa(OSIVersion)},
		{Name: "Transfer syntax", Value: fmt.Sprintf("%d (%v)", h.Syntax, h.Syntax)},
		{Name: "Flags", Value: flags},
		{Name: "Reserved", Value: "0"},
		{Name: "Original length", Value: strconv.FormatUint(uint64(h.Original), 10)},
	}
}

// Compressor DEFLATE-compresses units (RFC 1951), each on its own so that
// every unit can be decompressed alone. It keeps its flate state between
// units to spare allocation; the zero value is ready to use.
type Compressor struct {
	w   *flate.Writer
	buf bytes.Buffer
}

// Deflate appends src, compressed, to dst.
func (c *Compressor) Deflate(dst, src []byte) []byte {
	c.buf.Reset()
	if c.w == nil {
		// NewWriter fails only for a bad level.
		c.w, _ = flate.NewWriter(&c.buf, flate.DefaultCompression)
	} else {
		c.w.Reset(&c.buf)
	}
	c.w.Write(src) // a bytes.Buffer never fails
	c.w.Close()
	return append(dst, c.buf.Bytes()...)
}

// Inflate decompresses src, which must expand to exactly n octets
// (n at most MaxOSIOriginal).
func Inflate(src []byte, n int) ([]byte, error) {
	var d Decompressor
	return d.Inflate(src, n)
}

// Decompressor inflates units as Inflate does, keeping its flate state
// (a 32 KiB window and the Huffman tables) between units to spare
// allocation; the zero value is ready to use.
type Decompressor struct {
	r   io.ReadCloser
	src bytes.Reader
}

// Inflate decompresses src, which must expand to exactly n octets
// (n at most MaxOSIOriginal), into a new slice.
func (d *Decompressor) Inflate(src []byte, n int) ([]byte, error) {
	if n < 0 || n > MaxOSIOriginal {
		return nil, fmt.Errorf("presentation: cannot inflate to %d B, at most %d allowed", n, MaxOSIOriginal)
	}
	d.src.Reset(src)
	if d.r == nil {
		d.r = flate.NewReader(&d.src)
	} else if err := d.r.(flate.Resetter).Reset(&d.src, nil); err != nil {
		return nil, fmt.Errorf("presentation: cannot reset the DEFLATE reader: %v", err)
	}
	r := d.r
	out := make([]byte, n)
	if _, err := io.ReadFull(r, out); err != nil {
		return nil, fmt.Errorf("presentation: DEFLATE data does not expand to %d B: %v", n, err)
	}
	var one [1]byte
	if k, err := r.Read(one[:]); k != 0 || err != io.EOF {
		if err != nil && err != io.EOF {
			return nil, fmt.Errorf("presentation: bad DEFLATE data after %d B: %v", n, err)
		}
		return nil, fmt.Errorf("presentation: DEFLATE data expands to more than %d B", n)
	}
	return out, nil
}

// OSIUnit builds the presentation part of an osi-profile unit: the header
// and the data, compressed when compress is set and compression saves
// octets (the flag then says so). It appends them to dst.
func (c *Compressor) OSIUnit(dst []byte, syntax SyntaxID, data []byte, compress bool) ([]byte, OSIHeader) {
	h := OSIHeader{Syntax: syntax, Original: uint32(len(data))}
	if compress && len(data) > 0 {
		start := len(dst)
		dst = h.Append(dst)
		dst = c.Deflate(dst, data)
		if len(dst)-start-OSIHeaderLen < len(data) {
			h.Flags |= FlagCompressed
			dst[start+2] = h.Flags
			return dst, h
		}
		dst = dst[:start]
	}
	return append(h.Append(dst), data...), h
}

// ParseOSIUnit parses the presentation part of an osi-profile unit and
// returns its header and the data in its transfer syntax, decompressed.
func ParseOSIUnit(b []byte) (OSIHeader, []byte, error) {
	var d Decompressor
	return d.ParseOSIUnit(b)
}

// ParseOSIUnit is the package's ParseOSIUnit with d's flate state.
func (d *Decompressor) ParseOSIUnit(b []byte) (OSIHeader, []byte, error) {
	h, data, err := ParseOSIHeader(b)
	if err != nil {
		return h, nil, err
	}
	if h.Compressed() {
		data, err = d.Inflate(data, int(h.Original))
		if err != nil {
			return h, nil, err
		}
	}
	return h, data, nil
}
