package sim_test

import (
	"testing"

	"github.com/osisim/osisim/layers"
	"github.com/osisim/osisim/scenarios"
)

// benchRETR runs a lesson (the default, pop3-retr, unless told) with
// message 1 a generated message of size, 1% loss and 5% reordering on its
// unreliable link (r1 - server), every layer encoding and decoding real
// bytes down to the line code, and the trace sent to layers.Discard.
func benchRETR(b *testing.B, size string) { benchLesson(b, "pop3-retr", size, nil) }

// benchLesson is benchRETR for any lesson, with edit (if any) changing the
// scenario before each run.
func benchLesson(b *testing.B, lesson, size string, edit func(*scenarios.File)) {
	loss, reorder := 0.01, 0.05
	var events uint64
	for b.Loop() {
		f, err := scenarios.LoadBundled(lesson)
		if err != nil {
			b.Fatal(err)
		}
		if edit != nil {
			edit(f)
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

// BenchmarkTLSRETR1MiB retrieves 1 MiB over STLS (pop3-tls): every record
// encrypted and decrypted by crypto/tls in lock step with the simulation.
func BenchmarkTLSRETR1MiB(b *testing.B) { benchLesson(b, "pop3-tls", "1MiB", nil) }

// BenchmarkOSIRETR1MiB retrieves 1 MiB in the osi profile with DEFLATE.
func BenchmarkOSIRETR1MiB(b *testing.B) {
	benchLesson(b, "pop3-retr", "1MiB", func(f *scenarios.File) { f.Profile, f.Compress = "osi", true })
}
