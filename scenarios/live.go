package scenarios

import (
	"errors"

	"github.com/osisim/osisim/sim"
)

// LiveServer returns the POP3 service of f's first POP3 server (the one
// its first POP3 client talks to, if any) as the simulated server of
// `osisim live serve` runs it: its port, users and maildrop, after f's
// overrides (--message-size) were applied.
func LiveServer(f *File) (sim.POP3ServerConfig, error) {
	nodes := map[string]*Node{}
	for i := range f.Nodes {
		nodes[f.Nodes[i].Name] = &f.Nodes[i]
	}
	p := firstServer(f, nodes)
	for i := 0; p == nil && i < len(f.Nodes); i++ {
		p = f.Nodes[i].Services.POP3
	}
	if p == nil {
		return sim.POP3ServerConfig{}, errors.New("the scenario runs no POP3 server: its maildrop cannot be served")
	}
	return pop3ServerConfig(p), nil
}
