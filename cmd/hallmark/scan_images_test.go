package main

import (
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"image/png"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hallmark-dev/hallmark"
)

// photo draws a deterministic photo-like image: a smooth lit background,
// soft-edged objects and noise.
func photo(seed uint64, w, h int) *image.RGBA {
	r := rand.New(rand.NewPCG(seed, 7))
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	var fx, fy, ph, base [3]float64
	for c := range 3 {
		fx[c], fy[c] = (0.5+2*r.Float64())*2*math.Pi/float64(w), (0.5+2*r.Float64())*2*math.Pi/float64(h)
		ph[c], base[c] = 2*math.Pi*r.Float64(), 60+130*r.Float64()
	}
	blobs := make([]struct {
		cx, cy, rx, ry float64
		col            [3]float64
	}, 8)
	for i := range blobs {
		b := &blobs[i]
		b.cx, b.cy = float64(w)*r.Float64(), float64(h)*r.Float64()
		b.rx, b.ry = float64(w)*(0.05+0.25*r.Float64()), float64(h)*(0.05+0.25*r.Float64())
		for c := range 3 {
			b.col[c] = 255 * r.Float64()
		}
	}
	for y := range h {
		for x := range w {
			var px [3]float64
			for c := range 3 {
				px[c] = base[c] + 50*math.Cos(fx[c]*float64(x)+fy[c]*float64(y)+ph[c])
			}
			for _, b := range blobs {
				d := math.Hypot((float64(x)-b.cx)/b.rx, (float64(y)-b.cy)/b.ry) - 1
				a := 1 / (1 + math.Exp(d*20))
				for c := range 3 {
					px[c] = px[c]*(1-a) + b.col[c]*a
				}
			}
			o := img.PixOffset(x, y)
			n := 4 * r.NormFloat64()
			for c := range 3 {
				img.Pix[o+c] = uint8(max(0, min(255, px[c]+n)))
			}
			img.Pix[o+3] = 255
		}
	}
	return img
}

func writeImage(t *testing.T, dir, name string, img image.Image) {
	t.Helper()
	f, err := os.Create(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if strings.HasSuffix(name, ".png") {
		err = png.Encode(f, img)
	} else {
		err = jpeg.Encode(f, img, &jpeg.Options{Quality: 25})
	}
	if err != nil {
		t.Fatal(err)
	}
}

func cropSide(img *image.RGBA, left, top, right, bottom float64) image.Image {
	b := img.Bounds()
	w, h := float64(b.Dx()), float64(b.Dy())
	return img.SubImage(image.Rect(int(left*w), int(top*h), b.Dx()-int(right*w), b.Dy()-int(bottom*h)))
}

func whiteFrame(img image.Image, frac float64) image.Image {
	b := img.Bounds()
	px, py := int(frac*float64(b.Dx())), int(frac*float64(b.Dy()))
	out := image.NewRGBA(image.Rect(0, 0, b.Dx()+2*px, b.Dy()+2*py))
	draw.Draw(out, out.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
	draw.Draw(out, b.Sub(b.Min).Add(image.Pt(px, py)), img, b.Min, draw.Src)
	return out
}

func mirrored(img *image.RGBA) image.Image {
	b := img.Bounds()
	out := image.NewRGBA(b)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			out.Set(b.Max.X-1-(x-b.Min.X), y, img.At(x, y))
		}
	}
	return out
}

// TestScanMatchesEditedBrandPhotos registers generated brand photos and
// lists edited copies of them (cropped, framed, mirrored and re-encoded)
// next to unrelated photos: the copies are held or blocked with a reason
// naming both images and the distance, the unrelated ones pass.
func TestScanMatchesEditedBrandPhotos(t *testing.T) {
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "brand"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "seller"), 0o755); err != nil {
		t.Fatal(err)
	}
	genuine := []*image.RGBA{photo(1, 480, 360), photo(2, 400, 400), photo(3, 360, 480)}
	for i, g := range genuine {
		writeImage(t, filepath.Join(dir, "brand"), fmt.Sprintf("genuine-%d.png", i), g)
	}
	reg := writeFile(t, dir, "registry.json", `{"brands":[{"id":"acme","name":"Acme","terms":["Acme"],"category":"bags",
"images":["brand/genuine-0.png","brand/genuine-1.png","brand/genuine-2.png"]}]}`)

	type listing struct {
		file   string
		img    image.Image
		stolen string // the protected image it copies, "" for unrelated
	}
	listings := []listing{
		{"crop-left.jpg", cropSide(genuine[0], .10, 0, 0, 0), "genuine-0.png"},
		{"framed.jpg", whiteFrame(genuine[1], .08), "genuine-1.png"},
		{"mirrored.jpg", mirrored(genuine[2]), "genuine-2.png"},
		{"center-crop.jpg", cropSide(genuine[1], .05, .05, .05, .05), "genuine-1.png"},
		{"same.jpg", genuine[0], "genuine-0.png"},
		{"other-1.jpg", photo(101, 480, 360), ""},
		{"other-2.jpg", whiteFrame(photo(102, 400, 300), .08), ""},
		{"other-3.jpg", photo(103, 300, 420), ""},
	}
	var lines strings.Builder
	for i, l := range listings {
		writeImage(t, filepath.Join(dir, "seller"), l.file, l.img)
		fmt.Fprintf(&lines, `{"id":"%d","seller_id":"s","title":"Leather tote bag","price":40,"currency":"USD","images":["seller/%s"]}`+"\n", i, l.file)
	}
	in := writeFile(t, dir, "listings.jsonl", lines.String())
	out := filepath.Join(dir, "decisions.jsonl")
	if _, stderr, err := runCLI(t, "scan", "--registry", reg, "--in", in, "--out", out, "--quiet"); err != nil {
		t.Fatalf("scan: %v\n%s", err, stderr)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	decisions := map[string]hallmark.Decision{}
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		var d hallmark.Decision
		if err := json.Unmarshal([]byte(line), &d); err != nil {
			t.Fatal(err)
		}
		decisions[d.ListingID] = d
	}
	distance := regexp.MustCompile(`at distance (\d+)`)
	for i, l := range listings {
		d, ok := decisions[fmt.Sprint(i)]
		if !ok {
			t.Fatalf("no decision for %s", l.file)
		}
		if l.stolen == "" {
			if d.Action != hallmark.Allow {
				t.Errorf("%s (unrelated): %s, want allow: %+v", l.file, d.Action, d.Reasons)
			}
			continue
		}
		if d.Action != hallmark.Block && d.Action != hallmark.Review {
			t.Errorf("%s (copy of %s): %s, want block or review", l.file, l.stolen, d.Action)
			continue
		}
		found := false
		for _, r := range d.Reasons {
			for _, s := range r.Signals {
				if s.Detector != hallmark.DetectorImage {
					continue
				}
				if strings.Contains(s.Detail, "seller/"+l.file) && strings.Contains(s.Detail, l.stolen) && distance.MatchString(s.Detail) {
					found = true
					t.Logf("%s: %s by %s: %s", l.file, d.Action, r.Rule, s.Detail)
				}
			}
		}
		if !found {
			t.Errorf("%s: %s without an image reason naming seller/%s, %s and the distance: %+v", l.file, d.Action, l.file, l.stolen, d.Reasons)
		}
	}
}
