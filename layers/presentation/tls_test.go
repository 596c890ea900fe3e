package presentation

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// tlsFixtures are records as they cross the wire.
var tlsFixtures = map[string][]byte{
	// A change_cipher_spec record: type 20, version 0x0303, length 1, 0x01.
	"ccs": {0x14, 0x03, 0x03, 0x00, 0x01, 0x01},
	// A fatal bad_certificate alert in the clear.
	"alert": {0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x2a},
	// A handshake record with a (shortened) ClientHello of 6 B.
	"hello": {0x16, 0x03, 0x01, 0x00, 0x0a, 0x01, 0x00, 0x00, 0x06, 0x03, 0x03, 0xaa, 0xbb, 0xcc, 0xdd},
	// A protected record: application_data, 3 B of ciphertext.
	"sealed": {0x17, 0x03, 0x03, 0x00, 0x03, 0x9f, 0x00, 0x42},
}

func TestParseTLSRecord(t *testing.T) {
	tests := []struct {
		name, summary string
	}{
		{"ccs", "TLS record change_cipher_spec, TLS 1.2, 1 B: change_cipher_spec"},
		{"alert", "TLS record alert, TLS 1.2, 2 B: alert fatal bad_certificate"},
		{"hello", "TLS record handshake, TLS 1.0, 10 B: ClientHello"},
		{"sealed", "TLS record application_data, TLS 1.2, 3 B (encrypted): encrypted data"},
	}
	for _, tt := range tests {
		b := tlsFixtures[tt.name]
		r, n, err := ParseTLSRecord(b)
		if err != nil || n != len(b) {
			t.Fatalf("%s: %v, took %d of %d", tt.name, err, n, len(b))
		}
		if diff := cmp.Diff(tt.summary, r.Summary()); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.name, diff)
		}
		if got := r.Append(nil); !bytes.Equal(got, b) {
			t.Errorf("%s: Append gives % x, want % x", tt.name, got, b)
		}
	}
	for _, bad := range [][]byte{nil, {0x16, 3, 3, 0}, {0x18, 3, 3, 0, 0}, {0x17, 4, 3, 0, 0}, {0x17, 3, 3, 0xff, 0xff}, {0x17, 3, 3, 0, 2, 1}, {0x16, 3, 3, 0, 2, 1, 0}} {
		if _, _, err := ParseTLSRecord(bad); err == nil {
			t.Errorf("% x parsed", bad)
		}
	}
	recs, rest, err := ParseTLSRecords(append(append([]byte{}, tlsFixtures["ccs"]...), tlsFixtures["sealed"][:4]...))
	if err != nil || len(recs) != 1 || len(rest) != 4 {
		t.Errorf("ParseTLSRecords: %d records, %d B left, %v; want 1, 4", len(recs), len(rest), err)
	}
}

func FuzzParseTLSRecord(f *testing.F) {
	for _, b := range tlsFixtures {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		r, n, err := ParseTLSRecord(b)
		if err != nil {
			return
		}
		out := r.Append(nil)
		if !bytes.Equal(out, b[:n]) {
			t.Fatalf("Append % x, parsed % x", out, b[:n])
		}
		r2, _, err := ParseTLSRecord(out)
		if err != nil || r2.Summary() != r.Summary() {
			t.Fatalf("re-parse: %v, %q vs %q", err, r2.Summary(), r.Summary())
		}
		_ = r.Fields()
	})
}
