package screen

import (
	"image"
	"image/draw"

	"github.com/hallmark-dev/hallmark/screen/imagehash"
)

// PDQ tolerates re-encoding, scaling, colour changes and mirroring, but not
// geometry that moves the picture within the canvas: a crop of a tenth or a
// frame around the photo moves a copy 30 to 60 bits away. Both sides of a
// match make up for that. A protected image is registered with the hashes
// of the crops a thief is likely to make (ImageVariants), so a cropped copy
// lands near one of them; a listing image is hashed with and without any
// plain frame around it (HashListingImage).

// ImageVariant is one hash under which a protected image is indexed.
type ImageVariant struct {
	Name    string // "original", "trimmed", "crop-left-10", ...
	Hash    imagehash.Hash
	Quality int
}

// cropSpec removes fractions of the width or height from each side.
type cropSpec struct {
	name                     string
	left, top, right, bottom float64
}

// registerCrops are the crops registered for every protected image: the
// centre at 95% down to 80% of each side, a twentieth and a tenth off each
// side, and a tenth off each corner. PDQ moves about ten bits per percent
// of crop, so a crop between two of these lands near the closer one.
var registerCrops = []cropSpec{
	{"crop-center-95", .025, .025, .025, .025},
	{"crop-center-90", .05, .05, .05, .05},
	{"crop-center-85", .075, .075, .075, .075},
	{"crop-center-80", .10, .10, .10, .10},
	{"crop-left-5", .05, 0, 0, 0},
	{"crop-right-5", 0, 0, .05, 0},
	{"crop-top-5", 0, .05, 0, 0},
	{"crop-bottom-5", 0, 0, 0, .05},
	{"crop-left-10", .10, 0, 0, 0},
	{"crop-right-10", 0, 0, .10, 0},
	{"crop-top-10", 0, .10, 0, 0},
	{"crop-bottom-10", 0, 0, 0, .10},
	{"crop-topleft-10", .10, .10, 0, 0},
	{"crop-topright-10", 0, .10, .10, 0},
	{"crop-bottomleft-10", .10, 0, 0, .10},
	{"crop-bottomright-10", 0, 0, .10, .10},
}

// VariantsPerImage is the most hashes ImageVariants returns for one image.
var VariantsPerImage = 3 + len(registerCrops)

type subImager interface {
	image.Image
	SubImage(r image.Rectangle) image.Image
}

// croppable returns img as an image that can be cropped without copying,
// copying it once when its type cannot (an EXIF-rotated view, say).
func croppable(img image.Image) subImager {
	if s, ok := img.(subImager); ok {
		return s
	}
	b := img.Bounds()
	out := image.NewNRGBA(b)
	draw.Draw(out, b, img, b.Min, draw.Src)
	return out
}

// ImageVariants hashes a protected image as registered: the image itself
// (always first), the image without a plain frame when it has one, its
// lightness (for hue-shifted copies) and its likely crops. Variants of quality below imagehash.MinQuality are
// dropped, except the original, whose quality the caller records.
func ImageVariants(img image.Image) []ImageVariant {
	h, q := imagehash.HashImage(img)
	out := []ImageVariant{{Name: "original", Hash: h, Quality: q}}
	sub := croppable(img)
	add := func(name string, r image.Rectangle) {
		if r.Dx() < 8 || r.Dy() < 8 {
			return
		}
		h, q := imagehash.HashImage(sub.SubImage(r))
		if q < imagehash.MinQuality {
			return
		}
		for _, v := range out {
			if v.Hash.Distance(h) == 0 {
				return
			}
		}
		out = append(out, ImageVariant{Name: name, Hash: h, Quality: q})
	}
	if r, ok := imagehash.FrameBounds(img); ok {
		add("trimmed", r)
	}
	if lh, lq := imagehash.HashImage(imagehash.Lightness(img)); lq >= imagehash.MinQuality {
		out = append(out, ImageVariant{Name: "lightness", Hash: lh, Quality: lq})
	}
	b := img.Bounds()
	w, ht := float64(b.Dx()), float64(b.Dy())
	for _, c := range registerCrops {
		add(c.name, image.Rect(
			b.Min.X+int(c.left*w+0.5), b.Min.Y+int(c.top*ht+0.5),
			b.Max.X-int(c.right*w+0.5), b.Max.Y-int(c.bottom*ht+0.5)))
	}
	return out
}

// ListingAlternate is a further reading of a listing image, hashed in all
// eight rotations and flips like the image itself.
type ListingAlternate struct {
	Name     string // "trimmed"
	Variants [8]imagehash.Hash
	Quality  int
}

// HashListingImage hashes a listing image for Match: all eight rotations
// and flips, and the same again for the image without a plain frame (a
// border of near-uniform colour) when it has one and for its lightness,
// which a hue shift leaves alone (imagehash.Lightness).
func HashListingImage(img image.Image) ListingImage {
	v, q := imagehash.HashDihedral(img)
	li := ListingImage{Variants: v, Quality: q}
	if r, ok := imagehash.FrameBounds(img); ok {
		tv, tq := imagehash.HashDihedral(croppable(img).SubImage(r))
		li.Alternates = append(li.Alternates, ListingAlternate{Name: "trimmed", Variants: tv, Quality: tq})
	}
	lv, lq := imagehash.HashDihedral(imagehash.Lightness(img))
	li.Alternates = append(li.Alternates, ListingAlternate{Name: "lightness", Variants: lv, Quality: lq})
	return li
}
