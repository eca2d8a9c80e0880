package condition

import (
	"reflect"
	"sync/atomic"

	"github.com/kycsdk/kyc/internal/fieldpath"
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

// accessor reads one path on values of one Go type: the path resolved on
// the static type (see fieldpath.Resolve), its Rest read with Walk.
type accessor struct {
	typ  reflect.Type
	path []string
	fieldpath.Path
}

func newAccessor(t reflect.Type, path []string) *accessor {
	return &accessor{typ: t, path: path, Path: fieldpath.Resolve(t, path)}
}

// read returns the runtime value at the path under v, or, when wantValue is
// false and the value is known not to be None without building it, true.
func (a *accessor) read(v any, wantValue bool) (any, error) {
	if len(a.Steps) == 0 {
		return walkValue(v, a.Rest)
	}
	rv := reflect.ValueOf(v)
	for i := range a.Steps {
		f := &a.Steps[i]
		var ok bool
		if rv, ok = fieldpath.Indirect(rv); !ok {
			return nil, attrErr("NoneType", a.path[i])
		}
		fv, ok := f.Value(rv)
		if !ok || f.Omitted(fv) {
			return absent(a.path, i)
		}
		rv = fv
	}
	last := &a.Steps[len(a.Steps)-1]
	if len(a.Rest) > 0 || last.List {
		return walkValue(fieldpath.Read(rv, last), a.Rest)
	}
	if last.Scalar {
		return scalarValue(rv, wantValue), nil
	}
	return toValue(rv.Interface())
}

// absent is the result of path when its i-th key is missing: None at the
// end of the path, else an AttributeError on the next key.
func absent(path []string, i int) (any, error) {
	if i == len(path)-1 {
		return none, nil
	}
	return nil, attrErr("NoneType", path[i+1])
}

// scalarValue converts a Scalar field to its runtime value; a string or
// integer is never None, so when the value is not wanted nothing is built.
func scalarValue(fv reflect.Value, wantValue bool) any {
	if fv.Kind() == reflect.Bool {
		return fv.Bool()
	}
	if !wantValue {
		return true
	}
	if fv.Kind() == reflect.String {
		return fv.String()
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
