package physical

import (
	"bytes"
	"testing"
)

// FuzzDecode feeds arbitrary symbols to Decode: it must not panic, and a
// signal that decodes must encode back to the same symbols.
func FuzzDecode(f *testing.F) {
	frame := Encode([]byte{0x02, 0x00, 0x00, 0x00, 0x01, 0x0a, 0xff})
	for _, code := range []LineCode{NRZ, Manchester} {
		s := code.Encode(frame)
		f.Add(uint8(code), s.Packed(), uint16(s.Symbols()))
		bad := s.Clone()
		bad.FlipSymbol(5)
		f.Add(uint8(code), bad.Packed(), uint16(bad.Symbols()))
	}
	f.Add(uint8(Manchester), []byte{0x9a, 0xff}, uint16(12))
	f.Fuzz(func(t *testing.T, code uint8, sym []byte, n uint16) {
		s, err := NewSignal(LineCode(code), sym, int(n))
		if err != nil {
			return
		}
		b, err := s.Decode()
		if err != nil {
			return
		}
		if b.Len() != s.Bits() {
			t.Fatalf("decoded %d bits from a signal of %d", b.Len(), s.Bits())
		}
		again := s.code.Encode(b)
		if again.Symbols() != s.Symbols() {
			t.Fatalf("re-encoded %d symbols, had %d", again.Symbols(), s.Symbols())
		}
		for i := range s.Symbols() {
			if again.Symbol(i) != s.Symbol(i) {
				t.Fatalf("symbol %d changed on Decode-Encode", i)
			}
		}
	})
}

// FuzzFrame feeds arbitrary bit streams to Frame: it must not panic, and a
// frame it accepts must encode back to the stream's whole octets.
func FuzzFrame(f *testing.F) {
	good := Encode([]byte{0xde, 0xad, 0xbe, 0xef}).Octets()
	f.Add(good, uint8(0))
	f.Add(append(append([]byte(nil), good...), 0x07), uint8(3))
	f.Add(good[:7], uint8(0))
	f.Add([]byte{0x55, 0x55, 0x55, 0x55, 0x55, 0x55, 0x55, 0x55, 0xd5}, uint8(0))
	f.Fuzz(func(t *testing.T, octets []byte, drop uint8) {
		n := max(0, 8*len(octets)-int(drop%8))
		b, err := NewBits(octets, n)
		if err != nil {
			t.Fatalf("NewBits(%d octets, %d): %v", len(octets), n, err)
		}
		frame, err := b.Frame()
		if err != nil {
			return
		}
		want := octets[:n/8]
		if got := Encode(frame).Octets(); !bytes.Equal(got, want) {
			t.Fatalf("Frame then Encode = %x, want %x", got, want)
		}
	})
}
