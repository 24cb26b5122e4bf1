package hallmark

import (
	"encoding/hex"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// BrandIDPattern keeps brand ids safe in URLs, file names and log lines.
var BrandIDPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,63}$`)

// Limits on brand records.
const (
	MaxNameLen   = 200
	MaxMarkLen   = 200
	MaxMarks     = 1000
	maxListItems = 10000
	// MaxProducts and MaxProductIdentifiers bound a brand's product data:
	// a catalogue, not a product database, and every entry becomes a
	// screening term.
	MaxProducts           = 10000
	MaxProductIdentifiers = 50
	// MaxProductNameLen keeps a product name within what the text matcher
	// takes as one term.
	MaxProductNameLen = 64
)

func invalidField(field, msg string) error { return &ValidationError{Field: field, Message: msg} }

// validName checks a short human-entered text field.
func validName(field, s string, max int, required bool) error {
	switch {
	case required && strings.TrimSpace(s) == "":
		return invalidField(field, "is required")
	case len(s) > max:
		return invalidField(field, fmt.Sprintf("is too long (%d bytes, at most %d)", len(s), max))
	case !utf8.ValidString(s):
		return invalidField(field, "is not valid UTF-8")
	case strings.IndexByte(s, 0) >= 0:
		return invalidField(field, "contains a NUL byte")
	}
	return nil
}

func validID(field, id string) error { return validName(field, id, MaxIDLen, true) }

// Validate checks a whole brand, fills in the brand id of what it owns and
// drops repeated authorized sellers. Errors are *ValidationError.
func (b *Brand) Validate() error { return b.ValidatePath("") }

// ValidatePath is Validate with prefix prepended to field names
// ("brands[3].") so that an error in a bulk import points at the item.
func (b *Brand) ValidatePath(prefix string) error {
	f := func(name string) string { return prefix + name }
	if !BrandIDPattern.MatchString(b.ID) {
		return invalidField(f("id"), "must match [a-z0-9][a-z0-9._-]{0,63} (lower case letters, digits, '.', '_', '-')")
	}
	if err := validName(f("name"), b.Name, MaxNameLen, true); err != nil {
		return err
	}
	if err := validName(f("category"), b.Category, MaxCategoryLen, false); err != nil {
		return err
	}
	if len(b.Marks) > MaxMarks {
		return invalidField(f("marks"), fmt.Sprintf("too many marks (at most %d)", MaxMarks))
	}
	seen := map[string]int{}
	for i := range b.Marks {
		m := &b.Marks[i]
		mf := fmt.Sprintf("%smarks[%d].", prefix, i)
		if err := ownedBy(mf+"brand_id", &m.BrandID, b.ID); err != nil {
			return err
		}
		if strings.TrimSpace(m.Text) == "" {
			return invalidField(mf+"text", "is required")
		}
		if err := validName(mf+"text", m.Text, MaxMarkLen, true); err != nil {
			return err
		}
		switch m.Kind {
		case MarkWord, MarkProductLine, MarkAbbreviation:
		default:
			return invalidField(mf+"kind", "must be word, product_line or abbreviation")
		}
		key := string(m.Kind) + "\x00" + strings.ToLower(m.Text)
		if j, dup := seen[key]; dup {
			return invalidField(mf+"text", fmt.Sprintf("duplicates marks[%d]", j))
		}
		seen[key] = i
	}
	if len(b.Trademarks) > maxListItems {
		return invalidField(f("trademarks"), "too many trademarks")
	}
	for i := range b.Trademarks {
		t := &b.Trademarks[i]
		tf := fmt.Sprintf("%strademarks[%d].", prefix, i)
		if err := ownedBy(tf+"brand_id", &t.BrandID, b.ID); err != nil {
			return err
		}
		if err := validName(tf+"mark", t.Mark, MaxMarkLen, true); err != nil {
			return err
		}
		if err := validName(tf+"number", t.Number, 100, true); err != nil {
			return err
		}
		if err := validName(tf+"office", t.Office, 100, true); err != nil {
			return err
		}
		for j, c := range t.Classes {
			// The Nice classification has 45 classes.
			if c < 1 || c > 45 {
				return invalidField(fmt.Sprintf("%sclasses[%d]", tf, j), "must be a Nice class from 1 to 45")
			}
		}
	}
	if len(b.PriceFloors) > maxListItems {
		return invalidField(f("price_floors"), "too many price floors")
	}
	for i := range b.PriceFloors {
		p := &b.PriceFloors[i]
		pf := fmt.Sprintf("%sprice_floors[%d].", prefix, i)
		if err := ownedBy(pf+"brand_id", &p.BrandID, b.ID); err != nil {
			return err
		}
		if err := validName(pf+"category", p.Category, MaxCategoryLen, false); err != nil {
			return err
		}
		if err := ValidPrice(pf+"amount", p.Amount); err != nil {
			return err
		}
		if !KnownCurrency(p.Currency) {
			return invalidField(pf+"currency", "unknown currency code "+strconv.Quote(strings.ToValidUTF8(p.Currency, "?"))+" (want an ISO 4217 code such as USD)")
		}
	}
	if len(b.AuthorizedSellers) > maxListItems {
		return invalidField(f("authorized_sellers"), "too many authorized sellers")
	}
	for i, sid := range b.AuthorizedSellers {
		if err := validID(fmt.Sprintf("%sauthorized_sellers[%d]", prefix, i), sid); err != nil {
			return err
		}
	}
	b.AuthorizedSellers = dedupe(b.AuthorizedSellers)
	if len(b.Images) > maxListItems {
		return invalidField(f("images"), "too many images")
	}
	for i := range b.Images {
		im := &b.Images[i]
		imf := fmt.Sprintf("%simages[%d].", prefix, i)
		if err := ownedBy(imf+"brand_id", &im.BrandID, b.ID); err != nil {
			return err
		}
		if err := validID(imf+"id", im.ID); err != nil {
			return err
		}
		if err := validName(imf+"label", im.Label, MaxNameLen, false); err != nil {
			return err
		}
		if raw, err := hex.DecodeString(im.PDQ); err != nil || len(raw) != 32 {
			return invalidField(imf+"pdq", "must be 64 hexadecimal digits (a 256-bit PDQ hash)")
		}
		if im.Quality < 0 || im.Quality > 100 {
			return invalidField(imf+"quality", "must be from 0 to 100")
		}
		if len(im.Variants) > MaxImageVariants {
			return invalidField(imf+"variants", fmt.Sprintf("too many variants (at most %d)", MaxImageVariants))
		}
		for j, v := range im.Variants {
			vf := fmt.Sprintf("%svariants[%d].", imf, j)
			if err := validName(vf+"name", v.Name, 64, true); err != nil {
				return err
			}
			if raw, err := hex.DecodeString(v.PDQ); err != nil || len(raw) != 32 {
				return invalidField(vf+"pdq", "must be 64 hexadecimal digits (a 256-bit PDQ hash)")
			}
			if v.Quality < 0 || v.Quality > 100 {
				return invalidField(vf+"quality", "must be from 0 to 100")
			}
		}
	}
	return b.validProducts(prefix)
}

func (b *Brand) validProducts(prefix string) error {
	if len(b.Products) > MaxProducts {
		return invalidField(prefix+"products", fmt.Sprintf("too many products (at most %d)", MaxProducts))
	}
	for i := range b.Products {
		if err := b.Products[i].ValidatePath(fmt.Sprintf("%sproducts[%d].", prefix, i)); err != nil {
			return err
		}
	}
	return nil
}

// ValidatePath checks one product, with prefix ("products[3].")
// prepended to field names. Errors are *ValidationError.
func (p *Product) ValidatePath(prefix string) error {
	if err := validName(prefix+"name", p.Name, MaxProductNameLen, true); err != nil {
		return err
	}
	if err := validName(prefix+"category", p.Category, MaxCategoryLen, false); err != nil {
		return err
	}
	if len(p.Identifiers) > MaxProductIdentifiers {
		return invalidField(prefix+"identifiers", fmt.Sprintf("too many identifiers (at most %d)", MaxProductIdentifiers))
	}
	for j, id := range p.Identifiers {
		if err := validIdentifier(fmt.Sprintf("%sidentifiers[%d]", prefix, j), id); err != nil {
			return err
		}
	}
	if err := ValidPrice(prefix+"min_price", p.MinPrice); err != nil {
		return err
	}
	// A currency is needed to compare the floor with a listing's price;
	// one given without a floor must still be a real code.
	if (p.MinPrice > 0 || p.Currency != "") && !KnownCurrency(p.Currency) {
		return invalidField(prefix+"currency", "unknown currency code "+strconv.Quote(strings.ToValidUTF8(p.Currency, "?"))+" (want an ISO 4217 code such as USD)")
	}
	return nil
}

// validIdentifier checks a GTIN or model number. The alphabet is what
// manufacturers print on labels; anything else is more likely a pasted
// description than an identifier, and would match too loosely.
func validIdentifier(field, id string) error {
	if len(id) < 3 || len(id) > 40 {
		return invalidField(field, "must be 3 to 40 characters")
	}
	alnum, digits := 0, 0
	for _, c := range []byte(id) {
		switch {
		case c >= '0' && c <= '9':
			digits++
			alnum++
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z':
			alnum++
		case c == '-' || c == '.' || c == '/' || c == ' ':
		default:
			return invalidField(field, "may hold only letters, digits, '-', '.', '/' and spaces")
		}
	}
	if alnum == 0 {
		return invalidField(field, "needs a letter or digit")
	}
	if digits == len(id) && IsGTINLength(len(id)) && !ValidGTIN(id) {
		return invalidField(field, "is a GTIN-"+strconv.Itoa(len(id))+" with a wrong check digit")
	}
	return nil
}

// IsGTINLength reports whether n digits make a GTIN (GTIN-8, UPC-A as
// GTIN-12, EAN as GTIN-13, GTIN-14).
func IsGTINLength(n int) bool { return n == 8 || n == 12 || n == 13 || n == 14 }

// ValidGTIN reports whether s is all digits of a GTIN length with a correct
// GS1 check digit: from the right, excluding the check digit, digits are
// weighted 3, 1, 3, 1 ... and the check digit brings the sum to a multiple
// of ten.
func ValidGTIN(s string) bool {
	if !IsGTINLength(len(s)) {
		return false
	}
	sum := 0
	for i := len(s) - 2; i >= 0; i-- {
		c := s[i]
		if c < '0' || c > '9' {
			return false
		}
		d := int(c - '0')
		if (len(s)-2-i)%2 == 0 {
			d *= 3
		}
		sum += d
	}
	last := s[len(s)-1]
	return last >= '0' && last <= '9' && int(last-'0') == (10-sum%10)%10
}

// ownedBy fills in an owned item's brand id, or refuses one naming another
// brand (which would silently move the item between brands).
func ownedBy(field string, got *string, brandID string) error {
	if *got == "" {
		*got = brandID
		return nil
	}
	if *got != brandID {
		return invalidField(field, "names brand "+strconv.Quote(*got)+", not "+strconv.Quote(brandID))
	}
	return nil
}

func dedupe(ss []string) []string {
	if len(ss) < 2 {
		return ss
	}
	out := ss[:0:0]
	seen := make(map[string]bool, len(ss))
	for _, s := range ss {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}
