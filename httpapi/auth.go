package httpapi

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/hallmark-dev/hallmark"
	"github.com/hallmark-dev/hallmark/store"
)

// API keys look like "hm_" followed by 32 random bytes in unpadded base64url.
// The first keyPrefixLen characters are stored in clear so that a key can be
// found with an index lookup and recognised in the key list; the rest is
// known only through its hash.
const (
	keyScheme    = "hm_"
	keyPrefixLen = 12
	maxKeyLen    = 128
)

// hashKey hashes a secret for storage. A plain SHA-256 is enough here: the
// secret carries 256 bits of randomness, so there is nothing for a slow
// password KDF (bcrypt, argon2) to protect against, and a fast hash keeps
// authentication off the latency budget of every screening call.
func hashKey(secret string) []byte {
	h := sha256.Sum256([]byte(secret))
	return h[:]
}

// CreateAPIKey makes a new API key, stores its prefix and hash, and returns
// the secret, which is shown to the caller once and never again. The CLI
// uses it to bootstrap the first admin key.
func CreateAPIKey(ctx context.Context, keys store.APIKeys, name string, role hallmark.Role) (secret string, err error) {
	secret, _, err = createAPIKey(ctx, keys, name, role, time.Now().UTC())
	return secret, err
}

func createAPIKey(ctx context.Context, keys store.APIKeys, name string, role hallmark.Role, now time.Time) (string, *hallmark.APIKey, error) {
	if err := validateKeyRequest(name, role); err != nil {
		return "", nil, err
	}
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", nil, fmt.Errorf("httpapi: reading randomness: %w", err)
	}
	secret := keyScheme + base64.RawURLEncoding.EncodeToString(b[:])
	k := &hallmark.APIKey{
		Name:      name,
		Role:      role,
		Prefix:    secret[:keyPrefixLen],
		Hash:      hashKey(secret),
		CreatedAt: now,
	}
	if err := keys.CreateAPIKey(ctx, k); err != nil {
		return "", nil, fmt.Errorf("httpapi: storing API key: %w", err)
	}
	return secret, k, nil
}

func validateKeyRequest(name string, role hallmark.Role) error {
	if err := validName("name", name, 200, true); err != nil {
		return err
	}
	switch role {
	case hallmark.RoleAdmin, hallmark.RoleIntegration, hallmark.RoleReviewer:
		return nil
	case "":
		return invalid("role", "is required (admin, integration or reviewer)")
	}
	return invalid("role", "unknown role "+strconv.Quote(string(role))+" (want admin, integration or reviewer)")
}

// authenticate checks the bearer key and returns it, or writes a 401.
func (s *Server) authenticate(w http.ResponseWriter, r *http.Request) (*hallmark.APIKey, bool) {
	deny := func(msg string) (*hallmark.APIKey, bool) {
		w.Header().Set("WWW-Authenticate", `Bearer realm="hallmark"`)
		writeError(w, r, http.StatusUnauthorized, codeUnauthenticated, msg)
		return nil, false
	}
	h := r.Header.Get("Authorization")
	scheme, secret, ok := strings.Cut(h, " ")
	if h == "" {
		return deny("an API key is required: send Authorization: Bearer <key>")
	}
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return deny("the Authorization header must be: Bearer <key>")
	}
	secret = strings.TrimSpace(secret)
	if len(secret) < keyPrefixLen || len(secret) > maxKeyLen || !strings.HasPrefix(secret, keyScheme) {
		return deny("the API key is not valid")
	}
	sum := sha256.Sum256([]byte(secret))
	// The cache runs on the real, monotonic clock, not the injected one: a
	// TTL is about elapsed time, and a frozen test clock must not make
	// entries immortal.
	if k, ok := s.keys.get(sum, time.Now()); ok {
		return k, true
	}
	gen := s.keys.generation()
	cands, err := s.store.APIKeysByPrefix(r.Context(), secret[:keyPrefixLen])
	if err != nil {
		s.fail(w, r, fmt.Errorf("looking up API key: %w", err))
		return nil, false
	}
	var found *hallmark.APIKey
	for i := range cands {
		// Compare every candidate, whatever the outcome, so the time taken
		// does not tell an attacker which prefix exists.
		if subtle.ConstantTimeCompare(cands[i].Hash, sum[:]) == 1 && cands[i].RevokedAt == nil {
			found = &cands[i]
		}
	}
	if found == nil {
		return deny("the API key is not valid or has been revoked")
	}
	s.keys.put(sum, found, time.Now(), gen)
	return found, true
}

// KeyCacheTTL is how long a verified API key is trusted without asking the
// store again. A key revoked through this process's API stops working at
// once; one revoked by another process (a second API server, the CLI) keeps
// working here for up to KeyCacheTTL. The API description of
// DELETE /v1/api-keys/{id} (openapi.go) states this delay; keep the two in
// step.
const KeyCacheTTL = 10 * time.Second

// keyCache remembers keys verified recently, by the SHA-256 of the secret,
// so that the publish-time call does not pay a store lookup for every
// request. Only successes are cached: an unknown secret always reaches the
// store, so a key created anywhere works at once. Entries hold copies, and
// are never handed out for callers to change.
type keyCache struct {
	mu      sync.Mutex
	entries map[[sha256.Size]byte]keyEntry
	// gen counts revocations. A lookup that started before one may have
	// read the key as still valid, so put ignores it.
	gen uint64
}

type keyEntry struct {
	key     hallmark.APIKey
	expires time.Time
}

// keyCacheMax bounds the cache: keys are few, but an attacker must not be
// able to grow it (only valid keys get in, yet be safe).
const keyCacheMax = 4096

func (c *keyCache) get(sum [sha256.Size]byte, now time.Time) (*hallmark.APIKey, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[sum]
	if !ok {
		return nil, false
	}
	if !now.Before(e.expires) {
		delete(c.entries, sum)
		return nil, false
	}
	k := e.key
	return &k, true
}

func (c *keyCache) generation() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gen
}

// put remembers k, unless a key was revoked since gen was read.
func (c *keyCache) put(sum [sha256.Size]byte, k *hallmark.APIKey, now time.Time, gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen != gen {
		return
	}
	if c.entries == nil || len(c.entries) >= keyCacheMax {
		c.entries = make(map[[sha256.Size]byte]keyEntry)
	}
	c.entries[sum] = keyEntry{key: *k, expires: now.Add(KeyCacheTTL)}
}

// revoke forgets the key with this id, so its revocation takes effect in
// this process at once.
func (c *keyCache) revoke(id int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	for sum, e := range c.entries {
		if e.key.ID == id {
			delete(c.entries, sum)
		}
	}
}

func allowed(role hallmark.Role, roles []hallmark.Role) bool { return slices.Contains(roles, role) }

func actorFor(k *hallmark.APIKey) string { return "apikey:" + strconv.FormatInt(k.ID, 10) }

type createKeyRequest struct {
	Name string        `json:"name"`
	Role hallmark.Role `json:"role"`
}

type createKeyResponse struct {
	Key    *hallmark.APIKey `json:"key"`
	Secret string           `json:"secret"`
}

func (s *Server) createAPIKey(w http.ResponseWriter, r *http.Request) {
	var req createKeyRequest
	if !s.decodeBody(w, r, s.maxBody, &req) {
		return
	}
	secret, k, err := createAPIKey(r.Context(), s.store, req.Name, req.Role, s.now().UTC())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.audit(r, "api_key_create", "api_key", strconv.FormatInt(k.ID, 10),
		map[string]any{"name": k.Name, "role": k.Role, "prefix": k.Prefix})
	writeJSON(w, r, http.StatusCreated, createKeyResponse{Key: k, Secret: secret})
}

func (s *Server) listAPIKeys(w http.ResponseWriter, r *http.Request) {
	keys, err := s.store.ListAPIKeys(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if keys == nil {
		keys = []hallmark.APIKey{}
	}
	writeJSON(w, r, http.StatusOK, page[hallmark.APIKey]{Items: keys})
}

func (s *Server) revokeAPIKey(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		writeError(w, r, http.StatusNotFound, codeNotFound, "no API key with id "+strconv.Quote(r.PathValue("id")))
		return
	}
	// Forgotten before and after the store call; the second also bumps the
	// generation, so a request that read the key as valid while the
	// revocation was being written cannot put it back.
	s.keys.revoke(id)
	err = s.store.RevokeAPIKey(r.Context(), id, s.now().UTC())
	s.keys.revoke(id)
	if err != nil {
		if errors.Is(err, hallmark.ErrNotFound) {
			writeError(w, r, http.StatusNotFound, codeNotFound, "no API key with id "+strconv.FormatInt(id, 10))
			return
		}
		s.fail(w, r, err)
		return
	}
	s.audit(r, "api_key_revoke", "api_key", strconv.FormatInt(id, 10), nil)
	w.WriteHeader(http.StatusNoContent)
}

// audit appends an audit entry for an action the store does not audit by
// itself. Failing to audit does not undo the action, which has already
// happened; it is logged loudly instead.
func (s *Server) audit(r *http.Request, action, objType, objID string, detail any) {
	d := "{}"
	if detail != nil {
		if b, err := json.Marshal(detail); err == nil {
			d = string(b)
		}
	}
	e := &hallmark.AuditEntry{
		At: s.now().UTC(), Actor: actorOf(r), Action: action,
		ObjectType: objType, ObjectID: objID, Detail: d,
	}
	if err := s.store.AppendAudit(r.Context(), e); err != nil {
		s.log.ErrorContext(r.Context(), "audit append failed", "err", err, "action", action, "object_id", objID)
	}
}

func slogLevelFor(status int) slog.Level {
	if status >= 500 {
		return slog.LevelWarn
	}
	return slog.LevelInfo
}
