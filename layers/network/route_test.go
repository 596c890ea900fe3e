package network

import (
	"net/netip"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func pfx(s string) netip.Prefix { return netip.MustParsePrefix(s) }

func testTable(t *testing.T) *RoutingTable {
	t.Helper()
	var rt RoutingTable
	for _, r := range []Route{
		{Prefix: pfx("0.0.0.0/0"), Gateway: addr("10.0.1.1"), Iface: 0},
		{Prefix: pfx("10.0.1.0/24"), Iface: 0},
		{Prefix: pfx("10.0.0.0/8"), Gateway: addr("10.0.1.2"), Iface: 0},
		{Prefix: pfx("10.0.2.0/24"), Iface: 1},
		{Prefix: pfx("10.0.2.110/32"), Gateway: addr("10.0.2.9"), Iface: 1},
		{Prefix: pfx("10.0.2.0/24"), Gateway: addr("10.0.1.3"), Iface: 0}, // a tie: loses to the first /24
		{Prefix: pfx("0.0.0.0/0"), Gateway: addr("10.0.1.4"), Iface: 0},   // a second default: never used
	} {
		if err := rt.Add(r); err != nil {
			t.Fatalf("Add(%v): %v", r, err)
		}
	}
	return &rt
}

func TestLookupLongestPrefix(t *testing.T) {
	rt := testTable(t)
	tests := []struct {
		dst  string
		want Route
		ok   bool
	}{
		{"10.0.1.20", Route{Prefix: pfx("10.0.1.0/24"), Iface: 0}, true},
		{"10.0.2.5", Route{Prefix: pfx("10.0.2.0/24"), Iface: 1}, true},
		{"10.0.2.110", Route{Prefix: pfx("10.0.2.110/32"), Gateway: addr("10.0.2.9"), Iface: 1}, true},
		{"10.0.2.111", Route{Prefix: pfx("10.0.2.0/24"), Iface: 1}, true},
		{"10.200.0.1", Route{Prefix: pfx("10.0.0.0/8"), Gateway: addr("10.0.1.2"), Iface: 0}, true},
		{"192.0.2.7", Route{Prefix: pfx("0.0.0.0/0"), Gateway: addr("10.0.1.1"), Iface: 0}, true},
		{"::ffff:10.0.1.20", Route{Prefix: pfx("10.0.1.0/24"), Iface: 0}, true},
	}
	for _, tt := range tests {
		got, ok := rt.Lookup(addr(tt.dst))
		if ok != tt.ok {
			t.Errorf("Lookup(%s) ok = %v, want %v", tt.dst, ok, tt.ok)
		}
		if diff := cmp.Diff(tt.want, got, cmpOpts); diff != "" {
			t.Errorf("Lookup(%s) (-want +got):\n%s", tt.dst, diff)
		}
	}
}

func TestLookupNoDefault(t *testing.T) {
	var rt RoutingTable
	if err := rt.Add(Route{Prefix: pfx("10.0.1.0/24")}); err != nil {
		t.Fatal(err)
	}
	if r, ok := rt.Lookup(addr("10.0.3.1")); ok {
		t.Errorf("Lookup(10.0.3.1) = %v, true; want no route", r)
	}
	var empty RoutingTable
	if _, ok := empty.Lookup(addr("10.0.1.1")); ok {
		t.Error("empty table found a route")
	}
}

func TestRoutesSorted(t *testing.T) {
	rt := testTable(t)
	want := []Route{
		{Prefix: pfx("10.0.2.110/32"), Gateway: addr("10.0.2.9"), Iface: 1},
		{Prefix: pfx("10.0.1.0/24"), Iface: 0},
		{Prefix: pfx("10.0.2.0/24"), Iface: 1},
		{Prefix: pfx("10.0.2.0/24"), Gateway: addr("10.0.1.3"), Iface: 0},
		{Prefix: pfx("10.0.0.0/8"), Gateway: addr("10.0.1.2"), Iface: 0},
		{Prefix: pfx("0.0.0.0/0"), Gateway: addr("10.0.1.1"), Iface: 0},
		{Prefix: pfx("0.0.0.0/0"), Gateway: addr("10.0.1.4"), Iface: 0},
	}
	got := rt.Routes()
	if diff := cmp.Diff(want, got, cmpOpts); diff != "" {
		t.Errorf("Routes (-want +got):\n%s", diff)
	}
	got[0].Iface = 9 // a copy: the table is unchanged
	if rt.Routes()[0].Iface != 1 || rt.Len() != 7 {
		t.Error("Routes returned the table's own slice")
	}
}

func TestRoutingTableFormat(t *testing.T) {
	var rt RoutingTable
	for _, r := range []Route{
		{Prefix: pfx("0.0.0.0/0"), Gateway: addr("10.0.1.1"), Iface: 0},
		{Prefix: pfx("10.0.1.0/24"), Iface: 0},
		{Prefix: pfx("10.0.9.0/24"), Iface: 1},
	} {
		if err := rt.Add(r); err != nil {
			t.Fatal(err)
		}
	}
	want := "" +
		"Destination        Gateway          Interface\n" +
		"10.0.1.0/24        direct           eth0\n" +
		"10.0.9.0/24        direct           1\n" +
		"0.0.0.0/0          10.0.1.1         eth0\n"
	if diff := cmp.Diff(want, rt.Format([]string{"eth0"})); diff != "" {
		t.Errorf("Format (-want +got):\n%s", diff)
	}
	if got := (Route{Prefix: pfx("0.0.0.0/0"), Gateway: addr("10.0.1.1")}).String(); got != "0.0.0.0/0 via 10.0.1.1 iface 0" {
		t.Errorf("Route.String = %q", got)
	}
}

func TestAddRouteErrors(t *testing.T) {
	tests := []struct {
		r    Route
		want string
	}{
		{Route{}, "network: route prefix invalid Prefix is not an IPv4 prefix"},
		{Route{Prefix: pfx("2001:db8::/32")}, "network: route prefix 2001:db8::/32 is not an IPv4 prefix"},
		{Route{Prefix: pfx("10.0.1.10/24")}, "network: route prefix 10.0.1.10/24 has host bits set; did you mean 10.0.1.0/24?"},
		{Route{Prefix: pfx("0.0.0.0/0"), Gateway: addr("2001:db8::1")}, "network: route 0.0.0.0/0: gateway 2001:db8::1 is not an IPv4 address"},
		{Route{Prefix: pfx("0.0.0.0/0"), Iface: -1}, "network: route 0.0.0.0/0: interface index -1 is negative"},
	}
	for _, tt := range tests {
		var rt RoutingTable
		err := rt.Add(tt.r)
		if err == nil || err.Error() != tt.want {
			t.Errorf("Add(%v) = %v, want %q", tt.r, err, tt.want)
		}
		if rt.Len() != 0 {
			t.Errorf("Add(%v) failed but added the route", tt.r)
		}
	}
}
