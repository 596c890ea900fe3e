package presentation

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func readAll(t testing.TB, r io.Reader) []byte {
	t.Helper()
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s differs (-want +got):\n%s", name, diff)
	}
}

func TestEncodeGolden(t *testing.T) {
	tests := []struct {
		file string
		mail Mail
		opt  Options
		te   TransferEncoding
	}{
		// The default scenario's message 1: Chinese, so base64.
		{"sample1_base64.eml", SampleMail(), Options{}, Base64},
		{"sample1_qp.eml", SampleMail(), Options{TransferEncoding: QuotedPrintable}, QuotedPrintable},
		// Message 2: plain US-ASCII, so 7bit, with "." lines to stuff.
		{"sample2_7bit.eml", SampleMail2(), Options{}, SevenBit},
		{"sample2_base64.eml", SampleMail2(), Options{TransferEncoding: Base64}, Base64},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			e := Encode(tt.mail, tt.opt)
			got := readAll(t, e.Reader())
			golden(t, tt.file, got)
			if e.Size() != int64(len(got)) {
				t.Errorf("Size() = %d, but Reader gave %d octets", e.Size(), len(got))
			}
			if e.TransferEncoding() != tt.te {
				t.Errorf("transfer encoding %v, want %v", e.TransferEncoding(), tt.te)
			}
			if again := readAll(t, e.Reader()); !bytes.Equal(again, got) {
				t.Error("a second Reader gave other octets")
			}
			for i, line := range strings.SplitAfter(string(got), "\r\n") {
				if strings.ContainsAny(strings.TrimSuffix(line, "\r\n"), "\r\n") {
					t.Errorf("line %d has a bare CR or LF: %q", i+1, line)
				}
				if len(line) > 78+2 {
					t.Errorf("line %d is %d octets long: %q", i+1, len(line)-2, line)
				}
			}
		})
	}
}

func TestEncodeSteps(t *testing.T) {
	e := Encode(SampleMail(), Options{})
	var got []string
	for _, s := range e.Steps() {
		got = append(got, s.Name+": "+s.Text)
	}
	want := []string{
		`encoded-word: From "李老师 <li.laoshi@school.example>" -> "=?UTF-8?B?5p2O6ICB5biI?=" (RFC 2047: UTF-8 in base64)`,
		`encoded-word: To "王同学 <wang.tongxue@school.example>" -> "=?UTF-8?B?546L5ZCM5a2m?=" (RFC 2047: UTF-8 in base64)`,
		`encoded-word: Subject "关于POP3的课堂笔记" -> "=?UTF-8?B?5YWz5LqOUE9QM+eahOivvuWggueslOiusA==?=" (RFC 2047: UTF-8 in base64)`,
		`charset: body: 487 characters of Unicode text -> 1,205 B of UTF-8 (e7 8e 8b e5 90 8c ...)`,
		`CRLF: line ends: 23 line breaks -> CRLF, 1,205 B -> 1,228 B`,
		`base64: body: 1,228 B -> base64 1,684 B in 22 lines of at most 76 characters`,
		`MIME header: header: 8 fields, 364 B, with MIME-Version: 1.0, Content-Type: text/plain; charset=UTF-8, Content-Transfer-Encoding: base64; then an empty line`,
		`message: mail: 2,048 B (header 364 B + body 1,684 B)`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("steps differ (-want +got):\n%s", diff)
	}
	if e.Summary() != "mail of 2,048 B (RFC 5322 + MIME, text/plain; charset=UTF-8, base64)" {
		t.Errorf("Summary %q", e.Summary())
	}

	forced := Encode(SampleMail(), Options{TransferEncoding: SevenBit})
	if forced.TransferEncoding() != Base64 || !strings.Contains(forced.Steps()[0].Text, "base64 instead") {
		t.Errorf("7bit asked for a Chinese body: got %v, first step %q", forced.TransferEncoding(), forced.Steps()[0].Text)
	}
}

func TestHeaderFields(t *testing.T) {
	tests := []struct {
		name, value string
		want        string
	}{
		{"Date", "Mon, 02 Sep 2024 09:30:00 +0800", "Date: Mon, 02 Sep 2024 09:30:00 +0800\r\n"},
		{"Subject", "", "Subject:\r\n"},
		{"Subject", "  padded\t", "Subject: padded\r\n"},
		{"Subject", "关于POP3的课堂笔记", "Subject: =?UTF-8?B?5YWz5LqOUE9QM+eahOivvuWggueslOiusA==?=\r\n"},
		// Only the words that need it are encoded; the address stays.
		{"From", "李老师 <li@x.example>", "From: =?UTF-8?B?5p2O6ICB5biI?= <li@x.example>\r\n"},
		// Two encoded words with a double space between: one run, whose
		// spaces are inside the encoded-word.
		{"Subject", "你  好", "Subject: =?UTF-8?B?5L2gICDlpb0=?=\r\n"},
		// Something that looks like an encoded-word is encoded, so that it
		// decodes to itself.
		{"Subject", "=?x?=", "Subject: =?UTF-8?B?PT94Pz0=?=\r\n"},
		// Folded at 78 characters, before a space.
		{"Subject", strings.Repeat("word ", 20) + "end",
			"Subject: word word word word word word word word word word word word word word\r\n word word word word word word end\r\n"},
		// A long Chinese subject: encoded-words of whole characters, on
		// lines of at most 76 characters (13 characters make a line of 73;
		// 14 would make 77).
		{"Subject", strings.Repeat("课堂笔记", 6),
			"Subject: =?UTF-8?B?6K++5aCC56yU6K6w6K++5aCC56yU6K6w6K++5aCC56yU6K6w6K++?=\r\n" +
				" =?UTF-8?B?5aCC56yU6K6w6K++5aCC56yU6K6w6K++5aCC56yU6K6w?=\r\n"},
		{"X-Bad Name:", "v", "X-Bad-Name-: v\r\n"},
	}
	for _, tt := range tests {
		got, _ := appendField(nil, cleanName(tt.name), cleanValue(tt.value))
		if string(got) != tt.want {
			t.Errorf("field %s %q:\n got %q\nwant %q", tt.name, tt.value, got, tt.want)
		}
		for i, line := range strings.SplitAfter(string(got), "\r\n") {
			if len(line) > 80 || strings.Contains(line, "=?") && len(line) > 78 {
				t.Errorf("field %s: line %d too long: %q", tt.name, i, line)
			}
		}
		// The field decodes back to the cleaned value.
		d := NewDecoder()
		d.Write(got)
		d.Write([]byte("\r\n"))
		r, err := d.Result()
		if err != nil {
			t.Fatalf("field %s %q: %v", tt.name, tt.value, err)
		}
		if len(r.Header) != 1 || r.Header[0].Value != cleanValue(tt.value) {
			t.Errorf("field %s %q decodes to %q", tt.name, tt.value, r.Header)
		}
	}
}

func TestGeneratedBody(t *testing.T) {
	for _, size := range []int64{0, 1, 2, 71, 72, 73, genPeriodSize - 1, genPeriodSize, genPeriodSize + 1, 100_000} {
		b := GeneratedBody(size, 42)
		text := readAll(t, b.Reader())
		if int64(len(text)) != size || b.Len() != size {
			t.Fatalf("size %d: generated %d octets, Len %d", size, len(text), b.Len())
		}
		if !utf8.Valid(text) {
			t.Errorf("size %d: not valid UTF-8", size)
		}
		if got := int64(bytes.Count(text, lf)); got != genLines(size) {
			t.Errorf("size %d: %d lines, genLines says %d", size, got, genLines(size))
		}
		if size > 0 && text[len(text)-1] != '\n' {
			t.Errorf("size %d: does not end with LF", size)
		}
		for i, line := range bytes.SplitAfter(text, lf) {
			if len(line) > genLine {
				t.Errorf("size %d: line %d has %d octets", size, i, len(line))
			}
		}
		if !bytes.Equal(readAll(t, b.Reader()), text) {
			t.Errorf("size %d: a second Reader gave another text", size)
		}
	}
	a := readAll(t, GeneratedBody(100_000, 1).Reader())
	b := readAll(t, GeneratedBody(100_000, 2).Reader())
	if bytes.Equal(a, b) {
		t.Error("seeds 1 and 2 give the same text")
	}
	for _, want := range []string{"\n.\n", "\n..", "\n.", "邮件", "server"} {
		if !bytes.Contains(a, []byte(want)) {
			t.Errorf("100,000 generated octets hold no %q", want)
		}
	}
}

func TestSizeMatchesReader(t *testing.T) {
	bodies := []Body{
		TextBody(""),
		TextBody("no final line break"),
		TextBody("a\r\nb\rc\n\n"),
		TextBody(".\n..\n.x\n"),
		TextBody(strings.Repeat("x", 2000) + "\n"), // too long for 7bit
		TextBody("tab\tand trailing space \nend"),
		GeneratedBody(0, 1),
		GeneratedBody(1, 1),
		GeneratedBody(12345, 7),
	}
	for i, body := range bodies {
		for _, te := range []TransferEncoding{Auto, SevenBit, QuotedPrintable, Base64} {
			e := Encode(Mail{Header: []HeaderField{{"Subject", fmt.Sprint("body ", i)}}, Body: body}, Options{TransferEncoding: te})
			got := readAll(t, e.Reader())
			if e.Size() != int64(len(got)) {
				t.Errorf("body %d %v: Size %d, Reader %d octets", i, te, e.Size(), len(got))
			}
			if len(got) > e.HeaderLen() && !bytes.HasSuffix(got, []byte("\r\n")) {
				t.Errorf("body %d %v: does not end with CRLF: %q", i, te, got[max(0, len(got)-10):])
			}
		}
	}
}

func TestPPDU(t *testing.T) {
	e := Encode(SampleMail(), Options{})
	tests := []struct {
		p       PPDU
		summary string
		fields  int
	}{
		{LinePPDU(8), "PPDU US-ASCII line, 8 B (no presentation header)", 3},
		{BlockPPDU(14, 0), "PPDU US-ASCII lines, 14 B (no presentation header)", 4},
		{e.PPDU(0), "PPDU mail, RFC 5322 + MIME: text/plain; charset=UTF-8, base64, 2,048 B (no presentation header)", 6},
		{Encode(SampleMail2(), Options{}).PPDU(2), "PPDU mail, RFC 5322 + MIME: text/plain; charset=UTF-8, 7bit, 790 B, 2 lines byte-stuffed (no presentation header)", 6},
	}
	for _, tt := range tests {
		if got := tt.p.Summary(); got != tt.summary {
			t.Errorf("Summary %q, want %q", got, tt.summary)
		}
		if got := tt.p.Fields(); len(got) != tt.fields || got[len(got)-1].Name != "Header" {
			t.Errorf("%s: Fields %v", tt.summary, got)
		}
		if tt.p.HeaderLen() != 0 {
			t.Errorf("HeaderLen %d", tt.p.HeaderLen())
		}
	}
}

func TestParseTransferEncoding(t *testing.T) {
	for _, te := range []TransferEncoding{Auto, SevenBit, QuotedPrintable, Base64} {
		got, err := ParseTransferEncoding(strings.ToUpper(te.String()))
		if err != nil || got != te {
			t.Errorf("ParseTransferEncoding(%q) = %v, %v", te, got, err)
		}
	}
	if _, err := ParseTransferEncoding("uuencode"); err == nil {
		t.Error("uuencode accepted")
	}
}
