package scenarios

// The tests of `osisim live` (docs/live.md): real programs (curl, Python's
// poplib, ping, a socket connect, dovecot-pop3d) talk to the simulated
// stack through a TAP. Each test creates its own network namespace, runs
// osisim and the programs inside it, and deletes it afterwards, even when
// the test fails: no traffic leaves the namespace. They need root,
// /dev/net/tun and the tools; without them they skip, naming what is
// missing, except under CI=true, where they fail.

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/osisim/osisim/layers/application"
	"github.com/osisim/osisim/layers/presentation"
)

// liveNamespaces numbers the namespaces of this test process.
var liveNamespaces atomic.Int32

// liveNeeds skips the test (fails it under CI=true) unless it runs as root
// with /dev/net/tun, ip and the named tools.
func liveNeeds(t *testing.T, tools ...string) {
	t.Helper()
	var missing []string
	if os.Geteuid() != 0 {
		missing = append(missing, "root (creating a network namespace and a TAP needs it)")
	}
	if _, err := os.Stat("/dev/net/tun"); err != nil {
		missing = append(missing, "/dev/net/tun")
	}
	for _, tool := range append([]string{"ip"}, tools...) {
		if _, err := exec.LookPath(tool); err != nil {
			missing = append(missing, tool)
		}
	}
	if len(missing) == 0 {
		return
	}
	msg := "live test needs " + strings.Join(missing, ", ")
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
}

// buildOsisim builds the osisim binary into the test's temporary folder.
func buildOsisim(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "osisim")
	out, err := exec.Command("go", "build", "-o", bin, "../cmd/osisim").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// netns is a network namespace of one test.
type netns struct {
	t    *testing.T
	name string
}

// newNetns creates a namespace with its loopback up; it is deleted when
// the test ends (after the processes started in it, whose cleanups run
// first).
func newNetns(t *testing.T) *netns {
	t.Helper()
	n := &netns{t: t, name: fmt.Sprintf("osisim-test-%d-%d", os.Getpid(), liveNamespaces.Add(1))}
	if out, err := exec.Command("ip", "netns", "add", n.name).CombinedOutput(); err != nil {
		t.Fatalf("ip netns add %s: %v\n%s", n.name, err, out)
	}
	t.Cleanup(func() {
		// Whatever still runs in the namespace ends with it.
		if out, err := exec.Command("ip", "netns", "pids", n.name).Output(); err == nil {
			for _, f := range strings.Fields(string(out)) {
				var pid int
				if _, err := fmt.Sscan(f, &pid); err == nil {
					_ = syscall.Kill(pid, syscall.SIGKILL)
				}
			}
		}
		if out, err := exec.Command("ip", "netns", "del", n.name).CombinedOutput(); err != nil {
			t.Errorf("ip netns del %s: %v\n%s", n.name, err, out)
		}
	})
	n.run("ip", "link", "set", "lo", "up")
	return n
}

// command returns a command that runs inside the namespace.
func (n *netns) command(ctx context.Context, args ...string) *exec.Cmd {
	return exec.CommandContext(ctx, "ip", append([]string{"netns", "exec", n.name}, args...)...)
}

// run runs a command in the namespace and returns its standard output; it
// fails the test if the command fails.
func (n *netns) run(args ...string) []byte {
	n.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var stderr bytes.Buffer
	cmd := n.command(ctx, args...)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		n.t.Fatalf("%s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return out
}

// proc is a long-running program in the namespace.
type proc struct {
	cmd            *exec.Cmd
	stdout, stderr string // files
	done           chan struct{}
	err            error
}

// start starts a program in the namespace; the test's cleanup interrupts
// it (then kills it) if it still runs.
func (n *netns) start(name string, args ...string) *proc {
	n.t.Helper()
	dir := n.t.TempDir()
	p := &proc{stdout: filepath.Join(dir, name+".out"), stderr: filepath.Join(dir, name+".err"), done: make(chan struct{})}
	p.cmd = n.command(context.Background(), args...)
	p.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	var err error
	if p.cmd.Stdout, err = os.Create(p.stdout); err != nil {
		n.t.Fatal(err)
	}
	if p.cmd.Stderr, err = os.Create(p.stderr); err != nil {
		n.t.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		n.t.Fatalf("start %s: %v", name, err)
	}
	go func() { p.err = p.cmd.Wait(); close(p.done) }()
	n.t.Cleanup(func() { p.stop() })
	return p
}

// stop interrupts the program, waits for it to end (kills it after five
// seconds) and returns how it ended.
func (p *proc) stop() error {
	select {
	case <-p.done:
		return p.err
	default:
	}
	_ = syscall.Kill(-p.cmd.Process.Pid, syscall.SIGINT)
	select {
	case <-p.done:
	case <-time.After(5 * time.Second):
		_ = syscall.Kill(-p.cmd.Process.Pid, syscall.SIGKILL)
		<-p.done
	}
	return p.err
}

// wait waits up to d for the program to end by itself, and reports
// whether it did and how it ended.
func (p *proc) wait(d time.Duration) (bool, error) {
	select {
	case <-p.done:
		return true, p.err
	case <-time.After(d):
		return false, nil
	}
}

// waitFor waits until the program's standard error holds text.
func (p *proc) waitFor(t *testing.T, text string) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		b, _ := os.ReadFile(p.stderr)
		if bytes.Contains(b, []byte(text)) {
			return
		}
		select {
		case <-p.done:
			out, _ := os.ReadFile(p.stdout)
			t.Fatalf("the program ended (%v) before saying %q:\n%s\n%s", p.err, text, b, lastLines(out, 40))
		case <-time.After(50 * time.Millisecond):
		}
	}
	b, _ := os.ReadFile(p.stderr)
	t.Fatalf("the program did not say %q in 15 s:\n%s", text, b)
}

func lastLines(b []byte, n int) string {
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

// storedMessage1 is message 1 of the bundled maildrop, as the simulated
// server stores and sends it (CRLF lines, before dot-stuffing).
func storedMessage1(t *testing.T) []byte {
	t.Helper()
	f, err := LoadBundled(Default)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := LiveServer(f)
	if err != nil {
		t.Fatal(err)
	}
	e, err := application.NewMaildrop(cfg.Encoding, cfg.Mails...).Message(1)
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(e.Reader())
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// poplibScript retrieves message 1 with Python's poplib and writes it to
// standard output, its lines joined with CRLF as they came.
const poplibScript = `
import poplib, sys
p = poplib.POP3(sys.argv[1], 110, timeout=20)
p.user("student")
p.pass_("osi7layers")
resp, lines, octets = p.retr(1)
p.quit()
sys.stdout.buffer.write(b"\r\n".join(lines) + b"\r\n")
`

// connectScript connects to a TCP port and prints how it went.
const connectScript = `
import socket, sys
try:
    socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=10).close()
    print("connected")
except ConnectionRefusedError:
    print("refused")
except OSError as e:
    print("error", e)
`

// startServe starts `osisim live serve` in the namespace.
func startServe(t *testing.T, ns *netns, bin string, args ...string) *proc {
	t.Helper()
	p := ns.start("osisim", append([]string{bin, "live", "serve", "--tap", "tap0", "--kernel-addr", "10.99.0.1/24"}, args...)...)
	p.waitFor(t, "serving POP3")
	return p
}

// checkRetrievals fetches message 1 with curl and with poplib and compares
// both with the maildrop.
func checkRetrievals(t *testing.T, ns *netns, want []byte) {
	t.Helper()
	got := ns.run("curl", "-sS", "--max-time", "30", "pop3://student:osi7layers@10.99.0.2/1")
	if !bytes.Equal(got, want) {
		t.Errorf("curl got %d B, the maildrop holds %d B:\n%q\nwant\n%q", len(got), len(want), got, want)
	}
	got = ns.run("python3", "-c", poplibScript, "10.99.0.2")
	if !bytes.Equal(got, want) {
		t.Errorf("poplib got %d B, the maildrop holds %d B:\n%q\nwant\n%q", len(got), len(want), got, want)
	}
}

func TestLiveServe(t *testing.T) {
	liveNeeds(t, "curl", "python3", "ping")
	bin := buildOsisim(t)
	want := storedMessage1(t)

	t.Run("curl poplib ping closed port pcapng", func(t *testing.T) {
		ns := newNetns(t)
		capture := filepath.Join(t.TempDir(), "live.pcapng")
		p := startServe(t, ns, bin, "-f", "pcapng", "-o", capture)
		checkRetrievals(t, ns, want)
		out := ns.run("ping", "-c", "3", "-i", "0.2", "-W", "5", "10.99.0.2")
		if !bytes.Contains(out, []byte("3 received")) {
			t.Errorf("ping: not every echo was answered:\n%s", out)
		}
		if got := strings.TrimSpace(string(ns.run("python3", "-c", connectScript, "10.99.0.2", "23"))); got != "refused" {
			t.Errorf("connect to port 23 (no service): %s, want refused (RST)", got)
		}
		if err := p.stop(); err != nil {
			b, _ := os.ReadFile(p.stderr)
			t.Fatalf("osisim live serve ended with %v:\n%s", err, b)
		}
		checkLiveCapture(t, capture)
	})

	t.Run("loss and reordering", func(t *testing.T) {
		ns := newNetns(t)
		trace := filepath.Join(t.TempDir(), "live.json")
		// The random faults hit frames at random; the rule makes sure
		// that at least the server's second data segment is lost, so
		// that the real client's TCP has something to recover from.
		p := startServe(t, ns, bin, "--loss", "0.05", "--reorder", "0.1", "--seed", "7",
			"--fault", "drop tcp-data#2 on osisim->kernel", "-f", "json", "-o", trace)
		checkRetrievals(t, ns, want)
		if err := p.stop(); err != nil {
			t.Fatalf("osisim live serve ended with %v", err)
		}
		reasons := traceReasons(t, trace)
		t.Logf("drops by reason: %v", reasons)
		if reasons["fault-rule"] == 0 {
			t.Errorf("no frame was dropped by the fault rule: drops by reason %v", reasons)
		}
	})
}

// traceReasons counts the drops of a JSON trace by reason.
func traceReasons(t *testing.T, file string) map[string]int {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int{}
	dec := json.NewDecoder(bytes.NewReader(b))
	for {
		var e struct {
			Dir    string `json:"dir"`
			Reason string `json:"reason"`
		}
		if err := dec.Decode(&e); err == io.EOF {
			break
		} else if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		if e.Reason != "" {
			out[e.Reason]++
		}
	}
	return out
}

// checkLiveCapture runs the simulated runs' tshark checks (tshark_test.go)
// over the capture of a live run: nothing malformed, every checksum and
// FCS good, and the POP3 dialog decoded.
func checkLiveCapture(t *testing.T, file string) {
	t.Helper()
	bin := tsharkPath(t)
	frames := decode(t, bin, file)
	if len(frames) == 0 {
		t.Fatal("tshark read no frame from the live capture")
	}
	checkIntact(t, frames)
	t.Logf("tshark read %d frames from the live capture", len(frames))
	var commands []string
	for _, fr := range frames {
		commands = append(commands, fr["pop.request.command"]...)
	}
	for _, want := range []string{"RETR", "QUIT"} {
		if !strings.Contains(strings.Join(commands, " "), want) {
			t.Errorf("tshark found no POP3 %s in the live capture (commands: %v)", want, commands)
		}
	}
}

// dovecotConf is a dovecot-pop3d (2.3) configuration that keeps everything
// in dir: POP3 on 10.99.0.1:110, plaintext logins, a passwd-file, one
// maildir per user.
const dovecotConf = `protocols = pop3
listen = 10.99.0.1
base_dir = {{dir}}/run
state_dir = {{dir}}/state
log_path = {{dir}}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain
mail_location = maildir:{{dir}}/mail/%u/Maildir
mail_uid = 65534
mail_gid = 65534
pop3_uidl_format = %08Xu%08Xv
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {{dir}}/passwd
}
userdb {
  driver = static
  args = uid=65534 gid=65534 home={{dir}}/mail/%u
}
service anvil {
  chroot =
}
service pop3-login {
  chroot =
  inet_listener pop3 {
    address = 10.99.0.1
    port = 110
  }
}
`

func TestLiveFetchDovecot(t *testing.T) {
	liveNeeds(t, "dovecot", "ss")
	bin := buildOsisim(t)
	dir := t.TempDir()
	// Dovecot reads the maildir as an unprivileged user (65534): every
	// folder above it must be searchable.
	for d := dir; d != os.TempDir() && d != "/"; d = filepath.Dir(d) {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	maildir := filepath.Join(dir, "mail", "student", "Maildir")
	for _, sub := range []string{"new", "cur", "tmp"} {
		if err := os.MkdirAll(filepath.Join(maildir, sub), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	// The message in its transfer syntax, stored with LF line ends as a
	// maildir holds it; dovecot sends it with CRLF (RFC 1939 3).
	mail := presentation.SampleMail2()
	enc, err := io.ReadAll(presentation.Encode(mail, presentation.Options{}).Reader())
	if err != nil {
		t.Fatal(err)
	}
	stored := bytes.ReplaceAll(enc, []byte("\r\n"), []byte("\n"))
	file := filepath.Join(maildir, "new", "1725240600.osisim.test")
	if err := os.WriteFile(file, stored, 0o644); err != nil {
		t.Fatal(err)
	}
	conf := strings.ReplaceAll(dovecotConf, "{{dir}}", dir)
	for name, text := range map[string]string{"dovecot.conf": conf, "passwd": "student:{PLAIN}osi7layers\n"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if out, err := exec.Command("chown", "-R", "65534:65534", filepath.Join(dir, "mail")).CombinedOutput(); err != nil {
		t.Fatalf("chown: %v\n%s", err, out)
	}

	ns := newNetns(t)
	// The TAP exists before osisim attaches to it, with the kernel's
	// address, so that dovecot can listen on it first.
	ns.run("ip", "tuntap", "add", "dev", "tap0", "mode", "tap")
	ns.run("ip", "addr", "add", "10.99.0.1/24", "dev", "tap0")
	ns.run("ip", "link", "set", "tap0", "up")
	ns.start("dovecot", "dovecot", "-F", "-c", filepath.Join(dir, "dovecot.conf"))
	deadline := time.Now().Add(10 * time.Second)
	for !bytes.Contains(ns.run("ss", "-ltn"), []byte("10.99.0.1:110")) {
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(filepath.Join(dir, "dovecot.log"))
			t.Fatalf("dovecot is not listening on 10.99.0.1:110 after 10 s:\n%s", log)
		}
		time.Sleep(50 * time.Millisecond)
	}

	hash := presentation.Hash(mail)
	p := ns.start("osisim", bin, "live", "fetch", "--tap", "tap0", "--peer", "10.99.0.1",
		"--user", "student", "--pass", "osi7layers", "--duration", "30s",
		"--expect-sha256", hex.EncodeToString(hash[:]), "--expect-octets", fmt.Sprint(len(enc)))
	ended, err := p.wait(40 * time.Second)
	stderr, _ := os.ReadFile(p.stderr)
	stdout, _ := os.ReadFile(p.stdout)
	if !ended || err != nil {
		log, _ := os.ReadFile(filepath.Join(dir, "dovecot.log"))
		t.Fatalf("osisim live fetch: ended %v, %v\n%s\n%s\ndovecot:\n%s", ended, err, stderr, lastLines(stdout, 60), log)
	}
	summary := lastLines(stdout, 1)
	for _, want := range []string{"message 1 retrieved", hex.EncodeToString(hash[:]), "QUIT answered"} {
		if !strings.Contains(summary, want) {
			t.Errorf("summary lacks %q:\n%s", want, summary)
		}
	}
	// DELE + QUIT: the UPDATE state removed the message (RFC 1939 6).
	for _, sub := range []string{"new", "cur"} {
		left, err := os.ReadDir(filepath.Join(maildir, sub))
		if err != nil {
			t.Fatal(err)
		}
		if len(left) != 0 {
			t.Errorf("Dovecot's maildir %s/ still holds %d files after DELE and QUIT", sub, len(left))
		}
	}
}

// TestLiveNoCapability runs osisim live without CAP_NET_ADMIN (as user
// nobody): it must say what is missing and how to run it, and exit 2.
func TestLiveNoCapability(t *testing.T) {
	liveNeeds(t)
	bin := buildOsisim(t)
	if err := os.Chmod(filepath.Dir(bin), 0o755); err != nil {
		t.Fatal(err)
	}
	for d := filepath.Dir(filepath.Dir(bin)); d != os.TempDir() && d != "/"; d = filepath.Dir(d) {
		_ = os.Chmod(d, 0o755)
	}
	// --duration bounds the run should the TAP open after all: the test
	// then fails on the exit status instead of waiting for Ctrl-C.
	cmd := exec.Command(bin, "live", "serve", "--tap", fmt.Sprintf("osisimt%d", os.Getpid()%100000), "--duration", "5s")
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	out, err := cmd.CombinedOutput()
	code := -1
	if e, ok := err.(*exec.ExitError); ok {
		code = e.ExitCode()
	}
	if code != 2 {
		t.Fatalf("exit status %d (%v), want 2:\n%s", code, err, out)
	}
	for _, want := range []string{"cannot open the TAP interface", "CAP_NET_ADMIN", "sudo", "setcap cap_net_admin+ep"} {
		if !bytes.Contains(out, []byte(want)) {
			t.Errorf("the error lacks %q:\n%s", want, out)
		}
	}
}
