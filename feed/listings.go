package feed

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/hallmark-dev/hallmark"
)

// MaxLineBytes bounds one JSON Lines record; a longer line is an error, not
// something to read into memory whole.
const MaxLineBytes = 4 << 20

// LineError locates a bad record.
type LineError struct {
	File string
	Line int
	Err  error
}

func (e *LineError) Error() string { return fmt.Sprintf("%s:%d: %v", e.File, e.Line, e.Err) }
func (e *LineError) Unwrap() error { return e.Err }

// ListingOptions adjust how listings are read.
type ListingOptions struct {
	// DefaultCurrency fills a record with no currency; empty means the field
	// is required.
	DefaultCurrency string
}

// Record is one listing read from a file, with its line.
type Record struct {
	Line    int
	Listing hallmark.Listing
}

// listingRecord is the JSON shape, with pointers to tell absent from zero.
type listingRecord struct {
	ID          *string  `json:"id"`
	SellerID    *string  `json:"seller_id"`
	Title       *string  `json:"title"`
	Description string   `json:"description"`
	Price       *float64 `json:"price"`
	Currency    string   `json:"currency"`
	Category    string   `json:"category"`
	Images      []string `json:"images"`
}

// ReadListingsJSONL reads one listing a line. Blank lines are skipped; any
// bad record stops the read with its line number. fn receives each listing
// in order; an error from fn stops the read too.
func ReadListingsJSONL(r io.Reader, name string, opts ListingOptions, fn func(Record) error) error {
	br := bufio.NewReaderSize(r, 64<<10)
	ids := map[string]int{}
	for line := 1; ; line++ {
		raw, err := readLine(br)
		if errors.Is(err, errLineTooLong) {
			return &LineError{name, line, fmt.Errorf("line is longer than %d MiB", MaxLineBytes>>20)}
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return &LineError{name, line, err}
		}
		if len(bytes.TrimSpace(raw)) > 0 {
			l, perr := parseListingJSON(raw, opts)
			if perr != nil {
				return &LineError{name, line, perr}
			}
			if first, dup := ids[l.ID]; dup {
				return &LineError{name, line, fmt.Errorf("id: duplicate listing id %q (first on line %d)", l.ID, first)}
			}
			ids[l.ID] = line
			if ferr := fn(Record{Line: line, Listing: *l}); ferr != nil {
				return ferr
			}
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
	}
}

var errLineTooLong = errors.New("line too long")

// readLine returns the next line without its newline, refusing lines over
// MaxLineBytes without buffering them.
func readLine(br *bufio.Reader) ([]byte, error) {
	var buf []byte
	for {
		chunk, err := br.ReadSlice('\n')
		if len(buf)+len(chunk) > MaxLineBytes {
			// Drain the rest of the line so the error is about this line only.
			for errors.Is(err, bufio.ErrBufferFull) {
				_, err = br.ReadSlice('\n')
			}
			return nil, errLineTooLong
		}
		buf = append(buf, chunk...)
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		buf = bytes.TrimRight(buf, "\r\n")
		return buf, err
	}
}

func parseListingJSON(raw []byte, opts ListingOptions) (*hallmark.Listing, error) {
	if !utf8.Valid(raw) {
		return nil, errors.New("invalid UTF-8")
	}
	var rec listingRecord
	dec := json.NewDecoder(bytes.NewReader(raw))
	if err := dec.Decode(&rec); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return nil, fmt.Errorf("%s: want %s, got JSON %s", te.Field, te.Type, te.Value)
		}
		return nil, fmt.Errorf("invalid JSON: %v", err)
	}
	if dec.More() {
		return nil, errors.New("invalid JSON: more than one value on the line")
	}
	switch {
	case rec.ID == nil:
		return nil, errors.New("id: is required")
	case rec.SellerID == nil:
		return nil, errors.New("seller_id: is required")
	case rec.Title == nil:
		return nil, errors.New("title: is required")
	case rec.Price == nil:
		return nil, errors.New("price: is required")
	}
	l := &hallmark.Listing{
		ID: *rec.ID, SellerID: *rec.SellerID, Title: *rec.Title, Description: rec.Description,
		Price: *rec.Price, Currency: strings.ToUpper(strings.TrimSpace(rec.Currency)), Category: rec.Category, Images: rec.Images,
	}
	if l.Currency == "" {
		l.Currency = opts.DefaultCurrency
	}
	if err := l.Validate(); err != nil {
		return nil, err
	}
	return l, nil
}

// csvColumns are the columns a listings CSV may have; images holds several
// references separated by '|'.
var csvColumns = map[string]bool{"id": true, "seller_id": true, "title": true, "description": true,
	"price": true, "currency": true, "category": true, "images": true}

// ReadListingsCSV reads listings from CSV with a header row naming the
// columns (id, seller_id, title, description, price, currency, category,
// images); other columns are ignored.
func ReadListingsCSV(r io.Reader, name string, opts ListingOptions, fn func(Record) error) error {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return &LineError{name, 1, errors.New("empty file: want a header row")}
		}
		return &LineError{name, 1, err}
	}
	col := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		if csvColumns[h] {
			col[h] = i
		}
	}
	for _, need := range []string{"id", "seller_id", "title", "price"} {
		if _, ok := col[need]; !ok {
			return &LineError{name, 1, fmt.Errorf("header has no %q column", need)}
		}
	}
	ids := map[string]int{}
	for {
		rec, err := cr.Read()
		line, _ := cr.FieldPos(0)
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return &LineError{name, pe.Line, pe.Err}
			}
			return &LineError{name, line, err}
		}
		get := func(k string) string {
			if i, ok := col[k]; ok && i < len(rec) {
				return rec[i]
			}
			return ""
		}
		for _, v := range rec {
			if !utf8.ValidString(v) {
				return &LineError{name, line, errors.New("invalid UTF-8")}
			}
		}
		priceText := strings.TrimSpace(get("price"))
		price, perr := strconv.ParseFloat(priceText, 64)
		if perr != nil {
			return &LineError{name, line, fmt.Errorf("price: %q is not a number", priceText)}
		}
		l := hallmark.Listing{
			ID: get("id"), SellerID: get("seller_id"), Title: get("title"), Description: get("description"),
			Price: price, Currency: strings.ToUpper(strings.TrimSpace(get("currency"))), Category: get("category"),
		}
		if imgs := strings.TrimSpace(get("images")); imgs != "" {
			for _, p := range strings.Split(imgs, "|") {
				if p = strings.TrimSpace(p); p != "" {
					l.Images = append(l.Images, p)
				}
			}
		}
		if l.Currency == "" {
			l.Currency = opts.DefaultCurrency
		}
		if err := l.Validate(); err != nil {
			return &LineError{name, line, err}
		}
		if first, dup := ids[l.ID]; dup {
			return &LineError{name, line, fmt.Errorf("id: duplicate listing id %q (first on line %d)", l.ID, first)}
		}
		ids[l.ID] = line
		if err := fn(Record{Line: line, Listing: l}); err != nil {
			return err
		}
	}
}

// DecisionLine is one line of a decisions file.
type DecisionLine struct {
	ListingID string            `json:"listing_id"`
	Action    hallmark.Action   `json:"action"`
	Score     float64           `json:"score"`
	BrandID   string            `json:"brand_id,omitempty"`
	Reasons   []hallmark.Reason `json:"reasons"`
}

// WriteDecision writes one decision as a JSON line.
func WriteDecision(w io.Writer, d *hallmark.Decision) error {
	b, err := json.Marshal(DecisionLine{ListingID: d.ListingID, Action: d.Action, Score: d.Score, BrandID: d.BrandID, Reasons: d.Reasons})
	if err != nil {
		return err
	}
	b = append(b, '\n')
	_, err = w.Write(b)
	return err
}
