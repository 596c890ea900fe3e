package sim

import (
	"net/netip"
	"strings"
)

// TAPOpenOptions say which TAP interface OpenTAP opens.
type TAPOpenOptions struct {
	// Name is the interface's name; "" lets the kernel choose (tap0,
	// tap1 ...). An existing TAP of that name is attached to, a missing
	// one is created.
	Name string
	// Path is the TUN/TAP clone device; "" is /dev/net/tun.
	Path string
	// Addr, if valid, is given to the kernel side of the interface
	// (e.g. 10.99.0.1/24); otherwise the user assigns one.
	Addr netip.Prefix
	// KeepIPv6 leaves IPv6 on the interface; by default it is turned
	// off (net.ipv6.conf.NAME.disable_ipv6), so that the kernel sends
	// no IPv6 frames the simulated host would only drop.
	KeepIPv6 bool
}

// OpenTAP opens or creates a Linux TAP interface and brings it up. Its
// frames carry no packet information header and no FCS. Where TAP
// interfaces do not exist, it returns an error.
func OpenTAP(o TAPOpenOptions) (*TAPFile, error) {
	if o.Path == "" {
		o.Path = "/dev/net/tun"
	}
	return openTAP(o)
}

// TAPError is why a TAP could not be opened, with what is missing and how
// to run osisim so that it is there.
type TAPError struct {
	Op      string // what failed: "open /dev/net/tun", "TUNSETIFF" ...
	Err     error
	Missing string // what is missing, or ""
	Hint    string // how to get it, or ""
}

func (e *TAPError) Error() string {
	var b strings.Builder
	b.WriteString("cannot open the TAP interface: " + e.Op + ": " + e.Err.Error())
	if e.Missing != "" {
		b.WriteString("\n  missing: " + e.Missing)
	}
	if e.Hint != "" {
		b.WriteString("\n  to run it: " + e.Hint)
	}
	return b.String()
}

func (e *TAPError) Unwrap() error { return e.Err }
