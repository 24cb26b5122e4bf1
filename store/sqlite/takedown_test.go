package sqlite

import (
	"testing"

	"github.com/hallmark-dev/hallmark/store"
	"github.com/hallmark-dev/hallmark/store/storetest"
)

func TestTakedownStore(t *testing.T) {
	storetest.RunTakedown(t, func(t *testing.T) store.Store { return open(t) })
}
