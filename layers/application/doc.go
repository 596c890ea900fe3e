// Package application is layer 7 of osisim: the application layer of the OSI
// model, where the user's task is done by an application protocol. Here the
// protocol is POP3, the Post Office Protocol version 3 (RFC 1939), with which
// a mail client downloads the messages of its maildrop from a server on TCP
// port 110 and then has them deleted there.
//
// The package holds:
//
//   - Message: one POP3 command or reply line, with ParseCommand and
//     ParseReply (RFC 1939's limits enforced) and Append; a reply's RFC
//     2449 response code (Code, ErrCode) and a greeting's APOP timestamp
//     (Timestamp);
//   - Server: the server's side of one session, a state machine through the
//     AUTHORIZATION, TRANSACTION and UPDATE states that answers USER, PASS,
//     APOP, STAT, LIST, RETR, DELE, NOOP, RSET, TOP, UIDL, CAPA and QUIT
//     with RFC 1939's replies, and removes the messages marked deleted only
//     in UPDATE, after QUIT; HandleLine takes a raw line and enforces the
//     limits on line length and on bad commands;
//   - Maildrop: the stored messages, numbered, with their exact sizes and
//     unique-ids, and the exclusive-access lock of a session;
//   - the bodies of multi-line replies: the mail (presentation.Encoded), Top,
//     ScanListing, UIDListing and Capabilities, with parsers for the
//     listings;
//   - Client: a scripted client that logs in with USER and PASS or with APOP
//     and sends its commands one by one; ExpectsBody tells which replies
//     have a multi-line body;
//   - DNSMessage, DNSZone, DNSLookup (dns.go): DNS (RFC 1035) over UDP port
//     53: the message format, an authoritative zone and a stub resolver.
//
// Both sides work on parsed values and return values: the simulator frames
// the byte stream (session layer), converts the mails (presentation layer)
// and carries the octets over TCP.
//
// # PDU
//
// A POP3 message is one line of US-ASCII text ending in CRLF. A command is a
// keyword of 3 or 4 characters and arguments of up to 40, separated by single
// spaces; a reply is a status indicator and text, at most 512 octets:
//
//	+---------+---+-----------+---+-----------+----+----+
//	| keyword | SP| argument  | SP| argument  | CR | LF |   RETR 1
//	+---------+---+-----------+---+-----------+----+----+
//	+---------+---+--------------------------+----+----+
//	| +OK/-ERR| SP| text                     | CR | LF |   +OK 2048 octets
//	+---------+---+--------------------------+----+----+
//
// A multi-line reply (RETR, TOP, CAPA, and LIST or UIDL without argument)
// is followed by a block of lines ending with the line "." alone; lines of
// the block that start with "." are byte-stuffed (presentation.Stuffer).
//
// A reply may start its text with a response code in brackets (RFC 2449
// section 8), which a program can act upon:
//
//	-ERR [IN-USE] unable to lock maildrop     another session holds the maildrop
//	-ERR [AUTH] invalid password              the credentials are wrong (RFC 3206)
//
// # Replies
//
//	USER name      +OK name is a valid mailbox | -ERR [AUTH] never heard of mailbox name
//	PASS secret    +OK maildrop locked and ready | -ERR [AUTH] invalid password |
//	               -ERR [IN-USE] unable to lock maildrop | -ERR USER first
//	APOP name d    +OK maildrop locked and ready | -ERR [AUTH] permission denied |
//	               -ERR [IN-USE] unable to lock maildrop |
//	               -ERR APOP not available: the greeting carries no timestamp
//	CAPA           +OK capability list follows, then TOP, UIDL, USER, RESP-CODES,
//	               AUTH-RESP-CODE, IMPLEMENTATION osisim (in both states)
//	STAT           +OK 2 2838
//	LIST [n]       +OK 2 messages (2838 octets) and a scan listing | +OK 2 790
//	UIDL [n]       +OK unique-id listing follows and "n id" lines | +OK 2 1ac1d3023f3279f0
//	TOP n k        +OK 372 octets: top of message n, header and the first k body lines
//	RETR n         +OK 790 octets and the mail
//	DELE n         +OK message 1 deleted
//	RSET           +OK maildrop has 2 messages (2838 octets)
//	NOOP           +OK
//	QUIT           +OK dewey POP3 server signing off (1 message left)
//
// Errors: "-ERR no such message" (", only 2 messages in maildrop" for LIST
// and UIDL), "-ERR message 1 already deleted" (messages keep their numbers
// until UPDATE), "-ERR invalid message number x", "-ERR TOP takes a message
// number and a number of lines" and the like for bad or missing arguments,
// "-ERR STAT is not valid in the AUTHORIZATION state", "-ERR unknown
// command", "-ERR syntax error: ..." for a line that is not a command,
// "-ERR command line too long: 300 octets, at most 255 with CRLF". After 20
// bad commands in a row (WithMaxBadCommands), the next one gets "-ERR too
// many bad commands, closing the connection" and the session ends; a line
// over 512 octets (WithLineHardLimit) gets "-ERR command line too long: ...;
// closing the connection". Both limits are Dovecot's way; a session ended
// so, or lost, never reaches UPDATE: nothing is removed.
//
// # Standards
//
//   - RFC 1939: POP3, its states, commands and replies (sections 3 to 7),
//     with the optional TOP, UIDL and APOP (section 7).
//   - RFC 2449: CAPA (section 5), the capabilities TOP, UIDL, USER,
//     RESP-CODES and IMPLEMENTATION (section 6), command lines of at most
//     255 octets (section 4), the response codes IN-USE and LOGIN-DELAY
//     (section 8).
//   - RFC 3206: the response codes AUTH and SYS, and AUTH-RESP-CODE.
//   - RFC 1321: MD5, for the APOP digest (crypto/md5).
//
// # Not implemented
//
//   - The SASL mechanisms of AUTH (RFC 1734, RFC 5034) and TLS (STLS, RFC
//     2595); APOP is the only login that keeps the secret off the wire.
//   - PIPELINING (RFC 2449 section 6.6): the client waits for each reply
//     before the next command, and the server does not announce it; nor
//     LOGIN-DELAY or EXPIRE.
//   - The server's inactivity autologout timer (RFC 1939 section 3), and a
//     limit on failed logins: a wrong password is not a bad command.
//   - Several maildrops: a server serves one maildrop to all its users.
//   - TOP counts lines of the body in its transfer syntax: the first lines
//     of a base64 body may end inside a UTF-8 character, which
//     presentation.Decoder then refuses.
package application
