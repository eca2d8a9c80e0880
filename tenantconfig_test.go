package kyc_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kycsdk/kyc"
	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/storage/memory"
)

func loadTenantFile(t testing.TB, path string) *kyc.TenantConfig {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	c, err := kyc.LoadTenantConfig(b)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestLoadTenantConfigFull(t *testing.T) {
	c := loadTenantFile(t, "testdata/tenants/afip.json")
	if c.Version != "afip-2026-12" {
		t.Errorf("Version = %q", c.Version)
	}
	if !slices.Contains(c.Workflow.States(), "pending_approval") {
		t.Errorf("workflow states %v: not maker_checker", c.Workflow.States())
	}
	if got := c.RiskMatrix.Levels(); !slices.Equal(got, []string{"low", "medium", "high", "severe"}) {
		t.Errorf("matrix levels %v", got)
	}
	if c.Reverification != kyc.Flag {
		t.Errorf("Reverification = %v, want Flag", c.Reverification)
	}
	if !c.Activities.Contains("AFIP", "11501") || c.Activities.Contains("AFIP", "99999") || c.Activities.Contains("OTHER", "11501") {
		t.Error("activities catalogue does not hold what the document lists")
	}
	if !c.Taxes.Contains("AFIP", "20") {
		t.Error("taxes catalogue misses 20")
	}
	if !c.ReviewPolicy.FourEyes("severe") || c.ReviewPolicy.FourEyes("high") {
		t.Error("review policy's four-eyes levels are not the document's")
	}
	if c.Policy.Allows([]string{"tenant_watcher"}, kyc.Permission{Resource: kyc.ResourceProfile, Access: kyc.Write}) {
		t.Error("the read-only watcher may write")
	}
	if !c.Policy.Allows([]string{"tenant_aml_operator"}, kyc.Permission{Resource: kyc.ResourceRisk, Access: kyc.Write}) {
		t.Error("the operator may not assess risk")
	}
	if !c.Ownership.Carries("shareholder").Ownership || c.Ownership.Carries("supplier").Ownership {
		t.Error("the ownership registry does not say what the document says")
	}
	if c.EntityProfiles == nil || c.ChangePolicy == nil || c.MetadataSchema == nil || c.Relations == nil {
		t.Error("a part of the document is missing from the configuration")
	}
	if diff := cmp.Diff([]kyc.SearchEngine{{Name: "duckduckgo", Template: "https://duckduckgo.com/?q={query}"}}, c.SearchEngines); diff != "" {
		t.Errorf("search engines (-want +got):\n%s", diff)
	}
}

func TestLoadTenantConfigDefaults(t *testing.T) {
	c, err := kyc.LoadTenantConfig([]byte(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	// Every part left out is nil, so that New fills in the defaults.
	if c.Workflow != nil || c.RiskMatrix != nil || c.Policy != nil || c.Activities != nil || c.ReviewPolicy != nil || c.SearchEngines != nil {
		t.Errorf("a part left out is set: %+v", c)
	}
	if !strings.HasPrefix(c.Version, "sha256:") || len(c.Version) != len("sha256:")+12 {
		t.Errorf("Version = %q, want sha256: and 12 hex digits", c.Version)
	}
	other, err := kyc.LoadTenantConfig([]byte(`{"reverification": "flag"}`))
	if err != nil {
		t.Fatal(err)
	}
	if other.Version == c.Version {
		t.Error("two different documents share a computed version")
	}
}

// TestLoadTenantConfigEveryProblem: a document with problems in many
// parts names each of them, by its path, at once.
func TestLoadTenantConfigEveryProblem(t *testing.T) {
	doc := `{
		"version": " v1",
		"workflow": "default",
		"initial_state": "draft",
		"end_states": ["closed"],
		"activities": [{"code": "1"}, {"code": "1"}],
		"risk_levels": ["low", "low"],
		"risk_matrix": {"version": "m", "levels": "client", "aggregation": "maximum", "unknown_score": 50,
			"thresholds": [{"level": "extreme", "from": 10}],
			"factors": [{"id": "pep", "kind": "pep_declaration", "weight": 1, "scores": {"true": 1, "false": 0}}]},
		"entity_profiles": {"profiles": [{"name": "a", "checks": ["telepathy"], "minimum": {"name": 0, "address": 0, "dob": 0}}]},
		"permissions": {"grants": {"tenant_aml_operator": ["dprofile_profile:write", "weather:read"]}},
		"review_policy": {"four_eyes_levels": ["extreme"]},
		"search_engines": [{"name": "x", "template": "ftp://x/{query}"}],
		"ownership": {"nephew": {"ownership": true}, "guarantor": {}, "legal_representative": {"ownership": true, "default_control": "board_member"},
			"business_partner": {"control": true, "default_control": "emperor"}}
	}`
	_, err := kyc.LoadTenantConfig([]byte(doc))
	var ce *kyc.ConfigError
	if !errors.As(err, &ce) || !errors.Is(err, kyc.ErrInvalidConfig) {
		t.Fatalf("err = %v, want a *ConfigError", err)
	}
	var paths []string
	for _, p := range ce.Problems {
		paths = append(paths, p.Path)
		if strings.Contains(p.Message, "Go ") || strings.Contains(p.Message, "struct") || strings.Contains(p.Message, "unmarshal") {
			t.Errorf("%s: message %q names Go", p.Path, p.Message)
		}
	}
	want := []string{
		"version", "initial_state", "end_states[0]", "activities[1].code",
		"risk_levels[1]", "risk_matrix.thresholds[0].level", "entity_profiles.profiles[0].checks[0]",
		"permissions.grants.tenant_aml_operator[1]", "search_engines[0].template",
		"ownership.nephew", "ownership.guarantor", "ownership.legal_representative.default_control",
		"ownership.business_partner.default_control",
	}
	for _, w := range want {
		if !slices.Contains(paths, w) {
			t.Errorf("no problem at %s; problems: %v", w, err)
		}
	}
	// The risk levels did not load: the review policy is not judged by
	// levels the tenant does not have, which would only add noise.
	if slices.Contains(paths, "review_policy.four_eyes_levels[0]") {
		t.Errorf("the review policy was checked against levels that did not load: %v", err)
	}
}

func TestLoadTenantConfigRefusesWhole(t *testing.T) {
	tests := []struct{ name, doc, path, msg string }{
		{"not JSON", `{"workflow":`, "", "unexpected end of JSON input"},
		{"trailing data", `{} {}`, "", "data after the JSON value"},
		{"duplicate key", `{"version": "a", "version": "b"}`, "", `duplicate key "version"`},
		{"unknown key", `{"risk_matrx": {}}`, "", `unknown field "risk_matrx"`},
		{"wrong type", `{"verified_states": [1]}`, "verified_states[0]", "wrong type, want a string"},
		{"four eyes without workflow", `{"four_eyes_states": ["active"]}`, "four_eyes_states", "needs a workflow: name one or list its transitions"},
		{"levels differ from matrix", `{"risk_levels": "digital_profile", "risk_matrix": {"version": "m", "levels": "client", "aggregation": "maximum", "unknown_score": 50, "thresholds": [{"level": "high", "from": 10}], "factors": [{"id": "pep", "kind": "pep_declaration", "weight": 1, "scores": {"true": 1, "false": 0}}]}}`,
			"risk_levels", "differ from the levels of the risk matrix: leave them out to use the matrix's"},
		{"condition that does not parse", `{"workflow": [{"source": "a", "dest": "b", "condition": "dprofile.risk =="}], "initial_state": "draft"}`,
			"workflow[0]", "condition: unexpected end of condition at column 17"},
		{"review level not the tenant's", `{"risk_levels": "client", "review_policy": {"four_eyes_levels": ["extreme"]}}`,
			"review_policy.four_eyes_levels[0]", "is not a risk level of the tenant"},
		{"version with a control character", `{"version": "v\u00071"}`, "version", "must be valid UTF-8 without control characters or surrounding white space"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := kyc.LoadTenantConfig([]byte(tt.doc))
			if c != nil {
				t.Error("a configuration with a problem was returned")
			}
			var ce *kyc.ConfigError
			if !errors.As(err, &ce) {
				t.Fatalf("err = %v, want a *ConfigError", err)
			}
			want := kyc.ConfigProblem{Path: tt.path, Message: tt.msg}
			if !slices.Contains(ce.Problems, want) {
				t.Errorf("problems %v, want %v among them", ce.Problems, want)
			}
		})
	}
}

func TestLoadTenantConfigTooLarge(t *testing.T) {
	doc := append([]byte(`{"description": "`), bytes.Repeat([]byte("a"), kyc.MaxTenantConfigBytes)...)
	doc = append(doc, `"}`...)
	_, err := kyc.LoadTenantConfig(doc)
	if !errors.Is(err, kyc.ErrInvalidConfig) {
		t.Fatalf("err = %v, want ErrInvalidConfig", err)
	}
}

// A profile naming a code outside the tenant's catalogues is refused with
// the path of the code, and nothing is stored.
func TestCatalogues(t *testing.T) {
	c, err := kyc.LoadTenantConfig([]byte(`{
		"activities": [{"code": "11501", "organization": "AFIP"}, {"code": "620100"}],
		"taxes": [{"code": "20", "organization": "AFIP"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	svc := newService(t, memory.New(), func(o *kyc.Options) { o.Activities, o.Taxes = c.Activities, c.Taxes })
	p := johnDoe(t)
	p.Activities = []profile.Activity{
		{Code: "11501", Organization: "AFIP", Main: true},
		{Code: "620100", Organization: "ANY"},
		{Code: "11501", Organization: "OTHER"},
	}
	p.Taxes = []profile.Tax{{Code: "20", Organization: "AFIP"}, {Code: "21", Organization: "AFIP"}}
	_, err = svc.Create(context.Background(), operator, p)
	var ve *profile.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("Create = %v, want a *profile.ValidationError", err)
	}
	want := []profile.Problem{
		{Path: "activities[2].code", Code: kyc.CodeNotInCatalogue, Message: "is not an economic activity of the tenant's catalogue"},
		{Path: "taxes[1].code", Code: kyc.CodeNotInCatalogue, Message: "is not a tax of the tenant's catalogue"},
	}
	if diff := cmp.Diff(want, ve.Problems); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
	if strings.Contains(err.Error(), "11501") || strings.Contains(err.Error(), "OTHER") {
		t.Errorf("the error quotes a value: %v", err)
	}
	// Validate, which stores nothing, applies the catalogues too.
	if _, verr := svc.Validate(p); verr == nil || verr.Error() != err.Error() {
		t.Errorf("Validate = %v, want Create's %v", verr, err)
	}
	p.Activities, p.Taxes = p.Activities[:2], p.Taxes[:1]
	if _, err := svc.Create(context.Background(), operator, p); err != nil {
		t.Fatalf("Create with catalogued codes: %v", err)
	}
}

func TestNewCatalogue(t *testing.T) {
	_, err := kyc.NewCatalogue([]kyc.CatalogueEntry{{Code: "1"}, {Code: ""}, {Code: "1"}})
	var ce *kyc.ConfigError
	if !errors.As(err, &ce) {
		t.Fatalf("err = %v", err)
	}
	want := []kyc.ConfigProblem{
		{Path: "[1].code", Message: "must be a non-empty code without control characters or surrounding white space"},
		{Path: "[2].code", Message: "is listed twice for the same organization"},
	}
	if diff := cmp.Diff(want, ce.Problems); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestLoadPolicy(t *testing.T) {
	p, err := kyc.LoadPolicy([]byte(`{"grants": {"auditor": ["history:read"], "clerk": ["dprofile_profile:write"]}, "read_only": ["auditor"]}`))
	if err != nil {
		t.Fatal(err)
	}
	if !p.Allows([]string{"auditor"}, kyc.Permission{Resource: kyc.ResourceHistory, Access: kyc.Read}) {
		t.Error("auditor may not read the history")
	}
	if p.Allows([]string{"auditor", "clerk"}, kyc.Permission{Resource: kyc.ResourceProfile, Access: kyc.Write}) {
		t.Error("a read-only scope may write")
	}
}

// FuzzLoadTenantConfig: any input loads or fails with a *ConfigError
// whose problems have messages; it never panics.
func FuzzLoadTenantConfig(f *testing.F) {
	for _, path := range []string{"testdata/tenants/afip.json", "testdata/tenants/defaults.json"} {
		b, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"workflow": [{"source": "a", "dest": "b", "condition": "x"}], "risk_levels": "client"}`))
	f.Add([]byte(`{"permissions": {"grants": {"": ["x"]}}, "activities": [{"code": ""}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := kyc.LoadTenantConfig(data)
		if err == nil {
			if c == nil || c.Version == "" {
				t.Fatal("a configuration without a version")
			}
			return
		}
		var ce *kyc.ConfigError
		if !errors.As(err, &ce) || len(ce.Problems) == 0 {
			t.Fatalf("err = %v, want a *ConfigError with problems", err)
		}
		for _, p := range ce.Problems {
			if p.Message == "" {
				t.Fatalf("a problem without a message at %q", p.Path)
			}
		}
	})
}
