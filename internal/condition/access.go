package condition

import (
	"reflect"
	"sync/atomic"
)

// RootEnv is an Env that can hand over the Go value of a root, so that the
// condition reads the paths under it through accessors resolved once per Go
// type (struct fields by index, no look-up by name) instead of calling
// Lookup. The result is the same as Walk on that value would give.
type RootEnv interface {
	Env
	// Root returns the value of root, or ok false to have the paths
	// under root read with Lookup.
	Root(root string) (v any, ok bool)
}

// accessor reads one path on values of one Go type: steps are the struct
// fields the path names, resolved from the static type; rest are the keys
// left after them (under a map, an interface or a value with its own JSON
// encoding), read with Walk.
type accessor struct {
	typ   reflect.Type
	path  []string
	steps []field
	rest  []string
}

// newAccessor resolves path on t as far as the static types are structs
// read through their JSON tags (see member): a pointer is followed at run
// time, and anything else is left to Walk.
func newAccessor(t reflect.Type, path []string) *accessor {
	a := &accessor{typ: t, path: path}
	if t == nil {
		a.rest = path // nil: None, read by Walk
		return a
	}
	for i, key := range path {
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct || fieldsOf(t).marshal {
			a.rest = path[i:]
			return a
		}
		f, ok := fieldsOf(t).byName[key]
		if !ok {
			a.rest = path[i:]
			return a
		}
		a.steps = append(a.steps, f)
		t = fieldType(t, f.index)
	}
	return a
}

// fieldType is the type of the field at index in struct type t, through
// embedded pointers.
func fieldType(t reflect.Type, index []int) reflect.Type {
	for i, x := range index {
		if i > 0 && t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		t = t.Field(x).Type
	}
	return t
}

// read returns the runtime value at the path under v, or, when wantValue is
// false and the value is known not to be None without building it, true.
func (a *accessor) read(v any, wantValue bool) (any, error) {
	if len(a.steps) == 0 {
		return walkValue(v, a.rest)
	}
	rv := reflect.ValueOf(v)
	for i, f := range a.steps {
		var err error
		if rv, err = deref(rv, a.path[i]); err != nil {
			return nil, err
		}
		fv, ok := fieldByIndex(rv, f.index)
		if !ok || f.omitted(fv) {
			return absent(a.path, i)
		}
		rv = fv
	}
	last := a.steps[len(a.steps)-1]
	if last.list && rv.IsNil() {
		return walkValue([]any{}, a.rest) // an empty list, not None (see omitted)
	}
	if len(a.rest) > 0 {
		return walkValue(fieldInterface(rv, last), a.rest)
	}
	if last.basic {
		return basicValue(rv, wantValue), nil
	}
	return toValue(rv.Interface())
}

// deref follows pointers and interfaces to the object key is read from; a
// nil one is None, which has no attributes.
func deref(rv reflect.Value, key string) (reflect.Value, error) {
	for rv.Kind() == reflect.Pointer || rv.Kind() == reflect.Interface {
		if rv.IsNil() {
			return rv, attrErr("NoneType", key)
		}
		rv = rv.Elem()
	}
	if !rv.IsValid() {
		return rv, attrErr("NoneType", key)
	}
	return rv, nil
}

// absent is the result of path when its i-th key is missing: None at the
// end of the path, else an AttributeError on the next key.
func absent(path []string, i int) (any, error) {
	if i == len(path)-1 {
		return none, nil
	}
	return nil, attrErr("NoneType", path[i+1])
}

func fieldInterface(fv reflect.Value, f field) any {
	if f.basic {
		return basic(fv)
	}
	return fv.Interface()
}

// basicValue converts a field of a basic kind (see isBasic) to its runtime
// value; a string or integer is never None, so when the value is not wanted
// nothing is built.
func basicValue(fv reflect.Value, wantValue bool) any {
	switch fv.Kind() {
	case reflect.Bool:
		return fv.Bool()
	case reflect.String:
		if !wantValue {
			return true
		}
		return fv.String()
	}
	if !wantValue {
		return true
	}
	return intV(fv.Int())
}

func walkValue(v any, path []string) (any, error) {
	raw, err := Walk(v, path)
	if err != nil {
		return nil, err
	}
	return toValue(raw)
}

// accessors caches, per path of an Expr, the accessor of the last Go type
// the path was read on.
type accessors []atomic.Pointer[accessor]

func (c accessors) get(i int, v any, path []string) *accessor {
	t := reflect.TypeOf(v)
	if a := c[i].Load(); a != nil && a.typ == t {
		return a
	}
	a := newAccessor(t, path)
	c[i].Store(a)
	return a
}
