package application

import (
	"encoding/hex"
	"errors"
	"net/netip"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/osisim/osisim/layers"
)

// dnsCmp compares netip.Addr values, which cmp cannot look inside.
var dnsCmp = cmp.Comparer(func(a, b netip.Addr) bool { return a == b })

func unhex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.Join(strings.Fields(s), ""))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// The fixtures are DNS messages as they appear in the payload of a UDP
// datagram to or from port 53.
const (
	// Standard query 0x1a2b A www.example.com (RD set), as dig sends it
	// without EDNS (dig +noedns www.example.com).
	dnsQueryHex = `1a2b 0100 0001 0000 0000 0000
		03 777777 07 6578616d706c65 03 636f6d 00 0001 0001`
	// Standard query response 0x1a2b A www.example.com A 93.184.216.34 from
	// a recursive server (QR RD RA): the answer's owner name is the pointer
	// c00c to the question's name at offset 12.
	dnsResponseHex = `1a2b 8180 0001 0001 0000 0000
		03 777777 07 6578616d706c65 03 636f6d 00 0001 0001
		c00c 0001 0001 00000e10 0004 5db8d822`
	// Standard query response 0xbeef No such name A nothere.example.com,
	// with the zone's SOA in the authority section (RFC 2308): its owner
	// is c014 ("example.com" inside the question) and its RNAME
	// noc.dns.icann.org ends with c034, the "icann.org" of its MNAME.
	dnsNXDomainHex = `beef 8183 0001 0000 0001 0000
		07 6e6f7468657265 07 6578616d706c65 03 636f6d 00 0001 0001
		c014 0006 0001 00000e10 002c
		02 6e73 05 6963616e6e 03 6f7267 00
		03 6e6f63 03 646e73 c034
		78a3a1c5 00001c20 00000e10 00127500 00000e10`
	// Standard query response 0x0042 A www.lab CNAME pop.lab A 10.0.2.110,
	// authoritative (QR AA RD): the CNAME's data "pop" c010 points to
	// "lab" in the question, and the A record's owner c025 to that data.
	dnsCNAMEHex = `0042 8500 0001 0002 0000 0000
		03 777777 03 6c6162 00 0001 0001
		c00c 0005 0001 0000012c 0006 03 706f70 c010
		c025 0001 0001 0000012c 0004 0a00026e`
)

func TestParseDNSFixtures(t *testing.T) {
	www := DNSQuestion{Name: "www.example.com.", Type: DNSTypeA, Class: DNSClassIN}
	tests := []struct {
		name    string
		hex     string
		want    DNSMessage
		summary string
	}{
		{"query", dnsQueryHex,
			DNSMessage{ID: 0x1a2b, RecursionDesired: true, Questions: []DNSQuestion{www}},
			"Standard query 0x1a2b A www.example.com"},
		{"response", dnsResponseHex,
			DNSMessage{ID: 0x1a2b, Response: true, RecursionDesired: true, RecursionAvailable: true,
				Questions: []DNSQuestion{www},
				Answers:   []DNSRecord{DNSA("www.example.com.", netip.MustParseAddr("93.184.216.34"), 3600)}},
			"Standard query response 0x1a2b A www.example.com A 93.184.216.34"},
		{"nxdomain", dnsNXDomainHex,
			DNSMessage{ID: 0xbeef, Response: true, RecursionDesired: true, RecursionAvailable: true, Rcode: DNSNXDomain,
				Questions: []DNSQuestion{{Name: "nothere.example.com.", Type: DNSTypeA, Class: DNSClassIN}},
				Authority: []DNSRecord{{Name: "example.com.", Type: DNSTypeSOA, Class: DNSClassIN, TTL: 3600,
					SOA: &DNSSOA{MName: "ns.icann.org.", RName: "noc.dns.icann.org.", Serial: 0x78a3a1c5,
						Refresh: 7200, Retry: 3600, Expire: 1209600, Minimum: 3600}}}},
			"Standard query response 0xbeef No such name A nothere.example.com SOA ns.icann.org"},
		{"cname", dnsCNAMEHex,
			DNSMessage{ID: 0x42, Response: true, Authoritative: true, RecursionDesired: true,
				Questions: []DNSQuestion{{Name: "www.lab.", Type: DNSTypeA, Class: DNSClassIN}},
				Answers: []DNSRecord{
					{Name: "www.lab.", Type: DNSTypeCNAME, Class: DNSClassIN, TTL: 300, Target: "pop.lab."},
					DNSA("pop.lab.", netip.MustParseAddr("10.0.2.110"), 300)}},
			"Standard query response 0x0042 A www.lab CNAME pop.lab A 10.0.2.110"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := unhex(t, tc.hex)
			got, err := ParseDNS(b)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tc.want, got, dnsCmp); d != "" {
				t.Errorf("ParseDNS (-want +got):\n%s", d)
			}
			if d := cmp.Diff(hex.EncodeToString(b), hex.EncodeToString(got.Append(nil))); d != "" {
				t.Errorf("Append does not give the fixture back (-want +got):\n%s", d)
			}
			if s := got.Summary(); s != tc.summary {
				t.Errorf("Summary = %q, want %q", s, tc.summary)
			}
			// Append after a prefix: compression offsets count from the
			// start of the message, not of the buffer.
			pre := []byte("prefix")
			if out := got.Append(pre); string(out[len(pre):]) != string(b) {
				t.Errorf("Append after a prefix differs:\n got %x\nwant %x", out[len(pre):], b)
			}
		})
	}
}

func TestDNSFields(t *testing.T) {
	m, err := ParseDNS(unhex(t, dnsCNAMEHex))
	if err != nil {
		t.Fatal(err)
	}
	want := []layers.Field{
		{Name: "Transaction ID", Value: "0x0042"},
		{Name: "Flags", Value: "0x8500 (QR=1 response, Opcode=0 Standard query, AA=1, TC=0, RD=1, RA=0, Z=0, RCODE=0 NOERROR)"},
		{Name: "Questions", Value: "1"},
		{Name: "Answer RRs", Value: "2"},
		{Name: "Authority RRs", Value: "0"},
		{Name: "Additional RRs", Value: "0"},
		{Name: "Query", Value: "www.lab: type A, class IN"},
		{Name: "Answer", Value: "www.lab: type CNAME, class IN, ttl 300, cname pop.lab"},
		{Name: "Answer", Value: "pop.lab: type A, class IN, ttl 300, addr 10.0.2.110"},
	}
	if d := cmp.Diff(want, m.Fields()); d != "" {
		t.Errorf("Fields (-want +got):\n%s", d)
	}
	if m.HeaderLen() != 12 {
		t.Errorf("HeaderLen = %d, want 12", m.HeaderLen())
	}
}

func TestParseDNSErrors(t *testing.T) {
	const hdr1 = "0001 0000 0001 0000 0000 0000" // one question
	const ans1 = "0001 8000 0000 0001 0000 0000" // one answer
	long := strings.Repeat("3f"+strings.Repeat("61", 63), 5) + "00"
	tests := []struct {
		name, hex, err string
	}{
		{"short", "0001 0000 00", "application: DNS message too short: 5 bytes, need at least 12"},
		{"counts", "0001 0000 0002 0003 0000 0000 00 0001 0001",
			"application: DNS header promises 2 questions and 3 records, which need at least 43 bytes, but only 5 follow the header"},
		{"self pointer", hdr1 + "c00c 0001 0001",
			"application: DNS question 1: name at offset 12: compression pointer at offset 12 points to offset 12, not before 12 (a pointer must point back, and a loop is refused)"},
		{"loop through own labels", hdr1 + "01 61 c00c 0001 0001",
			"application: DNS question 1: name at offset 12: compression pointer at offset 14 points to offset 12, not before 12 (a pointer must point back, and a loop is refused)"},
		{"forward pointer", hdr1 + "c00e 00 0001 0001",
			"application: DNS question 1: name at offset 12: compression pointer at offset 12 points to offset 14, not before 12 (a pointer must point back, and a loop is refused)"},
		// The TTL's first octets c017 point forward to the data c011,
		// which points back to them.
		{"two-step loop", ans1 + "00 0005 0001 c0170000 0002 c011",
			"application: DNS answer record 1: . CNAME data: name at offset 23: compression pointer at offset 17 points to offset 23, not before 17 (a pointer must point back, and a loop is refused)"},
		{"label past end", hdr1 + "05 61626364", "application: DNS question 1: name at offset 12: label of 5 octets runs past the end of the message"},
		{"name past end", hdr1 + "01 61 01 62 01 63", "application: DNS question 1: name at offset 12 runs past the end of the message"},
		{"too long", hdr1 + long + "0001 0001", "application: DNS question 1: name at offset 12 is longer than 255 octets"},
		{"label type", hdr1 + "41 00 0001 00", "application: DNS question 1: name at offset 12: label type 0x40 at offset 12 is not a length or a pointer"},
		{"cut pointer", hdr1 + "01 61 01 62 c0", "application: DNS question 1: name at offset 12: message ends inside a compression pointer"},
		{"no qtype", hdr1 + "01 61 00 0001 00", "application: DNS question 1 (a.): message ends inside QTYPE and QCLASS"},
		{"a length", ans1 + "00 0001 0001 00000000 0005 0a00026e00",
			"application: DNS answer record 1: .: A record has 5 bytes of data, want 4"},
		{"rdlength", ans1 + "00 0001 0001 00000000 0009 0a00026e",
			"application: DNS answer record 1: .: RDLENGTH 9 runs past the end of the message (4 bytes left)"},
		{"fixed fields", ans1 + "03 616263 00 0001 0001 0000 00", "application: DNS answer record 1: abc.: message ends inside the record's fixed fields"},
		{"cname tail", ans1 + "00 0005 0001 00000000 0003 00 ffff",
			"application: DNS answer record 1: .: CNAME data has 2 bytes after the name"},
		{"soa size", ans1 + "00 0006 0001 00000000 0006 00 00 00000000",
			"application: DNS answer record 1: .: SOA data has 4 bytes after its names, want 20"},
		{"mx short", ans1 + "00 000f 0001 00000000 0002 000a", "application: DNS answer record 1: .: MX data of 2 bytes, need at least 3"},
		{"name in data past rdlength", ans1 + "00 0005 0001 00000000 0002 03 706f70 00",
			"application: DNS answer record 1: . CNAME data: name at offset 23: label of 3 octets runs past the end of the message"},
		{"trailing", "0001 0000 0000 0000 0000 0000 ff", "application: DNS message has 1 bytes after its last record"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseDNS(unhex(t, tc.hex))
			if err == nil {
				t.Fatalf("ParseDNS succeeded, want error %q", tc.err)
			}
			if err.Error() != tc.err {
				t.Errorf("error\n got %q\nwant %q", err, tc.err)
			}
		})
	}
}

func TestCanonicalDNSName(t *testing.T) {
	tests := []struct{ in, want, err string }{
		{in: "pop.lab", want: "pop.lab."},
		{in: "POP.Lab.", want: "POP.Lab."},
		{in: ".", want: "."},
		{in: `a\.b.lab`, want: `a\.b.lab.`},
		{in: `\065bc.lab`, want: "Abc.lab."},
		{in: `sp\032ace`, want: `sp\032ace.`},
		{in: "", err: "application: empty DNS name"},
		{in: "a..lab", err: `application: DNS name "a..lab" has an empty label`},
		{in: ".lab", err: `application: DNS name ".lab" has an empty label`},
		{in: `ab\`, err: `application: DNS name "ab\\" ends with a lone backslash`},
		{in: `a\25`, err: `application: DNS name "a\\25": \2 must be followed by two more digits (\DDD)`},
		{in: `a\256`, err: `application: DNS name "a\\256": \256 is over 255`},
		{in: strings.Repeat("a", 64), err: `application: DNS name "` + strings.Repeat("a", 64) + `" has a label longer than 63 octets`},
		{in: strings.Repeat("abcdefg.", 32), err: `application: DNS name "` + strings.Repeat("abcdefg.", 32) + `" is 257 octets on the wire, more than 255`},
	}
	for _, tc := range tests {
		got, err := CanonicalDNSName(tc.in)
		if tc.err != "" {
			if err == nil || err.Error() != tc.err {
				t.Errorf("CanonicalDNSName(%q) error = %v, want %q", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("CanonicalDNSName(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
}

// A label holding a dot, a backslash and octets that are not printable
// reads back escaped, and is written back octet for octet.
func TestDNSLabelEscapes(t *testing.T) {
	b := unhex(t, "0007 0000 0001 0000 0000 0000 06 612e5c00ff20 03 6c6162 00 0001 0001")
	m, err := ParseDNS(b)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := m.Questions[0].Name, `a\.\\\000\255\032.lab.`; got != want {
		t.Errorf("name = %q, want %q", got, want)
	}
	if out := m.Append(nil); string(out) != string(b) {
		t.Errorf("Append = %x, want %x", out, b)
	}
}

// A name longer than 63 octets per label cannot be written: Append writes
// the root instead, and the message still parses.
func TestDNSAppendBadName(t *testing.T) {
	m := DNSMessage{ID: 1, Questions: []DNSQuestion{{Name: strings.Repeat("x", 70), Type: DNSTypeA, Class: DNSClassIN}}}
	got, err := ParseDNS(m.Append(nil))
	if err != nil {
		t.Fatal(err)
	}
	if got.Questions[0].Name != "." {
		t.Errorf("name = %q, want the root", got.Questions[0].Name)
	}
}

func testZone(t *testing.T) *DNSZone {
	t.Helper()
	z, err := NewDNSZone([]DNSRecord{
		DNSA("pop.lab", netip.MustParseAddr("10.0.2.110"), 300),
		DNSA("multi.lab", netip.MustParseAddr("10.0.2.1"), 60),
		DNSA("multi.lab", netip.MustParseAddr("10.0.2.2"), 60),
		{Name: "www.lab", Type: DNSTypeCNAME, TTL: 300, Target: "pop.lab"},
		{Name: "loop1.lab", Type: DNSTypeCNAME, TTL: 300, Target: "loop2.lab"},
		{Name: "loop2.lab", Type: DNSTypeCNAME, TTL: 300, Target: "loop1.lab"},
		{Name: "mail.lab", Type: DNSTypeMX, TTL: 300, Pref: 10, Target: "pop.lab"},
	})
	if err != nil {
		t.Fatal(err)
	}
	return z
}

func TestDNSZoneAnswer(t *testing.T) {
	z := testZone(t)
	q := func(name string, typ DNSType) DNSMessage {
		return DNSMessage{ID: 7, RecursionDesired: true, Questions: []DNSQuestion{{Name: name, Type: typ, Class: DNSClassIN}}}
	}
	pop := DNSA("pop.lab.", netip.MustParseAddr("10.0.2.110"), 300)
	type result struct {
		Rcode         DNSRcode
		Authoritative bool
		Answers       []DNSRecord
		Note          string
		OK            bool
	}
	tests := []struct {
		name  string
		query DNSMessage
		want  result
	}{
		{"a record", q("pop.lab.", DNSTypeA),
			result{DNSNoError, true, []DNSRecord{pop}, "pop.lab has 1 A record: an authoritative answer", true}},
		{"any case", q("POP.LAB.", DNSTypeA),
			result{DNSNoError, true, []DNSRecord{pop}, "POP.LAB has 1 A record: an authoritative answer", true}},
		{"two records", q("multi.lab.", DNSTypeA),
			result{DNSNoError, true, []DNSRecord{DNSA("multi.lab.", netip.MustParseAddr("10.0.2.1"), 60), DNSA("multi.lab.", netip.MustParseAddr("10.0.2.2"), 60)},
				"multi.lab has 2 A records: an authoritative answer", true}},
		{"cname", q("www.lab.", DNSTypeA),
			result{DNSNoError, true, []DNSRecord{{Name: "www.lab.", Type: DNSTypeCNAME, Class: DNSClassIN, TTL: 300, Target: "pop.lab."}, pop},
				"www.lab is an alias of pop.lab; pop.lab has 1 A record: an authoritative answer", true}},
		{"no such name", q("nothere.lab.", DNSTypeA),
			result{DNSNXDomain, true, nil, "nothere.lab is not in the zone: NXDOMAIN (no such name), an authoritative answer", true}},
		{"empty non-terminal", q("lab.", DNSTypeA),
			result{DNSNoError, true, nil, "lab has no A record: NOERROR with an empty answer (no data)", true}},
		{"no data", q("pop.lab.", DNSTypeMX),
			result{DNSNoError, true, nil, "pop.lab has no MX record: NOERROR with an empty answer (no data)", true}},
		{"cname loop", q("loop1.lab.", DNSTypeA),
			result{DNSNoError, true, []DNSRecord{
				{Name: "loop1.lab.", Type: DNSTypeCNAME, Class: DNSClassIN, TTL: 300, Target: "loop2.lab."},
				{Name: "loop2.lab.", Type: DNSTypeCNAME, Class: DNSClassIN, TTL: 300, Target: "loop1.lab."},
			}, "loop1.lab is an alias of loop2.lab; loop2.lab is an alias of loop1.lab; the aliases loop back to loop1.lab, so there is no A record to give", true}},
		{"opcode", DNSMessage{ID: 7, Opcode: DNSOpStatus},
			result{DNSNotImp, false, nil, "opcode 2 (Server status request) is not implemented: NOTIMP", true}},
		{"two questions", DNSMessage{ID: 7, Questions: []DNSQuestion{{Name: "a."}, {Name: "b."}}},
			result{DNSFormErr, false, nil, "a query must ask exactly one question, this one asks 2: FORMERR", true}},
		{"edns", DNSMessage{ID: 7, Questions: q("pop.lab.", DNSTypeA).Questions, Additional: []DNSRecord{{Name: ".", Type: DNSTypeOPT, Class: 1232}}},
			result{DNSFormErr, false, nil, "the query carries an EDNS OPT record and this server does not implement EDNS: FORMERR (RFC 6891 7)", true}},
		{"chaos", DNSMessage{ID: 7, Questions: []DNSQuestion{{Name: "version.bind.", Type: DNSTypeTXT, Class: DNSClassCH}}},
			result{DNSRefused, false, nil, "class CH: this server holds only class IN data: REFUSED", true}},
		{"a response", DNSMessage{ID: 7, Response: true},
			result{0, false, nil, "a response, not a query: a server never answers a response", false}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp, note, ok := z.Answer(tc.query)
			got := result{resp.Rcode, resp.Authoritative, resp.Answers, note, ok}
			if d := cmp.Diff(tc.want, got, dnsCmp); d != "" {
				t.Errorf("Answer (-want +got):\n%s", d)
			}
			if ok && resp.ID != tc.query.ID || ok && !resp.Response || resp.RecursionAvailable {
				t.Errorf("response header: ID %#x, QR %v, RA %v", resp.ID, resp.Response, resp.RecursionAvailable)
			}
		})
	}
}

// An answer that does not fit in 512 octets is cut and marked truncated.
func TestDNSZoneTruncates(t *testing.T) {
	var rs []DNSRecord
	for i := range 40 {
		rs = append(rs, DNSA("big.lab", netip.AddrFrom4([4]byte{10, 0, 3, byte(i)}), 60))
	}
	z, err := NewDNSZone(rs)
	if err != nil {
		t.Fatal(err)
	}
	resp, note, _ := z.Answer(DNSMessage{ID: 1, Questions: []DNSQuestion{{Name: "big.lab.", Type: DNSTypeA, Class: DNSClassIN}}})
	n := len(resp.Append(nil))
	// 12 header + 13 question + 16 per compressed A record: 30 fit in 505.
	if !resp.Truncated || n > DNSMaxUDP || len(resp.Answers) != 30 {
		t.Errorf("TC %v, %d octets, %d answers; want TC, at most 512 octets, 30 answers", resp.Truncated, n, len(resp.Answers))
	}
	if !strings.HasSuffix(note, "the answer does not fit in 512 octets: TC set, 30 records kept") {
		t.Errorf("note = %q", note)
	}
}

func TestNewDNSZoneErrors(t *testing.T) {
	tests := []struct {
		rs  []DNSRecord
		err string
	}{
		{[]DNSRecord{DNSA("a..lab", netip.MustParseAddr("10.0.0.1"), 1)}, `application: DNS zone record 1: application: DNS name "a..lab" has an empty label`},
		{[]DNSRecord{DNSA("a.lab", netip.MustParseAddr("::1"), 1)}, "application: DNS zone record 1 (a.lab.): an A record needs an IPv4 address, not ::1"},
		{[]DNSRecord{{Name: "w.lab", Type: DNSTypeCNAME}}, "application: DNS zone record 1 (w.lab. CNAME): application: empty DNS name"},
	}
	for _, tc := range tests {
		_, err := NewDNSZone(tc.rs)
		if err == nil || err.Error() != tc.err {
			t.Errorf("NewDNSZone error = %v, want %q", err, tc.err)
		}
	}
}

// A stub resolver's lookup against the zone: query, match, addresses.
func TestDNSLookup(t *testing.T) {
	z := testZone(t)
	tests := []struct {
		name  string
		addrs []netip.Addr
		err   error
	}{
		{"pop.lab", []netip.Addr{netip.MustParseAddr("10.0.2.110")}, nil},
		{"www.lab", []netip.Addr{netip.MustParseAddr("10.0.2.110")}, nil},
		{"multi.lab", []netip.Addr{netip.MustParseAddr("10.0.2.1"), netip.MustParseAddr("10.0.2.2")}, nil},
		{"nothere.lab", nil, ErrDNSNoSuchName},
		{"mail.lab", nil, ErrDNSNoData},
		{"loop1.lab", nil, ErrDNSNoData},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l, err := NewDNSLookup(tc.name, 0x1234)
			if err != nil {
				t.Fatal(err)
			}
			q := l.Query()
			if !q.RecursionDesired || q.Response || len(q.Questions) != 1 {
				t.Fatalf("query %+v", q)
			}
			// Through the wire and back, as the simulator carries them.
			q, err = ParseDNS(q.Append(nil))
			if err != nil {
				t.Fatal(err)
			}
			resp, _, _ := z.Answer(q)
			resp, err = ParseDNS(resp.Append(nil))
			if err != nil {
				t.Fatal(err)
			}
			if err := l.Matches(resp); err != nil {
				t.Fatal(err)
			}
			addrs, err := l.Addrs(resp)
			if !errors.Is(err, tc.err) || (err == nil) != (tc.err == nil) {
				t.Errorf("Addrs error = %v, want %v", err, tc.err)
			}
			if d := cmp.Diff(tc.addrs, addrs, dnsCmp); d != "" {
				t.Errorf("Addrs (-want +got):\n%s", d)
			}
		})
	}
}

func TestDNSLookupMatches(t *testing.T) {
	l, _ := NewDNSLookup("pop.lab", 0x1234)
	ok := DNSMessage{ID: 0x1234, Response: true, Questions: []DNSQuestion{{Name: "pop.lab.", Type: DNSTypeA, Class: DNSClassIN}}}
	tests := []struct {
		name string
		edit func(*DNSMessage)
		err  string
	}{
		{"match", func(*DNSMessage) {}, ""},
		{"case", func(m *DNSMessage) {
			m.Questions = []DNSQuestion{{Name: "Pop.Lab.", Type: DNSTypeA, Class: DNSClassIN}}
		}, ""},
		{"error without question", func(m *DNSMessage) { m.Questions, m.Rcode = nil, DNSFormErr }, ""},
		{"query", func(m *DNSMessage) { m.Response = false }, "application: DNS message 0x1234 is a query, not a response"},
		{"id", func(m *DNSMessage) { m.ID = 0x4321 }, "application: DNS response ID 0x4321 does not match the query's 0x1234"},
		{"no question", func(m *DNSMessage) { m.Questions = nil }, "application: DNS response 0x1234 has 0 questions, want the query's one"},
		{"other name", func(m *DNSMessage) {
			m.Questions = []DNSQuestion{{Name: "evil.lab.", Type: DNSTypeA, Class: DNSClassIN}}
		},
			"application: DNS response 0x1234 answers A evil.lab, not A pop.lab"},
	}
	for _, tc := range tests {
		m := ok
		tc.edit(&m)
		err := l.Matches(m)
		if got := errString(err); got != tc.err {
			t.Errorf("%s: Matches = %q, want %q", tc.name, got, tc.err)
		}
	}
	if _, err := l.Addrs(DNSMessage{Rcode: DNSServFail}); !errors.Is(err, ErrDNSFailed) ||
		err.Error() != "application: DNS: the server could not answer: SERVFAIL (Server failure) for pop.lab" {
		t.Errorf("SERVFAIL: %v", err)
	}
	if _, err := l.Addrs(DNSMessage{Truncated: true}); !errors.Is(err, ErrDNSTruncated) {
		t.Errorf("truncated: %v", err)
	}
	if _, err := NewDNSLookup("a..b", 1); err == nil {
		t.Error("NewDNSLookup accepted an empty label")
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func TestDNSStrings(t *testing.T) {
	got := []string{DNSTypeA.String(), DNSType(65).String(), DNSClassIN.String(), DNSClass(7).String(),
		DNSRcode(3).String(), DNSRcode(9).String(), DNSRcode(9).Meaning(), DNSOpcode(9).String()}
	want := []string{"A", "TYPE65", "IN", "CLASS7", "NXDOMAIN", "RCODE9", "Unknown error (9)", "Unknown operation (9)"}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}
