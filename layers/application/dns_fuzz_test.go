package application

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// FuzzParseDNS checks that ParseDNS never panics and that what it accepts
// survives Append: Parse, Append, Parse gives the same message (the octets
// may differ where the input compressed names differently).
func FuzzParseDNS(f *testing.F) {
	for _, h := range []string{dnsQueryHex, dnsResponseHex, dnsNXDomainHex, dnsCNAMEHex} {
		f.Add(unhex(f, h))
	}
	f.Add(unhex(f, "0001 0000 0001 0000 0000 0000 01 61 c00c 0001 0001"))
	f.Add(unhex(f, "0007 0000 0001 0000 0000 0000 06 612e5c00ff20 03 6c6162 00 0001 0001"))
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := ParseDNS(b)
		if err != nil {
			return
		}
		out := m.Append(nil)
		m2, err := ParseDNS(out)
		if err != nil {
			t.Fatalf("Append of a parsed message does not parse: %v\ninput  %x\noutput %x", err, b, out)
		}
		if d := cmp.Diff(m, m2, dnsCmp); d != "" {
			t.Fatalf("Parse-Append-Parse changed the message (-first +second):\n%s", d)
		}
		_ = m.Summary()
		_ = m.Fields()
	})
}
