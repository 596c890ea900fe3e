package presentation

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

// tricky is a text whose lines exercise byte-stuffing: "." alone, "..",
// ".x", ".\r" followed by text, an empty line, and a last line without CRLF.
const tricky = ".\r\n..\r\n.x\r\nmid.dle\r\n\r\n.\rx\r\nend."

// trickyStuffed is tricky as it goes on the wire: every line starting with
// "." gets another, CRLF ends the last line, and "." CRLF ends the block.
const trickyStuffed = "..\r\n...\r\n..x\r\nmid.dle\r\n\r\n..\rx\r\nend.\r\n.\r\n"

func TestStuffer(t *testing.T) {
	tests := []struct {
		in, want string
		stuffed  int64
	}{
		{tricky, trickyStuffed, 4},
		{"", ".\r\n", 0},
		{"+OK\r\n", "+OK\r\n.\r\n", 0},
		{"no line break", "no line break\r\n.\r\n", 0},
		{"1 120\r\n2 200\r\n", "1 120\r\n2 200\r\n.\r\n", 0},
		{"a\n.b\n", "a\n..b\n.\r\n", 1}, // a bare LF ends a line too
	}
	for _, tt := range tests {
		// One octet at a time from the source and into the destination,
		// then all at once: the same octets.
		for _, oneByte := range []bool{false, true} {
			var src io.Reader = strings.NewReader(tt.in)
			if oneByte {
				src = iotest.OneByteReader(src)
			}
			s := NewStuffer(src)
			var got []byte
			var err error
			if oneByte {
				got, err = io.ReadAll(iotest.OneByteReader(s))
			} else {
				got, err = io.ReadAll(s)
			}
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("stuff %q (one byte %v) = %q, want %q", tt.in, oneByte, got, tt.want)
			}
			if s.Stuffed() != tt.stuffed {
				t.Errorf("stuff %q: %d lines stuffed, want %d", tt.in, s.Stuffed(), tt.stuffed)
			}
			if in, out := s.Octets(); in != int64(len(tt.in)) || out != int64(len(tt.want)) {
				t.Errorf("stuff %q: octets %d -> %d, want %d -> %d", tt.in, in, out, len(tt.in), len(tt.want))
			}
		}
	}
	s := NewStuffer(strings.NewReader(tricky))
	io.Copy(io.Discard, s)
	want := `dot-stuffing: 4 of 7 lines started with "." and got another; the line "." ends the block: 31 B -> 40 B`
	if got := s.Step().Text; got != want {
		t.Errorf("Step %q, want %q", got, want)
	}
}

func TestUnstufferEverySplit(t *testing.T) {
	want := tricky + "\r\n" // the stuffer ended the last line
	in := []byte(trickyStuffed)
	for i := 0; i <= len(in); i++ {
		for j := i; j <= len(in); j++ {
			var out bytes.Buffer
			u := NewUnstuffer(&out)
			for k, c := range [][]byte{in[:i], in[i:j], in[j:]} {
				if n, err := u.Write(c); err != nil || n != len(c) {
					t.Fatalf("cuts %d,%d: chunk %d: wrote %d of %d, %v", i, j, k, n, len(c), err)
				}
			}
			if !u.Done() || u.End() != nil {
				t.Fatalf("cuts %d,%d: not done: %v", i, j, u.End())
			}
			if out.String() != want {
				t.Fatalf("cuts %d,%d: got %q, want %q", i, j, out.String(), want)
			}
			if u.Unstuffed() != 4 {
				t.Fatalf("cuts %d,%d: %d lines un-stuffed, want 4", i, j, u.Unstuffed())
			}
		}
	}
}

func TestUnstuffer(t *testing.T) {
	tests := []struct {
		in      string
		want    string
		done    bool
		n       int // octets consumed
		errWant error
	}{
		{".\r\n", "", true, 3, nil},
		{"a\r\n.\r\n", "a\r\n", true, 6, nil},
		{"a\r\n.\r\n+OK\r\n", "a\r\n", true, 6, ErrAfterEnd},
		{"a\r\n..\r\n", "a\r\n.\r\n", false, 7, nil},
		{"a\r\n.\n", "a\r\n\n", false, 5, nil},       // "." LF is a stuffed line, not the end
		{"a\r\n. \r\n", "a\r\n \r\n", false, 7, nil}, // so is ". " CRLF
		{"a.\r\n", "a.\r\n", false, 4, nil},
		{"", "", false, 0, nil},
	}
	for _, tt := range tests {
		var out bytes.Buffer
		u := NewUnstuffer(&out)
		n, err := u.Write([]byte(tt.in))
		if !errors.Is(err, tt.errWant) || (tt.errWant == nil) != (err == nil) {
			t.Errorf("%q: err %v, want %v", tt.in, err, tt.errWant)
		}
		if n != tt.n || out.String() != tt.want || u.Done() != tt.done {
			t.Errorf("%q: consumed %d, out %q, done %v; want %d, %q, %v", tt.in, n, out.String(), u.Done(), tt.n, tt.want, tt.done)
		}
		if !tt.done && !errors.Is(u.End(), ErrNoEnd) {
			t.Errorf("%q: End() = %v, want ErrNoEnd", tt.in, u.End())
		}
	}
	u := NewUnstuffer(io.Discard)
	u.Write([]byte(".\r\n"))
	if _, err := u.Write([]byte("x")); !errors.Is(err, ErrAfterEnd) {
		t.Errorf("write after the end: %v, want ErrAfterEnd", err)
	}
	failing := NewUnstuffer(failWriter{})
	if _, err := failing.Write([]byte("abc\r\n")); err == nil || failing.End() == nil {
		t.Error("a failing destination gave no error")
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

// FuzzUnstuffer checks that un-stuffing never panics, does not depend on
// chunking, and undoes stuffing: unstuff(stuff(x)) is x, with a CRLF added
// if x does not end with a line break.
func FuzzUnstuffer(f *testing.F) {
	f.Add([]byte(tricky), uint8(3))
	f.Add([]byte(trickyStuffed), uint8(1))
	f.Add([]byte(".\r\n"), uint8(2))
	f.Add([]byte("\r\n.\r\n."), uint8(5))
	f.Fuzz(func(t *testing.T, data []byte, step uint8) {
		unstuff := func(in []byte, step int) (string, bool, int64) {
			var out bytes.Buffer
			u := NewUnstuffer(&out)
			var consumed int64
			for i := 0; i < len(in); i += step {
				n, err := u.Write(in[i:min(i+step, len(in))])
				consumed += int64(n)
				if err != nil {
					break
				}
			}
			return out.String(), u.Done(), consumed
		}
		// Any input: chunking does not matter.
		a, doneA, nA := unstuff(data, len(data)+1)
		b, doneB, nB := unstuff(data, int(step%7)+1)
		if a != b || doneA != doneB || nA != nB {
			t.Fatalf("chunking matters: %q %v %d vs %q %v %d", a, doneA, nA, b, doneB, nB)
		}
		// Round trip.
		stuffed, err := io.ReadAll(NewStuffer(bytes.NewReader(data)))
		if err != nil {
			t.Fatal(err)
		}
		got, done, n := unstuff(stuffed, int(step%5)+1)
		want := string(data)
		if len(data) > 0 && data[len(data)-1] != '\n' {
			want += "\r\n"
		}
		if !done || n != int64(len(stuffed)) || got != want {
			t.Fatalf("unstuff(stuff(%q)) = %q (done %v, %d of %d octets), want %q", data, got, done, n, len(stuffed), want)
		}
	})
}
