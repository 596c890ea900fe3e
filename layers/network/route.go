package network

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"
)

// Route is one entry of a routing table: datagrams for Prefix leave through
// interface Iface, to Gateway or, when Gateway is the zero Addr, straight to
// the destination on the directly connected network.
type Route struct {
	Prefix  netip.Prefix
	Gateway netip.Addr // invalid (zero): directly connected
	Iface   int        // index into Config.Interfaces (for a gateway route, see Config.Routes)
}

// Connected reports whether the route leads to a directly connected
// network (no gateway).
func (r Route) Connected() bool { return !r.Gateway.IsValid() }

// IsDefault reports whether r is a default route (0.0.0.0/0).
func (r Route) IsDefault() bool { return r.Prefix.Bits() == 0 }

// NextHop returns the address whose MAC a datagram for dst is sent to: the
// gateway, or dst itself on a connected network (RFC 1122 3.3.1.1).
func (r Route) NextHop(dst netip.Addr) netip.Addr {
	if r.Connected() {
		return dst
	}
	return r.Gateway
}

// String returns "10.0.1.0/24 direct iface 0" or "0.0.0.0/0 via 10.0.1.1
// iface 0".
func (r Route) String() string {
	if r.Connected() {
		return fmt.Sprintf("%s direct iface %d", r.Prefix, r.Iface)
	}
	return fmt.Sprintf("%s via %s iface %d", r.Prefix, r.Gateway, r.Iface)
}

// RoutingTable is an IPv4 routing table searched by longest prefix match
// (RFC 1812 5.2.4.3). The zero value is an empty table.
type RoutingTable struct {
	// routes is kept sorted by prefix length, longest first; routes of
	// equal length stay in the order they were added, so the first match
	// of a linear scan is the longest match and ties go to the first added.
	routes []Route
}

// Add inserts r. The prefix must be IPv4 with no host bits set, the gateway
// (if any) IPv4, and the interface index not negative.
func (t *RoutingTable) Add(r Route) error {
	if !r.Prefix.IsValid() || !r.Prefix.Addr().Is4() {
		return fmt.Errorf("network: route prefix %s is not an IPv4 prefix", r.Prefix)
	}
	if m := r.Prefix.Masked(); m != r.Prefix {
		return fmt.Errorf("network: route prefix %s has host bits set; did you mean %s?", r.Prefix, m)
	}
	if r.Gateway.IsValid() && !r.Gateway.Is4() {
		return fmt.Errorf("network: route %s: gateway %s is not an IPv4 address", r.Prefix, r.Gateway)
	}
	if r.Iface < 0 {
		return fmt.Errorf("network: route %s: interface index %d is negative", r.Prefix, r.Iface)
	}
	i := len(t.routes)
	for i > 0 && t.routes[i-1].Prefix.Bits() < r.Prefix.Bits() {
		i--
	}
	t.routes = append(t.routes, Route{})
	copy(t.routes[i+1:], t.routes[i:])
	t.routes[i] = r
	return nil
}

// Lookup returns the route with the longest prefix containing dst, the
// first added among equally long ones.
func (t *RoutingTable) Lookup(dst netip.Addr) (Route, bool) {
	dst = dst.Unmap()
	for i := range t.routes {
		if t.routes[i].Prefix.Contains(dst) {
			return t.routes[i], true
		}
	}
	return Route{}, false
}

// Len returns the number of routes.
func (t *RoutingTable) Len() int { return len(t.routes) }

// Routes returns a copy of the routes, longest prefix first (ties in the
// order they were added).
func (t *RoutingTable) Routes() []Route { return append([]Route(nil), t.routes...) }

// String prints the table with interfaces as indexes.
func (t *RoutingTable) String() string { return t.Format(nil) }

// Format prints the table, one route a line under a header, naming
// interface i names[i] when there is such a name:
//
//	Destination      Gateway          Interface
//	10.0.1.0/24      direct           eth0
//	0.0.0.0/0        10.0.1.1         eth0
func (t *RoutingTable) Format(names []string) string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "%-18s %-16s %s\n", "Destination", "Gateway", "Interface")
	for _, r := range t.routes {
		gw := "direct"
		if !r.Connected() {
			gw = r.Gateway.String()
		}
		name := strconv.Itoa(r.Iface)
		if r.Iface < len(names) {
			name = names[r.Iface]
		}
		fmt.Fprintf(&sb, "%-18s %-16s %s\n", r.Prefix, gw, name)
	}
	return sb.String()
}
