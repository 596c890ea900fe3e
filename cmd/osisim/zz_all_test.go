package main

import (
	"testing"
)

func TestZZOne(t *testing.T) {
	b := newBrowser(t)
	b.open(t, "/tmp/c.html")
	t.Logf("%v", eval[float64](t, b, `(function(){var n=osisimViewer.data.events.length;window.PROF={};var t0=performance.now();for(var i=0;i<n;i+=10)osisimViewer.select(i);return performance.now()-t0})()`))
	t.Logf("%v", eval[map[string]float64](t, b, `window.PROF`))
}
