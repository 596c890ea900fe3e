//go:build linux

package sim

import (
	"errors"
	"fmt"
	"net"
	"os"
	"syscall"
	"unsafe"

	"github.com/osisim/osisim/layers/datalink"
)

// The TUN/TAP driver's ioctl and flags (linux/if_tun.h) and the interface
// ioctls (linux/sockios.h) that the standard library's syscall package does
// not name.
const (
	tunSetIff = 0x400454ca // TUNSETIFF: _IOW('T', 202, int)
	iffTap    = 0x0002     // IFF_TAP: Ethernet frames
	iffNoPI   = 0x1000     // IFF_NO_PI: no packet information header before each frame
)

// ifreq is struct ifreq with the flags member of its union (linux/if.h).
type ifreq struct {
	name  [syscall.IFNAMSIZ]byte
	flags uint16
	_     [22]byte
}

// ifreqAddr is struct ifreq with a struct sockaddr_in in its union.
type ifreqAddr struct {
	name [syscall.IFNAMSIZ]byte
	addr syscall.RawSockaddrInet4
	_    [8]byte
}

// openTAP opens (or creates) the TAP interface name through the clone
// device at path, brings it up and returns its file, its name as the
// kernel gave it and its MAC address.
func openTAP(o TAPOpenOptions) (*TAPFile, error) {
	if len(o.Name) >= syscall.IFNAMSIZ {
		return nil, fmt.Errorf("sim: TAP name %q is longer than %d characters", o.Name, syscall.IFNAMSIZ-1)
	}
	// The descriptor is attached to its interface before it becomes an
	// *os.File: the runtime's poller registers it then, and a TAP
	// registered before TUNSETIFF never reports that a frame is readable.
	fd, err := syscall.Open(o.Path, syscall.O_RDWR|syscall.O_CLOEXEC|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, tapError(o, "open "+o.Path, err)
	}
	var req ifreq
	copy(req.name[:], o.Name)
	req.flags = iffTap | iffNoPI
	if _, _, errno := syscall.Syscall(syscall.SYS_IOCTL, uintptr(fd), tunSetIff, uintptr(unsafe.Pointer(&req))); errno != 0 {
		syscall.Close(fd)
		return nil, tapError(o, "TUNSETIFF", errno)
	}
	f := os.NewFile(uintptr(fd), o.Path)
	name := string(req.name[:clen(req.name[:])])
	if !o.KeepIPv6 {
		// Without IPv6 the kernel sends no router solicitations or
		// neighbour discovery on the TAP: the trace shows the IPv4 lesson
		// only. Best effort: a kernel without IPv6 has no such file.
		_ = os.WriteFile("/proc/sys/net/ipv6/conf/"+name+"/disable_ipv6", []byte("1\n"), 0)
	}
	if err := ifUp(name); err != nil {
		f.Close()
		return nil, tapError(o, "bring "+name+" up", err)
	}
	if o.Addr.IsValid() {
		if err := ifAddr(name, o.Addr.Addr().As4(), o.Addr.Bits()); err != nil {
			f.Close()
			return nil, tapError(o, "assign "+o.Addr.String()+" to "+name, err)
		}
	}
	t := &TAPFile{File: f, Name: name}
	if itf, err := net.InterfaceByName(name); err == nil && len(itf.HardwareAddr) == 6 {
		copy(t.MAC[:], itf.HardwareAddr)
	}
	return t, nil
}

// sockIoctl runs an interface ioctl on a throwaway datagram socket.
func sockIoctl(req uintptr, arg unsafe.Pointer) error {
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_DGRAM|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		return err
	}
	defer syscall.Close(fd)
	if _, _, errno := syscall.Syscall(syscall.SYS_IOCTL, uintptr(fd), req, uintptr(arg)); errno != 0 {
		return errno
	}
	return nil
}

// ifUp sets IFF_UP on the interface (SIOCGIFFLAGS, SIOCSIFFLAGS).
func ifUp(name string) error {
	var req ifreq
	copy(req.name[:], name)
	if err := sockIoctl(syscall.SIOCGIFFLAGS, unsafe.Pointer(&req)); err != nil {
		return err
	}
	req.flags |= syscall.IFF_UP
	return sockIoctl(syscall.SIOCSIFFLAGS, unsafe.Pointer(&req))
}

// ifAddr gives the interface an IPv4 address and netmask (SIOCSIFADDR,
// SIOCSIFNETMASK): the kernel then adds the route to the subnet.
func ifAddr(name string, a [4]byte, bits int) error {
	var req ifreqAddr
	copy(req.name[:], name)
	req.addr.Family = syscall.AF_INET
	req.addr.Addr = a
	if err := sockIoctl(syscall.SIOCSIFADDR, unsafe.Pointer(&req)); err != nil {
		return err
	}
	mask := net.CIDRMask(bits, 32)
	copy(req.addr.Addr[:], mask)
	return sockIoctl(syscall.SIOCSIFNETMASK, unsafe.Pointer(&req))
}

func clen(b []byte) int {
	for i, c := range b {
		if c == 0 {
			return i
		}
	}
	return len(b)
}

// tapError explains why a TAP could not be opened: what is missing and
// how to run osisim so that it is there.
func tapError(o TAPOpenOptions, op string, err error) error {
	e := &TAPError{Op: op, Err: err}
	switch {
	case errors.Is(err, os.ErrNotExist) || errors.Is(err, syscall.ENODEV):
		e.Missing = fmt.Sprintf("the TUN/TAP clone device %s (the kernel's tun driver)", o.Path)
		e.Hint = "load the driver (sudo modprobe tun); in a container, pass the device and the capability: docker run --device /dev/net/tun --cap-add NET_ADMIN ..."
	case errors.Is(err, syscall.EPERM) || errors.Is(err, syscall.EACCES):
		e.Missing = "the CAP_NET_ADMIN capability (creating or configuring a network interface needs it)"
		e.Hint = "run it as root (sudo osisim live ...), or give the binary the capability once: sudo setcap cap_net_admin+ep $(command -v osisim)"
	case errors.Is(err, syscall.EBUSY):
		e.Missing = "a free TAP interface: " + o.Name + " is in use by another program"
		e.Hint = "stop the other program, or name another interface with --tap"
	case errors.Is(err, syscall.EINVAL):
		e.Missing = "a TAP interface: " + o.Name + " exists but is not a TAP (a TUN, or another kind of interface)"
		e.Hint = "name another interface with --tap, or delete this one (sudo ip link del " + o.Name + ")"
	}
	return e
}

// TAPFile is an open TAP interface.
type TAPFile struct {
	*os.File
	Name string       // the interface's name, as the kernel gave it
	MAC  datalink.MAC // the kernel side's MAC address
}
