// Package notice is notice-and-takedown: rights holders' intellectual
// property rights and their verification, notices with the contents the EU
// Digital Services Act (Art. 16) requires, the statement of reasons every
// restriction carries (Art. 17), counter-notices with a restoration period
// (as China's E-Commerce Law Art. 42-43 and the US DMCA shape them), appeals
// (Art. 20 internal complaint handling), the trusted fast lane for accurate
// notifiers, misuse suspension (Art. 23), and the durable timers the periods
// run on.
//
// The workflow lives here, behind a Store the databases implement: each
// operation runs in one transaction, so a takedown, its statement of
// reasons, its timer and its audit entries commit together or not at all.
// Time comes from an injected clock, so a 15-day period is tested in
// milliseconds.
package notice

import (
	"context"
	"time"

	"github.com/hallmark-dev/hallmark"
	"github.com/hallmark-dev/hallmark/account"
)

// RightStatus is where a right's verification stands.
type RightStatus string

// Right statuses.
const (
	RightPending  RightStatus = "pending"
	RightVerified RightStatus = "verified"
	RightRejected RightStatus = "rejected"
)

// Right is an intellectual property right a rights holder relies on: for
// now a registered trademark.
type Right struct {
	ID        int64       `json:"id"`
	BrandID   string      `json:"brand_id"`
	Kind      string      `json:"kind"` // "trademark"
	Mark      string      `json:"mark"`
	Number    string      `json:"number"`
	Office    string      `json:"office"`
	Classes   []int       `json:"classes"`
	Owner     string      `json:"owner"`
	Documents []string    `json:"documents,omitempty"` // URLs or references to supporting documents
	Status    RightStatus `json:"status"`
	Reason    string      `json:"reason,omitempty"` // why it was rejected (or notes on approval)
	DecidedBy string      `json:"decided_by,omitempty"`
	DecidedAt *time.Time  `json:"decided_at,omitempty"`
	CreatedAt time.Time   `json:"created_at"`
	SubmitBy  string      `json:"submitted_by"`
}

// NoticeStatus is where a notice stands.
type NoticeStatus string

// Notice statuses. A notice is acknowledged (received) at once, then
// accepted (its listings removed) or rejected; an accepted notice whose
// removal is reversed on appeal becomes overturned.
const (
	NoticeReceived   NoticeStatus = "received"
	NoticeAccepted   NoticeStatus = "accepted"
	NoticeRejected   NoticeStatus = "rejected"
	NoticeOverturned NoticeStatus = "overturned"
)

// Contact is how the notifier can be reached (DSA Art. 16(2)(c)).
type Contact struct {
	Name  string `json:"name"`
	Email string `json:"email"`
}

// Notice is a rights holder's report of infringing listings, with the
// contents of DSA Art. 16(2): the right relied on, the listings, an
// explanation, contact details and a good-faith statement.
type Notice struct {
	ID          int64        `json:"id"`
	BrandID     string       `json:"brand_id"`
	RightID     int64        `json:"right_id"`
	ListingIDs  []string     `json:"listing_ids"`
	Explanation string       `json:"explanation"`
	GoodFaith   bool         `json:"good_faith"`
	Contact     Contact      `json:"contact"`
	Status      NoticeStatus `json:"status"`
	// ReceivedAt is also the acknowledgement (Art. 16(4)).
	ReceivedAt time.Time  `json:"received_at"`
	DecidedAt  *time.Time `json:"decided_at,omitempty"`
	DecidedBy  string     `json:"decided_by,omitempty"`
	// Automated says the decision was taken without a person (fast lane),
	// which the notifier must be told (Art. 16(6)).
	Automated           bool   `json:"automated"`
	Outcome             string `json:"outcome,omitempty"` // what the notifier is told
	ManifestlyUnfounded bool   `json:"manifestly_unfounded,omitempty"`
	// StatementIDs are the statements of reasons the notice led to.
	StatementIDs []int64 `json:"statement_ids,omitempty"`
	FiledBy      string  `json:"filed_by"`
}

// StatementStatus is whether a restriction is still in force.
type StatementStatus string

// Statement statuses.
const (
	StatementInForce  StatementStatus = "in_force"
	StatementRestored StatementStatus = "restored" // after an unanswered counter-notice
	StatementReversed StatementStatus = "reversed" // on appeal
)

// Statement is the statement of reasons a seller gets for a restriction of
// a listing, with the contents of DSA Art. 17(3).
type Statement struct {
	ID        int64  `json:"id"`
	ListingID string `json:"listing_id"`
	SellerID  string `json:"seller_id"`
	BrandID   string `json:"brand_id"`
	NoticeID  int64  `json:"notice_id"`
	// Measure is the restriction imposed: "removal".
	Measure string `json:"measure"`
	// Facts and circumstances relied on, including that a notice was filed.
	Facts string `json:"facts"`
	// Automated detection and automated decision (Art. 17(3)(c)).
	AutomatedDetection bool `json:"automated_detection"`
	AutomatedDecision  bool `json:"automated_decision"`
	// Ground: the legal ground (the right infringed).
	Ground string `json:"ground"`
	// Redress: how to contest (counter-notice, appeal, out-of-court
	// settlement, courts), with the deadlines.
	Redress   string          `json:"redress"`
	Status    StatementStatus `json:"status"`
	CreatedAt time.Time       `json:"created_at"`
	UpdatedAt time.Time       `json:"updated_at"`
}

// CounterStatus is where a counter-notice stands.
type CounterStatus string

// Counter-notice statuses.
const (
	CounterPending     CounterStatus = "pending"      // the period runs
	CounterRestored    CounterStatus = "restored"     // the period ended, the listing is back
	CounterLegalAction CounterStatus = "legal_action" // the rights holder went to court or complained in time
	CounterMoot        CounterStatus = "moot"         // the restriction was lifted otherwise (appeal)
)

// CounterNotice is a seller contesting a notice-based removal.
type CounterNotice struct {
	ID          int64         `json:"id"`
	StatementID int64         `json:"statement_id"`
	ListingID   string        `json:"listing_id"`
	SellerID    string        `json:"seller_id"`
	BrandID     string        `json:"brand_id"`
	Explanation string        `json:"explanation"`
	Contact     Contact       `json:"contact"`
	Status      CounterStatus `json:"status"`
	FiledAt     time.Time     `json:"filed_at"`
	// RestoreAt is when the listing comes back unless the rights holder
	// reports a complaint or lawsuit first.
	RestoreAt  time.Time  `json:"restore_at"`
	ResolvedAt *time.Time `json:"resolved_at,omitempty"`
	LegalCase  string     `json:"legal_case,omitempty"`
}

// AppealStatus is where an appeal stands.
type AppealStatus string

// Appeal statuses.
const (
	AppealPending  AppealStatus = "pending"
	AppealUpheld   AppealStatus = "upheld"   // the decision is reversed
	AppealRejected AppealStatus = "rejected" // the decision stands
)

// Appeal is a complaint through internal complaint handling (DSA Art. 20):
// a seller's against a restriction (StatementID set), or a notifier's
// against the rejection of its notice (NoticeID set, no statement).
type Appeal struct {
	ID          int64        `json:"id"`
	StatementID int64        `json:"statement_id,omitempty"`
	NoticeID    int64        `json:"notice_id,omitempty"`
	ListingID   string       `json:"listing_id,omitempty"`
	SellerID    string       `json:"seller_id,omitempty"`
	BrandID     string       `json:"brand_id"`
	Explanation string       `json:"explanation"`
	Status      AppealStatus `json:"status"`
	FiledAt     time.Time    `json:"filed_at"`
	DecidedAt   *time.Time   `json:"decided_at,omitempty"`
	DecidedBy   string       `json:"decided_by,omitempty"`
	Reason      string       `json:"reason,omitempty"`
}

// Standing is what the platform knows of a notifier (a brand): whether it
// has the fast lane, its warnings and any suspension.
type Standing struct {
	BrandID        string     `json:"brand_id"`
	FastLane       bool       `json:"fast_lane"`
	FastLaneSince  *time.Time `json:"fast_lane_since,omitempty"`
	Warnings       int        `json:"warnings"`
	SuspendedUntil *time.Time `json:"suspended_until,omitempty"`
	// Figures behind the fast-lane decision, as last computed.
	Decided        int       `json:"decided"`
	AcceptanceRate float64   `json:"acceptance_rate"`
	Counters       int       `json:"counter_notices_resolved"`
	CounterSuccess float64   `json:"counter_notice_success_rate"`
	UpdatedAt      time.Time `json:"updated_at"`
}

// Timer is a durable deadline: kept in the database, so a restart loses
// none, and fired by Service.RunDue once the clock passes Due.
type Timer struct {
	ID    int64
	Kind  string // TimerRestore
	RefID int64  // the counter-notice
	Due   time.Time
}

// Timer kinds.
const TimerRestore = "counter_notice_restore"

// Kind names the records a Tx keeps.
type Kind string

// Record kinds.
const (
	KindRight     Kind = "right"
	KindNotice    Kind = "notice"
	KindStatement Kind = "statement"
	KindCounter   Kind = "counter_notice"
	KindAppeal    Kind = "appeal"
)

// Filter selects records of one kind. Empty fields select everything.
type Filter struct {
	BrandID string
	// BrandIDs, if not nil, restricts to these brands (none if empty):
	// a rights holder's tenancy.
	BrandIDs []string
	SellerID string
	Status   string
	RefID    int64 // the parent: a statement's notice, a counter-notice's or appeal's statement
	Since    time.Time
	AfterID  int64
	Limit    int // 0: 50; at most 1000
}

// Meta is the indexed part of a record: what tenancy checks, filters and
// figures need without decoding the rest.
type Meta struct {
	ID        int64
	BrandID   string
	SellerID  string
	Status    string
	RefID     int64
	CreatedAt time.Time
	DecidedAt *time.Time
}

// CountRow is one group of Tx.Count.
type CountRow struct {
	BrandID string
	Status  string
	N       int
}

// Tx is one transaction on the takedown data. Records are kept as JSON with
// their Meta in indexed columns; Put writes both, so they cannot disagree.
type Tx interface {
	// Insert stores a new record of kind k and returns its id; rec is
	// encoded to JSON after m.ID is known (see Service).
	Insert(ctx context.Context, k Kind, m Meta, rec func(id int64) any) (int64, error)
	// Update replaces a record, but only if its status is still from: a
	// concurrent change makes it ErrConflict rather than be lost.
	Update(ctx context.Context, k Kind, m Meta, from string, rec any) error
	// Get decodes the record into out; ErrNotFound if there is none.
	Get(ctx context.Context, k Kind, id int64, out any) (Meta, error)
	// List decodes matching records, by id ascending, calling fn for each.
	List(ctx context.Context, k Kind, f Filter, fn func(m Meta, raw []byte) error) error
	// Count counts records of kind k by brand and status, among those
	// created (or, with decided, decided) at or after f.Since, of f.BrandID
	// if set.
	Count(ctx context.Context, k Kind, f Filter, decided bool) ([]CountRow, error)

	CreateUser(ctx context.Context, u *account.User) error
	GetUser(ctx context.Context, id int64) (*account.User, error)
	UserByEmail(ctx context.Context, email string) (*account.User, error)
	CreateSession(ctx context.Context, s *account.Session) error
	// GetSession returns the session with this hash, ErrNotFound if none.
	GetSession(ctx context.Context, hash []byte) (*account.Session, error)
	DeleteSession(ctx context.Context, hash []byte) error

	GetStanding(ctx context.Context, brandID string) (*Standing, error) // zero Standing if none
	PutStanding(ctx context.Context, s *Standing) error

	AddTimer(ctx context.Context, t *Timer) error
	// DueTimers returns up to limit timers due at or before now, earliest first.
	DueTimers(ctx context.Context, now time.Time, limit int) ([]Timer, error)
	// DeleteTimer removes a timer, reporting whether it was still there:
	// the one that deletes it is the one that fires it.
	DeleteTimer(ctx context.Context, id int64) (bool, error)
	// DeleteTimersFor removes the timers of one object (a cancelled period).
	DeleteTimersFor(ctx context.Context, kind string, refID int64) error

	GetListing(ctx context.Context, id string) (*hallmark.Listing, error)
	// SetListingStatus changes a listing's status and audits it, at the
	// workflow's time.
	SetListingStatus(ctx context.Context, id string, status hallmark.ListingStatus, actor, reason string, at time.Time) error
	AppendAudit(ctx context.Context, e *hallmark.AuditEntry) error
}

// Store runs takedown transactions. Implementations: store/internal/sqlstore.
type Store interface {
	// UpdateTakedown runs fn in one write transaction, committed if fn
	// returns nil and rolled back otherwise.
	UpdateTakedown(ctx context.Context, fn func(Tx) error) error
	// ViewTakedown runs fn in a read-only snapshot.
	ViewTakedown(ctx context.Context, fn func(Tx) error) error
}
