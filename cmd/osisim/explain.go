package main

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/osisim/osisim/layers"
	"github.com/osisim/osisim/scenarios"
	"github.com/osisim/osisim/sim"
)

// explainOptions holds the explain command's flags and dependencies.
type explainOptions struct {
	streams
	Scenario string
	N        int
	Link     string
	Seed     uint64
	SeedSet  bool
	Model    string
	Lang     string
	faults   faultFlags // run_faults.go: the same run as "osisim run" with the same flags
	profile  profileFlags
}

func newExplainCmd(s streams) *cobra.Command {
	o := &explainOptions{streams: s}
	cmd := &cobra.Command{
		Use:   "explain [SCENARIO] N",
		Short: sim.Msg(layers.EN, "cmd.explain.short"),
		Long:  strings.ReplaceAll(sim.Msg(layers.EN, "cmd.explain.long"), "{scenario}", scenarios.Default),
		Args:  cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := o.parseArgs(args); err != nil {
				return err
			}
			o.SeedSet = cmd.Flags().Changed("seed")
			o.faults.changed(cmd)
			o.Lang = langValue(cmd)
			return o.run()
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.Link, "link", "", sim.Msg(layers.EN, "flag.explain.link"))
	f.Uint64Var(&o.Seed, "seed", 0, sim.Msg(layers.EN, "flag.explain.seed"))
	f.StringVar(&o.Model, "model", "osi7", sim.Msg(layers.EN, "flag.explain.model"))
	o.faults.register(cmd)
	o.profile.register(cmd)
	return cmd
}

// parseArgs reads [SCENARIO] N.
func (o *explainOptions) parseArgs(args []string) error {
	last := args[len(args)-1]
	n, err := strconv.Atoi(last)
	if err != nil || n < 1 {
		return fmt.Errorf("explain: %q is not a frame number: want N from 1, as \"osisim run --format list\" numbers the frames", last)
	}
	o.N = n
	if len(args) == 2 {
		o.Scenario = args[0]
	}
	return nil
}

func (o *explainOptions) run() error {
	model, err := layers.ParseModel(o.Model)
	if err != nil {
		return err
	}
	lang, err := parseLang(o.Lang)
	if err != nil {
		return err
	}
	f, err := loadRun(o.Scenario, &o.faults, &o.profile)
	if err != nil {
		return err
	}
	link := o.Link
	if link == "" {
		link = clientLink(f)
	}
	if err := checkLinkEnd(f, link); err != nil {
		return err
	}
	rec, err := sim.NewExplainRecorder(link, o.N)
	if err != nil {
		return err
	}
	seed := f.Seed
	if o.SeedSet {
		seed = o.Seed
	}
	// Whether the run met its expectations does not matter here: the
	// frame is explained either way.
	over := sim.NewOverheadRecorder()
	if _, err := scenarios.Run(f, scenarios.Options{Seed: seed, Recorder: teeRecorder{rec, over}}); err != nil {
		return err
	}
	x, err := rec.Explanation()
	if err != nil {
		return err
	}
	if err := x.WriteText(o.Out, model, lang); err != nil {
		return err
	}
	if f.Profile != string(sim.ProfileOSI) {
		return nil
	}
	// The osi profile's headers are the textbook's picture; what they cost
	// shows beside the same run in the Internet profile.
	inet := *f
	inet.Profile, inet.Compress = string(sim.ProfileInternet), false
	base := sim.NewOverheadRecorder()
	if _, err := scenarios.Run(&inet, scenarios.Options{Seed: seed, Recorder: base}); err != nil {
		return err
	}
	fmt.Fprintln(o.Out)
	return sim.WriteOverheadComparison(o.Out, base.Overhead(), over.Overhead(), lang)
}

// teeRecorder hands every event to each of its recorders in turn.
type teeRecorder []layers.Recorder

func (t teeRecorder) Record(e *layers.Event) {
	for _, r := range t {
		r.Record(e)
	}
}
