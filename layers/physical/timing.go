package physical

import (
	"fmt"
	"math"
	"math/bits"
	"strconv"
	"strings"
	"time"

	"github.com/osisim/osisim/layers"
)

// SerializationTime returns how long a sender takes to put nbits on a link
// of bitsPerSecond: nbits / bitsPerSecond, computed exactly in integers and
// rounded up to the nanosecond. It returns 0 for no bits or a rate that is
// not positive (an unlimited link), and the largest Duration if the time
// does not fit in one.
func SerializationTime(nbits int, bitsPerSecond int64) time.Duration {
	if nbits <= 0 || bitsPerSecond <= 0 {
		return 0
	}
	hi, lo := bits.Mul64(uint64(nbits), uint64(time.Second))
	if hi >= uint64(bitsPerSecond) {
		return math.MaxInt64
	}
	q, r := bits.Div64(hi, lo, uint64(bitsPerSecond))
	if r != 0 {
		q++
	}
	if q > math.MaxInt64 {
		return math.MaxInt64
	}
	return time.Duration(q)
}

// FormatRate prints a bit rate with SI prefixes: "9600 b/s", "56 kb/s",
// "10 Mb/s", "1.544 Mb/s", "2.5 Gb/s".
func FormatRate(bitsPerSecond int64) string { return formatSI(bitsPerSecond, "b/s") }

// FormatBaud prints a symbol rate: "20 MBd".
func FormatBaud(symbolsPerSecond int64) string { return formatSI(symbolsPerSecond, "Bd") }

func formatSI(v int64, unit string) string {
	if v <= 0 {
		return "unlimited"
	}
	prefix, div := "", 1.0
	switch {
	case v >= 1e12:
		prefix, div = "T", 1e12
	case v >= 1e9:
		prefix, div = "G", 1e9
	case v >= 1e6:
		prefix, div = "M", 1e6
	case v >= 1e3:
		prefix, div = "k", 1e3
	}
	return trimZeros(strconv.FormatFloat(float64(v)/div, 'f', 3, 64)) + " " + prefix + unit
}

// FormatDuration prints a duration readably with at most two decimals:
// "800 ns", "51.2 us", "122.08 us", "1.23 ms", "2.5 s".
func FormatDuration(d time.Duration) string {
	neg := ""
	if d < 0 {
		neg, d = "-", -d
	}
	var v float64
	var unit string
	switch {
	case d < time.Microsecond:
		return neg + strconv.FormatInt(int64(d), 10) + " ns"
	case d < time.Millisecond:
		v, unit = float64(d)/1e3, " us"
	case d < time.Second:
		v, unit = float64(d)/1e6, " ms"
	default:
		v, unit = float64(d)/1e9, " s"
	}
	return neg + trimZeros(strconv.FormatFloat(v, 'f', 2, 64)) + unit
}

// trimZeros removes trailing zeros after a decimal point, and the point.
func trimZeros(s string) string {
	if strings.IndexByte(s, '.') < 0 {
		return s
	}
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}

// Describe returns the trace description of a signal sent at bitsPerSecond:
// a summary such as "preamble+SFD 64 bits + 512 bits, Manchester, 57.6 us at
// 10 Mb/s" and the fields preamble, SFD, frame, line code, symbols, bit
// rate, baud and duration. The preamble and SFD are shown as the signal
// carries them, so a corrupted one shows. ID, Parents and Bytes are left for
// the caller.
func Describe(s Signal, bitsPerSecond int64) layers.PDU {
	n := s.Bits()
	dur := SerializationTime(n, bitsPerSecond)
	baud := bitsPerSecond * int64(s.code.SymbolsPerBit())
	p := layers.PDU{
		Kind:      "bits",
		Len:       (n + 7) / 8,
		HeaderLen: min(len(preambleSFD), (n+7)/8),
	}
	rate := FormatRate(bitsPerSecond)
	perBit := " (1 symbol per bit)"
	if s.code == Manchester {
		perBit = " (2 symbols per bit)"
	}
	if n < PreambleSFDBits {
		p.Summary = fmt.Sprintf("%d bits (shorter than preamble+SFD), %s, %s at %s", n, s.code, FormatDuration(dur), rate)
	} else {
		p.Summary = fmt.Sprintf("preamble+SFD %d bits + %d bits, %s, %s at %s",
			PreambleSFDBits, n-PreambleSFDBits, s.code, FormatDuration(dur), rate)
	}
	p.Fields = []layers.Field{
		{Name: "Preamble", Value: s.describePreamble()},
		{Name: "SFD", Value: s.describeSFD()},
		{Name: "Frame", Value: fmt.Sprintf("%d bits (%d octets)", max(0, n-PreambleSFDBits), max(0, n-PreambleSFDBits)/8)},
		{Name: "Line code", Value: s.code.String() + perBit},
		{Name: "Symbols", Value: strconv.Itoa(s.n)},
		{Name: "Bit rate", Value: rate},
		{Name: "Baud", Value: FormatBaud(baud)},
		{Name: "Duration", Value: FormatDuration(dur)},
	}
	return p
}

func (s Signal) describePreamble() string {
	whole := s.Bits() / 8
	if whole < PreambleLen {
		return fmt.Sprintf("incomplete (%d bits)", s.Bits())
	}
	var b strings.Builder
	good, violation := true, false
	for k := range PreambleLen {
		if k > 0 {
			b.WriteByte(' ')
		}
		v, ok := s.octet(k)
		if !ok {
			b.WriteString("??")
			good, violation = false, true
			continue
		}
		fmt.Fprintf(&b, "%02x", v)
		good = good && v == PreambleOctet
	}
	if good {
		return "7 x 0x55 (56 bits, 1010... on the wire)"
	}
	if violation {
		return b.String() + " (damaged: ?? is a code violation)"
	}
	return b.String() + " (damaged)"
}

func (s Signal) describeSFD() string {
	if s.Bits() < PreambleSFDBits {
		return "missing"
	}
	v, ok := s.octet(PreambleLen)
	switch {
	case !ok:
		return "code violation"
	case v != SFD:
		return fmt.Sprintf("0x%02x (not an SFD, want 0xd5)", v)
	}
	return "0xd5 (10101011 on the wire)"
}
