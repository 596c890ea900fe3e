package network

import (
	"encoding/binary"
	"fmt"
	"net/netip"
	"strconv"

	"github.com/gopacket/gopacket"
	gplayers "github.com/gopacket/gopacket/layers"

	"github.com/osisim/osisim/layers"
)

// ICMP message types (RFC 792, RFC 950, RFC 1256).
const (
	ICMPEchoReply       uint8 = 0
	ICMPDestUnreachable uint8 = 3
	ICMPSourceQuench    uint8 = 4
	ICMPRedirect        uint8 = 5
	ICMPEchoRequest     uint8 = 8
	ICMPRouterAdvert    uint8 = 9
	ICMPRouterSolicit   uint8 = 10
	ICMPTimeExceeded    uint8 = 11
	ICMPParamProblem    uint8 = 12
	ICMPTimestamp       uint8 = 13
	ICMPTimestampReply  uint8 = 14
	ICMPInfoRequest     uint8 = 15
	ICMPInfoReply       uint8 = 16
	ICMPAddrMaskRequest uint8 = 17
	ICMPAddrMaskReply   uint8 = 18
)

const (
	// ICMPHeaderLen is the length of the ICMP header: type, code, checksum
	// and the four octets of the rest of the header.
	ICMPHeaderLen = 8
	// icmpQuotedPayloadLen is how much of the original datagram's data an
	// error quotes after its header (RFC 792: 64 bits).
	icmpQuotedPayloadLen = 8
	icmpTypeNameCount    = 19
)

// Codes of destination unreachable (RFC 792, RFC 1122 3.2.2.1, RFC 1812
// 5.2.7.1) and of time exceeded (RFC 792).
const (
	ICMPNetUnreachable     uint8 = 0
	ICMPHostUnreachable    uint8 = 1
	ICMPProtoUnreachable   uint8 = 2
	ICMPPortUnreachable    uint8 = 3
	ICMPFragNeeded         uint8 = 4
	ICMPSourceRouteFailed  uint8 = 5
	ICMPTTLExceeded        uint8 = 0
	ICMPReassemblyExceeded uint8 = 1
)

var icmpTypeNames = [icmpTypeNameCount]string{
	0:  "echo reply",
	3:  "destination unreachable",
	4:  "source quench",
	5:  "redirect",
	8:  "echo request",
	9:  "router advertisement",
	10: "router solicitation",
	11: "time exceeded",
	12: "parameter problem",
	13: "timestamp request",
	14: "timestamp reply",
	15: "information request",
	16: "information reply",
	17: "address mask request",
	18: "address mask reply",
}

var unreachableCodes = [...]string{
	"net unreachable",
	"host unreachable",
	"protocol unreachable",
	"port unreachable",
	"fragmentation needed and DF set",
	"source route failed",
	"destination network unknown",
	"destination host unknown",
	"source host isolated",
	"network administratively prohibited",
	"host administratively prohibited",
	"network unreachable for TOS",
	"host unreachable for TOS",
	"communication administratively prohibited",
	"host precedence violation",
	"precedence cutoff in effect",
}

var timeExceededCodes = [...]string{"TTL expired in transit", "fragment reassembly time exceeded"}

var redirectCodes = [...]string{"for the network", "for the host", "for the TOS and network", "for the TOS and host"}

var paramProblemCodes = [...]string{"pointer indicates the error", "missing a required option", "bad length"}

// ICMP is an ICMP message for IPv4 (RFC 792), carried in an IPv4 datagram
// with Protocol 1.
//
// The four octets after the checksum depend on the type: the query
// messages (echo, timestamp, information, address mask) carry an
// Identifier and a Sequence Number in ID and Seq; every other type carries
// them in Rest (unused, the next-hop MTU of RFC 1191, a gateway address, a
// pointer). Error messages carry in Data the original IP header and the
// first 8 octets of its payload.
type ICMP struct {
	Type     uint8
	Code     uint8
	Checksum uint16 // as received; Append computes its own
	ID, Seq  uint16 // query messages (echo ...)
	Rest     uint32 // all other messages
	Data     []byte
}

// hasIDSeq reports whether the rest of header of type t is an Identifier
// and a Sequence Number (RFC 792 echo, timestamp, information; RFC 950
// address mask).
func hasIDSeq(t uint8) bool {
	switch t {
	case ICMPEchoReply, ICMPEchoRequest, ICMPTimestamp, ICMPTimestampReply,
		ICMPInfoRequest, ICMPInfoReply, ICMPAddrMaskRequest, ICMPAddrMaskReply:
		return true
	}
	return false
}

// isICMPError reports whether type t is an ICMP error message, about which
// no ICMP error is ever sent (RFC 1122 3.2.2).
func isICMPError(t uint8) bool {
	switch t {
	case ICMPDestUnreachable, ICMPSourceQuench, ICMPRedirect, ICMPTimeExceeded, ICMPParamProblem:
		return true
	}
	return false
}

// IsError reports whether m is an error message (destination unreachable,
// source quench, redirect, time exceeded, parameter problem) rather than a
// query.
func (m ICMP) IsError() bool { return isICMPError(m.Type) }

// ParseICMP decodes an ICMP message and verifies its checksum, which covers
// the whole message (a mismatch is a *ChecksumError, matching ErrChecksum).
// Data aliases b.
func ParseICMP(b []byte) (ICMP, error) {
	if len(b) < ICMPHeaderLen {
		return ICMP{}, fmt.Errorf("network: ICMP message too short: %d bytes, need at least %d", len(b), ICMPHeaderLen)
	}
	var p gplayers.ICMPv4
	if err := p.DecodeFromBytes(b, gopacket.NilDecodeFeedback); err != nil {
		return ICMP{}, fmt.Errorf("network: bad ICMP message: %v", err)
	}
	if err := verifyChecksum("ICMP", b, 2); err != nil {
		return ICMP{}, err
	}
	m := ICMP{Type: p.TypeCode.Type(), Code: p.TypeCode.Code(), Checksum: p.Checksum, Data: b[ICMPHeaderLen:]}
	if hasIDSeq(m.Type) {
		m.ID, m.Seq = p.Id, p.Seq
	} else {
		m.Rest = uint32(p.Id)<<16 | uint32(p.Seq)
	}
	return m, nil
}

// Append emits the message after dst with its checksum computed
// (m.Checksum is ignored).
func (m ICMP) Append(dst []byte) []byte {
	dst, off := grow(dst, ICMPHeaderLen+len(m.Data))
	copy(dst[off+ICMPHeaderLen:], m.Data)
	p := gplayers.ICMPv4{TypeCode: gplayers.CreateICMPv4TypeCode(m.Type, m.Code), Id: m.ID, Seq: m.Seq}
	if !hasIDSeq(m.Type) {
		p.Id, p.Seq = uint16(m.Rest>>16), uint16(m.Rest)
	}
	pb := prependBuf{b: dst, start: off + ICMPHeaderLen, floor: off}
	// ICMPv4.SerializeTo fails only when the buffer has no room, and the
	// room is reserved above.
	_ = p.SerializeTo(&pb, serializeOpts)
	return dst
}

// HeaderLen returns 8: type, code, checksum and the rest of header.
func (m ICMP) HeaderLen() int { return ICMPHeaderLen }

// EchoRequest returns an echo request (RFC 792) with the given identifier,
// sequence number and data.
func EchoRequest(id, seq uint16, data []byte) ICMP {
	return ICMP{Type: ICMPEchoRequest, ID: id, Seq: seq, Data: data}
}

// NewError returns an ICMP error message of type typ and code about the
// datagram whose octets are original: per RFC 792 it quotes the original
// internet header and the first 64 bits of its data. Data aliases original.
func NewError(typ, code uint8, rest uint32, original []byte) ICMP {
	n := len(original)
	if n >= IPv4MinHeaderLen {
		n = min(n, int(original[0]&0x0f)*4+icmpQuotedPayloadLen)
	}
	return ICMP{Type: typ, Code: code, Rest: rest, Data: original[:n]}
}

// Original decodes the datagram an error message quotes: its header and the
// first octets of its payload (in Payload). Total Length and the checksum of
// the quoted header are not checked, since only part of the datagram is
// there. Options and Payload alias m.Data.
func (m ICMP) Original() (Datagram, error) {
	if !m.IsError() {
		return Datagram{}, fmt.Errorf("network: ICMP %s quotes no datagram", m.typeName())
	}
	b := m.Data
	if len(b) < IPv4MinHeaderLen {
		return Datagram{}, fmt.Errorf("network: quoted datagram too short: %d bytes, need at least %d", len(b), IPv4MinHeaderLen)
	}
	if v := b[0] >> 4; v != 4 {
		return Datagram{}, fmt.Errorf("network: quoted datagram has IP version %d, want 4", v)
	}
	hl := int(b[0]&0x0f) * 4
	if hl < IPv4MinHeaderLen || hl > len(b) {
		return Datagram{}, fmt.Errorf("network: quoted datagram header length %d does not fit its %d bytes", hl, len(b))
	}
	ff := binary.BigEndian.Uint16(b[6:8])
	d := Datagram{
		TOS:           b[1],
		ID:            binary.BigEndian.Uint16(b[4:6]),
		DontFragment:  ff&0x4000 != 0,
		MoreFragments: ff&0x2000 != 0,
		FragOffset:    (ff & 0x1fff) * 8,
		TTL:           b[8],
		Protocol:      Protocol(b[9]),
		Checksum:      binary.BigEndian.Uint16(b[10:12]),
		Src:           netip.AddrFrom4([4]byte(b[12:16])),
		Dst:           netip.AddrFrom4([4]byte(b[16:20])),
		Payload:       b[hl:],
	}
	if hl > IPv4MinHeaderLen {
		d.Options = b[IPv4MinHeaderLen:hl]
	}
	return d, nil
}

func (m ICMP) typeName() string {
	if int(m.Type) < len(icmpTypeNames) && icmpTypeNames[m.Type] != "" {
		return icmpTypeNames[m.Type]
	}
	return "type " + strconv.Itoa(int(m.Type))
}

// codeName returns the meaning of the code for the types that define
// codes, or "".
func (m ICMP) codeName() string {
	var table []string
	switch m.Type {
	case ICMPDestUnreachable:
		table = unreachableCodes[:]
	case ICMPTimeExceeded:
		table = timeExceededCodes[:]
	case ICMPRedirect:
		table = redirectCodes[:]
	case ICMPParamProblem:
		table = paramProblemCodes[:]
	default:
		return ""
	}
	if int(m.Code) < len(table) {
		return table[m.Code]
	}
	return "code " + strconv.Itoa(int(m.Code))
}

// Summary returns one line: "ICMP echo request id=1 seq=1", "ICMP time
// exceeded (TTL expired in transit)", "ICMP destination unreachable (port
// unreachable)", "ICMP destination unreachable (fragmentation needed and DF
// set, next-hop MTU 1400)".
func (m ICMP) Summary() string {
	s := "ICMP " + m.typeName()
	if hasIDSeq(m.Type) {
		return fmt.Sprintf("%s id=%d seq=%d", s, m.ID, m.Seq)
	}
	c := m.codeName()
	if m.Type == ICMPDestUnreachable && m.Code == ICMPFragNeeded {
		c += fmt.Sprintf(", next-hop MTU %d", uint16(m.Rest))
	}
	if m.Type == ICMPRedirect {
		c += " to " + m.gateway().String()
	}
	if c != "" {
		s += " (" + c + ")"
	}
	return s
}

func (m ICMP) gateway() netip.Addr {
	var a [4]byte
	binary.BigEndian.PutUint32(a[:], m.Rest)
	return netip.AddrFrom4(a)
}

// Fields returns the header fields in wire order, as Wireshark names them,
// then for an error message the datagram it quotes.
func (m ICMP) Fields() []layers.Field {
	code := strconv.Itoa(int(m.Code))
	if c := m.codeName(); c != "" {
		code += " (" + c + ")"
	}
	f := []layers.Field{
		{Name: "Type", Value: fmt.Sprintf("%d (%s)", m.Type, m.typeName())},
		{Name: "Code", Value: code},
		{Name: "Checksum", Value: fmt.Sprintf("0x%04x", m.Checksum)},
	}
	switch {
	case hasIDSeq(m.Type):
		f = append(f,
			layers.Field{Name: "Identifier", Value: fmt.Sprintf("%d (0x%04x)", m.ID, m.ID)},
			layers.Field{Name: "Sequence Number", Value: fmt.Sprintf("%d (0x%04x)", m.Seq, m.Seq)})
	case m.Type == ICMPDestUnreachable && m.Code == ICMPFragNeeded:
		f = append(f,
			layers.Field{Name: "Unused", Value: fmt.Sprintf("0x%04x", uint16(m.Rest>>16))},
			layers.Field{Name: "Next-Hop MTU", Value: strconv.Itoa(int(uint16(m.Rest)))})
	case m.Type == ICMPRedirect:
		f = append(f, layers.Field{Name: "Gateway Address", Value: m.gateway().String()})
	case m.Type == ICMPParamProblem:
		f = append(f, layers.Field{Name: "Pointer", Value: strconv.Itoa(int(m.Rest >> 24))})
	case m.IsError():
		f = append(f, layers.Field{Name: "Unused", Value: fmt.Sprintf("0x%08x", m.Rest)})
	default:
		f = append(f, layers.Field{Name: "Rest of Header", Value: fmt.Sprintf("0x%08x", m.Rest)})
	}
	if m.IsError() {
		if d, err := m.Original(); err == nil {
			f = append(f, layers.Field{Name: "Original Datagram", Value: fmt.Sprintf("%s > %s %s ttl=%d id=0x%04x", d.Src, d.Dst, d.Protocol, d.TTL, d.ID)})
		}
	}
	return f
}
