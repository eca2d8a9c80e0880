package fieldchange

import (
	"encoding/json"
	"reflect"
	"sync"

	"github.com/kycsdk/kyc/internal/fieldpath"
	"github.com/kycsdk/kyc/profile"
)

// The field-change rules compare profiles as JSON trees (objects, lists and
// scalars under their JSON keys), so that a rule names a field exactly as it
// is written on the wire. The trees are built by reflection over the JSON
// tags (internal/fieldpath, the module's one resolver of JSON names) rather
// than by encoding to JSON and decoding again: it is several times cheaper
// and does not depend on any custom encoder of Profile.

// treeOf returns the JSON tree of v: map[string]any for objects, []any for
// lists, and string, bool, int64, uint64, float64 or json.Number for
// scalars. The second result is false when v is absent (nil pointer,
// interface, slice or map, or an empty list or map).
func treeOf(v reflect.Value) (any, bool) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return nil, false
		}
		return treeOf(v.Elem())
	case reflect.Struct:
		return structTree(v), true
	case reflect.Slice, reflect.Array:
		return listTree(v)
	case reflect.Map:
		return mapTree(v)
	}
	return scalarOf(v)
}

func scalarOf(v reflect.Value) (any, bool) {
	switch v.Kind() {
	case reflect.String:
		if v.Type() == numberType {
			return json.Number(v.String()), true
		}
		return v.String(), true
	case reflect.Bool:
		return v.Bool(), true
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return v.Int(), true
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return v.Uint(), true
	case reflect.Float32, reflect.Float64:
		return v.Float(), true
	}
	// Channels, functions and the like have no JSON form.
	return nil, false
}

var numberType = reflect.TypeFor[json.Number]()

func structTree(v reflect.Value) map[string]any {
	fs := fieldpath.Of(v.Type())
	out := make(map[string]any, len(fs.List))
	for i := range fs.List {
		f := &fs.List[i]
		fv, ok := f.Value(v)
		if !ok || f.Omitted(fv) {
			continue
		}
		if t, ok := treeOf(fv); ok {
			out[f.Name] = t
		}
	}
	return out
}

func listTree(v reflect.Value) (any, bool) {
	if v.Len() == 0 {
		return nil, false
	}
	out := make([]any, 0, v.Len())
	for i := range v.Len() {
		t, _ := treeOf(v.Index(i))
		out = append(out, t)
	}
	return out, true
}

func mapTree(v reflect.Value) (any, bool) {
	if v.Len() == 0 || v.Type().Key().Kind() != reflect.String {
		return nil, false
	}
	out := make(map[string]any, v.Len())
	it := v.MapRange()
	for it.Next() {
		if t, ok := treeOf(it.Value()); ok {
			out[it.Key().String()] = t
		}
	}
	return out, true
}

// schemaKind is the JSON shape of a field of Profile, for validating rule
// paths when a policy is loaded.
type schemaKind int

const (
	schemaScalar schemaKind = iota
	schemaObject
	schemaList
	schemaDict // a map with string keys: any key, values of one shape
	schemaFree // free JSON (metadata, extra): anything goes
)

type schemaNode struct {
	kind   schemaKind
	isBool bool
	typ    reflect.Type // schemaObject: the struct type
	fields map[string]*schemaNode
	elem   *schemaNode
}

var profileSchema = sync.OnceValue(func() *schemaNode {
	return schemaOf(reflect.TypeFor[profile.Profile]())
})

var objectType = reflect.TypeFor[profile.Object]()

func schemaOf(t reflect.Type) *schemaNode {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == objectType || t.Kind() == reflect.Interface {
		return &schemaNode{kind: schemaFree}
	}
	switch t.Kind() {
	case reflect.Struct:
		n := &schemaNode{kind: schemaObject, typ: t, fields: map[string]*schemaNode{}}
		for _, f := range fieldpath.Of(t).List {
			n.fields[f.Name] = schemaOf(f.Type)
		}
		return n
	case reflect.Slice, reflect.Array:
		return &schemaNode{kind: schemaList, elem: schemaOf(t.Elem())}
	case reflect.Map:
		return &schemaNode{kind: schemaDict, elem: schemaOf(t.Elem())}
	case reflect.Bool:
		return &schemaNode{kind: schemaScalar, isBool: true}
	}
	return &schemaNode{kind: schemaScalar}
}
