package transport

import (
	"encoding/binary"
	"fmt"
	"net/netip"
)

// IP protocol numbers of the two transport protocols (IANA "Assigned
// Internet Protocol Numbers"), as the IPv4 Protocol field carries them.
const (
	ProtocolTCP uint8 = 6
	ProtocolUDP uint8 = 17
)

// checksumAdd adds b to the running sum acc as a sequence of big-endian
// 16-bit words, per RFC 1071. Words are added four bytes at a time: since
// 2^16 is 1 modulo 0xffff, a 32-bit word adds the same as its two halves once
// the sum is folded, so any split of b at an even offset gives the same result.
func checksumAdd(acc uint64, b []byte) uint64 {
	for len(b) >= 8 {
		acc += uint64(binary.BigEndian.Uint32(b)) + uint64(binary.BigEndian.Uint32(b[4:]))
		b = b[8:]
	}
	if len(b) >= 4 {
		acc += uint64(binary.BigEndian.Uint32(b))
		b = b[4:]
	}
	if len(b) >= 2 {
		acc += uint64(binary.BigEndian.Uint16(b))
		b = b[2:]
	}
	if len(b) == 1 {
		// RFC 1071: an odd final byte is padded with a zero byte on the right.
		acc += uint64(b[0]) << 8
	}
	return acc
}

// checksumFold folds the running sum into 16 bits with end-around carries.
func checksumFold(acc uint64) uint16 {
	for acc>>16 != 0 {
		acc = acc&0xffff + acc>>16
	}
	return uint16(acc)
}

// pseudoHeaderSum returns the sum of the pseudo-header that RFC 9293 3.1
// (TCP) and RFC 768 (UDP) put in front of the segment for the checksum: the
// source and destination addresses, a zero byte, the protocol number and the
// transport length. It supports IPv4 and, with the RFC 8200 8.1 layout, IPv6.
func pseudoHeaderSum(src, dst netip.Addr, proto uint8, length int) (uint64, error) {
	switch {
	case src.Is4() && dst.Is4():
		s, d := src.As4(), dst.As4()
		acc := uint64(binary.BigEndian.Uint32(s[:])) + uint64(binary.BigEndian.Uint32(d[:]))
		return acc + uint64(proto) + uint64(length), nil
	case src.Is6() && dst.Is6() && !src.Is4In6() && !dst.Is4In6():
		s, d := src.As16(), dst.As16()
		acc := checksumAdd(0, s[:])
		acc = checksumAdd(acc, d[:])
		return acc + uint64(proto) + uint64(length), nil
	}
	return 0, fmt.Errorf("transport: cannot build the checksum pseudo-header from %v and %v: want two IPv4 or two IPv6 addresses", src, dst)
}

// skipChecksum reports whether the caller gave no addresses at all, which
// Parse and Append take as "do not verify" and "keep the Checksum field".
func skipChecksum(src, dst netip.Addr) bool { return !src.IsValid() && !dst.IsValid() }
