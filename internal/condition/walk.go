package condition

import (
	"cmp"
	"encoding/json"
	"reflect"
	"sort"
	"strings"
	"sync"
)

// Walk follows path through v as the seed's JavaScript-style dot access does
// (seed 003, 3.3.1): on an object a missing key reads as None (nil), and
// attribute access on anything that is not an object (None, a string, a
// number, a list) is an *EvalError of Kind "AttributeError".
//
// v may be decoded JSON (map[string]any, []any, json.Number, float64,
// string, bool, nil) or a typed Go value, read through its JSON tags as
// encoding/json would write it: a nil pointer, and a field that omitempty or
// omitzero would leave out, read as None, except a list field, which reads
// as a list even when empty (an empty []any when nil). A key that names no
// field of a struct implementing Extra is read with ExtraMember. The value at
// the end of the path is returned as it is stored (decoded JSON or a Go
// value).
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
	if m, ok := v.(map[string]any); ok {
		x, found := m[key]
		return x, found, nil
	}
	rv := reflect.ValueOf(v)
	for rv.Kind() == reflect.Pointer || rv.Kind() == reflect.Interface {
		if rv.IsNil() {
			return nil, false, attrErr("NoneType", key)
		}
		rv = rv.Elem()
	}
	if !rv.IsValid() {
		return nil, false, attrErr("NoneType", key)
	}
	switch {
	case rv.Kind() == reflect.Struct:
		idx := fieldsOf(rv.Type())
		if idx.marshal {
			return marshaledMember(rv, key)
		}
		return structMember(rv, idx, key)
	case hasMarshaler(rv.Type()):
		return marshaledMember(rv, key)
	case rv.Kind() == reflect.Map:
		return mapMember(rv, key)
	}
	return nil, false, attrErr(pyTypeOf(rv.Interface()), key)
}

func marshaledMember(rv reflect.Value, key string) (any, bool, error) {
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

func mapMember(rv reflect.Value, key string) (any, bool, error) {
	if rv.Type().Key().Kind() != reflect.String {
		return nil, false, attrErr("object", key)
	}
	if rv.IsNil() {
		return nil, false, nil
	}
	x := rv.MapIndex(reflect.ValueOf(key).Convert(rv.Type().Key()))
	if !x.IsValid() {
		return nil, false, nil
	}
	return x.Interface(), true, nil
}

func structMember(rv reflect.Value, idx *structIndex, key string) (any, bool, error) {
	f, ok := idx.byName[key]
	if !ok {
		if idx.extra {
			v, found := extraMember(rv, key)
			return v, found, nil
		}
		return nil, false, nil
	}
	fv, ok := fieldByIndex(rv, f.index)
	if !ok || f.omitted(fv) {
		return nil, false, nil
	}
	if f.list && fv.IsNil() {
		return []any{}, true, nil
	}
	if f.basic {
		return basic(fv), true, nil
	}
	return fv.Interface(), true, nil
}

// basic returns a field of a basic kind as the plain Go value (a named
// string as string, a named integer such as profile.Timestamp as int64), so
// that converting it later needs no reflection; other kinds as they are.
func basic(fv reflect.Value) any {
	switch fv.Kind() {
	case reflect.String:
		if fv.Type() != numberType {
			return fv.String()
		}
	case reflect.Bool:
		return fv.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return fv.Int()
	}
	return fv.Interface()
}

// isBasic reports whether a field of type t can be read with basic.
func isBasic(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.String, reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return t != numberType && !t.Implements(marshalerType) && !reflect.PointerTo(t).Implements(marshalerType)
	}
	return false
}

// fieldByIndex is reflect's FieldByIndex without its panic on a nil embedded
// pointer: such a field is absent, as encoding/json treats it.
func fieldByIndex(rv reflect.Value, index []int) (reflect.Value, bool) {
	for i, x := range index {
		if i > 0 && rv.Kind() == reflect.Pointer {
			if rv.IsNil() {
				return reflect.Value{}, false
			}
			rv = rv.Elem()
		}
		rv = rv.Field(x)
	}
	return rv, true
}

// objectKeys lists the keys an object value has in its JSON form.
func objectKeys(o objV) ([]string, error) {
	if m, ok := o.v.(map[string]any); ok {
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		return keys, nil
	}
	rv := reflect.ValueOf(o.v)
	if hasMarshaler(rv.Type()) {
		val, err := marshaled(rv)
		if err != nil {
			return nil, err
		}
		if inner, ok := val.(objV); ok {
			return objectKeys(inner)
		}
		return nil, nil
	}
	if rv.Kind() == reflect.Map {
		keys := make([]string, 0, rv.Len())
		for _, k := range rv.MapKeys() {
			keys = append(keys, k.String())
		}
		return keys, nil
	}
	return structKeys(rv), nil
}

func structKeys(rv reflect.Value) []string {
	var keys []string
	for _, f := range fieldsOf(rv.Type()).list {
		fv, ok := fieldByIndex(rv, f.index)
		if ok && !f.omitted(fv) {
			keys = append(keys, f.name)
		}
	}
	return keys
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

// field is one JSON member of a struct type.
type field struct {
	name      string
	index     []int
	omitEmpty bool
	omitZero  bool
	basic     bool // a string, bool or integer kind without its own encoding
	list      bool // a slice encoded as a JSON list (see isList)
}

// omitted reports whether the field reads as None: a value that omitempty
// or omitzero leaves out of the JSON, except a list, which reads as the
// empty list it is, so that `'vip' not in dprofile.labels` is True on a
// profile without labels, as in Python, rather than a TypeError.
func (f field) omitted(v reflect.Value) bool {
	if f.list {
		return false
	}
	if f.omitZero && v.IsZero() {
		return true
	}
	return f.omitEmpty && isEmptyValue(v)
}

// isEmptyValue is encoding/json's definition of empty for omitempty.
func isEmptyValue(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() == 0
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.Interface, reflect.Pointer:
		return v.IsZero()
	}
	return false
}

type structIndex struct {
	byName map[string]field
	list   []field
	// marshal is set for a struct with its own JSON encoding and no
	// tagged fields (time.Time): it is read through its encoding.
	marshal bool
	// extra is set for a struct that implements Extra.
	extra bool
}

// Extra is implemented by a struct that holds JSON object members beyond
// its fields, such as the top-level keys a decoded profile keeps without a
// field of its own: a key that names no field is read with ExtraMember,
// whose value is decoded JSON (json.Number for numbers); ok false reads as
// None.
type Extra interface {
	ExtraMember(key string) (v any, ok bool)
}

var extraType = reflect.TypeFor[Extra]()

// extraMember reads key from the Extra members of the struct rv.
func extraMember(rv reflect.Value, key string) (any, bool) {
	var x any
	if rv.CanAddr() {
		x = rv.Addr().Interface()
	} else {
		x = rv.Interface()
	}
	e, ok := x.(Extra)
	if !ok {
		return nil, false
	}
	return e.ExtraMember(key)
}

// isList reports whether a field of type t encodes as a JSON list: a slice
// other than bytes (base64 text) without its own encoding.
func isList(t reflect.Type) bool {
	return t.Kind() == reflect.Slice && t.Elem().Kind() != reflect.Uint8 && !hasMarshaler(t)
}

// fieldCache holds the JSON index of each struct type met, computed once:
// reading a field is then a map lookup and a Field call.
var fieldCache sync.Map // reflect.Type -> *structIndex

func fieldsOf(t reflect.Type) *structIndex {
	if idx, ok := fieldCache.Load(t); ok {
		return idx.(*structIndex)
	}
	idx := buildIndex(t)
	actual, _ := fieldCache.LoadOrStore(t, idx)
	return actual.(*structIndex)
}

// buildIndex applies encoding/json's naming rules: the tag name, else the Go
// name; `json:"-"` and unexported fields are skipped; embedded structs
// without a tag name promote their fields, and the shallower field wins.
func buildIndex(t reflect.Type) *structIndex {
	idx := &structIndex{byName: map[string]field{}}
	depthOf := map[string]int{}
	var walk func(t reflect.Type, prefix []int)
	walk = func(t reflect.Type, prefix []int) {
		for _, sf := range reflect.VisibleFields(t) {
			if len(sf.Index) != 1 {
				continue // reached through the embedded walk below
			}
			addField(idx, depthOf, sf, append(append([]int{}, prefix...), sf.Index...), walk)
		}
	}
	walk(t, nil)
	idx.list = idx.list[:0]
	for _, f := range idx.byName {
		idx.list = append(idx.list, f)
	}
	sort.Slice(idx.list, func(i, j int) bool { return idx.list[i].name < idx.list[j].name })
	idx.marshal = len(idx.list) == 0 && (t.Implements(marshalerType) || reflect.PointerTo(t).Implements(marshalerType))
	idx.extra = t.Implements(extraType) || reflect.PointerTo(t).Implements(extraType)
	return idx
}

func addField(idx *structIndex, depthOf map[string]int, sf reflect.StructField, index []int, walk func(reflect.Type, []int)) {
	tag := sf.Tag.Get("json")
	if tag == "-" {
		return
	}
	name, opts, _ := strings.Cut(tag, ",")
	ft := sf.Type
	if ft.Kind() == reflect.Pointer {
		ft = ft.Elem()
	}
	if sf.Anonymous && name == "" && ft.Kind() == reflect.Struct {
		walk(ft, index)
		return
	}
	if !sf.IsExported() {
		return
	}
	name = cmp.Or(name, sf.Name)
	if d, seen := depthOf[name]; seen && d <= len(index) {
		return
	}
	depthOf[name] = len(index)
	f := field{name: name, index: index, basic: isBasic(sf.Type), list: isList(sf.Type), omitEmpty: strings.Contains(","+opts+",", ",omitempty,"), omitZero: strings.Contains(","+opts+",", ",omitzero,")}
	idx.byName[name] = f
}

var marshalerCache sync.Map // reflect.Type -> bool

// hasMarshaler reports whether values of t must be read through their own
// JSON encoding (time.Time, json.RawMessage). A struct with JSON-tagged
// exported fields is read through its tags even when it has a MarshalJSON
// (as profile.Profile does, to keep unknown keys): the round trip would cost
// a full encoding per path read.
func hasMarshaler(t reflect.Type) bool {
	if v, ok := marshalerCache.Load(t); ok {
		return v.(bool)
	}
	has := t.Implements(marshalerType) || reflect.PointerTo(t).Implements(marshalerType)
	if t.Kind() == reflect.Struct {
		has = fieldsOf(t).marshal
	}
	marshalerCache.Store(t, has)
	return has
}
