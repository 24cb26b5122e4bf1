package screen

import (
	"fmt"
	"image"
	"sync"

	"github.com/hallmark-dev/hallmark"
	"github.com/hallmark-dev/hallmark/screen/imagehash"
	"github.com/hallmark-dev/hallmark/screen/imagehash/hindex"
)

// ListingImage is one image of a listing, hashed by the caller in all eight
// rotations and flips, so a mirrored or rotated stolen photo still matches.
// HashListingImage fills it in from the pixels.
type ListingImage struct {
	Ref      string // the path, URL or upload id the listing gave
	Variants [8]imagehash.Hash
	Quality  int
	// Alternates are other readings of the same image, such as the image
	// with a plain frame trimmed; a match on any of them counts.
	Alternates []ListingAlternate
}

// ImageMatch is a listing image found near a brand's protected image.
type ImageMatch struct {
	BrandID      string
	BrandImageID string
	ListingImage string
	Distance     int
	// Variant says how the two were aligned: the rotation or flip of the
	// listing image, prefixed "trimmed+" when its frame was trimmed, and
	// suffixed with the registered variant ("+crop-left-10") when the
	// listing matched a crop of the protected image rather than all of it.
	Variant string
	// Registered is the protected image's variant that matched
	// ("original", "trimmed", "crop-left-10", ...).
	Registered string
}

// ImageIndex finds protected images near a listing image.
type ImageIndex interface {
	Match(img ListingImage) []ImageMatch
}

// BrandImages indexes the protected images of every brand. Add and Remove
// change it in place as brands register or withdraw photos. Each protected
// image may be indexed under several hashes (its variants); a match on any
// of them is a match on the image.
type BrandImages struct {
	mu     sync.RWMutex
	idx    *hindex.Index
	next   uint64
	images map[uint64]*protected // by image number
	byHash map[uint64]hashRef    // index id -> image and variant
	byName map[string]uint64     // brand id + "/" + image id -> image number
}

type protected struct {
	img    hallmark.BrandImage
	hashes []uint64 // index ids of its variants
}

type hashRef struct {
	image   uint64
	variant string
}

// NewBrandImages returns an empty index matching within radius (PDQ's
// reference threshold is 31) and ignoring hashes of quality below minQuality.
func NewBrandImages(radius, minQuality int) *BrandImages {
	idx := hindex.New(radius)
	idx.SetMinQuality(minQuality)
	return &BrandImages{idx: idx, images: map[uint64]*protected{}, byHash: map[uint64]hashRef{}, byName: map[string]uint64{}}
}

// Add indexes a protected image by its recorded hashes (img.PDQ and any
// img.Variants); it replaces an image of the same brand and id.
func (b *BrandImages) Add(img hallmark.BrandImage) error {
	h, err := imagehash.ParseHex(img.PDQ)
	if err != nil {
		return fmt.Errorf("brand %s image %s: %w", img.BrandID, img.ID, err)
	}
	vs := []ImageVariant{{Name: "original", Hash: h, Quality: img.Quality}}
	for _, v := range img.Variants {
		vh, err := imagehash.ParseHex(v.PDQ)
		if err != nil {
			return fmt.Errorf("brand %s image %s variant %s: %w", img.BrandID, img.ID, v.Name, err)
		}
		vs = append(vs, ImageVariant{Name: v.Name, Hash: vh, Quality: v.Quality})
	}
	return b.AddVariants(img, vs)
}

// RecordVariants returns a copy of img whose PDQ, Quality and Variants hold
// the hashes of vs (the first must be the original), so that a store can keep
// them and Add can index them again without the picture.
func RecordVariants(img hallmark.BrandImage, vs []ImageVariant) hallmark.BrandImage {
	img.Variants = nil
	for i, v := range vs {
		if i == 0 {
			img.PDQ, img.Quality = v.Hash.String(), v.Quality
			continue
		}
		if len(img.Variants) == hallmark.MaxImageVariants {
			break
		}
		img.Variants = append(img.Variants, hallmark.ImageHash{Name: v.Name, PDQ: v.Hash.String(), Quality: v.Quality})
	}
	return img
}

// AddImage hashes a protected image's pixels with ImageVariants and
// indexes it under all of them. It returns img with PDQ and Quality set to
// the hash of the whole image, as a store records it.
func (b *BrandImages) AddImage(img hallmark.BrandImage, pic image.Image) (hallmark.BrandImage, error) {
	vs := ImageVariants(pic)
	img.PDQ, img.Quality = vs[0].Hash.String(), vs[0].Quality
	return img, b.AddVariants(img, vs)
}

// AddVariants indexes a protected image under the given hashes (for
// example ImageVariants computed earlier); it replaces an image of the same
// brand and id. Variants of too low a quality are not indexed.
func (b *BrandImages) AddVariants(img hallmark.BrandImage, vs []ImageVariant) error {
	if len(vs) == 0 {
		return fmt.Errorf("brand %s image %s: no hashes", img.BrandID, img.ID)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.remove(img.BrandID, img.ID)
	b.next++
	n := b.next
	p := &protected{img: img}
	for _, v := range vs {
		b.next++
		id := b.next
		if b.idx.Add(id, v.Hash, v.Quality) {
			p.hashes = append(p.hashes, id)
			b.byHash[id] = hashRef{image: n, variant: v.Name}
		}
	}
	b.images[n] = p
	b.byName[img.BrandID+"/"+img.ID] = n
	return nil
}

// Remove drops a protected image.
func (b *BrandImages) Remove(brandID, imageID string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.remove(brandID, imageID)
}

func (b *BrandImages) remove(brandID, imageID string) {
	key := brandID + "/" + imageID
	n, ok := b.byName[key]
	if !ok {
		return
	}
	for _, id := range b.images[n].hashes {
		b.idx.Remove(id)
		delete(b.byHash, id)
	}
	delete(b.images, n)
	delete(b.byName, key)
}

// Len is the number of indexed images.
func (b *BrandImages) Len() int {
	b.mu.RLock()
	defer b.mu.RUnlock()
	return len(b.images)
}

// Hashes is the number of indexed hashes, all variants counted.
func (b *BrandImages) Hashes() int {
	b.mu.RLock()
	defer b.mu.RUnlock()
	return len(b.byHash)
}

// Match tries every variant of the listing image (and of its alternates)
// against every variant of the protected images and keeps, per protected
// image, the closest pair.
func (b *BrandImages) Match(img ListingImage) []ImageMatch {
	b.mu.RLock()
	defer b.mu.RUnlock()
	best := map[uint64]ImageMatch{}
	var res []hindex.Result
	try := func(prefix string, variants *[8]imagehash.Hash, quality int) {
		for v, h := range variants {
			res = b.idx.Match(h, quality, res[:0])
			for _, r := range res {
				ref := b.byHash[r.ID]
				if cur, ok := best[ref.image]; ok && cur.Distance <= r.Distance {
					continue
				}
				bi := b.images[ref.image].img
				name := prefix + imagehash.Dihedral(v).String()
				if ref.variant != "original" {
					name += "+" + ref.variant
				}
				best[ref.image] = ImageMatch{BrandID: bi.BrandID, BrandImageID: bi.ID, ListingImage: img.Ref,
					Distance: r.Distance, Variant: name, Registered: ref.variant}
			}
		}
	}
	try("", &img.Variants, img.Quality)
	for i := range img.Alternates {
		a := &img.Alternates[i]
		try(a.Name+"+", &a.Variants, a.Quality)
	}
	out := make([]ImageMatch, 0, len(best))
	for _, m := range best {
		out = append(out, m)
	}
	return out
}
