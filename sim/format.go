package sim

import (
	"fmt"
	"time"

	"github.com/osisim/osisim/layers"
)

// Seconds prints a simulated time as seconds with microsecond precision:
// "0.000058".
func Seconds(t time.Duration) string {
	us := t.Microseconds()
	return fmt.Sprintf("%d.%06d", us/1e6, us%1e6)
}

// Thousands prints n with thousands separators: 2941 -> "2,941".
func Thousands(n int64) string { return layers.Thousands(n) }
