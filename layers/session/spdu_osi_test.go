package session

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/osisim/osisim/layers/layerstest"
)

// osiLineSPDU is a data SPDU of the osi profile carrying the line
// "RETR 1" CRLF (8 B): version 1, type 1 (data), flags 0x03 (end of unit,
// give turn), speaker 1 (initiator), session 1, turn 9, sync point 0,
// length 8; then the user data.
var osiLineSPDU = []byte{
	0x01, 0x01, 0x03, 0x01,
	0x00, 0x01, 0x00, 0x09,
	0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x08,
	'R', 'E', 'T', 'R', ' ', '1', '\r', '\n',
}

// osiBlockSPDU is the last segment of a block from the responder: type 1,
// flags 0x07 (end of unit, give turn, block), speaker 2, session 3, turn
// 10, sync point 1, length 3 (".\r\n").
var osiBlockSPDU = []byte{
	0x01, 0x01, 0x07, 0x02,
	0x00, 0x03, 0x00, 0x0a,
	0x00, 0x00, 0x00, 0x01,
	0x00, 0x00, 0x00, 0x03,
	'.', '\r', '\n',
}

// osiReleaseSPDU is a release SPDU from the initiator: type 3, flags 0x01,
// session 1, turn 12, sync point 1, no user data.
var osiReleaseSPDU = []byte{
	0x01, 0x03, 0x01, 0x01,
	0x00, 0x01, 0x00, 0x0c,
	0x00, 0x00, 0x00, 0x01,
	0x00, 0x00, 0x00, 0x00,
}

func TestOSIUnitRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		wire []byte
		want OSIHeader
	}{
		{"line", osiLineSPDU, OSIHeader{Type: TypeData, Flags: FlagEndOfUnit | FlagGiveTurn, Speaker: Initiator, Session: 1, Turn: 9, Length: 8}},
		{"block", osiBlockSPDU, OSIHeader{Type: TypeData, Flags: FlagEndOfUnit | FlagGiveTurn | FlagBlock, Speaker: Responder, Session: 3, Turn: 10, Sync: 1, Length: 3}},
		{"release", osiReleaseSPDU, OSIHeader{Type: TypeRelease, Flags: FlagEndOfUnit, Speaker: Initiator, Session: 1, Turn: 12, Sync: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u, err := ParseOSIUnit(tt.wire)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, u.Header); diff != "" {
				t.Errorf("header (-want +got):\n%s", diff)
			}
			if got := u.Append(nil); !bytes.Equal(got, tt.wire) {
				t.Errorf("Append = % x, want % x", got, tt.wire)
			}
			if n := len(u.Header.Fields()); n != 8 {
				t.Errorf("%d fields, want 8 (one per header field)", n)
			}
		})
	}
	if got := (OSIHeader{Type: TypeData, Flags: FlagEndOfUnit | FlagGiveTurn | FlagBlock, Speaker: Responder, Session: 3, Turn: 10, Sync: 1, Length: 3}).Summary(); got !=
		"SPDU data session 3 turn 10 sync 1: last block segment of 3 B from the responder, gives the turn (16 B session header)" {
		t.Errorf("Summary = %q", got)
	}
}

func TestParseOSIErrors(t *testing.T) {
	mod := func(i int, v byte) []byte {
		b := append([]byte(nil), osiLineSPDU...)
		b[i] = v
		return b
	}
	tests := []struct {
		name string
		in   []byte
		want string
	}{
		{"empty", nil, "session: osi header too short: 0 B, need 16"},
		{"short", osiLineSPDU[:15], "session: osi header too short: 15 B, need 16"},
		{"version", mod(0, 2), "session: osi header version 2, want 1"},
		{"type", mod(1, 9), "session: unknown osi SPDU type 9"},
		{"flags", mod(2, 0x83), "session: unknown osi header flags 0x80"},
		{"speaker", mod(3, 0), "session: bad speaker 0 in osi header, want 1 (initiator) or 2 (responder)"},
		{"too long", mod(13, 0x10), "session: osi SPDU of 1048584 B of user data, at most 65536 allowed"},
		{"release with data", mod(1, 3), "session: release SPDU carries 8 B of user data, want none"},
		{"data missing", osiLineSPDU[:20], "session: osi SPDU says 8 B of user data, has 4"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseOSIUnit(tt.in)
			if err == nil || err.Error() != tt.want {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
		})
	}
}

// TestUnitReaderEveryCut feeds a stream of three SPDUs cut in two at every
// octet, and in one-octet chunks: the reader returns the same SPDUs.
func TestUnitReaderEveryCut(t *testing.T) {
	stream := append(append(append([]byte(nil), osiLineSPDU...), osiBlockSPDU...), osiReleaseSPDU...)
	want := []string{"data RETR 1\r\n", "data .\r\n", "release "}
	read := func(chunks [][]byte) []string {
		var r UnitReader
		var got []string
		for _, c := range chunks {
			us, err := r.Feed(c)
			if err != nil {
				t.Fatal(err)
			}
			for _, u := range us {
				got = append(got, u.Header.Type.String()+" "+string(u.Data))
			}
		}
		if r.Held() != 0 {
			t.Errorf("%d octets held at the end", r.Held())
		}
		return got
	}
	for cut := 0; cut <= len(stream); cut++ {
		if diff := cmp.Diff(want, read([][]byte{stream[:cut], stream[cut:]})); diff != "" {
			t.Fatalf("cut at %d (-want +got):\n%s", cut, diff)
		}
	}
	var bytewise [][]byte
	for i := range stream {
		bytewise = append(bytewise, stream[i:i+1])
	}
	if diff := cmp.Diff(want, read(bytewise)); diff != "" {
		t.Errorf("byte by byte (-want +got):\n%s", diff)
	}
}

func TestUnitReaderErrorSticks(t *testing.T) {
	var r UnitReader
	bad := append([]byte{0x09}, osiLineSPDU[1:]...)
	if _, err := r.Feed(bad); err == nil || !strings.Contains(err.Error(), "version 9") {
		t.Fatalf("err = %v, want a version error", err)
	}
	if _, err := r.Feed(osiLineSPDU); err == nil {
		t.Error("a reader that lost its place read on")
	}
}

func TestTakeOSI(t *testing.T) {
	env := layerstest.New("client", 1)
	s := New(env, 1, Initiator)
	s.SetOSIProfile()
	if err := s.Open(); err != nil {
		t.Fatal(err)
	}
	if got := env.Texts(); len(got) == 0 || !strings.Contains(got[len(got)-1], "16 B session header") {
		t.Errorf("the open note does not mention the session header: %q", got)
	}
	line, _ := ParseOSIHeader(osiLineSPDU)
	line.Speaker = Responder
	block, _ := ParseOSIHeader(osiBlockSPDU)
	seg := block
	seg.Flags &^= FlagEndOfUnit | FlagGiveTurn

	if _, err := s.TakeOSI(line, []byte("+OK\r\n")); err == nil || !strings.Contains(err.Error(), "no unit was expected") {
		t.Errorf("unexpected unit: err = %v", err)
	}
	if err := s.Expect(Line); err != nil {
		t.Fatal(err)
	}
	if _, err := s.TakeOSI(block, []byte(".\r\n")); err == nil || !strings.Contains(err.Error(), "a line was expected") {
		t.Errorf("block for a line: err = %v", err)
	}
	mine, _ := ParseOSIHeader(osiLineSPDU)
	if _, err := s.TakeOSI(mine, []byte("RETR 1\r\n")); err == nil || !strings.Contains(err.Error(), "from the initiator") {
		t.Errorf("own SPDU: err = %v", err)
	}
	p, err := s.TakeOSI(line, []byte("+OK\r\n"))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(Piece{Unit: Line, Data: []byte("+OK\r\n"), End: true}, p); diff != "" {
		t.Errorf("piece (-want +got):\n%s", diff)
	}
	// A block in two segments: the first does not complete the unit.
	if err := s.Expect(DotTerminated); err != nil {
		t.Fatal(err)
	}
	if p, err := s.TakeOSI(seg, []byte("a\r\n")); err != nil || p.End {
		t.Errorf("first segment: %+v, %v; want a piece without End", p, err)
	}
	if p, err := s.TakeOSI(block, []byte(".\r\n")); err != nil || !p.End {
		t.Errorf("last segment: %+v, %v; want the end of the unit", p, err)
	}
	if err := s.Expect(Line); err != nil {
		t.Errorf("Expect after a complete block: %v", err)
	}
}

func FuzzParseOSIUnit(f *testing.F) {
	f.Add(osiLineSPDU)
	f.Add(osiBlockSPDU)
	f.Add(osiReleaseSPDU)
	f.Fuzz(func(t *testing.T, b []byte) {
		u, err := ParseOSIUnit(b)
		if err != nil {
			return
		}
		out := u.Append(nil)
		if !bytes.Equal(out, b) {
			t.Fatalf("Parse-Append changed % x into % x", b, out)
		}
		u2, err := ParseOSIUnit(out)
		if err != nil || !cmp.Equal(u, u2) {
			t.Fatalf("Parse-Append-Parse: %v, %+v != %+v", err, u2, u)
		}
		_ = u.Header.Summary()
	})
}

// FuzzUnitReader feeds any stream in two chunks: the reader never panics
// and returns the same SPDUs as ParseOSIUnit finds one after the other.
func FuzzUnitReader(f *testing.F) {
	f.Add(append(append([]byte(nil), osiLineSPDU...), osiBlockSPDU...), 7)
	f.Fuzz(func(t *testing.T, b []byte, cut int) {
		if cut < 0 || cut > len(b) {
			cut = len(b) / 2
		}
		var r UnitReader
		us1, err1 := r.Feed(b[:cut])
		var got [][]byte
		for _, u := range us1 {
			got = append(got, u.Append(nil))
		}
		if err1 == nil {
			us2, _ := r.Feed(b[cut:])
			for _, u := range us2 {
				got = append(got, u.Append(nil))
			}
		}
		// Every SPDU returned is a prefix-consecutive part of the stream.
		off := 0
		for _, g := range got {
			if !bytes.Equal(g, b[off:off+len(g)]) {
				t.Fatalf("SPDU at %d is not the stream's octets", off)
			}
			off += len(g)
		}
	})
}
