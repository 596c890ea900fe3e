package sim

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/osisim/osisim/layers/datalink"
	"github.com/osisim/osisim/layers/network"
)

// RuleAction is what a fault rule does to the frame it picks.
type RuleAction uint8

// The actions of a fault rule.
const (
	RuleDrop    RuleAction = iota + 1 // the medium loses the frame
	RuleDelay                         // the frame arrives later by Rule.Delay
	RuleDup                           // the frame arrives twice
	RuleCorrupt                       // one bit of the frame is inverted, so its FCS check fails
)

var actionNames = [...]string{"", "drop", "delay", "dup", "corrupt"}

// String returns the action as the rule syntax spells it.
func (a RuleAction) String() string {
	if int(a) < len(actionNames) && a != 0 {
		return actionNames[a]
	}
	return "action(" + strconv.Itoa(int(a)) + ")"
}

// Rule is a targeted fault that makes a lesson repeatable: it acts on the
// Nth frame matching Filter that starts on the link from node From to node
// To, counted from the start of the run (docs/faults.md). Its text, for
// example "drop tcp-data#2 on r1->server", is the cause of everything that
// follows from it in the trace.
type Rule struct {
	Action   RuleAction
	Delay    time.Duration // for RuleDelay: how much later the frame arrives
	Filter   string        // which frames count: "tcp-data", "arp", "retr-data" ... (see Filters)
	N        int           // the Nth matching frame, from 1
	From, To string        // the link direction, by node names
}

// String returns the rule in its canonical syntax.
func (r Rule) String() string {
	var b strings.Builder
	b.WriteString(r.Action.String())
	if r.Action == RuleDelay {
		b.WriteString(" " + r.Delay.String())
	}
	fmt.Fprintf(&b, " %s#%d on %s->%s", r.Filter, r.N, r.From, r.To)
	return b.String()
}

// Direction returns "from->to".
func (r Rule) Direction() string { return r.From + "->" + r.To }

// pop3Commands are the POP3 command keywords of RFC 1939 and RFC 2449 that
// a filter may name.
var pop3Commands = []string{"apop", "capa", "dele", "list", "noop", "pass", "quit", "retr", "rset", "stat", "top", "uidl", "user"}

// baseFilters are the protocol filters, with what they pick.
var baseFilters = []struct{ name, what string }{
	{"any", "every frame"},
	{"arp", "ARP requests and replies"},
	{"ipv4", "every IPv4 datagram"},
	{"icmp", "ICMP messages"},
	{"udp", "UDP datagrams"},
	{"tcp", "every TCP segment"},
	{"tcp-syn", "TCP segments with SYN (SYN and SYN-ACK)"},
	{"tcp-fin", "TCP segments with FIN"},
	{"tcp-rst", "TCP segments with RST"},
	{"tcp-ack", "pure TCP acknowledgments (no data, SYN, FIN or RST)"},
	{"tcp-data", "TCP segments carrying data"},
	{"pop3", "TCP segments carrying data to or from port 110"},
}

// Filters lists every filter name a rule accepts, in a fixed order: the
// protocol filters, then for each POP3 command keyword (retr, dele, ...)
// the filter of the segment carrying the command and the KEYWORD-data
// filter of the TCP data of the server's reply to it.
func Filters() []string {
	var out []string
	for _, f := range baseFilters {
		out = append(out, f.name)
	}
	for _, c := range pop3Commands {
		out = append(out, c, c+"-data")
	}
	return out
}

// filterKind splits a filter into its kind: a base filter, a POP3 command
// keyword (upper case) and whether it means the reply data.
func filterKind(name string) (base string, keyword string, reply bool, ok bool) {
	for _, f := range baseFilters {
		if f.name == name {
			return name, "", false, true
		}
	}
	kw, reply := strings.CutSuffix(name, "-data")
	if slices.Contains(pop3Commands, kw) {
		return "", strings.ToUpper(kw), reply, true
	}
	return "", "", false, false
}

// ParseRule reads a rule in the syntax of docs/faults.md:
//
//	ACTION [DELAY] FILTER[#N] on FROM->TO
//
// with ACTION one of drop, delay (followed by a duration such as 50ms), dup
// or corrupt; N from 1 (1 when left out). Errors say what is wrong and at
// which column.
func ParseRule(s string) (Rule, error) {
	var r Rule
	toks := ruleTokens(s)
	fail := func(t ruleToken, format string, args ...any) (Rule, error) {
		return Rule{}, fmt.Errorf("sim: rule %q, column %d: %s", s, t.col, fmt.Sprintf(format, args...))
	}
	end := ruleToken{col: len(s) + 1}
	next := func() (ruleToken, bool) {
		if len(toks) == 0 {
			return end, false
		}
		t := toks[0]
		toks = toks[1:]
		return t, true
	}
	t, ok := next()
	if !ok {
		return fail(t, "empty rule: want ACTION FILTER#N on FROM->TO, e.g. drop tcp-data#2 on r1->server")
	}
	switch strings.ToLower(t.text) {
	case "drop":
		r.Action = RuleDrop
	case "delay":
		r.Action = RuleDelay
	case "dup", "duplicate":
		r.Action = RuleDup
	case "corrupt":
		r.Action = RuleCorrupt
	default:
		return fail(t, "unknown action %q: want drop, delay, dup or corrupt", t.text)
	}
	if r.Action == RuleDelay {
		t, ok = next()
		d, err := time.ParseDuration(strings.ReplaceAll(t.text, "µs", "us"))
		if !ok || err != nil || d <= 0 {
			return fail(t, "delay needs a positive duration such as 50ms after it, got %q", t.text)
		}
		r.Delay = d
	}
	t, ok = next()
	if !ok {
		return fail(t, "missing filter after %q: want one of %s", r.Action, strings.Join(Filters(), ", "))
	}
	name, count, hasCount := strings.Cut(strings.ToLower(t.text), "#")
	if _, _, _, known := filterKind(name); !known {
		return fail(t, "unknown filter %q: want one of %s", name, strings.Join(Filters(), ", "))
	}
	r.Filter, r.N = name, 1
	if hasCount {
		n, err := strconv.Atoi(count)
		if err != nil || n < 1 {
			return fail(ruleToken{col: t.col + len(name) + 1}, "%q after # is not a count from 1 (the Nth matching frame)", count)
		}
		r.N = n
	}
	t, ok = next()
	if !ok || strings.ToLower(t.text) != "on" {
		return fail(t, "want `on FROM->TO` after the filter, got %q", t.text)
	}
	t, ok = next()
	if !ok {
		return fail(t, "missing the link direction FROM->TO, e.g. r1->server")
	}
	// Accept "a->b" as well as "a -> b".
	dir, col := t.text, t.col
	for len(toks) > 0 {
		u, _ := next()
		dir += u.text
	}
	from, to, found := strings.Cut(dir, "->")
	switch {
	case !found:
		return fail(ruleToken{col: col}, "the link direction %q is not FROM->TO, e.g. r1->server", dir)
	case from == "" || strings.ContainsAny(from, ".>"):
		return fail(ruleToken{col: col}, "the link direction %q needs a node name before ->", dir)
	case to == "" || strings.ContainsAny(to, ".->"):
		return fail(ruleToken{col: col + len(from) + 2}, "the link direction %q needs one node name after ->", dir)
	case from == to:
		return fail(ruleToken{col: col}, "the link direction %q goes from a node to itself", dir)
	}
	r.From, r.To = from, to
	return r, nil
}

type ruleToken struct {
	text string
	col  int // from 1, in bytes
}

func ruleTokens(s string) []ruleToken {
	var out []ruleToken
	start := -1
	for i := 0; i <= len(s); i++ {
		if i == len(s) || s[i] == ' ' || s[i] == '\t' {
			if start >= 0 {
				out = append(out, ruleToken{text: s[start:i], col: start + 1})
				start = -1
			}
			continue
		}
		if start < 0 {
			start = i
		}
	}
	return out
}

// ruleState is a rule at work on one link direction.
type ruleState struct {
	Rule
	text    string // the canonical text: the cause of what the rule does
	order   int    // when it was added, from 0
	base    string
	keyword string // POP3 command keyword, upper case
	reply   bool   // KEYWORD-data: the reply to the command
	armed   []flow // reply filters: connections whose reply to keyword is under way
	matches int
	fired   bool
	at      time.Duration // when it fired
}

func newRuleState(r Rule, order int) *ruleState {
	base, kw, reply, _ := filterKind(r.Filter)
	return &ruleState{Rule: r, text: r.String(), order: order, base: base, keyword: kw, reply: reply}
}

// match counts c if the rule's filter picks it, and reports whether c is
// the Nth match, the one the rule acts on.
func (r *ruleState) match(c *frameClass) bool {
	if !r.picks(c) {
		return false
	}
	r.matches++
	return r.matches == r.N
}

func (r *ruleState) picks(c *frameClass) bool {
	switch r.base {
	case "any":
		return true
	case "arp":
		return c.etherType == datalink.EtherTypeARP || c.etherType == datalink.EtherTypeRARP
	case "ipv4":
		return c.ipv4
	case "icmp":
		return c.ipv4 && c.proto == network.ProtoICMP
	case "udp":
		return c.ipv4 && c.proto == network.ProtoUDP
	case "tcp":
		return c.ipv4 && c.proto == network.ProtoTCP
	case "tcp-syn":
		return c.tcp && c.flags&tcpSYN != 0
	case "tcp-fin":
		return c.tcp && c.flags&tcpFIN != 0
	case "tcp-rst":
		return c.tcp && c.flags&tcpRST != 0
	case "tcp-ack":
		return c.pureACK()
	case "tcp-data":
		return c.tcp && c.payload > 0
	case "pop3":
		return c.tcp && c.payload > 0 && (c.flow.sport == 110 || c.flow.dport == 110)
	}
	if !c.tcp || c.payload == 0 {
		return false
	}
	if !r.reply {
		return c.startsWith(r.keyword)
	}
	return slices.Contains(r.armed, c.flow)
}

// observe watches a frame going the other way on the rule's link, for a
// KEYWORD-data rule: a command line with the keyword arms the reply's
// direction of that connection, any other command line disarms it.
func (r *ruleState) observe(c *frameClass) {
	if !r.reply || !c.tcp || !c.command() {
		return
	}
	back := c.flow.reverse()
	i := slices.Index(r.armed, back)
	switch {
	case c.startsWith(r.keyword) && i < 0:
		r.armed = append(r.armed, back)
	case !c.startsWith(r.keyword) && i >= 0:
		r.armed = slices.Delete(r.armed, i, i+1)
	}
}

// RuleStats says what one rule did in a run.
type RuleStats struct {
	Rule    string        // canonical text
	Matches int           // frames its filter picked on its link direction
	Fired   bool          // whether the Nth match came
	At      time.Duration // when it fired
}
