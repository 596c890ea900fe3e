package presentation

import (
	"bytes"
	"io"
	"math/rand/v2"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// osiLinePPDU is the presentation part of the line "+OK" CRLF in the osi
// profile: version 1, syntax 1 (US-ASCII line), flags 0 (not compressed),
// reserved 0, original length 5; then the line.
var osiLinePPDU = []byte{0x01, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, '+', 'O', 'K', '\r', '\n'}

// osiDeflatePPDU is a compressed mail unit: syntax 3 (RFC 5322 + MIME),
// flags 0x01 (compressed), original length 32 ("ab" 16 times), then the
// DEFLATE data that compress/flate makes of it (deterministic).
var osiDeflatePPDU = func() []byte {
	var c Compressor
	b, _ := c.OSIUnit(nil, SyntaxMail, []byte("abababababababababababababababab"), true)
	return b
}()

func TestOSIHeaderRoundTrip(t *testing.T) {
	h, data, err := ParseOSIHeader(osiLinePPDU)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(OSIHeader{Syntax: SyntaxLine, Original: 5}, h); diff != "" {
		t.Errorf("header (-want +got):\n%s", diff)
	}
	if string(data) != "+OK\r\n" {
		t.Errorf("data %q", data)
	}
	if got := append(h.Append(nil), data...); !bytes.Equal(got, osiLinePPDU) {
		t.Errorf("Append = % x, want % x", got, osiLinePPDU)
	}
	if got, want := h.Summary(), "PPDU US-ASCII line, 5 B, not compressed, not encrypted (8 B presentation header)"; got != want {
		t.Errorf("Summary = %q, want %q", got, want)
	}
	// The compressed fixture: the flag is set, the data is shorter than
	// the original, and ParseOSIUnit gives the original back.
	h, data, err = ParseOSIUnit(osiDeflatePPDU)
	if err != nil {
		t.Fatal(err)
	}
	if !h.Compressed() || h.Syntax != SyntaxMail || len(osiDeflatePPDU)-OSIHeaderLen >= 32 {
		t.Errorf("header %+v, %d B of data: want compressed mail shorter than 32 B", h, len(osiDeflatePPDU)-OSIHeaderLen)
	}
	if string(data) != strings.Repeat("ab", 16) {
		t.Errorf("inflated %q", data)
	}
}

func TestParseOSIHeaderErrors(t *testing.T) {
	mod := func(b []byte, i int, v byte) []byte {
		b = append([]byte(nil), b...)
		b[i] = v
		return b
	}
	tests := []struct {
		name string
		in   []byte
		want string
	}{
		{"short", osiLinePPDU[:7], "presentation: osi header too short: 7 B, need 8"},
		{"version", mod(osiLinePPDU, 0, 0), "presentation: osi header version 0, want 1"},
		{"syntax", mod(osiLinePPDU, 1, 4), "presentation: unknown transfer syntax id 4"},
		{"flags", mod(osiLinePPDU, 2, 0x10), "presentation: unknown osi header flags 0x10"},
		{"encrypted", mod(osiLinePPDU, 2, FlagEncrypted), "presentation: the unit is encrypted, which this profile does not support yet"},
		{"reserved", mod(osiLinePPDU, 3, 1), "presentation: reserved octet of the osi header is 1, want 0"},
		{"too big", mod(osiLinePPDU, 5, 2), "presentation: original length 131077 B, at most 65536 allowed"},
		{"length", osiLinePPDU[:12], "presentation: uncompressed unit says 5 B, has 4"},
		{"bad deflate", append(mod(osiLinePPDU[:8], 2, FlagCompressed), 0xff, 0xff), "presentation: DEFLATE data does not expand to 5 B"},
		{"longer", mod(osiDeflatePPDU, 7, 31), "presentation: DEFLATE data expands to more than 31 B"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := ParseOSIUnit(tt.in)
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
		})
	}
}

// deflateRoundTrip compresses data as one unit and checks that it comes
// back; it returns the compressed length (or the original one when
// compression did not pay).
func deflateRoundTrip(t testing.TB, c *Compressor, data []byte) int {
	t.Helper()
	unit, h := c.OSIUnit(nil, SyntaxMail, data, true)
	got, back, err := ParseOSIUnit(unit)
	if err != nil {
		t.Fatalf("%d B: %v", len(data), err)
	}
	if got != h || !bytes.Equal(back, data) {
		t.Fatalf("%d B did not come back intact (header %+v, want %+v)", len(data), got, h)
	}
	if h.Compressed() && len(unit)-OSIHeaderLen >= len(data) {
		t.Fatalf("flagged compressed but %d B >= %d B", len(unit)-OSIHeaderLen, len(data))
	}
	return len(unit) - OSIHeaderLen
}

func TestDeflateRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	var c Compressor
	for _, n := range []int{0, 1, 2, 100, 4096, 16 << 10, MaxOSIOriginal} {
		// Random octets do not compress: the unit goes uncompressed.
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(r.Uint32())
		}
		if got := deflateRoundTrip(t, &c, b); got != n {
			t.Errorf("random %d B: %d B on the wire, want them uncompressed", n, got)
		}
		// Random text from a small alphabet does.
		for i := range b {
			b[i] = "abcdefgh \r\n"[r.IntN(11)]
		}
		if got := deflateRoundTrip(t, &c, b); n >= 100 && got >= n {
			t.Errorf("random text %d B: %d B on the wire, want fewer", n, got)
		}
	}
}

// TestDeflateSampleMails compresses the sample mails as they travel (their
// RFC 5322 + MIME octets) and the stored fixtures, in 16 KiB units.
func TestDeflateSampleMails(t *testing.T) {
	var c Compressor
	bodies := map[string][]byte{}
	for name, m := range map[string]Mail{"sample 1": SampleMail(), "sample 2": SampleMail2()} {
		b, err := io.ReadAll(Encode(m, Options{}).Reader())
		if err != nil {
			t.Fatal(err)
		}
		bodies[name] = b
	}
	for _, f := range []string{"sample1_base64.eml", "sample1_qp.eml", "sample2_7bit.eml", "sample2_base64.eml"} {
		b, err := os.ReadFile("testdata/" + f)
		if err != nil {
			t.Fatal(err)
		}
		bodies[f] = b
	}
	for name, b := range bodies {
		total := 0
		for off := 0; off < len(b); off += 16 << 10 {
			total += deflateRoundTrip(t, &c, b[off:min(off+16<<10, len(b))])
		}
		if total >= len(b) {
			t.Errorf("%s: %d B compressed to %d B, want fewer", name, len(b), total)
		}
	}
}

func FuzzParseOSIPPDU(f *testing.F) {
	f.Add(osiLinePPDU)
	f.Add(osiDeflatePPDU)
	f.Fuzz(func(t *testing.T, b []byte) {
		h, data, err := ParseOSIUnit(b)
		if err != nil {
			return
		}
		if int(h.Original) != len(data) {
			t.Fatalf("header says %d B, got %d", h.Original, len(data))
		}
		if !h.Compressed() {
			out := append(h.Append(nil), data...)
			if !bytes.Equal(out, b) {
				t.Fatalf("Parse-Append changed % x into % x", b, out)
			}
		}
		_ = h.Summary()
	})
}

func FuzzDeflateRoundTrip(f *testing.F) {
	f.Add([]byte("+OK 2048 octets\r\n"))
	f.Add(bytes.Repeat([]byte("ab"), 100))
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) > MaxOSIOriginal {
			b = b[:MaxOSIOriginal]
		}
		var c Compressor
		deflateRoundTrip(t, &c, b)
	})
}

// TestDecompressorReuse inflates many units with one Decompressor, a
// corrupt one among them: each unit comes back exactly, and an error does
// not spoil the units after it.
func TestDecompressorReuse(t *testing.T) {
	var c Compressor
	var d Decompressor
	for i, text := range []string{
		"+OK 2 messages (2838 octets)\r\n",
		strings.Repeat("Subject: the seven layers of the OSI model\r\n", 40),
		"corrupt",
		strings.Repeat("数据链路层 帧 ", 200),
		"",
	} {
		if text == "corrupt" {
			if _, err := d.Inflate([]byte{0xff, 0xff, 0xff}, 10); err == nil {
				t.Fatalf("unit %d: corrupt DEFLATE data inflated without an error", i)
			}
			continue
		}
		z := c.Deflate(nil, []byte(text))
		got, err := d.Inflate(z, len(text))
		if err != nil {
			t.Fatalf("unit %d: %v", i, err)
		}
		if string(got) != text {
			t.Errorf("unit %d: inflated %q, want %q", i, got, text)
		}
	}
}
