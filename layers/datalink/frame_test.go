package datalink

import (
	"bytes"
	"encoding/binary"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/gopacket/gopacket"
	gplayers "github.com/gopacket/gopacket/layers"
	"github.com/osisim/osisim/layers"
)

// capturedARP is a real ARP request captured on a 10 Mb/s Ethernet with its
// FCS, the reference frame of the Cambridge "Ethernet CRC" notes
// (www.cl.cam.ac.uk/research/srg/han/ACS-P35/ethercrc/):
// 00:20:af:b7:80:b8 > ff:ff:ff:ff:ff:ff, ARP who-has 128.232.15.222 tell
// 128.232.15.148. The sender padded it to 60 octets with 0xde, not zeros.
// The FCS goes on the wire as 9e d2 c2 af, the CRC-32 0xafc2d29e least
// significant octet first.
var capturedARP = []byte{
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, // destination: broadcast
	0x00, 0x20, 0xaf, 0xb7, 0x80, 0xb8, // source
	0x08, 0x06, // type: ARP
	0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x01, // Ethernet, IPv4, 6, 4, request
	0x00, 0x20, 0xaf, 0xb7, 0x80, 0xb8, 0x80, 0xe8, 0x0f, 0x94, // sender 00:20:af:b7:80:b8 128.232.15.148
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80, 0xe8, 0x0f, 0xde, // target ? 128.232.15.222
	0xde, 0xde, 0xde, 0xde, 0xde, 0xde, 0xde, 0xde, 0xde, // padding (18 octets)
	0xde, 0xde, 0xde, 0xde, 0xde, 0xde, 0xde, 0xde, 0xde,
	0x9e, 0xd2, 0xc2, 0xaf, // FCS
}

// arpRequest is the ARP payload osisim's client sends first: who has
// 10.0.1.1, tell 10.0.1.10 (02:00:00:00:01:0a).
var arpRequest = []byte{
	0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x01, // Ethernet, IPv4, 6, 4, request
	0x02, 0x00, 0x00, 0x00, 0x01, 0x0a, 0x0a, 0x00, 0x01, 0x0a, // sender 02:00:00:00:01:0a 10.0.1.10
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0a, 0x00, 0x01, 0x01, // target ? 10.0.1.1
}

// arpFrame is arpRequest in a broadcast frame, padded with 18 zero octets.
// Its FCS, 0x75f7fda0 (on the wire a0 fd f7 75), was computed outside Go
// with Python's zlib.crc32 over the first 60 octets and checked with the
// bitwise CRC below.
var arpFrame = []byte{
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, // destination: broadcast
	0x02, 0x00, 0x00, 0x00, 0x01, 0x0a, // source
	0x08, 0x06, // type: ARP
	0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x01,
	0x02, 0x00, 0x00, 0x00, 0x01, 0x0a, 0x0a, 0x00, 0x01, 0x0a,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0a, 0x00, 0x01, 0x01,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, // padding
	0xa0, 0xfd, 0xf7, 0x75, // FCS
}

var (
	macA = MAC{0x02, 0x00, 0x00, 0x00, 0x01, 0x0a}
	macB = MAC{0x02, 0x00, 0x00, 0x00, 0x02, 0x0b}
)

// bitwiseCRC32 is the Ethernet CRC-32 computed bit by bit as IEEE 802.3
// clause 3.2.9 defines it (generator 0x04c11db7, here in its reflected form
// 0xedb88320 because bits go least significant first; register preset to
// ones; result complemented), independent of hash/crc32's tables.
func bitwiseCRC32(b []byte) uint32 {
	c := ^uint32(0)
	for _, v := range b {
		c ^= uint32(v)
		for range 8 {
			if c&1 != 0 {
				c = c>>1 ^ 0xedb88320
			} else {
				c >>= 1
			}
		}
	}
	return ^c
}

func TestFixtureFCS(t *testing.T) {
	tests := []struct {
		name  string
		frame []byte
		want  uint32
	}{
		{"captured ARP", capturedARP, 0xafc2d29e},
		{"osisim ARP", arpFrame, 0x75f7fda0},
	}
	for _, tt := range tests {
		body := tt.frame[:len(tt.frame)-FCSLen]
		if got := bitwiseCRC32(body); got != tt.want {
			t.Errorf("%s: bitwise CRC-32 = 0x%08x, want 0x%08x", tt.name, got, tt.want)
		}
		if got := binary.LittleEndian.Uint32(tt.frame[len(body):]); got != tt.want {
			t.Errorf("%s: FCS octets hold 0x%08x, want 0x%08x", tt.name, got, tt.want)
		}
	}
}

func TestParseCaptured(t *testing.T) {
	f, err := Parse(capturedARP)
	if err != nil {
		t.Fatal(err)
	}
	want := Frame{
		Dst:     Broadcast,
		Src:     MAC{0x00, 0x20, 0xaf, 0xb7, 0x80, 0xb8},
		Type:    EtherTypeARP,
		Payload: capturedARP[14:60],
		FCS:     0xafc2d29e,
	}
	if diff := cmp.Diff(want, f); diff != "" {
		t.Errorf("Parse (-want +got):\n%s", diff)
	}
	if &f.Payload[0] != &capturedARP[14] {
		t.Error("Payload does not alias the input")
	}
	if got := f.Append(nil); !bytes.Equal(got, capturedARP) {
		t.Errorf("Append after Parse:\n got %x\nwant %x", got, capturedARP)
	}
	if got, want := f.Summary(), "00:20:af:b7:80:b8 > ff:ff:ff:ff:ff:ff type ARP, 60 B + FCS 4 B"; got != want {
		t.Errorf("Summary() = %q, want %q", got, want)
	}
	wantFields := []layers.Field{
		{Name: "Destination", Value: "ff:ff:ff:ff:ff:ff (broadcast)"},
		{Name: "Source", Value: "00:20:af:b7:80:b8"},
		{Name: "Type", Value: "0x0806 (ARP)"},
		{Name: "FCS", Value: "0x9ed2c2af (CRC-32 0xafc2d29e, correct)"},
	}
	if diff := cmp.Diff(wantFields, f.Fields()); diff != "" {
		t.Errorf("Fields (-want +got):\n%s", diff)
	}
	if f.Len() != 64 || f.HeaderLen() != 18 {
		t.Errorf("Len() = %d, HeaderLen() = %d; want 64, 18", f.Len(), f.HeaderLen())
	}
}

func TestAppendPads(t *testing.T) {
	f := Frame{Dst: Broadcast, Src: macA, Type: EtherTypeARP, Payload: arpRequest}
	got := f.Append([]byte{0xaa}) // Append keeps what dst holds
	if !bytes.Equal(got[1:], arpFrame) || got[0] != 0xaa {
		t.Errorf("Append:\n got %x\nwant aa%x", got, arpFrame)
	}
	if f.Len() != 64 || f.HeaderLen() != 36 || f.Padding() != 18 {
		t.Errorf("Len() = %d, HeaderLen() = %d, Padding() = %d; want 64, 36, 18", f.Len(), f.HeaderLen(), f.Padding())
	}
	if got := f.ComputeFCS(); got != 0x75f7fda0 {
		t.Errorf("ComputeFCS() = 0x%08x, want 0x75f7fda0", got)
	}
	sealed := f.Seal(nil)
	if !bytes.Equal(sealed, arpFrame) || f.FCS != 0x75f7fda0 {
		t.Errorf("Seal wrote %x and set FCS 0x%08x", sealed, f.FCS)
	}
	if got, want := f.Summary(), "02:00:00:00:01:0a > ff:ff:ff:ff:ff:ff type ARP, 60 B + FCS 4 B"; got != want {
		t.Errorf("Summary() = %q, want %q", got, want)
	}
	wantFields := []layers.Field{
		{Name: "Destination", Value: "ff:ff:ff:ff:ff:ff (broadcast)"},
		{Name: "Source", Value: "02:00:00:00:01:0a"},
		{Name: "Type", Value: "0x0806 (ARP)"},
		{Name: "Padding", Value: "18 B of zeros (payload 28 B, minimum 46 B)"},
		{Name: "FCS", Value: "0xa0fdf775 (CRC-32 0x75f7fda0, correct)"},
	}
	if diff := cmp.Diff(wantFields, f.Fields()); diff != "" {
		t.Errorf("Fields (-want +got):\n%s", diff)
	}
}

func TestFieldsIncorrectFCS(t *testing.T) {
	f := Frame{Dst: MAC{0x01, 0x00, 0x5e, 0, 0, 0xfb}, Src: macA, Type: 0x88cc, Payload: make([]byte, 50), FCS: 0x12345678}
	want := []layers.Field{
		{Name: "Destination", Value: "01:00:5e:00:00:fb (multicast)"},
		{Name: "Source", Value: "02:00:00:00:01:0a"},
		{Name: "Type", Value: "0x88cc (unknown)"},
		{Name: "FCS", Value: "0x78563412 (CRC-32 0x12345678, incorrect: the contents give 0x" + hex32(f.ComputeFCS()) + ")"},
	}
	if diff := cmp.Diff(want, f.Fields()); diff != "" {
		t.Errorf("Fields (-want +got):\n%s", diff)
	}
}

func hex32(v uint32) string {
	const digits = "0123456789abcdef"
	var b [8]byte
	for i := range b {
		b[7-i] = digits[v>>(4*i)&0xf]
	}
	return string(b[:])
}

// TestAppendMatchesGopacket checks Append against gopacket's Ethernet
// serialization with the FCS appended as GOPACKET.md describes.
func TestAppendMatchesGopacket(t *testing.T) {
	for _, n := range []int{0, 1, 28, 45, 46, 47, 100, 1500} {
		payload := make([]byte, n)
		for i := range payload {
			payload[i] = byte(i*7 + 1)
		}
		f := Frame{Dst: macB, Src: macA, Type: EtherTypeIPv4, Payload: payload}
		buf := gopacket.NewSerializeBuffer()
		eth := &gplayers.Ethernet{DstMAC: macB[:], SrcMAC: macA[:], EthernetType: gplayers.EthernetTypeIPv4}
		if err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{}, eth, gopacket.Payload(payload)); err != nil {
			t.Fatal(err)
		}
		want := binary.LittleEndian.AppendUint32(buf.Bytes(), bitwiseCRC32(buf.Bytes()))
		if got := f.Append(nil); !bytes.Equal(got, want) {
			t.Errorf("payload %d B: Append\n got %x\nwant %x", n, got, want)
		}
		if f.Len() != len(want) {
			t.Errorf("payload %d B: Len() = %d, want %d", n, f.Len(), len(want))
		}
	}
}

func TestParseErrors(t *testing.T) {
	// lengthFrame has an IEEE 802.3 length field (0x002e) and a good FCS.
	lengthFrame := Frame{Dst: macB, Src: macA, Type: 0x002e, Payload: make([]byte, 46)}.Append(nil)
	tests := []struct {
		name string
		b    []byte
		want error
		msg  string
	}{
		{"empty", nil, ErrTooShort, "datalink: frame too short: 0 bytes, need at least 64"},
		{"header only", arpFrame[:12], ErrTooShort, "datalink: frame too short: 12 bytes, need at least 64"},
		{"runt", arpFrame[:63], ErrTooShort, "datalink: frame too short: 63 bytes, need at least 64"},
		{"giant", make([]byte, 1519), ErrTooLong, "datalink: frame too long: 1519 bytes, at most 1518"},
		{"802.3 length", lengthFrame, ErrLength,
			"datalink: not an Ethernet II frame: the type field 0x002e is an IEEE 802.3 length (below 0x0600); only Ethernet II EtherTypes are supported"},
	}
	for _, tt := range tests {
		_, err := Parse(tt.b)
		if !errors.Is(err, tt.want) || err.Error() != tt.msg {
			t.Errorf("%s: Parse error = %v, want %q", tt.name, err, tt.msg)
		}
	}
	// The largest frame parses.
	big := Frame{Dst: macB, Src: macA, Type: EtherTypeIPv4, Payload: make([]byte, MaxPayload)}.Append(nil)
	if _, err := Parse(big); err != nil || len(big) != MaxFrameLen {
		t.Errorf("Parse(%d-byte frame) error = %v", len(big), err)
	}
}

// TestFCSDetectsEveryBitError flips each bit of a frame in turn: CRC-32
// detects every single-bit error.
func TestFCSDetectsEveryBitError(t *testing.T) {
	for i := range 8 * len(arpFrame) {
		b := append([]byte(nil), arpFrame...)
		b[i/8] ^= 1 << (i % 8)
		f, err := Parse(b)
		var fe *FCSError
		if !errors.As(err, &fe) || !errors.Is(err, ErrFCS) {
			t.Fatalf("bit %d flipped: Parse error = %v, want an FCS mismatch", i, err)
		}
		if want := (FCSError{Want: bitwiseCRC32(b[:60]), Got: binary.LittleEndian.Uint32(b[60:])}); *fe != want {
			t.Fatalf("bit %d flipped: %+v, want %+v", i, *fe, want)
		}
		if f.Src != MAC(b[6:12]) || f.FCS != fe.Got {
			t.Fatalf("bit %d flipped: the frame is not returned with the error: %+v", i, f)
		}
	}
	b := append([]byte(nil), arpFrame...)
	b[20] ^= 0x01
	_, err := Parse(b)
	if want := "datalink: FCS mismatch: the frame carries 0x75f7fda0, its contents give 0x" + hex32(bitwiseCRC32(b[:60])); err.Error() != want {
		t.Errorf("error %q, want %q", err, want)
	}
}

// TestFCSDetectsEveryDoubleBitError flips every pair of bits of a minimum
// frame: CRC-32 detects them all at this length (its Hamming distance is 4
// for frames of Ethernet size).
func TestFCSDetectsEveryDoubleBitError(t *testing.T) {
	b := append([]byte(nil), arpFrame...)
	flip := func(i int) { b[i/8] ^= 1 << (i % 8) }
	n := 8 * len(b)
	for i := range n {
		flip(i)
		for j := i + 1; j < n; j++ {
			flip(j)
			if _, err := Parse(b); !errors.Is(err, ErrFCS) {
				t.Fatalf("bits %d and %d flipped: Parse error = %v, want an FCS mismatch", i, j, err)
			}
			flip(j)
		}
		flip(i)
	}
}

func TestIsFor(t *testing.T) {
	tests := []struct {
		dst  MAC
		want bool
	}{
		{macA, true},
		{macB, false},
		{Broadcast, true},
		{MAC{0x01, 0x00, 0x5e, 0x00, 0x00, 0x01}, true},
		{MAC{0x03, 0x00, 0x00, 0x00, 0x01, 0x0a}, true}, // group bit set
	}
	for _, tt := range tests {
		if got := (Frame{Dst: tt.dst}).IsFor(macA); got != tt.want {
			t.Errorf("frame for %s: IsFor(%s) = %v, want %v", tt.dst, macA, got, tt.want)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add(capturedARP)
	f.Add(arpFrame)
	f.Add(arpFrame[:63])
	f.Add(Frame{Dst: macB, Src: macA, Type: 0x002e, Payload: make([]byte, 46)}.Append(nil))
	f.Add(Frame{Dst: macB, Src: macA, Type: EtherTypeIPv4, Payload: make([]byte, MaxPayload)}.Append(nil))
	f.Fuzz(func(t *testing.T, b []byte) {
		fr, err := Parse(b)
		if err != nil && !errors.Is(err, ErrFCS) {
			return
		}
		out := fr.Append(nil)
		if len(out) != len(b) || !bytes.Equal(out[:len(b)-FCSLen], b[:len(b)-FCSLen]) {
			t.Fatalf("Parse then Append changed the frame:\n got %x\nwant %x", out, b)
		}
		if err == nil && !bytes.Equal(out, b) {
			t.Fatalf("Parse then Append changed a good frame:\n got %x\nwant %x", out, b)
		}
		again, err := Parse(out)
		if err != nil && !errors.Is(err, ErrLength) {
			t.Fatalf("Parse(Append(Parse(b))): %v", err)
		}
		if err == nil && !cmp.Equal(again, Frame{Dst: fr.Dst, Src: fr.Src, Type: fr.Type, Payload: fr.Payload, FCS: again.FCS}) {
			t.Fatalf("Parse-Append-Parse is not stable: %+v, then %+v", fr, again)
		}
	})
}

func BenchmarkAppendParse1518(b *testing.B) {
	f := Frame{Dst: macB, Src: macA, Type: EtherTypeIPv4, Payload: make([]byte, MaxPayload)}
	buf := make([]byte, 0, MaxFrameLen)
	b.ReportAllocs()
	b.SetBytes(MaxFrameLen)
	for b.Loop() {
		buf = f.Append(buf[:0])
		if _, err := Parse(buf); err != nil {
			b.Fatal(err)
		}
	}
}
