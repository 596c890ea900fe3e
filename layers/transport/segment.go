package transport

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net/netip"
	"strconv"

	"github.com/osisim/osisim/layers"
)

// Flags holds the eight TCP control bits of RFC 9293 3.1 (with ECE and CWR
// from RFC 3168), in their wire positions.
type Flags uint8

// The TCP control bits.
const (
	FIN Flags = 1 << iota // no more data from sender
	SYN                   // synchronize sequence numbers
	RST                   // reset the connection
	PSH                   // push function
	ACK                   // acknowledgment field is significant
	URG                   // urgent pointer field is significant
	ECE                   // ECN-Echo (RFC 3168)
	CWR                   // congestion window reduced (RFC 3168)
)

var flagNames = [8]string{"FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR"}

// Has reports whether every bit of g is set in f.
func (f Flags) Has(g Flags) bool { return f&g == g }

// String returns the set bits as Wireshark prints them, lowest bit first,
// such as
//
//	[SYN, ACK]
//	[FIN, PSH, ACK]
//	[<None>]
func (f Flags) String() string {
	if f == 0 {
		return "[<None>]"
	}
	var b [48]byte
	return string(f.appendTo(b[:0]))
}

func (f Flags) appendTo(b []byte) []byte {
	if f == 0 {
		return append(b, "[<None>]"...)
	}
	b = append(b, '[')
	first := true
	for i, name := range flagNames {
		if f&(1<<i) == 0 {
			continue
		}
		if !first {
			b = append(b, ", "...)
		}
		first = false
		b = append(b, name...)
	}
	return append(b, ']')
}

// TCP header sizes (RFC 9293 3.1).
const (
	TCPMinHeaderLen = 20 // a header without options
	TCPMaxHeaderLen = 60 // data offset 15
	TCPMaxOptions   = TCPMaxHeaderLen - TCPMinHeaderLen
)

// TCP option kinds that this package names (IANA "TCP Option Kind Numbers").
const (
	tcpOptEnd       = 0
	tcpOptNOP       = 1
	tcpOptMSS       = 2
	tcpOptWScale    = 3
	tcpOptSACKPerm  = 4
	tcpOptSACK      = 5
	tcpOptTimestamp = 8
)

// ErrChecksum is the error Parse wraps when a segment's or datagram's
// checksum does not match its contents and pseudo-header: the bytes were
// damaged on the way.
var ErrChecksum = errors.New("transport: checksum mismatch")

// Segment is a TCP segment (RFC 9293 3.1), the transport layer's PDU.
//
// MSS is the value of the Maximum Segment Size option (kind 2), 0 when the
// segment has none. Options holds the raw option bytes when the header has
// any option other than a lone MSS option; it is nil otherwise. When
// Options is set, Append writes it as it is (padded with zeros to a multiple
// of four, cut at 40 bytes) and MSS is only its decoded view; when it is
// nil, Append writes an MSS option if MSS is not 0.
//
// The four reserved bits of the header are read and written as zero.
type Segment struct {
	SrcPort, DstPort uint16
	Seq, Ack         uint32
	Flags            Flags
	Window           uint16
	Checksum         uint16
	Urgent           uint16
	MSS              uint16
	Options          []byte
	Payload          []byte
}

// optionsLen returns the size of the options area Append writes.
func (s *Segment) optionsLen() int {
	if len(s.Options) > 0 {
		n := (len(s.Options) + 3) &^ 3
		return min(n, TCPMaxOptions)
	}
	if s.MSS != 0 {
		return 4
	}
	return 0
}

// HeaderLen returns the length of the TCP header, options included.
func (s Segment) HeaderLen() int { return TCPMinHeaderLen + s.optionsLen() }

// Len returns the segment length in octets, header and payload.
func (s Segment) Len() int { return s.HeaderLen() + len(s.Payload) }

// SeqLen returns SEG.LEN of RFC 9293 3.3.1: the payload octets plus one for
// SYN and one for FIN, the amount of sequence space the segment occupies.
func (s Segment) SeqLen() uint32 {
	n := uint32(len(s.Payload))
	if s.Flags&SYN != 0 {
		n++
	}
	if s.Flags&FIN != 0 {
		n++
	}
	return n
}

// Parse decodes a TCP segment and verifies its checksum over the
// pseudo-header built from src and dst (RFC 9293 3.1). The returned
// segment's Options and Payload alias b. On a checksum mismatch it returns
// the decoded segment together with an error that wraps ErrChecksum. When
// src and dst are both the zero netip.Addr the checksum is not verified
// (for tools that only display a segment). Parse never panics.
func Parse(b []byte, src, dst netip.Addr) (Segment, error) {
	var s Segment
	if len(b) < TCPMinHeaderLen {
		return s, fmt.Errorf("transport: TCP segment too short: %d bytes, need at least %d", len(b), TCPMinHeaderLen)
	}
	off := int(b[12]>>4) * 4
	if off < TCPMinHeaderLen {
		return s, fmt.Errorf("transport: TCP data offset %d is below the minimum of 5 (20 bytes)", off/4)
	}
	if off > len(b) {
		return s, fmt.Errorf("transport: TCP data offset says %d header bytes but the segment has only %d", off, len(b))
	}
	s.SrcPort = binary.BigEndian.Uint16(b[0:])
	s.DstPort = binary.BigEndian.Uint16(b[2:])
	s.Seq = binary.BigEndian.Uint32(b[4:])
	s.Ack = binary.BigEndian.Uint32(b[8:])
	s.Flags = Flags(b[13])
	s.Window = binary.BigEndian.Uint16(b[14:])
	s.Checksum = binary.BigEndian.Uint16(b[16:])
	s.Urgent = binary.BigEndian.Uint16(b[18:])
	if off > TCPMinHeaderLen {
		opts := b[TCPMinHeaderLen:off]
		mss, err := parseOptions(opts)
		if err != nil {
			return Segment{}, err
		}
		s.MSS = mss
		// A lone MSS option is what Append writes from MSS alone, so it is
		// not kept raw: that keeps Parse and Append exact inverses.
		if !(len(opts) == 4 && opts[0] == tcpOptMSS && opts[1] == 4) {
			s.Options = opts
		}
	}
	if off < len(b) {
		s.Payload = b[off:]
	}
	if skipChecksum(src, dst) {
		return s, nil
	}
	acc, err := pseudoHeaderSum(src, dst, ProtocolTCP, len(b))
	if err != nil {
		return s, err
	}
	if checksumFold(checksumAdd(acc, b)) != 0xffff {
		want := ^checksumFold(checksumAdd(checksumAdd(acc, b[:16]), b[18:]))
		return s, fmt.Errorf("%w: TCP header says 0x%04x, the segment sums to 0x%04x", ErrChecksum, s.Checksum, want)
	}
	return s, nil
}

// parseOptions walks the options area (RFC 9293 3.2) and returns the MSS
// option's value, or an error for an option that runs past the header or has
// an impossible length.
func parseOptions(opts []byte) (uint16, error) {
	var mss uint16
	for i := 0; i < len(opts); {
		kind := opts[i]
		switch kind {
		case tcpOptEnd:
			return mss, nil
		case tcpOptNOP:
			i++
			continue
		}
		if i+1 >= len(opts) {
			return 0, fmt.Errorf("transport: TCP option kind %d at option byte %d has no length byte", kind, i)
		}
		n := int(opts[i+1])
		if n < 2 || i+n > len(opts) {
			return 0, fmt.Errorf("transport: TCP option kind %d at option byte %d has length %d, which does not fit the %d option bytes", kind, i, n, len(opts))
		}
		if kind == tcpOptMSS {
			if n != 4 {
				return 0, fmt.Errorf("transport: TCP MSS option has length %d, want 4", n)
			}
			mss = binary.BigEndian.Uint16(opts[i+2:])
		}
		i += n
	}
	return mss, nil
}

// Append appends the segment's wire form to b and returns the extended
// slice. It computes the checksum over the pseudo-header of src and dst
// (RFC 9293 3.1), ignoring the Checksum field; when src and dst are both the
// zero netip.Addr it writes the Checksum field as it is. Append never panics.
func (s Segment) Append(b []byte, src, dst netip.Addr) []byte {
	start := len(b)
	optLen := s.optionsLen()
	hl := TCPMinHeaderLen + optLen
	b = binary.BigEndian.AppendUint16(b, s.SrcPort)
	b = binary.BigEndian.AppendUint16(b, s.DstPort)
	b = binary.BigEndian.AppendUint32(b, s.Seq)
	b = binary.BigEndian.AppendUint32(b, s.Ack)
	b = append(b, byte(hl/4)<<4, byte(s.Flags))
	b = binary.BigEndian.AppendUint16(b, s.Window)
	b = append(b, 0, 0)
	b = binary.BigEndian.AppendUint16(b, s.Urgent)
	switch {
	case len(s.Options) > 0:
		o := s.Options[:min(len(s.Options), optLen)]
		b = append(b, o...)
		for i := len(o); i < optLen; i++ {
			b = append(b, tcpOptEnd)
		}
	case s.MSS != 0:
		b = append(b, tcpOptMSS, 4, byte(s.MSS>>8), byte(s.MSS))
	}
	b = append(b, s.Payload...)
	sum := s.Checksum
	if !skipChecksum(src, dst) {
		acc, err := pseudoHeaderSum(src, dst, ProtocolTCP, len(b)-start)
		if err == nil {
			sum = ^checksumFold(checksumAdd(acc, b[start:]))
		}
	}
	binary.BigEndian.PutUint16(b[start+16:], sum)
	return b
}

// Summary returns one line for the trace, such as
//
//	TCP 49731 > 110 [SYN] seq=2840133017 win=65535 mss=1460
//	TCP 110 > 49731 [ACK] seq=1 ack=2 win=65535 len=1460
func (s Segment) Summary() string {
	b := make([]byte, 0, 96)
	b = append(b, "TCP "...)
	b = strconv.AppendUint(b, uint64(s.SrcPort), 10)
	b = append(b, " > "...)
	b = strconv.AppendUint(b, uint64(s.DstPort), 10)
	b = append(b, ' ')
	b = s.Flags.appendTo(b)
	b = append(b, " seq="...)
	b = strconv.AppendUint(b, uint64(s.Seq), 10)
	if s.Flags&ACK != 0 {
		b = append(b, " ack="...)
		b = strconv.AppendUint(b, uint64(s.Ack), 10)
	}
	b = append(b, " win="...)
	b = strconv.AppendUint(b, uint64(s.Window), 10)
	if len(s.Payload) > 0 {
		b = append(b, " len="...)
		b = strconv.AppendInt(b, int64(len(s.Payload)), 10)
	}
	if s.MSS != 0 {
		b = append(b, " mss="...)
		b = strconv.AppendUint(b, uint64(s.MSS), 10)
	}
	return string(b)
}

// Fields returns the header fields in wire order.
func (s Segment) Fields() []layers.Field {
	hl := s.HeaderLen()
	return []layers.Field{
		{Name: "Source Port", Value: Port(s.SrcPort).String()},
		{Name: "Destination Port", Value: Port(s.DstPort).String()},
		{Name: "Sequence Number", Value: strconv.FormatUint(uint64(s.Seq), 10)},
		{Name: "Acknowledgment Number", Value: strconv.FormatUint(uint64(s.Ack), 10)},
		{Name: "Data Offset", Value: fmt.Sprintf("%d (%d bytes)", hl/4, hl)},
		{Name: "Flags", Value: fmt.Sprintf("0x%03x %s", uint8(s.Flags), s.Flags)},
		{Name: "Window", Value: strconv.FormatUint(uint64(s.Window), 10)},
		{Name: "Checksum", Value: fmt.Sprintf("0x%04x", s.Checksum)},
		{Name: "Urgent Pointer", Value: strconv.FormatUint(uint64(s.Urgent), 10)},
		{Name: "Options", Value: s.describeOptions()},
	}
}

// describeOptions prints the options as "MSS=1460, SACK_PERM, TS val=1
// ecr=0, NOP, WS=7", or "none".
func (s *Segment) describeOptions() string {
	if len(s.Options) == 0 {
		if s.MSS != 0 {
			return "MSS=" + strconv.FormatUint(uint64(s.MSS), 10)
		}
		return "none"
	}
	var b []byte
	opts := s.Options
	for i := 0; i < len(opts); {
		if len(b) > 0 {
			b = append(b, ", "...)
		}
		kind := opts[i]
		if kind == tcpOptEnd {
			b = append(b, "EOL"...)
			break
		}
		if kind == tcpOptNOP {
			b = append(b, "NOP"...)
			i++
			continue
		}
		if i+1 >= len(opts) || opts[i+1] < 2 || i+int(opts[i+1]) > len(opts) {
			b = fmt.Appendf(b, "malformed option kind %d", kind)
			break
		}
		n := int(opts[i+1])
		data := opts[i+2 : i+n]
		switch {
		case kind == tcpOptMSS && n == 4:
			b = fmt.Appendf(b, "MSS=%d", binary.BigEndian.Uint16(data))
		case kind == tcpOptWScale && n == 3:
			b = fmt.Appendf(b, "WS=%d", data[0])
		case kind == tcpOptSACKPerm && n == 2:
			b = append(b, "SACK_PERM"...)
		case kind == tcpOptSACK:
			b = append(b, "SACK"...)
			for j := 0; j+8 <= len(data); j += 8 {
				b = fmt.Appendf(b, " %d-%d", binary.BigEndian.Uint32(data[j:]), binary.BigEndian.Uint32(data[j+4:]))
			}
		case kind == tcpOptTimestamp && n == 10:
			b = fmt.Appendf(b, "TS val=%d ecr=%d", binary.BigEndian.Uint32(data), binary.BigEndian.Uint32(data[4:]))
		default:
			b = fmt.Appendf(b, "kind %d (%d bytes)", kind, n)
		}
		i += n
	}
	return string(b)
}

// Sequence number arithmetic modulo 2^32 (RFC 9293 3.4: "all arithmetic
// dealing with sequence numbers must be performed modulo 2**32").
func seqLT(a, b uint32) bool  { return int32(a-b) < 0 }
func seqLEQ(a, b uint32) bool { return int32(a-b) <= 0 }
func seqGT(a, b uint32) bool  { return int32(a-b) > 0 }
func seqGEQ(a, b uint32) bool { return int32(a-b) >= 0 }

// seqMax returns the later of two sequence numbers.
func seqMax(a, b uint32) uint32 {
	if seqGT(a, b) {
		return a
	}
	return b
}
