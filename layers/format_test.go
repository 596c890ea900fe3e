package layers

import "testing"

func TestPluralAndCount(t *testing.T) {
	for _, tt := range []struct {
		n    int
		want string
	}{{0, "0 datagrams"}, {1, "1 datagram"}, {2, "2 datagrams"}, {1460, "1460 datagrams"}} {
		if got := Plural(tt.n, "datagram"); got != tt.want {
			t.Errorf("Plural(%d, datagram) = %q, want %q", tt.n, got, tt.want)
		}
		p := Count(tt.n, Tell("n.one", "%d datagram", tt.n), Tell("n.many", "%d datagrams", tt.n))
		if p.String() != tt.want {
			t.Errorf("Count(%d) says %q, want %q", tt.n, p, tt.want)
		}
		if wantID := map[bool]string{true: "n.one", false: "n.many"}[tt.n == 1]; p.Msg != wantID {
			t.Errorf("Count(%d) has id %q, want %q", tt.n, p.Msg, wantID)
		}
	}
}
