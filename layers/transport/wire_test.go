package transport

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"net"
	"net/netip"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/gopacket/gopacket"
	gl "github.com/gopacket/gopacket/layers"
	"github.com/osisim/osisim/layers"
)

var (
	client = netip.MustParseAddr("10.0.0.1")
	server = netip.MustParseAddr("10.0.0.2")
	dnsSrv = netip.MustParseAddr("10.0.0.53")
)

// synLinux is a Linux-style SYN, 10.0.0.1:49731 > 10.0.0.2:110 seq
// 2840133017 win 64240, options [mss 1460,sackOK,TS val 2290314221 ecr
// 0,nop,wscale 7] (tcpdump), checksum 0xdb07.
var synLinux = []byte{
	0xc2, 0x43, 0x00, 0x6e, 0xa9, 0x48, 0xfd, 0x99, 0x00, 0x00, 0x00, 0x00, 0xa0, 0x02, 0xfa, 0xf0,
	0xdb, 0x07, 0x00, 0x00, 0x02, 0x04, 0x05, 0xb4, 0x04, 0x02, 0x08, 0x0a, 0x88, 0x83, 0x6b, 0xed,
	0x00, 0x00, 0x00, 0x00, 0x01, 0x03, 0x03, 0x07,
}

// synAck is 10.0.0.2:110 > 10.0.0.1:49731 [S.] seq 1193046 ack 2840133018
// win 65535, options [mss 1460], checksum 0xe616.
var synAck = []byte{
	0x00, 0x6e, 0xc2, 0x43, 0x00, 0x12, 0x34, 0x56, 0xa9, 0x48, 0xfd, 0x9a, 0x60, 0x12, 0xff, 0xff,
	0xe6, 0x16, 0x00, 0x00, 0x02, 0x04, 0x05, 0xb4,
}

// greeting is 10.0.0.2:110 > 10.0.0.1:49731 [P.] seq 1193047 ack
// 2840133018 win 65535 length 23: "+OK POP3 server ready\r\n".
var greeting = []byte{
	0x00, 0x6e, 0xc2, 0x43, 0x00, 0x12, 0x34, 0x57, 0xa9, 0x48, 0xfd, 0x9a, 0x50, 0x18, 0xff, 0xff,
	0x21, 0x80, 0x00, 0x00, 0x2b, 0x4f, 0x4b, 0x20, 0x50, 0x4f, 0x50, 0x33, 0x20, 0x73, 0x65, 0x72,
	0x76, 0x65, 0x72, 0x20, 0x72, 0x65, 0x61, 0x64, 0x79, 0x0d, 0x0a,
}

// dnsQuery is 10.0.0.1:53124 > 10.0.0.53:53 UDP length 29: a DNS query
// id 0x1a2b, RD, for "example.com" type A class IN; checksum 0x321c.
var dnsQuery = []byte{
	0xcf, 0x84, 0x00, 0x35, 0x00, 0x25, 0x32, 0x1c, 0x1a, 0x2b, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x07, 0x65, 0x78, 0x61, 0x6d, 0x70, 0x6c, 0x65, 0x03, 0x63, 0x6f, 0x6d,
	0x00, 0x00, 0x01, 0x00, 0x01,
}

func TestParseSegmentFixtures(t *testing.T) {
	tests := []struct {
		name     string
		b        []byte
		src, dst netip.Addr
		want     Segment
		summary  string
	}{
		{
			name: "linux SYN", b: synLinux, src: client, dst: server,
			want: Segment{SrcPort: 49731, DstPort: 110, Seq: 2840133017, Flags: SYN, Window: 64240, Checksum: 0xdb07,
				MSS: 1460, Options: synLinux[20:40]},
			summary: "TCP 49731 > 110 [SYN] seq=2840133017 win=64240 mss=1460",
		},
		{
			name: "SYN-ACK", b: synAck, src: server, dst: client,
			want: Segment{SrcPort: 110, DstPort: 49731, Seq: 1193046, Ack: 2840133018, Flags: SYN | ACK, Window: 65535,
				Checksum: 0xe616, MSS: 1460},
			summary: "TCP 110 > 49731 [SYN, ACK] seq=1193046 ack=2840133018 win=65535 mss=1460",
		},
		{
			name: "greeting", b: greeting, src: server, dst: client,
			want: Segment{SrcPort: 110, DstPort: 49731, Seq: 1193047, Ack: 2840133018, Flags: PSH | ACK, Window: 65535,
				Checksum: 0x2180, Payload: []byte("+OK POP3 server ready\r\n")},
			summary: "TCP 110 > 49731 [PSH, ACK] seq=1193047 ack=2840133018 win=65535 len=23",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(tt.b, tt.src, tt.dst)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Parse (-want +got):\n%s", diff)
			}
			if s := got.Summary(); s != tt.summary {
				t.Errorf("Summary = %q, want %q", s, tt.summary)
			}
			if hl := got.HeaderLen(); hl != int(tt.b[12]>>4)*4 {
				t.Errorf("HeaderLen = %d, want %d", hl, int(tt.b[12]>>4)*4)
			}
			back := got.Append([]byte{0xee}, tt.src, tt.dst)
			if !bytes.Equal(back[1:], tt.b) || back[0] != 0xee {
				t.Errorf("Append = % x\nwant      % x", back[1:], tt.b)
			}
		})
	}
}

func TestSegmentFields(t *testing.T) {
	s, err := Parse(synLinux, client, server)
	if err != nil {
		t.Fatal(err)
	}
	want := []layers.Field{
		{Name: "Source Port", Value: "49731"},
		{Name: "Destination Port", Value: "110(pop3)"},
		{Name: "Sequence Number", Value: "2840133017"},
		{Name: "Acknowledgment Number", Value: "0"},
		{Name: "Data Offset", Value: "10 (40 bytes)"},
		{Name: "Flags", Value: "0x002 [SYN]"},
		{Name: "Window", Value: "64240"},
		{Name: "Checksum", Value: "0xdb07"},
		{Name: "Urgent Pointer", Value: "0"},
		{Name: "Options", Value: "MSS=1460, SACK_PERM, TS val=2290314221 ecr=0, NOP, WS=7"},
	}
	if diff := cmp.Diff(want, s.Fields()); diff != "" {
		t.Errorf("Fields (-want +got):\n%s", diff)
	}
	g, _ := Parse(greeting, server, client)
	if v := g.Fields()[9].Value; v != "none" {
		t.Errorf("Options of a segment without options = %q, want none", v)
	}
}

func TestFlagsString(t *testing.T) {
	tests := []struct {
		f    Flags
		want string
	}{
		{0, "[<None>]"},
		{SYN, "[SYN]"},
		{SYN | ACK, "[SYN, ACK]"},
		{FIN | PSH | ACK, "[FIN, PSH, ACK]"},
		{RST | ACK, "[RST, ACK]"},
		{SYN | ECE | CWR, "[SYN, ECE, CWR]"},
		{0xff, "[FIN, SYN, RST, PSH, ACK, URG, ECE, CWR]"},
	}
	for _, tt := range tests {
		if got := tt.f.String(); got != tt.want {
			t.Errorf("Flags(%#x).String() = %q, want %q", uint8(tt.f), got, tt.want)
		}
	}
}

func TestParseSegmentErrors(t *testing.T) {
	bad := append([]byte(nil), greeting...)
	bad[len(bad)-1] ^= 0x01 // one bit flipped in the payload
	tests := []struct {
		name     string
		b        []byte
		src, dst netip.Addr
		want     string
		checksum bool
	}{
		{"empty", nil, client, server, "transport: TCP segment too short: 0 bytes, need at least 20", false},
		{"short", greeting[:19], client, server, "transport: TCP segment too short: 19 bytes, need at least 20", false},
		{"offset below 5", withByte(greeting, 12, 0x40), server, client, "transport: TCP data offset 4 is below the minimum of 5 (20 bytes)", false},
		{"offset beyond", withByte(synAck, 12, 0xf0), server, client, "transport: TCP data offset says 60 header bytes but the segment has only 24", false},
		{"option overruns", withByte(synAck, 21, 9), server, client, "transport: TCP option kind 2 at option byte 0 has length 9, which does not fit the 4 option bytes", false},
		{"option length 0", withByte(synAck, 21, 0), server, client, "transport: TCP option kind 2 at option byte 0 has length 0, which does not fit the 4 option bytes", false},
		{"MSS length", withBytes(synLinux, 20, 2, 6), client, server, "transport: TCP MSS option has length 6, want 4", false},
		{"no length byte", withBytes(synAck, 20, 1, 1, 1, 8), server, client, "transport: TCP option kind 8 at option byte 3 has no length byte", false},
		{"bad checksum", bad, server, client, "transport: checksum mismatch: TCP header says 0x2180, the segment sums to 0x2080", true},
		{"wrong pseudo-header", greeting, server, dnsSrv, "transport: checksum mismatch", true},
		{"mixed families", greeting, server, netip.MustParseAddr("::1"), "transport: cannot build the checksum pseudo-header", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(tt.b, tt.src, tt.dst)
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Fatalf("Parse error = %v, want prefix %q", err, tt.want)
			}
			if got := errors.Is(err, ErrChecksum); got != tt.checksum {
				t.Errorf("errors.Is(err, ErrChecksum) = %v, want %v", got, tt.checksum)
			}
		})
	}
	// Without addresses the checksum is not verified.
	if _, err := Parse(bad, netip.Addr{}, netip.Addr{}); err != nil {
		t.Errorf("Parse without addresses: %v", err)
	}
}

func withByte(b []byte, i int, v byte) []byte {
	out := append([]byte(nil), b...)
	out[i] = v
	return out
}

func withBytes(b []byte, i int, v ...byte) []byte {
	out := append([]byte(nil), b...)
	copy(out[i:], v)
	return out
}

// TestAppendMatchesGopacket serializes random segments with Append and
// with gopacket's layers.TCP and wants the same bytes, then has gopacket
// decode and verify Append's output.
func TestAppendMatchesGopacket(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	buf := gopacket.NewSerializeBuffer()
	opts := gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}
	for i := range 500 {
		src := netip.AddrFrom4([4]byte{10, 0, byte(rng.IntN(256)), byte(rng.IntN(256))})
		dst := netip.AddrFrom4([4]byte{192, 168, byte(rng.IntN(256)), byte(rng.IntN(256))})
		s := Segment{
			SrcPort: uint16(rng.Uint32()), DstPort: uint16(rng.Uint32()),
			Seq: rng.Uint32(), Ack: rng.Uint32(), Flags: Flags(rng.Uint32()),
			Window: uint16(rng.Uint32()), Urgent: uint16(rng.Uint32()),
			Payload: make([]byte, rng.IntN(1461)),
		}
		for j := range s.Payload {
			s.Payload[j] = byte(rng.Uint32())
		}
		g := &gl.TCP{
			SrcPort: gl.TCPPort(s.SrcPort), DstPort: gl.TCPPort(s.DstPort), Seq: s.Seq, Ack: s.Ack,
			FIN: s.Flags.Has(FIN), SYN: s.Flags.Has(SYN), RST: s.Flags.Has(RST), PSH: s.Flags.Has(PSH),
			ACK: s.Flags.Has(ACK), URG: s.Flags.Has(URG), ECE: s.Flags.Has(ECE), CWR: s.Flags.Has(CWR),
			Window: s.Window, Urgent: s.Urgent,
		}
		if i%2 == 0 {
			s.MSS = uint16(rng.Uint32()) | 1
			g.Options = []gl.TCPOption{{OptionType: gl.TCPOptionKindMSS, OptionLength: 4, OptionData: []byte{byte(s.MSS >> 8), byte(s.MSS)}}}
		}
		ip := &gl.IPv4{Version: 4, Protocol: gl.IPProtocolTCP, SrcIP: net.IP(src.AsSlice()), DstIP: net.IP(dst.AsSlice())}
		if err := g.SetNetworkLayerForChecksum(ip); err != nil {
			t.Fatal(err)
		}
		if err := gopacket.SerializeLayers(buf, opts, g, gopacket.Payload(s.Payload)); err != nil {
			t.Fatal(err)
		}
		got := s.Append(nil, src, dst)
		if !bytes.Equal(got, buf.Bytes()) {
			t.Fatalf("segment %d: Append = % x\ngopacket   % x", i, got[:24], buf.Bytes()[:24])
		}
		var dec gl.TCP
		if err := dec.DecodeFromBytes(got, gopacket.NilDecodeFeedback); err != nil {
			t.Fatalf("gopacket cannot decode segment %d: %v", i, err)
		}
		if err := dec.SetNetworkLayerForChecksum(ip); err != nil {
			t.Fatal(err)
		}
		if err, res := dec.VerifyChecksum(); err != nil || !res.Valid {
			t.Fatalf("gopacket rejects the checksum of segment %d: %v %+v", i, err, res)
		}
	}
}

func FuzzParseSegment(f *testing.F) {
	for _, b := range [][]byte{synLinux, synAck, greeting, synAck[:20], nil} {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := Parse(b, client, server)
		if err != nil && !errors.Is(err, ErrChecksum) {
			return
		}
		_ = s.Summary()
		_ = s.Fields()
		out := s.Append(nil, client, server)
		if len(out) != s.Len() || s.HeaderLen() != int(out[12]>>4)*4 {
			t.Fatalf("Append wrote %d bytes, Len says %d", len(out), s.Len())
		}
		s2, err := Parse(out, client, server)
		if err != nil {
			t.Fatalf("Parse(Append(s)): %v", err)
		}
		s.Checksum = s2.Checksum
		if diff := cmp.Diff(s, s2, cmp.Comparer(func(a, b []byte) bool { return bytes.Equal(a, b) })); diff != "" {
			t.Fatalf("Parse-Append-Parse not stable (-first +second):\n%s", diff)
		}
	})
}

func TestParseDatagram(t *testing.T) {
	got, err := ParseDatagram(dnsQuery, client, dnsSrv)
	if err != nil {
		t.Fatal(err)
	}
	want := UserDatagram{SrcPort: 53124, DstPort: 53, Checksum: 0x321c, Payload: dnsQuery[8:]}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ParseDatagram (-want +got):\n%s", diff)
	}
	if s := got.Summary(); s != "UDP 53124 > 53 len=29" {
		t.Errorf("Summary = %q", s)
	}
	wantFields := []layers.Field{
		{Name: "Source Port", Value: "53124"},
		{Name: "Destination Port", Value: "53(dns)"},
		{Name: "Length", Value: "37"},
		{Name: "Checksum", Value: "0x321c"},
	}
	if diff := cmp.Diff(wantFields, got.Fields()); diff != "" {
		t.Errorf("Fields (-want +got):\n%s", diff)
	}
	if back := got.Append(nil, client, dnsSrv); !bytes.Equal(back, dnsQuery) {
		t.Errorf("Append = % x\nwant     % x", back, dnsQuery)
	}
	// Link padding after the Length field is ignored.
	if p, err := ParseDatagram(append(append([]byte(nil), dnsQuery...), 0, 0, 0), client, dnsSrv); err != nil || len(p.Payload) != 29 {
		t.Errorf("padded datagram: %v, payload %d bytes", err, len(p.Payload))
	}
	// A zero checksum means "none" and is not verified.
	if _, err := ParseDatagram(withBytes(dnsQuery, 6, 0, 0), client, dnsSrv); err != nil {
		t.Errorf("zero checksum: %v", err)
	}
}

func TestParseDatagramErrors(t *testing.T) {
	tests := []struct {
		name     string
		b        []byte
		want     string
		checksum bool
	}{
		{"short", dnsQuery[:7], "transport: UDP datagram too short: 7 bytes, need at least 8", false},
		{"length below header", withBytes(dnsQuery, 4, 0, 7), "transport: UDP length field 7 is below the header size of 8", false},
		{"length beyond", withBytes(dnsQuery, 4, 0, 38), "transport: UDP length field says 38 bytes but the datagram has only 37", false},
		{"checksum", withByte(dnsQuery, 20, 8), "transport: checksum mismatch: UDP header says 0x321c, the datagram sums to 0x311c", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseDatagram(tt.b, client, dnsSrv)
			if err == nil || err.Error() != tt.want {
				t.Fatalf("error = %v, want %q", err, tt.want)
			}
			if errors.Is(err, ErrChecksum) != tt.checksum {
				t.Errorf("errors.Is(err, ErrChecksum) = %v", !tt.checksum)
			}
		})
	}
}

func TestDatagramMatchesGopacket(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	buf := gopacket.NewSerializeBuffer()
	opts := gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}
	for i := range 300 {
		u := UserDatagram{SrcPort: uint16(rng.Uint32()), DstPort: uint16(rng.Uint32()), Payload: make([]byte, rng.IntN(600))}
		for j := range u.Payload {
			u.Payload[j] = byte(rng.Uint32())
		}
		ip := &gl.IPv4{Version: 4, Protocol: gl.IPProtocolUDP, SrcIP: net.IP(client.AsSlice()), DstIP: net.IP(dnsSrv.AsSlice())}
		g := &gl.UDP{SrcPort: gl.UDPPort(u.SrcPort), DstPort: gl.UDPPort(u.DstPort)}
		if err := g.SetNetworkLayerForChecksum(ip); err != nil {
			t.Fatal(err)
		}
		if err := gopacket.SerializeLayers(buf, opts, g, gopacket.Payload(u.Payload)); err != nil {
			t.Fatal(err)
		}
		if got := u.Append(nil, client, dnsSrv); !bytes.Equal(got, buf.Bytes()) {
			t.Fatalf("datagram %d: Append = % x\ngopacket   % x", i, got[:8], buf.Bytes()[:8])
		}
	}
}

func FuzzParseDatagram(f *testing.F) {
	f.Add(dnsQuery)
	f.Add(dnsQuery[:8])
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		u, err := ParseDatagram(b, client, dnsSrv)
		if err != nil && !errors.Is(err, ErrChecksum) {
			return
		}
		_ = u.Summary()
		_ = u.Fields()
		out := u.Append(nil, client, dnsSrv)
		u2, err := ParseDatagram(out, client, dnsSrv)
		if err != nil {
			t.Fatalf("ParseDatagram(Append(u)): %v", err)
		}
		u.Checksum = u2.Checksum
		if diff := cmp.Diff(u, u2, cmp.Comparer(func(a, b []byte) bool { return bytes.Equal(a, b) })); diff != "" {
			t.Fatalf("Parse-Append-Parse not stable (-first +second):\n%s", diff)
		}
	})
}

func TestPorts(t *testing.T) {
	tests := []struct {
		p       Port
		class   PortClass
		service string
		str     string
	}{
		{0, WellKnown, "", "0"},
		{20, WellKnown, "ftp-data", "20(ftp-data)"},
		{21, WellKnown, "ftp", "21(ftp)"},
		{23, WellKnown, "telnet", "23(telnet)"},
		{25, WellKnown, "smtp", "25(smtp)"},
		{53, WellKnown, "dns", "53(dns)"},
		{80, WellKnown, "http", "80(http)"},
		{110, WellKnown, "pop3", "110(pop3)"},
		{443, WellKnown, "https", "443(https)"},
		{995, WellKnown, "pop3s", "995(pop3s)"},
		{1023, WellKnown, "", "1023"},
		{1024, Registered, "", "1024"},
		{3389, Registered, "rdp", "3389(rdp)"},
		{8000, Registered, "oicq", "8000(oicq)"},
		{49151, Registered, "", "49151"},
		{49152, Dynamic, "", "49152"},
		{65535, Dynamic, "", "65535"},
	}
	for _, tt := range tests {
		if c := tt.p.Class(); c != tt.class {
			t.Errorf("Port(%d).Class() = %v, want %v", tt.p, c, tt.class)
		}
		if s := tt.p.Service(); s != tt.service {
			t.Errorf("Port(%d).Service() = %q, want %q", tt.p, s, tt.service)
		}
		if s := tt.p.String(); s != tt.str {
			t.Errorf("Port(%d).String() = %q, want %q", tt.p, s, tt.str)
		}
	}
	svcs := Services()
	svcs[0].Name = "changed"
	if Port(20).Service() != "ftp-data" {
		t.Error("Services returned the table itself, not a copy")
	}
	for i := 1; i < len(svcs); i++ {
		if svcs[i-1].Port >= svcs[i].Port {
			t.Errorf("service table not sorted at %d", svcs[i].Port)
		}
	}
	dns, _ := LookupService(53)
	if !dns.TCP || !dns.UDP {
		t.Errorf("dns runs over TCP and UDP: %+v", dns)
	}
	if pop3, _ := LookupService(110); !pop3.TCP || pop3.UDP {
		t.Errorf("pop3 runs over TCP only: %+v", pop3)
	}
	if WellKnown.String() != "well-known" || Registered.String() != "registered" || Dynamic.String() != "dynamic" {
		t.Error("PortClass names")
	}
}
