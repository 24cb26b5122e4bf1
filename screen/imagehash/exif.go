package imagehash

import "encoding/binary"

// Orientation is the EXIF orientation tag (0x0112): how the stored pixels
// must be transformed for display. Phone cameras store pixels as the sensor
// saw them and set this tag instead of rotating, so a photo hashed without
// it would not match the same photo re-saved upright by an editor.
type Orientation int

// EXIF orientation values (TIFF 6.0 / EXIF 2.3).
const (
	OrientNormal     Orientation = 1
	OrientFlipX      Orientation = 2 // mirror left-right
	OrientRotate180  Orientation = 3
	OrientFlipY      Orientation = 4 // mirror top-bottom
	OrientTranspose  Orientation = 5 // mirror about the main diagonal
	OrientRotate90   Orientation = 6 // display = stored rotated 90 degrees clockwise
	OrientTransverse Orientation = 7 // mirror about the anti-diagonal
	OrientRotate270  Orientation = 8 // display = stored rotated 270 degrees clockwise
)

// dihedral is the transform that takes stored pixels to displayed ones.
func (o Orientation) dihedral() Dihedral {
	switch o {
	case OrientFlipX:
		return FlipX
	case OrientRotate180:
		return Rotate180
	case OrientFlipY:
		return FlipY
	case OrientTranspose:
		return Transpose
	case OrientRotate90:
		return Rotate90
	case OrientTransverse:
		return Transverse
	case OrientRotate270:
		return Rotate270
	}
	return Original
}

// JPEGOrientation returns the EXIF orientation of a JPEG file's bytes, or
// OrientNormal when there is none or it cannot be read. It never fails:
// a damaged EXIF block must not stop an image from being hashed.
//
// Only the marker segments before the first scan are walked, and only IFD0
// is read, so the cost is bounded by the header size, not the image size.
func JPEGOrientation(b []byte) Orientation {
	if len(b) < 4 || b[0] != 0xFF || b[1] != 0xD8 {
		return OrientNormal
	}
	p := 2
	for p+4 <= len(b) {
		if b[p] != 0xFF {
			return OrientNormal
		}
		marker := b[p+1]
		switch {
		case marker == 0xFF: // fill byte before a marker
			p++
			continue
		case marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7):
			p += 2 // markers without a length
			continue
		case marker == 0xDA || marker == 0xD9: // start of scan, end of image
			return OrientNormal
		}
		n := int(binary.BigEndian.Uint16(b[p+2:]))
		if n < 2 || p+2+n > len(b) {
			return OrientNormal
		}
		seg := b[p+4 : p+2+n]
		if marker == 0xE1 && len(seg) >= 6 && string(seg[:6]) == "Exif\x00\x00" {
			if o, ok := tiffOrientation(seg[6:]); ok {
				return o
			}
		}
		p += 2 + n
	}
	return OrientNormal
}

// tiffOrientation reads the Orientation tag from IFD0 of a TIFF structure
// (the body of an EXIF APP1 segment).
func tiffOrientation(t []byte) (Orientation, bool) {
	if len(t) < 8 {
		return 0, false
	}
	var bo binary.ByteOrder
	switch string(t[:4]) {
	case "II*\x00":
		bo = binary.LittleEndian
	case "MM\x00*":
		bo = binary.BigEndian
	default:
		return 0, false
	}
	ifd := bo.Uint32(t[4:])
	if ifd < 8 || uint64(ifd)+2 > uint64(len(t)) {
		return 0, false
	}
	count := int(bo.Uint16(t[ifd:]))
	entries := t[ifd+2:]
	for i := 0; i < count && 12*(i+1) <= len(entries); i++ {
		e := entries[12*i : 12*(i+1)]
		if bo.Uint16(e) != 0x0112 {
			continue
		}
		// SHORT, one value, stored left-justified in the value field.
		if bo.Uint16(e[2:]) != 3 || bo.Uint32(e[4:]) != 1 {
			return 0, false
		}
		v := Orientation(bo.Uint16(e[8:]))
		if v < OrientNormal || v > OrientRotate270 {
			return 0, false
		}
		return v, true
	}
	return 0, false
}
