// Package account is who may use Hallmark as a person: platform admins,
// trust & safety reviewers, rights-holder users scoped to their brands and
// sellers scoped to their own listings. It holds the account types, password
// hashing (argon2id) and session tokens, and the Principal that every
// takedown operation is checked against.
//
// Integrations keep using API keys (package httpapi); a key maps to a
// Principal too, so one set of tenancy checks covers both.
package account

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"golang.org/x/crypto/argon2"
)

// Role is what a person (or an API key acting as one) may do.
type Role string

// Roles of accounts.
const (
	Admin        Role = "admin"         // everything
	Reviewer     Role = "reviewer"      // verifies rights, decides notices and appeals
	RightsHolder Role = "rights_holder" // files notices for its own brands
	Seller       Role = "seller"        // sees and contests restrictions of its own listings
	Integration  Role = "integration"   // a marketplace backend: no takedown access
)

// Valid reports whether r is a role an account can have.
func (r Role) Valid() bool {
	switch r {
	case Admin, Reviewer, RightsHolder, Seller:
		return true
	}
	return false
}

// User is a person's account. A rights-holder user acts for BrandIDs only;
// a seller user for SellerID only.
type User struct {
	ID           int64     `json:"id"`
	Email        string    `json:"email"`
	Name         string    `json:"name"`
	Role         Role      `json:"role"`
	BrandIDs     []string  `json:"brand_ids,omitempty"`
	SellerID     string    `json:"seller_id,omitempty"`
	PasswordHash string    `json:"-"`
	CreatedAt    time.Time `json:"created_at"`
}

// Session is a logged-in browser. Only the hash of its token is stored.
type Session struct {
	Hash      []byte
	UserID    int64
	CreatedAt time.Time
	ExpiresAt time.Time
}

// Principal is who is asking, whatever the credential.
type Principal struct {
	Actor    string // for the audit log: "user:7", "apikey:3"
	Role     Role
	UserID   int64 // 0 for API keys
	BrandIDs []string
	SellerID string
}

// Person reports whether a named human is acting (a session), as opposed to
// an API key: decisions the law reserves for people check it.
func (p Principal) Person() bool { return p.UserID != 0 }

// Staff reports whether p works for the platform (admin or reviewer).
func (p Principal) Staff() bool { return p.Role == Admin || p.Role == Reviewer }

// ActsFor reports whether p may act for brand: staff for any, a rights
// holder for its own.
func (p Principal) ActsFor(brand string) bool {
	if p.Staff() {
		return true
	}
	if p.Role != RightsHolder {
		return false
	}
	for _, b := range p.BrandIDs {
		if b == brand {
			return true
		}
	}
	return false
}

// Owns reports whether p may see seller's restrictions: staff, or the seller.
func (p Principal) Owns(seller string) bool {
	return p.Staff() || (p.Role == Seller && p.SellerID != "" && p.SellerID == seller)
}

// ForUser is the Principal of a logged-in user.
func ForUser(u *User) Principal {
	return Principal{Actor: "user:" + strconv.FormatInt(u.ID, 10), Role: u.Role, UserID: u.ID,
		BrandIDs: append([]string(nil), u.BrandIDs...), SellerID: u.SellerID}
}

// Password limits. The upper bound keeps a hostile client from making the
// server hash megabytes.
const (
	MinPasswordLen = 12
	MaxPasswordLen = 256
)

// argon2id parameters: the RFC 9106 "second recommended" option scaled to
// a small server (64 MiB, 1 pass, 2 lanes ~ 50 ms on one core). They are
// stored with each hash, so raising them later does not lock anyone out.
const (
	argonTime    = 1
	argonMemory  = 64 * 1024
	argonThreads = 2
	argonKeyLen  = 32
)

// hashing bounds how many argon2 computations run at once. Each takes
// argonMemory; without a bound, a burst of logins (or an attacker's) would
// make the server allocate 64 MiB per request in flight.
var hashing = make(chan struct{}, 2)

func idKey(password, salt []byte, t, m uint32, p uint8, n uint32) []byte {
	hashing <- struct{}{}
	defer func() { <-hashing }()
	return argon2.IDKey(password, salt, t, m, p, n)
}

// ErrBadPassword is returned for a password that does not fit the policy.
var ErrBadPassword = errors.New("password must be 12 to 256 bytes")

// HashPassword returns an encoded argon2id hash of password.
func HashPassword(password string) (string, error) {
	if len(password) < MinPasswordLen || len(password) > MaxPasswordLen {
		return "", ErrBadPassword
	}
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := idKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key)), nil
}

// CheckPassword reports whether password matches the encoded hash, in time
// that does not depend on where they differ.
func CheckPassword(encoded, password string) bool {
	if len(password) > MaxPasswordLen {
		return false
	}
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil || m > 1<<20 || t > 10 || p == 0 {
		return false
	}
	salt, err1 := base64.RawStdEncoding.DecodeString(parts[4])
	want, err2 := base64.RawStdEncoding.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false
	}
	got := idKey([]byte(password), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// dummyHash is checked against when a login names no account, so that the
// answer takes as long as for a wrong password and does not reveal which
// emails have accounts.
var dummyHash, _ = HashPassword("not a real password, only for timing")

// CheckNoUser spends the time a password check takes, and fails.
func CheckNoUser(password string) bool {
	CheckPassword(dummyHash, password)
	return false
}

// NewSessionToken returns a fresh random token (sent to the browser once,
// in a cookie) and its hash (stored).
func NewSessionToken() (token string, hash []byte, err error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", nil, err
	}
	token = base64.RawURLEncoding.EncodeToString(b[:])
	return token, HashToken(token), nil
}

// HashToken hashes a session token for storage and lookup. SHA-256 is
// enough: the token carries 256 random bits, nothing a slow KDF protects.
func HashToken(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}
