package sim_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	gplayers "github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"

	"github.com/osisim/osisim/layers"
	"github.com/osisim/osisim/layers/datalink"
	"github.com/osisim/osisim/scenarios"
	"github.com/osisim/osisim/sim"
)

// wireEvents collects the time and sender of every frame put on a wire,
// by the id of the frame (the parent of the bits).
type wireEvents map[uint64][]string

func (w wireEvents) Record(e *layers.Event) {
	if e.Dir == layers.Wire && e.PDU != nil && len(e.PDU.Parents) == 1 {
		id := e.PDU.Parents[0]
		w[id] = append(w[id], sim.Seconds(e.Time)+" "+e.Node+"."+e.Iface)
	}
}

// capture runs the default scenario with seed into a capture of format.
func capture(t *testing.T, format sim.CaptureFormat, seed uint64, next layers.Recorder) ([]byte, *sim.PcapWriter) {
	t.Helper()
	f, err := scenarios.LoadBundled(scenarios.Default)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	w := sim.NewPcapWriter(&buf, sim.PcapOptions{Format: format, Comment: "test", Next: next})
	if _, err := scenarios.Run(f, scenarios.Options{Seed: seed, Recorder: w, Capture: w}); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), w
}

func TestPcapSameSeedSameBytes(t *testing.T) {
	for _, format := range []sim.CaptureFormat{sim.PcapNG, sim.Pcap} {
		a, _ := capture(t, format, 1, nil)
		b, _ := capture(t, format, 1, nil)
		c, _ := capture(t, format, 2, nil)
		if !bytes.Equal(a, b) {
			t.Errorf("%s: two runs with seed 1 wrote different files", format)
		}
		if bytes.Equal(a, c) {
			t.Errorf("%s: seeds 1 and 2 wrote the same file", format)
		}
	}
}

func TestPcapNGReadBack(t *testing.T) {
	wire := wireEvents{}
	data, w := capture(t, sim.PcapNG, 1, wire)
	r, err := pcapgo.NewNgReader(bytes.NewReader(data), pcapgo.NgReaderOptions{})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	var last time.Time
	for {
		frame, ci, opts, err := r.ReadPacketDataWithOptions()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("frame %d: %v", n+1, err)
		}
		n++
		if ci.Timestamp.Before(last) {
			t.Errorf("frame %d: time goes back from %v to %v", n, last, ci.Timestamp)
		}
		last = ci.Timestamp
		if _, err := datalink.Parse(frame); err != nil {
			t.Errorf("frame %d: %v", n, err)
		}
		if opts.Flags == nil || opts.Flags.FCSLen != pcapgo.NewNgEpbFlagFCSLength(4) || opts.Flags.Direction != pcapgo.NgEpbFlagDirectionOutbound {
			t.Errorf("frame %d: flags %+v, want outbound with a 4-octet FCS", n, opts.Flags)
		}
		if len(opts.Comments) == 0 || !strings.HasPrefix(opts.Comments[0], sim.CommentPrefix) {
			t.Fatalf("frame %d: comments %q, want the first to start with %q", n, opts.Comments, sim.CommentPrefix)
		}
		// The frame's id, time and sending port are those of the trace's
		// wire event for the same frame.
		var id uint64
		var port string
		head := strings.TrimPrefix(opts.Comments[0], sim.CommentPrefix)
		if _, err := fmtSscan(head, &id, &port); err != nil {
			t.Fatalf("frame %d: comment %q: %v", n, opts.Comments[0], err)
		}
		got := sim.Seconds(time.Duration(ci.Timestamp.UnixNano())) + " " + port
		intf, err := r.Interface(ci.InterfaceIndex)
		if err != nil || !strings.HasPrefix(intf.Name, port+" -> ") {
			t.Errorf("frame %d from %s is on interface %q", n, port, intf.Name)
		}
		found := false
		for _, s := range wire[id] {
			found = found || s == got
		}
		if !found {
			t.Errorf("frame %d (pdu %d): %s, but the trace has it on the wire at %v", n, id, got, wire[id])
		}
	}
	if n == 0 || n != w.Frames() {
		t.Fatalf("read %d frames, the writer wrote %d", n, w.Frames())
	}
	// One interface per link end, in the order the links were connected.
	var names []string
	for i := range r.NInterfaces() {
		intf, _ := r.Interface(i)
		names = append(names, intf.Name)
		if intf.LinkType != gplayers.LinkTypeEthernet || intf.OS != "" {
			t.Errorf("interface %d: link type %v, OS %q", i, intf.LinkType, intf.OS)
		}
	}
	want := []string{
		"client.eth0 -> sw1.1", "sw1.1 -> client.eth0", "sw1.2 -> r1.eth0", "r1.eth0 -> sw1.2",
		"pc2.eth0 -> sw1.3", "sw1.3 -> pc2.eth0", "r1.eth1 -> server.eth0", "server.eth0 -> r1.eth1",
	}
	if diff := cmp.Diff(want, names); diff != "" {
		t.Errorf("interfaces (-want +got):\n%s", diff)
	}
	info := r.SectionInfo()
	if diff := cmp.Diff(pcapgo.NgSectionInfo{Application: "osisim", Comment: "test"}, info); diff != "" {
		t.Errorf("section header (-want +got):\n%s", diff)
	}
}

// fmtSscan reads "57: frame sent by client.eth0 to sw1.1" into id and port.
func fmtSscan(s string, id *uint64, port *string) (int, error) {
	num, rest, ok := strings.Cut(s, ": frame sent by ")
	if !ok {
		return 0, errors.New("no sender")
	}
	var v uint64
	for _, c := range num {
		if c < '0' || c > '9' {
			return 0, errors.New("bad id")
		}
		v = v*10 + uint64(c-'0')
	}
	*id = v
	*port, _, _ = strings.Cut(rest, " ")
	return 2, nil
}

func TestPcapClassicHeader(t *testing.T) {
	data, w := capture(t, sim.Pcap, 1, nil)
	// pcap file header: nanosecond magic, version 2.4, zone 0, sigfigs 0,
	// snaplen 65535, LINKTYPE_ETHERNET (1) with the FCS-length-present bit
	// 0x04000000 and 2 (16-bit words of FCS) in bits 28-31.
	want := []byte{
		0x4d, 0x3c, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		0xff, 0xff, 0, 0, 0x01, 0x00, 0x00, 0x24,
	}
	if diff := cmp.Diff(want, data[:24]); diff != "" {
		t.Fatalf("file header (-want +got):\n%s", diff)
	}
	n := 0
	for b := data[24:]; len(b) > 0; n++ {
		if len(b) < 16 {
			t.Fatalf("record %d: %d bytes left, a record header has 16", n+1, len(b))
		}
		caplen := int(binary.LittleEndian.Uint32(b[8:]))
		frame := b[16 : 16+caplen]
		if crc32.ChecksumIEEE(frame[:caplen-4]) != binary.LittleEndian.Uint32(frame[caplen-4:]) {
			t.Errorf("record %d does not end with its FCS", n+1)
		}
		b = b[16+caplen:]
	}
	if n != w.Frames() {
		t.Errorf("%d records, the writer wrote %d frames", n, w.Frames())
	}
}

// TestPcapComments checks what a frame's comments say: its id and path,
// its cause, the link's note and what it carries.
func TestPcapComments(t *testing.T) {
	var buf bytes.Buffer
	w := sim.NewPcapWriter(&buf, sim.PcapOptions{})
	s := sim.New(1, w)
	a, b := s.AddSwitch("a", 1, time.Minute), s.AddSwitch("b", 1, time.Minute)
	l, err := s.Connect(a.Ports()[0], b.Ports()[0], sim.LinkConfig{BitRate: 1e6})
	if err != nil {
		t.Fatal(err)
	}
	// What the trace said before the frame went out: a segment (id 5) in a
	// datagram (id 6) in the frame (id 7).
	w.Record(&layers.Event{Layer: layers.Transport, Dir: layers.Down, PDU: &layers.PDU{Kind: "tcp", ID: 5, Summary: "TCP 1 > 2 [SYN]"}})
	w.Record(&layers.Event{Layer: layers.Network, Dir: layers.Down, PDU: &layers.PDU{Kind: "ipv4", ID: 6, Parents: []uint64{5}, Summary: "IPv4 a > b"}})
	f := datalink.Frame{Dst: datalink.MAC{2, 0, 0, 0, 0, 2}, Src: datalink.MAC{2, 0, 0, 0, 0, 1}, Type: datalink.EtherTypeIPv4}
	w.Frame(l, a.Ports()[0], f.Append(nil), layers.Meta{ID: 7, Parents: []uint64{6}, Cause: "retransmission after RTO"}, "lost (rule 1)")
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	r, err := pcapgo.NewNgReader(&buf, pcapgo.NgReaderOptions{})
	if err != nil {
		t.Fatal(err)
	}
	_, _, opts, err := r.ReadPacketDataWithOptions()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"osisim pdu 7: frame sent by a.1 to b.1",
		"cause: retransmission after RTO",
		"on the link: lost (rule 1)",
		"carries L3 ipv4 pdu 6: IPv4 a > b",
		"carries L4 tcp pdu 5: TCP 1 > 2 [SYN]",
	}
	if diff := cmp.Diff(want, opts.Comments); diff != "" {
		t.Errorf("comments (-want +got):\n%s", diff)
	}
	if opts.Flags == nil || opts.Flags.Reception != pcapgo.NgEpbFlagReceptionTypeUnicast {
		t.Errorf("flags %+v, want unicast", opts.Flags)
	}
}

func TestParseCaptureFormat(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want sim.CaptureFormat
		err  bool
	}{{"pcapng", sim.PcapNG, false}, {"pcap", sim.Pcap, false}, {"erf", 0, true}} {
		got, err := sim.ParseCaptureFormat(tt.in)
		if (err != nil) != tt.err || got != tt.want {
			t.Errorf("ParseCaptureFormat(%q) = %v, %v", tt.in, got, err)
		}
		if err == nil && got.String() != tt.in {
			t.Errorf("%v.String() = %q", got, got.String())
		}
	}
}
