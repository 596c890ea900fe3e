package sim_test

import (
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/osisim/osisim/layers"
	"github.com/osisim/osisim/layers/application"
	"github.com/osisim/osisim/layers/presentation"
	"github.com/osisim/osisim/sim"
)

// TestPOP3ResumeAfterOutage cuts the server's link in the middle of the
// RETR of message 2 for longer than TCP keeps retransmitting: both
// connections die, the server forgets the session's deletion marks, and the
// client reconnects in a new session that goes on from its last checkpoint.
// Nothing is lost, message 1 is not fetched twice, and every deletion
// happens in one UPDATE state after QUIT.
func TestPOP3ResumeAfterOutage(t *testing.T) {
	lab := newLab(t, 1, 1)
	big := presentation.Mail{
		Header: []presentation.HeaderField{{Name: "Subject", Value: "big"}},
		Body:   presentation.GeneratedBody(400<<10, 9),
	}
	srv, err := lab.server.StartPOP3Server(sim.POP3ServerConfig{Port: 110, Hostname: "mail",
		Users: []application.User{{Name: "u", Pass: "p"}}, Mails: []presentation.Mail{presentation.SampleMail(), big}})
	if err != nil {
		t.Fatal(err)
	}
	cl := lab.client.StartPOP3Client(0, sim.POP3ClientConfig{
		Server: netip.AddrPortFrom(lab.server.Addr(), 110), User: "u", Pass: "p",
		Commands: []string{"RETR 1", "DELE 1", "RETR 2", "DELE 2", "QUIT"}, Resume: true})
	link := lab.server.Ports()[0].Link
	a, b := link.Ends()
	down := sim.Faults{Outages: []sim.Outage{{From: 200 * time.Millisecond, To: 200 * time.Second}}}
	for _, p := range []*sim.Port{a, b} {
		if err := link.SetFaults(p, down); err != nil {
			t.Fatal(err)
		}
	}
	lab.s.Run(20 * time.Minute)

	for n := 1; n <= 2; n++ {
		got, ok := cl.Retrieved(n)
		want, _ := srv.StoredHash(n)
		if !ok || got.Hash != want {
			t.Errorf("message %d: retrieved %v, hash match %v", n, ok, ok && got.Hash == want)
		}
	}
	retr1 := 0
	for _, x := range cl.Results() {
		if x.Command.String() == "RETR 1" {
			retr1++
		}
	}
	if retr1 != 1 {
		t.Errorf("RETR 1 sent %d times: the resumed session must not fetch it again", retr1)
	}
	if left := srv.Remaining(); len(left) != 0 {
		t.Errorf("left in the maildrop: %v", left)
	}
	if early := srv.DeletedBeforeQuit(); early != "" {
		t.Error(early)
	}
	if !cl.Done() {
		t.Errorf("the client did not finish: %v", cl.Err())
	}
	if !lab.rec.has(func(e *layers.Event) bool {
		return e.Layer == layers.Session && strings.Contains(e.Text, "session 2 resumes session 1 from checkpoint 1 (message 1 complete")
	}) {
		t.Error("the trace does not show session 2 resuming from checkpoint 1")
	}
	if !lab.rec.has(func(e *layers.Event) bool {
		return e.Node == "server" && e.Layer == layers.Application && strings.Contains(e.Text, "nothing is removed")
	}) && !lab.rec.has(func(e *layers.Event) bool {
		return e.Node == "server" && strings.Contains(e.Text, "without QUIT")
	}) {
		t.Error("the trace does not show the server dropping the lost session's marks")
	}
	if !slices.ContainsFunc(cl.Report().Retrievals, func(r sim.Retrieval) bool { return r.Message == 2 && !r.OK }) {
		t.Error("the report does not show the failed first RETR 2")
	}
}
