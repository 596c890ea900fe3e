package scenarios

import (
	"strings"

	"github.com/osisim/osisim/layers"
	"github.com/osisim/osisim/sim"
)

// what sets c's What to the text of e (made with layers.Event.Say), with
// its message id and arguments.
func (c *Check) what(e layers.Event) { c.What, c.WhatMsg, c.WhatArgs = e.Text, e.Msg, e.Args }

// detail sets c's Detail as what sets its What.
func (c *Check) detail(e layers.Event) { c.Detail, c.DetailMsg, c.DetailArgs = e.Text, e.Msg, e.Args }

// SummaryIn is Summary in lang: the closing lines of a run, with every
// expectation, in the language of the rest of the output.
func (r *Result) SummaryIn(lang layers.Lang) string {
	st := r.Stats
	parts := []string{sim.Msgf(lang, "summary.frames", st.Frames, st.Dropped())}
	for _, c := range r.Checks {
		mark := sim.Msg(lang, "summary.ok")
		if !c.OK {
			mark = sim.Msg(lang, "summary.failed")
		}
		parts = append(parts, sim.Msgf(lang, "summary.check",
			sim.Localize(lang, c.WhatMsg, c.WhatArgs, c.What), mark, sim.Localize(lang, c.DetailMsg, c.DetailArgs, c.Detail)))
	}
	parts = append(parts, sim.Msgf(lang, "summary.simulated", sim.Seconds(st.Duration)))
	return sim.Msg(lang, "summary.title") + strings.Join(parts, sim.Msg(lang, "summary.sep")) +
		r.detailsIn(lang) /* faults.go */ + r.arqDetailsIn(lang)
}
