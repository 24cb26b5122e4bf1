package storetest

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"testing"

	"github.com/hallmark-dev/hallmark"
	"github.com/hallmark-dev/hallmark/store"
)

func testUploads(t *testing.T, s store.Store) {
	data := []byte("\x89PNG\r\n\x1a\nnot really a picture, but bytes are bytes")
	sum := sha256.Sum256(data)
	u := &hallmark.Upload{ID: hex.EncodeToString(sum[:]), ContentType: "image/png", Data: data, Width: 3, Height: 2, Actor: "apikey:1"}
	if err := s.PutUpload(ctx(t), u); err != nil {
		t.Fatal(err)
	}
	if u.Size != len(data) || u.CreatedAt.IsZero() {
		t.Fatalf("PutUpload did not fill size and time: %+v", u)
	}
	// The same bytes again change nothing.
	again := *u
	again.Actor = "apikey:2"
	if err := s.PutUpload(ctx(t), &again); err != nil {
		t.Fatal(err)
	}
	got, err := s.GetUpload(ctx(t), u.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Data, data) || got.Actor != "apikey:1" || got.Width != 3 || got.ContentType != "image/png" || !got.CreatedAt.Equal(u.CreatedAt) {
		t.Fatalf("GetUpload = %+v", got)
	}
	if _, err := s.GetUpload(ctx(t), "00"+u.ID[2:]); !errors.Is(err, hallmark.ErrNotFound) {
		t.Fatalf("missing upload: %v", err)
	}
	for name, bad := range map[string]*hallmark.Upload{
		"id":    {ID: "nothex", ContentType: "image/png", Data: data, Actor: "a"},
		"empty": {ID: u.ID, ContentType: "image/png", Actor: "a"},
		"type":  {ID: u.ID, Data: data, Actor: "a"},
	} {
		if err := s.PutUpload(ctx(t), bad); !errors.Is(err, hallmark.ErrInvalid) {
			t.Errorf("%s: err = %v, want ErrInvalid", name, err)
		}
	}
}
