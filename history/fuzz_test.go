package history

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// addVectorSeeds adds the pairs of the shared vectors, sorted and in
// document order, to the corpus when the shared folder is there; fuzzing
// works without them.
func addVectorSeeds(f *testing.F, add func(a, b []byte)) {
	for _, name := range []string{"dictdiffer-vectors.json", "dictdiffer-vectors-document-order.json"} {
		data, err := os.ReadFile(filepath.Join("..", "..", "shared", "testdata", "history", name))
		if err != nil {
			return
		}
		var vs []vector
		if json.Unmarshal(data, &vs) != nil {
			return
		}
		for _, v := range vs {
			// Large inputs make every minimisation of a new input slow;
			// the full vectors run in TestVectors and
			// TestDocumentOrderVectors.
			if len(v.First)+len(v.Second) <= 1024 {
				add(v.First, v.Second)
			}
		}
	}
}

// stdDecodeErr decodes like encoding/json with UseNumber, the reference
// the trees of this package must agree with.
func stdDecodeErr(data []byte) (any, error) {
	if !json.Valid(data) {
		return nil, ErrInvalidJSON
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return v, nil
}

func FuzzRoundTrip(f *testing.F) {
	seeds := [][2]string{
		{`{"a":1}`, `{"a":1.0,"b":[1,2,{"c":null}]}`},
		{`[1,[2,3],{"x":"y"}]`, `[[2],"s"]`},
		{`{"m":[[1,2],[3]]}`, `{"m":[[1,2,5],[4],[6]]}`},
		{`"\ud800\u00e9\\"`, `{"":{"":[]}}`},
		{`{"n":9007199254740993}`, `{"n":9007199254740992}`},
		{`{"a":true}`, `{"a":1}`},
	}
	for _, s := range seeds {
		f.Add([]byte(s[0]), []byte(s[1]))
	}
	addVectorSeeds(f, func(a, b []byte) { f.Add(a, b) })
	f.Fuzz(func(t *testing.T, a, b []byte) {
		va := checkDecoder(t, a)
		vb := checkDecoder(t, b)
		fromJSON, err := DiffJSON(a, b)
		if (err == nil) != (va != nil && vb != nil) {
			t.Fatalf("DiffJSON error %v, decoder accepts first %t, second %t", err, va != nil, vb != nil)
		}
		if va == nil || vb == nil {
			return
		}
		// DiffJSON compares its own trees, not the decoded values: it
		// must find the changes Diff finds, in the text's order of
		// dictdiffer's walk, and they must apply both ways.
		first, second := va.([]any)[0], vb.([]any)[0]
		sameChangesAnyOrder(t, Diff(first, second), fromJSON)
		if d := cmp.Diff(referenceDiffJSON(t, a, b), fromJSON, numberComparer); d != "" {
			t.Fatalf("DiffJSON differs from the reference walk (-want +got):\n%s", d)
		}
		checkRoundTrip(t, fromJSON, first, second)
		changes := Diff(va, vb)
		checkRoundTrip(t, changes, va, vb)
		// The changes survive their JSON form.
		enc, err := changes.MarshalJSON()
		if err != nil {
			t.Fatalf("MarshalJSON: %v", err)
		}
		var decoded Changes
		if err := decoded.UnmarshalJSON(enc); err != nil {
			t.Fatalf("UnmarshalJSON of %s: %v", enc, err)
		}
		checkRoundTrip(t, decoded, va, vb)
	})
}

// checkDecoder decodes data with this package's decoder and with
// encoding/json, fails if they disagree, and returns the value (wrapped so
// that JSON null is not nil) or nil when data is not JSON.
func checkDecoder(t *testing.T, data []byte) any {
	t.Helper()
	got, err := decodeJSON(data)
	want, stdErr := stdDecodeErr(data)
	if (err == nil) != (stdErr == nil) {
		t.Fatalf("decoder error %v, encoding/json error %v", err, stdErr)
	}
	if err != nil {
		return nil
	}
	if !Equal(want, got) {
		t.Fatalf("decoder gave %#v, encoding/json %#v", got, want)
	}
	return []any{got}
}

func FuzzChangesJSON(f *testing.F) {
	seeds := []string{
		seedChanges,
		`[["add","",[["risk","medium"]]]]`,
		`[["remove",["labels"],[[1,"b"],[0,"a"]]]]`,
		`[["change",["a",0,"b"],[{"x":[1e400,-0]},null]]]`,
		`null`,
		`[["change","",["\u2028",true]]]`,
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var c Changes
		if err := json.Unmarshal(data, &c); err != nil {
			return
		}
		first, err := c.MarshalJSON()
		if err != nil {
			t.Fatalf("decoded changes do not encode: %v", err)
		}
		var again Changes
		if err := json.Unmarshal(first, &again); err != nil {
			t.Fatalf("encoded changes %s do not decode: %v", first, err)
		}
		second, err := again.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(first, second) {
			t.Fatalf("encoding not stable:\n%s\n%s", first, second)
		}
	})
}
