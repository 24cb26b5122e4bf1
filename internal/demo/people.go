package demo

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"os"

	"github.com/hallmark-dev/hallmark/account"
	"github.com/hallmark-dev/hallmark/notice"
)

// Person is a demo login.
type Person struct {
	Email    string `json:"email"`
	Password string `json:"password"`
	Role     string `json:"role"`
	Note     string `json:"note"`
}

// people are the demo's console users: one of each role, tied to demo data.
var people = []struct {
	email, name, note string
	role              account.Role
	brands            []string
	seller            string
}{
	{"admin@demo.hallmark", "Demo Admin", "platform admin", account.Admin, nil, ""},
	{"reviewer@demo.hallmark", "Demo Reviewer", "works the review queue", account.Reviewer, nil, ""},
	{"brand@demo.hallmark", "Gucci Brand Protection", "rights holder for Gucci and Louis Vuitton", account.RightsHolder, []string{"gucci", "louis-vuitton"}, ""},
	{"seller@demo.hallmark", "Cheap Deals 88", "the seller cheap-deals-88", account.Seller, nil, "cheap-deals-88"},
}

// People returns the demo logins, creating the accounts with fresh random
// passwords the first time. The passwords are kept in a file readable only
// by its owner beside the demo database, so that a restarted demo can print
// them again; nothing here is a credential outside the demo.
func People(ctx context.Context, svc *notice.Service, file string) ([]Person, error) {
	if b, err := os.ReadFile(file); err == nil {
		var ps []Person
		if err := json.Unmarshal(b, &ps); err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		return ps, nil
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	boot := account.Principal{Actor: "demo", Role: account.Admin}
	var out []Person
	for _, p := range people {
		pw, err := password()
		if err != nil {
			return nil, err
		}
		u := &account.User{Email: p.email, Name: p.name, Role: p.role, BrandIDs: p.brands, SellerID: p.seller}
		if err := svc.CreateUser(ctx, boot, u, pw); err != nil {
			return nil, fmt.Errorf("demo user %s: %w", p.email, err)
		}
		out = append(out, Person{Email: p.email, Password: pw, Role: string(p.role), Note: p.note})
	}
	b, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return nil, err
	}
	return out, os.WriteFile(file, b, 0o600)
}

func password() (string, error) {
	b := make([]byte, 12)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}
