// Package network is the network layer (OSI layer 3) of osisim: IPv4
// datagrams, ICMP, ARP, the routing table, and the IP layer of a host or a
// router.
//
// # What the layer does
//
// The data link layer moves frames between stations of one network; the
// network layer moves datagrams between any two hosts of the internetwork,
// hop by hop. Each node looks the destination up in its routing table
// (longest prefix match), finds the MAC address of the next hop with ARP,
// and hands the datagram to the link. A router decrements the TTL of each
// datagram it relays, so that a datagram caught in a routing loop dies, and
// tells the source with ICMP when it cannot deliver.
//
// Every link has an MTU, the largest datagram its frames carry. A datagram
// larger than the MTU of the interface it leaves through is cut into
// fragments, each a datagram of its own with the same Identification, its
// place in the original (Fragment Offset, in 8-octet units on the wire) and
// the More Fragments flag on all but the last; a router does the same when
// the next link is smaller. Only the destination puts the fragments back
// together. A datagram with Don't Fragment set is dropped instead, and the
// source learns the MTU that stopped it from an ICMP "fragmentation
// needed" (path MTU discovery).
//
// # The PDU: the IPv4 datagram (RFC 791)
//
//	 0                   1                   2                   3
//	 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//	|Version|  IHL  |Type of Service|          Total Length         |
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//	|         Identification        |Flags|      Fragment Offset    |
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//	|  Time to Live |    Protocol   |         Header Checksum       |
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//	|                       Source Address                          |
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//	|                    Destination Address                        |
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//	|                    Options                    |    Padding    |
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// ARP (RFC 826) for Ethernet and IPv4: 28 octets in an Ethernet frame of
// EtherType 0x0806, offsets in octets:
//
//	0      2      4    5    6      8            14          18           24          28
//	+------+------+----+----+------+------------+-----------+------------+-----------+
//	| HTYPE| PTYPE|HLEN|PLEN| OPER | Sender MAC | Sender IP | Target MAC | Target IP |
//	|  1   |0x0800|  6 |  4 | 1, 2 |            |           |            |           |
//	+------+------+----+----+------+------------+-----------+------------+-----------+
//
// ICMP (RFC 792), in a datagram with Protocol 1:
//
//	 0                   1                   2                   3
//	 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//	|     Type      |     Code      |          Checksum             |
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//	|  Identifier (echo) or unused  | Sequence Number or unused/MTU |
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//	|  echo: data; errors: the original IP header + 64 bits of data |
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// Fragmentation at an interface of MTU 1500 (20-octet headers, so at most
// 1480 octets of data per fragment):
//
//	datagram ID 0x1a2b, 3,000 B:  | hdr |        2,980 B of data            |
//	fragment 1: offset 0,    MF   | hdr | 0..1480    |
//	fragment 2: offset 185,  MF   | hdr | 1480..2960 |  (185 x 8 = 1480)
//	fragment 3: offset 370        | hdr | 2960..2980 |  (370 x 8 = 2960)
//
// Reassembly keeps, per (source, destination, protocol, Identification), a
// buffer and RFC 815's list of holes: it starts as one hole 0..end, each
// fragment removes what it covers, the last fragment fixes the end, and the
// datagram is complete when no hole is left.
//
// # The package
//
// The wire part (Datagram, ARP, ICMP with Parse, ParseARP, ParseICMP and
// Append) holds no state; gopacket's layers encode and decode the headers.
// RoutingTable does longest prefix matching. Stack is the IP layer of one
// node: Send and Ping go down, HandleFrame comes up from the link, through
// the Link and Upper interfaces the simulator and the transport layer
// implement. Every datagram leaves through one function (Stack.output),
// which checks Don't Fragment against the interface MTU before ARP, and
// fragments as the datagram goes to the link (a datagram waiting for ARP
// waits whole). Fragments addressed to the node are reassembled and the
// whole datagram is handed up as one new PDU whose parents are the
// fragments. SendICMPError, SendUnreachable and SourceQuench let the layers
// and devices around the stack raise ICMP errors. RARP frames go to the
// stack too: a node with Config.RARPServer answers them, and
// RequestAddress uses them to find the address of an interface that has
// none.
//
// # RFCs followed
//
//   - RFC 791: IPv4 header, Identification, TTL, Protocol; fragmentation
//     (8-octet offsets, More Fragments, options copied by their copied
//     flag, refragmenting a fragment) and reassembly keyed by source,
//     destination, protocol and Identification, with the header of the
//     fragment at offset 0.
//   - RFC 792: ICMP echo, destination unreachable (fragmentation needed
//     among them), source quench, time exceeded (TTL, and fragment
//     reassembly time exceeded only when the fragment at offset 0 came);
//     errors quote the original header and the first 64 bits of its data.
//   - RFC 815: reassembly with a list of holes.
//   - RFC 826: ARP, including the merge rule of its reception algorithm.
//   - RFC 903: RARP (EtherType 0x8035, opcodes 3 and 4): a server answers
//     from its table (Config.RARPServer); a diskless host whose interface
//     has no address yet (0.0.0.0/24) asks with RequestAddress.
//   - RFC 1071 and RFC 1624: the Internet checksum and its incremental
//     update when a router changes the TTL.
//   - RFC 1122: host requirements (ARP queueing and retries 2.3.2, when no
//     ICMP error may be sent 3.2.2, echo reply 3.2.2.6, protocol
//     unreachable 3.2.2.1, a fixed reassembly timeout 3.3.2, source
//     address 3.3.4.3).
//   - RFC 1191: the next-hop MTU in fragmentation needed; Config.DontFragment
//     sets DF as a host doing path MTU discovery does.
//   - RFC 1812: router requirements (TTL 5.3.1, longest match 5.2.4.3,
//     ICMP source address 4.3.2.4, addresses never forwarded 5.3.7,
//     fragmentation 5.2.6 with the next-hop MTU in the ICMP error).
//   - RFC 6633: source quench is deprecated; it is sent only on request and
//     the trace says so.
//
// # Not implemented
//
//   - Output queues: a datagram goes to the link at once (the simulator's
//     devices may queue); SourceQuench is there for a device whose queue
//     overflows.
//   - Path MTU discovery itself: fragmentation needed reaches the source
//     (or its transport layer) but no path MTU is remembered per
//     destination, and Send never lowers the size of what it is given.
//   - Reassembly keeps the first copy of every octet when fragments
//     overlap (RFC 791 leaves this open; RFC 5722's rule to drop the whole
//     datagram is for IPv6); the timeout is fixed and not raised by the
//     TTL of later fragments as RFC 791's procedure does. A router does
//     not reassemble what it forwards.
//   - Fragment-based attacks beyond the 65,535-octet bound (tiny first
//     fragments, RFC 1858) are not filtered.
//   - IP options are carried and printed but never acted on (no record
//     route, no source routing).
//   - ICMP redirect, parameter problem, timestamp and address mask are never
//     raised by the stack itself (SendICMPError sends any error type on
//     request); received ones go up untouched.
//   - RARP gives only an address: the prefix length is configured, and no
//     gateway or boot file is learned (BOOTP and DHCP do that). A RARP
//     server answers on every addressed interface, for one network.
//   - Proxy ARP, gratuitous ARP on start-up, duplicate address detection
//     (RFC 5227), ARP cache size limits.
//   - Multicast, IGMP, a loopback interface, dynamic routing protocols,
//     directed broadcast forwarding, ICMP rate limiting.
//   - The RFC 1122 3.2.2 rule against ICMP errors about link-layer
//     broadcasts (the frame's destination MAC does not reach this layer).
package network
