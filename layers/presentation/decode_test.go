package presentation

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

// transfer runs a mail through the whole presentation layer: encode, stuff,
// then un-stuff and decode, the stuffed octets fed in chunks of step.
func transfer(t testing.TB, m Mail, opt Options, step int) (Result, *Encoded, *Unstuffer) {
	t.Helper()
	e := Encode(m, opt)
	s := NewStuffer(e.Reader())
	d := NewDecoder()
	u := NewUnstuffer(d)
	buf := make([]byte, step)
	for {
		n, err := s.Read(buf)
		if n > 0 {
			if _, werr := u.Write(buf[:n]); werr != nil {
				t.Fatalf("unstuff: %v", werr)
			}
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := u.End(); err != nil {
		t.Fatal(err)
	}
	r, err := d.Result()
	if err != nil {
		t.Fatalf("decode: %v", err)
	}
	return r, e, u
}

func TestRoundTrip(t *testing.T) {
	mails := map[string]Mail{
		"sample1":   SampleMail(),
		"sample2":   SampleMail2(),
		"empty":     {Header: []HeaderField{{"Subject", "nothing"}}},
		"no-header": {Body: TextBody("just a body\n")},
		"crlf-mix":  {Header: []HeaderField{{"Subject", "mixed  line\tbreaks"}}, Body: TextBody("a\r\nb\rc\n\r\n.\n..\nlast")},
		"long-subject": {Header: []HeaderField{{"Subject", strings.Repeat("关于POP3的课堂笔记 ", 8)}},
			Body: TextBody("x")},
		"trailing-space": {Header: []HeaderField{{"To", "a@b.example"}}, Body: TextBody("end with spaces   \nand tab\t\n")},
		"gen-1":          {Header: []HeaderField{{"Subject", "generated"}}, Body: GeneratedBody(1, 9)},
		"gen-10k":        {Header: []HeaderField{{"Subject", "生成的邮件"}}, Body: GeneratedBody(10_000, 9)},
	}
	names := []string{"sample1", "sample2", "empty", "no-header", "crlf-mix", "long-subject", "trailing-space", "gen-1", "gen-10k"}
	for _, name := range names {
		m := mails[name]
		want := Hash(m)
		for _, te := range []TransferEncoding{Auto, SevenBit, QuotedPrintable, Base64} {
			for _, step := range []int{1, 7, 1460, 1 << 16} {
				r, e, _ := transfer(t, m, Options{TransferEncoding: te}, step)
				if r.Hash != want {
					t.Fatalf("%s %v step %d: hash %x, want %x", name, te, step, r.Hash[:6], want[:6])
				}
				if r.Octets != e.Size() {
					t.Errorf("%s %v: decoded %d octets, Size says %d", name, te, r.Octets, e.Size())
				}
				if r.Subject != cleanValue(m.Get("Subject")) {
					t.Errorf("%s %v: Subject %q, want %q", name, te, r.Subject, m.Get("Subject"))
				}
				if txt, ok := m.Body.Text(); ok && step == 1460 {
					// The decoded text is in the canonical form: one LF per
					// line break, and a final one.
					canon := strings.NewReplacer("\r\n", "\n", "\r", "\n").Replace(txt)
					if canon != "" && !strings.HasSuffix(canon, "\n") {
						canon += "\n"
					}
					if r.BodyChars != int64(utf8.RuneCountInString(canon)) || r.BodyOctets != int64(len(canon)) {
						t.Errorf("%s %v: %d characters, %d octets; want %d, %d", name, te, r.BodyChars, r.BodyOctets, utf8.RuneCountInString(canon), len(canon))
					}
				}
			}
		}
	}
}

func TestDecodeSample(t *testing.T) {
	r, _, u := transfer(t, SampleMail(), Options{}, 1460)
	if u.Unstuffed() != 0 {
		t.Errorf("base64 has no line starting with \".\", yet %d lines were un-stuffed", u.Unstuffed())
	}
	want := []HeaderField{
		{"From", "李老师 <li.laoshi@school.example>"},
		{"To", "王同学 <wang.tongxue@school.example>"},
		{"Date", "Mon, 02 Sep 2024 09:30:00 +0800"},
		{"Subject", "关于POP3的课堂笔记"},
		{"Message-ID", "<pop3-notes-20240902@school.example>"},
		{"MIME-Version", "1.0"},
		{"Content-Type", "text/plain; charset=UTF-8"},
		{"Content-Transfer-Encoding", "base64"},
	}
	if diff := cmp.Diff(want, r.Header); diff != "" {
		t.Errorf("header differs (-want +got):\n%s", diff)
	}
	var steps []string
	for _, s := range r.Steps {
		steps = append(steps, s.Text)
	}
	wantSteps := []string{
		`header: 8 fields in 364 B, 0 folded lines unfolded`,
		`From "=?UTF-8?B?5p2O6ICB5biI?= <li.laoshi@school.examp..." -> "李老师 <li.laoshi@school.example>" (RFC 2047 decoded)`,
		`To "=?UTF-8?B?546L5ZCM5a2m?= <wang.tongxue@school.ex..." -> "王同学 <wang.tongxue@school.example>" (RFC 2047 decoded)`,
		`Subject "=?UTF-8?B?5YWz5LqOUE9QM+eahOivvuWggueslOiusA==?=" -> "关于POP3的课堂笔记" (RFC 2047 decoded)`,
		`body: base64 1,684 B -> 1,228 B`,
		`line ends: 23 line breaks -> LF, 1,228 B -> 1,205 B`,
		`body: 1,205 B of UTF-8 -> 487 characters of Unicode text ("王同学：\n\n你好！下面是今天课堂...")`,
	}
	if diff := cmp.Diff(wantSteps, steps); diff != "" {
		t.Errorf("steps differ (-want +got):\n%s", diff)
	}
	if r.BodyOctets != 1205 || r.BodyChars != 487 || r.BodyLines != 23 || r.HeaderOctets != 364 {
		t.Errorf("sizes: body %d B, %d chars, %d lines, header %d B", r.BodyOctets, r.BodyChars, r.BodyLines, r.HeaderOctets)
	}
	if !strings.HasPrefix(r.Sample, "王同学：\n\n你好") {
		t.Errorf("sample %q", r.Sample)
	}
	if r.PPDU(0).Summary() != "PPDU mail, RFC 5322 + MIME: text/plain; charset=utf-8, base64, 2,048 B (no presentation header)" {
		t.Errorf("PPDU %q", r.PPDU(0).Summary())
	}
	// The golden hash of message 1 pins the canonical form.
	if got := hex.EncodeToString(r.Hash[:]); got != sample1Hash {
		t.Errorf("hash of message 1 is %s, want %s", got, sample1Hash)
	}
}

// sample1Hash is the SHA-256 of message 1's canonical form.
const sample1Hash = "b62e090f4b0b38b175195c5478e4fe35def3728eb328f72fe0d7f7a69becc18a"

func TestHashCanonicalForm(t *testing.T) {
	// Hash is the SHA-256 of the documented canonical form.
	m := Mail{
		Header: []HeaderField{
			{"Subject", " 你好\r\nworld "},  // CR and LF become a space each
			{"Content-Type", "text/html"}, // a transfer-syntax field: left out
			{"X-Ünïcode", "ok"},
		},
		Body: TextBody("line 1\r\nline 2\rline 3"),
	}
	canonical := "subject:你好  world\nx---n--code:ok\n\nline 1\nline 2\nline 3\n"
	want := sha256Of(canonical)
	if got := Hash(m); got != want {
		t.Errorf("Hash = %x, want sha256(%q) = %x", got, canonical, want)
	}
	// Equivalent mails hash the same; different ones do not.
	same := Mail{Header: []HeaderField{{"SUBJECT", "你好  world"}, {"X-Ünïcode", "ok"}}, Body: TextBody("line 1\nline 2\nline 3\n")}
	if Hash(same) != want {
		t.Error("an equivalent mail hashes differently")
	}
	other := Mail{Header: same.Header, Body: TextBody("line 1\nline 2\nline 3\n\n")}
	if Hash(other) == want {
		t.Error("an extra empty line does not change the hash")
	}
}

func TestDecoderErrors(t *testing.T) {
	tests := []struct {
		name, in string
		want     string
	}{
		{"continuation first", " folded\r\n\r\n", "header starts with a continuation line"},
		{"no colon", "Subject hello\r\n\r\n", "header line without a colon"},
		{"no name", ": hello\r\n\r\n", "header field without a name"},
		{"space in name", "Sub ject: x\r\n\r\n", "has the octet 0x20"},
		{"unknown charset word", "Subject: =?KOI8-R?B?w8/Q?=\r\n\r\n", "header field Subject"},
		{"multipart", "Content-Type: multipart/mixed; boundary=x\r\n\r\n", "multipart/mixed is not supported"},
		{"bad media type", "Content-Type: text/\r\n\r\n", "Content-Type"},
		{"other charset", "Content-Type: text/plain; charset=GB18030\r\n\r\n", `charset "gb18030" is not supported`},
		{"other encoding", "Content-Transfer-Encoding: x-uuencode\r\n\r\n", `"x-uuencode" is not supported`},
		{"bad base64", "Content-Transfer-Encoding: base64\r\n\r\nYWJj\r\nY*Jj\r\n", `bad character '*' at character 5`},
		{"data after padding", "Content-Transfer-Encoding: base64\r\n\r\nYQ==\r\nYWJj\r\n", "data after the \"=\" padding"},
		{"short base64", "Content-Transfer-Encoding: base64\r\n\r\nYWJjZ\r\n", "unfinished quantum of 1 characters"},
		{"bad qp escape", "Content-Transfer-Encoding: quoted-printable\r\n\r\na=G1\r\n", `bad escape "=G"`},
		{"bad qp hex", "Content-Transfer-Encoding: quoted-printable\r\n\r\na=4x\r\n", `bad escape "=4x"`},
		{"qp cut escape", "Content-Transfer-Encoding: quoted-printable\r\n\r\na=4", `ends inside an escape "=4"`},
		{"qp soft text", "Content-Transfer-Encoding: quoted-printable\r\n\r\na= b\r\n", `text after "=" and white space`},
		{"bad utf-8", "\r\nabc\xff\r\n", "not valid UTF-8 at octet 3"},
		{"cut utf-8", "\r\nabc\xe4\xbd", "not valid UTF-8 at octet 3"},
		{"huge header", "X: " + strings.Repeat("a", MaxHeader), "header longer than 65,536 octets"},
	}
	for _, tt := range tests {
		for _, step := range []int{1, 3, len(tt.in)} {
			d := NewDecoder()
			var err error
			for i := 0; i < len(tt.in) && err == nil; i += step {
				_, err = d.Write([]byte(tt.in[i:min(i+step, len(tt.in))]))
			}
			if err == nil {
				_, err = d.Result()
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "presentation: ") {
				t.Errorf("%s (step %d): err %v, want one containing %q", tt.name, step, err, tt.want)
			}
			if _, err2 := d.Write([]byte("x")); err2 == nil {
				t.Errorf("%s: Write after an error succeeded", tt.name)
			}
		}
	}
}

func TestDecodeLenient(t *testing.T) {
	tests := []struct {
		name, in string
		body     string
	}{
		{"no body", "Subject: x\r\n", ""},
		{"no header at all", "", ""},
		{"LF only", "Subject: x\n\nbody\n", "body\n"},
		{"folded", "Subject: a\r\n\tb\r\n c\r\n\r\nx", "x\n"},
		{"qp soft breaks and lower-case hex", "Content-Transfer-Encoding: Quoted-Printable\r\n\r\nab=\r\ncd=e4=bd=a0 =\r\nx  \r\ny=20\r\nz=", "abcd你 x\ny \nz\n"},
		{"qp soft break with spaces", "Content-Transfer-Encoding: quoted-printable\r\n\r\na=  \r\nb\r\n", "ab\n"},
		{"base64 with spaces", "Content-Transfer-Encoding: base64\r\n\r\nYW Jj\r\n\tZGVm\r\n", "abcdef\n"},
	}
	for _, tt := range tests {
		for _, step := range []int{1, 2, 1000} {
			d := NewDecoder()
			for i := 0; i < len(tt.in); i += step {
				if _, err := d.Write([]byte(tt.in[i:min(i+step, len(tt.in))])); err != nil {
					t.Fatalf("%s: %v", tt.name, err)
				}
			}
			r, err := d.Result()
			if err != nil {
				t.Fatalf("%s: %v", tt.name, err)
			}
			if r.Sample != tt.body {
				t.Errorf("%s (step %d): body %q, want %q", tt.name, step, r.Sample, tt.body)
			}
			if r2, _ := d.Result(); r2.Hash != r.Hash {
				t.Errorf("%s: a second Result differs", tt.name)
			}
		}
	}
	d := NewDecoder()
	d.Write([]byte("Subject: a\r\n\tb\r\n\r\n"))
	if r, _ := d.Result(); r.Subject != "a\tb" || !strings.Contains(r.Steps[0].Text, "1 folded lines") {
		t.Errorf("unfolded subject %q, step %q", r.Subject, r.Steps[0].Text)
	}
	if _, err := d.Write([]byte("more")); err == nil {
		t.Error("Write after Result succeeded")
	}
}

// TestStreamingBoundedMemory sends a 64 MiB generated body through the whole
// presentation layer and checks that far less than that is allocated: the
// body is never held whole.
func TestStreamingBoundedMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("64 MiB")
	}
	const size = 64 << 20
	m := Mail{Header: []HeaderField{{"Subject", "64 MiB"}}, Body: GeneratedBody(size, 3)}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	r, e, _ := transfer(t, m, Options{}, 1460)
	runtime.ReadMemStats(&after)
	if r.BodyOctets != size || r.Octets != e.Size() {
		t.Fatalf("decoded %d body octets of %d, %d octets of %d", r.BodyOctets, size, r.Octets, e.Size())
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 2<<20 {
		t.Errorf("encoding and decoding %d MiB allocated %d B; want under 2 MiB", size>>20, alloc)
	}
	if Hash(m) != r.Hash {
		t.Error("hash differs after the transfer")
	}
}

func sha256Of(s string) [32]byte { return sha256.Sum256([]byte(s)) }

// FuzzDecoder checks that decoding never panics and does not depend on how
// the octets are cut.
func FuzzDecoder(f *testing.F) {
	for _, name := range []string{"sample1_base64.eml", "sample1_qp.eml", "sample2_7bit.eml"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, uint8(13))
	}
	f.Add([]byte("Content-Transfer-Encoding: quoted-printable\r\n\r\na=\r\n=E4=BD=A0 \r\n"), uint8(1))
	f.Add([]byte("Subject: =?UTF-8?B?5L2g?= =?UTF-8?Q?a_b?=\r\n\r\n"), uint8(2))
	f.Fuzz(func(t *testing.T, data []byte, step uint8) {
		decode := func(step int) (Result, error) {
			d := NewDecoder()
			for i := 0; i < len(data); i += step {
				if _, err := d.Write(data[i:min(i+step, len(data))]); err != nil {
					return Result{}, err
				}
			}
			return d.Result()
		}
		a, errA := decode(len(data) + 1)
		b, errB := decode(int(step%9) + 1)
		if (errA == nil) != (errB == nil) {
			t.Fatalf("error depends on chunking: %v vs %v", errA, errB)
		}
		if errA != nil {
			if !strings.HasPrefix(errA.Error(), "presentation: ") {
				t.Fatalf("error without the package prefix: %v", errA)
			}
			return
		}
		if diff := cmp.Diff(a, b); diff != "" {
			t.Fatalf("result depends on chunking (-whole +chunked):\n%s", diff)
		}
	})
}

// FuzzEncodeDecode checks that any mail survives every transfer encoding:
// the decoded hash equals the stored mail's.
func FuzzEncodeDecode(f *testing.F) {
	f.Add("关于POP3的课堂笔记", "李老师 <li@x.example>", "你好\n.\n..x\nend")
	f.Add("=?x?= a  b\t", "", "\r\r\n\n")
	f.Add(strings.Repeat("长", 40), strings.Repeat("x", 90), "")
	f.Fuzz(func(t *testing.T, subject, from, body string) {
		m := Mail{Header: []HeaderField{{"Subject", subject}, {"From", from}}, Body: TextBody(body)}
		want := Hash(m)
		for _, te := range []TransferEncoding{Auto, QuotedPrintable, Base64} {
			e := Encode(m, Options{TransferEncoding: te})
			raw := readAll(t, e.Reader())
			if int64(len(raw)) != e.Size() {
				t.Fatalf("%v: Size %d, Reader %d", te, e.Size(), len(raw))
			}
			stuffed := readAll(t, NewStuffer(bytes.NewReader(raw)))
			d := NewDecoder()
			u := NewUnstuffer(d)
			if _, err := u.Write(stuffed); err != nil {
				t.Fatalf("%v: %v", te, err)
			}
			r, err := d.Result()
			if err != nil {
				t.Fatalf("%v: %v\n%q", te, err, raw)
			}
			if r.Hash != want {
				t.Fatalf("%v: hash differs; subject %q -> %q, from %q -> %q\n%q", te, cleanValue(subject), r.Subject, cleanValue(from), r.Header[1].Value, raw)
			}
		}
	})
}

// BenchmarkPipeline10MiB encodes, stuffs, un-stuffs and decodes a 10 MiB
// generated body, in 1,460-octet chunks as TCP would carry them.
func BenchmarkPipeline10MiB(b *testing.B) {
	for _, te := range []TransferEncoding{Base64, QuotedPrintable} {
		b.Run(te.String(), func(b *testing.B) {
			m := Mail{Header: []HeaderField{{"Subject", "10 MiB"}}, Body: GeneratedBody(10<<20, 1)}
			b.SetBytes(10 << 20)
			b.ReportAllocs()
			for b.Loop() {
				transfer(b, m, Options{TransferEncoding: te}, 1460)
			}
		})
	}
}

func ExampleEncode() {
	e := Encode(SampleMail(), Options{})
	for _, s := range e.Steps()[2:4] {
		fmt.Println(s.Text)
	}
	// Output:
	// Subject "关于POP3的课堂笔记" -> "=?UTF-8?B?5YWz5LqOUE9QM+eahOivvuWggueslOiusA==?=" (RFC 2047: UTF-8 in base64)
	// body: 487 characters of Unicode text -> 1,205 B of UTF-8 (e7 8e 8b e5 90 8c ...)
}
