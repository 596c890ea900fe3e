package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/osisim/osisim/layers"
	"github.com/osisim/osisim/sim"
)

// layerNames are the names "osisim layers NAME" accepts besides the
// layers' English and Chinese names, lower-cased.
var layerNames = map[string]layers.Layer{
	"phy": layers.Physical, "l1": layers.Physical, "物理": layers.Physical,
	"datalink": layers.DataLink, "data-link": layers.DataLink, "link": layers.DataLink, "mac": layers.DataLink,
	"l2": layers.DataLink, "数据链路": layers.DataLink, "链路层": layers.DataLink,
	"l3": layers.Network, "ip": layers.Network, "internet": layers.Network, "网络": layers.Network, "网际层": layers.Network,
	"l4": layers.Transport, "传输": layers.Transport, "运输层": layers.Transport,
	"l5": layers.Session, "会话": layers.Session,
	"l6": layers.Presentation, "表示": layers.Presentation,
	"l7": layers.Application, "app": layers.Application, "应用": layers.Application,
}

func newLayersCmd(s streams) *cobra.Command {
	return &cobra.Command{
		Use:   "layers [N|NAME]",
		Short: sim.Msg(layers.EN, "cmd.layers.short"),
		Long:  sim.Msg(layers.EN, "cmd.layers.long"),
		Args:  cobra.MaximumNArgs(1),
		ValidArgsFunction: func(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
			if len(args) > 0 {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			names := make([]string, 0, len(layers.All))
			for _, l := range layers.All {
				names = append(names, strings.TrimPrefix(layerPackage[l], "layers/"))
			}
			return names, cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			lang, err := langOf(cmd)
			if err != nil {
				return err
			}
			if len(args) == 0 {
				return writeLayerList(s.Out, lang)
			}
			l, err := parseLayer(args[0])
			if err != nil {
				return fmt.Errorf(sim.Msg(lang, "layers.unknown"), args[0])
			}
			return writeLayer(s.Out, lang, l)
		},
	}
}

// parseLayer accepts a layer number (1-7, or L1-L7) or a name in English
// or Chinese ("transport", "Data link", "datalink", "传输层").
func parseLayer(s string) (layers.Layer, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if n, err := strconv.Atoi(s); err == nil {
		if n >= 1 && n <= 7 {
			return layers.Layer(n), nil
		}
		return 0, fmt.Errorf("no layer %d", n)
	}
	if l, ok := layerNames[s]; ok {
		return l, nil
	}
	for _, l := range layers.All {
		if s == strings.ToLower(l.Name(layers.EN)) || s == l.Name(layers.ZH) ||
			s == strings.TrimPrefix(layerPackage[l], "layers/") {
			return l, nil
		}
	}
	return 0, fmt.Errorf("no layer %q", s)
}

// writeLayerList prints the seven layers from the top, one a line.
func writeLayerList(w io.Writer, lang layers.Lang) error {
	var b strings.Builder
	b.WriteString(sim.Msg(lang, "layers.title") + "\n\n")
	nameW, pduW := 0, 0
	for _, l := range layers.All {
		nameW = max(nameW, sim.DisplayWidth(l.Name(lang)))
		pduW = max(pduW, sim.DisplayWidth(l.PDUName(lang)))
	}
	for i := len(layers.All) - 1; i >= 0; i-- {
		l := layers.All[i]
		prefix := fmt.Sprintf("  L%d  %s  %s  ", l, padRight(l.Name(lang), nameW), padRight(l.PDUName(lang), pduW))
		writeWrapped(&b, sim.Msg(lang, fmt.Sprintf("layer.%d.role", l)), prefix, textWidth)
	}
	b.WriteString("\n")
	writeWrapped(&b, sim.Msg(lang, "layers.more"), "", textWidth)
	_, err := io.WriteString(w, b.String())
	return err
}

// writeLayer prints what layer l does, its PDU, protocols and devices, how
// the TCP/IP models name it, and what osisim implements there and what it
// does not.
func writeLayer(w io.Writer, lang layers.Lang, l layers.Layer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "L%d %s\n", l, l.Name(lang))
	m5, m4 := layers.TCPIP5.Map(l), layers.TCPIP4.Map(l)
	b.WriteString(sim.Msgf(lang, "layers.models",
		sim.Msg(lang, "model."+layers.TCPIP5.ID()), fmt.Sprintf("%d %s", m5.Number, m5.Name(lang)),
		sim.Msg(lang, "model."+layers.TCPIP4.ID()), fmt.Sprintf("%d %s", m4.Number, m4.Name(lang))) + "\n\n")
	writeFacts(&b, lang, l, "", true)
	for _, part := range []string{"impl", "not"} {
		b.WriteString("\n" + sim.Msg(lang, "fact."+part) + "\n")
		writeList(&b, sim.MsgLines(lang, fmt.Sprintf("layer.%d.%s", l, part)), "  ")
	}
	_, err := io.WriteString(w, b.String())
	return err
}
