package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/hallmark-dev/hallmark"
	"github.com/hallmark-dev/hallmark/account"
	"github.com/hallmark-dev/hallmark/notice"
)

// The takedown workflow (package notice) runs its operations through a Tx
// here, so that each is one transaction: a removal, its statement of
// reasons, its timer and its audit entries commit together or not at all.

var _ notice.Store = (*DB)(nil)

// recordTables maps each record kind to its table. Only these constant
// names are ever written into SQL.
var recordTables = map[notice.Kind]string{
	notice.KindRight:     "rights",
	notice.KindNotice:    "notices",
	notice.KindStatement: "statements",
	notice.KindCounter:   "counter_notices",
	notice.KindAppeal:    "appeals",
}

// UpdateTakedown runs fn in one write transaction.
func (db *DB) UpdateTakedown(ctx context.Context, fn func(notice.Tx) error) error {
	return db.tx(ctx, func(tx *sql.Tx) error { return fn(&tdTx{db: db, q: tx}) })
}

// ViewTakedown runs fn in one read-only snapshot on the read pool.
func (db *DB) ViewTakedown(ctx context.Context, fn func(notice.Tx) error) error {
	tx, err := db.r.BeginTx(ctx, db.d.snapshot())
	if err != nil {
		return db.wrap("begin", err)
	}
	defer tx.Rollback() // read-only: nothing to commit
	return fn(&tdTx{db: db, q: tx, readOnly: true})
}

type tdTx struct {
	db       *DB
	q        *sql.Tx
	readOnly bool
}

func (t *tdTx) table(k notice.Kind) (string, error) {
	name, ok := recordTables[k]
	if !ok {
		return "", fmt.Errorf("%s: unknown record kind %q: %w", t.db.d.Name, k, hallmark.ErrInvalid)
	}
	return name, nil
}

func (t *tdTx) nullTime(p *time.Time) any {
	if p == nil {
		return nil
	}
	return t.db.ts(*p)
}

func (t *tdTx) Insert(ctx context.Context, k notice.Kind, m notice.Meta, rec func(id int64) any) (int64, error) {
	tbl, err := t.table(k)
	if err != nil {
		return 0, err
	}
	// The id is the database's, and the body carries it too: insert with a
	// placeholder body, then write the body once the id is known.
	var id int64
	err = t.q.QueryRowContext(ctx, `INSERT INTO `+tbl+` (brand_id, seller_id, status, ref_id, created_at, decided_at, body)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
		m.BrandID, m.SellerID, m.Status, m.RefID, t.db.ts(m.CreatedAt), t.nullTime(m.DecidedAt), "{}").Scan(&id)
	if err != nil {
		return 0, t.db.wrap("insert "+string(k), err)
	}
	body, err := json.Marshal(rec(id))
	if err != nil {
		return 0, err
	}
	if _, err := t.q.ExecContext(ctx, `UPDATE `+tbl+` SET body = $1 WHERE id = $2`, string(body), id); err != nil {
		return 0, t.db.wrap("insert "+string(k), err)
	}
	return id, nil
}

func (t *tdTx) Update(ctx context.Context, k notice.Kind, m notice.Meta, from string, rec any) error {
	tbl, err := t.table(k)
	if err != nil {
		return err
	}
	body, err := json.Marshal(rec)
	if err != nil {
		return err
	}
	res, err := t.q.ExecContext(ctx, `UPDATE `+tbl+` SET status = $1, decided_at = $2, body = $3 WHERE id = $4 AND status = $5`,
		m.Status, t.nullTime(m.DecidedAt), string(body), m.ID, from)
	if err != nil {
		return t.db.wrap("update "+string(k), err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return t.db.wrap("update "+string(k), err)
	} else if n == 0 {
		return fmt.Errorf("%s update %s %d: no longer %s: %w", t.db.d.Name, k, m.ID, from, hallmark.ErrConflict)
	}
	return nil
}

const recordCols = `id, brand_id, seller_id, status, ref_id, created_at, decided_at, body`

func scanRecord(row interface{ Scan(...any) error }) (notice.Meta, []byte, error) {
	var m notice.Meta
	var body []byte
	err := row.Scan(&m.ID, &m.BrandID, &m.SellerID, &m.Status, &m.RefID, timeCol{&m.CreatedAt}, nullTimeCol{&m.DecidedAt}, &body)
	return m, body, err
}

func (t *tdTx) Get(ctx context.Context, k notice.Kind, id int64, out any) (notice.Meta, error) {
	tbl, err := t.table(k)
	if err != nil {
		return notice.Meta{}, err
	}
	m, body, err := scanRecord(t.q.QueryRowContext(ctx, `SELECT `+recordCols+` FROM `+tbl+` WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return m, t.db.notFound(string(k), strconv.FormatInt(id, 10))
	}
	if err != nil {
		return m, t.db.wrap("get "+string(k), err)
	}
	return m, json.Unmarshal(body, out)
}

func (t *tdTx) filter(f notice.Filter, decided bool) where {
	var w where
	if f.AfterID > 0 {
		w.add(`id > ?`, f.AfterID)
	}
	if f.BrandID != "" {
		w.add(`brand_id = ?`, f.BrandID)
	}
	if f.BrandIDs != nil {
		if len(f.BrandIDs) == 0 {
			w.add(`1 = 0`)
		} else {
			// One placeholder per brand: the values never enter the SQL.
			args := make([]any, len(f.BrandIDs))
			marks := make([]string, len(f.BrandIDs))
			for i, b := range f.BrandIDs {
				args[i], marks[i] = b, "?"
			}
			w.add(`brand_id IN (`+strings.Join(marks, ", ")+`)`, args...)
		}
	}
	if f.SellerID != "" {
		w.add(`seller_id = ?`, f.SellerID)
	}
	if f.Status != "" {
		w.add(`status = ?`, f.Status)
	}
	if f.RefID != 0 {
		w.add(`ref_id = ?`, f.RefID)
	}
	if !f.Since.IsZero() {
		if decided {
			w.add(`decided_at >= ?`, t.db.ts(f.Since))
		} else {
			w.add(`created_at >= ?`, t.db.ts(f.Since))
		}
	} else if decided {
		w.add(`decided_at IS NOT NULL`)
	}
	return w
}

func (t *tdTx) List(ctx context.Context, k notice.Kind, f notice.Filter, fn func(notice.Meta, []byte) error) error {
	tbl, err := t.table(k)
	if err != nil {
		return err
	}
	w := t.filter(f, false)
	q := `SELECT ` + recordCols + ` FROM ` + tbl + w.String() + ` ORDER BY id` + w.limit(limitOrDefault(f.Limit))
	return t.db.each(ctx, t.q, q, w.args, func(rows *sql.Rows) error {
		m, body, err := scanRecord(rows)
		if err != nil {
			return err
		}
		return fn(m, body)
	})
}

// limitOrDefault is store.Page's limit rule: 0 means 50, at most 1000.
func limitOrDefault(n int) int {
	switch {
	case n <= 0:
		return 50
	case n > 1000:
		return 1000
	}
	return n
}

func (t *tdTx) Count(ctx context.Context, k notice.Kind, f notice.Filter, decided bool) ([]notice.CountRow, error) {
	tbl, err := t.table(k)
	if err != nil {
		return nil, err
	}
	f.AfterID = 0
	w := t.filter(f, decided)
	var out []notice.CountRow
	err = t.db.each(ctx, t.q, `SELECT brand_id, status, COUNT(*) FROM `+tbl+w.String()+` GROUP BY brand_id, status ORDER BY brand_id, status`,
		w.args, func(rows *sql.Rows) error {
			var r notice.CountRow
			if err := rows.Scan(&r.BrandID, &r.Status, &r.N); err != nil {
				return err
			}
			out = append(out, r)
			return nil
		})
	return out, err
}

const userCols = `id, email, name, role, brand_ids, seller_id, password_hash, created_at`

func scanUser(row interface{ Scan(...any) error }) (*account.User, error) {
	var u account.User
	var role string
	var brands []byte
	if err := row.Scan(&u.ID, &u.Email, &u.Name, &role, &brands, &u.SellerID, &u.PasswordHash, timeCol{&u.CreatedAt}); err != nil {
		return nil, err
	}
	u.Role = account.Role(role)
	if err := json.Unmarshal(brands, &u.BrandIDs); err != nil {
		return nil, err
	}
	if len(u.BrandIDs) == 0 {
		u.BrandIDs = nil
	}
	return &u, nil
}

func (t *tdTx) CreateUser(ctx context.Context, u *account.User) error {
	brands, err := jsonArray(u.BrandIDs)
	if err != nil {
		return err
	}
	u.CreatedAt = t.db.nowOr(u.CreatedAt)
	err = t.q.QueryRowContext(ctx, `INSERT INTO users (email, name, role, brand_ids, seller_id, password_hash, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
		u.Email, u.Name, string(u.Role), brands, u.SellerID, u.PasswordHash, t.db.ts(u.CreatedAt)).Scan(&u.ID)
	return t.db.wrap("create user", err)
}

func (t *tdTx) user(ctx context.Context, what, q string, arg any) (*account.User, error) {
	u, err := scanUser(t.q.QueryRowContext(ctx, q, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, t.db.notFound("user", what)
	}
	return u, t.db.wrap("get user", err)
}

func (t *tdTx) GetUser(ctx context.Context, id int64) (*account.User, error) {
	return t.user(ctx, strconv.FormatInt(id, 10), `SELECT `+userCols+` FROM users WHERE id = $1`, id)
}

func (t *tdTx) UserByEmail(ctx context.Context, email string) (*account.User, error) {
	return t.user(ctx, email, `SELECT `+userCols+` FROM users WHERE email = $1`, email)
}

func (t *tdTx) CreateSession(ctx context.Context, s *account.Session) error {
	_, err := t.q.ExecContext(ctx, `INSERT INTO sessions (hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)`,
		s.Hash, s.UserID, t.db.ts(s.CreatedAt), t.db.ts(s.ExpiresAt))
	return t.db.wrap("create session", err)
}

func (t *tdTx) GetSession(ctx context.Context, hash []byte) (*account.Session, error) {
	s := account.Session{Hash: hash}
	err := t.q.QueryRowContext(ctx, `SELECT user_id, created_at, expires_at FROM sessions WHERE hash = $1`, hash).
		Scan(&s.UserID, timeCol{&s.CreatedAt}, timeCol{&s.ExpiresAt})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, t.db.notFound("session", "")
	}
	if err != nil {
		return nil, t.db.wrap("get session", err)
	}
	return &s, nil
}

func (t *tdTx) DeleteSession(ctx context.Context, hash []byte) error {
	_, err := t.q.ExecContext(ctx, `DELETE FROM sessions WHERE hash = $1`, hash)
	return t.db.wrap("delete session", err)
}

func (t *tdTx) GetStanding(ctx context.Context, brand string) (*notice.Standing, error) {
	var body []byte
	err := t.q.QueryRowContext(ctx, `SELECT body FROM notifier_standing WHERE brand_id = $1`, brand).Scan(&body)
	if errors.Is(err, sql.ErrNoRows) {
		return &notice.Standing{BrandID: brand}, nil
	}
	if err != nil {
		return nil, t.db.wrap("get standing", err)
	}
	var s notice.Standing
	return &s, json.Unmarshal(body, &s)
}

func (t *tdTx) PutStanding(ctx context.Context, s *notice.Standing) error {
	body, err := json.Marshal(s)
	if err != nil {
		return err
	}
	_, err = t.q.ExecContext(ctx, `INSERT INTO notifier_standing (brand_id, body, updated_at) VALUES ($1, $2, $3)
		ON CONFLICT (brand_id) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at`,
		s.BrandID, string(body), t.db.ts(t.db.nowOr(s.UpdatedAt)))
	return t.db.wrap("put standing", err)
}

func (t *tdTx) AddTimer(ctx context.Context, tm *notice.Timer) error {
	err := t.q.QueryRowContext(ctx, `INSERT INTO timers (kind, ref_id, due_at) VALUES ($1, $2, $3) RETURNING id`,
		tm.Kind, tm.RefID, t.db.ts(tm.Due)).Scan(&tm.ID)
	return t.db.wrap("add timer", err)
}

func (t *tdTx) DueTimers(ctx context.Context, now time.Time, limit int) ([]notice.Timer, error) {
	var out []notice.Timer
	err := t.db.each(ctx, t.q, `SELECT id, kind, ref_id, due_at FROM timers WHERE due_at <= $1 ORDER BY due_at, id LIMIT $2`,
		[]any{t.db.ts(now), limit}, func(rows *sql.Rows) error {
			var tm notice.Timer
			if err := rows.Scan(&tm.ID, &tm.Kind, &tm.RefID, timeCol{&tm.Due}); err != nil {
				return err
			}
			out = append(out, tm)
			return nil
		})
	return out, err
}

func (t *tdTx) DeleteTimer(ctx context.Context, id int64) (bool, error) {
	res, err := t.q.ExecContext(ctx, `DELETE FROM timers WHERE id = $1`, id)
	if err != nil {
		return false, t.db.wrap("delete timer", err)
	}
	n, err := res.RowsAffected()
	return n > 0, t.db.wrap("delete timer", err)
}

func (t *tdTx) DeleteTimersFor(ctx context.Context, kind string, refID int64) error {
	_, err := t.q.ExecContext(ctx, `DELETE FROM timers WHERE ref_id = $1 AND kind = $2`, refID, kind)
	return t.db.wrap("delete timers", err)
}

func (t *tdTx) GetListing(ctx context.Context, id string) (*hallmark.Listing, error) {
	l, err := scanListing(t.q.QueryRowContext(ctx, sqlGetListing, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, t.db.notFound("listing", id)
	}
	if err != nil {
		return nil, t.db.wrap("get listing", err)
	}
	return l, nil
}

func (t *tdTx) SetListingStatus(ctx context.Context, id string, status hallmark.ListingStatus, actor, reason string, at time.Time) error {
	if !validStatus(status) {
		return fmt.Errorf("%s set listing status: %w", t.db.d.Name, &hallmark.ValidationError{Field: "status", Message: fmt.Sprintf("unknown status %q", status)})
	}
	now := t.db.nowOr(at)
	var from string
	err := t.q.QueryRowContext(ctx, `SELECT status FROM listings WHERE id = $1`, id).Scan(&from)
	if errors.Is(err, sql.ErrNoRows) {
		return t.db.notFound("listing", id)
	}
	if err != nil {
		return t.db.wrap("set listing status", err)
	}
	if _, err := t.q.ExecContext(ctx, `UPDATE listings SET status = $1, updated_at = $2 WHERE id = $3`,
		string(status), t.db.d.Time(now), id); err != nil {
		return t.db.wrap("set listing status", err)
	}
	detail, err := json.Marshal(map[string]string{"from": from, "to": string(status), "reason": reason})
	if err != nil {
		return err
	}
	return t.db.appendAudit(ctx, t.q, &hallmark.AuditEntry{
		At: now, Actor: actor, Action: "status_change", ObjectType: "listing", ObjectID: id, Detail: string(detail),
	})
}

func (t *tdTx) AppendAudit(ctx context.Context, e *hallmark.AuditEntry) error {
	return t.db.appendAudit(ctx, t.q, e)
}
