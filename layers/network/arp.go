package network

import (
	"encoding/binary"
	"fmt"
	"net/netip"
	"strconv"

	"github.com/gopacket/gopacket"
	gplayers "github.com/gopacket/gopacket/layers"

	"github.com/osisim/osisim/layers"
	"github.com/osisim/osisim/layers/datalink"
)

// ARP operation codes (RFC 826 for ARP, RFC 903 for RARP).
const (
	ARPRequest  uint16 = 1
	ARPReply    uint16 = 2
	RARPRequest uint16 = 3
	RARPReply   uint16 = 4
)

// ARPLen is the length of an ARP packet for Ethernet and IPv4: 8 octets of
// fixed header and two (MAC, IPv4) address pairs.
const ARPLen = 28

// ARP is an ARP or RARP packet for Ethernet hardware and IPv4 addresses
// (RFC 826, RFC 903). It is carried directly in an Ethernet frame with
// EtherType 0x0806 (0x8035 for RARP).
type ARP struct {
	Op        uint16
	SenderMAC datalink.MAC
	SenderIP  netip.Addr
	TargetMAC datalink.MAC
	TargetIP  netip.Addr
}

// ParseARP decodes an ARP packet. It accepts only hardware type 1
// (Ethernet) with 6-octet addresses and protocol type 0x0800 (IPv4) with
// 4-octet addresses; octets beyond the 28 of the packet (Ethernet padding)
// are ignored.
func ParseARP(b []byte) (ARP, error) {
	if len(b) < ARPLen {
		return ARP{}, fmt.Errorf("network: ARP packet too short: %d bytes, need %d", len(b), ARPLen)
	}
	// The fixed header says what the rest holds: check it before decoding.
	if ht := binary.BigEndian.Uint16(b[0:2]); ht != uint16(gplayers.LinkTypeEthernet) {
		return ARP{}, fmt.Errorf("network: ARP hardware type %d, want 1 (Ethernet)", ht)
	}
	if pt := binary.BigEndian.Uint16(b[2:4]); pt != uint16(gplayers.EthernetTypeIPv4) {
		return ARP{}, fmt.Errorf("network: ARP protocol type 0x%04x, want 0x0800 (IPv4)", pt)
	}
	if b[4] != 6 || b[5] != 4 {
		return ARP{}, fmt.Errorf("network: ARP address sizes %d and %d, want 6 (MAC) and 4 (IPv4)", b[4], b[5])
	}
	var p gplayers.ARP
	if err := p.DecodeFromBytes(b, gopacket.NilDecodeFeedback); err != nil {
		return ARP{}, fmt.Errorf("network: bad ARP packet: %v", err)
	}
	return ARP{
		Op:        p.Operation,
		SenderMAC: datalink.MAC(p.SourceHwAddress),
		SenderIP:  netip.AddrFrom4([4]byte(p.SourceProtAddress)),
		TargetMAC: datalink.MAC(p.DstHwAddress),
		TargetIP:  netip.AddrFrom4([4]byte(p.DstProtAddress)),
	}, nil
}

// Append emits the 28-octet packet after dst. Addresses that are not IPv4
// are written as 0.0.0.0.
func (a ARP) Append(dst []byte) []byte {
	dst, off := grow(dst, ARPLen)
	sip, tip := as4(a.SenderIP), as4(a.TargetIP)
	// gopacket wants 4-octet protocol addresses, or FixLengths writes the
	// wrong protocol address size.
	p := gplayers.ARP{
		AddrType:          gplayers.LinkTypeEthernet,
		Protocol:          gplayers.EthernetTypeIPv4,
		Operation:         a.Op,
		SourceHwAddress:   a.SenderMAC[:],
		SourceProtAddress: sip[:],
		DstHwAddress:      a.TargetMAC[:],
		DstProtAddress:    tip[:],
	}
	pb := prependBuf{b: dst, start: off + ARPLen, floor: off}
	// SerializeTo fails only for mismatched address sizes, which the
	// fixed-size fields above rule out.
	_ = p.SerializeTo(&pb, serializeOpts)
	return dst
}

// as4 returns the four octets of an IPv4 address, or zeros.
func as4(a netip.Addr) [4]byte {
	if a.Is4() || a.Is4In6() {
		return a.Unmap().As4()
	}
	return [4]byte{}
}

// HeaderLen returns 28: an ARP packet is all header.
func (a ARP) HeaderLen() int { return ARPLen }

// opName returns "request", "reply", "RARP request", "RARP reply" or
// "opcode 9".
func arpOpName(op uint16) string {
	switch op {
	case ARPRequest:
		return "request"
	case ARPReply:
		return "reply"
	case RARPRequest:
		return "RARP request"
	case RARPReply:
		return "RARP reply"
	}
	return "opcode " + strconv.Itoa(int(op))
}

// IsAnnouncement reports whether a is a gratuitous ARP: a request whose
// sender and target IP addresses are the same (RFC 5227 3).
func (a ARP) IsAnnouncement() bool { return a.Op == ARPRequest && a.SenderIP == a.TargetIP }

// Summary returns one line: "ARP request: who has 10.0.1.1? tell
// 10.0.1.10", "ARP reply: 10.0.1.1 is at 02:00:00:00:01:01", "RARP request:
// who is 02:00:00:00:01:0a?", "RARP reply: 02:00:00:00:01:0a is 10.0.1.10".
func (a ARP) Summary() string {
	switch {
	case a.IsAnnouncement():
		return fmt.Sprintf("ARP announcement: %s is at %s", a.SenderIP, a.SenderMAC)
	case a.Op == ARPRequest:
		return fmt.Sprintf("ARP request: who has %s? tell %s", a.TargetIP, a.SenderIP)
	case a.Op == ARPReply:
		return fmt.Sprintf("ARP reply: %s is at %s", a.SenderIP, a.SenderMAC)
	case a.Op == RARPRequest:
		return fmt.Sprintf("RARP request: who is %s? tell %s", a.TargetMAC, a.SenderMAC)
	case a.Op == RARPReply:
		return fmt.Sprintf("RARP reply: %s is %s", a.TargetMAC, a.TargetIP)
	}
	return fmt.Sprintf("ARP %s from %s (%s)", arpOpName(a.Op), a.SenderIP, a.SenderMAC)
}

// Fields returns the packet's fields in wire order, as Wireshark names them.
func (a ARP) Fields() []layers.Field {
	return []layers.Field{
		{Name: "Hardware Type", Value: "1 (Ethernet)"},
		{Name: "Protocol Type", Value: "0x0800 (IPv4)"},
		{Name: "Hardware Size", Value: "6"},
		{Name: "Protocol Size", Value: "4"},
		{Name: "Opcode", Value: fmt.Sprintf("%d (%s)", a.Op, arpOpName(a.Op))},
		{Name: "Sender MAC Address", Value: a.SenderMAC.String()},
		{Name: "Sender IP Address", Value: addrString(a.SenderIP)},
		{Name: "Target MAC Address", Value: a.TargetMAC.String()},
		{Name: "Target IP Address", Value: addrString(a.TargetIP)},
	}
}

// addrString prints an invalid address as 0.0.0.0, as Append writes it.
func addrString(a netip.Addr) string {
	if !a.IsValid() {
		return "0.0.0.0"
	}
	return a.String()
}
