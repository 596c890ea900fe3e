package datalink

import "testing"

// FuzzParseMAC: ParseMAC never panics, and an address it accepts prints
// as a string that parses to the same address.
func FuzzParseMAC(f *testing.F) {
	for _, s := range []string{
		"02:00:00:00:01:0a", "ff:ff:ff:ff:ff:ff", "02-00-00-00-01-0A", "0200.0000.010a",
		"00:00:5e:00:53:01:02:03", "", "02:00:00:00:01", "zz:00:00:00:00:00",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := ParseMAC(s)
		if err != nil {
			return
		}
		again, err := ParseMAC(m.String())
		if err != nil || again != m {
			t.Fatalf("%q parsed to %s, which parses to %s, %v", s, m, again, err)
		}
	})
}
