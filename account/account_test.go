package account

import (
	"strings"
	"testing"
)

func TestPassword(t *testing.T) {
	h, err := HashPassword("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=65536,t=1,p=2$") {
		t.Errorf("hash %q", h)
	}
	if !CheckPassword(h, "correct horse battery") {
		t.Error("the right password was refused")
	}
	for _, bad := range []string{"correct horse batterY", "", strings.Repeat("x", MaxPasswordLen+1)} {
		if CheckPassword(h, bad) {
			t.Errorf("%q accepted", bad)
		}
	}
	for _, enc := range []string{"", "$argon2i$v=19$m=65536,t=1,p=2$AAAA$AAAA", "$argon2id$v=19$m=999999999,t=1,p=2$AAAA$AAAA", "$argon2id$v=19$m=65536,t=1,p=2$!!$AAAA"} {
		if CheckPassword(enc, "correct horse battery") {
			t.Errorf("malformed hash %q accepted", enc)
		}
	}
	if _, err := HashPassword("short"); err == nil {
		t.Error("a short password was hashed")
	}
	h2, _ := HashPassword("correct horse battery")
	if h2 == h {
		t.Error("two hashes of one password are equal: no salt")
	}
}

func TestSessionToken(t *testing.T) {
	a, ha, err := NewSessionToken()
	if err != nil {
		t.Fatal(err)
	}
	b, _, _ := NewSessionToken()
	if a == b || len(a) < 40 || string(HashToken(a)) != string(ha) {
		t.Errorf("tokens %q %q", a, b)
	}
}

func TestPrincipal(t *testing.T) {
	rh := ForUser(&User{ID: 3, Role: RightsHolder, BrandIDs: []string{"acme"}})
	if !rh.ActsFor("acme") || rh.ActsFor("bolt") || rh.Owns("s1") || rh.Staff() || !rh.Person() || rh.Actor != "user:3" {
		t.Errorf("rights holder: %+v", rh)
	}
	se := ForUser(&User{ID: 4, Role: Seller, SellerID: "s1"})
	if !se.Owns("s1") || se.Owns("s2") || se.ActsFor("acme") {
		t.Errorf("seller: %+v", se)
	}
	empty := Principal{Role: Seller}
	if empty.Owns("") {
		t.Error("a seller without a seller id owns the empty seller")
	}
	rev := Principal{Role: Reviewer, Actor: "apikey:1"}
	if !rev.ActsFor("x") || !rev.Owns("y") || rev.Person() {
		t.Errorf("reviewer: %+v", rev)
	}
}
