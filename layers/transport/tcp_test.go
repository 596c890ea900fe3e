package transport

import (
	"bytes"
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/osisim/osisim/layers"
)

// wireLog returns the fake network's log with the client's random port
// replaced by CPORT.
func (p *pair) wireLog(c *Conn) []string {
	port := strconv.Itoa(int(c.LocalAddr().Port()))
	out := make([]string, len(p.net.log))
	for i, l := range p.net.log {
		out[i] = strings.ReplaceAll(l, port, "CPORT")
	}
	return out
}

func TestHandshakeAndCloses(t *testing.T) {
	tests := []struct {
		name       string
		run        func(p *pair) (cli, srv *sink)
		wire       []string
		cliStates  []string
		srvStates  []string
		cliClosed  time.Duration // when the client reached CLOSED
		srvClosed  time.Duration
		cliPeerEOF bool
	}{
		{
			name: "client closes actively, server passively",
			run: func(p *pair) (*sink, *sink) {
				cli, srv := p.transfer([]byte("QUIT\r\n"), true)
				return &cli.sink, srv
			},
			wire: []string{
				"    0ms client TCP CPORT > 110 [SYN] seq=1000 win=65535 mss=1460",
				"   10ms server TCP 110 > CPORT [SYN, ACK] seq=5000 ack=1001 win=65535 mss=1460",
				"   20ms client TCP CPORT > 110 [ACK] seq=1001 ack=5001 win=65535",
				"   20ms client TCP CPORT > 110 [FIN, PSH, ACK] seq=1001 ack=5001 win=65535 len=6",
				"   30ms server TCP 110 > CPORT [ACK] seq=5001 ack=1008 win=65529",
				"   30ms server TCP 110 > CPORT [FIN, ACK] seq=5001 ack=1008 win=65535",
				"   40ms client TCP CPORT > 110 [ACK] seq=1008 ack=5002 win=65535",
			},
			cliStates: []string{
				"CLOSED -> SYN-SENT: active open from port CPORT to 10.1.1.2:110",
				"SYN-SENT -> ESTABLISHED: SYN-ACK received",
				"ESTABLISHED -> FIN-WAIT-1: Close called: FIN follows the queued data",
				"FIN-WAIT-1 -> FIN-WAIT-2: our FIN was acknowledged",
				"FIN-WAIT-2 -> TIME-WAIT: the peer's FIN arrived; waiting 2*MSL = 60.000 s",
				"TIME-WAIT -> CLOSED: connection closed",
			},
			srvStates: []string{
				"CLOSED -> LISTEN: passive open on port 110(pop3)",
				"LISTEN -> SYN-RECEIVED: SYN from 192.168.1.10:CPORT on port 110(pop3)",
				"SYN-RECEIVED -> ESTABLISHED: ACK of our SYN-ACK received",
				"ESTABLISHED -> CLOSE-WAIT: the peer's FIN arrived: it will send no more data",
				"CLOSE-WAIT -> LAST-ACK: Close called after the peer's FIN: FIN follows the queued data",
				"LAST-ACK -> CLOSED: our FIN was acknowledged",
			},
			cliClosed:  60*time.Second + 40*time.Millisecond,
			srvClosed:  50 * time.Millisecond,
			cliPeerEOF: true,
		},
		{
			name: "server closes actively after its greeting, client passively",
			run: func(p *pair) (*sink, *sink) {
				srv := &source{data: []byte("+OK\r\n"), closeAt: true}
				if err := p.srv.Listen(110, func(c *Conn) { c.SetHandler(srv.handler()) }); err != nil {
					t.Fatal(err)
				}
				cli := &sink{closeOnEOF: true}
				if _, err := p.cli.Dial(cliAddr, netip.AddrPortFrom(srvAddr, 110), cli.handler()); err != nil {
					t.Fatal(err)
				}
				return cli, &srv.sink
			},
			wire: []string{
				"    0ms client TCP CPORT > 110 [SYN] seq=1000 win=65535 mss=1460",
				"   10ms server TCP 110 > CPORT [SYN, ACK] seq=5000 ack=1001 win=65535 mss=1460",
				"   20ms client TCP CPORT > 110 [ACK] seq=1001 ack=5001 win=65535",
				"   30ms server TCP 110 > CPORT [FIN, PSH, ACK] seq=5001 ack=1001 win=65535 len=5",
				"   40ms client TCP CPORT > 110 [ACK] seq=1001 ack=5007 win=65530",
				"   40ms client TCP CPORT > 110 [FIN, ACK] seq=1001 ack=5007 win=65535",
				"   50ms server TCP 110 > CPORT [ACK] seq=5007 ack=1002 win=65535",
			},
			cliStates: []string{
				"CLOSED -> SYN-SENT: active open from port CPORT to 10.1.1.2:110",
				"SYN-SENT -> ESTABLISHED: SYN-ACK received",
				"ESTABLISHED -> CLOSE-WAIT: the peer's FIN arrived: it will send no more data",
				"CLOSE-WAIT -> LAST-ACK: Close called after the peer's FIN: FIN follows the queued data",
				"LAST-ACK -> CLOSED: our FIN was acknowledged",
			},
			srvStates: []string{
				"CLOSED -> LISTEN: passive open on port 110(pop3)",
				"LISTEN -> SYN-RECEIVED: SYN from 192.168.1.10:CPORT on port 110(pop3)",
				"SYN-RECEIVED -> ESTABLISHED: ACK of our SYN-ACK received",
				"ESTABLISHED -> FIN-WAIT-1: Close called: FIN follows the queued data",
				"FIN-WAIT-1 -> FIN-WAIT-2: our FIN was acknowledged",
				"FIN-WAIT-2 -> TIME-WAIT: the peer's FIN arrived; waiting 2*MSL = 60.000 s",
				"TIME-WAIT -> CLOSED: connection closed",
			},
			cliClosed:  60 * time.Millisecond,
			srvClosed:  60*time.Second + 50*time.Millisecond,
			cliPeerEOF: true,
		},
		{
			name: "simultaneous close",
			run: func(p *pair) (*sink, *sink) {
				srv := &sink{}
				if err := p.srv.Listen(110, func(c *Conn) { c.SetHandler(srv.handler()) }); err != nil {
					t.Fatal(err)
				}
				cli := &sink{}
				if _, err := p.cli.Dial(cliAddr, netip.AddrPortFrom(srvAddr, 110), cli.handler()); err != nil {
					t.Fatal(err)
				}
				p.env.After(100*time.Millisecond, func() { cli.conn.Close(); srv.conn.Close() })
				return cli, srv
			},
			wire: []string{
				"    0ms client TCP CPORT > 110 [SYN] seq=1000 win=65535 mss=1460",
				"   10ms server TCP 110 > CPORT [SYN, ACK] seq=5000 ack=1001 win=65535 mss=1460",
				"   20ms client TCP CPORT > 110 [ACK] seq=1001 ack=5001 win=65535",
				"  100ms client TCP CPORT > 110 [FIN, ACK] seq=1001 ack=5001 win=65535",
				"  100ms server TCP 110 > CPORT [FIN, ACK] seq=5001 ack=1001 win=65535",
				"  110ms server TCP 110 > CPORT [ACK] seq=5002 ack=1002 win=65535",
				"  110ms client TCP CPORT > 110 [ACK] seq=1002 ack=5002 win=65535",
			},
			cliStates: []string{
				"CLOSED -> SYN-SENT: active open from port CPORT to 10.1.1.2:110",
				"SYN-SENT -> ESTABLISHED: SYN-ACK received",
				"ESTABLISHED -> FIN-WAIT-1: Close called: FIN follows the queued data",
				"FIN-WAIT-1 -> CLOSING: the peer's FIN crossed ours (simultaneous close)",
				"CLOSING -> TIME-WAIT: our FIN was acknowledged; waiting 2*MSL = 60.000 s",
				"TIME-WAIT -> CLOSED: connection closed",
			},
			srvStates: []string{
				"CLOSED -> LISTEN: passive open on port 110(pop3)",
				"LISTEN -> SYN-RECEIVED: SYN from 192.168.1.10:CPORT on port 110(pop3)",
				"SYN-RECEIVED -> ESTABLISHED: ACK of our SYN-ACK received",
				"ESTABLISHED -> FIN-WAIT-1: Close called: FIN follows the queued data",
				"FIN-WAIT-1 -> CLOSING: the peer's FIN crossed ours (simultaneous close)",
				"CLOSING -> TIME-WAIT: our FIN was acknowledged; waiting 2*MSL = 60.000 s",
				"TIME-WAIT -> CLOSED: connection closed",
			},
			cliClosed:  60*time.Second + 120*time.Millisecond,
			srvClosed:  60*time.Second + 120*time.Millisecond,
			cliPeerEOF: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newPair(t, 1, Config{ISN: fixedISN(1000)}, Config{ISN: fixedISN(5000)})
			var cliClosedAt, srvClosedAt time.Duration
			cli, srv := tt.run(p)
			p.env.Run(1000)
			conn := cli.conn
			if conn == nil {
				t.Fatalf("client never established:\n%s", p.dump())
			}
			if diff := cmp.Diff(tt.wire, p.wireLog(conn)); diff != "" {
				t.Errorf("wire (-want +got):\n%s", diff)
			}
			port := strconv.Itoa(int(conn.LocalAddr().Port()))
			for _, side := range []struct {
				node string
				want []string
				at   time.Duration
				got  *time.Duration
			}{{"client", tt.cliStates, tt.cliClosed, &cliClosedAt}, {"server", tt.srvStates, tt.srvClosed, &srvClosedAt}} {
				var got []string
				for _, ev := range p.env.Events {
					if ev.Node == side.node && ev.Dir == layers.State {
						got = append(got, strings.ReplaceAll(ev.Text, port, "CPORT"))
						if strings.HasSuffix(ev.Text, "") && strings.Contains(ev.Text, "-> CLOSED") {
							*side.got = ev.Time
						}
					}
				}
				if diff := cmp.Diff(side.want, got); diff != "" {
					t.Errorf("%s states (-want +got):\n%s", side.node, diff)
				}
				if *side.got != side.at {
					t.Errorf("%s reached CLOSED at %v, want %v", side.node, *side.got, side.at)
				}
			}
			for _, s := range []*sink{cli, srv} {
				if !s.closed || s.err != nil {
					t.Errorf("Closed callback: called %v, err %v; want called with nil", s.closed, s.err)
				}
			}
			if cli.peerClosed != tt.cliPeerEOF {
				t.Errorf("client PeerClosed = %v", cli.peerClosed)
			}
			if p.cli.Conns() != 0 || p.srv.Conns() != 0 {
				t.Errorf("connections left: client %d, server %d", p.cli.Conns(), p.srv.Conns())
			}
		})
	}
}

func TestRefusedByClosedPort(t *testing.T) {
	p := newPair(t, 1, Config{ISN: fixedISN(1000)}, Config{})
	cli := &sink{}
	conn, err := p.cli.Dial(cliAddr, netip.AddrPortFrom(srvAddr, 23), cli.handler())
	if err != nil {
		t.Fatal(err)
	}
	p.env.Run(100)
	want := []string{
		"    0ms client TCP CPORT > 23 [SYN] seq=1000 win=65535 mss=1460",
		"   10ms server TCP 23 > CPORT [RST, ACK] seq=0 ack=1001 win=0 (port 23 closed)",
	}
	if diff := cmp.Diff(want, p.wireLog(conn)); diff != "" {
		t.Errorf("wire (-want +got):\n%s", diff)
	}
	wantSrv := []string{"drop: port 23 closed: answered RST [port-closed]"}
	if diff := cmp.Diff(wantSrv, p.events("server")); diff != "" {
		t.Errorf("server events (-want +got):\n%s", diff)
	}
	if !errors.Is(cli.err, ErrRefused) || !cli.closed {
		t.Errorf("Closed err = %v, want ErrRefused", cli.err)
	}
	if conn.State() != Closed || p.cli.Conns() != 0 {
		t.Errorf("state %v, %d connections left", conn.State(), p.cli.Conns())
	}
	if got := p.events("client", layers.State); got[len(got)-1] != "state: SYN-SENT -> CLOSED: the peer answered our SYN with RST: connection refused" {
		t.Errorf("last client state event: %q", got[len(got)-1])
	}
}

func TestStraySegmentsAnsweredWithRST(t *testing.T) {
	p := newPair(t, 1, Config{}, Config{})
	if err := p.srv.Listen(110, nil); err != nil {
		t.Fatal(err)
	}
	from := netip.AddrPortFrom(cliAddr, 50000)
	p.inject(from, 110, Segment{Seq: 77, Ack: 1234, Flags: ACK, Payload: []byte("hi")})
	p.inject(from, 111, Segment{Seq: 77, Flags: PSH, Payload: []byte("hi")})
	p.inject(from, 111, Segment{Seq: 77, Flags: RST})
	want := []string{
		"    0ms server TCP 110 > 50000 [RST] seq=1234 win=0 (no connection from 192.168.1.10:50000 on port 110)",
		"    0ms server TCP 111 > 50000 [RST, ACK] seq=0 ack=79 win=0 (port 111 closed)",
	}
	if diff := cmp.Diff(want, p.net.log); diff != "" {
		t.Errorf("wire (-want +got):\n%s", diff)
	}
	wantEv := []string{
		"state: CLOSED -> LISTEN: passive open on port 110(pop3)",
		"drop: no connection from 192.168.1.10:50000 on port 110: answered RST [no-connection]",
		"drop: port 111 closed: answered RST [port-closed]",
		"drop: port 111 closed: RST for no connection ignored [no-connection]",
	}
	if diff := cmp.Diff(wantEv, p.events("server")); diff != "" {
		t.Errorf("server events (-want +got):\n%s", diff)
	}
}

// inject hands the server a segment from the given client address as if
// it came from IP.
func (p *pair) inject(from netip.AddrPort, dport uint16, s Segment) {
	s.SrcPort, s.DstPort = from.Port(), dport
	p.srv.HandleSegment(from.Addr(), srvAddr, s.Append(nil, from.Addr(), srvAddr), layers.Meta{ID: 999})
}

func TestBadChecksumDropped(t *testing.T) {
	p := newPair(t, 1, Config{}, Config{})
	b := Segment{SrcPort: 1, DstPort: 110, Flags: SYN}.Append(nil, cliAddr, srvAddr)
	b[5] ^= 0x10
	p.srv.HandleSegment(cliAddr, srvAddr, b, layers.Meta{})
	p.srv.HandleSegment(cliAddr, srvAddr, b[:10], layers.Meta{})
	want := []string{
		"drop: segment dropped: transport: checksum mismatch: TCP header says 0x" + fmt.Sprintf("%02x%02x", b[16], b[17]) + ", the segment sums to " +
			fmt.Sprintf("0x%04x", Segment{SrcPort: 1, DstPort: 110, Flags: SYN, Seq: 0x100000}.Append(nil, cliAddr, srvAddr)[16:18]) + " [bad-checksum]",
		"drop: segment dropped: transport: TCP segment too short: 10 bytes, need at least 20 [malformed]",
	}
	if diff := cmp.Diff(want, p.events("server")); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
	if len(p.net.log) != 0 {
		t.Errorf("a damaged segment was answered: %v", p.net.log)
	}
}

func TestTransfer1MiB(t *testing.T) {
	// The server advertises MSS 1000, so the client's segments carry at
	// most min(1460, 1000) bytes.
	p := newPair(t, 2, Config{ISN: fixedISN(1000)}, Config{MSS: 1000})
	data := randomBytes(1, 1<<20)
	cli, srv := p.transfer(data, true)
	p.env.Run(1_000_000)
	if !bytes.Equal(srv.got.Bytes(), data) {
		t.Fatalf("server received %d bytes, want the %d sent", srv.got.Len(), len(data))
	}
	if cli.conn.MSS() != 1000 {
		t.Errorf("effective MSS = %d, want 1000", cli.conn.MSS())
	}
	full := 0
	for _, pk := range p.net.sent {
		if pk.from != "client" || len(pk.seg.Payload) == 0 {
			continue
		}
		n := len(pk.seg.Payload)
		if n > 1000 {
			t.Fatalf("segment of %d bytes exceeds the MSS", n)
		}
		if n == 1000 {
			full++
		}
		// Each 3000-byte Write is PDU 1001, 1002, ...: the segment lists
		// exactly the writes its bytes overlap.
		off := int(pk.seg.Seq - 1001)
		var want []uint64
		for id := off / 3000; id*3000 < off+n; id++ {
			want = append(want, uint64(1001+id))
		}
		if diff := cmp.Diff(want, pk.meta.Parents); diff != "" {
			t.Fatalf("Parents of segment at offset %d (-want +got):\n%s", off, diff)
		}
	}
	if want := len(data) / 1000; full != want {
		t.Errorf("%d full segments, want %d", full, want)
	}
	st := cli.conn.Stats()
	if st.BytesOut != int64(len(data)) || st.RetransmitsRTO+st.RetransmitsFast != 0 {
		t.Errorf("client stats %+v", st)
	}
	if !cli.closed || cli.err != nil || !srv.closed || srv.err != nil {
		t.Errorf("closes: client %v %v, server %v %v", cli.closed, cli.err, srv.closed, srv.err)
	}
}

func TestSlowReaderZeroWindow(t *testing.T) {
	p := newPair(t, 3, Config{ISN: fixedISN(0)}, Config{ISN: fixedISN(0)})
	data := randomBytes(2, 100_000)
	_, srv := p.transfer(data, true)
	srv.paused = true
	p.env.After(5*time.Second, func() { srv.paused = false; srv.drain() })
	p.env.Run(100_000)
	if !bytes.Equal(srv.got.Bytes(), data) {
		t.Fatalf("server received %d bytes, want %d", srv.got.Len(), len(data))
	}
	wantSrv := []string{
		"note: receive buffer full (65535 bytes not yet read by the application): advertising window 0",
		"drop: receive window is 0: 1 bytes at seq 65536 not accepted, answered ACK [unacceptable]",
		"drop: receive window is 0: 1 bytes at seq 65536 not accepted, answered ACK [unacceptable]",
		"note: window update: advertising window 65535 again after the application read data",
	}
	var got []string
	for _, e := range p.events("server", layers.Note, layers.Drop) {
		if strings.Contains(e, "window") && !strings.Contains(e, "effective MSS") {
			got = append(got, e)
		}
	}
	if diff := cmp.Diff(wantSrv, got); diff != "" {
		t.Errorf("server window events (-want +got):\n%s\n%s", diff, p.dump())
	}
	wantCli := []string{
		"note: peer's window (1295) too small for a segment: waiting, persist timer 1.000 s",
		"timer: persist timer 1.000 s expired: sending 1295 bytes into the small window",
		"note: peer's window is 0: sending stops, first zero-window probe in 1.000 s",
		"timer: persist timer 1.000 s expired: zero-window probe, 1 byte at seq 65536; next probe in 2.000 s",
		"timer: persist timer 2.000 s expired: zero-window probe, 1 byte at seq 65536; next probe in 4.000 s",
		"note: peer's window opened: 0 -> 65535, sending resumes",
	}
	got = nil
	for _, e := range p.events("client", layers.Note, layers.Timeout) {
		if (strings.Contains(e, "window") || strings.Contains(e, "persist")) && !strings.Contains(e, "effective MSS") {
			got = append(got, e)
		}
	}
	if diff := cmp.Diff(wantCli, got); diff != "" {
		t.Errorf("client window events (-want +got):\n%s", diff)
	}
	// The refused probe byte goes out again first: no hole, no timeout.
	if st := srv.conn.Stats(); st.OutOfOrderQueued != 0 || st.BytesIn != int64(len(data)) {
		t.Errorf("server stats %+v", st)
	}
	if st := p.cliConn().Stats(); st.RetransmitsRTO != 0 || st.ZeroWindowProbes != 2 {
		t.Errorf("client stats %+v", st)
	}
	// The probes leave at exactly 1 s and 1+2 s after the zero window
	// arrived.
	probes := p.find("client", "zero-window probe, 1 byte")
	zero := p.find("client", "peer's window is 0")[0].Time
	if len(probes) != 2 || probes[0].Time != zero+time.Second || probes[1].Time != zero+3*time.Second {
		t.Errorf("probes at %v after a zero window at %v", probes, zero)
	}
}
