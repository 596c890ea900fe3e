package network

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/osisim/osisim/layers"
)

func TestParseICMP(t *testing.T) {
	tests := []struct {
		name    string
		b       []byte
		want    ICMP
		summary string
	}{
		{"echo request", fixEchoRequest[20:], ICMP{Type: ICMPEchoRequest, Checksum: 0x4d5a, ID: 1, Seq: 1, Data: []byte("abcdefghijklmnopqrstuvwabcdefghi")},
			"ICMP echo request id=1 seq=1"},
		{"echo reply", fixEchoReply[20:], ICMP{Type: ICMPEchoReply, Checksum: 0x555a, ID: 1, Seq: 1, Data: []byte("abcdefghijklmnopqrstuvwabcdefghi")},
			"ICMP echo reply id=1 seq=1"},
		{"time exceeded", fixTimeExceeded, ICMP{Type: ICMPTimeExceeded, Code: ICMPTTLExceeded, Checksum: 0x7190, Data: fixTimeExceeded[8:]},
			"ICMP time exceeded (TTL expired in transit)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseICMP(tt.b)
			if err != nil {
				t.Fatalf("ParseICMP: %v", err)
			}
			if diff := cmp.Diff(tt.want, got, cmpOpts); diff != "" {
				t.Errorf("ParseICMP (-want +got):\n%s", diff)
			}
			if out := got.Append(nil); !bytes.Equal(out, tt.b) {
				t.Errorf("Append:\n got %x\nwant %x", out, tt.b)
			}
			if got.Summary() != tt.summary {
				t.Errorf("Summary = %q, want %q", got.Summary(), tt.summary)
			}
		})
	}
}

func TestICMPInDatagram(t *testing.T) {
	d, err := Parse(fixEchoRequest)
	if err != nil {
		t.Fatal(err)
	}
	m, err := ParseICMP(d.Payload)
	if err != nil {
		t.Fatal(err)
	}
	// Rebuild the whole captured datagram from values.
	d2 := Datagram{ID: d.ID, DontFragment: true, TTL: 64, Protocol: ProtoICMP, Src: d.Src, Dst: d.Dst,
		Payload: EchoRequest(1, 1, []byte("abcdefghijklmnopqrstuvwabcdefghi")).Append(nil)}
	if out := d2.Append(nil); !bytes.Equal(out, fixEchoRequest) {
		t.Errorf("rebuilt echo request:\n got %x\nwant %x", out, fixEchoRequest)
	}
	if m.HeaderLen() != 8 {
		t.Errorf("HeaderLen = %d", m.HeaderLen())
	}
}

func TestICMPErrorQuotesOriginal(t *testing.T) {
	// The router quotes the original header and 8 octets of the payload.
	orig := unhex(`4500 003c 1a2b 4000 0106 481a 0a00 010a 0a00 026e
		c2a2 006e 46d0 798e 0000 0000 a002 faf0 0000 0000`)
	m := NewError(ICMPTimeExceeded, ICMPTTLExceeded, 0, orig)
	if got := m.Append(nil); !bytes.Equal(got, fixTimeExceeded) {
		t.Errorf("time exceeded:\n got %x\nwant %x", got, fixTimeExceeded)
	}
	od, err := m.Original()
	if err != nil {
		t.Fatal(err)
	}
	want := Datagram{ID: 0x1a2b, DontFragment: true, TTL: 1, Protocol: ProtoTCP, Checksum: 0x481a,
		Src: addr("10.0.1.10"), Dst: addr("10.0.2.110"), Payload: orig[20:28]}
	if diff := cmp.Diff(want, od, cmpOpts); diff != "" {
		t.Errorf("Original (-want +got):\n%s", diff)
	}
	if _, err := EchoRequest(1, 1, nil).Original(); err == nil {
		t.Error("Original of an echo request: no error")
	}
	short := ICMP{Type: ICMPDestUnreachable, Data: orig[:12]}
	if _, err := short.Original(); err == nil {
		t.Error("Original of a 12-byte quote: no error")
	}
}

func TestICMPFields(t *testing.T) {
	m, err := ParseICMP(fixTimeExceeded)
	if err != nil {
		t.Fatal(err)
	}
	want := []layers.Field{
		{Name: "Type", Value: "11 (time exceeded)"},
		{Name: "Code", Value: "0 (TTL expired in transit)"},
		{Name: "Checksum", Value: "0x7190"},
		{Name: "Unused", Value: "0x00000000"},
		{Name: "Original Datagram", Value: "10.0.1.10 > 10.0.2.110 TCP ttl=1 id=0x1a2b"},
	}
	if diff := cmp.Diff(want, m.Fields()); diff != "" {
		t.Errorf("Fields (-want +got):\n%s", diff)
	}
	e, err := ParseICMP(fixEchoRequest[20:])
	if err != nil {
		t.Fatal(err)
	}
	want = []layers.Field{
		{Name: "Type", Value: "8 (echo request)"},
		{Name: "Code", Value: "0"},
		{Name: "Checksum", Value: "0x4d5a"},
		{Name: "Identifier", Value: "1 (0x0001)"},
		{Name: "Sequence Number", Value: "1 (0x0001)"},
	}
	if diff := cmp.Diff(want, e.Fields()); diff != "" {
		t.Errorf("Fields (-want +got):\n%s", diff)
	}
}

func TestICMPSummaries(t *testing.T) {
	tests := []struct {
		m    ICMP
		want string
	}{
		{ICMP{Type: ICMPDestUnreachable, Code: ICMPPortUnreachable}, "ICMP destination unreachable (port unreachable)"},
		{ICMP{Type: ICMPDestUnreachable, Code: ICMPHostUnreachable}, "ICMP destination unreachable (host unreachable)"},
		{ICMP{Type: ICMPDestUnreachable, Code: ICMPNetUnreachable}, "ICMP destination unreachable (net unreachable)"},
		{ICMP{Type: ICMPDestUnreachable, Code: ICMPFragNeeded, Rest: 1400}, "ICMP destination unreachable (fragmentation needed and DF set, next-hop MTU 1400)"},
		{ICMP{Type: ICMPDestUnreachable, Code: 99}, "ICMP destination unreachable (code 99)"},
		{ICMP{Type: ICMPTimeExceeded, Code: ICMPReassemblyExceeded}, "ICMP time exceeded (fragment reassembly time exceeded)"},
		{ICMP{Type: ICMPRedirect, Code: 1, Rest: 0x0a000102}, "ICMP redirect (for the host to 10.0.1.2)"},
		{ICMP{Type: ICMPParamProblem, Rest: 20 << 24}, "ICMP parameter problem (pointer indicates the error)"},
		{ICMP{Type: ICMPSourceQuench}, "ICMP source quench"},
		{ICMP{Type: ICMPTimestamp, ID: 7, Seq: 2}, "ICMP timestamp request id=7 seq=2"},
		{ICMP{Type: 42}, "ICMP type 42"},
	}
	for _, tt := range tests {
		if got := tt.m.Summary(); got != tt.want {
			t.Errorf("Summary = %q, want %q", got, tt.want)
		}
	}
}

func TestICMPRestRoundTrip(t *testing.T) {
	// Fragmentation needed carries the next-hop MTU in the low 16 bits
	// (RFC 1191); Append and ParseICMP keep the four octets in Rest.
	m := ICMP{Type: ICMPDestUnreachable, Code: ICMPFragNeeded, Rest: 1400, Data: fixSYN[:28]}
	b := m.Append(nil)
	if !bytes.Equal(b[4:8], []byte{0, 0, 0x05, 0x78}) {
		t.Errorf("rest of header %x, want 00000578", b[4:8])
	}
	got, err := ParseICMP(b)
	if err != nil {
		t.Fatal(err)
	}
	if got.Rest != 1400 || got.ID != 0 || got.Seq != 0 {
		t.Errorf("Rest %d ID %d Seq %d, want 1400 0 0", got.Rest, got.ID, got.Seq)
	}
}

func TestParseICMPErrors(t *testing.T) {
	if _, err := ParseICMP(fixEchoRequest[20:27]); err == nil || err.Error() != "network: ICMP message too short: 7 bytes, need at least 8" {
		t.Errorf("short: %v", err)
	}
	b := append([]byte(nil), fixEchoRequest[20:]...)
	b[len(b)-1] ^= 1
	_, err := ParseICMP(b)
	if !errors.Is(err, ErrChecksum) || !strings.HasPrefix(err.Error(), "network: ICMP checksum 0x4d5a does not match the computed") {
		t.Errorf("bad checksum: %v", err)
	}
}
