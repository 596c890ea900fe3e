package session

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Discard drops the octets held after a complete line, and the next line
// is framed from what arrives after it alone.
func TestFramerDiscard(t *testing.T) {
	var f Framer
	if err := f.Expect(Line); err != nil {
		t.Fatal(err)
	}
	pieces, err := f.Feed([]byte("STLS\r\nUSER wang\r\nPA"))
	if err != nil {
		t.Fatal(err)
	}
	if len(pieces) != 1 || string(pieces[0].Data) != "STLS\r\n" {
		t.Fatalf("pieces %+v", pieces)
	}
	if n := f.Discard(); n != 13 {
		t.Errorf("Discard = %d, want 13 (USER wang CRLF and PA)", n)
	}
	if f.Held() != 0 || f.Discard() != 0 {
		t.Errorf("held %d after Discard", f.Held())
	}
	if err := f.Expect(Line); err != nil {
		t.Fatal(err)
	}
	pieces, err = f.Feed([]byte("CAPA\r\n"))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range pieces {
		got = append(got, string(p.Data))
	}
	if diff := cmp.Diff([]string{"CAPA\r\n"}, got); diff != "" {
		t.Errorf("after Discard (-want +got):\n%s", diff)
	}
}
