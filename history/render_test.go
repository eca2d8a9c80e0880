package history

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestLines(t *testing.T) {
	changes := Changes{
		{Op: OpChange, Path: Path{"name"}, Old: "A", New: "B"},
		{Op: OpChange, Path: Path{"addresses", 1, "country"}, Old: "ar", New: nil},
		{Op: OpAdd, Path: Path{"contacts"}, Items: []Item{{Key: 2, Value: map[string]any{"contact_type": "mobile", "value": "+5493414000000"}}}},
		{Op: OpRemove, Path: Path{"labels"}, Items: []Item{{Key: 1, Value: "vip"}, {Key: 0, Value: "x"}}},
		{Op: OpAdd, Path: nil, Items: []Item{{Key: "declared_income", Value: json.Number("1234.5")}}},
		{Op: OpChange, Path: nil, Old: json.Number("1"), New: strings.Repeat("é", 40)},
	}
	tests := []struct {
		name string
		opts RenderOptions
		want []string
	}{
		{"values", RenderOptions{}, []string{
			`name: "A" → "B"`,
			`addresses[1].country: "ar" → null`,
			`contacts[2] added: {"contact_type":"mobile","value":"+5493414000000"}`,
			`labels[1] removed: "vip"`,
			`labels[0] removed: "x"`,
			`declared_income added: 1234.5`,
			`(root): 1 → "` + strings.Repeat("é", 29) + `…`,
		}},
		{"masked", RenderOptions{Mask: true}, []string{
			"name changed",
			"addresses[1].country changed",
			"contacts[2] added",
			"labels[1] removed",
			"labels[0] removed",
			"declared_income added",
			"(root) changed",
		}},
		{"short values", RenderOptions{MaxValue: 10}, []string{
			`name: "A" → "B"`,
			`addresses[1].country: "ar" → null`,
			`contacts[2] added: {"contact_…`,
			`labels[1] removed: "vip"`,
			`labels[0] removed: "x"`,
			`declared_income added: 1234.5`,
			`(root): 1 → "éééé…`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if d := cmp.Diff(tt.want, changes.Lines(tt.opts)); d != "" {
				t.Errorf("Lines (-want +got):\n%s", d)
			}
		})
	}
}

func TestEntryRender(t *testing.T) {
	var changes Changes
	if err := json.Unmarshal([]byte(seedChanges), &changes); err != nil {
		t.Fatal(err)
	}
	e := Entry{ID: "h1", OrigID: "60d6313e5857d9d371b6d4fa", CreatedAt: 1624648551709, CreatedBy: "operador", Version: 1, Changes: changes, Reason: "constitution received"}
	tests := []struct {
		name string
		opts RenderOptions
		want string
	}{
		{"values", RenderOptions{}, `v1 → v2 by operador at 2021-06-25T19:15:51.709Z: constitution received
  modified_at: 1624648537726 → 1624648551709
  modified_by: "admin" → "operador"
  legal_person.constitution added: "horizontal_property_consortium"
  version: 1 → 2`},
		{"masked", RenderOptions{Mask: true}, `v1 → v2 by operador at 2021-06-25T19:15:51.709Z
  modified_at changed
  modified_by changed
  legal_person.constitution added
  version changed`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if d := cmp.Diff(tt.want, e.Render(tt.opts)); d != "" {
				t.Errorf("Render (-want +got):\n%s", d)
			}
		})
	}
}
