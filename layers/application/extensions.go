package application

import (
	"fmt"
	"strings"

	"github.com/osisim/osisim/layers"
)

// This file holds the commands RFC 1939 calls optional (section 7: TOP,
// UIDL, APOP) and RFC 2449's CAPA.

// apopCmd handles APOP name digest (RFC 1939 section 7): the client proves
// it knows the secret without sending it, with the MD5 of the greeting's
// timestamp followed by the secret. It is offered only when the greeting
// carried a timestamp.
func (s *Server) apopCmd(cmd Message) Reply {
	if !s.apop {
		return s.deny(Err("APOP not available: the greeting carries no timestamp"),
			layers.Tell("pop3.apop.off", "APOP refused: this server's greeting has no timestamp, so it does not offer APOP"))
	}
	if len(cmd.Args) != 2 || !validDigest(cmd.Args[1]) {
		return s.syntax(cmd, "APOP takes a mailbox name and a digest of 32 hexadecimal digits")
	}
	name, digest := cmd.Args[0], strings.ToLower(cmd.Args[1])
	s.user = ""
	u, ok := s.findUser(name)
	if !ok {
		return Reply{Line: ErrCode(CodeAuth, "permission denied")}.note(
			layers.Tell("pop3.apop.nouser", "APOP %s: no such mailbox (stays in AUTHORIZATION)", name))
	}
	ts := s.Timestamp()
	if want := APOPDigest(ts, u.Pass); digest != want {
		return Reply{Line: ErrCode(CodeAuth, "permission denied")}.note(
			layers.Tell("pop3.apop.wrong", "APOP %s: the digest %s is not MD5(%s + the secret) = %s: wrong secret (stays in AUTHORIZATION)",
				name, digest, ts, want))
	}
	return s.login(name, "APOP", layers.Tell("pop3.apop.detail", " (the digest is MD5(%s + the secret): the secret never crossed the network)", ts))
}

// capa handles CAPA (RFC 2449 section 5), valid in the AUTHORIZATION and
// TRANSACTION states: a multi-line list of what the server supports.
func (s *Server) capa(cmd Message) Reply {
	if len(cmd.Args) != 0 {
		return s.syntax(cmd, "CAPA takes no argument")
	}
	c := s.Capabilities()
	return Reply{Line: OK("capability list follows"), Body: c}.note(
		layers.Tell("pop3.capa", "CAPA: %d capabilities follow as a multi-line response: %s", len(c), strings.Join(c, ", ")))
}

// uidl handles UIDL [msg] (RFC 1939 section 7): the unique-id of each
// message, or of one, stable across sessions. Messages marked deleted are
// not listed.
func (s *Server) uidl(cmd Message) Reply {
	if len(cmd.Args) == 0 {
		var l UIDListing
		for n := 1; n <= s.md.Len(); n++ {
			if uid, err := s.md.UID(n); err == nil {
				l = append(l, UIDLine{N: n, UID: uid})
			}
		}
		return Reply{Line: OK("unique-id listing follows"), Body: l}.note(
			layers.Tell("pop3.uidl", "UIDL: the unique-ids of %v follow as a multi-line response (the same in every session)", messages(len(l))))
	}
	n, bad := s.number(cmd)
	if bad != nil {
		return *bad
	}
	uid, err := s.md.UID(n)
	if err != nil {
		return s.msgErr(cmd, n, err)
	}
	return Reply{Line: OK(fmt.Sprintf("%d %s", n, uid))}.note(
		layers.Tell("pop3.uidl.one", "UIDL %d: message %d has the unique-id %s", n, n, uid))
}

// top handles TOP msg n (RFC 1939 section 7): the message's header, the
// empty line, and the first n lines of its body (all of them if it has
// fewer), as a multi-line response.
func (s *Server) top(cmd Message) Reply {
	if len(cmd.Args) != 2 {
		return s.syntax(cmd, "TOP takes a message number and a number of lines")
	}
	n, ok := parseNumber(cmd.Args[0], 1)
	if !ok {
		return s.syntax(cmd, "invalid message number "+cmd.Args[0])
	}
	lines, ok := parseNumber(cmd.Args[1], 0)
	if !ok {
		return s.syntax(cmd, "invalid number of lines "+cmd.Args[1])
	}
	e, err := s.md.Message(n)
	if err != nil {
		return s.msgErr(cmd, n, err)
	}
	t := NewTop(e, lines)
	// The reply starts with the octet count, as RETR's does: RFC 1939
	// leaves the text free, but readers such as Wireshark's POP dissector
	// take the first word after "+OK" of a TOP or RETR reply for the
	// length of what follows.
	return Reply{Line: OK(fmt.Sprintf("%d octets: top of message %d, header and %s", t.Size(), n, t.what())), Body: t}.note(
		layers.Tell("pop3.top", "TOP %d %d: the header (%s octets) and %v of message %d, %s of its %s octets, follow as a multi-line response",
			n, lines, layers.Thousands(int64(e.HeaderLen())), t.whatPhrase(), n, layers.Thousands(t.Size()), layers.Thousands(e.Size())))
}
