package sqlstore

import (
	"context"
	"database/sql"
	"regexp"

	"github.com/hallmark-dev/hallmark"
)

// uploadID is the hex SHA-256 of an upload's bytes.
var uploadID = regexp.MustCompile(`^[0-9a-f]{64}$`)

// maxUploadBytes bounds one stored upload.
const maxUploadBytes = 32 << 20

// PutUpload stores an upload. Storing the same id again changes nothing: the
// id is the hash of the bytes.
func (db *DB) PutUpload(ctx context.Context, u *hallmark.Upload) error {
	switch {
	case !uploadID.MatchString(u.ID):
		return db.wrap("put upload", &hallmark.ValidationError{Field: "id", Message: "must be the 64-digit hex SHA-256 of the image"})
	case len(u.Data) == 0 || len(u.Data) > maxUploadBytes:
		return db.wrap("put upload", &hallmark.ValidationError{Field: "data", Message: "must be 1 byte to 32 MiB"})
	}
	if err := text("content_type", u.ContentType, 100, true); err != nil {
		return db.wrap("put upload", err)
	}
	if err := text("actor", u.Actor, hallmark.MaxIDLen, true); err != nil {
		return db.wrap("put upload", err)
	}
	u.Size = len(u.Data)
	u.CreatedAt = db.nowOr(u.CreatedAt)
	_, err := db.w.ExecContext(ctx, `
		INSERT INTO uploads (id, content_type, size, width, height, data, actor, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
		ON CONFLICT (id) DO NOTHING`,
		u.ID, u.ContentType, u.Size, u.Width, u.Height, u.Data, u.Actor, db.ts(u.CreatedAt))
	return db.wrap("put upload", err)
}

// GetUpload returns an upload with its bytes.
func (db *DB) GetUpload(ctx context.Context, id string) (*hallmark.Upload, error) {
	var u hallmark.Upload
	err := db.r.QueryRowContext(ctx, `
		SELECT id, content_type, size, width, height, data, actor, created_at FROM uploads WHERE id = $1`, id).
		Scan(&u.ID, &u.ContentType, &u.Size, &u.Width, &u.Height, &u.Data, &u.Actor, timeCol{&u.CreatedAt})
	if err == sql.ErrNoRows {
		return nil, db.notFound("upload", id)
	}
	if err != nil {
		return nil, db.wrap("get upload", err)
	}
	return &u, nil
}
