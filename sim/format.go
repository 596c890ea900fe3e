package sim

import (
	"fmt"
	"strconv"
	"time"
)

// Seconds prints a simulated time as seconds with microsecond precision:
// "0.000058".
func Seconds(t time.Duration) string {
	us := t.Microseconds()
	return fmt.Sprintf("%d.%06d", us/1e6, us%1e6)
}

// Thousands prints n with thousands separators: 2941 -> "2,941".
func Thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := n < 0
	if neg {
		s = s[1:]
	}
	out := make([]byte, 0, len(s)+len(s)/3)
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	if neg {
		return "-" + string(out)
	}
	return string(out)
}
