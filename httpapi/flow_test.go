package httpapi

import (
	"context"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/kycsdk/kyc"
	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/riskmatrix"
)

type profileBody struct {
	ID      string   `json:"id"`
	Version int      `json:"version"`
	State   string   `json:"state"`
	Labels  []string `json:"labels"`
}

// TestProfileFlow drives the seed-003 resources of one profile: the moves
// and their reasons, a move, comments, the summary, history, versions and a
// revert, each answer checked for what it says.
func TestProfileFlow(t *testing.T) {
	e := newEnv(t, Options{}, kycOptions())
	op := "acme/maria/operator"
	var p profileBody
	r := e.do(req{method: "POST", path: "/profiles", token: op, body: johnDoe})
	r.json(t, &p)
	base := "/profiles/" + p.ID

	var moves transitionsBody
	e.do(req{method: "GET", path: base + "/transitions", token: op}).json(t, &moves)
	if moves.State != "creating" || !slices.Contains(moves.Open, "pending") {
		t.Fatalf("moves: %+v", moves)
	}
	r = e.do(req{method: "POST", path: base + "/transitions", token: op, body: `{"to":"active"}`, header: map[string]string{"If-Match": `"1"`}})
	if r.status != http.StatusConflict || r.problem(t).Kind != KindTransition || r.problem(t).Reason == "" {
		t.Fatalf("a move the workflow refuses: %d %s", r.status, r.body)
	}
	r = e.do(req{method: "POST", path: base + "/transitions", token: op, body: `{"to":"pending"}`, header: map[string]string{"If-Match": `"1"`}})
	r.json(t, &p)
	if r.status != http.StatusOK || p.State != "pending" || r.header.Get("ETag") != `"2"` {
		t.Fatalf("move: %d %s", r.status, r.body)
	}

	var c struct {
		ID       string `json:"id"`
		Author   string `json:"author"`
		Body     string `json:"body"`
		Editable bool   `json:"editable"`
	}
	r = e.do(req{method: "POST", path: base + "/comments", token: op, body: `{"body":"<p>ok<script>alert(1)</script></p>"}`})
	r.json(t, &c)
	if r.status != http.StatusCreated || c.Author != "maria" || !c.Editable || c.Body != "<p>ok</p>" {
		t.Fatalf("comment: %d %s", r.status, r.body)
	}
	if r := e.do(req{method: "PATCH", path: base + "/comments/" + c.ID, token: "acme/otto/operator", body: `{"body":"mine now"}`}); r.status != http.StatusForbidden {
		t.Fatalf("another operator edited the comment: %d", r.status)
	}
	r = e.do(req{method: "PATCH", path: base + "/comments/" + c.ID, token: op, body: `{"body":"<p>edited</p>"}`})
	if r.status != http.StatusOK {
		t.Fatalf("edit: %d %s", r.status, r.body)
	}
	var cs struct {
		Comments []struct {
			Body string `json:"body"`
		} `json:"comments"`
	}
	e.do(req{method: "GET", path: base + "/comments", token: "acme/wanda/watcher"}).json(t, &cs)
	if len(cs.Comments) != 1 || cs.Comments[0].Body != "<p>edited</p>" {
		t.Fatalf("comments: %+v", cs)
	}
	if r := e.do(req{method: "DELETE", path: base + "/comments/" + c.ID, token: op}); r.status != http.StatusNoContent {
		t.Fatalf("delete comment: %d", r.status)
	}

	r = e.do(req{method: "PATCH", path: base, token: op, body: `{"labels":["vip"]}`, contentType: mediaMergePatch, header: map[string]string{"If-Match": `"2"`}})
	r.json(t, &p)
	if p.Version != 3 || !slices.Equal(p.Labels, []string{"vip"}) {
		t.Fatalf("patch: %s", r.body)
	}
	var sum struct {
		State   string   `json:"state"`
		Version int      `json:"version"`
		Labels  []string `json:"labels"`
	}
	e.do(req{method: "GET", path: base + "/summary", token: op}).json(t, &sum)
	if sum.State != "pending" || sum.Version != 3 {
		t.Fatalf("summary: %+v", sum)
	}
	var hist struct {
		Entries []map[string]any `json:"entries"`
		Page    pageBody         `json:"page"`
	}
	e.do(req{method: "GET", path: base + "/history?order=desc&size=2", token: op}).json(t, &hist)
	if len(hist.Entries) != 2 || hist.Page.TotalElements != 3 || hist.Page.TotalPages != 2 {
		t.Fatalf("history: %+v", hist.Page)
	}
	var v1 profileBody
	e.do(req{method: "GET", path: base + "/versions/1", token: op}).json(t, &v1)
	if v1.Version != 1 || v1.State != "creating" {
		t.Fatalf("version 1: %+v", v1)
	}
	r = e.do(req{method: "POST", path: base + "/revert", token: op, body: `{"version":2}`, header: map[string]string{"If-Match": `"3"`}})
	p = profileBody{}
	r.json(t, &p)
	if r.status != http.StatusOK || p.Version != 4 || len(p.Labels) != 0 || p.State != "pending" {
		t.Fatalf("revert: %d %s", r.status, r.body)
	}
	if r := e.do(req{method: "GET", path: base, token: op, header: map[string]string{"If-None-Match": `"4"`}}); r.status != http.StatusNotModified {
		t.Fatalf("If-None-Match of the current version: %d", r.status)
	}
}

// TestListPagination walks a filtered list by page number and by cursor.
func TestListPagination(t *testing.T) {
	e := newEnv(t, Options{}, kycOptions())
	op := "acme/maria/operator"
	want := map[string]bool{}
	for range 5 {
		var p profileBody
		e.do(req{method: "POST", path: "/profiles", token: op, body: johnDoe}).json(t, &p)
		want[p.ID] = true
	}
	e.do(req{method: "POST", path: "/profiles", token: op, body: `{"person_type":"legal_person","name":"Acme Ltd"}`})
	type list struct {
		Profiles   []profileBody `json:"profiles"`
		Page       pageBody      `json:"page"`
		NextCursor string        `json:"nextCursor"`
	}
	var l list
	e.do(req{method: "GET", path: "/profiles?person_type=natural_person&size=2&page=2", token: op}).json(t, &l)
	if l.Page != (pageBody{Size: 2, TotalElements: 5, TotalPages: 3, Number: 2}) || len(l.Profiles) != 1 {
		t.Fatalf("page 2: %+v, %d profiles", l.Page, len(l.Profiles))
	}
	seen := map[string]bool{}
	q := url.Values{"person_type": {"natural_person"}, "text": {"doe"}, "size": {"2"}, "sort": {"created_at"}}
	for range 4 {
		var page list
		e.do(req{method: "GET", path: "/profiles?" + q.Encode(), token: op}).json(t, &page)
		for _, p := range page.Profiles {
			if seen[p.ID] {
				t.Fatalf("%s listed twice", p.ID)
			}
			seen[p.ID] = true
		}
		if page.NextCursor == "" {
			break
		}
		q.Set("cursor", page.NextCursor)
	}
	if len(seen) != len(want) {
		t.Fatalf("the cursor walk saw %d profiles, want %d", len(seen), len(want))
	}
}

// TestReverificationRefused: a verified customer's name change is refused
// with the re-verification kind and the pointers of the changes, and
// nothing is stored; a supervisor may flag it instead.
func TestReverificationRefused(t *testing.T) {
	e := newEnv(t, Options{}, kycOptions())
	p, err := profile.Decode([]byte(johnDoe))
	if err != nil {
		t.Fatal(err)
	}
	p.State = "active"
	sup := kyc.Operator{Tenant: "acme", User: "sam", Scopes: roles["supervisor"]}
	imported, err := e.svc.Import(context.Background(), sup, p, kyc.ImportOptions{Source: "test"})
	if err != nil {
		t.Fatal(err)
	}
	path := "/profiles/" + imported.ID
	patch := `{"natural_person":{"name":{"last":"Roe"}}}`
	r := e.do(req{method: "PATCH", path: path, token: "acme/maria/operator", body: patch, contentType: mediaMergePatch, header: map[string]string{"If-Match": `"1"`}})
	if r.status != http.StatusConflict {
		t.Fatalf("%d %s", r.status, r.body)
	}
	pr := r.problem(t)
	if pr.Kind != KindReverification || len(pr.Errors) == 0 || !strings.HasPrefix(pr.Errors[0].Pointer, "/natural_person/name") {
		t.Fatalf("problem %+v", pr)
	}
	if r := e.do(req{method: "PATCH", path: path + "?reverification=flag", token: "acme/maria/operator", body: patch, contentType: mediaMergePatch, header: map[string]string{"If-Match": `"1"`}}); r.status != http.StatusForbidden {
		t.Fatalf("an operator chose the re-verification mode: %d", r.status)
	}
	var got struct {
		Version int      `json:"version"`
		Pending []string `json:"pending_reverification"`
	}
	r = e.do(req{method: "PATCH", path: path + "?reverification=flag", token: supervisor, body: patch, contentType: mediaMergePatch, header: map[string]string{"If-Match": `"1"`}})
	r.json(t, &got)
	if r.status != http.StatusOK || got.Version != 2 || len(got.Pending) == 0 {
		t.Fatalf("flagged: %d %s", r.status, r.body)
	}
}

// TestRiskAssessment assesses risk through HTTP with the example matrix of
// package riskmatrix: the answer is the explained assessment, the profile's
// version moves, and a stale If-Match changes nothing.
func TestRiskAssessment(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "riskmatrix", "testdata", "example.json"))
	if err != nil {
		t.Fatal(err)
	}
	m, err := riskmatrix.Load(data)
	if err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, Options{}, kyc.Options{RiskMatrix: m})
	f := e.fixture(t, "acme")
	path := "/profiles/" + f.id + "/risk/assessment"
	r := e.do(req{method: "POST", path: path, token: "acme/maria/operator", header: map[string]string{"If-Match": `"1"`}})
	if r.status != http.StatusOK {
		t.Fatalf("%d %s", r.status, r.body)
	}
	var a struct {
		Level   string           `json:"level"`
		Factors []map[string]any `json:"factors"`
	}
	r.json(t, &a)
	if a.Level == "" || len(a.Factors) == 0 {
		t.Fatalf("assessment: %s", r.body)
	}
	if r := e.do(req{method: "POST", path: path, token: "acme/maria/operator", header: map[string]string{"If-Match": `"1"`}}); r.status != http.StatusPreconditionFailed {
		t.Fatalf("a stale If-Match: %d", r.status)
	}
	var p profileBody
	e.do(req{method: "GET", path: "/profiles/" + f.id, token: "acme/maria/operator"}).json(t, &p)
	if p.Version != 2 {
		t.Fatalf("version %d after one assessment", p.Version)
	}
}
