package physical

import "testing"

// FuzzParseLineCode: ParseLineCode never panics, and a code it accepts
// prints as a name that parses to the same code.
func FuzzParseLineCode(f *testing.F) {
	for _, s := range []string{"nrz", "NRZ", "manchester", "Manchester", "", "4b5b", "manchester "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseLineCode(s)
		if err != nil {
			return
		}
		again, err := ParseLineCode(c.String())
		if err != nil || again != c {
			t.Fatalf("%q parsed to %v, whose name parses to %v, %v", s, c, again, err)
		}
	})
}
