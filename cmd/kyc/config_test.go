package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kycsdk/kyc"
)

func TestConfigValidate(t *testing.T) {
	good := filepath.Join("..", "..", "testdata", "tenants", "afip.json")
	r := runKYC(t, "", "config", "validate", good).want(t, exitOK)
	if !strings.HasPrefix(r.stdout, "valid (version afip-2026-12)") {
		t.Errorf("stdout = %q", r.stdout)
	}

	bad := filepath.Join(t.TempDir(), "bad.json")
	doc := `{"workflow": "nonesuch", "risk_levels": ["low", "low"], "activities": [{"code": ""}]}`
	if err := os.WriteFile(bad, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	// The binary must list what the library's loader finds, path by path.
	_, err := kyc.LoadTenantConfig([]byte(doc))
	want := err.(*kyc.ConfigError).Problems
	if len(want) < 2 {
		t.Fatalf("the document should have several problems, loader gives %v", want)
	}
	var out struct {
		Valid    bool                `json:"valid"`
		Problems []kyc.ConfigProblem `json:"problems"`
	}
	runKYC(t, "", "config", "validate", bad, "--json").want(t, exitFindings).decode(t, &out)
	if out.Valid || len(out.Problems) != len(want) {
		t.Fatalf("got %+v, want the loader's %v", out, want)
	}
	for i := range want {
		if out.Problems[i] != want[i] {
			t.Errorf("problem %d = %v, want %v", i, out.Problems[i], want[i])
		}
	}
	text := runKYC(t, "", "config", "validate", bad).want(t, exitFindings).stdout
	for _, p := range want {
		if !strings.Contains(text, configLine(p)) {
			t.Errorf("text output lacks %q:\n%s", configLine(p), text)
		}
	}

	runKYC(t, "", "config", "validate", filepath.Join(t.TempDir(), "missing.json")).want(t, exitUsage)
	runKYC(t, "{", "config", "validate", "-").want(t, exitFindings)
}

func TestConfigSchema(t *testing.T) {
	r := runKYC(t, "", "config", "schema").want(t, exitOK)
	if r.stdout != string(kyc.TenantConfigSchema()) {
		t.Error("config schema does not print the tenant schema")
	}
	dir := t.TempDir()
	runKYC(t, "", "config", "schema", "--out", dir).want(t, exitOK)
	for name, body := range kyc.Schemas() {
		got, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(body) {
			t.Errorf("%s differs from the published schema", name)
		}
	}
	runKYC(t, "", "config", "schema", "extra").want(t, exitUsage)
}
