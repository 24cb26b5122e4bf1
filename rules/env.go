package rules

// Env is what a rule expression sees: one candidate reading of a listing,
// usually "this listing, as a possible use of brand X". Field names in
// expressions are the expr tags: brand.disguised, price.ratio, seller.authorized.
//
// The screening engine fills one Env per brand it found in the listing (and
// one with brand.matched false when it found none), and the policy decides
// each; the most severe outcome wins.
type Env struct {
	Brand   BrandEnv   `expr:"brand"`
	Replica ReplicaEnv `expr:"replica"`
	Context ContextEnv `expr:"context"`
	Price   PriceEnv   `expr:"price"`
	Seller  SellerEnv  `expr:"seller"`
	Image   ImageEnv   `expr:"image"`
	Listing ListingEnv `expr:"listing"`
}

// BrandEnv describes how a brand's marks appear in the listing.
type BrandEnv struct {
	// Matched: a mark of the brand appears and reads as the brand (an
	// ordinary-word mark only counts with supporting context).
	Matched bool   `expr:"matched"`
	ID      string `expr:"id"`
	Name    string `expr:"name"`
	// Marks is the number of distinct marks of the brand found.
	Marks int `expr:"marks"`
	// Exact: at least one mark appears as written (after case and width folding).
	Exact bool `expr:"exact"`
	// Disguised: a mark was written with lookalike letters, leetspeak,
	// split letters or invisible characters.
	Disguised bool `expr:"disguised"`
	// Typo: a mark appears only misspelt by one edit.
	Typo bool `expr:"typo"`
	// Joined: a multi-word mark run together, or a mark glued to another
	// word, in the title ("LouisVuitton", "GucciBag").
	Joined bool `expr:"joined"`
	// Dupe: a mark followed by "style", "inspired", "type": a look-alike
	// sold on the brand's name.
	Dupe bool `expr:"dupe"`
	// Fullwidth: a mark was written in fullwidth forms only.
	Fullwidth bool `expr:"fullwidth"`
	// Ordinary: every mark found is an ordinary word (Apple, Coach);
	// Supported says whether the context reads it as the brand all the same.
	Ordinary  bool `expr:"ordinary"`
	Supported bool `expr:"supported"`
	// Confirmed: the brand reading rests on more than the category alone (a
	// distinctive mark, brand wording such as "authentic", counterfeit wording).
	Confirmed bool `expr:"confirmed"`
	// InTitle: a mark appears in the title (not only the description).
	InTitle bool `expr:"in_title"`
	// CategoryMatch: the listing's category or wording fits the brand's.
	CategoryMatch bool `expr:"category_match"`
	// CategoryMismatch: the listing's category is a topic category (books,
	// art, music ...) the brand does not sell in: the mark names a topic.
	CategoryMismatch bool `expr:"category_mismatch"`
	// Disguises lists the disguise kinds seen: confusable, leet, split ...
	Disguises []string `expr:"disguises"`
}

// ReplicaEnv counts counterfeit wording.
type ReplicaEnv struct {
	Count  int  `expr:"count"`
	Strong bool `expr:"strong"` // replica, super copy, 高仿 ...: counterfeit on their own
	Weak   bool `expr:"weak"`   // AAA, UA, OEM ...: counterfeit only next to a brand
	// Standalone: wording with no honest use at all (super copy, 高仿, passes
	// any check), counterfeit even where no brand is named.
	Standalone bool     `expr:"standalone"`
	Terms      []string `expr:"terms"`
}

// ContextEnv holds wording that lowers risk.
type ContextEnv struct {
	// Nominative: the brand names what an accessory fits ("case for iPhone 15").
	Nominative bool `expr:"nominative"`
	// Resale: pre-owned or authenticated resale wording.
	Resale bool `expr:"resale"`
	// OrdinaryUse: an ordinary-word mark used as an ordinary word.
	OrdinaryUse bool `expr:"ordinary_use"`
	// KeywordStuffing: the brand appears only in a description that lists
	// search keywords ("Keywords: Michael Kors, luxury, designer").
	KeywordStuffing bool `expr:"keyword_stuffing"`
	// Packaging: empty boxes, shopping bags, samples, decants, parts:
	// genuine items priced nothing like the brand's products.
	Packaging bool `expr:"packaging"`
	// Disclaimer: every mention of the brand is negated or disclaimed
	// ("not affiliated with Nike", "not a Rolex").
	Disclaimer bool `expr:"disclaimer"`
}

// PriceEnv compares the listing's price with the brand's floor.
type PriceEnv struct {
	Known bool    `expr:"known"` // a floor exists and the currencies convert
	Floor float64 `expr:"floor"` // in the listing's currency
	Ratio float64 `expr:"ratio"` // price / floor; 0 when unknown
	// Product: the floor is that of a product the listing names, which is
	// far more precise than a brand-wide floor.
	Product bool `expr:"product"`
}

// SellerEnv is what is known of the seller.
type SellerEnv struct {
	Known      bool    `expr:"known"`
	Authorized bool    `expr:"authorized"` // for this candidate's brand
	AgeDays    float64 `expr:"age_days"`
	Listings   int     `expr:"listings"`
	Blocks     int     `expr:"blocks"`
	Reviews    int     `expr:"reviews"`
}

// ImageEnv describes the closest protected-image match of the brand.
type ImageEnv struct {
	Matched  bool   `expr:"matched"`
	Distance int    `expr:"distance"`
	Variant  string `expr:"variant"`
	Count    int    `expr:"count"`
}

// ListingEnv exposes plain listing facts.
type ListingEnv struct {
	Price    float64 `expr:"price"`
	Currency string  `expr:"currency"`
	Category string  `expr:"category"`
	Title    string  `expr:"title"`
}
