package httpapi

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/kycsdk/kyc"
	"github.com/kycsdk/kyc/entityprofile"
	"github.com/kycsdk/kyc/riskmatrix"
)

// TestVerificationShapes: the verification plan and evaluation come out
// with snake_case keys and their enums as names, as the OpenAPI document
// types them (every answer is validated against it), from the seed's
// example entity profile.
func TestVerificationShapes(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "entityprofile", "testdata", "profiles.json"))
	if err != nil {
		t.Fatal(err)
	}
	reg, err := entityprofile.LoadBytes(data)
	if err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, Options{}, kyc.Options{EntityProfiles: reg})
	f := e.fixture(t, "acme")
	base := "/profiles/" + f.id + "/verification"
	r := e.do(req{method: "POST", path: base + "/entity-profile", token: supervisor, body: `{"name":"standard"}`, header: map[string]string{"If-Match": `"1"`}})
	if r.status != http.StatusOK {
		t.Fatalf("assign: %d %s", r.status, r.body)
	}
	r = e.do(req{method: "GET", path: base + "/plan", token: "acme/wanda/watcher"})
	if r.status != http.StatusOK {
		t.Fatalf("plan: %d %s", r.status, r.body)
	}
	var plan struct {
		Profile string `json:"profile"`
		Blocked []struct {
			Type    string `json:"type"`
			Consent string `json:"consent"`
		} `json:"blocked"`
	}
	r.json(t, &plan)
	// The fixture gave no consent: the recipe's three checks are blocked.
	if plan.Profile != "standard" || len(plan.Blocked) != 3 || plan.Blocked[0].Consent != "general" || !strings.Contains(string(r.body), `"run":[]`) {
		t.Fatalf("plan: %s", r.body)
	}
	r = e.do(req{method: "GET", path: base + "/evaluation", token: "acme/wanda/watcher"})
	if r.status != http.StatusOK || !strings.Contains(string(r.body), `"status":"incomplete"`) || !strings.Contains(string(r.body), `"not_run":[`) {
		t.Fatalf("evaluation: %d %s", r.status, r.body)
	}
}

// TestTransactionalShape: the transactional profile of the example
// matrix is typed in the document; its period is a name.
func TestTransactionalShape(t *testing.T) {
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
	r := e.do(req{method: "POST", path: "/profiles/" + f.id + "/transactional", token: supervisor, header: map[string]string{"If-Match": `"1"`}})
	if r.status != http.StatusOK || !strings.Contains(string(r.body), `"period":"`) {
		t.Fatalf("transactional: %d %s", r.status, r.body)
	}
}

// TestOwnersShape: the beneficial owners of a two-level group through
// HTTP, typed in the document: Ana holds 50% of a holding that holds 60%
// of the group, so 30%, an owner with one path of two steps.
func TestOwnersShape(t *testing.T) {
	e := newEnv(t, Options{}, kycOptions())
	create := func(body string) string {
		t.Helper()
		r := e.do(req{method: "POST", path: "/profiles", token: supervisor, body: body})
		if r.status != http.StatusCreated {
			t.Fatalf("create: %d %s", r.status, r.body)
		}
		var p struct {
			ID string `json:"id"`
		}
		r.json(t, &p)
		return p.ID
	}
	held := func(id string, pct int) string {
		return `{"profile_id":"` + id + `","relationship":"business_partner","extra":{"ownership":{"capital":{"exact":` + strconv.Itoa(pct) + `}}}}`
	}
	ana := create(johnDoe)
	holding := create(`{"person_type":"legal_person","name":"Holding SA","relations":[` + held(ana, 50) + `]}`)
	group := create(`{"person_type":"legal_person","name":"Group SA","relations":[` + held(holding, 60) + `]}`)
	r := e.do(req{method: "GET", path: "/profiles/" + group + "/owners", token: "acme/wanda/watcher"})
	if r.status != http.StatusOK {
		t.Fatalf("owners: %d %s", r.status, r.body)
	}
	var res struct {
		Owners []struct {
			ProfileID string `json:"profile_id"`
			Status    string `json:"status"`
			Capital   struct {
				Min float64 `json:"min"`
			} `json:"capital"`
			Paths []struct {
				Steps []json.RawMessage `json:"steps"`
			} `json:"paths"`
		} `json:"owners"`
	}
	r.json(t, &res)
	if len(res.Owners) != 1 || res.Owners[0].ProfileID != ana || res.Owners[0].Status != "is" ||
		res.Owners[0].Capital.Min < 0.2999 || res.Owners[0].Capital.Min > 0.3001 || len(res.Owners[0].Paths) != 1 || len(res.Owners[0].Paths[0].Steps) != 2 {
		t.Fatalf("owners: %s", r.body)
	}
}
