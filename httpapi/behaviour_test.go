package httpapi

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/go-json-experiment/json"

	"github.com/kycsdk/kyc"
	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/storage/memory"
)

// TestCanary places a canary in a profile's name and tax id, then drives
// requests that succeed and fail around it: the canary never appears in an
// access-log line or a problem body.
func TestCanary(t *testing.T) {
	const canary = "Qzxcanary"
	e := newEnv(t, Options{}, kycOptions())
	sup := "acme/sam/supervisor"
	body := `{"person_type":"natural_person","tax_payer_id":"` + canary + `-TAX","natural_person":{"name":{"first":"` + canary + `","last":"Doe"}}}`
	r := e.do(req{method: "POST", path: "/profiles", token: sup, body: body})
	if r.status != http.StatusCreated {
		t.Fatalf("create: %d %s", r.status, r.body)
	}
	var p struct {
		ID string `json:"id"`
	}
	r.json(t, &p)
	failing := []req{
		{method: "POST", path: "/profiles", body: `{"person_type":"natural_person","tax_payer_id":"` + canary + `","contacts":[{"contact_type":"email","value":"` + canary + `","main":true}]}`},
		{method: "POST", path: "/profiles", body: `{"person_type":"natural_person","` + canary + `":1}`},
		{method: "POST", path: "/profiles", body: `{"person_type":"` + canary + `"}`},
		{method: "PATCH", path: "/profiles/" + p.ID, contentType: mediaMergePatch, body: `{"addresses":[{"country":"` + canary + `"}]}`, header: map[string]string{"If-Match": `"1"`}},
		{method: "PATCH", path: "/profiles/" + p.ID, contentType: mediaMergePatch, body: `{"natural_person":{"name":{"first":` + canary + `}}}`, header: map[string]string{"If-Match": `"1"`}},
		{method: "GET", path: "/profiles?text=" + canary + "&sort=" + canary},
		{method: "GET", path: "/profiles/" + canary},
		{method: "POST", path: "/profiles/" + p.ID + "/risk/injection", body: `{"level":"` + canary + `","source":"x"}`, header: map[string]string{"If-Match": `"1"`}},
		{method: "POST", path: "/clients", body: `{"data":{"client":{"identity":{"type":"individual","givenName":"` + canary + `","birthDate":"` + canary + `"}}}}`},
	}
	for _, f := range failing {
		f.token = sup
		if r := e.do(f); r.status < 400 {
			t.Fatalf("%s %s succeeded: %s", f.method, f.path, r.body)
		}
	}
	// The successful reads of the profile carry the canary, as they must;
	// the log of them must not.
	e.do(req{method: "GET", path: "/profiles/" + p.ID, token: sup})
	e.do(req{method: "GET", path: "/profiles?text=" + canary, token: sup})
	if strings.Contains(strings.ToLower(e.log.String()), strings.ToLower(canary)) {
		t.Fatalf("the canary is in the access log:\n%s", e.log.String())
	}
	if len(e.problems) < len(failing) {
		t.Fatalf("%d problem bodies for %d failing requests", len(e.problems), len(failing))
	}
	for _, b := range e.problems {
		if strings.Contains(strings.ToLower(b), strings.ToLower(canary)) {
			t.Fatalf("the canary is in a problem body: %s", b)
		}
	}
	if !strings.Contains(e.log.String(), `"route":"GET /profiles/{id}"`) {
		t.Fatalf("the access log does not name the route pattern:\n%s", e.log.String())
	}
}

// TestIdempotencyKey: a retried create with the same key answers the first
// answer and stores one profile; the same key for another body is refused.
func TestIdempotencyKey(t *testing.T) {
	e := newEnv(t, Options{}, kycOptions())
	sup := "acme/sam/supervisor"
	key := map[string]string{"Idempotency-Key": "create-7f3a"}
	first := e.do(req{method: "POST", path: "/profiles", token: sup, body: johnDoe, header: key})
	if first.status != http.StatusCreated {
		t.Fatalf("first: %d %s", first.status, first.body)
	}
	again := e.do(req{method: "POST", path: "/profiles", token: sup, body: johnDoe, header: key})
	if again.status != http.StatusCreated || !bytes.Equal(again.body, first.body) || again.header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("retry: %d replayed=%q, want the first answer", again.status, again.header.Get("Idempotent-Replayed"))
	}
	if n := e.count(t); n != 1 {
		t.Fatalf("%d profiles stored, want 1", n)
	}
	other := e.do(req{method: "POST", path: "/profiles", token: sup, body: strings.Replace(johnDoe, "John", "Jane", 1), header: key})
	if other.status != http.StatusUnprocessableEntity || other.problem(t).Kind != KindIdempotency {
		t.Fatalf("another body under the key: %d %s", other.status, other.body)
	}
	// Keys are per tenant: another tenant's same key creates its own.
	theirs := e.do(req{method: "POST", path: "/profiles", token: "globex/gil/supervisor", body: johnDoe, header: key})
	if theirs.status != http.StatusCreated || bytes.Equal(theirs.body, first.body) {
		t.Fatalf("another tenant's key: %d", theirs.status)
	}
	// A failed request is not remembered: the retry runs again.
	bad := map[string]string{"Idempotency-Key": "bad-1"}
	if r := e.do(req{method: "POST", path: "/profiles", token: sup, body: `{"state":"x"}`, header: bad}); r.status != http.StatusUnprocessableEntity {
		t.Fatalf("invalid create: %d", r.status)
	}
	if r := e.do(req{method: "POST", path: "/profiles", token: sup, body: `{"state":"x"}`, header: bad}); r.status != http.StatusUnprocessableEntity || r.header.Get("Idempotent-Replayed") != "" {
		t.Fatalf("a failure was replayed: %d", r.status)
	}
}

// TestIdempotencyBounds: each tenant keeps at most its bound of answers,
// the oldest forgotten first, and at most the bound of tenants.
func TestIdempotencyBounds(t *testing.T) {
	now := time.Unix(0, 0)
	m := newIdempotency(2, 3, time.Hour, func() time.Time { return now })
	var fp [32]byte
	remember := func(tenant, key string) {
		a, found := m.begin(tenant, key, fp)
		if found {
			t.Fatalf("%s/%s: found before it was stored", tenant, key)
		}
		a.status = 201
		m.finish(tenant, a, true)
	}
	known := func(tenant, key string) bool {
		a, found := m.begin(tenant, key, fp)
		if !found {
			m.finish(tenant, a, false)
		}
		return found
	}
	for _, k := range []string{"k1", "k2", "k3", "k4"} {
		remember("acme", k)
	}
	if !known("acme", "k2") || !known("acme", "k4") || known("acme", "k1") {
		t.Fatal("the oldest key was not the one forgotten")
	}
	remember("globex", "g1")
	remember("initech", "i1") // a third tenant: the least recently used goes
	if known("acme", "k2") {
		t.Fatal("three tenants kept under a bound of two")
	}
	remember("initech", "i2")
	now = now.Add(2 * time.Hour)
	if known("initech", "i2") {
		t.Fatal("an answer was replayed after its time to live")
	}
}

// TestMountedUnderPrefix: the handler serves under a prefix with
// http.StripPrefix, and its Location headers are relative.
func TestMountedUnderPrefix(t *testing.T) {
	svc, err := kyc.New(memory.New(), kycOptions())
	if err != nil {
		t.Fatal(err)
	}
	h, err := New(svc, testAuth, Options{})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/kyc/v1/", http.StripPrefix("/kyc/v1", h))
	srv := httptest.NewServer(mux)
	defer srv.Close()
	hr, _ := http.NewRequest("POST", srv.URL+"/kyc/v1/profiles", strings.NewReader(johnDoe))
	hr.Header.Set("Authorization", "Bearer acme/sam/supervisor")
	hr.Header.Set("Content-Type", mediaJSON)
	resp, err := srv.Client().Do(hr)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusCreated || !strings.HasPrefix(loc, "profiles/") {
		t.Fatalf("%d, Location %q", resp.StatusCode, loc)
	}
	hr, _ = http.NewRequest("GET", srv.URL+"/kyc/v1/"+loc, nil)
	hr.Header.Set("Authorization", "Bearer acme/sam/supervisor")
	resp, err = srv.Client().Do(hr)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET through the prefix: %d", resp.StatusCode)
	}
}

// TestValidatorCatchesDrift makes sure the OpenAPI check of the other tests
// can fail: an answer that breaks the document is reported.
func TestValidatorCatchesDrift(t *testing.T) {
	router := openAPIRouter(t)
	hr, _ := http.NewRequest("GET", "/profiles", nil)
	route, params, err := router.FindRoute(hr)
	if err != nil {
		t.Fatal(err)
	}
	h := http.Header{"Content-Type": {mediaJSON}}
	if err := validateAgainst(route, params, hr, response{status: 200, header: h, body: []byte(`{"profiles":"not a list"}`)}); err == nil {
		t.Fatal("a body that breaks the document passed validation")
	}
	ok := `{"profiles":[],"page":{"size":20,"totalElements":0,"totalPages":0,"number":0}}`
	if err := validateAgainst(route, params, hr, response{status: 200, header: h, body: []byte(ok)}); err != nil {
		t.Fatalf("a valid body failed validation: %v", err)
	}
	prob := http.Header{"Content-Type": {mediaProblem}}
	if err := validateAgainst(route, params, hr, response{status: 400, header: prob, body: []byte(`{"title":"x"}`)}); err == nil {
		t.Fatal("a problem without its required members passed validation")
	}
}

// TestDocumentServed: the handler serves its OpenAPI 3.1 document, and the
// document describes every route of the handler.
func TestDocumentServed(t *testing.T) {
	e := newEnv(t, Options{}, kycOptions())
	r := e.do(req{method: "GET", path: "/openapi.json"})
	if r.status != http.StatusOK || !bytes.Equal(r.body, Document()) {
		t.Fatalf("GET /openapi.json: %d", r.status)
	}
	if !bytes.Contains(r.body, []byte(`"openapi": "3.1.0"`)) {
		t.Fatal("the document is not OpenAPI 3.1")
	}
	for _, rt := range routes() {
		hr, _ := http.NewRequest(rt.method, strings.NewReplacer("{id}", "x", "{comment}", "y", "{version}", "1").Replace(rt.path), nil)
		if _, _, err := e.router.FindRoute(hr); err != nil {
			t.Errorf("%s %s is not in the document: %v", rt.method, rt.path, err)
		}
	}
}

// TestPanicAnswered: a panic below the handler (here, the authenticator)
// is a 500 problem, and the log names its type, not its value.
func TestPanicAnswered(t *testing.T) {
	svc, err := kyc.New(memory.New(), kycOptions())
	if err != nil {
		t.Fatal(err)
	}
	logs := &logBuffer{}
	h, err := New(svc, func(*http.Request) (kyc.Operator, error) { panic("Qzxcanary secret") }, Options{AccessLog: slog.New(slog.NewJSONHandler(logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	resp, err := srv.Client().Get(srv.URL + "/profiles")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusInternalServerError || resp.Header.Get("Content-Type") != mediaProblem {
		t.Fatalf("%d %s", resp.StatusCode, body)
	}
	if strings.Contains(logs.String(), "Qzxcanary") || strings.Contains(string(body), "Qzxcanary") || !strings.Contains(logs.String(), `"panic_type":"string"`) {
		t.Fatalf("log %s body %s", logs, body)
	}
}

// TestDocumentProfileKeys: the document's Profile schema names every key of
// the profile's JSON and no other, so that a field added to the profile
// cannot be missing from the document.
func TestDocumentProfileKeys(t *testing.T) {
	var doc struct {
		Components struct {
			Schemas map[string]struct {
				Properties map[string]any `json:"properties"`
			} `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(Document(), &doc); err != nil {
		t.Fatal(err)
	}
	documented := doc.Components.Schemas["Profile"].Properties
	rt := reflect.TypeFor[profile.Profile]()
	keys := map[string]bool{}
	for i := range rt.NumField() {
		name, _, _ := strings.Cut(rt.Field(i).Tag.Get("json"), ",")
		if name == "" || name == "-" {
			continue
		}
		keys[name] = true
		if _, ok := documented[name]; !ok {
			t.Errorf("the profile's %q is not in the document", name)
		}
	}
	for name := range documented {
		if !keys[name] {
			t.Errorf("the document's %q is not a key of the profile", name)
		}
	}
}
