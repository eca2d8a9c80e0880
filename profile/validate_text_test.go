package profile

import (
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// filled returns a profile whose every pointer is set and every list holds
// one element, so that every string field of the type can be reached.
func filled() *Profile {
	p := new(Profile)
	fill(reflect.ValueOf(p).Elem())
	return p
}

func fill(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer:
		if v.Type().Elem().Kind() == reflect.Struct {
			v.Set(reflect.New(v.Type().Elem()))
			fill(v.Elem())
		}
	case reflect.Struct:
		for i := range v.NumField() {
			fill(v.Field(i))
		}
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 1, 1))
		fill(v.Index(0))
	}
}

// stringLeaf is a string field of a filled profile and its JSON path.
type stringLeaf struct {
	path string
	v    reflect.Value
}

func stringLeaves(v reflect.Value, path string, out []stringLeaf) []stringLeaf {
	switch v.Kind() {
	case reflect.String:
		return append(out, stringLeaf{path, v})
	case reflect.Pointer:
		if !v.IsNil() {
			return stringLeaves(v.Elem(), path, out)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			name, _, _ := strings.Cut(v.Type().Field(i).Tag.Get("json"), ",")
			if name == "-" || name == "" {
				continue
			}
			if path != "" {
				name = path + "." + name
			}
			out = stringLeaves(v.Field(i), name, out)
		}
	case reflect.Slice:
		for i := range v.Len() {
			out = stringLeaves(v.Index(i), path+"["+strconv.Itoa(i)+"]", out)
		}
	}
	return out
}

// TestTextRefusedInEveryField: a NUL or invalid UTF-8 in any string field of
// the profile, found by reflection over the type so that a field added later
// is covered too, is refused with the field's path (issue 16, 7).
func TestTextRefusedInEveryField(t *testing.T) {
	if ve := textProblems(t, filled()); len(ve) != 0 {
		t.Fatalf("a filled profile has text problems: %v", ve)
	}
	n := len(stringLeaves(reflect.ValueOf(filled()), "", nil))
	if n < 60 {
		t.Fatalf("only %d string fields found", n)
	}
	for i := range n {
		for _, bad := range []string{"a\x00b", "a\xffb", "\x00"} {
			p := filled()
			leaf := stringLeaves(reflect.ValueOf(p), "", nil)[i]
			leaf.v.SetString(bad)
			if got := textProblems(t, p); len(got) != 1 || got[0] != leaf.path {
				t.Errorf("%s = %q: text problems at %v, want [%s]", leaf.path, bad, got, leaf.path)
			}
		}
	}
}

// textProblems validates p and returns the paths of its CodeText problems;
// the messages must not hold the value.
func textProblems(t *testing.T, p *Profile) []string {
	t.Helper()
	var ve *ValidationError
	if err := Validate(p); !errors.As(err, &ve) {
		return nil
	}
	var out []string
	for _, pr := range ve.Problems {
		if pr.Code == CodeText {
			out = append(out, pr.Path)
			if strings.ContainsAny(pr.Message, "\x00\xff") || strings.Contains(pr.Message, "secret") {
				t.Errorf("message %q holds the value", pr.Message)
			}
		}
	}
	return out
}

// TestTextRefusedInMaps: keys and values of metadata at any depth, of the
// extra objects, of blacklist_found and consents, and of unknown fields.
func TestTextRefusedInMaps(t *testing.T) {
	md := func(s string) Object {
		var o Object
		if err := o.UnmarshalJSON([]byte(s)); err != nil {
			t.Fatal(err)
		}
		return o
	}
	tests := []struct {
		name string
		set  func(p *Profile)
		want []string
	}{
		{"metadata value", func(p *Profile) { p.Metadata = md(`{"notes":{"x":"secret\u0000"}}`) }, []string{"metadata.notes.x"}},
		{"metadata in an array", func(p *Profile) { p.Metadata = md(`{"a":[1,"ok",["secret\u0000"]]}`) }, []string{"metadata.a[2][0]"}},
		{"metadata key", func(p *Profile) { p.Metadata = md(`{"notes":{"secret\u0000":1}}`) }, []string{"metadata.notes"}},
		{"metadata built in Go", func(p *Profile) {
			p.Metadata = Object{"l": []string{"ok", "\xff"}, "o": Object{"k": map[string]any{"z": "\x00"}}}
		}, []string{"metadata.l[1]", "metadata.o.k.z"}},
		{"metadata sorted", func(p *Profile) { p.Metadata = md(`{"b":"\u0000","a":"\u0000","c":"ok"}`) }, []string{"metadata.a", "metadata.b"}},
		{"address extra", func(p *Profile) { p.Addresses[0].Extra = Object{"floor": "\x00"} }, []string{"addresses[0].extra.floor"}},
		{"relation extra", func(p *Profile) { p.Relations[0].Extra = Object{"\x00": "x"} }, []string{"relations[0].extra"}},
		{"blacklist_found key", func(p *Profile) { p.BlacklistFound = map[string]ListHit{"pep\x00": {}} }, []string{"blacklist_found"}},
		{"consents key", func(p *Profile) { p.Consents = map[string]bool{"docs\xff": true} }, []string{"consents"}},
		{"unknown value", func(p *Profile) {
			p.Unknown = map[string]json.RawMessage{"x_custom": json.RawMessage(`{"a":"\u0000"}`), "x_ok": json.RawMessage(`"\\u0000"`)}
		}, []string{"x_custom"}},
		{"unknown key", func(p *Profile) { p.Unknown = map[string]json.RawMessage{"x\x00": json.RawMessage(`1`)} }, []string{""}},
		{"clean", func(p *Profile) { p.Metadata = md(`{"notes":{"x":"ok"},"n":12345678901234567890}`) }, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := validNatural()
			tt.set(p)
			if got := textProblems(t, p); strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Errorf("text problems at %q, want %q", got, tt.want)
			}
		})
	}
}

// TestTextDecoded: a NUL that arrives as a JSON escape in a decoded profile
// is refused at its path.
func TestTextDecoded(t *testing.T) {
	p, err := Decode([]byte(`{"person_type":"legal_person","name":"A\u0000B","labels":["ok","no\u0000"],"metadata":{"notes":{"x":"\u0000"}}}`))
	if err != nil {
		t.Fatal(err)
	}
	got := textProblems(t, p)
	want := []string{"name", "labels[1]", "metadata.notes.x"}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("text problems at %q, want %q", got, want)
	}
}

func TestStorableText(t *testing.T) {
	for s, want := range map[string]bool{
		"": true, "Ana María": true, "\u2028": true, "\U0001F600": true,
		"\x00": false, "a\x00": false, "\xff": false, "\xed\xa0\x80": false, // a surrogate in UTF-8
	} {
		if got := StorableText(s); got != want {
			t.Errorf("StorableText(%q) = %v, want %v", s, got, want)
		}
	}
}

// TestObjectDepthRefusedWithPath: free-form JSON built in Go that would
// nest the profile deeper than MaxDepth is a validation problem at its
// path; one level less is accepted. Nothing a decoder could not read back
// gets past validation.
func TestObjectDepthRefusedWithPath(t *testing.T) {
	nest := func(n int) any {
		var v any = "leaf"
		for range n {
			v = []any{v}
		}
		return v
	}
	for _, tc := range []struct {
		arrays int
		want   bool
	}{{MaxDepth - 2, false}, {MaxDepth - 1, true}, {100000, true}} {
		p := validNatural()
		p.Metadata = Object{"x": nest(tc.arrays)}
		err := NewValidator(Options{}).Validate(p)
		var ve *ValidationError
		got := errors.As(err, &ve) && slices.ContainsFunc(ve.Problems, func(pr Problem) bool {
			return pr.Path == "metadata" && pr.Code == CodeTooDeep
		})
		if got != tc.want {
			t.Errorf("metadata %d arrays deep: too_deep %v, want %v (%v)", tc.arrays, got, tc.want, err)
		}
		if !tc.want {
			b, err := Encode(p)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := Decode(b); err != nil {
				t.Errorf("accepted profile does not decode: %v", err)
			}
		}
	}
}

// TestListBounds: a list longer than MaxListItems is refused at once with
// its path; one at the limit goes on to the other rules.
func TestListBounds(t *testing.T) {
	p := validNatural()
	p.Labels = make([]string, MaxListItems+1)
	var ve *ValidationError
	if err := NewValidator(Options{}).Validate(p); !errors.As(err, &ve) || len(ve.Problems) != 1 ||
		ve.Problems[0].Path != "labels" || ve.Problems[0].Code != CodeTooMany {
		t.Fatalf("Validate = %v, want one too_many problem at labels", err)
	}
	p.Labels = p.Labels[:MaxListItems]
	for i := range p.Labels {
		p.Labels[i] = "l" + strconv.Itoa(i)
	}
	if err := NewValidator(Options{}).Validate(p); err != nil {
		t.Fatalf("Validate at the limit = %v", err)
	}
}
