package physical

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// symbolString returns symbols [from, to) of s as "0110...".
func symbolString(s Signal, from, to int) string {
	var b strings.Builder
	for i := from; i < to; i++ {
		b.WriteByte('0' + s.Symbol(i))
	}
	return b.String()
}

// testFrame returns n octets of a fixed, varied pattern.
func testFrame(n int) []byte {
	b := make([]byte, n)
	x := uint32(2463534242)
	for i := range b {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		b[i] = byte(x)
	}
	return b
}

func TestKnownSymbols(t *testing.T) {
	// The frame is one octet, 0x0f: bits 1111 then 0000 in transmission order.
	bits := Encode([]byte{0x0f})
	tests := []struct {
		name     string
		code     LineCode
		from, to int
		want     string
	}{
		// A preamble octet 0x55 is sent as 1,0,1,0,1,0,1,0. In NRZ that is
		// the same alternating pattern of levels.
		{"NRZ preamble octet", NRZ, 0, 8, "10101010"},
		{"NRZ SFD", NRZ, 56, 64, "10101011"},
		{"NRZ 0x0f", NRZ, 64, 72, "11110000"},
		// In Manchester each 1 is low-high (01) and each 0 high-low (10):
		// 1,0,1,0,... gives 01 10 01 10 ..., a square wave at half the
		// symbol rate with a transition in the middle of every bit.
		{"Manchester preamble octet", Manchester, 0, 16, "0110011001100110"},
		{"Manchester last preamble octet", Manchester, 96, 112, "0110011001100110"},
		// The SFD 1,0,1,0,1,0,1,1 ends with two 1s: 01 01.
		{"Manchester SFD", Manchester, 112, 128, "0110011001100101"},
		{"Manchester 0x0f", Manchester, 128, 144, "0101010110101010"},
	}
	for _, tt := range tests {
		s := tt.code.Encode(bits)
		if got := symbolString(s, tt.from, tt.to); got != tt.want {
			t.Errorf("%s: symbols %d-%d = %s, want %s", tt.name, tt.from, tt.to-1, got, tt.want)
		}
	}
}

func TestSignalCounts(t *testing.T) {
	bits := Encode(make([]byte, 64)) // 576 bits
	tests := []struct {
		code    LineCode
		symbols int
	}{
		{NRZ, 576},
		{Manchester, 1152},
	}
	for _, tt := range tests {
		s := tt.code.Encode(bits)
		if s.Symbols() != tt.symbols || s.Bits() != 576 || s.Code() != tt.code {
			t.Errorf("%v: Symbols() = %d, Bits() = %d, Code() = %v; want %d, 576, %v",
				tt.code, s.Symbols(), s.Bits(), s.Code(), tt.symbols, tt.code)
		}
		if got, want := len(s.Packed()), tt.symbols/8; got != want {
			t.Errorf("%v: %d packed octets, want %d", tt.code, got, want)
		}
	}
}

func TestRoundTrip(t *testing.T) {
	for _, code := range []LineCode{NRZ, Manchester} {
		for _, n := range []int{0, 1, 7, 8, 9, 15, 64, 100, 8 * 60, 8 * 1526} {
			src := testFrame((n + 7) / 8)
			if n%8 != 0 {
				src[len(src)-1] &= 1<<(n%8) - 1 // bits past n are zero
			}
			b, err := NewBits(src, n)
			if err != nil {
				t.Fatal(err)
			}
			s := code.Encode(b)
			if s.Symbols() != n*code.SymbolsPerBit() {
				t.Errorf("%v, %d bits: %d symbols", code, n, s.Symbols())
			}
			got, err := s.Decode()
			if err != nil {
				t.Errorf("%v, %d bits: Decode: %v", code, n, err)
				continue
			}
			if got.Len() != n {
				t.Errorf("%v, %d bits: decoded %d bits", code, n, got.Len())
			}
			if diff := cmp.Diff(src, got.Octets(), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("%v, %d bits: round trip (-want +got):\n%s", code, n, diff)
			}
		}
	}
}

func TestIntoReusesBuffers(t *testing.T) {
	frame := testFrame(100)
	bitsBuf := make([]byte, 0, 200)
	symBuf := make([]byte, 0, 400)
	outBuf := make([]byte, 0, 200)
	bits := EncodeInto(bitsBuf, frame)
	s := Manchester.EncodeInto(symBuf, bits)
	got, err := s.DecodeInto(outBuf)
	if err != nil {
		t.Fatal(err)
	}
	if &s.Packed()[0] != &symBuf[:1][0] || &got.Octets()[0] != &outBuf[:1][0] {
		t.Error("EncodeInto or DecodeInto allocated although the buffer was large enough")
	}
	f, err := got.Frame()
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(frame, f); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
}

func TestCodeViolation(t *testing.T) {
	tests := []struct {
		name   string
		nbits  int // bits in the stream
		symbol int // symbol to invert
		want   CodeViolationError
		msg    string
	}{
		{
			// Bit 0 is a preamble 1, sent 01; inverting its first symbol gives 11.
			name: "first symbol", nbits: 8 * 72, symbol: 0,
			want: CodeViolationError{Bit: 0, Symbols: [2]byte{1, 1}},
			msg:  "physical: Manchester code violation at bit 0: symbols 11 (high-high) have no mid-bit transition",
		},
		{
			// Bit 1 is a preamble 0, sent 10; inverting its second symbol gives 11.
			name: "second symbol of a 0", nbits: 8 * 72, symbol: 3,
			want: CodeViolationError{Bit: 1, Symbols: [2]byte{1, 1}},
			msg:  "physical: Manchester code violation at bit 1: symbols 11 (high-high) have no mid-bit transition",
		},
		{
			// Bit 64 is the frame's first bit, a 0 (the frame is all zeros), sent 10.
			name: "first frame bit", nbits: 8 * 72, symbol: 128,
			want: CodeViolationError{Bit: 64, Symbols: [2]byte{0, 0}},
			msg:  "physical: Manchester code violation at bit 64: symbols 00 (low-low) have no mid-bit transition",
		},
		{
			name: "last bit", nbits: 8 * 72, symbol: 2*8*72 - 1,
			want: CodeViolationError{Bit: 8*72 - 1, Symbols: [2]byte{1, 1}},
			msg:  "physical: Manchester code violation at bit 575: symbols 11 (high-high) have no mid-bit transition",
		},
		{
			name: "in a partial last octet", nbits: 8*72 + 5, symbol: 2*(8*72+3) + 1,
			want: CodeViolationError{Bit: 8*72 + 3, Symbols: [2]byte{1, 1}},
			msg:  "physical: Manchester code violation at bit 579: symbols 11 (high-high) have no mid-bit transition",
		},
	}
	for _, tt := range tests {
		octets := Encode(make([]byte, 65)).Octets()
		b, err := NewBits(octets, tt.nbits)
		if err != nil {
			t.Fatal(err)
		}
		s := Manchester.Encode(b)
		s.FlipSymbol(tt.symbol)
		_, err = s.Decode()
		var cv *CodeViolationError
		if !errors.As(err, &cv) {
			t.Errorf("%s: Decode error = %v, want a *CodeViolationError", tt.name, err)
			continue
		}
		if diff := cmp.Diff(tt.want, *cv); diff != "" {
			t.Errorf("%s: violation (-want +got):\n%s", tt.name, diff)
		}
		if !errors.Is(err, ErrCodeViolation) || err.Error() != tt.msg {
			t.Errorf("%s: error %q, want %q matching ErrCodeViolation", tt.name, err, tt.msg)
		}
	}
}

func TestNRZHasNoCodeViolation(t *testing.T) {
	s := NRZ.Encode(Encode(make([]byte, 64)))
	s.FlipSymbol(100)
	b, err := s.Decode()
	if err != nil {
		t.Fatalf("NRZ Decode: %v", err)
	}
	if b.Bit(100) != 1 {
		t.Error("an inverted NRZ symbol did not invert its bit")
	}
}

func TestFlipBit(t *testing.T) {
	frame := testFrame(64)
	orig := Encode(frame)
	for _, code := range []LineCode{NRZ, Manchester} {
		for _, i := range []int{0, 55, 63, 64, 300, orig.Len() - 1} {
			s := code.Encode(orig)
			s.FlipBit(i)
			got, err := s.Decode()
			if err != nil {
				t.Errorf("%v: FlipBit(%d) then Decode: %v", code, i, err)
				continue
			}
			want := append([]byte(nil), orig.Octets()...)
			want[i/8] ^= 1 << (i % 8)
			if diff := cmp.Diff(want, got.Octets()); diff != "" {
				t.Errorf("%v: FlipBit(%d) (-want +got):\n%s", code, i, diff)
			}
		}
	}
}

func TestClone(t *testing.T) {
	s := Manchester.Encode(Encode([]byte{1, 2, 3}))
	c := s.Clone()
	c.FlipBit(70)
	if symbolString(s, 0, s.Symbols()) == symbolString(c, 0, c.Symbols()) {
		t.Fatal("FlipBit on a clone did not change the clone")
	}
	b, err := s.Decode()
	if err != nil {
		t.Fatal(err)
	}
	if b.Bit(70) != 0 {
		t.Error("FlipBit on a clone changed the original")
	}
}

func TestNewSignal(t *testing.T) {
	tests := []struct {
		name    string
		code    LineCode
		sym     []byte
		n       int
		wantErr bool
	}{
		{"NRZ odd count", NRZ, []byte{0xff}, 3, false},
		{"Manchester even count", Manchester, []byte{0x9a}, 8, false},
		{"Manchester odd count", Manchester, []byte{0x9a}, 7, true},
		{"too many symbols", NRZ, []byte{0x9a}, 9, true},
		{"negative", NRZ, nil, -1, true},
		{"unknown code", LineCode(7), []byte{0}, 8, true},
	}
	for _, tt := range tests {
		_, err := NewSignal(tt.code, tt.sym, tt.n)
		if (err != nil) != tt.wantErr {
			t.Errorf("%s: NewSignal error = %v, want error %v", tt.name, err, tt.wantErr)
		}
	}
	// 0x9a is 10011010; least significant first it packs the symbols
	// 01 01 10 01: low-high, low-high, high-low, low-high, the bits 1, 1, 0, 1.
	s, _ := NewSignal(Manchester, []byte{0x9a}, 8)
	b, err := s.Decode()
	if err != nil {
		t.Fatal(err)
	}
	if got := bitString(b, 0, 4); got != "1101" {
		t.Errorf("decoded %s, want 1101", got)
	}
}
