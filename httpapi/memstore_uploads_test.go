package httpapi

import (
	"context"
	"sync"

	"github.com/hallmark-dev/hallmark"
)

// memUploads gives the in-memory test store the Uploads methods.
var memUploadsMu sync.Mutex
var memUploads = map[*memStore]map[string]hallmark.Upload{}

func (m *memStore) PutUpload(_ context.Context, u *hallmark.Upload) error {
	memUploadsMu.Lock()
	defer memUploadsMu.Unlock()
	if memUploads[m] == nil {
		memUploads[m] = map[string]hallmark.Upload{}
	}
	u.Size = len(u.Data)
	if _, ok := memUploads[m][u.ID]; !ok {
		memUploads[m][u.ID] = *u
	}
	return nil
}

func (m *memStore) GetUpload(_ context.Context, id string) (*hallmark.Upload, error) {
	memUploadsMu.Lock()
	defer memUploadsMu.Unlock()
	u, ok := memUploads[m][id]
	if !ok {
		return nil, nf("upload", id)
	}
	return &u, nil
}
