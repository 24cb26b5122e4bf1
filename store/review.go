package store

import (
	"context"
	"time"

	"github.com/hallmark-dev/hallmark"
)

// Review is the reviewers' working set: the queue of held listings and the
// claims that keep two reviewers off the same case. It is not part of Store,
// so that Store's other implementations (test doubles) need not grow with
// the console; both databases implement it, and the console requires it.
type Review interface {
	// ReviewQueue returns one page of held listings, each with a summary of
	// its latest decision and its live claim, ordered by the decision's
	// score (highest first), then by decision time (oldest first), then by
	// listing id; and the number of held listings the filter matches.
	ReviewQueue(ctx context.Context, f ReviewFilter) ([]ReviewCase, int, error)
	// ClaimCase claims a listing for reviewer until now+ttl. Claiming again
	// one's own case extends it. If another reviewer holds a live claim it
	// returns that claim and an error wrapping hallmark.ErrConflict; an
	// unknown listing is hallmark.ErrNotFound. It writes an audit entry
	// with reviewer as the actor. name is what other reviewers are shown.
	ClaimCase(ctx context.Context, listingID, reviewer, name string, now time.Time, ttl time.Duration) (*Claim, error)
	// GetClaim returns the live claim on a listing at now, or an error
	// wrapping hallmark.ErrNotFound if there is none.
	GetClaim(ctx context.Context, listingID string, now time.Time) (*Claim, error)
	// ReleaseClaim drops reviewer's claim on a listing, if reviewer holds
	// one; releasing what one does not hold is not an error (a decision
	// releases the claim whether or not there was one).
	ReleaseClaim(ctx context.Context, listingID, reviewer string) error
}

// ReviewFilter selects and pages the review queue. Empty fields do not
// filter. Detector keeps listings whose latest decision has a signal of
// that detector. Now decides which claims are live.
type ReviewFilter struct {
	BrandID  string
	Detector string
	Category string
	SellerID string
	Now      time.Time
	// Offset skips that many cases; Limit is as Page's (default 50, at most 1000).
	Offset int
	Limit  int
}

// ReviewCase is one held listing of the queue.
type ReviewCase struct {
	Listing hallmark.Listing
	// The latest decision, summarized. DecisionID is 0 for a listing held
	// without any decision.
	DecisionID int64
	Action     hallmark.Action
	Score      float64
	BrandID    string
	DecidedAt  time.Time
	// Claim is the live claim, if any.
	Claim *Claim
}

// Claim is a reviewer's lock on a case.
type Claim struct {
	ListingID string
	Reviewer  string // the actor ("user:7"): who may extend, release and decide
	Name      string // the reviewer's name, to show
	ClaimedAt time.Time
	ExpiresAt time.Time
}
