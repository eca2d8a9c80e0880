package history

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// seedChanges is the changes array of the history example of seed 003,
// section 3.2.
const seedChanges = `[
 ["change", "modified_at", [1624648537726, 1624648551709]],
 ["change", "modified_by", ["admin", "operador"]],
 ["add", "legal_person", [["constitution", "horizontal_property_consortium"]]],
 ["change", "version", [1, 2]]
]`

func TestChangesUnmarshalSeedExample(t *testing.T) {
	var got Changes
	if err := json.Unmarshal([]byte(seedChanges), &got); err != nil {
		t.Fatal(err)
	}
	want := Changes{
		{Op: OpChange, Path: Path{"modified_at"}, Old: json.Number("1624648537726"), New: json.Number("1624648551709")},
		{Op: OpChange, Path: Path{"modified_by"}, Old: "admin", New: "operador"},
		{Op: OpAdd, Path: Path{"legal_person"}, Items: []Item{{Key: "constitution", Value: "horizontal_property_consortium"}}},
		{Op: OpChange, Path: Path{"version"}, Old: json.Number("1"), New: json.Number("2")},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("Unmarshal (-want +got):\n%s", d)
	}
}

func TestChangesJSONRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"seed example", seedChanges, `[["change","modified_at",[1624648537726,1624648551709]],["change","modified_by",["admin","operador"]],["add","legal_person",[["constitution","horizontal_property_consortium"]]],["change","version",[1,2]]]`},
		{"root add", `[["add","",[["risk","medium"]]]]`, `[["add","",[["risk","medium"]]]]`},
		{"empty list path is the root", `[["add",[],[["risk","medium"]]]]`, `[["add","",[["risk","medium"]]]]`},
		{"one-key list path becomes bare", `[["change",["risk"],["low","high"]]]`, `[["change","risk",["low","high"]]]`},
		{"nested path with index", `[["change",["addresses",0,"city"],["Rosario","Funes"]]]`, `[["change",["addresses",0,"city"],["Rosario","Funes"]]]`},
		{"array remove", `[["remove","labels",[[1,"b"],[0,"a"]]]]`, `[["remove","labels",[[1,"b"],[0,"a"]]]]`},
		{"integer above 2^53 stays exact", `[["change",["metadata","n"],[9007199254740993,1e400]]]`, `[["change",["metadata","n"],[9007199254740993,1e400]]]`},
		{"object values with sorted keys", `[["add","",[["m",{"b":1,"a":[true,null]}]]]]`, `[["add","",[["m",{"a":[true,null],"b":1}]]]]`},
		{"escapes kept, no HTML escaping", `[["change","n",["a\"<b>\u2028","\u00e9"]]]`, `[["change","n",["a\"<b>\u2028","é"]]]`},
		{"null list", `null`, `[]`},
		{"empty list", `[]`, `[]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var c Changes
			if err := json.Unmarshal([]byte(tt.in), &c); err != nil {
				t.Fatal(err)
			}
			got, err := c.MarshalJSON()
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tt.want, string(got)); d != "" {
				t.Errorf("Marshal (-want +got):\n%s", d)
			}
		})
	}
}

func TestChangesUnmarshalErrors(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want error
	}{
		{"not a list", `{"a":1}`, ErrInvalidChange},
		{"not a triple", `[["change","a"]]`, ErrInvalidChange},
		{"unknown op", `[["move","a",[1,2]]]`, ErrInvalidChange},
		{"path is a number", `[["change",3,[1,2]]]`, ErrInvalidChange},
		{"negative index", `[["change",["a",-1],[1,2]]]`, ErrInvalidChange},
		{"fractional index", `[["change",["a",1.0],[1,2]]]`, ErrInvalidChange},
		{"change values not a pair", `[["change","a",[1]]]`, ErrInvalidChange},
		{"add values not pairs", `[["add","a",[1]]]`, ErrInvalidChange},
		{"add key is a bool", `[["add","a",[[true,1]]]]`, ErrInvalidChange},
		{"bad JSON", `[["change","a",[1,2]]`, ErrInvalidJSON},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var c Changes
			err := c.UnmarshalJSON([]byte(tt.in))
			if !errors.Is(err, tt.want) {
				t.Fatalf("UnmarshalJSON error = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestChangeMarshalErrors(t *testing.T) {
	tests := []struct {
		name string
		in   Changes
	}{
		{"unknown op", Changes{{Op: "move", Path: Path{"a"}}}},
		{"bad path element", Changes{{Op: OpChange, Path: Path{"a", 1.5}}}},
		{"negative index", Changes{{Op: OpAdd, Path: Path{"a"}, Items: []Item{{Key: -1, Value: 1}}}}},
		{"invalid number", Changes{{Op: OpChange, Path: Path{"a"}, Old: json.Number("1x")}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := tt.in.MarshalJSON(); !errors.Is(err, ErrInvalidChange) {
				t.Fatalf("MarshalJSON error = %v, want ErrInvalidChange", err)
			}
		})
	}
}

func TestRedact(t *testing.T) {
	in := Changes{
		{Op: OpChange, Path: Path{"natural_person", "id_number"}, Old: "39499655", New: "39499656"},
		{Op: OpAdd, Path: Path{"contacts"}, Items: []Item{{Key: 1, Value: map[string]any{"value": "a@b.c"}}}},
		{Op: OpRemove, Path: nil, Items: []Item{{Key: "fatca_ssn", Value: "123-45-6789"}}},
	}
	want := Changes{
		{Op: OpChange, Path: Path{"natural_person", "id_number"}},
		{Op: OpAdd, Path: Path{"contacts"}, Items: []Item{{Key: 1}}},
		{Op: OpRemove, Path: nil, Items: []Item{{Key: "fatca_ssn"}}},
	}
	got := in.Redact()
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("Redact (-want +got):\n%s", d)
	}
	if in[0].Old != "39499655" || in[1].Items[0].Value == nil {
		t.Error("Redact modified its receiver")
	}
	b, err := json.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	wantJSON := `[["change",["natural_person","id_number"],[null,null]],["add","contacts",[[1,null]]],["remove","",[["fatca_ssn",null]]]]`
	if d := cmp.Diff(wantJSON, string(b)); d != "" {
		t.Errorf("redacted JSON (-want +got):\n%s", d)
	}
}

func TestPaths(t *testing.T) {
	c := Changes{
		{Op: OpChange, Path: Path{"addresses", 1, "country"}},
		{Op: OpChange, Path: Path{"name"}},
		{Op: OpAdd, Path: Path{"legal_person"}, Items: []Item{{Key: "constitution"}}},
		{Op: OpAdd, Path: Path{"contacts"}, Items: []Item{{Key: 2}, {Key: 3}}},
		{Op: OpRemove, Path: nil, Items: []Item{{Key: "metadata"}}},
		{Op: OpChange, Path: Path{"metadata", "a.b"}},
		{Op: OpChange, Path: Path{"name"}},
		{Op: OpChange, Path: nil},
	}
	want := []string{"addresses[1].country", "name", "legal_person.constitution", "contacts[2]", "contacts[3]", "metadata", `metadata["a.b"]`, ""}
	if d := cmp.Diff(want, c.Paths()); d != "" {
		t.Errorf("Paths (-want +got):\n%s", d)
	}
}
