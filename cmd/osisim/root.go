package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"
)

// Exit codes.
const (
	exitOK       = 0
	exitFailed   = 1 // the scenario ran but its expectations failed
	exitBadInput = 2 // bad usage, bad flags or a bad scenario file
)

// streams are the command's input and outputs, injected so that every
// command can be tested in memory.
type streams struct {
	In       io.Reader
	Out, Err io.Writer
	// Getenv reads the environment (os.Getenv); nil reads an empty one.
	Getenv func(string) string
}

// failedError marks a run whose scenario failed its expectations (exit 1).
type failedError struct{ msg string }

func (e *failedError) Error() string { return e.msg }

// newRootCmd builds the command tree.
func newRootCmd(s streams) *cobra.Command {
	root := &cobra.Command{
		Use:   "osisim",
		Short: "An OSI / TCP-IP layer simulator for the classroom",
		Long: `osisim runs a small network (hosts, switches, routers, links) in simulated time.
Every layer of every node really encapsulates and decapsulates its PDU in standard
wire formats, and the trace shows what each layer did: bits, frames, datagrams,
segments and messages. With no argument, "osisim run" runs the default lesson:
one POP3 mail retrieval (RETR) through all seven layers.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetIn(s.In)
	root.SetOut(s.Out)
	root.SetErr(s.Err)
	root.AddCommand(newRunCmd(s), newVersionCmd(s), newDecodeCmd(s))
	root.AddCommand(newModelsCmd(s), newLayersCmd(s), newPortsCmd(s))
	root.AddCommand(newExplainCmd(s))
	root.AddCommand(newLiveCmd(s)) // live.go
	root.AddCommand(newScenariosCmd(s), newValidateCmd(s))
	addLang(root, s) // the persistent --lang flag, and the help in its language
	return root
}

// execute runs the CLI with args and returns the process exit code.
func execute(args []string, in io.Reader, out, errOut io.Writer) int {
	s := streams{In: in, Out: out, Err: errOut, Getenv: os.Getenv}
	root := newRootCmd(s)
	root.SetArgs(args)
	err := root.Execute()
	if err == nil {
		return exitOK
	}
	var failed *failedError
	if errors.As(err, &failed) {
		fmt.Fprintln(errOut, "osisim:", err)
		return exitFailed
	}
	fmt.Fprintln(errOut, "osisim:", err)
	return exitBadInput
}
