package presentation

import (
	"bytes"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"io"
	"net"
	"time"
)

// TLSEndpoint is one end of a TLS connection (RFC 8446) run by Go's
// crypto/tls inside a discrete-event simulation. crypto/tls wants a
// net.Conn and blocks in Read; the simulator is single-threaded and must
// stay deterministic. So the endpoint runs the library in a goroutine of
// its own in lock step with its caller: the goroutine runs only while the
// caller waits in Start, Feed or Stop, and the caller runs only while the
// goroutine waits for octets that have not arrived yet. Exactly one of the
// two runs at any time, every hand-over goes through a channel, and
// nothing depends on the wall clock.
//
// The caller feeds it the octets its transport delivered (Feed), takes the
// records it wrote (Output) and the plaintext it decrypted (Plaintext), and
// writes plaintext once the handshake is complete (Write). Stop ends the
// goroutine; an endpoint whose goroutine has ended reports Ended.
type TLSEndpoint struct {
	conn *tls.Conn
	raw  *lockConn

	started  bool
	ended    bool
	complete bool  // the handshake finished
	hsErr    error // why the handshake failed
	readErr  error // why reading ended after the handshake
	plain    []byte
	secrets  map[string][]byte // key log label -> secret (Describe)
	suite    uint16            // the cipher suite, from the ServerHello (Describe)
	traffic  [2]tlsTraffic     // each direction's record protection (Describe)
}

// NewTLSEndpoint returns an endpoint that runs the client side of TLS
// (server false) or the server side with cfg. cfg.KeyLogWriter, if set,
// still receives every secret; the endpoint keeps a copy to describe the
// records it protects (Describe).
func NewTLSEndpoint(cfg *tls.Config, server bool) *TLSEndpoint {
	e := &TLSEndpoint{secrets: map[string][]byte{}}
	e.raw = &lockConn{wake: make(chan struct{}), park: make(chan struct{})}
	c := cfg.Clone()
	c.KeyLogWriter = &keyLog{e: e, next: cfg.KeyLogWriter}
	if server {
		e.conn = tls.Server(e.raw, c)
	} else {
		e.conn = tls.Client(e.raw, c)
	}
	return e
}

// Start starts the handshake: the client writes its ClientHello, the
// server waits for it. It returns when the library waits for input.
func (e *TLSEndpoint) Start() {
	if e.started {
		return
	}
	e.started = true
	go e.run()
	<-e.raw.park
}

// run is the endpoint's goroutine: the handshake, then reading until the
// connection ends.
func (e *TLSEndpoint) run() {
	err := e.conn.Handshake()
	if err != nil {
		e.hsErr = err
	} else {
		e.complete = true
		buf := make([]byte, 16<<10)
		for {
			n, err := e.conn.Read(buf)
			e.plain = append(e.plain, buf[:n]...)
			if err != nil {
				e.readErr = err
				break
			}
		}
	}
	e.ended = true
	e.raw.park <- struct{}{}
}

// Feed hands octets received from the peer to the library and returns
// when it has used them all (or has ended).
func (e *TLSEndpoint) Feed(b []byte) {
	if !e.started || e.ended || len(b) == 0 {
		return
	}
	e.raw.in = append(e.raw.in, b...)
	e.raw.wake <- struct{}{}
	<-e.raw.park
}

// Write encrypts p into records (Output); it is an error before the
// handshake is complete or after Stop; after the peer's close_notify
// (Ended, ReadErr io.EOF) this side may still write. It runs in the
// caller's goroutine while the library's goroutine waits in Read, which
// crypto/tls allows (a Conn may be read and written at once).
func (e *TLSEndpoint) Write(p []byte) (int, error) {
	if !e.complete || e.raw.closed {
		return 0, errors.New("presentation: TLS connection not ready for data")
	}
	return e.conn.Write(p)
}

// CloseWrite sends close_notify (RFC 8446 section 6.1): this side will
// send no more data.
func (e *TLSEndpoint) CloseWrite() error {
	if !e.complete || e.raw.closed {
		return errors.New("presentation: TLS connection not open")
	}
	return e.conn.CloseWrite()
}

// Stop ends the goroutine if it still runs: the library's next Read
// returns io.EOF. Stop is safe to call more than once.
func (e *TLSEndpoint) Stop() {
	if !e.started || e.ended {
		return
	}
	e.raw.closed = true
	e.raw.wake <- struct{}{}
	<-e.raw.park
}

// Output takes the records written since the last call.
func (e *TLSEndpoint) Output() []byte {
	b := e.raw.out
	e.raw.out = nil
	return b
}

// Plaintext takes the application data decrypted since the last call.
func (e *TLSEndpoint) Plaintext() []byte {
	b := e.plain
	e.plain = nil
	return b
}

// HandshakeComplete reports whether the handshake finished.
func (e *TLSEndpoint) HandshakeComplete() bool { return e.complete }

// HandshakeErr returns why the handshake failed, or nil.
func (e *TLSEndpoint) HandshakeErr() error { return e.hsErr }

// ReadErr returns why reading ended after the handshake (io.EOF after the
// peer's close_notify), or nil.
func (e *TLSEndpoint) ReadErr() error { return e.readErr }

// Ended reports whether the endpoint's goroutine has ended.
func (e *TLSEndpoint) Ended() bool { return e.ended }

// ConnectionState returns the library's view of the connection: version,
// cipher suite, peer certificates. Call it only between hand-overs.
func (e *TLSEndpoint) ConnectionState() tls.ConnectionState { return e.conn.ConnectionState() }

// keyLog receives the library's key log lines (NSS key log format:
// "LABEL <client random hex> <secret hex>\n"), keeps the secrets and
// passes the lines on.
type keyLog struct {
	e    *TLSEndpoint
	next io.Writer
}

func (k *keyLog) Write(p []byte) (int, error) {
	f := bytes.Fields(p)
	if len(f) == 3 {
		if s, err := hex.DecodeString(string(f[2])); err == nil {
			k.e.secrets[string(f[0])] = s
		}
	}
	if k.next != nil {
		return k.next.Write(p)
	}
	return len(p), nil
}

// lockConn is the in-memory net.Conn under the library: Read hands control
// back to the caller when nothing is left to read; Write keeps the octets
// for Output.
type lockConn struct {
	in, out []byte
	closed  bool
	wake    chan struct{} // the caller lets the goroutine run
	park    chan struct{} // the goroutine waits (or has ended)
}

func (c *lockConn) Read(b []byte) (int, error) {
	for len(c.in) == 0 {
		if c.closed {
			return 0, io.EOF
		}
		c.park <- struct{}{}
		<-c.wake
	}
	n := copy(b, c.in)
	c.in = c.in[n:]
	if len(c.in) == 0 {
		c.in = nil
	}
	return n, nil
}

func (c *lockConn) Write(b []byte) (int, error) {
	if c.closed {
		return 0, net.ErrClosed
	}
	c.out = append(c.out, b...)
	return len(b), nil
}

// Close marks the connection closed; the goroutine sees it at its next
// Read.
func (c *lockConn) Close() error                     { c.closed = true; return nil }
func (c *lockConn) LocalAddr() net.Addr              { return simAddr{} }
func (c *lockConn) RemoteAddr() net.Addr             { return simAddr{} }
func (c *lockConn) SetDeadline(time.Time) error      { return nil }
func (c *lockConn) SetReadDeadline(time.Time) error  { return nil }
func (c *lockConn) SetWriteDeadline(time.Time) error { return nil }

type simAddr struct{}

func (simAddr) Network() string { return "osisim" }
func (simAddr) String() string  { return "osisim" }
