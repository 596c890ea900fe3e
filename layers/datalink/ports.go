package datalink

import (
	"strconv"
	"strings"

	"github.com/osisim/osisim/layers"
)

// portList returns "port 2", "ports 2, 3" or "no other port".
func portList(ports []int) layers.Phrase {
	switch len(ports) {
	case 0:
		return layers.Tell("l2.ports.none", "no other port")
	case 1:
		return layers.Tell("l2.port", "port %d", ports[0])
	}
	var b strings.Builder
	for i, p := range ports {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(strconv.Itoa(p))
	}
	return layers.Tell("l2.ports", "ports %s", b.String())
}
