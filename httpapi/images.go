package httpapi

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/hallmark-dev/hallmark"
	"github.com/hallmark-dev/hallmark/fetch"
	"github.com/hallmark-dev/hallmark/screen"
	"github.com/hallmark-dev/hallmark/screen/imagehash"
)

// Image limits. A marketplace photo is a few megabytes; the pixel limit
// refuses decompression bombs before they are decoded.
const (
	DefaultMaxImageBytes = 16 << 20
	maxImagePixels       = 50_000_000
	// imageDeadline bounds fetching and hashing all of a listing's images,
	// so a slow image host cannot hold a publish call for long.
	imageDeadline = 15 * time.Second
	uploadPrefix  = "upload:"
)

// ImageScreener is a Screener that can also compare a listing's images with
// the brands' protected photos. *screen.Engine is one.
type ImageScreener interface {
	ScreenImages(ctx context.Context, l *hallmark.Listing, h hallmark.SellerHistory, imgs []screen.ListingImage) (*hallmark.Decision, error)
}

func (s *Server) imageRoutes() {
	s.handle("POST /v1/uploads", publishers, s.uploadImage)
	s.handle("PUT /v1/brands/{id}/images/{image_id}", adminOnly, s.putBrandImage)
	s.handle("DELETE /v1/brands/{id}/images/{image_id}", adminOnly, s.deleteBrandImage)
}

// readImage reads a raw image request body of at most s.maxImage bytes and
// decodes it, answering the error itself when it cannot.
func (s *Server) readImage(w http.ResponseWriter, r *http.Request) ([]byte, image.Image, bool) {
	ct := r.Header.Get("Content-Type")
	if !strings.HasPrefix(ct, "image/") && !strings.HasPrefix(ct, "application/octet-stream") {
		writeError(w, r, http.StatusUnsupportedMediaType, codeUnsupportedMediaType,
			"the body must be the image itself, with Content-Type image/jpeg, image/png, image/gif, image/webp or image/bmp")
		return nil, nil, false
	}
	if r.ContentLength > s.maxImage {
		writeError(w, r, http.StatusRequestEntityTooLarge, codeBodyTooLarge, fmt.Sprintf("the image is larger than %d bytes", s.maxImage))
		return nil, nil, false
	}
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.maxImage))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			writeError(w, r, http.StatusRequestEntityTooLarge, codeBodyTooLarge, fmt.Sprintf("the image is larger than %d bytes", s.maxImage))
			return nil, nil, false
		}
		writeError(w, r, http.StatusBadRequest, codeInvalidField, "reading the image: "+err.Error())
		return nil, nil, false
	}
	img, err := imagehash.Decode(bytes.NewReader(data), "image", s.maxImage, maxImagePixels)
	if err != nil {
		writeFieldError(w, r, http.StatusUnprocessableEntity, codeInvalidField, "image", "image: "+err.Error())
		return nil, nil, false
	}
	return data, img, true
}

// uploadImage keeps an image for a listing to name as "upload:ID".
func (s *Server) uploadImage(w http.ResponseWriter, r *http.Request) {
	data, img, ok := s.readImage(w, r)
	if !ok {
		return
	}
	sum := sha256.Sum256(data)
	b := img.Bounds()
	u := &hallmark.Upload{ID: hex.EncodeToString(sum[:]), ContentType: http.DetectContentType(data), Data: data,
		Width: b.Dx(), Height: b.Dy(), Actor: actorOf(r), CreatedAt: s.now()}
	if err := s.store.PutUpload(r.Context(), u); err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusCreated, map[string]any{
		"id": u.ID, "ref": uploadPrefix + u.ID, "content_type": u.ContentType,
		"size": u.Size, "width": u.Width, "height": u.Height,
	})
}

// putBrandImage registers (or replaces) a protected photo of a brand from
// the image in the body, with the hashes of its crop and lightness variants.
func (s *Server) putBrandImage(w http.ResponseWriter, r *http.Request) {
	imageID := r.PathValue("image_id")
	if err := validID("image_id", imageID); err != nil {
		s.fail(w, r, err)
		return
	}
	_, img, ok := s.readImage(w, r)
	if !ok {
		return
	}
	brandID := r.PathValue("id")
	bi := screen.RecordVariants(hallmark.BrandImage{ID: imageID, BrandID: brandID, Label: r.URL.Query().Get("label")},
		screen.ImageVariants(img))
	s.modifyBrand(w, r, http.StatusOK, func(b *hallmark.Brand) error {
		for i := range b.Images {
			if b.Images[i].ID == imageID {
				b.Images[i] = bi
				return nil
			}
		}
		b.Images = append(b.Images, bi)
		return nil
	})
}

func (s *Server) deleteBrandImage(w http.ResponseWriter, r *http.Request) {
	imageID := r.PathValue("image_id")
	s.modifyBrand(w, r, http.StatusOK, func(b *hallmark.Brand) error {
		for i := range b.Images {
			if b.Images[i].ID == imageID {
				b.Images = append(b.Images[:i], b.Images[i+1:]...)
				return nil
			}
		}
		return fmt.Errorf("image %q of brand %q: %w", imageID, b.ID, hallmark.ErrNotFound)
	})
}

// listingImages fetches or loads and hashes each image a listing names: an
// http(s) URL (through the SSRF-safe fetcher) or "upload:ID". The error is
// a validation error naming the image.
func (s *Server) listingImages(ctx context.Context, l *hallmark.Listing) ([]screen.ListingImage, error) {
	if len(l.Images) == 0 {
		return nil, nil
	}
	ctx, cancel := context.WithTimeout(ctx, imageDeadline)
	defer cancel()
	out := make([]screen.ListingImage, len(l.Images))
	errs := make([]error, len(l.Images))
	var wg sync.WaitGroup
	sem := make(chan struct{}, 4)
	for i, ref := range l.Images {
		field := fmt.Sprintf("images[%d]", i)
		var load func() ([]byte, error)
		switch {
		case strings.HasPrefix(ref, uploadPrefix):
			id := strings.TrimPrefix(ref, uploadPrefix)
			load = func() ([]byte, error) {
				u, err := s.store.GetUpload(ctx, id)
				if errors.Is(err, hallmark.ErrNotFound) {
					return nil, invalid(field, "no upload "+id+"; POST /v1/uploads first")
				}
				if err != nil {
					return nil, err
				}
				return u.Data, nil
			}
		case strings.HasPrefix(ref, "https://"), strings.HasPrefix(ref, "http://"):
			load = func() ([]byte, error) {
				b, err := s.fetcher.Fetch(ctx, ref)
				if err != nil {
					return nil, invalid(field, err.Error())
				}
				return b, nil
			}
		default:
			return nil, invalid(field, "must be an http(s) URL or upload:ID from POST /v1/uploads")
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			data, err := load()
			if err != nil {
				errs[i] = err
				return
			}
			img, err := imagehash.Decode(bytes.NewReader(data), ref, s.maxImage, maxImagePixels)
			if err != nil {
				errs[i] = invalid(field, err.Error())
				return
			}
			li := screen.HashListingImage(img)
			li.Ref = ref
			out[i] = li
		}()
	}
	wg.Wait()
	return out, errors.Join(errs...)
}

// newFetcher is the default image fetcher: public addresses only.
func newFetcher(maxBytes int64) *fetch.Fetcher {
	return fetch.New(fetch.Options{MaxBytes: maxBytes})
}
