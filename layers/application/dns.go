package application

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	"github.com/osisim/osisim/layers"
)

// This file holds the Domain Name System (RFC 1034, RFC 1035): the message
// wire format (DNSMessage, ParseDNS, Append), the table of a small
// authoritative name server (DNSZone) and the checks of a stub resolver
// (DNSLookup). The simulator carries the messages over UDP port 53, one
// datagram each way: a DNS message is a single PDU with no session to open.
//
// The header (RFC 1035 4.1.1), followed by the question, answer, authority
// and additional sections:
//
//	 0  1  2  3  4  5  6  7  8  9 10 11 12 13 14 15
//	+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
//	|                      ID                       |
//	+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
//	|QR|   Opcode  |AA|TC|RD|RA|   Z    |   RCODE   |
//	+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
//	|                    QDCOUNT                    |
//	+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
//	|                    ANCOUNT                    |
//	+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
//	|                    NSCOUNT                    |
//	+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
//	|                    ARCOUNT                    |
//	+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
//
// A question is a name, QTYPE and QCLASS; a resource record a name, TYPE,
// CLASS, a 32-bit TTL, RDLENGTH and RDATA. A name is a sequence of labels
// (a length octet, then up to 63 octets) ending with the root's zero
// octet, or with a two-octet pointer (11 and a 14-bit offset) to where the
// rest of the name was written before (RFC 1035 4.1.4).
//
// Standards: RFC 1034 and RFC 1035 (the protocol), RFC 2181 9 (truncation),
// RFC 2308 2.2 (no-data answers), RFC 3597 (unknown record types kept
// opaque, compression only in the types of RFC 1035), RFC 4343 (names
// compared without regard to case), RFC 5452 (random IDs and ports,
// checking answers), RFC 6891 7 (FORMERR from a server without EDNS), RFC
// 8020 2 (empty non-terminals exist), RFC 9619 (exactly one question).
//
// Not implemented: recursion and caching (the server answers only from its
// zone, the resolver asks one server and caches nothing), delegations and
// glue (NS referrals), SOA records in negative answers (RFC 2308 3), DNS
// over TCP and the retry over TCP after a truncated answer, EDNS (RFC
// 6891), DNSSEC, zone transfers, dynamic update and NOTIFY, and the
// decoding of record types other than A, AAAA, NS, CNAME, SOA, PTR and MX
// (their data is kept as octets).

// Sizes and limits of RFC 1035.
const (
	DNSPort      = 53  // RFC 1035 4.2: the server listens on UDP and TCP port 53
	DNSHeaderLen = 12  // RFC 1035 4.1.1
	DNSMaxUDP    = 512 // RFC 1035 4.2.1: "Messages carried by UDP are restricted to 512 bytes"
	DNSMaxName   = 255 // RFC 1035 2.3.4: a name is at most 255 octets on the wire
	DNSMaxLabel  = 63  // RFC 1035 2.3.4: a label is at most 63 octets
)

// DNSType is the TYPE of a resource record or the QTYPE of a question
// (RFC 1035 3.2.2, 3.2.3).
type DNSType uint16

// Record types this package decodes, and a few it names.
const (
	DNSTypeA     DNSType = 1   // a host address (RFC 1035 3.4.1)
	DNSTypeNS    DNSType = 2   // an authoritative name server
	DNSTypeCNAME DNSType = 5   // the canonical name of an alias
	DNSTypeSOA   DNSType = 6   // the start of a zone of authority
	DNSTypePTR   DNSType = 12  // a domain name pointer
	DNSTypeMX    DNSType = 15  // a mail exchange
	DNSTypeTXT   DNSType = 16  // text strings
	DNSTypeAAAA  DNSType = 28  // an IPv6 host address (RFC 3596)
	DNSTypeOPT   DNSType = 41  // the EDNS pseudo-record (RFC 6891)
	DNSTypeANY   DNSType = 255 // QTYPE "*": all records of the name
)

var dnsTypeNames = map[DNSType]string{
	DNSTypeA: "A", DNSTypeNS: "NS", DNSTypeCNAME: "CNAME", DNSTypeSOA: "SOA", DNSTypePTR: "PTR",
	DNSTypeMX: "MX", DNSTypeTXT: "TXT", DNSTypeAAAA: "AAAA", DNSTypeOPT: "OPT", DNSTypeANY: "ANY",
}

// String returns the mnemonic ("A", "CNAME") or, for a type without one,
// "TYPE65" as RFC 3597 5 writes unknown types.
func (t DNSType) String() string {
	if s, ok := dnsTypeNames[t]; ok {
		return s
	}
	return "TYPE" + strconv.Itoa(int(t))
}

// DNSClass is the CLASS of a record or the QCLASS of a question (RFC 1035
// 3.2.4, 3.2.5).
type DNSClass uint16

// The classes of RFC 1035 3.2.4 still in use.
const (
	DNSClassIN  DNSClass = 1   // the Internet
	DNSClassCH  DNSClass = 3   // Chaos
	DNSClassHS  DNSClass = 4   // Hesiod
	DNSClassANY DNSClass = 255 // QCLASS "*"
)

// String returns "IN", "CH", "HS", "ANY" or "CLASS7" (RFC 3597 5).
func (c DNSClass) String() string {
	switch c {
	case DNSClassIN:
		return "IN"
	case DNSClassCH:
		return "CH"
	case DNSClassHS:
		return "HS"
	case DNSClassANY:
		return "ANY"
	}
	return "CLASS" + strconv.Itoa(int(c))
}

// DNSOpcode is the kind of query of a message (RFC 1035 4.1.1).
type DNSOpcode uint8

// Opcodes (RFC 1035 4.1.1, RFC 1996, RFC 2136).
const (
	DNSOpQuery  DNSOpcode = 0 // a standard query
	DNSOpIQuery DNSOpcode = 1 // an inverse query (obsolete, RFC 3425)
	DNSOpStatus DNSOpcode = 2 // a server status request
	DNSOpNotify DNSOpcode = 4 // a zone change notification
	DNSOpUpdate DNSOpcode = 5 // a dynamic update
)

// String returns the operation as Wireshark names it: "Standard query".
func (o DNSOpcode) String() string {
	switch o {
	case DNSOpQuery:
		return "Standard query"
	case DNSOpIQuery:
		return "Inverse query"
	case DNSOpStatus:
		return "Server status request"
	case DNSOpNotify:
		return "Zone change notification"
	case DNSOpUpdate:
		return "Dynamic update"
	}
	return "Unknown operation (" + strconv.Itoa(int(o)) + ")"
}

// DNSRcode is the response code of a message (RFC 1035 4.1.1).
type DNSRcode uint8

// Response codes of RFC 1035 4.1.1.
const (
	DNSNoError  DNSRcode = 0 // no error condition
	DNSFormErr  DNSRcode = 1 // the server could not interpret the query
	DNSServFail DNSRcode = 2 // a problem with the server
	DNSNXDomain DNSRcode = 3 // the name does not exist (authoritative answers only)
	DNSNotImp   DNSRcode = 4 // the kind of query is not supported
	DNSRefused  DNSRcode = 5 // the server refuses for policy reasons
)

var dnsRcodeNames = [...][2]string{
	{"NOERROR", "No error"},
	{"FORMERR", "Format error"},
	{"SERVFAIL", "Server failure"},
	{"NXDOMAIN", "No such name"},
	{"NOTIMP", "Not implemented"},
	{"REFUSED", "Refused"},
}

// String returns the mnemonic: "NOERROR", "NXDOMAIN", "RCODE9".
func (r DNSRcode) String() string {
	if int(r) < len(dnsRcodeNames) {
		return dnsRcodeNames[r][0]
	}
	return "RCODE" + strconv.Itoa(int(r))
}

// Meaning returns what Wireshark prints for the code: "No such name".
func (r DNSRcode) Meaning() string {
	if int(r) < len(dnsRcodeNames) {
		return dnsRcodeNames[r][1]
	}
	return "Unknown error (" + strconv.Itoa(int(r)) + ")"
}

// DNSQuestion is one entry of the question section (RFC 1035 4.1.2).
type DNSQuestion struct {
	Name  string // in presentation form with the final dot: "pop.lab."
	Type  DNSType
	Class DNSClass
}

// DNSSOA is the data of an SOA record (RFC 1035 3.3.13).
type DNSSOA struct {
	MName, RName                            string // the primary server, the mailbox of the responsible person
	Serial, Refresh, Retry, Expire, Minimum uint32
}

// DNSRecord is one resource record (RFC 1035 3.2.1, 4.1.3). Its data sits
// in the field its type uses: Addr for A and AAAA; Target for NS, CNAME
// and PTR; Pref and Target for MX; SOA for SOA; and Data, the RDATA octets
// as on the wire, for every other type (RFC 3597: unknown types are opaque).
type DNSRecord struct {
	Name   string // the owner, in presentation form: "pop.lab."
	Type   DNSType
	Class  DNSClass
	TTL    uint32
	Addr   netip.Addr
	Target string
	Pref   uint16
	SOA    *DNSSOA
	Data   []byte
}

// DNSA returns an A record of class IN (RFC 1035 3.4.1).
func DNSA(name string, addr netip.Addr, ttl uint32) DNSRecord {
	return DNSRecord{Name: name, Type: DNSTypeA, Class: DNSClassIN, TTL: ttl, Addr: addr}
}

// DNSMessage is a DNS message (RFC 1035 4.1): a header, one question as a
// rule, and the answer, authority and additional sections of resource
// records.
type DNSMessage struct {
	ID                 uint16 // matches a response to its query (RFC 1035 7.3)
	Response           bool   // QR
	Opcode             DNSOpcode
	Authoritative      bool  // AA: the answer comes from a server authoritative for the name
	Truncated          bool  // TC: the message did not fit in 512 octets
	RecursionDesired   bool  // RD
	RecursionAvailable bool  // RA
	Z                  uint8 // the three bits RFC 1035 reserves (RFC 4035 uses two of them: AD, CD)
	Rcode              DNSRcode
	Questions          []DNSQuestion
	Answers            []DNSRecord
	Authority          []DNSRecord
	Additional         []DNSRecord
}

// The header's flag bits (RFC 1035 4.1.1).
const (
	dnsQR = 1 << 15
	dnsAA = 1 << 10
	dnsTC = 1 << 9
	dnsRD = 1 << 8
	dnsRA = 1 << 7
)

// Flags returns the 16-bit word after the ID: QR, Opcode, AA, TC, RD, RA,
// Z and RCODE.
func (m DNSMessage) Flags() uint16 {
	f := uint16(m.Opcode&0x0f)<<11 | uint16(m.Z&0x07)<<4 | uint16(m.Rcode&0x0f)
	if m.Response {
		f |= dnsQR
	}
	if m.Authoritative {
		f |= dnsAA
	}
	if m.Truncated {
		f |= dnsTC
	}
	if m.RecursionDesired {
		f |= dnsRD
	}
	if m.RecursionAvailable {
		f |= dnsRA
	}
	return f
}

// HeaderLen returns 12, the size of the fixed header (RFC 1035 4.1.1).
func (m DNSMessage) HeaderLen() int { return DNSHeaderLen }

// ParseDNS decodes a DNS message (RFC 1035 4.1). Names come back in
// presentation form with the final dot, compression pointers followed
// (RFC 1035 4.1.4): each pointer must point before the stretch of labels
// it ends, so a name can neither loop nor grow without end. It fails on a
// message that is too short, a name longer than 255 octets, a count that
// promises more than the message holds, record data that does not match
// its type, and octets after the last record. ParseDNS never panics.
func ParseDNS(b []byte) (DNSMessage, error) {
	var m DNSMessage
	if len(b) < DNSHeaderLen {
		return m, fmt.Errorf("application: DNS message too short: %d bytes, need at least %d", len(b), DNSHeaderLen)
	}
	m.ID = binary.BigEndian.Uint16(b[0:])
	f := binary.BigEndian.Uint16(b[2:])
	m.Response = f&dnsQR != 0
	m.Opcode = DNSOpcode(f >> 11 & 0x0f)
	m.Authoritative = f&dnsAA != 0
	m.Truncated = f&dnsTC != 0
	m.RecursionDesired = f&dnsRD != 0
	m.RecursionAvailable = f&dnsRA != 0
	m.Z = uint8(f >> 4 & 0x07)
	m.Rcode = DNSRcode(f & 0x0f)
	qd := int(binary.BigEndian.Uint16(b[4:]))
	counts := [3]int{int(binary.BigEndian.Uint16(b[6:])), int(binary.BigEndian.Uint16(b[8:])), int(binary.BigEndian.Uint16(b[10:]))}

	// A question takes at least 5 octets (the root name, QTYPE, QCLASS)
	// and a record at least 11: a count that cannot fit is rejected
	// before anything is allocated for it.
	rest := len(b) - DNSHeaderLen
	if need := qd*5 + (counts[0]+counts[1]+counts[2])*11; need > rest {
		return m, fmt.Errorf("application: DNS header promises %d questions and %d records, which need at least %d bytes, but only %d follow the header",
			qd, counts[0]+counts[1]+counts[2], need, rest)
	}
	off := DNSHeaderLen
	if qd > 0 {
		m.Questions = make([]DNSQuestion, 0, qd)
	}
	for i := range qd {
		name, next, err := readDNSName(b, off)
		if err != nil {
			return m, fmt.Errorf("application: DNS question %d: %w", i+1, err)
		}
		if next+4 > len(b) {
			return m, fmt.Errorf("application: DNS question %d (%s): message ends inside QTYPE and QCLASS", i+1, name)
		}
		m.Questions = append(m.Questions, DNSQuestion{Name: name,
			Type: DNSType(binary.BigEndian.Uint16(b[next:])), Class: DNSClass(binary.BigEndian.Uint16(b[next+2:]))})
		off = next + 4
	}
	sections := [3]*[]DNSRecord{&m.Answers, &m.Authority, &m.Additional}
	for s, n := range counts {
		if n > 0 {
			*sections[s] = make([]DNSRecord, 0, n)
		}
		for i := range n {
			r, next, err := readDNSRecord(b, off)
			if err != nil {
				return m, fmt.Errorf("application: DNS %s record %d: %w", dnsSectionNames[s], i+1, err)
			}
			*sections[s] = append(*sections[s], r)
			off = next
		}
	}
	if off != len(b) {
		return m, fmt.Errorf("application: DNS message has %d bytes after its last record", len(b)-off)
	}
	return m, nil
}

var dnsSectionNames = [3]string{"answer", "authority", "additional"}

// readDNSRecord decodes the resource record at off.
func readDNSRecord(b []byte, off int) (DNSRecord, int, error) {
	var r DNSRecord
	name, next, err := readDNSName(b, off)
	if err != nil {
		return r, 0, err
	}
	r.Name = name
	if next+10 > len(b) {
		return r, 0, fmt.Errorf("%s: message ends inside the record's fixed fields", name)
	}
	r.Type = DNSType(binary.BigEndian.Uint16(b[next:]))
	r.Class = DNSClass(binary.BigEndian.Uint16(b[next+2:]))
	r.TTL = binary.BigEndian.Uint32(b[next+4:])
	n := int(binary.BigEndian.Uint16(b[next+8:]))
	start := next + 10
	end := start + n
	if end > len(b) {
		return r, 0, fmt.Errorf("%s: RDLENGTH %d runs past the end of the message (%d bytes left)", name, n, len(b)-start)
	}
	rdata := b[start:end]
	// A name inside the data must end exactly where RDLENGTH says.
	dataName := func(at int) (string, int, error) {
		s, nx, err := readDNSName(b[:end], at)
		if err != nil {
			return "", 0, fmt.Errorf("%s %s data: %w", name, r.Type, err)
		}
		return s, nx, nil
	}
	switch r.Type {
	case DNSTypeA, DNSTypeAAAA:
		want := 4
		if r.Type == DNSTypeAAAA {
			want = 16
		}
		if n != want {
			return r, 0, fmt.Errorf("%s: %s record has %d bytes of data, want %d", name, r.Type, n, want)
		}
		r.Addr, _ = netip.AddrFromSlice(rdata)
	case DNSTypeNS, DNSTypeCNAME, DNSTypePTR:
		t, nx, err := dataName(start)
		if err != nil {
			return r, 0, err
		}
		if nx != end {
			return r, 0, fmt.Errorf("%s: %s data has %d bytes after the name", name, r.Type, end-nx)
		}
		r.Target = t
	case DNSTypeMX:
		if n < 3 {
			return r, 0, fmt.Errorf("%s: MX data of %d bytes, need at least 3", name, n)
		}
		r.Pref = binary.BigEndian.Uint16(rdata)
		t, nx, err := dataName(start + 2)
		if err != nil {
			return r, 0, err
		}
		if nx != end {
			return r, 0, fmt.Errorf("%s: MX data has %d bytes after the name", name, end-nx)
		}
		r.Target = t
	case DNSTypeSOA:
		mname, nx, err := dataName(start)
		if err != nil {
			return r, 0, err
		}
		rname, nx, err := dataName(nx)
		if err != nil {
			return r, 0, err
		}
		if end-nx != 20 {
			return r, 0, fmt.Errorf("%s: SOA data has %d bytes after its names, want 20", name, end-nx)
		}
		v := b[nx:end]
		r.SOA = &DNSSOA{MName: mname, RName: rname,
			Serial: binary.BigEndian.Uint32(v), Refresh: binary.BigEndian.Uint32(v[4:]), Retry: binary.BigEndian.Uint32(v[8:]),
			Expire: binary.BigEndian.Uint32(v[12:]), Minimum: binary.BigEndian.Uint32(v[16:])}
	default:
		r.Data = append([]byte(nil), rdata...)
	}
	return r, end, nil
}

// readDNSName decodes the name at off and returns it with the offset after
// it in place (after its first pointer, if it has one). RFC 1035 4.1.4:
// a pointer refers to a prior occurrence of a name; here it must point
// before the first label of the stretch it ends, so that the offsets
// visited strictly decrease and no pointer loop can exist.
func readDNSName(b []byte, off int) (string, int, error) {
	var sb strings.Builder
	wire := 0      // octets of the name as it would be without compression
	after := -1    // where the name ends in place
	segment := off // the first octet of the current stretch of labels
	for p := off; ; {
		if p >= len(b) {
			return "", 0, fmt.Errorf("name at offset %d runs past the end of the message", off)
		}
		c := int(b[p])
		switch c & 0xc0 {
		case 0x00:
			wire += 1 + c
			if wire > DNSMaxName {
				return "", 0, fmt.Errorf("name at offset %d is longer than %d octets", off, DNSMaxName)
			}
			if c == 0 {
				if after < 0 {
					after = p + 1
				}
				if sb.Len() == 0 {
					sb.WriteByte('.')
				}
				return sb.String(), after, nil
			}
			if p+1+c > len(b) {
				return "", 0, fmt.Errorf("name at offset %d: label of %d octets runs past the end of the message", off, c)
			}
			appendDNSLabel(&sb, b[p+1:p+1+c])
			sb.WriteByte('.')
			p += 1 + c
		case 0xc0:
			if p+2 > len(b) {
				return "", 0, fmt.Errorf("name at offset %d: message ends inside a compression pointer", off)
			}
			to := int(binary.BigEndian.Uint16(b[p:]) & 0x3fff)
			if to >= segment {
				return "", 0, fmt.Errorf("name at offset %d: compression pointer at offset %d points to offset %d, not before %d (a pointer must point back, and a loop is refused)",
					off, p, to, segment)
			}
			if after < 0 {
				after = p + 2
			}
			p, segment = to, to
		default:
			// 0x40 and 0x80 were the extended label types of RFC 6891's
			// predecessor (RFC 2671), since deprecated; none is in use.
			return "", 0, fmt.Errorf("name at offset %d: label type 0x%02x at offset %d is not a length or a pointer", off, c&0xc0, p)
		}
	}
}

// appendDNSLabel writes a label in presentation form (RFC 1035 5.1): a dot
// or backslash inside the label is escaped with a backslash, and an octet
// that is not printable ASCII becomes \DDD.
func appendDNSLabel(sb *strings.Builder, label []byte) {
	for _, c := range label {
		switch {
		case c == '.' || c == '\\':
			sb.WriteByte('\\')
			sb.WriteByte(c)
		case c < 0x21 || c > 0x7e:
			sb.WriteByte('\\')
			sb.WriteByte('0' + c/100)
			sb.WriteByte('0' + c/10%10)
			sb.WriteByte('0' + c%10)
		default:
			sb.WriteByte(c)
		}
	}
}

// dnsWireName converts a name in presentation form to its labels on the
// wire, ending with the root's zero octet. A final dot is optional: every
// name is taken as absolute.
func dnsWireName(name string) ([]byte, error) {
	if name == "" {
		return nil, errors.New("application: empty DNS name")
	}
	if name == "." {
		return []byte{0}, nil
	}
	out := make([]byte, 1, len(name)+2)
	lenAt := 0
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case c == '.':
			n := len(out) - lenAt - 1
			if n == 0 {
				return nil, fmt.Errorf("application: DNS name %q has an empty label", name)
			}
			out[lenAt] = byte(n)
			lenAt = len(out)
			out = append(out, 0)
			continue
		case c == '\\':
			if i+1 >= len(name) {
				return nil, fmt.Errorf("application: DNS name %q ends with a lone backslash", name)
			}
			if d := name[i+1]; d >= '0' && d <= '9' {
				if i+3 >= len(name) || !isDigit(name[i+2]) || !isDigit(name[i+3]) {
					return nil, fmt.Errorf("application: DNS name %q: \\%c must be followed by two more digits (\\DDD)", name, d)
				}
				v := int(d-'0')*100 + int(name[i+2]-'0')*10 + int(name[i+3]-'0')
				if v > 255 {
					return nil, fmt.Errorf("application: DNS name %q: \\%s is over 255", name, name[i+1:i+4])
				}
				c = byte(v)
				i += 3
			} else {
				c = d
				i++
			}
		}
		out = append(out, c)
		if len(out)-lenAt-1 > DNSMaxLabel {
			return nil, fmt.Errorf("application: DNS name %q has a label longer than %d octets", name, DNSMaxLabel)
		}
	}
	if n := len(out) - lenAt - 1; n > 0 {
		out[lenAt] = byte(n)
		out = append(out, 0)
	}
	if len(out) > DNSMaxName {
		return nil, fmt.Errorf("application: DNS name %q is %d octets on the wire, more than %d", name, len(out), DNSMaxName)
	}
	return out, nil
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// CanonicalDNSName checks a name typed by a person ("pop.lab", "pop.lab.")
// and returns it in presentation form with the final dot: "pop.lab.".
func CanonicalDNSName(name string) (string, error) {
	w, err := dnsWireName(name)
	if err != nil {
		return "", err
	}
	var sb strings.Builder
	for p := 0; w[p] != 0; p += 1 + int(w[p]) {
		appendDNSLabel(&sb, w[p+1:p+1+int(w[p])])
		sb.WriteByte('.')
	}
	if sb.Len() == 0 {
		return ".", nil
	}
	return sb.String(), nil
}

// DNSNameEqual compares two names in presentation form; ASCII letters
// match in either case (RFC 4343).
func DNSNameEqual(a, b string) bool {
	return strings.EqualFold(strings.TrimSuffix(a, "."), strings.TrimSuffix(b, "."))
}

// dnsCompressor remembers where each name suffix was written, for the
// compression of RFC 1035 4.1.4. Suffixes are matched octet for octet
// (case included), so that a decoded name reads back exactly as written.
type dnsCompressor map[string]int

// appendDNSName writes name at the end of b, whose message starts at base,
// pointing to an earlier copy of its longest known suffix when comp is not
// nil. A name that cannot be encoded is written as the root.
func appendDNSName(b []byte, base int, name string, comp dnsCompressor) []byte {
	w, err := dnsWireName(name)
	if err != nil {
		return append(b, 0)
	}
	if comp == nil {
		return append(b, w...)
	}
	for p := 0; w[p] != 0; p += 1 + int(w[p]) {
		if to, ok := comp[string(w[p:])]; ok {
			b = rememberDNSSuffixes(b, base, w[:p], w, comp)
			return binary.BigEndian.AppendUint16(b, 0xc000|uint16(to))
		}
	}
	b = rememberDNSSuffixes(b, base, w[:len(w)-1], w, comp)
	return append(b, 0)
}

// rememberDNSSuffixes writes the labels head (the start of the wire name w)
// and records where each suffix of w that starts in head begins; only
// offsets a 14-bit pointer can reach are kept.
func rememberDNSSuffixes(b []byte, base int, head, w []byte, comp dnsCompressor) []byte {
	at := len(b) - base
	for p := 0; p < len(head); p += 1 + int(w[p]) {
		if at+p < 0x4000 {
			comp[string(w[p:])] = at + p
		}
	}
	return append(b, head...)
}

// Append emits the message after dst. Owner names and names inside NS,
// CNAME, PTR, MX and SOA data are compressed against every name written
// before them (RFC 1035 4.1.4; RFC 3597 4 forbids compressing inside any
// other type). Section counts above 65,535 are cut to that many entries,
// data longer than 65,535 octets is cut, and a name that cannot be encoded
// is written as the root: Append never panics.
func (m DNSMessage) Append(dst []byte) []byte {
	base := len(dst)
	qd := m.Questions[:min(len(m.Questions), 0xffff)]
	secs := [3][]DNSRecord{m.Answers, m.Authority, m.Additional}
	for i := range secs {
		secs[i] = secs[i][:min(len(secs[i]), 0xffff)]
	}
	dst = binary.BigEndian.AppendUint16(dst, m.ID)
	dst = binary.BigEndian.AppendUint16(dst, m.Flags())
	dst = binary.BigEndian.AppendUint16(dst, uint16(len(qd)))
	for _, s := range secs {
		dst = binary.BigEndian.AppendUint16(dst, uint16(len(s)))
	}
	comp := dnsCompressor{}
	for _, q := range qd {
		dst = appendDNSName(dst, base, q.Name, comp)
		dst = binary.BigEndian.AppendUint16(dst, uint16(q.Type))
		dst = binary.BigEndian.AppendUint16(dst, uint16(q.Class))
	}
	for _, s := range secs {
		for i := range s {
			dst = s[i].appendTo(dst, base, comp)
		}
	}
	return dst
}

func (r *DNSRecord) appendTo(dst []byte, base int, comp dnsCompressor) []byte {
	dst = appendDNSName(dst, base, r.Name, comp)
	dst = binary.BigEndian.AppendUint16(dst, uint16(r.Type))
	dst = binary.BigEndian.AppendUint16(dst, uint16(r.Class))
	dst = binary.BigEndian.AppendUint32(dst, r.TTL)
	lenAt := len(dst)
	dst = append(dst, 0, 0)
	switch {
	case r.Type == DNSTypeA && r.Addr.Is4(), r.Type == DNSTypeAAAA && r.Addr.Is6():
		dst = append(dst, r.Addr.AsSlice()...)
	case r.Type == DNSTypeNS || r.Type == DNSTypeCNAME || r.Type == DNSTypePTR:
		dst = appendDNSName(dst, base, r.Target, comp)
	case r.Type == DNSTypeMX:
		dst = binary.BigEndian.AppendUint16(dst, r.Pref)
		dst = appendDNSName(dst, base, r.Target, comp)
	case r.Type == DNSTypeSOA && r.SOA != nil:
		s := r.SOA
		dst = appendDNSName(dst, base, s.MName, comp)
		dst = appendDNSName(dst, base, s.RName, comp)
		for _, v := range [5]uint32{s.Serial, s.Refresh, s.Retry, s.Expire, s.Minimum} {
			dst = binary.BigEndian.AppendUint32(dst, v)
		}
	default:
		dst = append(dst, r.Data[:min(len(r.Data), 0xffff)]...)
	}
	n := min(len(dst)-lenAt-2, 0xffff)
	binary.BigEndian.PutUint16(dst[lenAt:], uint16(n))
	return dst[:lenAt+2+n]
}

// printDNSName prints a name as Wireshark does: without the final dot,
// and the root as "<Root>".
func printDNSName(name string) string {
	if name == "." || name == "" {
		return "<Root>"
	}
	return strings.TrimSuffix(name, ".")
}

// Value returns the record's data in a few words: "10.0.2.110",
// "pop.lab", "10 mail.lab", or the octets in hexadecimal.
func (r DNSRecord) Value() string {
	switch {
	case (r.Type == DNSTypeA || r.Type == DNSTypeAAAA) && r.Addr.IsValid():
		return r.Addr.String()
	case r.Type == DNSTypeNS || r.Type == DNSTypeCNAME || r.Type == DNSTypePTR:
		return printDNSName(r.Target)
	case r.Type == DNSTypeMX:
		return strconv.Itoa(int(r.Pref)) + " " + printDNSName(r.Target)
	case r.Type == DNSTypeSOA && r.SOA != nil:
		return printDNSName(r.SOA.MName)
	}
	return fmt.Sprintf("%x", r.Data)
}

// Summary returns one line as Wireshark's Info column has it: "Standard
// query 0x1a2b A pop.lab", "Standard query response 0x1a2b A pop.lab A
// 10.0.2.110", "Standard query response 0x1a2b No such name A www.lab".
func (m DNSMessage) Summary() string {
	var sb strings.Builder
	sb.WriteString(m.Opcode.String())
	if m.Response {
		sb.WriteString(" response")
	}
	fmt.Fprintf(&sb, " 0x%04x", m.ID)
	if m.Rcode != DNSNoError {
		sb.WriteString(" " + m.Rcode.Meaning())
	}
	for _, q := range m.Questions {
		sb.WriteString(" " + q.Type.String() + " " + printDNSName(q.Name))
	}
	for _, s := range [2][]DNSRecord{m.Answers, m.Authority} {
		for _, r := range s {
			if r.Type != DNSTypeOPT {
				sb.WriteString(" " + r.Type.String() + " " + r.Value())
			}
		}
	}
	return sb.String()
}

// flagsText spells out the flags word for the trace.
func (m DNSMessage) flagsText() string {
	kind := "query"
	if m.Response {
		kind = "response"
	}
	s := fmt.Sprintf("0x%04x (QR=%d %s, Opcode=%d %s, AA=%d, TC=%d, RD=%d, RA=%d, Z=%d",
		m.Flags(), dnsBit(m.Response), kind, m.Opcode, m.Opcode, dnsBit(m.Authoritative), dnsBit(m.Truncated),
		dnsBit(m.RecursionDesired), dnsBit(m.RecursionAvailable), m.Z)
	return s + fmt.Sprintf(", RCODE=%d %s)", m.Rcode, m.Rcode)
}

func dnsBit(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Fields returns the header fields in wire order, as Wireshark names them,
// then one field per question and per record.
func (m DNSMessage) Fields() []layers.Field {
	f := []layers.Field{
		{Name: "Transaction ID", Value: fmt.Sprintf("0x%04x", m.ID)},
		{Name: "Flags", Value: m.flagsText()},
		{Name: "Questions", Value: strconv.Itoa(len(m.Questions))},
		{Name: "Answer RRs", Value: strconv.Itoa(len(m.Answers))},
		{Name: "Authority RRs", Value: strconv.Itoa(len(m.Authority))},
		{Name: "Additional RRs", Value: strconv.Itoa(len(m.Additional))},
	}
	for _, q := range m.Questions {
		f = append(f, layers.Field{Name: "Query", Value: fmt.Sprintf("%s: type %s, class %s", printDNSName(q.Name), q.Type, q.Class)})
	}
	for s, sec := range [3][]DNSRecord{m.Answers, m.Authority, m.Additional} {
		name := [3]string{"Answer", "Authority", "Additional"}[s]
		for _, r := range sec {
			f = append(f, layers.Field{Name: name, Value: r.describe()})
		}
	}
	return f
}

// describe prints a record as Wireshark's tree does, with its TTL:
// "pop.lab: type A, class IN, ttl 300, addr 10.0.2.110".
func (r DNSRecord) describe() string {
	if r.Type == DNSTypeOPT {
		return fmt.Sprintf("%s: type OPT, UDP payload size %d", printDNSName(r.Name), r.Class)
	}
	s := fmt.Sprintf("%s: type %s, class %s, ttl %d", printDNSName(r.Name), r.Type, r.Class, r.TTL)
	switch {
	case (r.Type == DNSTypeA || r.Type == DNSTypeAAAA) && r.Addr.IsValid():
		return s + ", addr " + r.Addr.String()
	case r.Type == DNSTypeNS:
		return s + ", ns " + printDNSName(r.Target)
	case r.Type == DNSTypeCNAME:
		return s + ", cname " + printDNSName(r.Target)
	case r.Type == DNSTypePTR:
		return s + ", " + printDNSName(r.Target)
	case r.Type == DNSTypeMX:
		return s + fmt.Sprintf(", preference %d, mx %s", r.Pref, printDNSName(r.Target))
	case r.Type == DNSTypeSOA && r.SOA != nil:
		o := r.SOA
		return s + fmt.Sprintf(", mname %s, rname %s, serial %d, refresh %d, retry %d, expire %d, minimum %d",
			printDNSName(o.MName), printDNSName(o.RName), o.Serial, o.Refresh, o.Retry, o.Expire, o.Minimum)
	}
	return s + fmt.Sprintf(", data %d bytes", len(r.Data))
}

// DNSZone is the table of a small authoritative name server: the records
// it answers for, in the order given. It holds no delegations: every name
// it does not hold does not exist, as far as it knows.
type DNSZone struct {
	records []DNSRecord
}

// NewDNSZone returns a zone of records. Every owner name (and CNAME
// target) must be a valid name; class 0 is taken as IN.
func NewDNSZone(records []DNSRecord) (*DNSZone, error) {
	z := &DNSZone{records: make([]DNSRecord, 0, len(records))}
	for i, r := range records {
		name, err := CanonicalDNSName(r.Name)
		if err != nil {
			return nil, fmt.Errorf("application: DNS zone record %d: %w", i+1, err)
		}
		r.Name = name
		if r.Class == 0 {
			r.Class = DNSClassIN
		}
		switch r.Type {
		case DNSTypeA:
			if !r.Addr.Is4() {
				return nil, fmt.Errorf("application: DNS zone record %d (%s): an A record needs an IPv4 address, not %v", i+1, name, r.Addr)
			}
		case DNSTypeNS, DNSTypeCNAME, DNSTypePTR, DNSTypeMX:
			t, err := CanonicalDNSName(r.Target)
			if err != nil {
				return nil, fmt.Errorf("application: DNS zone record %d (%s %s): %w", i+1, name, r.Type, err)
			}
			r.Target = t
		}
		z.records = append(z.records, r)
	}
	return z, nil
}

// Records returns the zone's records.
func (z *DNSZone) Records() []DNSRecord { return append([]DNSRecord(nil), z.records...) }

// Answer returns the response of an authoritative server to query q, with
// a sentence for the trace that says why. ok is false when no response
// may be sent at all: q is itself a response (answering it could start a
// loop between two servers). The rules, from RFC 1034 4.3.2 for a server
// that holds only its own data and does not recurse (RA is clear):
//
//   - an opcode other than QUERY: NOTIMP (RFC 1035 4.1.1);
//   - not exactly one question: FORMERR (RFC 9619 2);
//   - an OPT record: FORMERR, since this server does not implement EDNS
//     (RFC 6891 7);
//   - a class other than IN or ANY: REFUSED;
//   - a name the zone does not hold: NXDOMAIN, authoritative;
//   - a name with records of the type asked for (or any type, for ANY):
//     those records; an alias (CNAME) is answered with the CNAME and what
//     its target holds (RFC 1034 4.3.2 step 3a);
//   - a name without records of that type: no answer and NOERROR, the
//     "no data" response of RFC 2308 2.2.
//
// A response over 512 octets keeps as many answers as fit and sets TC
// (RFC 1035 4.2.1, RFC 2181 9).
func (z *DNSZone) Answer(q DNSMessage) (resp DNSMessage, note string, ok bool) {
	resp, n, ok := z.AnswerNote(q)
	return resp, n.String(), ok
}

// AnswerNote is Answer with the note as phrases for the trace: they print
// the note in English, and a trace in another language says each of them
// in its language (see layers.Phrases).
func (z *DNSZone) AnswerNote(q DNSMessage) (resp DNSMessage, note layers.Phrases, ok bool) {
	if q.Response {
		return DNSMessage{}, layers.Phrases{layers.Tell("dns.zone.response", "a response, not a query: a server never answers a response")}, false
	}
	resp = DNSMessage{ID: q.ID, Response: true, Opcode: q.Opcode, RecursionDesired: q.RecursionDesired}
	if q.Opcode != DNSOpQuery {
		resp.Rcode = DNSNotImp
		return resp, layers.Phrases{layers.Tell("dns.zone.notimp", "opcode %d (%s) is not implemented: NOTIMP", q.Opcode, q.Opcode)}, true
	}
	if len(q.Questions) != 1 {
		resp.Rcode = DNSFormErr
		return resp, layers.Phrases{layers.Tell("dns.zone.questions", "a query must ask exactly one question, this one asks %d: FORMERR", len(q.Questions))}, true
	}
	resp.Questions = q.Questions[:1]
	for _, r := range q.Additional {
		if r.Type == DNSTypeOPT {
			resp.Rcode = DNSFormErr
			return resp, layers.Phrases{layers.Tell("dns.zone.edns", "the query carries an EDNS OPT record and this server does not implement EDNS: FORMERR (RFC 6891 7)")}, true
		}
	}
	qq := q.Questions[0]
	if qq.Class != DNSClassIN && qq.Class != DNSClassANY {
		resp.Rcode = DNSRefused
		return resp, layers.Phrases{layers.Tell("dns.zone.class", "class %s: this server holds only class IN data: REFUSED", qq.Class)}, true
	}
	resp.Authoritative = true
	name := qq.Name
	if !z.holds(name) {
		resp.Rcode = DNSNXDomain
		return resp, layers.Phrases{layers.Tell("dns.zone.nxdomain", "%s is not in the zone: NXDOMAIN (no such name), an authoritative answer", printDNSName(name))}, true
	}
	var chain []layers.Phrase
	seen := []string{name}
	loop := false
	for !loop {
		found := false
		for _, r := range z.records {
			if !DNSNameEqual(r.Name, name) || (qq.Class != DNSClassANY && r.Class != qq.Class) {
				continue
			}
			if r.Type == qq.Type || qq.Type == DNSTypeANY {
				resp.Answers = append(resp.Answers, r)
				found = true
			}
		}
		if found || qq.Type == DNSTypeCNAME {
			break
		}
		alias := -1
		for i, r := range z.records {
			if r.Type == DNSTypeCNAME && DNSNameEqual(r.Name, name) {
				alias = i
				break
			}
		}
		if alias < 0 {
			break
		}
		resp.Answers = append(resp.Answers, z.records[alias])
		chain = append(chain, layers.Tell("dns.zone.alias", "%s is an alias of %s; ", printDNSName(name), printDNSName(z.records[alias].Target)))
		name = z.records[alias].Target
		for _, s := range seen {
			loop = loop || DNSNameEqual(s, name)
		}
		seen = append(seen, name)
	}
	var found layers.Phrase
	switch n := countType(resp.Answers, qq.Type); {
	case loop:
		found = layers.Tell("dns.zone.loop", "the aliases loop back to %s, so there is no %s record to give", printDNSName(name), qq.Type)
	case n == 0:
		found = layers.Tell("dns.zone.nodata", "%s has no %s record: NOERROR with an empty answer (no data)", printDNSName(name), qq.Type)
	case n == 1:
		found = layers.Tell("dns.zone.one", "%s has 1 %s record: an authoritative answer", printDNSName(name), qq.Type)
	default:
		found = layers.Tell("dns.zone.many", "%s has %d %s records: an authoritative answer", printDNSName(name), n, qq.Type)
	}
	var tc layers.Phrase
	for len(resp.Answers) > 0 && len(resp.Append(nil)) > DNSMaxUDP {
		resp.Answers = resp.Answers[:len(resp.Answers)-1]
		resp.Truncated = true
	}
	if resp.Truncated {
		tc = layers.Tell("dns.zone.tc", "; the answer does not fit in %d octets: TC set, %d records kept", DNSMaxUDP, len(resp.Answers))
	}
	return resp, append(chain, found, tc), true
}

// holds reports whether name exists in the zone: some record is owned by
// it or by a name below it (an empty non-terminal exists too, RFC 8020 2).
func (z *DNSZone) holds(name string) bool {
	below := "." + strings.ToLower(strings.TrimSuffix(name, ".")) + "."
	for _, r := range z.records {
		if DNSNameEqual(r.Name, name) || (name != "." && strings.HasSuffix(strings.ToLower(r.Name), below)) {
			return true
		}
	}
	return false
}

func countType(rs []DNSRecord, t DNSType) int {
	n := 0
	for _, r := range rs {
		if r.Type == t || t == DNSTypeANY {
			n++
		}
	}
	return n
}

// Errors of a DNS lookup.
var (
	ErrDNSNoSuchName  = errors.New("application: DNS: no such name (NXDOMAIN)")
	ErrDNSNoData      = errors.New("application: DNS: the name has no record of that type")
	ErrDNSTruncated   = errors.New("application: DNS: the answer was truncated (TC) and retrying over TCP is not implemented")
	ErrDNSFailed      = errors.New("application: DNS: the server could not answer")
	ErrDNSTimeout     = errors.New("application: DNS: no answer from the server")
	ErrDNSUnreachable = errors.New("application: DNS: nothing listens on the server's port 53 (ICMP port unreachable)")
)

// DNSLookup is one question of a stub resolver (RFC 1034 5.3.1): a name,
// the A type, and the query ID that must come back in the answer.
type DNSLookup struct {
	Name string // in presentation form with the final dot
	Type DNSType
	ID   uint16
}

// NewDNSLookup returns the lookup of name's IPv4 address with query ID id
// (which should be random, RFC 5452 4.3).
func NewDNSLookup(name string, id uint16) (DNSLookup, error) {
	n, err := CanonicalDNSName(name)
	if err != nil {
		return DNSLookup{}, err
	}
	return DNSLookup{Name: n, Type: DNSTypeA, ID: id}, nil
}

// Query returns the query message: one question, class IN, RD set as a stub
// resolver sets it (RFC 1123 6.1.3.1: a stub relies on a recursive server).
func (l DNSLookup) Query() DNSMessage {
	return DNSMessage{ID: l.ID, Opcode: DNSOpQuery, RecursionDesired: true,
		Questions: []DNSQuestion{{Name: l.Name, Type: l.Type, Class: DNSClassIN}}}
}

// Matches returns nil when resp answers this lookup's query (RFC 1035 7.3,
// RFC 5452 4: the ID and the question must be the same), or says why not;
// a resolver ignores a message that does not match.
func (l DNSLookup) Matches(resp DNSMessage) error {
	switch {
	case !resp.Response:
		return fmt.Errorf("application: DNS message 0x%04x is a query, not a response", resp.ID)
	case resp.ID != l.ID:
		return fmt.Errorf("application: DNS response ID 0x%04x does not match the query's 0x%04x", resp.ID, l.ID)
	case len(resp.Questions) != 1:
		if resp.Rcode != DNSNoError && len(resp.Questions) == 0 {
			return nil // an error response may leave the question out
		}
		return fmt.Errorf("application: DNS response 0x%04x has %d questions, want the query's one", resp.ID, len(resp.Questions))
	}
	q := resp.Questions[0]
	if !DNSNameEqual(q.Name, l.Name) || q.Type != l.Type || q.Class != DNSClassIN {
		return fmt.Errorf("application: DNS response 0x%04x answers %s %s, not %s %s", resp.ID,
			q.Type, printDNSName(q.Name), l.Type, printDNSName(l.Name))
	}
	return nil
}

// Addrs returns the addresses a matching response gives for the name,
// following CNAME records inside the answer section (RFC 1034 5.3.3), or
// the error its RCODE or its emptiness means.
func (l DNSLookup) Addrs(resp DNSMessage) ([]netip.Addr, error) {
	switch resp.Rcode {
	case DNSNoError:
	case DNSNXDomain:
		return nil, fmt.Errorf("%w: %s", ErrDNSNoSuchName, printDNSName(l.Name))
	default:
		return nil, fmt.Errorf("%w: %s (%s) for %s", ErrDNSFailed, resp.Rcode, resp.Rcode.Meaning(), printDNSName(l.Name))
	}
	name := l.Name
	for range len(resp.Answers) + 1 {
		var out []netip.Addr
		next := ""
		for _, r := range resp.Answers {
			if !DNSNameEqual(r.Name, name) {
				continue
			}
			switch {
			case r.Type == l.Type && r.Addr.IsValid():
				out = append(out, r.Addr)
			case r.Type == DNSTypeCNAME && next == "":
				next = r.Target
			}
		}
		if len(out) > 0 {
			return out, nil
		}
		if next == "" {
			break
		}
		name = next
	}
	if resp.Truncated {
		return nil, fmt.Errorf("%w: %s", ErrDNSTruncated, printDNSName(l.Name))
	}
	return nil, fmt.Errorf("%w: %s has no %s record", ErrDNSNoData, printDNSName(name), l.Type)
}
