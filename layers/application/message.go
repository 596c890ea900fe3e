package application

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/osisim/osisim/layers"
)

// Limits of RFC 1939 section 3, and of RFC 2449 section 4 for the length of
// a command line.
const (
	MinKeyword = 3 // "Keywords are three or four characters long."
	MaxKeyword = 4
	MaxArg     = 40  // "Each argument may be up to 40 characters long."
	MaxReply   = 512 // "Responses may be up to 512 characters long, including the terminating CRLF."
	MaxCommand = 255 // RFC 2449 section 4: command lines "MUST NOT exceed 255 octets, including the terminating CRLF"
)

const (
	statusOK    = "+OK"
	statusError = "-ERR"
)

// ErrSyntax is wrapped by every error of ParseCommand and ParseReply.
var ErrSyntax = errors.New("application: POP3 syntax error")

// Message is one POP3 command or reply line (RFC 1939 section 3). A command
// has a Keyword (in upper case: keywords are case-insensitive) and Args; a
// reply has a status (OK for "+OK", else "-ERR") and the Text after it. The
// body of a multi-line reply is not part of the Message: it travels after
// it as a block of its own.
type Message struct {
	Keyword string   // a command's keyword, "RETR"; "" for a reply
	Args    []string // a command's arguments
	OK      bool     // a reply's status
	Text    string   // a reply's text after the status, without the space
}

// Command returns the command keyword with args; the keyword is upper-cased.
func Command(keyword string, args ...string) Message {
	return Message{Keyword: strings.ToUpper(keyword), Args: args}
}

// OK returns a "+OK" reply with text.
func OK(text string) Message { return Message{OK: true, Text: text} }

// Err returns a "-ERR" reply with text.
func Err(text string) Message { return Message{Text: text} }

// IsCommand reports whether m is a command (else a reply).
func (m Message) IsCommand() bool { return m.Keyword != "" }

// Status returns "+OK" or "-ERR" for a reply.
func (m Message) Status() string {
	if m.OK {
		return statusOK
	}
	return statusError
}

// String returns the line without its CRLF: "RETR 1", "+OK 2 320".
func (m Message) String() string {
	return string(m.appendLine(nil))
}

// Append appends the line, CRLF included, to dst.
func (m Message) Append(dst []byte) []byte {
	return append(m.appendLine(dst), '\r', '\n')
}

func (m Message) appendLine(dst []byte) []byte {
	if m.IsCommand() {
		dst = append(dst, m.Keyword...)
		for _, a := range m.Args {
			dst = append(append(dst, ' '), a...)
		}
		return dst
	}
	dst = append(dst, m.Status()...)
	if m.Text != "" {
		dst = append(append(dst, ' '), m.Text...)
	}
	return dst
}

// Len returns the octets of the line, CRLF included.
func (m Message) Len() int {
	if m.IsCommand() {
		n := len(m.Keyword) + 2
		for _, a := range m.Args {
			n += 1 + len(a)
		}
		return n
	}
	n := len(m.Status()) + 2
	if m.Text != "" {
		n += 1 + len(m.Text)
	}
	return n
}

// HeaderLen returns Len: every octet of a POP3 line is protocol control
// information (a multi-line body, the data, is not part of the Message).
func (m Message) HeaderLen() int { return m.Len() }

// Summary returns one line for the trace: `POP3 command "RETR 1" (8 B with
// CRLF)` or "POP3 reply +OK 2048 octets".
func (m Message) Summary() string {
	if m.IsCommand() {
		return fmt.Sprintf("POP3 command %q (%d B with CRLF)", m.String(), m.Len())
	}
	return "POP3 reply " + m.String()
}

// Fields returns the line's fields in wire order: Keyword and Arguments for
// a command; Status, the RFC 2449 Response code if there is one, and Text
// for a reply.
func (m Message) Fields() []layers.Field {
	if m.IsCommand() {
		return []layers.Field{
			{Name: "Keyword", Value: m.Keyword},
			{Name: "Arguments", Value: strings.Join(m.Args, " ")},
		}
	}
	if code, text, ok := splitCode(m.Text); ok {
		return []layers.Field{
			{Name: "Status", Value: m.Status()},
			{Name: "Response code", Value: "[" + code + "]"},
			{Name: "Text", Value: text},
		}
	}
	return []layers.Field{
		{Name: "Status", Value: m.Status()},
		{Name: "Text", Value: m.Text},
	}
}

// lineBody returns the line without its CRLF, or an error if the line does not
// end in CRLF or holds another CR or LF.
func lineBody(line []byte, what string, max int) ([]byte, error) {
	if len(line) > max {
		return nil, fmt.Errorf("%w: %s of %d octets, at most %d with CRLF", ErrSyntax, what, len(line), max)
	}
	if !bytes.HasSuffix(line, []byte("\r\n")) {
		return nil, fmt.Errorf("%w: %s %q does not end with CRLF", ErrSyntax, what, clip(line))
	}
	b := line[:len(line)-2]
	if i := bytes.IndexAny(b, "\r\n"); i >= 0 {
		return nil, fmt.Errorf("%w: %s has a bare %s at octet %d", ErrSyntax, what, crOrLF(b[i]), i)
	}
	return b, nil
}

func crOrLF(c byte) string {
	if c == '\r' {
		return "CR"
	}
	return "LF"
}

// ParseCommand parses a command line, CRLF included. Per RFC 1939 section
// 3 the keyword is 3 or 4 printable characters, compared case-insensitively
// (returned in upper case), each argument is 1 to 40 printable characters,
// and keyword and arguments are separated by a single space.
func ParseCommand(line []byte) (Message, error) {
	b, err := lineBody(line, "command line", MaxCommand)
	if err != nil {
		return Message{}, err
	}
	var m Message
	for i, w := range bytes.Split(b, []byte{' '}) {
		if len(w) == 0 {
			if i == 0 {
				return Message{}, fmt.Errorf("%w: command line %q does not start with a keyword", ErrSyntax, clip(b))
			}
			return Message{}, fmt.Errorf("%w: command line %q: keyword and arguments are separated by a single space", ErrSyntax, clip(b))
		}
		for _, c := range w {
			if c < 0x21 || c > 0x7e {
				return Message{}, fmt.Errorf("%w: command line %q has the non-printable octet 0x%02x", ErrSyntax, clip(b), c)
			}
		}
		if i == 0 {
			if len(w) < MinKeyword || len(w) > MaxKeyword {
				return Message{}, fmt.Errorf("%w: keyword %q has %d characters, want 3 or 4", ErrSyntax, clip(w), len(w))
			}
			m.Keyword = strings.ToUpper(string(w))
			continue
		}
		if len(w) > MaxArg {
			return Message{}, fmt.Errorf("%w: argument %d of %s has %d characters, at most %d", ErrSyntax, i, m.Keyword, len(w), MaxArg)
		}
		m.Args = append(m.Args, string(w))
	}
	return m, nil
}

// ParseReply parses a reply line, CRLF included: "+OK" or "-ERR" (in upper
// case, RFC 1939 section 3), then nothing or a space and a text, at most 512
// octets with CRLF. The text may hold any octet but CR, LF and NUL.
func ParseReply(line []byte) (Message, error) {
	b, err := lineBody(line, "reply line", MaxReply)
	if err != nil {
		return Message{}, err
	}
	var m Message
	switch {
	case bytes.HasPrefix(b, []byte(statusOK)):
		m.OK = true
		b = b[len(statusOK):]
	case bytes.HasPrefix(b, []byte(statusError)):
		b = b[len(statusError):]
	default:
		return Message{}, fmt.Errorf("%w: reply %q does not start with +OK or -ERR", ErrSyntax, clip(b))
	}
	if len(b) > 0 {
		if b[0] != ' ' {
			return Message{}, fmt.Errorf("%w: reply status %q is not followed by a space", ErrSyntax, clip(line[:len(line)-2]))
		}
		b = b[1:]
	}
	if i := bytes.IndexByte(b, 0); i >= 0 {
		return Message{}, fmt.Errorf("%w: reply text has a NUL octet at %d", ErrSyntax, i)
	}
	m.Text = string(b)
	return m, nil
}

func clip(b []byte) string {
	if len(b) > 40 {
		return string(b[:40]) + "..."
	}
	return string(b)
}

// ScanLine is one line of a scan listing: a message number and its exact
// size in octets (RFC 1939 section 5, LIST).
type ScanLine struct {
	N    int
	Size int64
}

// ScanListing is the body of a multi-line LIST reply.
type ScanListing []ScanLine

// Append appends "1 120" CRLF "2 200" CRLF ... to dst (before byte-stuffing).
func (l ScanListing) Append(dst []byte) []byte {
	for _, s := range l {
		dst = strconv.AppendInt(dst, int64(s.N), 10)
		dst = append(dst, ' ')
		dst = strconv.AppendInt(dst, s.Size, 10)
		dst = append(dst, '\r', '\n')
	}
	return dst
}

// Size returns the listing's octets.
func (l ScanListing) Size() int64 { return int64(len(l.Append(nil))) }

// Reader returns the listing's octets.
func (l ScanListing) Reader() io.Reader { return bytes.NewReader(l.Append(nil)) }

// Summary returns "scan listing of 2 messages (14 B)".
func (l ScanListing) Summary() string {
	return fmt.Sprintf("scan listing of %s (%d B)", layers.Plural(len(l), "message"), l.Size())
}

// ParseScanListing parses the body of a LIST reply, after un-stuffing:
// lines of a message number, a space and a size, each ending in CRLF. Any
// text after the size (RFC 1939 leaves it unspecified) is ignored.
func ParseScanListing(b []byte) (ScanListing, error) {
	var l ScanListing
	for len(b) > 0 {
		i := bytes.Index(b, []byte("\r\n"))
		if i < 0 {
			return nil, fmt.Errorf("%w: scan listing line %q does not end with CRLF", ErrSyntax, clip(b))
		}
		line := b[:i]
		b = b[i+2:]
		f := strings.SplitN(string(line), " ", 3)
		if len(f) < 2 {
			return nil, fmt.Errorf("%w: scan listing line %q is not \"number size\"", ErrSyntax, clip(line))
		}
		n, err1 := strconv.Atoi(f[0])
		size, err2 := strconv.ParseInt(f[1], 10, 64)
		if err1 != nil || err2 != nil || n < 1 || size < 0 || f[0][0] == '+' || f[1][0] == '+' {
			return nil, fmt.Errorf("%w: scan listing line %q is not \"number size\"", ErrSyntax, clip(line))
		}
		l = append(l, ScanLine{N: n, Size: size})
	}
	return l, nil
}
