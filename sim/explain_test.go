package sim_test

import (
	"bytes"
	"math/big"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/osisim/osisim/layers"
	"github.com/osisim/osisim/scenarios"
	"github.com/osisim/osisim/sim"
)

// listOf runs the default lesson and returns the packet list of link.
func listOf(t *testing.T, link string, opt sim.FilterOptions) []string {
	t.Helper()
	f, err := scenarios.LoadBundled(scenarios.Default)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	l, err := sim.NewListRecorder(&out, sim.ListOptions{Lang: layers.EN, Link: link, Filter: opt})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := scenarios.Run(f, scenarios.Options{Seed: f.Seed, Recorder: l}); err != nil {
		t.Fatal(err)
	}
	if err := l.Flush(); err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimSpace(out.String()), "\n")
}

// frameNo returns the number of the first line of the list that contains s.
func frameNo(t *testing.T, list []string, s string) int {
	t.Helper()
	for _, l := range list {
		if strings.Contains(l, s) {
			n, err := strconv.Atoi(strings.Fields(l)[0])
			if err != nil {
				t.Fatalf("line %q has no number", l)
			}
			return n
		}
	}
	t.Fatalf("no frame with %q in the list:\n%s", s, strings.Join(list, "\n"))
	return 0
}

// explain runs the default lesson and explains frame n of link.
func explain(t *testing.T, link string, n int) *sim.Explanation {
	t.Helper()
	f, err := scenarios.LoadBundled(scenarios.Default)
	if err != nil {
		t.Fatal(err)
	}
	r, err := sim.NewExplainRecorder(link, n)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := scenarios.Run(f, scenarios.Options{Seed: f.Seed, Recorder: r}); err != nil {
		t.Fatal(err)
	}
	x, err := r.Explanation()
	if err != nil {
		t.Fatal(err)
	}
	return x
}

// TestExplainRETR: the RETR command's 8 octets are in the frame where the
// explanation says, and they are the octets of the application message it
// names, at the TCP sequence numbers the segment's header gives.
func TestExplainRETR(t *testing.T) {
	list := listOf(t, "client.eth0", sim.FilterOptions{})
	n := frameNo(t, list, "C: RETR 1")
	x := explain(t, "client.eth0", n)
	if !x.Sent || x.Peer != "sw1" {
		t.Errorf("frame %d: sent %v to %q, want sent to sw1", n, x.Sent, x.Peer)
	}
	if len(x.Spans) != 1 {
		t.Fatalf("%d spans, want 1: %+v", len(x.Spans), x.Spans)
	}
	s := x.Spans[0]
	if got := string(x.Frame[s.FrameStart:s.FrameEnd]); got != "RETR 1\r\n" {
		t.Errorf("frame octets %d-%d are %q, want the RETR command", s.FrameStart, s.FrameEnd-1, got)
	}
	if !s.Exact || s.MsgStart != 0 || s.MsgLen != 8 || !strings.Contains(s.MsgSummary, "RETR 1") {
		t.Errorf("span %+v does not map to the whole RETR message", s)
	}
	// The TCP header says where the data starts and its sequence number.
	var tcp *sim.ExplainHeader
	for i := range x.Headers {
		if x.Headers[i].Name == "TCP" {
			tcp = &x.Headers[i]
		}
	}
	if tcp == nil {
		t.Fatal("no TCP header")
	}
	if s.FrameStart != tcp.Offset+tcp.Len {
		t.Errorf("data at %d, the TCP header ends at %d", s.FrameStart, tcp.Offset+tcp.Len)
	}
	seq := uint32(x.Frame[tcp.Offset+4])<<24 | uint32(x.Frame[tcp.Offset+5])<<16 | uint32(x.Frame[tcp.Offset+6])<<8 | uint32(x.Frame[tcp.Offset+7])
	if s.Seq != seq {
		t.Errorf("span at sequence number %d, the header says %d", s.Seq, seq)
	}
	// USER student, PASS osi7layers, STAT and LIST (14+17+6+6 octets) went
	// before: RETR's first octet is octet 44 of the client's stream.
	if !s.HasRel || s.RelSeq != 44 {
		t.Errorf("relative sequence number %d (known %v), want 44", s.RelSeq, s.HasRel)
	}
	var text bytes.Buffer
	if err := x.WriteText(&text, layers.OSI7, layers.EN); err != nil {
		t.Fatal(err)
	}
	claim := regexp.MustCompile(`frame octets (\d+)-(\d+) \(8 B\)`).FindStringSubmatch(text.String())
	if claim == nil {
		t.Fatalf("the text does not say where the RETR octets are:\n%s", text.String())
	}
	lo, _ := strconv.Atoi(claim[1])
	hi, _ := strconv.Atoi(claim[2])
	if got := string(x.Frame[lo : hi+1]); got != "RETR 1\r\n" {
		t.Errorf("the text claims octets %d-%d, which are %q", lo, hi, got)
	}
}

// TestExplainFieldOffsets reads every numeric field at the offset and size
// the explanation gives and compares it with the value the layer printed.
func TestExplainFieldOffsets(t *testing.T) {
	list := listOf(t, "client.eth0", sim.FilterOptions{})
	for _, want := range []string{"ARP request", "[SYN]", "C: RETR 1", "S: +OK 2048 octets"} {
		x := explain(t, "client.eth0", frameNo(t, list, want))
		checked := 0
		for _, h := range x.Headers {
			for _, f := range h.Fields {
				v, ok := leadingNumber(f.Value)
				if !ok || f.Bit < 0 || f.Bits == 0 || f.Bits > 48 || f.Name == "FCS" {
					continue
				}
				got := readBits(x.Frame, f.Bit, f.Bits)
				if got.Cmp(v) != 0 {
					t.Errorf("%s: %s %s at bit %d (%d bits) reads %v", want, h.Name, f.Name, f.Bit, f.Bits, got)
				}
				checked++
			}
		}
		if checked < 6 {
			t.Errorf("%s: only %d fields checked", want, checked)
		}
	}
}

// leadingNumber reads the number a field's value starts with: decimal,
// or hexadecimal after 0x.
func leadingNumber(s string) (*big.Int, bool) {
	m := regexp.MustCompile(`^(0x[0-9a-f]+|[0-9]+)($| \(| \[|\()`).FindStringSubmatch(s)
	if m == nil {
		return nil, false
	}
	v, ok := new(big.Int).SetString(m[1], 0)
	return v, ok
}

func readBits(b []byte, at, n int) *big.Int {
	v := new(big.Int)
	for i := at; i < at+n; i++ {
		bit := (b[i/8] >> (7 - i%8)) & 1
		v.Lsh(v, 1)
		v.Or(v, big.NewInt(int64(bit)))
	}
	return v
}

// TestExplainReceivedData: a received frame that carries a status line and
// the start of a body maps each part to its own session unit, the two
// spans covering the frame's data without a gap, and its chain passes
// through the router that forwarded it.
func TestExplainReceivedData(t *testing.T) {
	list := listOf(t, "client.eth0", sim.FilterOptions{})
	x := explain(t, "client.eth0", frameNo(t, list, "S: +OK 2048 octets"))
	if x.Sent {
		t.Error("the reply is received at client.eth0")
	}
	if len(x.Spans) != 2 {
		t.Fatalf("%d spans, want 2 (the status line, the body)", len(x.Spans))
	}
	a, b := x.Spans[0], x.Spans[1]
	if got := string(x.Frame[a.FrameStart:a.FrameEnd]); got != "+OK 2048 octets\r\n" || !a.Exact {
		t.Errorf("first span %q (exact %v)", got, a.Exact)
	}
	if a.FrameStart != x.DataStart || b.FrameStart != a.FrameEnd || b.FrameEnd != x.DataEnd {
		t.Errorf("spans %d-%d and %d-%d do not cover the data %d-%d", a.FrameStart, a.FrameEnd, b.FrameStart, b.FrameEnd, x.DataStart, x.DataEnd)
	}
	if b.SPDUStart != 0 || b.Exact || b.Seq != a.Seq+uint32(a.FrameEnd-a.FrameStart) {
		t.Errorf("second span %+v", b)
	}
	forwarded := false
	for _, p := range x.Chain {
		if p.Node == "r1" && p.Dir == layers.Forward && p.Layer == layers.Network {
			forwarded = true
		}
	}
	if !forwarded {
		t.Errorf("the chain does not pass through r1: %+v", x.Chain)
	}
}

func TestExplainNoSuchFrame(t *testing.T) {
	f, err := scenarios.LoadBundled(scenarios.Default)
	if err != nil {
		t.Fatal(err)
	}
	r, err := sim.NewExplainRecorder("client.eth0", 100000)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := scenarios.Run(f, scenarios.Options{Seed: f.Seed, Recorder: r}); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Explanation(); err == nil || !strings.Contains(err.Error(), "no frame 100000 on client.eth0") {
		t.Errorf("error %v", err)
	}
	if _, err := sim.NewExplainRecorder("client", 1); err == nil {
		t.Error("a link end without an interface was taken")
	}
}

// TestListNumbersSurviveFilters: a filtered list keeps the frames'
// numbers, so that "explain N" finds the frame whatever the filter.
func TestListNumbersSurviveFilters(t *testing.T) {
	all := listOf(t, "client.eth0", sim.FilterOptions{})
	pop3 := listOf(t, "client.eth0", sim.FilterOptions{Protos: sim.ProtoPOP3})
	if frameNo(t, all, "C: RETR 1") != frameNo(t, pop3, "C: RETR 1") {
		t.Error("the filter renumbered the frames")
	}
	for _, l := range pop3[2 : len(pop3)-1] {
		if !strings.Contains(l, "POP3") {
			t.Errorf("--proto pop3 shows %q", l)
		}
	}
	if len(pop3) >= len(all) {
		t.Error("--proto pop3 left nothing out")
	}
}
