package physical

import (
	"fmt"
	"strings"
)

// LineCode is the way bits become symbols (voltage levels) on the medium.
// The zero value is NRZ.
type LineCode uint8

// The line codes osisim implements.
const (
	// NRZ (non-return-to-zero, level) sends one symbol per bit: high for a 1,
	// low for a 0. Long runs of equal bits carry no transitions, so the
	// receiver cannot recover the sender's clock from the signal alone.
	NRZ LineCode = iota
	// Manchester sends two symbols per bit with a transition in the middle of
	// every bit period, which carries the clock. IEEE 802.3 clause 7 (10 Mb/s
	// Ethernet) sends the complement of the bit in the first half and the bit
	// itself in the second half: a 0 is high-then-low, a 1 is low-then-high.
	Manchester
)

// ParseLineCode accepts "nrz" or "manchester", in any case.
func ParseLineCode(s string) (LineCode, error) {
	switch {
	case strings.EqualFold(s, "nrz"):
		return NRZ, nil
	case strings.EqualFold(s, "manchester"):
		return Manchester, nil
	}
	return 0, fmt.Errorf("physical: unknown line code %q: want nrz or manchester", s)
}

// String returns "NRZ" or "Manchester".
func (c LineCode) String() string {
	switch c {
	case NRZ:
		return "NRZ"
	case Manchester:
		return "Manchester"
	}
	return fmt.Sprintf("LineCode(%d)", uint8(c))
}

// SymbolsPerBit returns how many symbols the code sends for one bit: 1 for
// NRZ, 2 for Manchester. The baud (symbol) rate is the bit rate times this.
func (c LineCode) SymbolsPerBit() int {
	if c == Manchester {
		return 2
	}
	return 1
}
