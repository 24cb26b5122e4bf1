package imagehash

import (
	"errors"
	"image"
	"image/color"
	"image/draw"
	"math"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
)

// synthetic draws a deterministic "natural-ish" picture: smooth shading,
// a few blobs and edges at several scales, and a little noise, so that it
// has texture at the frequencies PDQ keeps and is not symmetric under any
// rotation or mirror. Per-pixel noise of the given standard deviation makes
// it compress like a photo.
func synthetic(w, h int, seed uint64, noise float64) *image.RGBA {
	r := rand.New(rand.NewPCG(seed, 99))
	type blob struct{ x, y, rad, cr, cg, cb float64 }
	blobs := make([]blob, 80)
	for i := range blobs {
		blobs[i] = blob{r.Float64(), r.Float64(), 0.03 + 0.12*r.Float64(), 255 * r.Float64(), 255 * r.Float64(), 255 * r.Float64()}
	}
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		fy := float64(y) / float64(h)
		for x := range w {
			fx := float64(x) / float64(w)
			cr := 60 + 120*fx + 30*math.Sin(9*fy+3*fx)
			cg := 80 + 90*fy*fx + 25*math.Sin(17*fx*fy)
			cb := 120 - 60*fy + 20*math.Cos(5*fx)
			for _, b := range blobs {
				if d := math.Hypot(fx-b.x, fy-b.y); d < b.rad {
					a := 1 - d/b.rad
					cr, cg, cb = cr*(1-a)+b.cr*a, cg*(1-a)+b.cg*a, cb*(1-a)+b.cb*a
				}
			}
			if fx > 0.6 && fy < 0.3 { // a hard-edged "label"
				cr, cg, cb = 240, 240, 230
			}
			n := noise * r.NormFloat64()
			img.Set(x, y, color.RGBA{clampF(cr + n), clampF(cg + n), clampF(cb + n), 255})
		}
	}
	return img
}

func clampF(v float64) uint8 { return uint8(max(0, min(255, math.Round(v)))) }

func TestHexRoundTrip(t *testing.T) {
	const s = "f8f8f0cce0f4e84d0e370a22028f67f0b36e2ed596623e1d33e6339c4e9c9b22"
	h, err := ParseHex(s)
	if err != nil {
		t.Fatal(err)
	}
	if h.String() != s {
		t.Fatalf("round trip: %s", h)
	}
	if FromWords(h.Words()) != h {
		t.Fatal("Words/FromWords do not round-trip")
	}
	for _, bad := range []string{"", "00", strings.Repeat("g", 64), s + "00"} {
		if _, err := ParseHex(bad); !errors.Is(err, ErrBadHex) {
			t.Errorf("ParseHex(%q) = %v, want ErrBadHex", bad, err)
		}
	}
}

func TestDistanceAndBits(t *testing.T) {
	var a, b Hash
	if a.Distance(b) != 0 {
		t.Fatal("zero hashes differ")
	}
	for _, k := range []int{0, 1, 15, 16, 127, 255} {
		b.setBit(k)
		if !b.Bit(k) {
			t.Fatalf("bit %d not set", k)
		}
	}
	if d := a.Distance(b); d != 6 {
		t.Fatalf("distance %d, want 6", d)
	}
	// Bit 0 is the last hex digit's low bit, bit 255 the first digit's
	// high bit, as in the reference's word-reversed printing.
	var c Hash
	c.setBit(0)
	c.setBit(255)
	if want := "8" + strings.Repeat("0", 62) + "1"; c.String() != want {
		t.Fatalf("bit layout: %s, want %s", c, want)
	}
}

func TestFlatImageHasNoQuality(t *testing.T) {
	img := image.NewGray(image.Rect(0, 0, 300, 200))
	for i := range img.Pix {
		img.Pix[i] = 128
	}
	if _, q := HashImage(img); q != 0 {
		t.Fatalf("flat image quality %d, want 0", q)
	}
	if _, q := HashImage(synthetic(300, 200, 1, 6)); q < MinQuality {
		t.Fatalf("textured image quality %d, want >= %d", q, MinQuality)
	}
}

// TestDihedralMatchesPixels checks each coefficient-domain variant against
// hashing the image actually transformed (Orient), on square and
// non-square images.
//
// The sizes give odd box-filter windows (3): an even window is one pixel
// off centre, so mirroring a small image shifts its blurred content by a
// pixel or two, and its high-frequency bits with it. That is a property of
// PDQ, not of the transforms; the reference photos test the even case at a
// realistic size.
func TestDihedralMatchesPixels(t *testing.T) {
	for _, size := range []image.Point{{300, 300}, {330, 270}} {
		img := synthetic(size.X, size.Y, 7, 0)
		// No noise here: the transformed image's decimation samples other
		// pixels, and independent per-pixel noise would then differ.
		variants, _ := HashDihedral(img)
		for o := OrientNormal; o <= OrientRotate270; o++ {
			d := o.dihedral()
			direct, _ := HashImage(Orient(img, o))
			dist := direct.Distance(variants[d])
			t.Logf("%v orientation %d (%s): distance %d", size, o, d, dist)
			if dist > 4 {
				t.Errorf("%v %s: coefficient variant is %d bits from the transformed image's hash", size, d, dist)
			}
			for other := range variants {
				if Dihedral(other) != d && direct.Distance(variants[other]) <= dist {
					t.Errorf("%v %s: variant %s is as near", size, d, Dihedral(other))
				}
			}
		}
	}
}

// TestBoxFilter compares the running-sum filter with the definition: the
// mean over the window clipped to the vector.
func TestBoxFilter(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	for _, n := range []int{1, 2, 3, 7, 64, 129} {
		for _, w := range []int{1, 2, 3, 4, 7, 8} {
			if w > n {
				continue
			}
			in := make([]float32, n)
			for i := range in {
				in[i] = float32(r.IntN(256))
			}
			out := make([]float32, n)
			after := (w+2)/2 - 1
			before := w - 1 - after
			box1D(in, out, before, after)
			spans := make([]float32, n)
			for lo := 0; lo < n; {
				hi := min(n, lo+1+r.IntN(5))
				boxSpan(in, spans, lo, hi, before, after)
				lo = hi
			}
			for o := range n {
				lo, hi := max(0, o-before), min(n-1, o+after)
				var s float64
				for i := lo; i <= hi; i++ {
					s += float64(in[i])
				}
				want := s / float64(hi-lo+1)
				if math.Abs(float64(out[o])-want) > 1e-3 || math.Abs(float64(spans[o])-want) > 1e-3 {
					t.Fatalf("n=%d w=%d o=%d: box1D %v, boxSpan %v, want %v", n, w, o, out[o], spans[o], want)
				}
			}
		}
	}
}

func TestTinyImages(t *testing.T) {
	for _, s := range []image.Point{{1, 1}, {1, 5}, {5, 1}, {3, 3}, {64, 1}} {
		h, q := HashImage(synthetic(s.X, s.Y, 3, 6))
		_ = h
		if q < 0 || q > 100 {
			t.Errorf("%v: quality %d", s, q)
		}
	}
	if _, q := HashImage(image.NewGray(image.Rect(0, 0, 0, 0))); q != 0 {
		t.Errorf("empty image quality %d", q)
	}
}

// TestFusedBlur compares the fused, sample-only blur of coefficients with
// the straightforward one: filter the whole image along rows, columns,
// rows, columns, then decimate.
func TestFusedBlur(t *testing.T) {
	for _, size := range []image.Point{{1, 1}, {7, 300}, {129, 130}, {640, 383}, {1000, 257}} {
		img := synthetic(size.X, size.Y, 9, 6)
		rows, cols := size.Y, size.X
		buf := make([]float32, rows*cols)
		for y := range rows {
			lumaRow(img, y, buf[y*cols:(y+1)*cols])
		}
		bc, ac := split((cols + 127) / 128)
		br, ar := split((rows + 127) / 128)
		tmp := make([]float32, max(rows, cols))
		col := make([]float32, rows)
		for range 2 {
			for y := range rows {
				r := buf[y*cols : (y+1)*cols]
				box1D(r, tmp, bc, ac)
				copy(r, tmp)
			}
			for x := range cols {
				for y := range rows {
					col[y] = buf[y*cols+x]
				}
				box1D(col, tmp, br, ar)
				for y := range rows {
					buf[y*cols+x] = tmp[y]
				}
			}
		}
		var small [bufDim * bufDim]float32
		for i := range bufDim {
			for j := range bufDim {
				small[i*bufDim+j] = buf[int((float64(i)+0.5)*float64(rows)/64)*cols+int((float64(j)+0.5)*float64(cols)/64)]
			}
		}
		var want, got [dctDim * dctDim]float32
		dct(&small, &want)
		coefficients(img, &got)
		for k := range want {
			if math.Abs(float64(got[k]-want[k])) > 1e-3*(1+math.Abs(float64(want[k]))) {
				t.Fatalf("%v: coefficient %d is %v, want %v", size, k, got[k], want[k])
			}
		}
	}
}

// TestConcurrentHash shares the pooled buffers between goroutines hashing
// images of different sizes; each must get its sequential result.
func TestConcurrentHash(t *testing.T) {
	imgs := []image.Image{synthetic(200, 150, 1, 3), synthetic(97, 300, 2, 3), synthetic(640, 64, 3, 3)}
	want := make([]Hash, len(imgs))
	for i, img := range imgs {
		want[i], _ = HashImage(img)
	}
	var wg sync.WaitGroup
	for g := range 6 {
		wg.Go(func() {
			for k := range 20 {
				i := (g + k) % len(imgs)
				if h, _ := HashImage(imgs[i]); h != want[i] {
					t.Errorf("image %d: concurrent hash differs", i)
				}
			}
		})
	}
	wg.Wait()
}

// box1D is the whole-vector box filter, written as the reference's
// running sum (growing window, full window, shrinking window),
// independently of boxSpan: the unfused blur that TestFusedBlur compares
// against is built from it.
func box1D(src, dst []float32, before, after int) {
	n := len(src)
	dst = dst[:n]
	var sum float32
	for i := range min(after, n) {
		sum += src[i]
	}
	o := 0
	// Leading edge: the window has not yet reached its left extent.
	for ; o < n && o <= before; o++ {
		if hi := o + after; hi < n {
			sum += src[hi]
		}
		dst[o] = sum / float32(min(n-1, o+after)+1)
	}
	// Interior: full window.
	inv := 1 / float32(before+after+1)
	for ; o+after < n; o++ {
		sum += src[o+after]
		sum -= src[o-before-1]
		dst[o] = sum * inv
	}
	// Trailing edge: the window runs off the right end.
	for ; o < n; o++ {
		if lo := o - before - 1; lo >= 0 {
			sum -= src[lo]
		}
		dst[o] = sum / float32(n-max(0, o-before))
	}
}

// TestYCbCrLuma checks the fast YCbCr path, including sub-images whose
// left edge splits a chroma pair, against Go's own colour conversion.
func TestYCbCrLuma(t *testing.T) {
	src := synthetic(67, 41, 4, 8)
	for _, ratio := range []image.YCbCrSubsampleRatio{image.YCbCrSubsampleRatio444, image.YCbCrSubsampleRatio422, image.YCbCrSubsampleRatio420, image.YCbCrSubsampleRatio440, image.YCbCrSubsampleRatio411, image.YCbCrSubsampleRatio410} {
		full := image.NewYCbCr(src.Bounds(), ratio)
		for y := range 41 {
			for x := range 67 {
				c := src.RGBAAt(x, y)
				yy, cb, cr := color.RGBToYCbCr(c.R, c.G, c.B)
				full.Y[full.YOffset(x, y)] = yy
				full.Cb[full.COffset(x, y)] = cb
				full.Cr[full.COffset(x, y)] = cr
			}
		}
		for _, r := range []image.Rectangle{full.Bounds(), image.Rect(3, 1, 64, 40), image.Rect(4, 2, 5, 3)} {
			sub := full.SubImage(r).(*image.YCbCr)
			rgba := image.NewRGBA(r)
			draw.Draw(rgba, r, sub, r.Min, draw.Src)
			got := make([]float32, r.Dx())
			goLuma := make([]float32, r.Dx())
			for y := r.Min.Y; y < r.Max.Y; y++ {
				lumaRow(sub, y, got)
				lumaRow(rgba, y, goLuma)
				for i := range got {
					// Exactly the per-pixel conversion with the image
					// package's own chroma addressing...
					x := r.Min.X + i
					c := sub.COffset(x, y)
					if want := refLuma(sub.Y[sub.YOffset(x, y)], sub.Cb[c], sub.Cr[c]); got[i] != want {
						t.Fatalf("%v %v: luma at (%d,%d) is %v, want %v", ratio, r, x, y, got[i], want)
					}
					// ...and within a level of Go's RGB conversion, which
					// rounds differently.
					if math.Abs(float64(got[i]-goLuma[i])) > 1.01 {
						t.Fatalf("%v %v: luma at (%d,%d) is %v, Go's conversion gives %v", ratio, r, x, y, got[i], goLuma[i])
					}
				}
			}
		}
	}
}

// refLuma is the per-pixel conversion lumaRow inlines: JFIF full-range
// YCbCr to 8-bit RGB in 16.16 fixed point, then luma.
func refLuma(y, cb, cr uint8) float32 {
	yy := int32(y)<<16 + 1<<15
	cb1, cr1 := int32(cb)-128, int32(cr)-128
	clamp := func(v int32) int32 { return min(max(v>>16, 0), 255) }
	r, g, b := clamp(yy+91881*cr1), clamp(yy-22554*cb1-46802*cr1), clamp(yy+116130*cb1)
	return float32(lumaR16*r+lumaG16*g+lumaB16*b) * (1.0 / (1 << 16))
}
