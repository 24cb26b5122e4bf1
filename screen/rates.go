package screen

import (
	"encoding/json"
	"fmt"
	"math"
	"os"

	"github.com/hallmark-dev/hallmark"
)

// Rates converts amounts between currencies through US dollars. Price floors
// are rough by nature, so a table updated now and then is enough; analysts
// can load their own with --rates.
type Rates map[string]float64 // units of the currency per US dollar

// DefaultRates is an approximate table (late 2026); good to a few percent.
func DefaultRates() Rates {
	return Rates{
		"USD": 1, "EUR": 0.92, "GBP": 0.78, "CNY": 7.2, "JPY": 150, "KRW": 1380, "HKD": 7.8,
		"TWD": 32, "SGD": 1.35, "AUD": 1.52, "NZD": 1.66, "CAD": 1.37, "CHF": 0.88, "SEK": 10.6,
		"NOK": 10.8, "DKK": 6.9, "PLN": 4.0, "CZK": 23, "HUF": 360, "RON": 4.6, "BGN": 1.8,
		"TRY": 34, "RUB": 95, "UAH": 41, "INR": 84, "PKR": 280, "BDT": 120, "IDR": 15800,
		"MYR": 4.5, "THB": 35, "VND": 25000, "PHP": 57, "AED": 3.67, "SAR": 3.75, "QAR": 3.64,
		"KWD": 0.31, "BHD": 0.38, "ILS": 3.7, "EGP": 48, "MAD": 10, "NGN": 1600, "KES": 130,
		"ZAR": 18.5, "BRL": 5.6, "MXN": 19.5, "ARS": 950, "CLP": 940, "COP": 4100, "PEN": 3.75,
		"ISK": 138, "KZT": 480, "RSD": 108,
	}
}

// Convert turns amount in currency from into currency to.
func (r Rates) Convert(amount float64, from, to string) (float64, bool) {
	if from == to {
		return amount, true
	}
	f, ok1 := r[from]
	t, ok2 := r[to]
	if !ok1 || !ok2 || f <= 0 || t <= 0 {
		return 0, false
	}
	return amount / f * t, true
}

// LoadRates reads a JSON object of currency code to units per US dollar.
func LoadRates(path string) (Rates, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var r Rates
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	for c, v := range r {
		if !hallmark.KnownCurrency(c) {
			return nil, fmt.Errorf("%s: unknown currency %q", path, c)
		}
		if v <= 0 || math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("%s: rate for %s must be a positive number", path, c)
		}
	}
	if _, ok := r["USD"]; !ok {
		r["USD"] = 1
	}
	return r, nil
}
