// Package session is layer 5 of osisim: the session layer of the OSI model
// (ISO/IEC 8326/8327), which sets up a dialog between two applications,
// controls whose turn it is to speak, marks synchronization points that a
// transfer can later resume from, and releases the dialog in an orderly way
// or reports that it was aborted.
//
// In the Internet profile that osisim simulates, these functions exist but
// live inside the application protocol, and they add no octets to the wire:
// POP3 (RFC 1939) and SMTP (RFC 5321) set up their dialog with a greeting,
// take turns as a strict request/response exchange, mark the end of each
// unit with CRLF or with the line "." (CRLF.CRLF), and release with QUIT.
// This package does that work explicitly so that the trace can show it:
//
//   - Session: set-up (Open), release (Release) and abort (Abort), with the
//     states IDLE, OPEN, RELEASED and ABORTED;
//   - dialog control: a half-duplex turn token that moves with Sent and
//     Received; speaking out of turn is a *TurnError;
//   - synchronization: numbered checkpoints (Checkpoint) that keep their
//     label and octet count;
//   - Framer: finds where each unit of a text dialog ends (a CRLF line, or a
//     dot-terminated block) in a byte stream cut into arbitrary chunks,
//     handing a long block on piece by piece so it never has to be held.
//
// # PDU
//
// The session PDU (SPDU) of this profile has no header of its own: an SPDU
// is one framed unit (or one piece of a long unit) of the application's
// bytes, exactly as they travel in the TCP stream.
//
//	+--------------------------------------------------+
//	| (no session header in TCP/IP)                    |
//	+--------------------------------------------------+
//	| unit: "RETR 1" CR LF                             |  a line
//	+--------------------------------------------------+
//	| unit: line CR LF line CR LF ... "." CR LF        |  a dot-terminated block
//	+--------------------------------------------------+
//
// # The osi profile
//
// With the osi profile (docs/profiles.md) the session layer adds a header
// of its own to every unit, and the units are delimited by its Length
// instead of by CRLF and CRLF.CRLF: UnitReader finds the SPDUs in the byte
// stream, Session.TakeOSI checks each against the dialog (the unit
// expected, the speaker) and hands it on as a Piece. A unit longer than the
// sender's segment size travels as several data SPDUs, the last with the
// end-of-unit flag (OSIHeader, 16 octets, big-endian):
//
//	 0       1       2       3
//	+-------+-------+-------+-------+
//	|Version| Type  | Flags |Speaker|   version 1; type 1 data, 2 checkpoint,
//	+-------+-------+-------+-------+   3 release; flags: end of unit (0x01),
//	|  Session id   |  Dialog turn  |   give turn (0x02), block (0x04);
//	+-------+-------+-------+-------+   speaker 1 initiator, 2 responder
//	|    Last synchronization point |
//	+-------+-------+-------+-------+
//	|     Length of the user data   |   at most MaxOSIData (64 KiB)
//	+-------+-------+-------+-------+
//	| user data: the presentation unit (its header, then the data)  |
//	+---------------------------------------------------------------+
//
// # Standards
//
//   - RFC 1939 section 3: commands and replies end with CRLF; a multi-line
//     response ends with the line "." (CRLF.CRLF), other lines that start
//     with "." being byte-stuffed, so a stuffed line is never ".".
//   - RFC 5321 section 4.1.1.4: the same end-of-data rule in SMTP.
//   - ISO/IEC 8327-1: the OSI session protocol whose functional units
//     (kernel, half-duplex, minor synchronize, resynchronize) the Session
//     type mirrors without their SPDU encodings.
//
// # Not implemented
//
//   - The OSI session protocol's own SPDU encodings (CN, AC, DT, GT, MIP
//     ... with their parameter lists): in TCP/IP there is no session
//     header, and the osi profile's header is a small one of osisim's.
//   - Sending checkpoint SPDUs: the type is defined and parsed, but the
//     POP3 dialog does not send them yet.
//   - Resuming a dialog from a checkpoint (the checkpoints are kept for it).
//   - Full-duplex dialogs, activities and major synchronization points.
//   - Pipelined commands (RFC 2449 PIPELINING): one request, one response.
package session
