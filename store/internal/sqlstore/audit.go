package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/hallmark-dev/hallmark"
	"github.com/hallmark-dev/hallmark/store"
)

// AppendAudit appends an entry and sets e.ID (and e.At if it was zero).
// Detail, if not empty, must be JSON.
func (db *DB) AppendAudit(ctx context.Context, e *hallmark.AuditEntry) error {
	return db.appendAudit(ctx, db.w, e)
}

// appendAudit writes an entry through q, which is the caller's transaction
// when the entry records a change made in it: the change and its record
// commit together or not at all.
func (db *DB) appendAudit(ctx context.Context, q querier, e *hallmark.AuditEntry) error {
	return db.appendAuditWith(ctx, queryRower(func(ctx context.Context, args ...any) *sql.Row {
		return q.QueryRowContext(ctx, sqlInsertAudit, args...)
	}), e)
}

// sqlInsertAudit appends one entry; its parameters are at, actor, action,
// object_type, object_id and detail.
const sqlInsertAudit = `
	INSERT INTO audit_log (at, actor, action, object_type, object_id, detail)
	VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`

// rowQuerier runs one fixed query: a prepared *sql.Stmt, or a querier with
// the query bound (queryRower).
type rowQuerier interface {
	QueryRowContext(ctx context.Context, args ...any) *sql.Row
}

type queryRower func(ctx context.Context, args ...any) *sql.Row

func (f queryRower) QueryRowContext(ctx context.Context, args ...any) *sql.Row {
	return f(ctx, args...)
}

// appendAuditWith is appendAudit through ins, which runs sqlInsertAudit
// (prepared, on the hot paths).
func (db *DB) appendAuditWith(ctx context.Context, ins rowQuerier, e *hallmark.AuditEntry) error {
	if e == nil {
		return fmt.Errorf("%s append audit: %w", db.d.Name, &hallmark.ValidationError{Field: "entry", Message: "is required"})
	}
	for _, c := range []struct{ field, v string }{{"actor", e.Actor}, {"action", e.Action}, {"object_type", e.ObjectType}} {
		if err := text(c.field, c.v, hallmark.MaxIDLen, true); err != nil {
			return fmt.Errorf("%s append audit: %w", db.d.Name, err)
		}
	}
	if err := text("object_id", e.ObjectID, hallmark.MaxIDLen, false); err != nil {
		return fmt.Errorf("%s append audit: %w", db.d.Name, err)
	}
	if e.Detail != "" && !json.Valid([]byte(e.Detail)) {
		return fmt.Errorf("%s append audit: %w", db.d.Name, &hallmark.ValidationError{Field: "detail", Message: "is not JSON"})
	}
	at := db.nowOr(e.At)
	var id int64
	err := ins.QueryRowContext(ctx, db.d.Time(at), e.Actor, e.Action, e.ObjectType, e.ObjectID, e.Detail).Scan(&id)
	if err != nil {
		return db.wrap("append audit", err)
	}
	e.ID, e.At = id, at
	return nil
}

// ListAudit returns entries in the order they were appended, after the
// cursor made by store.AuditCursor. An empty objectType lists every entry;
// an empty objectID every entry for that type.
func (db *DB) ListAudit(ctx context.Context, objectType, objectID string, page store.Page) ([]hallmark.AuditEntry, error) {
	var w where
	if page.After != "" {
		after, err := store.ParseAuditCursor(page.After)
		if err != nil {
			return nil, fmt.Errorf("%s list audit: %w", db.d.Name, err)
		}
		w.add(`id > ?`, after)
	}
	if objectType != "" {
		w.add(`object_type = ?`, objectType)
		if objectID != "" {
			w.add(`object_id = ?`, objectID)
		}
	}
	q := `SELECT id, at, actor, action, object_type, object_id, detail FROM audit_log` + w.String() + ` ORDER BY id`
	q += w.limit(page.LimitOrDefault())
	var out []hallmark.AuditEntry
	err := db.each(ctx, db.r, q, w.args, func(rows *sql.Rows) error {
		var e hallmark.AuditEntry
		if err := rows.Scan(&e.ID, timeCol{&e.At}, &e.Actor, &e.Action, &e.ObjectType, &e.ObjectID, &e.Detail); err != nil {
			return err
		}
		out = append(out, e)
		return nil
	})
	return out, err
}
