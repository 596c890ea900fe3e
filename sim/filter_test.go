package sim_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/osisim/osisim/layers"
	"github.com/osisim/osisim/scenarios"
	"github.com/osisim/osisim/sim"
)

func TestParseLayers(t *testing.T) {
	L := func(ls ...layers.Layer) []layers.Layer { return ls }
	tests := []struct {
		model layers.Model
		in    string
		want  []layers.Layer
		err   bool
	}{
		{layers.OSI7, "1", L(layers.Physical), false},
		{layers.OSI7, "L4", L(layers.Transport), false},
		{layers.OSI7, "data-link", L(layers.DataLink), false},
		{layers.OSI7, "Data link", L(layers.DataLink), false},
		{layers.OSI7, "会话层", L(layers.Session), false},
		{layers.OSI7, "application", L(layers.Application), false},
		{layers.OSI7, "8", nil, true},
		{layers.TCPIP5, "5", L(layers.Session, layers.Presentation, layers.Application), false},
		{layers.TCPIP5, "application", L(layers.Session, layers.Presentation, layers.Application), false},
		{layers.TCPIP5, "presentation", L(layers.Session, layers.Presentation, layers.Application), false},
		{layers.TCPIP5, "6", nil, true},
		{layers.TCPIP4, "1", L(layers.Physical, layers.DataLink), false},
		{layers.TCPIP4, "network access", L(layers.Physical, layers.DataLink), false},
		{layers.TCPIP4, "网络接口层", L(layers.Physical, layers.DataLink), false},
		{layers.TCPIP4, "网际", L(layers.Network), false},
		{layers.TCPIP4, "internet", L(layers.Network), false},
		{layers.TCPIP4, "2", L(layers.Network), false},
		{layers.TCPIP4, "3", L(layers.Transport), false},
		{layers.TCPIP4, "4", L(layers.Session, layers.Presentation, layers.Application), false},
		{layers.TCPIP4, "datalink", L(layers.Physical, layers.DataLink), false},
		{layers.TCPIP4, "5", nil, true},
		{layers.TCPIP4, "toaster", nil, true},
	}
	for _, tt := range tests {
		got, err := sim.ParseLayers(tt.model, tt.in)
		if (err != nil) != tt.err {
			t.Errorf("%v %q: error %v, want error %v", tt.model, tt.in, err, tt.err)
			continue
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%v %q (-want +got):\n%s", tt.model, tt.in, diff)
		}
	}
}

func TestParseProtos(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want sim.Protos
	}{
		{"arp", sim.ProtoARP}, {"IPv4", sim.ProtoIPv4}, {"ip", sim.ProtoIPv4}, {"icmp", sim.ProtoICMP},
		{"tcp", sim.ProtoTCP}, {"udp", sim.ProtoUDP}, {"pop3", sim.ProtoPOP3}, {"dns", sim.ProtoDNS},
	} {
		got, err := sim.ParseProtos(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ParseProtos(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
	if _, err := sim.ParseProtos("http"); err == nil {
		t.Error("ParseProtos(http) took a protocol osisim does not filter")
	}
}

// keep records the events a filter passes on.
type keep struct{ list []layers.Event }

func (k *keep) Record(e *layers.Event) { k.list = append(k.list, *e) }

// Fixture octets: a TCP segment 58788 > 110 carrying "RETR 1\r\n", and
// one without data (a pure ACK).
var (
	retrSegment = []byte{
		0xe5, 0xa4, 0x00, 0x6e, 0x19, 0x65, 0xcc, 0x4e, 0xf0, 0x52, 0xff, 0xd8, 0x50, 0x18, 0xff, 0xff,
		0x08, 0x88, 0x00, 0x00, 'R', 'E', 'T', 'R', ' ', '1', '\r', '\n'}
	ackSegment = retrSegment[:20]
)

// TestFilterTable checks each filter on events of every kind.
func TestFilterTable(t *testing.T) {
	ev := func(node string, l layers.Layer, dir layers.Dir, at time.Duration, kind string, b []byte, text string) layers.Event {
		e := layers.Event{Node: node, Layer: l, Dir: dir, Time: at, Text: text}
		if kind != "" {
			e.PDU = &layers.PDU{Kind: kind, Bytes: b}
		}
		return e
	}
	ms := time.Millisecond
	events := []layers.Event{
		ev("client", layers.Application, layers.Down, 1*ms, "pop3", []byte("RETR 1\r\n"), "sends RETR"), // 0
		ev("client", layers.Transport, layers.State, 2*ms, "", nil, "CLOSED -> SYN-SENT"),               // 1
		ev("client", layers.Transport, layers.Down, 3*ms, "tcp", retrSegment, ""),                       // 2
		ev("client", layers.Transport, layers.Down, 4*ms, "tcp", ackSegment, ""),                        // 3
		ev("client", layers.Network, layers.Note, 5*ms, "", nil, "ARP cache has no entry for 10.0.1.1"), // 4
		ev("client", layers.Network, layers.Down, 6*ms, "arp", nil, ""),                                 // 5
		ev("sw1", layers.DataLink, layers.Note, 7*ms, "", nil, "learned 02:00:00:00:01:0a on port 1"),   // 6
		ev("server", layers.Session, layers.Down, 8*ms, "spdu", nil, ""),                                // 7
		ev("server", layers.Physical, layers.Wire, 9*ms, "bits", nil, ""),                               // 8
		ev("r1", layers.Network, layers.Note, 10*ms, "", nil, "route 10.0.2.110 via eth1"),              // 9
	}
	osi := func(s string) []layers.Layer {
		ls, err := sim.ParseLayers(layers.OSI7, s)
		if err != nil {
			t.Fatal(err)
		}
		return ls
	}
	tcpip4 := func(s string) []layers.Layer {
		ls, err := sim.ParseLayers(layers.TCPIP4, s)
		if err != nil {
			t.Fatal(err)
		}
		return ls
	}
	tests := []struct {
		name string
		opt  sim.FilterOptions
		want []int
	}{
		{"none", sim.FilterOptions{}, []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}},
		{"node client", sim.FilterOptions{Nodes: []string{"client"}}, []int{0, 1, 2, 3, 4, 5}},
		{"nodes sw1 r1", sim.FilterOptions{Nodes: []string{"sw1", "r1"}}, []int{6, 9}},
		{"osi layer 4", sim.FilterOptions{Layers: osi("4")}, []int{1, 2, 3}},
		{"osi layer 2", sim.FilterOptions{Layers: osi("2")}, []int{6}},
		{"tcpip4 layer 1", sim.FilterOptions{Layers: tcpip4("1")}, []int{6, 8}},
		{"tcpip4 layer 4", sim.FilterOptions{Layers: tcpip4("4")}, []int{0, 7}},
		{"proto pop3", sim.FilterOptions{Protos: sim.ProtoPOP3}, []int{0, 2, 7}},
		{"proto tcp", sim.FilterOptions{Protos: sim.ProtoTCP}, []int{1, 2, 3}},
		{"proto arp", sim.FilterOptions{Protos: sim.ProtoARP}, []int{4, 5}},
		{"proto ipv4", sim.FilterOptions{Protos: sim.ProtoIPv4}, []int{9}},
		{"proto arp or tcp", sim.FilterOptions{Protos: sim.ProtoARP | sim.ProtoTCP}, []int{1, 2, 3, 4, 5}},
		{"from 3ms to 6ms", sim.FilterOptions{From: 3 * ms, To: 6 * ms}, []int{2, 3, 4, 5}},
		{"from 8ms", sim.FilterOptions{From: 8 * ms}, []int{7, 8, 9}},
		{"to 2ms", sim.FilterOptions{To: 2 * ms}, []int{0, 1}},
		{"client transport pop3", sim.FilterOptions{Nodes: []string{"client"}, Layers: osi("transport"), Protos: sim.ProtoPOP3}, []int{2}},
	}
	for _, tt := range tests {
		var k keep
		f := sim.NewFilter(&k, tt.opt)
		var got []int
		for i := range events {
			e := events[i]
			before := len(k.list)
			f.Record(&e)
			if len(k.list) > before {
				got = append(got, i)
			}
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.name, diff)
		}
	}
}

// TestFilterChapters: a chapter title on an event left out moves to the
// next event passed on.
func TestFilterChapters(t *testing.T) {
	var k keep
	f := sim.NewFilter(&k, sim.FilterOptions{Nodes: []string{"server"}})
	for _, e := range []layers.Event{
		{Node: "client", Layer: layers.Application, Dir: layers.Note, Chapter: "one", Text: "a"},
		{Node: "server", Layer: layers.Transport, Dir: layers.State, Text: "b"},
		{Node: "client", Layer: layers.Application, Dir: layers.Note, Chapter: "two", Walk: true, Text: "c"},
		{Node: "client", Layer: layers.Application, Dir: layers.Note, Chapter: "three", Text: "d"},
		{Node: "server", Layer: layers.Transport, Dir: layers.State, Text: "e"},
		{Node: "server", Layer: layers.Transport, Dir: layers.State, Text: "f"},
	} {
		f.Record(&e)
	}
	type got struct {
		Text, Chapter string
	}
	var out []got
	for _, e := range k.list {
		out = append(out, got{e.Text, e.Chapter})
	}
	want := []got{{"b", "one"}, {"e", "three"}, {"f", ""}}
	if diff := cmp.Diff(want, out); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestFilterRun filters a whole run of the default lesson and checks that
// every event passed on meets the filter, and that the filter left some
// out and let some through.
func TestFilterRun(t *testing.T) {
	f, err := scenarios.LoadBundled(scenarios.Default)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name  string
		opt   sim.FilterOptions
		check func(e *layers.Event) bool
	}{
		{"server", sim.FilterOptions{Nodes: []string{"server"}}, func(e *layers.Event) bool { return e.Node == "server" }},
		{"network access", sim.FilterOptions{Layers: []layers.Layer{layers.Physical, layers.DataLink}},
			func(e *layers.Event) bool { return e.Layer <= layers.DataLink }},
		{"window", sim.FilterOptions{From: 20 * time.Millisecond, To: 30 * time.Millisecond},
			func(e *layers.Event) bool { return e.Time >= 20*time.Millisecond && e.Time <= 30*time.Millisecond }},
		{"arp", sim.FilterOptions{Protos: sim.ProtoARP}, func(e *layers.Event) bool {
			return e.PDU == nil || e.PDU.Kind == "arp" || e.PDU.Kind == "ethernet" || e.PDU.Kind == "bits"
		}},
	} {
		var all, k keep
		tee := teeRecorder{&all, sim.NewFilter(&k, tt.opt)}
		if _, err := scenarios.Run(f, scenarios.Options{Seed: f.Seed, Recorder: tee}); err != nil {
			t.Fatal(err)
		}
		if len(k.list) == 0 || len(k.list) >= len(all.list) {
			t.Errorf("%s: %d of %d events passed", tt.name, len(k.list), len(all.list))
		}
		for i := range k.list {
			if !tt.check(&k.list[i]) {
				t.Errorf("%s: passed %+v", tt.name, k.list[i])
				break
			}
		}
	}
}

type teeRecorder []layers.Recorder

func (t teeRecorder) Record(e *layers.Event) {
	for _, r := range t {
		r.Record(e)
	}
}
