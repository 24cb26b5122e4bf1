package web

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/hallmark-dev/hallmark"
	"github.com/hallmark-dev/hallmark/account"
	"github.com/hallmark-dev/hallmark/httpapi"
	"github.com/hallmark-dev/hallmark/rules"
)

// ---- admin pages: brands, API keys, users, the rules in force ----

// admin restricts a page to admins; anyone else is told there is no such
// page, as for any other page they may not see.
func (c *Console) admin(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if from(r).p.Role != account.Admin {
			c.notFound(w, r, nil)
			return
		}
		h(w, r)
	}
}

func (c *Console) adminRoutes() {
	m := c.mux
	m.HandleFunc("GET "+Prefix+"/admin/brands", c.auth(c.admin(c.brandsPage)))
	m.HandleFunc("GET "+Prefix+"/admin/brands/{id}", c.auth(c.admin(c.brandPage)))
	m.HandleFunc("GET "+Prefix+"/admin/keys", c.auth(c.admin(c.keysPage)))
	m.HandleFunc("POST "+Prefix+"/admin/keys", c.auth(c.admin(c.createKey)))
	m.HandleFunc("POST "+Prefix+"/admin/keys/{id}/revoke", c.auth(c.admin(c.revokeKey)))
	m.HandleFunc("GET "+Prefix+"/admin/users", c.auth(c.admin(c.usersPage)))
	m.HandleFunc("POST "+Prefix+"/admin/users", c.auth(c.admin(c.createUser)))
	m.HandleFunc("GET "+Prefix+"/admin/rules", c.auth(c.admin(c.rulesPage)))
}

func (c *Console) brandsPage(w http.ResponseWriter, r *http.Request) {
	bs, err := c.st.ListBrands(r.Context())
	if err != nil {
		c.fail(w, r, err)
		return
	}
	c.render(w, r, http.StatusOK, "admin_brands", map[string]any{"Brands": bs})
}

func (c *Console) brandPage(w http.ResponseWriter, r *http.Request) {
	b, err := c.st.GetBrand(r.Context(), r.PathValue("id"))
	if errors.Is(err, hallmark.ErrNotFound) {
		c.notFound(w, r, err)
		return
	}
	if err != nil {
		c.fail(w, r, err)
		return
	}
	c.render(w, r, http.StatusOK, "admin_brand", map[string]any{"Brand": b})
}

// keyRoles are the roles an API key may have.
var keyRoles = []hallmark.Role{hallmark.RoleIntegration, hallmark.RoleReviewer, hallmark.RoleAdmin}

func (c *Console) keysPage(w http.ResponseWriter, r *http.Request) {
	c.renderKeys(w, r, http.StatusOK, nil)
}

func (c *Console) renderKeys(w http.ResponseWriter, r *http.Request, code int, extra map[string]any) {
	ks, err := c.st.ListAPIKeys(r.Context())
	if err != nil {
		c.fail(w, r, err)
		return
	}
	data := map[string]any{"Keys": ks, "Roles": keyRoles}
	for k, v := range extra {
		data[k] = v
	}
	c.render(w, r, code, "admin_keys", data)
}

// createKey makes a key and shows its secret on this response only: the
// store keeps a hash, so the page cannot show it again.
func (c *Console) createKey(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	name := strings.TrimSpace(r.PostFormValue("name"))
	role := hallmark.Role(r.PostFormValue("role"))
	secret, err := httpapi.CreateAPIKey(ctx, c.st, name, role)
	if msg := userError(err); msg != "" {
		c.renderKeys(w, r, http.StatusUnprocessableEntity, map[string]any{"Error": msg, "Name": name})
		return
	}
	if err != nil {
		c.fail(w, r, err)
		return
	}
	// The key's id, for the audit entry: the one whose prefix the secret starts with.
	var id int64
	ks, err := c.st.ListAPIKeys(ctx)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	for _, k := range ks {
		if k.Prefix != "" && strings.HasPrefix(secret, k.Prefix) && k.Name == name {
			id = k.ID
		}
	}
	if err := c.audit(r, "api_key_create", "api_key", strconv.FormatInt(id, 10), map[string]string{"name": name, "role": string(role)}); err != nil {
		c.fail(w, r, err)
		return
	}
	c.renderKeys(w, r, http.StatusOK, map[string]any{"Secret": secret, "SecretName": name})
}

func (c *Console) revokeKey(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		c.notFound(w, r, err)
		return
	}
	err = c.st.RevokeAPIKey(r.Context(), id, c.now())
	if errors.Is(err, hallmark.ErrNotFound) {
		c.notFound(w, r, err)
		return
	}
	if err == nil {
		err = c.audit(r, "api_key_revoke", "api_key", strconv.FormatInt(id, 10), nil)
	}
	if err != nil {
		c.fail(w, r, err)
		return
	}
	http.Redirect(w, r, Prefix+"/admin/keys", http.StatusSeeOther)
}

// audit appends an entry by the logged-in user.
func (c *Console) audit(r *http.Request, action, typ, id string, detail any) error {
	e := &hallmark.AuditEntry{At: c.now(), Actor: from(r).p.Actor, Action: action, ObjectType: typ, ObjectID: id}
	if detail != nil {
		b, err := json.Marshal(detail)
		if err != nil {
			return err
		}
		e.Detail = string(b)
	}
	return c.st.AppendAudit(r.Context(), e)
}

var userRoles = []account.Role{account.Reviewer, account.RightsHolder, account.Seller, account.Admin}

func (c *Console) usersPage(w http.ResponseWriter, r *http.Request) {
	c.renderUsers(w, r, http.StatusOK, nil)
}

func (c *Console) renderUsers(w http.ResponseWriter, r *http.Request, code int, extra map[string]any) {
	us, err := c.st.ListUsers(r.Context())
	if err != nil {
		c.fail(w, r, err)
		return
	}
	data := map[string]any{"Users": us, "Roles": userRoles}
	for k, v := range extra {
		data[k] = v
	}
	c.render(w, r, code, "admin_users", data)
}

// createUser goes through the notice workflow, which validates the user,
// hashes the password and audits.
func (c *Console) createUser(w http.ResponseWriter, r *http.Request) {
	u := &account.User{
		Email:    strings.TrimSpace(r.PostFormValue("email")),
		Name:     strings.TrimSpace(r.PostFormValue("name")),
		Role:     account.Role(r.PostFormValue("role")),
		SellerID: strings.TrimSpace(r.PostFormValue("seller_id")),
	}
	u.BrandIDs = strings.FieldsFunc(r.PostFormValue("brand_ids"), func(r rune) bool { return r == ',' || r == ' ' })
	err := c.td.CreateUser(r.Context(), from(r).p, u, r.PostFormValue("password"))
	if err != nil {
		msg := userError(err)
		if msg == "" && errors.Is(err, hallmark.ErrConflict) {
			msg = "A user with this email already exists."
		}
		if msg == "" {
			c.fail(w, r, err)
			return
		}
		c.renderUsers(w, r, http.StatusUnprocessableEntity, map[string]any{"Error": msg, "Form": u})
		return
	}
	c.renderUsers(w, r, http.StatusOK, map[string]any{"Created": u.Email})
}

// rulesPage shows the policy source in force, read-only.
func (c *Console) rulesPage(w http.ResponseWriter, r *http.Request) {
	name, src := c.policyName, c.policySource
	if src == nil {
		name, src = "built-in default", rules.DefaultSource()
	}
	c.render(w, r, http.StatusOK, "admin_rules", map[string]any{"PolicyName": name, "Source": string(src)})
}
