package scenarios

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

// The tshark checks of a scenario that runs TLS: tshark decrypts the
// records with the run's key log, and the decrypted stream is the POP3
// dialog.

// usesTLS reports whether a POP3 client of the scenario runs TLS.
func (c *captured) usesTLS() bool {
	for _, a := range c.file.Apps {
		if a.POP3 != nil && a.POP3.TLS != nil {
			return true
		}
	}
	return false
}

// tlsArgs are tshark's options for a TLS scenario: the key log, and TCP
// reassembly of out-of-order and retransmitted segments, without which
// tshark's TLS reassembly reports a retransmitted segment under a record
// it has already reassembled as overlapping data.
func (c *captured) tlsArgs() []string {
	if !c.usesTLS() {
		return nil
	}
	return []string{"-o", "tls.keylog_file:" + c.keylog, "-o", "tcp.reassemble_out_of_order:TRUE"}
}

// checkFollowTLS follows the first TLS stream, decrypted, and checks that
// it holds the POP3 dialog: the login, the RETR and its reply, and QUIT.
func checkFollowTLS(t *testing.T, bin string, c *captured) {
	keys, err := os.ReadFile(c.keylog)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(keys, []byte("CLIENT_TRAFFIC_SECRET_0 ")) {
		t.Fatalf("the key log has no CLIENT_TRAFFIC_SECRET_0:\n%s", keys)
	}
	args := append([]string{"-r", c.links[0], "-q"}, c.tlsArgs()...)
	out := string(tshark(t, bin, append(args, "-z", "follow,tls,ascii,0")...))
	for _, want := range []string{"USER student", "PASS osi7layers", "RETR 1", "Subject: A lesson note", "QUIT"} {
		if !strings.Contains(out, want) {
			t.Errorf("the decrypted TLS stream has no %q:\n%s", want, out)
		}
	}
	// Before STLS the dialog is in clear text; after it, the password is
	// not. POP3S (RFC 8314) has no clear text at all: not even the
	// greeting.
	plain := string(tshark(t, bin, "-r", c.links[0], "-q", "-z", "follow,tcp,ascii,0"))
	if c.implicitTLS() {
		for _, s := range []string{"+OK", "USER", "osi7layers"} {
			if strings.Contains(plain, s) {
				t.Errorf("POP3S: the TCP stream without the key log shows %q:\n%s", s, plain)
			}
		}
	} else if !strings.Contains(plain, "STLS") || strings.Contains(plain, "osi7layers") {
		t.Errorf("without the key log the TCP stream should show STLS and hide the password:\n%s", plain)
	}
}

// implicitTLS reports whether the scenario's POP3 client runs POP3S.
func (c *captured) implicitTLS() bool {
	for _, a := range c.file.Apps {
		if a.POP3 != nil && a.POP3.TLS != nil && a.POP3.TLS.Mode == "implicit" {
			return true
		}
	}
	return false
}
