// Package application is layer 7 of osisim: the application layer of the OSI
// model, where the user's task is done by an application protocol. Here the
// protocol is POP3, the Post Office Protocol version 3 (RFC 1939), with which
// a mail client downloads the messages of its maildrop from a server on TCP
// port 110 and then has them deleted there.
//
// The package holds:
//
//   - Message: one POP3 command or reply line, with ParseCommand and
//     ParseReply (RFC 1939's limits enforced) and Append;
//   - Server: the server's side of one session, a state machine through the
//     AUTHORIZATION, TRANSACTION and UPDATE states that answers USER, PASS,
//     STAT, LIST, RETR, DELE, NOOP, RSET and QUIT with RFC 1939's replies,
//     and removes the messages marked deleted only in UPDATE, after QUIT;
//   - Maildrop: the stored messages, numbered, with their exact sizes;
//   - Client: a scripted client that logs in and sends its commands one by
//     one.
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
// A multi-line reply (RETR, LIST without argument) is followed by a block of
// lines ending with the line "." alone; lines of the block that start with
// "." are byte-stuffed (presentation.Stuffer).
//
// # Standards
//
//   - RFC 1939: POP3, its states, commands and replies (sections 3 to 7).
//   - RFC 2449 section 4: command lines are at most 255 octets.
//
// # Not implemented
//
//   - APOP (RFC 1939 section 7) and the other authentication mechanisms
//     (RFC 1734, RFC 5034); TLS (RFC 2595).
//   - TOP, UIDL and the extension mechanism CAPA of RFC 2449 (later).
//   - Pipelining: the client waits for each reply before the next command.
//   - The server's inactivity autologout timer (RFC 1939 section 3).
//   - Several maildrops: a server serves one maildrop to all its users.
package application
