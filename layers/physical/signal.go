package physical

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// ErrCodeViolation is matched (errors.Is) by every *CodeViolationError.
var ErrCodeViolation = errors.New("physical: code violation")

// CodeViolationError reports a Manchester bit period without its mid-bit
// transition (symbols 00 or 11), which no valid bit produces: the receiver
// cannot tell what was sent.
type CodeViolationError struct {
	Bit     int     // the data bit whose period is invalid, from 0
	Symbols [2]byte // the two symbols received in that period
}

func (e *CodeViolationError) Error() string {
	level := "low-low"
	if e.Symbols[0] == 1 {
		level = "high-high"
	}
	return fmt.Sprintf("physical: Manchester code violation at bit %d: symbols %d%d (%s) have no mid-bit transition",
		e.Bit, e.Symbols[0], e.Symbols[1], level)
}

// Is reports whether target is ErrCodeViolation.
func (e *CodeViolationError) Is(target error) bool { return target == ErrCodeViolation }

// Signal is the line-coded form of a Bits: the symbols (1 = high, 0 = low)
// that cross the medium, packed like Bits (symbol i is bit i%8 of octet
// i/8). A Signal shares its storage with its copies; Clone makes an
// independent one.
type Signal struct {
	sym  []byte
	n    int // symbols
	code LineCode
}

// manchesterEnc maps an octet to its 16 Manchester symbols, packed: data
// bit k (least significant first) becomes symbols 2k and 2k+1, 10 for a 0
// and 01 for a 1.
var manchesterEnc = func() (t [256]uint16) {
	for v := range 256 {
		var s uint16
		for k := range 8 {
			if v>>k&1 == 0 {
				s |= 1 << (2 * k) // high then low
			} else {
				s |= 1 << (2*k + 1) // low then high
			}
		}
		t[v] = s
	}
	return t
}()

// manchesterBad marks an entry of manchesterDec that holds a code violation.
const manchesterBad = 0x80

// manchesterDec maps one packed octet of symbols (four bit periods) to the
// four data bits it carries, or manchesterBad if any period is 00 or 11.
var manchesterDec = func() (t [256]byte) {
	for v := range 256 {
		var d byte
		for k := range 4 {
			switch v >> (2 * k) & 3 {
			case 0b01: // first symbol high, second low: a 0
			case 0b10: // first symbol low, second high: a 1
				d |= 1 << k
			default:
				d = manchesterBad
			}
			if d == manchesterBad {
				break
			}
		}
		t[v] = d
	}
	return t
}()

// compact moves bit 2k of x to bit k, ignoring the odd bits.
func compact(x uint64) uint32 {
	x &= 0x5555555555555555
	x = (x | x>>1) & 0x3333333333333333
	x = (x | x>>2) & 0x0f0f0f0f0f0f0f0f
	x = (x | x>>4) & 0x00ff00ff00ff00ff
	x = (x | x>>8) & 0x0000ffff0000ffff
	x = (x | x>>16) & 0x00000000ffffffff
	return uint32(x)
}

// Encode returns the signal that carries b in code c.
func (c LineCode) Encode(b Bits) Signal { return c.EncodeInto(nil, b) }

// EncodeInto is Encode building the symbols in buf's storage when its
// capacity suffices (the result then aliases buf).
func (c LineCode) EncodeInto(buf []byte, b Bits) Signal {
	n := b.n * c.SymbolsPerBit()
	size := (n + 7) / 8
	out := buf[:0]
	if cap(out) < size {
		out = make([]byte, size)
	}
	out = out[:size]
	if c != Manchester {
		copy(out, b.b)
		return Signal{sym: out, n: n, code: c}
	}
	whole := b.n / 8
	k := 0
	for ; k+4 <= whole; k += 4 {
		v := b.b[k : k+4 : k+4]
		binary.LittleEndian.PutUint64(out[2*k:], uint64(manchesterEnc[v[0]])|uint64(manchesterEnc[v[1]])<<16|
			uint64(manchesterEnc[v[2]])<<32|uint64(manchesterEnc[v[3]])<<48)
	}
	for ; k < whole; k++ {
		s := manchesterEnc[b.b[k]]
		out[2*k] = byte(s)
		out[2*k+1] = byte(s >> 8)
	}
	if rest := b.n % 8; rest != 0 {
		s := manchesterEnc[b.b[whole]] & (1<<(2*rest) - 1)
		out[2*whole] = byte(s)
		if rest > 4 {
			out[2*whole+1] = byte(s >> 8)
		}
	}
	return Signal{sym: out, n: n, code: c}
}

// NewSignal returns the signal of the first n symbols of symbols (packed,
// symbol i is bit i%8 of symbols[i/8]) in code c. The result aliases
// symbols. A Manchester signal needs an even number of symbols.
func NewSignal(c LineCode, symbols []byte, n int) (Signal, error) {
	if c != NRZ && c != Manchester {
		return Signal{}, fmt.Errorf("physical: unknown line code %d", uint8(c))
	}
	if n < 0 || n > 8*len(symbols) {
		return Signal{}, fmt.Errorf("physical: %d symbols do not fit in %d octets", n, len(symbols))
	}
	if c == Manchester && n%2 != 0 {
		return Signal{}, fmt.Errorf("physical: %d symbols: a Manchester signal has two symbols per bit", n)
	}
	return Signal{sym: symbols[:(n+7)/8], n: n, code: c}, nil
}

// Decode recovers the bits a signal carries. A Manchester bit period
// without its mid-bit transition returns a *CodeViolationError.
func (s Signal) Decode() (Bits, error) { return s.DecodeInto(nil) }

// DecodeInto is Decode building the bits in buf's storage when its capacity
// suffices (the result then aliases buf).
func (s Signal) DecodeInto(buf []byte) (Bits, error) {
	nbits := s.Bits()
	size := (nbits + 7) / 8
	out := buf[:0]
	if cap(out) < size {
		out = make([]byte, size)
	}
	out = out[:size]
	if s.code != Manchester {
		copy(out, s.sym)
		return Bits{b: out, n: nbits}, nil
	}
	whole := nbits / 8
	sym := s.sym[:2*whole]
	k := 0
	for ; k+4 <= whole; k += 4 {
		x := binary.LittleEndian.Uint64(sym[2*k:])
		// Every bit period must hold two different symbols.
		if (x^x>>1)&0x5555555555555555 != 0x5555555555555555 {
			return Bits{}, s.violation(8 * k)
		}
		// The second symbol of each period is the bit.
		binary.LittleEndian.PutUint32(out[k:], compact(x>>1))
	}
	for ; k < whole; k++ {
		lo, hi := manchesterDec[sym[2*k]], manchesterDec[sym[2*k+1]]
		if (lo|hi)&manchesterBad != 0 {
			return Bits{}, s.violation(8 * k)
		}
		out[k] = lo | hi<<4
	}
	if whole < size {
		out[whole] = 0
		for i := 8 * whole; i < nbits; i++ {
			a, b := s.Symbol(2*i), s.Symbol(2*i+1)
			if a == b {
				return Bits{}, s.violation(i)
			}
			out[whole] |= b << (i & 7)
		}
	}
	return Bits{b: out, n: nbits}, nil
}

// violation returns the error for the first invalid bit period at or after
// data bit from.
func (s Signal) violation(from int) error {
	for i := from; i < s.Bits(); i++ {
		a, b := s.Symbol(2*i), s.Symbol(2*i+1)
		if a == b {
			return &CodeViolationError{Bit: i, Symbols: [2]byte{a, b}}
		}
	}
	return ErrCodeViolation // not reached: the caller saw a violation
}

// Code returns the signal's line code.
func (s Signal) Code() LineCode { return s.code }

// Symbols returns the number of symbols.
func (s Signal) Symbols() int { return s.n }

// Bits returns the number of data bits the signal carries (preamble and SFD
// included).
func (s Signal) Bits() int { return s.n / s.code.SymbolsPerBit() }

// Symbol returns symbol i: 1 for high, 0 for low. It panics if i is out of
// range.
func (s Signal) Symbol(i int) byte {
	if uint(i) >= uint(s.n) {
		panic(fmt.Sprintf("physical: symbol %d out of range [0, %d)", i, s.n))
	}
	return s.sym[i>>3] >> (i & 7) & 1
}

// Packed returns the packed symbols. The slice aliases s.
func (s Signal) Packed() []byte { return s.sym }

// FlipBit corrupts data bit i in place, as noise on the medium would, so
// that the signal decodes to that bit inverted. In NRZ it inverts the bit's
// symbol; in Manchester it inverts both symbols of the bit period (10 <-> 01),
// which keeps the mid-bit transition. Copies of s share the change; Clone
// first to keep the original. It panics if i is out of range.
func (s Signal) FlipBit(i int) {
	if uint(i) >= uint(s.Bits()) {
		panic(fmt.Sprintf("physical: bit %d out of range [0, %d)", i, s.Bits()))
	}
	if s.code != Manchester {
		s.sym[i>>3] ^= 1 << (i & 7)
		return
	}
	j := 2 * i // even, so both symbols lie in the same octet
	s.sym[j>>3] ^= 3 << (j & 7)
}

// FlipSymbol inverts symbol i in place, as a short burst of noise would. In
// Manchester that removes the mid-bit transition of a bit period, a code
// violation that Decode reports. It panics if i is out of range.
func (s Signal) FlipSymbol(i int) {
	if uint(i) >= uint(s.n) {
		panic(fmt.Sprintf("physical: symbol %d out of range [0, %d)", i, s.n))
	}
	s.sym[i>>3] ^= 1 << (i & 7)
}

// Clone returns a copy of s with its own storage.
func (s Signal) Clone() Signal {
	s.sym = append([]byte(nil), s.sym...)
	return s
}

// octet returns octet k of the data the signal carries, and false on a code
// violation. It needs 8k+8 <= s.Bits().
func (s Signal) octet(k int) (byte, bool) {
	if s.code != Manchester {
		return s.sym[k], true
	}
	lo, hi := manchesterDec[s.sym[2*k]], manchesterDec[s.sym[2*k+1]]
	if (lo|hi)&manchesterBad != 0 {
		return 0, false
	}
	return lo | hi<<4, true
}
