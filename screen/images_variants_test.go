package screen

import (
	"image/color"
	"testing"

	"github.com/hallmark-dev/hallmark"
	"github.com/hallmark-dev/hallmark/screen/imagehash"
	"github.com/hallmark-dev/hallmark/screen/imagehash/hindex"
)

func TestAddImageRegistersVariants(t *testing.T) {
	pic := photoLike(7)
	idx := NewBrandImages(hindex.DefaultRadius, imagehash.MinQuality)
	bi, err := idx.AddImage(hallmark.BrandImage{ID: "p1", BrandID: "acme"}, pic)
	if err != nil {
		t.Fatal(err)
	}
	if h, q := imagehash.HashImage(pic); bi.PDQ != h.String() || bi.Quality != q {
		t.Errorf("AddImage recorded %s/%d, want the whole image's hash %s/%d", bi.PDQ, bi.Quality, h, q)
	}
	if idx.Len() != 1 || idx.Hashes() < 10 || idx.Hashes() > VariantsPerImage {
		t.Fatalf("Len %d, Hashes %d (at most %d)", idx.Len(), idx.Hashes(), VariantsPerImage)
	}
	ms := idx.Match(HashListingImage(cropFrac(.10, 0, 0, 0)(pic)))
	if len(ms) != 1 || ms[0].BrandImageID != "p1" || ms[0].Registered != "crop-left-10" || ms[0].Variant != "original+crop-left-10" {
		t.Errorf("cropped copy: %+v", ms)
	}
	ms = idx.Match(HashListingImage(frame(.08, color.White)(mirror(pic))))
	if len(ms) != 1 || ms[0].Variant != "trimmed+flipx" || ms[0].Distance > 16 {
		t.Errorf("framed mirrored copy: %+v", ms)
	}
	// Re-adding replaces, and Remove drops every variant.
	if _, err := idx.AddImage(hallmark.BrandImage{ID: "p1", BrandID: "acme"}, pic); err != nil {
		t.Fatal(err)
	}
	n := idx.Hashes()
	if err := idx.Add(hallmark.BrandImage{ID: "p2", BrandID: "acme", PDQ: bi.PDQ, Quality: bi.Quality}); err != nil {
		t.Fatal(err)
	}
	if idx.Len() != 2 || idx.Hashes() != n+1 {
		t.Errorf("after re-add and Add: Len %d, Hashes %d, want 2, %d", idx.Len(), idx.Hashes(), n+1)
	}
	idx.Remove("acme", "p1")
	if idx.Len() != 1 || idx.Hashes() != 1 {
		t.Errorf("after Remove: Len %d, Hashes %d, want 1, 1", idx.Len(), idx.Hashes())
	}
	if ms := idx.Match(HashListingImage(cropFrac(.10, 0, 0, 0)(pic))); len(ms) != 0 {
		t.Errorf("removed image still matched: %+v", ms)
	}
}

func BenchmarkImageVariants1024(b *testing.B) {
	pic := scaleBy(1024.0 / float64(photoLike(7).Bounds().Dx()))(photoLike(7))
	b.ResetTimer()
	for b.Loop() {
		ImageVariants(pic)
	}
}

func BenchmarkHashListingImage1024(b *testing.B) {
	pic := frame(.08, color.White)(scaleBy(1024.0 / float64(photoLike(7).Bounds().Dx()))(photoLike(7)))
	b.ResetTimer()
	for b.Loop() {
		HashListingImage(pic)
	}
}
