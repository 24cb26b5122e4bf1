package imagehash

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"testing"

	"github.com/hallmark-dev/hallmark/screen/imagehash/internal/refdata"
)

// Tolerances of the reference implementations' own tests: the C++ README
// counts a port as correct when images of quality >= 80 hash within 10 bits
// of its output; the Python test accepts 16 bits on its images. Decoders
// differ (chroma upsampling, IDCT rounding), so exact equality is not
// expected.
const (
	cppTolerance      = 10
	cppMinQuality     = 80
	pythonTolerance   = 16
	dihedralTolerance = 31
)

func TestConformance(t *testing.T) {
	dir := refdata.Dir(t)
	f, err := os.Open(filepath.Join(dir, "expected.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) < 2 || rows[0][0] != "file" {
		t.Fatalf("expected.csv: unexpected header %v", rows[0])
	}
	worst := map[string]int{}
	for _, row := range rows[1:] {
		file, source := row[0], row[1]
		want, err := ParseHex(row[2])
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		path := filepath.Join(dir, "images", file)
		got, q, err := HashFile(path)
		if err != nil {
			t.Fatal(err)
		}
		d := got.Distance(want)
		// The median is the lower one (the 128th of 256 values), so a
		// hash without ties has exactly 128 bits set, as the reference's do.
		if ones := got.Distance(Hash{}); q >= MinQuality && ones != 128 {
			t.Errorf("%s: %d bits set, want 128", file, ones)
		}
		worst[source] = max(worst[source], d)
		t.Logf("%-26s %-16s quality %3d distance %2d", file, source, q, d)
		switch source {
		case "cpp-reference":
			if q >= cppMinQuality && d > cppTolerance {
				t.Errorf("%s: distance %d from the C++ reference (limit %d)\n got %s\nwant %s", file, d, cppTolerance, got, want)
			}
		case "python-reference":
			if d > pythonTolerance {
				t.Errorf("%s: distance %d from the Python reference (limit %d)\n got %s\nwant %s", file, d, pythonTolerance, got, want)
			}
		default:
			t.Errorf("%s: unknown source %q", file, source)
		}
	}
	t.Logf("largest distance per source: %v", worst)
}

// TestDihedralReference checks the coefficient-domain transforms against
// the reference's rotated and mirrored copies of one photo: each copy must
// match the original's corresponding variant within the matching radius,
// and be nearer to it than to any other variant.
func TestDihedralReference(t *testing.T) {
	dir := refdata.Dir(t)
	img, err := DecodeFile(filepath.Join(dir, "images", "bridge-1-original.jpg"), 0)
	if err != nil {
		t.Fatal(err)
	}
	variants, _ := HashDihedral(img)
	// The reference's file names follow the mathematical convention:
	// rotations are counter-clockwise and "flipx" mirrors about the x axis
	// (top-bottom). Dihedral names rotations clockwise and mirrors by the
	// direction pixels move, hence the crossed mapping.
	for _, tc := range []struct {
		file string
		want Dihedral
	}{
		{"bridge-1-original.jpg", Original},
		{"bridge-2-rotate-90.jpg", Rotate270},
		{"bridge-3-rotate-180.jpg", Rotate180},
		{"bridge-4-rotate-270.jpg", Rotate90},
		{"bridge-5-flipx.jpg", FlipY},
		{"bridge-6-flipy.jpg", FlipX},
		{"bridge-7-flip-plus-1.jpg", Transpose},
		{"bridge-8-flip-minus-1.jpg", Transverse},
	} {
		h, _, err := HashFile(filepath.Join(dir, "images", tc.file))
		if err != nil {
			t.Fatal(err)
		}
		best := Original
		for d := range variants {
			if h.Distance(variants[d]) < h.Distance(variants[best]) {
				best = Dihedral(d)
			}
		}
		d := h.Distance(variants[tc.want])
		t.Logf("%-26s %-10s distance %2d (nearest variant %s)", tc.file, tc.want, d, best)
		if d > dihedralTolerance || best != tc.want {
			t.Errorf("%s: distance %d to variant %s, nearest is %s", tc.file, d, tc.want, best)
		}
	}
}
