package physical

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// bitString returns bits [from, to) of b as "0101...".
func bitString(b Bits, from, to int) string {
	var s strings.Builder
	for i := from; i < to; i++ {
		s.WriteByte('0' + b.Bit(i))
	}
	return s.String()
}

func TestEncodeLayout(t *testing.T) {
	b := Encode([]byte{0x01, 0x80})
	want := []byte{0x55, 0x55, 0x55, 0x55, 0x55, 0x55, 0x55, 0xd5, 0x01, 0x80}
	if diff := cmp.Diff(want, b.Octets()); diff != "" {
		t.Errorf("Octets() (-want +got):\n%s", diff)
	}
	if b.Len() != 80 {
		t.Errorf("Len() = %d, want 80", b.Len())
	}
	// Each octet goes least significant bit first (IEEE 802.3 clause 3.3).
	tests := []struct {
		name     string
		from, to int
		want     string
	}{
		{"first preamble octet", 0, 8, "10101010"},
		{"last preamble octet", 48, 56, "10101010"},
		{"SFD", 56, 64, "10101011"},
		{"0x01", 64, 72, "10000000"},
		{"0x80", 72, 80, "00000001"},
	}
	for _, tt := range tests {
		if got := bitString(b, tt.from, tt.to); got != tt.want {
			t.Errorf("%s: bits %d-%d = %s, want %s", tt.name, tt.from, tt.to-1, got, tt.want)
		}
	}
}

func TestEncodeIntoReusesBuffer(t *testing.T) {
	buf := make([]byte, 0, 64)
	b := EncodeInto(buf, []byte{1, 2, 3})
	if &b.Octets()[0] != &buf[:1][0] {
		t.Error("EncodeInto allocated although the buffer was large enough")
	}
	if diff := cmp.Diff(Encode([]byte{1, 2, 3}).Octets(), b.Octets()); diff != "" {
		t.Errorf("EncodeInto differs from Encode (-want +got):\n%s", diff)
	}
	small := EncodeInto(make([]byte, 0, 2), []byte{1, 2, 3})
	if small.Len() != 88 {
		t.Errorf("EncodeInto with a small buffer: Len() = %d, want 88", small.Len())
	}
}

func TestBitPanicsOutOfRange(t *testing.T) {
	b, err := NewBits([]byte{0xff}, 3)
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if recover() == nil {
			t.Error("Bit(3) of a 3-bit stream did not panic")
		}
	}()
	b.Bit(3)
}

func TestNewBits(t *testing.T) {
	if _, err := NewBits([]byte{1, 2}, 17); err == nil {
		t.Error("NewBits(2 octets, 17 bits) succeeded")
	}
	if _, err := NewBits(nil, -1); err == nil {
		t.Error("NewBits(nil, -1) succeeded")
	}
	b, err := NewBits([]byte{0xa5, 0xff, 0xff}, 12)
	if err != nil {
		t.Fatal(err)
	}
	if got := len(b.Octets()); got != 2 {
		t.Errorf("12 bits use %d octets, want 2", got)
	}
	if got := bitString(b, 0, 12); got != "101001011111" {
		t.Errorf("bits = %s, want 101001011111", got)
	}
}

func TestFrame(t *testing.T) {
	frame := []byte{0xde, 0xad, 0xbe, 0xef}
	good := Encode(frame).Octets()
	with := func(k int, v byte) []byte {
		b := append([]byte(nil), good...)
		b[k] = v
		return b
	}
	tests := []struct {
		name    string
		octets  []byte
		n       int
		want    []byte
		wantErr error
		msg     string
	}{
		{name: "good", octets: good, n: 96, want: frame},
		{name: "dribble bits discarded", octets: append(append([]byte(nil), good...), 0x07), n: 101, want: frame},
		{name: "only preamble and SFD", octets: good[:8], n: 64, want: []byte{}},
		{name: "empty", octets: nil, n: 0, wantErr: ErrNoSFD,
			msg: "physical: no start frame delimiter: the stream ends after 0 bits, before the SFD at bits 56-63"},
		{name: "ends inside the SFD", octets: good, n: 60, wantErr: ErrNoSFD,
			msg: "physical: no start frame delimiter: the stream ends after 60 bits, before the SFD at bits 56-63"},
		{name: "damaged preamble", octets: with(3, 0x57), n: 96, wantErr: ErrPreamble,
			msg: "physical: bad preamble: octet 3 is 0x57, want 0x55"},
		{name: "SFD missing", octets: with(7, 0x55), n: 96, wantErr: ErrNoSFD,
			msg: "physical: no start frame delimiter: octet 7 is 0x55, want 0xd5"},
	}
	for _, tt := range tests {
		b, err := NewBits(tt.octets, tt.n)
		if err != nil {
			t.Fatalf("%s: NewBits: %v", tt.name, err)
		}
		got, err := b.Frame()
		if tt.wantErr != nil {
			if !errors.Is(err, tt.wantErr) || err.Error() != tt.msg {
				t.Errorf("%s: Frame() error = %v, want %q", tt.name, err, tt.msg)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: Frame() error = %v", tt.name, err)
			continue
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s: Frame() (-want +got):\n%s", tt.name, diff)
		}
	}
}
