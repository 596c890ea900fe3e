package scenarios

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/osisim/osisim/layers"
	"github.com/osisim/osisim/sim"
)

// countRecorder counts the events it is given, so that the run traces.
type countRecorder struct{ n int }

func (r *countRecorder) Record(*layers.Event) { r.n++ }

// TestStatsUntraced runs every bundled scenario with a trace and without
// one: what the run did, and so its frame and drop counts and the outcome
// of its expectations, must not depend on whether anything records it.
func TestStatsUntraced(t *testing.T) {
	for _, name := range Names() {
		t.Run(name, func(t *testing.T) {
			f, err := LoadBundled(name)
			if err != nil {
				t.Fatal(err)
			}
			rec := &countRecorder{}
			traced, err := Run(f, Options{Seed: f.Seed, Recorder: rec})
			if err != nil {
				t.Fatal(err)
			}
			if rec.n == 0 {
				t.Fatal("the traced run recorded nothing")
			}
			f, err = LoadBundled(name)
			if err != nil {
				t.Fatal(err)
			}
			bare, err := Run(f, Options{Seed: f.Seed})
			if err != nil {
				t.Fatal(err)
			}
			type figures struct {
				Frames uint64
				Drops  []sim.DropCount
				Checks []Check
			}
			want := figures{traced.Stats.Frames, traced.Stats.Drops, traced.Checks}
			got := figures{bare.Stats.Frames, bare.Stats.Drops, bare.Checks}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("traced run (-) and untraced run (+) differ:\n%s", diff)
			}
		})
	}
}
