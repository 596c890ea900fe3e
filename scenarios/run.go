package scenarios

import (
	"crypto/x509"
	"fmt"
	"io"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/osisim/osisim/layers"
	"github.com/osisim/osisim/layers/application"
	"github.com/osisim/osisim/layers/datalink"
	"github.com/osisim/osisim/layers/network"
	"github.com/osisim/osisim/layers/physical"
	"github.com/osisim/osisim/layers/presentation"
	"github.com/osisim/osisim/layers/transport"
	"github.com/osisim/osisim/sim"
)

// Options control one run.
type Options struct {
	Seed     uint64
	Recorder layers.Recorder // nil records nothing
	Capture  sim.Capture     // nil captures nothing
	// KeyLog receives the TLS session secrets of the POP3 clients in the
	// NSS key log format (docs/tls.md); nil writes none.
	KeyLog io.Writer
}

// Check is one expectation and how it went.
type Check struct {
	What   string
	OK     bool
	Detail string
	// WhatMsg and WhatArgs, DetailMsg and DetailArgs are the message ids
	// and arguments of What and Detail (as layers.Event.Say sets them), so
	// that the summary can say them in another language (SummaryIn).
	WhatMsg    string
	WhatArgs   []any
	DetailMsg  string
	DetailArgs []any
}

// Result is the outcome of a run.
type Result struct {
	Scenario *File
	Seed     uint64
	Checks   []Check
	Stats    sim.Stats
	Clients  []*sim.POP3Client
	Servers  map[string]*sim.POP3Server
	Reports  []sim.ClientReport // how each client's run went, in Clients order
	Sim      *sim.Sim           // the network after the run: its links and ports (for the HTML viewer)
}

// OK reports whether every expectation was met.
func (r *Result) OK() bool {
	for _, c := range r.Checks {
		if !c.OK {
			return false
		}
	}
	return true
}

// Failures lists the failed expectations, one per line.
func (r *Result) Failures() string {
	var b strings.Builder
	for _, c := range r.Checks {
		if !c.OK {
			fmt.Fprintf(&b, "  %s: %s\n", c.What, c.Detail)
		}
	}
	return strings.TrimRight(b.String(), "\n")
}

// Summary is the closing line of a run, in English (SummaryIn).
func (r *Result) Summary() string { return r.SummaryIn(layers.EN) }

// applyARQ puts the ARQ sublayer of a link's arq: key on both its ends.
func applyARQ(l *sim.Link, a *LinkARQ) error {
	if a == nil {
		return nil
	}
	mode, err := datalink.ParseARQMode(a.Mode)
	if err != nil {
		return err
	}
	timeout, _ := parseDuration(a.Timeout)
	return l.SetARQ(datalink.ARQConfig{Mode: mode, Window: a.Window, Timeout: timeout})
}

// arqDetailsIn are the summary's lines about the links with ARQ, in lang: what the
// data link layer at each end sent, resent, discarded and delivered.
func (r *Result) arqDetailsIn(lang layers.Lang) string {
	if r.Sim == nil {
		return ""
	}
	var b strings.Builder
	for _, e := range r.Sim.ARQStats() {
		b.WriteString("\n  " + sim.Msgf(lang, "summary.arq",
			e.Port, e.Config.Mode, e.Config.Timeout, layers.Thousands(int64(e.Sent)), layers.Thousands(int64(e.Retransmitted)),
			layers.Thousands(int64(e.Timeouts)), layers.Thousands(int64(e.Delivered)), layers.Thousands(int64(e.Duplicates)),
			layers.Thousands(int64(e.OutOfOrder)), layers.Thousands(int64(e.AcksSent))))
		if e.Down {
			b.WriteString(sim.Msg(lang, "summary.arq.down"))
		}
	}
	return b.String()
}

// built is a scenario turned into a simulated network.
type built struct {
	sim     *sim.Sim
	devices map[string]sim.Device
	hosts   map[string]*sim.Host
	servers map[string]*sim.POP3Server
	apps    []*appRun // by index in the file's apps (run_apps.go)
	watch   *watcher  // what some expectations need to see during the run
	profile sim.Profile
	deflate bool // the presentation layer compresses (osi profile)

	tlsRoots *x509.CertPool // the scenario's CA (run_tls.go)
	keyLog   io.Writer
}

// Run builds the network of f, runs it with opt's seed and checks f's
// expectations.
func Run(f *File, opt Options) (*Result, error) {
	b, err := build(f, opt)
	if err != nil {
		return nil, err
	}
	b.sim.Run(limit(f))
	res := &Result{Scenario: f, Seed: opt.Seed, Stats: b.sim.Stats(), Servers: b.servers, Sim: b.sim}
	for _, a := range b.apps {
		if a.pop3 != nil {
			res.Clients = append(res.Clients, a.pop3)
			res.Reports = append(res.Reports, a.pop3.Report())
		}
	}
	b.endTLS(res) // run_tls.go
	res.Checks = b.check(f)
	return res, nil
}

func build(f *File, opt Options) (*built, error) {
	w := newWatcher(f) // run_apps.go
	s := sim.New(opt.Seed, w.recorder(opt.Recorder))
	if c := w.capture(opt.Capture); c != nil {
		s.SetCapture(c)
	}
	b := &built{sim: s, devices: map[string]sim.Device{}, hosts: map[string]*sim.Host{},
		servers: map[string]*sim.POP3Server{}, watch: w}
	b.profile, _ = sim.ParseProfile(f.Profile) // validated on load
	b.deflate = f.Compress
	b.keyLog = opt.KeyLog
	for _, n := range f.Nodes {
		d, err := b.addNode(&n)
		if err != nil {
			return nil, err
		}
		b.devices[n.Name] = d
	}
	for i, l := range f.Links {
		a, err := b.port(l.A)
		if err != nil {
			return nil, fmt.Errorf("link %d: %w", i+1, err)
		}
		c, err := b.port(l.B)
		if err != nil {
			return nil, fmt.Errorf("link %d: %w", i+1, err)
		}
		rate, _ := ParseRate(l.Rate)
		delay, _ := parseDuration(l.Delay)
		code := physical.NRZ
		if l.Code != "" {
			code, _ = physical.ParseLineCode(l.Code)
		}
		link, err := s.Connect(a, c, sim.LinkConfig{BitRate: rate, Delay: delay, Code: code})
		if err != nil {
			return nil, err
		}
		if err := applyFaults(link, a, c, l.Faults); err != nil {
			return nil, fmt.Errorf("link %d: %w", i+1, err)
		}
		if err := applyARQ(link, l.ARQ); err != nil {
			return nil, fmt.Errorf("link %d: %w", i+1, err)
		}
	}
	if err := b.applyQueues(f); err != nil {
		return nil, err
	}
	for _, text := range f.Rules {
		r, err := sim.ParseRule(text)
		if err != nil {
			return nil, err
		}
		if err := s.AddRule(r); err != nil {
			return nil, err
		}
	}
	if err := b.startApps(f); err != nil {
		return nil, err
	}
	return b, nil
}

func (b *built) addNode(n *Node) (sim.Device, error) {
	s := b.sim
	switch n.Kind {
	case "switch":
		ageing := 300 * time.Second // IEEE 802.1D's default ageing time
		if n.Ageing != "" {
			ageing, _ = parseDuration(n.Ageing)
		}
		return s.AddSwitch(n.Name, n.Ports, ageing), nil
	case "hub":
		return s.AddHub(n.Name, n.Ports), nil
	}
	var ifs []sim.Interface
	for _, itf := range n.Interfaces {
		mac, _ := datalink.ParseMAC(itf.MAC)
		pfx, _ := netip.ParsePrefix(itf.IP)
		ifs = append(ifs, sim.Interface{Name: itf.Name, MAC: mac, Addr: pfx, MTU: itf.MTU})
	}
	var routes []network.Route
	for _, r := range n.Routes {
		pfx := netip.PrefixFrom(netip.IPv4Unspecified(), 0)
		if r.To != "default" {
			pfx, _ = netip.ParsePrefix(r.To)
		}
		via, _ := netip.ParseAddr(r.Via)
		routes = append(routes, network.Route{Prefix: pfx.Masked(), Gateway: via})
	}
	o := ipOptions(n) // run_apps.go
	if n.Kind == "router" {
		return s.AddRouterWith(n.Name, sim.RouterConfig{Interfaces: ifs, Routes: routes}, o)
	}
	cfg := sim.HostConfig{Interfaces: ifs, Routes: routes}
	if n.Gateway != "" {
		cfg.Gateway, _ = netip.ParseAddr(n.Gateway)
	}
	cfg.TCP = transport.Config{MSS: uint16(n.TCP.MSS), RecvBuffer: n.TCP.RecvBuffer}
	if n.TCP.MinRTO != "" {
		cfg.TCP.MinRTO, _ = parseDuration(n.TCP.MinRTO)
	}
	h, err := s.AddHostWith(n.Name, cfg, o)
	if err != nil {
		return nil, err
	}
	b.hosts[n.Name] = h
	if p := n.Services.POP3; p != nil {
		cfg := pop3ServerConfig(p)
		cfg.Profile, cfg.Compress = b.profile, b.deflate
		if cfg.TLS, err = b.serverTLS(n, cfg.Hostname); err != nil { // run_tls.go
			return nil, err
		}
		srv, err := h.StartPOP3Server(cfg)
		if err != nil {
			return nil, err
		}
		b.servers[n.Name] = srv
		start, _ := parseDuration(orZero(p.Start))
		stop, _ := parseDuration(orZero(p.Stop))
		srv.Control().Schedule(start, stop)
	}
	if err := startDNSServer(h, n.Services.DNS); err != nil { // run_apps.go
		return nil, err
	}
	return h, nil
}

func pop3ServerConfig(p *POP3Service) sim.POP3ServerConfig {
	port := p.Port
	if port == 0 {
		port = 110
	}
	var users []application.User
	for _, u := range p.Users {
		users = append(users, application.User{Name: u.Name, Pass: u.Pass})
	}
	host := p.Hostname
	if host == "" {
		host = "mail.example.edu"
	}
	var mails []presentation.Mail
	for _, m := range p.Maildrop {
		switch {
		case m.Sample == "zh":
			mails = append(mails, presentation.SampleMail())
		case m.Sample == "en":
			mails = append(mails, presentation.SampleMail2())
		default:
			size, _ := ParseSize(m.Generated)
			subject := m.Subject
			if subject == "" {
				subject = "A generated message of " + m.Generated
			}
			mails = append(mails, presentation.Mail{
				Header: []presentation.HeaderField{
					{Name: "From", Value: "generator@" + host},
					{Name: "To", Value: "student@" + host},
					{Name: "Date", Value: "Mon, 02 Sep 2024 09:30:00 +0800"},
					{Name: "Subject", Value: subject},
				},
				Body: presentation.GeneratedBody(size, uint64(len(mails)+1)),
			})
		}
	}
	return sim.POP3ServerConfig{Port: uint16(port), Hostname: host, Users: users, Mails: mails}
}

// port finds "node.port".
func (b *built) port(ref string) (*sim.Port, error) {
	node, name, _ := strings.Cut(ref, ".")
	d := b.devices[node]
	if d == nil {
		return nil, fmt.Errorf("no node %q", node)
	}
	for _, p := range d.Ports() {
		if p.Name == name {
			return p, nil
		}
	}
	return nil, fmt.Errorf("%s has no port %q", node, name)
}

// check evaluates the expectations after the run.
func (b *built) check(f *File) []Check {
	var out []Check
	for _, e := range f.Expect {
		switch {
		case e.Retrieved != nil:
			r := e.Retrieved
			var c Check
			c.what(layers.Event{}.Say("check.retrieved", "message %d retrieved intact by %s", r.Message, r.Node))
			cl, why := b.retriever(r.Node, r.Message) // run_apps.go
			switch {
			case cl == nil:
				c.Detail = why
			default:
				got, ok := cl.Retrieved(r.Message)
				want, known := b.storedHash(cl, r.Message)
				switch {
				case !ok:
					c.Detail = "never received"
					if err := cl.Err(); err != nil {
						c.Detail += ": " + err.Error()
					}
				case !known:
					c.Detail = "the server holds no such message"
				case got.Hash != want:
					c.detail(layers.Event{}.Say("check.retrieved.differs", "received sha256 %x, server stored %x", got.Hash[:6], want[:6]))
				default:
					c.OK = true
					c.detail(layers.Event{}.Say("check.retrieved.ok", "sha256 %x... matches the server's copy", want[:6]))
				}
			}
			out = append(out, c)
		case e.Maildrop != nil:
			m := e.Maildrop
			srv := b.servers[m.Node]
			var c Check
			c.what(layers.Event{}.Say("check.maildrop", "maildrop of %s", m.Node))
			left := srv.Remaining()
			var problems []string
			for _, n := range m.Deleted {
				if slices.Contains(left, n) {
					problems = append(problems, fmt.Sprintf("message %d is still there", n))
				}
			}
			for _, n := range m.Kept {
				if !slices.Contains(left, n) {
					problems = append(problems, fmt.Sprintf("message %d was deleted", n))
				}
			}
			if early := srv.DeletedBeforeQuit(); early != "" {
				problems = append(problems, early)
			}
			if len(problems) == 0 {
				c.OK = true
				c.detail(describeDeletion(m, srv.UpdateAt()))
			} else {
				c.Detail = strings.Join(problems, "; ")
			}
			out = append(out, c)
		case e.TLS != nil:
			out = append(out, b.checkTLS(e.TLS)) // run_tls.go
		default:
			out = append(out, b.checkMore(f, e)) // run_apps.go
		}
	}
	return out
}

// storedHash is the hash of message n as the server the client talked to
// stored it before the run.
func (b *built) storedHash(cl *sim.POP3Client, n int) ([32]byte, bool) {
	for _, name := range sortedKeys(b.servers) {
		srv := b.servers[name]
		if srv.Addr() == cl.Server().Addr() {
			return srv.StoredHash(n)
		}
	}
	return [32]byte{}, false
}

func describeDeletion(m *ExpectMaildrop, at time.Duration) layers.Event {
	e := layers.Event{}
	switch {
	case len(m.Deleted) > 0 && len(m.Kept) > 0:
		e = e.Say("check.maildrop.both", "message %s deleted in the UPDATE state after QUIT at %s s, message %s kept",
			intList(m.Deleted), sim.Seconds(at), intList(m.Kept))
	case len(m.Deleted) > 0:
		e = e.Say("check.maildrop.deleted", "message %s deleted in the UPDATE state after QUIT at %s s", intList(m.Deleted), sim.Seconds(at))
	case len(m.Kept) > 0:
		e = e.Say("check.maildrop.kept", "message %s kept", intList(m.Kept))
	}
	return e
}

func intList(ns []int) string {
	s := make([]string, len(ns))
	for i, n := range ns {
		s[i] = strconv.Itoa(n)
	}
	return strings.Join(s, ", ")
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// NodeWidth is the length of the longest node name, for aligned output.
func NodeWidth(f *File) int {
	w := 6
	for _, n := range f.Nodes {
		w = max(w, len(n.Name))
	}
	return w
}

// Topology draws the path from the first client to its server, or lists
// the links when there is no client.
func Topology(f *File) string {
	nodes := map[string]*Node{}
	for i := range f.Nodes {
		nodes[f.Nodes[i].Name] = &f.Nodes[i]
	}
	label := func(name string) string {
		n := nodes[name]
		if n != nil && n.Kind == "host" && len(n.Interfaces) > 0 {
			if p, err := netip.ParsePrefix(n.Interfaces[0].IP); err == nil {
				return name + " " + p.Addr().String()
			}
		}
		return name
	}
	if from, dst := firstDestination(f, nodes); from != "" { // run_apps.go
		to := ""
		if a := dst; a.IsValid() {
			for _, n := range f.Nodes {
				for _, itf := range n.Interfaces {
					if p, err := netip.ParsePrefix(itf.IP); err == nil && p.Addr() == a {
						to = n.Name
					}
				}
			}
		}
		if path := shortestPath(f, from, to); len(path) > 0 {
			for i := range path {
				path[i] = label(path[i])
			}
			return strings.Join(path, " --- ")
		}
	}
	var ls []string
	for _, l := range f.Links {
		ls = append(ls, l.A+" --- "+l.B)
	}
	return strings.Join(ls, "\n")
}

// shortestPath finds the node path between two nodes by breadth-first
// search over the links, in file order.
func shortestPath(f *File, from, to string) []string {
	if from == "" || to == "" {
		return nil
	}
	adj := map[string][]string{}
	for _, l := range f.Links {
		a, _, _ := strings.Cut(l.A, ".")
		b, _, _ := strings.Cut(l.B, ".")
		adj[a] = append(adj[a], b)
		adj[b] = append(adj[b], a)
	}
	prev := map[string]string{from: ""}
	queue := []string{from}
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		if n == to {
			var path []string
			for c := to; c != ""; c = prev[c] {
				path = append([]string{c}, path...)
			}
			return path
		}
		for _, m := range adj[n] {
			if _, seen := prev[m]; !seen {
				prev[m] = n
				queue = append(queue, m)
			}
		}
	}
	return nil
}
