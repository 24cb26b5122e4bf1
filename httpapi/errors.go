package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/hallmark-dev/hallmark"
)

// Error codes. They are part of the API contract: clients switch on them,
// so they never change once published; messages may.
const (
	codeInvalidJSON          = "invalid_json"
	codeInvalidField         = "invalid_field"
	codeBodyTooLarge         = "body_too_large"
	codeUnsupportedMediaType = "unsupported_media_type"
	codeUnknownSeller        = "unknown_seller"
	codeNotFound             = "not_found"
	codeUnauthenticated      = "unauthenticated"
	codeForbidden            = "forbidden"
	codeConflict             = "conflict"
	codeMethodNotAllowed     = "method_not_allowed"
	codeInternal             = "internal"
	codeUnavailable          = "unavailable"
	codeReloadFailed         = "reload_failed"
)

type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code      string `json:"code"`
	Message   string `json:"message"`
	Field     string `json:"field,omitempty"`
	RequestID string `json:"request_id,omitempty"`
}

func writeJSON(w http.ResponseWriter, r *http.Request, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		// Only a programming error gets here (an unmarshalable type).
		status = http.StatusInternalServerError
		b = []byte(`{"error":{"code":"internal","message":"the response could not be encoded"}}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(append(b, '\n'))
	}
}

func writeError(w http.ResponseWriter, r *http.Request, status int, code, msg string) {
	writeFieldError(w, r, status, code, "", msg)
}

func writeFieldError(w http.ResponseWriter, r *http.Request, status int, code, field, msg string) {
	d := errorDetail{Code: code, Message: msg, Field: field}
	if info := infoFrom(r.Context()); info != nil {
		d.RequestID = info.id
	}
	writeJSON(w, r, status, errorBody{Error: d})
}

// fail maps an error from the store, the screener or validation to a
// response. Internal errors are logged with the request id and answered
// with a generic message: their text can name tables, files or hosts.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	var ve *hallmark.ValidationError
	switch {
	case errors.As(err, &ve):
		writeFieldError(w, r, http.StatusUnprocessableEntity, codeInvalidField, ve.Field, ve.Error())
	case errors.Is(err, hallmark.ErrNotFound):
		writeError(w, r, http.StatusNotFound, codeNotFound, "not found")
	case errors.Is(err, hallmark.ErrConflict):
		writeError(w, r, http.StatusConflict, codeConflict, "the request conflicts with the current state")
	case errors.Is(err, hallmark.ErrInvalid):
		// The store refused something validation let through. Its message
		// may quote SQL constraint names, so it goes to the log, not out;
		// the validation here should be tightened when this shows up.
		s.log.WarnContext(r.Context(), "store refused data that passed validation", "err", err,
			"request_id", requestIDOf(r), "path", r.URL.Path)
		writeError(w, r, http.StatusUnprocessableEntity, codeInvalidField, "the data was refused as invalid")
	default:
		s.log.ErrorContext(r.Context(), "internal error", "err", err, "request_id", requestIDOf(r),
			"method", r.Method, "path", r.URL.Path)
		writeError(w, r, http.StatusInternalServerError, codeInternal,
			"internal error; quote the request id when reporting it")
	}
}

func invalid(field, msg string) error { return &hallmark.ValidationError{Field: field, Message: msg} }

// decodeBody reads a JSON request body of at most limit bytes into v. It
// writes the error response itself and returns false when the body is
// unacceptable. Unknown fields are accepted and ignored so integrators can
// send their whole listing record; trailing data after the value is not,
// because it usually means a client bug (two documents concatenated).
func (s *Server) decodeBody(w http.ResponseWriter, r *http.Request, limit int64, v any) bool {
	ct := r.Header.Get("Content-Type")
	mt, params, err := mime.ParseMediaType(ct)
	if ct == "" || err != nil || mt != "application/json" {
		writeError(w, r, http.StatusUnsupportedMediaType, codeUnsupportedMediaType,
			"the request body must be JSON sent with Content-Type: application/json")
		return false
	}
	if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") {
		writeError(w, r, http.StatusUnsupportedMediaType, codeUnsupportedMediaType,
			"the request body must be UTF-8 (charset="+cs+" is not supported)")
		return false
	}
	tooLarge := func() bool {
		writeError(w, r, http.StatusRequestEntityTooLarge, codeBodyTooLarge,
			"the request body is larger than "+strconv.FormatInt(limit, 10)+" bytes")
		return false
	}
	// Refuse a declared oversize body before reading a byte of it.
	if r.ContentLength > limit {
		return tooLarge()
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return tooLarge()
		}
		writeError(w, r, http.StatusBadRequest, codeInvalidJSON, "the request body could not be read")
		return false
	}
	// encoding/json silently replaces invalid UTF-8 with U+FFFD, which would
	// hide a client's encoding bug and store text it never sent; refuse it.
	if !utf8.Valid(body) {
		field := invalidUTF8Field(body)
		if field == "" {
			writeError(w, r, http.StatusBadRequest, codeInvalidJSON, "the request body is not valid UTF-8")
		} else {
			writeFieldError(w, r, http.StatusUnprocessableEntity, codeInvalidField, field, field+": is not valid UTF-8")
		}
		return false
	}
	if err := json.Unmarshal(body, v); err != nil {
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &te) && te.Field != "":
			writeFieldError(w, r, http.StatusUnprocessableEntity, codeInvalidField, te.Field,
				fmt.Sprintf("%s: must be a JSON %s, not %s", te.Field, jsonKind(te.Type.Kind().String()), te.Value))
		case errors.As(err, &te):
			writeError(w, r, http.StatusBadRequest, codeInvalidJSON, "the request body must be a JSON object")
		case errors.As(err, &se):
			writeError(w, r, http.StatusBadRequest, codeInvalidJSON,
				fmt.Sprintf("the request body is not valid JSON (at byte %d: %s)", se.Offset, se.Error()))
		case len(bytes.TrimSpace(body)) == 0:
			writeError(w, r, http.StatusBadRequest, codeInvalidJSON, "the request body is empty")
		default:
			// Errors from UnmarshalText (an unknown action word, a bad time)
			// describe the value the client sent.
			writeError(w, r, http.StatusBadRequest, codeInvalidJSON, "the request body is not acceptable: "+err.Error())
		}
		return false
	}
	return true
}

func jsonKind(goKind string) string {
	switch goKind {
	case "string":
		return "string"
	case "float64", "float32", "int", "int64", "int32":
		return "number"
	case "bool":
		return "boolean"
	case "slice", "array":
		return "array"
	case "struct", "map", "ptr":
		return "object"
	}
	return "value of another type"
}

// invalidUTF8Field names the top-level member of a JSON object whose value
// holds invalid UTF-8, so the error can say "title" rather than a byte offset.
func invalidUTF8Field(body []byte) string {
	var m map[string]json.RawMessage
	if json.Unmarshal(body, &m) != nil {
		return ""
	}
	for k, v := range m {
		if !utf8.Valid(v) {
			return k
		}
	}
	return ""
}
