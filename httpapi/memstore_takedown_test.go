package httpapi

import (
	"context"
	"errors"

	"github.com/hallmark-dev/hallmark/notice"
)

// The in-memory store does not keep takedown data: the tests that use it
// exercise other paths, and the takedown tests run on the real stores.
var errNoTakedown = errors.New("memStore: no takedown support")

func (m *memStore) UpdateTakedown(context.Context, func(notice.Tx) error) error { return errNoTakedown }
func (m *memStore) ViewTakedown(context.Context, func(notice.Tx) error) error   { return errNoTakedown }
