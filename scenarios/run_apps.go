package scenarios

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/osisim/osisim/layers"
	"github.com/osisim/osisim/layers/application"
	"github.com/osisim/osisim/layers/datalink"
	"github.com/osisim/osisim/layers/network"
	"github.com/osisim/osisim/sim"
)

// appRun is one app of the scenario as it runs.
type appRun struct {
	app     *App
	start   time.Duration
	pop3    *sim.POP3Client
	ping    *sim.Ping
	telnet  *sim.Telnet
	trace   *sim.Traceroute
	dns     *sim.Resolution
	waiters []func(netip.Addr, error) // POP3 clients waiting for this lookup
	why     string                    // why a POP3 client never started
}

// ipOptions are the IP-layer keys of node n.
func ipOptions(n *Node) sim.IPOptions {
	o := sim.IPOptions{DontFragment: n.DontFragment}
	if n.ARPTimeout != "" {
		o.ARPTimeout, _ = parseDuration(n.ARPTimeout)
	}
	if s := n.Services.RARP; s != nil {
		o.RARPServer = network.RARPServer{}
		for _, e := range s.Table {
			mac, _ := datalink.ParseMAC(e.MAC)
			o.RARPServer[mac], _ = netip.ParseAddr(e.IP)
		}
	}
	return o
}

// startDNSServer starts the DNS server of a host, if it has one.
func startDNSServer(h *sim.Host, s *DNSService) error {
	if s == nil {
		return nil
	}
	var rs []application.DNSRecord
	for _, r := range s.Records {
		a, _ := netip.ParseAddr(r.A)
		ttl := uint32(3600)
		if r.TTL > 0 {
			ttl = uint32(r.TTL)
		}
		rs = append(rs, application.DNSA(r.Name, a, ttl))
	}
	_, err := h.StartDNSServer(rs)
	return err
}

// startApps starts every app at its time. A POP3 client whose server is a
// name starts once the dns: app on its node has resolved the name.
func (b *built) startApps(f *File) error {
	nodes := map[string]*Node{}
	for i := range f.Nodes {
		nodes[f.Nodes[i].Name] = &f.Nodes[i]
	}
	b.apps = make([]*appRun, len(f.Apps))
	for i := range f.Apps {
		a := &f.Apps[i]
		start, _ := parseDuration(orZero(a.Start))
		b.apps[i] = &appRun{app: a, start: start}
	}
	for _, ar := range b.apps {
		a, h := ar.app, b.hosts[ar.app.Node]
		switch {
		case a.Ping != nil:
			dst, err := target(a.Ping.To, nodes)
			if err != nil {
				return err
			}
			interval, _ := parseDuration(orZero(a.Ping.Interval))
			ar.ping = h.StartPing(ar.start, dst, a.Ping.Count, interval)
		case a.Telnet != nil:
			dst, err := target(a.Telnet.To, nodes)
			if err != nil {
				return err
			}
			port := a.Telnet.Port
			if port == 0 {
				port = defaultTelnetPort
			}
			ar.telnet = h.StartTelnet(ar.start, netip.AddrPortFrom(dst, uint16(port)))
		case a.Traceroute != nil:
			dst, err := target(a.Traceroute.To, nodes)
			if err != nil {
				return err
			}
			ar.trace = h.StartTraceroute(ar.start, dst, a.Traceroute.MaxHops)
		case a.DNS != nil:
			server, err := resolve(a.DNS.Server, nodes)
			if err != nil {
				return err
			}
			ar.dns = h.Resolve(ar.start, server, a.DNS.Name, func(addr netip.Addr, err error) {
				for _, w := range ar.waiters {
					w(addr, err)
				}
			})
		case a.RARP != nil:
			h.StartRARP(ar.start)
		}
	}
	for _, ar := range b.apps {
		if ar.app.POP3 != nil {
			if err := b.startPOP3(f, ar, nodes); err != nil {
				return err
			}
		}
	}
	return nil
}

func (b *built) startPOP3(f *File, ar *appRun, nodes map[string]*Node) error {
	a, c, h := ar.app, ar.app.POP3, b.hosts[ar.app.Node]
	port := c.Port
	if port == 0 {
		port = defaultPOP3Port
	}
	cfg := sim.POP3ClientConfig{User: c.User, Pass: c.Pass, Commands: c.Commands, Resume: c.Resume,
		Profile: b.profile, Compress: b.deflate, TLS: b.clientTLS(f, c)}
	if c.IdleTimeout != "" {
		cfg.IdleTimeout, _ = parseDuration(c.IdleTimeout)
	}
	if _, err := netip.ParseAddr(c.Server); err != nil && dnsApp(f, a.Node, c.Server) != nil {
		var lookup *appRun
		for _, o := range b.apps {
			if o.app.Node == a.Node && o.app.DNS != nil && application.DNSNameEqual(o.app.DNS.Name, c.Server) {
				lookup = o
				break
			}
		}
		ar.why = fmt.Sprintf("the POP3 client on %s waited for the DNS lookup of %s, which never finished", a.Node, c.Server)
		lookup.waiters = append(lookup.waiters, func(addr netip.Addr, err error) {
			if err != nil {
				ar.why = fmt.Sprintf("the POP3 client on %s never started: the DNS lookup of %s failed: %v", a.Node, c.Server, err)
				return
			}
			e := layers.Event{Node: a.Node, Layer: layers.Application, Dir: layers.Note}.Say("l7.dns.use",
				"%s is %s: the POP3 client connects to that address", c.Server, addr)
			b.sim.Record(&e)
			cfg.Server = netip.AddrPortFrom(addr, uint16(port))
			ar.pop3 = h.StartPOP3Client(max(ar.start, b.sim.Now()), cfg)
		})
		return nil
	}
	addr, err := resolve(c.Server, nodes)
	if err != nil {
		return err
	}
	cfg.Server = netip.AddrPortFrom(addr, uint16(port))
	ar.pop3 = h.StartPOP3Client(ar.start, cfg)
	return nil
}

// retriever returns the POP3 client on node that retrieved message n, or
// else the last one that ran there, or nil and why none ran.
func (b *built) retriever(node string, n int) (*sim.POP3Client, string) {
	var last *sim.POP3Client
	why := "no POP3 client ran on " + node
	for _, ar := range b.apps {
		if ar.app.Node != node || ar.app.POP3 == nil {
			continue
		}
		if ar.pop3 == nil {
			why = ar.why
			continue
		}
		if _, ok := ar.pop3.Retrieved(n); ok {
			return ar.pop3, ""
		}
		last = ar.pop3
	}
	if last != nil {
		return last, ""
	}
	return nil, why
}

// pick returns the app of prog on node that an expectation names by its
// start time, or the only one.
func (b *built) pick(node, prog, start string) *appRun {
	want, _ := parseDuration(orZero(start))
	for _, ar := range b.apps {
		if p, _ := ar.app.program(); ar.app.Node == node && p == prog && (start == "" || ar.start == want) {
			return ar
		}
	}
	return nil
}

// checkMore evaluates the expectations beyond retrieved and maildrop.
func (b *built) checkMore(f *File, e Expect) Check {
	var c Check
	switch {
	case e.Ping != nil:
		x := e.Ping
		p := b.pick(x.Node, "ping", x.Start).ping
		st := p.Stats()
		if x.Answered {
			c.what(layers.Event{}.Say("check.ping.answered", "ping from %s answered", x.Node))
			c.OK = st.Transmitted > 0 && st.Received == st.Transmitted && p.Done()
		} else {
			c.what(layers.Event{}.Say("check.ping.unanswered", "ping from %s not answered", x.Node))
			c.OK = st.Received == 0
		}
		errs := ""
		if st.Errors > 0 {
			errs = fmt.Sprintf(", %d ICMP errors", st.Errors)
		}
		if err := p.Err(); err != nil {
			errs += ": " + err.Error()
		}
		c.detail(layers.Event{}.Say("check.ping.detail", "%d transmitted, %d received%s", st.Transmitted, st.Received, errs))
	case e.Telnet != nil:
		x := e.Telnet
		t := b.pick(x.Node, "telnet", x.Start).telnet
		switch {
		case x.Refused:
			c.what(layers.Event{}.Say("check.telnet.refused", "telnet from %s refused", x.Node))
			c.OK = t.Refused()
		default:
			c.what(layers.Event{}.Say("check.telnet.connected", "telnet from %s connected", x.Node))
			c.OK = t.Connected() && strings.Contains(t.Greeting(), x.Greeting)
		}
		switch {
		case t.Refused():
			c.detail(layers.Event{}.Say("check.telnet.rst", "the SYN was answered with RST: connection refused"))
		case t.Connected():
			c.detail(layers.Event{}.Say("check.telnet.said", "connected; the service said %q", strings.TrimRight(t.Greeting(), "\r\n")))
		case t.Err() != nil:
			c.detail(layers.Event{}.Say("check.telnet.err", "not connected: %s", t.Err().Error()))
		default:
			c.detail(layers.Event{}.Say("check.noanswer", "no answer yet when the run ended"))
		}
	case e.Traceroute != nil:
		x := e.Traceroute
		t := b.pick(x.Node, "traceroute", "").trace
		c.what(layers.Event{}.Say("check.traceroute", "traceroute from %s", x.Node))
		var got []string
		for _, a := range t.Path() {
			got = append(got, b.hopName(f, a))
		}
		c.OK = len(got) == len(x.Path)
		for i := range min(len(got), len(x.Path)) {
			want := x.Path[i]
			if got[i] != want && !strings.HasSuffix(got[i], "("+want+")") {
				c.OK = false
			}
		}
		if c.OK {
			c.detail(layers.Event{}.Say("check.traceroute.path", "path %s", strings.Join(got, ", ")))
		} else {
			c.detail(layers.Event{}.Say("check.traceroute.want", "path %s; want %s", strings.Join(got, ", "), strings.Join(x.Path, ", ")))
		}
	case e.Resolved != nil:
		x := e.Resolved
		r := b.dnsOf(x.Node, x.Name)
		want, _ := netip.ParseAddr(x.A)
		c.what(layers.Event{}.Say("check.resolved", "%s resolved %s", x.Node, x.Name))
		c.OK = r.Err() == nil && slices.Contains(r.Addrs(), want)
		switch {
		case r.Err() != nil:
			c.Detail = r.Err().Error()
		case !r.Done():
			c.detail(layers.Event{}.Say("check.noanswer", "no answer yet when the run ended"))
		default:
			c.detail(layers.Event{}.Say("check.resolved.got", "got %s over UDP in %d queries, want %s", addrList(r.Addrs()), r.Tries(), want.String()))
		}
	case e.RARP != nil:
		x := e.RARP
		want, _ := netip.ParseAddr(x.IP)
		c.what(layers.Event{}.Say("check.rarp", "%s learned its address by RARP", x.Node))
		var got []netip.Addr
		for _, p := range b.hosts[x.Node].Addresses() {
			if !p.Addr().IsUnspecified() {
				got = append(got, p.Addr())
			}
		}
		c.OK = slices.Contains(got, want)
		c.detail(layers.Event{}.Say("check.rarp.got", "addresses %s, want %s", addrList(got), want.String()))
	case e.Fragmented != nil:
		n := e.Fragmented.Node
		c.what(layers.Event{}.Say("check.fragmented", "%s fragmented datagrams", n))
		k := b.watch.fragsSent[n]
		c.OK = k > 0
		c.detail(layers.Event{}.Say("check.fragmented.got", "%d fragments sent", k))
	case e.Reassembled != nil:
		n := e.Reassembled.Node
		c.what(layers.Event{}.Say("check.reassembled", "%s reassembled datagrams", n))
		k := b.watch.reassembled[n]
		c.OK = k > 0
		c.detail(layers.Event{}.Say("check.reassembled.got", "%d datagrams reassembled from %d fragments received", k, b.watch.fragsReceived[n]))
	case e.Dropped != nil:
		x := e.Dropped
		n := 0
		for _, d := range b.sim.Stats().Drops {
			if d.Node == x.Node && string(d.Reason) == x.Reason && (x.Layer == 0 || int(d.Layer) == x.Layer) {
				n += d.Count
			}
		}
		lo, hi := 1, -1
		if x.AtLeast != nil || x.AtMost != nil {
			lo = 0
		}
		if x.AtLeast != nil {
			lo = *x.AtLeast
		}
		if x.AtMost != nil {
			hi = *x.AtMost
		}
		if x.Layer > 0 {
			c.what(layers.Event{}.Say("check.drops.layer", "%s at L%d drops for %s", x.Node, x.Layer, layers.Reason(x.Reason)))
		} else {
			c.what(layers.Event{}.Say("check.drops", "%s drops for %s", x.Node, layers.Reason(x.Reason)))
		}
		c.OK = n >= lo && (hi < 0 || n <= hi)
		if hi >= 0 {
			c.detail(layers.Event{}.Say("check.drops.between", "%d dropped, want at least %d and at most %d", n, lo, hi))
		} else {
			c.detail(layers.Event{}.Say("check.drops.got", "%d dropped, want at least %d", n, lo))
		}
	case e.Reply != nil:
		x := e.Reply
		want := "+OK"
		if !x.OK {
			want = "-ERR"
		}
		c.what(layers.Event{}.Say("check.reply", "%s got %s to %s", x.Node, want, x.Command))
		c.detail(layers.Event{}.Say("check.reply.never", "never sent"))
		fields := strings.Fields(x.Command)
		for _, ar := range b.apps {
			if ar.app.Node != x.Node || ar.pop3 == nil {
				continue
			}
			for _, ex := range ar.pop3.Results() {
				cmd := ex.Command
				if !strings.EqualFold(cmd.Keyword, fields[0]) || (len(fields) > 1 && !slices.Equal(cmd.Args, fields[1:])) {
					continue
				}
				c.detail(layers.Event{}.Say("check.reply.got", "%s answered %q", cmd.String(), ex.Reply.String()))
				if ex.Reply.OK == x.OK {
					c.OK = true
					break
				}
			}
			if c.OK {
				break
			}
		}
	}
	return c
}

// dnsOf returns the lookup of name on node.
func (b *built) dnsOf(node, name string) *sim.Resolution {
	for _, ar := range b.apps {
		if ar.app.Node == node && ar.app.DNS != nil && application.DNSNameEqual(ar.app.DNS.Name, name) {
			return ar.dns
		}
	}
	return nil
}

// hopName names a traceroute hop: "r1", or the address when no node has
// it, or "*" when no probe was answered.
func (b *built) hopName(f *File, a netip.Addr) string {
	if !a.IsValid() {
		return "*"
	}
	if n := owner(a, f); n != nil {
		return n.Name
	}
	return a.String()
}

func addrList(as []netip.Addr) string {
	if len(as) == 0 {
		return "none"
	}
	s := make([]string, len(as))
	for i, a := range as {
		s[i] = a.String()
	}
	return strings.Join(s, ", ")
}

// watcher sees what some expectations need during the run: the IPv4
// fragments each node sends and receives (from the frames on the links),
// and the datagrams each node reassembles (from the trace).
type watcher struct {
	frags, reasm  bool
	trace         bool // the run must be traced
	inner         sim.Capture
	rec           layers.Recorder
	fragsSent     map[string]int
	fragsReceived map[string]int
	reassembled   map[string]int
	seen          map[string]map[fragKey]bool // per node, the datagrams whose fragments reached it
}

func newWatcher(f *File) *watcher {
	w := &watcher{fragsSent: map[string]int{}, fragsReceived: map[string]int{}, reassembled: map[string]int{},
		seen: map[string]map[fragKey]bool{}}
	for _, e := range f.Expect {
		w.frags = w.frags || e.Fragmented != nil || e.Reassembled != nil
		w.reasm = w.reasm || e.Reassembled != nil
		// Some layers record their drops only while tracing: a run with
		// a dropped: expectation is traced, so that it counts them all.
		w.trace = w.trace || e.Reassembled != nil || e.Dropped != nil
	}
	return w
}

// recorder returns the recorder the run records to: rec, or rec and the
// watcher when it needs the trace.
func (w *watcher) recorder(rec layers.Recorder) layers.Recorder {
	if !w.trace {
		return rec
	}
	if rec == nil {
		rec = layers.Discard
	}
	w.rec = rec
	return w
}

// Record implements layers.Recorder: it counts the reassemblies the
// network layer reports ("no hole left") and passes every event on.
func (w *watcher) Record(e *layers.Event) {
	if e.Layer == layers.Network && e.Dir == layers.Note && strings.Contains(e.Text, "no hole left") {
		w.reassembled[e.Node]++
	}
	w.rec.Record(e)
}

// capture returns the capture the run sends frames to: c, or c and the
// watcher when it counts fragments.
func (w *watcher) capture(c sim.Capture) sim.Capture {
	if !w.frags {
		return c
	}
	w.inner = c
	return w
}

// Frame implements sim.Capture: it counts the IPv4 fragments (More
// Fragments set or a non-zero offset, RFC 791 3.1) each node puts on a
// link and each node at the other end receives.
func (w *watcher) Frame(l *sim.Link, from *sim.Port, frame []byte, m layers.Meta, note string) {
	if w.inner != nil {
		w.inner.Frame(l, from, frame, m, note)
	}
	const eth = 14
	if len(frame) < eth+20 || frame[12] != 0x08 || frame[13] != 0x00 {
		return
	}
	flags := uint16(frame[eth+6])<<8 | uint16(frame[eth+7])
	if flags&0x2000 == 0 && flags&0x1fff == 0 {
		return
	}
	key := fragKey{id: uint16(frame[eth+4])<<8 | uint16(frame[eth+5]), src: [4]byte(frame[eth+12 : eth+16])}
	switch from.Device.(type) {
	case *sim.Host, *sim.Router:
		// A fragment that came in is forwarded, not made here.
		if !w.seen[from.Device.Name()][key] {
			w.fragsSent[from.Device.Name()]++
		}
	}
	if to := from.Peer(); to != nil && note == "" {
		name := to.Device.Name()
		w.fragsReceived[name]++
		if w.seen[name] == nil {
			w.seen[name] = map[fragKey]bool{}
		}
		w.seen[name][key] = true
	}
}

// fragKey names the datagram a fragment belongs to, for the watcher.
type fragKey struct {
	id  uint16
	src [4]byte
}

// firstDestination returns the node of the first app that talks to another
// node, and that node's address.
func firstDestination(f *File, nodes map[string]*Node) (string, netip.Addr) {
	for _, a := range f.Apps {
		var (
			dst netip.Addr
			err error
		)
		switch {
		case a.POP3 != nil:
			dst, _, err = serverAddr(f, a.Node, a.POP3.Server, nodes)
		case a.Ping != nil:
			dst, err = target(a.Ping.To, nodes)
		case a.Telnet != nil:
			dst, err = target(a.Telnet.To, nodes)
		case a.Traceroute != nil:
			dst, err = target(a.Traceroute.To, nodes)
		default:
			continue
		}
		if err == nil {
			return a.Node, dst
		}
	}
	return "", netip.Addr{}
}
