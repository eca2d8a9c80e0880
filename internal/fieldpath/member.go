package fieldpath

import "reflect"

// Kind says what Member found v to be.
type Kind uint8

const (
	// NotObject is a value without members: a string, a number, a list.
	NotObject Kind = iota
	// Nil is null: a nil value, pointer, interface or map.
	Nil
	// Object is a JSON object: a map with string keys or a struct.
	Object
	// Marshaled is a value with its own JSON encoding (time.Time), whose
	// members are those of its encoding, which the caller decodes.
	Marshaled
)

// Member reads the JSON member key of v. found is false when the object has
// no such member, or the JSON leaves it out (see Field.Omitted); a list
// field reads as a list, an empty []any when nil.
func Member(v any, key string) (x any, found bool, kind Kind) {
	if m, ok := v.(map[string]any); ok {
		x, found = m[key]
		return x, found, Object
	}
	rv, ok := Indirect(reflect.ValueOf(v))
	if !ok {
		return nil, false, Nil
	}
	switch {
	case rv.Kind() == reflect.Struct:
		fs := Of(rv.Type())
		if fs.Encoded {
			return nil, false, Marshaled
		}
		x, found = fs.member(rv, key)
		return x, found, Object
	case Encoded(rv.Type()):
		return nil, false, Marshaled
	case rv.Kind() == reflect.Map:
		return mapMember(rv, key)
	}
	return nil, false, NotObject
}

// Indirect follows pointers and interfaces; ok is false at a nil one.
func Indirect(rv reflect.Value) (reflect.Value, bool) {
	for rv.Kind() == reflect.Pointer || rv.Kind() == reflect.Interface {
		if rv.IsNil() {
			return rv, false
		}
		rv = rv.Elem()
	}
	return rv, rv.IsValid()
}

func mapMember(rv reflect.Value, key string) (any, bool, Kind) {
	if rv.Type().Key().Kind() != reflect.String {
		return nil, false, NotObject
	}
	if rv.IsNil() {
		return nil, false, Object
	}
	x := rv.MapIndex(reflect.ValueOf(key).Convert(rv.Type().Key()))
	if !x.IsValid() {
		return nil, false, Object
	}
	return x.Interface(), true, Object
}

func (fs *Fields) member(rv reflect.Value, key string) (any, bool) {
	f, ok := fs.byName[key]
	if !ok {
		return fs.Unknown(rv, key)
	}
	fv, ok := f.Value(rv)
	if !ok || f.Omitted(fv) {
		return nil, false
	}
	return Read(fv, &f), true
}

// Read returns the value of field f held in fv, as Member does: a nil list
// as an empty []any, a Scalar field as its plain Go value.
func Read(fv reflect.Value, f *Field) any {
	if f.List && fv.IsNil() {
		return []any{}
	}
	if f.Scalar {
		return Scalar(fv)
	}
	return fv.Interface()
}

// Keys lists the members an object value has in its JSON form: the fields
// not left out and the unknown keys of a struct, the keys of a map. It is
// nil for a value that is not an object or reads through its encoding.
func Keys(v any) []string {
	if m, ok := v.(map[string]any); ok {
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		return keys
	}
	rv, ok := Indirect(reflect.ValueOf(v))
	if !ok || Encoded(rv.Type()) {
		return nil
	}
	switch rv.Kind() {
	case reflect.Map:
		keys := make([]string, 0, rv.Len())
		for _, k := range rv.MapKeys() {
			keys = append(keys, k.String())
		}
		return keys
	case reflect.Struct:
		return structKeys(rv)
	}
	return nil
}

func structKeys(rv reflect.Value) []string {
	fs := Of(rv.Type())
	var keys []string
	for i := range fs.List {
		f := &fs.List[i]
		fv, ok := f.Value(rv)
		if ok && !f.Omitted(fv) {
			keys = append(keys, f.Name)
		}
	}
	return append(keys, fs.UnknownKeys(rv)...)
}

// Path is a path of JSON names resolved on a static Go type as far as the
// types are structs read through their tags: Steps are the fields it names,
// Rest the keys left after them (under a map, an interface, a value with
// its own encoding, or a key that names no field), read with Member.
type Path struct {
	Steps []Field
	Rest  []string
}

// Resolve resolves path on type t; pointers are followed at run time.
func Resolve(t reflect.Type, path []string) Path {
	var p Path
	for i, key := range path {
		for t != nil && t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		if t == nil || t.Kind() != reflect.Struct || Of(t).Encoded {
			p.Rest = path[i:]
			return p
		}
		f, ok := Of(t).Lookup(key)
		if !ok {
			p.Rest = path[i:]
			return p
		}
		p.Steps = append(p.Steps, f)
		t = f.Type
	}
	return p
}
