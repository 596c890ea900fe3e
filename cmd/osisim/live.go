package main

import (
	"context"
	"encoding/hex"
	"fmt"
	"io"
	"net/netip"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/osisim/osisim/layers"
	"github.com/osisim/osisim/layers/application"
	"github.com/osisim/osisim/layers/datalink"
	"github.com/osisim/osisim/layers/physical"
	"github.com/osisim/osisim/scenarios"
	"github.com/osisim/osisim/sim"
)

// liveOptions holds the live command's flags and dependencies.
type liveOptions struct {
	streams
	Role       string // serve or fetch
	TAP        string
	TunPath    string
	Addr       string
	MAC        string
	KernelAddr string
	Peer       string
	Port       uint16
	User, Pass string
	Commands   []string
	WantSHA256 string
	WantOctets int64
	Scenario   string
	Duration   time.Duration
	Seed       uint64
	Rate       string
	Delay      time.Duration
	Format     string
	Output     string
	All        bool
	Model      string
	Lang       string
	faults     faultFlags // run_faults.go
	// ctx, if set, ends the run when done (tests); otherwise Ctrl-C does.
	ctx context.Context

	// The flags' values, read by parse before any device is touched.
	addr, kernel netip.Prefix
	mac          datalink.MAC
	rate         int64
	peer         netip.Addr // fetch only
	linkFaults   sim.Faults
	rules        []sim.Rule
	model        layers.Model
	lang         layers.Lang
}

// The names of the two nodes of a live run in the trace.
const (
	liveHost   = "osisim" // the simulated host
	liveKernel = "kernel" // the real kernel behind the TAP
)

func newLiveCmd(s streams) *cobra.Command {
	o := &liveOptions{streams: s}
	cmd := &cobra.Command{
		Use:   "live serve|fetch",
		Short: "Attach a simulated host to a Linux TAP interface: real programs talk to its seven layers",
		Long: `Attach one simulated host to a Linux TAP interface, so that frames pass between the
real kernel and the simulated stack, and run the simulation in step with the wall
clock. Every frame crosses osisim's own layers 1 to 7, and the trace shows them.

  serve  the simulated host (--addr, default 10.99.0.2/24) runs the POP3 server on
         port 110 with the bundled maildrop (or --scenario's), answers ARP and ping,
         and refuses other ports with RST. Real clients fetch from it:
           curl pop3://student:osi7layers@10.99.0.2/1
           python3 -c 'import poplib; ...'    telnet 10.99.0.2 110
         It runs until --duration has passed or Ctrl-C.
  fetch  the simulated host runs the scripted POP3 client against a real POP3 server
         on the kernel side (--peer, default 10.99.0.1), RETR and DELE included, and
         checks the message it got (--expect-sha256, --expect-octets).

The TAP is created (or attached to, if --tap names an existing one) and brought up;
--kernel-addr gives the kernel side an address, otherwise assign one yourself
(osisim prints the command). The fault flags impair the simulated link between
the TAP and the host, as in "osisim run". Creating a TAP needs root or the
CAP_NET_ADMIN capability. docs/live.md has a step-by-step classroom demo.

Exit status: 0 on success, 1 when the fetch failed its checks, 2 for bad usage or
when the TAP cannot be opened.`,
		Args:      cobra.ExactArgs(1),
		ValidArgs: []string{"serve", "fetch"},
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Role = args[0]
			o.faults.changed(cmd)
			o.Lang = langValue(cmd)
			return o.run()
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.TAP, "tap", "", "name of the TAP interface to create or attach to (default: the kernel picks tapN)")
	f.StringVar(&o.TunPath, "tun", "/dev/net/tun", "the TUN/TAP clone device")
	_ = f.MarkHidden("tun")
	f.StringVar(&o.Addr, "addr", "10.99.0.2/24", "the simulated host's address and prefix")
	f.StringVar(&o.MAC, "mac", "02:00:00:00:99:02", "the simulated host's MAC address")
	f.StringVar(&o.KernelAddr, "kernel-addr", "", "give the kernel side of the TAP this address, e.g. 10.99.0.1/24 (default: leave it to you)")
	f.StringVar(&o.Peer, "peer", "10.99.0.1", "fetch: the real POP3 server's address")
	f.Uint16Var(&o.Port, "port", 110, "the POP3 port (serve: where the host listens; fetch: the peer's)")
	f.StringVar(&o.User, "user", "student", "fetch: the mailbox user")
	f.StringVar(&o.Pass, "pass", "osi7layers", "fetch: the mailbox password")
	f.StringSliceVar(&o.Commands, "commands", []string{"STAT", "LIST", "RETR 1", "DELE 1", "QUIT"}, "fetch: the client's commands, comma-separated")
	f.StringVar(&o.WantSHA256, "expect-sha256", "", "fetch: the sha256 (or a prefix of it, in hex) message 1 must have (presentation.Hash's canonical form)")
	f.Int64Var(&o.WantOctets, "expect-octets", 0, "fetch: the size in octets message 1 must have (RFC 1939's size)")
	f.StringVar(&o.Scenario, "scenario", scenarios.Default, "serve: the scenario whose POP3 server (users, maildrop) the host runs")
	f.DurationVar(&o.Duration, "duration", 0, "stop after this long (default: serve until Ctrl-C, fetch until the client is done)")
	f.Uint64Var(&o.Seed, "seed", 1, "seed of the run's random source (faults, ISNs)")
	f.StringVar(&o.Rate, "rate", "100Mb/s", "bit rate of the simulated link")
	f.DurationVar(&o.Delay, "delay", 100*time.Microsecond, "propagation delay of the simulated link")
	f.StringVarP(&o.Format, "format", "f", "text", "output format: text, json, pcapng or pcap")
	f.StringVarP(&o.Output, "output", "o", "", "write the trace to this file instead of standard output")
	f.BoolVar(&o.All, "all", false, "print every event (text format)")
	f.StringVar(&o.Model, "model", "osi7", "read the trace through this model: osi7, tcpip5 or tcpip4")
	o.faults.register(cmd)
	return cmd
}

// liveNet is the network of a live run: the simulated host and the TAP
// standing for the kernel, joined by one simulated link.
type liveNet struct {
	sim    *sim.Sim
	host   *sim.Host
	tap    *sim.TAP
	link   *sim.Link
	server *sim.POP3Server
	users  []application.User // the server's users
	client *sim.POP3Client
	grace  *sim.Event // ends a fetch once its connection had time to close
	over   bool
}

func (o *liveOptions) run() error {
	if err := o.parse(); err != nil {
		return err
	}
	srvCfg, err := o.serverConfig()
	if err != nil {
		return err
	}
	w := o.Out
	var out *os.File
	if o.Output != "" {
		if out, err = os.Create(o.Output); err != nil {
			return fmt.Errorf("cannot write the trace: %w", err)
		}
		defer out.Close()
		w = out
	}
	file, err := sim.OpenTAP(sim.TAPOpenOptions{Name: o.TAP, Path: o.TunPath, Addr: o.kernel})
	if err != nil {
		return err
	}
	// Closing the file also ends RunLive's reader, blocked in a read.
	defer file.Close()
	rec, flush, capture, text := o.recorder(w, file.Name)
	n, err := o.build(file, rec, capture, srvCfg)
	if err != nil {
		return err
	}
	o.announce(n)
	ctx := o.ctx
	if ctx == nil {
		var stop context.CancelFunc
		ctx, stop = signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		defer stop()
	}
	runErr := n.sim.RunLive(ctx, sim.LiveOptions{TAPs: []*sim.TAP{n.tap}, Limit: o.Duration, Until: n.done,
		Idle: func() { _ = flush() }})
	summary, failed := n.summary(o)
	if err := endTrace(text, flush, summary, o.Err); err != nil {
		return err
	}
	if out != nil {
		if err := out.Close(); err != nil {
			return fmt.Errorf("cannot write the trace: %w", err)
		}
	}
	if runErr != nil {
		return runErr
	}
	if failed != "" {
		return &failedError{msg: failed}
	}
	return nil
}

// parse reads and checks the flags, so that bad usage is told before the
// TAP is opened (which needs a privilege the user may lack).
func (o *liveOptions) parse() error {
	if o.Role != "serve" && o.Role != "fetch" {
		return fmt.Errorf("unknown role %q: want serve or fetch", o.Role)
	}
	switch o.Format {
	case "text", "json":
	case "pcapng", "pcap":
		if o.Output == "" {
			return fmt.Errorf("the %s format is binary: name the capture file with -o FILE", o.Format)
		}
	default:
		return fmt.Errorf("unknown format %q: want text, json, pcapng or pcap", o.Format)
	}
	var err error
	if o.model, err = layers.ParseModel(o.Model); err != nil {
		return err
	}
	if o.lang, err = parseLang(o.Lang); err != nil {
		return err
	}
	if o.addr, err = netip.ParsePrefix(o.Addr); err != nil || !o.addr.Addr().Is4() {
		return fmt.Errorf("--addr %q: want an IPv4 address with its prefix length, e.g. 10.99.0.2/24", o.Addr)
	}
	if o.KernelAddr != "" {
		if o.kernel, err = netip.ParsePrefix(o.KernelAddr); err != nil || !o.kernel.Addr().Is4() {
			return fmt.Errorf("--kernel-addr %q: want an IPv4 address with its prefix length, e.g. 10.99.0.1/24", o.KernelAddr)
		}
	}
	if o.linkFaults, err = o.faults.live(); err != nil {
		return err
	}
	if o.mac, err = datalink.ParseMAC(o.MAC); err != nil {
		return fmt.Errorf("--mac: %w", err)
	}
	if o.rate, err = scenarios.ParseRate(o.Rate); err != nil {
		return fmt.Errorf("--rate: %w", err)
	}
	if o.Role == "fetch" {
		if o.peer, err = netip.ParseAddr(o.Peer); err != nil || !o.peer.Is4() {
			return fmt.Errorf("--peer %q: want the IPv4 address of the real POP3 server", o.Peer)
		}
	}
	for _, text := range o.faults.Rules {
		r, err := sim.ParseRule(text)
		if err != nil {
			return faultRuleError(err)
		}
		o.rules = append(o.rules, r)
	}
	return nil
}

// faultRuleError is the error of a --fault rule that does not parse or
// does not fit the live network.
func faultRuleError(err error) error {
	return fmt.Errorf("--fault: %s (the nodes are %s and %s)", strings.TrimPrefix(err.Error(), "sim: "), liveKernel, liveHost)
}

// serverConfig is the POP3 server of a serve run: the scenario's, with
// --message-size applied.
func (o *liveOptions) serverConfig() (sim.POP3ServerConfig, error) {
	if o.Role != "serve" {
		return sim.POP3ServerConfig{}, nil
	}
	f, err := loadScenario(o.Scenario)
	if err != nil {
		return sim.POP3ServerConfig{}, err
	}
	if err := (scenarios.Overrides{MessageSize: o.faults.MessageSize}).Apply(f); err != nil {
		return sim.POP3ServerConfig{}, err
	}
	cfg, err := scenarios.LiveServer(f)
	if err != nil {
		return cfg, fmt.Errorf("--scenario %s: %w", o.Scenario, err)
	}
	cfg.Port = o.Port
	return cfg, nil
}

// build makes the network: the host, the TAP, the link with its faults and
// rules, and the host's POP3 server or client.
func (o *liveOptions) build(file *sim.TAPFile, rec layers.Recorder, capture sim.Capture,
	srvCfg sim.POP3ServerConfig) (*liveNet, error) {
	s := sim.New(o.Seed, rec)
	if capture != nil {
		s.SetCapture(capture)
	}
	n := &liveNet{sim: s}
	var err error
	n.host, err = s.AddHost(liveHost, sim.HostConfig{Interfaces: []sim.Interface{{Name: "eth0", MAC: o.mac, Addr: o.addr}}})
	if err != nil {
		return nil, err
	}
	n.tap = sim.NewTAP(sim.TAPConfig{Name: liveKernel, Device: file.Name, MAC: file.MAC, IO: file})
	hp, tp := n.host.Ports()[0], n.tap.Ports()[0]
	if n.link, err = s.Connect(tp, hp, sim.LinkConfig{BitRate: o.rate, Delay: o.Delay, Code: physical.NRZ}); err != nil {
		return nil, err
	}
	if !o.linkFaults.IsZero() {
		for _, p := range []*sim.Port{tp, hp} {
			if err := n.link.SetFaults(p, o.linkFaults); err != nil {
				return nil, err
			}
		}
	}
	for _, r := range o.rules {
		if err := s.AddRule(r); err != nil {
			return nil, faultRuleError(err)
		}
	}
	switch o.Role {
	case "serve":
		n.users = srvCfg.Users
		n.server, err = n.host.StartPOP3Server(srvCfg)
		if err != nil {
			return nil, err
		}
	case "fetch":
		n.client = n.host.StartPOP3Client(0, sim.POP3ClientConfig{Server: netip.AddrPortFrom(o.peer, o.Port),
			User: o.User, Pass: o.Pass, Commands: o.Commands})
	}
	return n, nil
}

// announce tells the user (on standard error), in the run's language, that
// the host is up and how to reach it.
func (o *liveOptions) announce(n *liveNet) {
	lang, addr := o.lang, o.addr
	fmt.Fprintln(o.Err, sim.Msgf(lang, "live.up", addr, o.MAC, n.tap.Device(), n.tap.MAC()))
	if !o.kernel.IsValid() {
		fmt.Fprintln(o.Err, sim.Msgf(lang, "live.kernel", addr.Masked(), suggestPeer(addr, o), n.tap.Device()))
	}
	switch o.Role {
	case "serve":
		try := ""
		if len(n.users) > 0 {
			try = sim.Msgf(lang, "live.try", n.users[0].Name, n.users[0].Pass, addr.Addr(), o.Port)
		}
		fmt.Fprintln(o.Err, sim.Msgf(lang, "live.serving", addr.Addr(), o.Port, try))
	case "fetch":
		fmt.Fprintln(o.Err, sim.Msgf(lang, "live.fetching", o.Peer, o.Port, o.User))
	}
}

// suggestPeer is an address for the kernel side: --peer when it lies in
// the host's subnet, else the subnet's first address.
func suggestPeer(addr netip.Prefix, o *liveOptions) netip.Prefix {
	if p, err := netip.ParseAddr(o.Peer); err == nil && addr.Contains(p) && p != addr.Addr() {
		return netip.PrefixFrom(p, addr.Bits())
	}
	first := addr.Masked().Addr().Next()
	if first == addr.Addr() {
		first = first.Next()
	}
	return netip.PrefixFrom(first, addr.Bits())
}

// done reports whether a fetch has finished and its connection had time to
// close (half a second after the client finished).
func (n *liveNet) done() bool {
	if n.client == nil {
		return false
	}
	if n.grace == nil && n.client.Report().Finished {
		n.grace = n.sim.After(500*time.Millisecond, func() { n.over = true })
	}
	return n.over
}

// summary is the closing line of a live run and, for a fetch that did not
// get what it should, why; line is in the run's language, failed (an
// error for the exit status) in English.
func (n *liveNet) summary(o *liveOptions) (line, failed string) {
	lang := o.lang
	st := n.sim.Stats()
	toKernel, fromKernel := n.tap.Counts()
	parts := []string{sim.Msgf(lang, "live.sum.frames", st.Frames, st.Dropped()),
		sim.Msgf(lang, "live.sum.tap", n.tap.Device(), toKernel, fromKernel)}
	if n.server != nil {
		parts = append(parts, sim.Msgf(lang, "live.sum.maildrop", n.server.Maildrop().Len()))
	}
	if n.client != nil {
		c := n.client
		r := c.Report()
		var problems, problemsEN []string
		problem := func(id string, args ...any) {
			problems = append(problems, sim.Msgf(lang, id, args...))
			problemsEN = append(problemsEN, sim.Msgf(layers.EN, id, args...))
		}
		if res, ok := c.Retrieved(1); ok {
			parts = append(parts, sim.Msgf(lang, "live.sum.retrieved", layers.Thousands(res.Octets), res.Subject, res.Hash))
			if w := strings.ToLower(o.WantSHA256); w != "" && !strings.HasPrefix(hex.EncodeToString(res.Hash[:]), w) {
				problem("live.sum.hash", res.Hash, w)
			}
			if o.WantOctets > 0 && res.Octets != o.WantOctets {
				problem("live.sum.octets", res.Octets, o.WantOctets)
			}
		} else if retrieves(o.Commands) {
			problem("live.sum.noretr")
		}
		if r.Quit {
			parts = append(parts, sim.Msg(lang, "live.sum.quit"))
		} else {
			problem("live.sum.noquit")
		}
		if err := c.Err(); err != nil {
			problems = append(problems, sim.Msg(lang, "live.sum.clientfailed")+liveErr(lang, err))
			problemsEN = append(problemsEN, "the client failed: "+err.Error())
		}
		if len(problems) > 0 {
			failed = "the fetch failed: " + strings.Join(problemsEN, "; ")
			parts = append(parts, sim.Msg(lang, "live.sum.failed")+strings.Join(problems, sim.Msg(lang, "summary.sep")))
		}
	}
	parts = append(parts, sim.Msgf(lang, "live.sum.ran", sim.Seconds(n.sim.Now())))
	return sim.Msg(lang, "summary.title") + strings.Join(parts, sim.Msg(lang, "summary.sep")), failed
}

// liveErr returns err as the run's language says it: an error of a layer
// (layers.Error) has a text in every language.
func liveErr(lang layers.Lang, err error) string {
	p := layers.Tell("live.err", "%v", err)
	return sim.Localize(lang, p.Msg, p.Args, p.En)
}

// retrieves reports whether the script has a RETR 1.
func retrieves(cmds []string) bool {
	for _, c := range cmds {
		if strings.EqualFold(strings.Join(strings.Fields(c), " "), "RETR 1") {
			return true
		}
	}
	return false
}

// live returns the faults the flags set, for both directions of the live
// link (there is only one link: no scenario to pick the unreliable one).
func (ff *faultFlags) live() (sim.Faults, error) {
	f := sim.Faults{Loss: ff.Loss, Reorder: ff.Reorder, Dup: ff.Dup, BER: ff.BER}
	if err := f.Validate(); err != nil {
		return f, fmt.Errorf("the fault flags: %s", strings.TrimPrefix(err.Error(), "sim: "))
	}
	return f, nil
}

// recorder makes the trace's renderer, writing to w.
func (o *liveOptions) recorder(w io.Writer, dev string) (rec layers.Recorder, flush func() error,
	capture sim.Capture, text *sim.TextRecorder) {
	switch o.Format {
	case "pcapng", "pcap":
		format, _ := sim.ParseCaptureFormat(o.Format)
		p := sim.NewPcapWriter(w, sim.PcapOptions{Format: format,
			Comment: fmt.Sprintf("osisim live %s through TAP %s, seed %d", o.Role, dev, o.Seed)})
		return p, p.Flush, p, nil
	case "json":
		j := sim.NewJSONRecorder(w)
		return j, j.Flush, nil, nil
	}
	text = sim.NewTextRecorder(w, sim.TextOptions{Model: o.model, Lang: o.lang, All: o.All, NodeWidth: len(liveHost)})
	text.Printf(sim.Msg(o.lang, "live.header"), o.Role, dev, o.model, liveHost, liveKernel, dev)
	// While the run waits for the wall clock the story is written out as
	// it stands; the chapter's summary line comes when the chapter ends.
	return text, text.WriteOut, nil, text
}
