package sqlstore

import (
	"context"
	"database/sql"

	"github.com/hallmark-dev/hallmark/account"
)

// ListUsers returns every user by id. The hash is cleared: the admin pages
// have no use for it, and it should not travel further than it must.
func (db *DB) ListUsers(ctx context.Context) ([]account.User, error) {
	var out []account.User
	err := db.each(ctx, db.r, `SELECT `+userCols+` FROM users ORDER BY id`, nil, func(rows *sql.Rows) error {
		u, err := scanUser(rows)
		if err != nil {
			return err
		}
		u.PasswordHash = ""
		out = append(out, *u)
		return nil
	})
	return out, db.wrap("list users", err)
}
