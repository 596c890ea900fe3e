package datalink

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"math/bits"
	"slices"

	"github.com/gopacket/gopacket"
	gplayers "github.com/gopacket/gopacket/layers"
	"github.com/osisim/osisim/layers"
)

// Sizes of an Ethernet II frame, IEEE 802.3 clause 3.2 and 4.4.2.
const (
	HeaderLen   = 14   // destination, source, type
	FCSLen      = 4    // the CRC-32 frame check sequence
	MinFrameLen = 64   // header + payload + padding + FCS
	MaxFrameLen = 1518 // header + 1500 octets of payload + FCS
	MinPayload  = 46   // a shorter payload is padded with zeros to this
	MaxPayload  = 1500 // the Ethernet MTU
)

// minEtherType is the smallest value of the type field that is an
// EtherType; smaller values are IEEE 802.3 length fields (clause 3.2.6).
const minEtherType = 0x0600

// Errors of Parse. An FCS mismatch is a *FCSError, which matches ErrFCS.
var (
	ErrTooShort = errors.New("datalink: frame too short")
	ErrTooLong  = errors.New("datalink: frame too long")
	ErrLength   = errors.New("datalink: not an Ethernet II frame")
	ErrFCS      = errors.New("datalink: FCS mismatch")
)

// FCSError reports a frame whose FCS does not match its contents: bits were
// corrupted in transit. Want is the CRC-32 the receiver computed over the
// frame, Got the FCS the frame carries.
type FCSError struct {
	Want, Got uint32
}

func (e *FCSError) Error() string {
	return fmt.Sprintf("datalink: FCS mismatch: the frame carries 0x%08x, its contents give 0x%08x", e.Got, e.Want)
}

// Is reports whether target is ErrFCS.
func (e *FCSError) Is(target error) bool { return target == ErrFCS }

// Frame is an Ethernet II (DIX) frame, the data link layer's PDU.
type Frame struct {
	Dst, Src MAC
	Type     EtherType
	// Payload is the data carried. On a received frame it includes any
	// padding: the data link layer cannot know where a short upper-layer
	// PDU ends, the network layer's own length field says so.
	Payload []byte
	// FCS is the frame check sequence as received. Append ignores it and
	// writes the correct one; Seal sets it.
	FCS uint32
}

// Parse decodes a frame from b: header, payload (with any padding) and
// FCS. It checks the length (64 to 1518 octets), the FCS (CRC-32, IEEE
// 802.3 clause 3.2.9) and that the type field is an EtherType (at least
// 0x0600). Payload aliases b.
//
// On an FCS mismatch it returns the decoded frame together with a
// *FCSError, so that the drop can be described.
func Parse(b []byte) (Frame, error) {
	if len(b) < MinFrameLen {
		return Frame{}, fmt.Errorf("%w: %d bytes, need at least %d", ErrTooShort, len(b), MinFrameLen)
	}
	if len(b) > MaxFrameLen {
		return Frame{}, fmt.Errorf("%w: %d bytes, at most %d", ErrTooLong, len(b), MaxFrameLen)
	}
	body := b[:len(b)-FCSLen]
	var eth gplayers.Ethernet
	if err := eth.DecodeFromBytes(body, gopacket.NilDecodeFeedback); err != nil {
		return Frame{}, fmt.Errorf("datalink: %v", err) // not reached: body has at least 60 octets
	}
	f := Frame{
		Dst:     MAC(eth.DstMAC),
		Src:     MAC(eth.SrcMAC),
		Type:    EtherType(binary.BigEndian.Uint16(body[12:14])),
		Payload: body[HeaderLen:],
		FCS:     binary.LittleEndian.Uint32(b[len(body):]),
	}
	// The receiver checks the FCS before anything else: a frame that fails
	// it is discarded whatever its header says (IEEE 802.3 clause 3.4).
	if sum := crc32.ChecksumIEEE(body); sum != f.FCS {
		return f, &FCSError{Want: sum, Got: f.FCS}
	}
	if eth.EthernetType == gplayers.EthernetTypeLLC {
		return Frame{}, fmt.Errorf("%w: the type field 0x%04x is an IEEE 802.3 length (below 0x0600); only Ethernet II EtherTypes are supported",
			ErrLength, uint16(f.Type))
	}
	return f, nil
}

// Len returns the frame's length on the wire without preamble and SFD:
// header, payload, padding and FCS.
func (f Frame) Len() int {
	return max(HeaderLen+len(f.Payload), MinFrameLen-FCSLen) + FCSLen
}

// HeaderLen returns the octets this layer adds around the payload: header,
// padding and FCS.
func (f Frame) HeaderLen() int { return f.Len() - len(f.Payload) }

// Padding returns the number of zero octets Append adds after a payload
// shorter than MinPayload.
func (f Frame) Padding() int { return max(0, MinPayload-len(f.Payload)) }

// Append appends the frame to dst: header, payload, zero padding up to 60
// octets (IEEE 802.3 clause 3.2.8) and the FCS computed over all of them,
// least significant octet first as it goes on the wire. f.FCS is ignored.
// A payload longer than MaxPayload is not checked here: the network
// layer's MTU keeps it within bounds.
func (f Frame) Append(dst []byte) []byte {
	dst = slices.Grow(dst, f.Len())
	start := len(dst)
	dst = append(dst, f.Dst[:]...)
	dst = append(dst, f.Src[:]...)
	dst = binary.BigEndian.AppendUint16(dst, uint16(f.Type))
	dst = append(dst, f.Payload...)
	if pad := f.Padding(); pad > 0 {
		dst = append(dst, make([]byte, pad)...)
	}
	return binary.LittleEndian.AppendUint32(dst, crc32.ChecksumIEEE(dst[start:]))
}

// Seal appends the frame to dst like Append and sets f.FCS to the FCS it
// wrote, so that Summary and Fields describe exactly the octets sent.
func (f *Frame) Seal(dst []byte) []byte {
	dst = f.Append(dst)
	f.FCS = binary.LittleEndian.Uint32(dst[len(dst)-FCSLen:])
	return dst
}

// ComputeFCS returns the FCS of the frame as Append would write it.
func (f Frame) ComputeFCS() uint32 {
	var hdr [HeaderLen]byte
	copy(hdr[:], f.Dst[:])
	copy(hdr[6:], f.Src[:])
	binary.BigEndian.PutUint16(hdr[12:], uint16(f.Type))
	sum := crc32.Update(0, crc32.IEEETable, hdr[:])
	sum = crc32.Update(sum, crc32.IEEETable, f.Payload)
	var zeros [MinPayload]byte
	return crc32.Update(sum, crc32.IEEETable, zeros[:f.Padding()])
}

// IsFor reports whether a station with address m accepts the frame: it is
// addressed to m, or to the broadcast or a multicast (group) address. This
// is a NIC's receive filter; a real one also drops multicasts of groups it
// has not joined.
func (f Frame) IsFor(m MAC) bool { return f.Dst == m || f.Dst.IsMulticast() }

// Summary returns one line such as
// "02:00:00:00:01:0a > ff:ff:ff:ff:ff:ff type ARP, 60 B + FCS 4 B".
func (f Frame) Summary() string {
	return fmt.Sprintf("%s > %s type %s, %d B + FCS %d B", f.Src, f.Dst, f.Type, f.Len()-FCSLen, FCSLen)
}

// Fields returns the header and trailer fields in wire order: Destination,
// Source, Type, Padding (if Append adds any) and FCS, the last one marked
// correct or not.
func (f Frame) Fields() []layers.Field {
	fs := make([]layers.Field, 0, 5)
	fs = append(fs,
		layers.Field{Name: "Destination", Value: describeAddr(f.Dst)},
		layers.Field{Name: "Source", Value: describeAddr(f.Src)},
		layers.Field{Name: "Type", Value: fmt.Sprintf("0x%04x (%s)", uint16(f.Type), typeName(f.Type))},
	)
	if pad := f.Padding(); pad > 0 {
		fs = append(fs, layers.Field{Name: "Padding", Value: fmt.Sprintf("%d B of zeros (payload %d B, minimum %d B)", pad, len(f.Payload), MinPayload)})
	}
	// The FCS goes on the wire least significant octet first (IEEE 802.3
	// 3.2.9); it is printed as its four octets in wire order, as capture
	// tools show it, with the CRC-32 value beside it.
	wire := bits.ReverseBytes32(f.FCS)
	fcs := fmt.Sprintf("0x%08x (CRC-32 0x%08x, correct)", wire, f.FCS)
	if sum := f.ComputeFCS(); sum != f.FCS {
		fcs = fmt.Sprintf("0x%08x (CRC-32 0x%08x, incorrect: the contents give 0x%08x)", wire, f.FCS, sum)
	}
	return append(fs, layers.Field{Name: "FCS", Value: fcs})
}

func describeAddr(m MAC) string {
	switch {
	case m.IsBroadcast():
		return m.String() + " (broadcast)"
	case m.IsMulticast():
		return m.String() + " (multicast)"
	}
	return m.String()
}

func typeName(t EtherType) string {
	if t < minEtherType {
		return "802.3 length"
	}
	switch t {
	case EtherTypeIPv4, EtherTypeARP, EtherTypeRARP:
		return t.String()
	}
	return "unknown"
}
