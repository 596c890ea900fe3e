package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/osisim/osisim/layers"
	"github.com/osisim/osisim/scenarios"
	"github.com/osisim/osisim/sim"
)

// textWidth is the width, in terminal columns, that the explaining
// commands (models, layers, ports) wrap their text to.
const textWidth = 78

// layerPackage is where osisim implements each OSI layer.
var layerPackage = [8]string{
	"",
	"layers/physical",
	"layers/datalink",
	"layers/network",
	"layers/transport",
	"layers/session",
	"layers/presentation",
	"layers/application",
}

func newModelsCmd(s streams) *cobra.Command {
	return &cobra.Command{
		Use:   "models",
		Short: sim.Msg(layers.EN, "cmd.models.short"),
		Long:  sim.Msg(layers.EN, "cmd.models.long"),
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			lang, err := langOf(cmd)
			if err != nil {
				return err
			}
			return writeModels(s.Out, lang)
		},
	}
}

// writeModels prints the three models side by side, then the facts of each
// layer from the top.
func writeModels(w io.Writer, lang layers.Lang) error {
	var b strings.Builder
	b.WriteString(sim.Msg(lang, "models.title") + "\n\n")
	b.WriteString(modelTable(lang))
	b.WriteString("\n")
	writeWrapped(&b, sim.Msg(lang, "models.note"), "", textWidth)
	b.WriteString("\n" + sim.Msg(lang, "models.layers") + "\n")
	for i := len(layers.All) - 1; i >= 0; i-- {
		l := layers.All[i]
		b.WriteString("\n")
		fmt.Fprintf(&b, "L%d %s\n", l, l.Name(lang))
		writeFacts(&b, lang, l, "  ", true)
	}
	b.WriteString("\n")
	writeWrapped(&b, sim.Msg(lang, "models.more"), "", textWidth)
	_, err := io.WriteString(w, b.String())
	return err
}

// modelTable draws the OSI-7, TCP/IP-5 and TCP/IP-4 models as a table of
// one row per OSI layer, from the top, with a PDU column. A layer of a
// TCP/IP model that takes several OSI layers (Model.Map puts them in the
// same model layer) is one merged cell, its name on the middle row.
func modelTable(lang layers.Lang) string {
	models := layers.Models[:]
	head := make([]string, 0, len(models)+1)
	for _, m := range models {
		head = append(head, sim.Msg(lang, "model."+m.ID()))
	}
	head = append(head, sim.Msg(lang, "models.pdu"))

	// rows[r] is OSI layer 7-r; group[r][c] is the model layer number of
	// row r in model c, which decides the merging.
	n := len(layers.All)
	cells := make([][]string, n)
	group := make([][]int, n)
	for r := range n {
		l := layers.All[n-1-r]
		cells[r] = make([]string, len(head))
		group[r] = make([]int, len(head))
		for c, m := range models {
			group[r][c] = m.Map(l).Number
		}
		cells[r][len(models)] = l.PDUName(lang)
		group[r][len(models)] = -r - 1 // the PDU column never merges
	}
	for c, m := range models {
		for r := 0; r < n; {
			end := r
			for end+1 < n && group[end+1][c] == group[r][c] {
				end++
			}
			ml := m.Map(layers.All[n-1-r])
			cells[r+(end-r)/2][c] = fmt.Sprintf("%d %s", ml.Number, ml.Name(lang))
			r = end + 1
		}
	}

	width := make([]int, len(head))
	for c := range head {
		width[c] = sim.DisplayWidth(head[c])
		for r := range n {
			width[c] = max(width[c], sim.DisplayWidth(cells[r][c]))
		}
	}
	var b strings.Builder
	// rule draws the line between two rows; open[c] tells whether column
	// c is cut there (dashes) or merged across it (spaces). A corner is
	// "+" where a cut column meets it, "|" between two merged ones.
	rule := func(open []bool) {
		corner := func(left, right bool) {
			if left || right {
				b.WriteString("+")
			} else {
				b.WriteString("|")
			}
		}
		for c := range width {
			corner(c > 0 && open[c-1], open[c])
			fill := "-"
			if !open[c] {
				fill = " "
			}
			b.WriteString(strings.Repeat(fill, width[c]+2))
		}
		corner(open[len(width)-1], false)
		b.WriteString("\n")
	}
	row := func(cols []string) {
		for c, s := range cols {
			b.WriteString("| " + padRight(s, width[c]) + " ")
		}
		b.WriteString("|\n")
	}
	all := make([]bool, len(width))
	for c := range all {
		all[c] = true
	}
	rule(all)
	row(head)
	rule(all)
	for r := range n {
		row(cells[r])
		if r == n-1 {
			rule(all)
			break
		}
		open := make([]bool, len(width))
		for c := range open {
			open[c] = group[r][c] != group[r+1][c]
		}
		rule(open)
	}
	return b.String()
}

// writeFacts prints what the source material says of layer l: its PDU,
// what it does, its protocols, its devices, and the osisim package.
func writeFacts(b *strings.Builder, lang layers.Lang, l layers.Layer, indent string, withPDU bool) {
	ids := []string{"fact.does", "fact.protocols", "fact.devices", "fact.package"}
	values := []string{
		sim.Msg(lang, fmt.Sprintf("layer.%d.does", l)),
		sim.Msg(lang, fmt.Sprintf("layer.%d.protocols", l)),
		sim.Msg(lang, fmt.Sprintf("layer.%d.devices", l)),
		layerPackage[l],
	}
	if withPDU {
		ids = append([]string{"fact.pdu"}, ids...)
		values = append([]string{l.PDUName(lang)}, values...)
	}
	labels := make([]string, len(ids))
	lw := 0
	for i, id := range ids {
		labels[i] = sim.Msg(lang, id)
		lw = max(lw, sim.DisplayWidth(labels[i]))
	}
	for i := range ids {
		writeWrapped(b, values[i], indent+padRight(labels[i], lw)+"  ", textWidth)
	}
}

// writeWrapped writes s wrapped to width columns, the first line after
// prefix and the others indented as deep as prefix is wide.
func writeWrapped(b *strings.Builder, s, prefix string, width int) {
	hang := strings.Repeat(" ", sim.DisplayWidth(prefix))
	for i, line := range wrap(s, width-len(hang)) {
		if i == 0 {
			b.WriteString(prefix)
		} else {
			b.WriteString(hang)
		}
		b.WriteString(line + "\n")
	}
}

// writeList writes items as a bulleted list, each wrapped under its bullet.
func writeList(b *strings.Builder, items []string, indent string) {
	for _, it := range items {
		writeWrapped(b, it, indent+"- ", textWidth)
	}
}

// padRight pads s with spaces to width terminal columns.
func padRight(s string, width int) string {
	if w := sim.DisplayWidth(s); w < width {
		return s + strings.Repeat(" ", width-w)
	}
	return s
}

// wrap breaks s into lines of at most width terminal columns. It breaks at
// spaces, and between any two Chinese characters, but never before closing
// punctuation nor after opening punctuation; a word longer than width
// stands on a line of its own.
func wrap(s string, width int) []string {
	type token struct {
		text  string
		space bool // a space came before it
	}
	var toks []token
	var word strings.Builder
	space := false
	flush := func() {
		if word.Len() > 0 {
			toks = append(toks, token{word.String(), space})
			word.Reset()
			space = false
		}
	}
	glue := false // the last token was opening punctuation
	for _, r := range s {
		switch {
		case r == ' ' || r == '\n' || r == '\t':
			flush()
			space = true
			glue = false
		case sim.IsWide(r):
			flush()
			t := string(r)
			switch {
			case strings.ContainsRune(closingPunct, r) && len(toks) > 0 && !space:
				toks[len(toks)-1].text += t
			case glue && len(toks) > 0:
				toks[len(toks)-1].text += t
			default:
				toks = append(toks, token{t, space})
			}
			space = false
			glue = strings.ContainsRune(openingPunct, r)
		default:
			if glue && len(toks) > 0 && word.Len() == 0 {
				// Keep the word with the opening punctuation before it.
				last := toks[len(toks)-1]
				toks = toks[:len(toks)-1]
				word.WriteString(last.text)
				space = last.space
			} else if word.Len() == 0 && !space && len(toks) > 0 && strings.ContainsRune(closingASCII, r) {
				// Keep ASCII closing punctuation with the token before it.
				last := toks[len(toks)-1]
				toks = toks[:len(toks)-1]
				word.WriteString(last.text)
				space = last.space
			}
			glue = false
			word.WriteRune(r)
		}
	}
	flush()

	// Keep "RFC 1939" on one line.
	for i := 1; i < len(toks); i++ {
		if prev := toks[i-1].text; toks[i].space && strings.HasSuffix(prev, "RFC") &&
			toks[i].text[0] >= '0' && toks[i].text[0] <= '9' {
			toks[i-1].text += " " + toks[i].text
			toks = append(toks[:i], toks[i+1:]...)
			i--
		}
	}

	var lines []string
	var line strings.Builder
	lw := 0
	for _, t := range toks {
		tw := sim.DisplayWidth(t.text)
		sep := 0
		if t.space && lw > 0 {
			sep = 1
		}
		if lw > 0 && lw+sep+tw > width {
			lines = append(lines, line.String())
			line.Reset()
			lw, sep = 0, 0
		}
		if sep == 1 {
			line.WriteByte(' ')
		}
		line.WriteString(t.text)
		lw += sep + tw
	}
	if line.Len() > 0 || len(lines) == 0 {
		lines = append(lines, line.String())
	}
	return lines
}

// Punctuation that a line may not start with (closing) or end with
// (opening).
const (
	closingPunct = "，。、；：！？）」』》〉"
	openingPunct = "（「『《〈"
	closingASCII = ",.;:!?)"
)

// The --lang flag and the help in both languages.

// addLang adds the persistent --lang flag to root, its default taken from
// the environment, and makes the help of every command speak it.
func addLang(root *cobra.Command, s streams) {
	root.PersistentFlags().String("lang", string(defaultLang(s.Getenv)), sim.Msg(layers.EN, "flag.lang"))
	// Cobra adds --help to a command only once it has found the command;
	// without it on the root, "osisim --help --lang zh" would take
	// "--lang" for the value of --help while looking for the command.
	root.InitDefaultHelpFlag()
	def := root.HelpFunc()
	root.SetHelpFunc(func(c *cobra.Command, args []string) {
		lang, err := langOf(c)
		if err != nil {
			lang = layers.EN
		}
		localizeHelp(c, lang)
		def(c, args)
	})
}

// defaultLang picks the language from the locale of the environment: the
// first of LC_ALL, LC_MESSAGES and LANG that is set decides, as POSIX
// orders them (XBD 8.2); a Chinese locale (zh, zh_CN.UTF-8, zh_TW ...)
// gives Chinese, any other English.
func defaultLang(getenv func(string) string) layers.Lang {
	if getenv == nil {
		return layers.EN
	}
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		v := getenv(name)
		if v == "" {
			continue
		}
		if v == "zh" || strings.HasPrefix(v, "zh_") || strings.HasPrefix(v, "zh-") || strings.HasPrefix(v, "zh.") {
			return layers.ZH
		}
		return layers.EN
	}
	return layers.EN
}

// langValue returns the --lang flag's value as given ("en" when the
// command has no such flag).
func langValue(cmd *cobra.Command) string {
	if f := cmd.Flags().Lookup("lang"); f != nil {
		return f.Value.String()
	}
	if f := cmd.Root().PersistentFlags().Lookup("lang"); f != nil {
		return f.Value.String()
	}
	return string(layers.EN)
}

// langOf returns the language the command's --lang flag asks for.
func langOf(cmd *cobra.Command) (layers.Lang, error) {
	return parseLang(langValue(cmd))
}

// parseLang accepts en or zh.
func parseLang(s string) (layers.Lang, error) {
	switch l := layers.Lang(strings.ToLower(s)); l {
	case layers.EN, layers.ZH:
		return l, nil
	}
	return layers.EN, fmt.Errorf(sim.Msg(layers.EN, "lang.unknown"), s)
}

// localizeHelp puts the help texts of the whole command tree, and the
// descriptions of c's flags, in Chinese when lang asks for it, from the
// catalog: a command's texts are "cmd.<path>.short" and "cmd.<path>.long",
// its flags' "flag.<path>.<name>" (path: the command path after the root,
// dotted; the root's is "osisim"). A text the catalog lacks stays in
// English.
func localizeHelp(c *cobra.Command, lang layers.Lang) {
	root := c.Root()
	root.SetUsageTemplate(sim.Msg(lang, "help.usage"))
	if lang != layers.ZH {
		// The English texts are the commands' own: those of the
		// explaining commands come from the catalog, the others are
		// written beside their flags.
		return
	}
	var walk func(*cobra.Command)
	walk = func(x *cobra.Command) {
		key := helpKey(x)
		if t, ok := sim.LookupMsg("cmd." + key + ".short"); ok {
			x.Short = t.In(lang)
		}
		if t, ok := sim.LookupMsg("cmd." + key + ".long"); ok {
			x.Long = strings.ReplaceAll(t.In(lang), "{scenario}", scenarios.Default)
		}
		for _, sub := range x.Commands() {
			walk(sub)
		}
	}
	walk(root)
	key := helpKey(c)
	translate := func(f *pflag.Flag) {
		switch f.Name {
		case "help":
			f.Usage = fmt.Sprintf(sim.Msg(lang, "flag.help"), c.Name())
		case "lang":
			f.Usage = sim.Msg(lang, "flag.lang")
		default:
			if t, ok := sim.LookupMsg("flag." + key + "." + f.Name); ok {
				f.Usage = t.In(lang)
			}
		}
	}
	// Cobra's flag sets share their *pflag.Flag values, so this changes
	// the flags themselves.
	c.LocalFlags().VisitAll(translate)
	c.InheritedFlags().VisitAll(translate)
}

// helpKey returns c's command path after the root, dotted, or "osisim"
// for the root.
func helpKey(c *cobra.Command) string {
	if !c.HasParent() {
		return "osisim"
	}
	path := strings.Fields(c.CommandPath())
	return strings.Join(path[1:], ".")
}
