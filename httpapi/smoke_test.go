package httpapi

import (
	"net/http"
	"testing"
)

const johnDoe = `{"person_type":"natural_person","natural_person":{"name":{"first":"John","middle":"","last":"Doe"},"is_employee":false}}`

func TestCreateReadPatch(t *testing.T) {
	e := newEnv(t, Options{}, kycOptions())
	op := "acme/maria/operator"
	r := e.do(req{method: "POST", path: "/profiles", token: op, body: johnDoe})
	if r.status != http.StatusCreated {
		t.Fatalf("create: %d %s", r.status, r.body)
	}
	var p struct {
		ID      string `json:"id"`
		Version int    `json:"version"`
		Name    string `json:"name"`
	}
	r.json(t, &p)
	if r.header.Get("ETag") != `"1"` {
		t.Fatalf("ETag %q", r.header.Get("ETag"))
	}
	r = e.do(req{method: "PATCH", path: "/profiles/" + p.ID, token: op, body: `{"natural_person":{"name":{"last":"Roe"}}}`, contentType: mediaMergePatch, header: map[string]string{"If-Match": `"1"`}})
	if r.status != http.StatusOK {
		t.Fatalf("patch: %d %s", r.status, r.body)
	}
	r.json(t, &p)
	if p.Name != "John Roe" || p.Version != 2 {
		t.Fatalf("after patch: %+v", p)
	}
	t.Log(e.log.String())
}
