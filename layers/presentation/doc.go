// Package presentation is layer 6 of osisim: the presentation layer of the
// OSI model (ISO/IEC 8822/8823), which converts the application's data
// between its abstract syntax (here, a mail as Unicode header values and
// Unicode text) and a transfer syntax both ends understand (here, the octets
// of an RFC 5322 message with a MIME text/plain body).
//
// In TCP/IP this work is done by the application and its libraries, and it
// adds no header of its own; the transfer syntax describes itself inside the
// data (the MIME header fields). The package does, streaming and never
// holding a whole body:
//
//   - Encode: Unicode -> UTF-8 (the charset), non-ASCII header words ->
//     RFC 2047 encoded-words, header folding at 78 characters, line breaks
//     -> CRLF, body -> 7bit, quoted-printable or base64, and the MIME header
//     fields; Encoded.Steps describes each transform for the trace;
//   - Stuffer and Unstuffer: POP3's byte-stuffing of multi-line responses
//     and their terminating line ".";
//   - Decoder: the reverse of Encode, fed in chunks; it hashes the mail's
//     canonical form as it goes, so that Result.Hash can be compared with
//     Hash of the stored mail (see Hash for the canonical form);
//   - Body: a literal text, or a generated one of any size (GeneratedBody).
//
// # PDU
//
// The presentation PDU (PPDU) of this profile has no header: it is the
// application's data in its transfer syntax. For a mail:
//
//	+------------------------------------------------------------+
//	| (no presentation header in TCP/IP)                         |
//	+------------------------------------------------------------+
//	| From: =?UTF-8?B?5p2O6ICB5biI?= <li.laoshi@school.example>  |  RFC 5322 header,
//	| Subject: =?UTF-8?B?5YWz5LqOUE9QM+eahOivvuWggueslOiusA==?=  |  RFC 2047 words,
//	| MIME-Version: 1.0                                          |  RFC 2045 fields
//	| Content-Type: text/plain; charset=UTF-8                    |
//	| Content-Transfer-Encoding: base64                          |
//	| CR LF                                                      |  empty line
//	+------------------------------------------------------------+
//	| 546L5ZCM5a2m77yaDQoNCuS9oOWlve+8geS4i+mdouaYr+S7iuWkqeivv... |  body, lines of 76
//	+------------------------------------------------------------+
//
// and on the wire, inside a POP3 multi-line response, every line starting
// with "." gets another, and the line "." ends the block.
//
// # The osi profile and compression
//
// With the osi profile (docs/profiles.md) the presentation layer puts a
// header of its own in front of every unit (OSIHeader, 8 octets,
// big-endian), naming the unit's transfer syntax and whether it is
// compressed; Compressor.OSIUnit builds it and ParseOSIUnit checks it:
//
//	 0       1       2       3
//	+-------+-------+-------+-------+
//	|Version|Syntax | Flags |   0   |   version 1; syntax 1 US-ASCII line,
//	+-------+-------+-------+-------+   2 US-ASCII lines, 3 RFC 5322 + MIME;
//	|   Original length (octets)    |   flags: compressed (0x01), encrypted
//	+-------+-------+-------+-------+   (0x02, reserved)
//	| data: in the transfer syntax, DEFLATE-compressed if flagged   |
//	+---------------------------------------------------------------+
//
// Compression is DEFLATE (RFC 1951) of each unit on its own, kept only
// when it makes the unit smaller; Inflate never produces more than the
// original length announced (at most MaxOSIOriginal).
//
// # TLS
//
// The presentation layer's third job, encryption, is TLS 1.3 (RFC 8446)
// from crypto/tls. TLSEndpoint runs the library in lock step with the
// simulator over an in-memory connection: Feed gives it the octets TCP
// delivered, Output returns the records it wrote, Plaintext the octets it
// decrypted. ParseTLSRecords cuts a byte stream into records, and
// TLSEndpoint.Describe names what a record carries (ClientHello,
// Certificate, Finished, application data, alerts), opening protected
// records with the secrets the endpoint logged. NewTLSAuthority makes a
// scenario's CA and server certificate (Ed25519, RFC 8032).
//
// In TCP/IP the record layer sits right above TCP, under the application's
// own framing, which needs plaintext: POP3 over TLS starts with STLS on
// port 110 (RFC 2595 section 4) or with TLS from the first octet on port
// 995 (POP3S, RFC 8314 section 3.3). In OSI terms the records are the
// presentation layer's encrypted transfer syntax. A record (RFC 8446
// section 5.1 and 5.2):
//
//	 0                   1                   2                   3
//	 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//	| content type  |  legacy version (0x0303)      |    length     :
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//	:  (2 octets)   | fragment (length octets): in a protected      |
//	+-+-+-+-+-+-+-+-+ record (type 23), the AEAD-sealed plaintext,  |
//	|               the 1-octet inner content type and zero padding,|
//	|               then the 16-octet AEAD tag                      |
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// docs/tls.md describes where the records sit, the lock step, the
// certificates and which octets vary from one run to the next.
//
// # Standards
//
//   - RFC 5322: message format, header fields, folding (sections 2.1.1,
//     2.2, 2.2.3).
//   - RFC 2045: MIME-Version, Content-Type, Content-Transfer-Encoding; 7bit
//     (2.7), quoted-printable (6.7), base64 (6.8).
//   - RFC 2046 section 4.1.1: text line breaks are CRLF.
//   - RFC 2047: encoded-words in header values ("B" encoding, UTF-8).
//   - RFC 3629: UTF-8.
//   - RFC 1939 section 3: byte-stuffing of multi-line responses.
//   - RFC 1951: DEFLATE (osi profile compression).
//   - RFC 8446: TLS 1.3 (record layer, handshake, alerts); RFC 2595
//     section 4: STLS; RFC 8314: implicit TLS for POP3 (port 995).
//
// # Not implemented
//
//   - Charsets other than UTF-8 (and US-ASCII when decoding): no GB18030,
//     GBK or ISO-8859 bodies yet.
//   - Multipart bodies, attachments, and media types other than text/plain.
//   - RFC 2047 "Q" encoding when encoding (the Decoder reads it).
//   - Encryption in the osi profile: the osi header's flag is reserved
//     (TLS runs in the internet profile only).
//   - TLS 1.2 and below, client certificates, session resumption,
//     KeyUpdate, and naming ChaCha20-Poly1305 records in the trace.
//   - Compression in the Internet profile, which has no header to announce
//     it; the ASN.1/BER transfer syntaxes and presentation-context
//     negotiation of the OSI presentation protocol (ISO/IEC 8823-1).
package presentation
