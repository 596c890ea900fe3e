package main

import (
	"fmt"
	"io"
	"net/netip"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/osisim/osisim/layers"
	"github.com/osisim/osisim/layers/transport"
	"github.com/osisim/osisim/scenarios"
	"github.com/osisim/osisim/sim"
)

// sourcePorts are the ports of the services the source material lists:
// ftp 20-21, telnet 23, smtp 25, dns 53, http 80, pop3 110, RDP 3389 and
// OICQ 8000.
var sourcePorts = []transport.Port{20, 21, 23, 25, 53, 80, 110, 3389, 8000}

// serviceAliases are other names of the table's services.
var serviceAliases = map[string]string{
	"domain":        "dns",
	"ms-wbt-server": "rdp",
	"qq":            "oicq",
	"www":           "http",
	"pop":           "pop3",
	"ftp-control":   "ftp",
}

// classRange is the range of each port class, as RFC 6335 section 6 gives
// it.
var classRange = map[transport.PortClass]string{
	transport.WellKnown:  "0-1023",
	transport.Registered: "1024-49151",
	transport.Dynamic:    "49152-65535",
}

// portsOptions holds the ports command's dependencies.
type portsOptions struct {
	streams
	// clientPorts runs a scenario and returns the ports its clients used.
	clientPorts func() (*portsRun, error)
}

// portsRun is what a run tells about its clients' ports.
type portsRun struct {
	Scenario string
	Seed     uint64
	Clients  []clientPort
}

// clientPort is one client of a run and the port it used.
type clientPort struct {
	Node   string
	Local  uint16 // 0: it never connected
	Server netip.AddrPort
}

func newPortsCmd(s streams) *cobra.Command {
	o := &portsOptions{streams: s, clientPorts: defaultClientPorts}
	return &cobra.Command{
		Use:   "ports [PORT|SERVICE]",
		Short: sim.Msg(layers.EN, "cmd.ports.short"),
		Long:  sim.Msg(layers.EN, "cmd.ports.long"),
		Args:  cobra.MaximumNArgs(1),
		ValidArgsFunction: func(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
			if len(args) > 0 {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			var names []string
			for _, sv := range transport.Services() {
				names = append(names, sv.Name)
			}
			return names, cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			lang, err := langOf(cmd)
			if err != nil {
				return err
			}
			if len(args) == 1 {
				return o.one(lang, args[0])
			}
			return o.all(lang)
		},
	}
}

// defaultClientPorts runs the default scenario with its own seed, recording
// nothing, and returns the local port of each of its clients.
func defaultClientPorts() (*portsRun, error) {
	f, err := scenarios.LoadBundled(scenarios.Default)
	if err != nil {
		return nil, err
	}
	res, err := scenarios.Run(f, scenarios.Options{Seed: f.Seed})
	if err != nil {
		return nil, err
	}
	run := &portsRun{Scenario: f.Name, Seed: f.Seed}
	// Result.Clients holds the clients in the order of the scenario's
	// apps.
	for i, c := range res.Clients {
		node := ""
		if i < len(f.Apps) {
			node = f.Apps[i].Node
		}
		run.Clients = append(run.Clients, clientPort{Node: node, Local: c.LocalPort(), Server: c.Server()})
	}
	return run, nil
}

// all prints the port classes, the source material's services, why a
// client's port is dynamic and the client ports of a run.
func (o *portsOptions) all(lang layers.Lang) error {
	var b strings.Builder
	writeClasses(&b, lang)
	b.WriteString("\n" + sim.Msg(lang, "ports.services") + "\n\n")
	var rows []transport.Service
	for _, p := range sourcePorts {
		if sv, ok := transport.LookupService(p); ok {
			rows = append(rows, sv)
		}
	}
	writeServices(&b, lang, rows)

	b.WriteString("\n" + sim.Msg(lang, "ports.why.title") + "\n")
	writeWrapped(&b, sim.Msg(lang, "ports.why"), "  ", textWidth)

	run, err := o.clientPorts()
	if err != nil {
		return err
	}
	b.WriteString("\n" + sim.Msgf(lang, "ports.run.title", run.Scenario, run.Seed) + "\n")
	for _, c := range run.Clients {
		if c.Local == 0 {
			writeWrapped(&b, sim.Msgf(lang, "ports.run.none", c.Node), "  ", textWidth)
			continue
		}
		p := transport.Port(c.Local)
		writeWrapped(&b, sim.Msgf(lang, "ports.run.client", c.Node, c.Local,
			className(lang, p.Class()), c.Server.Addr(), transport.Port(c.Server.Port())), "  ", textWidth)
	}
	writeWrapped(&b, sim.Msg(lang, "ports.run.seed"), "  ", textWidth)
	_, err = io.WriteString(o.Out, b.String())
	return err
}

// one prints a port, or the ports of a service.
func (o *portsOptions) one(lang layers.Lang, arg string) error {
	ports, err := parsePortArg(arg)
	if err != nil {
		names := make([]string, 0, len(sourcePorts))
		for _, p := range sourcePorts {
			names = append(names, p.Service())
		}
		return fmt.Errorf(sim.Msg(lang, "ports.bad"), arg, strings.Join(names, ", "))
	}
	var b strings.Builder
	for i, p := range ports {
		if i > 0 {
			b.WriteString("\n")
		}
		writeWrapped(&b, sim.Msgf(lang, "ports.one", uint16(p), className(lang, p.Class()), classRange[p.Class()]), "", textWidth)
		if sv, ok := transport.LookupService(p); ok {
			b.WriteString("\n")
			writeServices(&b, lang, []transport.Service{sv})
		} else {
			writeWrapped(&b, sim.Msg(lang, "ports.none"), "  ", textWidth)
		}
		if p.Class() == transport.Dynamic {
			writeWrapped(&b, sim.Msg(lang, "ports.dynamic.note"), "  ", textWidth)
		}
	}
	_, err = io.WriteString(o.Out, b.String())
	return err
}

// parsePortArg reads a port number or a service name. A name matches the
// service of that name and those whose name extends it with a dash, so
// that "ftp" gives ports 20 (ftp-data) and 21 (ftp).
func parsePortArg(s string) ([]transport.Port, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if n, err := strconv.ParseUint(s, 10, 16); err == nil {
		return []transport.Port{transport.Port(n)}, nil
	}
	if s != "" && strings.Trim(s, "0123456789") == "" {
		return nil, fmt.Errorf("port %s out of range", s)
	}
	if a, ok := serviceAliases[s]; ok {
		s = a
	}
	var out []transport.Port
	for _, sv := range transport.Services() {
		if sv.Name == s || strings.HasPrefix(sv.Name, s+"-") {
			out = append(out, sv.Port)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no service %q", s)
	}
	return out, nil
}

// writeClasses prints the three port classes of RFC 6335.
func writeClasses(b *strings.Builder, lang layers.Lang) {
	b.WriteString(sim.Msg(lang, "ports.classes") + "\n\n")
	classes := []transport.PortClass{transport.WellKnown, transport.Registered, transport.Dynamic}
	head := []string{sim.Msg(lang, "ports.col.class"), sim.Msg(lang, "ports.col.range"), sim.Msg(lang, "ports.col.use")}
	var rows [][]string
	for _, c := range classes {
		rows = append(rows, []string{className(lang, c), classRange[c], sim.Msg(lang, "ports.use."+c.String())})
	}
	writeTable(b, head, rows)
}

// writeServices prints services as a table: name, port, transport
// protocols, class and what the service is.
func writeServices(b *strings.Builder, lang layers.Lang, svs []transport.Service) {
	head := []string{
		sim.Msg(lang, "ports.col.service"), sim.Msg(lang, "ports.col.port"), sim.Msg(lang, "ports.col.transport"),
		sim.Msg(lang, "ports.col.class"), sim.Msg(lang, "ports.col.what"),
	}
	var rows [][]string
	for _, sv := range svs {
		var protos []string
		if sv.TCP {
			protos = append(protos, "TCP")
		}
		if sv.UDP {
			protos = append(protos, "UDP")
		}
		what := sv.Description
		if t, ok := sim.LookupMsg("service." + sv.Name); ok {
			what = t.In(lang)
		}
		rows = append(rows, []string{sv.Name, strconv.Itoa(int(sv.Port)), strings.Join(protos, sim.Msg(lang, "ports.and")),
			className(lang, sv.Port.Class()), what})
	}
	writeTable(b, head, rows)
}

// writeTable prints a table indented by two columns, its columns two
// apart; the last column wraps under itself.
func writeTable(b *strings.Builder, head []string, rows [][]string) {
	width := make([]int, len(head))
	for c := range head[:len(head)-1] {
		width[c] = sim.DisplayWidth(head[c])
		for _, r := range rows {
			width[c] = max(width[c], sim.DisplayWidth(r[c]))
		}
	}
	line := func(cols []string) {
		prefix := "  "
		for c := range cols[:len(cols)-1] {
			prefix += padRight(cols[c], width[c]) + "  "
		}
		writeWrapped(b, cols[len(cols)-1], prefix, textWidth)
	}
	line(head)
	for _, r := range rows {
		line(r)
	}
}

// className returns a port class's name in lang.
func className(lang layers.Lang, c transport.PortClass) string {
	return sim.Msg(lang, "portclass."+c.String())
}
