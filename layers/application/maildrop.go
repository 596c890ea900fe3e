package application

import (
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"

	"github.com/osisim/osisim/layers/presentation"
)

// Errors of the maildrop, wrapped with the message number.
var (
	ErrNoSuchMessage = errors.New("no such message")
	ErrDeleted       = errors.New("message already deleted")
	ErrLocked        = errors.New("maildrop already locked")
)

// Info describes one message of a maildrop.
type Info struct {
	N       int    // its number, from 1
	Size    int64  // its exact size in octets (RFC 1939 section 5: CRLF line ends, before byte-stuffing)
	Deleted bool   // marked deleted, to be removed at the next Commit
	Subject string // its subject, for the trace
}

type stored struct {
	mail    presentation.Mail
	enc     *presentation.Encoded
	deleted bool
	uid     string // its unique-id, given the first time one is asked for
}

// Maildrop is the mailbox a POP3 server serves. Its messages are numbered
// from 1 in the order they were added; the numbers stay the same while they
// are marked deleted, and Commit, which the server calls only in the UPDATE
// state, removes the marked ones and numbers the rest from 1 again (RFC
// 1939 section 3: message numbers hold for one session). A message's
// unique-id (UID) does not change: it holds across sessions.
type Maildrop struct {
	opt    presentation.Options
	msgs   []*stored
	locked bool
	uids   map[string]bool // every unique-id ever given, for lookups only
}

// NewMaildrop returns a maildrop holding mails, each encoded with opt.
func NewMaildrop(opt presentation.Options, mails ...presentation.Mail) *Maildrop {
	md := &Maildrop{opt: opt}
	for _, m := range mails {
		md.Add(m)
	}
	return md
}

// Add stores a mail and returns its number.
func (md *Maildrop) Add(m presentation.Mail) int {
	md.msgs = append(md.msgs, &stored{mail: m, enc: presentation.Encode(m, md.opt)})
	return len(md.msgs)
}

// Len returns the number of messages, those marked deleted included.
func (md *Maildrop) Len() int { return len(md.msgs) }

// Stat returns the number and total size of the messages not marked
// deleted (RFC 1939 section 5, STAT).
func (md *Maildrop) Stat() (n int, octets int64) {
	for _, s := range md.msgs {
		if !s.deleted {
			n++
			octets += s.enc.Size()
		}
	}
	return n, octets
}

func (md *Maildrop) get(n int) (*stored, error) {
	if n < 1 || n > len(md.msgs) {
		return nil, fmt.Errorf("message %d: %w (%d in the maildrop)", n, ErrNoSuchMessage, len(md.msgs))
	}
	s := md.msgs[n-1]
	if s.deleted {
		return nil, fmt.Errorf("message %d: %w", n, ErrDeleted)
	}
	return s, nil
}

// Message returns message n in its transfer syntax, unless it does not
// exist or is marked deleted.
func (md *Maildrop) Message(n int) (*presentation.Encoded, error) {
	s, err := md.get(n)
	if err != nil {
		return nil, err
	}
	return s.enc, nil
}

// Mail returns stored message n as it was added, deleted or not.
func (md *Maildrop) Mail(n int) (presentation.Mail, error) {
	if n < 1 || n > len(md.msgs) {
		return presentation.Mail{}, fmt.Errorf("message %d: %w (%d in the maildrop)", n, ErrNoSuchMessage, len(md.msgs))
	}
	return md.msgs[n-1].mail, nil
}

// Hash returns the canonical hash (presentation.Hash) of message n, deleted
// or not, to compare with what a client decoded.
func (md *Maildrop) Hash(n int) ([32]byte, error) {
	m, err := md.Mail(n)
	if err != nil {
		return [32]byte{}, err
	}
	return presentation.Hash(m), nil
}

// Delete marks message n deleted.
func (md *Maildrop) Delete(n int) error {
	s, err := md.get(n)
	if err != nil {
		return err
	}
	s.deleted = true
	return nil
}

// Reset removes every deletion mark and returns how many there were.
func (md *Maildrop) Reset() int {
	k := 0
	for _, s := range md.msgs {
		if s.deleted {
			s.deleted = false
			k++
		}
	}
	return k
}

// Marked returns how many messages are marked deleted.
func (md *Maildrop) Marked() int {
	k := 0
	for _, s := range md.msgs {
		if s.deleted {
			k++
		}
	}
	return k
}

// Commit removes the messages marked deleted, numbers the others from 1
// again, and returns how many were removed. Only a server in the UPDATE
// state calls it (RFC 1939 section 6).
func (md *Maildrop) Commit() int {
	kept := md.msgs[:0]
	for _, s := range md.msgs {
		if !s.deleted {
			kept = append(kept, s)
		}
	}
	removed := len(md.msgs) - len(kept)
	clear(md.msgs[len(kept):])
	md.msgs = kept
	return removed
}

// List describes every message, in order.
func (md *Maildrop) List() []Info {
	out := make([]Info, len(md.msgs))
	for i, s := range md.msgs {
		out[i] = Info{N: i + 1, Size: s.enc.Size(), Deleted: s.deleted, Subject: s.mail.Get("Subject")}
	}
	return out
}

// Lock gives a session exclusive access (RFC 1939 section 4: the server
// "acquires an exclusive-access lock on the maildrop").
func (md *Maildrop) Lock() error {
	if md.locked {
		return ErrLocked
	}
	md.locked = true
	return nil
}

// Unlock releases the lock.
func (md *Maildrop) Unlock() { md.locked = false }

// Locked reports whether a session holds the lock.
func (md *Maildrop) Locked() bool { return md.locked }

// UID returns the unique-id of message n (RFC 1939 section 7, UIDL), unless
// it does not exist or is marked deleted. A message's unique-id is the first
// 16 hexadecimal digits of its canonical hash (presentation.Hash, the same
// digits the trace prints after "sha256"), so it is the same in every
// session and does not change when the messages are numbered again after
// an UPDATE. A second identical message gets the suffix "-2", a third "-3":
// RFC 1939 asks that a unique-id identify one message of the maildrop and
// never be reused.
//
// The ids are given in the order the messages were added, the first time
// any is asked for: hashing reads every body, which a session that never
// sends UIDL does not pay for.
func (md *Maildrop) UID(n int) (string, error) {
	s, err := md.get(n)
	if err != nil {
		return "", err
	}
	md.assignUIDs()
	return s.uid, nil
}

// assignUIDs gives a unique-id to every message that has none yet.
func (md *Maildrop) assignUIDs() {
	for _, s := range md.msgs {
		if s.uid != "" {
			continue
		}
		if md.uids == nil {
			md.uids = make(map[string]bool)
		}
		h := presentation.Hash(s.mail)
		base := hex.EncodeToString(h[:8])
		uid := base
		for k := 2; md.uids[uid]; k++ {
			uid = base + "-" + strconv.Itoa(k)
		}
		md.uids[uid] = true
		s.uid = uid
	}
}
