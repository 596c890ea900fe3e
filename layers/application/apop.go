package application

import (
	"crypto/md5"
	"encoding/hex"
	"strconv"
	"strings"
)

// APOPDigest returns the digest an APOP command carries (RFC 1939 section
// 7): the MD5 of the greeting's timestamp, angle brackets included,
// followed by the shared secret, as 32 lower-case hexadecimal digits. RFC
// 1939's example: APOPDigest("<1896.697170952@dbc.mtview.ca.us>",
// "tanstaaf") is "c4c9334bac560ecc979e58001b3e22fb".
func APOPDigest(timestamp, secret string) string {
	sum := md5.Sum([]byte(timestamp + secret))
	return hex.EncodeToString(sum[:])
}

// FormatTimestamp returns the timestamp of an APOP greeting,
// "<pid.clock@host>", the form RFC 1939 section 7 suggests: a process id and
// a clock value make it unique to this greeting, the host name to this
// server.
func FormatTimestamp(pid, clock uint64, host string) string {
	b := make([]byte, 0, 48)
	b = append(b, '<')
	b = strconv.AppendUint(b, pid, 10)
	b = append(b, '.')
	b = strconv.AppendUint(b, clock, 10)
	b = append(b, '@')
	b = append(b, host...)
	return string(append(b, '>'))
}

// Timestamp returns the APOP timestamp of a greeting, "<1896.697170952@
// dbc.mtview.ca.us>", and false if its text holds none. Per RFC 1939 section
// 7 the timestamp has the syntax of an RFC 822 msg-id: here, the first "<"
// up to the next ">", with an "@" and no space between them.
func (m Message) Timestamp() (string, bool) {
	if m.IsCommand() {
		return "", false
	}
	i := strings.IndexByte(m.Text, '<')
	if i < 0 {
		return "", false
	}
	j := strings.IndexByte(m.Text[i:], '>')
	if j < 0 {
		return "", false
	}
	ts := m.Text[i : i+j+1]
	at := strings.IndexByte(ts, '@')
	if at < 2 || at > len(ts)-3 || strings.ContainsAny(ts, " \t") {
		return "", false
	}
	return ts, true
}

// validDigest reports whether d is 32 hexadecimal digits. RFC 1939 sends
// them in lower case; upper case is accepted and compared without case.
func validDigest(d string) bool {
	if len(d) != 32 {
		return false
	}
	for i := 0; i < len(d); i++ {
		c := d[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}
