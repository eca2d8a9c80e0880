package history

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/kycsdk/kyc/internal/sharedtest"
)

// numberComparer makes cmp compare json.Number by value, as the vectors ask
// ("1 and 1.0 are the same JSON number").
var numberComparer = cmp.Comparer(func(a, b json.Number) bool { return numbersEqual(string(a), string(b)) })

type vector struct {
	Name    string          `json:"name"`
	First   json.RawMessage `json:"first"`
	Second  json.RawMessage `json:"second"`
	Changes json.RawMessage `json:"changes"`
}

func loadVectors(t testing.TB) []vector {
	var vs []vector
	if err := json.Unmarshal(sharedtest.Read(t, "testdata/history/dictdiffer-vectors.json"), &vs); err != nil {
		t.Fatal(err)
	}
	if len(vs) == 0 {
		t.Fatal("no vectors")
	}
	return vs
}

// stdDecode decodes with encoding/json and UseNumber, independently of this
// package's decoder.
func stdDecode(t testing.TB, data []byte) any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

func TestVectors(t *testing.T) {
	for _, v := range loadVectors(t) {
		t.Run(v.Name, func(t *testing.T) {
			first, second := stdDecode(t, v.First), stdDecode(t, v.Second)
			var want Changes
			if err := json.Unmarshal(v.Changes, &want); err != nil {
				t.Fatal(err)
			}
			got := Diff(first, second)
			if d := cmp.Diff(want, got, numberComparer, cmpopts.EquateEmpty()); d != "" {
				t.Errorf("Diff (-want +got):\n%s", d)
			}
			// The documents of this file have their keys sorted, so the
			// text's order that DiffJSON follows is Diff's order too.
			fromJSON, err := DiffJSON(v.First, v.Second)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(want, fromJSON, numberComparer, cmpopts.EquateEmpty()); d != "" {
				t.Errorf("DiffJSON (-want +got):\n%s", d)
			}
			checkRoundTrip(t, want, first, second)
		})
	}
}

// checkRoundTrip checks Patch(changes, first) == second and
// Revert(changes, second) == first, and that neither input changed.
func checkRoundTrip(t *testing.T, changes Changes, first, second any) {
	t.Helper()
	firstCopy, secondCopy := deepCopy(first), deepCopy(second)
	patched, err := Patch(changes, first)
	if err != nil {
		t.Fatalf("Patch: %v", err)
	}
	if !Equal(second, patched) {
		t.Errorf("Patch(changes, first) != second:\n%s", cmp.Diff(second, patched, numberComparer))
	}
	reverted, err := Revert(changes, second)
	if err != nil {
		t.Fatalf("Revert: %v", err)
	}
	if !Equal(first, reverted) {
		t.Errorf("Revert(changes, second) != first:\n%s", cmp.Diff(first, reverted, numberComparer))
	}
	if !Equal(firstCopy, first) || !Equal(secondCopy, second) {
		t.Error("Patch or Revert modified its input")
	}
}

func deepCopy(v any) any {
	switch c := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(c))
		for k, e := range c {
			out[k] = deepCopy(e)
		}
		return out
	case []any:
		out := make([]any, len(c))
		for i, e := range c {
			out[i] = deepCopy(e)
		}
		return out
	}
	return v
}

// The legal person of seed 003 section 3.1.1.2 as it must have been at
// version 1 for the history example of section 3.2 to apply to it: without
// constitution (the example adds it), modified at 1624648537726 by "admin".
const seedLegalPersonV1 = `{
 "created_at":1624650046220, "modified_at":1624648537726,
 "created_by":"smart_operador", "modified_by":"admin",
 "name":"Araoz S.R.L.", "tax_payer_id":"33-96669665-8", "person_type":"legal_person",
 "legal_person":{"is_listed_on_stock_exchange":false, "foundation_date":1276041600000},
 "version":1, "state":"creating", "last_due_diligence_at":1624573651797,
 "id":"60d6313e5857d9d371b6d4fa"}`

const seedLegalPersonV2 = `{
 "created_at":1624650046220, "modified_at":1624648551709,
 "created_by":"smart_operador", "modified_by":"operador",
 "name":"Araoz S.R.L.", "tax_payer_id":"33-96669665-8", "person_type":"legal_person",
 "legal_person":{"constitution":"horizontal_property_consortium", "is_listed_on_stock_exchange":false, "foundation_date":1276041600000},
 "version":2, "state":"creating", "last_due_diligence_at":1624573651797,
 "id":"60d6313e5857d9d371b6d4fa"}`

func TestSeedHistoryExample(t *testing.T) {
	var changes Changes
	if err := json.Unmarshal([]byte(seedChanges), &changes); err != nil {
		t.Fatal(err)
	}
	v1, v2 := stdDecode(t, []byte(seedLegalPersonV1)), stdDecode(t, []byte(seedLegalPersonV2))
	// The seed lists its changes in an order of its own; Patch and Revert
	// accept any order that applies.
	checkRoundTrip(t, changes, v1, v2)
	// Diff gives the same changes in the canonical order.
	want := Changes{changes[2], changes[0], changes[1], changes[3]}
	if d := cmp.Diff(want, Diff(v1, v2), numberComparer); d != "" {
		t.Errorf("Diff (-want +got):\n%s", d)
	}
}

func TestDiffNumbers(t *testing.T) {
	tests := []struct {
		name string
		a, b any
		want Changes
	}{
		{"1 equals 1.0", json.Number("1"), json.Number("1.0"), nil},
		{"json.Number equals float64", json.Number("1234.5"), 1234.5, nil},
		{"int equals json.Number", 3, json.Number("3e0"), nil},
		{"int64 equals float64", int64(-2), -2.0, nil},
		{"zero equals negative zero", json.Number("0"), json.Number("-0.0"), nil},
		{"integers above 2^53 stay distinct", json.Number("9007199254740993"), json.Number("9007199254740992"),
			Changes{{Op: OpChange, Old: json.Number("9007199254740993"), New: json.Number("9007199254740992")}}},
		{"long decimals stay distinct", json.Number("0.10000000000000000001"), json.Number("0.1"),
			Changes{{Op: OpChange, Old: json.Number("0.10000000000000000001"), New: json.Number("0.1")}}},
		{"true is not 1", true, json.Number("1"), Changes{{Op: OpChange, Old: true, New: json.Number("1")}}},
		{"null is not false", nil, false, Changes{{Op: OpChange, Old: nil, New: false}}},
		{"empty object is not empty array", map[string]any{}, []any{}, Changes{{Op: OpChange, Old: map[string]any{}, New: []any{}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if d := cmp.Diff(tt.want, Diff(tt.a, tt.b)); d != "" {
				t.Errorf("Diff (-want +got):\n%s", d)
			}
		})
	}
}

func TestDiffCanonicalOrder(t *testing.T) {
	a := map[string]any{"z": "1", "b": map[string]any{"y": "1", "x": "1", "gone": "g"}, "a": []any{"p", "q", "r"}, "old2": "o", "old1": "o"}
	b := map[string]any{"z": "2", "b": map[string]any{"y": "2", "x": "2", "new": "n"}, "a": []any{"P"}, "new2": "n", "new1": "n"}
	want := Changes{
		{Op: OpChange, Path: Path{"a", 0}, Old: "p", New: "P"},
		{Op: OpRemove, Path: Path{"a"}, Items: []Item{{Key: 2, Value: "r"}, {Key: 1, Value: "q"}}},
		{Op: OpChange, Path: Path{"b", "x"}, Old: "1", New: "2"},
		{Op: OpChange, Path: Path{"b", "y"}, Old: "1", New: "2"},
		{Op: OpAdd, Path: Path{"b"}, Items: []Item{{Key: "new", Value: "n"}}},
		{Op: OpRemove, Path: Path{"b"}, Items: []Item{{Key: "gone", Value: "g"}}},
		{Op: OpChange, Path: Path{"z"}, Old: "1", New: "2"},
		{Op: OpAdd, Items: []Item{{Key: "new1", Value: "n"}, {Key: "new2", Value: "n"}}},
		{Op: OpRemove, Items: []Item{{Key: "old1", Value: "o"}, {Key: "old2", Value: "o"}}},
	}
	// Map iteration order varies from run to run: repeat to catch an order
	// that only holds by chance.
	for range 20 {
		if d := cmp.Diff(want, Diff(a, b)); d != "" {
			t.Fatalf("Diff (-want +got):\n%s", d)
		}
	}
}

func TestDiffJSONErrors(t *testing.T) {
	tests := []struct {
		name string
		a, b string
	}{
		{"first invalid", `{"a":`, `{}`},
		{"second invalid", `{}`, `{"a" 1}`},
		{"trailing data", `{} {}`, `{}`},
		{"trailing comma", `{"a":1,}`, `{}`},
		{"leading zero", `{"a":01}`, `{}`},
		{"empty", ``, `{}`},
		{"invalid escape", `"\x"`, `{}`},
		{"non-string key", `{1:2}`, `{}`},
		{"deeper than encoding/json's limit", strings.Repeat("[", 10001) + strings.Repeat("]", 10001), `[]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := DiffJSON([]byte(tt.a), []byte(tt.b)); !errors.Is(err, ErrInvalidJSON) {
				t.Fatalf("DiffJSON error = %v, want ErrInvalidJSON", err)
			}
		})
	}
}

func TestPatchErrors(t *testing.T) {
	doc := map[string]any{"name": "A", "labels": []any{"x"}, "np": map[string]any{"first": "J"}}
	tests := []struct {
		name     string
		changes  Changes
		wantErr  error
		wantPath string
		wantIdx  int
	}{
		{"missing key", Changes{{Op: OpChange, Path: Path{"risk"}, Old: "low", New: "high"}}, ErrPathNotFound, "risk", 0},
		{"missing parent", Changes{{Op: OpChange, Path: Path{"legal_person", "constitution"}, Old: nil, New: "x"}}, ErrPathNotFound, "legal_person", 0},
		{"old value differs", Changes{{Op: OpChange, Path: Path{"name"}, Old: "B", New: "C"}}, ErrValueMismatch, "name", 0},
		{"key exists on add", Changes{{Op: OpAdd, Path: Path{"np"}, Items: []Item{{Key: "first", Value: "K"}}}}, ErrKeyExists, "np.first", 0},
		{"index beyond end on add", Changes{{Op: OpAdd, Path: Path{"labels"}, Items: []Item{{Key: 2, Value: "y"}}}}, ErrPathNotFound, "labels[2]", 0},
		{"removed value differs", Changes{{Op: OpRemove, Path: Path{"labels"}, Items: []Item{{Key: 0, Value: "y"}}}}, ErrValueMismatch, "labels[0]", 0},
		{"remove missing key", Changes{{Op: OpRemove, Items: []Item{{Key: "risk", Value: "low"}}}}, ErrPathNotFound, "risk", 0},
		{"index into object", Changes{{Op: OpChange, Path: Path{"np", 0}, Old: "J", New: "K"}}, ErrPathNotFound, "np[0]", 0},
		{"key into scalar", Changes{{Op: OpChange, Path: Path{"name", "x"}, Old: "J", New: "K"}}, ErrPathNotFound, "name.x", 0},
		{"add to scalar", Changes{{Op: OpAdd, Path: Path{"name"}, Items: []Item{{Key: "x", Value: 1}}}}, ErrPathNotFound, "name", 0},
		{"string key into array", Changes{{Op: OpAdd, Path: Path{"labels"}, Items: []Item{{Key: "x", Value: 1}}}}, ErrPathNotFound, `labels.x`, 0},
		{"unknown op", Changes{{Op: "move", Path: Path{"name"}}}, ErrInvalidChange, "name", 0},
		{"second change fails, first not kept", Changes{
			{Op: OpChange, Path: Path{"name"}, Old: "A", New: "B"},
			{Op: OpChange, Path: Path{"name"}, Old: "A", New: "C"},
		}, ErrValueMismatch, "name", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := deepCopy(doc)
			got, err := Patch(tt.changes, doc)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Patch error = %v, want %v", err, tt.wantErr)
			}
			var pe *PatchError
			if !errors.As(err, &pe) {
				t.Fatalf("Patch error %T is not a *PatchError", err)
			}
			if pe.Path.String() != tt.wantPath || pe.Change != tt.wantIdx {
				t.Errorf("PatchError at change %d path %q, want %d %q", pe.Change, pe.Path, tt.wantIdx, tt.wantPath)
			}
			if got != nil {
				t.Errorf("Patch returned %v with an error, want nil", got)
			}
			if !Equal(before, doc) {
				t.Error("Patch modified its input")
			}
		})
	}
}

func TestPatchErrorHasNoValues(t *testing.T) {
	doc := map[string]any{"tax_payer_id": "20-39499655-9"}
	_, err := Patch(Changes{{Op: OpChange, Path: Path{"tax_payer_id"}, Old: "20-11111111-1", New: "x"}}, doc)
	want := "history: change 0 at tax_payer_id: value differs from the recorded one"
	if err == nil || err.Error() != want {
		t.Fatalf("error = %v, want %q", err, want)
	}
}

func TestPatchSharesNothingItWrites(t *testing.T) {
	added := map[string]any{"v": "1"}
	changes := Changes{
		{Op: OpAdd, Path: Path{"list"}, Items: []Item{{Key: 0, Value: added}}},
		{Op: OpChange, Path: Path{"list", 0, "v"}, Old: "1", New: "2"},
	}
	doc := map[string]any{"list": []any{}}
	got, err := Patch(changes, doc)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"list": []any{map[string]any{"v": "2"}}}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("Patch (-want +got):\n%s", d)
	}
	if added["v"] != "1" {
		t.Error("Patch wrote into a value of the changes")
	}
}

// TestDiffJSONAgreesWithDiff covers what DiffJSON's trees do differently
// from decoded values: members kept in the text's order, duplicate keys,
// keys with escapes, numbers compared by value, and whole values rebuilt
// only when they are in a change. DiffJSON finds the changes Diff finds, in
// the order of the text (dictdiffer's on json.loads output) where Diff
// sorts keys.
func TestDiffJSONAgreesWithDiff(t *testing.T) {
	tests := []struct {
		name string
		a, b string
	}{
		{"unsorted keys", `{"z":1,"b":2,"m":{"y":1,"a":2}}`, `{"m":{"a":3,"y":1},"b":2,"z":4,"c":5}`},
		{"duplicate keys, last wins", `{"a":1,"a":2,"b":1}`, `{"a":2,"b":1,"b":3}`},
		{"escaped keys", `{"\u0062":1,"a\"":2,"\u00e9":3}`, `{"b":2,"a\"":2,"é":3,"\ud83d\ude00":0}`},
		{"numbers by value", `{"a":1,"b":1e2,"c":9007199254740993}`, `{"a":1.0,"b":100,"c":9007199254740992}`},
		{"kinds", `{"a":true,"b":null,"c":"1","d":[],"e":{}}`, `{"a":1,"b":false,"c":1,"d":{},"e":[]}`},
		{"array grows and shrinks", `{"l":[1,[2,3],{"x":"y"}],"m":[1,2,3]}`, `{"l":[1,[2],{"x":"z"},{"n":[true]}],"m":[1]}`},
		{"added and removed containers", `{"gone":{"k":[1,{"d":null}]}}`, `{"new":[{"k":"v"}]}`},
		{"root scalars", `"a"`, `"b"`},
		{"root kinds", `[1]`, `{"1":1}`},
		{"equal", `{"a":[1,{"b":"c"}]}`, ` { "a" : [ 1 , { "b" : "c" } ] } `},
		{"invalid utf-8 replaced", "{\"a\":\"\xff\"}", `{"a":"\ufffd"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, b := stdDecode(t, []byte(tt.a)), stdDecode(t, []byte(tt.b))
			want := Diff(a, b)
			got, err := DiffJSON([]byte(tt.a), []byte(tt.b))
			if err != nil {
				t.Fatal(err)
			}
			sameChangesAnyOrder(t, want, got)
			if d := cmp.Diff(referenceDiffJSON(t, []byte(tt.a), []byte(tt.b)), got, numberComparer); d != "" {
				t.Errorf("DiffJSON differs from the reference walk (-want +got):\n%s", d)
			}
		})
	}
}
