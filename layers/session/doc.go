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
//   - The OSI session protocol's SPDU encodings (CN, AC, DT, GT, MIP ...):
//     in TCP/IP there is no session header.
//   - Resuming a dialog from a checkpoint (the checkpoints are kept for it).
//   - Full-duplex dialogs, activities and major synchronization points.
//   - Pipelined commands (RFC 2449 PIPELINING): one request, one response.
package session
