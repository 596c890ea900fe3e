package transport

// ring is a fixed-capacity byte ring buffer. Its buffer is allocated on
// first use, so an idle connection costs no buffer memory.
type ring struct {
	buf  []byte
	size int // capacity
	head int // index of the first byte
	n    int // bytes held
}

func (r *ring) free() int { return r.size - r.n }

func (r *ring) alloc() {
	if r.buf == nil {
		r.buf = make([]byte, r.size)
	}
}

// write appends as much of p as fits and returns how much it took.
func (r *ring) write(p []byte) int {
	k := min(len(p), r.free())
	if k == 0 {
		return 0
	}
	r.writeAt(r.n, p[:k])
	r.n += k
	return k
}

// writeAt copies p to the positions off, off+1, ... counted from the head,
// without changing what the ring holds; off+len(p) must not exceed size.
func (r *ring) writeAt(off int, p []byte) {
	r.alloc()
	i := (r.head + off) % r.size
	c := copy(r.buf[i:], p)
	copy(r.buf, p[c:])
}

// peek copies len(p) bytes starting off bytes after the head into p.
func (r *ring) peek(off int, p []byte) {
	i := (r.head + off) % r.size
	c := copy(p, r.buf[i:])
	copy(p[c:], r.buf)
}

// read moves up to len(p) bytes from the head into p.
func (r *ring) read(p []byte) int {
	k := min(len(p), r.n)
	if k == 0 {
		return 0
	}
	r.peek(0, p[:k])
	r.discard(k)
	return k
}

// discard drops k bytes from the head. The head moves even when the ring
// becomes empty: bytes written beyond the held ones (out-of-order data)
// keep their place.
func (r *ring) discard(k int) {
	r.n -= k
	r.head = (r.head + k) % r.size
}

// reset empties the ring and releases its buffer.
func (r *ring) reset() { r.buf, r.head, r.n = nil, 0, 0 }
