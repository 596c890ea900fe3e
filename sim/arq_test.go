package sim_test

import (
	"bytes"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/osisim/osisim/layers"
	"github.com/osisim/osisim/layers/datalink"
	"github.com/osisim/osisim/scenarios"
	"github.com/osisim/osisim/sim"
)

// arqRecorder keeps every trace event, PDU bytes left out.
type arqRecorder struct{ list []layers.Event }

func (r *arqRecorder) Record(e *layers.Event) {
	c := *e
	if e.PDU != nil {
		p := *e.PDU
		p.Bytes = nil
		p.Parents = append([]uint64(nil), p.Parents...)
		c.PDU = &p
	}
	r.list = append(r.list, c)
}

func runARQLesson(t *testing.T, seed uint64, rec layers.Recorder) *scenarios.Result {
	t.Helper()
	f, err := scenarios.LoadBundled("link-arq")
	if err != nil {
		t.Fatal(err)
	}
	res, err := scenarios.Run(f, scenarios.Options{Seed: seed, Recorder: rec})
	if err != nil {
		t.Fatal(err)
	}
	if !res.OK() {
		t.Fatalf("seed %d: expectations failed:\n%s", seed, res.Failures())
	}
	return res
}

// resent returns how many TCP segments each host retransmitted.
func resent(st sim.Stats) map[string]uint64 {
	out := map[string]uint64{}
	for _, c := range st.Segments {
		out[c.Node] = c.Resent
	}
	return out
}

// TestLinkARQLesson checks the promise of the bundled lesson link-arq: the
// message arrives intact over all three noisy lines; over the two lines
// with ARQ the data link layer retransmitted damaged frames and TCP
// retransmitted nothing, while over the line without ARQ TCP had to.
func TestLinkARQLesson(t *testing.T) {
	rec := &arqRecorder{}
	f, _ := scenarios.LoadBundled("link-arq")
	res := runARQLesson(t, f.Seed, rec)

	got := resent(res.Stats)
	want := map[string]uint64{"c-saw": 0, "s-saw": 0, "c-gbn": 0, "s-gbn": 0, "c-tcp": 0}
	for node, n := range want {
		if got[node] != n {
			t.Errorf("%s retransmitted %d TCP segments, want %d", node, got[node], n)
		}
	}
	if got["s-tcp"] == 0 {
		t.Errorf("s-tcp retransmitted no TCP segment: the line without ARQ should have made TCP recover")
	}

	arq := map[string]sim.ARQEndStats{}
	for _, e := range res.Sim.ARQStats() {
		arq[e.Port] = e
	}
	if len(arq) != 4 {
		t.Fatalf("ARQ ends %v, want 4", arq)
	}
	for _, port := range []string{"s-saw.eth0", "s-gbn.eth0"} {
		e := arq[port]
		if e.Retransmitted == 0 || e.Timeouts == 0 || e.Down {
			t.Errorf("%s: %+v: want retransmissions after timeouts, link up", port, e)
		}
	}
	// Every DATA frame one end sent for the first time was delivered once
	// at the other.
	for _, pair := range [][2]string{{"c-saw.eth0", "s-saw.eth0"}, {"c-gbn.eth0", "s-gbn.eth0"}} {
		a, b := arq[pair[0]], arq[pair[1]]
		if a.Sent != b.Delivered || b.Sent != a.Delivered {
			t.Errorf("%s sent %d, %s delivered %d; %s sent %d, %s delivered %d",
				pair[0], a.Sent, pair[1], b.Delivered, pair[1], b.Sent, pair[0], a.Delivered)
		}
	}
	if arq["c-gbn.eth0"].OutOfOrder == 0 {
		t.Errorf("c-gbn discarded no frame after a gap: %+v", arq["c-gbn.eth0"])
	}

	checks := []struct {
		what string
		pred func(e *layers.Event) bool
	}{
		{"an ARQ timeout at s-saw", func(e *layers.Event) bool {
			return e.Node == "s-saw" && e.Layer == layers.DataLink && e.Dir == layers.Timeout &&
				strings.HasPrefix(e.Text, "ARQ timer expired: no ACK for frame") && strings.Contains(e.Text, "retransmitting frame")
		}},
		{"a go-back-N timeout resending a window", func(e *layers.Event) bool {
			return e.Node == "s-gbn" && e.Dir == layers.Timeout && strings.Contains(e.Text, "going back to frame")
		}},
		{"an ARQ retransmission at L2 with its cause", func(e *layers.Event) bool {
			return e.Layer == layers.DataLink && e.Dir == layers.Down && e.Cause == datalink.ARQRetransmitCause &&
				strings.HasPrefix(e.Text, "ARQ retransmits DATA frame")
		}},
		{"an L2 ACK sent", func(e *layers.Event) bool {
			return e.Layer == layers.DataLink && e.Dir == layers.Down && e.PDU != nil && strings.Contains(e.PDU.Summary, "ARQ ACK ack=")
		}},
		{"an out-of-order frame discarded by go-back-N", func(e *layers.Event) bool {
			return e.Node == "c-gbn" && e.Dir == layers.Drop && e.Reason == layers.ReasonOutOfOrder
		}},
		{"a damaged frame on an ARQ line left unacknowledged", func(e *layers.Event) bool {
			return e.Dir == layers.Drop && e.Reason == layers.ReasonFCS && strings.Contains(e.Text, "no ARQ acknowledgement goes back")
		}},
		{"a TCP retransmission on the line without ARQ", func(e *layers.Event) bool {
			return e.Node == "s-tcp" && e.Layer == layers.Transport && e.Dir == layers.Timeout
		}},
	}
	for _, c := range checks {
		found := false
		for i := range rec.list {
			if c.pred(&rec.list[i]) {
				found = true
				break
			}
		}
		if !found {
			t.Errorf("the trace shows no %s", c.what)
		}
	}
	// Nothing at layer 4 of the ARQ pairs was dropped, and no timer but
	// TIME-WAIT's expired.
	for i := range rec.list {
		e := &rec.list[i]
		lost := e.Dir == layers.Drop || e.Dir == layers.Timeout && !strings.Contains(e.Text, "TIME-WAIT")
		if e.Layer == layers.Transport && lost && !strings.HasSuffix(e.Node, "-tcp") {
			t.Errorf("%s at %v: %s %s (%s): TCP over ARQ should see no loss", e.Node, e.Time, e.Dir, e.Text, e.Reason)
		}
	}
	if s := res.Summary(); !strings.Contains(s, "link ARQ at s-gbn.eth0 (go-back-N, timeout 10ms): ") {
		t.Errorf("summary lacks the ARQ line:\n%s", s)
	}
}

// TestLinkARQTrace checks the PDU chain of an ARQ DATA frame: the ARQ frame
// is built from the NIC's plain frame (its parent), describes the ARQ
// header between the type and the FCS, and is what goes on the wire.
func TestLinkARQTrace(t *testing.T) {
	rec := &arqRecorder{}
	f, _ := scenarios.LoadBundled("link-arq")
	runARQLesson(t, f.Seed, rec)
	byID := map[uint64]*layers.Event{}
	for i := range rec.list {
		e := &rec.list[i]
		if e.PDU != nil && e.PDU.ID != 0 && byID[e.PDU.ID] == nil {
			byID[e.PDU.ID] = e
		}
	}
	var data *layers.Event
	for i := range rec.list {
		e := &rec.list[i]
		if e.Node == "s-saw" && e.Dir == layers.Down && e.Layer == layers.DataLink && e.PDU != nil &&
			strings.Contains(e.PDU.Summary, "ARQ DATA seq=1 (stop-and-wait), IPv4") {
			data = e
			break
		}
	}
	if data == nil {
		t.Fatal("no ARQ DATA frame 1 sent by s-saw")
	}
	var names []string
	for _, fd := range data.PDU.Fields {
		names = append(names, fd.Name)
	}
	wantNames := []string{"Destination", "Source", "Type", "Kind", "Mode", "Sequence", "Acknowledgement", "EtherType", "FCS"}
	if diff := cmp.Diff(wantNames, names); diff != "" {
		t.Errorf("fields (-want +got):\n%s", diff)
	}
	if data.PDU.HeaderLen != datalink.HeaderLen+datalink.FCSLen+datalink.ARQHeaderLen {
		t.Errorf("header length %d", data.PDU.HeaderLen)
	}
	if len(data.PDU.Parents) != 1 {
		t.Fatalf("parents %v", data.PDU.Parents)
	}
	plain := byID[data.PDU.Parents[0]]
	if plain == nil || plain.Layer != layers.DataLink || !strings.Contains(plain.PDU.Summary, "type IPv4") {
		t.Fatalf("the ARQ frame's parent is %+v, want the NIC's IPv4 frame", plain)
	}
	if plain.PDU.Len+datalink.ARQHeaderLen != data.PDU.Len {
		t.Errorf("plain frame %d B, ARQ frame %d B: want 6 B more", plain.PDU.Len, data.PDU.Len)
	}
	wire := false
	for i := range rec.list {
		e := &rec.list[i]
		if e.Dir == layers.Wire && e.PDU != nil && len(e.PDU.Parents) == 1 && e.PDU.Parents[0] == data.PDU.ID {
			wire = true
		}
	}
	if !wire {
		t.Error("no transmission on the wire descends from the ARQ frame")
	}
}

// TestLinkARQDeterministic runs the lesson twice with one seed: the traces
// are byte for byte the same. With other seeds the lesson keeps its
// promise: the messages arrive and TCP over ARQ retransmits nothing.
func TestLinkARQDeterministic(t *testing.T) {
	var traces [2]bytes.Buffer
	for i := range traces {
		rec := sim.NewJSONRecorder(&traces[i])
		runARQLesson(t, 3, rec)
		if err := rec.Flush(); err != nil {
			t.Fatal(err)
		}
	}
	if traces[0].Len() == 0 || !bytes.Equal(traces[0].Bytes(), traces[1].Bytes()) {
		t.Errorf("two runs with seed 3 differ (%d and %d B)", traces[0].Len(), traces[1].Len())
	}
	for seed := uint64(10); seed < 16; seed++ {
		res := runARQLesson(t, seed, nil)
		got := resent(res.Stats)
		for _, node := range []string{"c-saw", "s-saw", "c-gbn", "s-gbn"} {
			if got[node] != 0 {
				t.Errorf("seed %d: %s retransmitted %d TCP segments over ARQ", seed, node, got[node])
			}
		}
	}
}

// TestSetARQ checks what SetARQ refuses.
func TestSetARQ(t *testing.T) {
	cfg := datalink.ARQConfig{Mode: datalink.GoBackN, Window: 4, Timeout: 10 * time.Millisecond}
	tests := []struct {
		name string
		mtu  int
		sw   bool
		cfg  datalink.ARQConfig
		want string
	}{
		{"fits", 1494, false, cfg, ""},
		{"MTU too big", 0, false, cfg, "sim: link a.eth0 - b.eth0: a.eth0 has an MTU of 1500; with the 6-octet ARQ header it may be at most 1494"},
		{"switch", 1494, true, cfg, "sim: link a.eth0 - sw.1: ARQ runs between the NICs of hosts and routers, sw.1 is not one"},
		{"bad window", 1494, false, datalink.ARQConfig{Mode: datalink.GoBackN, Window: 200, Timeout: time.Millisecond},
			"sim: link a.eth0 - b.eth0: datalink: go-back-N window 200: want 1 to 127 (half the modulus 256)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := sim.New(1, nil)
			host := func(name string, last byte) *sim.Host {
				h, err := s.AddHost(name, sim.HostConfig{Interfaces: []sim.Interface{{Name: "eth0",
					MAC: datalink.MAC{2, 0, 0, 0, 0, last}, Addr: netip.PrefixFrom(netip.AddrFrom4([4]byte{10, 0, 0, last}), 24), MTU: tt.mtu}}})
				if err != nil {
					t.Fatal(err)
				}
				return h
			}
			a := host("a", 1)
			var other *sim.Port
			if tt.sw {
				other = s.AddSwitch("sw", 2, time.Minute).Ports()[0]
			} else {
				other = host("b", 2).Ports()[0]
			}
			l, err := s.Connect(a.Ports()[0], other, sim.LinkConfig{BitRate: 10_000_000, Delay: time.Millisecond})
			if err != nil {
				t.Fatal(err)
			}
			err = l.SetARQ(tt.cfg)
			got := ""
			if err != nil {
				got = err.Error()
			}
			if got != tt.want {
				t.Errorf("SetARQ: %q, want %q", got, tt.want)
			}
			if err == nil && (l.ARQ(a.Ports()[0]) == nil || l.ARQ(other) == nil) {
				t.Error("no ARQ at an end")
			}
		})
	}
}

// TestLinkARQValidation checks the scenario file's arq: key: each mistake
// is refused with its position and a plain sentence.
func TestLinkARQValidation(t *testing.T) {
	base, ok := scenarios.Source("link-arq")
	if !ok {
		t.Fatal("no link-arq")
	}
	tests := []struct {
		name, from, to, want string
	}{
		{"unknown mode", "mode: stop-and-wait,", "mode: selective-repeat,", `ARQ mode "selective-repeat": want stop-and-wait or go-back-n`},
		{"window too big", "window: 4,", "window: 200,", "go-back-n needs a window of 1 to 127 frames, got 200"},
		{"stop-and-wait with a window", "mode: stop-and-wait,", "mode: stop-and-wait, window: 2,", "stop-and-wait sends one frame at a time: leave out window (or use go-back-n), got 2"},
		{"timeout shorter than the round trip", "window: 4, timeout: 10ms", "window: 4, timeout: 3ms",
			"ARQ timeout 3ms is not longer than the link's round trip of 3.2784ms"},
		{"bad timeout", "timeout: 5ms", "timeout: soon", `ARQ timeout "soon" is not a positive time such as 5ms`},
		{"MTU without room for the header", `ip: 10.0.1.10/24, mtu: 1494`, `ip: 10.0.1.10/24`,
			"c-saw.eth0 has an MTU of 1500 (the default): on a link with arq it may be at most 1494, as the 6-octet ARQ header shares Ethernet's 1500; set `mtu: 1494`"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := strings.Replace(string(base), tt.from, tt.to, 1)
			if src == string(base) {
				t.Fatalf("%q not in the file", tt.from)
			}
			_, err := scenarios.Load("link-arq.yaml", []byte(src))
			if err == nil {
				t.Fatal("accepted")
			}
			if !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "link-arq.yaml:") {
				t.Errorf("error:\n%v\nwant it to contain %q with a position", err, tt.want)
			}
		})
	}
}
