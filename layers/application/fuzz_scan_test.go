package application

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// FuzzParseScanListing: ParseScanListing never panics, and what it accepts
// Append writes back in a form that parses to the same listing.
func FuzzParseScanListing(f *testing.F) {
	f.Add([]byte("1 2048\r\n2 790\r\n"))              // the default lesson's LIST body
	f.Add([]byte("1 120 extra text\r\n"))             // text after the size is ignored
	f.Add([]byte(""))                                 // an empty maildrop
	f.Add([]byte("1 120\n"))                          // a bare LF
	f.Add([]byte("-1 -5\r\n99999999999999999 1\r\n")) // signs and overflow
	f.Fuzz(func(t *testing.T, b []byte) {
		l, err := ParseScanListing(b)
		if err != nil {
			return
		}
		out := l.Append(nil)
		again, err := ParseScanListing(out)
		if err != nil {
			t.Fatalf("%q parsed to %v, which Append writes as %q, which does not parse: %v", b, l, out, err)
		}
		if diff := cmp.Diff(l, again); diff != "" {
			t.Fatalf("parse-append-parse of %q changed the listing (-first +second):\n%s", b, diff)
		}
		if !bytes.Equal(again.Append(nil), out) {
			t.Fatalf("append is not stable for %q", b)
		}
		if l.Size() != int64(len(out)) {
			t.Fatalf("Size %d, Append wrote %d octets", l.Size(), len(out))
		}
	})
}
