package fieldpath

import (
	"bytes"
	"cmp"
	"encoding/json"
	"reflect"
	"sort"
	"strings"
	"sync"

	"github.com/kycsdk/kyc/profile"
)

// Field is one JSON member of a struct type.
type Field struct {
	Name      string
	Index     []int // as reflect.Value.FieldByIndex, through embedded structs
	Type      reflect.Type
	OmitEmpty bool
	OmitZero  bool
	// Scalar is set for a string, bool or integer kind without its own
	// JSON encoding, which reads as the plain Go value (see Scalar).
	Scalar bool
	// List is set for a slice encoded as a JSON list (not bytes, no
	// encoding of its own).
	List bool
}

// Omitted reports whether the field's value v is absent from the JSON
// document: a value that omitempty or omitzero leaves out. A list is never
// absent: it reads as the empty list it is, so that `'vip' not in
// dprofile.labels` is True on a profile without labels, as in Python.
func (f *Field) Omitted(v reflect.Value) bool {
	if f.List || !f.OmitZero && !f.OmitEmpty {
		return false // kept small enough to inline: a typed walk calls it per field
	}
	return f.omitted(v)
}

// omitted tests first the kinds for which omitempty and omitzero agree
// (encoding/json's empty is IsZero there), without a call into reflect.
func (f *Field) omitted(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.String:
		return v.String() == ""
	case reflect.Bool:
		return !v.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return v.Int() == 0
	case reflect.Pointer, reflect.Interface:
		return v.IsNil()
	}
	if f.OmitZero && v.IsZero() {
		return true
	}
	return f.OmitEmpty && isEmptyValue(v)
}

// Value returns the field of the struct value rv; ok is false when an
// embedded pointer on the way is nil, where encoding/json leaves the field
// out.
func (f *Field) Value(rv reflect.Value) (reflect.Value, bool) {
	for i, x := range f.Index {
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

// Fields is the JSON form of a struct type.
type Fields struct {
	byName map[string]Field
	// List holds every field, sorted by name.
	List []Field
	// Encoded is set for a struct with its own JSON encoding and no
	// tagged fields (time.Time): it is read through its encoding.
	Encoded bool
	unknown *Field // the map of the keys without a field, if any
}

// Lookup returns the field named name.
func (fs *Fields) Lookup(name string) (Field, bool) {
	f, ok := fs.byName[name]
	return f, ok
}

// Unknown returns the decoded JSON (json.Number for numbers) of the key
// the struct value rv keeps without a field of its own; ok false when it
// keeps none by that name.
func (fs *Fields) Unknown(rv reflect.Value, key string) (any, bool) {
	m, ok := fs.unknownMap(rv)
	if !ok {
		return nil, false
	}
	raw := m.MapIndex(reflect.ValueOf(key).Convert(m.Type().Key()))
	if !raw.IsValid() {
		return nil, false
	}
	dec := json.NewDecoder(bytes.NewReader(raw.Bytes()))
	dec.UseNumber()
	var x any
	if err := dec.Decode(&x); err != nil {
		return nil, false
	}
	return x, true
}

// UnknownKeys lists the keys the struct value rv keeps without a field.
func (fs *Fields) UnknownKeys(rv reflect.Value) []string {
	m, ok := fs.unknownMap(rv)
	if !ok {
		return nil
	}
	keys := make([]string, 0, m.Len())
	for _, k := range m.MapKeys() {
		if _, shadowed := fs.byName[k.String()]; !shadowed {
			keys = append(keys, k.String())
		}
	}
	return keys
}

func (fs *Fields) unknownMap(rv reflect.Value) (reflect.Value, bool) {
	if fs.unknown == nil {
		return reflect.Value{}, false
	}
	m, ok := fs.unknown.Value(rv)
	if !ok || m.IsNil() {
		return reflect.Value{}, false
	}
	return m, true
}

// unknownField is Profile.Unknown: a struct field of that name and type
// (the profile's own, or one embedding it) holds the top-level keys the
// decoder kept. Only its shape is relied on, a map from string keys to
// byte slices of raw JSON, so that it may change its declared type.
var unknownField, _ = reflect.TypeFor[profile.Profile]().FieldByName("Unknown")

var fieldCache sync.Map // reflect.Type -> *Fields

// Of returns the JSON fields of struct type t, computed once per type.
func Of(t reflect.Type) *Fields {
	if fs, ok := fieldCache.Load(t); ok {
		return fs.(*Fields)
	}
	fs, _ := fieldCache.LoadOrStore(t, build(t))
	return fs.(*Fields)
}

// build applies encoding/json's naming rules: the tag name, else the Go
// name; `json:"-"` and unexported fields are skipped; embedded structs
// without a tag name promote their fields, and the shallower field wins.
func build(t reflect.Type) *Fields {
	fs := &Fields{byName: map[string]Field{}}
	depthOf := map[string]int{}
	var walk func(t reflect.Type, prefix []int)
	walk = func(t reflect.Type, prefix []int) {
		for _, sf := range reflect.VisibleFields(t) {
			if len(sf.Index) == 1 {
				fs.add(depthOf, sf, append(append([]int{}, prefix...), sf.Index...), walk)
			}
		}
	}
	walk(t, nil)
	for _, f := range fs.byName {
		fs.List = append(fs.List, f)
	}
	sort.Slice(fs.List, func(i, j int) bool { return fs.List[i].Name < fs.List[j].Name })
	fs.Encoded = len(fs.List) == 0 && marshals(t)
	if sf, ok := t.FieldByName(unknownField.Name); ok && sf.Type == unknownField.Type && isRawMap(sf.Type) {
		fs.unknown = &Field{Index: sf.Index, Type: sf.Type}
	}
	return fs
}

// isRawMap reports whether t maps string keys to byte slices.
func isRawMap(t reflect.Type) bool {
	return t.Kind() == reflect.Map && t.Key().Kind() == reflect.String &&
		t.Elem().Kind() == reflect.Slice && t.Elem().Elem().Kind() == reflect.Uint8
}

func (fs *Fields) add(depthOf map[string]int, sf reflect.StructField, index []int, walk func(reflect.Type, []int)) {
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
	opts = "," + opts + ","
	fs.byName[name] = Field{
		Name: name, Index: index, Type: sf.Type,
		OmitEmpty: strings.Contains(opts, ",omitempty,"), OmitZero: strings.Contains(opts, ",omitzero,"),
		Scalar: isScalar(sf.Type), List: isList(sf.Type),
	}
}

var (
	marshalerType = reflect.TypeFor[json.Marshaler]()
	numberType    = reflect.TypeFor[json.Number]()
)

func marshals(t reflect.Type) bool {
	return t.Implements(marshalerType) || reflect.PointerTo(t).Implements(marshalerType)
}

func isScalar(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.String, reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return t != numberType && !marshals(t)
	}
	return false
}

func isList(t reflect.Type) bool {
	return t.Kind() == reflect.Slice && t.Elem().Kind() != reflect.Uint8 && !Encoded(t)
}

var encodedCache sync.Map // reflect.Type -> bool

// Encoded reports whether values of t must be read through their own JSON
// encoding (time.Time, json.RawMessage). A struct with JSON-tagged exported
// fields is read through its tags even when it has a MarshalJSON: the round
// trip would cost a full encoding per path read. So is a map with string
// keys: profile.Object encodes itself as its entries, with exact numbers.
func Encoded(t reflect.Type) bool {
	if v, ok := encodedCache.Load(t); ok {
		return v.(bool)
	}
	has := marshals(t)
	switch {
	case t.Kind() == reflect.Struct:
		has = Of(t).Encoded
	case t.Kind() == reflect.Map && t.Key().Kind() == reflect.String:
		has = false
	}
	encodedCache.Store(t, has)
	return has
}

// Scalar returns a field value of a Scalar field as the plain Go value (a
// named string as string, a named integer such as profile.Timestamp as
// int64), so that converting it later needs no reflection.
func Scalar(fv reflect.Value) any {
	switch fv.Kind() {
	case reflect.String:
		return fv.String()
	case reflect.Bool:
		return fv.Bool()
	}
	return fv.Int()
}
