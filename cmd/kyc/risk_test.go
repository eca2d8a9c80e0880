package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-json-experiment/json"
	"github.com/google/go-cmp/cmp"

	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/riskmatrix"
)

// TestRiskAssess checks the command's assessment against the library's on
// the same matrix, profile and moment.
func TestRiskAssess(t *testing.T) {
	const now = "2026-01-31T12:00:00Z"
	m, _ := os.ReadFile("testdata/matrix.json")
	data, _ := os.ReadFile("testdata/natural_person.json")
	matrix, err := riskmatrix.Load(m)
	if err != nil {
		t.Fatal(err)
	}
	p, err := profile.Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	p.Normalize()
	at, _ := time.Parse(time.RFC3339, now)
	want := matrix.Assess(p, at)

	var got riskmatrix.Assessment
	r := runKYC(t, "", "risk", "assess", "--matrix", "testdata/matrix.json", "testdata/natural_person.json", "--now", now, "--json").want(t, exitOK)
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	text := runKYC(t, "", "risk", "assess", "--matrix", "testdata/matrix.json", "testdata/natural_person.json", "--now", now).want(t, exitOK)
	if text.stdout != want.Explain() {
		t.Errorf("text output:\n%s\nwant:\n%s", text.stdout, want.Explain())
	}
}

func TestRiskAssessBadInput(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "matrix.json")
	os.WriteFile(bad, []byte(`{"version": "x", "levels": "digital_profile", "thresholds": {"medium": 25}, "factors": [{"id": "a", "kind": "nationality", "weight": -1}]}`), 0o600)
	r := runKYC(t, "", "risk", "assess", "--matrix", bad, "testdata/natural_person.json").want(t, exitUsage)
	if !strings.Contains(r.stderr, "--matrix") || !strings.Contains(r.stderr, "thresholds") {
		t.Errorf("the error does not name the matrix's path:\n%s", r.stderr)
	}
	for _, args := range [][]string{
		{"testdata/natural_person.json"}, // no --matrix
		{"--matrix", "testdata/matrix.json", "testdata/natural_person.json", "--now", "yesterday"},
		{"--matrix", "testdata/matrix.json", "testdata/malformed.json"},
		{"--matrix", "testdata/nope.json", "testdata/natural_person.json"},
	} {
		runKYC(t, "", append([]string{"risk", "assess"}, args...)...).want(t, exitUsage)
	}
}
