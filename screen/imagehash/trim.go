package imagehash

import (
	"image"
	"slices"
)

// Trimming a frame. A stolen photo is often relisted inside a plain border
// (a white "product card" frame, letterboxing to a square). PDQ hashes the
// whole canvas, so the frame shrinks and shifts every feature and a framed
// copy lands far from the original; the hash of the image without its frame
// lands near it again.

const (
	// trimGrid bounds the luma samples taken along each axis, so that
	// finding the frame costs a fixed amount however large the image.
	trimGrid = 512
	// trimTolerance is how far (in luma levels, 0..255) a pixel of the
	// frame may stray from the frame's colour: JPEG ringing and noise.
	trimTolerance = 14
	// trimOutliers is the fraction of a row or column that may stray
	// further and the row still count as frame: a speck, a stray pixel.
	trimOutliers = 0.02
)

// FrameBounds returns the part of img inside a near-uniform border (of any
// colour, judged by luma) and whether there was such a border. It never
// trims more than leaves a quarter of either side, and reports no frame
// when less than one percent of the width and height would go.
func FrameBounds(img image.Image) (image.Rectangle, bool) {
	b := img.Bounds()
	rows, cols := b.Dy(), b.Dx()
	if rows < 8 || cols < 8 {
		return b, false
	}
	gh, gw := min(rows, trimGrid), min(cols, trimGrid)
	rowAt := make([]int, gh)
	colAt := make([]int, gw)
	for i := range rowAt {
		rowAt[i] = i * rows / gh
	}
	for j := range colAt {
		colAt[j] = j * cols / gw
	}
	grid := make([]float32, gh*gw)
	line := make([]float32, cols)
	for i, y := range rowAt {
		lumaRow(img, b.Min.Y+y, line)
		for j, x := range colAt {
			grid[i*gw+j] = line[x]
		}
	}
	at := func(i, j int) float32 { return grid[i*gw+j] }

	// uniform reports whether the n samples given by get lie near ref.
	uniform := func(n int, ref float32, get func(k int) float32) bool {
		bad, allowed := 0, int(trimOutliers*float64(n))
		for k := range n {
			d := get(k) - ref
			if d > trimTolerance || d < -trimTolerance {
				bad++
				if bad > allowed {
					return false
				}
			}
		}
		return true
	}
	median := func(n int, get func(k int) float32) float32 {
		v := make([]float32, n)
		for k := range v {
			v[k] = get(k)
		}
		slices.Sort(v)
		return v[n/2]
	}

	// Grid rows [top, bottom) and columns [left, right) survive.
	top, bottom, left, right := 0, gh, 0, gw
	maxRows, maxCols := gh*3/8, gw*3/8 // at most 3/8 from each side
	ref := median(gw, func(k int) float32 { return at(0, k) })
	for top < maxRows && uniform(gw, ref, func(k int) float32 { return at(top, k) }) {
		top++
	}
	ref = median(gw, func(k int) float32 { return at(gh-1, k) })
	for gh-bottom < maxRows && uniform(gw, ref, func(k int) float32 { return at(bottom-1, k) }) {
		bottom--
	}
	h := bottom - top
	ref = median(h, func(k int) float32 { return at(top+k, 0) })
	for left < maxCols && uniform(h, ref, func(k int) float32 { return at(top+k, left) }) {
		left++
	}
	ref = median(h, func(k int) float32 { return at(top+k, gw-1) })
	for gw-right < maxCols && uniform(h, ref, func(k int) float32 { return at(top+k, right-1) }) {
		right--
	}

	// Back to pixels: a surviving grid row stands for the pixels up to the
	// next sample, so the frame is cut at the first surviving sample.
	r := image.Rect(b.Min.X+colAt[left], b.Min.Y+rowAt[top], b.Min.X+cols, b.Min.Y+rows)
	if right < gw {
		r.Max.X = b.Min.X + colAt[right]
	}
	if bottom < gh {
		r.Max.Y = b.Min.Y + rowAt[bottom]
	}
	if r.Dx()*4 < cols || r.Dy()*4 < rows {
		return b, false
	}
	if (cols-r.Dx())*100 < cols && (rows-r.Dy())*100 < rows {
		return b, false
	}
	return r, true
}
