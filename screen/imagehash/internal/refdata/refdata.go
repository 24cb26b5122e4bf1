// Package refdata locates the PDQ reference data set (images, expected
// hashes, index needles) that lives next to the repository, outside it,
// in ../shared/pdq-reference. Tests skip when it is absent, so the module
// still tests cleanly on its own.
package refdata

import (
	"os"
	"path/filepath"
	"testing"
)

// Dir returns the reference directory, or skips the test naming where it
// looked.
func Dir(tb testing.TB) string {
	tb.Helper()
	dir, err := find()
	if err != nil {
		tb.Skipf("pdq-reference not found at %s: skipping conformance", dir)
	}
	return dir
}

// find walks up from the working directory (the package directory under
// go test) to the module root, the directory holding go.mod.
func find() (string, error) {
	wd, err := os.Getwd()
	if err != nil {
		return "../shared/pdq-reference", err
	}
	root := wd
	for {
		if _, err := os.Stat(filepath.Join(root, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(root)
		if parent == root {
			return filepath.Join(wd, "../shared/pdq-reference"), os.ErrNotExist
		}
		root = parent
	}
	dir := filepath.Join(root, "..", "shared", "pdq-reference")
	if _, err := os.Stat(filepath.Join(dir, "expected.csv")); err != nil {
		return dir, err
	}
	return dir, nil
}
