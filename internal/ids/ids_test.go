package ids_test

import (
	"regexp"
	"sort"
	"testing"

	"github.com/kycsdk/kyc/internal/ids"
)

func TestNewV7(t *testing.T) {
	re := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	got := make([]string, 10000)
	for i := range got {
		got[i] = ids.NewV7()
		if !re.MatchString(got[i]) {
			t.Fatalf("%q is not a version 7 UUID", got[i])
		}
	}
	if !sort.StringsAreSorted(got) {
		t.Error("ids from one process do not sort by creation")
	}
	seen := map[string]bool{}
	for _, id := range got {
		if seen[id] {
			t.Fatalf("duplicate id %s", id)
		}
		seen[id] = true
	}
}
