package reliability

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"testing"

	"github.com/kycsdk/kyc"
	"github.com/kycsdk/kyc/entityprofile"
	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/riskmatrix"
	"github.com/kycsdk/kyc/storage"
)

// canaries are distinctive values put in every personal field; none may
// appear in a log line or an error (DESIGN.md, Conventions; STYLE.md 14).
// They are lower case so that normalisation (e-mails are lower-cased) keeps
// them findable, and the search ignores case.
var canaries = map[string]string{
	"first name":     "qzfirstcanary",
	"middle name":    "qzmiddlecanary",
	"last name":      "qzlastcanary",
	"tax payer id":   "20-77123456-9",
	"birth place":    "qzbirthplacecanary",
	"id number":      "qz77123456",
	"e-mail":         "qzmailcanary@example.com",
	"phone":          "+5493415550199",
	"city":           "qzcitycanary",
	"street":         "qzstreetcanary",
	"zip":            "qz2000",
	"state":          "qzstatecanary",
	"external ref":   "qzextrefcanary",
	"fatca ssn":      "123-45-6789",
	"oecd tax id":    "qzoecdtaxcanary",
	"metadata":       "qzmetadatacanary",
	"metadata key":   "qzmetakeycanary",
	"comment":        "qzcommentcanary",
	"edited comment": "qzeditedcanary",
	"new street":     "qznewstreetcanary",
	"bad e-mail":     "qzbadmailcanary",
	"label":          "qzlabelcanary",
	"birth date":     "1997-06-11",
}

const canaryDoc = `{
	"tax_payer_id": "20-77123456-9",
	"person_type": "natural_person",
	"external_ref": "qzextrefcanary",
	"fatca_ssn": "123-45-6789",
	"oecd_main_country": "ar",
	"oecd_main_tax_payer_id": "qzoecdtaxcanary",
	"natural_person": {
		"name": {"first": "qzfirstcanary", "middle": "qzmiddlecanary", "last": "qzlastcanary"},
		"birth_date": 865987200000,
		"birth_place": "qzbirthplacecanary",
		"id_number": "qz77123456",
		"id_type": "national_identity_card",
		"id_country": "ar",
		"nationality": "Argentina",
		"civil_state": "single",
		"gender": "female",
		"is_employee": false
	},
	"contacts": [
		{"contact_type": "email", "value": "qzmailcanary@example.com", "main": true, "is_verified": true},
		{"contact_type": "mobile", "value": "+5493415550199", "main": true, "is_verified": false}
	],
	"addresses": [{"address_type": "personal", "main": true, "country": "Argentina", "state": "qzstatecanary",
		"city": "qzcitycanary", "department": "", "zip_code": "qz2000", "street_name": "qzstreetcanary", "number": "1748",
		"building_name": "", "building_floor_number": "", "building_room_number": "",
		"formatted_address": "", "normalization_method": ""}],
	"metadata": {"note": "qzmetadatacanary", "qzmetakeycanary": true}
}`

// leakRecorder keeps every log line and error text of a flow.
type leakRecorder struct {
	logs   bytes.Buffer
	errors []string
	calls  int
	events []kyc.Event // what the hook received
}

// note records the outcome of one call: want says whether it should fail.
func (r *leakRecorder) note(t *testing.T, what string, err error, wantErr bool) {
	t.Helper()
	r.calls++
	if err != nil {
		r.errors = append(r.errors, what+": "+err.Error())
	}
	if (err != nil) != wantErr {
		t.Errorf("%s: got error %v, want error: %v", what, err, wantErr)
	}
}

func leakService(t *testing.T, store storage.Store, logger *slog.Logger, rec *leakRecorder) *kyc.Service {
	t.Helper()
	matrixJSON, err := os.ReadFile("../../riskmatrix/testdata/example.json")
	if err != nil {
		t.Fatal(err)
	}
	matrix, err := riskmatrix.Load(matrixJSON)
	if err != nil {
		t.Fatal(err)
	}
	entityJSON, err := os.ReadFile("../../entityprofile/testdata/profiles.json")
	if err != nil {
		t.Fatal(err)
	}
	registry, err := entityprofile.LoadBytes(entityJSON)
	if err != nil {
		t.Fatal(err)
	}
	return newService(t, store, func(o *kyc.Options) {
		o.RiskMatrix = matrix
		o.EntityProfiles = registry
		o.Logger = logger
		o.OnEvent = func(_ context.Context, e kyc.Event) error {
			rec.events = append(rec.events, e)
			return nil
		}
	})
}

// TestNoPersonalDataLeaks runs the whole service flow with canary values
// in every personal field and finds none in the log lines or the errors.
func TestNoPersonalDataLeaks(t *testing.T) {
	for _, b := range backends() {
		t.Run(b.name, func(t *testing.T) {
			var rec leakRecorder
			logger := slog.New(slog.NewJSONHandler(&rec.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
			svc := leakService(t, b.open(t), logger, &rec)
			leakFlow(t, svc, &rec)
			lines := strings.Count(rec.logs.String(), "\n")
			if lines == 0 {
				t.Fatal("the service logged nothing: the test would prove nothing")
			}
			// The change feed and the hook's events are checked too:
			// both may be forwarded to other systems.
			feed, err := svc.Changes(context.Background(), maker, 0, storage.MaxChanges)
			if err != nil || len(feed) == 0 || len(rec.events) == 0 {
				t.Fatalf("feed %d events (%v), hook %d events: the test would prove nothing", len(feed), err, len(rec.events))
			}
			events, err := json.Marshal([]any{feed, rec.events})
			if err != nil {
				t.Fatal(err)
			}
			haystack := strings.ToLower(rec.logs.String() + "\n" + strings.Join(rec.errors, "\n") + "\n" + string(events))
			for field, canary := range canaries {
				if strings.Contains(haystack, strings.ToLower(canary)) {
					t.Errorf("the %s (%q) leaks:\n%s", field, canary, grepLines(haystack, strings.ToLower(canary)))
				}
			}
			t.Logf("%d calls, %d log lines, %d error texts checked against %d canaries", rec.calls, lines, len(rec.errors), len(canaries))
		})
	}
}

func grepLines(text, s string) string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if strings.Contains(l, s) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// leakFlow is every Service operation, succeeding and failing.
func leakFlow(t *testing.T, svc *kyc.Service, rec *leakRecorder) {
	ctx := context.Background()
	other := kyc.Operator{Tenant: maker.Tenant, User: "other", Scopes: []string{"tenant_aml_operator"}}
	in, err := profile.Decode([]byte(canaryDoc))
	if err != nil {
		t.Fatal(err)
	}
	p, err := svc.Create(ctx, maker, in)
	rec.note(t, "create", err, false)
	if err != nil {
		t.FailNow()
	}
	id := p.ID

	bad := *in
	bad.Contacts = []profile.Contact{{ContactType: "email", Value: "qzbadmailcanary", Main: true}}
	bad.Labels = []string{"q"}
	_, err = svc.Create(ctx, maker, &bad)
	rec.note(t, "create invalid", err, true)
	_, err = svc.Create(ctx, maker, in) // same id? no: a new one; a duplicate tax id is allowed
	rec.note(t, "create again", err, false)

	senior := kyc.Operator{Tenant: maker.Tenant, User: "senior", Scopes: []string{"tenant_backoffice_supervisor"}}
	active := *in
	active.State = "active"
	verified, err := svc.Import(ctx, senior, &active, kyc.ImportOptions{Source: "legacy"})
	rec.note(t, "import", err, false)
	if err != nil {
		t.FailNow()
	}
	moved := *verified
	moved.Addresses = append([]profile.Address(nil), verified.Addresses...)
	moved.Addresses[0].StreetName = "qznewstreetcanary"
	_, err = svc.Update(ctx, maker, &moved, kyc.UpdateOptions{Reason: "move qznewstreetcanary"})
	rec.note(t, "update refused for re-verification", err, true)
	_, err = svc.Import(ctx, maker, &active, kyc.ImportOptions{Source: "legacy"})
	rec.note(t, "import without the scope", err, true)

	cur, _ := svc.Get(ctx, maker, id)

	ro := *cur
	ro.State = "active"
	_, err = svc.Update(ctx, maker, &ro, kyc.UpdateOptions{})
	rec.note(t, "update of a read-only field", err, true)

	invalid := *cur
	invalid.Contacts = []profile.Contact{{ContactType: "email", Value: "qzbadmailcanary", Main: true}}
	_, err = svc.Update(ctx, maker, &invalid, kyc.UpdateOptions{})
	rec.note(t, "update invalid", err, true)

	labelled := *cur
	labelled.Labels = []string{"qzlabelcanary"}
	labelled.Consents = map[string]bool{"general": true}
	v2, err := svc.Update(ctx, maker, &labelled, kyc.UpdateOptions{Reason: "labels qzlabelcanary"})
	rec.note(t, "update", err, false)

	_, err = svc.Update(ctx, maker, &labelled, kyc.UpdateOptions{})
	rec.note(t, "stale update", err, true)

	_, err = svc.Transition(ctx, maker, id, "active")
	rec.note(t, "transition refused", err, true)
	_, err = svc.Transition(ctx, maker, id, "pending")
	rec.note(t, "transition", err, false)
	_, err = svc.Transitions(ctx, maker, id)
	rec.note(t, "transitions", err, false)

	_, err = svc.AssessRisk(ctx, maker, id)
	rec.note(t, "assess risk", err, false)

	_, err = svc.AssignEntityProfile(ctx, maker, id, "standard")
	rec.note(t, "assign entity profile", err, false)
	// Recipe and check type names are configuration, not personal data:
	// they may be named in errors.
	_, err = svc.AssignEntityProfile(ctx, maker, id, "no-such-recipe")
	rec.note(t, "assign unknown entity profile", err, true)
	plan, err := svc.PlanVerification(ctx, maker, id)
	rec.note(t, "plan verification", err, false)
	for _, step := range plan.Run {
		res := entityprofile.Result{Type: step.Type, Outcome: profile.OutcomePass, Source: "vendor"}
		_, err = svc.RecordCheckResult(ctx, maker, id, res)
		rec.note(t, "record check "+step.Type, err, false)
	}
	_, err = svc.RecordCheckResult(ctx, maker, id, entityprofile.Result{Type: "no-such-check", Outcome: "maybe"})
	rec.note(t, "record bad check", err, true)
	_, err = svc.EvaluateVerification(ctx, maker, id)
	rec.note(t, "evaluate verification", err, false)

	c, err := svc.AddComment(ctx, maker, id, "<p>qzcommentcanary</p>")
	rec.note(t, "add comment", err, false)
	_, err = svc.EditComment(ctx, other, id, c.ID, "qzeditedcanary")
	rec.note(t, "edit another's comment", err, true)
	_, err = svc.EditComment(ctx, maker, id, c.ID, "qzeditedcanary")
	rec.note(t, "edit comment", err, false)
	_, err = svc.Comments(ctx, maker, id)
	rec.note(t, "comments", err, false)
	err = svc.DeleteComment(ctx, other, id, c.ID)
	rec.note(t, "delete another's comment", err, true)
	err = svc.DeleteComment(ctx, maker, id, c.ID)
	rec.note(t, "delete comment", err, false)

	_, err = svc.History(ctx, maker, id, storage.HistoryQuery{})
	rec.note(t, "history", err, false)
	_, err = svc.Version(ctx, maker, id, 1)
	rec.note(t, "version", err, false)
	_, err = svc.Version(ctx, maker, id, 999)
	rec.note(t, "missing version", err, true)
	latest, _ := svc.Get(ctx, maker, id)
	_, err = svc.Revert(ctx, maker, id, v2.Version-1, latest.Version)
	rec.note(t, "revert", err, false)
	_, err = svc.List(ctx, maker, storage.Query{Text: "qzlastcanary"})
	rec.note(t, "list by name", err, false)
	_, err = svc.Summary(ctx, maker, id)
	rec.note(t, "summary", err, false)
	_, err = svc.ResearchQueries(ctx, maker, id)
	rec.note(t, "research queries", err, false)

	err = svc.Delete(ctx, maker, id, kyc.DeleteOptions{Force: true, Reason: "qzreasoncanary"})
	rec.note(t, "delete without the scope", err, true)
	err = svc.Delete(ctx, senior, id, kyc.DeleteOptions{})
	rec.note(t, "delete during retention", err, true)
	err = svc.Delete(ctx, senior, id, kyc.DeleteOptions{Force: true, Reason: "erasure request"})
	rec.note(t, "delete", err, false)
	_, err = svc.Get(ctx, maker, id)
	rec.note(t, "get deleted", err, true)

	for _, s := range []string{fmt.Sprint(in), fmt.Sprintf("%v", *in), fmt.Sprintf("%#v", in)} {
		rec.errors = append(rec.errors, "profile String: "+s)
	}
	if !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("get deleted: %v", err)
	}
}
