package main

import (
	"io"

	"github.com/osisim/osisim/layers"
	"github.com/osisim/osisim/scenarios"
	"github.com/osisim/osisim/sim"
)

// writeHTMLPage writes the step-through viewer page of a finished run; it
// opens in lang.
func writeHTMLPage(w io.Writer, page *sim.HTMLRecorder, f *scenarios.File, res *scenarios.Result, lang layers.Lang) error {
	return page.WriteHTML(w, res.Sim, sim.HTMLMeta{
		Scenario: f.Name, Title: f.Title.EN, TitleZH: f.Title.ZH, Seed: res.Seed, Summary: res.Summary(),
		SummaryZH: res.SummaryIn(layers.ZH), Lang: lang,
	})
}
