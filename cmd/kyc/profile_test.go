package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	"github.com/google/go-cmp/cmp"
)

type validateOutput struct {
	Valid    bool          `json:"valid"`
	Problems []problemJSON `json:"problems"`
}

func TestProfileValidate(t *testing.T) {
	r := runKYC(t, "", "profile", "validate", "testdata/natural_person.json").want(t, exitOK)
	if r.stdout != "valid\n" {
		t.Errorf("stdout %q", r.stdout)
	}
	var out validateOutput
	runKYC(t, "", "profile", "validate", "testdata/natural_person.json", "--json").want(t, exitOK).decode(t, &out)
	if !out.Valid || out.Problems == nil || len(out.Problems) != 0 {
		t.Errorf("--json of a valid profile: %+v", out)
	}
	// Standard input.
	data, _ := os.ReadFile("testdata/natural_person.json")
	runKYC(t, string(data), "profile", "validate", "-").want(t, exitOK)
}

func TestProfileValidateFindings(t *testing.T) {
	tests := []struct {
		name  string
		args  []string
		paths []string // every problem's path, in order
	}{
		{"rules", []string{"testdata/invalid_profile.json"},
			[]string{"natural_person.gender", "addresses[0].state", "addresses[0].city", "labels[0]", "addresses[0].country"}},
		{"malformed JSON", []string{"testdata/malformed.json"}, []string{""}},
		{"wrong type", []string{"testdata/wrong_type.json"}, []string{"name"}},
		{"unknown key in strict mode", []string{"testdata/natural_person_extra.json", "--strict"}, []string{"shoe_size"}},
		{"risk level of another set", []string{"testdata/severe.json"}, []string{"risk"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out validateOutput
			runKYC(t, "", append([]string{"profile", "validate", "--json"}, tt.args...)...).want(t, exitFindings).decode(t, &out)
			var paths []string
			for _, p := range out.Problems {
				paths = append(paths, p.Path)
				if p.Message == "" || p.Code == "" {
					t.Errorf("a problem without message or code: %+v", p)
				}
			}
			if out.Valid || !cmp.Equal(tt.paths, paths) {
				t.Errorf("problems %+v, want the paths %q", out.Problems, tt.paths)
			}
			text := runKYC(t, "", append([]string{"profile", "validate"}, tt.args...)...).want(t, exitFindings)
			if !strings.HasSuffix(text.stdout, "problem(s)\n") {
				t.Errorf("text output:\n%s", text.stdout)
			}
		})
	}
	// The levels of seed 002 accept severe; the extra key is kept when not
	// strict.
	runKYC(t, "", "profile", "validate", "testdata/severe.json", "--risk-levels", "low,medium,high,severe").want(t, exitOK)
	runKYC(t, "", "profile", "validate", "testdata/natural_person_extra.json").want(t, exitOK)
}

func TestProfileValidateMetadataSchema(t *testing.T) {
	dir := t.TempDir()
	schema := filepath.Join(dir, "schema.json")
	os.WriteFile(schema, []byte(`{"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object", "required": ["segment"]}`), 0o600)
	withMetadata := filepath.Join(dir, "profile.json")
	data, _ := os.ReadFile("testdata/natural_person.json")
	os.WriteFile(withMetadata, []byte(strings.Replace(string(data), `"version": 2,`, `"version": 2, "metadata": {"channel": "web"},`, 1)), 0o600)
	var out validateOutput
	runKYC(t, "", "profile", "validate", withMetadata, "--metadata-schema", schema, "--json").want(t, exitFindings).decode(t, &out)
	if len(out.Problems) != 1 || !strings.HasPrefix(out.Problems[0].Path, "metadata") {
		t.Errorf("problems %+v", out.Problems)
	}
	os.WriteFile(schema, []byte(`{"type": 12}`), 0o600)
	runKYC(t, "", "profile", "validate", "testdata/natural_person.json", "--metadata-schema", schema).want(t, exitUsage)
	runKYC(t, "", "profile", "validate", "testdata/natural_person.json", "--metadata-schema", filepath.Join(dir, "none")).want(t, exitUsage)
}

// TestProfileDiffVectors runs the binary over the dictdiffer vectors of
// ../shared/testdata: the output is the changes dictdiffer gives, order
// included.
func TestProfileDiffVectors(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "..", "shared", "testdata", "history", "dictdiffer-vectors-document-order.json"))
	if err != nil {
		t.Skipf("the shared vectors are not here: %v", err)
	}
	type vector struct {
		Name          string
		First, Second jsontext.Value
		Changes       jsontext.Value
	}
	var raw []map[string]jsontext.Value
	if err := json.Unmarshal(data, &raw); err != nil {
		t.Fatal(err)
	}
	var vectors []vector
	for _, v := range raw {
		var name string
		if err := json.Unmarshal(v["name"], &name); err != nil {
			t.Fatal(err)
		}
		vectors = append(vectors, vector{name, v["first"], v["second"], v["changes"]})
	}
	if testing.Short() {
		vectors = vectors[:24]
	}
	dir := t.TempDir()
	for i, v := range vectors {
		t.Run(v.Name, func(t *testing.T) {
			a, b := filepath.Join(dir, "a.json"), filepath.Join(dir, "b.json")
			os.WriteFile(a, v.First, 0o600)
			os.WriteFile(b, v.Second, 0o600)
			var want, got any
			json.Unmarshal(v.Changes, &want)
			code := exitFindings
			if len(want.([]any)) == 0 {
				code = exitOK
			}
			runKYC(t, "", "profile", "diff", a, b, "--json").want(t, code).decode(t, &got)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("vector %d (-want +got):\n%s", i, diff)
			}
		})
	}
}

func TestProfileDiff(t *testing.T) {
	r := runKYC(t, "", "profile", "diff", "testdata/natural_person.json", "testdata/natural_person_moved.json").want(t, exitFindings)
	for _, line := range []string{`natural_person.name.last: "Doe" → "Doe Smith"`, `labels added: ["vip"]`} {
		if !strings.Contains(r.stdout, line) {
			t.Errorf("no line %q in:\n%s", line, r.stdout)
		}
	}
	r = runKYC(t, "", "profile", "diff", "testdata/natural_person.json", "testdata/natural_person.json", "--json").want(t, exitOK)
	if strings.TrimSpace(r.stdout) != "[]" {
		t.Errorf("no change gave %q", r.stdout)
	}
	r = runKYC(t, "", "profile", "diff", "testdata/natural_person.json", "testdata/malformed.json").want(t, exitUsage)
	if !strings.Contains(r.stderr, "second") {
		t.Errorf("the error does not say which document:\n%s", r.stderr)
	}
}

type reverifyOutput struct {
	NeedsReverification bool         `json:"needs_reverification"`
	Paths               []string     `json:"reverify_paths"`
	Changes             []changeJSON `json:"changes"`
}

func TestProfileReverify(t *testing.T) {
	var out reverifyOutput
	runKYC(t, "", "profile", "reverify", "testdata/natural_person.json", "testdata/natural_person_moved.json", "--json").want(t, exitFindings).decode(t, &out)
	if !out.NeedsReverification || !cmp.Equal([]string{"natural_person.name.last"}, out.Paths) {
		t.Errorf("moved: %+v", out)
	}
	r := runKYC(t, "", "profile", "reverify", "testdata/natural_person.json", "testdata/natural_person_moved.json").want(t, exitFindings)
	if !strings.Contains(r.stdout, "RE-VERIFY") || !strings.Contains(r.stdout, "natural_person.name.last (name)") {
		t.Errorf("text output:\n%s", r.stdout)
	}

	runKYC(t, "", "profile", "reverify", "testdata/natural_person.json", "testdata/natural_person_married.json", "--json").want(t, exitOK).decode(t, &out)
	if out.NeedsReverification || len(out.Paths) != 0 || len(out.Changes) != 1 || out.Changes[0].Path != "natural_person.civil_state" {
		t.Errorf("married: %+v", out)
	}

	// A tenant's policy that counts the civil state.
	dir := t.TempDir()
	policy := filepath.Join(dir, "policy.json")
	os.WriteFile(policy, []byte(`{"rules": [{"name": "civil_state", "paths": ["natural_person.civil_state"], "change": true}]}`), 0o600)
	runKYC(t, "", "profile", "reverify", "testdata/natural_person.json", "testdata/natural_person_married.json", "--policy", policy, "--json").want(t, exitFindings).decode(t, &out)
	if !cmp.Equal([]string{"natural_person.civil_state"}, out.Paths) {
		t.Errorf("with the policy: %+v", out)
	}
	os.WriteFile(policy, []byte(`{"rules": [{"name": "x", "paths": ["natural_person.shoe_size"], "change": true}]}`), 0o600)
	r = runKYC(t, "", "profile", "reverify", "testdata/natural_person.json", "testdata/natural_person_married.json", "--policy", policy).want(t, exitUsage)
	if !strings.Contains(r.stderr, "--policy") {
		t.Errorf("stderr:\n%s", r.stderr)
	}
	runKYC(t, "", "profile", "reverify", "testdata/natural_person.json", "testdata/wrong_type.json").want(t, exitUsage)
}
