package transport

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/osisim/osisim/layers"
	"github.com/osisim/osisim/layers/layerstest"
)

// nodeEnv shares one manual clock between the two endpoints of a test and
// names the node in every event it records.
type nodeEnv struct {
	*layerstest.Env
	name string
}

func (e nodeEnv) Record(ev layers.Event) {
	ev.Node = e.name
	e.Env.Record(ev)
}

// fate is what the fake network does to one segment.
type fate struct {
	drop  bool
	dup   bool          // deliver a second copy right after the first
	extra time.Duration // added to the link delay (reordering)
}

// packet is a segment on the fake network.
type packet struct {
	from     string
	src, dst netip.Addr
	seg      Segment
	meta     layers.Meta
}

// fakeNet joins two TCP endpoints (or UDP ones) with a fixed one-way
// delay and lets a test drop, duplicate or delay chosen segments.
type fakeNet struct {
	env      *layerstest.Env
	delay    time.Duration
	hosts    map[netip.Addr]func(src, dst netip.Addr, b []byte, m layers.Meta)
	fault    func(p *packet) fate
	log      []string
	keepLog  bool
	sent     []packet // every segment handed to the network, if keepLog
	free     [][]byte
	inFlight int
}

type port struct {
	n    *fakeNet
	name string
}

func (p port) SendSegment(src, dst netip.Addr, b []byte, m layers.Meta) {
	n := p.n
	pk := packet{from: p.name, src: src, dst: dst, meta: m}
	var f fate
	if n.fault != nil || n.keepLog {
		s, err := Parse(b, src, dst)
		if err != nil {
			panic(fmt.Sprintf("%s sent a segment that does not parse: %v", p.name, err))
		}
		pk.seg = s
		if n.fault != nil {
			f = n.fault(&pk)
		}
		if n.keepLog {
			line := fmt.Sprintf("%5dms %s %s", n.env.Now().Milliseconds(), p.name, s.Summary())
			if m.Cause != "" {
				line += " (" + m.Cause + ")"
			}
			if f.drop {
				line += " LOST"
			}
			n.log = append(n.log, line)
			pk.seg.Payload = append([]byte(nil), s.Payload...)
			pk.seg.Options = nil
			n.sent = append(n.sent, pk)
		}
	}
	if f.drop {
		return
	}
	copies := 1
	if f.dup {
		copies = 2
	}
	deliver := n.hosts[dst]
	for range copies {
		var c []byte
		if k := len(n.free); k > 0 {
			c, n.free = n.free[k-1][:0], n.free[:k-1]
		}
		c = append(c, b...)
		n.inFlight++
		n.env.After(n.delay+f.extra, func() {
			n.inFlight--
			deliver(src, dst, c, m)
			n.free = append(n.free, c)
		})
	}
}

// pair is a client and a server TCP on one fake network.
type pair struct {
	t        testing.TB
	env      *layerstest.Env
	net      *fakeNet
	cli, srv *TCP
	lastCli  *Conn // the connection transfer dialed
}

var (
	cliAddr = netip.MustParseAddr("192.168.1.10")
	srvAddr = netip.MustParseAddr("10.1.1.2")
)

func fixedISN(v uint32) func() uint32 { return func() uint32 { return v } }

func newPair(t testing.TB, seed uint64, cc, sc Config) *pair {
	env := layerstest.New("net", seed)
	n := &fakeNet{env: env, delay: 10 * time.Millisecond, keepLog: true}
	p := &pair{t: t, env: env, net: n}
	p.cli = NewTCP(nodeEnv{env, "client"}, cc, port{n, "client"})
	p.srv = NewTCP(nodeEnv{env, "server"}, sc, port{n, "server"})
	n.hosts = map[netip.Addr]func(src, dst netip.Addr, b []byte, m layers.Meta){
		cliAddr: p.cli.HandleSegment,
		srvAddr: p.srv.HandleSegment,
	}
	return p
}

// events returns "node dir: text" for the transport events of node
// whose direction is one of dirs (all if none).
func (p *pair) events(node string, dirs ...layers.Dir) []string {
	var out []string
	for _, ev := range p.env.Events {
		if ev.Node != node {
			continue
		}
		if len(dirs) > 0 && !containsDir(dirs, ev.Dir) {
			continue
		}
		s := ev.Dir.String() + ": " + ev.Text
		if ev.Reason != "" {
			s += " [" + string(ev.Reason) + "]"
		}
		out = append(out, s)
	}
	return out
}

func containsDir(ds []layers.Dir, d layers.Dir) bool {
	for _, x := range ds {
		if x == d {
			return true
		}
	}
	return false
}

// find returns the events whose text contains sub.
func (p *pair) find(node, sub string) []layers.Event {
	var out []layers.Event
	for _, ev := range p.env.Events {
		if ev.Node == node && strings.Contains(ev.Text, sub) {
			out = append(out, ev)
		}
	}
	return out
}

func (p *pair) dump() string {
	return strings.Join(p.net.log, "\n") + "\n---\n" + strings.Join(p.env.Texts(), "\n")
}

// sink is an application that reads everything that arrives, optionally
// only when told to, and remembers how the connection ended.
type sink struct {
	conn       *Conn
	got        bytes.Buffer
	paused     bool
	peerClosed bool
	closed     bool
	err        error
	closeOnEOF bool
	buf        [4096]byte
}

func (s *sink) handler() Handler {
	return Handler{
		Established: func(c *Conn) { s.conn = c },
		Readable:    func(c *Conn) { s.drain() },
		PeerClosed: func(c *Conn) {
			s.peerClosed = true
			if s.closeOnEOF {
				c.Close()
			}
		},
		Closed: func(c *Conn, err error) { s.closed, s.err = true, err },
	}
}

func (s *sink) drain() {
	if s.paused || s.conn == nil {
		return
	}
	for {
		n := s.conn.Read(s.buf[:])
		if n == 0 {
			return
		}
		s.got.Write(s.buf[:n])
	}
}

// source is an application that writes data as the send buffer allows,
// each chunk of chunk bytes as one upper-layer PDU, then closes if told.
type source struct {
	sink
	data    []byte
	off     int
	chunk   int
	closeAt bool // Close after the last byte is written
}

func (s *source) handler() Handler {
	h := s.sink.handler()
	h.Established = func(c *Conn) { s.conn = c; s.pump() }
	h.Writable = func(c *Conn) { s.pump() }
	return h
}

func (s *source) pump() {
	for s.off < len(s.data) {
		end := len(s.data)
		if s.chunk > 0 {
			end = min(end, (s.off/s.chunk+1)*s.chunk)
		}
		id := uint64(1001)
		if s.chunk > 0 {
			id += uint64(s.off / s.chunk)
		}
		want := end - s.off
		n := s.conn.Write(s.data[s.off:end], id)
		s.off += n
		if n < want {
			return
		}
	}
	if s.closeAt {
		s.closeAt = false
		s.conn.Close()
	}
}

func randomBytes(seed uint64, n int) []byte {
	rng := rand.New(rand.NewPCG(seed, 7))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(rng.Uint32())
	}
	return b
}

// transfer runs a one-way transfer of data from client to server over p
// and returns the server's sink and the client's source.
func (p *pair) transfer(data []byte, closeAfter bool) (*source, *sink) {
	p.t.Helper()
	srv := &sink{closeOnEOF: true}
	if err := p.srv.Listen(110, func(c *Conn) { c.SetHandler(srv.handler()) }); err != nil {
		p.t.Fatal(err)
	}
	cli := &source{data: data, chunk: 3000, closeAt: closeAfter}
	c, err := p.cli.Dial(cliAddr, netip.AddrPortFrom(srvAddr, 110), cli.handler())
	if err != nil {
		p.t.Fatal(err)
	}
	p.lastCli = c
	return cli, srv
}

// cliConn returns the client's connection, open or closed, from the
// first segment it sent.
func (p *pair) cliConn() *Conn { return p.lastCli }
