package layers

import "testing"

func TestModelMap(t *testing.T) {
	tests := []struct {
		m    Model
		l    Layer
		want string
		num  int
	}{
		{OSI7, Session, "Session", 5},
		{TCPIP5, Session, "Application", 5},
		{TCPIP5, Presentation, "Application", 5},
		{TCPIP5, DataLink, "Data link", 2},
		{TCPIP4, Physical, "Network access", 1},
		{TCPIP4, DataLink, "Network access", 1},
		{TCPIP4, Network, "Internet", 2},
		{TCPIP4, Transport, "Transport", 3},
		{TCPIP4, Application, "Application", 4},
	}
	for _, tt := range tests {
		got := tt.m.Map(tt.l)
		if got.EN != tt.want || got.Number != tt.num {
			t.Errorf("%v.Map(%v) = %+v, want %s (%d)", tt.m, tt.l, got, tt.want, tt.num)
		}
	}
}

func TestNamesBothLanguages(t *testing.T) {
	for _, l := range All {
		if l.Name(EN) == "" || l.Name(ZH) == "" || l.PDUName(EN) == "" || l.PDUName(ZH) == "" {
			t.Errorf("layer %d lacks a name", l)
		}
	}
	if Network.Name(ZH) != "网络层" || DataLink.PDUName(ZH) != "帧" {
		t.Errorf("unexpected Chinese names: %s %s", Network.Name(ZH), DataLink.PDUName(ZH))
	}
}

func TestParseModel(t *testing.T) {
	for _, m := range Models {
		got, err := ParseModel(m.ID())
		if err != nil || got != m {
			t.Errorf("ParseModel(%q) = %v, %v", m.ID(), got, err)
		}
	}
	if _, err := ParseModel("osi9"); err == nil {
		t.Error("ParseModel(osi9) gave no error")
	}
}
