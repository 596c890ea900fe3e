package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/osisim/osisim/layers"
	"github.com/osisim/osisim/scenarios"
	"github.com/osisim/osisim/sim"
)

// scenariosText holds the fixed texts of the scenarios command in both
// languages.
var scenariosText = map[string]sim.Text{
	"head": {
		EN: "Bundled scenarios (osisim run NAME runs one; osisim scenarios show NAME prints its file to copy):",
		ZH: "内置场景（osisim run 名称 运行其中一个；osisim scenarios show 名称 打印其文件，可复制修改）："},
	"notitle": {EN: "(no title)", ZH: "（无标题）"},
	"unknown": {
		EN: "no bundled scenario %q (bundled: %s)",
		ZH: "没有名为 %q 的内置场景（内置场景：%s）"},
}

func newScenariosCmd(s streams) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "scenarios",
		Short: "List the bundled scenarios",
		Long: `List the bundled scenarios (the lessons), one line each, in the language of --lang.
"osisim scenarios show NAME" prints a scenario's file: a starting point to copy,
change and run with "osisim run FILE.yaml".`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			lang, err := langOf(cmd)
			if err != nil {
				return err
			}
			return writeScenarioList(s, lang)
		},
	}
	cmd.AddCommand(&cobra.Command{
		Use:   "show NAME",
		Short: "Print a bundled scenario's file",
		Long: `Print the YAML file of a bundled scenario, as a starting point for a lesson of your own:
osisim scenarios show pop3-retr > my-lesson.yaml`,
		Args: cobra.ExactArgs(1),
		ValidArgsFunction: func(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
			return scenarios.Names(), cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			lang, err := langOf(cmd)
			if err != nil {
				return err
			}
			src, ok := scenarios.Source(args[0])
			if !ok {
				return fmt.Errorf(scenariosText["unknown"].In(lang), args[0], strings.Join(scenarios.Names(), ", "))
			}
			_, err = s.Out.Write(src)
			return err
		},
	})
	return cmd
}

// writeScenarioList prints every bundled scenario with its title.
func writeScenarioList(s streams, lang layers.Lang) error {
	names := scenarios.Names()
	width := 0
	for _, n := range names {
		width = max(width, len(n))
	}
	var b strings.Builder
	b.WriteString(scenariosText["head"].In(lang) + "\n")
	for _, n := range names {
		title := scenariosText["notitle"].In(lang)
		if t, ok := scenarios.Title(n); ok {
			if x := (sim.Text{EN: t.EN, ZH: t.ZH}).In(lang); x != "" {
				title = x
			} else if t.EN != "" {
				title = t.EN
			}
		}
		fmt.Fprintf(&b, "  %-*s  %s\n", width, n, title)
	}
	_, err := fmt.Fprint(s.Out, b.String())
	return err
}
