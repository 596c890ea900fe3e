package sim

import (
	"crypto/tls"
	"fmt"
	"strings"

	"github.com/osisim/osisim/layers"
	"github.com/osisim/osisim/layers/application"
	"github.com/osisim/osisim/layers/presentation"
)

// POP3 over TLS: STLS on the plain connection (RFC 2595 section 4) or
// POP3S, TLS from the first octet (RFC 8314 section 3.3). The record layer
// itself is in appconn_tls.go.

// tlsOptions are the application server's options for TLS: STLS is
// offered when the server has a certificate and does not run POP3S.
func (s *POP3Server) tlsOptions() []application.ServerOption {
	if s.cfg.TLS != nil && !s.cfg.TLS.Implicit {
		return []application.ServerOption{application.WithSTLS()}
	}
	return nil
}

// EndTLS ends the goroutines of the server's TLS connections that are
// still open when a run stops (docs/tls.md).
func (s *POP3Server) EndTLS() {
	for _, ep := range s.tlsEnds {
		ep.Stop()
	}
}

// implicitTLS starts TLS at once on a POP3S connection, with the greeting
// sent once the handshake is complete; it reports whether it did.
func (sc *pop3ServerConn) implicitTLS() bool {
	t := sc.s.cfg.TLS
	if t == nil || !t.Implicit {
		return false
	}
	ep := sc.a.startTLSServer(t, func() { sc.reply(sc.srv.Greeting(), application.Message{}) }, sc.tlsFailed)
	sc.s.tlsEnds = append(sc.s.tlsEnds, ep)
	return true
}

// startTLS starts the server's side of the handshake after its "+OK" to
// STLS went into TCP.
func (sc *pop3ServerConn) startTLS() {
	ep := sc.a.startTLSServer(sc.s.cfg.TLS, nil, sc.tlsFailed)
	sc.s.tlsEnds = append(sc.s.tlsEnds, ep)
}

// tlsFailed closes the connection of a handshake that failed: the peer
// sent an alert, or broke the protocol.
func (sc *pop3ServerConn) tlsFailed(err error) {
	a := sc.a
	a.record(layers.Event{Layer: layers.Application, Dir: layers.Note}.Say("l7.pop3.server.tls.failed",
		"POP3 server: no TLS, no session: the server closes the connection"))
	a.closeWhenSent = true
	a.pump()
}

// tlsScript is the client's script for STLS: STLS at its front when the
// script does not say where to send it, and the login right after STLS
// when the script does not say where to log in (the entry "USER" or
// "APOP" alone, application.NewClient). Without that the client would log
// in before its script, and so send its password in the clear before
// asking for TLS, which RFC 2595 section 4 and RFC 8314 section 3 exist to
// prevent.
func tlsScript(cfg POP3ClientConfig) []string {
	if cfg.TLS == nil || cfg.TLS.Implicit {
		return cfg.Commands
	}
	stls, login := -1, -1
	for i, c := range cfg.Commands {
		switch strings.ToUpper(strings.TrimSpace(c)) {
		case "STLS":
			if stls < 0 {
				stls = i
			}
		case "USER", "APOP":
			if login < 0 {
				login = i
			}
		}
	}
	if stls >= 0 && login >= 0 {
		return cfg.Commands
	}
	out := make([]string, 0, len(cfg.Commands)+2)
	if stls < 0 {
		out = append(out, "STLS") // first, before the whole script
	}
	out = append(out, cfg.Commands[:stls+1]...)
	if login < 0 {
		out = append(out, "USER")
	}
	return append(out, cfg.Commands[stls+1:]...)
}

// EndTLS ends the goroutines of the client's TLS connections that are
// still open when a run stops.
func (c *POP3Client) EndTLS() {
	for _, ep := range c.tlsEnds {
		ep.Stop()
	}
}

// implicitTLS starts TLS on a POP3S connection as soon as TCP is up: the
// greeting comes through TLS.
func (c *POP3Client) implicitTLS() {
	t := c.cfg.TLS
	if t == nil || !t.Implicit {
		return
	}
	c.tlsEnds = append(c.tlsEnds, c.a.startTLSClient(t, nil, c.tlsFailed))
}

// stls handles the reply to STLS: after "+OK" the client starts the
// handshake, and sends its next command once TLS is up (RFC 2595 section
// 4). A client that must use TLS gives up after "-ERR" rather than send
// its password in clear text. It reports whether it took over.
func (c *POP3Client) stls(line application.Message) bool {
	t := c.cfg.TLS
	if c.last.Keyword != "STLS" || t == nil || c.a.tls != nil {
		return false
	}
	a := c.a
	if !line.OK {
		c.err = fmt.Errorf("the server refused STLS: %s", line.String())
		a.record(layers.Event{Layer: layers.Application, Dir: layers.Note}.Say("l7.pop3.client.stls.refused",
			"POP3 client: the server refused STLS; the client will not log in without TLS and closes the connection"))
		a.closeWhenSent = true
		a.pump()
		return true
	}
	a.record(layers.Event{Layer: layers.Application, Dir: layers.Note}.Say("l7.pop3.client.stls",
		"POP3 client: +OK to STLS: the TLS handshake starts on the same TCP connection (RFC 2595)"))
	a.endPlaintext()
	c.tlsEnds = append(c.tlsEnds, a.startTLSClient(t, c.next, c.tlsFailed))
	return true
}

// tlsFailed ends the session of a handshake that failed: no command, and
// so no mail, goes over a connection the client cannot trust.
func (c *POP3Client) tlsFailed(err error) {
	c.err = tlsError(err)
	a := c.a
	a.record(layers.Event{Layer: layers.Application, Dir: layers.Note}.Say("l7.pop3.client.tls.failed",
		"POP3 client: %v; it sends no command and closes the connection", c.err))
	a.closeWhenSent = true
	a.pump()
}

// TLSResult reports whether the client's last TLS handshake completed, or
// why it failed (nil if it never ended).
func (c *POP3Client) TLSResult() (complete bool, err error) {
	if len(c.tlsEnds) == 0 {
		return false, nil
	}
	ep := c.tlsEnds[len(c.tlsEnds)-1]
	if ep.HandshakeComplete() {
		return true, nil
	}
	if err := ep.HandshakeErr(); err != nil {
		return false, tlsError(err)
	}
	return false, nil
}

// TLSDescription describes the client's last completed handshake:
// "TLS 1.3, TLS_AES_128_GCM_SHA256, certificate for [mail.example.edu]"; the
// zero phrase if none completed.
func (c *POP3Client) TLSDescription() layers.Phrase {
	if len(c.tlsEnds) == 0 {
		return layers.Phrase{}
	}
	ep := c.tlsEnds[len(c.tlsEnds)-1]
	if !ep.HandshakeComplete() {
		return layers.Phrase{}
	}
	st := ep.ConnectionState()
	version, suite := presentation.TLSVersionName(st.Version), tls.CipherSuiteName(st.CipherSuite)
	if len(st.PeerCertificates) > 0 {
		return layers.Tell("l6.tls.desc.cert", "%s, %s, certificate for %v", version, suite, st.PeerCertificates[0].DNSNames)
	}
	return layers.Tell("l6.tls.desc", "%s, %s", version, suite)
}
