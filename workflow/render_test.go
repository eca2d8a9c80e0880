package workflow_test

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/kycsdk/kyc/workflow"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

func TestRenderGolden(t *testing.T) {
	odd, err := workflow.Compile([]byte(`[
{"source": "new client", "dest": "end", "condition": "context.user == \"a|b\""},
{"source": "end", "dest": "new client", "label": "re-open"}]`))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		w    *workflow.Workflow
	}{
		{"default", workflow.Default()},
		{"makerchecker", workflow.MakerChecker()},
		{"quoting", odd},
	}
	for _, tt := range tests {
		for ext, render := range map[string]func() string{"mmd": tt.w.Mermaid, "dot": tt.w.DOT} {
			t.Run(tt.name+"."+ext, func(t *testing.T) {
				path := filepath.Join("testdata", tt.name+"."+ext)
				got := render()
				if *update {
					if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
						t.Fatal(err)
					}
				}
				want, err := os.ReadFile(path)
				if err != nil {
					t.Fatalf("%v (run with -update to create it)", err)
				}
				if diff := cmp.Diff(string(want), got); diff != "" {
					t.Errorf("%s (-want +got):\n%s", path, diff)
				}
			})
		}
	}
}
