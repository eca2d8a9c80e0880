package profile

import (
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// Test values for every field of Profile, shared by the codec tests.

func fullProfile(t testing.TB, l fieldFill) []byte {
	t.Helper()
	p := fullValue(t, reflect.TypeFor[Profile](), "", l).Addr().Interface().(*Profile)
	data, err := Encode(p)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

type fieldCase struct {
	path  string
	value reflect.Value
}

// fieldFill holds the values put in the string and integer fields; booleans
// are true.
type fieldFill struct {
	str string
	num int64
}

// testFill has a string with every escape Encode writes, multi-byte
// runes and a surrogate pair, and an integer that is a negative midnight, so
// that dates are dates and the sign is read.
var testFill = fieldFill{str: testString, num: -1624579200000}

const testString = "Zoë <&> \u2028\u2029 \"q\" \\ \t\x01 😀"

// testObjects returns the free-form values the codec must read. An empty
// Object is omitted by Encode: the accept table has it.
func testObjects() []Object {
	return []Object{
		{"s": testFill.str},
		{"n": json.Number("-12.5e+3"), "z": json.Number("0"), "big": json.Number("123456789012345678901234567890")},
		{"o": map[string]any{"a": []any{true, false, nil, json.Number("1"), "x", map[string]any{}, []any{}}}},
	}
}

// fieldValues returns values of type t that are not zero, each with one
// leaf field set. A struct gives one value per field and value of the
// field; a pointer to a struct also points to the zero struct once.
func fieldValues(t testing.TB, typ reflect.Type, path string) []fieldCase {
	t.Helper()
	if typ == reflect.TypeFor[Object]() {
		var out []fieldCase
		for _, o := range testObjects() {
			out = append(out, fieldCase{path, reflect.ValueOf(o)})
		}
		return out
	}
	switch typ.Kind() {
	case reflect.String, reflect.Int, reflect.Int64, reflect.Bool:
		return []fieldCase{{path, leafValue(t, typ, path, testFill)}}
	case reflect.Pointer:
		var out []fieldCase
		if typ.Elem().Kind() == reflect.Struct {
			out = append(out, fieldCase{path + "={}", reflect.New(typ.Elem())})
		}
		for _, c := range fieldValues(t, typ.Elem(), path) {
			ptr := reflect.New(typ.Elem())
			ptr.Elem().Set(c.value)
			out = append(out, fieldCase{c.path, ptr})
		}
		return out
	case reflect.Slice:
		var out []fieldCase
		for _, c := range fieldValues(t, typ.Elem(), path+"[]") {
			s := reflect.MakeSlice(typ, 1, 1)
			s.Index(0).Set(c.value)
			out = append(out, fieldCase{c.path, s})
		}
		return out
	case reflect.Map:
		var out []fieldCase
		for _, c := range fieldValues(t, typ.Elem(), path+"{}") {
			m := reflect.MakeMap(typ)
			m.SetMapIndex(reflect.ValueOf("k"), c.value)
			out = append(out, fieldCase{c.path, m})
		}
		return out
	case reflect.Struct:
		var out []fieldCase
		for _, f := range taggedFields(typ) {
			for _, c := range fieldValues(t, f.Type, joinPath(path, f.key)) {
				v := reflect.New(typ).Elem()
				v.FieldByIndex(f.Index).Set(c.value)
				out = append(out, fieldCase{c.path, v})
			}
		}
		return out
	}
	t.Fatalf("%s: no test value for %v: teach this test the type", path, typ)
	return nil
}

// fullValue returns a value of type t with every field set: slices have a
// second element, maps a second key, both zero.
func fullValue(t testing.TB, typ reflect.Type, path string, l fieldFill) reflect.Value {
	t.Helper()
	if typ == reflect.TypeFor[Object]() {
		o := Object{"leaf": l.str, "num": json.Number(strconv.FormatInt(l.num, 10)), l.str: []any{l.str}}
		for _, part := range testObjects() {
			for k, v := range part {
				o["part "+k] = v
			}
		}
		return reflect.ValueOf(o)
	}
	switch typ.Kind() {
	case reflect.String, reflect.Int, reflect.Int64, reflect.Bool:
		return leafValue(t, typ, path, l)
	case reflect.Pointer:
		ptr := reflect.New(typ.Elem())
		ptr.Elem().Set(fullValue(t, typ.Elem(), path, l))
		return ptr
	case reflect.Slice:
		s := reflect.MakeSlice(typ, 2, 2)
		s.Index(0).Set(fullValue(t, typ.Elem(), path, l))
		return s
	case reflect.Map:
		m := reflect.MakeMap(typ)
		m.SetMapIndex(reflect.ValueOf("a"+l.str), fullValue(t, typ.Elem(), path, l))
		m.SetMapIndex(reflect.ValueOf("b"+l.str), reflect.Zero(typ.Elem()))
		return m
	case reflect.Struct:
		v := reflect.New(typ).Elem()
		for _, f := range taggedFields(typ) {
			v.FieldByIndex(f.Index).Set(fullValue(t, f.Type, joinPath(path, f.key), l))
		}
		return v
	}
	t.Fatalf("%s: no test value for %v: teach this test the type", path, typ)
	return reflect.Value{}
}

func leafValue(t testing.TB, typ reflect.Type, path string, l fieldFill) reflect.Value {
	t.Helper()
	v := reflect.New(typ).Elem()
	switch typ.Kind() {
	case reflect.String:
		v.SetString(l.str)
	case reflect.Int, reflect.Int64:
		v.SetInt(l.num)
	case reflect.Bool:
		v.SetBool(true)
	default:
		t.Fatalf("%s: no test value for %v", path, typ)
	}
	return v
}

// taggedField is a struct field with its JSON key.
type taggedField struct {
	reflect.StructField
	key string
}

// taggedFields returns a struct's fields that have a JSON key: all but
// Profile.Unknown.
func taggedFields(typ reflect.Type) []taggedField {
	var fields []taggedField
	for f := range typ.Fields() {
		key, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if key == "" {
			key = f.Name
		}
		if f.IsExported() && key != "-" {
			fields = append(fields, taggedField{f, key})
		}
	}
	return fields
}

func joinPath(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// TestDecodeFastTestdata: every seed and normalised profile is taken by the
