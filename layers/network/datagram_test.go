package network

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/gopacket/gopacket"

	"github.com/osisim/osisim/layers"
)

func TestParseDatagram(t *testing.T) {
	tests := []struct {
		name string
		b    []byte
		want Datagram
	}{
		{"tcp syn", fixSYN, Datagram{
			ID: 0xf362, DontFragment: true, TTL: 64, Protocol: ProtoTCP, Checksum: 0x4957,
			Src: addr("127.0.0.1"), Dst: addr("127.0.0.1"), Payload: fixSYN[20:],
		}},
		{"tcp rst", fixRST, Datagram{
			ID: 0, DontFragment: true, TTL: 64, Protocol: ProtoTCP, Checksum: 0x3cce,
			Src: addr("127.0.0.1"), Dst: addr("127.0.0.1"), Payload: fixRST[20:],
		}},
		{"icmp echo reply", fixEchoReply, Datagram{
			ID: 0xd644, TTL: 64, Protocol: ProtoICMP, Checksum: 0xa67a,
			Src: addr("127.0.0.1"), Dst: addr("127.0.0.1"), Payload: fixEchoReply[20:],
		}},
		{"router alert option", fixOptions, Datagram{
			TOS: 0xc0, DontFragment: true, TTL: 1, Protocol: 2, Checksum: 0xf812,
			Src: addr("10.0.1.10"), Dst: addr("224.0.0.251"),
			Options: []byte{0x94, 0x04, 0, 0}, Payload: fixOptions[24:],
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(tt.b)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if diff := cmp.Diff(tt.want, got, cmpOpts); diff != "" {
				t.Errorf("Parse (-want +got):\n%s", diff)
			}
			if got.HeaderLen() != int(tt.b[0]&0xf)*4 || got.Len() != len(tt.b) {
				t.Errorf("HeaderLen %d, Len %d; want %d, %d", got.HeaderLen(), got.Len(), int(tt.b[0]&0xf)*4, len(tt.b))
			}
			// Parse then Append gives the same octets.
			if out := got.Append(nil); !bytes.Equal(out, tt.b) {
				t.Errorf("Append:\n got %x\nwant %x", out, tt.b)
			}
			// Ethernet pads a short frame's payload: the padding is ignored.
			padded := append(append([]byte(nil), tt.b...), make([]byte, 12)...)
			pg, err := Parse(padded)
			if err != nil {
				t.Fatalf("Parse padded: %v", err)
			}
			if diff := cmp.Diff(tt.want, pg, cmpOpts); diff != "" {
				t.Errorf("Parse padded (-want +got):\n%s", diff)
			}
		})
	}
}

func TestAppendDatagramAfterPrefix(t *testing.T) {
	d, err := Parse(fixSYN)
	if err != nil {
		t.Fatal(err)
	}
	prefix := []byte("ethernet header!")
	out := d.Append(append([]byte(nil), prefix...))
	if !bytes.Equal(out[:len(prefix)], prefix) || !bytes.Equal(out[len(prefix):], fixSYN) {
		t.Errorf("Append after a prefix:\n got %x\nwant %x%x", out, prefix, fixSYN)
	}
}

func TestAppendDatagramFields(t *testing.T) {
	// A second fragment: offset 1480 octets (185 units of 8), MF set.
	d := Datagram{
		TOS: 0x10, ID: 0xbeef, MoreFragments: true, FragOffset: 1480, TTL: 17, Protocol: ProtoUDP,
		Src: addr("10.0.1.10"), Dst: addr("10.0.2.110"), Options: []byte{1, 1, 1}, Payload: []byte("hello"),
	}
	b := d.Append(nil)
	if got, want := b[:12], unhex("4610 001d beef 20b9 1111"); !bytes.Equal(got[:10], want) {
		t.Errorf("header starts %x, want %x", got[:10], want)
	}
	if got := b[20:24]; !bytes.Equal(got, []byte{1, 1, 1, 0}) {
		t.Errorf("options padded to %x, want 01010100", got)
	}
	got, err := Parse(b)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	want := d
	want.Checksum = binary.BigEndian.Uint16(b[10:12])
	want.Options = []byte{1, 1, 1, 0}
	if diff := cmp.Diff(want, got, cmpOpts); diff != "" {
		t.Errorf("Parse(Append) (-want +got):\n%s", diff)
	}
	if got, want := got.Summary(), "IPv4 10.0.1.10 > 10.0.2.110 UDP ttl=17 id=0xbeef len=29 frag off=1480 MF"; got != want {
		t.Errorf("Summary = %q, want %q", got, want)
	}
}

func TestParseDatagramErrors(t *testing.T) {
	mod := func(b []byte, f func([]byte)) []byte {
		c := append([]byte(nil), b...)
		f(c)
		return c
	}
	tests := []struct {
		name string
		b    []byte
		want string
	}{
		{"empty", nil, "network: datagram too short: 0 bytes, need at least 20"},
		{"short", fixSYN[:19], "network: datagram too short: 19 bytes, need at least 20"},
		{"ipv6", mod(fixSYN, func(b []byte) { b[0] = 0x65 }), "network: IP version 6, want 4"},
		{"ihl 4", mod(fixSYN, func(b []byte) { b[0] = 0x44 }), "network: header length field 4 (16 bytes) is below the minimum 5 (20 bytes)"},
		{"total below header", mod(fixSYN, func(b []byte) { b[2], b[3] = 0, 19 }), "network: total length 19 is shorter than the 20-byte header"},
		{"total zero", mod(fixSYN, func(b []byte) { b[2], b[3] = 0, 0 }), "network: total length 0 is shorter than the 20-byte header"},
		{"truncated", fixSYN[:59], "network: total length 60 exceeds the 59 bytes received (truncated datagram)"},
		{"checksum", mod(fixSYN, func(b []byte) { b[8] = 63 }), "network: IPv4 header checksum 0x4957 does not match the computed 0x4a57"},
		{"option overruns header", mod(fixOptions, func(b []byte) { b[21] = 9 }), "network: bad IPv4 options: "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(tt.b)
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Fatalf("Parse error = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestChecksumErrorIs(t *testing.T) {
	b := append([]byte(nil), fixSYN...)
	b[11]++ // 0x4957 -> 0x4958
	_, err := Parse(b)
	if !errors.Is(err, ErrChecksum) {
		t.Fatalf("errors.Is(%v, ErrChecksum) = false", err)
	}
	var ce *ChecksumError
	if !errors.As(err, &ce) {
		t.Fatalf("error %T is not a *ChecksumError", err)
	}
	if diff := cmp.Diff(&ChecksumError{What: "IPv4 header", Got: 0x4958, Want: 0x4957}, ce); diff != "" {
		t.Errorf("ChecksumError (-want +got):\n%s", diff)
	}
}

func TestChecksumNegativeZeroAccepted(t *testing.T) {
	// RFC 1071: 0x0000 and 0xffff are the same one's complement number. A
	// header whose checksum field must be 0x0000 is also valid with 0xffff.
	d := Datagram{TTL: 64, Protocol: ProtoUDP, Src: addr("10.0.1.10"), Dst: addr("10.0.2.110")}
	for id := 0; id < 1<<16; id++ {
		d.ID = uint16(id)
		b := d.Append(nil)
		if b[10] != 0 || b[11] != 0 {
			continue
		}
		b[10], b[11] = 0xff, 0xff
		if _, err := Parse(b); err != nil {
			t.Fatalf("checksum 0xffff for a zero checksum rejected: %v", err)
		}
		return
	}
	t.Fatal("no identification gives a zero checksum")
}

func TestDatagramSummaryFields(t *testing.T) {
	d, err := Parse(fixSYN)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := d.Summary(), "IPv4 127.0.0.1 > 127.0.0.1 TCP ttl=64 id=0xf362 len=60"; got != want {
		t.Errorf("Summary = %q, want %q", got, want)
	}
	want := []layers.Field{
		{Name: "Version", Value: "4"},
		{Name: "IHL", Value: "5 (20 bytes)"},
		{Name: "TOS", Value: "0x00"},
		{Name: "Total Length", Value: "60"},
		{Name: "Identification", Value: "0xf362 (62306)"},
		{Name: "Flags", Value: "0x2 (DF)"},
		{Name: "Fragment Offset", Value: "0"},
		{Name: "TTL", Value: "64"},
		{Name: "Protocol", Value: "6 (TCP)"},
		{Name: "Header Checksum", Value: "0x4957"},
		{Name: "Source", Value: "127.0.0.1"},
		{Name: "Destination", Value: "127.0.0.1"},
	}
	if diff := cmp.Diff(want, d.Fields()); diff != "" {
		t.Errorf("Fields (-want +got):\n%s", diff)
	}
	o, err := Parse(fixOptions)
	if err != nil {
		t.Fatal(err)
	}
	f := o.Fields()
	if diff := cmp.Diff(layers.Field{Name: "Options", Value: "4 bytes: 94040000"}, f[len(f)-1]); diff != "" {
		t.Errorf("options field (-want +got):\n%s", diff)
	}
	if got, want := o.Summary(), "IPv4 10.0.1.10 > 224.0.0.251 protocol 2 ttl=1 id=0x0000 len=32"; got != want {
		t.Errorf("Summary = %q, want %q", got, want)
	}
}

// fullChecksum recomputes the header checksum of b from scratch.
func fullChecksum(b []byte) uint16 {
	hl := int(b[0]&0xf) * 4
	sum := gopacket.ComputeChecksum(b[:10], 0)
	sum = gopacket.ComputeChecksum(b[12:hl], sum)
	return gopacket.FoldChecksum(sum)
}

func TestDecrementTTLMatchesRecompute(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 20000; i++ {
		d := Datagram{
			TOS: uint8(rng.Uint32()), ID: uint16(rng.Uint32()), DontFragment: rng.IntN(2) == 0,
			TTL: uint8(1 + rng.IntN(255)), Protocol: Protocol(rng.Uint32()),
			Src: addr("10.0.1.10"), Dst: addr("10.0.2.110"), Payload: make([]byte, rng.IntN(40)),
		}
		var a4 [4]byte
		binary.BigEndian.PutUint32(a4[:], rng.Uint32())
		d.Src = netipFrom4(a4)
		b := d.Append(nil)
		ttl, err := DecrementTTL(b)
		if err != nil {
			t.Fatalf("DecrementTTL(ttl %d): %v", d.TTL, err)
		}
		if ttl != d.TTL-1 || b[8] != d.TTL-1 {
			t.Fatalf("TTL %d -> %d (byte %d), want %d", d.TTL, ttl, b[8], d.TTL-1)
		}
		if got, want := binary.BigEndian.Uint16(b[10:12]), fullChecksum(b); got != want {
			t.Fatalf("header %x: incremental checksum 0x%04x, full recompute 0x%04x", b[:20], got, want)
		}
		if _, err := Parse(b); err != nil {
			t.Fatalf("Parse after DecrementTTL: %v", err)
		}
	}
}

func TestDecrementTTLFixture(t *testing.T) {
	b := append([]byte(nil), fixSYN...)
	for want := 63; want >= 0; want-- {
		ttl, err := DecrementTTL(b)
		if err != nil || int(ttl) != want {
			t.Fatalf("DecrementTTL = %d, %v; want %d", ttl, err, want)
		}
		if got, full := binary.BigEndian.Uint16(b[10:12]), fullChecksum(b); got != full {
			t.Fatalf("TTL %d: checksum 0x%04x, recomputed 0x%04x", ttl, got, full)
		}
	}
	if _, err := DecrementTTL(b); err == nil || err.Error() != "network: TTL is already 0" {
		t.Errorf("DecrementTTL at TTL 0: %v", err)
	}
	if _, err := DecrementTTL(b[:10]); err == nil {
		t.Error("DecrementTTL on 10 bytes: no error")
	}
}

func TestChecksumUpdateEquation3(t *testing.T) {
	// RFC 1624 section 4: a header whose checksum recomputes to 0x0000 must
	// not get 0xffff from the incremental update. Search for a TTL change
	// that yields 0x0000 on full recompute and check the update agrees.
	found := false
	d := Datagram{TTL: 2, Protocol: ProtoUDP, Src: addr("10.0.1.10"), Dst: addr("10.0.2.110")}
	for id := 0; id < 1<<16; id++ {
		d.ID = uint16(id)
		b := d.Append(nil)
		if _, err := DecrementTTL(b); err != nil {
			t.Fatal(err)
		}
		if fullChecksum(b) != 0 {
			continue
		}
		found = true
		if got := binary.BigEndian.Uint16(b[10:12]); got != 0 {
			t.Fatalf("id %d: incremental update gives 0x%04x, full recompute 0x0000", id, got)
		}
	}
	if !found {
		t.Fatal("no header recomputes to 0x0000")
	}
}

func TestProtocolString(t *testing.T) {
	for p, want := range map[Protocol]string{1: "ICMP", 6: "TCP", 17: "UDP", 47: "protocol 47"} {
		if got := p.String(); got != want {
			t.Errorf("Protocol(%d).String() = %q, want %q", p, got, want)
		}
	}
}

func TestAppendZeroValues(t *testing.T) {
	// Invalid addresses are written as 0.0.0.0 rather than panicking.
	if got, want := (Datagram{}).Append(nil), unhex("4500 0014 0000 0000 0000 baeb 0000 0000 0000 0000"); !bytes.Equal(got, want) {
		t.Errorf("zero Datagram:\n got %x\nwant %x", got, want)
	}
	if got := (ARP{}).Append(nil); !bytes.Equal(got[:8], unhex("0001 0800 0604 0000")) || len(got) != ARPLen {
		t.Errorf("zero ARP: %x", got)
	}
	if got := (ICMP{}).Append(nil); !bytes.Equal(got, unhex("0000 ffff 0000 0000")) {
		t.Errorf("zero ICMP: %x", got)
	}
}
