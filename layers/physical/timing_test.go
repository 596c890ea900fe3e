package physical

import (
	"math"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/osisim/osisim/layers"
)

func TestSerializationTime(t *testing.T) {
	tests := []struct {
		name  string
		bits  int
		rate  int64
		want  time.Duration
		print string
	}{
		{"64-byte frame at 10 Mb/s", 64 * 8, 10_000_000, 51200 * time.Nanosecond, "51.2 us"},
		{"64-byte frame + preamble/SFD at 10 Mb/s", (64 + 8) * 8, 10_000_000, 57600 * time.Nanosecond, "57.6 us"},
		{"1518-byte frame + preamble/SFD at 100 Mb/s", (1518 + 8) * 8, 100_000_000, 122080 * time.Nanosecond, "122.08 us"},
		{"1518-byte frame + preamble/SFD at 1 Gb/s", (1518 + 8) * 8, 1_000_000_000, 12208 * time.Nanosecond, "12.21 us"},
		{"1518-byte frame + preamble/SFD at 10 Mb/s", (1518 + 8) * 8, 10_000_000, 1220800 * time.Nanosecond, "1.22 ms"},
		{"rounds up to the ns", 1, 3, 333333334 * time.Nanosecond, "333.33 ms"},
		{"exact ns stays exact", 3, 3_000_000_000, 1, "1 ns"},
		{"9600 b/s", 9600, 9600, time.Second, "1 s"},
		{"no bits", 0, 10_000_000, 0, "0 ns"},
		{"unlimited link", 1000, 0, 0, "0 ns"},
		{"does not fit", math.MaxInt, 1, math.MaxInt64, "9223372036.85 s"},
	}
	for _, tt := range tests {
		got := SerializationTime(tt.bits, tt.rate)
		if got != tt.want {
			t.Errorf("%s: SerializationTime(%d, %d) = %d ns, want %d ns", tt.name, tt.bits, tt.rate, got, tt.want)
		}
		if s := FormatDuration(got); s != tt.print {
			t.Errorf("%s: FormatDuration(%d) = %q, want %q", tt.name, got, s, tt.print)
		}
	}
}

func TestFormatRate(t *testing.T) {
	tests := []struct {
		rate int64
		want string
	}{
		{0, "unlimited"},
		{300, "300 b/s"},
		{9600, "9.6 kb/s"},
		{56_000, "56 kb/s"},
		{1_544_000, "1.544 Mb/s"},
		{10_000_000, "10 Mb/s"},
		{100_000_000, "100 Mb/s"},
		{1_000_000_000, "1 Gb/s"},
		{2_500_000_000, "2.5 Gb/s"},
		{10_000_000_000_000, "10 Tb/s"},
	}
	for _, tt := range tests {
		if got := FormatRate(tt.rate); got != tt.want {
			t.Errorf("FormatRate(%d) = %q, want %q", tt.rate, got, tt.want)
		}
	}
	if got := FormatBaud(20_000_000); got != "20 MBd" {
		t.Errorf("FormatBaud(20e6) = %q, want \"20 MBd\"", got)
	}
}

func TestFormatDuration(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{800, "800 ns"},
		{1000, "1 us"},
		{1230 * time.Microsecond, "1.23 ms"},
		{1234567 * time.Nanosecond, "1.23 ms"},
		{2500 * time.Millisecond, "2.5 s"},
		{-51200, "-51.2 us"},
	}
	for _, tt := range tests {
		if got := FormatDuration(tt.d); got != tt.want {
			t.Errorf("FormatDuration(%d) = %q, want %q", tt.d, got, tt.want)
		}
	}
}

func TestDescribe(t *testing.T) {
	s := Manchester.Encode(Encode(make([]byte, 64)))
	want := layers.PDU{
		Kind:      "bits",
		Len:       72,
		HeaderLen: 8,
		Summary:   "preamble+SFD 64 bits + 512 bits, Manchester, 57.6 us at 10 Mb/s",
		Fields: []layers.Field{
			{Name: "Preamble", Value: "7 x 0x55 (56 bits, 1010... on the wire)"},
			{Name: "SFD", Value: "0xd5 (10101011 on the wire)"},
			{Name: "Frame", Value: "512 bits (64 octets)"},
			{Name: "Line code", Value: "Manchester (2 symbols per bit)"},
			{Name: "Symbols", Value: "1152"},
			{Name: "Bit rate", Value: "10 Mb/s"},
			{Name: "Baud", Value: "20 MBd"},
			{Name: "Duration", Value: "57.6 us"},
		},
	}
	if diff := cmp.Diff(want, Describe(s, 10_000_000)); diff != "" {
		t.Errorf("Describe (-want +got):\n%s", diff)
	}
}

func TestDescribeDamaged(t *testing.T) {
	tests := []struct {
		name     string
		code     LineCode
		damage   func(Signal)
		preamble string
		sfd      string
	}{
		{
			name:     "NRZ bit error in the preamble",
			code:     NRZ,
			damage:   func(s Signal) { s.FlipBit(17) },
			preamble: "55 55 57 55 55 55 55 (damaged)",
			sfd:      "0xd5 (10101011 on the wire)",
		},
		{
			name:     "Manchester code violation in the preamble",
			code:     Manchester,
			damage:   func(s Signal) { s.FlipSymbol(2 * 8) },
			preamble: "55 ?? 55 55 55 55 55 (damaged: ?? is a code violation)",
			sfd:      "0xd5 (10101011 on the wire)",
		},
		{
			name:     "SFD bit error",
			code:     Manchester,
			damage:   func(s Signal) { s.FlipBit(63) },
			preamble: "7 x 0x55 (56 bits, 1010... on the wire)",
			sfd:      "0x55 (not an SFD, want 0xd5)",
		},
		{
			name:     "SFD code violation",
			code:     Manchester,
			damage:   func(s Signal) { s.FlipSymbol(2 * 60) },
			preamble: "7 x 0x55 (56 bits, 1010... on the wire)",
			sfd:      "code violation",
		},
	}
	for _, tt := range tests {
		s := tt.code.Encode(Encode(make([]byte, 64)))
		tt.damage(s)
		p := Describe(s, 100_000_000)
		got := []string{p.Fields[0].Value, p.Fields[1].Value}
		if diff := cmp.Diff([]string{tt.preamble, tt.sfd}, got); diff != "" {
			t.Errorf("%s: preamble and SFD (-want +got):\n%s", tt.name, diff)
		}
	}
}

func TestDescribeShort(t *testing.T) {
	b, _ := NewBits([]byte{0x55, 0x55}, 16)
	p := Describe(NRZ.Encode(b), 10_000_000)
	want := []string{"16 bits (shorter than preamble+SFD), NRZ, 1.6 us at 10 Mb/s", "incomplete (16 bits)", "missing", "0 bits (0 octets)"}
	got := []string{p.Summary, p.Fields[0].Value, p.Fields[1].Value, p.Fields[2].Value}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Describe of a short signal (-want +got):\n%s", diff)
	}
}
