package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/osisim/osisim/scenarios"
)

func newValidateCmd(s streams) *cobra.Command {
	return &cobra.Command{
		Use:   "validate FILE.yaml...",
		Short: "Check scenario files without running them",
		Long: `Check scenario files as "osisim run" does before it runs anything: the YAML syntax,
unknown keys, addresses, links, services, times and expectations. Each file prints
"FILE: ok", or every problem found as FILE:LINE:COLUMN: what is wrong.
A bundled scenario's name is accepted too.

Exit status: 0 when every file is valid, 2 otherwise.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			bad := 0
			for _, name := range args {
				if err := validateOne(s, name); err != nil {
					fmt.Fprintln(s.Err, err)
					bad++
				}
			}
			switch {
			case bad == 1 && len(args) == 1:
				return errors.New(args[0] + " is not a valid scenario")
			case bad > 0:
				return fmt.Errorf("%d of %d files are not valid scenarios", bad, len(args))
			}
			return nil
		},
	}
}

// validateOne loads one file (or bundled scenario) and prints "NAME: ok".
func validateOne(s streams, name string) error {
	data, err := os.ReadFile(name)
	if err != nil {
		src, ok := scenarios.Source(name)
		if !ok {
			return fmt.Errorf("%s: cannot read the file: %w", name, errors.Unwrap(err))
		}
		data, name = src, name+".yaml"
	}
	if _, err := scenarios.Load(name, data); err != nil {
		return err
	}
	_, err = fmt.Fprintf(s.Out, "%s: ok\n", name)
	return err
}
