package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/hallmark-dev/hallmark/notice"
	"github.com/hallmark-dev/hallmark/store/sqlite"
)

func TestWithConsole(t *testing.T) {
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "c.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	api := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusTeapot) })
	h, err := withConsole(api, st, notice.New(st, notice.Config{}), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]int{"/console/login": 200, "/v1/listings": http.StatusTeapot, "/console/queue": http.StatusSeeOther} {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("GET", path, nil))
		if w.Code != want {
			t.Errorf("GET %s: %d, want %d", path, w.Code, want)
		}
	}
}
