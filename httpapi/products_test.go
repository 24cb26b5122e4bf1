package httpapi

import (
	"testing"
)

// TestAddProduct adds genuine product data through the admin route and
// checks that it reaches screening: the real engine blocks a listing of the
// product far below its floor, named by model number alone.
func TestAddProduct(t *testing.T) {
	e := newImageEnv(t, nil)
	e.mustStatus(e.do("PUT", "/v1/brands/casio", e.admin, map[string]any{"name": "Casio", "category": "watches",
		"marks":        []any{map[string]any{"text": "Casio", "kind": "word"}},
		"price_floors": []any{map[string]any{"amount": 15, "currency": "USD"}}}), 200)

	screenTitle := func(id, title string, price float64) string {
		t.Helper()
		r := e.mustStatus(e.do("POST", "/v1/listings", e.integ, map[string]any{"id": id, "seller_id": "s1", "title": title,
			"price": price, "currency": "USD", "category": "watches"}), 201)
		return r.json(t)["decision"].(map[string]any)["action"].(string)
	}
	if got := screenTitle("l1", "GA-2100 watch black", 20); got != "allow" {
		t.Fatalf("before the product is registered: %s", got)
	}

	product := map[string]any{"name": "G-Shock CasiOak", "identifiers": []any{"GA-2100", "4549526241543"}, "min_price": 90, "currency": "USD"}
	r := e.mustStatus(e.do("POST", "/v1/brands/casio/products", e.admin, product), 201)
	ps, _ := r.json(t)["products"].([]any)
	if len(ps) != 1 || ps[0].(map[string]any)["name"] != "G-Shock CasiOak" {
		t.Fatalf("products = %v", r.json(t)["products"])
	}
	// Sent again, it replaces itself rather than register a twin.
	e.mustStatus(e.do("POST", "/v1/brands/casio/products", e.admin, product), 201)

	if got := screenTitle("l2", "GA-2100 watch black", 20); got != "block" {
		t.Errorf("model number far below the product floor: %s", got)
	}
	if got := screenTitle("l3", "Casio GA-2100 watch", 99); got != "allow" {
		t.Errorf("at the product's price: %s", got)
	}

	// A wrong check digit: 422 naming the field of the request, nothing stored.
	bad := map[string]any{"name": "F-91W", "identifiers": []any{"F-91W-1", "4549526241548"}}
	r = e.do("POST", "/v1/brands/casio/products", e.admin, bad)
	if code, field := r.errCode(t); r.status != 422 || field != "identifiers[1]" {
		t.Errorf("bad GTIN: %d %s field %q: %s", r.status, code, field, r.body)
	}
	b := e.mustStatus(e.do("GET", "/v1/brands/casio", e.admin, nil), 200)
	if ps, _ := b.json(t)["products"].([]any); len(ps) != 1 {
		t.Errorf("products after a rejected add: %v", ps)
	}

	if r := e.do("POST", "/v1/brands/nope/products", e.admin, product); r.status != 404 {
		t.Errorf("product of a missing brand: %d", r.status)
	}
	if r := e.do("POST", "/v1/brands/casio/products", e.integ, product); r.status != 403 {
		t.Errorf("integration key adding a product: %d", r.status)
	}
}

func (e *testEnv) mustStatus(r resp, want int) resp {
	e.t.Helper()
	if r.status != want {
		e.t.Fatalf("status %d, want %d: %.300s", r.status, want, r.body)
	}
	return r
}
