package hallmark

import (
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Size limits on listing fields. A marketplace title is short; a description
// is at most a few pages. Anything larger is an error, not something to trim.
const (
	MaxIDLen          = 128
	MaxTitleLen       = 1000
	MaxDescriptionLen = 20000
	MaxCategoryLen    = 200
	MaxImages         = 20
	MaxImageRefLen    = 2048
	// MaxPrice is far above any consumer good; a larger price is a data error.
	MaxPrice = 1e8
)

// currencies are the ISO 4217 codes Hallmark accepts.
var currencies = map[string]bool{}

func init() {
	for _, c := range strings.Fields(`AED ARS AUD BDT BGN BHD BRL CAD CHF CLP CNY COP CZK DKK EGP EUR GBP
		HKD HUF IDR ILS INR ISK JPY KES KRW KWD KZT MAD MXN MYR NGN NOK NZD PEN PHP PKR PLN QAR
		RON RSD RUB SAR SEK SGD THB TRY TWD UAH USD VND ZAR`) {
		currencies[c] = true
	}
}

// KnownCurrency reports whether code is an accepted ISO 4217 currency code.
func KnownCurrency(code string) bool { return currencies[code] }

// Validate checks a listing before it is screened or stored, and names the
// first field that is wrong.
func (l *Listing) Validate() error {
	if err := validText("id", l.ID, MaxIDLen, true); err != nil {
		return err
	}
	if err := validText("seller_id", l.SellerID, MaxIDLen, true); err != nil {
		return err
	}
	if err := validText("title", l.Title, MaxTitleLen, true); err != nil {
		return err
	}
	if err := validText("description", l.Description, MaxDescriptionLen, false); err != nil {
		return err
	}
	if err := validText("category", l.Category, MaxCategoryLen, false); err != nil {
		return err
	}
	if err := ValidPrice("price", l.Price); err != nil {
		return err
	}
	if !KnownCurrency(l.Currency) {
		if l.Currency == "" {
			return &ValidationError{Field: "currency", Message: "is required (an ISO 4217 code such as USD)"}
		}
		return &ValidationError{Field: "currency", Message: "unknown currency code " + quoteShort(l.Currency)}
	}
	if len(l.Images) > MaxImages {
		return &ValidationError{Field: "images", Message: "too many images (at most 20)"}
	}
	for _, im := range l.Images {
		if err := validText("images", im, MaxImageRefLen, true); err != nil {
			return err
		}
	}
	return nil
}

// ValidPrice checks that a price is a finite, non-negative, plausible amount.
func ValidPrice(field string, p float64) error {
	switch {
	case math.IsNaN(p) || math.IsInf(p, 0):
		return &ValidationError{Field: field, Message: "must be a finite number"}
	case p < 0:
		return &ValidationError{Field: field, Message: "must not be negative"}
	case p > MaxPrice:
		return &ValidationError{Field: field, Message: "is implausibly large (over 100,000,000)"}
	}
	return nil
}

func validText(field, s string, max int, required bool) error {
	if required && strings.TrimSpace(s) == "" {
		return &ValidationError{Field: field, Message: "is required"}
	}
	if len(s) > max {
		return &ValidationError{Field: field, Message: "is too long (" + strconv.Itoa(len(s)) + " bytes, at most " + strconv.Itoa(max) + ")"}
	}
	if !utf8.ValidString(s) {
		return &ValidationError{Field: field, Message: "is not valid UTF-8"}
	}
	if strings.IndexByte(s, 0) >= 0 {
		return &ValidationError{Field: field, Message: "contains a NUL byte"}
	}
	return nil
}

func quoteShort(s string) string {
	if len(s) > 16 {
		s = s[:16] + "..."
	}
	return "\"" + strings.ToValidUTF8(s, "?") + "\""
}
