package notice

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/mail"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/hallmark-dev/hallmark"
	"github.com/hallmark-dev/hallmark/account"
)

// Config tunes the workflow. Zero fields take the defaults noted.
type Config struct {
	// Clock is the time every deadline is measured on. Default: time.Now.
	Clock func() time.Time
	// RestorePeriod: a listing under counter-notice comes back after it
	// unless the rights holder reports a complaint or lawsuit. Default 15 days.
	RestorePeriod time.Duration
	// CounterWindow: how long after a removal the seller may counter-notice.
	// Default 15 days.
	CounterWindow time.Duration
	// AppealWindow: how long after a decision an appeal may be filed; the
	// DSA asks for at least six months. Default 183 days.
	AppealWindow time.Duration
	// FastLaneRate, FastLaneWindow, FastLaneMinDecided: a notifier whose
	// notices were accepted at least this often over the window, with at
	// least this many decided, removes listings at once. Defaults 0.9,
	// 90 days, 10.
	FastLaneRate       float64
	FastLaneWindow     time.Duration
	FastLaneMinDecided int
	// FastLaneMaxCounterSuccess: the lane is lost when a larger share of
	// the counter-notices against the notifier succeed. Default 0.05.
	FastLaneMaxCounterSuccess float64
	// SuspendFor is how long a warned notifier that again files a
	// manifestly unfounded notice is suspended (DSA Art. 23). Default 30 days.
	SuspendFor time.Duration
	// SessionTTL is how long a login lasts. Default 12 hours.
	SessionTTL time.Duration
}

// MaxListings is the most listings one notice may name.
const MaxListings = 300

// Text limits, generous for legal prose and small enough to bound storage.
const (
	maxExplanation = 10000
	maxShort       = 200
	maxDocuments   = 20
)

func (c *Config) defaults() {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	const day = 24 * time.Hour
	if c.Clock == nil {
		c.Clock = time.Now
	}
	def(&c.RestorePeriod, 15*day)
	def(&c.CounterWindow, 15*day)
	def(&c.AppealWindow, 183*day)
	def(&c.FastLaneWindow, 90*day)
	def(&c.SuspendFor, 30*day)
	def(&c.SessionTTL, 12*time.Hour)
	if c.FastLaneRate <= 0 {
		c.FastLaneRate = 0.9
	}
	if c.FastLaneMinDecided <= 0 {
		c.FastLaneMinDecided = 10
	}
	if c.FastLaneMaxCounterSuccess <= 0 {
		c.FastLaneMaxCounterSuccess = 0.05
	}
}

// Service is the notice-and-takedown workflow. It is safe for concurrent use.
type Service struct {
	st  Store
	cfg Config
}

// New returns a Service on st.
func New(st Store, cfg Config) *Service {
	cfg.defaults()
	return &Service{st: st, cfg: cfg}
}

// Config returns the effective configuration.
func (s *Service) Config() Config { return s.cfg }

func (s *Service) now() time.Time { return s.cfg.Clock().UTC().Truncate(time.Microsecond) }

// ErrForbidden: the caller's role may not do this at all.
var ErrForbidden = errors.New("forbidden")

// Refusal is a request the workflow turns down as it stands (a period
// over, a decision already taken, a suspended notifier). Code is stable
// for clients; Kind is hallmark.ErrConflict or ErrForbidden.
type Refusal struct {
	Code string
	Msg  string
	Kind error
}

func (r *Refusal) Error() string { return r.Msg }
func (r *Refusal) Unwrap() error { return r.Kind }

func conflict(code, format string, a ...any) error {
	return &Refusal{Code: code, Msg: fmt.Sprintf(format, a...), Kind: hallmark.ErrConflict}
}

func forbidden(format string, a ...any) error {
	return &Refusal{Code: "forbidden", Msg: fmt.Sprintf(format, a...), Kind: ErrForbidden}
}

func invalid(field, format string, a ...any) error {
	return &hallmark.ValidationError{Field: field, Message: fmt.Sprintf(format, a...)}
}

// notFound hides whether an object exists from callers who may not see
// it: a guessed id of another tenant's notice reads exactly like a missing one.
func notFound(what string, id int64) error {
	return fmt.Errorf("no %s %d: %w", what, id, hallmark.ErrNotFound)
}

func checkText(field, s string, max int, required bool) error {
	switch {
	case required && strings.TrimSpace(s) == "":
		return invalid(field, "is required")
	case len(s) > max:
		return invalid(field, "is too long (%d bytes, at most %d)", len(s), max)
	case !utf8.ValidString(s) || strings.IndexByte(s, 0) >= 0:
		return invalid(field, "is not valid text")
	}
	return nil
}

func checkContact(field string, c Contact) error {
	if err := checkText(field+".name", c.Name, maxShort, true); err != nil {
		return err
	}
	if err := checkText(field+".email", c.Email, 254, true); err != nil {
		return err
	}
	if a, err := mail.ParseAddress(c.Email); err != nil || a.Address != c.Email {
		return invalid(field+".email", "is not an email address")
	}
	return nil
}

func audit(ctx context.Context, tx Tx, at time.Time, actor, action, typ string, id int64, detail any) error {
	b, err := json.Marshal(detail)
	if err != nil {
		return err
	}
	return tx.AppendAudit(ctx, &hallmark.AuditEntry{At: at, Actor: actor, Action: action, ObjectType: typ,
		ObjectID: strconv.FormatInt(id, 10), Detail: string(b)})
}

// ---- accounts ----

// CreateUser makes an account; only admins may. password is hashed with
// argon2id and never stored.
func (s *Service) CreateUser(ctx context.Context, p account.Principal, u *account.User, password string) error {
	if p.Role != account.Admin {
		return forbidden("only admins create accounts")
	}
	u.Email = strings.ToLower(strings.TrimSpace(u.Email))
	if err := checkText("email", u.Email, 254, true); err != nil {
		return err
	}
	if a, err := mail.ParseAddress(u.Email); err != nil || a.Address != u.Email {
		return invalid("email", "is not an email address")
	}
	if err := checkText("name", u.Name, maxShort, true); err != nil {
		return err
	}
	if !u.Role.Valid() {
		return invalid("role", "must be admin, reviewer, rights_holder or seller")
	}
	switch u.Role {
	case account.RightsHolder:
		if len(u.BrandIDs) == 0 || len(u.BrandIDs) > 100 {
			return invalid("brand_ids", "a rights holder acts for 1 to 100 brands")
		}
		for _, b := range u.BrandIDs {
			if err := checkText("brand_ids", b, hallmark.MaxIDLen, true); err != nil {
				return err
			}
		}
		u.SellerID = ""
	case account.Seller:
		if err := checkText("seller_id", u.SellerID, hallmark.MaxIDLen, true); err != nil {
			return err
		}
		u.BrandIDs = nil
	default:
		u.BrandIDs, u.SellerID = nil, ""
	}
	h, err := account.HashPassword(password)
	if err != nil {
		return invalid("password", "%v", err)
	}
	u.PasswordHash, u.CreatedAt = h, s.now()
	return s.st.UpdateTakedown(ctx, func(tx Tx) error {
		if err := tx.CreateUser(ctx, u); err != nil {
			return err
		}
		return audit(ctx, tx, u.CreatedAt, p.Actor, "user_create", "user", u.ID,
			map[string]any{"email": u.Email, "role": u.Role, "brand_ids": u.BrandIDs, "seller_id": u.SellerID})
	})
}

// ErrLogin is the one answer to any failed login, so it tells nothing
// about which emails have accounts.
var ErrLogin = errors.New("the email or password is wrong")

// Login checks a password and opens a session, returning its token.
func (s *Service) Login(ctx context.Context, email, password string) (string, *account.User, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	if len(email) > 254 || len(password) > account.MaxPasswordLen {
		return "", nil, ErrLogin
	}
	var u *account.User
	err := s.st.ViewTakedown(ctx, func(tx Tx) error {
		var err error
		u, err = tx.UserByEmail(ctx, email)
		return err
	})
	if errors.Is(err, hallmark.ErrNotFound) {
		account.CheckNoUser(password)
		return "", nil, ErrLogin
	}
	if err != nil {
		return "", nil, err
	}
	if !account.CheckPassword(u.PasswordHash, password) {
		return "", nil, ErrLogin
	}
	tok, hash, err := account.NewSessionToken()
	if err != nil {
		return "", nil, err
	}
	now := s.now()
	err = s.st.UpdateTakedown(ctx, func(tx Tx) error {
		if err := tx.CreateSession(ctx, &account.Session{Hash: hash, UserID: u.ID, CreatedAt: now, ExpiresAt: now.Add(s.cfg.SessionTTL)}); err != nil {
			return err
		}
		return audit(ctx, tx, now, "user:"+strconv.FormatInt(u.ID, 10), "login", "user", u.ID, map[string]any{})
	})
	return tok, u, err
}

// Authenticate returns the user of a live session; ErrNotFound otherwise.
func (s *Service) Authenticate(ctx context.Context, token string) (*account.User, error) {
	if token == "" || len(token) > 100 {
		return nil, hallmark.ErrNotFound
	}
	var u *account.User
	err := s.st.ViewTakedown(ctx, func(tx Tx) error {
		sess, err := tx.GetSession(ctx, account.HashToken(token))
		if err != nil {
			return err
		}
		if !s.now().Before(sess.ExpiresAt) {
			return hallmark.ErrNotFound
		}
		u, err = tx.GetUser(ctx, sess.UserID)
		return err
	})
	return u, err
}

// Logout ends a session.
func (s *Service) Logout(ctx context.Context, token string) error {
	return s.st.UpdateTakedown(ctx, func(tx Tx) error { return tx.DeleteSession(ctx, account.HashToken(token)) })
}

// ---- rights ----

// RightInput is what a rights holder submits.
type RightInput struct {
	BrandID   string   `json:"brand_id"`
	Mark      string   `json:"mark"`
	Number    string   `json:"number"`
	Office    string   `json:"office"`
	Classes   []int    `json:"classes"`
	Owner     string   `json:"owner"`
	Documents []string `json:"documents"`
}

// SubmitRight records a trademark for verification.
func (s *Service) SubmitRight(ctx context.Context, p account.Principal, in RightInput) (*Right, error) {
	if p.Role != account.RightsHolder && p.Role != account.Admin {
		return nil, forbidden("only rights holders submit rights")
	}
	if err := checkText("brand_id", in.BrandID, hallmark.MaxIDLen, true); err != nil {
		return nil, err
	}
	if !p.ActsFor(in.BrandID) {
		return nil, forbidden("you do not act for brand %q", in.BrandID)
	}
	for _, f := range []struct{ name, v string }{{"mark", in.Mark}, {"number", in.Number}, {"office", in.Office}, {"owner", in.Owner}} {
		if err := checkText(f.name, f.v, maxShort, true); err != nil {
			return nil, err
		}
	}
	if len(in.Classes) == 0 || len(in.Classes) > 45 {
		return nil, invalid("classes", "name 1 to 45 Nice classes")
	}
	for _, c := range in.Classes {
		if c < 1 || c > 45 {
			return nil, invalid("classes", "Nice classes run from 1 to 45, not %d", c)
		}
	}
	if len(in.Documents) > maxDocuments {
		return nil, invalid("documents", "at most %d documents", maxDocuments)
	}
	for _, d := range in.Documents {
		if err := checkText("documents", d, 2000, true); err != nil {
			return nil, err
		}
	}
	now := s.now()
	r := &Right{BrandID: in.BrandID, Kind: "trademark", Mark: in.Mark, Number: in.Number, Office: strings.ToUpper(in.Office),
		Classes: in.Classes, Owner: in.Owner, Documents: in.Documents, Status: RightPending, CreatedAt: now, SubmitBy: p.Actor}
	err := s.st.UpdateTakedown(ctx, func(tx Tx) error {
		id, err := tx.Insert(ctx, KindRight, Meta{BrandID: r.BrandID, Status: string(r.Status), CreatedAt: now},
			func(id int64) any { r.ID = id; return r })
		if err != nil {
			return err
		}
		return audit(ctx, tx, now, p.Actor, "right_submit", "right", id, map[string]any{"brand_id": r.BrandID, "office": r.Office, "number": r.Number})
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// DecideRight verifies or rejects a pending right; reviewers do it.
func (s *Service) DecideRight(ctx context.Context, p account.Principal, id int64, approve bool, reason string) (*Right, error) {
	if !p.Staff() {
		return nil, forbidden("only the platform verifies rights")
	}
	if err := checkText("reason", reason, maxExplanation, !approve); err != nil {
		return nil, err
	}
	var r Right
	now := s.now()
	err := s.st.UpdateTakedown(ctx, func(tx Tx) error {
		m, err := tx.Get(ctx, KindRight, id, &r)
		if err != nil {
			return notFound("right", id)
		}
		if r.Status != RightPending {
			return conflict("already_decided", "right %d is already %s", id, r.Status)
		}
		r.Status, r.Reason, r.DecidedBy, r.DecidedAt = RightRejected, reason, p.Actor, &now
		if approve {
			r.Status = RightVerified
		}
		m.Status, m.DecidedAt = string(r.Status), &now
		if err := tx.Update(ctx, KindRight, m, string(RightPending), &r); err != nil {
			return err
		}
		return audit(ctx, tx, now, p.Actor, "right_"+string(r.Status), "right", id, map[string]any{"reason": reason})
	})
	if err != nil {
		return nil, err
	}
	return &r, nil
}

// GetRight returns a right its brand's users or staff may see.
func (s *Service) GetRight(ctx context.Context, p account.Principal, id int64) (*Right, error) {
	return getOf[Right](ctx, s, KindRight, id, "right", func(m Meta) bool { return p.ActsFor(m.BrandID) })
}

// ListRights lists rights: staff any (optionally one brand's), rights
// holders their own brands'.
func (s *Service) ListRights(ctx context.Context, p account.Principal, f Filter) ([]Right, error) {
	return listOf[Right](ctx, s, p, KindRight, f)
}

// listOf lists records of kind k that p may see: staff see everything the
// filter selects; a rights holder only its brands' (every one of them, or
// the one named); a seller only its own.
// getOf reads one record of kind k for p, who may see it when visible says
// so. A record p may not see reads exactly like a missing one.
func getOf[T any](ctx context.Context, s *Service, k Kind, id int64, what string, visible func(Meta) bool) (*T, error) {
	var v T
	err := s.st.ViewTakedown(ctx, func(tx Tx) error {
		m, err := tx.Get(ctx, k, id, &v)
		if err != nil || !visible(m) {
			return notFound(what, id)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &v, nil
}

func listOf[T any](ctx context.Context, s *Service, p account.Principal, k Kind, f Filter) ([]T, error) {
	f.BrandIDs = nil
	switch {
	case p.Staff():
	case p.Role == account.RightsHolder && (k == KindRight || k == KindNotice || k == KindCounter):
		if f.BrandID != "" && !p.ActsFor(f.BrandID) {
			return nil, forbidden("you do not act for brand %q", f.BrandID)
		}
		if f.BrandID == "" {
			f.BrandIDs = append([]string{}, p.BrandIDs...)
		}
	case p.Role == account.Seller && (k == KindStatement || k == KindCounter || k == KindAppeal):
		if f.SellerID != "" && f.SellerID != p.SellerID {
			return nil, forbidden("you may only list your own")
		}
		f.SellerID = p.SellerID
	default:
		return nil, forbidden("your role may not list these")
	}
	out := []T{}
	err := s.st.ViewTakedown(ctx, func(tx Tx) error {
		return tx.List(ctx, k, f, func(_ Meta, raw []byte) error {
			var v T
			if err := json.Unmarshal(raw, &v); err != nil {
				return err
			}
			out = append(out, v)
			return nil
		})
	})
	return out, err
}
