package presentation

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"hash"
	"mime"
	"strings"

	"github.com/osisim/osisim/layers"
)

// MaxHeader is the largest header, in octets, a Decoder accepts.
const MaxHeader = 64 << 10

// Result is what a Decoder found in a mail.
type Result struct {
	Header           []HeaderField // every field, values decoded to Unicode
	Subject          string
	ContentType      string // the media type, "text/plain"
	Charset          string // "utf-8"
	TransferEncoding string // "base64", "quoted-printable", "7bit" ...
	Octets           int64  // octets decoded: the mail in its transfer syntax
	HeaderOctets     int64
	BodyOctets       int64 // the decoded body, in the canonical form (UTF-8, LF line ends)
	BodyChars        int64
	BodyLines        int64
	Sample           string // the start of the decoded body
	Steps            []Step // the transforms undone, in order
	Hash             [32]byte
}

// Decoder decodes a mail in its transfer syntax, fed in chunks (after
// un-stuffing): it parses and unfolds the header, decodes RFC 2047
// encoded-words with mime.WordDecoder, undoes the body's transfer encoding
// and charset as the octets come, and hashes the canonical form (see Hash)
// as it goes. It keeps only the header and a short sample of the body.
type Decoder struct {
	phase int
	err   error

	line     []byte // a header line not yet complete
	name     string // the header field being unfolded
	raw      []byte // its raw value so far
	inField  bool
	fields   []HeaderField
	folds    int
	hdrBytes int64
	words    mime.WordDecoder
	steps    []Step

	te, charset, ctype string
	b64                base64Decoder
	qp                 qpDecoder
	text               *textSink
	h                  hash.Hash
	bodyIn, decoded    int64

	result *Result
}

const (
	phaseHeader = iota
	phaseBody
)

// NewDecoder returns a Decoder waiting for the start of a mail.
func NewDecoder() *Decoder {
	h := sha256.New()
	return &Decoder{h: h, text: newTextSink(h)}
}

// Write takes the next chunk of the mail. Once it has returned an error,
// the mail cannot be decoded and every later call returns the same error.
func (d *Decoder) Write(p []byte) (int, error) {
	if d.err != nil {
		return 0, d.err
	}
	if d.result != nil {
		return 0, errors.New("presentation: Decoder written after Result")
	}
	n := len(p)
	for d.phase == phaseHeader && len(p) > 0 {
		i := bytes.IndexByte(p, '\n')
		if i < 0 {
			d.line = append(d.line, p...)
			d.hdrBytes += int64(len(p))
			if d.hdrBytes > MaxHeader {
				return n, d.fail(fmt.Errorf("presentation: header longer than %s octets", layers.Thousands(MaxHeader)))
			}
			return n, nil
		}
		line := p[:i]
		if len(d.line) > 0 {
			d.line = append(d.line, line...)
			line = d.line
		}
		d.hdrBytes += int64(i + 1)
		p = p[i+1:]
		if d.hdrBytes > MaxHeader {
			return n, d.fail(fmt.Errorf("presentation: header longer than %s octets", layers.Thousands(MaxHeader)))
		}
		line = bytes.TrimSuffix(line, []byte{'\r'})
		var err error
		if len(line) == 0 {
			err = d.endHeader()
		} else {
			err = d.headerLine(line)
		}
		d.line = d.line[:0]
		if err != nil {
			return n, d.fail(err)
		}
	}
	if len(p) > 0 {
		if err := d.body(p); err != nil {
			return n, d.fail(err)
		}
	}
	return n, nil
}

func (d *Decoder) fail(err error) error {
	d.err = err
	return err
}

// headerLine takes one header line, its CRLF removed. A line that starts
// with white space continues the field before it: unfolding removes the
// CRLF only (RFC 5322 section 2.2.3).
func (d *Decoder) headerLine(line []byte) error {
	if line[0] == ' ' || line[0] == '\t' {
		if !d.inField {
			return fmt.Errorf("presentation: header starts with a continuation line %q", clip(line))
		}
		d.raw = append(d.raw, line...)
		d.folds++
		return nil
	}
	if err := d.endField(); err != nil {
		return err
	}
	c := bytes.IndexByte(line, ':')
	if c < 0 {
		return fmt.Errorf("presentation: header line without a colon: %q", clip(line))
	}
	if c == 0 {
		return fmt.Errorf("presentation: header field without a name: %q", clip(line))
	}
	for _, b := range line[:c] {
		// RFC 5322 section 2.2: a field name is printable US-ASCII
		// except ":".
		if b < 33 || b > 126 {
			return fmt.Errorf("presentation: header field name %q has the octet 0x%02x", clip(line[:c]), b)
		}
	}
	d.name = string(line[:c])
	d.raw = append(d.raw[:0], line[c+1:]...)
	d.inField = true
	return nil
}

// endField decodes the field being unfolded.
func (d *Decoder) endField() error {
	if !d.inField {
		return nil
	}
	d.inField = false
	raw := string(d.raw)
	v, err := d.words.DecodeHeader(raw)
	if err != nil {
		return fmt.Errorf("presentation: header field %s: %v", d.name, err)
	}
	v = cleanValue(v)
	if strings.Contains(raw, "=?") && v != cleanValue(raw) {
		enc := strings.TrimSpace(raw)
		d.steps = append(d.steps, Step{
			Name:       "encoded-word",
			Before:     enc,
			After:      v,
			BeforeSize: int64(len(enc)),
			AfterSize:  int64(len(v)),
		}.tell("l6.step.word.decoded", "%s %s -> %s (RFC 2047 decoded)", d.name, quoteSample(enc, 48), quoteSample(v, 40)))
	}
	d.fields = append(d.fields, HeaderField{Name: d.name, Value: v})
	return nil
}

// endHeader reads the MIME fields and starts the body.
func (d *Decoder) endHeader() error {
	if err := d.endField(); err != nil {
		return err
	}
	d.phase = phaseBody
	// RFC 2045 section 5.2: without a Content-Type, a body is
	// text/plain; charset=us-ascii; section 6.1: without a
	// Content-Transfer-Encoding, it is 7bit.
	d.ctype, d.charset, d.te = "text/plain", "us-ascii", "7bit"
	for _, f := range d.fields {
		switch {
		case strings.EqualFold(f.Name, "Content-Type"):
			mt, params, err := mime.ParseMediaType(f.Value)
			if err != nil {
				return fmt.Errorf("presentation: Content-Type %q: %v", f.Value, err)
			}
			d.ctype = mt
			if cs, ok := params["charset"]; ok {
				d.charset = strings.ToLower(cs)
			}
		case strings.EqualFold(f.Name, "Content-Transfer-Encoding"):
			d.te = strings.ToLower(f.Value)
		}
	}
	if d.ctype != "text/plain" {
		return fmt.Errorf("presentation: Content-Type %s is not supported (only text/plain)", d.ctype)
	}
	switch d.charset {
	case "utf-8", "us-ascii":
	default:
		return fmt.Errorf("presentation: charset %q is not supported (only UTF-8 and US-ASCII)", d.charset)
	}
	switch d.te {
	case "7bit", "8bit", "binary", "base64", "quoted-printable":
	default:
		return fmt.Errorf("presentation: Content-Transfer-Encoding %q is not supported", d.te)
	}
	writeCanonicalHeader(d.h, d.fields)
	return nil
}

// body takes octets of the body.
func (d *Decoder) body(p []byte) error {
	d.bodyIn += int64(len(p))
	switch d.te {
	case "base64":
		return d.b64.write(p, d.decodedText)
	case "quoted-printable":
		return d.qp.write(p, d.decodedText)
	}
	d.decodedText(p)
	return nil
}

func (d *Decoder) decodedText(p []byte) {
	d.decoded += int64(len(p))
	d.text.write(p)
}

// Result ends the mail and returns what was found in it. A mail whose header
// has no empty line after it has an empty body.
func (d *Decoder) Result() (Result, error) {
	if d.result != nil {
		return *d.result, nil
	}
	if d.err != nil {
		return Result{}, d.err
	}
	if d.phase == phaseHeader {
		if len(d.line) > 0 {
			line := bytes.TrimSuffix(d.line, []byte{'\r'})
			if len(line) > 0 {
				if err := d.headerLine(line); err != nil {
					return Result{}, d.fail(err)
				}
			}
		}
		if err := d.endHeader(); err != nil {
			return Result{}, d.fail(err)
		}
	}
	switch d.te {
	case "base64":
		if err := d.b64.end(d.decodedText); err != nil {
			return Result{}, d.fail(err)
		}
	case "quoted-printable":
		if err := d.qp.end(d.decodedText); err != nil {
			return Result{}, d.fail(err)
		}
	}
	if err := d.text.finish(); err != nil {
		return Result{}, d.fail(err)
	}
	r := &Result{
		Header:           d.fields,
		ContentType:      d.ctype,
		Charset:          d.charset,
		TransferEncoding: d.te,
		HeaderOctets:     d.hdrBytes,
		Octets:           d.hdrBytes + d.bodyIn,
		BodyOctets:       d.text.octets,
		BodyChars:        d.text.chars,
		BodyLines:        d.text.breaks,
		Sample:           d.text.sampleText(),
	}
	for _, f := range d.fields {
		if strings.EqualFold(f.Name, "Subject") {
			r.Subject = f.Value
			break
		}
	}
	d.h.Sum(r.Hash[:0])
	steps := []Step{Step{Name: "header"}.tell("l6.step.header",
		"header: %d fields in %s B, %d folded lines unfolded", len(d.fields), layers.Thousands(d.hdrBytes), d.folds)}
	steps = append(steps, d.steps...)
	switch d.te {
	case "base64", "quoted-printable":
		steps = append(steps, Step{Name: d.te, BeforeSize: d.bodyIn, AfterSize: d.decoded}.tell("l6.step.decoded",
			"body: %s %s B -> %s B", d.te, layers.Thousands(d.bodyIn), layers.Thousands(d.decoded)))
	default:
		steps = append(steps, Step{Name: d.te, BeforeSize: d.bodyIn, AfterSize: d.decoded}.tell("l6.step.asis",
			"body: %s, %s B taken as they are", d.te, layers.Thousands(d.bodyIn)))
	}
	steps = append(steps,
		Step{Name: "CRLF", BeforeSize: d.decoded, AfterSize: d.text.octets}.tell("l6.step.lf",
			"line ends: %s line breaks -> LF, %s B -> %s B", layers.Thousands(d.text.breaks), layers.Thousands(d.decoded), layers.Thousands(d.text.octets)),
		Step{Name: "charset", After: r.Sample, BeforeSize: d.text.octets, AfterSize: d.text.chars}.tell("l6.step.chars",
			"body: %s B of %s -> %s characters of Unicode text (%s)",
			layers.Thousands(d.text.octets), strings.ToUpper(d.charset), layers.Thousands(d.text.chars), quoteSample(r.Sample, 16)))
	r.Steps = steps
	d.result = r
	return *r, nil
}

// clip returns the start of a line for an error message.
func clip(b []byte) string {
	if len(b) > 40 {
		return string(b[:40]) + "..."
	}
	return string(b)
}

// base64Decoder decodes base64 fed in chunks cut anywhere, skipping line
// breaks and white space (RFC 2045 section 6.8).
type base64Decoder struct {
	q      [4]byte // characters of an unfinished quantum
	nq     int
	padded bool // a quantum with "=" padding was seen: the data is over
	buf    []byte
	out    []byte
	off    int64 // characters taken so far, for error messages
}

func (b *base64Decoder) write(p []byte, sink func([]byte)) error {
	buf := append(b.buf[:0], b.q[:b.nq]...)
	if bytes.IndexByte(p, ' ') >= 0 || bytes.IndexByte(p, '\t') >= 0 {
		for _, c := range p {
			switch c {
			case '\r', '\n', ' ', '\t':
				continue
			}
			buf = append(buf, c)
		}
	} else {
		// The usual case: lines of base64 ended by CRLF.
		for len(p) > 0 {
			i := bytes.IndexByte(p, '\n')
			if i < 0 {
				i = len(p)
			}
			line := p[:i]
			p = p[min(i+1, len(p)):]
			if n := len(line); n > 0 && line[n-1] == '\r' {
				line = line[:n-1]
			}
			if bytes.IndexByte(line, '\r') >= 0 {
				for _, c := range line {
					if c != '\r' {
						buf = append(buf, c)
					}
				}
				continue
			}
			buf = append(buf, line...)
		}
	}
	b.buf = buf
	if len(buf) == 0 {
		return nil
	}
	if b.padded {
		return fmt.Errorf("presentation: base64 body: data after the \"=\" padding at character %d", b.off)
	}
	whole := len(buf) / 4 * 4
	// Padding ends the data (RFC 2045 section 6.8): only the last quantum
	// may hold "=".
	if i := bytes.IndexByte(buf[:whole], '='); i >= 0 && i < whole-4 {
		return fmt.Errorf("presentation: base64 body: data after the \"=\" padding at character %d", b.off-int64(b.nq)+int64(i/4*4+4))
	}
	if cap(b.out) < whole/4*3 {
		b.out = make([]byte, whole/4*3)
	}
	n, err := base64.StdEncoding.Decode(b.out[:cap(b.out)], buf[:whole])
	if err != nil {
		var ce base64.CorruptInputError
		if errors.As(err, &ce) {
			return fmt.Errorf("presentation: base64 body: bad character %q at character %d", buf[min(int(ce), len(buf)-1)], b.off+int64(ce)-int64(b.nq))
		}
		return fmt.Errorf("presentation: base64 body: %v", err)
	}
	if whole > 0 && buf[whole-1] == '=' {
		b.padded = true
	}
	b.off += int64(len(buf) - b.nq)
	b.nq = copy(b.q[:], buf[whole:])
	sink(b.out[:n])
	return nil
}

func (b *base64Decoder) end(sink func([]byte)) error {
	if b.nq > 0 {
		return fmt.Errorf("presentation: base64 body ends in an unfinished quantum of %d characters", b.nq)
	}
	return nil
}

// The states of a qpDecoder.
const (
	qpText   = iota
	qpEq     // after "="
	qpEqHex  // after "=" and one hex digit
	qpSoft   // after "=" and white space: a soft line break
	qpSoftCR // after "=", white space and CR
)

// qpMaxLine bounds a run of white space in quoted-printable: a line is at
// most 998 octets (RFC 5322 section 2.1.1).
const qpMaxLine = 998

// qpDecoder decodes quoted-printable fed in chunks cut anywhere (RFC 2045
// section 6.7): "=XX" is an octet, "=" at the end of a line is a soft line
// break, and white space at the end of a line is removed.
type qpDecoder struct {
	state int
	hi    byte
	ws    []byte // white space that may turn out to end a line
	out   []byte
	off   int64
}

func unhex(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	}
	return 0, false
}

func (q *qpDecoder) write(p []byte, sink func([]byte)) error {
	out := q.out[:0]
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch q.state {
		case qpText:
			switch c {
			case ' ', '\t':
				if len(q.ws) >= qpMaxLine {
					return fmt.Errorf("presentation: quoted-printable body: line longer than %d octets at octet %d", qpMaxLine, q.off+int64(i))
				}
				q.ws = append(q.ws, c)
			case '\r', '\n':
				q.ws = q.ws[:0] // rule (3): trailing white space is deleted
				out = append(out, c)
			case '=':
				out = append(out, q.ws...)
				q.ws = q.ws[:0]
				q.state = qpEq
			default:
				out = append(out, q.ws...)
				q.ws = q.ws[:0]
				out = append(out, c)
			}
		case qpEq:
			if h, ok := unhex(c); ok {
				q.hi = h
				q.state = qpEqHex
				continue
			}
			switch c {
			case ' ', '\t':
				q.state = qpSoft
			case '\r':
				q.state = qpSoftCR
			case '\n':
				q.state = qpText
			default:
				return fmt.Errorf("presentation: quoted-printable body: bad escape \"=%c\" at octet %d", c, q.off+int64(i))
			}
		case qpEqHex:
			h, ok := unhex(c)
			if !ok {
				return fmt.Errorf("presentation: quoted-printable body: bad escape \"=%X%c\" at octet %d", q.hi, c, q.off+int64(i))
			}
			out = append(out, q.hi<<4|h)
			q.state = qpText
		case qpSoft:
			switch c {
			case ' ', '\t':
			case '\r':
				q.state = qpSoftCR
			case '\n':
				q.state = qpText
			default:
				return fmt.Errorf("presentation: quoted-printable body: text after \"=\" and white space at octet %d", q.off+int64(i))
			}
		case qpSoftCR:
			q.state = qpText
			if c != '\n' {
				i-- // a soft break ended by a lone CR: take c as text
			}
		}
	}
	q.off += int64(len(p))
	q.out = out
	sink(out)
	return nil
}

func (q *qpDecoder) end(sink func([]byte)) error {
	if q.state == qpEqHex {
		return fmt.Errorf("presentation: quoted-printable body ends inside an escape \"=%X\"", q.hi)
	}
	// An "=" at the very end is a soft line break; white space at the very
	// end ends the last line and is deleted.
	return nil
}
