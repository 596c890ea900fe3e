package physical

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestHubRepeat(t *testing.T) {
	tests := []struct {
		name  string
		hub   *Hub
		in    int
		want  []int
		ports int
	}{
		{"4-port hub, port 1", NewHub(4), 1, []int{2, 3, 4}, 4},
		{"4-port hub, port 3", NewHub(4), 3, []int{1, 2, 4}, 4},
		{"4-port hub, port 4", NewHub(4), 4, []int{1, 2, 3}, 4},
		{"repeater, port 1", NewRepeater(), 1, []int{2}, 2},
		{"repeater, port 2", NewRepeater(), 2, []int{1}, 2},
		{"1-port hub", NewHub(1), 1, []int{}, 1},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, tt.hub.Repeat(tt.in)); diff != "" {
			t.Errorf("%s: Repeat (-want +got):\n%s", tt.name, diff)
		}
		if tt.hub.Ports() != tt.ports {
			t.Errorf("%s: Ports() = %d, want %d", tt.name, tt.hub.Ports(), tt.ports)
		}
	}
}

func TestHubPanics(t *testing.T) {
	tests := []struct {
		name string
		f    func()
	}{
		{"no ports", func() { NewHub(0) }},
		{"port 0", func() { NewHub(3).Repeat(0) }},
		{"port past the last", func() { NewHub(3).Repeat(4) }},
	}
	for _, tt := range tests {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: did not panic", tt.name)
				}
			}()
			tt.f()
		}()
	}
}
