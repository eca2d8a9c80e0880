package fieldchange

import (
	"reflect"
	"sync"

	"github.com/kycsdk/kyc/internal/fieldpath"
	"github.com/kycsdk/kyc/profile"
)

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
