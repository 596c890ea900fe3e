package sim

// LocalPort returns the client's own TCP port, which its TCP drew from the
// dynamic range 49152-65535 when it connected (RFC 6335 section 6, RFC
// 6056), or 0 if the client never opened its connection.
func (c *POP3Client) LocalPort() uint16 {
	if c.a == nil || c.a.conn == nil {
		return 0
	}
	return c.a.conn.LocalAddr().Port()
}
