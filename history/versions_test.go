package history

import (
	"encoding/json"
	"errors"
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// profileDoc is a profile-like document (seed 003, section 3.1) to edit.
func profileDoc() map[string]any {
	return map[string]any{
		"id": "60d62ea15857d9d371b6d4d3", "version": json.Number("1"), "name": "John Doe",
		"person_type": "natural_person", "state": "creating", "risk": "low",
		"modified_at": json.Number("1624649377290"),
		"natural_person": map[string]any{
			"name":       map[string]any{"first": "John", "middle": "", "last": "Doe"},
			"birth_date": json.Number("865987200000"), "gender": "male", "is_employee": false,
		},
		"contacts": []any{
			map[string]any{"contact_type": "email", "value": "john@example.com", "main": true},
		},
		"labels":   []any{"vip"},
		"metadata": map[string]any{"accounts": []any{"ACC-1"}},
	}
}

// randomEdit changes doc in place in one of the ways a profile is edited:
// scalar changes, list elements added and removed, nested changes, keys
// added and removed, values changing kind.
func randomEdit(r *rand.Rand, doc map[string]any) {
	n := strconv.Itoa(r.IntN(1000))
	switch r.IntN(9) {
	case 0:
		doc["risk"] = []string{"low", "medium", "high"}[r.IntN(3)]
	case 1:
		doc["natural_person"].(map[string]any)["name"].(map[string]any)["first"] = "N" + n
	case 2:
		doc["contacts"] = append(doc["contacts"].([]any), map[string]any{"contact_type": "mobile", "value": "+54" + n, "main": false})
	case 3:
		if c := doc["contacts"].([]any); len(c) > 0 {
			i := r.IntN(len(c))
			doc["contacts"] = append(c[:i:i], c[i+1:]...)
		}
	case 4:
		if c := doc["contacts"].([]any); len(c) > 0 {
			c[r.IntN(len(c))].(map[string]any)["main"] = r.IntN(2) == 0
		}
	case 5:
		doc["metadata"].(map[string]any)["k"+n] = json.Number("9007199254740993" + n)
	case 6:
		m := doc["metadata"].(map[string]any)
		for k := range m {
			delete(m, k)
			break
		}
	case 7:
		if _, ok := doc["labels"].([]any); ok {
			doc["labels"] = "none"
		} else {
			doc["labels"] = []any{"vip", "l" + n}
		}
	case 8:
		if _, ok := doc["external_ref"]; ok {
			delete(doc, "external_ref")
		} else {
			doc["external_ref"] = "X" + n
		}
	}
}

// history200 returns 201 versions (index 0 unused: versions start at 1) of
// a document after 200 random edits, and the entries between them.
func history200(t testing.TB) ([]any, []Entry) {
	r := rand.New(rand.NewPCG(5, 200))
	versions := []any{nil, profileDoc()}
	var entries []Entry
	for v := 1; v <= 200; v++ {
		next := deepCopy(versions[v]).(map[string]any)
		for range 1 + r.IntN(3) {
			randomEdit(r, next)
		}
		next["version"] = json.Number(strconv.Itoa(v + 1))
		next["modified_at"] = json.Number(strconv.Itoa(1624649377290 + v*1000))
		versions = append(versions, next)
		entries = append(entries, Entry{
			ID: "h" + strconv.Itoa(v), OrigID: "60d62ea15857d9d371b6d4d3", CreatedAt: int64(1624649377290 + v*1000),
			CreatedBy: "operador", Version: v, Changes: Diff(versions[v], next),
		})
	}
	// Store and load the entries, as a storage adapter does.
	b, err := json.Marshal(entries)
	if err != nil {
		t.Fatal(err)
	}
	var loaded []Entry
	if err := json.Unmarshal(b, &loaded); err != nil {
		t.Fatal(err)
	}
	return versions, loaded
}

func TestRebuildAndReplay200Edits(t *testing.T) {
	versions, entries := history200(t)
	current := versions[201]
	newestFirst := make([]Entry, len(entries))
	for i, e := range entries {
		newestFirst[len(entries)-1-i] = e
	}
	shuffled := append([]Entry(nil), entries...)
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	for v := 1; v <= 201; v++ {
		for name, list := range map[string][]Entry{"oldest first": entries, "newest first": newestFirst, "shuffled": shuffled} {
			got, err := Rebuild(current, 201, list, v)
			if err != nil {
				t.Fatalf("Rebuild(%s) version %d: %v", name, v, err)
			}
			if !Equal(versions[v], got) {
				t.Fatalf("Rebuild(%s) version %d (-want +got):\n%s", name, v, cmp.Diff(versions[v], got))
			}
		}
		got, err := Replay(versions[1], shuffled, v)
		if err != nil {
			t.Fatalf("Replay version %d: %v", v, err)
		}
		if !Equal(versions[v], got) {
			t.Fatalf("Replay version %d (-want +got):\n%s", v, cmp.Diff(versions[v], got))
		}
	}
	if !Equal(versions[201], current) {
		t.Error("Rebuild modified the current document")
	}
}

func TestRebuildErrors(t *testing.T) {
	versions, entries := history200(t)
	current := versions[201]
	corrupt := append([]Entry(nil), entries...)
	corrupt[149].Changes = Changes{{Op: OpChange, Path: Path{"version"}, Old: json.Number("1"), New: json.Number("2")}}
	tests := []struct {
		name        string
		entries     []Entry
		version     int
		wantErr     error
		wantVersion int
	}{
		{"version 0", entries, 0, ErrVersionNotFound, 0},
		{"version after current", entries, 202, ErrVersionNotFound, 202},
		{"entry missing", append(append([]Entry(nil), entries[:99]...), entries[100:]...), 50, ErrVersionNotFound, 100},
		{"entry duplicated", append(append([]Entry(nil), entries...), entries[120]), 50, ErrVersionNotFound, 121},
		{"entry does not apply", corrupt, 1, ErrValueMismatch, 150},
		{"redacted entries do not apply", []Entry{{Version: 200, Changes: entries[199].Changes.Redact()}}, 200, ErrValueMismatch, 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Rebuild(current, 201, tt.entries, tt.version)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Rebuild error = %v, want %v", err, tt.wantErr)
			}
			var ve *VersionError
			if !errors.As(err, &ve) || ve.Version != tt.wantVersion {
				t.Fatalf("Rebuild error = %v, want a *VersionError for version %d", err, tt.wantVersion)
			}
			if got != nil {
				t.Error("Rebuild returned a document with an error")
			}
		})
	}
}

func TestReplayStartsAtOldestEntry(t *testing.T) {
	versions, entries := history200(t)
	// A history kept from version 150 on: replay from the snapshot of 150.
	got, err := Replay(versions[150], entries[149:], 180)
	if err != nil {
		t.Fatal(err)
	}
	if !Equal(versions[180], got) {
		t.Errorf("Replay (-want +got):\n%s", cmp.Diff(versions[180], got))
	}
	if _, err := Replay(versions[150], entries[149:], 120); !errors.Is(err, ErrVersionNotFound) {
		t.Errorf("Replay before the oldest entry: error %v, want ErrVersionNotFound", err)
	}
	if got, err := Replay(versions[1], nil, 1); err != nil || !Equal(versions[1], got) {
		t.Errorf("Replay with no entries = %v, %v; want the initial document", got, err)
	}
}

func TestEntryJSON(t *testing.T) {
	in := `{"id":"h1","orig_id":"60d6313e5857d9d371b6d4fa","created_at":1624648551709,"created_by":"operador","version":1,"changes":` + seedChanges + `}`
	var e Entry
	if err := json.Unmarshal([]byte(in), &e); err != nil {
		t.Fatal(err)
	}
	if e.OrigID != "60d6313e5857d9d371b6d4fa" || e.Version != 1 || len(e.Changes) != 4 {
		t.Fatalf("decoded entry %+v", e)
	}
	out, err := json.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"id":"h1","orig_id":"60d6313e5857d9d371b6d4fa","created_at":1624648551709,"created_by":"operador","version":1,"changes":[["change","modified_at",[1624648537726,1624648551709]],["change","modified_by",["admin","operador"]],["add","legal_person",[["constitution","horizontal_property_consortium"]]],["change","version",[1,2]]]}`
	if d := cmp.Diff(want, string(out)); d != "" {
		t.Errorf("Marshal (-want +got):\n%s", d)
	}
	empty, err := json.Marshal(Entry{ID: "h2", Version: 3})
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(`{"id":"h2","orig_id":"","created_at":0,"created_by":"","version":3,"changes":[]}`, string(empty)); d != "" {
		t.Errorf("Marshal of an entry without changes (-want +got):\n%s", d)
	}
}
