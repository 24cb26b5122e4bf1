package httpapi

import "github.com/hallmark-dev/hallmark"

// The takedown routes' part of the OpenAPI document (see openapi.go).

// anyPerson is what the document says of the takedown routes: any
// authenticated caller, with what each may do decided by role and tenancy.
var anyPerson = []hallmark.Role{"admin", "reviewer", "rights_holder", "seller"}

var takedownOps = []apiOp{
	{method: "POST", path: "/v1/login", summary: "Log in with email and password; sets the session cookie", tag: "accounts",
		body: "Login", status: 200, resp: "User", errors: []int{400, 401, 413, 415}},
	{method: "POST", path: "/v1/logout", summary: "End the session", tag: "accounts", roles: anyPerson, status: 204},
	{method: "GET", path: "/v1/me", summary: "Who is asking: role, brands, seller", tag: "accounts", roles: anyPerson, status: 200, resp: "Principal"},
	{method: "POST", path: "/v1/users", summary: "Create an account (admins)", tag: "accounts", roles: anyPerson,
		body: "UserRequest", status: 201, resp: "User", errors: []int{400, 409, 413, 415, 422}},

	{method: "POST", path: "/v1/rights", summary: "Submit a trademark for verification (rights holders, for their brands)", tag: "rights", roles: anyPerson,
		body: "RightInput", status: 201, resp: "Right", errors: []int{400, 413, 415, 422}},
	{method: "GET", path: "/v1/rights", summary: "List rights: a rights holder its brands', staff all", tag: "rights", roles: anyPerson,
		query: []string{"brand_id", "td_status", "limit", "after"}, status: 200, resp: "RightPage", errors: []int{400}},
	{method: "GET", path: "/v1/rights/{id}", summary: "Get a right", tag: "rights", roles: anyPerson, status: 200, resp: "Right", errors: []int{404}},
	{method: "POST", path: "/v1/rights/{id}/verification", summary: "Verify (approve) or reject a pending right, with a reason (staff)", tag: "rights", roles: anyPerson,
		body: "RightDecision", status: 200, resp: "Right", errors: []int{400, 404, 409, 413, 415, 422}},

	{method: "POST", path: "/v1/notices", summary: "File a notice (DSA Art. 16): acknowledged at once; in the fast lane, acted on at once", tag: "notices", roles: anyPerson,
		body: "NoticeInput", status: 201, resp: "Notice", errors: []int{400, 413, 415, 422}},
	{method: "GET", path: "/v1/notices", summary: "List notices: a rights holder its brands', staff all (the review queue is ?status=received)", tag: "notices", roles: anyPerson,
		query: []string{"brand_id", "td_status", "limit", "after"}, status: 200, resp: "NoticePage", errors: []int{400}},
	{method: "GET", path: "/v1/notices/{id}", summary: "Get a notice and its outcome", tag: "notices", roles: anyPerson, status: 200, resp: "Notice", errors: []int{404}},
	{method: "POST", path: "/v1/notices/{id}/decision", summary: "Accept (remove the listings, issue statements of reasons) or reject a notice (staff)", tag: "notices", roles: anyPerson,
		body: "NoticeDecision", status: 200, resp: "Notice", errors: []int{400, 404, 409, 413, 415, 422}},
	{method: "POST", path: "/v1/notices/{id}/appeal", summary: "Appeal the rejection of a notice (the notifier; DSA Art. 20)", tag: "notices", roles: anyPerson,
		body: "AppealInput", status: 201, resp: "Appeal", errors: []int{400, 404, 409, 413, 415, 422}},

	{method: "GET", path: "/v1/statements", summary: "List statements of reasons: a seller its own, staff all", tag: "statements", roles: anyPerson,
		query: []string{"seller_id", "td_status", "limit", "after"}, status: 200, resp: "StatementPage", errors: []int{400}},
	{method: "GET", path: "/v1/statements/{id}", summary: "Get a statement of reasons (DSA Art. 17)", tag: "statements", roles: anyPerson, status: 200, resp: "Statement", errors: []int{404}},
	{method: "POST", path: "/v1/statements/{id}/counter-notice", summary: "Contest a removal (the seller); restored after the period unless the rights holder reports legal action", tag: "statements", roles: anyPerson,
		body: "CounterInput", status: 201, resp: "CounterNotice", errors: []int{400, 404, 409, 413, 415, 422}},
	{method: "POST", path: "/v1/statements/{id}/appeal", summary: "Appeal a removal through internal complaint handling (the seller; DSA Art. 20)", tag: "statements", roles: anyPerson,
		body: "AppealInput", status: 201, resp: "Appeal", errors: []int{400, 404, 409, 413, 415, 422}},

	{method: "GET", path: "/v1/counter-notices", summary: "List counter-notices: a rights holder those against its brands, a seller its own", tag: "counter-notices", roles: anyPerson,
		query: []string{"brand_id", "td_status", "limit", "after"}, status: 200, resp: "CounterNoticePage", errors: []int{400}},
	{method: "GET", path: "/v1/counter-notices/{id}", summary: "Get a counter-notice", tag: "counter-notices", roles: anyPerson, status: 200, resp: "CounterNotice", errors: []int{404}},
	{method: "POST", path: "/v1/counter-notices/{id}/legal-action", summary: "Report a complaint or lawsuit within the period (the rights holder): the listing stays down", tag: "counter-notices", roles: anyPerson,
		body: "LegalAction", status: 200, resp: "CounterNotice", errors: []int{400, 404, 409, 413, 415, 422}},

	{method: "GET", path: "/v1/appeals", summary: "List appeals: a seller its own, staff all", tag: "appeals", roles: anyPerson,
		query: []string{"seller_id", "td_status", "limit", "after"}, status: 200, resp: "AppealPage", errors: []int{400}},
	{method: "POST", path: "/v1/appeals/{id}/decision", summary: "Decide an appeal (a reviewer logged in as a person); upholding it restores the listing", tag: "appeals", roles: anyPerson,
		body: "AppealDecision", status: 200, resp: "Appeal", errors: []int{400, 404, 409, 413, 415, 422}},

	{method: "GET", path: "/v1/notifiers/{id}", summary: "A notifier's (brand's) standing: fast lane, warnings, suspension", tag: "notices", roles: anyPerson, status: 200, resp: "Standing", errors: []int{404}},
	{method: "GET", path: "/v1/takedown-figures", summary: "Median and p95 time from notice to action, acceptance and counter-notice success rates", tag: "notices", roles: anyPerson,
		query: []string{"since"}, status: 200, resp: "Figures", errors: []int{400}},

	{method: "GET", path: "/v1/my/brands/{id}", summary: "A rights holder's own brand, as screening sees it", tag: "brands", roles: anyPerson, status: 200, resp: "Brand", errors: []int{404}},
	{method: "POST", path: "/v1/my/brands/{id}/price-floors", summary: "A rights holder adds (or replaces) a price floor of its brand", tag: "brands", roles: anyPerson,
		body: "PriceFloor", status: 201, resp: "Brand", errors: []int{400, 404, 413, 415, 422}},
	{method: "POST", path: "/v1/my/brands/{id}/products", summary: "A rights holder adds (or replaces, by name) a genuine product of its brand", tag: "brands", roles: anyPerson,
		body: "Product", status: 201, resp: "Brand", errors: []int{400, 404, 413, 415, 422}},
	{method: "PUT", path: "/v1/my/brands/{id}/authorized-sellers/{seller_id}", summary: "A rights holder authorizes a seller for its brand", tag: "brands", roles: anyPerson,
		status: 200, resp: "Brand", errors: []int{404, 422}},
	{method: "DELETE", path: "/v1/my/brands/{id}/authorized-sellers/{seller_id}", summary: "A rights holder withdraws a seller's authorization", tag: "brands", roles: anyPerson,
		status: 200, resp: "Brand", errors: []int{404}},
}

var takedownParams = obj{
	"td_status": obj{"name": "status", "in": "query", "schema": str("the record's status (received, accepted, in_force, pending ...)")},
	"since":     obj{"name": "since", "in": "query", "schema": obj{"type": "string", "format": "date-time", "description": "default: 90 days ago"}},
}

func takedownSchemas() obj {
	contact := object(obj{"name": str(""), "email": str("")}, "name", "email")
	ids := array(integer())
	return obj{
		"Contact": contact,
		"Login":   object(obj{"email": str(""), "password": str("")}, "email", "password"),
		"User": object(obj{"id": integer(), "email": str(""), "name": str(""), "role": enum("admin", "reviewer", "rights_holder", "seller"),
			"brand_ids": array(str("")), "seller_id": str(""), "created_at": timestamp()}),
		"UserRequest": object(obj{"email": str(""), "name": str(""), "role": enum("admin", "reviewer", "rights_holder", "seller"),
			"brand_ids": array(str("required for rights_holder")), "seller_id": str("required for seller"),
			"password": obj{"type": "string", "minLength": 12, "maxLength": 256}}, "email", "name", "role", "password"),
		"Principal": object(obj{"actor": str(""), "role": str(""), "brand_ids": array(str("")), "seller_id": str("")}),
		"RightInput": object(obj{"brand_id": str(""), "mark": str(""), "number": str(""), "office": str("USPTO, EUIPO, CNIPA, WIPO ..."),
			"classes": array(obj{"type": "integer", "minimum": 1, "maximum": 45}), "owner": str(""), "documents": array(str("URL or reference"))},
			"brand_id", "mark", "number", "office", "classes", "owner"),
		"Right": object(obj{"id": integer(), "brand_id": str(""), "kind": str(""), "mark": str(""), "number": str(""), "office": str(""),
			"classes": array(integer()), "owner": str(""), "documents": array(str("")), "status": enum("pending", "verified", "rejected"),
			"reason": str(""), "decided_by": str(""), "decided_at": timestamp(), "created_at": timestamp(), "submitted_by": str("")}),
		"RightDecision": object(obj{"approve": boolean(), "reason": str("required when rejecting")}, "approve"),
		"NoticeInput": object(obj{"brand_id": str(""), "right_id": integer(),
			"listing_ids": obj{"type": "array", "items": str(""), "minItems": 1, "maxItems": 300},
			"explanation": str("why the listings infringe"), "good_faith": obj{"type": "boolean", "const": true}, "contact": ref("Contact")},
			"brand_id", "right_id", "listing_ids", "explanation", "good_faith", "contact"),
		"Notice": object(obj{"id": integer(), "brand_id": str(""), "right_id": integer(), "listing_ids": array(str("")),
			"explanation": str(""), "good_faith": boolean(), "contact": ref("Contact"),
			"status":      enum("received", "accepted", "rejected", "overturned"),
			"received_at": timestamp(), "decided_at": timestamp(), "decided_by": str(""), "automated": boolean(),
			"outcome": str("what the notifier is told"), "manifestly_unfounded": boolean(), "statement_ids": ids, "filed_by": str("")}),
		"NoticeDecision": object(obj{"accept": boolean(), "reason": str(""), "manifestly_unfounded": boolean()}, "accept", "reason"),
		"Statement": object(obj{"id": integer(), "listing_id": str(""), "seller_id": str(""), "brand_id": str(""), "notice_id": integer(),
			"measure": str(""), "facts": str(""), "automated_detection": boolean(), "automated_decision": boolean(),
			"ground": str(""), "redress": str(""), "status": enum("in_force", "restored", "reversed"),
			"created_at": timestamp(), "updated_at": timestamp()}),
		"CounterInput": object(obj{"explanation": str(""), "contact": ref("Contact")}, "explanation", "contact"),
		"CounterNotice": object(obj{"id": integer(), "statement_id": integer(), "listing_id": str(""), "seller_id": str(""), "brand_id": str(""),
			"explanation": str(""), "contact": ref("Contact"), "status": enum("pending", "restored", "legal_action", "moot"),
			"filed_at": timestamp(), "restore_at": timestamp(), "resolved_at": timestamp(), "legal_case": str("")}),
		"LegalAction": object(obj{"case": str("court, case number, or complaint reference")}, "case"),
		"AppealInput": object(obj{"explanation": str("")}, "explanation"),
		"Appeal": object(obj{"id": integer(), "statement_id": integer(), "notice_id": integer(), "listing_id": str(""), "seller_id": str(""), "brand_id": str(""),
			"explanation": str(""), "status": enum("pending", "upheld", "rejected"), "filed_at": timestamp(), "decided_at": timestamp(),
			"decided_by": str(""), "reason": str("")}),
		"AppealDecision": object(obj{"uphold": boolean(), "reason": str("")}, "uphold", "reason"),
		"Standing": object(obj{"brand_id": str(""), "fast_lane": boolean(), "fast_lane_since": timestamp(), "warnings": integer(),
			"suspended_until": timestamp(), "decided": integer(), "acceptance_rate": num(), "counter_notices_resolved": integer(),
			"counter_notice_success_rate": num(), "updated_at": timestamp()}),
		"Figures": object(obj{"since": timestamp(), "until": timestamp(), "notices": integer(), "actioned": integer(),
			"median_seconds_to_action": num(), "p95_seconds_to_action": num(),
			"brands": array(object(obj{"brand_id": str(""), "decided": integer(), "accepted": integer(), "acceptance_rate": num(),
				"counter_notices_resolved": integer(), "counter_notice_success_rate": num()})),
			"counter_notices_resolved": integer(), "counter_notice_success_rate": num()}),
		"RightPage":         pageOf("Right"),
		"NoticePage":        pageOf("Notice"),
		"StatementPage":     pageOf("Statement"),
		"CounterNoticePage": pageOf("CounterNotice"),
		"AppealPage":        pageOf("Appeal"),
	}
}
