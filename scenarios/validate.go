package scenarios

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/osisim/osisim/layers/datalink"
	"github.com/osisim/osisim/layers/physical"
	"github.com/osisim/osisim/sim"
)

// check validates everything that the YAML decoder cannot: names,
// addresses, references between nodes and links, units and ranges.
func (v *validator) check(f *File) {
	if f.Name == "" {
		v.errorf("$", "the scenario has no name: add `name: my-lesson`")
	}
	if _, err := sim.ParseProfile(f.Profile); err != nil {
		v.errorf("$.profile", "profile %q: want internet or osi", f.Profile)
	} else if f.Compress && f.Profile != string(sim.ProfileOSI) {
		v.errorf("$.compress", "compression needs `profile: osi`: the internet profile has no presentation header to announce it")
	}
	v.checkTLS(f) // validate_tls.go
	if f.Duration != "" {
		if d, err := parseDuration(f.Duration); err != nil || d <= 0 {
			v.errorf("$.duration", "duration %q is not a positive time such as 60s", f.Duration)
		}
	}
	if len(f.Nodes) == 0 {
		v.errorf("$", "the scenario has no nodes")
	}
	nodes := map[string]*Node{}
	rarpHosts := rarpClients(f) // validate_apps.go
	macs := map[datalink.MAC]string{}
	addrs := map[netip.Addr]string{}
	for i := range f.Nodes {
		n := &f.Nodes[i]
		p := fmt.Sprintf("$.nodes[%d]", i)
		if n.Name == "" || strings.ContainsAny(n.Name, ". \t") {
			v.errorf(p, "node %d needs a name without dots or spaces, got %q", i+1, n.Name)
		} else if _, dup := nodes[n.Name]; dup {
			v.errorf(p+".name", "node name %q is used twice", n.Name)
		}
		nodes[n.Name] = n
		switch n.Kind {
		case "host", "router":
			if len(n.Interfaces) == 0 {
				v.errorf(p, "%s %q has no interfaces", n.Kind, n.Name)
			}
			if n.Ports != 0 {
				v.errorf(p+".ports", "a %s has interfaces, not ports", n.Kind)
			}
		case "switch", "hub":
			if n.Ports < 2 || n.Ports > 64 {
				v.errorf(p, "%s %q needs `ports:` between 2 and 64, got %d", n.Kind, n.Name, n.Ports)
			}
			if len(n.Interfaces) > 0 {
				v.errorf(p+".interfaces", "a %s has numbered ports, not interfaces", n.Kind)
			}
		default:
			v.errorf(p+".kind", "node %q has kind %q: want host, switch, hub or router", n.Name, n.Kind)
		}
		if n.Ageing != "" {
			if d, err := parseDuration(n.Ageing); err != nil || d <= 0 {
				v.errorf(p+".ageing", "ageing %q is not a positive time such as 300s", n.Ageing)
			}
		}
		var subnets []netip.Prefix
		ifnames := map[string]bool{}
		for j, itf := range n.Interfaces {
			ip := fmt.Sprintf("%s.interfaces[%d]", p, j)
			if itf.Name == "" || ifnames[itf.Name] {
				v.errorf(ip, "interface %d of %q needs a unique name", j+1, n.Name)
			}
			ifnames[itf.Name] = true
			mac, err := datalink.ParseMAC(itf.MAC)
			switch {
			case err != nil:
				v.errorf(ip+".mac", "MAC address %q is not like 02:00:00:00:01:0a", itf.MAC)
			case mac.IsMulticast():
				v.errorf(ip+".mac", "MAC address %s is a group address: a NIC needs an individual one (first octet even)", mac)
			case macs[mac] != "":
				v.errorf(ip+".mac", "MAC address %s is already used by %s", mac, macs[mac])
			default:
				macs[mac] = n.Name + "." + itf.Name
			}
			if itf.MTU != 0 && (itf.MTU < 68 || itf.MTU > 1500) {
				v.errorf(ip+".mtu", "MTU %d is outside 68..1500 (RFC 791 minimum, Ethernet maximum)", itf.MTU)
			}
			pfx, err := netip.ParsePrefix(itf.IP)
			if err != nil || !pfx.Addr().Is4() {
				v.errorf(ip+".ip", "address %q is not an IPv4 address with a prefix length, like 10.0.1.10/24", itf.IP)
				continue
			}
			if pfx.Addr().IsUnspecified() {
				// RFC 903: a diskless host learns its address by RARP.
				if !rarpHosts[n.Name] || n.Kind != "host" {
					v.errorf(ip+".ip", "%s means no address yet: only a host that runs an `rarp:` app may have it", itf.IP)
				} else if pfx.Bits() < 8 || pfx.Bits() > 30 {
					v.errorf(ip+".ip", "prefix /%d: the address RARP gives takes this length, use /8 to /30", pfx.Bits())
				}
				continue
			}
			if pfx.Bits() > 30 && pfx.Bits() != 32 {
				// /31 and /32 are allowed by RFC 3021 only on point-to-point links; keep lessons simple.
				v.errorf(ip+".ip", "prefix /%d leaves no room for hosts: use /30 or shorter", pfx.Bits())
			}
			if pfx.Addr() == pfx.Masked().Addr() && pfx.Bits() < 31 {
				v.errorf(ip+".ip", "%s is the network address of %s, not a host address", pfx.Addr(), pfx.Masked())
			} else if pfx.Addr() == broadcastOf(pfx) && pfx.Bits() < 31 { // validate_apps.go
				v.errorf(ip+".ip", "%s is the broadcast address of %s, not a host address", pfx.Addr(), pfx.Masked())
			}
			if owner := addrs[pfx.Addr()]; owner != "" {
				v.errorf(ip+".ip", "address %s is already used by %s", pfx.Addr(), owner)
			}
			addrs[pfx.Addr()] = n.Name + "." + itf.Name
			subnets = append(subnets, pfx.Masked())
		}
		if n.Gateway != "" {
			gw, err := netip.ParseAddr(n.Gateway)
			if err != nil || !gw.Is4() {
				v.errorf(p+".gateway", "gateway %q is not an IPv4 address", n.Gateway)
			} else if len(subnets) == 0 {
				v.errorf(p+".gateway", "gateway %s: %q has no address of its own, so no subnet to reach a gateway on", gw, n.Name)
			} else if !inAny(gw, subnets) {
				v.errorf(p+".gateway", "gateway %s is outside every subnet of %q (%s): a host reaches its gateway directly", gw, n.Name, prefixList(subnets))
			}
		}
		for j, r := range n.Routes {
			rp := fmt.Sprintf("%s.routes[%d]", p, j)
			if r.To != "default" {
				if _, err := netip.ParsePrefix(r.To); err != nil {
					v.errorf(rp+".to", "route destination %q is not a prefix like 10.0.3.0/24 or `default`", r.To)
				}
			}
			via, err := netip.ParseAddr(r.Via)
			if err != nil {
				v.errorf(rp+".via", "next hop %q is not an IPv4 address", r.Via)
			} else if !inAny(via, subnets) {
				v.errorf(rp+".via", "next hop %s is outside every subnet of %q", via, n.Name)
			}
		}
		if n.TCP.MinRTO != "" {
			if _, err := parseDuration(n.TCP.MinRTO); err != nil {
				v.errorf(p+".tcp.min_rto", "min_rto %q is not a time such as 200ms", n.TCP.MinRTO)
			}
		}
		if n.TCP.MSS != 0 && (n.TCP.MSS < 88 || n.TCP.MSS > 1460) {
			v.errorf(p+".tcp.mss", "MSS %d is outside 88..1460", n.TCP.MSS)
		}
		if s := n.Services.POP3; s != nil {
			sp := p + ".services.pop3"
			if n.Kind != "host" {
				v.errorf(sp, "only a host can run a POP3 server, %q is a %s", n.Name, n.Kind)
			}
			if s.Port < 0 || s.Port > 65535 {
				v.errorf(sp+".port", "port %d is outside 0..65535", s.Port)
			}
			if len(s.Users) == 0 {
				v.errorf(sp, "the POP3 server has no users")
			}
			for k, m := range s.Maildrop {
				mp := fmt.Sprintf("%s.maildrop[%d]", sp, k)
				switch {
				case m.Sample != "" && m.Generated != "":
					v.errorf(mp, "a mail is either `sample:` or `generated:`, not both")
				case m.Sample != "":
					if m.Sample != "zh" && m.Sample != "en" {
						v.errorf(mp+".sample", "sample %q: want zh or en", m.Sample)
					}
				case m.Generated != "":
					if n, err := ParseSize(m.Generated); err != nil || n <= 0 {
						v.errorf(mp+".generated", "size %q is not like 1MiB or 250kB", m.Generated)
					}
				default:
					v.errorf(mp, "a mail needs `sample: zh|en` or `generated: SIZE`")
				}
			}
		}
	}
	v.checkLinks(f, nodes)
	v.checkServices(f, nodes) // validate_apps.go
	v.checkApps(f, nodes, addrs)
	v.checkFaults(f, nodes) // faults.go
	v.checkExpect(f, nodes)
}

func (v *validator) checkNode(p, name string, nodes map[string]*Node, kind string) bool {
	n, ok := nodes[name]
	if !ok {
		v.errorf(p, "there is no node %q", name)
		return false
	}
	if kind != "" && n.Kind != kind {
		v.errorf(p, "%q is a %s, not a %s", name, n.Kind, kind)
		return false
	}
	return true
}

func (v *validator) checkLinks(f *File, nodes map[string]*Node) {
	used := map[string]string{}
	for i, l := range f.Links {
		p := fmt.Sprintf("$.links[%d]", i)
		for _, end := range []struct{ key, val string }{{"a", l.A}, {"b", l.B}} {
			node, port, ok := strings.Cut(end.val, ".")
			n := nodes[node]
			switch {
			case !ok:
				v.errorf(p+"."+end.key, "link end %q is not node.port (client.eth0, sw1.2)", end.val)
				continue
			case n == nil:
				v.errorf(p+"."+end.key, "link end %q: there is no node %q", end.val, node)
				continue
			case !hasPort(n, port):
				v.errorf(p+"."+end.key, "link end %q: %s %q has no port %q (%s)", end.val, n.Kind, node, port, portNames(n))
				continue
			}
			if prev := used[end.val]; prev != "" {
				v.errorf(p+"."+end.key, "port %s is already connected by %s", end.val, prev)
			}
			used[end.val] = fmt.Sprintf("link %d", i+1)
		}
		if l.A != "" && l.A == l.B {
			v.errorf(p, "a link cannot join a port to itself")
		}
		if r, err := ParseRate(l.Rate); err != nil || r <= 0 {
			v.errorf(p+".rate", "rate %q is not like 10Mb/s, 100Mb/s or 1Gb/s", l.Rate)
		}
		if l.Delay != "" {
			if d, err := parseDuration(l.Delay); err != nil || d < 0 {
				v.errorf(p+".delay", "delay %q is not a time such as 5us or 2ms", l.Delay)
			}
		}
		if l.Code != "" {
			if _, err := physical.ParseLineCode(l.Code); err != nil {
				v.errorf(p+".code", "line code %q: want nrz or manchester", l.Code)
			}
		}
		if l.ARQ != nil {
			v.checkARQ(p+".arq", l, nodes)
		}
	}
}

// checkARQ checks a link's arq: key: the mode, its window, a timeout
// longer than the link's round trip, and two ends that are interfaces of
// hosts or routers with room in their MTU for the ARQ header.
func (v *validator) checkARQ(p string, l Link, nodes map[string]*Node) {
	a := l.ARQ
	mode, err := datalink.ParseARQMode(a.Mode)
	switch {
	case err != nil:
		v.errorf(p+".mode", "ARQ mode %q: want stop-and-wait or go-back-n", a.Mode)
	case mode == datalink.StopAndWait && a.Window > 1:
		v.errorf(p+".window", "stop-and-wait sends one frame at a time: leave out window (or use go-back-n), got %d", a.Window)
	case mode == datalink.GoBackN && (a.Window < 1 || a.Window > datalink.MaxARQWindow):
		v.errorf(p+".window", "go-back-n needs a window of 1 to %d frames, got %d", datalink.MaxARQWindow, a.Window)
	}
	timeout, err := parseDuration(a.Timeout)
	if err != nil || timeout <= 0 {
		v.errorf(p+".timeout", "ARQ timeout %q is not a positive time such as 5ms", a.Timeout)
	} else if rate, err := ParseRate(l.Rate); err == nil && rate > 0 {
		delay, _ := parseDuration(l.Delay)
		// A full frame with preamble and SFD, the way there and back, and
		// the ACK, a minimum-size frame.
		bits := int64(8 * (datalink.MaxFrameLen + 8 + datalink.MinFrameLen + 8))
		rtt := time.Duration(bits*int64(time.Second)/rate) + 2*delay
		if timeout <= rtt {
			v.errorf(p+".timeout", "ARQ timeout %s is not longer than the link's round trip of %s (a full frame, the propagation both ways and the ACK): every frame would be sent again before its ACK could arrive",
				a.Timeout, rtt)
		}
	}
	for _, end := range []string{l.A, l.B} {
		node, port, _ := strings.Cut(end, ".")
		n := nodes[node]
		if n == nil {
			continue // reported by checkLinks
		}
		if n.Kind != "host" && n.Kind != "router" {
			v.errorf(p, "ARQ runs between the interfaces of hosts and routers, %q is a %s", node, n.Kind)
			continue
		}
		for _, itf := range n.Interfaces {
			if itf.Name == port && (itf.MTU == 0 || itf.MTU > datalink.ARQMaxPayload) {
				mtu := strconv.Itoa(itf.MTU)
				if itf.MTU == 0 {
					mtu = "1500 (the default)"
				}
				v.errorf(p, "%s has an MTU of %s: on a link with arq it may be at most %d, as the %d-octet ARQ header shares Ethernet's 1500; set `mtu: %d`",
					end, mtu, datalink.ARQMaxPayload, datalink.ARQHeaderLen, datalink.ARQMaxPayload)
			}
		}
	}
}

// resolve turns a server given as an address or a node name into an
// address.
func resolve(server string, nodes map[string]*Node) (netip.Addr, error) {
	if a, err := netip.ParseAddr(server); err == nil {
		return a, nil
	}
	n := nodes[server]
	if n == nil || len(n.Interfaces) == 0 {
		return netip.Addr{}, fmt.Errorf("server %q is neither an IPv4 address nor a host of this scenario", server)
	}
	for _, itf := range n.Interfaces {
		if pfx, err := netip.ParsePrefix(itf.IP); err == nil && pfx.Addr().Is4() && !pfx.Addr().IsUnspecified() {
			return pfx.Addr(), nil
		}
	}
	return netip.Addr{}, fmt.Errorf("server %q has no valid address", server)
}

func hasPort(n *Node, port string) bool {
	switch n.Kind {
	case "switch", "hub":
		k, err := strconv.Atoi(port)
		return err == nil && k >= 1 && k <= n.Ports
	}
	for _, itf := range n.Interfaces {
		if itf.Name == port {
			return true
		}
	}
	return false
}

func portNames(n *Node) string {
	if n.Kind == "switch" || n.Kind == "hub" {
		return fmt.Sprintf("ports 1 to %d", n.Ports)
	}
	var s []string
	for _, itf := range n.Interfaces {
		s = append(s, itf.Name)
	}
	return "interfaces " + strings.Join(s, ", ")
}

func inAny(a netip.Addr, ps []netip.Prefix) bool {
	for _, p := range ps {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

func prefixList(ps []netip.Prefix) string {
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = p.String()
	}
	return strings.Join(s, ", ")
}

// parseDuration accepts Go durations ("5us", "2ms", "1.5s") and "0".
func parseDuration(s string) (time.Duration, error) {
	if s == "0" {
		return 0, nil
	}
	return time.ParseDuration(strings.ReplaceAll(s, "µs", "us"))
}

// ParseRate reads a bit rate such as "10Mb/s", "100 Mbps", "1Gb/s" or
// "9600b/s" and returns bits per second.
func ParseRate(s string) (int64, error) {
	t := strings.ToLower(strings.ReplaceAll(s, " ", ""))
	t = strings.TrimSuffix(strings.TrimSuffix(t, "b/s"), "bps")
	mult := int64(1)
	switch {
	case strings.HasSuffix(t, "k"):
		mult, t = 1e3, t[:len(t)-1]
	case strings.HasSuffix(t, "m"):
		mult, t = 1e6, t[:len(t)-1]
	case strings.HasSuffix(t, "g"):
		mult, t = 1e9, t[:len(t)-1]
	}
	f, err := strconv.ParseFloat(t, 64)
	// !(f > 0) also refuses NaN, which ParseFloat accepts.
	if err != nil || !(f > 0) || f*float64(mult) > 1e12 || f*float64(mult) < 1 {
		return 0, fmt.Errorf("bad rate %q: want at least 1 b/s and at most 1 Tb/s", s)
	}
	return int64(f * float64(mult)), nil
}

// ParseSize reads a size such as "1MiB", "10MiB", "250kB", "4096" or "1GB"
// and returns bytes.
func ParseSize(s string) (int64, error) {
	t := strings.ReplaceAll(s, " ", "")
	units := []struct {
		suffix string
		mult   int64
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"kB", 1e3}, {"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"B", 1}}
	mult := int64(1)
	for _, u := range units {
		if strings.HasSuffix(t, u.suffix) {
			mult, t = u.mult, strings.TrimSuffix(t, u.suffix)
			break
		}
	}
	f, err := strconv.ParseFloat(t, 64)
	if err != nil || !(f >= 0) || f*float64(mult) > 1<<40 {
		return 0, fmt.Errorf("bad size %q: want a number with B, kB, KiB, MB, MiB, GB or GiB", s)
	}
	return int64(f * float64(mult)), nil
}
