// Package transport is layer 4 of the OSI model, the transport layer: it
// carries a byte stream (TCP) or single messages (UDP) between two
// processes, told apart by port numbers, over the datagrams of the network
// layer below, which may lose, reorder and duplicate them. TCP makes that
// stream reliable, ordered and flow- and congestion-controlled; UDP adds
// only ports and a checksum. Its PDU is the segment (transport.Segment;
// for UDP, transport.UserDatagram).
//
// The TCP header (RFC 9293 3.1):
//
//	 0                   1                   2                   3
//	 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//	|          Source Port          |       Destination Port        |
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//	|                        Sequence Number                        |
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//	|                    Acknowledgment Number                      |
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//	|  Data |       |C|E|U|A|P|R|S|F|                               |
//	| Offset| Rsrvd |W|C|R|C|S|S|Y|I|            Window             |
//	|       |       |R|E|G|K|H|T|N|N|                               |
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//	|           Checksum            |         Urgent Pointer        |
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//	|                    Options (0-40 bytes)       |    Padding    |
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//	|                             Data                              |
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// The UDP header (RFC 768):
//
//	 0      7 8     15 16    23 24    31
//	+--------+--------+--------+--------+
//	|   Source Port   | Destination Port|
//	+--------+--------+--------+--------+
//	|     Length      |    Checksum     |
//	+--------+--------+--------+--------+
//	|              Data ...             |
//	+-----------------------------------+
//
// Both checksums cover a pseudo-header of the IP source and destination
// addresses, the protocol number (6 or 17) and the transport length.
//
// The wire part (Segment, UserDatagram, Parse, ParseDatagram, Append) holds
// no state and allocates nothing. The behaviour part is the endpoint of one
// node: TCP (listeners and connections, Conn) and UDP (bound ports), handed
// a layers.Env for time, randomness and the trace, and a Network for the IP
// layer below.
//
// TCP follows:
//   - RFC 9293: header, state machine (states print as the RFC spells them),
//     three-way handshake with the MSS option (effective MSS = the smaller of
//     both sides'), simultaneous open and close, FIN close in both directions,
//     TIME-WAIT for 2*MSL, RST generation and handling, the segment
//     acceptability test, trimming of duplicate and overlapping data, flow
//     control with the receive window (the free space of the receive buffer),
//     the zero-window persist timer (with RFC 1122 4.2.2.17), sender silly
//     window avoidance; RFC 1122 4.2.3.3 receiver window updates;
//   - RFC 6298: SRTT/RTTVAR/RTO with K=4, alpha 1/8, beta 1/4, a clock
//     granularity G of 1 ms, minimum and maximum RTO from Config, doubling
//     backoff, Karn's rule (RTT timed on one never-resent segment at a time),
//     the timer rules of section 5, and 5.7's 3 s RTO after a lost SYN;
//   - RFC 5681: slow start with IW of RFC 3390 / 5681 3.1, congestion
//     avoidance, ssthresh and cwnd after a timeout, fast retransmit on the
//     third duplicate ACK, fast recovery; immediate duplicate ACKs for
//     out-of-order segments; RFC 6582 NewReno (partial ACKs resend the next
//     hole, the recover variable, also after a timeout);
//   - RFC 5961: challenge ACKs for in-window RST and SYN; RFC 1337: RST is
//     ignored in TIME-WAIT; RFC 6335 and RFC 6056: ephemeral ports are drawn
//     at random from 49152-65535.
//
// Choices where the RFCs leave room:
//   - every data segment is acknowledged at once (no delayed ACKs), which
//     keeps the trace one ACK per segment;
//   - the writes an application makes at one simulated instant are
//     segmented together once that instant's work is done, so small writes
//     made together leave as one segment (and a Close right after them puts
//     the FIN on the last one);
//   - after the application reads, one window update is sent if the window
//     grew by at least min(buffer/2, MSS) to at least twice what was last
//     advertised; otherwise the next ACK carries the new window;
//   - segments leave with RFC 9293's SND.NXT, the highest sequence number
//     sent, also while resending after a timeout (go-back-N);
//   - the RTO retransmits and the persist probes each give up after
//     Config.MaxRetries unanswered attempts, ending with ErrTimeout; no RST
//     is sent then;
//   - handler callbacks run after the segment or timer that caused them is
//     fully processed, in the order Established, Readable, PeerClosed,
//     Writable, Closed.
//
// Notes in the trace give sequence numbers relative to the initial sequence
// number, as Wireshark does (the first data byte is 1); segment summaries
// give the values on the wire.
//
// Not implemented: delayed ACKs; Nagle's algorithm (segments leave at once,
// as with TCP_NODELAY); window scaling, timestamps and SACK (RFC 7323, RFC
// 2018; received options are kept and printed but not used), so windows
// stop at 65535; urgent data (the pointer is ignored); data carried on a SYN
// (not accepted, so the peer resends it); limited transmit (RFC 3042); ECN
// (RFC 3168); keep-alives; reopening a connection from TIME-WAIT with a new
// SYN (it gets a challenge ACK); the SYN-flood and ISN-guessing defences
// beyond the random ISN; ICMP-driven reactions (path MTU discovery, soft
// errors).
// UDP: no UDP-Lite, no multicast, no connected sockets.
package transport
