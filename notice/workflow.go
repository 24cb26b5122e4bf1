package notice

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hallmark-dev/hallmark"
	"github.com/hallmark-dev/hallmark/account"
)

// NoticeInput is what a notifier files: the contents of DSA Art. 16(2).
type NoticeInput struct {
	BrandID     string   `json:"brand_id"`
	RightID     int64    `json:"right_id"`
	ListingIDs  []string `json:"listing_ids"`
	Explanation string   `json:"explanation"`
	GoodFaith   bool     `json:"good_faith"`
	Contact     Contact  `json:"contact"`
}

// FileNotice validates and records a notice, acknowledging it at once. A
// notifier in the fast lane has the listings removed in the same
// transaction, by automated means, which the notice and the statements say.
// Nothing is written when anything is wrong.
func (s *Service) FileNotice(ctx context.Context, p account.Principal, in NoticeInput) (*Notice, error) {
	if p.Role != account.RightsHolder && p.Role != account.Admin {
		return nil, forbidden("only rights holders file notices")
	}
	if err := checkText("brand_id", in.BrandID, hallmark.MaxIDLen, true); err != nil {
		return nil, err
	}
	if !p.ActsFor(in.BrandID) {
		return nil, forbidden("you do not act for brand %q", in.BrandID)
	}
	if !in.GoodFaith {
		return nil, invalid("good_faith", "the statement that the notice is made in good faith and is accurate is required (DSA Art. 16(2)(d))")
	}
	switch n := len(in.ListingIDs); {
	case n == 0:
		return nil, invalid("listing_ids", "name at least one listing")
	case n > MaxListings:
		return nil, invalid("listing_ids", "a notice names at most %d listings, not %d: split it", MaxListings, n)
	}
	seen := make(map[string]bool, len(in.ListingIDs))
	for _, id := range in.ListingIDs {
		if err := checkText("listing_ids", id, hallmark.MaxIDLen, true); err != nil {
			return nil, err
		}
		if seen[id] {
			return nil, invalid("listing_ids", "listing %q is named twice", id)
		}
		seen[id] = true
	}
	if err := checkText("explanation", in.Explanation, maxExplanation, true); err != nil {
		return nil, err
	}
	if err := checkContact("contact", in.Contact); err != nil {
		return nil, err
	}
	now := s.now()
	n := &Notice{BrandID: in.BrandID, RightID: in.RightID, ListingIDs: in.ListingIDs, Explanation: in.Explanation,
		GoodFaith: true, Contact: in.Contact, Status: NoticeReceived, ReceivedAt: now, FiledBy: p.Actor}
	err := s.st.UpdateTakedown(ctx, func(tx Tx) error {
		st, err := tx.GetStanding(ctx, in.BrandID)
		if err != nil {
			return err
		}
		if st.SuspendedUntil != nil && now.Before(*st.SuspendedUntil) {
			return &Refusal{Code: "notifier_suspended", Kind: ErrForbidden, Msg: fmt.Sprintf(
				"notices from brand %q are suspended until %s for manifestly unfounded notices (DSA Art. 23)",
				in.BrandID, st.SuspendedUntil.Format(time.RFC3339))}
		}
		var r Right
		m, err := tx.Get(ctx, KindRight, in.RightID, &r)
		// Another brand's right reads as no right at all: its existence is
		// not the notifier's business.
		if errors.Is(err, hallmark.ErrNotFound) || (err == nil && m.BrandID != in.BrandID) {
			return invalid("right_id", "brand %q has no right %d", in.BrandID, in.RightID)
		}
		if err != nil {
			return err
		}
		if r.Status != RightVerified {
			return invalid("right_id", "right %d is %s: only verified rights back notices", in.RightID, r.Status)
		}
		for _, id := range in.ListingIDs {
			l, err := tx.GetListing(ctx, id)
			if errors.Is(err, hallmark.ErrNotFound) {
				return invalid("listing_ids", "no listing %q", id)
			}
			if err != nil {
				return err
			}
			if l.Status == hallmark.StatusRemoved {
				return invalid("listing_ids", "listing %q is already removed", id)
			}
		}
		if _, err := tx.Insert(ctx, KindNotice, Meta{BrandID: n.BrandID, Status: string(n.Status), RefID: n.RightID, CreatedAt: now},
			func(id int64) any { n.ID = id; return n }); err != nil {
			return err
		}
		if err := audit(ctx, tx, now, p.Actor, "notice_received", "notice", n.ID,
			map[string]any{"brand_id": n.BrandID, "right_id": n.RightID, "listings": len(n.ListingIDs)}); err != nil {
			return err
		}
		if st.FastLane {
			return s.decide(ctx, tx, n, &r, NoticeReceived, true, "accepted through the trusted fast lane", "system:fast_lane", true, false, now)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return n, nil
}

// DecideNotice is a reviewer's decision on a received notice. A rejection
// may mark the notice manifestly unfounded, which warns and then suspends
// the notifier.
func (s *Service) DecideNotice(ctx context.Context, p account.Principal, id int64, accept bool, reason string, unfounded bool) (*Notice, error) {
	if !p.Staff() {
		return nil, forbidden("only reviewers decide notices")
	}
	if err := checkText("reason", reason, maxExplanation, true); err != nil {
		return nil, err
	}
	if accept && unfounded {
		return nil, invalid("manifestly_unfounded", "an accepted notice cannot be manifestly unfounded")
	}
	var n Notice
	now := s.now()
	err := s.st.UpdateTakedown(ctx, func(tx Tx) error {
		if _, err := tx.Get(ctx, KindNotice, id, &n); err != nil {
			return notFound("notice", id)
		}
		if n.Status != NoticeReceived {
			return conflict("already_decided", "notice %d is already %s", id, n.Status)
		}
		var r Right
		if _, err := tx.Get(ctx, KindRight, n.RightID, &r); err != nil {
			return err
		}
		return s.decide(ctx, tx, &n, &r, NoticeReceived, accept, reason, p.Actor, false, unfounded, now)
	})
	if err != nil {
		return nil, err
	}
	return &n, nil
}

// decide takes the decision on n inside tx: removals with their statements
// of reasons, or a rejection; the notifier's outcome; and its standing.
//
// from is the status n is decided from: received, or rejected when an
// appeal against the rejection is upheld.
func (s *Service) decide(ctx context.Context, tx Tx, n *Notice, r *Right, from NoticeStatus, accept bool, reason, actor string, automated, unfounded bool, now time.Time) error {
	n.DecidedAt, n.DecidedBy, n.Automated = &now, actor, automated
	if accept {
		removed := 0
		for _, lid := range n.ListingIDs {
			l, err := tx.GetListing(ctx, lid)
			if err != nil {
				return err
			}
			if l.Status != hallmark.StatusRemoved {
				if err := tx.SetListingStatus(ctx, lid, hallmark.StatusRemoved, actor,
					fmt.Sprintf("notice %d: %s", n.ID, reason), now); err != nil {
					return err
				}
				removed++
			}
			st := s.statement(n, r, l, automated, now)
			id, err := tx.Insert(ctx, KindStatement, Meta{BrandID: n.BrandID, SellerID: l.SellerID, Status: string(st.Status), RefID: n.ID, CreatedAt: now},
				func(id int64) any { st.ID = id; return st })
			if err != nil {
				return err
			}
			n.StatementIDs = append(n.StatementIDs, id)
			if err := audit(ctx, tx, now, actor, "statement_issued", "statement", id,
				map[string]any{"listing_id": lid, "seller_id": l.SellerID, "notice_id": n.ID, "automated": automated}); err != nil {
				return err
			}
		}
		n.Status = NoticeAccepted
		n.Outcome = fmt.Sprintf("accepted: %d of %d listings removed (%s)", removed, len(n.ListingIDs), reason)
	} else {
		n.Status, n.ManifestlyUnfounded = NoticeRejected, unfounded
		n.Outcome = "rejected: " + reason
	}
	if err := tx.Update(ctx, KindNotice, Meta{ID: n.ID, BrandID: n.BrandID, Status: string(n.Status), RefID: n.RightID, CreatedAt: n.ReceivedAt, DecidedAt: &now},
		string(from), n); err != nil {
		return err
	}
	if err := audit(ctx, tx, now, actor, "notice_"+string(n.Status), "notice", n.ID,
		map[string]any{"outcome": n.Outcome, "automated": automated, "manifestly_unfounded": unfounded}); err != nil {
		return err
	}
	if unfounded {
		if err := s.misuse(ctx, tx, n.BrandID, actor, now); err != nil {
			return err
		}
	}
	return s.updateStanding(ctx, tx, n.BrandID, now)
}

// statement writes the statement of reasons for the removal of l.
func (s *Service) statement(n *Notice, r *Right, l *hallmark.Listing, automated bool, now time.Time) *Statement {
	classes := make([]string, len(r.Classes))
	for i, c := range r.Classes {
		classes[i] = fmt.Sprint(c)
	}
	decidedBy := "a reviewer decided after reviewing the notice"
	if automated {
		decidedBy = "the decision was taken by automated means, without review, because the notifier is in the trusted fast lane"
	}
	return &Statement{
		ListingID: l.ID, SellerID: l.SellerID, BrandID: n.BrandID, NoticeID: n.ID,
		Measure: "removal of the listing",
		Facts: fmt.Sprintf("On %s the holder of the trademark %q filed notice %d reporting this listing (%q) as infringing it, explaining: %s. %s.",
			n.ReceivedAt.Format(time.RFC3339), r.Mark, n.ID, l.Title, n.Explanation, decidedBy),
		AutomatedDetection: false,
		AutomatedDecision:  automated,
		Ground: fmt.Sprintf("illegal content: infringement of trademark %q, %s registration %s, classes %s, owned by %s",
			r.Mark, r.Office, r.Number, strings.Join(classes, ", "), r.Owner),
		Redress: fmt.Sprintf("You may file a counter-notice until %s; the listing is then restored %d days later unless the rights holder reports a complaint or lawsuit. "+
			"You may appeal through internal complaint handling until %s (DSA Art. 20), refer the dispute to a certified out-of-court dispute settlement body (Art. 21), or go to court.",
			now.Add(s.cfg.CounterWindow).Format(time.RFC3339), int(s.cfg.RestorePeriod/(24*time.Hour)), now.Add(s.cfg.AppealWindow).Format(time.RFC3339)),
		Status: StatementInForce, CreatedAt: now, UpdatedAt: now,
	}
}

// misuse warns a notifier for a manifestly unfounded notice, and suspends
// one already warned (DSA Art. 23: a prior warning, then a suspension for
// a reasonable period).
func (s *Service) misuse(ctx context.Context, tx Tx, brand, actor string, now time.Time) error {
	st, err := tx.GetStanding(ctx, brand)
	if err != nil {
		return err
	}
	action := "notifier_warned"
	if st.Warnings == 0 {
		st.Warnings = 1
	} else {
		until := now.Add(s.cfg.SuspendFor)
		st.SuspendedUntil, st.FastLane, st.FastLaneSince = &until, false, nil
		action = "notifier_suspended"
	}
	st.UpdatedAt = now
	if err := tx.PutStanding(ctx, st); err != nil {
		return err
	}
	return tx.AppendAudit(ctx, &hallmark.AuditEntry{At: now, Actor: actor, Action: action, ObjectType: "brand", ObjectID: brand,
		Detail: fmt.Sprintf(`{"warnings":%d}`, st.Warnings)})
}

// updateStanding recomputes a notifier's figures over the window and gives
// or takes the fast lane.
func (s *Service) updateStanding(ctx context.Context, tx Tx, brand string, now time.Time) error {
	st, err := tx.GetStanding(ctx, brand)
	if err != nil {
		return err
	}
	f := Filter{BrandID: brand, Since: now.Add(-s.cfg.FastLaneWindow)}
	rows, err := tx.Count(ctx, KindNotice, f, true)
	if err != nil {
		return err
	}
	acc, dec := 0, 0
	for _, r := range rows {
		dec += r.N
		if r.Status == string(NoticeAccepted) {
			acc += r.N
		}
	}
	rows, err = tx.Count(ctx, KindCounter, f, true)
	if err != nil {
		return err
	}
	won, resolved := 0, 0
	for _, r := range rows {
		resolved += r.N
		if r.Status == string(CounterRestored) || r.Status == string(CounterMoot) {
			won += r.N
		}
	}
	st.Decided, st.AcceptanceRate, st.Counters, st.CounterSuccess = dec, ratio(acc, dec), resolved, ratio(won, resolved)
	suspended := st.SuspendedUntil != nil && now.Before(*st.SuspendedUntil)
	eligible := !suspended && dec >= s.cfg.FastLaneMinDecided && st.AcceptanceRate >= s.cfg.FastLaneRate &&
		st.CounterSuccess <= s.cfg.FastLaneMaxCounterSuccess
	changed := eligible != st.FastLane
	st.FastLane, st.UpdatedAt = eligible, now
	switch {
	case changed && eligible:
		st.FastLaneSince = &now
	case changed:
		st.FastLaneSince = nil
	}
	if err := tx.PutStanding(ctx, st); err != nil {
		return err
	}
	if !changed {
		return nil
	}
	action := "fast_lane_lost"
	if eligible {
		action = "fast_lane_gained"
	}
	return tx.AppendAudit(ctx, &hallmark.AuditEntry{At: now, Actor: "system", Action: action, ObjectType: "brand", ObjectID: brand,
		Detail: fmt.Sprintf(`{"decided":%d,"acceptance_rate":%.4f,"counter_notices":%d,"counter_success_rate":%.4f}`,
			dec, st.AcceptanceRate, resolved, st.CounterSuccess)})
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// GetNotice returns a notice to its brand's users or staff.
func (s *Service) GetNotice(ctx context.Context, p account.Principal, id int64) (*Notice, error) {
	return getOf[Notice](ctx, s, KindNotice, id, "notice", func(m Meta) bool { return p.ActsFor(m.BrandID) })
}

// ListNotices lists the notices p may see.
func (s *Service) ListNotices(ctx context.Context, p account.Principal, f Filter) ([]Notice, error) {
	return listOf[Notice](ctx, s, p, KindNotice, f)
}

// GetStatement returns a statement of reasons to its seller or staff.
func (s *Service) GetStatement(ctx context.Context, p account.Principal, id int64) (*Statement, error) {
	return getOf[Statement](ctx, s, KindStatement, id, "statement of reasons", func(m Meta) bool { return p.Owns(m.SellerID) })
}

// ListStatements lists the statements p may see.
func (s *Service) ListStatements(ctx context.Context, p account.Principal, f Filter) ([]Statement, error) {
	return listOf[Statement](ctx, s, p, KindStatement, f)
}

// sellerStatement loads a statement for its seller to act on.
func sellerStatement(ctx context.Context, tx Tx, p account.Principal, id int64) (*Statement, error) {
	var st Statement
	m, err := tx.Get(ctx, KindStatement, id, &st)
	if err != nil || p.Role != account.Seller || !p.Owns(m.SellerID) {
		return nil, notFound("statement of reasons", id)
	}
	return &st, nil
}

// CounterInput is a seller's counter-notice.
type CounterInput struct {
	Explanation string  `json:"explanation"`
	Contact     Contact `json:"contact"`
}

// FileCounterNotice contests a notice-based removal. The rights holder sees
// it at once; the listing is restored after the restore period unless the
// rights holder reports a complaint or lawsuit first.
func (s *Service) FileCounterNotice(ctx context.Context, p account.Principal, stmtID int64, in CounterInput) (*CounterNotice, error) {
	if p.Role != account.Seller {
		return nil, forbidden("only the seller files a counter-notice")
	}
	if err := checkText("explanation", in.Explanation, maxExplanation, true); err != nil {
		return nil, err
	}
	if err := checkContact("contact", in.Contact); err != nil {
		return nil, err
	}
	now := s.now()
	var c *CounterNotice
	err := s.st.UpdateTakedown(ctx, func(tx Tx) error {
		st, err := contestable(ctx, tx, p, stmtID, now, s.cfg.CounterWindow, "a counter-notice")
		if err != nil {
			return err
		}
		dup := false
		if err := tx.List(ctx, KindCounter, Filter{RefID: stmtID, Limit: 1}, func(Meta, []byte) error { dup = true; return nil }); err != nil {
			return err
		}
		if dup {
			return conflict("already_filed", "a counter-notice against statement %d was already filed", stmtID)
		}
		c = &CounterNotice{StatementID: stmtID, ListingID: st.ListingID, SellerID: st.SellerID, BrandID: st.BrandID,
			Explanation: in.Explanation, Contact: in.Contact, Status: CounterPending, FiledAt: now, RestoreAt: now.Add(s.cfg.RestorePeriod)}
		id, err := tx.Insert(ctx, KindCounter, Meta{BrandID: c.BrandID, SellerID: c.SellerID, Status: string(c.Status), RefID: stmtID, CreatedAt: now},
			func(id int64) any { c.ID = id; return c })
		if err != nil {
			return err
		}
		if err := tx.AddTimer(ctx, &Timer{Kind: TimerRestore, RefID: id, Due: c.RestoreAt}); err != nil {
			return err
		}
		return audit(ctx, tx, now, p.Actor, "counter_notice_filed", "counter_notice", id,
			map[string]any{"statement_id": stmtID, "listing_id": c.ListingID, "brand_id": c.BrandID, "restore_at": c.RestoreAt})
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// ListCounterNotices lists the counter-notices p may see: against its
// brands for a rights holder (this is how it is told), its own for a seller.
func (s *Service) ListCounterNotices(ctx context.Context, p account.Principal, f Filter) ([]CounterNotice, error) {
	return listOf[CounterNotice](ctx, s, p, KindCounter, f)
}

// GetCounterNotice returns a counter-notice to its seller, its rights
// holder or staff.
func (s *Service) GetCounterNotice(ctx context.Context, p account.Principal, id int64) (*CounterNotice, error) {
	return getOf[CounterNotice](ctx, s, KindCounter, id, "counter-notice", func(m Meta) bool { return p.Owns(m.SellerID) || p.ActsFor(m.BrandID) })
}

// ReportLegalAction is the rights holder reporting, within the period, a
// complaint or lawsuit about a counter-noticed listing: it stays down.
func (s *Service) ReportLegalAction(ctx context.Context, p account.Principal, id int64, caseRef string) (*CounterNotice, error) {
	if p.Role != account.RightsHolder && p.Role != account.Admin {
		return nil, forbidden("only the rights holder reports legal action")
	}
	if err := checkText("case", caseRef, maxExplanation, true); err != nil {
		return nil, err
	}
	now := s.now()
	var c CounterNotice
	err := s.st.UpdateTakedown(ctx, func(tx Tx) error {
		m, err := tx.Get(ctx, KindCounter, id, &c)
		if err != nil || !p.ActsFor(m.BrandID) {
			return notFound("counter-notice", id)
		}
		if c.Status != CounterPending {
			return conflict("not_pending", "counter-notice %d is already %s", id, c.Status)
		}
		if !now.Before(c.RestoreAt) {
			return conflict("period_over", "the period to report legal action ended at %s", c.RestoreAt.Format(time.RFC3339))
		}
		c.Status, c.ResolvedAt, c.LegalCase = CounterLegalAction, &now, caseRef
		m.Status, m.DecidedAt = string(c.Status), &now
		if err := tx.Update(ctx, KindCounter, m, string(CounterPending), &c); err != nil {
			return err
		}
		if err := tx.DeleteTimersFor(ctx, TimerRestore, id); err != nil {
			return err
		}
		if err := audit(ctx, tx, now, p.Actor, "counter_notice_legal_action", "counter_notice", id, map[string]any{"case": caseRef}); err != nil {
			return err
		}
		return s.updateStanding(ctx, tx, c.BrandID, now)
	})
	if err != nil {
		return nil, err
	}
	return &c, nil
}

// restore fires a counter-notice's timer: the period ran out with no legal
// action, so the listing comes back.
func (s *Service) restore(ctx context.Context, tx Tx, id int64, now time.Time) error {
	var c CounterNotice
	m, err := tx.Get(ctx, KindCounter, id, &c)
	if errors.Is(err, hallmark.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if c.Status != CounterPending {
		return nil // resolved otherwise in the meantime
	}
	c.Status, c.ResolvedAt = CounterRestored, &now
	m.Status, m.DecidedAt = string(c.Status), &now
	if err := tx.Update(ctx, KindCounter, m, string(CounterPending), &c); err != nil {
		return err
	}
	if err := s.lift(ctx, tx, c.StatementID, StatementRestored, "system", fmt.Sprintf("counter-notice %d: no legal action within the period", id), now); err != nil {
		return err
	}
	if err := audit(ctx, tx, now, "system", "counter_notice_restored", "counter_notice", id, map[string]any{"listing_id": c.ListingID}); err != nil {
		return err
	}
	return s.updateStanding(ctx, tx, c.BrandID, now)
}

// lift ends the restriction of a statement and restores the listing.
func (s *Service) lift(ctx context.Context, tx Tx, stmtID int64, to StatementStatus, actor, reason string, now time.Time) error {
	var st Statement
	m, err := tx.Get(ctx, KindStatement, stmtID, &st)
	if err != nil {
		return err
	}
	if st.Status != StatementInForce {
		return nil
	}
	st.Status, st.UpdatedAt = to, now
	m.Status, m.DecidedAt = string(to), &now
	if err := tx.Update(ctx, KindStatement, m, string(StatementInForce), &st); err != nil {
		return err
	}
	return tx.SetListingStatus(ctx, st.ListingID, hallmark.StatusActive, actor, reason, now)
}

// RunDue fires every timer due by the clock's now, each in its own
// transaction, so one that fails does not hold back the rest; it stays
// stored and is retried on the next run. It returns how many fired.
func (s *Service) RunDue(ctx context.Context) (int, error) {
	fired := 0
	for {
		now := s.now()
		var due []Timer
		if err := s.st.ViewTakedown(ctx, func(tx Tx) error {
			var err error
			due, err = tx.DueTimers(ctx, now, 500)
			return err
		}); err != nil {
			return fired, err
		}
		var errs []error
		for _, t := range due {
			err := s.st.UpdateTakedown(ctx, func(tx Tx) error {
				// Whoever deletes the timer fires it: two schedulers (two
				// replicas) never fire one twice.
				ok, err := tx.DeleteTimer(ctx, t.ID)
				if err != nil || !ok {
					return err
				}
				switch t.Kind {
				case TimerRestore:
					return s.restore(ctx, tx, t.RefID, now)
				}
				return fmt.Errorf("unknown timer kind %q", t.Kind)
			})
			if err != nil {
				errs = append(errs, fmt.Errorf("timer %d (%s %d): %w", t.ID, t.Kind, t.RefID, err))
				continue
			}
			fired++
		}
		if len(errs) > 0 {
			return fired, errors.Join(errs...)
		}
		if len(due) < 500 {
			return fired, nil
		}
	}
}

// Run fires due timers every interval until ctx ends. The timers live in
// the database, so a restarted process picks up where the last one left.
// Errors go to report (if not nil) and are retried on the next tick.
func (s *Service) Run(ctx context.Context, every time.Duration, report func(error)) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if _, err := s.RunDue(ctx); err != nil && report != nil && ctx.Err() == nil {
			report(err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// AppealInput is a seller's complaint.
type AppealInput struct {
	Explanation string `json:"explanation"`
}

// contestable loads the seller's statement of reasons and checks that its
// removal is still in force and that the window for what is being filed
// against it (a counter-notice, an appeal) is still open.
func contestable(ctx context.Context, tx Tx, p account.Principal, stmtID int64, now time.Time, window time.Duration, what string) (*Statement, error) {
	st, err := sellerStatement(ctx, tx, p, stmtID)
	if err != nil {
		return nil, err
	}
	if st.Status != StatementInForce {
		return nil, conflict("not_in_force", "the removal under statement %d is no longer in force (%s)", stmtID, st.Status)
	}
	if deadline := st.CreatedAt.Add(window); now.After(deadline) {
		return nil, conflict("period_over", "the period for %s ended at %s", what, deadline.Format(time.RFC3339))
	}
	return st, nil
}

// FileAppeal lodges a complaint against a restriction, within the appeal window.
func (s *Service) FileAppeal(ctx context.Context, p account.Principal, stmtID int64, in AppealInput) (*Appeal, error) {
	if p.Role != account.Seller {
		return nil, forbidden("only the seller appeals")
	}
	if err := checkText("explanation", in.Explanation, maxExplanation, true); err != nil {
		return nil, err
	}
	now := s.now()
	var a *Appeal
	err := s.st.UpdateTakedown(ctx, func(tx Tx) error {
		st, err := contestable(ctx, tx, p, stmtID, now, s.cfg.AppealWindow, "an appeal")
		if err != nil {
			return err
		}
		pending := false
		if err := tx.List(ctx, KindAppeal, Filter{RefID: stmtID, Status: string(AppealPending), Limit: 1},
			func(Meta, []byte) error { pending = true; return nil }); err != nil {
			return err
		}
		if pending {
			return conflict("already_filed", "an appeal against statement %d is already pending", stmtID)
		}
		a = &Appeal{StatementID: stmtID, ListingID: st.ListingID, SellerID: st.SellerID, BrandID: st.BrandID,
			Explanation: in.Explanation, Status: AppealPending, FiledAt: now}
		id, err := tx.Insert(ctx, KindAppeal, Meta{BrandID: a.BrandID, SellerID: a.SellerID, Status: string(a.Status), RefID: stmtID, CreatedAt: now},
			func(id int64) any { a.ID = id; return a })
		if err != nil {
			return err
		}
		return audit(ctx, tx, now, p.Actor, "appeal_filed", "appeal", id, map[string]any{"statement_id": stmtID})
	})
	if err != nil {
		return nil, err
	}
	return a, nil
}

// FileNoticeAppeal is a notifier's complaint against the rejection of its
// notice, within the appeal window.
func (s *Service) FileNoticeAppeal(ctx context.Context, p account.Principal, noticeID int64, in AppealInput) (*Appeal, error) {
	if p.Role != account.RightsHolder {
		return nil, forbidden("only the notifier appeals a rejected notice")
	}
	if err := checkText("explanation", in.Explanation, maxExplanation, true); err != nil {
		return nil, err
	}
	now := s.now()
	var a *Appeal
	err := s.st.UpdateTakedown(ctx, func(tx Tx) error {
		var n Notice
		m, err := tx.Get(ctx, KindNotice, noticeID, &n)
		if err != nil || !p.ActsFor(m.BrandID) {
			return notFound("notice", noticeID)
		}
		if n.Status != NoticeRejected {
			return conflict("not_rejected", "notice %d is %s: only a rejection can be appealed", noticeID, n.Status)
		}
		if deadline := n.DecidedAt.Add(s.cfg.AppealWindow); now.After(deadline) {
			return conflict("period_over", "the period for an appeal ended at %s", deadline.Format(time.RFC3339))
		}
		pending := false
		if err := tx.List(ctx, KindAppeal, Filter{BrandID: n.BrandID, Status: string(AppealPending), Limit: 1000},
			func(_ Meta, raw []byte) error {
				var x Appeal
				if err := json.Unmarshal(raw, &x); err != nil {
					return err
				}
				pending = pending || x.NoticeID == noticeID
				return nil
			}); err != nil {
			return err
		}
		if pending {
			return conflict("already_filed", "an appeal against notice %d is already pending", noticeID)
		}
		a = &Appeal{NoticeID: noticeID, BrandID: n.BrandID, Explanation: in.Explanation, Status: AppealPending, FiledAt: now}
		id, err := tx.Insert(ctx, KindAppeal, Meta{BrandID: a.BrandID, Status: string(a.Status), CreatedAt: now},
			func(id int64) any { a.ID = id; return a })
		if err != nil {
			return err
		}
		return audit(ctx, tx, now, p.Actor, "appeal_filed", "appeal", id, map[string]any{"notice_id": noticeID})
	})
	if err != nil {
		return nil, err
	}
	return a, nil
}

// DecideAppeal is a person's decision on an appeal (DSA Art. 20(6): not
// solely by automated means). Upholding it reverses the removal: the
// listing is restored, a pending counter-notice is moot, and the notice
// counts as overturned against its notifier.
func (s *Service) DecideAppeal(ctx context.Context, p account.Principal, id int64, uphold bool, reason string) (*Appeal, error) {
	if !p.Staff() {
		return nil, forbidden("only reviewers decide appeals")
	}
	if !p.Person() {
		return nil, forbidden("appeals are decided by a person: log in as a reviewer rather than use an API key")
	}
	if err := checkText("reason", reason, maxExplanation, true); err != nil {
		return nil, err
	}
	now := s.now()
	var a Appeal
	err := s.st.UpdateTakedown(ctx, func(tx Tx) error {
		m, err := tx.Get(ctx, KindAppeal, id, &a)
		if err != nil {
			return notFound("appeal", id)
		}
		if a.Status != AppealPending {
			return conflict("already_decided", "appeal %d is already %s", id, a.Status)
		}
		a.Status, a.DecidedAt, a.DecidedBy, a.Reason = AppealRejected, &now, p.Actor, reason
		if uphold {
			a.Status = AppealUpheld
		}
		m.Status, m.DecidedAt = string(a.Status), &now
		if err := tx.Update(ctx, KindAppeal, m, string(AppealPending), &a); err != nil {
			return err
		}
		if err := audit(ctx, tx, now, p.Actor, "appeal_"+string(a.Status), "appeal", id, map[string]any{"reason": reason}); err != nil {
			return err
		}
		if !uphold {
			return nil
		}
		if a.NoticeID != 0 {
			// The notifier was right: the notice is accepted now, with its
			// removals and statements of reasons.
			var n Notice
			if _, err := tx.Get(ctx, KindNotice, a.NoticeID, &n); err != nil {
				return err
			}
			var r Right
			if _, err := tx.Get(ctx, KindRight, n.RightID, &r); err != nil {
				return err
			}
			n.ManifestlyUnfounded = false
			return s.decide(ctx, tx, &n, &r, NoticeRejected, true, fmt.Sprintf("appeal %d upheld: %s", id, reason), p.Actor, false, false, now)
		}
		if err := s.reverse(ctx, tx, a.StatementID, p.Actor, fmt.Sprintf("appeal %d upheld: %s", id, reason), now); err != nil {
			return err
		}
		return s.updateStanding(ctx, tx, a.BrandID, now)
	})
	if err != nil {
		return nil, err
	}
	return &a, nil
}

// reverse undoes a removal on appeal.
func (s *Service) reverse(ctx context.Context, tx Tx, stmtID int64, actor, reason string, now time.Time) error {
	var st Statement
	if _, err := tx.Get(ctx, KindStatement, stmtID, &st); err != nil {
		return err
	}
	if err := s.lift(ctx, tx, stmtID, StatementReversed, actor, reason, now); err != nil {
		return err
	}
	// A counter-notice still running has nothing left to restore.
	var ids []int64
	if err := tx.List(ctx, KindCounter, Filter{RefID: stmtID, Status: string(CounterPending)}, func(m Meta, _ []byte) error {
		ids = append(ids, m.ID)
		return nil
	}); err != nil {
		return err
	}
	for _, cid := range ids {
		var c CounterNotice
		m, err := tx.Get(ctx, KindCounter, cid, &c)
		if err != nil {
			return err
		}
		c.Status, c.ResolvedAt = CounterMoot, &now
		m.Status, m.DecidedAt = string(c.Status), &now
		if err := tx.Update(ctx, KindCounter, m, string(CounterPending), &c); err != nil {
			return err
		}
		if err := tx.DeleteTimersFor(ctx, TimerRestore, cid); err != nil {
			return err
		}
	}
	var n Notice
	m, err := tx.Get(ctx, KindNotice, st.NoticeID, &n)
	if err != nil {
		return err
	}
	if n.Status != NoticeAccepted {
		return nil
	}
	n.Status = NoticeOverturned
	n.Outcome += "; overturned on appeal: " + reason
	m.Status = string(n.Status)
	if err := tx.Update(ctx, KindNotice, m, string(NoticeAccepted), &n); err != nil {
		return err
	}
	return audit(ctx, tx, now, actor, "notice_overturned", "notice", n.ID, map[string]any{"statement_id": stmtID})
}

// ListAppeals lists the appeals p may see.
func (s *Service) ListAppeals(ctx context.Context, p account.Principal, f Filter) ([]Appeal, error) {
	return listOf[Appeal](ctx, s, p, KindAppeal, f)
}

// GetStanding returns a notifier's standing to its users or staff.
func (s *Service) GetStanding(ctx context.Context, p account.Principal, brand string) (*Standing, error) {
	if !p.ActsFor(brand) {
		return nil, fmt.Errorf("no notifier %q: %w", brand, hallmark.ErrNotFound)
	}
	var st *Standing
	err := s.st.ViewTakedown(ctx, func(tx Tx) error {
		var err error
		st, err = tx.GetStanding(ctx, brand)
		return err
	})
	return st, err
}

// Figures are the takedown numbers regulators and rights holders ask for.
type Figures struct {
	Since        time.Time     `json:"since"`
	Until        time.Time     `json:"until"`
	Notices      int           `json:"notices"`
	Actioned     int           `json:"actioned"`
	MedianAction float64       `json:"median_seconds_to_action"`
	P95Action    float64       `json:"p95_seconds_to_action"`
	Brands       []BrandFigure `json:"brands"`
	// CounterSuccess is the share of resolved counter-notices that got the
	// listing back.
	CounterResolved int     `json:"counter_notices_resolved"`
	CounterSuccess  float64 `json:"counter_notice_success_rate"`
}

// BrandFigure is one notifier's share of Figures.
type BrandFigure struct {
	BrandID         string  `json:"brand_id"`
	Decided         int     `json:"decided"`
	Accepted        int     `json:"accepted"`
	AcceptanceRate  float64 `json:"acceptance_rate"`
	CounterResolved int     `json:"counter_notices_resolved"`
	CounterSuccess  float64 `json:"counter_notice_success_rate"`
}

// Figures computes the numbers over notices received since since: staff
// see every notifier, a rights holder its own brands only.
func (s *Service) Figures(ctx context.Context, p account.Principal, since time.Time) (*Figures, error) {
	var brands []string
	switch {
	case p.Staff():
	case p.Role == account.RightsHolder:
		brands = append([]string{}, p.BrandIDs...)
	default:
		return nil, forbidden("your role may not read the figures")
	}
	fig := &Figures{Since: since.UTC(), Until: s.now(), Brands: []BrandFigure{}}
	byBrand := map[string]*BrandFigure{}
	get := func(b string) *BrandFigure {
		if byBrand[b] == nil {
			byBrand[b] = &BrandFigure{BrandID: b}
		}
		return byBrand[b]
	}
	var times []float64
	won := map[string]int{}
	wonAll := 0
	err := s.st.ViewTakedown(ctx, func(tx Tx) error {
		f := Filter{Since: since, BrandIDs: brands, Limit: 1000}
		for {
			last := int64(0)
			n := 0
			if err := tx.List(ctx, KindNotice, f, func(m Meta, _ []byte) error {
				last, n = m.ID, n+1
				fig.Notices++
				if m.DecidedAt != nil && (m.Status == string(NoticeAccepted) || m.Status == string(NoticeOverturned)) {
					fig.Actioned++
					times = append(times, m.DecidedAt.Sub(m.CreatedAt).Seconds())
				}
				return nil
			}); err != nil {
				return err
			}
			if n < f.Limit {
				break
			}
			f.AfterID = last
		}
		rows, err := tx.Count(ctx, KindNotice, Filter{Since: since, BrandIDs: brands}, true)
		if err != nil {
			return err
		}
		for _, r := range rows {
			b := get(r.BrandID)
			b.Decided += r.N
			if r.Status == string(NoticeAccepted) {
				b.Accepted += r.N
			}
		}
		rows, err = tx.Count(ctx, KindCounter, Filter{Since: since, BrandIDs: brands}, true)
		if err != nil {
			return err
		}
		for _, r := range rows {
			b := get(r.BrandID)
			b.CounterResolved += r.N
			fig.CounterResolved += r.N
			if r.Status == string(CounterRestored) || r.Status == string(CounterMoot) {
				won[r.BrandID] += r.N
				wonAll += r.N
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.Sort(times)
	fig.MedianAction, fig.P95Action = quantile(times, 0.5), quantile(times, 0.95)
	fig.CounterSuccess = ratio(wonAll, fig.CounterResolved)
	for _, b := range byBrand {
		b.AcceptanceRate = ratio(b.Accepted, b.Decided)
		b.CounterSuccess = ratio(won[b.BrandID], b.CounterResolved)
		fig.Brands = append(fig.Brands, *b)
	}
	slices.SortFunc(fig.Brands, func(a, b BrandFigure) int { return strings.Compare(a.BrandID, b.BrandID) })
	return fig, nil
}

// quantile is the nearest-rank quantile of sorted xs (0 if empty).
func quantile(xs []float64, q float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	i := int(q*float64(len(xs))+0.999999) - 1
	return xs[max(0, min(i, len(xs)-1))]
}
