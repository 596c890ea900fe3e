package presentation

import "testing"

// FuzzParseTransferEncoding: ParseTransferEncoding never panics, and an
// encoding it accepts prints as a name that parses to the same encoding.
func FuzzParseTransferEncoding(f *testing.F) {
	for _, s := range []string{"", "auto", "7bit", "quoted-printable", "QP", " base64 ", "8bit", "binary"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		e, err := ParseTransferEncoding(s)
		if err != nil {
			return
		}
		again, err := ParseTransferEncoding(e.String())
		if err != nil || again != e {
			t.Fatalf("%q parsed to %v, whose name parses to %v, %v", s, e, again, err)
		}
	})
}
