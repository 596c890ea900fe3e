//go:build !linux

package sim

import (
	"errors"
	"os"

	"github.com/osisim/osisim/layers/datalink"
)

// TAPFile is an open TAP interface.
type TAPFile struct {
	*os.File
	Name string       // the interface's name, as the kernel gave it
	MAC  datalink.MAC // the kernel side's MAC address
}

func openTAP(o TAPOpenOptions) (*TAPFile, error) {
	return nil, &TAPError{Op: "open " + o.Path, Err: errors.ErrUnsupported,
		Missing: "Linux TAP interfaces (this system has none)",
		Hint:    "run osisim live on Linux"}
}
