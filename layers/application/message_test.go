package application

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/osisim/osisim/layers"
)

// Command lines as a client sends them (RFC 1939 section 3 and the examples
// of sections 5 to 7).
var commandFixtures = []struct {
	wire string
	want Message
}{
	{"USER wang\r\n", Message{Keyword: "USER", Args: []string{"wang"}}},
	{"PASS secret\r\n", Message{Keyword: "PASS", Args: []string{"secret"}}},
	{"STAT\r\n", Message{Keyword: "STAT"}},
	{"LIST\r\n", Message{Keyword: "LIST"}},
	{"LIST 2\r\n", Message{Keyword: "LIST", Args: []string{"2"}}},
	{"RETR 1\r\n", Message{Keyword: "RETR", Args: []string{"1"}}},
	{"DELE 1\r\n", Message{Keyword: "DELE", Args: []string{"1"}}},
	{"TOP 1 10\r\n", Message{Keyword: "TOP", Args: []string{"1", "10"}}},
	{"QUIT\r\n", Message{Keyword: "QUIT"}},
	{"PASS " + strings.Repeat("p", 40) + "\r\n", Message{Keyword: "PASS", Args: []string{strings.Repeat("p", 40)}}},
}

// Reply lines as a server sends them.
var replyFixtures = []struct {
	wire string
	want Message
}{
	{"+OK dewey POP3 server ready\r\n", Message{OK: true, Text: "dewey POP3 server ready"}},
	{"+OK 2 2838\r\n", Message{OK: true, Text: "2 2838"}},
	{"+OK\r\n", Message{OK: true}},
	{"-ERR no such message\r\n", Message{Text: "no such message"}},
	{"-ERR\r\n", Message{}},
	{"+OK 关于POP3\r\n", Message{OK: true, Text: "关于POP3"}},
	{"+OK " + strings.Repeat("x", 506) + "\r\n", Message{OK: true, Text: strings.Repeat("x", 506)}}, // 512 octets
}

func TestParseCommandFixtures(t *testing.T) {
	for _, f := range commandFixtures {
		got, err := ParseCommand([]byte(f.wire))
		if err != nil {
			t.Errorf("ParseCommand(%q): %v", f.wire, err)
			continue
		}
		if diff := cmp.Diff(f.want, got, cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("ParseCommand(%q) (-want +got):\n%s", f.wire, diff)
		}
		if back := string(got.Append(nil)); back != f.wire {
			t.Errorf("Append(ParseCommand(%q)) = %q", f.wire, back)
		}
		if got.Len() != len(f.wire) || got.HeaderLen() != len(f.wire) {
			t.Errorf("%q: Len %d, HeaderLen %d", f.wire, got.Len(), got.HeaderLen())
		}
	}
}

func TestParseReplyFixtures(t *testing.T) {
	for _, f := range replyFixtures {
		got, err := ParseReply([]byte(f.wire))
		if err != nil {
			t.Errorf("ParseReply(%q): %v", f.wire, err)
			continue
		}
		if diff := cmp.Diff(f.want, got, cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("ParseReply(%q) (-want +got):\n%s", f.wire, diff)
		}
		if back := string(got.Append(nil)); back != f.wire {
			t.Errorf("Append(ParseReply(%q)) = %q", f.wire, back)
		}
		if got.Len() != len(f.wire) {
			t.Errorf("%q: Len %d", f.wire, got.Len())
		}
	}
}

func TestKeywordsCaseInsensitive(t *testing.T) {
	for _, line := range []string{"retr 1\r\n", "Retr 1\r\n", "rEtR 1\r\n"} {
		m, err := ParseCommand([]byte(line))
		if err != nil || m.Keyword != "RETR" {
			t.Errorf("ParseCommand(%q) = %v, %v; want keyword RETR", line, m, err)
		}
	}
	if Command("quit").Keyword != "QUIT" {
		t.Error("Command does not upper-case its keyword")
	}
}

func TestParseCommandErrors(t *testing.T) {
	tests := []struct {
		line, want string
	}{
		{"RETR 1", "does not end with CRLF"},
		{"RETR 1\n", "does not end with CRLF"},
		{"RETR\n1\r\n", "bare LF at octet 4"},
		{"RE\rTR 1\r\n", "bare CR at octet 2"},
		{"RETR 1\r\r\n", "bare CR at octet 6"},
		{"RE\r\n", `keyword "RE" has 2 characters`},
		{"RETRX 1\r\n", `keyword "RETRX" has 5 characters`},
		{"\r\n", "does not start with a keyword"},
		{" RETR 1\r\n", "does not start with a keyword"},
		{"RETR  1\r\n", "separated by a single space"},
		{"RETR 1 \r\n", "separated by a single space"},
		{"RETR\t1\r\n", "non-printable octet 0x09"},
		{"USER w\xc3\xa4ng\r\n", "non-printable octet 0xc3"},
		{"PASS " + strings.Repeat("p", 41) + "\r\n", "argument 1 of PASS has 41 characters, at most 40"},
		{"TOP" + strings.Repeat(" 1", 126) + "\r\n", "command line of 257 octets, at most 255"},
	}
	for _, tt := range tests {
		_, err := ParseCommand([]byte(tt.line))
		if !errors.Is(err, ErrSyntax) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParseCommand(%q): err %v, want ErrSyntax with %q", tt.line, err, tt.want)
		}
	}
}

func TestParseReplyErrors(t *testing.T) {
	tests := []struct {
		line, want string
	}{
		{"+OK", "does not end with CRLF"},
		{"+OK 1\n", "does not end with CRLF"},
		{"+OK a\rb\r\n", "bare CR"},
		{"+OK a\nb\r\n", "bare LF"},
		{"+OKAY\r\n", "is not followed by a space"},
		{"-ERRoneous\r\n", "is not followed by a space"},
		{"+ok\r\n", "does not start with +OK or -ERR"},
		{"OK\r\n", "does not start with +OK or -ERR"},
		{"+OK a\x00b\r\n", "NUL octet at 1"},
		{"+OK " + strings.Repeat("x", 507) + "\r\n", "reply line of 513 octets, at most 512"},
	}
	for _, tt := range tests {
		_, err := ParseReply([]byte(tt.line))
		if !errors.Is(err, ErrSyntax) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParseReply(%q): err %v, want ErrSyntax with %q", tt.line, err, tt.want)
		}
	}
}

func TestMessageSummaryFields(t *testing.T) {
	tests := []struct {
		m       Message
		summary string
		fields  []layers.Field
	}{
		{Command("RETR", "1"), `POP3 command "RETR 1" (8 B with CRLF)`,
			[]layers.Field{{Name: "Keyword", Value: "RETR"}, {Name: "Arguments", Value: "1"}}},
		{Command("QUIT"), `POP3 command "QUIT" (6 B with CRLF)`,
			[]layers.Field{{Name: "Keyword", Value: "QUIT"}, {Name: "Arguments", Value: ""}}},
		{OK("2048 octets"), "POP3 reply +OK 2048 octets",
			[]layers.Field{{Name: "Status", Value: "+OK"}, {Name: "Text", Value: "2048 octets"}}},
		{Err("no such message"), "POP3 reply -ERR no such message",
			[]layers.Field{{Name: "Status", Value: "-ERR"}, {Name: "Text", Value: "no such message"}}},
	}
	for _, tt := range tests {
		if got := tt.m.Summary(); got != tt.summary {
			t.Errorf("Summary %q, want %q", got, tt.summary)
		}
		if diff := cmp.Diff(tt.fields, tt.m.Fields()); diff != "" {
			t.Errorf("%s: Fields (-want +got):\n%s", tt.summary, diff)
		}
	}
}

func TestScanListing(t *testing.T) {
	// The body of "+OK 2 messages (2838 octets)", before stuffing.
	wire := "1 2048\r\n2 790\r\n"
	l, err := ParseScanListing([]byte(wire))
	if err != nil {
		t.Fatal(err)
	}
	want := ScanListing{{1, 2048}, {2, 790}}
	if diff := cmp.Diff(want, l); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if string(l.Append(nil)) != wire || l.Size() != int64(len(wire)) {
		t.Errorf("Append %q, Size %d", l.Append(nil), l.Size())
	}
	if l.Summary() != "scan listing of 2 messages (15 B)" {
		t.Errorf("Summary %q", l.Summary())
	}
	if l, err := ParseScanListing([]byte("1 120 extra info\r\n")); err != nil || l[0].Size != 120 {
		t.Errorf("extra information after the size: %v, %v", l, err)
	}
	for _, bad := range []string{"1 120", "1\r\n", "x 1\r\n", "0 1\r\n", "1 -5\r\n", "+1 5\r\n", "1 +5\r\n", "1  5\r\n"} {
		if _, err := ParseScanListing([]byte(bad)); !errors.Is(err, ErrSyntax) {
			t.Errorf("ParseScanListing(%q): err %v, want ErrSyntax", bad, err)
		}
	}
}

// FuzzParseCommand checks that parsing never panics, that every error says
// "application:", and that Parse-Append-Parse is stable.
func FuzzParseCommand(f *testing.F) {
	for _, c := range commandFixtures {
		f.Add([]byte(c.wire))
	}
	f.Add([]byte("RETR  1\r\n"))
	f.Fuzz(func(t *testing.T, line []byte) {
		m, err := ParseCommand(line)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "application: ") {
				t.Fatalf("error without the package prefix: %v", err)
			}
			return
		}
		wire := m.Append(nil)
		m2, err := ParseCommand(wire)
		if err != nil {
			t.Fatalf("%q parsed, but its Append %q does not: %v", line, wire, err)
		}
		if diff := cmp.Diff(m, m2); diff != "" {
			t.Fatalf("Parse-Append-Parse differs (-first +second):\n%s", diff)
		}
		if m.Len() != len(wire) || len(wire) > MaxCommand {
			t.Fatalf("Len %d, wire %d octets", m.Len(), len(wire))
		}
	})
}

// FuzzParseReply is FuzzParseCommand for replies.
func FuzzParseReply(f *testing.F) {
	for _, r := range replyFixtures {
		f.Add([]byte(r.wire))
	}
	f.Add([]byte("+OK \r\n"))
	f.Add([]byte("-ERR [IN-USE] unable to lock maildrop\r\n"))
	f.Add([]byte("+OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>\r\n"))
	f.Fuzz(func(t *testing.T, line []byte) {
		m, err := ParseReply(line)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "application: ") {
				t.Fatalf("error without the package prefix: %v", err)
			}
			return
		}
		// The RFC 2449 response code and the APOP timestamp are read from
		// the text: Fields shows the code apart, the text stays whole.
		if code := m.Code(); code != "" && m.Fields()[1].Value != "["+code+"]" {
			t.Fatalf("code %q, fields %v", code, m.Fields())
		}
		if ts, ok := m.Timestamp(); ok && !strings.Contains(m.Text, ts) {
			t.Fatalf("timestamp %q not in %q", ts, m.Text)
		}
		wire := m.Append(nil)
		m2, err := ParseReply(wire)
		if err != nil {
			t.Fatalf("%q parsed, but its Append %q does not: %v", line, wire, err)
		}
		if diff := cmp.Diff(m, m2); diff != "" {
			t.Fatalf("Parse-Append-Parse differs (-first +second):\n%s", diff)
		}
		if m.Len() != len(wire) || len(wire) > MaxReply {
			t.Fatalf("Len %d, wire %d octets", m.Len(), len(wire))
		}
	})
}
