package imagehash

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/draw"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"os"

	"golang.org/x/image/bmp"
	"golang.org/x/image/webp"
)

// Limits applied when the caller passes zero.
const (
	// DefaultMaxPixels refuses decompression bombs: a few kilobytes of PNG
	// or GIF can declare an image whose decoded pixels need gigabytes.
	DefaultMaxPixels = 50_000_000
	// DefaultMaxBytes bounds how much of an upload is read into memory.
	DefaultMaxBytes = 64 << 20
)

// Errors that decoding wraps; test with errors.Is.
var (
	ErrUnknownFormat = errors.New("unknown image format (want JPEG, PNG, GIF, WebP or BMP)")
	ErrTruncated     = errors.New("truncated image data")
	ErrTooManyPixels = errors.New("image has too many pixels")
	ErrTooLarge      = errors.New("image file too large")
	ErrInvalid       = errors.New("invalid image data")
)

// DecodeError names the image that failed and why.
type DecodeError struct {
	Name   string // file path, or the caller's label for a reader
	Format string // detected format, if any
	Err    error
}

func (e *DecodeError) Error() string {
	if e.Format != "" {
		return fmt.Sprintf("imagehash: %s (%s): %v", e.Name, e.Format, e.Err)
	}
	return fmt.Sprintf("imagehash: %s: %v", e.Name, e.Err)
}

func (e *DecodeError) Unwrap() error { return e.Err }

// codec is one supported format. The formats are dispatched on their magic
// bytes here rather than through image.Decode, so that a format some other
// package registers globally (TIFF, say) is not silently accepted.
type codec struct {
	name   string
	match  func([]byte) bool
	config func(io.Reader) (image.Config, error)
	decode func(io.Reader) (image.Image, error)
}

var codecs = []codec{
	{"jpeg", func(b []byte) bool { return bytes.HasPrefix(b, []byte{0xFF, 0xD8, 0xFF}) }, jpeg.DecodeConfig, jpeg.Decode},
	{"png", func(b []byte) bool { return bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")) }, png.DecodeConfig, png.Decode},
	{"gif", func(b []byte) bool {
		return bytes.HasPrefix(b, []byte("GIF87a")) || bytes.HasPrefix(b, []byte("GIF89a"))
	}, gif.DecodeConfig, gif.Decode},
	{"webp", func(b []byte) bool { return len(b) >= 12 && string(b[:4]) == "RIFF" && string(b[8:12]) == "WEBP" }, webp.DecodeConfig, webp.Decode},
	{"bmp", func(b []byte) bool { return bytes.HasPrefix(b, []byte("BM")) }, bmp.DecodeConfig, bmp.Decode},
}

// DecodeFile decodes the image at path, honouring EXIF orientation, and
// refuses files larger than DefaultMaxBytes and images of more than
// maxPixels pixels (DefaultMaxPixels when maxPixels <= 0).
func DecodeFile(path string, maxPixels int) (image.Image, error) {
	data, err := readFile(path, DefaultMaxBytes)
	if err != nil {
		return nil, err
	}
	img, o, err := decodeBytes(data, path, maxPixels)
	if err != nil {
		return nil, err
	}
	return Orient(img, o), nil
}

// Decode reads at most maxBytes from r (DefaultMaxBytes when <= 0) and
// decodes it like DecodeFile; name labels errors.
func Decode(r io.Reader, name string, maxBytes int64, maxPixels int) (image.Image, error) {
	data, err := readLimited(r, name, maxBytes)
	if err != nil {
		return nil, err
	}
	img, o, err := decodeBytes(data, name, maxPixels)
	if err != nil {
		return nil, err
	}
	return Orient(img, o), nil
}

// HashFile decodes the image at path with the default limits and returns
// its PDQ hash and quality. EXIF orientation is honoured, so the hash is
// that of the image as displayed. (The reference tools ignore orientation;
// for the photos without the tag, which are nearly all, it makes no
// difference.)
func HashFile(path string) (Hash, int, error) {
	data, err := readFile(path, DefaultMaxBytes)
	if err != nil {
		return Hash{}, 0, err
	}
	return hashBytes(data, path)
}

// HashReader is HashFile for an upload: it reads at most maxBytes from r.
func HashReader(r io.Reader, name string, maxBytes int64) (Hash, int, error) {
	data, err := readLimited(r, name, maxBytes)
	if err != nil {
		return Hash{}, 0, err
	}
	return hashBytes(data, name)
}

func hashBytes(data []byte, name string) (Hash, int, error) {
	img, o, err := decodeBytes(data, name, DefaultMaxPixels)
	if err != nil {
		return Hash{}, 0, err
	}
	if o == OrientNormal {
		h, q := HashImage(img)
		return h, q, nil
	}
	// Rotating the coefficients is exact and far cheaper than rotating
	// the pixels.
	hs, q := HashDihedral(img)
	return hs[o.dihedral()], q, nil
}

func readFile(path string, maxBytes int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, &DecodeError{Name: path, Err: err}
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() && fi.Size() > maxBytes {
		return nil, &DecodeError{Name: path, Err: fmt.Errorf("%w: %d bytes, limit %d", ErrTooLarge, fi.Size(), maxBytes)}
	}
	return readLimited(f, path, maxBytes)
}

func readLimited(r io.Reader, name string, maxBytes int64) ([]byte, error) {
	if maxBytes <= 0 {
		maxBytes = DefaultMaxBytes
	}
	// One byte over the limit tells "exactly at the limit" from "over it".
	// Readers that know their size (files, bytes.Reader) get a buffer of
	// that size, saving the copies of a growing one.
	var buf bytes.Buffer
	if s, ok := r.(interface{ Len() int }); ok {
		buf.Grow(int(min(int64(s.Len()), maxBytes)) + bytes.MinRead)
	} else if f, ok := r.(*os.File); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() {
			buf.Grow(int(min(fi.Size(), maxBytes)) + bytes.MinRead)
		}
	}
	if _, err := buf.ReadFrom(io.LimitReader(r, maxBytes+1)); err != nil {
		return nil, &DecodeError{Name: name, Err: err}
	}
	data := buf.Bytes()
	if int64(len(data)) > maxBytes {
		return nil, &DecodeError{Name: name, Err: fmt.Errorf("%w: more than %d bytes", ErrTooLarge, maxBytes)}
	}
	return data, nil
}

// decodeBytes checks the declared dimensions before decoding anything, and
// returns the EXIF orientation (JPEG only) for the caller to apply.
func decodeBytes(data []byte, name string, maxPixels int) (image.Image, Orientation, error) {
	if maxPixels <= 0 {
		maxPixels = DefaultMaxPixels
	}
	var c *codec
	for i := range codecs {
		if codecs[i].match(data) {
			c = &codecs[i]
			break
		}
	}
	if c == nil {
		if len(data) == 0 {
			return nil, 0, &DecodeError{Name: name, Err: fmt.Errorf("%w: empty file", ErrUnknownFormat)}
		}
		return nil, 0, &DecodeError{Name: name, Err: ErrUnknownFormat}
	}
	fail := func(err error) (image.Image, Orientation, error) {
		return nil, 0, &DecodeError{Name: name, Format: c.name, Err: err}
	}
	cfg, err := c.config(bytes.NewReader(data))
	if err != nil {
		return fail(classify(err))
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return fail(fmt.Errorf("%w: %dx%d", ErrInvalid, cfg.Width, cfg.Height))
	}
	if px := int64(cfg.Width) * int64(cfg.Height); px > int64(maxPixels) {
		return fail(fmt.Errorf("%w: %dx%d is %d pixels, limit %d", ErrTooManyPixels, cfg.Width, cfg.Height, px, maxPixels))
	}
	img, err := c.decode(bytes.NewReader(data))
	if err != nil {
		if !complete(c.name, data) {
			// Decoders word a cut-off stream in many ways ("short Huffman
			// data", "unexpected EOF"); the missing trailer says it plainly.
			return fail(fmt.Errorf("%w: %v", ErrTruncated, err))
		}
		return fail(classify(err))
	}
	// Decoders are trusted to honour the header, but a mismatch would make
	// the pixel check above meaningless, so it is verified.
	if b := img.Bounds(); int64(b.Dx())*int64(b.Dy()) > int64(maxPixels) || b.Empty() {
		return fail(fmt.Errorf("%w: decoded bounds %v", ErrInvalid, b))
	}
	o := OrientNormal
	if c.name == "jpeg" {
		o = JPEGOrientation(data)
	}
	return img, o, nil
}

// complete reports whether data ends with its format's trailer, where the
// format has one.
func complete(format string, data []byte) bool {
	tail := data[max(0, len(data)-64):]
	switch format {
	case "jpeg":
		return bytes.Contains(tail, []byte{0xFF, 0xD9})
	case "png":
		return bytes.Contains(tail, []byte("IEND"))
	case "gif":
		return bytes.HasSuffix(bytes.TrimRight(tail, "\x00"), []byte{0x3B})
	}
	return true
}

func classify(err error) error {
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return fmt.Errorf("%w: %v", ErrTruncated, err)
	}
	return fmt.Errorf("%w: %v", ErrInvalid, err)
}

// Orient returns img transformed for display according to EXIF orientation
// o. OrientNormal returns img itself; anything else returns a new RGBA
// image (the transform is done once per image, so a simple per-pixel copy
// is good enough).
func Orient(img image.Image, o Orientation) image.Image {
	if o <= OrientNormal || o > OrientRotate270 {
		return img
	}
	b := img.Bounds()
	src := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(src, src.Bounds(), img, b.Min, draw.Src)
	w, h := b.Dx(), b.Dy()
	dw, dh := w, h
	if o >= OrientTranspose {
		dw, dh = h, w
	}
	dst := image.NewRGBA(image.Rect(0, 0, dw, dh))
	for y := range dh {
		for x := range dw {
			var sx, sy int
			switch o {
			case OrientFlipX:
				sx, sy = w-1-x, y
			case OrientRotate180:
				sx, sy = w-1-x, h-1-y
			case OrientFlipY:
				sx, sy = x, h-1-y
			case OrientTranspose:
				sx, sy = y, x
			case OrientRotate90:
				sx, sy = y, h-1-x
			case OrientTransverse:
				sx, sy = w-1-y, h-1-x
			case OrientRotate270:
				sx, sy = w-1-y, x
			}
			copy(dst.Pix[dst.PixOffset(x, y):][:4], src.Pix[src.PixOffset(sx, sy):][:4])
		}
	}
	return dst
}
