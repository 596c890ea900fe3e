package presentation

import (
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/osisim/osisim/layers"
)

// Stuffer byte-stuffs a text for a POP3 multi-line response (RFC 1939
// section 3): every line that starts with "." gets another "." in front,
// and the block ends with the line "." alone (CRLF.CRLF). If the text does
// not end with a line break, a CRLF is added before the terminating line.
// It reads its source as it is read and never holds it whole.
type Stuffer struct {
	src       io.Reader
	in        []byte
	r, w      int
	lineStart bool // the next octet from the source starts a line
	dot       bool // an extra "." is due before the next octet
	eof       bool
	trailer   []byte
	lastIn    byte
	octetsIn  int64
	octetsOut int64
	lines     int64
	stuffed   int64
}

// NewStuffer returns a Stuffer reading the text from r.
func NewStuffer(r io.Reader) *Stuffer {
	return &Stuffer{src: r, lineStart: true}
}

// Read reads stuffed octets.
func (s *Stuffer) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		if s.dot {
			p[n] = '.'
			n++
			s.dot = false
			continue
		}
		if s.r == s.w {
			if s.eof {
				if len(s.trailer) == 0 {
					break
				}
				c := copy(p[n:], s.trailer)
				s.trailer = s.trailer[c:]
				n += c
				continue
			}
			if n > 0 {
				break // return what is ready rather than block on the source
			}
			if err := s.fill(); err != nil {
				return 0, err
			}
			continue
		}
		if s.lineStart {
			s.lineStart = false
			s.lines++
			if s.in[s.r] == '.' {
				// RFC 1939 section 3: "If any line begins with the
				// termination octet, the line is 'byte-stuffed' by
				// pre-pending the termination octet to that line".
				s.stuffed++
				s.dot = true
				continue
			}
		}
		seg := s.in[s.r:s.w]
		i := bytes.IndexByte(seg, '\n')
		if i >= 0 {
			seg = seg[:i+1]
		}
		c := copy(p[n:], seg)
		s.r += c
		n += c
		if i >= 0 && c == i+1 {
			s.lineStart = true
		}
	}
	s.octetsOut += int64(n)
	if n == 0 && s.eof && len(s.trailer) == 0 {
		return 0, io.EOF
	}
	return n, nil
}

func (s *Stuffer) fill() error {
	if s.in == nil {
		s.in = make([]byte, 32<<10)
	}
	m, err := s.src.Read(s.in)
	s.r, s.w = 0, m
	if m > 0 {
		s.octetsIn += int64(m)
		s.lastIn = s.in[m-1]
	}
	if err == io.EOF {
		s.eof = true
		// The terminating line must start a line of its own.
		if s.octetsIn > 0 && s.lastIn != '\n' {
			s.trailer = []byte("\r\n.\r\n")
		} else {
			s.trailer = []byte(".\r\n")
		}
		return nil
	}
	return err
}

// Stuffed returns how many lines got an extra ".".
func (s *Stuffer) Stuffed() int64 { return s.stuffed }

// Lines returns how many lines of the text were read.
func (s *Stuffer) Lines() int64 { return s.lines }

// Octets returns the octets read from the source and written out so far.
func (s *Stuffer) Octets() (in, out int64) { return s.octetsIn, s.octetsOut }

// Step describes the stuffing done so far, for the trace.
func (s *Stuffer) Step() Step {
	return Step{Name: "dot-stuffing", BeforeSize: s.octetsIn, AfterSize: s.octetsOut}.tell("l6.step.stuff",
		`dot-stuffing: %s of %s lines started with "." and got another; the line "." ends the block: %s B -> %s B`,
		layers.Thousands(s.stuffed), layers.Thousands(s.lines), layers.Thousands(s.octetsIn), layers.Thousands(s.octetsOut))
}

// ErrAfterEnd is returned (wrapped) by Unstuffer.Write for octets that come
// after the terminating line.
var ErrAfterEnd = errors.New("presentation: octets after the end of the multi-line block")

// ErrNoEnd is returned (wrapped) by Unstuffer.End when the terminating line
// never came.
var ErrNoEnd = errors.New("presentation: the multi-line block has no terminating line")

// The states of an Unstuffer.
const (
	usMid    = iota // inside a line
	usStart         // at the start of a line
	usDot           // a line started with "."
	usDotCR         // a line started with "." CR
	usDone          // the terminating line was seen
	usFailed        // the destination failed
)

// Unstuffer undoes byte-stuffing: it is fed a POP3 multi-line block in
// chunks cut anywhere, removes the "." that starts a stuffed line (RFC 1939
// section 3), hands the text on to its destination, and sees the end of the
// block at the line "." alone, which it does not hand on.
type Unstuffer struct {
	dst       io.Writer
	state     int
	err       error
	in, out   int64
	unstuffed int64
}

// NewUnstuffer returns an Unstuffer writing the text to dst.
func NewUnstuffer(dst io.Writer) *Unstuffer {
	return &Unstuffer{dst: dst, state: usStart}
}

var crByte = []byte{'\r'}

// Write takes the next chunk of the block. It consumes octets up to the end
// of the terminating line; octets after it are not consumed and make
// ErrAfterEnd.
func (u *Unstuffer) Write(p []byte) (int, error) {
	if u.err != nil {
		return 0, u.err
	}
	if u.state == usDone {
		if len(p) == 0 {
			return 0, nil
		}
		return 0, fmt.Errorf("%w: %d octets", ErrAfterEnd, len(p))
	}
	i := 0
	for i < len(p) {
		switch u.state {
		case usStart:
			if p[i] == '.' {
				u.state = usDot
				i++
				continue
			}
			u.state = usMid
		case usDot:
			if p[i] == '\r' {
				u.state = usDotCR
				i++
				continue
			}
			// A stuffed line: its first "." is dropped (RFC 1939 section 3,
			// "the first octet of the line (the termination octet) is
			// stripped away").
			u.unstuffed++
			u.state = usMid
		case usDotCR:
			if p[i] == '\n' {
				// "If so CRLF immediately follows the termination
				// character, then the response from the POP server is
				// ended and the line containing ".CRLF" is not considered
				// part of the multi-line response."
				u.state = usDone
				i++
				u.in += int64(i)
				if i < len(p) {
					return i, fmt.Errorf("%w: %d octets", ErrAfterEnd, len(p)-i)
				}
				return i, nil
			}
			u.unstuffed++
			u.state = usMid
			if err := u.emit(crByte); err != nil {
				return i, err
			}
		case usMid:
			// Hand on everything up to the next line that starts with ".".
			start := i
			for {
				j := bytes.IndexByte(p[i:], '\n')
				if j < 0 {
					i = len(p)
					break
				}
				i += j + 1
				if i == len(p) || p[i] == '.' {
					u.state = usStart
					break
				}
			}
			if err := u.emit(p[start:i]); err != nil {
				return start, err
			}
		}
	}
	u.in += int64(len(p))
	return len(p), nil
}

func (u *Unstuffer) emit(b []byte) error {
	u.out += int64(len(b))
	if _, err := u.dst.Write(b); err != nil {
		u.err = err
		u.state = usFailed
		return err
	}
	return nil
}

// Done reports whether the terminating line was seen.
func (u *Unstuffer) Done() bool { return u.state == usDone }

// End reports an error if the block ended (the connection closed) before its
// terminating line.
func (u *Unstuffer) End() error {
	if u.err != nil {
		return u.err
	}
	if u.state != usDone {
		return fmt.Errorf("%w after %s octets", ErrNoEnd, layers.Thousands(u.in))
	}
	return nil
}

// Unstuffed returns how many lines lost their stuffed ".".
func (u *Unstuffer) Unstuffed() int64 { return u.unstuffed }

// Octets returns the octets taken in (stuffed, terminator included) and
// handed on.
func (u *Unstuffer) Octets() (in, out int64) { return u.in, u.out }

// Step describes the un-stuffing done, for the trace.
func (u *Unstuffer) Step() Step {
	return Step{Name: "dot-unstuffing", BeforeSize: u.in, AfterSize: u.out}.tell("l6.step.unstuff",
		`dot-unstuffing: %s lines lost their extra "."; the line "." ended the block: %s B -> %s B`,
		layers.Thousands(u.unstuffed), layers.Thousands(u.in), layers.Thousands(u.out))
}
