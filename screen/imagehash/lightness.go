package imagehash

import (
	"image"
	"image/color"
)

// Lightness returns img as the HSL lightness of each pixel, (max+min)/2 of
// its red, green and blue. PDQ hashes luma, which a hue shift changes: a
// red turned blue gets darker. A hue shift in HSL or HSV, as image editors
// make it, keeps each pixel's largest and smallest channel and so its
// lightness: the PDQ of Lightness is the same before and after.
func Lightness(img image.Image) *image.Gray {
	b := img.Bounds()
	out := image.NewGray(image.Rect(0, 0, b.Dx(), b.Dy()))
	light := func(r, g, bl uint8) uint8 {
		return uint8((uint16(max(r, g, bl)) + uint16(min(r, g, bl)) + 1) / 2)
	}
	for y := range b.Dy() {
		dst := out.Pix[y*out.Stride:][:b.Dx()]
		switch m := img.(type) {
		case *image.RGBA:
			src := m.Pix[m.PixOffset(b.Min.X, b.Min.Y+y):]
			for x := range dst {
				dst[x] = light(src[4*x], src[4*x+1], src[4*x+2])
			}
		case *image.NRGBA:
			src := m.Pix[m.PixOffset(b.Min.X, b.Min.Y+y):]
			for x := range dst {
				dst[x] = light(src[4*x], src[4*x+1], src[4*x+2])
			}
		case *image.YCbCr:
			for x := range dst {
				yi, ci := m.YOffset(b.Min.X+x, b.Min.Y+y), m.COffset(b.Min.X+x, b.Min.Y+y)
				r, g, bl := color.YCbCrToRGB(m.Y[yi], m.Cb[ci], m.Cr[ci])
				dst[x] = light(r, g, bl)
			}
		case *image.Gray:
			copy(dst, m.Pix[m.PixOffset(b.Min.X, b.Min.Y+y):])
		default:
			for x := range dst {
				c := color.NRGBAModel.Convert(img.At(b.Min.X+x, b.Min.Y+y)).(color.NRGBA)
				dst[x] = light(c.R, c.G, c.B)
			}
		}
	}
	return out
}
