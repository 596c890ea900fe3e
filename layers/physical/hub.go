package physical

import "fmt"

// Hub is a multiport repeater (IEEE 802.3 clause 9): whatever signal comes
// in on one port it regenerates, bit by bit, on every other port, without
// looking at addresses. All its ports form one collision domain and share
// the bandwidth. A repeater is a hub with two ports.
type Hub struct {
	ports int
}

// NewHub returns a hub with ports ports, numbered from 1. It panics if
// ports is less than 1.
func NewHub(ports int) *Hub {
	if ports < 1 {
		panic(fmt.Sprintf("physical: a hub needs at least one port, not %d", ports))
	}
	return &Hub{ports: ports}
}

// NewRepeater returns a two-port repeater, which joins two segments into
// one collision domain.
func NewRepeater() *Hub { return NewHub(2) }

// Ports returns the number of ports.
func (h *Hub) Ports() int { return h.ports }

// Repeat returns the ports a signal arriving on port in goes out on: every
// other port, in ascending order. It panics if in is not a port.
func (h *Hub) Repeat(in int) []int {
	if in < 1 || in > h.ports {
		panic(fmt.Sprintf("physical: hub port %d out of range 1..%d", in, h.ports))
	}
	out := make([]int, 0, h.ports-1)
	for p := 1; p <= h.ports; p++ {
		if p != in {
			out = append(out, p)
		}
	}
	return out
}
