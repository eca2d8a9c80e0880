package httpapi

import (
	"context"
	"net/http"
	"sort"
	"strings"
	"testing"

	"github.com/kycsdk/kyc"
	"github.com/kycsdk/kyc/profile"
)

// sampleBodies are valid bodies for the routes that take one, so that a
// permitted request goes as far as the Service.
var sampleBodies = map[string]string{
	"POST /profiles":                                            johnDoe,
	"PATCH /profiles/{id}":                                      `{"labels":["vip"]}`,
	"POST /profiles/{id}/transitions":                           `{"to":"pending"}`,
	"POST /profiles/{id}/comments":                              `{"body":"<p>called the customer</p>"}`,
	"PATCH /profiles/{id}/comments/{comment}":                   `{"body":"<p>called twice</p>"}`,
	"POST /profiles/{id}/revert":                                `{"version":1}`,
	"POST /profiles/{id}/risk/injection":                        `{"level":"high","source":"bureau"}`,
	"POST /profiles/{id}/verification/checks":                   `{"type":"name_dob","outcome":"pass","matched":["name"]}`,
	"POST /profiles/{id}/verification/entity-profile":           `{"name":"auto"}`,
	"POST /profiles/{id}/verification/reverification-clearance": `{}`,
	"POST /profiles/{id}/screenings":                            `{"lists":{"pep":{"hit":false,"confirmed":false}}}`,
	"POST /profiles/{id}/screenings/hit-clearance":              `{"list":"pep","reason":"delisted"}`,
	"POST /profiles/{id}/cases":                                 `{"reason":"alert 7"}`,
	"POST /profiles/{id}/cases/close":                           `{"reason":"alert 7 closed"}`,
	"POST /profiles/{id}/reviews":                               `{"outcome":"no change"}`,
	"POST /clients":                                             `{"data":{"client":{"identity":{"type":"individual","givenName":"Ada","familyName":"Byron"}}}}`,
	"PATCH /clients/{id}":                                       `{"data":{"client":{"clientNumber":"42"}}}`,
}

// fixture is one fresh profile with a comment, made by the supervisor sam.
type fixture struct {
	id, comment string
	version     int
}

func (e *env) fixture(t *testing.T, tenant string) fixture {
	t.Helper()
	ctx := context.Background()
	sam := kyc.Operator{Tenant: tenant, User: "sam", Scopes: roles["supervisor"]}
	p, err := profile.Decode([]byte(johnDoe))
	if err != nil {
		t.Fatal(err)
	}
	created, err := e.svc.Create(ctx, sam, p)
	if err != nil {
		t.Fatal(err)
	}
	c, err := e.svc.AddComment(ctx, sam, created.ID, "<p>first</p>")
	if err != nil {
		t.Fatal(err)
	}
	return fixture{id: created.ID, comment: c.ID, version: created.Version}
}

// requestFor builds a request of rt on f, as the user sam with role.
func requestFor(rt route, f fixture, role string) req {
	path := strings.NewReplacer("{id}", f.id, "{comment}", f.comment, "{version}", "1").Replace(rt.path)
	r := req{method: rt.method, path: path, token: "acme/sam/" + role, body: sampleBodies[rt.method+" "+rt.path]}
	if rt.method == http.MethodPatch && strings.HasPrefix(rt.path, "/profiles/{id}") && !strings.Contains(rt.path, "comments") {
		r.contentType = mediaMergePatch
	}
	if rt.ifMatch {
		r.header = map[string]string{"If-Match": etag(f.version)}
	}
	return r
}

// allowed derives from the Service's own table (kyc.Operations) and the
// default policy whether role may do every operation of rt.
func allowed(rt route, role string) bool {
	pol, table := kyc.DefaultPolicy(), kyc.Operations()
	for _, o := range rt.ops {
		if !pol.Allows(roles[role], table[o]) {
			return false
		}
	}
	return true
}

// TestPermissionMatrix sends every route as every default role: a role the
// policy does not grant every operation of the route gets 403 with the
// permission kind and changes nothing; a granted one is never refused.
func TestPermissionMatrix(t *testing.T) {
	e := newEnv(t, Options{}, kycOptions())
	watcher := kyc.Operator{Tenant: "acme", User: "wanda", Scopes: roles["watcher"]}
	roleNames := make([]string, 0, len(roles))
	for r := range roles {
		roleNames = append(roleNames, r)
	}
	sort.Strings(roleNames)
	for _, rt := range routes() {
		for _, role := range roleNames {
			t.Run(rt.method+" "+rt.path+" as "+role, func(t *testing.T) {
				f := e.fixture(t, "acme")
				before, err := e.svc.List(context.Background(), watcher, storageAll())
				if err != nil {
					t.Fatal(err)
				}
				r := e.do(requestFor(rt, f, role))
				if !allowed(rt, role) {
					if r.status != http.StatusForbidden || r.problem(t).Kind != KindPermission {
						t.Fatalf("status %d, want 403 permission: %s", r.status, r.body)
					}
					e.unchanged(t, f, before.TotalElements)
					return
				}
				if r.status == http.StatusForbidden || r.status == http.StatusUnauthorized || r.status >= 500 && r.status != http.StatusNotImplemented {
					t.Fatalf("permitted request answered %d: %s", r.status, r.body)
				}
			})
		}
	}
}

// unchanged checks that the fixture's profile, its comments and the
// tenant's profile count are as they were.
func (e *env) unchanged(t *testing.T, f fixture, total int) {
	t.Helper()
	ctx := context.Background()
	w := kyc.Operator{Tenant: "acme", User: "wanda", Scopes: roles["watcher"]}
	p, err := e.svc.Get(ctx, w, f.id)
	if err != nil {
		t.Fatal(err)
	}
	cs, err := e.svc.Comments(ctx, w, f.id)
	if err != nil {
		t.Fatal(err)
	}
	page, err := e.svc.List(ctx, w, storageAll())
	if err != nil {
		t.Fatal(err)
	}
	if p.Version != f.version || len(cs) != 1 || cs[0].ModifiedAt != 0 || page.TotalElements != total {
		t.Fatalf("a refusal changed something: version %d (was %d), %d comments, %d profiles (were %d)",
			p.Version, f.version, len(cs), page.TotalElements, total)
	}
}

// TestUnauthenticated: every route refuses a request without credentials
// with 401, before reading anything.
func TestUnauthenticated(t *testing.T) {
	e := newEnv(t, Options{}, kycOptions())
	f := e.fixture(t, "acme")
	for _, rt := range routes() {
		r := requestFor(rt, f, "supervisor")
		r.token = ""
		got := e.do(r)
		if got.status != http.StatusUnauthorized || got.problem(t).Kind != KindAuthentication {
			t.Errorf("%s %s: %d, want 401", rt.method, rt.path, got.status)
		}
	}
}

// TestIfMatchRequired: every versioned write without If-Match is 428, with
// a stale one 412, and neither changes the profile. The Service has every
// configuration an operation needs: without it the answer is 501 whatever
// the version (RFC 9110, 13.2.1: a precondition is evaluated only for a
// request that would otherwise succeed).
func TestIfMatchRequired(t *testing.T) {
	e := newEnv(t, Options{}, fullOptions(t))
	for _, rt := range routes() {
		if !rt.ifMatch {
			continue
		}
		f := e.fixture(t, "acme")
		total := e.count(t)
		r := requestFor(rt, f, "supervisor")
		r.header = nil
		if got := e.do(r); got.status != http.StatusPreconditionRequired || got.problem(t).Kind != KindPreconditionReq {
			t.Errorf("%s %s without If-Match: %d, want 428", rt.method, rt.path, got.status)
		}
		r.header = map[string]string{"If-Match": etag(f.version + 1)}
		if got := e.do(r); got.status != http.StatusPreconditionFailed || got.header.Get("ETag") != etag(f.version) {
			t.Errorf("%s %s with a stale If-Match: %d (ETag %s), want 412 with the current ETag", rt.method, rt.path, got.status, got.header.Get("ETag"))
		}
		e.unchanged(t, f, total)
	}
}

func (e *env) count(t *testing.T) int {
	t.Helper()
	page, err := e.svc.List(context.Background(), kyc.Operator{Tenant: "acme", User: "wanda", Scopes: roles["watcher"]}, storageAll())
	if err != nil {
		t.Fatal(err)
	}
	return page.TotalElements
}
