package network

import (
	"encoding/hex"
	"net/netip"
	"strings"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// unhex decodes a fixture written as hex with optional spaces and newlines.
func unhex(s string) []byte {
	b, err := hex.DecodeString(strings.Join(strings.Fields(s), ""))
	if err != nil {
		panic(err)
	}
	return b
}

func addr(s string) netip.Addr { return netip.MustParseAddr(s) }

// cmpOpts compares netip addresses by value and nil slices with empty ones.
var cmpOpts = cmp.Options{
	cmp.Comparer(func(a, b netip.Addr) bool { return a == b }),
	cmp.Comparer(func(a, b netip.Prefix) bool { return a == b }),
	cmpopts.EquateEmpty(),
}

// Fixtures. The first four were captured with an AF_PACKET socket on the
// loopback interface of a Linux host; the Ethernet header (all-zero MACs,
// EtherType 0x0800) is left out.
var (
	// 127.0.0.1.35538 > 127.0.0.1.110: Flags [S], seq 1187019150, win 65495,
	// options [mss 65495,sackOK,TS val 1357652583 ecr 0,nop,wscale 10],
	// length 0. IPv4: tos 0x0, ttl 64, id 62306, flags [DF], proto TCP (6),
	// length 60, checksum 0x4957.
	fixSYN = unhex(`
		4500 003c f362 4000 4006 4957 7f00 0001 7f00 0001
		8ad2 006e 46d0 798e 0000 0000 a002 ffd7 fe30 0000
		0204 ffd7 0402 080a 50ec 2267 0000 0000 0103 030a`)

	// 127.0.0.1.110 > 127.0.0.1.35538: Flags [R.], seq 0, ack 1187019151,
	// win 0, length 0. IPv4: id 0, flags [DF], length 40, checksum 0x3cce.
	fixRST = unhex(`
		4500 0028 0000 4000 4006 3cce 7f00 0001 7f00 0001
		006e 8ad2 0000 0000 46d0 798f 5014 0000 662e 0000`)

	// 127.0.0.1 > 127.0.0.1: ICMP echo request, id 1, seq 1, length 40
	// (32 data bytes "abcdefghijklmnopqrstuvwabcdefghi"). IPv4: id 54851,
	// flags [DF], checksum 0x667b.
	fixEchoRequest = unhex(`
		4500 003c d643 4000 4001 667b 7f00 0001 7f00 0001
		0800 4d5a 0001 0001 6162 6364 6566 6768 696a 6b6c
		6d6e 6f70 7172 7374 7576 7761 6263 6465 6667 6869`)

	// The kernel's answer: ICMP echo reply, id 1, seq 1. IPv4: id 54852,
	// no flags, checksum 0xa67a.
	fixEchoReply = unhex(`
		4500 003c d644 0000 4001 a67a 7f00 0001 7f00 0001
		0000 555a 0001 0001 6162 6364 6566 6768 696a 6b6c
		6d6e 6f70 7172 7374 7576 7761 6263 6465 6667 6869`)

	// Constructed: 10.0.1.10 > 224.0.0.251: igmp v2 report 224.0.0.251,
	// IPv4 with tos 0xc0, ttl 1, flags [DF] and the Router Alert option
	// (RFC 2113: 94 04 0000), IHL 6, length 32, checksum 0xf812.
	fixOptions = unhex(`
		46c0 0020 0000 4000 0102 f812 0a00 010a e000 00fb
		9404 0000
		1600 0904 e000 00fb`)

	// Constructed: ICMP time exceeded in transit (type 11, code 0,
	// checksum 0x7190) quoting the header of 10.0.1.10 > 10.0.2.110 TCP,
	// ttl 1, id 0x1a2b, length 60, and its first 8 octets (ports 49826 >
	// 110 and the sequence number).
	fixTimeExceeded = unhex(`
		0b00 7190 0000 0000
		4500 003c 1a2b 4000 0106 481a 0a00 010a 0a00 026e
		c2a2 006e 46d0 798e`)

	// Constructed: ARP request, who-has 10.0.1.1 tell 10.0.1.10, from
	// 02:00:00:00:01:0a (hardware type 1, protocol 0x0800, sizes 6 and 4,
	// opcode 1, target MAC zero).
	fixARPRequest = unhex(`
		0001 0800 0604 0001 0200 0000 010a 0a00 010a
		0000 0000 0000 0a00 0101`)

	// Constructed: ARP reply, 10.0.1.1 is-at 02:00:00:00:01:01, to
	// 02:00:00:00:01:0a / 10.0.1.10 (opcode 2).
	fixARPReply = unhex(`
		0001 0800 0604 0002 0200 0000 0101 0a00 0101
		0200 0000 010a 0a00 010a`)
)

func netipFrom4(a [4]byte) netip.Addr { return netip.AddrFrom4(a) }
