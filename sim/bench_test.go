package sim_test

import (
	"testing"

	"github.com/osisim/osisim/layers"
	"github.com/osisim/osisim/scenarios"
)

// benchRETR runs the default lesson with message 1 a generated message of
// size, 1% loss and 5% reordering on its unreliable link (r1 - server),
// every layer encoding and decoding real bytes down to the line code, and
// the trace sent to layers.Discard.
func benchRETR(b *testing.B, size string) {
	loss, reorder := 0.01, 0.05
	var events uint64
	for b.Loop() {
		f, err := scenarios.LoadBundled("pop3-retr")
		if err != nil {
			b.Fatal(err)
		}
		o := scenarios.Overrides{Loss: &loss, Reorder: &reorder, MessageSize: size}
		if err := o.Apply(f); err != nil {
			b.Fatal(err)
		}
		res, err := scenarios.Run(f, scenarios.Options{Seed: 1, Recorder: layers.Discard})
		if err != nil {
			b.Fatal(err)
		}
		if !res.OK() {
			b.Fatalf("the retrieval failed:\n%s", res.Failures())
		}
		events += res.Stats.Events
	}
	b.ReportMetric(float64(events)/b.Elapsed().Seconds(), "events/s")
	b.ReportMetric(float64(events)/float64(b.N), "events/op")
}

func BenchmarkRETR1MiB(b *testing.B)  { benchRETR(b, "1MiB") }
func BenchmarkRETR10MiB(b *testing.B) { benchRETR(b, "10MiB") }
