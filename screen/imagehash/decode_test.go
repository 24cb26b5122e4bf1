package imagehash

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/image/bmp"
)

func encode(t testing.TB, format string, img image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	var err error
	switch format {
	case "jpeg":
		err = jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90})
	case "png":
		err = png.Encode(&buf, img)
	case "gif":
		err = gif.Encode(&buf, img, nil)
	case "bmp":
		err = bmp.Encode(&buf, img)
	default:
		t.Fatalf("no encoder for %s", format)
	}
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// withOrientation inserts an EXIF APP1 segment carrying orientation o
// right after the SOI marker of a JPEG.
func withOrientation(jpg []byte, o Orientation, bo binary.ByteOrder) []byte {
	tiff := make([]byte, 8+2+12+4)
	if bo == binary.LittleEndian {
		copy(tiff, "II*\x00")
	} else {
		copy(tiff, "MM\x00*")
	}
	bo.PutUint32(tiff[4:], 8)
	bo.PutUint16(tiff[8:], 1)       // one entry
	bo.PutUint16(tiff[10:], 0x0112) // Orientation
	bo.PutUint16(tiff[12:], 3)      // SHORT
	bo.PutUint32(tiff[14:], 1)      // count
	bo.PutUint16(tiff[18:], uint16(o))
	payload := append([]byte("Exif\x00\x00"), tiff...)
	seg := []byte{0xFF, 0xE1, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(len(payload)+2))
	seg = append(seg, payload...)
	out := append([]byte{}, jpg[:2]...)
	out = append(out, seg...)
	return append(out, jpg[2:]...)
}

// pngBomb is a valid-looking PNG header declaring w x h pixels, with the
// IHDR checksum fixed so that only the size can be objected to.
func pngBomb(t testing.TB, w, h uint32) []byte {
	data := encode(t, "png", image.NewGray(image.Rect(0, 0, 1, 1)))
	binary.BigEndian.PutUint32(data[16:], w)
	binary.BigEndian.PutUint32(data[20:], h)
	binary.BigEndian.PutUint32(data[29:], crc32.ChecksumIEEE(data[12:29]))
	return data
}

func TestDecodeFormats(t *testing.T) {
	src := synthetic(96, 64, 5, 0)
	want, _ := HashImage(src)
	dir := t.TempDir()
	for _, format := range []string{"jpeg", "png", "gif", "bmp"} {
		path := filepath.Join(dir, "img."+format)
		if err := os.WriteFile(path, encode(t, format, src), 0o600); err != nil {
			t.Fatal(err)
		}
		img, err := DecodeFile(path, 0)
		if err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		if img.Bounds().Size() != src.Bounds().Size() {
			t.Fatalf("%s: size %v", format, img.Bounds())
		}
		h, _, err := HashFile(path)
		if err != nil {
			t.Fatal(err)
		}
		// GIF quantises to 256 colours; the others are near-lossless here.
		if d := h.Distance(want); d > 24 {
			t.Errorf("%s: hash %d bits from the source image's", format, d)
		}
	}
}

func TestDecodeErrors(t *testing.T) {
	jpg := encode(t, "jpeg", synthetic(64, 48, 1, 4))
	for _, tc := range []struct {
		name      string
		data      []byte
		maxBytes  int64
		maxPixels int
		want      error
	}{
		{"empty", nil, 0, 0, ErrUnknownFormat},
		{"text", []byte("hello, world"), 0, 0, ErrUnknownFormat},
		{"tiff", []byte("II*\x00\x08\x00\x00\x00"), 0, 0, ErrUnknownFormat},
		{"truncated-jpeg", jpg[:len(jpg)/2], 0, 0, ErrTruncated},
		{"truncated-header", jpg[:20], 0, 0, ErrTruncated},
		{"too-large", jpg, 100, 0, ErrTooLarge},
		{"too-many-pixels", jpg, 0, 64*48 - 1, ErrTooManyPixels},
		{"png-bomb", pngBomb(t, 100000, 100000), 0, 0, ErrTooManyPixels},
		{"webp-garbage", []byte("RIFF\x10\x00\x00\x00WEBPVP8 \x00\x00"), 0, 0, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Decode(bytes.NewReader(tc.data), "upload-"+tc.name, tc.maxBytes, tc.maxPixels)
			if err == nil {
				t.Fatal("no error")
			}
			if tc.want != nil && !errors.Is(err, tc.want) {
				t.Fatalf("error %v, want %v", err, tc.want)
			}
			var de *DecodeError
			if !errors.As(err, &de) || !strings.Contains(err.Error(), "upload-"+tc.name) {
				t.Fatalf("error %q does not name the input", err)
			}
			t.Log(err)
		})
	}
	// At exactly the limits it succeeds.
	if _, err := Decode(bytes.NewReader(jpg), "exact", int64(len(jpg)), 64*48); err != nil {
		t.Fatal(err)
	}
	// A file over the byte limit is refused before it is read.
	if _, _, err := HashFile(filepath.Join(t.TempDir(), "missing.jpg")); err == nil || !strings.Contains(err.Error(), "missing.jpg") {
		t.Fatalf("missing file: %v", err)
	}
}

func TestEXIFOrientation(t *testing.T) {
	src := synthetic(90, 60, 11, 0)
	jpg := encode(t, "jpeg", src)
	plain, _ := HashImage(mustDecode(t, jpg))
	for o := OrientNormal; o <= OrientRotate270; o++ {
		for _, bo := range []binary.ByteOrder{binary.LittleEndian, binary.BigEndian} {
			data := withOrientation(jpg, o, bo)
			if got := JPEGOrientation(data); got != o {
				t.Fatalf("orientation %d (%v): parsed %d", o, bo, got)
			}
			img, err := Decode(bytes.NewReader(data), "exif", 0, 0)
			if err != nil {
				t.Fatal(err)
			}
			size := img.Bounds().Size()
			if o >= OrientTranspose {
				size = image.Pt(size.Y, size.X)
			}
			if size != src.Bounds().Size() {
				t.Fatalf("orientation %d: decoded size %v", o, img.Bounds())
			}
			// Undoing the display transform on the decoded pixels gives
			// back the stored image.
			if o == OrientRotate90 {
				back := Orient(img, OrientRotate270)
				if h, _ := HashImage(back); h.Distance(plain) > 4 {
					t.Fatalf("rotate 90 then 270: %d bits off", h.Distance(plain))
				}
			}
			// HashFile's coefficient-domain orientation agrees with
			// hashing the rotated pixels.
			h, _, err := HashReader(bytes.NewReader(data), "exif", 0)
			if err != nil {
				t.Fatal(err)
			}
			direct, _ := HashImage(img)
			if d := h.Distance(direct); d > 16 {
				t.Errorf("orientation %d: HashReader %d bits from hashing the oriented pixels", o, d)
			}
		}
	}
	if JPEGOrientation(jpg) != OrientNormal {
		t.Fatal("plain JPEG has an orientation")
	}
}

func mustDecode(t testing.TB, data []byte) image.Image {
	t.Helper()
	img, err := Decode(bytes.NewReader(data), "test", 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

func FuzzJPEGOrientation(f *testing.F) {
	jpg := encode(f, "jpeg", synthetic(8, 8, 1, 0))
	f.Add(jpg)
	f.Add(withOrientation(jpg, OrientRotate90, binary.LittleEndian))
	f.Add(withOrientation(jpg, OrientTransverse, binary.BigEndian))
	f.Add([]byte{0xFF, 0xD8, 0xFF, 0xE1, 0x00, 0x08, 'E', 'x', 'i', 'f', 0, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		o := JPEGOrientation(data)
		if o < OrientNormal || o > OrientRotate270 {
			t.Fatalf("orientation %d out of range", o)
		}
	})
}

func FuzzDecode(f *testing.F) {
	src := synthetic(12, 9, 2, 4)
	jpg := encode(f, "jpeg", src)
	for _, seed := range [][]byte{
		jpg,
		withOrientation(jpg, OrientRotate270, binary.BigEndian),
		encode(f, "png", src),
		encode(f, "gif", src),
		encode(f, "bmp", src),
		[]byte("RIFF\x1a\x00\x00\x00WEBPVP8L\x0d\x00\x00\x00\x2f\x00\x00\x00\x10\x07\x10\x11\x11\x88\x88\xfe\x07\x00"),
		pngBomb(f, 5000, 5000),
	} {
		f.Add(seed)
	}
	const maxPixels = 1 << 16
	f.Fuzz(func(t *testing.T, data []byte) {
		img, err := Decode(bytes.NewReader(data), "fuzz", 1<<20, maxPixels)
		if err != nil {
			var de *DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("error not a *DecodeError: %v", err)
			}
			return
		}
		b := img.Bounds()
		if b.Empty() || b.Dx()*b.Dy() > maxPixels {
			t.Fatalf("decoded bounds %v", b)
		}
		if _, q := HashImage(img); q < 0 || q > 100 {
			t.Fatalf("quality %d", q)
		}
	})
}
