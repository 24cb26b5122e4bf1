// Package feed reads and writes the files Hallmark exchanges with analysts
// and marketplaces: a brand registry (JSON), listings (JSON Lines or CSV) and
// decisions (JSON Lines). Every reader validates as it goes and reports the
// file and line of the first problem, so a bad file never yields half a result.
package feed

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/hallmark-dev/hallmark"
	"github.com/hallmark-dev/hallmark/screen/textmatch"
)

// Limits on registry files.
const (
	MaxRegistryBytes = 256 << 20
	MaxMarkLen       = hallmark.MaxMarkLen
	maxTermsPerBrand = 1000
)

// Registry is a parsed registry file.
type Registry struct {
	Brands  []hallmark.Brand
	Sellers []hallmark.Seller
	// Warnings lists keys the reader did not know and ignored, so that a
	// misspelt field is noticed without failing a file from another tool.
	Warnings []string
	// Images maps a brand id to its protected image files, as absolute or
	// registry-relative paths resolved against the registry's folder.
	Images map[string][]string
}

type registryFile struct {
	Brands  []brandFile       `json:"brands"`
	Sellers []hallmark.Seller `json:"sellers"`
}

type brandFile struct {
	ID                string                `json:"id"`
	Name              string                `json:"name"`
	Terms             []termFile            `json:"terms"`
	Category          string                `json:"category"`
	MinPrice          *float64              `json:"min_price"`
	Currency          string                `json:"currency"`
	PriceFloors       []hallmark.PriceFloor `json:"price_floors"`
	AuthorizedSellers []string              `json:"authorized_sellers"`
	Images            []string              `json:"images"`
	Trademarks        []hallmark.Trademark  `json:"trademarks"`
	Products          []productFile         `json:"products"`
}

// productFile is a genuine product; its currency defaults to the brand's.
type productFile struct {
	Name        string   `json:"name"`
	Identifiers []string `json:"identifiers"`
	Category    string   `json:"category"`
	MinPrice    *float64 `json:"min_price"`
	Currency    string   `json:"currency"`
}

// termFile is a mark: either a plain string, whose kind and ordinariness
// Hallmark infers, or an object that says them.
type termFile struct {
	Text     string            `json:"text"`
	Kind     hallmark.MarkKind `json:"kind"`
	Ordinary *bool             `json:"ordinary"`
}

func (t *termFile) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		return json.Unmarshal(b, &t.Text)
	}
	type plain termFile
	var p plain
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return err
	}
	*t = termFile(p)
	return nil
}

// ReadRegistryFile reads a registry file; image paths resolve against its folder.
func ReadRegistryFile(path string) (*Registry, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	reg, err := ReadRegistry(f, path)
	if err != nil {
		return nil, err
	}
	dir := filepath.Dir(path)
	for id, imgs := range reg.Images {
		for i, p := range imgs {
			if !filepath.IsAbs(p) {
				imgs[i] = filepath.Join(dir, filepath.FromSlash(p))
			}
		}
		reg.Images[id] = imgs
	}
	return reg, nil
}

// ReadRegistry parses a registry; name labels errors.
func ReadRegistry(r io.Reader, name string) (*Registry, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxRegistryBytes+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(data) > MaxRegistryBytes {
		return nil, fmt.Errorf("%s: registry is larger than %d MiB", name, MaxRegistryBytes>>20)
	}
	if !utf8.Valid(data) {
		return nil, fmt.Errorf("%s:%d: invalid UTF-8", name, lineAt(data, invalidUTF8Offset(data)))
	}
	var rf registryFile
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&rf); err != nil {
		return nil, fmt.Errorf("%s:%s", name, jsonErrorAt(data, dec, err))
	}
	if dec.More() {
		return nil, fmt.Errorf("%s: unexpected content after the registry object", name)
	}
	if len(rf.Brands) == 0 {
		return nil, fmt.Errorf("%s: the registry has no brands", name)
	}
	out := &Registry{Sellers: rf.Sellers, Images: map[string][]string{}}
	out.Warnings = unknownRegistryKeys(data)
	seen := map[string]bool{}
	for i, bf := range rf.Brands {
		b, err := bf.brand()
		if err != nil {
			return nil, fmt.Errorf("%s: brands[%d] (%q): %w", name, i, bf.ID, err)
		}
		if seen[b.ID] {
			return nil, fmt.Errorf("%s: brands[%d]: duplicate brand id %q", name, i, b.ID)
		}
		seen[b.ID] = true
		out.Brands = append(out.Brands, *b)
		if len(bf.Images) > 0 {
			out.Images[b.ID] = append([]string(nil), bf.Images...)
		}
	}
	for i := range out.Sellers {
		if err := ValidateSeller(&out.Sellers[i]); err != nil {
			return nil, fmt.Errorf("%s: sellers[%d]: %w", name, i, err)
		}
	}
	return out, nil
}

func (bf *brandFile) brand() (*hallmark.Brand, error) {
	b := &hallmark.Brand{
		ID: bf.ID, Name: strings.TrimSpace(bf.Name), Category: bf.Category,
		AuthorizedSellers: bf.AuthorizedSellers, Trademarks: bf.Trademarks,
	}
	if b.Name == "" {
		return nil, &hallmark.ValidationError{Field: "name", Message: "is required"}
	}
	if len(bf.Terms) > maxTermsPerBrand {
		return nil, &hallmark.ValidationError{Field: "terms", Message: fmt.Sprintf("too many terms (at most %d)", maxTermsPerBrand)}
	}
	// The brand's name is always one of its marks.
	terms := bf.Terms
	hasName := false
	for _, t := range terms {
		if textmatch.Normalize(t.Text) == textmatch.Normalize(b.Name) {
			hasName = true
		}
	}
	if !hasName {
		terms = append([]termFile{{Text: b.Name}}, terms...)
	}
	seen := map[string]bool{}
	for i, t := range terms {
		m := hallmark.Mark{BrandID: b.ID, Text: strings.TrimSpace(t.Text), Kind: t.Kind}
		norm := textmatch.Normalize(m.Text)
		if seen[norm] {
			continue
		}
		seen[norm] = true
		if m.Kind == "" {
			m.Kind = InferMarkKind(m.Text, b.Name)
		}
		if t.Ordinary != nil {
			m.Ordinary = *t.Ordinary
		} else {
			m.Ordinary = textmatch.IsOrdinaryMark(m.Text)
		}
		if err := ValidateMark(&m); err != nil {
			return nil, fmt.Errorf("terms[%d]: %w", i, err)
		}
		b.Marks = append(b.Marks, m)
	}
	if bf.MinPrice != nil {
		cur := bf.Currency
		if cur == "" {
			cur = "USD"
		}
		b.PriceFloors = append(b.PriceFloors, hallmark.PriceFloor{BrandID: b.ID, Amount: *bf.MinPrice, Currency: cur})
	}
	for _, f := range bf.PriceFloors {
		f.BrandID = b.ID
		b.PriceFloors = append(b.PriceFloors, f)
	}
	for i := range b.Trademarks {
		b.Trademarks[i].BrandID = b.ID
	}
	if len(bf.Products) > hallmark.MaxProducts {
		// Checked before copying: the limit is what keeps a huge file cheap.
		return nil, &hallmark.ValidationError{Field: "products", Message: fmt.Sprintf("too many products (at most %d)", hallmark.MaxProducts)}
	}
	for _, pf := range bf.Products {
		p := hallmark.Product{Name: strings.TrimSpace(pf.Name), Identifiers: pf.Identifiers, Category: pf.Category, Currency: pf.Currency}
		if pf.MinPrice != nil {
			p.MinPrice = *pf.MinPrice
			if p.Currency == "" {
				p.Currency = bf.Currency
			}
			if p.Currency == "" {
				p.Currency = "USD"
			}
		}
		b.Products = append(b.Products, p)
	}
	if err := ValidateBrand(b); err != nil {
		return nil, err
	}
	return b, nil
}

// InferMarkKind guesses a mark's kind when a registry gives plain strings:
// the brand's own name is its word mark, two to four capitals an
// abbreviation, anything else a product line.
func InferMarkKind(text, brandName string) hallmark.MarkKind {
	if textmatch.Normalize(text) == textmatch.Normalize(brandName) {
		return hallmark.MarkWord
	}
	letters := 0
	upper := true
	for _, r := range text {
		switch {
		case r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
			letters++
		case r >= 'a' && r <= 'z':
			upper = false
			letters++
		case r == '&' || r == '.':
		default:
			upper = false
		}
	}
	if upper && letters >= 2 && letters <= 4 {
		return hallmark.MarkAbbreviation
	}
	return hallmark.MarkProductLine
}

// ValidateBrand checks a whole brand as the API does, and that every mark
// has something to match once normalized.
func ValidateBrand(b *hallmark.Brand) error {
	if len(b.Marks) == 0 {
		return &hallmark.ValidationError{Field: "marks", Message: "a brand needs at least one mark"}
	}
	if err := b.Validate(); err != nil {
		return err
	}
	for i := range b.Marks {
		if err := ValidateMark(&b.Marks[i]); err != nil {
			return fmt.Errorf("marks[%d]: %w", i, err)
		}
	}
	return nil
}

// ValidateMark checks one mark.
func ValidateMark(m *hallmark.Mark) error {
	switch {
	case strings.TrimSpace(m.Text) == "":
		return &hallmark.ValidationError{Field: "text", Message: "is required"}
	case len(m.Text) > MaxMarkLen:
		return &hallmark.ValidationError{Field: "text", Message: "is too long (at most 200 bytes)"}
	case !utf8.ValidString(m.Text):
		return &hallmark.ValidationError{Field: "text", Message: "is not valid UTF-8"}
	case textmatch.Normalize(m.Text) == "":
		return &hallmark.ValidationError{Field: "text", Message: "has no letters or digits"}
	}
	switch m.Kind {
	case hallmark.MarkWord, hallmark.MarkProductLine, hallmark.MarkAbbreviation:
	default:
		return &hallmark.ValidationError{Field: "kind", Message: fmt.Sprintf("unknown mark kind %q (want word, product_line or abbreviation)", m.Kind)}
	}
	return nil
}

// ValidateSeller checks a seller record.
func ValidateSeller(s *hallmark.Seller) error {
	if strings.TrimSpace(s.ID) == "" || len(s.ID) > hallmark.MaxIDLen || !utf8.ValidString(s.ID) {
		return &hallmark.ValidationError{Field: "id", Message: "is required, at most 128 bytes of valid UTF-8"}
	}
	if len(s.Name) > 200 || !utf8.ValidString(s.Name) {
		return &hallmark.ValidationError{Field: "name", Message: "must be valid UTF-8, at most 200 bytes"}
	}
	return nil
}

// jsonErrorAt turns a decoding error into "LINE: message".
func jsonErrorAt(data []byte, dec *json.Decoder, err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return fmt.Sprintf("%d: invalid JSON: %v", lineAt(data, int(se.Offset)), se)
	case errors.As(err, &te):
		field := te.Field
		if field == "" {
			field = "value"
		}
		return fmt.Sprintf("%d: %s: want %s, got JSON %s", lineAt(data, int(te.Offset)), field, te.Type, te.Value)
	case errors.Is(err, io.EOF):
		return "1: empty file"
	case errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Sprintf("%d: invalid JSON: unexpected end of file", lineAt(data, len(data)))
	}
	return fmt.Sprintf("%d: %v", lineAt(data, int(dec.InputOffset())), err)
}

func lineAt(data []byte, offset int) int {
	if offset > len(data) {
		offset = len(data)
	}
	if offset < 0 {
		offset = 0
	}
	return bytes.Count(data[:offset], []byte{'\n'}) + 1
}

func invalidUTF8Offset(data []byte) int {
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size <= 1 {
			return i
		}
		i += size
	}
	return len(data)
}

var (
	knownTopKeys   = map[string]bool{"brands": true, "sellers": true}
	knownBrandKeys = map[string]bool{"id": true, "name": true, "terms": true, "category": true, "min_price": true,
		"currency": true, "price_floors": true, "authorized_sellers": true, "images": true, "trademarks": true,
		"products": true}
	knownProductKeys = map[string]bool{"name": true, "identifiers": true, "category": true, "min_price": true, "currency": true}
)

// unknownRegistryKeys lists top-level and brand keys the reader ignores.
func unknownRegistryKeys(data []byte) []string {
	var top map[string]json.RawMessage
	if json.Unmarshal(data, &top) != nil {
		return nil
	}
	var out []string
	for k := range top {
		if !knownTopKeys[k] {
			out = append(out, fmt.Sprintf("unknown top-level key %q ignored", k))
		}
	}
	var brands []map[string]json.RawMessage
	if json.Unmarshal(top["brands"], &brands) != nil {
		return out
	}
	reported := map[string]bool{}
	for i, b := range brands {
		for k := range b {
			if !knownBrandKeys[k] && !reported[k] {
				reported[k] = true
				out = append(out, fmt.Sprintf("brands[%d]: unknown key %q ignored", i, k))
			}
		}
		var products []map[string]json.RawMessage
		if json.Unmarshal(b["products"], &products) != nil {
			continue
		}
		for j, p := range products {
			for k := range p {
				// Keyed apart from brand keys: "price" misspelt on a
				// product is worth its own warning.
				if !knownProductKeys[k] && !reported["products."+k] {
					reported["products."+k] = true
					out = append(out, fmt.Sprintf("brands[%d].products[%d]: unknown key %q ignored", i, j, k))
				}
			}
		}
	}
	sort.Strings(out)
	return out
}
