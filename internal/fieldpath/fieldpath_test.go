package fieldpath_test

import (
	"encoding/json"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kycsdk/kyc/internal/fieldpath"
	"github.com/kycsdk/kyc/profile"
)

// fill sets every exported field reachable from rv to a value that is not
// empty, so that no omitempty hides it: one element per list, one key "k"
// per map.
func fill(t *testing.T, rv reflect.Value) {
	switch rv.Kind() {
	case reflect.String:
		rv.SetString("x")
	case reflect.Bool:
		rv.SetBool(true)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		rv.SetInt(7)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		rv.SetUint(7)
	case reflect.Float32, reflect.Float64:
		rv.SetFloat(1.5)
	case reflect.Pointer:
		rv.Set(reflect.New(rv.Type().Elem()))
		fill(t, rv.Elem())
	case reflect.Slice:
		rv.Set(reflect.MakeSlice(rv.Type(), 1, 1))
		fill(t, rv.Index(0))
	case reflect.Map:
		rv.Set(reflect.MakeMap(rv.Type()))
		e := reflect.New(rv.Type().Elem()).Elem()
		fill(t, e)
		rv.SetMapIndex(reflect.ValueOf("k").Convert(rv.Type().Key()), e)
	case reflect.Interface:
		rv.Set(reflect.ValueOf("x"))
	case reflect.Struct:
		for i := range rv.NumField() {
			if sf := rv.Type().Field(i); sf.IsExported() && sf.Tag.Get("json") != "-" {
				fill(t, rv.Field(i))
			}
		}
	default:
		t.Fatalf("fill: no value for kind %s", rv.Kind())
	}
}

// jsonName is the member name encoding/json gives a field; ok is false for
// a field it does not write.
func jsonName(sf reflect.StructField) (string, bool) {
	tag := sf.Tag.Get("json")
	name, _, _ := strings.Cut(tag, ",")
	if tag == "-" || !sf.IsExported() {
		return "", false
	}
	if name == "" {
		name = sf.Name
	}
	return name, true
}

// leaf is one field of the profile by its JSON path: read from root by the
// names in path, it holds want.
type leaf struct {
	name string // the path for messages, with [0] where a list is entered
	root any    // the profile, or the first element of a list
	path []string
	doc  []string // the keys of want in the JSON document, from its top
	want reflect.Value
	// static is set when every step of path is a struct field, so that
	// Resolve must resolve the whole path.
	static bool
}

// leaves lists every field reachable from the struct value rv, generated
// from the struct tags, descending through pointers, maps (key "k") and the
// first element of lists.
func leaves(rv reflect.Value, l leaf) []leaf {
	var out []leaf
	for i := range rv.NumField() {
		sf := rv.Type().Field(i)
		name, ok := jsonName(sf)
		if !ok {
			continue
		}
		f := leaf{name: l.name + "." + name, root: l.root, path: append(slices.Clip(l.path), name), doc: append(slices.Clip(l.doc), name), want: rv.Field(i), static: l.static}
		out = append(out, f)
		out = append(out, below(f)...)
	}
	return out
}

func below(f leaf) []leaf {
	v := f.want
	for v.Kind() == reflect.Pointer {
		v = v.Elem()
	}
	switch v.Kind() {
	case reflect.Struct:
		return leaves(v, f)
	case reflect.Map:
		e := v.MapIndex(reflect.ValueOf("k").Convert(v.Type().Key()))
		g := leaf{name: f.name + ".k", root: f.root, path: append(slices.Clip(f.path), "k"), doc: append(slices.Clip(f.doc), "k"), want: e}
		return append([]leaf{g}, below(g)...)
	case reflect.Slice:
		e := v.Index(0)
		if e.Kind() != reflect.Struct {
			return nil
		}
		return leaves(e, leaf{name: f.name + "[0]", root: e.Addr().Interface(), doc: append(slices.Clip(f.doc), "0"), static: true})
	}
	return nil
}

func walk(t *testing.T, v any, path []string) any {
	t.Helper()
	for i, key := range path {
		x, found, kind := fieldpath.Member(v, key)
		if kind != fieldpath.Object || !found {
			t.Fatalf("Member(%s): found %v, kind %v", strings.Join(path[:i+1], "."), found, kind)
		}
		v = x
	}
	return v
}

// document returns the value at keys in decoded JSON ("0" indexes a list).
func document(t *testing.T, doc any, keys []string) any {
	t.Helper()
	for i, k := range keys {
		switch d := doc.(type) {
		case map[string]any:
			x, ok := d[k]
			if !ok {
				t.Fatalf("the JSON document has no %s", strings.Join(keys[:i+1], "."))
			}
			doc = x
		case []any:
			n, _ := strconv.Atoi(k)
			doc = d[n]
		default:
			t.Fatalf("the JSON document has no object at %s", strings.Join(keys[:i], "."))
		}
	}
	return doc
}

// asJSON is v as decoded JSON, so that values compare whatever their Go
// types and key order.
func asJSON(t *testing.T, v any) any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var x any
	if err := json.Unmarshal(b, &x); err != nil {
		t.Fatal(err)
	}
	return x
}

// TestEveryProfileField reads every field of a profile, generated from the
// struct tags, by its JSON name: Member finds it and returns what the Go
// field holds, the JSON document holds the same value under the same
// names, and Resolve resolves a path of struct fields to the field itself.
// A field added to the profile is covered without changing the test.
func TestEveryProfileField(t *testing.T) {
	var p profile.Profile
	fill(t, reflect.ValueOf(&p).Elem())
	doc := asJSON(t, &p)
	all := leaves(reflect.ValueOf(p), leaf{name: "dprofile", root: &p, static: true})
	if len(all) < 100 {
		t.Fatalf("only %d fields generated", len(all))
	}
	for _, f := range all {
		got := walk(t, f.root, f.path)
		if diff := cmp.Diff(asJSON(t, f.want.Interface()), asJSON(t, got)); diff != "" {
			t.Errorf("%s: Member reads another value (-want +got):\n%s", f.name, diff)
		}
		if diff := cmp.Diff(asJSON(t, document(t, doc, f.doc)), asJSON(t, got)); diff != "" {
			t.Errorf("%s: the JSON document holds another value (-want +got):\n%s", f.name, diff)
		}
		if f.static {
			checkResolve(t, f)
		}
	}
}

func checkResolve(t *testing.T, f leaf) {
	t.Helper()
	rp := fieldpath.Resolve(reflect.TypeOf(f.root), f.path)
	if len(rp.Steps) != len(f.path) || len(rp.Rest) != 0 {
		t.Errorf("%s: Resolve gives %d steps and rest %q, want %d steps", f.name, len(rp.Steps), rp.Rest, len(f.path))
		return
	}
	rv := reflect.ValueOf(f.root)
	for _, s := range rp.Steps {
		rv, _ = fieldpath.Indirect(rv)
		rv, _ = s.Value(rv)
	}
	if rv.Type() != f.want.Type() || !reflect.DeepEqual(rv.Interface(), f.want.Interface()) {
		t.Errorf("%s: Resolve reaches another field", f.name)
	}
}

// setUnknown stores raw JSON under key in p.Unknown, through reflection, so
// that the test holds whatever byte-slice type the map's values have.
func setUnknown(p *profile.Profile, key, raw string) {
	m := reflect.ValueOf(&p.Unknown).Elem()
	if m.IsNil() {
		m.Set(reflect.MakeMap(m.Type()))
	}
	m.SetMapIndex(reflect.ValueOf(key), reflect.ValueOf([]byte(raw)).Convert(m.Type().Elem()))
}

// TestProfileMembers covers what the generated paths do not: unknown
// top-level keys, omitted fields, empty lists, None and non-objects.
func TestProfileMembers(t *testing.T) {
	p := &profile.Profile{Risk: "low", Labels: nil, Metadata: profile.Object{"segment": json.Number("7")}}
	setUnknown(p, "tenant_flag", `true`)
	setUnknown(p, "tenant_meta", `{"tier":"gold","n":12}`)
	type result struct {
		Value any
		Found bool
		Kind  fieldpath.Kind
	}
	tests := []struct {
		name string
		v    any
		key  string
		want result
	}{
		{"field", p, "risk", result{"low", true, fieldpath.Object}},
		{"omitted field", p, "state", result{nil, false, fieldpath.Object}},
		{"nil list is an empty list", p, "labels", result{[]any{}, true, fieldpath.Object}},
		{"nil pointer field is absent", p, "natural_person", result{nil, false, fieldpath.Object}},
		{"unknown key", p, "tenant_flag", result{true, true, fieldpath.Object}},
		{"unknown object", p, "tenant_meta", result{map[string]any{"tier": "gold", "n": json.Number("12")}, true, fieldpath.Object}},
		{"no such key", p, "nope", result{nil, false, fieldpath.Object}},
		{"profile value", *p, "tenant_flag", result{true, true, fieldpath.Object}},
		{"free-form object", p.Metadata, "segment", result{json.Number("7"), true, fieldpath.Object}},
		{"decoded JSON", map[string]any{"a": 1.0}, "a", result{1.0, true, fieldpath.Object}},
		{"nil profile", (*profile.Profile)(nil), "risk", result{nil, false, fieldpath.Nil}},
		{"nil", nil, "risk", result{nil, false, fieldpath.Nil}},
		{"string", "low", "x", result{nil, false, fieldpath.NotObject}},
		{"list", []string{"a"}, "x", result{nil, false, fieldpath.NotObject}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, found, kind := fieldpath.Member(tt.v, tt.key)
			if diff := cmp.Diff(tt.want, result{v, found, kind}); diff != "" {
				t.Errorf("Member(%q) (-want +got):\n%s", tt.key, diff)
			}
		})
	}
	// Every list field is a key, as it reads as a list even when empty.
	want := []string{"activities", "addresses", "checks", "contacts", "identity_documents", "labels", "metadata",
		"pending_reverification", "relations", "risk", "tax_residences", "taxes", "tenant_flag", "tenant_meta"}
	keys := fieldpath.Keys(p)
	slices.Sort(keys)
	if diff := cmp.Diff(want, keys); diff != "" {
		t.Errorf("Keys (-want +got):\n%s", diff)
	}
}
