package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/osisim/osisim/layers"
	"github.com/osisim/osisim/scenarios"
	"github.com/osisim/osisim/sim"
)

// profileFlags are the --profile and --compress flags that run and explain
// share: which stack sits above TCP (docs/profiles.md).
type profileFlags struct {
	Profile  string // --profile: internet or osi (default: the scenario's)
	Compress bool   // --compress: the presentation layer's DEFLATE step
}

// register adds the flags to cmd, whose name keys their help texts.
func (p *profileFlags) register(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringVar(&p.Profile, "profile", "", sim.Msg(layers.EN, "flag."+cmd.Name()+".profile"))
	f.BoolVar(&p.Compress, "compress", false, sim.Msg(layers.EN, "flag."+cmd.Name()+".compress"))
}

// apply sets the scenario's profile and compression from the flags.
func (p *profileFlags) apply(f *scenarios.File) error {
	if p.Profile != "" {
		pr, err := sim.ParseProfile(p.Profile)
		if err != nil {
			return err
		}
		f.Profile = string(pr)
	}
	if p.Compress {
		f.Compress = true
	}
	if f.Compress && f.Profile != string(sim.ProfileOSI) {
		return fmt.Errorf("--compress needs --profile osi: the internet profile has no presentation header to announce it")
	}
	if f.Profile == string(sim.ProfileOSI) && f.UsesTLS() {
		return fmt.Errorf("--profile osi: scenario %s uses TLS, which runs in the internet profile only (docs/tls.md)", f.Name)
	}
	return nil
}

// loadRun loads the scenario a run or an explanation starts from and
// applies the fault and profile flags to it.
func loadRun(name string, faults *faultFlags, profile *profileFlags) (*scenarios.File, error) {
	f, err := loadScenario(name)
	if err != nil {
		return nil, err
	}
	if err := faults.apply(f); err != nil {
		return nil, err
	}
	if err := profile.apply(f); err != nil {
		return nil, err
	}
	return f, nil
}
