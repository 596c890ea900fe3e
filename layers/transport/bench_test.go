package transport

import (
	"math/rand/v2"
	"net/netip"
	"testing"

	"github.com/osisim/osisim/layers"
	"github.com/osisim/osisim/layers/layerstest"
)

// quietEnv is a layerstest.Env that traces nothing, as a simulation run
// without a recorder.
type quietEnv struct{ *layerstest.Env }

func (quietEnv) Tracing() bool         { return false }
func (quietEnv) Record(e layers.Event) {}

// BenchmarkTransfer10MiB moves 10 MiB from client to server over the fake
// network with 1% random loss in both directions, handshake and close
// included.
func BenchmarkTransfer10MiB(b *testing.B) {
	data := randomBytes(1, 10<<20)
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	b.ReportAllocs()
	for i := range b.N {
		env := layerstest.New("net", uint64(i))
		rng := rand.New(rand.NewPCG(uint64(i), 1))
		n := &fakeNet{env: env, delay: 5e6}
		n.fault = func(*packet) fate { return fate{drop: rng.Float64() < 0.01} }
		cli := NewTCP(quietEnv{env}, Config{}, port{n, "client"})
		srv := NewTCP(quietEnv{env}, Config{}, port{n, "server"})
		n.hosts = map[netip.Addr]func(src, dst netip.Addr, b []byte, m layers.Meta){
			cliAddr: cli.HandleSegment,
			srvAddr: srv.HandleSegment,
		}
		sink := &sink{closeOnEOF: true}
		if err := srv.Listen(110, func(c *Conn) { c.SetHandler(sink.handler()) }); err != nil {
			b.Fatal(err)
		}
		src := &source{data: data, chunk: 64 << 10, closeAt: true}
		if _, err := cli.Dial(cliAddr, netip.AddrPortFrom(srvAddr, 110), src.handler()); err != nil {
			b.Fatal(err)
		}
		env.Run(1 << 30)
		if sink.got.Len() != len(data) || !src.closed {
			b.Fatalf("received %d of %d bytes", sink.got.Len(), len(data))
		}
	}
}
