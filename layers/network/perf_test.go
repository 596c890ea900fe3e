package network

import (
	"net/netip"
	"testing"

	"github.com/osisim/osisim/layers"
	"github.com/osisim/osisim/layers/datalink"
	"github.com/osisim/osisim/layers/layerstest"
)

// quietEnv is a layerstest.Env with no recorder, as in a run whose trace
// nobody reads.
type quietEnv struct{ *layerstest.Env }

func (quietEnv) Tracing() bool       { return false }
func (quietEnv) Record(layers.Event) {}

type nopLink struct{}

func (nopLink) SendFrame(int, datalink.MAC, datalink.EtherType, []byte, layers.Meta) {}

type nopUpper struct{}

func (nopUpper) Deliver(Datagram, layers.Meta)             {}
func (nopUpper) DeliverICMP(netip.Addr, ICMP, layers.Meta) {}

// warmStack returns a stack whose ARP cache knows the host, the router and
// the server.
func warmStack(tb testing.TB, cfg Config, env layers.Env, up Upper) *Stack {
	tb.Helper()
	s, err := NewStack(env, cfg, nopLink{}, up)
	if err != nil {
		tb.Fatal(err)
	}
	for i, in := range s.ifaces {
		for _, n := range []struct {
			mac datalink.MAC
			ip  string
		}{{macHost, "10.0.1.10"}, {macRouter, "10.0.1.1"}, {macServer, "10.0.2.110"}} {
			if in.net.Contains(addr(n.ip)) && in.addr != addr(n.ip) {
				s.HandleFrame(i, n.mac, datalink.EtherTypeARP, arpBytes(ARPRequest, n.mac, n.ip, datalink.MAC{}, in.addr.String()), layers.Meta{})
			}
		}
	}
	return s
}

func TestHotPathAllocations(t *testing.T) {
	payload := make([]byte, 1460)
	host := warmStack(t, hostConfig(), quietEnv{layerstest.New("h", 1)}, nopUpper{})
	if n := testing.AllocsPerRun(200, func() {
		_ = host.Send(addr("10.0.2.110"), ProtoTCP, payload, layers.Meta{ID: 1})
	}); n > 0 {
		t.Errorf("Send: %.1f allocations, want 0", n)
	}
	in := datagram("10.0.2.110", "10.0.1.10", 62, ProtoTCP, payload)
	if n := testing.AllocsPerRun(200, func() {
		host.HandleFrame(0, macRouter, datalink.EtherTypeIPv4, in, layers.Meta{ID: 1})
	}); n > 0 {
		t.Errorf("HandleFrame (deliver): %.1f allocations, want 0", n)
	}
	router := warmStack(t, routerConfig(), quietEnv{layerstest.New("r", 1)}, nil)
	fwd := datagram("10.0.1.10", "10.0.2.110", 64, ProtoTCP, payload)
	if n := testing.AllocsPerRun(200, func() {
		router.HandleFrame(0, macHost, datalink.EtherTypeIPv4, fwd, layers.Meta{ID: 1})
	}); n > 0 {
		t.Errorf("HandleFrame (forward): %.1f allocations, want 0", n)
	}
}

func BenchmarkSend(b *testing.B) {
	s := warmStack(b, hostConfig(), quietEnv{layerstest.New("h", 1)}, nopUpper{})
	payload := make([]byte, 1460)
	b.ReportAllocs()
	for b.Loop() {
		_ = s.Send(addr("10.0.2.110"), ProtoTCP, payload, layers.Meta{ID: 1})
	}
}

func BenchmarkSendTraced(b *testing.B) {
	env := layerstest.New("h", 1)
	s := warmStack(b, hostConfig(), env, nopUpper{})
	payload := make([]byte, 1460)
	b.ReportAllocs()
	for b.Loop() {
		_ = s.Send(addr("10.0.2.110"), ProtoTCP, payload, layers.Meta{ID: 1})
		env.Events = env.Events[:0]
	}
}

func BenchmarkDeliver(b *testing.B) {
	s := warmStack(b, hostConfig(), quietEnv{layerstest.New("h", 1)}, nopUpper{})
	in := datagram("10.0.2.110", "10.0.1.10", 62, ProtoTCP, make([]byte, 1460))
	b.ReportAllocs()
	for b.Loop() {
		s.HandleFrame(0, macRouter, datalink.EtherTypeIPv4, in, layers.Meta{ID: 1})
	}
}

func BenchmarkForward(b *testing.B) {
	s := warmStack(b, routerConfig(), quietEnv{layerstest.New("r", 1)}, nil)
	in := datagram("10.0.1.10", "10.0.2.110", 64, ProtoTCP, make([]byte, 1460))
	b.ReportAllocs()
	for b.Loop() {
		s.HandleFrame(0, macHost, datalink.EtherTypeIPv4, in, layers.Meta{ID: 1})
	}
}

func BenchmarkParse(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_, _ = Parse(fixSYN)
	}
}

func BenchmarkAppend(b *testing.B) {
	d, _ := Parse(fixSYN)
	buf := make([]byte, 0, 128)
	b.ReportAllocs()
	for b.Loop() {
		buf = d.Append(buf[:0])
	}
}

func TestFragmentAllocations(t *testing.T) {
	cfg := routerConfig()
	cfg.Interfaces[1].MTU = 576
	router := warmStack(t, cfg, quietEnv{layerstest.New("r", 1)}, nil)
	fwd := datagram("10.0.1.10", "10.0.2.110", 64, ProtoTCP, make([]byte, 1480))
	if n := testing.AllocsPerRun(200, func() {
		router.HandleFrame(0, macHost, datalink.EtherTypeIPv4, fwd, layers.Meta{ID: 1})
	}); n > 0 {
		t.Errorf("HandleFrame (forward in 3 fragments): %.1f allocations, want 0", n)
	}
}

// fragSink collects the fragments a stack sends, reusing its buffers.
type fragSink struct {
	bufs [][]byte
	n    int
}

func (l *fragSink) SendFrame(_ int, _ datalink.MAC, _ datalink.EtherType, payload []byte, _ layers.Meta) {
	if l.n == len(l.bufs) {
		l.bufs = append(l.bufs, nil)
	}
	l.bufs[l.n] = append(l.bufs[l.n][:0], payload...)
	l.n++
}

// BenchmarkFragmentReassemble cuts a 1500-octet datagram into three for a
// 576-octet link and reassembles it at the other end.
func BenchmarkFragmentReassemble(b *testing.B) {
	cfg := hostConfig()
	cfg.Interfaces[0].MTU = 576
	sink := &fragSink{}
	env := quietEnv{layerstest.New("h", 1)}
	sender, err := NewStack(env, cfg, sink, nil)
	if err != nil {
		b.Fatal(err)
	}
	recv := warmStack(b, Config{Interfaces: []Interface{{MAC: macServer, Addr: pfx("10.0.1.20/24")}}}, env, nopUpper{})
	d := datagram("10.0.1.10", "10.0.1.20", 64, ProtoTCP, make([]byte, 1480))
	b.ReportAllocs()
	for b.Loop() {
		sink.n = 0
		sender.transmit(0, macServer, d, layers.Meta{ID: 1})
		for _, f := range sink.bufs[:sink.n] {
			recv.HandleFrame(0, macHost, datalink.EtherTypeIPv4, f, layers.Meta{ID: 1})
		}
	}
}
