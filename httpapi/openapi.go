package httpapi

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/hallmark-dev/hallmark"
)

// The OpenAPI document is built in Go rather than kept as a JSON file so
// that schemas share one definition per type and the document cannot drift
// in syntax; TestOpenAPIParity checks it against the mux in both directions
// so it cannot drift in substance either.

type apiOp struct {
	method, path string
	summary      string
	tag          string
	roles        []hallmark.Role // nil: public
	query        []string        // names of components/parameters
	body         string          // request schema name, "" for none
	status       int             // success status
	resp         string          // response schema name, "" for none
	errors       []int           // error statuses besides auth ones
}

var apiOps = []apiOp{
	{method: "GET", path: "/healthz", summary: "Liveness: the process is up", tag: "ops", status: 200, resp: "Status"},
	{method: "GET", path: "/readyz", summary: "Readiness: the database answers", tag: "ops", status: 200, resp: "Status", errors: []int{503}},
	{method: "GET", path: "/metrics", summary: "Prometheus metrics (text exposition format)", tag: "ops", status: 200},
	{method: "GET", path: "/v1/openapi.json", summary: "This document", tag: "ops", status: 200},

	{method: "POST", path: "/v1/listings", summary: "Screen a listing at publish or edit time and store the outcome", tag: "listings",
		roles: publishers, body: "Listing", status: 201, resp: "Screening", errors: []int{400, 409, 413, 415, 422}},
	{method: "GET", path: "/v1/listings", summary: "List listings", tag: "listings", roles: anyRole,
		query: []string{"seller_id", "status", "limit", "after"}, status: 200, resp: "ListingPage", errors: []int{400}},
	{method: "GET", path: "/v1/listings/{id}", summary: "Get a listing", tag: "listings", roles: anyRole, status: 200, resp: "Listing", errors: []int{404}},
	{method: "GET", path: "/v1/listings/{id}/decision", summary: "Get the latest decision on a listing", tag: "decisions", roles: anyRole, status: 200, resp: "Decision", errors: []int{404}},
	{method: "GET", path: "/v1/listings/{id}/audit", summary: "The audit trail of a listing (empty for unknown ids)", tag: "listings", roles: reviewers,
		query: []string{"limit", "after"}, status: 200, resp: "AuditPage", errors: []int{400}},
	{method: "POST", path: "/v1/listings/{id}/status", summary: "Record a human decision on a listing, with its reason", tag: "review", roles: reviewers,
		body: "StatusChange", status: 200, resp: "Listing", errors: []int{400, 404, 413, 415, 422}},
	{method: "GET", path: "/v1/decisions", summary: "List decisions, newest first; ?action=review is the review queue", tag: "review", roles: anyRole,
		query: []string{"action", "brand_id", "listing_id", "limit", "after"}, status: 200, resp: "DecisionPage", errors: []int{400}},
	{method: "GET", path: "/v1/decisions/{id}", summary: "Get a decision", tag: "decisions", roles: anyRole, status: 200, resp: "Decision", errors: []int{404}},

	{method: "GET", path: "/v1/brands", summary: "List every brand with its marks, floors and authorized sellers", tag: "brands", roles: reviewers, status: 200, resp: "BrandPage"},
	{method: "GET", path: "/v1/brands/{id}", summary: "Get a brand", tag: "brands", roles: reviewers, status: 200, resp: "Brand", errors: []int{404}},
	{method: "PUT", path: "/v1/brands/{id}", summary: "Create or replace a brand whole", tag: "brands", roles: adminOnly,
		body: "Brand", status: 200, resp: "Brand", errors: []int{400, 413, 415, 422}},
	{method: "DELETE", path: "/v1/brands/{id}", summary: "Delete a brand and all it owns", tag: "brands", roles: adminOnly, status: 204, errors: []int{404}},
	{method: "POST", path: "/v1/brands/{id}/marks", summary: "Add a mark to a brand", tag: "brands", roles: adminOnly,
		body: "Mark", status: 201, resp: "Brand", errors: []int{400, 404, 413, 415, 422}},
	{method: "POST", path: "/v1/brands/{id}/price-floors", summary: "Add (or replace, per category and currency) a price floor", tag: "brands", roles: adminOnly,
		body: "PriceFloor", status: 201, resp: "Brand", errors: []int{400, 404, 413, 415, 422}},
	{method: "POST", path: "/v1/brands/{id}/products", summary: "Add (or replace, by name) a genuine product: its identifiers and name become marks of the brand, its min_price a floor", tag: "brands", roles: adminOnly,
		body: "Product", status: 201, resp: "Brand", errors: []int{400, 404, 413, 415, 422}},
	{method: "PUT", path: "/v1/brands/{id}/authorized-sellers/{seller_id}", summary: "Authorize a seller for a brand", tag: "brands", roles: adminOnly,
		status: 200, resp: "Brand", errors: []int{404, 422}},
	{method: "DELETE", path: "/v1/brands/{id}/authorized-sellers/{seller_id}", summary: "Withdraw a seller's authorization", tag: "brands", roles: adminOnly,
		status: 200, resp: "Brand", errors: []int{404}},

	{method: "GET", path: "/v1/sellers", summary: "List sellers", tag: "sellers", roles: reviewers, query: []string{"limit", "after"}, status: 200, resp: "SellerPage", errors: []int{400}},
	{method: "GET", path: "/v1/sellers/{id}", summary: "Get a seller", tag: "sellers", roles: reviewers, status: 200, resp: "Seller", errors: []int{404}},
	{method: "PUT", path: "/v1/sellers/{id}", summary: "Create or update a seller", tag: "sellers", roles: adminOnly,
		body: "Seller", status: 200, resp: "Seller", errors: []int{400, 413, 415, 422}},
	{method: "POST", path: "/v1/import", summary: "Bulk import brands and sellers: all validated before any is written", tag: "brands", roles: adminOnly,
		body: "Import", status: 200, resp: "ImportResult", errors: []int{400, 413, 415, 422}},

	{method: "POST", path: "/v1/api-keys", summary: "Create an API key; the secret is returned once", tag: "api-keys", roles: adminOnly,
		body: "APIKeyRequest", status: 201, resp: "APIKeyCreated", errors: []int{400, 413, 415, 422}},
	{method: "GET", path: "/v1/api-keys", summary: "List API keys (never their secrets)", tag: "api-keys", roles: adminOnly, status: 200, resp: "APIKeyPage"},
	{method: "DELETE", path: "/v1/api-keys/{id}", summary: "Revoke an API key. It stops working on this server at once; other API processes that verified it recently accept it for up to 10 s more (their key cache TTL)", tag: "api-keys", roles: adminOnly, status: 204, errors: []int{404}},
}

type obj = map[string]any

func ref(name string) obj { return obj{"$ref": "#/components/schemas/" + name} }
func str(desc string) obj {
	o := obj{"type": "string"}
	if desc != "" {
		o["description"] = desc
	}
	return o
}
func num() obj                { return obj{"type": "number"} }
func integer() obj            { return obj{"type": "integer", "format": "int64"} }
func boolean() obj            { return obj{"type": "boolean"} }
func array(items obj) obj     { return obj{"type": "array", "items": items} }
func enum(vals ...string) obj { return obj{"type": "string", "enum": vals} }
func timestamp() obj          { return obj{"type": "string", "format": "date-time"} }
func object(props obj, required ...string) obj {
	o := obj{"type": "object", "properties": props}
	if len(required) > 0 {
		o["required"] = required
	}
	return o
}
func pageOf(item string) obj {
	return object(obj{"items": array(ref(item)), "next_after": str("cursor for ?after= to fetch the next page; absent on the last page")}, "items")
}

func schemas() obj {
	signal := object(obj{
		"detector": str("brand_mark, replica_cue, context, price, seller or image_match"), "kind": str(""),
		"brand_id": str(""), "mark": str(""), "span": ref("Span"), "original": str(""), "normalized": str(""),
		"value": num(), "detail": str(""),
	}, "detector", "kind")
	return obj{
		"Error": object(obj{"error": object(obj{
			"code": enum(append([]string{codeInvalidJSON, codeInvalidField, codeBodyTooLarge, codeUnsupportedMediaType, codeUnknownSeller,
				codeNotFound, codeUnauthenticated, codeForbidden, codeConflict, codeMethodNotAllowed, codeInternal,
				codeUnavailable, codeReloadFailed}, noticeErrorCodes...)...),
			"message":    str("a human sentence, naming the field where one is at fault"),
			"field":      str("the offending field, for invalid_field and unknown_seller"),
			"request_id": str("quote it when reporting a problem"),
		}, "code", "message")}, "error"),
		"Status": object(obj{"status": str("")}, "status"),
		"Listing": object(obj{
			"id": str("the marketplace's listing id"), "seller_id": str(""), "title": str(""), "description": str(""),
			"price": obj{"type": "number", "minimum": 0, "maximum": hallmark.MaxPrice}, "currency": str("ISO 4217 code"),
			"category": str(""), "images": array(str("image URL or reference")),
			"status": enum("active", "held", "removed"), "created_at": timestamp(), "updated_at": timestamp(),
		}, "id", "seller_id", "title", "price", "currency"),
		"Span":   object(obj{"field": str(""), "start": integer(), "end": integer()}),
		"Signal": signal,
		"Reason": object(obj{"rule": str(""), "action": enum("allow", "review", "block"), "weight": num(), "message": str(""),
			"brand_id": str(""), "signals": array(ref("Signal"))}, "rule", "action", "message"),
		"Decision": object(obj{
			"id": integer(), "listing_id": str(""), "action": enum("allow", "review", "block"), "score": num(),
			"brand_id": str(""), "reasons": array(ref("Reason")), "signals": array(ref("Signal")),
			"policy_version": str(""), "decided_at": timestamp(),
		}, "listing_id", "action", "score", "reasons"),
		"Screening": object(obj{"listing": ref("Listing"), "decision": ref("Decision")}, "listing", "decision"),
		"StatusChange": object(obj{"status": enum("active", "held", "removed"),
			"reason": str("required: what the seller is told and what an appeal is judged on")}, "status", "reason"),
		"Mark": object(obj{"id": integer(), "brand_id": str(""), "text": obj{"type": "string", "minLength": 1, "maxLength": maxMarkLen},
			"kind": enum("word", "product_line", "abbreviation"), "ordinary": boolean()}, "text", "kind"),
		"Trademark": object(obj{"id": integer(), "brand_id": str(""), "mark": str(""), "number": str(""),
			"office": str("USPTO, EUIPO, CNIPA, WIPO ..."), "classes": array(obj{"type": "integer", "minimum": 1, "maximum": 45})},
			"mark", "number", "office"),
		"PriceFloor": object(obj{"id": integer(), "brand_id": str(""), "category": str("empty: every category"),
			"amount": obj{"type": "number", "minimum": 0, "maximum": hallmark.MaxPrice}, "currency": str("ISO 4217 code")},
			"amount", "currency"),
		"BrandImage": object(obj{"id": str(""), "brand_id": str(""), "label": str(""),
			"pdq": obj{"type": "string", "pattern": "^[0-9a-fA-F]{64}$"}, "quality": obj{"type": "integer", "minimum": 0, "maximum": 100}},
			"id", "pdq"),
		"Product": object(obj{"name": obj{"type": "string", "maxLength": hallmark.MaxProductNameLen},
			"identifiers": obj{"type": "array", "maxItems": hallmark.MaxProductIdentifiers, "items": obj{"type": "string", "pattern": "^[A-Za-z0-9./ -]{3,40}$",
				"description": "a GTIN (8, 12, 13 or 14 digits, GS1 check digit verified) or a model or part number"}},
			"category":  str(""),
			"min_price": obj{"type": "number", "minimum": 0, "maximum": hallmark.MaxPrice, "description": "the lowest price of the genuine product; 0: none"},
			"currency":  str("ISO 4217 code; required with min_price")},
			"name"),
		"Brand": object(obj{
			"id": obj{"type": "string", "pattern": hallmark.BrandIDPattern.String()}, "name": str(""), "category": str(""),
			"marks": array(ref("Mark")), "trademarks": array(ref("Trademark")), "price_floors": array(ref("PriceFloor")),
			"authorized_sellers": array(str("seller id")), "images": array(ref("BrandImage")), "products": array(ref("Product")),
			"created_at": timestamp(),
		}, "id", "name"),
		"Seller": object(obj{"id": str(""), "name": str(""), "country": obj{"type": "string", "pattern": "^[A-Z]{2}$"},
			"created_at": timestamp()}, "id", "name"),
		"AuditEntry": object(obj{"id": integer(), "at": timestamp(), "actor": str(""), "action": str(""),
			"object_type": str(""), "object_id": str(""), "detail": str("JSON")}),
		"Import":       object(obj{"brands": array(ref("Brand")), "sellers": array(ref("Seller"))}),
		"ImportResult": object(obj{"brands": integer(), "sellers": integer()}, "brands", "sellers"),
		"APIKey": object(obj{"id": integer(), "name": str(""), "role": enum("admin", "integration", "reviewer"),
			"prefix": str("the first characters of the key, to recognise it"), "created_at": timestamp(), "revoked_at": timestamp()}),
		"APIKeyRequest": object(obj{"name": str(""), "role": enum("admin", "integration", "reviewer")}, "name", "role"),
		"APIKeyCreated": object(obj{"key": ref("APIKey"), "secret": str("hm_...: shown once, store it now")}, "key", "secret"),
		"ListingPage":   pageOf("Listing"),
		"DecisionPage":  pageOf("Decision"),
		"AuditPage":     pageOf("AuditEntry"),
		"BrandPage":     pageOf("Brand"),
		"SellerPage":    pageOf("Seller"),
		"APIKeyPage":    pageOf("APIKey"),
	}
}

var queryParams = obj{
	"seller_id":  obj{"name": "seller_id", "in": "query", "schema": str("")},
	"status":     obj{"name": "status", "in": "query", "schema": enum("active", "held", "removed")},
	"action":     obj{"name": "action", "in": "query", "schema": enum("allow", "review", "block")},
	"brand_id":   obj{"name": "brand_id", "in": "query", "schema": str("")},
	"listing_id": obj{"name": "listing_id", "in": "query", "schema": str("")},
	"limit":      obj{"name": "limit", "in": "query", "schema": obj{"type": "integer", "minimum": 1, "maximum": 1000, "default": 50}},
	"after":      obj{"name": "after", "in": "query", "schema": str("next_after of the previous page")},
}

var pathParam = regexp.MustCompile(`\{([a-z_]+)\}`)

var errorText = map[int]string{
	400: "Malformed request (invalid_json, invalid_field)",
	401: "Missing, invalid or revoked API key (unauthenticated)",
	403: "The caller's role may not call this route or act for this brand (forbidden, notifier_suspended)",
	404: "Not found (not_found)",
	409: "Conflict (conflict), or a takedown step refused as things stand (already_decided, already_filed, not_in_force, not_pending, not_rejected, period_over)",
	413: "Body too large (body_too_large)",
	415: "Body is not application/json (unsupported_media_type)",
	422: "A field is invalid (invalid_field) or the seller is unknown (unknown_seller)",
	500: "Internal error (internal, reload_failed)",
	503: "Not ready (unavailable)",
}

func buildOpenAPI() obj {
	paths := obj{}
	for _, o := range append(append(append([]apiOp(nil), apiOps...), takedownOps...), imageOps...) {
		item, _ := paths[o.path].(obj)
		if item == nil {
			item = obj{}
			paths[o.path] = item
		}
		var params []any
		for _, m := range pathParam.FindAllStringSubmatch(o.path, -1) {
			params = append(params, obj{"name": m[1], "in": "path", "required": true, "schema": str("")})
		}
		for _, q := range o.query {
			params = append(params, obj{"$ref": "#/components/parameters/" + q})
		}
		succ := obj{"description": http.StatusText(o.status)}
		switch {
		case o.resp != "":
			succ["content"] = obj{"application/json": obj{"schema": ref(o.resp)}}
		case o.path == "/metrics":
			succ["content"] = obj{"text/plain": obj{"schema": str("")}}
		case o.path == "/v1/openapi.json":
			succ["content"] = obj{"application/json": obj{"schema": obj{"type": "object"}}}
		}
		responses := obj{strconv.Itoa(o.status): succ}
		errs := append([]int(nil), o.errors...)
		if o.roles != nil {
			errs = append(errs, 401, 403)
		}
		errs = append(errs, 500)
		for _, code := range errs {
			responses[strconv.Itoa(code)] = obj{"$ref": "#/components/responses/E" + strconv.Itoa(code)}
		}
		op := obj{
			"operationId": operationID(o),
			"summary":     o.summary,
			"tags":        []string{o.tag},
			"responses":   responses,
		}
		if len(params) > 0 {
			op["parameters"] = params
		}
		switch o.body {
		case "":
		case imageBody:
			op["requestBody"] = obj{"required": true, "content": obj{"image/*": obj{}}}
		default:
			op["requestBody"] = obj{"required": true, "content": obj{"application/json": obj{"schema": ref(o.body)}}}
		}
		if o.roles == nil {
			op["security"] = []any{}
		} else {
			roles := make([]string, len(o.roles))
			for i, r := range o.roles {
				roles[i] = string(r)
			}
			op["description"] = "Roles: " + strings.Join(roles, ", ") + "."
		}
		item[strings.ToLower(o.method)] = op
	}
	sch := schemas()
	for k, v := range takedownSchemas() {
		sch[k] = v
	}
	for k, v := range imageSchemas() {
		sch[k] = v
	}
	params := obj{}
	for _, ps := range []obj{queryParams, takedownParams} {
		for k, v := range ps {
			params[k] = v
		}
	}
	responses := obj{}
	for code, text := range errorText {
		responses["E"+strconv.Itoa(code)] = obj{"description": text,
			"content": obj{"application/json": obj{"schema": ref("Error")}}}
	}
	return obj{
		"openapi": "3.1.0",
		"info": obj{
			"title":       "Hallmark API",
			"version":     "1",
			"description": "Publish-time screening of marketplace listings against a brand registry, the review queue, and the registry's administration.",
			"license":     obj{"name": "Apache-2.0", "identifier": "Apache-2.0"},
		},
		"security": []any{obj{"apiKey": []any{}}, obj{"session": []any{}}},
		"paths":    paths,
		"components": obj{
			"securitySchemes": obj{"apiKey": obj{
				"type": "http", "scheme": "bearer", "bearerFormat": "hm_ API key",
				"description": "An API key (hm_...) created with POST /v1/api-keys or `hallmark apikey create`. Roles: admin (everything), integration (publish listings, read listings and decisions), reviewer (read, review queue, status changes).",
			},
				"session": obj{"type": "apiKey", "in": "cookie", "name": sessionCookie,
					"description": "The session cookie POST /v1/login sets (Secure, HttpOnly, SameSite=Strict)."},
			},
			"schemas":    sch,
			"parameters": params,
			"responses":  responses,
		},
	}
}

func operationID(o apiOp) string {
	var b strings.Builder
	b.WriteString(strings.ToLower(o.method))
	up := true
	for _, c := range o.path {
		switch {
		case c == '/' || c == '-' || c == '_' || c == '.' || c == '{' || c == '}':
			up = true
		case up:
			b.WriteString(strings.ToUpper(string(c)))
			up = false
		default:
			b.WriteRune(c)
		}
	}
	return b.String()
}

var openAPIDoc = sync.OnceValue(func() []byte {
	b, err := json.MarshalIndent(buildOpenAPI(), "", "  ")
	if err != nil {
		panic(err) // a programming error in the literal above
	}
	return append(b, '\n')
})

func (s *Server) openapi(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	// The document describes the API, not data, so it may be cached.
	w.Header().Set("Cache-Control", "public, max-age=300")
	if r.Method != http.MethodHead {
		_, _ = w.Write(openAPIDoc())
	}
}
