package sim

import (
	"math/rand/v2"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/osisim/osisim/layers"
	"github.com/osisim/osisim/layers/datalink"
	"github.com/osisim/osisim/layers/network"
	"github.com/osisim/osisim/layers/physical"
	"github.com/osisim/osisim/layers/transport"
)

func TestParseRule(t *testing.T) {
	tests := []struct {
		in   string
		want Rule
		text string // canonical
	}{
		{"drop tcp-data#2 on r1->server", Rule{Action: RuleDrop, Filter: "tcp-data", N: 2, From: "r1", To: "server"}, "drop tcp-data#2 on r1->server"},
		{"delay 50ms tcp#5 on r1->server", Rule{Action: RuleDelay, Delay: 50 * time.Millisecond, Filter: "tcp", N: 5, From: "r1", To: "server"}, "delay 50ms tcp#5 on r1->server"},
		{"dup arp#1 on client->sw1", Rule{Action: RuleDup, Filter: "arp", N: 1, From: "client", To: "sw1"}, "dup arp#1 on client->sw1"},
		{"corrupt ipv4#3 on sw1->r1", Rule{Action: RuleCorrupt, Filter: "ipv4", N: 3, From: "sw1", To: "r1"}, "corrupt ipv4#3 on sw1->r1"},
		{"  DROP  retr-data#2  on  server -> r1 ", Rule{Action: RuleDrop, Filter: "retr-data", N: 2, From: "server", To: "r1"}, "drop retr-data#2 on server->r1"},
		{"drop tcp-syn on client->sw1", Rule{Action: RuleDrop, Filter: "tcp-syn", N: 1, From: "client", To: "sw1"}, "drop tcp-syn#1 on client->sw1"},
		{"duplicate quit#1 on r1->server", Rule{Action: RuleDup, Filter: "quit", N: 1, From: "r1", To: "server"}, "dup quit#1 on r1->server"},
	}
	for _, tt := range tests {
		got, err := ParseRule(tt.in)
		if err != nil {
			t.Errorf("ParseRule(%q): %v", tt.in, err)
			continue
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("ParseRule(%q) (-want +got):\n%s", tt.in, diff)
		}
		if got.String() != tt.text {
			t.Errorf("ParseRule(%q).String() = %q, want %q", tt.in, got.String(), tt.text)
		}
		again, err := ParseRule(got.String())
		if err != nil || again != got {
			t.Errorf("the canonical text %q does not parse back: %v %+v", got.String(), err, again)
		}
	}
}

func TestParseRuleErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", "column 1: empty rule"},
		{"lose tcp#1 on a->b", `column 1: unknown action "lose"`},
		{"delay tcp#1 on a->b", `column 7: delay needs a positive duration such as 50ms after it, got "tcp#1"`},
		{"delay -5ms tcp#1 on a->b", "column 7: delay needs a positive duration"},
		{"drop tcp-dta#2 on r1->server", `column 6: unknown filter "tcp-dta": want one of any, arp,`},
		{"drop tcp#0 on a->b", `column 10: "0" after # is not a count from 1`},
		{"drop tcp#x on a->b", `column 10: "x" after # is not a count from 1`},
		{"drop tcp#1 in a->b", "column 12: want `on FROM->TO` after the filter, got \"in\""},
		{"drop tcp#1 on", "column 14: missing the link direction"},
		{"drop tcp#1 on r1-server", `column 15: the link direction "r1-server" is not FROM->TO`},
		{"drop tcp#1 on ->server", `column 15: the link direction "->server" needs a node name before ->`},
		{"drop tcp#1 on r1->", `column 19: the link direction "r1->" needs one node name after ->`},
		{"drop tcp#1 on r1.eth1->server", `needs a node name before ->`},
		{"drop tcp#1 on r1->r1", `goes from a node to itself`},
		{"drop", "column 5: missing filter after \"drop\""},
	}
	for _, tt := range tests {
		_, err := ParseRule(tt.in)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParseRule(%q) = %v, want an error containing %q", tt.in, err, tt.want)
		}
		if err != nil && !strings.HasPrefix(err.Error(), "sim: rule ") {
			t.Errorf("ParseRule(%q): error %q lacks the package prefix", tt.in, err)
		}
	}
}

func TestFaultsValidate(t *testing.T) {
	tests := []struct {
		f    Faults
		want string // "" for valid
	}{
		{Faults{}, ""},
		{Faults{Loss: 1, Reorder: 1, Dup: 1, BER: 0.5, Outages: []Outage{{0, time.Second}}}, ""},
		{Faults{Loss: 1.5}, "loss probability 1.5 is outside [0, 1]"},
		{Faults{Reorder: -0.1}, "reorder probability -0.1 is outside [0, 1]"},
		{Faults{Dup: 2}, "dup probability 2 is outside [0, 1]"},
		{Faults{BER: 1}, "bit error rate 1 is outside [0, 1)"},
		{Faults{ReorderDelay: -time.Millisecond}, "reorder delay -1ms is negative"},
		{Faults{Outages: []Outage{{2 * time.Second, time.Second}}}, "outage from 2s to 1s"},
	}
	for _, tt := range tests {
		err := tt.f.Validate()
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%+v: %v", tt.f, err)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("%+v: got %v, want %q", tt.f, err, tt.want)
		}
	}
}

// testSegment builds an Ethernet frame carrying a TCP segment from
// 10.0.1.10:49152 to 10.0.2.110:110.
func testSegment(seq, ack uint32, flags transport.Flags, payload string) []byte {
	src, dst := netip.MustParseAddr("10.0.1.10"), netip.MustParseAddr("10.0.2.110")
	seg := transport.Segment{SrcPort: 49152, DstPort: 110, Seq: seq, Ack: ack, Flags: flags, Window: 65535, Payload: []byte(payload)}
	d := network.Datagram{ID: 1, TTL: 64, Protocol: network.ProtoTCP, Src: src, Dst: dst, Payload: seg.Append(nil, src, dst)}
	f := datalink.Frame{Dst: datalink.MAC{2, 0, 0, 0, 1, 1}, Src: datalink.MAC{2, 0, 0, 0, 1, 10}, Type: datalink.EtherTypeIPv4, Payload: d.Append(nil)}
	return f.Append(nil)
}

func testARP() []byte {
	a := network.ARP{Op: network.ARPRequest, SenderMAC: datalink.MAC{2, 0, 0, 0, 1, 10}, SenderIP: netip.MustParseAddr("10.0.1.10"),
		TargetIP: netip.MustParseAddr("10.0.1.1")}
	f := datalink.Frame{Dst: datalink.Broadcast, Src: datalink.MAC{2, 0, 0, 0, 1, 10}, Type: datalink.EtherTypeARP, Payload: a.Append(nil)}
	return f.Append(nil)
}

func TestClassifyFrame(t *testing.T) {
	c := classifyFrame(testSegment(1000, 2000, transport.PSH|transport.ACK, "retr 1\r\n"))
	want := frameClass{etherType: datalink.EtherTypeIPv4, ipv4: true, proto: network.ProtoTCP, tcp: true,
		flow: flow{src: [4]byte{10, 0, 1, 10}, dst: [4]byte{10, 0, 2, 110}, sport: 49152, dport: 110},
		seq:  1000, ack: 2000, flags: tcpPSH | tcpACK, window: 65535, payload: 8, head: [8]byte{'R', 'E', 'T', 'R', ' ', '1', '\r', '\n'}}
	if diff := cmp.Diff(want, c, cmp.AllowUnexported(frameClass{}, flow{})); diff != "" {
		t.Errorf("classify (-want +got):\n%s", diff)
	}
	if !c.startsWith("RETR") || c.startsWith("RET") || c.startsWith("DELE") || !c.command() {
		t.Error("a RETR command line is not recognised as one")
	}
	if c.seqLen() != 8 || c.pureACK() {
		t.Errorf("seqLen %d, pureACK %v", c.seqLen(), c.pureACK())
	}
	syn := classifyFrame(testSegment(7, 0, transport.SYN, ""))
	if syn.seqLen() != 1 || syn.pureACK() {
		t.Errorf("SYN: seqLen %d, pureACK %v", syn.seqLen(), syn.pureACK())
	}
	if ack := classifyFrame(testSegment(7, 9, transport.ACK, "")); !ack.pureACK() || ack.seqLen() != 0 {
		t.Error("a pure ACK is not recognised")
	}
	if reply := classifyFrame(testSegment(7, 9, transport.ACK, "+OK 2 320\r\n")); reply.command() {
		t.Error("a reply line taken for a command")
	}
	arp := classifyFrame(testARP())
	if arp.etherType != datalink.EtherTypeARP || arp.ipv4 || arp.tcp {
		t.Errorf("ARP classified as %+v", arp)
	}
	for n := range 60 { // truncated frames never panic
		classifyFrame(testSegment(1, 2, transport.ACK, "USER x\r\n")[:n])
	}
}

func TestRulePicks(t *testing.T) {
	frames := map[string][]byte{
		"arp":   testARP(),
		"syn":   testSegment(1, 0, transport.SYN, ""),
		"ack":   testSegment(1, 2, transport.ACK, ""),
		"fin":   testSegment(1, 2, transport.FIN|transport.ACK, ""),
		"rst":   testSegment(1, 2, transport.RST, ""),
		"retr":  testSegment(1, 2, transport.PSH|transport.ACK, "RETR 1\r\n"),
		"reply": testSegment(1, 2, transport.PSH|transport.ACK, "+OK 320 octets\r\n"),
	}
	names := []string{"arp", "syn", "ack", "fin", "rst", "retr", "reply"}
	tests := []struct {
		filter string
		want   []string
	}{
		{"any", names},
		{"arp", []string{"arp"}},
		{"ipv4", names[1:]},
		{"tcp", names[1:]},
		{"tcp-syn", []string{"syn"}},
		{"tcp-fin", []string{"fin"}},
		{"tcp-rst", []string{"rst"}},
		{"tcp-ack", []string{"ack"}},
		{"tcp-data", []string{"retr", "reply"}},
		{"pop3", []string{"retr", "reply"}},
		{"retr", []string{"retr"}},
		{"dele", nil},
		{"icmp", nil},
		{"udp", nil},
	}
	for _, tt := range tests {
		r := newRuleState(Rule{Action: RuleDrop, Filter: tt.filter, N: 1, From: "a", To: "b"}, 0)
		var got []string
		for _, n := range names {
			c := classifyFrame(frames[n])
			if r.picks(&c) {
				got = append(got, n)
			}
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("filter %s (-want +got):\n%s", tt.filter, diff)
		}
	}
}

// TestReplyFilter checks KEYWORD-data: the data of the server's reply after
// the command went the other way, until the next command.
func TestReplyFilter(t *testing.T) {
	r := newRuleState(Rule{Action: RuleDrop, Filter: "retr-data", N: 3, From: "server", To: "r1"}, 0)
	cmdFrame := func(line string) frameClass {
		return classifyFrame(testSegment(1, 2, transport.PSH|transport.ACK, line))
	}
	// The reply goes from the server: the reverse of the command's flow.
	reply := func() frameClass {
		c := classifyFrame(testSegment(5, 6, transport.ACK, "xxxxxxxxxxxx"))
		c.flow = c.flow.reverse()
		return c
	}
	steps := []struct {
		observe string // a command seen going the other way
		want    bool   // whether the next reply segment is the rule's match
	}{
		{"LIST\r\n", false}, // LIST's reply does not count
		{"RETR 1\r\n", false},
		{"", false},
		{"", true}, // the third segment of RETR's reply
		{"", false},
		{"DELE 1\r\n", false},
	}
	for i, s := range steps {
		if s.observe != "" {
			c := cmdFrame(s.observe)
			r.observe(&c)
		}
		c := reply()
		if got := r.match(&c); got != s.want {
			t.Errorf("step %d: match = %v, want %v (matches so far %d)", i, got, s.want, r.matches)
		}
	}
	if r.matches != 4 {
		t.Errorf("%d matches, want 4 (the RETR reply's segments only)", r.matches)
	}
}

// TestFlipBits checks the geometric skip: the number of errors follows the
// bit error rate, every inverted bit is a distinct position, and a rate of
// 0 inverts nothing.
func TestFlipBits(t *testing.T) {
	frame := testSegment(1, 2, transport.ACK, strings.Repeat("x", 1400))
	rng := rand.New(rand.NewPCG(1, 2))
	const ber, runs = 1e-3, 400
	total := 0
	for range runs {
		sig := physical.NRZ.Encode(physical.Encode(frame))
		orig := slices.Clone(sig.Packed())
		var first [3]int
		n := flipBits(sig, ber, rng.Float64, &first)
		diff := 0
		for i := range orig {
			x := orig[i] ^ sig.Packed()[i]
			for ; x != 0; x &= x - 1 {
				diff++
			}
		}
		if diff != n {
			t.Fatalf("flipBits reported %d errors, the signal differs in %d bits", n, diff)
		}
		total += n
	}
	bits := physical.NRZ.Encode(physical.Encode(frame)).Bits()
	mean := float64(total) / runs
	want := ber * float64(bits)
	if mean < 0.9*want || mean > 1.1*want {
		t.Errorf("mean %.2f errors per frame of %d bits, want about %.2f", mean, bits, want)
	}
	sig := physical.Manchester.Encode(physical.Encode(frame))
	if n := flipBits(sig, 0, rng.Float64, new([3]int)); n != 0 {
		t.Errorf("a bit error rate of 0 inverted %d bits", n)
	}
}

// pair is two hosts joined by one link, a.eth0 - b.eth0, for link tests.
type pair struct {
	s    *Sim
	a, b *Host
	link *Link
	rec  *keep
	cap  *capture
}

type keep struct{ events []layers.Event }

func (k *keep) Record(e *layers.Event) { k.events = append(k.events, *e) }

func (k *keep) find(pred func(e *layers.Event) bool) []layers.Event {
	var out []layers.Event
	for i := range k.events {
		if pred(&k.events[i]) {
			out = append(out, k.events[i])
		}
	}
	return out
}

type captured struct {
	from  string
	class frameClass
	note  string
}

type capture struct{ frames []captured }

func (c *capture) Frame(l *Link, from *Port, frame []byte, m layers.Meta, note string) {
	c.frames = append(c.frames, captured{from: from.Device.Name(), class: classifyFrame(frame), note: note})
}

func newPair(t *testing.T, seed uint64) *pair {
	t.Helper()
	rec := &keep{}
	s := New(seed, rec)
	a, err := s.AddHost("a", HostConfig{Interfaces: []Interface{{Name: "eth0", MAC: datalink.MAC{2, 0, 0, 0, 0, 1}, Addr: netip.MustParsePrefix("10.0.0.1/24")}}})
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.AddHost("b", HostConfig{Interfaces: []Interface{{Name: "eth0", MAC: datalink.MAC{2, 0, 0, 0, 0, 2}, Addr: netip.MustParsePrefix("10.0.0.2/24")}}})
	if err != nil {
		t.Fatal(err)
	}
	l, err := s.Connect(a.Ports()[0], b.Ports()[0], LinkConfig{BitRate: 100e6, Delay: time.Millisecond, Code: physical.NRZ})
	if err != nil {
		t.Fatal(err)
	}
	c := &capture{}
	s.SetCapture(c)
	return &pair{s: s, a: a, b: b, link: l, rec: rec, cap: c}
}

// pings sends n echo requests from a to b, one every 10 ms, and runs.
func (p *pair) pings(t *testing.T, n int) {
	t.Helper()
	for i := range n {
		p.s.At(time.Duration(i)*10*time.Millisecond, func() {
			if err := p.a.IP().Ping(p.b.Addr(), 1, uint16(i+1), []byte("osisim")); err != nil {
				t.Error(err)
			}
		})
	}
	p.s.Run(10 * time.Second)
}

func (p *pair) replies() int {
	return len(p.rec.find(func(e *layers.Event) bool {
		return e.Node == "b" && e.Layer == layers.Network && strings.Contains(e.Text, "answering with an echo reply")
	}))
}

func TestLinkLoss(t *testing.T) {
	p := newPair(t, 1)
	if err := p.link.SetFaults(p.a.Ports()[0], Faults{Loss: 1}); err != nil {
		t.Fatal(err)
	}
	p.pings(t, 2)
	if n := p.replies(); n != 0 {
		t.Errorf("b answered %d echo requests through a link that loses everything", n)
	}
	drops := p.rec.find(func(e *layers.Event) bool { return e.Dir == layers.Drop && e.Reason == layers.ReasonLoss })
	if len(drops) == 0 {
		t.Fatal("no link-loss drop in the trace")
	}
	e := drops[0]
	if e.Node != "a" || e.Iface != "eth0" || e.Layer != layers.Physical || e.Peer != "b" || !strings.Contains(e.Text, "lost on a->b") {
		t.Errorf("the drop does not say where: %+v", e)
	}
	// Every lost frame was transmitted first: a wire event and a capture
	// with a note.
	wires := p.rec.find(func(e *layers.Event) bool { return e.Dir == layers.Wire && e.Node == "a" })
	if len(wires) != len(drops) {
		t.Errorf("%d frames transmitted by a, %d lost: every frame of a should be both", len(wires), len(drops))
	}
	for _, c := range p.cap.frames {
		if c.from == "a" && !strings.Contains(c.note, "lost") {
			t.Errorf("a capture of a lost frame has the note %q", c.note)
		}
	}
	st := p.s.Stats()
	if len(st.Links) != 1 || st.Links[0].Dir != "a->b" || st.Links[0].Lost != uint64(len(drops)) {
		t.Errorf("link stats %+v, want %d lost on a->b", st.Links, len(drops))
	}
}

func TestLinkOutage(t *testing.T) {
	p := newPair(t, 1)
	if err := p.link.SetFaults(p.b.Ports()[0], Faults{Outages: []Outage{{From: 0, To: 15 * time.Millisecond}}}); err != nil {
		t.Fatal(err)
	}
	p.pings(t, 4) // at 0, 10, 20, 30 ms: b's replies at 0 and 10 ms (and its ARP) fall into the outage
	downs := p.rec.find(func(e *layers.Event) bool { return e.Dir == layers.Drop && e.Reason == layers.ReasonLinkDown })
	if len(downs) == 0 {
		t.Fatal("nothing dropped during the outage")
	}
	for _, e := range downs {
		if e.Time >= 15*time.Millisecond || e.Node != "b" {
			t.Errorf("outage drop at %v by %s: the outage of b->a ends at 15ms", e.Time, e.Node)
		}
	}
	if n := len(p.rec.find(func(e *layers.Event) bool {
		return e.Node == "a" && e.Layer == layers.Network && e.Dir == layers.Up && strings.Contains(e.Text, "echo reply")
	})); n == 0 {
		t.Error("no echo reply arrived after the outage")
	}
}

func TestLinkBitErrors(t *testing.T) {
	p := newPair(t, 3)
	if err := p.link.SetFaults(p.a.Ports()[0], Faults{BER: 2e-3}); err != nil {
		t.Fatal(err)
	}
	p.pings(t, 20)
	notes := p.rec.find(func(e *layers.Event) bool {
		return e.Node == "a" && e.Layer == layers.Physical && e.Dir == layers.Note && strings.HasPrefix(e.Text, "noise on a->b inverts")
	})
	drops := p.rec.find(func(e *layers.Event) bool {
		return e.Node == "b" && e.Dir == layers.Drop && (e.Reason == layers.ReasonFCS || e.Reason == layers.ReasonLineCode)
	})
	if len(notes) == 0 || len(notes) != len(drops) {
		t.Fatalf("%d frames corrupted on a->b, %d dropped by b's FCS or line-code check: want the same, more than 0", len(notes), len(drops))
	}
	for _, e := range drops {
		if e.Cause != "bit errors on a->b" {
			t.Errorf("b's drop has the cause %q, want %q", e.Cause, "bit errors on a->b")
		}
		if e.Reason == layers.ReasonFCS && (e.Layer != layers.DataLink || !strings.Contains(e.Text, "FCS mismatch")) {
			t.Errorf("FCS drop %+v", e)
		}
	}
	if p.replies() == 0 {
		t.Error("every echo request was corrupted: the rate is too high for this test")
	}
}

func TestLinkDuplication(t *testing.T) {
	p := newPair(t, 1)
	if err := p.link.SetFaults(p.a.Ports()[0], Faults{Dup: 1}); err != nil {
		t.Fatal(err)
	}
	p.pings(t, 1)
	// a sends an ARP request and an echo request; b receives each twice.
	ups := p.rec.find(func(e *layers.Event) bool { return e.Node == "b" && e.Layer == layers.Physical && e.Dir == layers.Up })
	sent := p.rec.find(func(e *layers.Event) bool { return e.Node == "a" && e.Dir == layers.Wire })
	if len(ups) != 2*len(sent) {
		t.Errorf("a sent %d frames, b received %d: want each twice", len(sent), len(ups))
	}
	if p.replies() != 2 {
		t.Errorf("b answered %d echo requests, want 2 (the request and its copy)", p.replies())
	}
	var notes []string
	for _, c := range p.cap.frames {
		notes = append(notes, c.note)
	}
	if !slices.Contains(notes, "duplicate copy: duplication on a->b") {
		t.Errorf("the capture does not show the copies: %q", notes)
	}
}

func TestLinkReordering(t *testing.T) {
	p := newPair(t, 1)
	if err := p.link.SetFaults(p.a.Ports()[0], Faults{Reorder: 1, ReorderDelay: 25 * time.Millisecond}); err != nil {
		t.Fatal(err)
	}
	p.pings(t, 3)
	// Every frame is held back 25 ms: the ARP request sent at 0 arrives at
	// about 26 ms, after the echo request of 10 ms was queued behind ARP;
	// the check is that each arrives 25 ms late.
	for _, e := range p.rec.find(func(e *layers.Event) bool { return e.Node == "b" && e.Layer == layers.Physical && e.Dir == layers.Up }) {
		if e.Time < 26*time.Millisecond {
			t.Errorf("a frame arrived at %v, before the 25 ms reordering delay plus 1 ms propagation", e.Time)
		}
	}
	if n := len(p.rec.find(func(e *layers.Event) bool {
		return e.Dir == layers.Note && strings.Contains(e.Text, "holds this frame back 25 ms")
	})); n == 0 {
		t.Error("no reordering note")
	}
}

// TestDeterministicFaults runs the same faulty exchange twice per seed:
// the same seed gives the same trace, another seed another one.
func TestDeterministicFaults(t *testing.T) {
	run := func(seed uint64) []string {
		p := newPair(t, seed)
		f := Faults{Loss: 0.2, Reorder: 0.3, Dup: 0.2, BER: 1e-4}
		for _, port := range []*Port{p.a.Ports()[0], p.b.Ports()[0]} {
			if err := p.link.SetFaults(port, f); err != nil {
				t.Fatal(err)
			}
		}
		p.pings(t, 30)
		var out []string
		for _, e := range p.rec.events {
			out = append(out, e.Time.String()+" "+e.Node+" "+e.Text)
		}
		return out
	}
	a, b, c := run(5), run(5), run(6)
	if diff := cmp.Diff(a, b); diff != "" {
		t.Errorf("two runs with seed 5 differ (-first +second):\n%s", diff)
	}
	if cmp.Equal(a, c) {
		t.Error("seeds 5 and 6 gave the same trace")
	}
}

func TestRuleOnLink(t *testing.T) {
	p := newPair(t, 1)
	r, err := ParseRule("drop icmp#2 on a->b")
	if err != nil {
		t.Fatal(err)
	}
	if err := p.s.AddRule(r); err != nil {
		t.Fatal(err)
	}
	if err := p.s.AddRule(Rule{Action: RuleDrop, Filter: "arp", N: 1, From: "a", To: "c"}); err == nil || !strings.Contains(err.Error(), "no link joins a and c directly (a is linked to b)") {
		t.Errorf("a rule on a missing link: %v", err)
	}
	p.pings(t, 3)
	drops := p.rec.find(func(e *layers.Event) bool { return e.Dir == layers.Drop && e.Reason == layers.ReasonFaultRule })
	if len(drops) != 1 {
		t.Fatalf("%d fault-rule drops, want 1", len(drops))
	}
	if drops[0].Cause != "drop icmp#2 on a->b" || drops[0].Time != 10*time.Millisecond {
		t.Errorf("the drop: %+v; want the cause to be the rule, at 10ms (the second echo request)", drops[0])
	}
	if p.replies() != 2 {
		t.Errorf("b answered %d echo requests, want 2 (all but the second)", p.replies())
	}
	// Only the second ICMP frame from a is noted as dropped in the capture.
	icmp := 0
	for _, c := range p.cap.frames {
		if c.from != "a" || c.class.proto != network.ProtoICMP {
			continue
		}
		icmp++
		if dropped := strings.Contains(c.note, "dropped by fault rule"); dropped != (icmp == 2) {
			t.Errorf("ICMP frame %d of a: note %q", icmp, c.note)
		}
	}
	st := p.s.Stats()
	if diff := cmp.Diff([]RuleStats{{Rule: "drop icmp#2 on a->b", Matches: 3, Fired: true, At: 10 * time.Millisecond}}, st.Rules); diff != "" {
		t.Errorf("rule stats (-want +got):\n%s", diff)
	}
}

func TestRuleCorruptAndDelay(t *testing.T) {
	p := newPair(t, 1)
	for _, text := range []string{"corrupt icmp#1 on a->b", "delay 40ms icmp#2 on a->b"} {
		r, err := ParseRule(text)
		if err != nil {
			t.Fatal(err)
		}
		if err := p.s.AddRule(r); err != nil {
			t.Fatal(err)
		}
	}
	p.pings(t, 3)
	fcs := p.rec.find(func(e *layers.Event) bool { return e.Dir == layers.Drop && e.Reason == layers.ReasonFCS })
	if len(fcs) != 1 || fcs[0].Node != "b" || fcs[0].Cause != "corrupt icmp#1 on a->b" {
		t.Errorf("FCS drops %+v: want one at b caused by the corrupt rule", fcs)
	}
	// The second echo request left at 10 ms and arrives 40 ms late: b
	// answers the third (sent at 20 ms) first.
	var at []time.Duration
	for _, e := range p.rec.find(func(e *layers.Event) bool {
		return e.Node == "b" && e.Layer == layers.Network && strings.Contains(e.Text, "answering with an echo reply")
	}) {
		at = append(at, e.Time)
	}
	if len(at) != 2 || at[0] > 30*time.Millisecond || at[1] < 51*time.Millisecond {
		t.Errorf("b answered at %v: want the third request at about 21 ms, then the delayed second after 51 ms", at)
	}
	notes := p.rec.find(func(e *layers.Event) bool {
		return e.Node == "a" && e.Cause == "delay 40ms icmp#2 on a->b" && e.Dir == layers.Note
	})
	if len(notes) != 1 || !strings.Contains(notes[0].Text, "it arrives 40 ms later than it would") {
		t.Errorf("the delay rule's note: %+v", notes)
	}
}

// TestQueueDropTail sends a burst through a slow router interface with a
// queue of 2: the datagrams beyond the transmitter and 2 waiting are
// dropped at L3 with queue-full.
func TestQueueDropTail(t *testing.T) {
	rec := &keep{}
	s := New(1, rec)
	mac := func(n byte) datalink.MAC { return datalink.MAC{2, 0, 0, 0, 0, n} }
	a, _ := s.AddHost("a", HostConfig{Interfaces: []Interface{{Name: "eth0", MAC: mac(1), Addr: netip.MustParsePrefix("10.0.1.10/24")}},
		Gateway: netip.MustParseAddr("10.0.1.1")})
	b, _ := s.AddHost("b", HostConfig{Interfaces: []Interface{{Name: "eth0", MAC: mac(2), Addr: netip.MustParsePrefix("10.0.2.10/24")}},
		Gateway: netip.MustParseAddr("10.0.2.1")})
	r, err := s.AddRouter("r", RouterConfig{Interfaces: []Interface{
		{Name: "eth0", MAC: mac(3), Addr: netip.MustParsePrefix("10.0.1.1/24")},
		{Name: "eth1", MAC: mac(4), Addr: netip.MustParsePrefix("10.0.2.1/24")}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Connect(a.Ports()[0], r.Ports()[0], LinkConfig{BitRate: 100e6}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Connect(r.Ports()[1], b.Ports()[0], LinkConfig{BitRate: 1e6}); err != nil {
		t.Fatal(err)
	}
	if err := r.SetQueue("eth1", 2); err != nil {
		t.Fatal(err)
	}
	if err := r.SetQueue("eth9", 2); err == nil {
		t.Error("SetQueue accepted an interface the router does not have")
	}
	r.SetSourceQuench(true)
	// Resolve the addresses first, then a burst of 8 echo requests.
	s.At(0, func() { _ = a.IP().Ping(b.Addr(), 1, 0, nil) })
	for i := range 8 {
		s.At(100*time.Millisecond, func() { _ = a.IP().Ping(b.Addr(), 1, uint16(i+1), make([]byte, 1000)) })
	}
	s.Run(5 * time.Second)
	drops := rec.find(func(e *layers.Event) bool { return e.Dir == layers.Drop && e.Reason == layers.ReasonQueueFull })
	if len(drops) == 0 {
		t.Fatal("no queue-full drop")
	}
	e := drops[0]
	if e.Node != "r" || e.Iface != "eth1" || e.Layer != layers.Network || e.PDU == nil ||
		e.Text != "output queue of eth1 full (2 packets waiting for the 1 Mb/s transmitter): datagram dropped (drop-tail)" {
		t.Errorf("queue drop %+v", e)
	}
	st := s.Stats()
	var rl LinkStats
	for _, l := range st.Links {
		if l.Dir == "r->b" {
			rl = l
		}
	}
	if rl.QueueDrops != uint64(len(drops)) || rl.MaxWaiting != 2 {
		t.Errorf("link r->b: %d queue drops (trace %d), at most %d waiting (want 2)", rl.QueueDrops, len(drops), rl.MaxWaiting)
	}
	// The transmitter and its queue hold 3 of the burst: 5 dropped.
	if len(drops) != 5 {
		t.Errorf("%d datagrams dropped, want 5 of the burst of 8", len(drops))
	}
	// Each drop made r send a source quench back to a.
	quench := rec.find(func(e *layers.Event) bool {
		return e.Node == "a" && e.Layer == layers.Network && e.Dir == layers.Up && strings.Contains(e.Text, "source quench")
	})
	if len(quench) != len(drops) {
		t.Errorf("a got %d source quenches for %d drops", len(quench), len(drops))
	}
}

// TestCausesAfterLoss drives the bookkeeping directly: a lost data segment
// makes its retransmission "RTO after ...", a duplicate ACK asking for it
// "duplicate ACK after ...", and an ACK past it clears the record.
func TestCausesAfterLoss(t *testing.T) {
	p := newPair(t, 1)
	d := p.link.dir(0)
	lost := classifyFrame(testSegment(1000, 50, transport.ACK, strings.Repeat("x", 100)))
	d.remember(&lost, "rule: drop tcp-data#2 on a->b")
	client, server := netip.MustParseAddr("10.0.1.10"), netip.MustParseAddr("10.0.2.110")
	seg2 := func(seq uint32, n int) []byte {
		s := transport.Segment{SrcPort: 49152, DstPort: 110, Seq: seq, Ack: 50, Flags: transport.ACK, Window: 65535, Payload: make([]byte, n)}
		return s.Append(nil, client, server)
	}
	// The server's ACKs: from server:110 to client:49152.
	ack := func(a uint32) []byte {
		s := transport.Segment{SrcPort: 110, DstPort: 49152, Seq: 50, Ack: a, Flags: transport.ACK, Window: 100}
		return s.Append(nil, server, client)
	}
	steps := []struct {
		from      *Host
		src, dst  netip.Addr
		b         []byte
		cause     string
		wantCause string
	}{
		{p.b, server, client, ack(1000), "", ""},                                                  // the ACK for what came before
		{p.b, server, client, ack(1000), "", "duplicate ACK after rule: drop tcp-data#2 on a->b"}, // a duplicate
		{p.a, client, server, seg2(1100, 100), transport.CauseRTO, "RTO"},                         // not the lost bytes
		{p.a, client, server, seg2(1000, 100), transport.CauseFast, "fast retransmit after rule: drop tcp-data#2 on a->b"},
		{p.b, server, client, ack(1200), "", ""}, // covers the lost range: forgotten
		{p.a, client, server, seg2(1000, 100), transport.CauseRTO, "RTO"},
	}
	for i, s := range steps {
		got := s.from.explainSegment(s.src, s.dst, s.b, s.cause)
		want := s.wantCause
		if want == "" {
			want = s.cause
		}
		if got != want {
			t.Errorf("step %d: cause %q, want %q", i, got, want)
		}
	}
	if len(d.lost) != 0 {
		t.Errorf("%d ranges still remembered after the ACK past them", len(d.lost))
	}
}

// FuzzParseRule: ParseRule never panics, and a rule it accepts prints as
// canonical text that parses back to the same rule.
func FuzzParseRule(f *testing.F) {
	for _, s := range []string{
		"drop tcp-data#2 on r1->server", "delay 50ms tcp#5 on r1->server", "dup arp#1 on client->sw1",
		"corrupt ipv4#3 on sw1->r1", "drop retr-data#2 on server -> r1", "drop tcp#0 on a->b", "delay 1h any on x->y",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := ParseRule(s)
		if err != nil {
			return
		}
		again, err := ParseRule(r.String())
		if err != nil {
			t.Fatalf("%q parsed, its canonical text %q does not: %v", s, r.String(), err)
		}
		if again != r {
			t.Fatalf("%q: %+v, then %+v from %q", s, r, again, r.String())
		}
	})
}

// FuzzClassifyFrame: classifying any bytes never panics, and a TCP
// classification stays within the frame.
func FuzzClassifyFrame(f *testing.F) {
	f.Add(testSegment(1000, 2000, transport.PSH|transport.ACK, "RETR 1\r\n"))
	f.Add(testSegment(7, 0, transport.SYN, ""))
	f.Add(testARP())
	f.Fuzz(func(t *testing.T, b []byte) {
		c := classifyFrame(b)
		if c.tcp && c.payload > len(b) {
			t.Fatalf("payload %d in a frame of %d octets", c.payload, len(b))
		}
		c.command()
		c.startsWith("RETR")
	})
}
