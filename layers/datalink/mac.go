package datalink

import (
	"fmt"
	"net"
)

// MAC is an IEEE 802 48-bit MAC address.
type MAC [6]byte

// Broadcast is ff:ff:ff:ff:ff:ff.
var Broadcast = MAC{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}

// ParseMAC parses "02:00:00:00:01:0a" (or any form net.ParseMAC accepts for
// a 48-bit address).
func ParseMAC(s string) (MAC, error) {
	hw, err := net.ParseMAC(s)
	if err != nil {
		return MAC{}, fmt.Errorf("datalink: bad MAC address %q", s)
	}
	if len(hw) != 6 {
		return MAC{}, fmt.Errorf("datalink: MAC address %q is not 48 bits", s)
	}
	var m MAC
	copy(m[:], hw)
	return m, nil
}

// String returns the address as "02:00:00:00:01:0a".
func (m MAC) String() string {
	const hex = "0123456789abcdef"
	var b [17]byte
	for i, v := range m {
		if i > 0 {
			b[3*i-1] = ':'
		}
		b[3*i] = hex[v>>4]
		b[3*i+1] = hex[v&0xf]
	}
	return string(b[:])
}

// IsBroadcast reports whether m is ff:ff:ff:ff:ff:ff.
func (m MAC) IsBroadcast() bool { return m == Broadcast }

// IsMulticast reports whether the I/G bit is set (broadcast included).
func (m MAC) IsMulticast() bool { return m[0]&1 == 1 }

// IsZero reports whether m is 00:00:00:00:00:00.
func (m MAC) IsZero() bool { return m == MAC{} }

// EtherType is the Ethernet II type field.
type EtherType uint16

// EtherTypes osisim speaks.
const (
	EtherTypeIPv4 EtherType = 0x0800
	EtherTypeARP  EtherType = 0x0806
	EtherTypeRARP EtherType = 0x8035
)

// String returns "IPv4", "ARP", "RARP" or the hex value.
func (t EtherType) String() string {
	switch t {
	case EtherTypeIPv4:
		return "IPv4"
	case EtherTypeARP:
		return "ARP"
	case EtherTypeRARP:
		return "RARP"
	case EtherTypeARQ:
		return "ARQ"
	}
	return fmt.Sprintf("0x%04x", uint16(t))
}
