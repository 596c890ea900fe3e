package application

import "github.com/osisim/osisim/layers"

// STLS: POP3 over TLS started on the plain connection (RFC 2595 section 4).

// stlsState is where a server stands with STLS.
type stlsState uint8

const (
	stlsNone    stlsState = iota // STLS not offered
	stlsOffered                  // offered: in CAPA, answered in AUTHORIZATION
	stlsActive                   // TLS is in use: STLS is offered no more
)

// WithSTLS makes the server offer STLS (RFC 2595 section 4): the
// capability "STLS" in CAPA, and "+OK" to STLS in the AUTHORIZATION state,
// after which the TLS handshake starts on the same connection.
func WithSTLS() ServerOption {
	return func(s *Server) { s.stls = stlsOffered }
}

// TLSActive reports whether the session runs over TLS (after STLS).
func (s *Server) TLSActive() bool { return s.stls == stlsActive }

// withSTLS adds "STLS" to c while the server offers it and TLS is not yet
// in use (RFC 2595 section 4: the capability is not announced once TLS is
// active).
func (s *Server) withSTLS(c Capabilities) Capabilities {
	if s.stls == stlsOffered {
		return append(c, "STLS")
	}
	return c
}

// stlsCmd answers STLS. RFC 2595 section 4: STLS takes no argument and is
// only permitted in the AUTHORIZATION state; "-ERR" if TLS is already
// active or not offered. After "+OK" both ends negotiate TLS at once, and
// the server does not send a new greeting.
func (s *Server) stlsCmd(cmd Message) Reply {
	switch {
	case len(cmd.Args) != 0:
		return s.syntax(cmd, "STLS takes no argument")
	case s.stls == stlsActive:
		return s.deny(Err("command not permitted when TLS active"),
			layers.Tell("pop3.stls.active", "STLS refused: TLS is already in use (RFC 2595 section 4)"))
	case s.stls != stlsOffered:
		return s.deny(Err("STLS not available"), layers.Tell("pop3.stls.nocert", "STLS refused: this server has no certificate"))
	}
	// Nothing learnt from the client in the clear carries over into TLS
	// (as RFC 3207 section 4.2 puts it for SMTP): a mailbox named by USER
	// before STLS must be named again, so that PASS sent over TLS cannot
	// complete a USER that an attacker slipped in before it.
	s.stls = stlsActive
	s.user = ""
	return Reply{Line: OK("Begin TLS negotiation"), StartTLS: true}.note(
		layers.Tell("pop3.stls", "STLS accepted: the TLS handshake follows on the same TCP connection (RFC 2595 section 4)"))
}
