package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/osisim/osisim/layers"
	"github.com/osisim/osisim/scenarios"
	"github.com/osisim/osisim/sim"
)

// runOptions holds the run command's flags and dependencies.
type runOptions struct {
	streams
	Scenario string
	Seed     uint64
	SeedSet  bool
	Format   string
	Output   string
	All      bool
	Model    string
	Lang     string
	KeyLog   string       // --keylog FILE: TLS secrets in the NSS key log format (docs/tls.md)
	profile  profileFlags // --profile, --compress (profile_flags.go)
	faults   faultFlags   // run_faults.go
	views    viewFlags    // run_views.go
}

func newRunCmd(s streams) *cobra.Command {
	o := &runOptions{streams: s}
	cmd := &cobra.Command{
		Use:   "run [SCENARIO|FILE.yaml]",
		Short: "Run a scenario and print its layer-by-layer trace",
		Long: `Run a bundled scenario (by name) or a scenario file, and print what every layer of
every node did. With no argument it runs the default lesson, ` + scenarios.Default + `.

The text format tells a story in chapters: one complete walk through the layers,
with repetitions summed up; --all prints every event. The json format writes one
event per line (docs/trace-format.md). The html format writes one self-contained
page that steps through the run (-o run.html). The pcapng and pcap formats write a capture
file of every frame on every link (-o is then required); Wireshark opens it.

Exit status: 0 when the scenario met its expectations, 1 when it did not,
2 for bad usage or a bad scenario file.`,
		Args: cobra.MaximumNArgs(1),
		ValidArgsFunction: func(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
			if len(args) > 0 {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			return scenarios.Names(), cobra.ShellCompDirectiveDefault
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				o.Scenario = args[0]
			}
			o.SeedSet = cmd.Flags().Changed("seed")
			o.faults.changed(cmd)
			o.Lang = langValue(cmd) // the persistent --lang flag of the root
			return o.run()
		},
	}
	f := cmd.Flags()
	f.Uint64Var(&o.Seed, "seed", 0, "seed of the run's random source (default: the scenario's seed)")
	f.StringVarP(&o.Format, "format", "f", "text", "output format: text, json, html, list, follow, mermaid, pcapng or pcap")
	f.StringVarP(&o.Output, "output", "o", "", "write the trace to this file instead of standard output")
	f.BoolVar(&o.All, "all", false, "print every event (text format)")
	f.StringVar(&o.Model, "model", "osi7", "read the trace through this model: osi7, tcpip5 or tcpip4")
	f.StringVar(&o.KeyLog, "keylog", "", "write the TLS session secrets to this file (NSS key log format, for Wireshark)")
	o.profile.register(cmd)
	o.faults.register(cmd)
	o.views.register(cmd)
	return cmd
}

// loadScenario finds a scenario by bundled name or file path.
func loadScenario(name string) (*scenarios.File, error) {
	if name == "" {
		name = scenarios.Default
	}
	if _, ok := scenarios.Source(name); ok {
		return scenarios.LoadBundled(name)
	}
	if strings.HasSuffix(name, ".yaml") || strings.HasSuffix(name, ".yml") || strings.ContainsRune(name, os.PathSeparator) {
		data, err := os.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("cannot read scenario file: %w", err)
		}
		return scenarios.Load(name, data)
	}
	return nil, fmt.Errorf("no bundled scenario %q and no such file (bundled: %s)", name, strings.Join(scenarios.Names(), ", "))
}

func (o *runOptions) run() error {
	model, err := layers.ParseModel(o.Model)
	if err != nil {
		return err
	}
	lang, err := parseLang(o.Lang)
	if err != nil {
		return err
	}
	capture, isCapture := sim.ParseCaptureFormat(o.Format)
	if o.Format != "text" && o.Format != "json" && o.Format != "html" && !isViewFormat(o.Format) && isCapture != nil {
		return fmt.Errorf("unknown format %q: want text, json, html, list, follow, mermaid, pcapng or pcap", o.Format)
	}
	if isCapture == nil && o.Output == "" {
		return fmt.Errorf("the %s format is binary: name the capture file with -o FILE", o.Format)
	}
	f, err := loadRun(o.Scenario, &o.faults, &o.profile)
	if err != nil {
		return err
	}
	seed := f.Seed
	if o.SeedSet {
		seed = o.Seed
	}
	var w io.Writer = o.Out
	if o.Output != "" {
		file, err := os.Create(o.Output)
		if err != nil {
			return fmt.Errorf("cannot write the trace: %w", err)
		}
		defer file.Close()
		w = file
	}
	var (
		rec   layers.Recorder
		flush func() error
		text  *sim.TextRecorder
		page  *sim.HTMLRecorder
	)
	var opt scenarios.Options
	switch o.Format {
	case "pcapng", "pcap":
		p := sim.NewPcapWriter(w, sim.PcapOptions{Format: capture, Comment: fmt.Sprintf("osisim scenario %s, seed %d", f.Name, seed)})
		rec, flush, opt.Capture = p, p.Flush, p
	case "json":
		j := sim.NewJSONRecorder(w)
		rec, flush = j, j.Flush
		if rec, err = o.views.filter(rec, model); err != nil {
			return err
		}
	case "list", "follow", "mermaid": // run_views.go
		if rec, flush, err = o.views.recorder(o.Format, w, f, model, lang, o.All); err != nil {
			return err
		}
	case "html":
		// The page is written after the run, with the topology (run_html.go).
		page = sim.NewHTMLRecorder()
		rec, flush = page, func() error { return nil }
	default:
		text = sim.NewTextRecorder(w, sim.TextOptions{Model: model, Lang: lang, All: o.All, NodeWidth: scenarios.NodeWidth(f)})
		rec, flush = text, text.Flush
		title := f.Title.EN
		if lang == layers.ZH && f.Title.ZH != "" {
			title = f.Title.ZH
		}
		text.Printf(sim.Msg(lang, "run.header")+"%s\n%s\n", f.Name, seed, model, title, scenarios.Topology(f))
		if rec, err = o.views.filter(rec, model); err != nil { // run_views.go
			return err
		}
	}
	opt.Seed, opt.Recorder = seed, rec
	if o.KeyLog != "" {
		kl, err := os.Create(o.KeyLog)
		if err != nil {
			return fmt.Errorf("cannot write the key log: %w", err)
		}
		defer kl.Close()
		opt.KeyLog = kl
	}
	res, err := scenarios.Run(f, opt)
	if err != nil {
		return err
	}
	if page != nil {
		if err := writeHTMLPage(w, page, f, res, lang); err != nil {
			return fmt.Errorf("cannot write the page: %w", err)
		}
	}
	if err := endTrace(text, flush, res.SummaryIn(lang), o.Err); err != nil {
		return err
	}
	if !res.OK() {
		return &failedError{msg: "the scenario failed its expectations:\n" + res.Failures()}
	}
	return nil
}

// endTrace ends a trace: a text story gets the summary as its last lines;
// any other format is flushed and, as the trace went to a file or a pipe,
// the summary goes to errOut. An empty summary is not printed.
func endTrace(text *sim.TextRecorder, flush func() error, summary string, errOut io.Writer) error {
	if text != nil {
		if err := text.Flush(); err != nil {
			return err
		}
		if summary != "" {
			text.Printf("\n%s\n", summary)
		}
	}
	if err := flush(); err != nil {
		return fmt.Errorf("cannot write the trace: %w", err)
	}
	if text == nil && summary != "" {
		fmt.Fprintln(errOut, summary)
	}
	return nil
}
