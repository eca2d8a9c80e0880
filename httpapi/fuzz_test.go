package httpapi

import (
	"bytes"
	"testing"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// FuzzMergePatch holds RFC 7396's properties: the result is JSON, applying
// the same patch again changes nothing, and every non-object member of an
// object patch is in the result as given (null ones are gone).
func FuzzMergePatch(f *testing.F) {
	f.Add(`{"a":"b","c":{"d":"e","f":"g"}}`, `{"a":"z","c":{"f":null}}`)
	f.Add(`{"a":[1,2]}`, `{"a":[{"b":null}]}`)
	f.Add(`[1]`, `{"a":1}`)
	f.Add(`{"n":12345678901234567890}`, `{"m":1e400}`)
	f.Fuzz(func(t *testing.T, target, patch string) {
		tv, pv := jsontext.Value(target), jsontext.Value(patch)
		if !tv.IsValid() || !pv.IsValid() {
			return
		}
		once, err := mergePatch(tv, pv)
		if err != nil {
			t.Fatalf("mergePatch: %v", err)
		}
		if !once.IsValid() {
			t.Fatalf("not JSON: %s", once)
		}
		twice, err := mergePatch(once, pv)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(once, twice) {
			t.Fatalf("a merge patch applied twice differs:\n%s\n%s", once, twice)
		}
		if pv.Kind() != '{' {
			return
		}
		var members map[string]jsontext.Value
		var result map[string]jsontext.Value
		if json.Unmarshal(pv, &members) != nil || json.Unmarshal(once, &result) != nil {
			return
		}
		for k, v := range members {
			got, ok := result[k]
			switch {
			case v.Kind() == 'n' && ok:
				t.Fatalf("member %q was removed by the patch but is in the result", k)
			case v.Kind() != 'n' && v.Kind() != '{' && !bytes.Equal(got, v):
				t.Fatalf("member %q is %s, want %s", k, got, v)
			}
		}
	})
}

// FuzzDepth holds the byte scan that bounds a body's nesting to the
// deepest nesting a JSON decoder sees in the same valid text.
func FuzzDepth(f *testing.F) {
	f.Add(`{"a":[{"b":"[[{\"]"}]}`)
	f.Add(`"\\"`)
	f.Add(`[[[[]]],{}]`)
	f.Fuzz(func(t *testing.T, s string) {
		v := jsontext.Value(s)
		if !v.IsValid() {
			depth([]byte(s)) // must not panic on anything
			return
		}
		d := jsontext.NewDecoder(bytes.NewReader(v), jsontext.AllowDuplicateNames(true), jsontext.AllowInvalidUTF8(true))
		most := 0
		for {
			if _, err := d.ReadToken(); err != nil {
				break
			}
			most = max(most, d.StackDepth())
		}
		if got := depth(v); got != most {
			t.Fatalf("depth %d, the decoder's %d, for %s", got, most, s)
		}
	})
}

// FuzzPointer: every path becomes a pointer whose tokens are escaped.
func FuzzPointer(f *testing.F) {
	f.Add("addresses[1].country")
	f.Add("metadata.a/b~c")
	f.Add("[0][1]")
	f.Fuzz(func(t *testing.T, path string) {
		p := Pointer(path)
		if path != "" && (p == "" || p[0] != '/') {
			t.Fatalf("Pointer(%q) = %q, not a pointer", path, p)
		}
		if !jsontext.Pointer(p).IsValid() {
			t.Fatalf("Pointer(%q) = %q, not a valid JSON pointer", path, p)
		}
	})
}
