package main

import (
	"github.com/hallmark-dev/hallmark"
	"github.com/hallmark-dev/hallmark/screen"
	"github.com/hallmark-dev/hallmark/screen/imagehash"
	"github.com/hallmark-dev/hallmark/screen/imagehash/hindex"
)

// indexStoredImages indexes the protected images recorded with the brands.
func indexStoredImages(eng *screen.Engine, brands []hallmark.Brand) error {
	idx := screen.NewBrandImages(hindex.DefaultRadius, imagehash.MinQuality)
	for _, b := range brands {
		for _, im := range b.Images {
			im.BrandID = b.ID
			if err := idx.Add(im); err != nil {
				return err
			}
		}
	}
	eng.SetImageIndex(idx)
	return nil
}
