// Command osisim is an educational OSI / TCP-IP layer simulator: it runs a
// scenario in which every layer of every node really encapsulates and
// decapsulates its PDU, and prints what each layer did.
package main

import (
	"os"
)

func main() {
	os.Exit(execute(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
