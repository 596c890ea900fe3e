package presentation

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"mime/quotedprintable"
	"strings"
	"unicode/utf8"

	"github.com/osisim/osisim/layers"
)

// TransferEncoding is a MIME Content-Transfer-Encoding (RFC 2045 section 6).
type TransferEncoding uint8

// The transfer encodings Encode can use.
const (
	// Auto chooses 7bit for a plain US-ASCII body and base64 otherwise.
	Auto TransferEncoding = iota
	// SevenBit sends the text as it is: US-ASCII lines of at most 998
	// octets (RFC 2045 section 2.7).
	SevenBit
	// QuotedPrintable keeps US-ASCII readable and writes other octets as
	// "=XX", in lines of at most 76 characters (RFC 2045 section 6.7).
	QuotedPrintable
	// Base64 writes every 3 octets as 4 characters of a 64-character
	// alphabet, in lines of 76 characters (RFC 2045 section 6.8).
	Base64
)

// String returns the Content-Transfer-Encoding token ("base64") or "auto".
func (t TransferEncoding) String() string {
	switch t {
	case Auto:
		return "auto"
	case SevenBit:
		return "7bit"
	case QuotedPrintable:
		return "quoted-printable"
	case Base64:
		return "base64"
	}
	return fmt.Sprintf("transfer-encoding(%d)", uint8(t))
}

// ParseTransferEncoding accepts the names String returns, in any case.
func ParseTransferEncoding(s string) (TransferEncoding, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "auto":
		return Auto, nil
	case "7bit":
		return SevenBit, nil
	case "quoted-printable", "qp":
		return QuotedPrintable, nil
	case "base64":
		return Base64, nil
	}
	return 0, fmt.Errorf("presentation: unknown transfer encoding %q: want auto, 7bit, quoted-printable or base64", s)
}

// Options choose how Encode writes a mail. The charset is always UTF-8.
type Options struct {
	TransferEncoding TransferEncoding
}

// Step describes one transform of the presentation layer for the trace:
// what it did, with sizes in octets (-1 when unknown) and a short sample of
// the data before and after.
type Step struct {
	Name string // "encoded-word", "charset", "CRLF", "base64", "MIME header", "dot-stuffing" ...
	Text string // one line for the trace
	// Msg and Args are the message id and arguments of Text (as
	// layers.Event.Say sets them), so that a trace can say it in another
	// language.
	Msg        string
	Args       []any
	Before     string // a short sample of the input
	After      string // a short sample of the output
	BeforeSize int64
	AfterSize  int64
}

// Encoded is a mail in its transfer syntax: the octets of an RFC 5322
// message with a MIME text/plain body, CRLF line ends, ready to be
// byte-stuffed and sent. The body's octets are produced when read.
type Encoded struct {
	header []byte
	body   Body
	te     TransferEncoding
	size   int64
	steps  []Step
	fields int
}

// Encode turns m into its transfer syntax:
//
//   - each header field (RFC 5322 section 2.2) with its value cleaned (see
//     Hash), folded at 78 characters (section 2.1.1), and non-ASCII words
//     written as RFC 2047 encoded-words ("=?UTF-8?B?...?=");
//   - then MIME-Version: 1.0, Content-Type: text/plain; charset=UTF-8 and
//     Content-Transfer-Encoding (RFC 2045 sections 4 to 6), and an empty
//     line;
//   - then the body: its characters as UTF-8, every line break as CRLF
//     (RFC 2046 section 4.1.1), in the chosen transfer encoding.
//
// With Auto, a US-ASCII body travels as 7bit and any other as base64. A
// body that cannot travel as 7bit (RFC 2045 section 2.7) is sent as base64
// even if SevenBit is asked for, and the steps say so.
//
// Encode computes the size from the body's length and line count for 7bit
// and base64; for quoted-printable it encodes the body once, keeping only
// the count (one pass over a generated body).
func Encode(m Mail, opt Options) *Encoded {
	e := &Encoded{body: m.Body, te: opt.TransferEncoding}
	seven := m.Body.sevenBit()
	var steps []Step
	switch {
	case e.te == Auto && seven:
		e.te = SevenBit
	case e.te == Auto:
		e.te = Base64
	case e.te == SevenBit && !seven:
		e.te = Base64
		steps = append(steps, Step{Name: "transfer encoding"}.tell("l6.step.not7bit",
			"7bit was asked for, but the body is not 7bit (non-ASCII octets or lines over 998 octets): base64 instead"))
	}

	for _, f := range m.Header {
		if isMIMEField(f.Name) {
			continue
		}
		name, value := cleanName(f.Name), cleanValue(f.Value)
		var words []string
		e.header, words = appendField(e.header, name, value)
		e.fields++
		if len(words) > 0 {
			enc := strings.Join(words, " ")
			steps = append(steps, Step{
				Name:       "encoded-word",
				Before:     value,
				After:      enc,
				BeforeSize: int64(len(value)),
				AfterSize:  int64(len(enc)),
			}.tell("l6.step.word", "%s %s -> %s (RFC 2047: UTF-8 in base64)", name, quoteSample(value, 40), quoteSample(enc, 48)))
		}
	}
	ownHeader := len(e.header)
	e.header = append(e.header, "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: "...)
	e.header = append(e.header, e.te.String()...)
	e.header = append(e.header, "\r\n\r\n"...)
	e.fields += 3

	bodyLen := m.Body.Len()
	breaks, endsWithBreak := m.Body.lineBreaks()
	crlf := m.Body.crlfLen()
	var bodySize, b64Lines int64
	switch e.te {
	case SevenBit:
		bodySize = crlf
		if crlf > 0 && !endsWithBreak {
			bodySize += 2
		}
	case Base64:
		chars := (crlf + 2) / 3 * 4
		b64Lines = (chars + 75) / 76
		bodySize = chars + 2*b64Lines
	case QuotedPrintable:
		n, _ := io.Copy(io.Discard, e.bodyReader())
		bodySize = n
	}
	e.size = int64(len(e.header)) + bodySize

	start := bodyStart(m.Body, 24)
	if chars := m.Body.Chars(); chars >= 0 {
		steps = append(steps, Step{Name: "charset",
			Before: start, After: hexSample(start, 12), BeforeSize: chars, AfterSize: bodyLen}.tell("l6.step.utf8",
			"body: %s characters of Unicode text -> %s B of UTF-8 (%s)",
			layers.Thousands(chars), layers.Thousands(bodyLen), hexSample(start, 6)))
	} else {
		steps = append(steps, Step{Name: "charset",
			Before: start, After: hexSample(start, 12), BeforeSize: -1, AfterSize: bodyLen}.tell("l6.step.generated",
			"body: %s B of generated UTF-8 text (seed %d)", layers.Thousands(bodyLen), m.Body.Seed()))
	}
	if e.te != QuotedPrintable {
		steps = append(steps, Step{Name: "CRLF", BeforeSize: bodyLen, AfterSize: crlf}.tell("l6.step.crlf",
			"line ends: %s line breaks -> CRLF, %s B -> %s B", layers.Thousands(breaks), layers.Thousands(bodyLen), layers.Thousands(crlf)))
	}
	after := e.bodySample(40)
	switch e.te {
	case SevenBit:
		steps = append(steps, Step{Name: "7bit",
			Before: start, After: after, BeforeSize: crlf, AfterSize: bodySize}.tell("l6.step.7bit",
			"body: US-ASCII text sent as it is (7bit), %s B", layers.Thousands(bodySize)))
	case Base64:
		steps = append(steps, Step{Name: "base64",
			Before: start, After: after, BeforeSize: crlf, AfterSize: bodySize}.tell("l6.step.base64",
			"body: %s B -> base64 %s B in %s lines of at most 76 characters",
			layers.Thousands(crlf), layers.Thousands(bodySize), layers.Thousands(b64Lines)))
	case QuotedPrintable:
		steps = append(steps, Step{Name: "quoted-printable",
			Before: start, After: after, BeforeSize: bodyLen, AfterSize: bodySize}.tell("l6.step.qp",
			"body: %s B -> quoted-printable %s B (non-ASCII octets as =XX, line breaks as CRLF, lines of at most 76 characters)",
			layers.Thousands(bodyLen), layers.Thousands(bodySize)))
	}
	steps = append(steps, Step{Name: "MIME header", BeforeSize: int64(ownHeader), AfterSize: int64(len(e.header))}.tell("l6.step.mime",
		"header: %d fields, %s B, with MIME-Version: 1.0, Content-Type: text/plain; charset=UTF-8, Content-Transfer-Encoding: %v; then an empty line",
		e.fields, layers.Thousands(int64(len(e.header))), e.te))
	steps = append(steps, Step{Name: "message", BeforeSize: bodyLen, AfterSize: e.size}.tell("l6.step.mail",
		"mail: %s B (header %s B + body %s B)", layers.Thousands(e.size), layers.Thousands(int64(len(e.header))), layers.Thousands(bodySize)))
	e.steps = steps
	return e
}

// Size returns the number of octets Reader produces: RFC 1939's "exact size"
// of the message (before byte-stuffing).
func (e *Encoded) Size() int64 { return e.size }

// HeaderLen returns the octets of the header, its empty line included.
func (e *Encoded) HeaderLen() int { return len(e.header) }

// TransferEncoding returns the transfer encoding used.
func (e *Encoded) TransferEncoding() TransferEncoding { return e.te }

// Steps returns the transforms done, in order, for the trace.
func (e *Encoded) Steps() []Step { return e.steps }

// Summary returns one line such as
// "mail of 2,941 B (RFC 5322 + MIME, text/plain; charset=UTF-8, base64)".
func (e *Encoded) Summary() string {
	return fmt.Sprintf("mail of %s B (RFC 5322 + MIME, text/plain; charset=UTF-8, %v)", layers.Thousands(e.size), e.te)
}

// Reader returns a fresh stream of the encoded octets.
func (e *Encoded) Reader() io.Reader {
	return io.MultiReader(bytes.NewReader(e.header), e.bodyReader())
}

// bodyReader returns a fresh stream of the encoded body.
func (e *Encoded) bodyReader() io.Reader {
	src := e.body.Reader()
	switch e.te {
	case Base64:
		return &base64Reader{src: &crlfReader{src: src}}
	case QuotedPrintable:
		// Line breaks reach the quoted-printable Writer as LF only: it
		// turns each into CRLF itself, and after a CR followed by an
		// octet it escapes ("\r\x13\n") it would drop the LF.
		return newQPReader(&crlfReader{src: src, lfOnly: true})
	}
	return &crlfReader{src: src, finalCRLF: true}
}

// bodySample returns the first n octets of the encoded body.
func (e *Encoded) bodySample(n int) string {
	b := make([]byte, n)
	k, _ := io.ReadFull(e.bodyReader(), b)
	return string(b[:k])
}

// crlfReader writes every line break of its source (a CRLF pair, or a lone
// CR or LF) as CRLF, or as LF with lfOnly. With finalCRLF it ends a text
// that does not end with a line break with one.
type crlfReader struct {
	src       io.Reader
	finalCRLF bool
	lfOnly    bool
	in, out   []byte
	off       int
	cr        bool // the last octet read was a CR
	any       bool // some octet was read
	last      byte
	eof       bool
}

func (r *crlfReader) Read(p []byte) (int, error) {
	for r.off == len(r.out) {
		if r.eof {
			return 0, io.EOF
		}
		if r.in == nil {
			r.in = make([]byte, 16<<10)
			r.out = make([]byte, 0, 32<<10)
		}
		n, err := r.src.Read(r.in)
		r.out, r.off = r.out[:0], 0
		for in := r.in[:n]; len(in) > 0; {
			i := bytes.IndexByte(in, '\n')
			if i < 0 {
				i = len(in)
			}
			if j := bytes.IndexByte(in[:i], '\r'); j >= 0 {
				i = j
			}
			if i > 0 {
				r.out = append(r.out, in[:i]...)
				r.cr = false
			}
			if i == len(in) {
				break
			}
			switch in[i] {
			case '\r':
				r.out = r.lineBreak(r.out)
				r.cr = true
			case '\n':
				if !r.cr {
					r.out = r.lineBreak(r.out)
				}
				r.cr = false
			}
			in = in[i+1:]
		}
		if n > 0 {
			r.any, r.last = true, r.in[n-1]
		}
		if err == io.EOF {
			r.eof = true
			if r.finalCRLF && r.any && r.last != '\n' && r.last != '\r' {
				r.out = append(r.out, '\r', '\n')
			}
		} else if err != nil {
			return 0, err
		}
	}
	n := copy(p, r.out[r.off:])
	r.off += n
	return n, nil
}

func (r *crlfReader) lineBreak(b []byte) []byte {
	if r.lfOnly {
		return append(b, '\n')
	}
	return append(b, '\r', '\n')
}

// base64Reader writes its source in base64, in lines of 76 characters each
// ended by CRLF (RFC 2045 section 6.8).
type base64Reader struct {
	src io.Reader
	in  []byte
	out []byte
	off int
	eof bool
}

// base64Block is how many input octets are encoded at a time: 64 lines of
// 57 octets, each making 76 characters.
const base64Block = 57 * 64

func (r *base64Reader) Read(p []byte) (int, error) {
	for r.off == len(r.out) {
		if r.eof {
			return 0, io.EOF
		}
		if r.in == nil {
			r.in = make([]byte, base64Block)
			r.out = make([]byte, 0, base64Block/57*78)
		}
		n, err := io.ReadFull(r.src, r.in)
		r.out, r.off = r.out[:0], 0
		for i := 0; i < n; i += 57 {
			line := r.in[i:min(i+57, n)]
			r.out = base64.StdEncoding.AppendEncode(r.out, line)
			r.out = append(r.out, '\r', '\n')
		}
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			r.eof = true
		} else if err != nil {
			return 0, err
		}
	}
	n := copy(p, r.out[r.off:])
	r.off += n
	return n, nil
}

// qpReader writes its source in quoted-printable with mime/quotedprintable,
// whose Writer turns every line break (CRLF, or a lone CR or LF) into a
// hard CRLF line break, and ends a text without a final line break with
// one.
type qpReader struct {
	src io.Reader
	w   *quotedprintable.Writer
	out tailBuffer
	in  []byte
	eof bool
}

func newQPReader(src io.Reader) *qpReader {
	r := &qpReader{src: src, in: make([]byte, 16<<10)}
	r.w = quotedprintable.NewWriter(&r.out)
	return r
}

func (r *qpReader) Read(p []byte) (int, error) {
	for r.out.Len() == 0 {
		if r.eof {
			return 0, io.EOF
		}
		n, err := r.src.Read(r.in)
		r.w.Write(r.in[:n])
		if err == io.EOF {
			r.eof = true
			r.w.Close()
			if r.out.any && r.out.last != '\n' {
				r.out.Write([]byte("\r\n"))
			}
		} else if err != nil {
			return 0, err
		}
	}
	return r.out.Read(p)
}

// tailBuffer is a bytes.Buffer that remembers the last octet written.
type tailBuffer struct {
	bytes.Buffer
	last byte
	any  bool
}

func (b *tailBuffer) Write(p []byte) (int, error) {
	if len(p) > 0 {
		b.last, b.any = p[len(p)-1], true
	}
	return b.Buffer.Write(p)
}

// bodyStart returns the first n characters of a body.
func bodyStart(b Body, n int) string {
	buf := make([]byte, n*utf8.UTFMax)
	k, _ := io.ReadFull(b.Reader(), buf)
	s := buf[:k]
	for len(s) > 0 && !utf8.Valid(s) {
		s = s[:len(s)-1]
	}
	if utf8.RuneCount(s) > n {
		i := 0
		for c := 0; c < n; c++ {
			_, size := utf8.DecodeRune(s[i:])
			i += size
		}
		s = s[:i]
	}
	return string(s)
}

// hexSample returns the first n octets of s in hex: "e5 85 b3 ...".
func hexSample(s string, n int) string {
	var b strings.Builder
	for i := 0; i < len(s) && i < n; i++ {
		if i > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "%02x", s[i])
	}
	if len(s) > n {
		b.WriteString(" ...")
	}
	return b.String()
}

// quoteSample quotes s, cut to at most n characters with "..." when longer.
func quoteSample(s string, n int) string {
	if utf8.RuneCountInString(s) > n {
		i := 0
		for c := 0; c < n; c++ {
			_, size := utf8.DecodeRuneInString(s[i:])
			i += size
		}
		s = s[:i] + "..."
	}
	return `"` + sampleEscaper.Replace(s) + `"`
}

// sampleEscaper shows line breaks and tabs in a sample as escapes, so that
// a step stays on one line.
var sampleEscaper = strings.NewReplacer("\r", `\r`, "\n", `\n`, "\t", `\t`)
