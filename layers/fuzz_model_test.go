package layers

import "testing"

// FuzzParseModel: ParseModel never panics, and a model it accepts has an
// ID and a name that parse back to it.
func FuzzParseModel(f *testing.F) {
	for _, s := range []string{"osi7", "osi", "7", "OSI-7", "tcpip5", "5", "TCP/IP-5", "tcpip4", "4", "TCP/IP-4", "", "osi8"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := ParseModel(s)
		if err != nil {
			return
		}
		for _, name := range []string{m.ID(), m.String()} {
			if again, err := ParseModel(name); err != nil || again != m {
				t.Fatalf("%q parsed to %v, whose name %q parses to %v, %v", s, m, name, again, err)
			}
		}
		if len(m.Layers()) == 0 {
			t.Fatalf("model %v has no layers", m)
		}
	})
}
