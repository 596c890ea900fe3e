package physical

import "testing"

func TestParseLineCode(t *testing.T) {
	tests := []struct {
		in      string
		want    LineCode
		wantErr bool
	}{
		{"nrz", NRZ, false},
		{"NRZ", NRZ, false},
		{"manchester", Manchester, false},
		{"Manchester", Manchester, false},
		{"MANCHESTER", Manchester, false},
		{"", 0, true},
		{"4b5b", 0, true},
		{"nrz ", 0, true},
	}
	for _, tt := range tests {
		got, err := ParseLineCode(tt.in)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("ParseLineCode(%q) = %v, %v; want %v, error %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestLineCodeString(t *testing.T) {
	tests := []struct {
		c       LineCode
		want    string
		symbols int
	}{
		{NRZ, "NRZ", 1},
		{Manchester, "Manchester", 2},
		{LineCode(9), "LineCode(9)", 1},
	}
	for _, tt := range tests {
		if got := tt.c.String(); got != tt.want {
			t.Errorf("String() = %q, want %q", got, tt.want)
		}
		if got := tt.c.SymbolsPerBit(); got != tt.symbols {
			t.Errorf("%v.SymbolsPerBit() = %d, want %d", tt.c, got, tt.symbols)
		}
	}
}
