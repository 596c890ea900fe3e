package network

import (
	"fmt"
	"net/netip"
	"strings"
	"time"

	"github.com/osisim/osisim/layers"
)

// reasmKey identifies the datagram a fragment belongs to (RFC 791 3.2: the
// source, destination, protocol and identification fields together).
type reasmKey struct {
	src, dst netip.Addr
	proto    Protocol
	id       uint16
}

// span is a range of data octets [from, to).
type span struct{ from, to int }

// holeOpen is the end of the last hole while the last fragment has not
// arrived: RFC 815's "infinity".
const holeOpen = IPv4MaxLen

// maxFragEnd is the highest data octet a fragment may reach: a datagram
// with a minimal header holds at most 65,515 octets of data.
const maxFragEnd = IPv4MaxLen - IPv4MinHeaderLen

// reasmEntry is one datagram in reassembly: its data buffer and the list
// of holes still to fill (RFC 815).
type reasmEntry struct {
	key   reasmKey
	ifi   int           // interface of the first fragment to arrive
	start time.Duration // arrival of the first fragment to arrive
	data  []byte        // data octets by offset, as far as any fragment reached
	holes []span        // sorted; the last ends at holeOpen until end is known
	spare []span        // the previous hole list, reused
	end   int           // data length once the last fragment (MF clear) came; -1 before
	frags int           // fragments that brought new octets
	// The fragment with offset 0 (RFC 791: its header becomes the header of
	// the datagram): its header octets and values, once it has come.
	haveFirst bool
	hdr       [IPv4MaxHeaderLen]byte
	first     Datagram // Options alias hdr; no Payload
	firstLen  int      // octets of data the fragment at offset 0 carried
	parents   []uint64 // ids of the fragments held
	timer     layers.Timer
}

// reasmFreeLimit is how many finished entries a Stack keeps for reuse.
const reasmFreeLimit = 4

// reassemble takes fragment d (octets b) addressed to this node and fills
// it into its datagram's buffer with RFC 815's hole list. A fragment
// overlapping octets already held brings only the octets of the holes (the
// first copy of every octet is kept); one with nothing new is a duplicate
// and is dropped. When no hole is left the datagram, with the header of
// the fragment at offset 0 (RFC 791 3.2), is delivered whole.
func (s *Stack) reassemble(ifi int, d Datagram, b []byte, m layers.Meta) {
	a := int(d.FragOffset)
	z := a + len(d.Payload)
	switch {
	case z > maxFragEnd:
		s.record(ifi, layers.Drop, layers.ReasonMalformed, "", s.ipPDU(&d, b, m),
			layers.Tell("net.reasm.toofar", "fragment of ID 0x%04x from %s reaches octet %s: a datagram holds at most %s octets of data (RFC 791): discarded", d.ID, d.Src, layers.Thousands(int64(z)), layers.Thousands(int64(maxFragEnd))))
		return
	case d.MoreFragments && len(d.Payload)%8 != 0:
		s.record(ifi, layers.Drop, layers.ReasonMalformed, "", s.ipPDU(&d, b, m),
			layers.Tell("net.reasm.notmult8", "fragment of ID 0x%04x from %s carries %d B with More Fragments set: every fragment but the last carries a multiple of 8 octets (RFC 791): discarded", d.ID, d.Src, len(d.Payload)))
		return
	case d.MoreFragments && len(d.Payload) == 0:
		s.record(ifi, layers.Drop, layers.ReasonMalformed, "", s.ipPDU(&d, b, m),
			layers.Tell("net.reasm.empty", "fragment of ID 0x%04x from %s carries no data and has More Fragments set: discarded", d.ID, d.Src))
		return
	}
	k := reasmKey{d.Src, d.Dst, d.Protocol, d.ID}
	e := s.reasm[k]
	if e == nil {
		if len(s.reasm) >= s.cfg.ReassemblyLimit {
			s.record(ifi, layers.Drop, layers.ReasonQueueFull, "", s.ipPDU(&d, b, m),
				layers.Tell("net.reasm.full", "fragment of ID 0x%04x from %s dropped: %s already in reassembly, the limit", d.ID, d.Src, count(len(s.reasm), "datagram")))
			return
		}
		e = s.newReasm(k, ifi)
	}
	// A last fragment fixes the end of the data: it must agree with what
	// other fragments said.
	if conflict := e.conflict(a, z, d.MoreFragments); !conflict.IsZero() {
		s.record(ifi, layers.Drop, layers.ReasonMalformed, "", s.ipPDU(&d, b, m),
			layers.Tell("net.reasm.conflict", "fragment of ID 0x%04x from %s (%d..%d) discarded: %v", d.ID, d.Src, a, z, conflict))
		s.dropIfEmpty(k, e)
		return
	}
	endSet := false
	if !d.MoreFragments && e.end < 0 {
		e.setEnd(z)
		endSet = true
	}
	fresh := e.fill(a, z, d.Payload)
	if a == 0 && !e.haveFirst {
		e.keepFirst(&d, b)
	}
	if fresh == 0 && !endSet {
		s.record(ifi, layers.Drop, layers.ReasonDuplicate, "", s.ipPDU(&d, b, m),
			layers.Tell("net.reasm.dup", "fragment of ID 0x%04x from %s: %d..%d is already held: duplicate discarded", d.ID, d.Src, a, z))
		return
	}
	e.frags++
	if m.ID != 0 {
		e.parents = append(e.parents, m.ID)
	}
	done := e.end >= 0 && len(e.holes) == 0
	if s.env.Tracing() {
		s.record(ifi, layers.Note, "", "", s.ipPDU(&d, b, m), s.fragmentNote(e, &d, a, z, fresh, done))
	}
	if done {
		s.reassembled(k, e)
	}
}

// newReasm starts the reassembly of datagram k with its timer (RFC 1122
// 3.3.2: a fixed timeout from the first fragment to arrive).
func (s *Stack) newReasm(k reasmKey, ifi int) *reasmEntry {
	var e *reasmEntry
	if n := len(s.reasmFree); n > 0 {
		e = s.reasmFree[n-1]
		s.reasmFree = s.reasmFree[:n-1]
	} else {
		e = &reasmEntry{}
	}
	e.key, e.ifi, e.start, e.end, e.frags, e.haveFirst = k, ifi, s.env.Now(), -1, 0, false
	e.data = e.data[:0]
	e.holes = append(e.holes[:0], span{0, holeOpen})
	e.parents = e.parents[:0]
	e.first = Datagram{}
	s.reasm[k] = e
	e.timer = s.env.After(s.cfg.ReassemblyTimeout, func() { s.reasmTimeout(k, e) })
	return e
}

// release ends the reassembly of k and keeps its entry for reuse.
func (s *Stack) release(k reasmKey, e *reasmEntry) {
	delete(s.reasm, k)
	if e.timer != nil {
		e.timer.Stop()
		e.timer = nil
	}
	if len(s.reasmFree) < reasmFreeLimit {
		s.reasmFree = append(s.reasmFree, e)
	}
}

// dropIfEmpty ends a reassembly that a rejected fragment started.
func (s *Stack) dropIfEmpty(k reasmKey, e *reasmEntry) {
	if e.frags == 0 {
		s.release(k, e)
	}
}

// conflict says why a fragment [a, z) cannot belong with what is held, or
// returns "".
func (e *reasmEntry) conflict(a, z int, more bool) layers.Phrase {
	switch {
	case e.end >= 0 && !more && z != e.end:
		return layers.Tell("net.conflict.end", "it ends the datagram at %d, but the last fragment already ended it at %d", z, e.end)
	case e.end >= 0 && z > e.end:
		return layers.Tell("net.conflict.past", "it reaches past the end of the datagram at %d", e.end)
	case e.end < 0 && !more && e.heldBeyond(z):
		return layers.Tell("net.conflict.beyond", "it ends the datagram at %d, but octets beyond it are held", z)
	}
	return layers.Phrase{}
}

// heldBeyond reports whether any octet at or after end is held.
func (e *reasmEntry) heldBeyond(end int) bool {
	if len(e.data) <= end {
		return false
	}
	// Octets end..len(data) are held unless one hole covers them all.
	for _, h := range e.holes {
		if h.from <= end && h.to >= len(e.data) {
			return false
		}
	}
	return true
}

// setEnd records the end of the data, which the last fragment gives:
// holes past it vanish and the open hole closes there (RFC 815 step 6).
func (e *reasmEntry) setEnd(end int) {
	e.end = end
	out := e.spare[:0]
	for _, h := range e.holes {
		if h.from >= end {
			continue
		}
		h.to = min(h.to, end)
		out = append(out, h)
	}
	e.spare, e.holes = e.holes, out
}

// fill copies the octets of fragment [a, z) that fall into holes into the
// buffer and updates the hole list (RFC 815 steps 1 to 6), returning how
// many octets were new. Octets already held are left as they are.
func (e *reasmEntry) fill(a, z int, payload []byte) int {
	if z > len(e.data) {
		if z > cap(e.data) {
			nd := make([]byte, z, max(z, min(2*cap(e.data), maxFragEnd)))
			copy(nd, e.data)
			e.data = nd
		} else {
			e.data = e.data[:z]
		}
	}
	fresh := 0
	out := e.spare[:0]
	for _, h := range e.holes {
		if z <= h.from || a >= h.to {
			out = append(out, h)
			continue
		}
		from, to := max(a, h.from), min(z, h.to)
		copy(e.data[from:to], payload[from-a:to-a])
		fresh += to - from
		if h.from < a {
			out = append(out, span{h.from, a})
		}
		if z < h.to {
			out = append(out, span{z, h.to})
		}
	}
	e.spare, e.holes = e.holes, out
	return fresh
}

// keepFirst keeps the header of the fragment at offset 0.
func (e *reasmEntry) keepFirst(d *Datagram, b []byte) {
	e.haveFirst = true
	hl := d.HeaderLen()
	copy(e.hdr[:], b[:hl])
	e.first = *d
	e.firstLen = len(d.Payload)
	e.first.Payload = nil
	e.first.Options = nil
	if hl > IPv4MinHeaderLen {
		e.first.Options = e.hdr[IPv4MinHeaderLen:hl]
	}
}

// fragmentNote describes a fragment just held: "fragment 2 of ID 0x1a2b
// from 10.0.1.10: 1480..2960 held; hole 0..1480".
func (s *Stack) fragmentNote(e *reasmEntry, d *Datagram, a, z, fresh int, done bool) layers.Phrase {
	var part, timer, tail layers.Phrase
	if fresh < z-a {
		part = layers.Tell("net.reasm.part", " (%d of its %d B new, the rest already held)", fresh, z-a)
	}
	if e.frags == 1 {
		timer = layers.Tell("net.reasm.timer", ", reassembly timer %s started", s.cfg.ReassemblyTimeout)
	}
	if done {
		tail = layers.Tell("net.reasm.done", "; no hole left: %s B of data from %v complete after %s", layers.Thousands(int64(e.end)), count(e.frags, "fragment"), s.env.Now()-e.start)
	} else {
		tail = layers.Tell("net.reasm.left", "; %v", e.holesText())
	}
	return layers.Tell("net.reasm.held", "fragment %d of ID 0x%04x from %s: %d..%d held%v%v%v", e.frags, d.ID, d.Src, a, z, part, timer, tail)
}

// holesShown is how many holes a note lists.
const holesShown = 4

// holesText returns "hole 0..1480" or "holes 0..1480, 2960..end" (end:
// the last fragment has not come).
func (e *reasmEntry) holesText() layers.Phrase {
	if len(e.holes) == 1 {
		return layers.Tell("net.hole", "hole %v", e.holesList())
	}
	return layers.Tell("net.holes", "holes %v", e.holesList())
}

// holesList lists the holes: "0..1480, 2960..end"; a long list shows its
// first holes and its last, which is open while the last fragment has not
// come: "0..8, 16..24, 32..40, 5 more, 96..end".
func (e *reasmEntry) holesList() layers.Phrase {
	hole := func(h span) string {
		if h.to == holeOpen {
			return fmt.Sprintf("%d..end", h.from)
		}
		return fmt.Sprintf("%d..%d", h.from, h.to)
	}
	var sb strings.Builder
	for i, h := range e.holes {
		if i == holesShown-1 && len(e.holes) > holesShown {
			return layers.Tell("net.holes.more", "%s, %d more, %s", sb.String(), len(e.holes)-holesShown, hole(e.holes[len(e.holes)-1]))
		}
		if i > 0 {
			sb.WriteString(", ")
		}
		sb.WriteString(hole(h))
		if i == holesShown-1 {
			break
		}
	}
	return layers.Plain(sb.String())
}

// reassembled delivers the completed datagram of e: the header of its
// first fragment with More Fragments and Fragment Offset cleared, and all
// its data. It is a new PDU whose parents are the fragments.
func (s *Stack) reassembled(k reasmKey, e *reasmEntry) {
	whole := e.first
	whole.MoreFragments, whole.FragOffset = false, 0
	whole.Payload = e.data[:e.end]
	ifi := e.ifi
	if n := whole.Len(); n > IPv4MaxLen {
		s.record(ifi, layers.Drop, layers.ReasonMalformed, "", nil,
			layers.Tell("net.reasm.toobig", "datagram ID 0x%04x from %s would be %s B with its %d B header, over the IPv4 maximum of %s: discarded",
				k.id, k.src, layers.Thousands(int64(n)), whole.HeaderLen(), layers.Thousands(int64(IPv4MaxLen))))
		s.release(k, e)
		return
	}
	s.whol = whole.appendWith(s.whol[:0], &s.em)
	m := layers.Meta{ID: s.env.NewID(), Cause: "reassembly"}
	if len(e.parents) > 0 && s.env.Tracing() {
		m.Parents = append([]uint64(nil), e.parents...)
	}
	s.release(k, e)
	d, err := Parse(s.whol)
	if err != nil {
		return // cannot happen: s.whol was just emitted
	}
	s.deliver(ifi, d, s.whol, m)
}

// reasmTimeout runs when the fragments of k did not all come in time: they
// are dropped and, if the fragment at offset 0 came, the source is told
// with ICMP time exceeded, fragment reassembly time exceeded (RFC 792,
// RFC 1122 3.3.2: only then, since the error quotes that fragment).
func (s *Stack) reasmTimeout(k reasmKey, e *reasmEntry) {
	if s.reasm[k] != e {
		return
	}
	e.timer = nil
	cause := "reassembly timeout"
	s.record(e.ifi, layers.Timeout, "", cause, nil,
		layers.Tell("net.reasm.timeout", "reassembly timer of ID 0x%04x from %s expired after %s: %v still missing", k.id, k.src, s.cfg.ReassemblyTimeout, e.holesList()))
	s.record(e.ifi, layers.Drop, layers.ReasonReassembly, cause, nil,
		layers.Tell("net.reasm.discard", "%s of ID 0x%04x from %s discarded", count(e.frags, "fragment"), k.id, k.src))
	if !e.haveFirst {
		s.record(e.ifi, layers.Note, "", cause, nil,
			layers.Tell("net.reasm.noicmp", "no ICMP time exceeded sent: the fragment at offset 0, which it would quote, never came (RFC 792)"))
		s.release(k, e)
		return
	}
	hl := e.first.HeaderLen()
	s.quo = append(append(s.quo[:0], e.hdr[:hl]...), e.data[:min(icmpQuotedPayloadLen, e.firstLen)]...)
	first := e.first
	first.Payload = s.quo[hl:]
	m := layers.Meta{}
	if len(e.parents) > 0 {
		m.Parents = append([]uint64(nil), e.parents...)
	}
	ifi := e.ifi
	s.release(k, e)
	s.sendICMPError(ifi, first, s.quo, ICMPTimeExceeded, ICMPReassemblyExceeded, 0, m, cause)
}
