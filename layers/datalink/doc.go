// Package datalink is layer 2 of osisim, the data link layer: it puts the
// network layer's datagram into a frame addressed from one station to
// another on the same link (by MAC address), detects frames damaged in
// transit and discards them, and relays frames between the segments of a
// LAN in bridges and switches. Its PDU is the frame (Frame); the bits of a
// frame are the physical layer's business.
//
// An Ethernet II (DIX) frame, IEEE 802.3 clause 3.1, without the preamble
// and SFD that the physical layer adds:
//
//	 0                   1                   2                   3
//	 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//	|                Destination MAC address (6 octets)             |
//	+                               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//	|                               |                               |
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               +
//	|                  Source MAC address (6 octets)                |
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//	|      EtherType (0x0800)       |                               |
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               +
//	|         Payload: 46 to 1500 octets, padded with zeros to 46   |
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//	|              FCS: CRC-32 over all of the above                |
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// A frame is 64 to 1518 octets: 14 of header, 46 to 1500 of payload and 4
// of FCS. The minimum exists so that on a shared 10 Mb/s segment a sender
// is still transmitting when a collision from the far end reaches it; a
// shorter payload is padded, and only the network layer's own length field
// tells the receiver where the real data ends.
//
// Error detection: the FCS is the CRC-32 of IEEE 802.3 clause 3.2.9
// (generator polynomial 0x04c11db7) over destination to padding. In a
// frame of Ethernet size it detects every error of one, two or three bits
// and every error burst of up to 32 bits. The receiver recomputes it and
// silently discards a frame that does not match (clause 3.4): Ethernet
// detects errors but does not correct or retransmit; TCP does that, end to
// end. The FCS is stored least significant octet first, as captures hold
// it, so Wireshark verifies it.
//
// Switching (IEEE 802.1D clause 7, transparent bridging): a Switch learns
// the port of every source address it sees, forwards a frame for a known
// address to that one port, floods broadcasts, multicasts and frames for
// unknown addresses to every other port, filters a frame whose destination
// is on the port it came in on, and forgets an address not seen for the
// ageing time (300 s by default).
//
// Link ARQ (arq.go, the link-arq lesson): on a point-to-point link the
// data link layer may also repair what the FCS detects, as HDLC (ISO/IEC
// 13239) and LAPB do. An ARQ sublayer between the network layer and the
// framing numbers every frame, the receiver acknowledges the frames that
// arrive intact (a cumulative acknowledgement: the number of the next
// frame expected), discards duplicates and delivers in order, and the
// sender retransmits when no acknowledgement comes back before its timer
// expires: stop-and-wait (the alternating-bit protocol, one frame at a
// time, sequence numbers modulo 2) or go-back-N (a window of up to 127
// frames; on a timeout every unacknowledged frame is sent again; sequence
// numbers modulo 256; the receiver keeps no frame after a gap). Its frames
// are Ethernet II frames of type 0x88b5, IEEE Std 802's Local Experimental
// Ethertype 1, with a 6-octet header before the payload:
//
//	 0                   1                   2                   3
//	 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//	|     Kind      |     Mode      |   Sequence    |Acknowledgement|
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//	|   EtherType of the payload    |   Payload (DATA only) ...     |
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// Kind is 1 (DATA) or 2 (ACK), Mode 1 (stop-and-wait) or 2 (go-back-N).
// The header leaves 1494 octets for the datagram, so an interface on an
// ARQ link has an MTU of at most 1494.
//
// Standards followed: IEEE 802.3 clause 3 (frame format, FCS, invalid
// frames), Ethernet II type field values of at least 0x0600 (IEEE 802.3
// clause 3.2.6, RFC 894 for IPv4, RFC 826 for ARP, RFC 903 for RARP),
// IEEE 802.1D clause 7 (learning, filtering database, ageing).
//
// Not implemented: IEEE 802.3 length frames with an LLC/SNAP header (they
// are rejected), VLAN tags (IEEE 802.1Q), jumbo frames, pause frames and
// other MAC control, multicast group filtering in the NIC (every multicast
// is accepted), the spanning tree protocol (a looped topology would flood
// forever), static filtering entries, and per-port queues in the switch.
// Of HDLC's ARQ: piggybacked acknowledgements, REJ and SREJ (the receiver
// asking for a retransmission), selective repeat, and the link reset
// (SABM/UA): an ARQ sender that gives up after its retries declares the
// link down for good. Stop-and-wait assumes a link that does not reorder
// frames, as the alternating-bit protocol does.
package datalink
