package sim

import (
	"encoding/hex"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/osisim/osisim/layers"
)

func mustHex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// describeLayout prints a layout as "Section: field@byte+bits/bits=value"
// lines, byte offsets in octets when the field is octet-aligned.
func describeLayout(secs []htmlSection) []string {
	var out []string
	for _, s := range secs {
		var fs []string
		for _, f := range s.Fields {
			at := fmt.Sprintf("%d/%d", f.Off/8, f.Len/8)
			if f.Off%8 != 0 || f.Len%8 != 0 {
				at = fmt.Sprintf("bit%d/%db", f.Off, f.Len)
			}
			d := f.Name + "@" + at
			if f.Value != "" {
				d += "=" + f.Value
			}
			fs = append(fs, d)
		}
		out = append(out, fmt.Sprintf("%s (%s, L%d): %s", s.Name, s.Kind, s.Layer, strings.Join(fs, ", ")))
	}
	return out
}

func TestLayoutPDU(t *testing.T) {
	tests := []struct {
		name  string
		kind  string
		layer layers.Layer
		hex   string
		want  []string
	}{{
		// The client's ARP request for its gateway 10.0.1.1, broadcast in
		// a 64-octet frame: 14 header octets, 28 of ARP, 18 of padding and
		// the FCS.
		name: "ARP request frame", kind: "ethernet", layer: layers.DataLink,
		hex: "ffffffffffff02000000010a0806000108000604000102000000010a0a00010a0000000000000a000101000000000000000000000000000000000000a0fdf775",
		want: []string{
			"Ethernet II (ethernet, L2): Destination@0/6, Source@6/6, Type@12/2, Padding@42/18=18 B of zeros, FCS@60/4",
			"ARP (arp, L3): Hardware Type@14/2=1 (Ethernet), Protocol Type@16/2=0x0800 (IPv4), Hardware Size@18/1=6, " +
				"Protocol Size@19/1=4, Opcode@20/2=1 (request), Sender MAC Address@22/6=02:00:00:00:01:0a, " +
				"Sender IP Address@28/4=10.0.1.10, Target MAC Address@32/6=00:00:00:00:00:00, Target IP Address@38/4=10.0.1.1",
		},
	}, {
		// The client's "USER student" in a frame to the router: Ethernet,
		// IPv4 (20 octets), TCP (20 octets) and 14 octets of POP3.
		name: "TCP data frame", kind: "ethernet", layer: layers.DataLink,
		hex: "02000000010102000000010a080045000036d10d00004006923d0a00010a0a00026ee5a4006e1965cc23f052ff5d5018ffffcd880000555345522073747564656e740d0a90be9d40",
		want: []string{
			"Ethernet II (ethernet, L2): Destination@0/6, Source@6/6, Type@12/2, FCS@68/4",
			"IPv4 (ipv4, L3): Version@bit112/4b=4, IHL@bit116/4b=5 (20 bytes), TOS@15/1=0x00, Total Length@16/2=54, " +
				"Identification@18/2=0xd10d (53517), Flags@bit160/3b=0x0, Fragment Offset@bit163/13b=0, TTL@22/1=64, " +
				"Protocol@23/1=6 (TCP), Header Checksum@24/2=0x923d, Source@26/4=10.0.1.10, Destination@30/4=10.0.2.110",
			"TCP (tcp, L4): Source Port@34/2=58788, Destination Port@36/2=110(pop3), Sequence Number@38/4=426101795, " +
				"Acknowledgment Number@42/4=4031971165, Data Offset@bit368/4b=5 (20 bytes), Flags@bit372/12b=0x018 [PSH, ACK], " +
				"Window@48/2=65535, Checksum@50/2=0xcd88, Urgent Pointer@52/2=0, Options@54/0=none",
			`Data (14 B) (data, L7): Data@54/14="USER student\r\n"`,
		},
	}, {
		// The client's SYN with the MSS option: 24 octets, no payload.
		name: "TCP SYN", kind: "tcp", layer: layers.Transport,
		hex: "e5a4006e1965cc22000000006002ffffb5140000020405b4",
		want: []string{
			"TCP (tcp, L4): Source Port@0/2, Destination Port@2/2, Sequence Number@4/4, Acknowledgment Number@8/4, " +
				"Data Offset@bit96/4b, Flags@bit100/12b, Window@14/2, Checksum@16/2, Urgent Pointer@18/2, Options@20/4",
		},
	}, {
		// The server's greeting: status, then text, then CRLF.
		name: "POP3 greeting", kind: "pop3", layer: layers.Application,
		hex:  "2b4f4b206d61696c2e6578616d706c652e65647520504f503320736572766572207265616479203c312e3130333535406d61696c2e6578616d706c652e6564753e0d0a",
		want: []string{`POP3 (pop3, L7): Status@0/3, Text@4/61, Rest@65/2="\r\n"`},
	}, {
		// A POP3 reply with a response code (RFC 2449): "-ERR [IN-USE] busy".
		name: "POP3 response code", kind: "pop3", layer: layers.Application,
		hex:  hex.EncodeToString([]byte("-ERR [IN-USE] busy\r\n")),
		want: []string{`POP3 (pop3, L7): Status@0/4, Response code@5/8, Text@14/4, Rest@18/2="\r\n"`},
	}, {
		// A frame too short to hold a header and FCS is one unit.
		name: "runt", kind: "ethernet", layer: layers.DataLink, hex: "ffffffff",
		want: []string{"ethernet (ethernet, L2): Octets@0/4"},
	}, {
		// An IPv4 header whose checksum is wrong is still laid out.
		name: "IPv4 with a bad checksum", kind: "ipv4", layer: layers.Network,
		hex: "450000280001000040060000" + "0a00010a0a00026e" + "e5a4006e1965cc22000000005010ffff00000000",
		want: []string{
			"IPv4 (ipv4, L3): Version@bit0/4b, IHL@bit4/4b, TOS@1/1, Total Length@2/2, Identification@4/2, Flags@bit48/3b, " +
				"Fragment Offset@bit51/13b, TTL@8/1, Protocol@9/1, Header Checksum@10/2, Source@12/4, Destination@16/4",
			"TCP (tcp, L4): Source Port@20/2=58788, Destination Port@22/2=110(pop3), Sequence Number@24/4=426101794, " +
				"Acknowledgment Number@28/4=0, Data Offset@bit256/4b=5 (20 bytes), Flags@bit260/12b=0x010 [ACK], Window@34/2=65535, " +
				"Checksum@36/2=0x0000, Urgent Pointer@38/2=0, Options@40/0=none",
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := describeLayout(layoutPDU(tt.kind, tt.layer, mustHex(t, tt.hex)))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("layout (-want +got):\n%s", diff)
			}
		})
	}
}

// Every field of a layout lies inside the octets, whatever they are.
func FuzzLayoutPDU(f *testing.F) {
	for _, s := range []string{
		"ffffffffffff02000000010a0806000108000604000102000000010a0a00010a0000000000000a000101000000000000000000000000000000000000a0fdf775",
		"02000000010102000000010a080045000036d10d00004006923d0a00010a0a00026ee5a4006e1965cc23f052ff5d5018ffffcd880000555345522073747564656e740d0a90be9d40",
		"e5a4006e1965cc22000000006002ffffb5140000020405b4",
	} {
		b, _ := hex.DecodeString(s)
		for _, k := range []string{"ethernet", "ipv4", "tcp", "udp", "icmp", "arp", "pop3", "dns"} {
			f.Add(k, b)
		}
	}
	f.Fuzz(func(t *testing.T, kind string, b []byte) {
		l := layers.Network
		if kind == "pop3" {
			l = layers.Application
		}
		for _, s := range layoutPDU(kind, l, b) {
			for _, fd := range s.Fields {
				if fd.Off < 0 || fd.Len < 0 || fd.Off+fd.Len > 8*len(b) {
					t.Fatalf("%s field %s at bits %d+%d lies outside %d octets", s.Name, fd.Name, fd.Off, fd.Len, len(b))
				}
			}
		}
	})
}

func TestMarkOf(t *testing.T) {
	tests := []struct {
		e    layers.Event
		want string
	}{
		{layers.Event{Layer: layers.Physical, Dir: layers.Drop, Reason: layers.ReasonLoss}, "drop"},
		{layers.Event{Layer: layers.Transport, Dir: layers.Timeout, Cause: "RTO"}, "timeout"},
		{layers.Event{Layer: layers.Transport, Dir: layers.Down, Cause: "RTO after loss on server->r1"}, "retransmit"},
		{layers.Event{Layer: layers.Transport, Dir: layers.Down, Cause: "fast retransmit after loss on server->r1"}, "retransmit"},
		{layers.Event{Layer: layers.Transport, Dir: layers.Down, Cause: "duplicate ACK after loss on server->r1"}, "dupack"},
		{layers.Event{Layer: layers.DataLink, Dir: layers.Down, Cause: "RTO after loss on server->r1"}, ""},
		{layers.Event{Layer: layers.Physical, Dir: layers.Note, Cause: "reordering on r1->server"}, "fault"},
		{layers.Event{Layer: layers.Physical, Dir: layers.Wire, Cause: "reordering on r1->server"}, ""},
		{layers.Event{Layer: layers.Network, Dir: layers.Note}, ""},
	}
	for _, tt := range tests {
		if got := markOf(&tt.e); got != tt.want {
			t.Errorf("markOf(%v %v cause %q) = %q, want %q", tt.e.Layer, tt.e.Dir, tt.e.Cause, got, tt.want)
		}
	}
}

// A scripted sending and receiving: the passes group what each node did
// with a PDU, and PDUs without octets borrow those of their frame.
func TestHTMLRecorderLink(t *testing.T) {
	r := NewHTMLRecorder()
	frame := mustHex(t, "ffffffffffff02000000010a0806000108000604000102000000010a0a00010a0000000000000a000101000000000000000000000000000000000000a0fdf775")
	arp := frame[14:42]
	rec := func(seq uint64, at int64, node string, l layers.Layer, d layers.Dir, p *layers.PDU, peer string) {
		r.Record(&layers.Event{Seq: seq, Time: time.Duration(at), Node: node, Layer: l, Dir: d, PDU: p, Peer: peer, Text: "x"})
	}
	rec(1, 0, "a", layers.Network, layers.Note, nil, "")
	rec(2, 0, "a", layers.Network, layers.Down, &layers.PDU{Kind: "arp", ID: 1, Bytes: arp}, "")
	rec(3, 0, "a", layers.DataLink, layers.Down, &layers.PDU{Kind: "ethernet", ID: 2, Parents: []uint64{1}, Bytes: frame}, "")
	rec(4, 0, "a", layers.Physical, layers.Wire, &layers.PDU{Kind: "bits", ID: 3, Parents: []uint64{2}}, "b")
	rec(5, 9, "b", layers.Physical, layers.Up, &layers.PDU{Kind: "bits", ID: 2}, "")
	rec(6, 9, "b", layers.DataLink, layers.Up, &layers.PDU{Kind: "ethernet", ID: 2, Bytes: frame}, "")
	rec(7, 9, "b", layers.Network, layers.Up, &layers.PDU{Kind: "arp", ID: 2}, "")
	rec(8, 9, "b", layers.Network, layers.State, nil, "")
	rec(9, 20, "a", layers.Network, layers.Timeout, nil, "")
	r.link()
	type row struct {
		Seq      uint64
		Pass     int
		Side     string
		Blob     int
		Borrowed bool
		Sect     int
		Mark     string
	}
	var got []row
	for _, e := range r.events {
		w := row{Seq: e.Seq, Pass: e.Pass, Side: e.Side, Mark: e.Mark}
		if e.PDU != nil {
			w.Blob, w.Borrowed, w.Sect = e.PDU.Blob, e.PDU.Borrowed, e.PDU.Sect
		}
		got = append(got, w)
	}
	want := []row{
		{Seq: 1, Pass: 1, Side: "out"},
		{Seq: 2, Pass: 1, Side: "out", Blob: 1, Sect: 1},
		{Seq: 3, Pass: 1, Side: "out", Blob: 2, Sect: 1},
		{Seq: 4, Pass: 1, Side: "out", Blob: 2, Borrowed: true},
		{Seq: 5, Pass: 2, Side: "in", Blob: 2, Borrowed: true},
		{Seq: 6, Pass: 2, Side: "in", Blob: 2, Sect: 1},
		{Seq: 7, Pass: 2, Side: "in", Blob: 2, Borrowed: true, Sect: 2},
		{Seq: 8, Pass: 2, Side: "in"},
		{Seq: 9, Pass: 3, Side: "out", Mark: "timeout"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("linked events (-want +got):\n%s", diff)
	}
	if len(r.blobs) != 2 {
		t.Errorf("%d blobs, want 2: the frame recorded twice is kept once", len(r.blobs))
	}
}

func TestLayoutNodes(t *testing.T) {
	// client - sw1 - r1 - server, and pc2 on sw1; a - b apart, and a
	// lone node.
	nodes := []htmlNode{{Name: "client"}, {Name: "sw1"}, {Name: "r1"}, {Name: "pc2"}, {Name: "server"}, {Name: "lone"}, {Name: "a"}, {Name: "b"}}
	edges := [][2]int{{0, 1}, {1, 2}, {3, 1}, {2, 4}, {6, 7}}
	layoutNodes(nodes, edges)
	got := map[string][2]float64{}
	for _, n := range nodes {
		got[n.Name] = [2]float64{n.X, n.Y}
	}
	want := map[string][2]float64{
		"client": {0, 0}, "sw1": {1, 0}, "r1": {2, 0}, "server": {3, 0}, "pc2": {1, 1},
		"a": {0, 2.4}, "b": {1, 2.4}, "lone": {0, 3.8},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("layout (-want +got):\n%s", diff)
	}
}
