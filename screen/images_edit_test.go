package screen

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/image/draw"
	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"
)

// Edits a seller makes to a stolen photo, and photo-like images to apply
// them to, for the image-matching evaluation.

// refImagesDir returns ../shared/pdq-reference/images next to the module
// root, or skips the test.
func refImagesDir(tb testing.TB) string {
	tb.Helper()
	wd, err := os.Getwd()
	if err != nil {
		tb.Skip("no working directory")
	}
	root := wd
	for {
		if _, err := os.Stat(filepath.Join(root, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(root)
		if parent == root {
			tb.Skipf("pdq-reference not found: no go.mod above %s", wd)
		}
		root = parent
	}
	dir := filepath.Join(root, "..", "shared", "pdq-reference", "images")
	if _, err := os.Stat(dir); err != nil {
		tb.Skipf("pdq-reference images not found at %s: skipping", dir)
	}
	return dir
}

func toRGBA(img image.Image) *image.RGBA {
	b := img.Bounds()
	out := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(out, out.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
	draw.Draw(out, out.Bounds(), img, b.Min, draw.Over)
	return out
}

func clamp8(v float64) uint8 { return uint8(max(0, min(255, math.Round(v)))) }

// photoLike draws a deterministic image with the statistics of a product
// photo: a smooth lit background, soft-edged objects, lines of text-like
// strokes and sensor noise.
func photoLike(seed uint64) *image.RGBA {
	r := rand.New(rand.NewPCG(seed, seed*0x9e3779b97f4a7c15+1))
	w, h := 280+r.IntN(240), 220+r.IntN(200)
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	type wave struct{ fx, fy, ph, amp float64 }
	var bg [3][3]wave
	var base [3]float64
	for c := range bg {
		base[c] = 60 + 140*r.Float64()
		for k := range bg[c] {
			bg[c][k] = wave{(0.3 + 2.5*r.Float64()) * 2 * math.Pi / float64(w), (0.3 + 2.5*r.Float64()) * 2 * math.Pi / float64(h),
				2 * math.Pi * r.Float64(), 15 + 35*r.Float64()}
		}
	}
	type shape struct {
		kind           int
		cx, cy, rx, ry float64
		col, col2      [3]float64
		soft           float64
	}
	shapes := make([]shape, 4+r.IntN(10))
	for i := range shapes {
		s := &shapes[i]
		s.kind = r.IntN(3)
		s.cx, s.cy = float64(w)*r.Float64(), float64(h)*r.Float64()
		s.rx, s.ry = float64(w)*(0.05+0.3*r.Float64()), float64(h)*(0.05+0.3*r.Float64())
		for c := range 3 {
			s.col[c], s.col2[c] = 255*r.Float64(), 255*r.Float64()
		}
		s.soft = 0.5 + 4*r.Float64()
	}
	// Text-like strokes: a block of short dark bars in rows.
	type bar struct{ x0, x1, y0, y1 int }
	var bars []bar
	for range r.IntN(3) {
		bx, by := r.IntN(w*2/3), r.IntN(h*2/3)
		lh := 4 + r.IntN(8)
		for line := range 2 + r.IntN(4) {
			x := bx
			y := by + line*lh*2
			for range 3 + r.IntN(8) {
				ww := lh/2 + r.IntN(lh*2)
				bars = append(bars, bar{x, min(w, x+ww), y, min(h, y+lh)})
				x += ww + lh/2
			}
		}
	}
	textCol := 255 * float64(r.IntN(2))
	noise := 2 + 6*r.Float64()
	for y := range h {
		for x := range w {
			var px [3]float64
			for c := range 3 {
				v := base[c]
				for _, wv := range bg[c] {
					v += wv.amp * math.Cos(wv.fx*float64(x)+wv.fy*float64(y)+wv.ph)
				}
				px[c] = v
			}
			for _, s := range shapes {
				dx, dy := (float64(x)-s.cx)/s.rx, (float64(y)-s.cy)/s.ry
				var d float64 // signed distance-ish, in pixels, negative inside
				switch s.kind {
				case 0:
					d = (math.Hypot(dx, dy) - 1) * math.Min(s.rx, s.ry)
				case 1:
					d = (math.Max(math.Abs(dx), math.Abs(dy)) - 1) * math.Min(s.rx, s.ry)
				default:
					d = (math.Abs(dx) + math.Abs(dy) - 1) * math.Min(s.rx, s.ry)
				}
				a := 1 / (1 + math.Exp(d/s.soft))
				if a < 1e-3 {
					continue
				}
				t := (dy + 1) / 2
				for c := range 3 {
					fill := s.col[c]*(1-t) + s.col2[c]*t
					px[c] = px[c]*(1-a) + fill*a
				}
			}
			o := img.PixOffset(x, y)
			n := r.NormFloat64() * noise
			for c := range 3 {
				img.Pix[o+c] = clamp8(px[c] + n)
			}
			img.Pix[o+3] = 255
		}
	}
	for _, b := range bars {
		for y := b.y0; y < b.y1; y++ {
			for x := b.x0; x < b.x1; x++ {
				o := img.PixOffset(x, y)
				for c := range 3 {
					img.Pix[o+c] = clamp8(textCol*0.9 + r.NormFloat64()*noise)
				}
			}
		}
	}
	return img
}

// An edit is one change a seller makes to a stolen photo.
type edit struct {
	name  string
	apply func(*image.RGBA) *image.RGBA
	// extra marks edits beyond the acceptance's list (crops of other
	// sizes, a hue rotation no editor makes, combinations): reported, not
	// held to the target.
	extra bool
}

func jpegAt(q int) func(*image.RGBA) *image.RGBA {
	return func(m *image.RGBA) *image.RGBA {
		var buf bytes.Buffer
		if err := jpeg.Encode(&buf, m, &jpeg.Options{Quality: q}); err != nil {
			panic(err)
		}
		out, err := jpeg.Decode(&buf)
		if err != nil {
			panic(err)
		}
		return toRGBA(out)
	}
}

func scaleBy(f float64) func(*image.RGBA) *image.RGBA {
	return func(m *image.RGBA) *image.RGBA {
		b := m.Bounds()
		out := image.NewRGBA(image.Rect(0, 0, max(1, int(float64(b.Dx())*f+0.5)), max(1, int(float64(b.Dy())*f+0.5))))
		draw.CatmullRom.Scale(out, out.Bounds(), m, b, draw.Src, nil)
		return out
	}
}

// cropFrac removes fractions of the width or height from each side.
func cropFrac(l, t, r, b float64) func(*image.RGBA) *image.RGBA {
	return func(m *image.RGBA) *image.RGBA {
		bd := m.Bounds()
		w, h := float64(bd.Dx()), float64(bd.Dy())
		rect := image.Rect(int(l*w+0.5), int(t*h+0.5), bd.Dx()-int(r*w+0.5), bd.Dy()-int(b*h+0.5))
		return toRGBA(m.SubImage(rect))
	}
}

func frame(frac float64, c color.Color) func(*image.RGBA) *image.RGBA {
	return func(m *image.RGBA) *image.RGBA {
		b := m.Bounds()
		px, py := int(frac*float64(b.Dx())+0.5), int(frac*float64(b.Dy())+0.5)
		out := image.NewRGBA(image.Rect(0, 0, b.Dx()+2*px, b.Dy()+2*py))
		draw.Draw(out, out.Bounds(), image.NewUniform(c), image.Point{}, draw.Src)
		draw.Draw(out, b.Add(image.Pt(px, py)), m, b.Min, draw.Src)
		return out
	}
}

func mirror(m *image.RGBA) *image.RGBA {
	b := m.Bounds()
	out := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	for y := range b.Dy() {
		for x := range b.Dx() {
			copy(out.Pix[out.PixOffset(b.Dx()-1-x, y):][:4], m.Pix[m.PixOffset(x, y):][:4])
		}
	}
	return out
}

// perPixel applies f to every pixel's RGB (0..255 floats).
func perPixel(f func(r, g, b float64) (float64, float64, float64)) func(*image.RGBA) *image.RGBA {
	return func(m *image.RGBA) *image.RGBA {
		out := image.NewRGBA(m.Bounds())
		for i := 0; i+3 < len(m.Pix); i += 4 {
			r, g, b := f(float64(m.Pix[i]), float64(m.Pix[i+1]), float64(m.Pix[i+2]))
			out.Pix[i], out.Pix[i+1], out.Pix[i+2], out.Pix[i+3] = clamp8(r), clamp8(g), clamp8(b), 255
		}
		return out
	}
}

// hueRotate turns colours about the grey axis by deg degrees.
func hueRotate(deg float64) func(*image.RGBA) *image.RGBA {
	c, s := math.Cos(deg*math.Pi/180), math.Sin(deg*math.Pi/180)
	k := 1 / math.Sqrt(3)
	return perPixel(func(r, g, b float64) (float64, float64, float64) {
		// Rodrigues' rotation about the grey axis (1,1,1)/sqrt(3).
		dot := (r + g + b) / 3 * (1 - c)
		cr := [3]float64{k * (b - g), k * (r - b), k * (g - r)}
		return r*c + cr[0]*s + dot, g*c + cr[1]*s + dot, b*c + cr[2]*s + dot
	})
}

// hueHSV shifts the hue of every pixel by deg degrees in HSV, as image
// editors do: each pixel keeps its largest and smallest channel.
func hueHSV(deg float64) func(*image.RGBA) *image.RGBA {
	return perPixel(func(r, g, b float64) (float64, float64, float64) {
		mx, mn := max(r, g, b), min(r, g, b)
		if mx == mn {
			return r, g, b
		}
		var h float64
		switch mx {
		case r:
			h = math.Mod((g-b)/(mx-mn), 6)
		case g:
			h = (b-r)/(mx-mn) + 2
		default:
			h = (r-g)/(mx-mn) + 4
		}
		h = math.Mod(h+deg/60+12, 6)
		c := mx - mn
		x := c * (1 - math.Abs(math.Mod(h, 2)-1))
		var rr, gg, bb float64
		switch int(h) {
		case 0:
			rr, gg, bb = c, x, 0
		case 1:
			rr, gg, bb = x, c, 0
		case 2:
			rr, gg, bb = 0, c, x
		case 3:
			rr, gg, bb = 0, x, c
		case 4:
			rr, gg, bb = x, 0, c
		default:
			rr, gg, bb = c, 0, x
		}
		return rr + mn, gg + mn, bb + mn
	})
}

func saturate(f float64) func(*image.RGBA) *image.RGBA {
	return perPixel(func(r, g, b float64) (float64, float64, float64) {
		l := 0.299*r + 0.587*g + 0.114*b
		return l + (r-l)*f, l + (g-l)*f, l + (b-l)*f
	})
}

func brightContrast(add, mul float64) func(*image.RGBA) *image.RGBA {
	return perPixel(func(r, g, b float64) (float64, float64, float64) {
		t := func(v float64) float64 { return (v-128)*mul + 128 + add }
		return t(r), t(g), t(b)
	})
}

// watermark writes semi-transparent text: in the bottom-right corner
// (about a third of the width) or across the middle (most of it).
func watermark(text string, middle bool, alpha float64) func(*image.RGBA) *image.RGBA {
	return func(m *image.RGBA) *image.RGBA {
		face := basicfont.Face7x13
		adv := font.MeasureString(face, text).Ceil()
		small := image.NewAlpha(image.Rect(0, 0, adv, 13))
		d := font.Drawer{Dst: small, Src: image.Opaque, Face: face, Dot: fixed.P(0, 11)}
		d.DrawString(text)
		b := m.Bounds()
		tw := b.Dx() / 3
		if middle {
			tw = b.Dx() * 4 / 5
		}
		th := max(1, tw*13/adv)
		var at image.Point
		if middle {
			at = image.Pt(b.Dx()/10, (b.Dy()-th)/2)
		} else {
			at = image.Pt(b.Dx()-tw-b.Dx()/30, b.Dy()-th-b.Dy()/30)
		}
		mask := image.NewAlpha(image.Rect(0, 0, tw, th))
		draw.BiLinear.Scale(mask, mask.Bounds(), small, small.Bounds(), draw.Src, nil)
		for i, v := range mask.Pix {
			mask.Pix[i] = uint8(float64(v) * alpha)
		}
		out := image.NewRGBA(b)
		copy(out.Pix, m.Pix)
		draw.DrawMask(out, mask.Bounds().Add(at), image.NewUniform(color.White), image.Point{}, mask, image.Point{}, draw.Over)
		return out
	}
}

func chain(fs ...func(*image.RGBA) *image.RGBA) func(*image.RGBA) *image.RGBA {
	return func(m *image.RGBA) *image.RGBA {
		for _, f := range fs {
			m = f(m)
		}
		return m
	}
}

// edits are the acceptance's edits, plus crops of other sizes than those
// registered and a few combinations, to see that the registered crops
// generalize.
var edits = []edit{
	{"jpeg-q10", jpegAt(10), false},
	{"jpeg-q20", jpegAt(20), false},
	{"down-50", scaleBy(0.5), false},
	{"down-25", scaleBy(0.25), false},
	{"up-150", scaleBy(1.5), false},
	{"crop-center-90", cropFrac(.05, .05, .05, .05), false},
	{"crop-center-80", cropFrac(.10, .10, .10, .10), false},
	{"crop-center-86", cropFrac(.07, .07, .07, .07), true},
	{"crop-left-10", cropFrac(.10, 0, 0, 0), false},
	{"crop-bottom-10", cropFrac(0, 0, 0, .10), false},
	{"crop-right-7", cropFrac(0, 0, .07, 0), true},
	{"crop-topleft-10", cropFrac(.10, .10, 0, 0), false},
	{"crop-bottomright-12", cropFrac(0, 0, .12, .12), true},
	{"wm-corner", watermark("(c) SHOPMART", false, 0.6), false},
	{"wm-middle", watermark("BEST PRICE", true, 0.45), false},
	{"mirror", mirror, false},
	{"hue-hsv-60", hueHSV(60), false},
	{"hue-hsv-180", hueHSV(180), false},
	{"hue-rotate-90", hueRotate(90), true},
	{"sat-up", saturate(1.7), false},
	{"sat-down", saturate(0.3), false},
	{"bright-contrast", brightContrast(30, 1.3), false},
	{"dark-lowcontrast", brightContrast(-35, 0.7), false},
	{"grayscale", saturate(0), false},
	{"frame-white-5", frame(.05, color.White), false},
	{"frame-white-10", frame(.10, color.White), false},
	{"frame-black-7", frame(.07, color.Black), false},
	{"mirror+crop-left-10", chain(mirror, cropFrac(.10, 0, 0, 0)), true},
	{"frame-white-8+jpeg-q20", chain(frame(.08, color.White), jpegAt(20)), true},
	{"down-50+jpeg-q20", chain(scaleBy(0.5), jpegAt(20)), true},
	{"wm-corner+sat-up", chain(watermark("(c) SHOPMART", false, 0.6), saturate(1.5)), true},
	{"crop-center-90+down-50", chain(cropFrac(.05, .05, .05, .05), scaleBy(0.5)), true},
}
