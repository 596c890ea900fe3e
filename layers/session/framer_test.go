package session

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// dialog is a POP3 exchange as the client receives it: a reply line, a
// scan listing block, a reply line, a mail block full of lines that start
// with "." (stuffed on the wire), an empty block, and a last line.
var dialog = []struct {
	unit Unit
	text string
}{
	{Line, "+OK 2 messages (320 octets)\r\n"},
	{DotTerminated, "1 120\r\n2 200\r\n.\r\n"},
	{Line, "+OK 120 octets\r\n"},
	{DotTerminated, "Subject: x\r\n\r\n..\r\n...\r\n..x\r\n.\rx\r\n\r\n.\r\n"},
	{DotTerminated, ".\r\n"},
	{Line, "-ERR no such message\r\n"},
}

func dialogStream() ([]Unit, []string, []byte) {
	var units []Unit
	var want []string
	var all []byte
	for _, d := range dialog {
		units = append(units, d.unit)
		want = append(want, d.text)
		all = append(all, d.text...)
	}
	return units, want, all
}

// frame feeds chunks to a Framer that expects units in turn, and returns
// each unit's octets as framed.
func frame(units []Unit, chunks [][]byte) ([]string, error) {
	var f Framer
	var out []string
	var cur []byte
	if err := f.Expect(units[0]); err != nil {
		return nil, err
	}
	for _, c := range chunks {
		ps, err := f.Feed(c)
		for {
			if err != nil {
				return out, err
			}
			for _, p := range ps {
				if p.Unit != units[len(out)] {
					return out, errors.New("piece of the wrong unit")
				}
				cur = append(cur, p.Data...)
				if p.End {
					out = append(out, string(cur))
					cur = nil
				}
			}
			if f.Expecting() != 0 || len(out) == len(units) {
				break
			}
			if err := f.Expect(units[len(out)]); err != nil {
				return out, err
			}
			ps, err = f.Feed(nil)
		}
	}
	return out, nil
}

func TestFramerEveryTwoCuts(t *testing.T) {
	units, want, all := dialogStream()
	for i := 0; i <= len(all); i++ {
		for j := i; j <= len(all); j++ {
			got, err := frame(units, [][]byte{all[:i], all[i:j], all[j:]})
			if err != nil {
				t.Fatalf("cuts %d,%d: %v", i, j, err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Fatalf("cuts %d,%d: units differ (-want +got):\n%s", i, j, diff)
			}
		}
	}
}

func TestFramerByteByByte(t *testing.T) {
	units, want, all := dialogStream()
	var chunks [][]byte
	for i := range all {
		chunks = append(chunks, all[i:i+1])
	}
	got, err := frame(units, chunks)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("units differ (-want +got):\n%s", diff)
	}
}

func TestFramerBlockPiecesStream(t *testing.T) {
	// A block that arrives in three chunks comes out as three pieces, the
	// last one marked End, without waiting for the whole block.
	var f Framer
	if err := f.Expect(DotTerminated); err != nil {
		t.Fatal(err)
	}
	var got []Piece
	for _, c := range []string{"line one\r\n.", ".two\r\n", "\r\n.\r\n+OK"} {
		ps, err := f.Feed([]byte(c))
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range ps {
			got = append(got, Piece{p.Unit, append([]byte(nil), p.Data...), p.End})
		}
	}
	want := []Piece{
		{DotTerminated, []byte("line one\r\n."), false},
		{DotTerminated, []byte(".two\r\n"), false},
		{DotTerminated, []byte("\r\n.\r\n"), true},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("pieces differ (-want +got):\n%s", diff)
	}
	if f.Held() != 3 || f.Expecting() != 0 {
		t.Errorf("held %d octets, expecting %v; want 3 held (\"+OK\"), nothing expected", f.Held(), f.Expecting())
	}
}

func TestFramerNotTheEnd(t *testing.T) {
	// None of these blocks is complete: "." must be alone on its line and
	// followed by CRLF.
	for _, s := range []string{"a\r\n..\r\n", "a\r\n.x\r\n", "a\r\n.\r", "a\r\n.\n", "a.\r\n", "a\r\n .\r\n", "\r\n.\rx\n"} {
		var f Framer
		f.Expect(DotTerminated)
		ps, err := f.Feed([]byte(s))
		if err != nil {
			t.Fatalf("%q: %v", s, err)
		}
		for _, p := range ps {
			if p.End {
				t.Errorf("%q: block ended early at %q", s, p.Data)
			}
		}
	}
}

func TestFramerErrors(t *testing.T) {
	var f Framer
	if err := f.Expect(Line); err != nil {
		t.Fatal(err)
	}
	if err := f.Expect(DotTerminated); !errors.Is(err, ErrBusy) {
		t.Errorf("Expect while a line is in progress: err %v, want ErrBusy", err)
	}
	if err := f.Expect(0); err == nil {
		t.Error("Expect(0) gave no error")
	}
	long := bytes.Repeat([]byte("x"), MaxLine-1)
	if _, err := f.Feed(long); err != nil {
		t.Fatalf("%d octets without LF: %v", len(long), err)
	}
	_, err := f.Feed([]byte("xx\r\n"))
	if !errors.Is(err, ErrLineTooLong) {
		t.Fatalf("line of %d octets: err %v, want ErrLineTooLong", MaxLine+3, err)
	}
	if _, err2 := f.Feed([]byte("+OK\r\n")); err2 != err {
		t.Errorf("after an error Feed returned %v, want the same error", err2)
	}

	var g Framer
	g.Expect(Line)
	line := strings.Repeat("y", MaxLine-2) + "\r\n" // exactly MaxLine with CRLF
	if ps, err := g.Feed([]byte(line)); err != nil || len(ps) != 1 {
		t.Errorf("line of exactly %d octets: %d pieces, %v", MaxLine, len(ps), err)
	}
}

func TestFramerHoldsUntilExpected(t *testing.T) {
	var f Framer
	ps, err := f.Feed([]byte("+OK dewey ready\r\n"))
	if err != nil || len(ps) != 0 {
		t.Fatalf("nothing expected: got %d pieces, %v", len(ps), err)
	}
	if f.Held() != 17 {
		t.Errorf("held %d octets, want 17", f.Held())
	}
	f.Expect(Line)
	ps, err = f.Feed(nil)
	if err != nil || len(ps) != 1 || string(ps[0].Data) != "+OK dewey ready\r\n" {
		t.Errorf("Feed(nil) after Expect: %v, %v", ps, err)
	}
}

// FuzzFramer checks that framing never panics, loses or invents no octet,
// ends lines with LF and blocks with the line ".", and does not depend on
// where the chunks are cut.
func FuzzFramer(f *testing.F) {
	_, _, all := dialogStream()
	f.Add(all, uint8(3), uint8(0x25))
	f.Add([]byte(".\r\n.\r\n"), uint8(1), uint8(2))
	f.Add([]byte("a\r\n..\r\n.\r\nb\r\n"), uint8(2), uint8(0xff))
	f.Fuzz(func(t *testing.T, data []byte, cut uint8, pattern uint8) {
		unitAt := func(k int) Unit {
			if pattern>>(k%8)&1 == 1 {
				return DotTerminated
			}
			return Line
		}
		run := func(step int) ([]string, []byte, error) {
			var f Framer
			var out []string
			var cur []byte
			f.Expect(unitAt(0))
			for i := 0; i < len(data); i += step {
				ps, err := f.Feed(data[i:min(i+step, len(data))])
				for {
					if err != nil {
						return out, cur, err
					}
					for _, p := range ps {
						cur = append(cur, p.Data...)
						if p.End {
							out = append(out, string(cur))
							cur = nil
						}
					}
					if f.Expecting() != 0 || f.Held() == 0 {
						break
					}
					f.Expect(unitAt(len(out)))
					ps, err = f.Feed(nil)
				}
				if f.Expecting() == 0 {
					f.Expect(unitAt(len(out)))
				}
			}
			return out, append(cur, f.hold...), nil
		}
		whole, wholeRest, errWhole := run(max(len(data), 1))
		split, splitRest, errSplit := run(int(cut%16) + 1)
		if (errWhole == nil) != (errSplit == nil) {
			t.Fatalf("error depends on chunking: whole %v, split %v", errWhole, errSplit)
		}
		if errWhole != nil {
			return
		}
		if diff := cmp.Diff(whole, split); diff != "" {
			t.Fatalf("units depend on chunking (-whole +split):\n%s", diff)
		}
		if string(wholeRest) != string(splitRest) {
			t.Fatalf("unfinished unit depends on chunking: %q vs %q", wholeRest, splitRest)
		}
		if got := strings.Join(whole, "") + string(wholeRest); got != string(data) {
			t.Fatalf("octets lost or invented: framed %q, input %q", got, data)
		}
		for k, u := range whole {
			switch unitAt(k) {
			case Line:
				if !strings.HasSuffix(u, "\n") || strings.Count(u, "\n") != 1 {
					t.Fatalf("unit %d is not one line: %q", k, u)
				}
			case DotTerminated:
				if u != ".\r\n" && !strings.HasSuffix(u, "\n.\r\n") {
					t.Fatalf("block %d does not end with the line \".\": %q", k, u)
				}
				if strings.Contains(strings.TrimSuffix(u, ".\r\n"), "\n.\r\n") || strings.HasPrefix(u, ".\r\n") && len(u) > 3 {
					t.Fatalf("block %d runs past its end: %q", k, u)
				}
			}
		}
	})
}
