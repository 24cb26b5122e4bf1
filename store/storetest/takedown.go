package storetest

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/hallmark-dev/hallmark"
	"github.com/hallmark-dev/hallmark/account"
	"github.com/hallmark-dev/hallmark/notice"
	"github.com/hallmark-dev/hallmark/store"
)

// RunTakedown is the suite of the takedown transactions (notice.Store)
// that every store must pass, like Run.
func RunTakedown(t *testing.T, open func(t *testing.T) store.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s store.Store)
	}{
		{"Records", testRecords},
		{"RecordFilters", testRecordFilters},
		{"RollbackWritesNothing", testTakedownRollback},
		{"UsersAndSessions", testUsersAndSessions},
		{"Standing", testStanding},
		{"Timers", testTimers},
		{"ListingStatusInTx", testListingStatusInTx},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, open(t)) })
	}
}

type rec struct {
	ID   int64  `json:"id"`
	Text string `json:"text"`
}

func update(t *testing.T, s store.Store, fn func(tx notice.Tx) error) {
	t.Helper()
	if err := s.UpdateTakedown(ctx(t), fn); err != nil {
		t.Fatal(err)
	}
}

func insert(t *testing.T, s store.Store, k notice.Kind, m notice.Meta) int64 {
	t.Helper()
	var id int64
	update(t, s, func(tx notice.Tx) error {
		var err error
		id, err = tx.Insert(ctx(t), k, m, func(id int64) any { return rec{ID: id, Text: "hello " + m.BrandID} })
		return err
	})
	return id
}

func testRecords(t *testing.T, s store.Store) {
	id := insert(t, s, notice.KindNotice, notice.Meta{BrandID: "acme", Status: "received", RefID: 7, CreatedAt: t0})
	var got rec
	var m notice.Meta
	err := s.ViewTakedown(ctx(t), func(tx notice.Tx) error {
		var err error
		m, err = tx.Get(ctx(t), notice.KindNotice, id, &got)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	same(t, "record", got, rec{ID: id, Text: "hello acme"})
	same(t, "meta", m, notice.Meta{ID: id, BrandID: "acme", Status: "received", RefID: 7, CreatedAt: t0})

	// Update only from the expected status.
	decided := t0.Add(time.Hour)
	m.Status, m.DecidedAt = "accepted", &decided
	update(t, s, func(tx notice.Tx) error {
		return tx.Update(ctx(t), notice.KindNotice, m, "received", rec{ID: id, Text: "changed"})
	})
	err = s.UpdateTakedown(ctx(t), func(tx notice.Tx) error {
		return tx.Update(ctx(t), notice.KindNotice, m, "received", rec{ID: id, Text: "lost"})
	})
	wantErr(t, "update from a stale status", err, hallmark.ErrConflict)
	_ = s.ViewTakedown(ctx(t), func(tx notice.Tx) error {
		m2, err := tx.Get(ctx(t), notice.KindNotice, id, &got)
		if err != nil {
			t.Fatal(err)
		}
		same(t, "updated", got.Text, "changed")
		same(t, "decided_at", *m2.DecidedAt, decided)
		return nil
	})
	err = s.ViewTakedown(ctx(t), func(tx notice.Tx) error {
		_, err := tx.Get(ctx(t), notice.KindAppeal, id+1000, &got)
		return err
	})
	wantErr(t, "missing record", err, hallmark.ErrNotFound)
	err = s.ViewTakedown(ctx(t), func(tx notice.Tx) error {
		_, err := tx.Get(ctx(t), notice.Kind("bogus"), 1, &got)
		return err
	})
	wantErr(t, "unknown kind", err, hallmark.ErrInvalid)
}

func testRecordFilters(t *testing.T, s store.Store) {
	for i, b := range []string{"acme", "bolt", "acme", "core"} {
		insert(t, s, notice.KindStatement, notice.Meta{BrandID: b, SellerID: "s" + b[:1], Status: "in_force", RefID: int64(i % 2),
			CreatedAt: t0.Add(time.Duration(i) * time.Hour)})
	}
	list := func(f notice.Filter) []int64 {
		t.Helper()
		var ids []int64
		err := s.ViewTakedown(ctx(t), func(tx notice.Tx) error {
			return tx.List(ctx(t), notice.KindStatement, f, func(m notice.Meta, raw []byte) error {
				var r rec
				if err := json.Unmarshal(raw, &r); err != nil || r.ID != m.ID {
					t.Errorf("body %s does not match id %d", raw, m.ID)
				}
				ids = append(ids, m.ID)
				return nil
			})
		})
		if err != nil {
			t.Fatal(err)
		}
		return ids
	}
	same(t, "all", list(notice.Filter{}), []int64{1, 2, 3, 4})
	same(t, "brand", list(notice.Filter{BrandID: "acme"}), []int64{1, 3})
	same(t, "brands", list(notice.Filter{BrandIDs: []string{"bolt", "core"}}), []int64{2, 4})
	same(t, "no brands", list(notice.Filter{BrandIDs: []string{}}), []int64(nil))
	same(t, "seller", list(notice.Filter{SellerID: "sb"}), []int64{2})
	same(t, "ref", list(notice.Filter{RefID: 1}), []int64{2, 4})
	same(t, "since", list(notice.Filter{Since: t0.Add(2 * time.Hour)}), []int64{3, 4})
	same(t, "page", list(notice.Filter{AfterID: 1, Limit: 2}), []int64{2, 3})
	same(t, "status", list(notice.Filter{Status: "restored"}), []int64(nil))
	// An injection attempt is only a value.
	same(t, "quoted", list(notice.Filter{BrandID: "x' OR '1'='1"}), []int64(nil))

	var rows []notice.CountRow
	err := s.ViewTakedown(ctx(t), func(tx notice.Tx) error {
		var err error
		rows, err = tx.Count(ctx(t), notice.KindStatement, notice.Filter{}, false)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	same(t, "counts", rows, []notice.CountRow{
		{BrandID: "acme", Status: "in_force", N: 2}, {BrandID: "bolt", Status: "in_force", N: 1}, {BrandID: "core", Status: "in_force", N: 1}})
	err = s.ViewTakedown(ctx(t), func(tx notice.Tx) error {
		var err error
		rows, err = tx.Count(ctx(t), notice.KindStatement, notice.Filter{}, true)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	same(t, "decided counts", len(rows), 0)
}

func testTakedownRollback(t *testing.T, s store.Store) {
	boom := errors.New("boom")
	err := s.UpdateTakedown(ctx(t), func(tx notice.Tx) error {
		if _, err := tx.Insert(ctx(t), notice.KindRight, notice.Meta{BrandID: "acme", Status: "pending", CreatedAt: t0},
			func(id int64) any { return rec{ID: id} }); err != nil {
			return err
		}
		if err := tx.AddTimer(ctx(t), &notice.Timer{Kind: notice.TimerRestore, RefID: 1, Due: t0}); err != nil {
			return err
		}
		if err := tx.AppendAudit(ctx(t), &hallmark.AuditEntry{Actor: "t", Action: "x", ObjectType: "right", ObjectID: "1"}); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("got %v", err)
	}
	_ = s.ViewTakedown(ctx(t), func(tx notice.Tx) error {
		n := 0
		_ = tx.List(ctx(t), notice.KindRight, notice.Filter{}, func(notice.Meta, []byte) error { n++; return nil })
		due, _ := tx.DueTimers(ctx(t), t0.Add(time.Hour), 10)
		if n != 0 || len(due) != 0 {
			t.Errorf("a rolled-back transaction left %d records and %d timers", n, len(due))
		}
		return nil
	})
	if es := audit(t, s, "right", "1"); len(es) != 0 {
		t.Errorf("a rolled-back transaction left audit entries: %v", es)
	}
}

func testUsersAndSessions(t *testing.T, s store.Store) {
	u := &account.User{Email: "a@example.com", Name: "A", Role: account.RightsHolder, BrandIDs: []string{"acme", "bolt"}, PasswordHash: "$argon2id$x", CreatedAt: t0}
	update(t, s, func(tx notice.Tx) error { return tx.CreateUser(ctx(t), u) })
	dup := &account.User{Email: "a@example.com", Name: "B", Role: account.Seller, SellerID: "s1", PasswordHash: "h"}
	wantErr(t, "duplicate email", s.UpdateTakedown(ctx(t), func(tx notice.Tx) error { return tx.CreateUser(ctx(t), dup) }), hallmark.ErrConflict)
	hash := bytes.Repeat([]byte{7}, 32)
	update(t, s, func(tx notice.Tx) error {
		return tx.CreateSession(ctx(t), &account.Session{Hash: hash, UserID: u.ID, CreatedAt: t0, ExpiresAt: t0.Add(time.Hour)})
	})
	_ = s.ViewTakedown(ctx(t), func(tx notice.Tx) error {
		got, err := tx.UserByEmail(ctx(t), "a@example.com")
		if err != nil {
			t.Fatal(err)
		}
		same(t, "user", got, u)
		sess, err := tx.GetSession(ctx(t), hash)
		if err != nil {
			t.Fatal(err)
		}
		same(t, "session", sess, &account.Session{Hash: hash, UserID: u.ID, CreatedAt: t0, ExpiresAt: t0.Add(time.Hour)})
		_, err = tx.GetUser(ctx(t), u.ID+100)
		wantErr(t, "missing user", err, hallmark.ErrNotFound)
		return nil
	})
	update(t, s, func(tx notice.Tx) error { return tx.DeleteSession(ctx(t), hash) })
	err := s.ViewTakedown(ctx(t), func(tx notice.Tx) error { _, err := tx.GetSession(ctx(t), hash); return err })
	wantErr(t, "deleted session", err, hallmark.ErrNotFound)
}

func testStanding(t *testing.T, s store.Store) {
	_ = s.ViewTakedown(ctx(t), func(tx notice.Tx) error {
		st, err := tx.GetStanding(ctx(t), "acme")
		if err != nil {
			t.Fatal(err)
		}
		same(t, "empty standing", st, &notice.Standing{BrandID: "acme"})
		return nil
	})
	until := t0.Add(30 * 24 * time.Hour)
	want := &notice.Standing{BrandID: "acme", FastLane: true, Warnings: 1, SuspendedUntil: &until, AcceptanceRate: 0.95, UpdatedAt: t0}
	for range 2 { // the second is an update
		update(t, s, func(tx notice.Tx) error { return tx.PutStanding(ctx(t), want) })
	}
	_ = s.ViewTakedown(ctx(t), func(tx notice.Tx) error {
		st, err := tx.GetStanding(ctx(t), "acme")
		if err != nil {
			t.Fatal(err)
		}
		same(t, "standing", st, want)
		return nil
	})
}

func testTimers(t *testing.T, s store.Store) {
	var ids []int64
	update(t, s, func(tx notice.Tx) error {
		for i, d := range []time.Duration{3, 1, 2, 5} {
			tm := &notice.Timer{Kind: notice.TimerRestore, RefID: int64(i + 1), Due: t0.Add(d * time.Hour)}
			if err := tx.AddTimer(ctx(t), tm); err != nil {
				return err
			}
			ids = append(ids, tm.ID)
		}
		return nil
	})
	due := func(at time.Time) []int64 {
		var refs []int64
		_ = s.ViewTakedown(ctx(t), func(tx notice.Tx) error {
			ts, err := tx.DueTimers(ctx(t), at, 10)
			if err != nil {
				t.Fatal(err)
			}
			for _, tm := range ts {
				refs = append(refs, tm.RefID)
			}
			return nil
		})
		return refs
	}
	same(t, "none due", due(t0), []int64(nil))
	same(t, "due, earliest first", due(t0.Add(3*time.Hour)), []int64{2, 3, 1})
	update(t, s, func(tx notice.Tx) error {
		ok, err := tx.DeleteTimer(ctx(t), ids[1])
		if err != nil || !ok {
			t.Errorf("first delete: %v %v", ok, err)
		}
		ok, err = tx.DeleteTimer(ctx(t), ids[1])
		if err != nil || ok {
			t.Errorf("second delete claimed it again: %v %v", ok, err)
		}
		return tx.DeleteTimersFor(ctx(t), notice.TimerRestore, 3)
	})
	same(t, "after deletes", due(t0.Add(10*time.Hour)), []int64{1, 4})
}

func testListingStatusInTx(t *testing.T, s store.Store) {
	seller(t, s, "s1")
	screen(t, s, listing("l1", "s1"), decision(hallmark.Allow, t0))
	at := t0.Add(time.Hour)
	update(t, s, func(tx notice.Tx) error {
		return tx.SetListingStatus(ctx(t), "l1", hallmark.StatusRemoved, "user:1", "notice 1", at)
	})
	l, err := s.GetListing(ctx(t), "l1")
	if err != nil {
		t.Fatal(err)
	}
	same(t, "status", l.Status, hallmark.StatusRemoved)
	es := audit(t, s, "listing", "l1")
	last := es[len(es)-1]
	same(t, "audit", []any{last.Action, last.Actor, last.At}, []any{"status_change", "user:1", at})
	err = s.UpdateTakedown(ctx(t), func(tx notice.Tx) error {
		return tx.SetListingStatus(ctx(t), "nope", hallmark.StatusActive, "user:1", "x", at)
	})
	wantErr(t, "missing listing", err, hallmark.ErrNotFound)
}
