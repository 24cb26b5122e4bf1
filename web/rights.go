package web

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/hallmark-dev/hallmark"
	"github.com/hallmark-dev/hallmark/account"
	"github.com/hallmark-dev/hallmark/notice"
)

// ---- IP rights: rights holders submit and follow them, staff verify them ----

func (c *Console) rightsRoutes() {
	m := c.mux
	m.HandleFunc("GET "+Prefix+"/rights", c.auth(c.rightsPage))
	m.HandleFunc("POST "+Prefix+"/rights", c.auth(c.submitRight))
	m.HandleFunc("POST "+Prefix+"/rights/{id}/decision", c.auth(c.staff(c.decideRight)))
}

// rightForm is what the trademark form shows and posts back.
type rightForm struct {
	BrandID, Mark, Number, Office, Classes, Owner, Documents string
}

func (c *Console) rightsPage(w http.ResponseWriter, r *http.Request) {
	f := rightForm{}
	if p := from(r).p; len(p.BrandIDs) == 1 {
		f.BrandID = p.BrandIDs[0]
	}
	c.renderRights(w, r, http.StatusOK, map[string]any{"Form": f, "Submitted": r.URL.Query().Get("submitted"),
		"Decided": r.URL.Query().Get("decided")})
}

// renderRights shows a rights holder its brands' rights and the form to
// submit one, and staff the rights waiting for verification.
func (c *Console) renderRights(w http.ResponseWriter, r *http.Request, code int, data map[string]any) {
	p := from(r).p
	if !p.Staff() && p.Role != account.RightsHolder {
		c.notFound(w, r, nil)
		return
	}
	f := notice.Filter{Limit: listMax}
	if p.Staff() {
		f.Status = string(notice.RightPending)
	}
	rights, err := c.td.ListRights(r.Context(), p, f)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	slices.Reverse(rights) // newest first
	data["Rights"], data["Staff"], data["Brands"] = rights, p.Staff(), p.BrandIDs
	c.render(w, r, code, "rights", data)
}

// parseClasses reads Nice classes separated by commas or spaces.
func parseClasses(s string) ([]int, error) {
	var out []int
	for _, f := range splitIDs(s) {
		n, err := strconv.Atoi(f)
		if err != nil {
			return nil, &hallmark.ValidationError{Field: "classes", Message: "Nice classes are numbers from 1 to 45, separated by commas"}
		}
		out = append(out, n)
	}
	return out, nil
}

func (c *Console) submitRight(w http.ResponseWriter, r *http.Request) {
	p := from(r).p
	if p.Role != account.RightsHolder {
		c.notFound(w, r, nil)
		return
	}
	f := rightForm{BrandID: r.PostFormValue("brand_id"), Mark: strings.TrimSpace(r.PostFormValue("mark")),
		Number: strings.TrimSpace(r.PostFormValue("number")), Office: strings.TrimSpace(r.PostFormValue("office")),
		Classes: r.PostFormValue("classes"), Owner: strings.TrimSpace(r.PostFormValue("owner")), Documents: r.PostFormValue("documents")}
	if !p.ActsFor(f.BrandID) {
		// Another tenant's brand reads like one that does not exist.
		c.notFound(w, r, nil)
		return
	}
	var docs []string
	for _, d := range strings.Split(f.Documents, "\n") {
		if d = strings.TrimSpace(d); d != "" {
			docs = append(docs, d)
		}
	}
	classes, err := parseClasses(f.Classes)
	if err == nil {
		_, err = c.td.SubmitRight(r.Context(), p, notice.RightInput{BrandID: f.BrandID, Mark: f.Mark, Number: f.Number,
			Office: f.Office, Classes: classes, Owner: f.Owner, Documents: docs})
	}
	if err != nil {
		msg := userError(err)
		if msg == "" {
			c.fail(w, r, err)
			return
		}
		c.renderRights(w, r, http.StatusUnprocessableEntity, map[string]any{"Form": f, "Error": msg})
		return
	}
	http.Redirect(w, r, Prefix+"/rights?submitted=1", http.StatusSeeOther)
}

func (c *Console) decideRight(w http.ResponseWriter, r *http.Request) {
	id, ok := recordID(r)
	if !ok {
		c.notFound(w, r, nil)
		return
	}
	approve := r.PostFormValue("decision") == "verify"
	rt, err := c.td.DecideRight(r.Context(), from(r).p, id, approve, strings.TrimSpace(r.PostFormValue("reason")))
	if err != nil {
		if errors.Is(err, hallmark.ErrNotFound) {
			c.notFound(w, r, err)
			return
		}
		msg := userError(err)
		if msg == "" {
			c.fail(w, r, err)
			return
		}
		code := http.StatusUnprocessableEntity
		if errors.Is(err, hallmark.ErrConflict) {
			code = http.StatusConflict
		}
		c.renderRights(w, r, code, map[string]any{"Error": "Right #" + strconv.FormatInt(id, 10) + ": " + msg})
		return
	}
	http.Redirect(w, r, Prefix+"/rights?decided="+strconv.FormatInt(id, 10)+"+"+string(rt.Status), http.StatusSeeOther)
}
