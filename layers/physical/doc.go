// Package physical is layer 1 of osisim, the physical layer: it turns the
// frame the data link layer hands down into bits and the bits into symbols
// on the medium, and back. Its PDU is the bit stream (Bits) and, on the
// medium, the line-coded Signal. It does not look at addresses; it only
// delivers bits, at a rate, with the errors the medium adds.
//
// A frame on the wire (IEEE 802.3 clause 3.1.1), each octet sent least
// significant bit first:
//
//	+---------------+-----+-----------------------------+------------------+
//	| Preamble      | SFD | Frame from the data link    | (interframe gap) |
//	| 7 x 0x55      | 0xd5| Dst, Src, Type, Data, FCS   |                  |
//	| 56 bits       | 8   | 64..1518 octets             | 96 bit times     |
//	+---------------+-----+-----------------------------+------------------+
//	  10101010 ... 10101011 <- the SFD ends in 11: the frame starts next
//
// Line codes (Signal): symbol 1 is high (-), 0 is low (_); in the
// waveforms a bit period is four columns:
//
//	bit           1   0   1   1   0
//	symbols NRZ   1   0   1   1   0      one symbol per bit
//	Manchester    01  10  01  01  10     two: 1 = low-high, 0 = high-low
//	NRZ           ----____--------____
//	Manchester    __----____--__----__
//
// Manchester (IEEE 802.3 clause 7, 10 Mb/s Ethernet) has a transition in the
// middle of every bit, so the receiver recovers the clock from the signal;
// the price is a baud rate twice the bit rate (10 Mb/s needs 20 MBd). A
// bit period without its transition (00 or 11) is a code violation, which
// the receiver detects at once. NRZ has no such check: a flipped bit passes
// the physical layer and only the data link layer's FCS catches it.
//
// Serialization time is bits / bit rate: a 64-octet frame with its preamble
// and SFD (576 bits) takes 57.6 us at 10 Mb/s.
//
// A hub (a multiport repeater, clause 9) regenerates every signal on all its
// other ports: every station on it shares one collision domain.
//
// Standards followed: IEEE 802.3 clause 3 (frame format, bit order), clause
// 4 (preamble, SFD, truncation of dribble bits on receive), clause 7
// (Manchester encoding), clause 9 (repeaters).
//
// Not implemented: 4B/5B, 8B/10B, MLT-3, PAM and the other codes of faster
// Ethernets; the interframe gap; carrier sense, collisions, jam and backoff
// (CSMA/CD); hunting for the SFD in a preamble that lost bits; signal
// levels, attenuation and clock drift; autonegotiation.
package physical
