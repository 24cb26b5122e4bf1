package imagehash

import (
	"bytes"
	"testing"

	"github.com/hallmark-dev/hallmark/screen/imagehash/internal/benchutil"
)

// Each benchmark also reports the process CPU time per operation
// (cpu-ns/op), which is what to read on a busy machine.

// BenchmarkHashJPEG1024 is the per-photo cost of screening: decoding a
// 1024x1024 JPEG and hashing it. The JPEG is made once per run from the
// synthetic picture, with photo-like noise so it compresses like one.
func BenchmarkHashJPEG1024(b *testing.B) {
	data := encode(b, "jpeg", synthetic(1024, 1024, 42, 6))
	b.SetBytes(int64(len(data)))
	cpu := benchutil.Start("images/cpu-s")
	for b.Loop() {
		if _, _, err := HashReader(bytes.NewReader(data), "bench.jpg", 0); err != nil {
			b.Fatal(err)
		}
	}
	cpu.Stop(b)
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "images/s")
}

// BenchmarkHashImage1024 is the hashing part alone, on decoded pixels.
func BenchmarkHashImage1024(b *testing.B) {
	img := mustDecode(b, encode(b, "jpeg", synthetic(1024, 1024, 42, 6)))
	cpu := benchutil.Start("images/cpu-s")
	for b.Loop() {
		HashImage(img)
	}
	cpu.Stop(b)
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "images/s")
}

// BenchmarkHashDihedral1024 shows that all eight variants cost about one
// hash.
func BenchmarkHashDihedral1024(b *testing.B) {
	img := mustDecode(b, encode(b, "jpeg", synthetic(1024, 1024, 42, 6)))
	cpu := benchutil.Start("")
	for b.Loop() {
		HashDihedral(img)
	}
	cpu.Stop(b)
}

// BenchmarkDecodeJPEG1024 is the decoding part alone, for comparison.
func BenchmarkDecodeJPEG1024(b *testing.B) {
	data := encode(b, "jpeg", synthetic(1024, 1024, 42, 6))
	cpu := benchutil.Start("")
	for b.Loop() {
		mustDecode(b, data)
	}
	cpu.Stop(b)
}
