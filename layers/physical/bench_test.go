package physical

import "testing"

// BenchmarkEncodeDecode1518 encodes a full-size frame into bits and symbols
// and decodes it back, as a link does for every frame.
func BenchmarkEncodeDecode1518(b *testing.B) {
	frame := testFrame(1518)
	for _, code := range []LineCode{NRZ, Manchester} {
		b.Run(code.String(), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(frame)))
			for b.Loop() {
				s := code.Encode(Encode(frame))
				bits, err := s.Decode()
				if err != nil {
					b.Fatal(err)
				}
				if _, err := bits.Frame(); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(code.String()+"/reused-buffers", func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(frame)))
			var bitsBuf, symBuf, outBuf []byte
			for b.Loop() {
				bits := EncodeInto(bitsBuf, frame)
				s := code.EncodeInto(symBuf, bits)
				out, err := s.DecodeInto(outBuf)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := out.Frame(); err != nil {
					b.Fatal(err)
				}
				bitsBuf, symBuf, outBuf = bits.Octets(), s.Packed(), out.Octets()
			}
		})
	}
}
