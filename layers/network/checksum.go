package network

import (
	"errors"
	"fmt"

	"github.com/gopacket/gopacket"
)

// ErrChecksum is the error that errors.Is finds in every checksum mismatch
// this package reports (IPv4 header, ICMP message). The concrete error is a
// *ChecksumError that carries both values.
var ErrChecksum = errors.New("network: checksum mismatch")

// ChecksumError reports an Internet checksum (RFC 1071) that does not match
// the octets it covers.
type ChecksumError struct {
	What string // "IPv4 header" or "ICMP"
	Got  uint16 // the value found in the PDU
	Want uint16 // the value computed over the received octets
}

// Error returns "network: IPv4 header checksum 0x1234 does not match the
// computed 0xb1e6".
func (e *ChecksumError) Error() string {
	return fmt.Sprintf("network: %s checksum 0x%04x does not match the computed 0x%04x", e.What, e.Got, e.Want)
}

// Is makes errors.Is(err, ErrChecksum) true.
func (e *ChecksumError) Is(target error) bool { return target == ErrChecksum }

// verifyChecksum checks the Internet checksum of b whose checksum field sits
// at offset at (even). Per RFC 1071 the one's complement sum over all the
// octets, checksum included, must be all ones; so 0x0000 and 0xffff are the
// same value and both are accepted.
func verifyChecksum(what string, b []byte, at int) error {
	if gopacket.FoldChecksum(gopacket.ComputeChecksum(b, 0)) == 0 {
		return nil
	}
	got := uint16(b[at])<<8 | uint16(b[at+1])
	sum := gopacket.ComputeChecksum(b[:at], 0)
	sum = gopacket.ComputeChecksum(b[at+2:], sum)
	return &ChecksumError{What: what, Got: got, Want: gopacket.FoldChecksum(sum)}
}

// checksumUpdate returns the checksum hc after one 16-bit word it covers
// changes from old to new, by RFC 1624 equation 3: HC' = ~(~HC + ~m + m').
// Unlike equation 2 of RFC 1141 it never yields 0xffff (-0) for a header
// whose full recomputation would give 0x0000.
func checksumUpdate(hc, old, new uint16) uint16 {
	sum := uint32(^hc) + uint32(^old) + uint32(new)
	sum = (sum & 0xffff) + (sum >> 16)
	sum = (sum & 0xffff) + (sum >> 16)
	return ^uint16(sum)
}

// prependBuf is a gopacket.SerializeBuffer over a region of an existing
// slice: the payload already sits at b[start:], and each PrependBytes moves
// start back into room reserved in front of it, never below floor. It lets
// gopacket's serializers write straight into the caller's slice, so emitting
// a PDU needs no intermediate buffer.
type prependBuf struct {
	b     []byte
	start int
	floor int
}

var _ gopacket.SerializeBuffer = (*prependBuf)(nil)

var errNoRoom = errors.New("network: no room reserved for the header")

func (p *prependBuf) Bytes() []byte { return p.b[p.start:] }

func (p *prependBuf) PrependBytes(n int) ([]byte, error) {
	if n < 0 || p.start-n < p.floor {
		return nil, errNoRoom
	}
	p.start -= n
	return p.b[p.start : p.start+n], nil
}

func (p *prependBuf) AppendBytes(int) ([]byte, error) { return nil, errNoRoom }

func (p *prependBuf) Clear() error { p.start = len(p.b); return nil }

func (p *prependBuf) Layers() []gopacket.LayerType { return nil }

func (p *prependBuf) PushLayer(gopacket.LayerType) {}

// grow extends dst by n octets (contents unspecified) and returns the longer
// slice and the offset where the new octets begin.
func grow(dst []byte, n int) ([]byte, int) {
	off := len(dst)
	if cap(dst)-off < n {
		nb := make([]byte, off, off+n+off/4)
		copy(nb, dst)
		dst = nb
	}
	return dst[:off+n], off
}

var serializeOpts = gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}
