package httpapi

import (
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/go-json-experiment/json"
	"github.com/google/go-cmp/cmp"

	"github.com/kycsdk/kyc"
	"github.com/kycsdk/kyc/history"
	"github.com/kycsdk/kyc/profile/interop"
	"github.com/kycsdk/kyc/storage"
	"github.com/kycsdk/kyc/storage/memory"
)

const supervisor = "acme/sam/supervisor"

func readTestdata(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// jsonValue decodes a JSON text into a comparable value.
func jsonValue(t *testing.T, s []byte) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(s, &v); err != nil {
		t.Fatalf("%v in %s", err, s)
	}
	return v
}

// withoutServerFields removes what the API adds to a client the seed's
// request did not carry: the id, the status and the full name it derives.
func withoutServerFields(t *testing.T, body []byte) (any, string) {
	t.Helper()
	v := jsonValue(t, body).(map[string]any)
	c := v["data"].(map[string]any)["client"].(map[string]any)
	id, _ := c["id"].(string)
	if id == "" || c["status"] != "creating" {
		t.Fatalf("client without id or status: %s", body)
	}
	delete(c, "id")
	delete(c, "status")
	delete(c, "fullName")
	return v, id
}

// TestSeed002Flow drives the client API of seed 002 end to end: the seed's
// POST, GET and PATCH payloads go in and come out as the seed shows them.
func TestSeed002Flow(t *testing.T) {
	e := newEnv(t, Options{}, kycOptions())
	post := readTestdata(t, "client_post.json")

	r := e.do(req{method: "POST", path: "/clients", token: supervisor, body: post})
	if r.status != http.StatusCreated {
		t.Fatalf("POST /clients: %d %s", r.status, r.body)
	}
	got, id := withoutServerFields(t, r.body)
	if diff := cmp.Diff(jsonValue(t, []byte(post)), got); diff != "" {
		t.Fatalf("POST /clients answer (-seed +got):\n%s", diff)
	}
	if r.header.Get("ETag") != `"1"` { // created with its risk, in one write
		t.Fatalf("ETag %q, want \"1\"", r.header.Get("ETag"))
	}
	stored, err := e.svc.Get(context.Background(), kyc.Operator{Tenant: "acme", User: "t", Scopes: roles["watcher"]}, id)
	if err != nil {
		t.Fatal(err)
	}
	if stored.Risk != "low" || stored.Name != "Canay Özel" {
		t.Fatalf("stored risk %q name %q", stored.Risk, stored.Name)
	}
	hist, err := e.svc.History(context.Background(), kyc.Operator{Tenant: "acme", User: "t", Scopes: roles["watcher"]}, id, storageHistoryAll())
	if err != nil {
		t.Fatal(err)
	}
	if n := len(hist.Entries); n != 1 || hist.Entries[0].Reason != "created; risk injected: low (source: client-api)" {
		t.Fatalf("history: %d entries %+v, want the creation with its injected risk", n, hist.Entries)
	}

	r = e.do(req{method: "PATCH", path: "/clients/" + id, token: supervisor, body: readTestdata(t, "client_patch.json"), header: map[string]string{"If-Match": `"1"`}})
	if r.status != http.StatusOK {
		t.Fatalf("PATCH /clients: %d %s", r.status, r.body)
	}
	got, _ = withoutServerFields(t, r.body)
	want := jsonValue(t, []byte(readTestdata(t, "client_patch.response.json")))
	delete(want.(map[string]any)["data"].(map[string]any)["client"].(map[string]any), "fullName")
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("PATCH /clients answer (-want +got):\n%s", diff)
	}

	// The seed's GET answer, for the corporate client it shows.
	get := readTestdata(t, "client_get.json")
	r = e.do(req{method: "POST", path: "/clients", token: supervisor, body: get})
	if r.status != http.StatusCreated {
		t.Fatalf("POST /clients (corporate): %d %s", r.status, r.body)
	}
	_, corp := withoutServerFields(t, r.body)
	r = e.do(req{method: "GET", path: "/clients/" + corp + "?includeProfile=true&includePrimaryAddress=true", token: "acme/wanda/watcher"})
	if r.status != http.StatusOK {
		t.Fatalf("GET /clients/{id}: %d %s", r.status, r.body)
	}
	got, _ = withoutServerFields(t, r.body)
	if diff := cmp.Diff(jsonValue(t, []byte(get)), got); diff != "" {
		t.Fatalf("GET /clients/{id} (-seed +got):\n%s", diff)
	}
}

// TestSeed002List imports the seed's two listed clients (with their status
// and risk, which only an import carries in) and reads the seed's page.
func TestSeed002List(t *testing.T) {
	e := newEnv(t, Options{}, kycOptions())
	list := readTestdata(t, "client_list.json")
	l, _, err := interop.ImportClientList([]byte(list), interop.Options{Strict: true})
	if err != nil {
		t.Fatal(err)
	}
	sup := kyc.Operator{Tenant: "acme", User: "sam", Scopes: roles["supervisor"]}
	for _, p := range l.Clients {
		p.State = "active"
		if _, err := e.svc.Import(context.Background(), sup, p, kyc.ImportOptions{Source: "seed 002"}); err != nil {
			t.Fatal(err)
		}
	}
	r := e.do(req{method: "GET", path: "/clients?includeProfile=true&sort=created_at&size=20", token: "acme/wanda/watcher"})
	if r.status != http.StatusOK {
		t.Fatalf("GET /clients: %d %s", r.status, r.body)
	}
	if diff := cmp.Diff(jsonValue(t, []byte(list)), jsonValue(t, r.body)); diff != "" {
		t.Fatalf("GET /clients (-seed +got):\n%s", diff)
	}
}

// TestClientProblems: a client refused for its risk or its fields is
// refused before anything is stored, and the problems point at the fields
// of the client's body.
func TestClientProblems(t *testing.T) {
	e := newEnv(t, Options{}, kycOptions())
	client := func(risk, email string) string {
		return `{"data":{"client":{"identity":{"type":"individual","givenName":"Ada","familyName":"Byron","birthDate":"1815-12-10","country":"GB"},` +
			risk + `"profile":{"identityType":"individual","email":"` + email + `","residentialAddress":{"country":"XX","region":"r","city":"c","street":"s"}}}}}`
	}
	cases := []struct {
		name, token, body string
		status            int
		kind              string
		pointers          []string
	}{
		{"risk by an operator, who may not inject it", "acme/maria/operator", client(`"risk":"high",`, "ada@example.com"), 403, KindPermission, nil},
		{"a risk level not configured", supervisor, client(`"risk":"extreme",`, "ada@example.com"), 422, KindValidation, []string{"/data/client/risk", "/data/client/profile/residentialAddress/country"}},
		{"profile rules", supervisor, client("", "not-an-email"), 422, KindValidation, []string{"/data/client/profile/email", "/data/client/profile/residentialAddress/country"}},
		{"a status, which only the workflow sets", supervisor, `{"data":{"client":{"status":"active","identity":{"type":"corporate","legalName":"I.F Technology Ltd"}}}}`, 422, KindReadOnly, []string{"/data/client/status"}},
		{"an impossible date", supervisor, `{"data":{"client":{"identity":{"type":"corporate","legalName":"X","incorporationDate":"2020-02-30"}}}}`, 400, KindBadRequest, []string{"/data/client/identity/incorporationDate"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := e.do(req{method: "POST", path: "/clients", token: c.token, body: c.body})
			if r.status != c.status {
				t.Fatalf("status %d, want %d: %s", r.status, c.status, r.body)
			}
			p := r.problem(t)
			if p.Kind != c.kind {
				t.Fatalf("kind %q, want %q", p.Kind, c.kind)
			}
			var got []string
			for _, fp := range p.Errors {
				got = append(got, fp.Pointer)
			}
			if diff := cmp.Diff(c.pointers, got); diff != "" {
				t.Fatalf("pointers (-want +got):\n%s", diff)
			}
			if n := e.count(t); n != 0 {
				t.Fatalf("%d profiles stored after a refusal", n)
			}
		})
	}
}

// failingUpdates is a store whose every update of a stored profile fails:
// a create that needed a second write would leave its profile behind
// without the rest.
type failingUpdates struct{ storage.Store }

func (failingUpdates) UpdateProfile(context.Context, string, storage.Record, history.Entry) error {
	return errors.New("disk full")
}

// TestClientCreateOneWrite: POST /clients with a risk is one write, so a
// store that can create but not update still stores the client with its
// risk; and a caller without the risk-injection permission creates
// nothing.
func TestClientCreateOneWrite(t *testing.T) {
	e := newEnvOn(t, failingUpdates{memory.New()}, Options{}, kycOptions(), nil)
	post := readTestdata(t, "client_post.json")
	r := e.do(req{method: "POST", path: "/clients", token: supervisor, body: post})
	if r.status != http.StatusCreated {
		t.Fatalf("POST /clients: %d %s", r.status, r.body)
	}
	_, id := withoutServerFields(t, r.body)
	w := kyc.Operator{Tenant: "acme", User: "t", Scopes: roles["watcher"]}
	stored, err := e.svc.Get(context.Background(), w, id)
	if err != nil {
		t.Fatal(err)
	}
	if stored.Risk != "low" || stored.Version != 1 {
		t.Fatalf("stored risk %q at version %d, want low at 1", stored.Risk, stored.Version)
	}
	r = e.do(req{method: "POST", path: "/clients", token: "acme/olga/operator", body: post})
	if r.status != http.StatusForbidden {
		t.Fatalf("POST /clients with a risk, without its permission: %d %s", r.status, r.body)
	}
	page, err := e.svc.List(context.Background(), w, storage.Query{})
	if err != nil {
		t.Fatal(err)
	}
	if page.TotalElements != 1 {
		t.Fatalf("%d profiles stored, want the first only", page.TotalElements)
	}
}
