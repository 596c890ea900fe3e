package transport

import (
	"encoding/binary"
	"fmt"
	"net/netip"
	"strconv"

	"github.com/osisim/osisim/layers"
)

// UDPHeaderLen is the size of the UDP header (RFC 768).
const UDPHeaderLen = 8

// UserDatagram is a UDP datagram (RFC 768). Its Length field is not stored:
// it is always the header plus the payload.
type UserDatagram struct {
	SrcPort, DstPort uint16
	Checksum         uint16
	Payload          []byte
}

// HeaderLen returns 8, the size of the UDP header.
func (u UserDatagram) HeaderLen() int { return UDPHeaderLen }

// Len returns the value of the Length field: header plus payload.
func (u UserDatagram) Len() int { return UDPHeaderLen + len(u.Payload) }

// ParseDatagram decodes a UDP datagram. The Length field must not exceed
// the bytes given; octets beyond it (link padding) are ignored. A non-zero
// checksum is verified over the pseudo-header of src and dst (RFC 768); a
// zero checksum means the sender computed none. On a mismatch it returns
// the decoded datagram with an error wrapping ErrChecksum. When src and dst
// are both the zero netip.Addr the checksum is not verified. The Payload
// aliases b. ParseDatagram never panics.
func ParseDatagram(b []byte, src, dst netip.Addr) (UserDatagram, error) {
	var u UserDatagram
	if len(b) < UDPHeaderLen {
		return u, fmt.Errorf("transport: UDP datagram too short: %d bytes, need at least %d", len(b), UDPHeaderLen)
	}
	n := int(binary.BigEndian.Uint16(b[4:]))
	if n < UDPHeaderLen {
		return u, fmt.Errorf("transport: UDP length field %d is below the header size of %d", n, UDPHeaderLen)
	}
	if n > len(b) {
		return u, fmt.Errorf("transport: UDP length field says %d bytes but the datagram has only %d", n, len(b))
	}
	b = b[:n]
	u.SrcPort = binary.BigEndian.Uint16(b[0:])
	u.DstPort = binary.BigEndian.Uint16(b[2:])
	u.Checksum = binary.BigEndian.Uint16(b[6:])
	if n > UDPHeaderLen {
		u.Payload = b[UDPHeaderLen:]
	}
	if u.Checksum == 0 || skipChecksum(src, dst) {
		return u, nil
	}
	acc, err := pseudoHeaderSum(src, dst, ProtocolUDP, n)
	if err != nil {
		return u, err
	}
	if checksumFold(checksumAdd(acc, b)) != 0xffff {
		want := ^checksumFold(checksumAdd(checksumAdd(acc, b[:6]), b[8:]))
		if want == 0 {
			want = 0xffff
		}
		return u, fmt.Errorf("%w: UDP header says 0x%04x, the datagram sums to 0x%04x", ErrChecksum, u.Checksum, want)
	}
	return u, nil
}

// Append appends the datagram's wire form to b and returns the extended
// slice, computing the checksum over the pseudo-header of src and dst; a
// computed zero is sent as 0xffff (RFC 768). When src and dst are both the
// zero netip.Addr it writes the Checksum field as it is. A payload longer
// than 65527 octets cannot be described by the 16-bit Length field and is
// cut. Append never panics.
func (u UserDatagram) Append(b []byte, src, dst netip.Addr) []byte {
	start := len(b)
	p := u.Payload
	if len(p) > 0xffff-UDPHeaderLen {
		p = p[:0xffff-UDPHeaderLen]
	}
	n := UDPHeaderLen + len(p)
	b = binary.BigEndian.AppendUint16(b, u.SrcPort)
	b = binary.BigEndian.AppendUint16(b, u.DstPort)
	b = binary.BigEndian.AppendUint16(b, uint16(n))
	b = append(b, 0, 0)
	b = append(b, p...)
	sum := u.Checksum
	if !skipChecksum(src, dst) {
		acc, err := pseudoHeaderSum(src, dst, ProtocolUDP, n)
		if err == nil {
			sum = ^checksumFold(checksumAdd(acc, b[start:]))
			if sum == 0 {
				sum = 0xffff
			}
		}
	}
	binary.BigEndian.PutUint16(b[start+6:], sum)
	return b
}

// Summary returns one line for the trace: "UDP 53124 > 53 len=32", where
// len counts the payload octets.
func (u UserDatagram) Summary() string {
	b := make([]byte, 0, 40)
	b = append(b, "UDP "...)
	b = strconv.AppendUint(b, uint64(u.SrcPort), 10)
	b = append(b, " > "...)
	b = strconv.AppendUint(b, uint64(u.DstPort), 10)
	b = append(b, " len="...)
	b = strconv.AppendInt(b, int64(len(u.Payload)), 10)
	return string(b)
}

// Fields returns the four header fields in wire order.
func (u UserDatagram) Fields() []layers.Field {
	sum := fmt.Sprintf("0x%04x", u.Checksum)
	if u.Checksum == 0 {
		sum += " (none)"
	}
	return []layers.Field{
		{Name: "Source Port", Value: Port(u.SrcPort).String()},
		{Name: "Destination Port", Value: Port(u.DstPort).String()},
		{Name: "Length", Value: strconv.Itoa(u.Len())},
		{Name: "Checksum", Value: sum},
	}
}
