package feed

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hallmark-dev/hallmark"
)

const sampleRegistry = `{"brands":[
 {"id":"nike","name":"Nike","terms":["Nike","Air Max","AJ1"],"category":"shoes","min_price":60,"authorized_sellers":["s1"],"images":["img/a.jpg"]},
 {"id":"apple","name":"Apple","terms":["iPhone",{"text":"Apple","kind":"word","ordinary":true}],"category":"electronics","min_price":99,"currency":"EUR"}
]}`

func TestReadRegistry(t *testing.T) {
	reg, err := ReadRegistry(strings.NewReader(sampleRegistry), "r.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(reg.Brands) != 2 {
		t.Fatalf("brands = %d", len(reg.Brands))
	}
	nike := reg.Brands[0]
	if len(nike.Marks) != 3 || nike.Marks[0].Kind != hallmark.MarkWord || nike.Marks[1].Kind != hallmark.MarkProductLine || nike.Marks[2].Kind != hallmark.MarkAbbreviation {
		t.Errorf("nike marks = %+v", nike.Marks)
	}
	if nike.Marks[0].Ordinary {
		t.Errorf("Nike inferred as an ordinary word")
	}
	if len(nike.PriceFloors) != 1 || nike.PriceFloors[0].Amount != 60 || nike.PriceFloors[0].Currency != "USD" {
		t.Errorf("nike floors = %+v", nike.PriceFloors)
	}
	apple := reg.Brands[1]
	// The brand name is present once even though it was listed second.
	if len(apple.Marks) != 2 || !apple.Marks[1].Ordinary || apple.PriceFloors[0].Currency != "EUR" {
		t.Errorf("apple = %+v", apple)
	}
	if got := reg.Images["nike"]; len(got) != 1 || got[0] != "img/a.jpg" {
		t.Errorf("images = %v", got)
	}
}

func TestReadRegistryInfersOrdinaryMarks(t *testing.T) {
	reg, err := ReadRegistry(strings.NewReader(`{"brands":[{"id":"coach","name":"Coach","terms":["Coach","Tabby"]},{"id":"ow","name":"Off-White","terms":["Off-White"]}]}`), "r")
	if err != nil {
		t.Fatal(err)
	}
	if !reg.Brands[0].Marks[0].Ordinary {
		t.Error("Coach should be inferred as an ordinary word")
	}
	if !reg.Brands[1].Marks[0].Ordinary {
		t.Error("Off-White should be inferred as ordinary words")
	}
}

func TestReadRegistryErrors(t *testing.T) {
	cases := map[string]struct{ src, want string }{
		"syntax":       {"{\"brands\":[\n{\"id\":\"x\",}]}", "r.json:2: invalid JSON"},
		"type":         {`{"brands":[{"id":"x","name":"X","min_price":"cheap"}]}`, "min_price"},
		"no brands":    {`{"brands":[]}`, "no brands"},
		"bad id":       {`{"brands":[{"id":"Bad Id","name":"X"}]}`, `brands[0] ("Bad Id"): id: must match`},
		"no name":      {`{"brands":[{"id":"x"}]}`, "name: is required"},
		"neg price":    {`{"brands":[{"id":"x","name":"X","min_price":-5}]}`, "amount: must not be negative"},
		"currency":     {`{"brands":[{"id":"x","name":"X","min_price":5,"currency":"XYZ"}]}`, `unknown currency code "XYZ"`},
		"dup":          {`{"brands":[{"id":"x","name":"X"},{"id":"x","name":"Y"}]}`, "duplicate brand id"},
		"empty term":   {`{"brands":[{"id":"x","name":"X","terms":[" "]}]}`, "text: is required"},
		"bad kind":     {`{"brands":[{"id":"x","name":"X","terms":[{"text":"Y","kind":"logo"}]}]}`, "unknown mark kind"},
		"trailing":     {`{"brands":[{"id":"x","name":"X"}]} {}`, "unexpected content"},
		"invalid utf8": {"{\"brands\":[{\"id\":\"x\",\"name\":\"\xff\"}]}", "invalid UTF-8"},
		"empty":        {"", "empty file"},
		"bad gtin":     {`{"brands":[{"id":"x","name":"X","products":[{"name":"P","identifiers":["ABC-1","4006381333932"]}]}]}`, "products[0].identifiers[1]: is a GTIN-13 with a wrong check digit"},
		"product name": {`{"brands":[{"id":"x","name":"X","products":[{"identifiers":["ABC-1"]}]}]}`, "products[0].name: is required"},
	}
	for name, c := range cases {
		_, err := ReadRegistry(strings.NewReader(c.src), "r.json")
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want it to contain %q", name, err, c.want)
		}
	}
}

func TestReadRegistryWarnsOnUnknownKeys(t *testing.T) {
	reg, err := ReadRegistry(strings.NewReader(`{"version":2,"brands":[{"id":"x","name":"X","autorized_sellers":["a"]}]}`), "r")
	if err != nil {
		t.Fatal(err)
	}
	if len(reg.Warnings) != 2 || !strings.Contains(strings.Join(reg.Warnings, ";"), "autorized_sellers") {
		t.Fatalf("warnings = %v", reg.Warnings)
	}
}

func TestReadRegistryProducts(t *testing.T) {
	src := `{"brands":[
	  {"id":"hermes","name":"Hermès","currency":"EUR","products":[
	    {"name":"Birkin 30","identifiers":["4006381333931"],"category":"bags","min_price":8000},
	    {"name":"Kelly 28","min_price":7000,"currency":"USD","colour":"gold"},
	    {"name":"Twilly"}]},
	  {"id":"casio","name":"Casio","products":[{"name":"G-Shock","identifiers":["GA-2100"],"min_price":90}]}]}`
	reg, err := ReadRegistry(strings.NewReader(src), "r")
	if err != nil {
		t.Fatal(err)
	}
	h := reg.Brands[0].Products
	if len(h) != 3 || h[0].Name != "Birkin 30" || h[0].Currency != "EUR" || h[0].MinPrice != 8000 || h[0].Identifiers[0] != "4006381333931" || h[0].Category != "bags" {
		t.Fatalf("hermes products = %+v", h)
	}
	if h[1].Currency != "USD" || h[2].Currency != "" || h[2].MinPrice != 0 {
		t.Fatalf("currency defaults: %+v", h)
	}
	if c := reg.Brands[1].Products[0]; c.Currency != "USD" {
		t.Fatalf("casio product currency %q, want the USD default", c.Currency)
	}
	if len(reg.Warnings) != 1 || !strings.Contains(reg.Warnings[0], `brands[0].products[1]: unknown key "colour"`) {
		t.Fatalf("warnings = %v", reg.Warnings)
	}
}

func TestReadRegistryFileResolvesImages(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "reg.json")
	if err := os.WriteFile(path, []byte(sampleRegistry), 0o644); err != nil {
		t.Fatal(err)
	}
	reg, err := ReadRegistryFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(dir, "img", "a.jpg"); reg.Images["nike"][0] != want {
		t.Fatalf("image = %s, want %s", reg.Images["nike"][0], want)
	}
}

func readJSONL(src string, opts ListingOptions) ([]Record, error) {
	var out []Record
	err := ReadListingsJSONL(strings.NewReader(src), "l.jsonl", opts, func(r Record) error {
		out = append(out, r)
		return nil
	})
	return out, err
}

func TestReadListingsJSONL(t *testing.T) {
	src := `{"id":"a","seller_id":"s","title":"Nike shoes","price":10,"currency":"usd","label":"legit"}

{"id":"b","seller_id":"s","title":"Bag","description":"d","price":0,"currency":"EUR","category":"bags","images":["x.jpg"]}
`
	recs, err := readJSONL(src, ListingOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 2 || recs[1].Line != 3 || recs[0].Listing.Currency != "USD" || recs[1].Listing.Images[0] != "x.jpg" {
		t.Fatalf("records = %+v", recs)
	}
}

func TestReadListingsJSONLErrors(t *testing.T) {
	ok := `{"id":"a","seller_id":"s","title":"t","price":1,"currency":"USD"}` + "\n"
	cases := map[string]struct{ src, want string }{
		"syntax":     {ok + `{"id":"b",`, "l.jsonl:2: invalid JSON"},
		"negative":   {ok + `{"id":"b","seller_id":"s","title":"t","price":-1,"currency":"USD"}`, "l.jsonl:2: price: must not be negative"},
		"absurd":     {`{"id":"b","seller_id":"s","title":"t","price":1e12,"currency":"USD"}`, "l.jsonl:1: price: is implausibly large"},
		"currency":   {`{"id":"b","seller_id":"s","title":"t","price":1,"currency":"XYZ"}`, `currency: unknown currency code "XYZ"`},
		"no cur":     {`{"id":"b","seller_id":"s","title":"t","price":1}`, "currency: is required"},
		"no price":   {`{"id":"b","seller_id":"s","title":"t","currency":"USD"}`, "price: is required"},
		"no title":   {`{"id":"b","seller_id":"s","price":1,"currency":"USD"}`, "title: is required"},
		"str price":  {`{"id":"b","seller_id":"s","title":"t","price":"1","currency":"USD"}`, "price: want float64"},
		"dup":        {ok + ok, `l.jsonl:2: id: duplicate listing id "a" (first on line 1)`},
		"utf8":       {"{\"id\":\"b\",\"seller_id\":\"s\",\"title\":\"\xc3\x28\",\"price\":1,\"currency\":\"USD\"}", "invalid UTF-8"},
		"two values": {`{"id":"b","seller_id":"s","title":"t","price":1,"currency":"USD"} {}`, "more than one value"},
		"huge title": {`{"id":"b","seller_id":"s","title":"` + strings.Repeat("x", 2000) + `","price":1,"currency":"USD"}`, "title: is too long"},
	}
	for name, c := range cases {
		_, err := readJSONL(c.src, ListingOptions{})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want it to contain %q", name, err, c.want)
		}
	}
}

func TestReadListingsJSONLRefusesGiantLine(t *testing.T) {
	src := `{"id":"b","seller_id":"s","title":"` + strings.Repeat("x", 10<<20) + `","price":1,"currency":"USD"}` + "\n" + `{"id":"c"}`
	_, err := readJSONL(src, ListingOptions{})
	var le *LineError
	if !errors.As(err, &le) || le.Line != 1 || !strings.Contains(err.Error(), "longer than") {
		t.Fatalf("err = %v", err)
	}
}

func TestDefaultCurrency(t *testing.T) {
	recs, err := readJSONL(`{"id":"b","seller_id":"s","title":"t","price":1}`, ListingOptions{DefaultCurrency: "GBP"})
	if err != nil || recs[0].Listing.Currency != "GBP" {
		t.Fatalf("recs=%v err=%v", recs, err)
	}
}

func TestReadListingsCSV(t *testing.T) {
	src := "\ufeffid,seller_id,title,description,price,currency,category,images,extra\n" +
		"a,s,\"Nike, shoes\",d,10.5,USD,shoes,x.jpg|y.jpg,z\n" +
		"b,s,Bag,,3,eur,,,\n"
	var recs []Record
	err := ReadListingsCSV(strings.NewReader(src), "l.csv", ListingOptions{}, func(r Record) error { recs = append(recs, r); return nil })
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 2 || recs[0].Listing.Title != "Nike, shoes" || len(recs[0].Listing.Images) != 2 || recs[1].Listing.Currency != "EUR" || recs[1].Line != 3 {
		t.Fatalf("recs = %+v", recs)
	}
	for name, c := range map[string]struct{ src, want string }{
		"no header col": {"id,title,price\n", `header has no "seller_id" column`},
		"bad price":     {"id,seller_id,title,price,currency\na,s,t,ten,USD\n", `l.csv:2: price: "ten" is not a number`},
		"neg":           {"id,seller_id,title,price,currency\na,s,t,1,USD\nb,s,t,-1,USD\n", "l.csv:3: price: must not be negative"},
		"quote":         {"id,seller_id,title,price,currency\na,s,\"t,1,USD\n", "l.csv:2"},
		"empty":         {"", "l.csv:1: empty file"},
	} {
		err := ReadListingsCSV(strings.NewReader(c.src), "l.csv", ListingOptions{}, func(Record) error { return nil })
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err %v, want %q", name, err, c.want)
		}
	}
}

func FuzzReadRegistry(f *testing.F) {
	f.Add([]byte(sampleRegistry))
	f.Add([]byte(`{"brands":[{"id":"x","name":"X","terms":[{"text":"y"}]}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		reg, err := ReadRegistry(strings.NewReader(string(b)), "fuzz")
		if err != nil {
			return
		}
		for i := range reg.Brands {
			if err := ValidateBrand(&reg.Brands[i]); err != nil {
				t.Fatalf("accepted an invalid brand: %v", err)
			}
		}
	})
}

func FuzzReadListingsJSONL(f *testing.F) {
	f.Add([]byte(`{"id":"a","seller_id":"s","title":"t","price":1,"currency":"USD"}`))
	f.Add([]byte("{\"id\":\"a\"}\n\n{"))
	f.Fuzz(func(t *testing.T, b []byte) {
		_ = ReadListingsJSONL(strings.NewReader(string(b)), "fuzz", ListingOptions{}, func(r Record) error {
			if err := r.Listing.Validate(); err != nil {
				t.Fatalf("accepted an invalid listing: %v", err)
			}
			return nil
		})
	})
}

func FuzzReadListingsCSV(f *testing.F) {
	f.Add([]byte("id,seller_id,title,price,currency\na,s,t,1,USD\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		_ = ReadListingsCSV(strings.NewReader(string(b)), "fuzz", ListingOptions{}, func(r Record) error {
			if err := r.Listing.Validate(); err != nil {
				t.Fatalf("accepted an invalid listing: %v", err)
			}
			return nil
		})
	})
}
