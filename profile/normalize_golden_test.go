package profile

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/normalized")

// TestNormalizedSeedExamples keeps, for every seed example, the stored form
// Normalize gives (testdata/normalized), so that a change to normalisation
// shows as a diff of golden files. Run with -update to rewrite them.
func TestNormalizedSeedExamples(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "seed", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	v := NewValidator(Options{Now: seedNow})
	for _, in := range files {
		name := filepath.Base(in)
		if strings.Contains(name, "verbatim") {
			continue // not JSON: see TestSeedLegalPersonVerbatim
		}
		t.Run(name, func(t *testing.T) {
			p, err := Decode(readGolden(t, name))
			if err != nil {
				t.Fatal(err)
			}
			p.Normalize()
			if err := v.Validate(p); err != nil {
				t.Fatalf("normalised profile: %v", err)
			}
			out, err := Encode(p)
			if err != nil {
				t.Fatal(err)
			}
			var pretty bytes.Buffer
			if err := json.Indent(&pretty, out, "", "  "); err != nil {
				t.Fatal(err)
			}
			pretty.WriteByte('\n')
			golden := filepath.Join("testdata", "normalized", name)
			if *update {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, pretty.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if diff := cmp.Diff(string(want), pretty.String()); diff != "" {
				t.Errorf("normalised %s (-want +got):\n%s", name, diff)
			}
		})
	}
}
