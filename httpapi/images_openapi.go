package httpapi

// The image routes' part of the OpenAPI document (see openapi.go).

// imageBody marks an operation whose request body is the image itself.
const imageBody = "image"

var imageOps = []apiOp{
	{method: "POST", path: "/v1/uploads", summary: "Upload a listing image; name it in a listing as the returned ref (upload:ID)", tag: "images",
		roles: publishers, body: imageBody, status: 201, resp: "Upload", errors: []int{400, 413, 415, 422}},
	{method: "PUT", path: "/v1/brands/{id}/images/{image_id}", summary: "Register or replace a protected photo of the brand (the body is the image); ?label= names it", tag: "images",
		roles: adminOnly, body: imageBody, status: 200, resp: "Brand", errors: []int{400, 404, 413, 415, 422}},
	{method: "DELETE", path: "/v1/brands/{id}/images/{image_id}", summary: "Withdraw a protected photo", tag: "images",
		roles: adminOnly, status: 200, resp: "Brand", errors: []int{404}},
}

func imageSchemas() obj {
	return obj{
		"Upload": object(obj{
			"id":           str("hex SHA-256 of the image"),
			"ref":          str("what a listing's images list names: upload:ID"),
			"content_type": str(""),
			"size":         integer(),
			"width":        integer(),
			"height":       integer(),
		}, "id", "ref"),
	}
}
