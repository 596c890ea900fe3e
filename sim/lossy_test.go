package sim_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/osisim/osisim/layers"
	"github.com/osisim/osisim/scenarios"
	"github.com/osisim/osisim/sim"
)

// events keeps every trace event.
type events struct{ list []layers.Event }

func (r *events) Record(e *layers.Event) {
	c := *e
	if e.PDU != nil {
		p := *e.PDU
		p.Bytes = nil
		c.PDU = &p
	}
	r.list = append(r.list, c)
}

func (r *events) find(pred func(e *layers.Event) bool) []layers.Event {
	var out []layers.Event
	for i := range r.list {
		if pred(&r.list[i]) {
			out = append(out, r.list[i])
		}
	}
	return out
}

func load(t testing.TB, name string) *scenarios.File {
	t.Helper()
	f, err := scenarios.LoadBundled(name)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// TestLossyScenario checks the promise of the bundled lesson
// pop3-retr-lossy: with its seed, one run shows a frame lost on the link,
// a fast retransmit, a retransmission timeout and an out-of-order
// reassembly, each retransmission names the loss it repairs, and the
// message arrives intact and is deleted only after QUIT.
func TestLossyScenario(t *testing.T) {
	f := load(t, "pop3-retr-lossy")
	rec := &events{}
	res, err := scenarios.Run(f, scenarios.Options{Seed: f.Seed, Recorder: rec})
	if err != nil {
		t.Fatal(err)
	}
	if !res.OK() {
		t.Fatalf("expectations failed:\n%s", res.Failures())
	}
	checks := []struct {
		what string
		pred func(e *layers.Event) bool
	}{
		{"a frame lost on r1 - server", func(e *layers.Event) bool {
			return e.Dir == layers.Drop && e.Reason == layers.ReasonLoss && e.Layer == layers.Physical &&
				(e.Node == "r1" || e.Node == "server") && strings.Contains(e.Text, "r1.eth1 - server.eth0")
		}},
		{"a fast retransmit", func(e *layers.Event) bool {
			return e.Layer == layers.Transport && e.Dir == layers.Note && strings.HasPrefix(e.Text, "fast retransmit of seq")
		}},
		{"a retransmission timeout", func(e *layers.Event) bool {
			return e.Layer == layers.Transport && e.Dir == layers.Timeout && e.Cause == "RTO" && strings.Contains(e.Text, "retransmit")
		}},
		{"segments queued beyond a hole", func(e *layers.Event) bool {
			return e.Layer == layers.Transport && strings.HasPrefix(e.Text, "out of order: seq")
		}},
		{"the hole filled and the queue delivered in order", func(e *layers.Event) bool {
			return e.Layer == layers.Transport && strings.HasPrefix(e.Text, "hole filled")
		}},
		{"a retransmission after RTO naming the loss", func(e *layers.Event) bool {
			return e.Layer == layers.Transport && e.Dir == layers.Down && strings.HasPrefix(e.Cause, "RTO after loss on ")
		}},
		{"a fast retransmission naming the loss", func(e *layers.Event) bool {
			return e.Layer == layers.Transport && e.Dir == layers.Down && strings.HasPrefix(e.Cause, "fast retransmit after loss on ")
		}},
		{"a duplicate ACK naming the loss", func(e *layers.Event) bool {
			return e.Layer == layers.Transport && e.Dir == layers.Down && strings.HasPrefix(e.Cause, "duplicate ACK after loss on ")
		}},
		{"a frame held back on the link", func(e *layers.Event) bool {
			return e.Layer == layers.Physical && e.Dir == layers.Note && strings.Contains(e.Text, "holds this frame back 1 ms")
		}},
	}
	for _, c := range checks {
		if len(rec.find(c.pred)) == 0 {
			t.Errorf("the trace does not show %s", c.what)
		}
	}
	srv := res.Servers["server"]
	if diff := cmp.Diff([]int{2}, srv.Remaining()); diff != "" || srv.DeletedBeforeQuit() != "" {
		t.Errorf("maildrop: remaining (-want +got) %s; %s", diff, srv.DeletedBeforeQuit())
	}
	rep := res.Reports[0]
	if len(rep.Retrievals) != 1 || !rep.Retrievals[0].OK || rep.Retrievals[0].Octets == 0 || rep.Retrievals[0].Goodput() <= 0 {
		t.Errorf("retrievals %+v", rep.Retrievals)
	}
	if !rep.Finished || !rep.Quit || rep.FinishedAt >= res.Stats.Duration+time.Nanosecond || rep.TCP.RetransmitsFast == 0 && rep.TCP.RetransmitsRTO == 0 && segmentsResent(res.Stats) == 0 {
		t.Errorf("client report %+v", rep)
	}
	if segmentsResent(res.Stats) == 0 {
		t.Errorf("the summary counts no retransmission: %+v", res.Stats.Segments)
	}
	sum := res.Summary()
	for _, want := range []string{"TCP: client sent", "link-loss", "link server->r1:", "goodput", "client finished at"} {
		if !strings.Contains(sum, want) {
			t.Errorf("the summary lacks %q:\n%s", want, sum)
		}
	}
}

func segmentsResent(st sim.Stats) uint64 {
	var n uint64
	for _, s := range st.Segments {
		n += s.Resent
	}
	return n
}

// faultyRun runs the default lesson with the given faults on both
// directions of r1 - server and no trace.
func faultyRun(t testing.TB, seed uint64, loss, reorder, dup, ber float64) *scenarios.Result {
	t.Helper()
	f := load(t, "pop3-retr")
	f.Duration = "600s"
	o := scenarios.Overrides{Loss: &loss, Reorder: &reorder, Dup: &dup, BER: &ber}
	if err := o.Apply(f); err != nil {
		t.Fatal(err)
	}
	res, err := scenarios.Run(f, scenarios.Options{Seed: seed})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// TestManySeeds is the property test of the unreliable network: over many
// seeds, with loss and reordering up to 30%, duplication up to 20% and bit
// errors on the router-server link, whatever the client receives is the
// server's message (by hash), and the maildrop loses message 1 only in the
// UPDATE state after QUIT. Most runs must complete.
func TestManySeeds(t *testing.T) {
	n := 500
	if testing.Short() {
		n = 40
	}
	params := rand.New(rand.NewPCG(2024, 3))
	completed := 0
	for seed := uint64(1); seed <= uint64(n); seed++ {
		loss, reorder, dup := 0.3*params.Float64(), 0.3*params.Float64(), 0.2*params.Float64()
		ber := 2e-5 * params.Float64()
		res := faultyRun(t, seed, loss, reorder, dup, ber)
		name := fmt.Sprintf("seed %d (loss %.3f, reorder %.3f, dup %.3f, ber %.2g)", seed, loss, reorder, dup, ber)
		cl, srv := res.Clients[0], res.Servers["server"]
		want, _ := srv.StoredHash(1)
		if got, ok := cl.Retrieved(1); ok && got.Hash != want {
			t.Errorf("%s: the client received a message with hash %x, the server stored %x", name, got.Hash[:8], want[:8])
		}
		if early := srv.DeletedBeforeQuit(); early != "" {
			t.Errorf("%s: %s", name, early)
		}
		left := srv.Remaining()
		if !slices.Contains(left, 2) {
			t.Errorf("%s: message 2 was deleted: %v", name, left)
		}
		if !slices.Contains(left, 1) && srv.UpdateAt() == 0 {
			t.Errorf("%s: message 1 left the maildrop without an UPDATE state", name)
		}
		if res.OK() {
			completed++
		} else {
			t.Logf("%s did not complete: %s", name, strings.ReplaceAll(res.Failures(), "\n", ";"))
		}
		if _, ok := cl.Retrieved(1); !res.OK() && ok && slices.Contains(left, 1) && res.Reports[0].Quit {
			t.Errorf("%s: QUIT was answered but message 1 is still there", name)
		}
	}
	if completed < n*9/10 {
		t.Errorf("only %d of %d runs completed: TCP should recover from these faults almost always", completed, n)
	}
	t.Logf("%d of %d runs completed", completed, n)
}

// ruleRun runs the default lesson with fault rules and returns its trace
// and the frames of every link with their capture notes.
func ruleRun(t *testing.T, size string, rules ...string) (*scenarios.Result, *events, *frames) {
	t.Helper()
	f := load(t, "pop3-retr")
	if err := (scenarios.Overrides{Rules: rules, MessageSize: size}).Apply(f); err != nil {
		t.Fatal(err)
	}
	rec, cap := &events{}, &frames{}
	res, err := scenarios.Run(f, scenarios.Options{Seed: 1, Recorder: rec, Capture: cap})
	if err != nil {
		t.Fatal(err)
	}
	return res, rec, cap
}

type frame struct {
	from, to string
	tcpData  bool
	payload  string
	note     string
}

// frames is a capture that keeps what the rule tests need of each frame.
type frames struct{ list []frame }

func (c *frames) Frame(l *sim.Link, from *sim.Port, b []byte, m layers.Meta, note string) {
	fr := frame{from: from.Device.Name(), to: from.Peer().Device.Name(), note: note}
	// Ethernet (14) + IPv4 (20, no options here) + TCP (data offset).
	if len(b) > 14+20+20 && b[12] == 0x08 && b[13] == 0x00 && b[14+9] == 6 {
		total := int(b[16])<<8 | int(b[17])
		doff := int(b[14+20+12]>>4) * 4
		if n := total - 20 - doff; n > 0 {
			fr.tcpData = true
			fr.payload = string(b[14+20+doff : 14+total])
		}
	}
	c.list = append(c.list, fr)
}

// TestRuleDropsTheNamedPDU drops the second TCP segment with data on
// r1->server (the client's PASS command): that frame and no other is
// dropped, its drop names the rule, and the client's retransmission says
// it repairs the rule's drop.
func TestRuleDropsTheNamedPDU(t *testing.T) {
	const rule = "drop tcp-data#2 on r1->server"
	res, rec, cap := ruleRun(t, "", rule)
	if !res.OK() {
		t.Fatalf("the run failed:\n%s", res.Failures())
	}
	var onLink []frame
	for _, fr := range cap.list {
		if fr.from == "r1" && fr.to == "server" && fr.tcpData {
			onLink = append(onLink, fr)
		}
		if strings.Contains(fr.note, "fault rule") && !(fr.from == "r1" && fr.to == "server") {
			t.Errorf("a frame from %s to %s is noted %q", fr.from, fr.to, fr.note)
		}
	}
	if len(onLink) < 3 {
		t.Fatalf("only %d data frames on r1->server", len(onLink))
	}
	for i, fr := range onLink {
		dropped := fr.note == "dropped by fault rule: "+rule
		if dropped != (i == 1) {
			t.Errorf("data frame %d on r1->server (%q): note %q", i+1, strings.TrimSpace(fr.payload), fr.note)
		}
	}
	if !strings.HasPrefix(onLink[1].payload, "PASS ") || onLink[2].payload != onLink[1].payload {
		t.Errorf("frames 2 and 3: %q, %q; want PASS, then PASS again", onLink[1].payload, onLink[2].payload)
	}
	drops := rec.find(func(e *layers.Event) bool { return e.Dir == layers.Drop && e.Reason == layers.ReasonFaultRule })
	if len(drops) != 1 || drops[0].Cause != rule || drops[0].Node != "r1" || drops[0].Iface != "eth1" ||
		!strings.Contains(drops[0].Text, "the 2nd tcp-data frame on r1->server") {
		t.Errorf("fault-rule drops: %+v", drops)
	}
	resent := rec.find(func(e *layers.Event) bool {
		return e.Node == "client" && e.Layer == layers.Transport && e.Dir == layers.Down && e.Cause == "RTO after rule: "+rule
	})
	if len(resent) != 1 || !strings.Contains(resent[0].PDU.Summary, "len=") {
		t.Errorf("the client's retransmission of PASS: %+v", resent)
	}
	// The cause follows the retransmission down to the wire.
	if len(rec.find(func(e *layers.Event) bool {
		return e.Node == "r1" && e.Layer == layers.DataLink && e.Cause == "RTO after rule: "+rule
	})) == 0 {
		t.Error("the retransmitted frame at r1 does not carry the cause")
	}
	if diff := cmp.Diff([]sim.RuleStats{{Rule: rule, Matches: len(onLink), Fired: true, At: drops[0].Time}}, res.Stats.Rules); diff != "" {
		t.Errorf("rule stats (-want +got):\n%s", diff)
	}
}

// TestRuleRetrData drops the 3rd segment of the RETR reply on its way from
// the server: the client's duplicate ACKs and the server's fast
// retransmission name the rule.
func TestRuleRetrData(t *testing.T) {
	const rule = "drop retr-data#3 on server->r1"
	res, rec, cap := ruleRun(t, "64kB", rule)
	if !res.OK() {
		t.Fatalf("the run failed:\n%s", res.Failures())
	}
	var dropped []frame
	for _, fr := range cap.list {
		if strings.HasPrefix(fr.note, "dropped by fault rule") {
			dropped = append(dropped, fr)
		}
	}
	if len(dropped) != 1 || dropped[0].from != "server" || strings.HasPrefix(dropped[0].payload, "+OK") {
		t.Errorf("dropped frames %+v: want one, from the server, inside the body", dropped)
	}
	for _, c := range []string{"duplicate ACK after rule: " + rule, "fast retransmit after rule: " + rule} {
		if len(rec.find(func(e *layers.Event) bool { return e.Layer == layers.Transport && e.Dir == layers.Down && e.Cause == c })) == 0 {
			t.Errorf("no segment with the cause %q", c)
		}
	}
}

// TestRuleDupAndCorrupt: a duplicated segment reaches TCP twice (the copy
// is dropped as a duplicate); a corrupted one fails the FCS check at the
// next hop and is resent.
func TestRuleDupAndCorrupt(t *testing.T) {
	res, rec, _ := ruleRun(t, "", "dup tcp-data#1 on r1->server", "corrupt tcp-data#3 on sw1->r1")
	if !res.OK() {
		t.Fatalf("the run failed:\n%s", res.Failures())
	}
	if len(rec.find(func(e *layers.Event) bool {
		return e.Node == "server" && e.Layer == layers.Transport && e.Dir == layers.Drop && e.Reason == layers.ReasonDuplicate
	})) == 0 {
		t.Error("the server's TCP did not see the duplicate")
	}
	fcs := rec.find(func(e *layers.Event) bool { return e.Dir == layers.Drop && e.Reason == layers.ReasonFCS })
	if len(fcs) != 1 || fcs[0].Node != "r1" || fcs[0].Cause != "corrupt tcp-data#3 on sw1->r1" {
		t.Errorf("FCS drops %+v: want one at r1 caused by the rule", fcs)
	}
	if len(rec.find(func(e *layers.Event) bool { return e.Cause == "RTO after rule: corrupt tcp-data#3 on sw1->r1" })) == 0 {
		t.Error("no retransmission names the corrupt rule")
	}
}

// TestTotalLoss: with every frame lost between the router and the server
// the run ends (in bounded simulated time) with failed expectations, and
// the maildrop is intact.
func TestTotalLoss(t *testing.T) {
	f := load(t, "pop3-retr")
	loss := 1.0
	if err := (scenarios.Overrides{Loss: &loss}).Apply(f); err != nil {
		t.Fatal(err)
	}
	f.Duration = "3600s"
	res, err := scenarios.Run(f, scenarios.Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if res.OK() {
		t.Fatal("the run met its expectations through a link that loses everything")
	}
	srv := res.Servers["server"]
	if diff := cmp.Diff([]int{1, 2}, srv.Remaining()); diff != "" {
		t.Errorf("maildrop (-want +got):\n%s", diff)
	}
	rep := res.Reports[0]
	if !rep.Finished || rep.Quit || rep.Err == nil {
		t.Errorf("the client should have given up: %+v", rep)
	}
	if res.Stats.Duration > 10*time.Minute {
		t.Errorf("the run lasted %v of simulated time", res.Stats.Duration)
	}
	if !strings.Contains(res.Summary(), "client gave up at") {
		t.Errorf("summary:\n%s", res.Summary())
	}
}
