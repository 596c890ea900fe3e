package sim

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/osisim/osisim/layers"
	"github.com/osisim/osisim/layers/presentation"
	"github.com/osisim/osisim/layers/session"
)

// TLS at the presentation layer (docs/tls.md). The session layer frames
// POP3 lines and bodies, so it must see plaintext: the TLS record layer
// sits below the session's framing and right above TCP, where TLS sits in
// TCP/IP. In OSI terms it is the encryption function of the presentation
// layer, and the trace records its records at layer 6: the units the
// session layer hands down are encrypted into records that go into TCP,
// and the records TCP delivers are decrypted into the octets the session
// layer frames.

// TLSServer configures TLS on a POP3 server.
type TLSServer struct {
	// Implicit: POP3S (RFC 8314): TLS from the first octet, usually on
	// port 995. Otherwise the server offers STLS (RFC 2595).
	Implicit    bool
	Certificate tls.Certificate
}

// TLSClient configures TLS on a POP3 client.
type TLSClient struct {
	// Implicit: POP3S (RFC 8314). Otherwise the client sends STLS (and
	// adds it to the front of its script if the script has none).
	Implicit   bool
	Roots      *x509.CertPool // the CAs the client trusts
	ServerName string         // the name the certificate must carry (RFC 6125)
	// KeyLog receives the session secrets in the NSS key log format, for
	// Wireshark (tls.Config.KeyLogWriter).
	KeyLog io.Writer
}

// Epoch is the wall-clock time of simulated time 0, as the captures stamp
// it (1970-01-01 00:00:00 UTC): TLS checks certificate validity against
// Epoch plus the simulated time.
var Epoch = time.Unix(0, 0).UTC()

// tlsLayer is the TLS record layer of one connection's appConn.
type tlsLayer struct {
	ep      *presentation.TLSEndpoint
	dir     presentation.TLSDirection // the direction of the records this side sends
	backlog []cipherChunk             // records waiting for room in TCP's send buffer
	txHold  []byte                    // octets of a record not yet complete (tracing)
	rxHold  []byte
	done    bool // the handshake ended, well or not
	notify  bool // close_notify sent
	onReady func()
	onFail  func(error)
}

type cipherChunk struct {
	data []byte
	id   uint64 // the record's PDU id
}

// RandStream returns a random stream of its own, seeded from the run's
// randomness with a fixed number of draws (four): however much a library
// reads from it (crypto/tls, certificate signing), the draws of the rest
// of the simulation do not shift.
func (s *Sim) RandStream() io.Reader {
	var seed [32]byte
	for i := range 4 {
		binary.BigEndian.PutUint64(seed[i*8:], s.rng.Uint64())
	}
	return rand.NewChaCha8(seed)
}

// tlsConfig returns the configuration both ends share: TLS 1.3 only, the
// X25519 key exchange only (the default X25519MLKEM768 key share draws
// from the operating system whatever Rand is), and the simulated clock.
func (a *appConn) tlsConfig() *tls.Config {
	sim := a.h.sim
	return &tls.Config{
		Rand:             sim.RandStream(),
		Time:             func() time.Time { return Epoch.Add(sim.now) },
		MinVersion:       tls.VersionTLS13,
		CurvePreferences: []tls.CurveID{tls.X25519},
	}
}

// startTLSClient starts the client side of the handshake.
func (a *appConn) startTLSClient(c *TLSClient, onReady func(), onFail func(error)) *presentation.TLSEndpoint {
	cfg := a.tlsConfig()
	cfg.RootCAs, cfg.ServerName, cfg.KeyLogWriter = c.Roots, c.ServerName, c.KeyLog
	// A session cache, as mail clients keep one: the server then sends a
	// NewSessionTicket (RFC 8446 section 4.6.1).
	cfg.ClientSessionCache = tls.NewLRUClientSessionCache(1)
	if a.h.sim.tracing {
		a.record(layers.Event{Layer: layers.Presentation, Dir: layers.State}.Say("l6.tls.start.client",
			"TLS client: the handshake with %s begins (TLS 1.3, X25519 key exchange); the certificate must be signed by the scenario's CA and valid at simulated time %s",
			c.ServerName, Epoch.Add(a.h.sim.now).Format(time.RFC3339)))
		a.tlsVaries()
	}
	return a.startTLS(cfg, false, onReady, onFail)
}

// startTLSServer starts the server side: it waits for the ClientHello.
func (a *appConn) startTLSServer(s *TLSServer, onReady func(), onFail func(error)) *presentation.TLSEndpoint {
	cfg := a.tlsConfig()
	cfg.Certificates = []tls.Certificate{s.Certificate}
	if a.h.sim.tracing {
		leaf := s.Certificate.Leaf
		name, issuer := "", ""
		if leaf != nil {
			name, issuer = leaf.Subject.CommonName, leaf.Issuer.CommonName
		}
		a.record(layers.Event{Layer: layers.Presentation, Dir: layers.State}.Say("l6.tls.start.server",
			"TLS server: waits for the ClientHello; it will present the certificate of %q issued by %q", name, issuer))
	}
	return a.startTLS(cfg, true, onReady, onFail)
}

// tlsVaries says which bytes differ from one run to the next.
func (a *appConn) tlsVaries() {
	a.record(layers.Event{Layer: layers.Presentation, Dir: layers.Note}.Say("l6.tls.varies",
		"TLS: the key shares of ClientHello and ServerHello vary from run to run (crypto/tls draws its X25519 keys from the operating system), and so do every secret, every encrypted octet and the TCP checksums over them; the random fields, the certificates, every length and every record's place come from the run's seed"))
}

func (a *appConn) startTLS(cfg *tls.Config, server bool, onReady func(), onFail func(error)) *presentation.TLSEndpoint {
	l := &tlsLayer{ep: presentation.NewTLSEndpoint(cfg, server), onReady: onReady, onFail: onFail}
	if server {
		l.dir = presentation.FromServer
	}
	a.tls = l
	l.ep.Start()
	a.tlsAfter()
	return l.ep
}

// tlsAfter sends what the library wrote and reports the end of the
// handshake.
func (a *appConn) tlsAfter() {
	l := a.tls
	if out := l.ep.Output(); len(out) > 0 {
		a.tlsSend(out, 0)
	}
	if l.done {
		return
	}
	if l.ep.HandshakeComplete() {
		l.done = true
		if a.h.sim.tracing {
			st := l.ep.ConnectionState()
			e := layers.Event{Layer: layers.Presentation, Dir: layers.State}.Say("l6.tls.done.server",
				"TLS handshake complete: %s, %s; from now on every octet to and from the session layer is encrypted",
				presentation.TLSVersionName(st.Version), tls.CipherSuiteName(st.CipherSuite))
			if l.dir == presentation.FromClient && len(st.PeerCertificates) > 0 {
				leaf := st.PeerCertificates[0]
				e = e.Say("l6.tls.done.client",
					"TLS handshake complete: %s, %s; the server's certificate for %v, issued by %q and valid from %s to %s, checks out at simulated time %s",
					presentation.TLSVersionName(st.Version), tls.CipherSuiteName(st.CipherSuite), leaf.DNSNames, leaf.Issuer.CommonName,
					leaf.NotBefore.Format(time.RFC3339), leaf.NotAfter.Format(time.RFC3339), Epoch.Add(a.h.sim.now).Format(time.RFC3339))
			}
			a.record(e)
		}
		if l.onReady != nil {
			l.onReady()
		}
		a.pump()
		return
	}
	if err := l.ep.HandshakeErr(); err != nil {
		l.done = true
		// The handshake is the PDU exchange that failed: a Drop, so that the
		// run's summary counts it (RFC 8446 section 6.2: an error alert
		// ends the connection).
		a.record(layers.Event{Layer: layers.Presentation, Dir: layers.Drop, Reason: layers.ReasonTLS, Cause: err.Error()}.Say("l6.tls.failed",
			"TLS handshake failed: %v; no application data will flow", tlsWhy(err)))
		if l.onFail != nil {
			l.onFail(err)
		}
	}
}

// tlsSend queues records for TCP, tracing each (parent: the PDU whose
// octets it carries, if any).
func (a *appConn) tlsSend(b []byte, parent uint64) {
	l := a.tls
	if !a.h.sim.tracing {
		l.backlog = append(l.backlog, cipherChunk{data: b})
		a.tlsFlush()
		return
	}
	l.txHold = append(l.txHold, b...)
	recs, rest, err := presentation.ParseTLSRecords(l.txHold)
	if err != nil {
		rest = nil
	}
	for _, r := range recs {
		l.ep.Describe(&r, l.dir)
		id := a.h.sim.NewID()
		text := tell("l6.tls.down.clear", "TLS record layer sends %s in the clear", r.What())
		if r.Protected {
			text = tell("l6.tls.down.sealed", "TLS record layer encrypts %s: %s B of plaintext, %s B record (5 B header, 1 B inner type, 16 B AEAD tag)",
				r.What(), Thousands(int64(len(r.Fragment)-17)), Thousands(int64(r.Len())))
		}
		a.record(said(layers.Event{Layer: layers.Presentation, Dir: layers.Down, PDU: &layers.PDU{
			Kind: "tls", ID: id, Parents: idList(parent), Len: r.Len(), HeaderLen: r.HeaderLen(),
			Summary: r.Summary(), Fields: r.Fields()}}, text))
		l.backlog = append(l.backlog, cipherChunk{data: r.Append(nil), id: id})
	}
	l.txHold = append(l.txHold[:0], rest...)
	a.tlsFlush()
}

// tlsFlush moves queued records into TCP; it reports whether none is left.
func (a *appConn) tlsFlush() bool {
	l := a.tls
	for len(l.backlog) > 0 {
		c := &l.backlog[0]
		w := a.conn.Write(c.data, c.id)
		c.data = c.data[w:]
		if len(c.data) > 0 {
			return false
		}
		l.backlog = l.backlog[1:]
	}
	return true
}

// write hands octets of a unit (id: its SPDU) to TCP, through the record
// layer once TLS is on, and returns how many it took. Plaintext waits
// until the handshake is complete and the records before it are in TCP.
func (a *appConn) write(p []byte, id uint64) int {
	l := a.tls
	if l == nil {
		return a.conn.Write(p, id)
	}
	if !a.tlsFlush() || !l.ep.HandshakeComplete() || l.notify {
		return 0
	}
	n := min(len(p), 16<<10)
	if _, err := l.ep.Write(p[:n]); err != nil {
		return 0
	}
	a.tlsSend(l.ep.Output(), id)
	return n
}

// tlsIdle reports whether no record waits for TCP; once the application
// closes, it first sends close_notify (RFC 8446 section 6.1).
func (a *appConn) tlsIdle() bool {
	l := a.tls
	if l == nil {
		return true
	}
	if !a.tlsFlush() {
		return false
	}
	if !l.notify && l.ep.HandshakeComplete() {
		l.notify = true
		if err := l.ep.CloseWrite(); err == nil {
			if a.h.sim.tracing {
				a.record(layers.Event{Layer: layers.Presentation, Dir: layers.Note}.Say("l6.tls.close",
					"TLS: close_notify alert: the %v sends no more data on this connection", a.sess.Role()))
			}
			a.tlsSend(l.ep.Output(), 0)
		}
		return a.tlsFlush()
	}
	return true
}

// tlsFeed takes octets TCP delivered through the record layer and returns
// the plaintext for the session layer.
func (a *appConn) tlsFeed(b []byte) []byte {
	l := a.tls
	l.ep.Feed(b)
	if a.h.sim.tracing {
		peer := presentation.FromServer
		if l.dir == presentation.FromServer {
			peer = presentation.FromClient
		}
		l.rxHold = append(l.rxHold, b...)
		recs, rest, err := presentation.ParseTLSRecords(l.rxHold)
		if err != nil {
			rest = nil
		}
		for _, r := range recs {
			l.ep.Describe(&r, peer)
			text := tell("l6.tls.up.clear", "TLS record layer receives %s in the clear", r.What())
			if r.Protected {
				text = tell("l6.tls.up.sealed", "TLS record layer decrypts a %s B record: %s", Thousands(int64(r.Len())), r.What())
			}
			a.record(said(layers.Event{Layer: layers.Presentation, Dir: layers.Up, PDU: &layers.PDU{
				Kind: "tls", ID: a.h.sim.NewID(), Len: r.Len(), HeaderLen: r.HeaderLen(),
				Summary: r.Summary(), Fields: r.Fields()}}, text))
		}
		l.rxHold = append(l.rxHold[:0], rest...)
	}
	a.tlsAfter()
	return l.ep.Plaintext()
}

// stopTLS ends the endpoint's goroutine (the connection is over).
func (a *appConn) stopTLS() {
	if a.tls != nil {
		a.tls.ep.Stop()
	}
}

// tlsError says why a TLS connection failed, for a client's result: its Go
// error string in English, and a phrase for the trace.
func tlsError(err error) error {
	var cv *tls.CertificateVerificationError
	if errors.As(err, &cv) {
		return layers.NewError(fmt.Sprintf("TLS handshake failed: the server's certificate was rejected: %v", cv.Err),
			layers.Tell("l6.tls.err.cert", "TLS handshake failed: the server's certificate was rejected: %v", tlsWhy(cv.Err)))
	}
	return layers.NewError(fmt.Sprintf("TLS handshake failed: %v", err),
		layers.Tell("l6.tls.err", "TLS handshake failed: %v", tlsWhy(err)))
}

// tlsWhy is why a handshake failed as a phrase whose English is err's own
// text: another language says the verification errors of RFC 5280 path
// validation that a scenario can cause (an unknown CA, a name the
// certificate does not cover, a validity period the simulated time is
// outside of) and the alerts that report them (RFC 8446 section 6.2) in
// its own words, and quotes anything else crypto/tls says.
func tlsWhy(err error) layers.Phrase {
	var (
		ua x509.UnknownAuthorityError
		he x509.HostnameError
		ci x509.CertificateInvalidError
		p  layers.Phrase
	)
	msg := err.Error()
	switch {
	case errors.As(err, &ua):
		p = layers.Tell("l6.tls.why.ca", "the certificate is signed by an authority the client does not trust")
	case errors.As(err, &he):
		p = layers.Tell("l6.tls.why.host", "the certificate is not valid for the name %q", he.Host)
	case errors.As(err, &ci) && ci.Reason == x509.Expired:
		p = layers.Tell("l6.tls.why.expired", "the certificate has expired or is not yet valid at the simulated time")
	case strings.Contains(msg, "remote error: tls: "):
		p = layers.Tell("l6.tls.why.alert", "the peer ended the handshake with the alert %q", strings.TrimPrefix(msg, "remote error: tls: "))
	default:
		p = layers.Tell("l6.tls.why", "%q", msg)
	}
	p.En = msg
	return p
}

// endPlaintext ends the plaintext part of a connection once STLS has been
// answered "+OK": from then on both ends speak TLS (RFC 2595 section 4),
// so octets that the peer sent in the clear after the STLS exchange, held
// by the framer or still to come before the handshake starts, are
// discarded unread. Read as commands, they would pass for commands sent
// over TLS: the STARTTLS command-injection flaw (CVE-2011-0411); RFC 3207
// section 4.2 asks the same of SMTP servers.
func (a *appConn) endPlaintext() {
	a.plainEnded = true
	if n := a.sess.Framer().Discard(); n > 0 {
		a.dropPlaintext(n)
	}
}

// dropPlaintext records n octets of plaintext discarded after STLS.
func (a *appConn) dropPlaintext(n int) {
	e := layers.Event{Layer: layers.Presentation, Dir: layers.Drop, Reason: layers.ReasonProtocol}.Say("l6.tls.plain.server",
		"TLS: %s B the client sent in the clear after STLS are discarded unread: once STLS is answered, only what comes through TLS is a command (RFC 2595 section 4; CVE-2011-0411)",
		Thousands(int64(n)))
	if a.sess.Role() == session.Initiator {
		e = e.Say("l6.tls.plain.client",
			"TLS: %s B the server sent in the clear after its +OK to STLS are discarded unread: once STLS is answered, only what comes through TLS is a reply (RFC 2595 section 4)",
			Thousands(int64(n)))
	}
	a.record(e)
}
