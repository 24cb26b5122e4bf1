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
	// trimRing is how many pixels past the frame's clean edge may be
	// ringing or blur, judged by the looser trimRingTolerance.
	trimRing          = 8
	trimRingTolerance = 48
	trimRingOutliers  = 0.15
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

	// near reports whether the n samples given by get lie within tol of
	// ref but for a fraction out.
	near := func(n int, ref, tol float32, out float64, get func(k int) float32) bool {
		bad, allowed := 0, int(out*float64(n))
		for k := range n {
			d := get(k) - ref
			if d > tol || d < -tol {
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
	// Where the frame meets the picture, JPEG rings and scaling blurs for
	// a few pixels (an 8x8 block straddles the edge): once a frame is
	// found, rows that are still mostly near its colour go with it.
	ringRows, ringCols := (trimRing*gh+rows-1)/rows, (trimRing*gw+cols-1)/cols
	// trim advances *pos (by step) while the line at it is frame.
	// A side trimmed to its limit found no edge (a flat image): it stays.
	trim := func(pos *int, step, limit, ringLimit, n int, get func(line, k int) float32) {
		start := *pos
		defer func() {
			if *pos-start == step*limit {
				*pos = start
			}
		}()
		ref := median(n, func(k int) float32 { return get(*pos, k) })
		moved := 0
		for moved < limit && near(n, ref, trimTolerance, trimOutliers, func(k int) float32 { return get(*pos, k) }) {
			*pos += step
			moved++
		}
		if moved == 0 {
			return
		}
		for ring := 0; ring < ringLimit && moved < limit &&
			near(n, ref, trimRingTolerance, trimRingOutliers, func(k int) float32 { return get(*pos, k) }); ring++ {
			*pos += step
			moved++
		}
	}
	rowLine := func(i, k int) float32 { return at(i, k) }
	trim(&top, 1, maxRows, ringRows, gw, rowLine)
	bottom--
	trim(&bottom, -1, maxRows, ringRows, gw, rowLine)
	bottom++
	h := bottom - top
	colLine := func(j, k int) float32 { return at(top+k, j) }
	trim(&left, 1, maxCols, ringCols, h, colLine)
	right--
	trim(&right, -1, maxCols, ringCols, h, colLine)
	right++

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
