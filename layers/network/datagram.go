package network

import (
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"net/netip"
	"strconv"

	"github.com/gopacket/gopacket"
	gplayers "github.com/gopacket/gopacket/layers"

	"github.com/osisim/osisim/layers"
)

// Protocol is the IPv4 Protocol field: which protocol the payload belongs to
// (the IANA "Assigned Internet Protocol Numbers").
type Protocol uint8

// The protocols osisim carries.
const (
	ProtoICMP Protocol = 1
	ProtoTCP  Protocol = 6
	ProtoUDP  Protocol = 17
)

// String returns "ICMP", "TCP", "UDP" or "protocol 47".
func (p Protocol) String() string {
	switch p {
	case ProtoICMP:
		return "ICMP"
	case ProtoTCP:
		return "TCP"
	case ProtoUDP:
		return "UDP"
	}
	return "protocol " + strconv.Itoa(int(p))
}

// IPv4 header sizes (RFC 791 3.1).
const (
	IPv4MinHeaderLen = 20    // a header without options
	IPv4MaxHeaderLen = 60    // IHL 15
	IPv4MaxLen       = 65535 // the largest Total Length
	ipv4MaxOptions   = IPv4MaxHeaderLen - IPv4MinHeaderLen
)

// Datagram is an IPv4 datagram (RFC 791): the network layer's PDU.
type Datagram struct {
	TOS           uint8
	ID            uint16
	DontFragment  bool
	MoreFragments bool
	FragOffset    uint16 // in octets, a multiple of 8 (the wire field counts 8-octet units)
	TTL           uint8
	Protocol      Protocol
	Checksum      uint16 // as received; Append computes its own
	Src, Dst      netip.Addr
	Options       []byte // raw option octets, padded to 4 on the wire
	Payload       []byte
}

// Parse decodes an IPv4 datagram. It checks the version (4), the header
// length (IHL at least 5), that Total Length covers the header and fits in
// b, and the header checksum (a mismatch is a *ChecksumError, matching
// ErrChecksum). Octets of b beyond Total Length, such as the padding of a
// short Ethernet frame, are ignored. Options and Payload alias b.
func Parse(b []byte) (Datagram, error) {
	if len(b) < IPv4MinHeaderLen {
		return Datagram{}, fmt.Errorf("network: datagram too short: %d bytes, need at least %d", len(b), IPv4MinHeaderLen)
	}
	if v := b[0] >> 4; v != 4 {
		return Datagram{}, fmt.Errorf("network: IP version %d, want 4", v)
	}
	hl := int(b[0]&0x0f) * 4
	if hl < IPv4MinHeaderLen {
		return Datagram{}, fmt.Errorf("network: header length field %d (%d bytes) is below the minimum 5 (20 bytes)", hl/4, hl)
	}
	total := int(binary.BigEndian.Uint16(b[2:4]))
	if total < hl {
		return Datagram{}, fmt.Errorf("network: total length %d is shorter than the %d-byte header", total, hl)
	}
	if total > len(b) {
		return Datagram{}, fmt.Errorf("network: total length %d exceeds the %d bytes received (truncated datagram)", total, len(b))
	}
	b = b[:total]
	var ip gplayers.IPv4
	if err := ip.DecodeFromBytes(b, gopacket.NilDecodeFeedback); err != nil {
		return Datagram{}, fmt.Errorf("network: bad IPv4 options: %v", err)
	}
	if err := verifyChecksum("IPv4 header", b[:hl], 10); err != nil {
		return Datagram{}, err
	}
	d := Datagram{
		TOS:           ip.TOS,
		ID:            ip.Id,
		DontFragment:  ip.Flags&gplayers.IPv4DontFragment != 0,
		MoreFragments: ip.Flags&gplayers.IPv4MoreFragments != 0,
		FragOffset:    ip.FragOffset * 8,
		TTL:           ip.TTL,
		Protocol:      Protocol(ip.Protocol),
		Checksum:      ip.Checksum,
		Src:           netip.AddrFrom4([4]byte(b[12:16])),
		Dst:           netip.AddrFrom4([4]byte(b[16:20])),
		Payload:       b[hl:],
	}
	if hl > IPv4MinHeaderLen {
		d.Options = b[IPv4MinHeaderLen:hl]
	}
	return d, nil
}

// HeaderLen returns the header length in octets: 20 plus the options padded
// to a multiple of 4 (at most 60).
func (d Datagram) HeaderLen() int {
	n := min(len(d.Options), ipv4MaxOptions)
	return IPv4MinHeaderLen + (n+3)&^3
}

// Len returns Total Length: header plus payload.
func (d Datagram) Len() int { return d.HeaderLen() + len(d.Payload) }

// IsFragment reports whether d is a fragment of a larger datagram: More
// Fragments is set or the offset is not zero (RFC 791 3.2).
func (d Datagram) IsFragment() bool { return d.MoreFragments || d.FragOffset != 0 }

// Append emits d after dst: the header with Version 4, IHL, Total Length
// and the header checksum computed (d.Checksum is ignored), then the
// payload. Options are padded with zeros (End of Option List) to a multiple
// of 4 octets; options beyond 40 octets and FragOffset bits below 8 do not
// fit the header and are dropped. An address that is not IPv4 is written as
// 0.0.0.0. The caller keeps Len() within 65535.
func (d Datagram) Append(dst []byte) []byte {
	var e emitter
	return d.appendWith(dst, &e)
}

// emitter holds what gopacket needs to emit an IPv4 header. A Stack keeps
// one, so that it emits datagrams without allocating.
type emitter struct {
	ip       gplayers.IPv4
	pb       prependBuf
	src, dst [4]byte
}

// appendWith is Append with the caller's emitter.
func (d *Datagram) appendWith(dst []byte, e *emitter) []byte {
	hl := d.HeaderLen()
	dst, off := grow(dst, hl+len(d.Payload))
	copy(dst[off+hl:], d.Payload)
	e.src, e.dst = as4(d.Src), as4(d.Dst)
	ip, pb := &e.ip, &e.pb
	var flags gplayers.IPv4Flag
	if d.DontFragment {
		flags |= gplayers.IPv4DontFragment
	}
	if d.MoreFragments {
		flags |= gplayers.IPv4MoreFragments
	}
	// The options travel as raw octets in Padding, which gopacket copies
	// after the (empty) parsed option list and pads with zeros to 4 octets.
	*ip = gplayers.IPv4{
		Version:    4,
		TOS:        d.TOS,
		Id:         d.ID,
		Flags:      flags,
		FragOffset: (d.FragOffset / 8) & 0x1fff,
		TTL:        d.TTL,
		Protocol:   gplayers.IPProtocol(d.Protocol),
		SrcIP:      e.src[:],
		DstIP:      e.dst[:],
		Padding:    d.Options[:min(len(d.Options), ipv4MaxOptions)],
	}
	*pb = prependBuf{b: dst, start: off + hl, floor: off}
	// SerializeTo fails only for a non-IPv4 address or an option list it
	// cannot lay out; neither can happen here, as the addresses are 4 octets
	// and the options are raw bytes that fit the reserved room.
	_ = ip.SerializeTo(pb, serializeOpts)
	*ip = gplayers.IPv4{}
	return dst
}

// DecrementTTL decrements the TTL of the IPv4 header at the start of b in
// place and updates the header checksum incrementally (RFC 1624), as a
// router does for every datagram it forwards (RFC 1812 5.3.1). It returns
// the new TTL. A TTL that is already 0 cannot be decremented.
func DecrementTTL(b []byte) (uint8, error) {
	if len(b) < IPv4MinHeaderLen {
		return 0, fmt.Errorf("network: datagram too short: %d bytes, need at least %d", len(b), IPv4MinHeaderLen)
	}
	if v := b[0] >> 4; v != 4 {
		return 0, fmt.Errorf("network: IP version %d, want 4", v)
	}
	ttl := b[8]
	if ttl == 0 {
		return 0, fmt.Errorf("network: TTL is already 0")
	}
	// TTL shares its 16-bit word with Protocol.
	old := binary.BigEndian.Uint16(b[8:10])
	b[8] = ttl - 1
	hc := binary.BigEndian.Uint16(b[10:12])
	binary.BigEndian.PutUint16(b[10:12], checksumUpdate(hc, old, binary.BigEndian.Uint16(b[8:10])))
	return ttl - 1, nil
}

// Summary returns one line: "IPv4 10.0.1.10 > 10.0.2.110 TCP ttl=64
// id=0x1a2b len=60", with " frag off=1480 MF" for a fragment.
func (d Datagram) Summary() string {
	s := fmt.Sprintf("IPv4 %s > %s %s ttl=%d id=0x%04x len=%d", d.Src, d.Dst, d.Protocol, d.TTL, d.ID, d.Len())
	if d.IsFragment() {
		s += fmt.Sprintf(" frag off=%d", d.FragOffset)
		if d.MoreFragments {
			s += " MF"
		}
	}
	return s
}

// flagsString returns "0x2 (DF)" for the three-bit Flags field.
func (d Datagram) flagsString() string {
	v := 0
	names := ""
	if d.DontFragment {
		v |= 2
		names = "DF"
	}
	if d.MoreFragments {
		v |= 1
		if names != "" {
			names += ", "
		}
		names += "MF"
	}
	if names == "" {
		return "0x0"
	}
	return fmt.Sprintf("0x%x (%s)", v, names)
}

// Fields returns the header fields in wire order, as Wireshark names them.
func (d Datagram) Fields() []layers.Field {
	hl := d.HeaderLen()
	f := []layers.Field{
		{Name: "Version", Value: "4"},
		{Name: "IHL", Value: fmt.Sprintf("%d (%d bytes)", hl/4, hl)},
		{Name: "TOS", Value: fmt.Sprintf("0x%02x", d.TOS)},
		{Name: "Total Length", Value: strconv.Itoa(d.Len())},
		{Name: "Identification", Value: fmt.Sprintf("0x%04x (%d)", d.ID, d.ID)},
		{Name: "Flags", Value: d.flagsString()},
		{Name: "Fragment Offset", Value: strconv.Itoa(int(d.FragOffset))},
		{Name: "TTL", Value: strconv.Itoa(int(d.TTL))},
		{Name: "Protocol", Value: fmt.Sprintf("%d (%s)", uint8(d.Protocol), d.Protocol)},
		{Name: "Header Checksum", Value: fmt.Sprintf("0x%04x", d.Checksum)},
		{Name: "Source", Value: d.Src.String()},
		{Name: "Destination", Value: d.Dst.String()},
	}
	if len(d.Options) > 0 {
		f = append(f, layers.Field{Name: "Options", Value: fmt.Sprintf("%d bytes: %s", len(d.Options), hex.EncodeToString(d.Options))})
	}
	return f
}
