package scenarios

import (
	"errors"
	"testing"
)

// FuzzLoad: Load never panics or hangs on any file; it either returns a
// scenario or an error list whose every entry names the file.
func FuzzLoad(f *testing.F) {
	for _, name := range Names() {
		src, _ := Source(name)
		f.Add(src)
	}
	f.Add([]byte("name: x\nnodes: [{name: a, kind: host, interfaces: [{name: eth0, mac: '02:00:00:00:00:01', ip: 10.0.0.1/24}]}]\n"))
	f.Add([]byte("name: [\n"))
	f.Add([]byte("links: [{a: a.eth0, b: b.eth0, rate: 10Mb/s, delay: 1us}]\n"))
	f.Add([]byte("&a [*a]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := Load("fuzz.yaml", data)
		if err == nil {
			if file == nil {
				t.Fatal("no scenario and no error")
			}
			return
		}
		var es Errors
		if !errors.As(err, &es) || len(es) == 0 {
			t.Fatalf("error %v is not an Errors list", err)
		}
		for _, e := range es {
			if e.File != "fuzz.yaml" || e.Msg == "" {
				t.Fatalf("error %+v does not name the file or says nothing", e)
			}
		}
	})
}

// FuzzParseRate: ParseRate never panics, and a rate it accepts is a
// positive number of bits per second, at most 1 Tb/s as it checks.
func FuzzParseRate(f *testing.F) {
	for _, s := range []string{"10Mb/s", "100Mb/s", "1Gb/s", "9600b/s", "1.5 Mbps", "0b/s", "-1Mb/s", "2000Gb/s", "k", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := ParseRate(s)
		if err == nil && (r <= 0 || r > 1e12) {
			t.Fatalf("ParseRate(%q) = %d with no error: a rate is positive and at most 1e12", s, r)
		}
	})
}

// FuzzParseSize: ParseSize never panics, and a size it accepts is between
// 0 and 1 TiB as it checks.
func FuzzParseSize(f *testing.F) {
	for _, s := range []string{"1MiB", "10MiB", "250kB", "4096", "1GB", "0.5 KiB", "-1B", "2TiB", "MiB", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := ParseSize(s)
		if err == nil && (n < 0 || n > 1<<40) {
			t.Fatalf("ParseSize(%q) = %d with no error: a size is between 0 and 1 TiB", s, n)
		}
	})
}
