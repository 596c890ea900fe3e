package physical

import (
	"errors"
	"fmt"
)

// Preamble and start frame delimiter, IEEE 802.3 clause 3.2.1 and 3.2.2.
const (
	// PreambleOctet is the value of each of the seven preamble octets. Sent
	// least significant bit first it is the alternating pattern 10101010,
	// which lets the receiver lock onto the sender's clock.
	PreambleOctet = 0x55
	// PreambleLen is the number of preamble octets.
	PreambleLen = 7
	// SFD is the start frame delimiter. Sent least significant bit first it
	// is 10101011: the final two 1s mark where the frame begins.
	SFD = 0xD5
	// PreambleSFDBits is the length of preamble and SFD together, in bits.
	PreambleSFDBits = 64
)

// preambleSFD is the preamble followed by the SFD, as octets.
const preambleSFD = "\x55\x55\x55\x55\x55\x55\x55\xd5"

// Errors of Bits.Frame.
var (
	// ErrPreamble reports a preamble octet other than 0x55.
	ErrPreamble = errors.New("physical: bad preamble")
	// ErrNoSFD reports a bit stream without a start frame delimiter where
	// one must be (octet 7), including one that ends before it.
	ErrNoSFD = errors.New("physical: no start frame delimiter")
)

// Bits is the bit stream of one frame as the physical layer sends it: the
// preamble, the SFD and the frame's octets (destination address to FCS), in
// IEEE 802.3 transmission order, where each octet goes least significant bit
// first (clause 3.3). That holds for the FCS octets too as a capture stores
// them (the reflected CRC-32, least significant octet first): sent that way,
// the CRC's x^31 term goes first, as clause 3.2.9 requires. Bits are stored
// packed: bit i is bit i%8 of octet i/8.
//
// A Bits shares its storage with its copies and with the slices it returns.
type Bits struct {
	b []byte
	n int
}

// Encode returns the bit stream that carries frame: preamble, SFD, frame.
func Encode(frame []byte) Bits { return EncodeInto(nil, frame) }

// EncodeInto is Encode building the stream in buf's storage when its
// capacity suffices (the result then aliases buf), for callers that reuse
// one buffer per frame.
func EncodeInto(buf, frame []byte) Bits {
	n := len(preambleSFD) + len(frame)
	b := buf[:0]
	if cap(b) < n {
		b = make([]byte, 0, n)
	}
	b = append(b, preambleSFD...)
	b = append(b, frame...)
	return Bits{b: b, n: 8 * n}
}

// NewBits returns the stream of the first n bits of octets, packed as Bits
// stores them (bit i is bit i%8 of octets[i/8]). The result aliases octets.
// It is how a receiver or a test builds Bits from raw material.
func NewBits(octets []byte, n int) (Bits, error) {
	if n < 0 || n > 8*len(octets) {
		return Bits{}, fmt.Errorf("physical: %d bits do not fit in %d octets", n, len(octets))
	}
	return Bits{b: octets[:(n+7)/8], n: n}, nil
}

// Len returns the number of bits.
func (b Bits) Len() int { return b.n }

// Bit returns bit i (0 or 1) in transmission order. It panics if i is out
// of range.
func (b Bits) Bit(i int) byte {
	if uint(i) >= uint(b.n) {
		panic(fmt.Sprintf("physical: bit %d out of range [0, %d)", i, b.n))
	}
	return b.b[i>>3] >> (i & 7) & 1
}

// Octets returns the packed octets (preamble and SFD first). If Len is not
// a multiple of 8, the last octet is partial and its bits from Len%8 up are
// not part of the stream. The slice aliases b.
func (b Bits) Octets() []byte { return b.b }

// Frame checks the preamble and the SFD and returns the frame that follows
// them (destination address to FCS). The slice aliases b. Bits after the
// last whole octet (dribble bits) are discarded, as the IEEE 802.3 clause 4
// receive procedure truncates a frame to an octet boundary; the FCS check
// of the data link layer then decides whether the frame is good.
func (b Bits) Frame() ([]byte, error) {
	whole := b.n / 8
	if whole < len(preambleSFD) {
		return nil, fmt.Errorf("%w: the stream ends after %d bits, before the SFD at bits 56-63", ErrNoSFD, b.n)
	}
	for k := 0; k < PreambleLen; k++ {
		if b.b[k] != PreambleOctet {
			return nil, fmt.Errorf("%w: octet %d is 0x%02x, want 0x55", ErrPreamble, k, b.b[k])
		}
	}
	if b.b[PreambleLen] != SFD {
		return nil, fmt.Errorf("%w: octet 7 is 0x%02x, want 0xd5", ErrNoSFD, b.b[PreambleLen])
	}
	return b.b[len(preambleSFD):whole], nil
}
