package transport

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/osisim/osisim/layers"
)

func ms(f float64) time.Duration { return time.Duration(f * float64(time.Millisecond)) }

// TestRTOGolden checks RFC 6298 2.2-2.3 on samples worked out by hand:
//
//	R=100ms: SRTT=100, RTTVAR=50, RTO=100+4*50=300
//	R=200ms: RTTVAR=3/4*50+1/4*|100-200|=62.5, SRTT=7/8*100+1/8*200=112.5, RTO=112.5+250=362.5
//	R=100ms: RTTVAR=3/4*62.5+1/4*12.5=50, SRTT=7/8*112.5+1/8*100=110.9375, RTO=110.9375+200=310.9375
//	R=0:     RTTVAR=3/4*50+1/4*110.9375=65.234375, SRTT=7/8*110.9375=97.0703125, RTO=97.0703125+260.9375=358.0078125
func TestRTOGolden(t *testing.T) {
	type step struct{ srtt, rttvar, rto time.Duration }
	var e rttEstimator
	e.init(time.Second, time.Millisecond, 60*time.Second)
	if e.rto != time.Second {
		t.Fatalf("initial RTO %v", e.rto)
	}
	var got []step
	for _, r := range []time.Duration{ms(100), ms(200), ms(100), 0} {
		e.sample(r)
		got = append(got, step{e.srtt, e.rttvar, e.rto})
	}
	want := []step{
		{ms(100), ms(50), ms(300)},
		{ms(112.5), ms(62.5), ms(362.5)},
		{ms(110.9375), ms(50), ms(310.9375)},
		{ms(97.0703125), ms(65.234375), ms(358.0078125)},
	}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(step{})); diff != "" {
		t.Errorf("SRTT/RTTVAR/RTO (-want +got):\n%s", diff)
	}

	// G, the clock granularity, is the floor of the variance term: a
	// constant 0 RTT gives RTO = 0 + max(1 ms, 0).
	var g rttEstimator
	g.init(time.Second, time.Nanosecond, time.Minute)
	g.sample(0)
	if g.rto != ClockGranularity {
		t.Errorf("RTO for R=0 is %v, want G=%v", g.rto, ClockGranularity)
	}

	// The minimum RTO (RFC 6298 2.4) applies, and backoff doubles up to the
	// maximum (5.5, 2.5).
	var b rttEstimator
	b.init(time.Second, time.Second, 60*time.Second)
	b.sample(ms(20))
	var rtos []time.Duration
	for range 8 {
		rtos = append(rtos, b.rto)
		b.backoff()
	}
	wantRTO := []time.Duration{1e9, 2e9, 4e9, 8e9, 16e9, 32e9, 60e9, 60e9}
	if diff := cmp.Diff(wantRTO, rtos); diff != "" {
		t.Errorf("backoff (-want +got):\n%s", diff)
	}
}

func TestRTOBackoffAndGiveUp(t *testing.T) {
	p := newPair(t, 1, Config{ISN: fixedISN(0), MaxRetries: 3}, Config{ISN: fixedISN(0)})
	// Every data segment from the client is lost; the handshake is not.
	p.net.fault = func(pk *packet) fate { return fate{drop: pk.from == "client" && len(pk.seg.Payload) > 0} }
	cli, _ := p.transfer([]byte("RETR 1\r\n"), false)
	if n := p.env.Run(10_000); n >= 10_000 {
		t.Fatalf("timers still firing after %d: the connection hangs", n)
	}
	var got []string
	for _, ev := range p.env.Events {
		if ev.Node == "client" && (ev.Dir == layers.Timeout || ev.Dir == layers.State) {
			got = append(got, fmt.Sprintf("%v %s: %s", ev.Time, ev.Dir, ev.Text))
		}
	}
	port := fmt.Sprint(p.cliConn().LocalAddr().Port())
	want := []string{
		"0s state: CLOSED -> SYN-SENT: active open from port " + port + " to 10.1.1.2:110",
		"20ms state: SYN-SENT -> ESTABLISHED: SYN-ACK received",
		"1.02s timer: RTO 1.000 s expired for seq 1: retransmit, RTO now 2.000 s; ssthresh 2920, cwnd 1460 (retry 1 of 3)",
		"3.02s timer: RTO 2.000 s expired for seq 1: retransmit, RTO now 4.000 s; ssthresh 2920, cwnd 1460 (retry 2 of 3)",
		"7.02s timer: RTO 4.000 s expired for seq 1: retransmit, RTO now 8.000 s; ssthresh 2920, cwnd 1460 (retry 3 of 3)",
		"15.02s timer: RTO 8.000 s expired again: giving up, seq 1 was retransmitted 3 times (MaxRetries) without an acknowledgment",
		"15.02s state: ESTABLISHED -> CLOSED: connection timed out",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("client timeline (-want +got):\n%s", diff)
	}
	if !errors.Is(cli.err, ErrTimeout) {
		t.Fatalf("Closed err = %v, want ErrTimeout", cli.err)
	}
	if msg := cli.err.Error(); msg != "transport: connection timed out: the peer stopped acknowledging: seq 1 was retransmitted 3 times (MaxRetries) without an acknowledgment" {
		t.Errorf("error message %q", msg)
	}
	rtx := 0
	for _, l := range p.net.log {
		if strings.HasSuffix(l, "(RTO) LOST") {
			rtx++
		}
	}
	if st := p.cliConn().Stats(); rtx != 3 || st.RetransmitsRTO != 3 || st.Timeouts != 4 {
		t.Errorf("%d retransmissions on the wire, stats %+v", rtx, st)
	}
}

func TestSYNGiveUp(t *testing.T) {
	p := newPair(t, 1, Config{MaxRetries: 2}, Config{})
	p.net.fault = func(*packet) fate { return fate{drop: true} }
	var err error
	if _, e := p.cli.Dial(cliAddr, netip.AddrPortFrom(srvAddr, 110), Handler{Closed: func(_ *Conn, e error) { err = e }}); e != nil {
		t.Fatal(e)
	}
	p.env.Run(100)
	if !errors.Is(err, ErrTimeout) || !strings.Contains(err.Error(), "the SYN was retransmitted 2 times") {
		t.Fatalf("err = %v", err)
	}
	// SYN at 0, resent at 1 s and 3 s, given up at 7 s.
	if got := p.env.Now(); got != 7*time.Second {
		t.Errorf("gave up at %v, want 7s", got)
	}
}

func TestKarnsRule(t *testing.T) {
	p := newPair(t, 1, Config{ISN: fixedISN(0), MinRTO: 100 * time.Millisecond}, Config{ISN: fixedISN(0)})
	lost := false
	p.net.fault = func(pk *packet) fate {
		if pk.from == "client" && len(pk.seg.Payload) > 0 && !lost {
			lost = true
			return fate{drop: true}
		}
		return fate{}
	}
	srv := &sink{}
	if err := p.srv.Listen(110, func(c *Conn) { c.SetHandler(srv.handler()) }); err != nil {
		t.Fatal(err)
	}
	conn, err := p.cli.Dial(cliAddr, netip.AddrPortFrom(srvAddr, 110), Handler{})
	if err != nil {
		t.Fatal(err)
	}
	p.env.Advance(20 * time.Millisecond)
	// The handshake gave one sample of 20 ms: SRTT 20 ms, RTTVAR 10 ms,
	// RTO max(100 ms, 20+40 ms).
	if st := conn.Stats(); st.SRTT != ms(20) || st.RTO != ms(100) {
		t.Fatalf("after the handshake SRTT %v RTO %v", st.SRTT, st.RTO)
	}
	conn.Write(make([]byte, 100), 0) // sent at 20 ms, lost
	p.env.Advance(200 * time.Millisecond)
	// Resent at 120 ms after the RTO, acknowledged at 140 ms. Karn's rule:
	// the 120 ms (or 20 ms) this ACK suggests is ambiguous and not sampled,
	// and the backed-off RTO stays.
	if st := conn.Stats(); st.SRTT != ms(20) || st.RTO != ms(200) || st.RetransmitsRTO != 1 {
		t.Fatalf("after the retransmission: %+v", st)
	}
	conn.Write(make([]byte, 100), 0) // a fresh segment is timed again
	p.env.Advance(100 * time.Millisecond)
	// R=20 ms: RTTVAR=3/4*10=7.5 ms, SRTT=20 ms, RTO=max(100 ms, 20+30 ms).
	if st := conn.Stats(); st.SRTT != ms(20) || st.RTO != ms(100) {
		t.Fatalf("after a clean sample: SRTT %v RTO %v", st.SRTT, st.RTO)
	}
	if srv.got.Len() != 200 {
		t.Errorf("server got %d bytes", srv.got.Len())
	}
}

// dropFirst drops the first transmission of the client's data segment
// whose relative sequence number (ISN 0) is seq.
func dropFirst(seqs ...uint32) func(pk *packet) fate {
	done := map[uint32]bool{}
	return func(pk *packet) fate {
		if pk.from != "client" || len(pk.seg.Payload) == 0 {
			return fate{}
		}
		for _, s := range seqs {
			if pk.seg.Seq == s && !done[s] {
				done[s] = true
				return fate{drop: true}
			}
		}
		return fate{}
	}
}

func TestFastRetransmit(t *testing.T) {
	p := newPair(t, 1, Config{ISN: fixedISN(0)}, Config{ISN: fixedISN(0)})
	p.net.fault = dropFirst(1 + 2*1460) // the third segment
	data := randomBytes(3, 20*1460)
	_, srv := p.transfer(data, true)
	p.env.Run(10_000)
	if !bytes.Equal(srv.got.Bytes(), data) {
		t.Fatalf("server received %d bytes, want %d", srv.got.Len(), len(data))
	}
	var fast []string
	for _, l := range p.net.log {
		if strings.Contains(l, "(fast retransmit)") {
			fast = append(fast, l[strings.Index(l, "seq="):])
		}
	}
	if diff := cmp.Diff([]string{"seq=2921 ack=1 win=65535 len=1460 (fast retransmit)"}, fast); diff != "" {
		t.Errorf("fast retransmissions on the wire (-want +got):\n%s\n%s", diff, p.dump())
	}
	var notes []layers.Event
	for _, ev := range p.env.Events {
		if ev.Cause == "3 duplicate ACKs" {
			notes = append(notes, ev)
		}
	}
	if len(notes) != 1 || !strings.HasPrefix(notes[0].Text, "fast retransmit of seq 2921 after 3 duplicate ACKs") {
		t.Errorf("fast retransmit events: %+v", notes)
	}
	dups := p.find("client", "duplicate ACK #")
	if len(dups) < 2 || !strings.HasPrefix(dups[0].Text, "duplicate ACK #1 for seq 2921") {
		t.Errorf("duplicate ACK notes: %v", dups)
	}
	st := p.cliConn().Stats()
	if st.FastRetransmits != 1 || st.RetransmitsFast != 1 || st.RetransmitsRTO != 0 || st.Timeouts != 0 || st.DupAcksReceived < 3 {
		t.Errorf("client stats %+v", st)
	}
	if st := srv.conn.Stats(); st.OutOfOrderQueued < 3 {
		t.Errorf("server queued %d out-of-order segments", st.OutOfOrderQueued)
	}
}

func TestNewRenoPartialAck(t *testing.T) {
	p := newPair(t, 1, Config{ISN: fixedISN(0)}, Config{ISN: fixedISN(0)})
	// Two segments of one window are lost: the full ACK for the first
	// retransmission is partial and the second hole is resent at once.
	p.net.fault = dropFirst(1+5*1460, 1+7*1460)
	data := randomBytes(4, 40*1460)
	_, srv := p.transfer(data, true)
	p.env.Run(10_000)
	if !bytes.Equal(srv.got.Bytes(), data) {
		t.Fatalf("server received %d bytes, want %d", srv.got.Len(), len(data))
	}
	if len(p.find("client", "partial ACK 10221 during fast recovery: retransmit the next hole at seq 10221 (RFC 6582)")) == 0 ||
		len(p.find("client", "fast recovery ends")) == 0 {
		t.Errorf("no partial ACK recovery:\n%s", strings.Join(p.env.Texts(), "\n"))
	}
	st := p.cliConn().Stats()
	if st.FastRetransmits != 1 || st.RetransmitsFast != 2 || st.Timeouts != 0 {
		t.Errorf("client stats %+v", st)
	}
}

func TestOutOfOrderDelivery(t *testing.T) {
	p := newPair(t, 1, Config{ISN: fixedISN(0)}, Config{ISN: fixedISN(0)})
	// The second data segment takes 15 ms longer: the third arrives first.
	p.net.fault = func(pk *packet) fate {
		if pk.from == "client" && pk.seg.Seq == 1461 && len(pk.seg.Payload) > 0 {
			return fate{extra: 15 * time.Millisecond}
		}
		return fate{}
	}
	data := randomBytes(5, 3*1460)
	_, srv := p.transfer(data, false)
	// The application reads only at the end, so that the window stays
	// the same and the second ACK for 1461 counts as a duplicate ACK
	// (RFC 5681 2: an ACK that changes the window is not a duplicate).
	srv.paused = true
	p.env.Run(1000)
	srv.paused = false
	srv.drain()
	if !bytes.Equal(srv.got.Bytes(), data) {
		t.Fatalf("server received %d bytes, want %d", srv.got.Len(), len(data))
	}
	var got []string
	for _, e := range p.events("server", layers.Note) {
		if !strings.Contains(e, "effective MSS") {
			got = append(got, e)
		}
	}
	want := []string{
		"note: out of order: seq 2921..4381 queued; hole 1461..2921",
		"note: hole filled: seq 2921..4381 from the out-of-order queue delivered in order",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("server notes (-want +got):\n%s", diff)
	}
	// The out-of-order segment was answered at once with a duplicate ACK.
	wantWire := []string{
		"   30ms server TCP 110 > CPORT [ACK] seq=1 ack=1461 win=64075",
		"   30ms server TCP 110 > CPORT [ACK] seq=1 ack=1461 win=64075",
		"   45ms server TCP 110 > CPORT [ACK] seq=1 ack=4381 win=61155",
	}
	var gotWire []string
	for _, l := range p.wireLog(p.cliConn()) {
		if strings.Contains(l, "server") && !strings.Contains(l, "SYN") {
			gotWire = append(gotWire, l)
		}
	}
	if diff := cmp.Diff(wantWire, gotWire); diff != "" {
		t.Errorf("server ACKs (-want +got):\n%s", diff)
	}
	if len(p.find("client", "duplicate ACK #1 for seq 1461")) != 1 {
		t.Errorf("the client did not count the duplicate ACK")
	}
}

func TestDuplicatesNotDeliveredTwice(t *testing.T) {
	p := newPair(t, 1, Config{ISN: fixedISN(0)}, Config{ISN: fixedISN(0)})
	p.net.fault = func(pk *packet) fate { return fate{dup: pk.from == "client" && len(pk.seg.Payload) > 0} }
	data := randomBytes(6, 10*1460)
	_, srv := p.transfer(data, true)
	p.env.Run(10_000)
	if !bytes.Equal(srv.got.Bytes(), data) {
		t.Fatalf("server received %d bytes, want the %d sent once", srv.got.Len(), len(data))
	}
	drops := 0
	for _, ev := range p.env.Events {
		if ev.Node == "server" && ev.Dir == layers.Drop && ev.Reason == layers.ReasonDuplicate {
			drops++
		}
	}
	if drops != 10 {
		t.Errorf("%d duplicate drops, want 10", drops)
	}
	if e := p.find("server", "duplicate: seq 1..1461 already received"); len(e) != 1 {
		t.Errorf("duplicate note for the first segment: %v", e)
	}
	// The duplicate ACKs they caused trigger no spurious fast retransmit:
	// each acknowledges new data or comes with nothing outstanding.
	if st := p.cliConn().Stats(); st.RetransmitsFast+st.RetransmitsRTO != 0 {
		t.Errorf("client retransmitted: %+v", st)
	}
}

func TestTrimOverlapAndUnacceptable(t *testing.T) {
	p := newPair(t, 1, Config{}, Config{ISN: fixedISN(0)})
	srv := &sink{}
	if err := p.srv.Listen(110, func(c *Conn) { c.SetHandler(srv.handler()) }); err != nil {
		t.Fatal(err)
	}
	from := netip.AddrPortFrom(cliAddr, 50000)
	p.inject(from, 110, Segment{Seq: 0, Flags: SYN, Window: 65535, MSS: 1460})
	p.inject(from, 110, Segment{Seq: 1, Ack: 1, Flags: ACK, Window: 65535})
	data := randomBytes(7, 1500)
	steps := []Segment{
		{Seq: 1, Ack: 1, Flags: ACK, Window: 65535, Payload: data[:1000]},
		{Seq: 501, Ack: 1, Flags: ACK, Window: 65535, Payload: data[500:1500]}, // overlaps 500 bytes
		{Seq: 1, Ack: 1, Flags: ACK, Window: 65535, Payload: data[:1000]},      // wholly old
		{Seq: 200_001, Ack: 1, Flags: ACK, Window: 65535, Payload: data[:10]},  // beyond the window
		{Seq: 1501, Ack: 1, Flags: ACK | SYN, Window: 65535},                   // SYN on an open connection
	}
	p.net.log = nil
	for _, s := range steps {
		p.inject(from, 110, s)
	}
	if !bytes.Equal(srv.got.Bytes(), data) {
		t.Fatalf("delivered %d bytes, want %d", srv.got.Len(), len(data))
	}
	var got []string
	for _, e := range p.events("server", layers.Note, layers.Drop) {
		if !strings.Contains(e, "effective MSS") {
			got = append(got, e)
		}
	}
	want := []string{
		"note: seq 501..1001 already received: 500 duplicate bytes trimmed",
		"drop: duplicate: seq 1..1001 already received (RCV.NXT=1501): answered ACK [duplicate]",
		"drop: seq 200001..200011 outside the receive window 1501..67036: answered ACK [unacceptable]",
		"drop: SYN on an open connection: challenge ACK sent (RFC 5961 4.2) [unacceptable]",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("server notes and drops (-want +got):\n%s", diff)
	}
	var acks []string
	for _, l := range p.net.log {
		acks = append(acks, l[strings.Index(l, "[ACK]"):])
	}
	// The application reads after each segment: the windows grow back.
	wantAcks := []string{
		"[ACK] seq=1 ack=1001 win=64535",
		"[ACK] seq=1 ack=1501 win=65035",
		"[ACK] seq=1 ack=1501 win=65535",
		"[ACK] seq=1 ack=1501 win=65535",
		"[ACK] seq=1 ack=1501 win=65535 (challenge ACK)",
	}
	if diff := cmp.Diff(wantAcks, acks); diff != "" {
		t.Errorf("server answers (-want +got):\n%s", diff)
	}
}

func TestSequenceWrap(t *testing.T) {
	var isn uint32 = 1<<32 - 20_000 // the stream crosses 2^32 after 20000 bytes
	p := newPair(t, 4, Config{ISN: fixedISN(isn)}, Config{ISN: fixedISN(1<<32 - 1)})
	// Losses and a reordering around the wrap.
	drop := dropFirst(isn+1+13*1460, isn+1+15*1460, isn+1+40*1460)
	p.net.fault = func(pk *packet) fate {
		if pk.from == "client" && pk.seg.Seq == isn+1+14*1460 {
			return fate{extra: 7 * time.Millisecond}
		}
		return drop(pk)
	}
	data := randomBytes(8, 100_000)
	cli, srv := p.transfer(data, true)
	p.env.Run(100_000)
	if !bytes.Equal(srv.got.Bytes(), data) {
		t.Fatalf("server received %d bytes, want %d", srv.got.Len(), len(data))
	}
	wrapped := false
	for _, pk := range p.net.sent {
		if pk.from == "client" && len(pk.seg.Payload) > 0 && pk.seg.Seq < 1<<31 {
			wrapped = true
		}
	}
	if !wrapped {
		t.Error("no segment after the wrap")
	}
	if cli.err != nil || srv.err != nil || !cli.closed || !srv.closed {
		t.Errorf("closes: %v %v", cli.err, srv.err)
	}
}

// TestRandomNetworks is the property test: over many seeds, with random
// loss up to 30%, reordering and duplication in both directions, each side
// receives exactly the bytes the other sent, and both close.
func TestRandomNetworks(t *testing.T) {
	seeds := 300
	if testing.Short() {
		seeds = 40
	}
	for seed := range uint64(seeds) {
		rng := rand.New(rand.NewPCG(seed, 99))
		loss := rng.Float64() * 0.3
		reorder := rng.Float64() * 0.3
		dup := rng.Float64() * 0.1
		cfg := Config{MaxRetries: 30, MaxRTO: 10 * time.Second, MSS: uint16(200 + rng.IntN(1261)), RecvBuffer: 4096 + rng.IntN(70000), SendBuffer: 2048 + rng.IntN(100000)}
		p := newPair(t, seed, cfg, cfg)
		p.net.keepLog = false
		p.net.fault = func(pk *packet) fate {
			f := fate{drop: rng.Float64() < loss, dup: rng.Float64() < dup}
			if rng.Float64() < reorder {
				f.extra = time.Duration(rng.IntN(50)) * time.Millisecond
			}
			return f
		}
		up := randomBytes(seed, rng.IntN(60_000))
		down := randomBytes(seed+1000, rng.IntN(60_000))
		srv := &source{data: down, chunk: 1000, closeAt: true}
		if err := p.srv.Listen(110, func(c *Conn) { c.SetHandler(srv.handler()) }); err != nil {
			t.Fatal(err)
		}
		cli := &source{data: up, chunk: 700, closeAt: true}
		if _, err := p.cli.Dial(cliAddr, netip.AddrPortFrom(srvAddr, 110), cli.handler()); err != nil {
			t.Fatal(err)
		}
		if n := p.env.Run(2_000_000); n == 2_000_000 {
			t.Fatalf("seed %d: still running", seed)
		}
		desc := fmt.Sprintf("seed %d (loss %.2f, reorder %.2f, dup %.2f, %+v)", seed, loss, reorder, dup, cfg)
		if !bytes.Equal(srv.got.Bytes(), up) {
			t.Errorf("%s: server got %d bytes, client sent %d", desc, srv.got.Len(), len(up))
		}
		if !bytes.Equal(cli.got.Bytes(), down) {
			t.Errorf("%s: client got %d bytes, server sent %d", desc, cli.got.Len(), len(down))
		}
		if !cli.closed || !srv.closed {
			t.Errorf("%s: closed: client %v, server %v", desc, cli.closed, srv.closed)
		}
		if cli.err != nil || srv.err != nil {
			// The last ACK of a close can be lost for good only if the
			// TIME-WAIT side is gone when the FIN comes again.
			t.Logf("%s: close errors: client %v, server %v", desc, cli.err, srv.err)
		}
	}
}

func TestAbortResetsPeer(t *testing.T) {
	p := newPair(t, 1, Config{ISN: fixedISN(0)}, Config{ISN: fixedISN(0)})
	_, srv := p.transfer(nil, false)
	p.env.Advance(100 * time.Millisecond)
	c := p.cliConn()
	var cliErr error
	c.SetHandler(Handler{Closed: func(_ *Conn, err error) { cliErr = err }})
	c.Abort()
	p.env.Run(100)
	if !errors.Is(cliErr, ErrAborted) || !errors.Is(srv.err, ErrReset) {
		t.Errorf("client %v, server %v", cliErr, srv.err)
	}
	if got := p.events("server", layers.State); got[len(got)-1] != "state: ESTABLISHED -> CLOSED: RST received: connection reset by the peer" {
		t.Errorf("server's last state: %q", got[len(got)-1])
	}
	if p.cli.Conns()+p.srv.Conns() != 0 {
		t.Error("connections left")
	}
}

func TestUDP(t *testing.T) {
	p := newPair(t, 1, Config{}, Config{})
	n := p.net
	a := NewUDP(nodeEnv{p.env, "client"}, port{n, "client"})
	b := NewUDP(nodeEnv{p.env, "server"}, port{n, "server"})
	var unreachable []bool
	n.keepLog = false
	n.hosts[cliAddr] = func(src, dst netip.Addr, d []byte, m layers.Meta) {
		unreachable = append(unreachable, a.HandleDatagram(src, dst, d, m))
	}
	n.hosts[srvAddr] = func(src, dst netip.Addr, d []byte, m layers.Meta) {
		unreachable = append(unreachable, b.HandleDatagram(src, dst, d, m))
	}
	var gotB []string
	if err := b.Bind(53, func(src netip.AddrPort, dst netip.Addr, payload []byte) {
		gotB = append(gotB, fmt.Sprintf("%v > %v: %q", src, dst, payload))
	}); err != nil {
		t.Fatal(err)
	}
	if err := b.Bind(53, func(netip.AddrPort, netip.Addr, []byte) {}); !errors.Is(err, ErrPortUsed) {
		t.Errorf("second bind: %v", err)
	}
	from := netip.AddrPortFrom(cliAddr, 53124)
	if err := a.SendTo(from, netip.AddrPortFrom(srvAddr, 53), []byte("query"), 7); err != nil {
		t.Fatal(err)
	}
	if err := a.SendTo(from, netip.AddrPortFrom(srvAddr, 9), []byte("discard?"), 0); err != nil {
		t.Fatal(err)
	}
	if err := a.SendTo(from, netip.AddrPortFrom(srvAddr, 53), make([]byte, MaxUDPPayload+1), 0); err == nil {
		t.Error("oversized datagram accepted")
	}
	p.env.Run(10)
	if diff := cmp.Diff([]string{`192.168.1.10:53124 > 10.1.1.2: "query"`}, gotB); diff != "" {
		t.Errorf("received (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]bool{false, true}, unreachable); diff != "" {
		t.Errorf("unreachable (-want +got):\n%s", diff)
	}
	want := []string{"drop: UDP port 9 closed: nothing bound, ICMP port unreachable is due [port-closed]"}
	if diff := cmp.Diff(want, p.events("server")); diff != "" {
		t.Errorf("server events (-want +got):\n%s", diff)
	}
	bad := UserDatagram{SrcPort: 1, DstPort: 53, Payload: []byte("x")}.Append(nil, cliAddr, srvAddr)
	bad[8] ^= 1
	if b.HandleDatagram(cliAddr, srvAddr, bad, layers.Meta{}) {
		t.Error("a damaged datagram asked for ICMP")
	}
	if ev := p.env.Events[len(p.env.Events)-1]; ev.Reason != layers.ReasonChecksum {
		t.Errorf("damaged datagram: %+v", ev)
	}
}
