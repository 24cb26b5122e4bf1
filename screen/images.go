package screen

import (
	"fmt"
	"sync"

	"github.com/hallmark-dev/hallmark"
	"github.com/hallmark-dev/hallmark/screen/imagehash"
	"github.com/hallmark-dev/hallmark/screen/imagehash/hindex"
)

// ListingImage is one image of a listing, hashed by the caller in all eight
// rotations and flips, so a mirrored or rotated stolen photo still matches.
type ListingImage struct {
	Ref      string // the path, URL or upload id the listing gave
	Variants [8]imagehash.Hash
	Quality  int
}

// ImageMatch is a listing image found near a brand's protected image.
type ImageMatch struct {
	BrandID      string
	BrandImageID string
	ListingImage string
	Distance     int
	Variant      string // which rotation or flip of the listing image matched
}

// ImageIndex finds protected images near a listing image.
type ImageIndex interface {
	Match(img ListingImage) []ImageMatch
}

// BrandImages indexes the protected images of every brand. Add and Remove
// change it in place as brands register or withdraw photos.
type BrandImages struct {
	mu     sync.RWMutex
	idx    *hindex.Index
	next   uint64
	byID   map[uint64]hallmark.BrandImage
	byName map[string]uint64 // brand id + "/" + image id
}

// NewBrandImages returns an empty index matching within radius (PDQ's
// reference threshold is 31) and ignoring hashes of quality below minQuality.
func NewBrandImages(radius, minQuality int) *BrandImages {
	idx := hindex.New(radius)
	idx.SetMinQuality(minQuality)
	return &BrandImages{idx: idx, byID: map[uint64]hallmark.BrandImage{}, byName: map[string]uint64{}}
}

// Add indexes a protected image; it replaces an image of the same brand and id.
func (b *BrandImages) Add(img hallmark.BrandImage) error {
	h, err := imagehash.ParseHex(img.PDQ)
	if err != nil {
		return fmt.Errorf("brand %s image %s: %w", img.BrandID, img.ID, err)
	}
	b.Remove(img.BrandID, img.ID)
	b.mu.Lock()
	defer b.mu.Unlock()
	b.next++
	id := b.next
	b.idx.Add(id, h, img.Quality)
	b.byID[id] = img
	b.byName[img.BrandID+"/"+img.ID] = id
	return nil
}

// Remove drops a protected image.
func (b *BrandImages) Remove(brandID, imageID string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	key := brandID + "/" + imageID
	if id, ok := b.byName[key]; ok {
		b.idx.Remove(id)
		delete(b.byID, id)
		delete(b.byName, key)
	}
}

// Len is the number of indexed images.
func (b *BrandImages) Len() int {
	b.mu.RLock()
	defer b.mu.RUnlock()
	return len(b.byID)
}

// Match tries every variant of the listing image and keeps, per protected
// image, the closest variant.
func (b *BrandImages) Match(img ListingImage) []ImageMatch {
	b.mu.RLock()
	defer b.mu.RUnlock()
	best := map[uint64]ImageMatch{}
	var res []hindex.Result
	for v, h := range img.Variants {
		res = b.idx.Match(h, img.Quality, res[:0])
		for _, r := range res {
			if cur, ok := best[r.ID]; ok && cur.Distance <= r.Distance {
				continue
			}
			bi := b.byID[r.ID]
			best[r.ID] = ImageMatch{BrandID: bi.BrandID, BrandImageID: bi.ID, ListingImage: img.Ref,
				Distance: r.Distance, Variant: imagehash.Dihedral(v).String()}
		}
	}
	out := make([]ImageMatch, 0, len(best))
	for _, m := range best {
		out = append(out, m)
	}
	return out
}
