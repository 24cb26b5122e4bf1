package httpapi

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/hallmark-dev/hallmark"
	"github.com/hallmark-dev/hallmark/store"
)

// memStore is a minimal in-memory store.Store, used where a test needs to
// make the store misbehave (failing Ping, failing writes) without a
// database. The main tests run against store/sqlite.
type memStore struct {
	mu        sync.Mutex
	brands    map[string]hallmark.Brand
	sellers   map[string]hallmark.Seller
	listings  map[string]hallmark.Listing
	decisions []hallmark.Decision
	audit     []hallmark.AuditEntry
	keys      []hallmark.APIKey
	pingErr   error
	putErr    error
}

var _ store.Store = (*memStore)(nil)

func newMemStore() *memStore {
	return &memStore{brands: map[string]hallmark.Brand{}, sellers: map[string]hallmark.Seller{}, listings: map[string]hallmark.Listing{}}
}

func nf(what, id string) error { return fmt.Errorf("%s %q: %w", what, id, hallmark.ErrNotFound) }

func (m *memStore) Close() error               { return nil }
func (m *memStore) Ping(context.Context) error { return m.pingErr }
func (m *memStore) appendAudit(e hallmark.AuditEntry) {
	e.ID = int64(len(m.audit) + 1)
	m.audit = append(m.audit, e)
}

func (m *memStore) PutBrand(_ context.Context, b *hallmark.Brand, actor string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.putErr != nil {
		return m.putErr
	}
	m.brands[b.ID] = *b
	m.appendAudit(hallmark.AuditEntry{Actor: actor, Action: "brand_update", ObjectType: "brand", ObjectID: b.ID})
	return nil
}
func (m *memStore) GetBrand(_ context.Context, id string) (*hallmark.Brand, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	b, ok := m.brands[id]
	if !ok {
		return nil, nf("brand", id)
	}
	return &b, nil
}
func (m *memStore) ListBrands(context.Context) ([]hallmark.Brand, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []hallmark.Brand
	for _, b := range m.brands {
		out = append(out, b)
	}
	slices.SortFunc(out, func(a, b hallmark.Brand) int { return strings.Compare(a.ID, b.ID) })
	return out, nil
}
func (m *memStore) DeleteBrand(_ context.Context, id, _ string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.brands[id]; !ok {
		return nf("brand", id)
	}
	delete(m.brands, id)
	return nil
}
func (m *memStore) RegistryVersion(context.Context) (int64, error) { return 0, nil }

func (m *memStore) PutSeller(_ context.Context, s *hallmark.Seller, _ string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.putErr != nil {
		return m.putErr
	}
	m.sellers[s.ID] = *s
	return nil
}
func (m *memStore) GetSeller(_ context.Context, id string) (*hallmark.Seller, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, ok := m.sellers[id]
	if !ok {
		return nil, nf("seller", id)
	}
	return &s, nil
}
func (m *memStore) ListSellers(_ context.Context, p store.Page) ([]hallmark.Seller, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []hallmark.Seller
	for _, s := range m.sellers {
		if s.ID > p.After {
			out = append(out, s)
		}
	}
	slices.SortFunc(out, func(a, b hallmark.Seller) int { return strings.Compare(a.ID, b.ID) })
	return out[:min(len(out), p.LimitOrDefault())], nil
}
func (m *memStore) SellerHistory(_ context.Context, id string, _ time.Time) (hallmark.SellerHistory, error) {
	return hallmark.SellerHistory{Known: true}, nil
}

func (m *memStore) GetListing(_ context.Context, id string) (*hallmark.Listing, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	l, ok := m.listings[id]
	if !ok {
		return nil, nf("listing", id)
	}
	return &l, nil
}
func (m *memStore) ListListings(_ context.Context, f store.ListingFilter) ([]hallmark.Listing, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []hallmark.Listing
	for _, l := range m.listings {
		if (f.SellerID == "" || l.SellerID == f.SellerID) && (f.Status == "" || l.Status == f.Status) && l.ID > f.After {
			out = append(out, l)
		}
	}
	slices.SortFunc(out, func(a, b hallmark.Listing) int { return strings.Compare(a.ID, b.ID) })
	return out[:min(len(out), f.LimitOrDefault())], nil
}
func (m *memStore) SetListingStatus(_ context.Context, id string, st hallmark.ListingStatus, _, _ string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	l, ok := m.listings[id]
	if !ok {
		return nf("listing", id)
	}
	l.Status = st
	m.listings[id] = l
	m.appendAudit(hallmark.AuditEntry{Action: "status_change", ObjectType: "listing", ObjectID: id})
	return nil
}

func (m *memStore) SaveScreening(_ context.Context, l *hallmark.Listing, d *hallmark.Decision, actor string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.putErr != nil {
		return m.putErr
	}
	if _, ok := m.sellers[l.SellerID]; !ok {
		return nf("seller", l.SellerID)
	}
	if prev, ok := m.listings[l.ID]; ok {
		// As the store contract says: no moving listings between sellers,
		// and the first creation time is kept.
		if prev.SellerID != l.SellerID {
			return fmt.Errorf("mem: listing %q: %w", l.ID, hallmark.ErrConflict)
		}
		l.CreatedAt = prev.CreatedAt
	}
	m.listings[l.ID] = *l
	d.ID = int64(len(m.decisions) + 1)
	m.decisions = append(m.decisions, *d)
	m.appendAudit(hallmark.AuditEntry{Actor: actor, Action: "decision", ObjectType: "listing", ObjectID: l.ID})
	return nil
}
func (m *memStore) GetDecision(_ context.Context, id int64) (*hallmark.Decision, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if id < 1 || int(id) > len(m.decisions) {
		return nil, nf("decision", fmt.Sprint(id))
	}
	d := m.decisions[id-1]
	return &d, nil
}
func (m *memStore) LatestDecision(_ context.Context, lid string) (*hallmark.Decision, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for i := len(m.decisions) - 1; i >= 0; i-- {
		if m.decisions[i].ListingID == lid {
			d := m.decisions[i]
			return &d, nil
		}
	}
	return nil, nf("decision for listing", lid)
}
func (m *memStore) ListDecisions(_ context.Context, f store.DecisionFilter) ([]hallmark.Decision, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []hallmark.Decision
	for i := len(m.decisions) - 1; i >= 0; i-- {
		d := m.decisions[i]
		if (f.Action == nil || d.Action == *f.Action) && (f.BrandID == "" || d.BrandID == f.BrandID) &&
			(f.ListingID == "" || d.ListingID == f.ListingID) {
			out = append(out, d)
		}
	}
	return out[:min(len(out), f.LimitOrDefault())], nil
}

func (m *memStore) AppendAudit(_ context.Context, e *hallmark.AuditEntry) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.appendAudit(*e)
	return nil
}
func (m *memStore) ListAudit(_ context.Context, typ, id string, _ store.Page) ([]hallmark.AuditEntry, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []hallmark.AuditEntry
	for _, e := range m.audit {
		if e.ObjectType == typ && e.ObjectID == id {
			out = append(out, e)
		}
	}
	return out, nil
}

func (m *memStore) CreateAPIKey(_ context.Context, k *hallmark.APIKey) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	k.ID = int64(len(m.keys) + 1)
	m.keys = append(m.keys, *k)
	return nil
}
func (m *memStore) APIKeysByPrefix(_ context.Context, prefix string) ([]hallmark.APIKey, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []hallmark.APIKey
	for _, k := range m.keys {
		if k.Prefix == prefix && k.RevokedAt == nil {
			out = append(out, k)
		}
	}
	return out, nil
}
func (m *memStore) ListAPIKeys(context.Context) ([]hallmark.APIKey, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.keys), nil
}
func (m *memStore) RevokeAPIKey(_ context.Context, id int64, at time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if id < 1 || int(id) > len(m.keys) {
		return nf("api key", fmt.Sprint(id))
	}
	m.keys[id-1].RevokedAt = &at
	return nil
}
