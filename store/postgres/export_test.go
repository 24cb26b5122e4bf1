package postgres

import "context"

// ExecRaw runs SQL straight on the database, bypassing the store, so the
// shared suite can prove the database itself protects the audit log.
// It exists only in test builds.
func (db *DB) ExecRaw(ctx context.Context, query string, args ...any) error {
	_, err := db.db.ExecContext(ctx, query, args...)
	return err
}
