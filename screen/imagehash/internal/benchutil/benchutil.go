// Package benchutil measures the CPU time benchmarks spend, alongside the
// wall time the testing package reports. On a shared machine wall time per
// operation grows with the load other processes put on it; the process's
// own CPU time does not (much), so figures taken on a busy machine stay
// comparable.
package benchutil

import "testing"

// CPU reports, when stopped, the process CPU time (user + system) per
// operation as the metric "cpu-ns/op", and rate, if not empty, as
// operations per CPU second under that name.
type CPU struct {
	start int64
	rate  string
}

// Start begins measuring; call it just before the benchmark loop.
func Start(rate string) *CPU { return &CPU{start: cpuNanos(), rate: rate} }

// Stop reports the metrics; call it right after the loop.
func (c *CPU) Stop(b *testing.B) {
	if c.start < 0 || b.N == 0 {
		return
	}
	ns := float64(cpuNanos()-c.start) / float64(b.N)
	b.ReportMetric(ns, "cpu-ns/op")
	if c.rate != "" && ns > 0 {
		b.ReportMetric(1e9/ns, c.rate)
	}
}
