package imagehash

import (
	"image"
	"testing"
)

func lumaRowManual(m *image.YCbCr, y int, dst []float32) {
	b := m.Bounds()
	cols := b.Dx()
	yrow := m.Y[m.YOffset(b.Min.X, y):][:cols]
	cbase := (y>>1-m.Rect.Min.Y>>1)*m.CStride - m.Rect.Min.X>>1
	cb, cr := m.Cb, m.Cr
	for i, yv := range yrow {
		c := cbase + (b.Min.X+i)>>1
		yy := int32(yv)<<16 + 1<<15
		cb1, cr1 := int32(cb[c])-128, int32(cr[c])-128
		r := (yy + 91881*cr1) >> 16
		g := (yy - 22554*cb1 - 46802*cr1) >> 16
		bl := (yy + 116130*cb1) >> 16
		if (r|g|bl)&^0xFF != 0 {
			r, g, bl = min(max(r, 0), 255), min(max(g, 0), 255), min(max(bl, 0), 255)
		}
		dst[i] = float32(lumaR16*r+lumaG16*g+lumaB16*bl) * (1.0 / (1 << 16))
	}
}

func BenchmarkZZLuma(b *testing.B) {
	img := mustDecode(b, encode(b, "jpeg", synthetic(1024, 1024, 42, 6))).(*image.YCbCr)
	row := make([]float32, 1024)
	for range 3 {
		b.Run("pairs", func(b *testing.B) {
			for b.Loop() {
				for y := range 1024 {
					lumaRow(img, y, row)
				}
			}
		})
		b.Run("manual", func(b *testing.B) {
			for b.Loop() {
				for y := range 1024 {
					lumaRowManual(img, y, row)
				}
			}
		})
	}
}
