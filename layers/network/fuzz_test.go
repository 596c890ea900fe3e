package network

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// FuzzParse checks that Parse never panics and that what it accepts
// survives Append and Parse again: the same values (the checksum aside,
// since 0x0000 and 0xffff are both valid) and then the same octets.
func FuzzParse(f *testing.F) {
	for _, b := range [][]byte{fixSYN, fixRST, fixEchoRequest, fixEchoReply, fixOptions, fixSYN[:20], append(append([]byte(nil), fixOptions...), 0, 0, 0)} {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := Parse(b)
		if err != nil {
			return
		}
		b2 := d.Append(nil)
		d2, err := Parse(b2)
		if err != nil {
			t.Fatalf("Parse(Append(Parse(%x))): %v", b, err)
		}
		d.Checksum, d2.Checksum = 0, 0
		if diff := cmp.Diff(d, d2, cmpOpts); diff != "" {
			t.Fatalf("Parse-Append-Parse changed the datagram (-first +second):\n%s", diff)
		}
		if b3 := d2.Append(nil); !bytes.Equal(b2, b3) {
			t.Fatalf("Append not stable:\n%x\n%x", b2, b3)
		}
		_ = d.Summary()
		_ = d.Fields()
	})
}

func FuzzParseARP(f *testing.F) {
	for _, b := range [][]byte{fixARPRequest, fixARPReply, append(append([]byte(nil), fixARPReply...), make([]byte, 18)...)} {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		a, err := ParseARP(b)
		if err != nil {
			return
		}
		b2 := a.Append(nil)
		if !bytes.Equal(b2, b[:ARPLen]) {
			t.Fatalf("Append(ParseARP(%x)) = %x", b, b2)
		}
		a2, err := ParseARP(b2)
		if err != nil {
			t.Fatalf("ParseARP(Append): %v", err)
		}
		if diff := cmp.Diff(a, a2, cmpOpts); diff != "" {
			t.Fatalf("ParseARP-Append-ParseARP (-first +second):\n%s", diff)
		}
		_ = a.Summary()
		_ = a.Fields()
	})
}

func FuzzParseICMP(f *testing.F) {
	for _, b := range [][]byte{fixEchoRequest[20:], fixEchoReply[20:], fixTimeExceeded, fixTimeExceeded[:8]} {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := ParseICMP(b)
		if err != nil {
			return
		}
		b2 := m.Append(nil)
		m2, err := ParseICMP(b2)
		if err != nil {
			t.Fatalf("ParseICMP(Append(ParseICMP(%x))): %v", b, err)
		}
		m.Checksum, m2.Checksum = 0, 0
		if diff := cmp.Diff(m, m2, cmpOpts); diff != "" {
			t.Fatalf("ParseICMP-Append-ParseICMP (-first +second):\n%s", diff)
		}
		if b3 := m2.Append(nil); !bytes.Equal(b2, b3) {
			t.Fatalf("Append not stable:\n%x\n%x", b2, b3)
		}
		_ = m.Summary()
		_ = m.Fields()
		_, _ = m.Original()
	})
}
