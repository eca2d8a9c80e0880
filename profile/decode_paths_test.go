package profile

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// decodeBothWays decodes data through decodeInto (fast path when it applies)
// and through decodeGeneral alone, which every input could take. The depth
// check, shared by both, runs first as in decodeInto.
func decodeBothWays(data []byte, strict bool) (fast, general *Profile, fastErr, generalErr error) {
	fast, general = new(Profile), new(Profile)
	fastErr = decodeInto(data, strict, fast)
	if len(data) > MaxInputSize || jsonDepth(data) > MaxDepth {
		return fast, general, fastErr, fastErr
	}
	generalErr = decodeGeneral(data, strict, general)
	return fast, general, fastErr, generalErr
}

// errorView is what a caller can see of a decode error: its text and, for
// the typed errors, every field.
func errorView(err error) string {
	if err == nil {
		return "<nil>"
	}
	var te *TypeError
	if errors.As(err, &te) {
		return fmt.Sprintf("%#v", *te)
	}
	var se *SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf("%#v", *se)
	}
	var ue *UnknownFieldError
	if errors.As(err, &ue) {
		return fmt.Sprintf("%#v", *ue)
	}
	return err.Error()
}

func comparePaths(t *testing.T, data []byte) {
	t.Helper()
	// decodeFast on its own: when it takes the input it must give what
	// encoding/json gives, which must not fail.
	if fast := new(Profile); decodeFast(data, fast) {
		checkFastResult(t, data, fast)
	}
	for _, strict := range []bool{false, true} {
		fast, general, fastErr, generalErr := decodeBothWays(data, strict)
		if diff := cmp.Diff(errorView(generalErr), errorView(fastErr)); diff != "" {
			t.Fatalf("strict=%v: error differs from the general path (-general +fast):\n%s", strict, diff)
		}
		if fastErr != nil {
			continue
		}
		// reflect.DeepEqual first: cmp takes exponential time on deeply
		// nested metadata arrays even when they are equal.
		if reflect.DeepEqual(general, fast) {
			continue
		}
		if diff := cmp.Diff(general, fast); diff != "" {
			t.Fatalf("strict=%v: profile differs from the general path (-general +fast):\n%s", strict, diff)
		}
	}
}

// TestPrescan: depth as jsonDepth counts it, and whether the fast path may
// take the input.
func TestPrescan(t *testing.T) {
	tests := []struct {
		name      string
		in        string
		wantDepth int
		wantKnown bool
	}{
		{name: "empty object", in: `{}`, wantDepth: 1, wantKnown: true},
		{name: "known keys", in: ` {"id":"a", "name" : "b","contacts":[{"value":"x"}]}`, wantDepth: 3, wantKnown: true},
		{name: "unknown key", in: `{"id":"a","zz":1}`, wantDepth: 1},
		{name: "case-folded key", in: `{"Name":"a"}`, wantDepth: 1},
		{name: "escaped known key", in: `{"i\u0064":"a"}`, wantDepth: 1},
		{name: "nested unknown key is not top-level", in: `{"metadata":{"zz":{"name":1}}}`, wantDepth: 3, wantKnown: true},
		{name: "known key as a value", in: `{"name":"zz","id":"{["}`, wantDepth: 1, wantKnown: true},
		{name: "array at top", in: `[{"id":1}]`, wantDepth: 2},
		{name: "string at top", in: `"id"`},
		{name: "empty input", in: ``},
		{name: "brackets in strings", in: `{"name":"]]]}}}\"[[["}`, wantDepth: 1, wantKnown: true},
		{name: "unknown key after nested object", in: `{"legal_person":{"a":1},"zz":2}`, wantDepth: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			depth, known := prescan([]byte(tt.in))
			if diff := cmp.Diff([2]any{tt.wantDepth, tt.wantKnown}, [2]any{depth, known}); diff != "" {
				t.Errorf("depth, allKnown (-want +got):\n%s", diff)
			}
			if got := jsonDepth([]byte(tt.in)); got != depth {
				t.Errorf("jsonDepth = %d, prescan depth = %d", got, depth)
			}
		})
	}
}

// TestDecodePathsAgree: the fast path gives the general path's profile or
// error, line and column included, on each kind of input.
func TestDecodePathsAgree(t *testing.T) {
	inputs := map[string]string{
		"seed profile":         string(readGolden(t, "full.json")),
		"natural person":       string(readGolden(t, "natural_person.json")),
		"syntax error":         "{\n\"name\":\"a\",\n\"id\" 1}",
		"trailing value":       `{"name":"a"} {}`,
		"type error":           "{\n\"contacts\":[{\"value\":\"a\"},\n{\"main\":\"yes\"}]}",
		"type then syntax":     `{"version":"x",`,
		"nested unknown":       `{"natural_person":{"shoe_size":42}}`,
		"duplicate key":        `{"name":"a","name":"b","labels":["x"],"labels":["y","z"]}`,
		"null values":          `{"name":null,"labels":null,"natural_person":null,"metadata":null}`,
		"escaped strings":      `{"name":"A\u00e9\n\"b\"","labels":["\ud83d\ude00"]}`,
		"invalid UTF-8":        "{\"name\":\"a\xffb\"}",
		"big metadata number":  `{"metadata":{"n":123456789012345678901234567890}}`,
		"timestamp overflow":   `{"created_at":99999999999999999999}`,
		"not an object":        `[1,2]`,
		"whitespace around":    " \n\t{\"id\":\"x\"}\r\n ",
		"unknown and mismatch": `{"zz":1,"version":"x"}`,
		"stored profile":       string(mustEncode(t, storedProfile())),
	}
	for name, in := range fastAccepts {
		inputs["accepted: "+name] = in
	}
	for name, in := range fastDeclines {
		inputs["declined: "+name] = in
	}
	for name, in := range inputs {
		t.Run(name, func(t *testing.T) { comparePaths(t, []byte(in)) })
	}
	t.Run("deep but allowed", func(t *testing.T) {
		in := `{"metadata":{"a":` + strings.Repeat("[", MaxDepth-2) + strings.Repeat("]", MaxDepth-2) + `}}`
		comparePaths(t, []byte(in))
	})
}

func mustEncode(t *testing.T, p *Profile) []byte {
	t.Helper()
	data, err := Encode(p)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// FuzzDecodePaths: on every input the fast paths and the general path
// agree, and what decodeFast accepts encoding/json decodes the same.
func FuzzDecodePaths(f *testing.F) {
	addSeedCorpus(f)
	f.Add([]byte(`{"name":"a","name":"b","version":"x"}`))
	f.Add([]byte(`{"contacts":[{"main":1}],"zz":[}`))
	for _, in := range fastAccepts {
		f.Add([]byte(in))
	}
	for _, in := range fastDeclines {
		f.Add([]byte(in))
	}
	stored, err := Encode(storedProfile())
	if err != nil {
		f.Fatal(err)
	}
	f.Add(stored)
	f.Add(fullProfile(f, testFill))
	f.Fuzz(func(t *testing.T, data []byte) {
		comparePaths(t, data)
	})
}
