// Package store defines how Hallmark keeps its data: one interface, with
// SQLite (the embedded default) and PostgreSQL implementations in
// subpackages, and a shared test suite (storetest) that both must pass.
package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/hallmark-dev/hallmark"
	"github.com/hallmark-dev/hallmark/notice"
)

// Store is everything Hallmark persists. Implementations must be safe for
// concurrent use. Errors wrap hallmark.ErrNotFound, hallmark.ErrConflict or
// hallmark.ErrInvalid where one applies. Times come back in UTC, truncated
// to microseconds (what PostgreSQL keeps), whichever database is behind.
type Store interface {
	// Close releases the database.
	Close() error
	// Ping reports whether the database answers (for /readyz).
	Ping(ctx context.Context) error

	Brands
	Sellers
	Listings
	Decisions
	Audit
	APIKeys
	Uploads
	// Takedown runs the notice-and-takedown workflow's transactions
	// (package notice).
	notice.Store
}

// Brands keeps the registry: brands, their marks, trademarks, price floors,
// authorized sellers and protected images.
type Brands interface {
	// PutBrand creates a brand or replaces it whole (marks, trademarks, floors,
	// authorized sellers and images included), in one transaction, and
	// writes an audit entry. It sets b.CreatedAt (kept from the first version)
	// and the IDs and BrandIDs of what b owns. Image ids are global: one
	// already owned by another brand is an ErrConflict, as is a duplicate
	// mark, trademark, price floor or authorized seller within b.
	PutBrand(ctx context.Context, b *hallmark.Brand, actor string) error
	// GetBrand returns one brand with everything attached.
	GetBrand(ctx context.Context, id string) (*hallmark.Brand, error)
	// ListBrands returns every brand with everything attached, ordered by id.
	// Screening loads the registry this way.
	ListBrands(ctx context.Context) ([]hallmark.Brand, error)
	// DeleteBrand removes a brand and all it owns, and writes an audit entry.
	// Decisions that named the brand are evidence and are kept.
	DeleteBrand(ctx context.Context, id, actor string) error
	// RegistryVersion changes whenever any brand data changes, so a screening
	// engine can tell that its in-memory registry is stale.
	RegistryVersion(ctx context.Context) (int64, error)
}

// Sellers keeps seller accounts.
type Sellers interface {
	PutSeller(ctx context.Context, s *hallmark.Seller, actor string) error
	GetSeller(ctx context.Context, id string) (*hallmark.Seller, error)
	ListSellers(ctx context.Context, page Page) ([]hallmark.Seller, error)
	// SellerHistory counts the seller's listings and past decisions, and
	// names the brands the seller is authorized for. An unknown seller is
	// not an error: Known is false (a new seller is itself a signal), and
	// Authorized is still filled, since a brand may authorize a seller id
	// before it first lists.
	SellerHistory(ctx context.Context, id string, now time.Time) (hallmark.SellerHistory, error)
}

// Listings keeps listings and their status.
type Listings interface {
	GetListing(ctx context.Context, id string) (*hallmark.Listing, error)
	ListListings(ctx context.Context, f ListingFilter) ([]hallmark.Listing, error)
	// SetListingStatus changes a listing's status and writes an audit entry
	// with the reason, in one transaction.
	SetListingStatus(ctx context.Context, id string, status hallmark.ListingStatus, actor, reason string) error
}

// Decisions keeps screening outcomes.
type Decisions interface {
	// SaveScreening stores (creates or updates) the listing, its decision and
	// an audit entry in one transaction; the listing's status follows the
	// decision (allow: active, review: held, block: removed). It sets d.ID.
	// The seller must exist, or the error wraps hallmark.ErrNotFound; a
	// listing id that belongs to another seller is an ErrConflict. On any
	// error nothing is written. On success it also sets l.Status,
	// l.CreatedAt (kept from the first screening), l.UpdatedAt,
	// d.ListingID and d.DecidedAt (now, if zero).
	SaveScreening(ctx context.Context, l *hallmark.Listing, d *hallmark.Decision, actor string) error
	GetDecision(ctx context.Context, id int64) (*hallmark.Decision, error)
	// LatestDecision returns the newest decision for a listing.
	LatestDecision(ctx context.Context, listingID string) (*hallmark.Decision, error)
	// ListDecisions returns decisions, newest first, optionally only those
	// with one action (the review queue is Action=review).
	ListDecisions(ctx context.Context, f DecisionFilter) ([]hallmark.Decision, error)
}

// Audit is the append-only log. There is no way to change or delete an entry.
type Audit interface {
	// AppendAudit sets e.ID, and e.At if it is zero. Detail, if set, must be JSON.
	AppendAudit(ctx context.Context, e *hallmark.AuditEntry) error
	// ListAudit lists entries oldest first. An empty objectType lists every
	// entry; an empty objectID every entry of that type.
	ListAudit(ctx context.Context, objectType, objectID string, page Page) ([]hallmark.AuditEntry, error)
}

// APIKeys keeps hashed API keys.
type APIKeys interface {
	// CreateAPIKey sets k.ID, and k.CreatedAt if it is zero.
	CreateAPIKey(ctx context.Context, k *hallmark.APIKey) error
	// APIKeysByPrefix returns the unrevoked keys whose prefix matches, for the
	// caller to compare hashes in constant time.
	APIKeysByPrefix(ctx context.Context, prefix string) ([]hallmark.APIKey, error)
	ListAPIKeys(ctx context.Context) ([]hallmark.APIKey, error)
	// RevokeAPIKey revokes a key (ErrNotFound if there is none). Revoking a
	// revoked key keeps the first revocation time.
	RevokeAPIKey(ctx context.Context, id int64, at time.Time) error
}

// Uploads keeps images uploaded for listings to name.
type Uploads interface {
	// PutUpload stores an upload keyed by the SHA-256 of its bytes; storing
	// the same bytes again changes nothing. It sets Size and CreatedAt.
	PutUpload(ctx context.Context, u *hallmark.Upload) error
	// GetUpload returns an upload with its bytes.
	GetUpload(ctx context.Context, id string) (*hallmark.Upload, error)
}

// Page bounds a listing call. Limit 0 means the default (50); at most 1000.
// After is an opaque cursor, or empty for the first page. List calls return
// no cursor of their own: the next page starts after the last item of this
// one, so make After with SellerCursor, ListingCursor, DecisionCursor or
// AuditCursor from that item. A page shorter than the limit is the last.
//
// Orders, which are stable under concurrent inserts:
//   - ListSellers, ListListings: by id, ascending.
//   - ListDecisions: newest first, by decided_at then id, both descending.
//   - ListAudit: oldest first, by id (the order entries were appended).
type Page struct {
	Limit int
	After string
}

// SellerCursor is the Page.After that continues a ListSellers page ending with s.
func SellerCursor(s hallmark.Seller) string { return s.ID }

// ListingCursor is the Page.After that continues a ListListings page ending with l.
func ListingCursor(l hallmark.Listing) string { return l.ID }

// AuditCursor is the Page.After that continues a ListAudit page ending with e.
func AuditCursor(e hallmark.AuditEntry) string { return strconv.FormatInt(e.ID, 10) }

// DecisionCursor is the Page.After that continues a ListDecisions page ending
// with d. Decisions are ordered by time first, so the cursor carries both the
// time (in microseconds, the precision both databases keep) and the id.
func DecisionCursor(d hallmark.Decision) string {
	return strconv.FormatInt(d.DecidedAt.UnixMicro(), 10) + "." + strconv.FormatInt(d.ID, 10)
}

// ParseDecisionCursor reads a DecisionCursor back. Implementations use it;
// a malformed cursor is an error wrapping hallmark.ErrInvalid.
func ParseDecisionCursor(s string) (time.Time, int64, error) {
	ts, id, ok := strings.Cut(s, ".")
	micros, err1 := strconv.ParseInt(ts, 10, 64)
	n, err2 := strconv.ParseInt(id, 10, 64)
	if !ok || err1 != nil || err2 != nil {
		return time.Time{}, 0, fmt.Errorf("decision cursor %q: %w", s, hallmark.ErrInvalid)
	}
	return time.UnixMicro(micros).UTC(), n, nil
}

// ParseAuditCursor reads an AuditCursor back; a malformed cursor is an error
// wrapping hallmark.ErrInvalid.
func ParseAuditCursor(s string) (int64, error) {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("audit cursor %q: %w", s, hallmark.ErrInvalid)
	}
	return n, nil
}

// ListingFilter selects listings.
type ListingFilter struct {
	SellerID string
	Status   hallmark.ListingStatus
	Page
}

// DecisionFilter selects decisions.
type DecisionFilter struct {
	Action    *hallmark.Action
	BrandID   string
	ListingID string
	Page
}

// LimitOrDefault returns the effective page size.
func (p Page) LimitOrDefault() int {
	switch {
	case p.Limit <= 0:
		return 50
	case p.Limit > 1000:
		return 1000
	}
	return p.Limit
}
