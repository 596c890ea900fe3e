package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// The browser tests drive Debian's chromium (the chromium package) headless
// through the DevTools protocol. Without it they are skipped, except under
// CI=true, where .ci/run installs it and its absence is a failure.

const chromiumPath = "/usr/bin/chromium"

func findChromium(t *testing.T) string {
	t.Helper()
	path := chromiumPath
	if _, err := os.Stat(path); err != nil {
		if p, err := exec.LookPath("chromium"); err == nil {
			path = p
		} else {
			if os.Getenv("CI") == "true" {
				t.Fatalf("chromium is not installed (%s): under CI=true the browser tests need it (.ci/run installs Debian's chromium package)", chromiumPath)
			}
			t.Skipf("chromium is not installed (%s): skipping the browser tests (apt-get install chromium)", chromiumPath)
		}
	}
	return path
}

// browser is one headless chromium with a fresh profile, and the requests
// its page made.
type browser struct {
	ctx      context.Context
	mu       sync.Mutex
	requests []string
	errors   []string
}

func newBrowser(t *testing.T) *browser {
	t.Helper()
	path := findChromium(t)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 720),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	b := &browser{ctx: ctx}
	if err := chromedp.Listen(ctx, func(ev any) {
		b.mu.Lock()
		defer b.mu.Unlock()
		switch ev := ev.(type) {
		case *network.EventRequestWillBeSent:
			b.requests = append(b.requests, ev.Request.URL)
		case *runtime.EventExceptionThrown:
			b.errors = append(b.errors, ev.ExceptionDetails.Text+" "+fmt.Sprint(ev.ExceptionDetails.Exception))
		}
	}); err != nil {
		t.Fatalf("cannot start chromium: %v", err)
	}
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatalf("cannot enable the network domain: %v", err)
	}
	return b
}

// open loads the page from disk and waits until the viewer has drawn its
// first event.
func (b *browser) open(t *testing.T, file string) {
	t.Helper()
	abs, err := filepath.Abs(file)
	if err != nil {
		t.Fatal(err)
	}
	b.mu.Lock()
	b.requests, b.errors = nil, nil
	b.mu.Unlock()
	ctx, cancel := context.WithTimeout(b.ctx, 60*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 720), chromedp.Navigate("file://"+abs), chromedp.WaitVisible("#rows .row.sel")); err != nil {
		t.Fatalf("open %s: %v", abs, err)
	}
	// No request but the page itself, while it loads and draws.
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, u := range b.requests {
		if u != "file://"+abs {
			t.Errorf("the page made a network request: %s", u)
		}
	}
	for _, e := range b.errors {
		t.Errorf("script error: %s", e)
	}
}

func (b *browser) do(t *testing.T, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
}

func eval[T any](t *testing.T, b *browser, js string) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("evaluate %s: %v", js, err)
	}
	return v
}

func text(t *testing.T, b *browser, sel string) string {
	t.Helper()
	return eval[string](t, b, `(function(){var e=document.querySelector(`+jsString(sel)+`);return e?e.textContent:"<none>"})()`)
}

func jsString(s string) string {
	return "'" + strings.ReplaceAll(strings.ReplaceAll(s, `\`, `\\`), "'", `\'`) + "'"
}

// screenshot saves what the browser shows under testdata/out (not
// committed: the directory ignores itself).
func (b *browser) screenshot(t *testing.T, name string) {
	t.Helper()
	dir := filepath.Join("testdata", "out")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, ".gitignore"), []byte("*\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", path)
}

// writePage runs a scenario with --format html into a file.
func writePage(t *testing.T, scenario string) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), scenario+".html")
	code, _, errOut := run(t, "run", scenario, "--format", "html", "-o", out)
	if code != exitOK {
		t.Fatalf("run %s --format html: exit %d\n%s", scenario, code, errOut)
	}
	return out
}

// highlighted lists the highlighted octets of the hex dump as
// "offset:hex", from the runs of the dump.
func highlighted(t *testing.T, b *browser) string {
	t.Helper()
	return eval[string](t, b, `Array.prototype.map.call(document.querySelectorAll('#hexBody span.hi'),function(e){`+
		`var at=+e.getAttribute('data-b');return e.textContent.trim().split(/\s+/).map(function(h,i){return (at+i)+':'+h}).join(' ')}).join(' ')`)
}

// selected returns the sequence number of the selected event, as the list
// shows it.
func selected(t *testing.T, b *browser) string {
	t.Helper()
	return strings.TrimSpace(text(t, b, "#rows .row.sel .seq"))
}

func TestHTMLViewerSteps(t *testing.T) {
	page := writePage(t, "pop3-retr")
	b := newBrowser(t)
	b.open(t, page)

	if got := selected(t, b); got != "1" {
		t.Fatalf("selected event at load: %q, want 1", got)
	}
	// Arrows step forward and back.
	b.do(t, chromedp.KeyEvent(kb.ArrowRight), chromedp.KeyEvent(kb.ArrowRight))
	if got := selected(t, b); got != "3" {
		t.Errorf("after two steps forward: event %q, want 3", got)
	}
	b.do(t, chromedp.KeyEvent(kb.ArrowLeft))
	if got := selected(t, b); got != "2" {
		t.Errorf("after a step back: event %q, want 2", got)
	}
	b.do(t, chromedp.Click("#fwd"))
	if got := selected(t, b); got != "3" {
		t.Errorf("after the step-forward button: event %q, want 3", got)
	}

	// Jump to the first Ethernet frame the client builds (an ARP request
	// to the broadcast address): its layer panel and its bytes.
	seq := eval[int](t, b, `osisimViewer.data.events.find(function(e){return e.node==='client'&&e.layer===2&&e.dir==='down'}).seq`)
	b.do(t, chromedp.SetValue("#jump", fmt.Sprint(seq)),
		chromedp.Evaluate[chromedp.Void](`document.getElementById('jump').dispatchEvent(new Event('change'))`))
	if got := selected(t, b); got != fmt.Sprint(seq) {
		t.Fatalf("after jumping to %d: event %q", seq, got)
	}
	if c := text(t, b, "#caption"); !strings.Contains(c, "L2 Data link") || !strings.Contains(c, "ff:ff:ff:ff:ff:ff") {
		t.Errorf("caption %q: want the L2 frame to the broadcast address", c)
	}
	// The layer panel: this frame at L2 Out, the ARP request it carries
	// at L3 Out, and the bits at L1 Out, in one pass of the client.
	if got := text(t, b, `#stackTable tr[data-layer="2"] td.out div.cur`); !strings.Contains(got, "02:00:00:00:01:0a > ff:ff:ff:ff:ff:ff") {
		t.Errorf("layer panel L2 Out: %q", got)
	}
	if got := text(t, b, `#stackTable tr[data-layer="3"] td.out`); !strings.Contains(got, "ARP request: who has 10.0.1.1?") {
		t.Errorf("layer panel L3 Out: %q", got)
	}
	if got := text(t, b, `#stackTable tr[data-layer="1"] td.out`); !strings.Contains(got, "transmit to sw1.1") {
		t.Errorf("layer panel L1 Out: %q", got)
	}
	if got := eval[int](t, b, `document.querySelectorAll('#stackTable tr[data-layer]').length`); got != 7 {
		t.Errorf("layer panel has %d rows under OSI-7, want 7", got)
	}
	// The header (destination, source, type), the padding and the FCS are
	// highlighted: 14 + 18 + 4 octets of the 64.
	if got := eval[int](t, b, `document.querySelectorAll('#hexBody .hl').length`); got != 4 {
		t.Errorf("hex dump shows %d lines, want 4 of 16 octets", got)
	}
	if got := len(strings.Fields(highlighted(t, b))); got != 36 {
		t.Errorf("%d octets highlighted for the Ethernet header and trailer, want 36", got)
	}
	// Choosing the Type field highlights its two octets, 0x0806 (ARP).
	b.do(t, chromedp.Click(`#treeBody .fld[data-sec="0"][data-fld="2"]`))
	hi := highlighted(t, b)
	if hi != "12:08 13:06" {
		t.Errorf("highlighted after choosing Type: %q, want \"12:08 13:06\"", hi)
	}
	if got := text(t, b, "#treeBody .fld.sel"); !strings.Contains(got, "Type:") || !strings.Contains(got, "0x0806") {
		t.Errorf("selected field %q, want Type 0x0806", got)
	}
	// The nested ARP header: its Opcode field is octets 20 and 21.
	b.do(t, chromedp.Click(`#treeBody .sec[data-sec="1"]`), chromedp.Click(`#treeBody .fld[data-sec="1"][data-fld="4"]`))
	hi = highlighted(t, b)
	if hi != "20:00 21:01" {
		t.Errorf("highlighted after choosing the ARP Opcode: %q, want \"20:00 21:01\"", hi)
	}
	// A click on an octet selects the field it belongs to: octet 30 is
	// on the second line, in the 15th column.
	b.do(t, chromedp.Evaluate[chromedp.Void](`(function(){var l=document.querySelectorAll('#hexBody .hl')[1],r=l.getBoundingClientRect(),w=osisimViewer.charWidth();`+
		`l.dispatchEvent(new MouseEvent('click',{bubbles:true,clientX:r.left+w*(6+14*3+1+0.5),clientY:r.top+5}))})()`))
	if got := text(t, b, "#treeBody .fld.sel"); !strings.HasPrefix(got, "Sender IP Address:") {
		t.Errorf("after a click on octet 30: selected field %q, want Sender IP Address", got)
	}

	// The TCP/IP-4 model regroups the same run: four layers, and the
	// frame belongs to the network access layer.
	b.do(t, chromedp.Click(`#models button[data-model="tcpip4"]`))
	if got := eval[int](t, b, `document.querySelectorAll('#stackTable tr[data-layer]').length`); got != 4 {
		t.Errorf("layer panel has %d rows under TCP/IP-4, want 4", got)
	}
	if c := text(t, b, "#caption"); !strings.Contains(c, "L1 Network access") {
		t.Errorf("caption under TCP/IP-4: %q", c)
	}
	if got := text(t, b, `#stackTable tr[data-layer="1"] td.out`); !strings.Contains(got, "02:00:00:00:01:0a > ff:ff:ff:ff:ff:ff") || !strings.Contains(got, "transmit to sw1.1") {
		t.Errorf("network access layer Out under TCP/IP-4: %q, want the frame and its bits", got)
	}
	if got := selected(t, b); got != fmt.Sprint(seq) {
		t.Errorf("the model switch moved the selection to %q", got)
	}
	// Chinese relabels the layers and the controls.
	b.do(t, chromedp.Click(`#langs button[data-lang="zh"]`))
	if got := text(t, b, `#stackTable tr[data-layer="1"] td.ln`); !strings.Contains(got, "网络接口层") {
		t.Errorf("layer name in Chinese: %q", got)
	}
	if got := text(t, b, `#fNode option[value=""]`); got != "全部节点" {
		t.Errorf("node filter in Chinese: %q", got)
	}
	b.do(t, chromedp.Click(`#models button[data-model="osi7"]`))
	if got := text(t, b, `#stackTable tr[data-layer="4"] td.ln`); !strings.Contains(got, "传输层") {
		t.Errorf("OSI-7 transport layer in Chinese: %q", got)
	}
	b.do(t, chromedp.Click(`#langs button[data-lang="en"]`))

	// Space plays at the chosen speed, and pauses.
	before := eval[int](t, b, `osisimViewer.state.cur`)
	b.do(t, chromedp.SetValue("#speed", "50"),
		chromedp.Evaluate[chromedp.Void](`document.getElementById('speed').dispatchEvent(new Event('change'))`),
		chromedp.KeyEvent(" "), chromedp.Sleep(500*time.Millisecond), chromedp.KeyEvent(" "))
	after := eval[int](t, b, `osisimViewer.state.cur`)
	if after <= before+3 || eval[bool](t, b, `osisimViewer.state.playing`) {
		t.Errorf("half a second of play at 50 events a second moved from event index %d to %d (playing: %v)", before, after, eval[bool](t, b, `osisimViewer.state.playing`))
	}

	// Filters: the server's transport layer only.
	b.do(t, chromedp.SetValue("#fNode", "server"),
		chromedp.Evaluate[chromedp.Void](`document.getElementById('fNode').dispatchEvent(new Event('change'))`),
		chromedp.SetValue("#fLayer", "4"),
		chromedp.Evaluate[chromedp.Void](`document.getElementById('fLayer').dispatchEvent(new Event('change'))`))
	want := eval[int](t, b, `osisimViewer.data.events.filter(function(e){return e.node==='server'&&e.layer===4}).length`)
	if got := text(t, b, "#count"); !strings.HasPrefix(got, fmt.Sprint(want)+" ") {
		t.Errorf("count with the filters: %q, want %d events", got, want)
	}
	b.do(t, chromedp.KeyEvent(kb.ArrowRight))
	if got := text(t, b, "#caption"); !strings.Contains(got, "server") || !strings.Contains(got, "L4 Transport") {
		t.Errorf("a step with the filters went to %q, want a server L4 event", got)
	}
	b.screenshot(t, "viewer-pop3-retr.png")
}

func TestHTMLViewerLossy(t *testing.T) {
	page := writePage(t, "pop3-retr-lossy")
	b := newBrowser(t)
	b.open(t, page)
	n := eval[int](t, b, `osisimViewer.data.events.length`)
	if n < 2000 {
		t.Fatalf("the lossy run has %d events: want thousands", n)
	}
	// The list is virtualised: a few dozen rows in the DOM, not thousands.
	if rows := eval[int](t, b, `document.querySelectorAll('#rows .row').length`); rows > 100 {
		t.Errorf("%d rows in the DOM for %d events: the list is not virtualised", rows, n)
	}
	// The marked events: drops, retransmissions and their causes.
	b.do(t, chromedp.Click("#fMarked"))
	marks := eval[[]string](t, b, `osisimViewer.state.F.map(function(i){return osisimViewer.data.events[i].mark})`)
	seen := map[string]int{}
	for _, m := range marks {
		seen[m]++
	}
	for _, m := range []string{"drop", "retransmit", "timeout", "dupack"} {
		if seen[m] == 0 {
			t.Errorf("no event marked %s in the lossy run (marks: %v)", m, seen)
		}
	}
	// The first retransmission names its cause in the caption.
	i := eval[int](t, b, `osisimViewer.data.events.findIndex(function(e){return e.mark==='retransmit'})`)
	b.do(t, chromedp.Evaluate[chromedp.Void](fmt.Sprintf("osisimViewer.select(%d)", i)))
	if c := text(t, b, "#caption"); !strings.Contains(c, "cause:") || !strings.Contains(c, "loss on") {
		t.Errorf("caption of a retransmission: %q, want its cause", c)
	}
	// Responsive: stepping through 300 events takes well under a second
	// each.
	b.do(t, chromedp.Click("#fMarked"))
	if got := eval[int](t, b, `osisimViewer.state.F.length`); got != n {
		t.Fatalf("%d events listed after clearing the filter, want %d", got, n)
	}
	b.do(t, chromedp.Evaluate[chromedp.Void](`osisimViewer.select(0)`))
	ms := eval[float64](t, b, `(function(){var t0=performance.now();for(var k=0;k<300;k++)osisimViewer.step(1);return performance.now()-t0})()`)
	t.Logf("300 steps in %.0f ms", ms)
	if got := selected(t, b); got != "301" {
		t.Errorf("after 300 steps from the first event: event %q, want 301", got)
	}
	if ms > 15000 {
		t.Errorf("300 steps took %.0f ms", ms)
	}
	b.screenshot(t, "viewer-pop3-retr-lossy.png")
}
