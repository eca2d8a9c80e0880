package condition

import (
	"encoding/json"
	"reflect"

	"github.com/kycsdk/kyc/internal/fieldpath"
)

// Walk follows path through v as the seed's JavaScript-style dot access does
// (seed 003, 3.3.1): on an object a missing key reads as None (nil), and
// attribute access on anything that is not an object (None, a string, a
// number, a list) is an *EvalError of Kind "AttributeError".
//
// v may be decoded JSON (map[string]any, []any, json.Number, float64,
// string, bool, nil) or a typed Go value, read through its JSON tags as
// encoding/json would write it (see internal/fieldpath): a nil pointer, and
// a field that omitempty or omitzero would leave out, read as None, except a
// list field, which reads as a list even when empty (an empty []any when
// nil); the top-level keys a profile keeps without a field of its own
// (Profile.Unknown) read as their JSON values. The value at the end of the
// path is returned as it is stored (decoded JSON or a Go value).
func Walk(v any, path []string) (any, error) {
	for _, key := range path {
		next, err := child(v, key)
		if err != nil {
			return nil, err
		}
		v = next
	}
	return v, nil
}

func child(v any, key string) (any, error) {
	switch x := v.(type) {
	case map[string]any:
		return x[key], nil
	case objV:
		return child(x.v, key)
	case nil, noneT:
		return nil, attrErr("NoneType", key)
	case string, bool, float64, int, int64, json.Number, []any, []string, intV, *seqV:
		return nil, attrErr(pyTypeOf(x), key)
	}
	m, _, err := member(v, key)
	return m, err
}

// pyTypeOf names the Python type a Go value reads as, for messages.
func pyTypeOf(v any) string {
	rv, err := toValue(v)
	if err != nil {
		return "object"
	}
	return typeName(rv)
}

// member reads key from an object value; found is false when the key is
// absent (or omitted from the JSON). A non-object is an AttributeError.
func member(v any, key string) (any, bool, error) {
	x, found, kind := fieldpath.Member(v, key)
	switch kind {
	case fieldpath.Object:
		return x, found, nil
	case fieldpath.Nil:
		return nil, false, attrErr("NoneType", key)
	case fieldpath.Marshaled:
		return marshaledMember(v, key)
	}
	return nil, false, attrErr(pyTypeOf(v), key)
}

func marshaledMember(v any, key string) (any, bool, error) {
	rv, _ := fieldpath.Indirect(reflect.ValueOf(v))
	val, err := marshaled(rv)
	if err != nil {
		return nil, false, err
	}
	o, ok := val.(objV)
	if !ok {
		return nil, false, attrErr(typeName(val), key)
	}
	return member(o.v, key)
}

// objectKeys lists the keys an object value has in its JSON form.
func objectKeys(o objV) ([]string, error) {
	rv, ok := fieldpath.Indirect(reflect.ValueOf(o.v))
	if !ok || !fieldpath.Encoded(rv.Type()) {
		return fieldpath.Keys(o.v), nil
	}
	val, err := marshaled(rv)
	if err != nil {
		return nil, err
	}
	if inner, ok := val.(objV); ok {
		return objectKeys(inner)
	}
	return nil, nil
}

// objectLen is len() of an object value, for its truth.
func objectLen(o objV) int {
	if m, ok := o.v.(map[string]any); ok {
		return len(m)
	}
	keys, err := objectKeys(o)
	if err != nil {
		return 0
	}
	return len(keys)
}
