package scenarios

import (
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/osisim/osisim/layers"
	"github.com/osisim/osisim/sim"
)

// checkFaults validates the keys of issue 3: link faults, the unreliable
// mark, output queues, source quench and the fault rules.
func (v *validator) checkFaults(f *File, nodes map[string]*Node) {
	marked := -1
	for i, l := range f.Links {
		p := fmt.Sprintf("$.links[%d]", i)
		if l.Unreliable {
			if marked >= 0 {
				v.errorf(p+".unreliable", "links %d and %d are both marked unreliable: mark one", marked+1, i+1)
			}
			marked = i
		}
		if l.Faults == nil {
			continue
		}
		v.checkFaultSet(p+".faults", &l.Faults.FaultSet)
		if l.Faults.AB != nil {
			v.checkFaultSet(p+".faults.ab", l.Faults.AB)
		}
		if l.Faults.BA != nil {
			v.checkFaultSet(p+".faults.ba", l.Faults.BA)
		}
	}
	for i, n := range f.Nodes {
		p := fmt.Sprintf("$.nodes[%d]", i)
		if n.SourceQuench && n.Kind != "router" {
			v.errorf(p+".source_quench", "source_quench is for routers, %q is a %s", n.Name, n.Kind)
		}
		for j, itf := range n.Interfaces {
			if itf.Queue < 0 || itf.Queue > 1_000_000 {
				v.errorf(fmt.Sprintf("%s.interfaces[%d].queue", p, j), "queue %d: want a number of packets from 1 to 1000000 (0 or none: unbounded)", itf.Queue)
			}
		}
	}
	for i, text := range f.Rules {
		if err := checkRule(f, text); err != nil {
			v.errorf(fmt.Sprintf("$.rules[%d]", i), "%s", strings.TrimPrefix(err.Error(), "sim: "))
		}
	}
}

func (v *validator) checkFaultSet(p string, s *FaultSet) {
	prob := func(key string, x *float64, upper string, ok func(float64) bool) {
		if x != nil && !ok(*x) {
			v.errorf(p+"."+key, "%s %v is outside %s", key, *x, upper)
		}
	}
	unit := func(x float64) bool { return x >= 0 && x <= 1 }
	prob("loss", s.Loss, "[0, 1] (a probability: 0.05 is 5%)", unit)
	prob("reorder", s.Reorder, "[0, 1] (a probability)", unit)
	prob("dup", s.Dup, "[0, 1] (a probability)", unit)
	prob("ber", s.BER, "[0, 1) (a bit error rate such as 1e-6)", func(x float64) bool { return x >= 0 && x < 1 })
	if s.ReorderDelay != "" {
		if d, err := parseDuration(s.ReorderDelay); err != nil || d <= 0 {
			v.errorf(p+".reorder_delay", "reorder_delay %q is not a positive time such as 2ms", s.ReorderDelay)
		}
	}
	for k, o := range s.Outages {
		op := fmt.Sprintf("%s.outages[%d]", p, k)
		from, err1 := parseDuration(o.From)
		to, err2 := parseDuration(o.To)
		switch {
		case err1 != nil || from < 0:
			v.errorf(op+".from", "outage start %q is not a time such as 1s", o.From)
		case err2 != nil:
			v.errorf(op+".to", "outage end %q is not a time such as 2.5s", o.To)
		case to <= from:
			v.errorf(op, "outage from %s to %s ends before it starts", o.From, o.To)
		}
	}
}

// checkRule checks a fault rule's syntax and that its link direction joins
// two nodes of f directly.
func checkRule(f *File, text string) error {
	r, err := sim.ParseRule(text)
	if err != nil {
		return err
	}
	known := map[string]bool{}
	for _, n := range f.Nodes {
		known[n.Name] = true
	}
	for _, name := range []string{r.From, r.To} {
		if !known[name] {
			return fmt.Errorf("rule %q: there is no node %q", text, name)
		}
	}
	var near []string
	for _, l := range f.Links {
		a, _, _ := strings.Cut(l.A, ".")
		b, _, _ := strings.Cut(l.B, ".")
		if (a == r.From && b == r.To) || (a == r.To && b == r.From) {
			return nil
		}
		if a == r.From {
			near = append(near, b)
		} else if b == r.From {
			near = append(near, a)
		}
	}
	return fmt.Errorf("rule %q: no link joins %s and %s directly (%s is linked to %s)", text, r.From, r.To, r.From, strings.Join(near, ", "))
}

// faults turns the link's fault keys into the faults of the direction from
// a to b (ab) or from b to a.
func (lf *LinkFaults) faults(ab bool) sim.Faults {
	var out sim.Faults
	if lf == nil {
		return out
	}
	sets := []*FaultSet{&lf.FaultSet, lf.BA}
	if ab {
		sets[1] = lf.AB
	}
	for _, s := range sets {
		if s == nil {
			continue
		}
		set := func(dst *float64, x *float64) {
			if x != nil {
				*dst = *x
			}
		}
		set(&out.Loss, s.Loss)
		set(&out.Reorder, s.Reorder)
		set(&out.Dup, s.Dup)
		set(&out.BER, s.BER)
		if s.ReorderDelay != "" {
			out.ReorderDelay, _ = parseDuration(s.ReorderDelay)
		}
		if s.Outages != nil {
			out.Outages = nil
			for _, o := range s.Outages {
				from, _ := parseDuration(o.From)
				to, _ := parseDuration(o.To)
				out.Outages = append(out.Outages, sim.Outage{From: from, To: to})
			}
		}
	}
	return out
}

// applyFaults sets the faults of a built link.
func applyFaults(l *sim.Link, a, b *sim.Port, lf *LinkFaults) error {
	if lf == nil {
		return nil
	}
	for _, d := range []struct {
		from *sim.Port
		f    sim.Faults
	}{{a, lf.faults(true)}, {b, lf.faults(false)}} {
		if d.f.IsZero() && d.f.ReorderDelay == 0 {
			continue
		}
		if err := l.SetFaults(d.from, d.f); err != nil {
			return err
		}
	}
	return nil
}

// UnreliableLink returns the index of the scenario's unreliable link: the
// one marked `unreliable: true`, or else the link with the largest delay
// (the first of them), where a WAN would be in a real network.
func UnreliableLink(f *File) (int, error) {
	if len(f.Links) == 0 {
		return -1, errors.New("the scenario has no links")
	}
	best, bestDelay := -1, time.Duration(-1)
	for i, l := range f.Links {
		if l.Unreliable {
			return i, nil
		}
		d, _ := parseDuration(l.Delay)
		if d > bestDelay {
			best, bestDelay = i, d
		}
	}
	return best, nil
}

// Overrides are changes the command line makes to a scenario before it
// runs: faults on its unreliable link, more fault rules, a bigger message.
type Overrides struct {
	Loss, Reorder, Dup, BER *float64 // set on both directions of the unreliable link
	Rules                   []string // fault rules added after the scenario's own
	MessageSize             string   // message 1 of the first client's server becomes a generated message this big
}

// Apply checks the overrides and applies them to f.
func (o Overrides) Apply(f *File) error {
	for _, p := range []struct {
		flag string
		v    *float64
		ber  bool
	}{{"--loss", o.Loss, false}, {"--reorder", o.Reorder, false}, {"--dup", o.Dup, false}, {"--ber", o.BER, true}} {
		switch {
		case p.v == nil:
		case p.ber && !(*p.v >= 0 && *p.v < 1):
			return fmt.Errorf("%s %v: a bit error rate is at least 0 and below 1, such as 1e-6", p.flag, *p.v)
		case !p.ber && !(*p.v >= 0 && *p.v <= 1):
			return fmt.Errorf("%s %v: a probability is between 0 and 1 (0.05 is 5%%)", p.flag, *p.v)
		}
	}
	if o.Loss != nil || o.Reorder != nil || o.Dup != nil || o.BER != nil {
		i, err := UnreliableLink(f)
		if err != nil {
			return err
		}
		l := &f.Links[i]
		if l.Faults == nil {
			l.Faults = &LinkFaults{}
		}
		for _, s := range []*FaultSet{&l.Faults.FaultSet, l.Faults.AB, l.Faults.BA} {
			if s == nil {
				continue
			}
			top := s == &l.Faults.FaultSet
			for _, k := range []struct{ dst, v **float64 }{{&s.Loss, &o.Loss}, {&s.Reorder, &o.Reorder}, {&s.Dup, &o.Dup}, {&s.BER, &o.BER}} {
				switch {
				case *k.v == nil:
				case top:
					x := **k.v
					*k.dst = &x
				default:
					*k.dst = nil // the command line wins over a per-direction value
				}
			}
		}
	}
	for _, text := range o.Rules {
		if err := checkRule(f, text); err != nil {
			return fmt.Errorf("--fault: %s", strings.TrimPrefix(err.Error(), "sim: "))
		}
		f.Rules = append(f.Rules, text)
	}
	if o.MessageSize != "" {
		if err := setMessageSize(f, o.MessageSize); err != nil {
			return err
		}
	}
	return nil
}

// setMessageSize makes message 1 of the server the first client talks to a
// generated message of size octets.
func setMessageSize(f *File, size string) error {
	n, err := ParseSize(size)
	if err != nil || n <= 0 {
		return fmt.Errorf("--message-size %q: want a positive size such as 64kB, 1MiB or 10MiB", size)
	}
	nodes := map[string]*Node{}
	for i := range f.Nodes {
		nodes[f.Nodes[i].Name] = &f.Nodes[i]
	}
	srv := firstServer(f, nodes)
	if srv == nil {
		return errors.New("--message-size: the scenario has no POP3 client talking to a POP3 server")
	}
	m := Mail{Generated: size, Subject: "A generated message of " + size}
	if len(srv.Maildrop) == 0 {
		srv.Maildrop = []Mail{m}
	} else {
		srv.Maildrop[0] = m
	}
	// Give the transfer time to finish: twice the time the message takes
	// (base64 adds a third, headers a few percent) over the slowest link,
	// plus a minute.
	slowest := int64(0)
	for _, l := range f.Links {
		if r, err := ParseRate(l.Rate); err == nil && (slowest == 0 || r < slowest) {
			slowest = r
		}
	}
	limit := 120 * time.Second
	if f.Duration != "" {
		limit, _ = parseDuration(f.Duration)
	}
	if slowest > 0 {
		need := time.Minute + 2*time.Duration(float64(n)*1.4*8/float64(slowest)*float64(time.Second))
		if need > limit {
			f.Duration = need.Round(time.Second).String()
		}
	}
	return nil
}

// firstServer returns the POP3 service of the server the first POP3 client
// talks to.
func firstServer(f *File, nodes map[string]*Node) *POP3Service {
	for _, a := range f.Apps {
		if a.POP3 == nil {
			continue
		}
		addr, _, err := serverAddr(f, a.Node, a.POP3.Server, nodes)
		if err != nil {
			continue
		}
		for i := range f.Nodes {
			n := &f.Nodes[i]
			if n.Services.POP3 == nil {
				continue
			}
			for _, itf := range n.Interfaces {
				if p, err := netip.ParsePrefix(itf.IP); err == nil && p.Addr() == addr {
					return n.Services.POP3
				}
			}
		}
	}
	return nil
}

// rateString prints a bit rate such as 12.3 Mb/s.
func rateString(bps float64) string {
	switch {
	case bps >= 1e9:
		return strconv.FormatFloat(bps/1e9, 'f', 2, 64) + " Gb/s"
	case bps >= 1e6:
		return strconv.FormatFloat(bps/1e6, 'f', 2, 64) + " Mb/s"
	case bps >= 1e3:
		return strconv.FormatFloat(bps/1e3, 'f', 2, 64) + " kb/s"
	}
	return strconv.FormatFloat(bps, 'f', 0, 64) + " b/s"
}

// applyQueues bounds the output queues and turns on source quench as the
// nodes of f ask.
func (b *built) applyQueues(f *File) error {
	for _, n := range f.Nodes {
		var q interface {
			SetQueue(iface string, packets int) error
		}
		switch d := b.devices[n.Name].(type) {
		case *sim.Router:
			q = d
			d.SetSourceQuench(n.SourceQuench)
		case *sim.Host:
			q = d
		default:
			continue
		}
		for _, itf := range n.Interfaces {
			if itf.Queue > 0 {
				if err := q.SetQueue(itf.Name, itf.Queue); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// detailsIn are the lines of the summary after its first, in lang: TCP segments sent
// and retransmitted, drops by place and reason, what the faulty links and
// the fault rules did, each retrieval's goodput and when each client
// finished.
func (r *Result) detailsIn(lang layers.Lang) string {
	st := r.Stats
	var lines []string
	m := func(id string, args ...any) string { return sim.Msgf(lang, id, args...) }
	if len(st.Segments) > 0 {
		var parts []string
		for _, c := range st.Segments {
			s := m("summary.tcp.host", c.Node, sim.Thousands(int64(c.Sent)), sim.Thousands(int64(c.Resent)))
			if c.Resent > 0 {
				s += m("summary.tcp.resent", sim.Thousands(int64(c.RTO)), sim.Thousands(int64(c.Fast)))
			}
			parts = append(parts, s)
		}
		lines = append(lines, m("summary.tcp", strings.Join(parts, m("summary.sep"))))
	}
	if len(st.Drops) > 0 {
		var parts []string
		for _, d := range st.Drops {
			parts = append(parts, m("summary.drop", d.Place(), int(d.Layer), sim.ReasonText(lang, d.Reason), d.Count))
		}
		lines = append(lines, m("summary.drops", strings.Join(parts, m("summary.sep"))))
	}
	for _, l := range st.Links {
		var parts []string
		for _, c := range []struct {
			n  uint64
			id string
		}{{l.Lost, "summary.link.lost"}, {l.Down, "summary.link.down"}, {l.RuleDrops, "summary.link.rules"}, {l.Corrupted, "summary.link.corrupted"},
			{l.Duplicated, "summary.link.duplicated"}, {l.Reordered, "summary.link.reordered"}, {l.Delayed, "summary.link.delayed"}, {l.QueueDrops, "summary.link.queue"}} {
			if c.n > 0 {
				parts = append(parts, m(c.id, sim.Thousands(int64(c.n))))
			}
		}
		if l.MaxWaiting > 0 {
			parts = append(parts, m("summary.link.waiting", l.MaxWaiting))
		}
		lines = append(lines, m("summary.link", l.Dir, sim.Thousands(int64(l.Frames)), listTail(lang, parts)))
	}
	for _, rs := range st.Rules {
		if rs.Fired {
			lines = append(lines, m("summary.rule", rs.Rule, sim.Seconds(rs.At), rs.Matches))
		} else {
			lines = append(lines, m("summary.rule.never", rs.Rule, rs.Matches))
		}
	}
	for _, rep := range r.Reports {
		for _, x := range rep.Retrievals {
			if x.OK {
				lines = append(lines, m("summary.retrieval",
					rep.Node, x.Message, sim.Thousands(x.Octets), sim.Seconds(x.Duration()), rateString(x.Goodput())))
			} else {
				lines = append(lines, m("summary.retrieval.failed", rep.Node, x.Message))
			}
		}
		switch {
		case rep.Finished && rep.Quit:
			lines = append(lines, m("summary.finished", rep.Node, sim.Seconds(rep.FinishedAt)))
		case rep.Finished && rep.Err != nil:
			lines = append(lines, m("summary.gaveup", rep.Node, sim.Seconds(rep.FinishedAt), rep.Err.Error()))
		case rep.Finished:
			lines = append(lines, m("summary.gaveup", rep.Node, sim.Seconds(rep.FinishedAt), m("summary.failed.conn")))
		default:
			lines = append(lines, m("summary.unfinished", rep.Node, sim.Seconds(st.Duration)))
		}
	}
	if len(lines) == 0 {
		return ""
	}
	return "\n  " + strings.Join(lines, "\n  ")
}

func listTail(lang layers.Lang, parts []string) string {
	if len(parts) == 0 {
		return ""
	}
	sep := sim.Msg(lang, "summary.and")
	return sep + strings.Join(parts, sep)
}
