package imagehash

import (
	"image"
	"image/color"
	"image/draw"
	"testing"
)

func TestFrameBounds(t *testing.T) {
	pic := synthetic(200, 150, 3, 4)
	for _, c := range []struct {
		name string
		pad  int
		col  color.Color
	}{{"white", 16, color.White}, {"black", 9, color.Black}, {"grey", 30, color.Gray{128}}} {
		framed := image.NewRGBA(image.Rect(0, 0, 200+2*c.pad, 150+2*c.pad))
		draw.Draw(framed, framed.Bounds(), image.NewUniform(c.col), image.Point{}, draw.Src)
		draw.Draw(framed, pic.Bounds().Add(image.Pt(c.pad, c.pad)), pic, image.Point{}, draw.Src)
		r, ok := FrameBounds(framed)
		want := pic.Bounds().Add(image.Pt(c.pad, c.pad))
		// The frame goes, and at most trimRing pixels of the picture
		// where it resembles the frame (taken for ringing).
		if !ok || r.Min.X < want.Min.X || r.Min.Y < want.Min.Y || r.Max.X > want.Max.X || r.Max.Y > want.Max.Y ||
			r.Dx() < want.Dx()-2*trimRing || r.Dy() < want.Dy()-2*trimRing {
			t.Errorf("%s frame: got %v %v, want about %v", c.name, r, ok, want)
		}
	}
	if r, ok := FrameBounds(pic); ok {
		t.Errorf("unframed picture trimmed to %v", r)
	}
	flat := image.NewGray(image.Rect(0, 0, 64, 64))
	if _, ok := FrameBounds(flat); ok {
		t.Error("a flat image was trimmed")
	}
}

func TestLightnessIgnoresHue(t *testing.T) {
	pic := synthetic(160, 120, 5, 2)
	// Swap red and blue: a hue shift that keeps max and min.
	swapped := image.NewRGBA(pic.Bounds())
	for i := 0; i < len(pic.Pix); i += 4 {
		swapped.Pix[i], swapped.Pix[i+1], swapped.Pix[i+2], swapped.Pix[i+3] = pic.Pix[i+2], pic.Pix[i+1], pic.Pix[i], 255
	}
	a, _ := HashImage(Lightness(pic))
	b, _ := HashImage(Lightness(swapped))
	if d := a.Distance(b); d != 0 {
		t.Errorf("lightness hashes %d apart after swapping red and blue", d)
	}
}
