package store

import (
	"context"

	"github.com/hallmark-dev/hallmark/account"
)

// Users lists the console's people for the admin pages. Creating them goes
// through the notice workflow (it hashes passwords and audits); this only
// reads. Like Review, both databases implement it outside Store.
type Users interface {
	// ListUsers returns every user ordered by id, without password hashes.
	ListUsers(ctx context.Context) ([]account.User, error)
}
