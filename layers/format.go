package layers

import "strconv"

// Thousands formats n with thousands separators, as the trace prints sizes:
// 2941 -> "2,941".
func Thousands(n int64) string {
	if n < 0 {
		return "-" + Thousands(-n)
	}
	s := strconv.FormatInt(n, 10)
	if len(s) <= 3 {
		return s
	}
	b := make([]byte, 0, len(s)+len(s)/3)
	lead := len(s) % 3
	if lead > 0 {
		b = append(b, s[:lead]...)
	}
	for i := lead; i < len(s); i += 3 {
		if len(b) > 0 {
			b = append(b, ',')
		}
		b = append(b, s[i:i+3]...)
	}
	return string(b)
}

// Plural counts things in English: "1 message", "2 messages".
func Plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

// Count returns one when n is 1 and many otherwise: the phrase for a count
// whose words depend on it ("1 datagram", "2 datagrams").
func Count(n int, one, many Phrase) Phrase {
	if n == 1 {
		return one
	}
	return many
}
