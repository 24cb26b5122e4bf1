// Package hallmark holds the domain types shared by every part of Hallmark:
// brands and their registered marks, sellers, listings, the signals that
// detectors emit and the decisions that rules make from them.
//
// The package has no dependencies beyond the standard library. Storage,
// transport and detection packages depend on it, never the other way round.
package hallmark

import (
	"errors"
	"fmt"
	"time"
)

// Action is what a decision does with a listing. The order matters:
// a more severe action has a larger value.
type Action int

// Actions in increasing severity.
const (
	Allow Action = iota
	Review
	Block
)

// String returns the wire name of the action.
func (a Action) String() string {
	switch a {
	case Allow:
		return "allow"
	case Review:
		return "review"
	case Block:
		return "block"
	}
	return fmt.Sprintf("Action(%d)", int(a))
}

// ParseAction reads a wire name back into an Action.
func ParseAction(s string) (Action, error) {
	switch s {
	case "allow":
		return Allow, nil
	case "review":
		return Review, nil
	case "block":
		return Block, nil
	}
	return 0, fmt.Errorf("unknown action %q (want allow, review or block)", s)
}

// MarshalText implements encoding.TextMarshaler so actions read as words in JSON.
func (a Action) MarshalText() ([]byte, error) { return []byte(a.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (a *Action) UnmarshalText(b []byte) error {
	v, err := ParseAction(string(b))
	if err != nil {
		return err
	}
	*a = v
	return nil
}

// MarkKind says what a registered mark is.
type MarkKind string

// Kinds of mark.
const (
	MarkWord         MarkKind = "word"         // the brand's word mark: "Nike"
	MarkProductLine  MarkKind = "product_line" // a product-line name: "Air Jordan"
	MarkAbbreviation MarkKind = "abbreviation" // a short form: "LV"
)

// Mark is one registered brand mark.
//
// Ordinary marks are also everyday words (Apple, Coach, Puma, Supreme,
// Off-White): they count only where the listing's context makes a brand
// reading likely, never on their own.
type Mark struct {
	ID       int64    `json:"id,omitempty"`
	BrandID  string   `json:"brand_id"`
	Text     string   `json:"text"`
	Kind     MarkKind `json:"kind"`
	Ordinary bool     `json:"ordinary"`
}

// Trademark is a registration record backing a brand's marks.
type Trademark struct {
	ID      int64  `json:"id,omitempty"`
	BrandID string `json:"brand_id"`
	Mark    string `json:"mark"`
	Number  string `json:"number"`
	Office  string `json:"office"` // USPTO, EUIPO, CNIPA, WIPO ...
	Classes []int  `json:"classes"`
}

// PriceFloor is the lowest plausible price of a genuine product of a brand,
// optionally restricted to one category. A listing far below it is suspect.
type PriceFloor struct {
	ID       int64   `json:"id,omitempty"`
	BrandID  string  `json:"brand_id"`
	Category string  `json:"category,omitempty"` // empty: every category
	Amount   float64 `json:"amount"`
	Currency string  `json:"currency"`
}

// BrandImage is a registered genuine photo or logo of a brand, known by its
// PDQ hash and the hashes of variants (crops, lightness) that let an edited
// copy of it still match.
type BrandImage struct {
	ID       string      `json:"id"`
	BrandID  string      `json:"brand_id"`
	Label    string      `json:"label,omitempty"`
	PDQ      string      `json:"pdq"` // 64 hex digits
	Quality  int         `json:"quality"`
	Variants []ImageHash `json:"variants,omitempty"`
}

// ImageHash is one named perceptual hash of an image ("crop-left-10").
type ImageHash struct {
	Name    string `json:"name"`
	PDQ     string `json:"pdq"`
	Quality int    `json:"quality"`
}

// Product is one genuine product a rights holder registers. Its name and
// identifiers are read as marks of the brand when screening, and its
// minimum price is the floor for a listing that names it, when that is
// higher than the brand's own floor.
type Product struct {
	Name string `json:"name"`
	// Identifiers are GTINs (8, 12, 13 or 14 digits, check digit verified)
	// or manufacturer part and model numbers ("GA-2100", "M40990").
	Identifiers []string `json:"identifiers,omitempty"`
	Category    string   `json:"category,omitempty"`
	MinPrice    float64  `json:"min_price,omitempty"` // zero: no product floor
	Currency    string   `json:"currency,omitempty"`
}

// MaxImageVariants bounds the variant hashes kept per protected image.
const MaxImageVariants = 64

// Brand is a rights holder's brand with everything screening needs to know.
type Brand struct {
	ID                string       `json:"id"`
	Name              string       `json:"name"`
	Category          string       `json:"category,omitempty"`
	Marks             []Mark       `json:"marks,omitempty"`
	Trademarks        []Trademark  `json:"trademarks,omitempty"`
	PriceFloors       []PriceFloor `json:"price_floors,omitempty"`
	AuthorizedSellers []string     `json:"authorized_sellers,omitempty"`
	Images            []BrandImage `json:"images,omitempty"`
	Products          []Product    `json:"products,omitempty"`
	CreatedAt         time.Time    `json:"created_at,omitempty"`
}

// Seller is an account that publishes listings.
type Seller struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	Country   string    `json:"country,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

// SellerHistory is what is known of a seller's past at screening time.
type SellerHistory struct {
	Known      bool     `json:"known"`
	AgeDays    float64  `json:"age_days"`
	Listings   int      `json:"listings"`
	Blocks     int      `json:"blocks"`
	Reviews    int      `json:"reviews"`
	Removed    int      `json:"removed"`
	Authorized []string `json:"authorized_brands,omitempty"`
}

// ListingStatus is where a listing stands.
type ListingStatus string

// Listing statuses.
const (
	StatusActive  ListingStatus = "active"
	StatusHeld    ListingStatus = "held"
	StatusRemoved ListingStatus = "removed"
)

// Listing is an offer a seller publishes on the marketplace.
type Listing struct {
	ID          string        `json:"id"`
	SellerID    string        `json:"seller_id"`
	Title       string        `json:"title"`
	Description string        `json:"description,omitempty"`
	Price       float64       `json:"price"`
	Currency    string        `json:"currency"`
	Category    string        `json:"category,omitempty"`
	Images      []string      `json:"images,omitempty"`
	Status      ListingStatus `json:"status,omitempty"`
	CreatedAt   time.Time     `json:"created_at,omitempty"`
	UpdatedAt   time.Time     `json:"updated_at,omitempty"`
}

// Detector names, as they appear in signals and reasons.
const (
	DetectorBrand   = "brand_mark"
	DetectorReplica = "replica_cue"
	DetectorContext = "context"
	DetectorPrice   = "price"
	DetectorSeller  = "seller"
	DetectorImage   = "image_match"
)

// Span locates matched text in a listing field, in byte offsets of the
// original (not normalized) text.
type Span struct {
	Field string `json:"field"` // title or description
	Start int    `json:"start"`
	End   int    `json:"end"`
}

// Signal is one explainable observation a detector made about a listing.
type Signal struct {
	Detector   string  `json:"detector"`
	Kind       string  `json:"kind"` // detector-specific: exact, confusable, typo, nominative ...
	BrandID    string  `json:"brand_id,omitempty"`
	Mark       string  `json:"mark,omitempty"`
	Span       *Span   `json:"span,omitempty"`
	Original   string  `json:"original,omitempty"`
	Normalized string  `json:"normalized,omitempty"`
	Value      float64 `json:"value,omitempty"` // a ratio, a distance, an age: see Kind
	Detail     string  `json:"detail,omitempty"`
}

// Reason explains one rule that fired for a decision.
type Reason struct {
	Rule    string   `json:"rule"`
	Action  Action   `json:"action"`
	Weight  float64  `json:"weight"`
	Message string   `json:"message"`
	BrandID string   `json:"brand_id,omitempty"`
	Signals []Signal `json:"signals,omitempty"`
}

// Decision is the outcome of screening one listing.
type Decision struct {
	ID            int64     `json:"id,omitempty"`
	ListingID     string    `json:"listing_id"`
	Action        Action    `json:"action"`
	Score         float64   `json:"score"`
	BrandID       string    `json:"brand_id,omitempty"`
	Reasons       []Reason  `json:"reasons"`
	Signals       []Signal  `json:"signals,omitempty"`
	PolicyVersion string    `json:"policy_version,omitempty"`
	DecidedAt     time.Time `json:"decided_at,omitempty"`
}

// AuditEntry is one append-only record of something that happened.
type AuditEntry struct {
	ID         int64     `json:"id"`
	At         time.Time `json:"at"`
	Actor      string    `json:"actor"`       // "system", "apikey:3", "user:7"
	Action     string    `json:"action"`      // "decision", "status_change", "brand_update" ...
	ObjectType string    `json:"object_type"` // "listing", "brand" ...
	ObjectID   string    `json:"object_id"`
	Detail     string    `json:"detail"` // JSON
}

// Role is what an API key or user may do.
type Role string

// Roles.
const (
	RoleAdmin       Role = "admin"       // manages brands, sellers, keys, rules
	RoleIntegration Role = "integration" // a marketplace's backend: screens listings, reads decisions
	RoleReviewer    Role = "reviewer"    // works the review queue
)

// APIKey is a credential for the HTTP API. Only the hash of the secret is kept.
type APIKey struct {
	ID        int64      `json:"id"`
	Name      string     `json:"name"`
	Role      Role       `json:"role"`
	Prefix    string     `json:"prefix"` // the first characters of the key, to recognise it
	Hash      []byte     `json:"-"`
	CreatedAt time.Time  `json:"created_at"`
	RevokedAt *time.Time `json:"revoked_at,omitempty"`
}

// Errors that callers test for with errors.Is.
var (
	ErrNotFound = errors.New("not found")
	ErrConflict = errors.New("conflict")
	ErrInvalid  = errors.New("invalid")
)

// ValidationError names the field that was wrong and why.
type ValidationError struct {
	Field   string
	Message string
}

func (e *ValidationError) Error() string { return e.Field + ": " + e.Message }

// Is makes errors.Is(err, ErrInvalid) true for validation errors.
func (e *ValidationError) Is(target error) bool { return target == ErrInvalid }

// Upload is an image uploaded through the API for a listing to name
// ("upload:ID" in Listing.Images). Its id is the SHA-256 of the bytes, so
// uploading the same picture twice gives the same id.
type Upload struct {
	ID          string    `json:"id"`
	ContentType string    `json:"content_type"`
	Size        int       `json:"size"`
	Width       int       `json:"width"`
	Height      int       `json:"height"`
	Data        []byte    `json:"-"`
	Actor       string    `json:"-"`
	CreatedAt   time.Time `json:"created_at"`
}
