package application

import (
	"encoding/hex"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/osisim/osisim/layers"
	"github.com/osisim/osisim/layers/presentation"
)

func TestAPOPDigest(t *testing.T) {
	tests := []struct{ ts, secret, want string }{
		// RFC 1939 section 7's example.
		{"<1896.697170952@dbc.mtview.ca.us>", "tanstaaf", "c4c9334bac560ecc979e58001b3e22fb"},
		// MD5 of the empty string.
		{"", "", "d41d8cd98f00b204e9800998ecf8427e"},
	}
	for _, tt := range tests {
		if got := APOPDigest(tt.ts, tt.secret); got != tt.want {
			t.Errorf("APOPDigest(%q, %q) = %s, want %s", tt.ts, tt.secret, got, tt.want)
		}
	}
	if got := FormatTimestamp(1896, 697170952, "dbc.mtview.ca.us"); got != "<1896.697170952@dbc.mtview.ca.us>" {
		t.Errorf("FormatTimestamp = %q", got)
	}
}

func TestGreetingTimestamp(t *testing.T) {
	tests := []struct {
		m    Message
		want string
	}{
		{OK("POP3 server ready <1896.697170952@dbc.mtview.ca.us>"), "<1896.697170952@dbc.mtview.ca.us>"},
		{OK("<a@b> ready <c@d>"), "<a@b>"},
		{OK("dewey POP3 server ready"), ""},
		{OK("ready <no-at-sign>"), ""},
		{OK("ready <@b>"), ""},
		{OK("ready <a@>"), ""},
		{OK("ready <a @b>"), ""},
		{OK("ready <a@b"), ""},
		{Command("APOP", "<a@b>"), ""},
	}
	for _, tt := range tests {
		got, ok := tt.m.Timestamp()
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("%q: Timestamp() = %q, %v; want %q", tt.m.String(), got, ok, tt.want)
		}
	}
}

func TestResponseCodes(t *testing.T) {
	tests := []struct {
		line   string
		code   string
		fields []layers.Field
	}{
		{"-ERR [IN-USE] unable to lock maildrop", CodeInUse, []layers.Field{
			{Name: "Status", Value: "-ERR"}, {Name: "Response code", Value: "[IN-USE]"}, {Name: "Text", Value: "unable to lock maildrop"}}},
		{"-ERR [SYS/TEMP] try later", CodeSysTemp, nil},
		{"-ERR [AUTH]", CodeAuth, []layers.Field{
			{Name: "Status", Value: "-ERR"}, {Name: "Response code", Value: "[AUTH]"}, {Name: "Text", Value: ""}}},
		{"+OK [LOGIN-DELAY] x", CodeLoginDelay, nil},
		{"-ERR [] empty", "", nil},
		{"-ERR [SYS/] empty level", "", nil},
		{"-ERR [/PERM] empty level", "", nil},
		{"-ERR [A B] a space", "", nil},
		{"-ERR [IN-USE unclosed", "", []layers.Field{{Name: "Status", Value: "-ERR"}, {Name: "Text", Value: "[IN-USE unclosed"}}},
		{"-ERR no code [IN-USE]", "", nil},
	}
	for _, tt := range tests {
		m, err := ParseReply([]byte(tt.line + "\r\n"))
		if err != nil {
			t.Fatal(err)
		}
		if m.Code() != tt.code {
			t.Errorf("%q: Code() = %q, want %q", tt.line, m.Code(), tt.code)
		}
		if tt.fields != nil {
			if diff := cmp.Diff(tt.fields, m.Fields()); diff != "" {
				t.Errorf("%q: Fields (-want +got):\n%s", tt.line, diff)
			}
		}
	}
	if got := ErrCode(CodeInUse, "unable to lock maildrop").String(); got != "-ERR [IN-USE] unable to lock maildrop" {
		t.Errorf("ErrCode = %q", got)
	}
	if got := ErrCode(CodeAuth, "").String(); got != "-ERR [AUTH]" {
		t.Errorf("ErrCode without text = %q", got)
	}
	if Command("[AUTH]").Code() != "" {
		t.Error("a command has a response code")
	}
}

func TestCapabilities(t *testing.T) {
	// The body of "+OK capability list follows", before stuffing.
	wire := "TOP\r\nUIDL\r\nUSER\r\nRESP-CODES\r\nAUTH-RESP-CODE\r\nIMPLEMENTATION osisim\r\n"
	c, err := ParseCapabilities([]byte(wire))
	if err != nil {
		t.Fatal(err)
	}
	srv, _ := newTestServer()
	if diff := cmp.Diff(srv.Capabilities(), c); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if string(c.Append(nil)) != wire || c.Size() != int64(len(wire)) {
		t.Errorf("Append %q, Size %d", c.Append(nil), c.Size())
	}
	if c.Summary() != "capability list of 6 lines (68 B)" {
		t.Errorf("Summary %q", c.Summary())
	}
	for tag, want := range map[string]bool{"top": true, "IMPLEMENTATION": true, "osisim": false, "PIPELINING": false, "SASL": false} {
		if c.Has(tag) != want {
			t.Errorf("Has(%q) = %v", tag, !want)
		}
	}
	for _, bad := range []string{"TOP", "TOP\n", "TO.P\r\n", "SASL  PLAIN\r\n", " TOP\r\n", "\r\n", "X \x01\r\n", strings.Repeat("X", 511) + "\r\n"} {
		if _, err := ParseCapabilities([]byte(bad)); !errors.Is(err, ErrSyntax) {
			t.Errorf("ParseCapabilities(%q): err %v, want ErrSyntax", bad, err)
		}
	}
	if _, err := ParseCapabilities([]byte("EXPIRE 31 USER\r\nX-V1 a.b\r\n")); err != nil {
		t.Errorf("a parameter with a dot: %v", err)
	}
}

func TestUIDListing(t *testing.T) {
	// The body of "+OK unique-id listing follows" of RFC 1939 section 7.
	wire := "1 whqtswO00WBw418f9t5JxYwZ\r\n2 QhdPYR:00WBw1Ph7x7\r\n"
	l, err := ParseUIDListing([]byte(wire))
	if err != nil {
		t.Fatal(err)
	}
	want := UIDListing{{1, "whqtswO00WBw418f9t5JxYwZ"}, {2, "QhdPYR:00WBw1Ph7x7"}}
	if diff := cmp.Diff(want, l); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if string(l.Append(nil)) != wire || l.Size() != int64(len(wire)) {
		t.Errorf("Append %q, Size %d", l.Append(nil), l.Size())
	}
	if l.Summary() != "unique-id listing of 2 messages (50 B)" {
		t.Errorf("Summary %q", l.Summary())
	}
	for _, bad := range []string{"1 abc", "1\r\n", "1 \r\n", "x abc\r\n", "0 abc\r\n", "+1 abc\r\n", "-1 abc\r\n", "1 a b\r\n", "1  abc\r\n",
		"1 a\x7fb\r\n", "1 " + strings.Repeat("u", 71) + "\r\n"} {
		if _, err := ParseUIDListing([]byte(bad)); !errors.Is(err, ErrSyntax) {
			t.Errorf("ParseUIDListing(%q): err %v, want ErrSyntax", bad, err)
		}
	}
	if _, err := ParseUIDListing([]byte("1 " + strings.Repeat("u", 70) + "\r\n")); err != nil {
		t.Errorf("a unique-id of 70 characters: %v", err)
	}
}

func TestMaildropUID(t *testing.T) {
	m1, m2 := presentation.SampleMail(), presentation.SampleMail2()
	md := NewMaildrop(presentation.Options{}, m1, m2, m1, m1)
	// A unique-id is the first 16 hexadecimal digits of the mail's hash.
	h := presentation.Hash(m1)
	base := hex.EncodeToString(h[:8])
	if base != "b62e090f4b0b38b1" {
		t.Fatalf("the hash of message 1 starts with %s", base)
	}
	var got []string
	for n := 1; n <= 4; n++ {
		u, err := md.UID(n)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, u)
	}
	// Identical messages get a suffix: a unique-id names one message.
	want := []string{base, "1ac1d3023f3279f0", base + "-2", base + "-3"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("unique-ids (-want +got):\n%s", diff)
	}
	md.Delete(1)
	if _, err := md.UID(1); !errors.Is(err, ErrDeleted) {
		t.Errorf("UID of a deleted message: %v", err)
	}
	if _, err := md.UID(5); !errors.Is(err, ErrNoSuchMessage) {
		t.Errorf("UID(5): %v", err)
	}
	md.Commit()
	// After the UPDATE the messages are numbered again; their ids stay, and
	// the id of the removed message is not given to a new one.
	md.Add(m1)
	got = got[:0]
	for n := 1; n <= 4; n++ {
		u, _ := md.UID(n)
		got = append(got, u)
	}
	want = []string{"1ac1d3023f3279f0", base + "-2", base + "-3", base + "-4"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("unique-ids after Commit and Add (-want +got):\n%s", diff)
	}
}

func TestTop(t *testing.T) {
	e2 := presentation.Encode(presentation.SampleMail2(), presentation.Options{}) // 790 octets: header 297, 17 body lines
	whole, _ := io.ReadAll(e2.Reader())
	offsetAfter := func(n int) int64 { return headerAndLines(whole, e2.HeaderLen(), n) }
	tests := []struct {
		lines      int
		sent       int
		whole      bool
		size       int64
		summary    string
		lastLineOf string
	}{
		{0, 0, false, 297, "header (297 B) and no body lines of a mail of 790 B: 297 B", ""},
		{1, 1, false, offsetAfter(1), "header (297 B) and the first body line of a mail of 790 B: 305 B", "Hello,\r\n"},
		{3, 3, false, offsetAfter(3), "header (297 B) and the first 3 body lines of a mail of 790 B: 372 B", "answer:\r\n"},
		{16, 16, false, offsetAfter(16), "header (297 B) and the first 16 body lines of a mail of 790 B: 786 B", "-- \r\n"},
		{17, 17, true, 790, "header (297 B) and all 17 body lines of a mail of 790 B: 790 B", "TA\r\n"},
		{1000, 17, true, 790, "header (297 B) and all 17 body lines of a mail of 790 B: 790 B", "TA\r\n"},
		{-1, 0, false, 297, "header (297 B) and no body lines of a mail of 790 B: 297 B", ""},
	}
	for _, tt := range tests {
		top := NewTop(e2, tt.lines)
		if top.Sent != tt.sent || top.Whole != tt.whole || top.Size() != tt.size || top.Summary() != tt.summary {
			t.Errorf("TOP %d: sent %d whole %v size %d %q; want %d %v %d %q", tt.lines, top.Sent, top.Whole, top.Size(), top.Summary(),
				tt.sent, tt.whole, tt.size, tt.summary)
		}
		b, _ := io.ReadAll(top.Reader())
		if int64(len(b)) != top.Size() || string(b) != string(whole[:len(b)]) || !strings.HasSuffix(string(b), tt.lastLineOf) {
			t.Errorf("TOP %d: %d octets read, ending %q", tt.lines, len(b), b[max(len(b)-20, 0):])
		}
	}
	// A body whose last line has no line break (quoted-printable does not
	// add one): the last line counts.
	e := presentation.Encode(presentation.Mail{Body: presentation.TextBody("a\nb")}, presentation.Options{TransferEncoding: presentation.QuotedPrintable})
	if top := NewTop(e, 5); top.Size() != e.Size() || !top.Whole || top.Sent != 2 {
		t.Errorf("TOP of %d octets: size %d, whole %v, sent %d", e.Size(), top.Size(), top.Whole, top.Sent)
	}
	// An empty body.
	e = presentation.Encode(presentation.Mail{Header: []presentation.HeaderField{{Name: "Subject", Value: "x"}}}, presentation.Options{})
	if top := NewTop(e, 5); top.Size() != e.Size() || !top.Whole || top.Sent != 0 ||
		!strings.Contains(top.Summary(), "no body lines (the body is empty)") {
		t.Errorf("TOP of an empty body: %d of %d, %q", top.Size(), e.Size(), top.Summary())
	}
	// A generated body of 1 MiB: TOP reads only what it sends.
	big := presentation.Encode(presentation.Mail{Body: presentation.GeneratedBody(1<<20, 7)}, presentation.Options{})
	start, _ := io.ReadAll(io.LimitReader(big.Reader(), int64(big.HeaderLen())+1000))
	if top := NewTop(big, 2); top.Whole || top.Sent != 2 || top.Size() != headerAndLines(start, big.HeaderLen(), 2) {
		t.Errorf("TOP 2 of a generated body: %q", top.Summary())
	}
}

// headerAndLines returns the octets of a mail's header and the first n lines
// of its body, counted in its octets b.
func headerAndLines(b []byte, header, n int) int64 {
	off := header
	for range n {
		off += strings.IndexByte(string(b[off:]), '\n') + 1
	}
	return int64(off)
}

func TestServerTopDecodes(t *testing.T) {
	s, _ := newTestServer()
	exchange(t, s, "USER wang", "PASS secret")
	for _, tt := range []struct {
		cmd       string
		subject   string
		bodyLines int64
	}{
		{"TOP 2 0", "Lab 3: capture a POP3 session", 0},
		{"TOP 2 5", "Lab 3: capture a POP3 session", 5},
		{"TOP 2 99", "Lab 3: capture a POP3 session", 17},
		{"TOP 1 0", "关于POP3的课堂笔记", 0},
	} {
		r := s.HandleLine([]byte(tt.cmd + "\r\n"))
		if !r.Line.OK || r.Body == nil {
			t.Fatalf("%s: %q", tt.cmd, r.Line.String())
		}
		d := presentation.NewDecoder()
		if _, err := io.Copy(d, r.Body.Reader()); err != nil {
			t.Fatal(err)
		}
		res, err := d.Result()
		if err != nil || res.Subject != tt.subject || res.BodyLines != tt.bodyLines {
			t.Errorf("%s decoded: subject %q, %d body lines, %v", tt.cmd, res.Subject, res.BodyLines, err)
		}
	}
	// TOP of the whole message decodes to the stored mail.
	r := s.HandleLine([]byte("TOP 2 17\r\n"))
	d := presentation.NewDecoder()
	io.Copy(d, r.Body.Reader())
	if res, err := d.Result(); err != nil || res.Hash != presentation.Hash(presentation.SampleMail2()) {
		t.Errorf("TOP 2 17: %v, hash differs", err)
	}
}

func TestServerBadCommandLimit(t *testing.T) {
	tests := []struct {
		name    string
		opts    []ServerOption
		lines   []string
		closeAt int // the line (from 1) whose reply closes, 0 if none
	}{
		{"default: 20 bad in a row are answered", nil, repeat("XYZZ", 20), 0},
		{"default: the 21st closes", nil, repeat("XYZZ", 21), 21},
		{"a good command starts the count again", nil, append(append(repeat("XYZZ", 20), "USER wang"), repeat("STAT", 20)...), 0},
		{"malformed lines count", nil, repeat("RETR  1", 21), 21},
		{"too long lines count", nil, repeat("NOOP "+strings.Repeat("x", 300), 21), 21},
		{"a wrong password does not count", nil, repeat2("USER wang", "PASS wrong", 15), 0},
		{"limit 1", []ServerOption{WithMaxBadCommands(1)}, []string{"XYZZ", "USER wang", "XYZZ", "XYZZ"}, 4},
		{"no limit", []ServerOption{WithMaxBadCommands(0)}, repeat("XYZZ", 100), 0},
	}
	for _, tt := range tests {
		s, md := newTestServer()
		s = NewServer(md, testUsers, "ready", tt.opts...)
		closedAt := 0
		var last Reply
		for i, l := range tt.lines {
			last = s.HandleLine([]byte(l + "\r\n"))
			if last.Close {
				closedAt = i + 1
				break
			}
		}
		if closedAt != tt.closeAt {
			t.Errorf("%s: closed at line %d, want %d", tt.name, closedAt, tt.closeAt)
		}
		if closedAt != 0 && last.Line.String() != "-ERR too many bad commands, closing the connection" {
			t.Errorf("%s: closed with %q", tt.name, last.Line.String())
		}
		if closedAt != 0 {
			if r := s.HandleLine([]byte("NOOP\r\n")); !r.Close || r.Line.String() != "-ERR session is over" {
				t.Errorf("%s: a command after the close: %q", tt.name, r.Line.String())
			}
		}
	}
}

func repeat(line string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = line
	}
	return out
}

func repeat2(a, b string, n int) []string {
	var out []string
	for range n {
		out = append(out, a, b)
	}
	return out
}

func TestServerLineLimits(t *testing.T) {
	tests := []struct {
		name  string
		opts  []ServerOption
		size  int // octets with CRLF
		reply string
		close bool
	}{
		{"255 octets: parsed", nil, 255, "-ERR syntax error: argument 1 of USER has 248 characters, at most 40", false},
		{"256 octets: refused", nil, 256, "-ERR command line too long: 256 octets, at most 255 with CRLF", false},
		{"512 octets: refused", nil, 512, "-ERR command line too long: 512 octets, at most 255 with CRLF", false},
		{"513 octets: closed", nil, 513, "-ERR command line too long: 513 octets, at most 255 with CRLF; closing the connection", true},
		{"hard limit 1000", []ServerOption{WithLineHardLimit(1000)}, 1000, "-ERR command line too long: 1000 octets, at most 255 with CRLF", false},
		{"hard limit below 255 is 255", []ServerOption{WithLineHardLimit(10)}, 256, "-ERR command line too long: 256 octets, at most 255 with CRLF; closing the connection", true},
	}
	for _, tt := range tests {
		_, md := newTestServer()
		s := NewServer(md, testUsers, "ready", tt.opts...)
		line := "USER " + strings.Repeat("x", tt.size-7) + "\r\n"
		r := s.HandleLine([]byte(line))
		if r.Line.String() != tt.reply || r.Close != tt.close {
			t.Errorf("%s: %q close %v; want %q close %v", tt.name, r.Line.String(), r.Close, tt.reply, tt.close)
		}
	}
	// In TRANSACTION, the close drops the deletion marks and unlocks.
	s, md := newTestServer()
	exchange(t, s, "USER wang", "PASS secret", "DELE 2")
	r := s.HandleLine([]byte("NOOP " + strings.Repeat("x", 600) + "\r\n"))
	if !r.Close || md.Marked() != 0 || md.Locked() || md.Len() != 2 {
		t.Errorf("a long line in TRANSACTION: close %v, %d marked, locked %v", r.Close, md.Marked(), md.Locked())
	}
	if !strings.HasSuffix(r.Note, "no UPDATE, so nothing is removed (1 deletion mark dropped); maildrop unlocked") {
		t.Errorf("note %q", r.Note)
	}
}

func TestServerAPOP(t *testing.T) {
	users := []User{{"mrose", "tanstaaf"}}
	md := NewMaildrop(presentation.Options{}, presentation.SampleMail2())
	s := NewServer(md, users, "POP3 server ready", WithTimestamp(1896, 697170952))
	s.Host = "dbc.mtview.ca.us"
	// RFC 1939 section 7's example, exactly.
	if g := s.Greeting().Line.String(); g != "+OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>" {
		t.Errorf("greeting %q", g)
	}
	got := exchange(t, s, "USER mrose", "APOP mrose c4c9334bac560ecc979e58001b3e22fb", "PASS tanstaaf")
	want := dialog(
		"USER mrose", "+OK mrose is a valid mailbox",
		"APOP mrose c4c9334bac560ecc979e58001b3e22fb", "+OK maildrop locked and ready",
		"PASS tanstaaf", "-ERR PASS is not valid in the TRANSACTION state")
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("dialog differs (-want +got):\n%s", diff)
	}
	if s.State() != Transaction || s.User() != "mrose" || !md.Locked() {
		t.Errorf("after APOP: %v, %q, locked %v", s.State(), s.User(), md.Locked())
	}
	// Without WithTimestamp there is no timestamp and no APOP.
	s2 := NewServer(md, users, "ready")
	if s2.Timestamp() != "" || s2.Greeting().Line.String() != "+OK ready" {
		t.Errorf("a server without APOP: %q, %q", s2.Timestamp(), s2.Greeting().Line.String())
	}
}

func TestServerCapaInBothStates(t *testing.T) {
	s, _ := newTestServer()
	want := "IMPLEMENTATION osisim"
	for _, st := range []State{Authorization, Transaction} {
		if s.State() != st {
			t.Fatalf("state %v, want %v", s.State(), st)
		}
		r := s.Handle(Command("CAPA"))
		c, ok := r.Body.(Capabilities)
		if !r.Line.OK || !ok || c[len(c)-1] != want {
			t.Errorf("CAPA in %v: %q, %v", st, r.Line.String(), r.Body)
		}
		exchange(t, s, "USER wang", "PASS secret")
	}
}

func TestExpectsBody(t *testing.T) {
	for line, want := range map[string]bool{
		"RETR 1": true, "TOP 1 10": true, "CAPA": true, "LIST": true, "UIDL": true,
		"LIST 1": false, "UIDL 1": false, "STAT": false, "DELE 1": false, "NOOP": false, "RSET": false,
		"QUIT": false, "USER wang": false, "PASS x": false, "APOP a b": false, "XYZZ": false,
	} {
		m, err := ParseCommand([]byte(line + "\r\n"))
		if err != nil {
			t.Fatal(err)
		}
		if ExpectsBody(m) != want {
			t.Errorf("ExpectsBody(%q) = %v", line, !want)
		}
	}
}

// FuzzServerHandleLine sends any two lines to a logged-in server: it never
// panics, every reply is a valid reply line (at most 512 octets), a body
// comes only with "+OK", and the maildrop is never changed outside UPDATE.
func FuzzServerHandleLine(f *testing.F) {
	for _, c := range commandFixtures {
		f.Add([]byte(c.wire), []byte("UIDL\r\n"))
	}
	for _, l := range []string{"TOP 1 0", "TOP 2 99", "APOP wang 0123456789abcdef0123456789abcdef", "CAPA", "UIDL 2", "RETR  1", "DELE 1", "RSET"} {
		f.Add([]byte(l+"\r\n"), []byte("QUIT\r\n"))
	}
	f.Add([]byte("NOOP "+strings.Repeat("x", 600)+"\r\n"), []byte("NOOP\r\n"))
	f.Fuzz(func(t *testing.T, a, b []byte) {
		md := NewMaildrop(presentation.Options{}, presentation.SampleMail(), presentation.SampleMail2())
		s := NewServer(md, testUsers, "ready", WithTimestamp(1, 2), WithMaxBadCommands(1))
		for _, l := range []string{"USER wang\r\n", "PASS secret\r\n"} {
			s.HandleLine([]byte(l))
		}
		for _, line := range [][]byte{a, b} {
			r := s.HandleLine(line)
			wire := r.Line.Append(nil)
			m, err := ParseReply(wire)
			if err != nil || r.Line.IsCommand() {
				t.Fatalf("%q: reply %q is not a reply line: %v", line, wire, err)
			}
			if diff := cmp.Diff(r.Line, m); diff != "" {
				t.Fatalf("%q: reply round trip (-sent +parsed):\n%s", line, diff)
			}
			if r.Body != nil && !r.Line.OK {
				t.Fatalf("%q: a body after -ERR", line)
			}
			if s.State() != Update && md.Len() != 2 {
				t.Fatalf("%q: the maildrop has %d messages in %v", line, md.Len(), s.State())
			}
		}
	})
}

// FuzzParseUIDListing checks that parsing never panics, that errors carry
// the package prefix, and that Parse-Append-Parse is stable.
func FuzzParseUIDListing(f *testing.F) {
	f.Add([]byte("1 whqtswO00WBw418f9t5JxYwZ\r\n2 QhdPYR:00WBw1Ph7x7\r\n"))
	f.Add([]byte("1 b62e090f4b0b38b1-2\r\n"))
	f.Add([]byte("01 a\r\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		l, err := ParseUIDListing(b)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "application: ") {
				t.Fatalf("error without the package prefix: %v", err)
			}
			return
		}
		wire := l.Append(nil)
		l2, err := ParseUIDListing(wire)
		if err != nil {
			t.Fatalf("%q parsed, but its Append %q does not: %v", b, wire, err)
		}
		if diff := cmp.Diff(l, l2); diff != "" || l.Size() != int64(len(wire)) {
			t.Fatalf("Parse-Append-Parse differs (-first +second):\n%s", diff)
		}
	})
}

// FuzzParseCapabilities is FuzzParseUIDListing for CAPA bodies.
func FuzzParseCapabilities(f *testing.F) {
	f.Add([]byte("TOP\r\nUIDL\r\nUSER\r\nRESP-CODES\r\nAUTH-RESP-CODE\r\nIMPLEMENTATION osisim\r\n"))
	f.Add([]byte("SASL PLAIN CRAM-MD5\r\nEXPIRE 60 USER\r\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := ParseCapabilities(b)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "application: ") {
				t.Fatalf("error without the package prefix: %v", err)
			}
			return
		}
		wire := c.Append(nil)
		c2, err := ParseCapabilities(wire)
		if err != nil {
			t.Fatalf("%q parsed, but its Append %q does not: %v", b, wire, err)
		}
		if diff := cmp.Diff(c, c2); diff != "" || c.Size() != int64(len(wire)) || string(wire) != string(b) {
			t.Fatalf("Parse-Append-Parse differs (-first +second):\n%s", diff)
		}
	})
}
