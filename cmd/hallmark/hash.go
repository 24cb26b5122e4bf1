package main

import (
	"fmt"
	"io"
	"path/filepath"
	"runtime"
	"sync"

	"github.com/hallmark-dev/hallmark"
	"github.com/hallmark-dev/hallmark/feed"
	"github.com/hallmark-dev/hallmark/screen"
	"github.com/hallmark-dev/hallmark/screen/imagehash"
	"github.com/hallmark-dev/hallmark/screen/imagehash/hindex"
)

func cmdHash(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("hash", "hash FILE...", stderr)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return exitError{2}
	}
	failed := false
	for _, path := range fs.Args() {
		h, q, err := imagehash.HashFile(path)
		if err != nil {
			fmt.Fprintln(stderr, "hallmark hash:", err)
			failed = true
			continue
		}
		fmt.Fprintf(stdout, "%s %d %s\n", h, q, path)
	}
	if failed {
		return exitError{1}
	}
	return nil
}

// hashListingImage decodes one listing image and hashes all its variants,
// with and without a plain frame (screen.HashListingImage).
func hashListingImage(path string) (screen.ListingImage, error) {
	img, err := imagehash.DecodeFile(path, imagehash.DefaultMaxPixels)
	if err != nil {
		return screen.ListingImage{}, err
	}
	return screen.HashListingImage(img), nil
}

// attachImages hashes the registry's protected images on all cores, each
// with the crops and readings that screen.ImageVariants registers, and
// gives the engine an index of them.
func attachImages(eng *screen.Engine, reg *feed.Registry, workers int) error {
	type job struct {
		brand, path string
		n           int
	}
	var jobs []job
	for brandID, paths := range reg.Images {
		for i, p := range paths {
			jobs = append(jobs, job{brandID, p, i})
		}
	}
	if len(jobs) == 0 {
		return nil
	}
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	idx := screen.NewBrandImages(hindex.DefaultRadius, imagehash.MinQuality)
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		firstErr error
	)
	ch := make(chan job)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range ch {
				var vs []screen.ImageVariant
				img, err := imagehash.DecodeFile(j.path, imagehash.DefaultMaxPixels)
				if err == nil {
					vs = screen.ImageVariants(img) // the costly part, outside the lock
				}
				mu.Lock()
				if err != nil {
					if firstErr == nil {
						firstErr = fmt.Errorf("registry image of brand %s: %w", j.brand, err)
					}
				} else if aerr := idx.AddVariants(hallmark.BrandImage{ID: filepath.Base(j.path), BrandID: j.brand, Label: j.path,
					PDQ: vs[0].Hash.String(), Quality: vs[0].Quality}, vs); aerr != nil && firstErr == nil {
					firstErr = aerr
				}
				mu.Unlock()
			}
		}()
	}
	for _, j := range jobs {
		ch <- j
	}
	close(ch)
	wg.Wait()
	if firstErr != nil {
		return firstErr
	}
	eng.SetImageIndex(idx)
	return nil
}

// hashRegistryImages records the hashes of every registry image (the whole
// picture and its crop and lightness variants) on its brand, so that a
// database holds the hashes, not the files, and a server rebuilds its index
// from them.
func hashRegistryImages(reg *feed.Registry) error {
	for i := range reg.Brands {
		b := &reg.Brands[i]
		for _, p := range reg.Images[b.ID] {
			img, err := imagehash.DecodeFile(p, imagehash.DefaultMaxPixels)
			if err != nil {
				return fmt.Errorf("brand %s: %w", b.ID, err)
			}
			// Image ids are unique across brands in the store.
			id := b.ID + "/" + filepath.Base(p)
			bi := hallmark.BrandImage{ID: id, BrandID: b.ID, Label: filepath.Base(p)}
			b.Images = append(b.Images, screen.RecordVariants(bi, screen.ImageVariants(img)))
		}
	}
	return nil
}
