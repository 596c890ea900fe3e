package scenarios

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/osisim/osisim/layers"
	"github.com/osisim/osisim/layers/application"
	"github.com/osisim/osisim/layers/datalink"
)

// DefaultDuration is how long a run lasts at most when the scenario says
// nothing.
const DefaultDuration = 120 * time.Second

// Default ports of the programs.
const (
	defaultPOP3Port   = 110
	defaultTelnetPort = 23
)

// reasons are the drop reasons an expectation may name.
var reasons = []layers.Reason{
	layers.ReasonFCS, layers.ReasonLineCode, layers.ReasonNotForMe, layers.ReasonFiltered, layers.ReasonMalformed,
	layers.ReasonChecksum, layers.ReasonTTL, layers.ReasonNoRoute, layers.ReasonARPFailed, layers.ReasonQueueFull,
	layers.ReasonPortClosed, layers.ReasonUnaccepted, layers.ReasonDuplicate, layers.ReasonNoConn, layers.ReasonFaultRule,
	layers.ReasonLoss, layers.ReasonLinkDown, layers.ReasonNeedFrag, layers.ReasonReassembly, layers.ReasonProtocol,
	layers.ReasonTLS,
}

// limit returns the run's duration.
func limit(f *File) time.Duration {
	if d, err := parseDuration(f.Duration); err == nil && d > 0 {
		return d
	}
	return DefaultDuration
}

// program returns the name of the app's program and how many it names.
func (a *App) program() (string, int) {
	name, n := "", 0
	for _, p := range []struct {
		name string
		set  bool
	}{{"pop3", a.POP3 != nil}, {"ping", a.Ping != nil}, {"telnet", a.Telnet != nil},
		{"traceroute", a.Traceroute != nil}, {"dns", a.DNS != nil}, {"rarp", a.RARP != nil}} {
		if p.set {
			name, n = p.name, n+1
		}
	}
	return name, n
}

// rarpClients returns the nodes that run an `rarp:` app.
func rarpClients(f *File) map[string]bool {
	out := map[string]bool{}
	for _, a := range f.Apps {
		if a.RARP != nil {
			out[a.Node] = true
		}
	}
	return out
}

// timeAt checks a point in simulated time: not negative, not beyond the
// run's duration.
func (v *validator) timeAt(p, what, s string, f *File) (time.Duration, bool) {
	d, err := parseDuration(s)
	switch {
	case err != nil:
		v.errorf(p, "%s %q is not a time such as 0s, 500ms or 1.5s", what, s)
		return 0, false
	case d < 0:
		v.errorf(p, "%s %s is negative: simulated time starts at 0", what, s)
		return 0, false
	case d > limit(f):
		v.errorf(p, "%s %s is beyond the end of the run at %ss (raise `duration:`)", what, s, strconv.FormatFloat(limit(f).Seconds(), 'f', -1, 64))
		return 0, false
	}
	return d, true
}

// owner returns the node that has address a on one of its interfaces.
func owner(a netip.Addr, f *File) *Node {
	for i := range f.Nodes {
		for _, itf := range f.Nodes[i].Interfaces {
			if p, err := netip.ParsePrefix(itf.IP); err == nil && p.Addr() == a {
				return &f.Nodes[i]
			}
		}
	}
	return nil
}

// checkServices checks the IP options of nodes and their DNS, RARP and
// POP3 start and stop keys.
func (v *validator) checkServices(f *File, nodes map[string]*Node) {
	rarpMACs := map[datalink.MAC]string{}
	for i := range f.Nodes {
		n := &f.Nodes[i]
		p := fmt.Sprintf("$.nodes[%d]", i)
		ipNode := n.Kind == "host" || n.Kind == "router"
		if n.DontFragment && !ipNode {
			v.errorf(p+".dont_fragment", "dont_fragment is for hosts and routers, %q is a %s", n.Name, n.Kind)
		}
		if n.ARPTimeout != "" {
			if !ipNode {
				v.errorf(p+".arp_timeout", "arp_timeout is for hosts and routers, %q is a %s", n.Name, n.Kind)
			} else if d, err := parseDuration(n.ARPTimeout); err != nil || d <= 0 {
				v.errorf(p+".arp_timeout", "arp_timeout %q is not a positive time such as 20s", n.ARPTimeout)
			}
		}
		if s := n.Services.POP3; s != nil {
			sp := p + ".services.pop3"
			var start, stop time.Duration
			okStart, okStop := true, true
			if s.Start != "" {
				start, okStart = v.timeAt(sp+".start", "start", s.Start, f)
			}
			if s.Stop != "" {
				stop, okStop = v.timeAt(sp+".stop", "stop", s.Stop, f)
				if okStop && stop == 0 {
					v.errorf(sp+".stop", "stop 0s would stop the service before anything runs: leave the service out instead")
				}
			}
			if s.Start != "" && s.Stop != "" && okStart && okStop && stop <= start {
				v.errorf(sp+".stop", "the service stops at %s, before it starts at %s", s.Stop, s.Start)
			}
		}
		if s := n.Services.DNS; s != nil {
			sp := p + ".services.dns"
			if n.Kind != "host" {
				v.errorf(sp, "only a host can run a DNS server, %q is a %s", n.Name, n.Kind)
			}
			if len(s.Records) == 0 {
				v.errorf(sp, "the DNS server has no records: add `records: [{name: mail.example.edu, a: 10.0.2.110}]`")
			}
			for k, r := range s.Records {
				rp := fmt.Sprintf("%s.records[%d]", sp, k)
				if _, err := application.CanonicalDNSName(r.Name); err != nil || r.Name == "" {
					v.errorf(rp+".name", "%q is not a domain name such as mail.example.edu", r.Name)
				}
				if a, err := netip.ParseAddr(r.A); err != nil || !a.Is4() {
					v.errorf(rp+".a", "an A record needs an IPv4 address, not %q", r.A)
				}
				if r.TTL < 0 {
					v.errorf(rp+".ttl", "TTL %d is negative", r.TTL)
				}
			}
		}
		if s := n.Services.RARP; s != nil {
			sp := p + ".services.rarp"
			if !ipNode {
				v.errorf(sp, "a RARP server is a host or a router, %q is a %s", n.Name, n.Kind)
			}
			if len(s.Table) == 0 {
				v.errorf(sp, "the RARP server has an empty table: add `table: [{mac: \"02:00:00:00:01:30\", ip: 10.0.1.30}]`")
			}
			for k, e := range s.Table {
				ep := fmt.Sprintf("%s.table[%d]", sp, k)
				mac, err := datalink.ParseMAC(e.MAC)
				switch {
				case err != nil:
					v.errorf(ep+".mac", "MAC address %q is not like 02:00:00:00:01:0a", e.MAC)
				case mac.IsMulticast() || mac.IsZero():
					v.errorf(ep+".mac", "MAC address %s is not an individual address", mac)
				case rarpMACs[mac] != "":
					v.errorf(ep+".mac", "MAC address %s is already in the RARP table of %s", mac, rarpMACs[mac])
				default:
					rarpMACs[mac] = n.Name
				}
				a, err := netip.ParseAddr(e.IP)
				if err != nil || !a.Is4() || a.IsUnspecified() || a.IsMulticast() || a.IsLoopback() {
					v.errorf(ep+".ip", "%q is not an IPv4 host address", e.IP)
				} else if o := owner(a, f); o != nil {
					v.errorf(ep+".ip", "address %s is already used by %s", a, o.Name)
				}
			}
		}
	}
}

// target turns the destination of ping, telnet or traceroute, an address
// or a node name, into an address.
func target(to string, nodes map[string]*Node) (netip.Addr, error) {
	if a, err := netip.ParseAddr(to); err == nil {
		if !a.Is4() {
			return netip.Addr{}, fmt.Errorf("%q is not an IPv4 address", to)
		}
		return a, nil
	}
	n := nodes[to]
	if n == nil {
		return netip.Addr{}, fmt.Errorf("%q is neither an IPv4 address nor a node of this scenario", to)
	}
	if n.Kind != "host" && n.Kind != "router" {
		return netip.Addr{}, fmt.Errorf("%q is a %s, which has no IPv4 address", to, n.Kind)
	}
	return resolve(to, nodes)
}

// dnsApp returns the dns: app on node that resolves name, if any.
func dnsApp(f *File, node, name string) *DNSApp {
	for _, a := range f.Apps {
		if a.Node == node && a.DNS != nil && name != "" && application.DNSNameEqual(a.DNS.Name, name) {
			return a.DNS
		}
	}
	return nil
}

// zoneAddr returns the address the scenario's DNS servers give name.
func zoneAddr(f *File, name string) (netip.Addr, bool) {
	for _, n := range f.Nodes {
		if n.Services.DNS == nil {
			continue
		}
		for _, r := range n.Services.DNS.Records {
			if application.DNSNameEqual(r.Name, name) {
				a, err := netip.ParseAddr(r.A)
				return a, err == nil
			}
		}
	}
	return netip.Addr{}, false
}

// serverAddr returns the address a POP3 client on node talks to, and
// whether it comes from a DNS lookup; for a looked-up name the address is
// the one the scenario's DNS servers hold.
func serverAddr(f *File, node, server string, nodes map[string]*Node) (netip.Addr, bool, error) {
	if a, err := netip.ParseAddr(server); err == nil {
		return a, false, nil
	}
	if dnsApp(f, node, server) != nil {
		a, ok := zoneAddr(f, server)
		if !ok {
			return netip.Addr{}, true, fmt.Errorf("no DNS server of this scenario has a record for %q", server)
		}
		return a, true, nil
	}
	a, err := resolve(server, nodes)
	if err != nil {
		return a, false, fmt.Errorf("server %q is neither an IPv4 address, a host of this scenario, nor a name a `dns:` app on %q resolves", server, node)
	}
	return a, false, nil
}

func (v *validator) checkApps(f *File, nodes map[string]*Node, addrs map[netip.Addr]string) {
	for i := range f.Apps {
		a := &f.Apps[i]
		p := fmt.Sprintf("$.apps[%d]", i)
		isHost := v.checkNode(p+".node", a.Node, nodes, "host")
		if a.Start != "" {
			v.timeAt(p+".start", "start", a.Start, f)
		}
		prog, count := a.program()
		if count != 1 {
			v.errorf(p, "an app runs one program: `pop3:`, `ping:`, `telnet:`, `traceroute:`, `dns:` or `rarp:` (this one names %d)", count)
			continue
		}
		pp := p + "." + prog
		switch prog {
		case "pop3":
			v.checkPOP3Client(f, a, pp, nodes)
		case "ping":
			c := a.Ping
			if _, err := target(c.To, nodes); err != nil {
				v.errorf(pp+".to", "ping to %v", err)
			}
			if c.Count < 0 || c.Count > 1000 {
				v.errorf(pp+".count", "count %d is outside 1..1000 (absent: 4)", c.Count)
			}
			if c.Interval != "" {
				if d, err := parseDuration(c.Interval); err != nil || d <= 0 {
					v.errorf(pp+".interval", "interval %q is not a positive time such as 1s or 200ms", c.Interval)
				}
			}
		case "telnet":
			c := a.Telnet
			if _, err := target(c.To, nodes); err != nil {
				v.errorf(pp+".to", "telnet to %v", err)
			}
			if c.Port < 0 || c.Port > 65535 {
				v.errorf(pp+".port", "port %d is outside 1..65535 (absent: 23)", c.Port)
			}
		case "traceroute":
			c := a.Traceroute
			if _, err := target(c.To, nodes); err != nil {
				v.errorf(pp+".to", "traceroute to %v", err)
			}
			if c.MaxHops < 0 || c.MaxHops > 255 {
				v.errorf(pp+".max_hops", "max_hops %d is outside 1..255 (absent: 30)", c.MaxHops)
			}
		case "dns":
			c := a.DNS
			if _, err := application.CanonicalDNSName(c.Name); err != nil || c.Name == "" {
				v.errorf(pp+".name", "%q is not a domain name such as mail.example.edu", c.Name)
			}
			addr, err := resolve(c.Server, nodes)
			switch {
			case err != nil:
				v.errorf(pp+".server", "name %v", err)
			case owner(addr, f) == nil:
				v.errorf(pp+".server", "no host of this scenario has address %s: the query would go unanswered", addr)
			case owner(addr, f).Services.DNS == nil:
				v.errorf(pp+".server", "%s (%s) runs no DNS server: add `services: {dns: ...}` to it", owner(addr, f).Name, addr)
			}
		case "rarp":
			if !isHost {
				continue
			}
			n := nodes[a.Node]
			unaddressed := false
			for _, itf := range n.Interfaces {
				if pfx, err := netip.ParsePrefix(itf.IP); err == nil && pfx.Addr().IsUnspecified() {
					unaddressed = true
					mac, err := datalink.ParseMAC(itf.MAC)
					if err == nil && !rarpKnows(f, mac) {
						v.errorf(pp, "no RARP server of this scenario has %s (%s.%s) in its table: the request would go unanswered", mac, n.Name, itf.Name)
					}
				}
			}
			if !unaddressed {
				v.errorf(pp, "%q has an address on every interface: RARP is for an interface at 0.0.0.0/N", a.Node)
			}
			if n.Gateway != "" || len(n.Routes) > 0 {
				v.errorf(p+".node", "%q learns its address by RARP, which gives no gateway or routes: leave `gateway:` and `routes:` out", a.Node)
			}
		}
	}
}

// rarpKnows reports whether a RARP server of f has mac in its table.
func rarpKnows(f *File, mac datalink.MAC) bool {
	for _, n := range f.Nodes {
		if n.Services.RARP == nil {
			continue
		}
		for _, e := range n.Services.RARP.Table {
			if m, err := datalink.ParseMAC(e.MAC); err == nil && m == mac {
				return true
			}
		}
	}
	return false
}

func (v *validator) checkPOP3Client(f *File, a *App, cp string, nodes map[string]*Node) {
	c := a.POP3
	if c.Port < 0 || c.Port > 65535 {
		v.errorf(cp+".port", "port %d is outside 0..65535", c.Port)
	}
	port := c.Port
	if port == 0 {
		port = defaultPOP3Port
	}
	addr, viaDNS, err := serverAddr(f, a.Node, c.Server, nodes)
	if err != nil {
		v.errorf(cp+".server", "%v", err)
	} else {
		srv := owner(addr, f)
		how := ""
		if viaDNS {
			how = fmt.Sprintf(" (the DNS record of %s)", c.Server)
		}
		switch {
		case srv == nil:
			v.errorf(cp+".server", "no host of this scenario has address %s%s: the POP3 client would reach nobody", addr, how)
		case srv.Services.POP3 == nil:
			v.errorf(cp+".server", "%s (%s%s) runs no POP3 server: add `services: {pop3: ...}` to it", srv.Name, addr, how)
		case pop3Port(srv.Services.POP3) != port:
			v.errorf(cp+".server", "the POP3 server on %s listens on port %d, not %d", srv.Name, pop3Port(srv.Services.POP3), port)
		}
	}
	if len(c.Commands) == 0 {
		v.errorf(cp+".commands", "the POP3 client has no commands")
	}
	if c.IdleTimeout != "" {
		if d, err := parseDuration(c.IdleTimeout); err != nil || d <= 0 {
			v.errorf(cp+".idle_timeout", "idle_timeout %q is not a positive time such as 5m", c.IdleTimeout)
		}
	}
	for j, cmd := range c.Commands {
		if strings.ContainsAny(cmd, "\r\n") || strings.TrimSpace(cmd) == "" {
			v.errorf(fmt.Sprintf("%s.commands[%d]", cp, j), "command %q must be one non-empty line", cmd)
		}
	}
}

func pop3Port(s *POP3Service) int {
	if s.Port == 0 {
		return defaultPOP3Port
	}
	return s.Port
}

// appsOf returns the indices of the apps on node that run prog.
func appsOf(f *File, node, prog string) []int {
	var out []int
	for i := range f.Apps {
		if p, _ := f.Apps[i].program(); f.Apps[i].Node == node && p == prog {
			out = append(out, i)
		}
	}
	return out
}

// pickApp finds the one app of prog on node that an expectation is about:
// the only one, or the one started at start.
func (v *validator) pickApp(p string, f *File, node, prog, start string) {
	idx := appsOf(f, node, prog)
	switch {
	case len(idx) == 0:
		v.errorf(p+".node", "no `%s:` app runs on %q", prog, node)
	case start != "":
		want, err := parseDuration(start)
		if err != nil {
			v.errorf(p+".start", "start %q is not a time such as 1.5s", start)
			return
		}
		for _, i := range idx {
			if d, _ := parseDuration(orZero(f.Apps[i].Start)); d == want {
				return
			}
		}
		v.errorf(p+".start", "no `%s:` app on %q starts at %s", prog, node, start)
	case len(idx) > 1:
		v.errorf(p, "%q runs %d `%s:` apps: say which with `start:`", node, len(idx), prog)
	}
}

func orZero(s string) string {
	if s == "" {
		return "0"
	}
	return s
}

// kinds returns the keys an expectation sets.
func (e *Expect) kinds() []string {
	var out []string
	for _, k := range []struct {
		name string
		set  bool
	}{{"retrieved", e.Retrieved != nil}, {"maildrop", e.Maildrop != nil}, {"ping", e.Ping != nil},
		{"telnet", e.Telnet != nil}, {"traceroute", e.Traceroute != nil}, {"resolved", e.Resolved != nil},
		{"rarp", e.RARP != nil}, {"fragmented", e.Fragmented != nil}, {"reassembled", e.Reassembled != nil},
		{"dropped", e.Dropped != nil}, {"reply", e.Reply != nil}, {"tls", e.TLS != nil}} {
		if k.set {
			out = append(out, k.name)
		}
	}
	return out
}

func (v *validator) checkExpect(f *File, nodes map[string]*Node) {
	for i := range f.Expect {
		e := &f.Expect[i]
		p := fmt.Sprintf("$.expect[%d]", i)
		kinds := e.kinds()
		if len(kinds) != 1 {
			v.errorf(p, "an expectation is one of `retrieved:`, `maildrop:`, `ping:`, `telnet:`, `traceroute:`, `resolved:`, `rarp:`, `fragmented:`, `reassembled:`, `dropped:`, `reply:` or `tls:` (this one sets %d)", len(kinds))
			continue
		}
		kp := p + "." + kinds[0]
		switch {
		case e.Retrieved != nil:
			if v.checkNode(kp+".node", e.Retrieved.Node, nodes, "host") && len(appsOf(f, e.Retrieved.Node, "pop3")) == 0 {
				v.errorf(kp+".node", "no `pop3:` app runs on %q", e.Retrieved.Node)
			}
			if e.Retrieved.Message < 1 {
				v.errorf(kp+".message", "message numbers start at 1")
			}
		case e.Maildrop != nil:
			if v.checkNode(kp+".node", e.Maildrop.Node, nodes, "host") && nodes[e.Maildrop.Node].Services.POP3 == nil {
				v.errorf(kp+".node", "%q runs no POP3 server", e.Maildrop.Node)
			}
		case e.Ping != nil:
			if v.checkNode(kp+".node", e.Ping.Node, nodes, "host") {
				v.pickApp(kp, f, e.Ping.Node, "ping", e.Ping.Start)
			}
		case e.Telnet != nil:
			t := e.Telnet
			if v.checkNode(kp+".node", t.Node, nodes, "host") {
				v.pickApp(kp, f, t.Node, "telnet", t.Start)
			}
			if t.Refused == t.Connected {
				v.errorf(kp, "say what telnet should find: `refused: true` (RST) or `connected: true`")
			}
			if t.Greeting != "" && !t.Connected {
				v.errorf(kp+".greeting", "a greeting comes only with `connected: true`")
			}
		case e.Traceroute != nil:
			t := e.Traceroute
			if v.checkNode(kp+".node", t.Node, nodes, "host") {
				v.pickApp(kp, f, t.Node, "traceroute", "")
			}
			if len(t.Path) == 0 {
				v.errorf(kp, "the path is empty: list the hops, such as [r1, r2, server]")
			}
			for j, hop := range t.Path {
				if _, err := netip.ParseAddr(hop); err == nil {
					continue
				}
				if n := nodes[hop]; n == nil || (n.Kind != "host" && n.Kind != "router") {
					v.errorf(fmt.Sprintf("%s.path[%d]", kp, j), "hop %q is neither an IPv4 address nor a host or router of this scenario", hop)
				}
			}
		case e.Resolved != nil:
			r := e.Resolved
			if v.checkNode(kp+".node", r.Node, nodes, "host") && dnsApp(f, r.Node, r.Name) == nil {
				v.errorf(kp+".name", "no `dns:` app on %q resolves %q", r.Node, r.Name)
			}
			if a, err := netip.ParseAddr(r.A); err != nil || !a.Is4() {
				v.errorf(kp+".a", "%q is not an IPv4 address", r.A)
			}
		case e.RARP != nil:
			r := e.RARP
			if v.checkNode(kp+".node", r.Node, nodes, "host") && len(appsOf(f, r.Node, "rarp")) == 0 {
				v.errorf(kp+".node", "no `rarp:` app runs on %q", r.Node)
			}
			if a, err := netip.ParseAddr(r.IP); err != nil || !a.Is4() {
				v.errorf(kp+".ip", "%q is not an IPv4 address", r.IP)
			}
		case e.Fragmented != nil:
			v.checkIPNode(kp+".node", e.Fragmented.Node, nodes)
		case e.Reassembled != nil:
			v.checkIPNode(kp+".node", e.Reassembled.Node, nodes)
		case e.Dropped != nil:
			d := e.Dropped
			v.checkNode(kp+".node", d.Node, nodes, "")
			known := false
			names := make([]string, len(reasons))
			for j, r := range reasons {
				names[j] = string(r)
				known = known || string(r) == d.Reason
			}
			if !known {
				v.errorf(kp+".reason", "reason %q: want one of %s", d.Reason, strings.Join(names, ", "))
			}
			if d.Layer < 0 || d.Layer > 7 {
				v.errorf(kp+".layer", "layer %d is outside 1..7", d.Layer)
			}
			if d.AtLeast != nil && *d.AtLeast < 0 {
				v.errorf(kp+".at_least", "at_least %d is negative", *d.AtLeast)
			}
			if d.AtMost != nil && *d.AtMost < 0 {
				v.errorf(kp+".at_most", "at_most %d is negative", *d.AtMost)
			}
			if d.AtLeast != nil && d.AtMost != nil && *d.AtLeast > *d.AtMost {
				v.errorf(kp, "at_least %d is more than at_most %d", *d.AtLeast, *d.AtMost)
			}
		case e.Reply != nil:
			r := e.Reply
			if v.checkNode(kp+".node", r.Node, nodes, "host") && len(appsOf(f, r.Node, "pop3")) == 0 {
				v.errorf(kp+".node", "no `pop3:` app runs on %q", r.Node)
			}
			if strings.TrimSpace(r.Command) == "" || strings.ContainsAny(r.Command, "\r\n") {
				v.errorf(kp+".command", "command %q must be one non-empty line such as PASS or \"RETR 1\"", r.Command)
			}
		}
	}
}

func (v *validator) checkIPNode(p, name string, nodes map[string]*Node) {
	n, ok := nodes[name]
	switch {
	case !ok:
		v.errorf(p, "there is no node %q", name)
	case n.Kind != "host" && n.Kind != "router":
		v.errorf(p, "%q is a %s, which has no IP layer", name, n.Kind)
	}
}

// broadcastOf returns the directed broadcast address of p's network.
func broadcastOf(p netip.Prefix) netip.Addr {
	a := p.Masked().Addr().As4()
	host := uint32(1)<<(32-p.Bits()) - 1
	v := uint32(a[0])<<24 | uint32(a[1])<<16 | uint32(a[2])<<8 | uint32(a[3]) | host
	return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)})
}
