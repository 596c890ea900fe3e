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
// # The package
//
// The wire part (Datagram, ARP, ICMP with Parse, ParseARP, ParseICMP and
// Append) holds no state; gopacket's layers encode and decode the headers.
// RoutingTable does longest prefix matching. Stack is the IP layer of one
// node: Send and Ping go down, HandleFrame comes up from the link, through
// the Link and Upper interfaces the simulator and the transport layer
// implement. Every datagram leaves through one function (Stack.output),
// where a per-interface output queue and fragmentation to the MTU will sit.
//
// # RFCs followed
//
//   - RFC 791: IPv4 header, Identification, TTL, Protocol.
//   - RFC 792: ICMP echo, destination unreachable, time exceeded; errors
//     quote the original header and the first 64 bits of its data.
//   - RFC 826: ARP, including the merge rule of its reception algorithm.
//   - RFC 1071 and RFC 1624: the Internet checksum and its incremental
//     update when a router changes the TTL.
//   - RFC 1122: host requirements (ARP queueing and retries 2.3.2, when no
//     ICMP error may be sent 3.2.2, echo reply 3.2.2.6, protocol
//     unreachable 3.2.2.1, source address 3.3.4.3).
//   - RFC 1812: router requirements (TTL 5.3.1, longest match 5.2.4.3,
//     ICMP source address 4.3.2.4, addresses never forwarded 5.3.7).
//
// # Not implemented
//
//   - Fragmentation and reassembly, the MTU and DF checks, output queues
//     and source quench: fragments addressed to the node are dropped.
//   - IP options are carried and printed but never acted on (no record
//     route, no source routing).
//   - ICMP redirect, parameter problem, timestamp and address mask are not
//     generated; received ones go up untouched.
//   - RARP service, proxy ARP, gratuitous ARP on start-up, duplicate
//     address detection (RFC 5227), ARP cache size limits.
//   - Multicast, IGMP, a loopback interface, dynamic routing protocols,
//     directed broadcast forwarding, ICMP rate limiting.
//   - The RFC 1122 3.2.2 rule against ICMP errors about link-layer
//     broadcasts (the frame's destination MAC does not reach this layer).
package network
