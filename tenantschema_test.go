package kyc_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/kycsdk/kyc"
	"github.com/kycsdk/kyc/entityprofile"
	"github.com/kycsdk/kyc/fieldchange"
	"github.com/kycsdk/kyc/review"
	"github.com/kycsdk/kyc/riskmatrix"
	"github.com/kycsdk/kyc/workflow"
)

const schemaBase = "https://github.com/kycsdk/kyc/"

// compileSchemas compiles every published schema, each under its $id, with
// nothing fetched from elsewhere.
func compileSchemas(t *testing.T) map[string]*jsonschema.Schema {
	t.Helper()
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft2020
	c.LoadURL = func(url string) (io.ReadCloser, error) { return nil, fmt.Errorf("%s is not a published schema", url) }
	schemas := kyc.Schemas()
	for path, b := range schemas {
		var head struct {
			ID string `json:"$id"`
		}
		if err := json.Unmarshal(b, &head); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if head.ID != schemaBase+path {
			t.Errorf("%s: $id %q, want %q (its path in the repository)", path, head.ID, schemaBase+path)
		}
		if err := c.AddResource(schemaBase+path, bytes.NewReader(b)); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
	}
	out := map[string]*jsonschema.Schema{}
	for path := range schemas {
		s, err := c.Compile(schemaBase + path)
		if err != nil {
			t.Fatalf("%s does not compile: %v", path, err)
		}
		out[path] = s
	}
	return out
}

// kinds of configuration document: the schema that describes each and the
// loader that reads it.
var configKinds = map[string]struct {
	schema string
	load   func([]byte) error
}{
	"tenant":        {"tenant.schema.json", func(b []byte) error { _, err := kyc.LoadTenantConfig(b); return err }},
	"policy":        {"policy.schema.json", func(b []byte) error { _, err := kyc.LoadPolicy(b); return err }},
	"workflow":      {"workflow/workflow.schema.json", func(b []byte) error { _, err := workflow.Compile(b); return err }},
	"riskmatrix":    {"riskmatrix/riskmatrix.schema.json", func(b []byte) error { _, err := riskmatrix.Load(b); return err }},
	"entityprofile": {"entityprofile/entityprofile.schema.json", func(b []byte) error { _, err := entityprofile.LoadBytes(b); return err }},
	"fieldchange":   {"fieldchange/fieldchange.schema.json", func(b []byte) error { _, err := fieldchange.Load(b); return err }},
	"review":        {"review/review.schema.json", func(b []byte) error { _, err := review.Load(b, nil); return err }},
}

// kindOf recognises a configuration document by its shape; "" is a file
// that is no configuration (a profile, a golden file, a test vector).
func kindOf(v any) string {
	has := func(m map[string]any, keys ...string) bool {
		for _, k := range keys {
			if _, ok := m[k]; ok {
				return true
			}
		}
		return false
	}
	switch v := v.(type) {
	case []any:
		if len(v) == 0 {
			return ""
		}
		if m, ok := v[0].(map[string]any); ok && has(m, "source") && has(m, "dest") {
			return "workflow"
		}
	case map[string]any:
		if s, ok := v["$schema"].(string); ok && strings.HasSuffix(s, "tenant.schema.json") {
			return "tenant"
		}
		switch {
		case has(v, "factors", "thresholds"):
			return "riskmatrix"
		case has(v, "grants"):
			return "policy"
		case has(v, "periodic_review", "rescreening", "document_lead_time"):
			return "review"
		case has(v, "check_types", "auto"):
			return "entityprofile"
		}
		if ps, ok := v["profiles"].([]any); ok && len(ps) > 0 {
			if m, ok := ps[0].(map[string]any); ok && has(m, "checks") {
				return "entityprofile"
			}
		}
		if rs, ok := v["rules"].([]any); ok && len(rs) > 0 {
			if m, ok := rs[0].(map[string]any); ok && has(m, "paths") {
				return "fieldchange"
			}
		}
	}
	return ""
}

// TestConfigurationsMatchSchemas checks every configuration document of
// the repository and of ../shared/testdata, and the reference
// configurations the packages hold, against its published schema and its
// loader: both must accept it.
func TestConfigurationsMatchSchemas(t *testing.T) {
	schemas := compileSchemas(t)
	docs := map[string][]byte{
		"workflow.DefaultJSON()":                   workflow.DefaultJSON(),
		"workflow.MakerCheckerJSON()":              workflow.MakerCheckerJSON(),
		"riskmatrix.ReferenceDigitalProfileJSON()": riskmatrix.ReferenceDigitalProfileJSON(),
		"riskmatrix.ReferenceClientJSON()":         riskmatrix.ReferenceClientJSON(),
		"entityprofile.ReferenceRecipesJSON()":     entityprofile.ReferenceRecipesJSON(),
	}
	for _, root := range []string{".", filepath.Join("..", "shared", "testdata")} {
		if _, err := os.Stat(root); err != nil {
			t.Logf("%s: %v; skipped", root, err)
			continue
		}
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			switch {
			case err != nil:
				return err
			case d.IsDir() && (d.Name() == "fuzz" || d.Name() == "bench" && root == "." || d.Name() == ".git"):
				return filepath.SkipDir
			case d.IsDir() || !strings.HasSuffix(path, ".json") || strings.HasSuffix(path, ".schema.json"):
				return nil
			}
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			docs[path] = b
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	found := map[string]int{}
	for _, name := range slices.Sorted(func(yield func(string) bool) {
		for k := range docs {
			if !yield(k) {
				return
			}
		}
	}) {
		var v any
		if err := json.Unmarshal(docs[name], &v); err != nil {
			continue // not JSON (a verbatim fixture): no configuration
		}
		kind := kindOf(v)
		if kind == "" {
			continue
		}
		found[kind]++
		k := configKinds[kind]
		if err := schemas[k.schema].Validate(v); err != nil {
			t.Errorf("%s (%s): the schema refuses it: %v", name, kind, err)
		}
		if err := k.load(docs[name]); err != nil {
			t.Errorf("%s (%s): the loader refuses it: %v", name, kind, err)
		}
	}
	// The walk must find the documents it exists for.
	for kind, atLeast := range map[string]int{"tenant": 2, "workflow": 4, "riskmatrix": 4, "entityprofile": 3} {
		if found[kind] < atLeast {
			t.Errorf("found %d %s documents, want at least %d: %v", found[kind], kind, atLeast, found)
		}
	}
}

// leafLocations are the instance locations of the innermost causes of a
// schema error, as the loader's paths are written.
func leafLocations(err error) []string {
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return nil
	}
	var out []string
	var walk func(*jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		if len(e.Causes) == 0 {
			out = append(out, pointerPath(e.InstanceLocation))
			return
		}
		for _, c := range e.Causes {
			walk(c)
		}
	}
	walk(ve)
	return out
}

// pointerPath writes "/risk_matrix/thresholds/0/level" as the loader
// does: "risk_matrix.thresholds[0].level".
func pointerPath(ptr string) string {
	var b strings.Builder
	for _, tok := range strings.Split(strings.TrimPrefix(ptr, "/"), "/") {
		if tok == "" {
			continue
		}
		if strings.Trim(tok, "0123456789") == "" {
			b.WriteString("[" + tok + "]")
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(strings.NewReplacer("~1", "/", "~0", "~").Replace(tok))
	}
	return b.String()
}

// TestSchemaAndLoaderAgreeOnBadDocuments: a document of the wrong form is
// refused by both, and the loader names a place the schema names too.
func TestSchemaAndLoaderAgreeOnBadDocuments(t *testing.T) {
	schemas := compileSchemas(t)
	tenant := schemas["tenant.schema.json"]
	tests := []struct{ name, doc, path string }{
		{"unknown top-level key", `{"workflw": "default"}`, ""},
		{"workflow preset misspelt", `{"workflow": "makerchecker"}`, "workflow"},
		{"workflow transition without dest", `{"workflow": [{"source": "a"}]}`, "workflow[0]"},
		{"workflow transition unknown key", `{"workflow": [{"source": "a", "dest": "b", "when": "x"}]}`, "workflow[0]"},
		{"activity without code", `{"activities": [{"code": "1"}, {"description": "x"}]}`, "activities[1].code"},
		{"tax code of the wrong type", `{"taxes": [{"code": 20}]}`, "taxes[0].code"},
		{"reverification mode", `{"reverification": "warn"}`, "reverification"},
		{"relation type not snake_case", `{"relation_types": ["Supplier"]}`, "relation_types[0]"},
		{"risk levels of the wrong type", `{"risk_levels": 3}`, "risk_levels"},
		{"matrix thresholds an object", `{"risk_matrix": {"version": "1", "levels": "client", "aggregation": "maximum", "unknown_score": 1, "thresholds": {"level": "high"}, "factors": [{"id": "p", "kind": "pep_declaration", "weight": 1}]}}`, "risk_matrix.thresholds"},
		{"matrix aggregation", `{"risk_matrix": {"version": "1", "levels": "client", "aggregation": "max", "unknown_score": 1, "thresholds": [{"level": "high", "from": 1}], "factors": [{"id": "p", "kind": "pep_declaration", "weight": 1, "scores": {"true": 1, "false": 0}}]}}`, "risk_matrix.aggregation"},
		{"recipe unknown key", `{"entity_profiles": {"profiles": [{"name": "a", "checks": ["pep"], "minimun": {}}]}}`, "entity_profiles.profiles[0]"},
		{"change policy mode", `{"change_policy": {"mode": "merge", "rules": []}}`, "change_policy.mode"},
		{"change rule without paths", `{"change_policy": {"rules": [{"name": "x", "change": true, "paths": []}]}}`, "change_policy.rules[0]"},
		{"permission not resource:access", `{"permissions": {"grants": {"tenant_aml_operator": ["dprofile_profile"]}}}`, "permissions.grants.tenant_aml_operator[0]"},
		{"permissions without grants", `{"permissions": {"read_only": ["tenant_watcher"]}}`, "permissions.grants"},
		{"review interval not a duration", `{"review_policy": {"periodic_review": {"default": "1 year"}}}`, "review_policy.periodic_review.default"},
		{"review trigger", `{"review_policy": {"triggers": ["birthday"]}}`, "review_policy.triggers[0]"},
		{"search engine without query", `{"search_engines": [{"name": "x", "template": "https://x.example/"}]}`, "search_engines[0].template"},
		{"end states a string", `{"end_states": "banned"}`, "end_states"},
		{"null part", `{"workflow": null}`, "workflow"},
		{"metadata schema a string", `{"metadata_schema": "object"}`, "metadata_schema"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var v any
			if err := json.Unmarshal([]byte(tt.doc), &v); err != nil {
				t.Fatal(err)
			}
			serr := tenant.Validate(v)
			if serr == nil {
				t.Errorf("the schema accepts it")
			}
			_, lerr := kyc.LoadTenantConfig([]byte(tt.doc))
			var ce *kyc.ConfigError
			if !errors.As(lerr, &ce) {
				t.Fatalf("the loader: %v, want a *ConfigError", lerr)
			}
			var paths []string
			for _, p := range ce.Problems {
				paths = append(paths, p.Path)
			}
			if !slices.Contains(paths, tt.path) {
				t.Errorf("the loader's paths %q, want %q among them (%v)", paths, tt.path, lerr)
			}
			if tt.path != "" && serr != nil {
				leaves := leafLocations(serr)
				if !slices.ContainsFunc(leaves, func(l string) bool {
					return l == tt.path || strings.HasPrefix(l, tt.path) || strings.HasPrefix(tt.path, l) && l != ""
				}) {
					t.Errorf("the schema's places %q, the loader's %q", leaves, tt.path)
				}
			}
		})
	}
}
