package web

import (
	"errors"
	"fmt"
	"image"
	"mime/multipart"
	"net/http"
	"regexp"
	"slices"
	"strings"

	"github.com/hallmark-dev/hallmark"
	"github.com/hallmark-dev/hallmark/account"
	"github.com/hallmark-dev/hallmark/screen"
	"github.com/hallmark-dev/hallmark/screen/imagehash"
)

// ---- genuine photos: rights holders register their brands' protected images ----

// Image limits, as the API's: a marketplace photo is a few megabytes, and
// the pixel limit refuses decompression bombs before they are decoded.
const (
	maxImageBytes  = 16 << 20
	maxImagePixels = 50_000_000
	// maxUpload bounds the whole multipart body: the image and a few
	// short fields.
	maxUpload = maxImageBytes + 64<<10
)

// imageTypes are the image types the upload form takes.
var imageTypes = []string{"image/jpeg", "image/png", "image/gif", "image/webp"}

// imageIDPattern is what the console accepts as an image id: short, and
// safe in a URL path.
var imageIDPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$`)

func (c *Console) imageRoutes() {
	m := c.mux
	m.HandleFunc("GET "+Prefix+"/images", c.auth(c.imagesPage))
	m.HandleFunc("POST "+Prefix+"/images", c.authLimit(maxUpload, c.uploadImage))
	m.HandleFunc("POST "+Prefix+"/images/{id}/delete", c.auth(c.deleteImage))
}

// imageBrand is the brand an images request is about: the one named (which
// the rights holder must act for) or its only brand. ok is false when the
// page should answer 404.
func imageBrand(p account.Principal, named string) (string, bool) {
	if p.Role != account.RightsHolder || len(p.BrandIDs) == 0 {
		return "", false
	}
	if named == "" {
		return p.BrandIDs[0], true
	}
	return named, slices.Contains(p.BrandIDs, named)
}

func (c *Console) imagesPage(w http.ResponseWriter, r *http.Request) {
	brand, ok := imageBrand(from(r).p, r.URL.Query().Get("brand"))
	if !ok {
		c.notFound(w, r, nil)
		return
	}
	q := r.URL.Query()
	c.renderImages(w, r, http.StatusOK, brand, map[string]any{"Added": q.Get("added"), "Removed": q.Get("removed")})
}

func (c *Console) renderImages(w http.ResponseWriter, r *http.Request, code int, brand string, data map[string]any) {
	b, err := c.st.GetBrand(r.Context(), brand)
	if errors.Is(err, hallmark.ErrNotFound) {
		c.notFound(w, r, err)
		return
	}
	if err != nil {
		c.fail(w, r, err)
		return
	}
	data["Brand"], data["Brands"], data["Types"] = b, from(r).p.BrandIDs, strings.Join(imageTypes, ",")
	data["MaxMiB"] = maxImageBytes >> 20
	data["Live"] = c.reload != nil
	c.render(w, r, code, "images", data)
}

// modifyBrand reads the brand, edits it, validates and stores it whole and
// asks screening to reload. The console's own edits are serialised; the
// store replaces a brand whole, so an API edit of the same brand at the
// same instant may still win.
func (c *Console) modifyBrand(r *http.Request, brand string, edit func(*hallmark.Brand) error) error {
	ctx := r.Context()
	c.brandMu.Lock()
	defer c.brandMu.Unlock()
	b, err := c.st.GetBrand(ctx, brand)
	if err != nil {
		return err
	}
	if err := edit(b); err != nil {
		return err
	}
	if err := b.Validate(); err != nil {
		return err
	}
	if err := c.st.PutBrand(ctx, b, from(r).p.Actor); err != nil {
		return err
	}
	return c.reloadScreening(r)
}

// errReload is a saved change screening has not yet taken up.
var errReload = errors.New("the change was saved, but screening could not reload the brand registry; try again in a moment")

func (c *Console) reloadScreening(r *http.Request) error {
	if c.reload == nil {
		return nil
	}
	if err := c.reload(r.Context()); err != nil {
		c.log.ErrorContext(r.Context(), "console: screening reload failed", "err", err)
		return errReload
	}
	return nil
}

// imageError renders the images page with a message the user can act on,
// or fails.
func (c *Console) imageError(w http.ResponseWriter, r *http.Request, brand string, err error, data map[string]any) {
	msg := userError(err)
	code := http.StatusUnprocessableEntity
	switch {
	case errors.Is(err, errReload):
		msg, code = err.Error(), http.StatusServiceUnavailable
	case errors.Is(err, hallmark.ErrNotFound):
		msg, code = err.Error(), http.StatusNotFound
	}
	if msg == "" {
		c.fail(w, r, err)
		return
	}
	data["Error"] = msg
	c.renderImages(w, r, code, brand, data)
}

func (c *Console) uploadImage(w http.ResponseWriter, r *http.Request) {
	brand, ok := imageBrand(from(r).p, r.PostFormValue("brand_id"))
	if !ok {
		c.notFound(w, r, nil)
		return
	}
	id, label := strings.TrimSpace(r.PostFormValue("image_id")), strings.TrimSpace(r.PostFormValue("label"))
	form := map[string]any{"ImageID": id, "Label": label}
	invalid := func(field, msg string) {
		c.imageError(w, r, brand, &hallmark.ValidationError{Field: field, Message: msg}, form)
	}
	if !imageIDPattern.MatchString(id) {
		invalid("image_id", "an image id is 1 to 128 letters, digits, dots, dashes or underscores, starting with a letter or digit")
		return
	}
	file, hdr, err := r.FormFile("image")
	if err != nil {
		invalid("image", "choose an image file to upload")
		return
	}
	defer file.Close()
	if !slices.Contains(imageTypes, strings.ToLower(hdr.Header.Get("Content-Type"))) {
		invalid("image", "the file must be a JPEG, PNG, GIF or WebP image")
		return
	}
	if hdr.Size > maxImageBytes {
		invalid("image", fmt.Sprintf("the image is larger than %d MiB", maxImageBytes>>20))
		return
	}
	img, err := decodeUpload(file, hdr)
	if err != nil {
		invalid("image", "the image could not be read: "+err.Error())
		return
	}
	bi := screen.RecordVariants(hallmark.BrandImage{ID: id, BrandID: brand, Label: label}, screen.ImageVariants(img))
	err = c.modifyBrand(r, brand, func(b *hallmark.Brand) error {
		for i := range b.Images {
			if b.Images[i].ID == id {
				b.Images[i] = bi
				return nil
			}
		}
		b.Images = append(b.Images, bi)
		return nil
	})
	if err != nil {
		c.imageError(w, r, brand, err, form)
		return
	}
	if err := c.audit(r, "brand_image_put", "brand", brand, map[string]any{"image_id": id, "variants": len(bi.Variants)}); err != nil {
		c.fail(w, r, err)
		return
	}
	http.Redirect(w, r, Prefix+"/images?brand="+urlQueryEscape(brand)+"&added="+urlQueryEscape(id), http.StatusSeeOther)
}

func decodeUpload(file multipart.File, hdr *multipart.FileHeader) (image.Image, error) {
	return imagehash.Decode(file, hdr.Filename, maxImageBytes, maxImagePixels)
}

func (c *Console) deleteImage(w http.ResponseWriter, r *http.Request) {
	brand, ok := imageBrand(from(r).p, r.PostFormValue("brand_id"))
	if !ok {
		c.notFound(w, r, nil)
		return
	}
	id := r.PathValue("id")
	err := c.modifyBrand(r, brand, func(b *hallmark.Brand) error {
		n := len(b.Images)
		b.Images = slices.DeleteFunc(b.Images, func(im hallmark.BrandImage) bool { return im.ID == id })
		if len(b.Images) == n {
			return fmt.Errorf("no image %q of brand %q: %w", id, brand, hallmark.ErrNotFound)
		}
		return nil
	})
	if errors.Is(err, hallmark.ErrNotFound) {
		c.notFound(w, r, err)
		return
	}
	if err != nil {
		c.imageError(w, r, brand, err, map[string]any{})
		return
	}
	if err := c.audit(r, "brand_image_delete", "brand", brand, map[string]any{"image_id": id}); err != nil {
		c.fail(w, r, err)
		return
	}
	http.Redirect(w, r, Prefix+"/images?brand="+urlQueryEscape(brand)+"&removed="+urlQueryEscape(id), http.StatusSeeOther)
}
