package main

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/osisim/osisim/layers"
	"github.com/osisim/osisim/scenarios"
	"github.com/osisim/osisim/sim"
)

// viewFlags are the run command's flags for the text-like views: the link
// end of the packet list, and the filters (--node, --layer, --proto,
// --from, --to) that every text-like format streams through.
type viewFlags struct {
	Link     string
	Nodes    []string
	Layers   []string
	Protos   []string
	From, To string
}

// viewFormats are the formats rendered by run_views.go.
var viewFormats = []string{"list", "follow", "mermaid"}

func isViewFormat(s string) bool {
	for _, v := range viewFormats {
		if s == v {
			return true
		}
	}
	return false
}

func (v *viewFlags) register(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringVar(&v.Link, "link", "", "the link end the list format shows, e.g. client.eth0 (default: the client's first interface)")
	f.StringSliceVar(&v.Nodes, "node", nil, "show only the events of these nodes (repeatable, or comma-separated)")
	f.StringArrayVar(&v.Layers, "layer", nil, "show only this layer of the chosen model, by number or name (repeatable)")
	f.StringSliceVar(&v.Protos, "proto", nil, "show only what is or carries this protocol: arp, ipv4, icmp, tcp, udp, pop3 or dns (repeatable)")
	f.StringVar(&v.From, "from", "", "show only what happens at or after this simulated time, e.g. 10ms")
	f.StringVar(&v.To, "to", "", "show only what happens at or before this simulated time, e.g. 40ms")
}

// options reads the filter flags under model m.
func (v *viewFlags) options(m layers.Model) (sim.FilterOptions, error) {
	var o sim.FilterOptions
	o.Nodes = v.Nodes
	for _, s := range v.Layers {
		ls, err := sim.ParseLayers(m, s)
		if err != nil {
			return o, fmt.Errorf("--layer: %w", err)
		}
		o.Layers = append(o.Layers, ls...)
	}
	for _, s := range v.Protos {
		p, err := sim.ParseProtos(s)
		if err != nil {
			return o, fmt.Errorf("--proto: %w", err)
		}
		o.Protos |= p
	}
	var err error
	if o.From, err = parseSimTime("--from", v.From); err != nil {
		return o, err
	}
	if o.To, err = parseSimTime("--to", v.To); err != nil {
		return o, err
	}
	if o.To > 0 && o.To < o.From {
		return o, fmt.Errorf("--to %s is before --from %s", v.To, v.From)
	}
	return o, nil
}

// parseSimTime reads a simulated time such as "10ms" or "1.5s".
func parseSimTime(flag, s string) (time.Duration, error) {
	if s == "" {
		return 0, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return 0, fmt.Errorf("%s %q: want a simulated time such as 10ms or 1.5s", flag, s)
	}
	return d, nil
}

// recorder builds the recorder of a view format (list, follow, mermaid)
// writing to w, its filters applied.
func (v *viewFlags) recorder(format string, w io.Writer, f *scenarios.File, m layers.Model, lang layers.Lang, all bool) (layers.Recorder, func() error, error) {
	fo, err := v.options(m)
	if err != nil {
		return nil, nil, err
	}
	switch format {
	case "list":
		if len(fo.Nodes) > 0 || len(fo.Layers) > 0 {
			return nil, nil, fmt.Errorf("the list format shows the frames of one link end: choose it with --link, not --node or --layer")
		}
		link := v.Link
		if link == "" {
			link = clientLink(f)
		}
		if link == "" {
			return nil, nil, fmt.Errorf("the scenario has no host to list the frames of: choose a link end with --link NODE.INTERFACE")
		}
		if err := checkLinkEnd(f, link); err != nil {
			return nil, nil, err
		}
		l, err := sim.NewListRecorder(w, sim.ListOptions{Lang: lang, Link: link, Filter: fo})
		if err != nil {
			return nil, nil, err
		}
		return l, l.Flush, nil
	case "follow":
		node := firstClient(f)
		if len(fo.Nodes) == 1 {
			node = fo.Nodes[0]
		} else if len(fo.Nodes) > 1 {
			node = ""
		}
		r := sim.NewFollowRecorder(w, sim.FollowOptions{Lang: lang, Node: node})
		return v.wrap(r, fo), r.Flush, nil
	default:
		title := f.Title.EN
		if lang == layers.ZH && f.Title.ZH != "" {
			title = f.Title.ZH
		}
		r := sim.NewMermaidRecorder(w, sim.MermaidOptions{Lang: lang, Title: title, Participants: participants(f), All: all})
		return v.wrap(r, fo), r.Flush, nil
	}
}

// filter wraps the recorder of the text or json format in the filters the
// flags ask for.
func (v *viewFlags) filter(rec layers.Recorder, m layers.Model) (layers.Recorder, error) {
	fo, err := v.options(m)
	if err != nil {
		return nil, err
	}
	return v.wrap(rec, fo), nil
}

func (v *viewFlags) wrap(rec layers.Recorder, fo sim.FilterOptions) layers.Recorder {
	if !fo.Active() {
		return rec
	}
	return sim.NewFilter(rec, fo)
}

// firstClient returns the node of the scenario's first application.
func firstClient(f *scenarios.File) string {
	for _, a := range f.Apps {
		if a.Node != "" {
			return a.Node
		}
	}
	return ""
}

// clientLink returns the first interface of the scenario's first client,
// "client.eth0", or of its first host if it has no application.
func clientLink(f *scenarios.File) string {
	name := firstClient(f)
	for _, n := range f.Nodes {
		if (name != "" && n.Name == name) || (name == "" && n.Kind == "host") {
			if len(n.Interfaces) > 0 {
				return n.Name + "." + n.Interfaces[0].Name
			}
		}
	}
	return ""
}

// checkLinkEnd checks that link names a node's interface (a switch's or
// hub's port by number) that a link of the scenario connects.
func checkLinkEnd(f *scenarios.File, link string) error {
	if _, _, err := sim.SplitLinkEnd(link); err != nil {
		return err
	}
	var ends []string
	for _, l := range f.Links {
		if l.A == link || l.B == link {
			return nil
		}
		ends = append(ends, l.A, l.B)
	}
	return fmt.Errorf("no link of the scenario ends at %q (link ends: %s)", link, strings.Join(ends, ", "))
}

// participants orders the nodes for a sequence diagram: those on the path
// the scenario's topology line draws, left to right, then the others in
// the order the file lists them.
func participants(f *scenarios.File) []string {
	known := map[string]bool{}
	for _, n := range f.Nodes {
		known[n.Name] = true
	}
	var out []string
	seen := map[string]bool{}
	for _, tok := range strings.Fields(scenarios.Topology(f)) {
		if known[tok] && !seen[tok] {
			seen[tok] = true
			out = append(out, tok)
		}
	}
	for _, n := range f.Nodes {
		if !seen[n.Name] {
			seen[n.Name] = true
			out = append(out, n.Name)
		}
	}
	return out
}
