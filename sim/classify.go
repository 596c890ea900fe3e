package sim

import (
	"encoding/binary"
	"net/netip"

	"github.com/osisim/osisim/layers/datalink"
	"github.com/osisim/osisim/layers/network"
)

// frameClass is what the fault machinery of a link needs to know about a
// frame: its protocols and, for a TCP segment, the connection and the
// sequence numbers it carries. It is read straight from the header fields
// at their fixed offsets (IEEE 802.3 clause 3.2, RFC 791 3.1, RFC 9293 3.1)
// without checking checksums: a link does not validate what it carries, it
// only needs to recognise it.
type frameClass struct {
	etherType datalink.EtherType
	ipv4      bool
	fragment  bool // a fragment other than the first: no transport header
	proto     network.Protocol
	tcp       bool // a TCP header is present
	flow      flow
	seq, ack  uint32
	flags     uint8
	window    uint16
	payload   int     // TCP payload octets
	head      [8]byte // the first TCP payload octets, upper-cased letters
}

// flow is one direction of a TCP connection.
type flow struct {
	src, dst     [4]byte
	sport, dport uint16
}

// reverse returns the other direction of the connection.
func (f flow) reverse() flow { return flow{src: f.dst, dst: f.src, sport: f.dport, dport: f.sport} }

// flowOf returns the flow of a segment from src to dst.
func flowOf(src, dst netip.Addr, sport, dport uint16) flow {
	return flow{src: src.As4(), dst: dst.As4(), sport: sport, dport: dport}
}

// TCP flags (RFC 9293 3.1), as they sit in octet 13 of the header.
const (
	tcpFIN = 0x01
	tcpSYN = 0x02
	tcpRST = 0x04
	tcpPSH = 0x08
	tcpACK = 0x10
)

// classifyFrame classifies an Ethernet frame (header through FCS).
func classifyFrame(frame []byte) frameClass {
	if len(frame) < datalink.HeaderLen+datalink.FCSLen {
		return frameClass{}
	}
	t := datalink.EtherType(binary.BigEndian.Uint16(frame[12:14]))
	return classifyL3(t, frame[datalink.HeaderLen:len(frame)-datalink.FCSLen])
}

// classifyL3 classifies the payload b of a frame of type t.
func classifyL3(t datalink.EtherType, b []byte) frameClass {
	c := frameClass{etherType: t}
	if t != datalink.EtherTypeIPv4 || len(b) < 20 || b[0]>>4 != 4 {
		return c
	}
	c.ipv4 = true
	ihl := int(b[0]&0x0f) * 4
	total := int(binary.BigEndian.Uint16(b[2:4]))
	if total > len(b) {
		total = len(b)
	}
	c.proto = network.Protocol(b[9])
	c.fragment = binary.BigEndian.Uint16(b[6:8])&0x1fff != 0
	copy(c.flow.src[:], b[12:16])
	copy(c.flow.dst[:], b[16:20])
	if c.proto != network.ProtoTCP || c.fragment || ihl < 20 || total < ihl+20 {
		return c
	}
	s := b[ihl:total]
	doff := int(s[12]>>4) * 4
	if doff < 20 || doff > len(s) {
		return c
	}
	c.tcp = true
	c.flow.sport = binary.BigEndian.Uint16(s[0:2])
	c.flow.dport = binary.BigEndian.Uint16(s[2:4])
	c.seq = binary.BigEndian.Uint32(s[4:8])
	c.ack = binary.BigEndian.Uint32(s[8:12])
	c.flags = s[13]
	c.window = binary.BigEndian.Uint16(s[14:16])
	c.payload = len(s) - doff
	for i := 0; i < len(c.head) && doff+i < len(s); i++ {
		ch := s[doff+i]
		if 'a' <= ch && ch <= 'z' {
			ch -= 'a' - 'A'
		}
		c.head[i] = ch
	}
	return c
}

// seqLen is the sequence space the segment occupies: its payload plus one
// for SYN and one for FIN (RFC 9293 3.4).
func (c *frameClass) seqLen() uint32 {
	n := uint32(c.payload)
	if c.flags&tcpSYN != 0 {
		n++
	}
	if c.flags&tcpFIN != 0 {
		n++
	}
	return n
}

// pureACK reports whether the segment is an acknowledgment only: no data,
// no SYN, FIN or RST.
func (c *frameClass) pureACK() bool {
	return c.tcp && c.payload == 0 && c.flags&(tcpSYN|tcpFIN|tcpRST) == 0 && c.flags&tcpACK != 0
}

// startsWith reports whether the TCP payload begins with the POP3 keyword
// kw (upper case) followed by a space or CR, as a command line does (RFC
// 1939 3).
func (c *frameClass) startsWith(kw string) bool {
	if c.payload <= len(kw) || len(kw) >= len(c.head) {
		return false
	}
	for i := 0; i < len(kw); i++ {
		if c.head[i] != kw[i] {
			return false
		}
	}
	next := c.head[len(kw)]
	return next == ' ' || next == '\r'
}

// command reports whether the TCP payload begins like a POP3 command line:
// three or four letters, then a space or CR.
func (c *frameClass) command() bool {
	if c.payload < 4 {
		return false
	}
	for i, ch := range c.head {
		if ch == ' ' || ch == '\r' {
			return i == 3 || i == 4
		}
		if ch < 'A' || ch > 'Z' {
			return false
		}
	}
	return false
}

// seqLT and seqLEQ compare sequence numbers modulo 2^32 (RFC 9293 3.4).
func seqLT(a, b uint32) bool  { return int32(a-b) < 0 }
func seqLEQ(a, b uint32) bool { return int32(a-b) <= 0 }
