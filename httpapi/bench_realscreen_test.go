//go:build realscreen

package httpapi

import (
	"testing"

	"github.com/hallmark-dev/hallmark/screen"
	"github.com/hallmark-dev/hallmark/store"
)

// Built only with -tags realscreen, so this package's tests do not depend
// on the engine's work in progress:
//
//	go test ./httpapi -tags realscreen -run '^$' -bench Publish -benchtime 5000x -clients 16
func init() {
	benchScreener = func(tb testing.TB, st store.Store) Screener {
		e, err := screen.New(nil, screen.Options{Loader: st.ListBrands})
		if err != nil {
			tb.Fatal(err)
		}
		return e
	}
}
