package scenarios

import (
	"strings"
	"testing"
)

// TestResumeLesson: the link fails in the middle of RETR 2; the client
// resumes from its checkpoint in a new session, fetches message 1 only once
// and both messages are deleted, once, after QUIT.
func TestResumeLesson(t *testing.T) {
	trace, res := runJSON(t, "pop3-resume", 1)
	if !res.OK() {
		t.Fatalf("expectations failed:\n%s", res.Failures())
	}
	retr1 := 0
	for _, x := range res.Clients[0].Results() {
		if x.Command.String() == "RETR 1" {
			retr1++
		}
	}
	if retr1 != 1 {
		t.Errorf("RETR 1 was sent %d times", retr1)
	}
	var resumed, forgot, removed bool
	for _, e := range parseTrace(t, trace) {
		switch {
		case e.Node == "client" && e.Layer == 5 && strings.Contains(e.Text, "session 2 resumes session 1 from checkpoint 1"):
			resumed = true
		case e.Node == "server" && e.Layer == 7 && strings.Contains(e.Text, "without QUIT"):
			forgot = true
		case e.Node == "server" && e.Layer == 7 && strings.Contains(e.Text, "removed 2 messages"):
			removed = resumed && forgot
		}
	}
	if !resumed || !forgot || !removed {
		t.Errorf("resumed %v, server forgot the lost session's marks %v, both removed after that %v", resumed, forgot, removed)
	}
}
