package httpapi

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/hallmark-dev/hallmark"
	"github.com/hallmark-dev/hallmark/store"
)

const (
	maxNameLen     = hallmark.MaxNameLen
	maxMarkLen     = hallmark.MaxMarkLen
	maxListItems   = 10000
	maxImportItems = 100000
)

var pathEscape = url.PathEscape

// validName checks a short human-entered text field.
func validName(field, s string, max int, required bool) error {
	switch {
	case required && strings.TrimSpace(s) == "":
		return invalid(field, "is required")
	case len(s) > max:
		return invalid(field, fmt.Sprintf("is too long (%d bytes, at most %d)", len(s), max))
	case !utf8.ValidString(s):
		return invalid(field, "is not valid UTF-8")
	case strings.IndexByte(s, 0) >= 0:
		return invalid(field, "contains a NUL byte")
	}
	return nil
}

// validID checks a seller or listing id as hallmark.Listing.Validate does.
func validID(field, id string) error { return validName(field, id, hallmark.MaxIDLen, true) }

// validateBrand checks a brand with field names under prefix.
func validateBrand(b *hallmark.Brand, prefix string) error { return b.ValidatePath(prefix) }

func validateSeller(sl *hallmark.Seller, prefix string, now time.Time) error {
	if err := validID(prefix+"id", sl.ID); err != nil {
		return err
	}
	if err := validName(prefix+"name", sl.Name, maxNameLen, true); err != nil {
		return err
	}
	if sl.Country != "" && !isCountryCode(sl.Country) {
		return invalid(prefix+"country", "must be an ISO 3166-1 alpha-2 code such as DE")
	}
	// An account's age is a screening signal; a creation time in the
	// future would make a new account look like it had none.
	if sl.CreatedAt.After(now.Add(5 * time.Minute)) {
		return invalid(prefix+"created_at", "is in the future")
	}
	return nil
}

func isCountryCode(c string) bool {
	return len(c) == 2 && 'A' <= c[0] && c[0] <= 'Z' && 'A' <= c[1] && c[1] <= 'Z'
}

// reload tells the screening engine the registry changed. The change is
// already committed, so a failure is reported as its own error code: PUT
// and import are idempotent, and retrying them retries the reload.
func (s *Server) reload(w http.ResponseWriter, r *http.Request) bool {
	if err := s.screener.Reload(r.Context()); err != nil {
		s.log.ErrorContext(r.Context(), "screener reload failed", "err", err)
		writeError(w, r, http.StatusInternalServerError, codeReloadFailed,
			"the change was saved but the screening engine could not reload the registry; retry the request")
		return false
	}
	return true
}

func (s *Server) listBrands(w http.ResponseWriter, r *http.Request) {
	bs, err := s.store.ListBrands(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if bs == nil {
		bs = []hallmark.Brand{}
	}
	writeJSON(w, r, http.StatusOK, page[hallmark.Brand]{Items: bs})
}

func (s *Server) getBrand(w http.ResponseWriter, r *http.Request) {
	b, err := s.store.GetBrand(r.Context(), r.PathValue("id"))
	if err != nil {
		s.notFoundOr(w, r, err, "brand", r.PathValue("id"))
		return
	}
	writeJSON(w, r, http.StatusOK, b)
}

func (s *Server) putBrand(w http.ResponseWriter, r *http.Request) {
	var b hallmark.Brand
	if !s.decodeBody(w, r, s.maxBody, &b) {
		return
	}
	id := r.PathValue("id")
	if b.ID == "" {
		b.ID = id
	} else if b.ID != id {
		s.fail(w, r, invalid("id", "is "+strconv.Quote(b.ID)+" but the path names "+strconv.Quote(id)))
		return
	}
	s.brandMu.Lock()
	defer s.brandMu.Unlock()
	s.saveBrand(w, r, &b, http.StatusOK)
}

// saveBrand validates, stores, reloads the engine and answers with the
// stored brand (which carries the ids the store assigned).
func (s *Server) saveBrand(w http.ResponseWriter, r *http.Request, b *hallmark.Brand, status int) {
	if err := validateBrand(b, ""); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.store.PutBrand(r.Context(), b, actorOf(r)); err != nil {
		s.fail(w, r, err)
		return
	}
	if !s.reload(w, r) {
		return
	}
	stored, err := s.store.GetBrand(r.Context(), b.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, r, status, stored)
}

func (s *Server) deleteBrand(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	s.brandMu.Lock()
	defer s.brandMu.Unlock()
	if err := s.store.DeleteBrand(r.Context(), id, actorOf(r)); err != nil {
		s.notFoundOr(w, r, err, "brand", id)
		return
	}
	if !s.reload(w, r) {
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// modifyBrand is the read-modify-write behind the convenience routes.
func (s *Server) modifyBrand(w http.ResponseWriter, r *http.Request, status int, edit func(*hallmark.Brand) error) {
	id := r.PathValue("id")
	s.brandMu.Lock()
	defer s.brandMu.Unlock()
	b, err := s.store.GetBrand(r.Context(), id)
	if err != nil {
		s.notFoundOr(w, r, err, "brand", id)
		return
	}
	if err := edit(b); err != nil {
		s.fail(w, r, err)
		return
	}
	s.saveBrand(w, r, b, status)
}

func (s *Server) addMark(w http.ResponseWriter, r *http.Request) {
	var m hallmark.Mark
	if !s.decodeBody(w, r, s.maxBody, &m) {
		return
	}
	s.modifyBrand(w, r, http.StatusCreated, func(b *hallmark.Brand) error {
		m.ID = 0
		b.Marks = append(b.Marks, m)
		return nil
	})
}

func (s *Server) addPriceFloor(w http.ResponseWriter, r *http.Request) {
	var p hallmark.PriceFloor
	if !s.decodeBody(w, r, s.maxBody, &p) {
		return
	}
	s.modifyBrand(w, r, http.StatusCreated, func(b *hallmark.Brand) error {
		p.ID = 0
		// One floor per category and currency: a second one replaces the
		// first rather than leaving the engine two floors to choose from.
		b.PriceFloors = slices.DeleteFunc(b.PriceFloors, func(q hallmark.PriceFloor) bool {
			return q.Category == p.Category && q.Currency == p.Currency
		})
		b.PriceFloors = append(b.PriceFloors, p)
		return nil
	})
}

// addProduct adds one genuine product to a brand. A product of the same
// name is replaced, so that a retried request does not register it twice.
func (s *Server) addProduct(w http.ResponseWriter, r *http.Request) {
	var p hallmark.Product
	if !s.decodeBody(w, r, s.maxBody, &p) {
		return
	}
	// Checked before the brand is read, so that the error names the field
	// of this request body rather than of the brand's product list.
	if err := p.ValidatePath(""); err != nil {
		s.fail(w, r, err)
		return
	}
	s.modifyBrand(w, r, http.StatusCreated, func(b *hallmark.Brand) error {
		// A copy: the brand read may share its slices with a cache.
		b.Products = slices.DeleteFunc(slices.Clone(b.Products), func(q hallmark.Product) bool {
			return strings.EqualFold(strings.TrimSpace(q.Name), strings.TrimSpace(p.Name))
		})
		b.Products = append(b.Products, p)
		return nil
	})
}

func (s *Server) authorizeSeller(w http.ResponseWriter, r *http.Request) {
	sid := r.PathValue("seller_id")
	s.modifyBrand(w, r, http.StatusOK, func(b *hallmark.Brand) error {
		if err := validID("seller_id", sid); err != nil {
			return err
		}
		if !slices.Contains(b.AuthorizedSellers, sid) {
			b.AuthorizedSellers = append(b.AuthorizedSellers, sid)
		}
		return nil
	})
}

func (s *Server) deauthorizeSeller(w http.ResponseWriter, r *http.Request) {
	sid := r.PathValue("seller_id")
	s.modifyBrand(w, r, http.StatusOK, func(b *hallmark.Brand) error {
		if !slices.Contains(b.AuthorizedSellers, sid) {
			return fmt.Errorf("seller %q is not authorized for brand %q: %w", sid, b.ID, hallmark.ErrNotFound)
		}
		b.AuthorizedSellers = slices.DeleteFunc(b.AuthorizedSellers, func(x string) bool { return x == sid })
		return nil
	})
}

func (s *Server) listSellers(w http.ResponseWriter, r *http.Request) {
	pg, ok := pageParams(w, r)
	if !ok {
		return
	}
	ss, err := s.store.ListSellers(r.Context(), pg)
	if err != nil {
		s.listFail(w, r, err)
		return
	}
	res := page[hallmark.Seller]{Items: ss}
	if res.Items == nil {
		res.Items = []hallmark.Seller{}
	}
	if len(ss) > 0 && len(ss) >= pg.LimitOrDefault() {
		res.NextAfter = store.SellerCursor(ss[len(ss)-1])
	}
	writeJSON(w, r, http.StatusOK, res)
}

func (s *Server) getSeller(w http.ResponseWriter, r *http.Request) {
	sl, err := s.store.GetSeller(r.Context(), r.PathValue("id"))
	if err != nil {
		s.notFoundOr(w, r, err, "seller", r.PathValue("id"))
		return
	}
	writeJSON(w, r, http.StatusOK, sl)
}

func (s *Server) putSeller(w http.ResponseWriter, r *http.Request) {
	var sl hallmark.Seller
	if !s.decodeBody(w, r, s.maxBody, &sl) {
		return
	}
	id := r.PathValue("id")
	if sl.ID == "" {
		sl.ID = id
	} else if sl.ID != id {
		s.fail(w, r, invalid("id", "is "+strconv.Quote(sl.ID)+" but the path names "+strconv.Quote(id)))
		return
	}
	now := s.now().UTC()
	if err := validateSeller(&sl, "", now); err != nil {
		s.fail(w, r, err)
		return
	}
	// A created_at sent with a new seller carries the account's real age
	// over from the marketplace; the store keeps the first one it saw, so an
	// update cannot make an account look older or younger than it is.
	if err := s.store.PutSeller(r.Context(), &sl, actorOf(r)); err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, sl)
}

type importRequest struct {
	Brands  []hallmark.Brand  `json:"brands"`
	Sellers []hallmark.Seller `json:"sellers"`
}

type importResponse struct {
	Brands  int `json:"brands"`
	Sellers int `json:"sellers"`
}

// bulkImport loads a registry in one request. Everything is validated
// before anything is written, so a bad item leaves the store untouched and
// the error names the item and field. The store has no multi-item
// transaction, so a storage failure part-way can leave earlier items
// written; each item is written whole, and the import is idempotent, so
// the remedy is to retry it.
func (s *Server) bulkImport(w http.ResponseWriter, r *http.Request) {
	var req importRequest
	if !s.decodeBody(w, r, s.maxImp, &req) {
		return
	}
	if len(req.Brands)+len(req.Sellers) > maxImportItems {
		s.fail(w, r, invalid("brands", fmt.Sprintf("an import holds at most %d items in all", maxImportItems)))
		return
	}
	now := s.now().UTC()
	sellerAt := map[string]int{}
	for i := range req.Sellers {
		sl := &req.Sellers[i]
		p := fmt.Sprintf("sellers[%d].", i)
		if err := validateSeller(sl, p, now); err != nil {
			s.fail(w, r, err)
			return
		}
		if j, dup := sellerAt[sl.ID]; dup {
			s.fail(w, r, invalid(p+"id", fmt.Sprintf("duplicates sellers[%d]", j)))
			return
		}
		sellerAt[sl.ID] = i
	}
	brandAt := map[string]int{}
	for i := range req.Brands {
		b := &req.Brands[i]
		p := fmt.Sprintf("brands[%d].", i)
		if err := validateBrand(b, p); err != nil {
			s.fail(w, r, err)
			return
		}
		if j, dup := brandAt[b.ID]; dup {
			s.fail(w, r, invalid(p+"id", fmt.Sprintf("duplicates brands[%d]", j)))
			return
		}
		brandAt[b.ID] = i
	}
	s.brandMu.Lock()
	defer s.brandMu.Unlock()
	actor := actorOf(r)
	// Sellers first: brands name their authorized sellers.
	for i := range req.Sellers {
		sl := &req.Sellers[i]
		if err := s.store.PutSeller(r.Context(), sl, actor); err != nil {
			s.fail(w, r, fmt.Errorf("import: sellers[%d]: %w", i, err))
			return
		}
	}
	for i := range req.Brands {
		b := &req.Brands[i]
		if err := s.store.PutBrand(r.Context(), b, actor); err != nil {
			s.fail(w, r, fmt.Errorf("import: brands[%d]: %w", i, err))
			return
		}
	}
	if len(req.Brands) > 0 && !s.reload(w, r) {
		return
	}
	writeJSON(w, r, http.StatusOK, importResponse{Brands: len(req.Brands), Sellers: len(req.Sellers)})
}
