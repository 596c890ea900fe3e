package transport

import (
	"sort"
	"strconv"
)

// Port is a TCP or UDP port number.
type Port uint16

// PortClass is one of the three ranges of RFC 6335 6.
type PortClass uint8

// The port ranges of RFC 6335 6.
const (
	WellKnown  PortClass = iota + 1 // 0-1023, the system ports assigned by IETF review
	Registered                      // 1024-49151, the user ports assigned by IANA
	Dynamic                         // 49152-65535, never assigned: ephemeral ports of clients
)

// Port range bounds of RFC 6335 6.
const (
	FirstRegistered Port = 1024
	FirstDynamic    Port = 49152
)

// String returns "well-known", "registered" or "dynamic".
func (c PortClass) String() string {
	switch c {
	case WellKnown:
		return "well-known"
	case Registered:
		return "registered"
	case Dynamic:
		return "dynamic"
	}
	return "class(" + strconv.Itoa(int(c)) + ")"
}

// Class returns the RFC 6335 range the port belongs to.
func (p Port) Class() PortClass {
	switch {
	case p < FirstRegistered:
		return WellKnown
	case p < FirstDynamic:
		return Registered
	}
	return Dynamic
}

// Service is one entry of the service table: a port and the protocol that
// conventionally uses it.
type Service struct {
	Port        Port
	Name        string // short name, mostly IANA's ("pop3")
	TCP, UDP    bool   // the transport protocols it runs over
	Description string
}

// services is sorted by port. Names follow the IANA "Service Name and
// Transport Protocol Port Number Registry" except where a common name reads
// better to students (dns for IANA's "domain", rdp for "ms-wbt-server"), and
// oicq, which IANA does not list (8000 is registered to "irdmi"), is the
// port of Tencent QQ's OICQ protocol as Wireshark names it.
var services = [...]Service{
	{20, "ftp-data", true, false, "FTP data transfer (RFC 959)"},
	{21, "ftp", true, false, "FTP control (RFC 959)"},
	{22, "ssh", true, false, "Secure Shell (RFC 4253)"},
	{23, "telnet", true, false, "Telnet (RFC 854)"},
	{25, "smtp", true, false, "Simple Mail Transfer Protocol (RFC 5321)"},
	{53, "dns", true, true, "Domain Name System (RFC 1035): UDP for queries, TCP for large answers and zone transfers"},
	{67, "bootps", false, true, "BOOTP/DHCP server (RFC 2131)"},
	{68, "bootpc", false, true, "BOOTP/DHCP client (RFC 2131)"},
	{69, "tftp", false, true, "Trivial File Transfer Protocol (RFC 1350)"},
	{80, "http", true, false, "Hypertext Transfer Protocol (RFC 9112)"},
	{110, "pop3", true, false, "Post Office Protocol version 3 (RFC 1939)"},
	{123, "ntp", false, true, "Network Time Protocol (RFC 5905)"},
	{143, "imap", true, false, "Internet Message Access Protocol (RFC 9051)"},
	{161, "snmp", false, true, "Simple Network Management Protocol (RFC 3411)"},
	{443, "https", true, false, "HTTP over TLS (RFC 9110)"},
	{993, "imaps", true, false, "IMAP over TLS (RFC 8314)"},
	{995, "pop3s", true, false, "POP3 over TLS (RFC 8314)"},
	{3389, "rdp", true, false, "Remote Desktop Protocol"},
	{8000, "oicq", true, true, "OICQ, the protocol of Tencent QQ instant messaging (mostly UDP)"},
}

// Services returns a copy of the service table, sorted by port.
func Services() []Service {
	out := make([]Service, len(services))
	copy(out, services[:])
	return out
}

// LookupService returns the table entry for p.
func LookupService(p Port) (Service, bool) {
	i := sort.Search(len(services), func(i int) bool { return services[i].Port >= p })
	if i < len(services) && services[i].Port == p {
		return services[i], true
	}
	return Service{}, false
}

// Service returns the conventional service name of the port ("pop3"), or
// "" if the table has none.
func (p Port) Service() string {
	s, _ := LookupService(p)
	return s.Name
}

// String returns "110(pop3)" for a port with a service name, "49731"
// otherwise, as gopacket prints ports.
func (p Port) String() string {
	n := strconv.FormatUint(uint64(p), 10)
	if name := p.Service(); name != "" {
		return n + "(" + name + ")"
	}
	return n
}
