package application

import (
	"bytes"
	"fmt"
	"io"

	"github.com/osisim/osisim/layers"
	"github.com/osisim/osisim/layers/presentation"
)

// Top is the body of a TOP reply (RFC 1939 section 7): the header of a
// message in its transfer syntax, the empty line after it, and the first
// lines of its body, or the whole body if it has fewer lines.
type Top struct {
	Mail  *presentation.Encoded // the whole message
	Lines int                   // the body lines asked for
	Sent  int                   // the body lines included
	Whole bool                  // the body has no more lines than asked for: the whole message is sent
	size  int64
}

var _ Body = (*Top)(nil)

// NewTop returns the header and first lines of e. It reads e's body only up
// to the last line it includes.
func NewTop(e *presentation.Encoded, lines int) *Top {
	t := &Top{Mail: e, Lines: max(lines, 0)}
	t.size = int64(e.HeaderLen())
	if t.Lines == 0 {
		t.Whole = e.Size() == t.size
		return t
	}
	r := e.Reader()
	if _, err := io.CopyN(io.Discard, r, t.size); err != nil {
		t.size = e.Size()
		t.Whole = true
		return t
	}
	var buf [4096]byte
	partial := false // octets of a line not yet ended
	for t.Sent < t.Lines {
		n, err := r.Read(buf[:])
		b := buf[:n]
		for len(b) > 0 && t.Sent < t.Lines {
			i := bytes.IndexByte(b, '\n')
			if i < 0 {
				t.size += int64(len(b))
				partial = true
				break
			}
			t.size += int64(i + 1)
			t.Sent++
			partial = false
			b = b[i+1:]
		}
		if err != nil && t.Sent < t.Lines {
			// The body ended: a last line without its line break counts.
			if partial {
				t.Sent++
			}
			break
		}
	}
	t.Whole = t.size == e.Size()
	return t
}

// Size returns the octets sent (before byte-stuffing).
func (t *Top) Size() int64 { return t.size }

// Reader returns a fresh stream of the octets sent.
func (t *Top) Reader() io.Reader { return io.LimitReader(t.Mail.Reader(), t.size) }

// Summary returns "header (412 B) and 10 body lines of a mail of 2,048 B:
// 1,182 B".
func (t *Top) Summary() string {
	return fmt.Sprintf("header (%s B) and %s of a mail of %s B: %s B", layers.Thousands(int64(t.Mail.HeaderLen())),
		t.what(), layers.Thousands(t.Mail.Size()), layers.Thousands(t.size))
}

// what returns "the first 10 body lines", "all 3 body lines" or "no body
// lines".
func (t *Top) what() string { return t.whatPhrase().En }

// whatPhrase is what with its message id, for the trace.
func (t *Top) whatPhrase() layers.Phrase {
	switch {
	case t.Lines == 0:
		return layers.Tell("pop3.top.none", "no body lines")
	case t.Whole && t.Sent == 0:
		return layers.Tell("pop3.top.empty", "no body lines (the body is empty)")
	case t.Whole && t.Sent == 1:
		return layers.Tell("pop3.top.all.one", "all %d body line", t.Sent)
	case t.Whole:
		return layers.Tell("pop3.top.all", "all %d body lines", t.Sent)
	case t.Sent == 1:
		return layers.Tell("pop3.top.first.one", "the first body line")
	}
	return layers.Tell("pop3.top.first", "the first %d body lines", t.Sent)
}
