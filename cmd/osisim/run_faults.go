package main

import (
	"github.com/spf13/cobra"

	"github.com/osisim/osisim/scenarios"
)

// faultFlags are the run command's flags that impair the scenario's
// unreliable link, add fault rules or change the message size
// (docs/faults.md).
type faultFlags struct {
	Loss, Reorder, Dup, BER          float64
	lossSet, reorderSet, dupSet, ber bool
	Rules                            []string
	MessageSize                      string
}

func (ff *faultFlags) register(cmd *cobra.Command) {
	f := cmd.Flags()
	f.Float64Var(&ff.Loss, "loss", 0, "probability (0 to 1) that the unreliable link loses a frame, in each direction")
	f.Float64Var(&ff.Reorder, "reorder", 0, "probability (0 to 1) that the unreliable link holds a frame back, so later ones overtake it")
	f.Float64Var(&ff.Dup, "dup", 0, "probability (0 to 1) that the unreliable link delivers a frame twice")
	f.Float64Var(&ff.BER, "ber", 0, "bit error rate of the unreliable link, e.g. 1e-6")
	f.StringArrayVar(&ff.Rules, "fault", nil, "add a fault rule, e.g. \"drop tcp-data#2 on r1->server\" (repeatable; docs/faults.md)")
	f.StringVar(&ff.MessageSize, "message-size", "", "make message 1 a generated message of this size, e.g. 10MiB")
}

// changed notes which probability flags were given (0 is a value too).
func (ff *faultFlags) changed(cmd *cobra.Command) {
	fs := cmd.Flags()
	ff.lossSet, ff.reorderSet, ff.dupSet, ff.ber = fs.Changed("loss"), fs.Changed("reorder"), fs.Changed("dup"), fs.Changed("ber")
}

// apply changes the scenario as the flags say. The unreliable link is the
// one the scenario marks `unreliable: true`, or else its link with the
// largest delay.
func (ff *faultFlags) apply(f *scenarios.File) error {
	o := scenarios.Overrides{Rules: ff.Rules, MessageSize: ff.MessageSize}
	if ff.lossSet {
		o.Loss = &ff.Loss
	}
	if ff.reorderSet {
		o.Reorder = &ff.Reorder
	}
	if ff.dupSet {
		o.Dup = &ff.Dup
	}
	if ff.ber {
		o.BER = &ff.BER
	}
	return o.Apply(f)
}
