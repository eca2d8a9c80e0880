package riskmatrix

import (
	"encoding/json"
	"reflect"
	"strconv"
	"strings"

	"github.com/kycsdk/kyc/internal/fieldpath"
	"github.com/kycsdk/kyc/profile"
)

// valueKind is the kind of a scalar read from a profile.
type valueKind uint8

const (
	missing valueKind = iota
	stringValue
	boolValue
	numberValue
)

// scalar is one value read from a profile, kept unboxed so that reading it
// does not allocate.
type scalar struct {
	kind  valueKind
	s     string // stringValue, and the text of a JSON number from metadata
	b     bool
	n     float64
	i     int64
	isInt bool
}

// step is one resolved segment of a profile path: a struct field, or a key
// of a map with string keys.
type step struct {
	field fieldpath.Field
	key   reflect.Value
	isMap bool
}

// accessor reads one scalar of a profile. It is built once by resolvePath
// from a dotted path of JSON names, so that an assessment walks struct
// fields by index instead of converting the profile to JSON.
type accessor struct {
	steps []step
	// dynamic holds the keys still to walk inside free JSON (metadata),
	// whose shape is only known at assessment time.
	dynamic []string
	numeric bool // the leaf is a number (bands can apply)
	dynLeaf bool // the leaf type is only known at assessment time
}

var profileType = reflect.TypeFor[profile.Profile]()

// resolvePath resolves a dotted path of JSON names ("natural_person.gender",
// "blacklist_found.pep.hit", "metadata.segment") against the Profile type.
// It returns a message saying what is wrong when the path does not name a
// single value.
func resolvePath(path string) (*accessor, string) {
	if path == "" {
		return nil, "path is empty"
	}
	segs := strings.Split(path, ".")
	a := &accessor{}
	t := profileType
	for i, seg := range segs {
		t = deref(t)
		switch t.Kind() {
		case reflect.Struct:
			f, ok := fieldpath.Of(t).Lookup(seg)
			if !ok {
				return nil, noField(segs, i)
			}
			a.steps = append(a.steps, step{field: f})
			t = f.Type
		case reflect.Map:
			if t.Key().Kind() != reflect.String {
				return nil, "unknown profile path: map without string keys"
			}
			a.steps = append(a.steps, step{key: reflect.ValueOf(seg).Convert(t.Key()), isMap: true})
			t = t.Elem()
			if t.Kind() == reflect.Interface {
				a.dynamic = segs[i+1:]
				a.dynLeaf = true
				return a, ""
			}
		case reflect.Slice, reflect.Array:
			return nil, "unknown profile path: " + strconv.Quote(strings.Join(segs[:i], ".")) + " is a list; use a factor kind for lists or a rule"
		default:
			return nil, "unknown profile path: " + strconv.Quote(strings.Join(segs[:i], ".")) + " is not an object"
		}
	}
	t = deref(t)
	switch t.Kind() {
	case reflect.String, reflect.Bool:
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64:
		a.numeric = true
	case reflect.Interface:
		a.dynLeaf = true
	default:
		return nil, "unknown profile path: " + strconv.Quote(path) + " is not a single value"
	}
	return a, ""
}

func deref(t reflect.Type) reflect.Type {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}

func noField(segs []string, i int) string {
	return "unknown profile path: no field " + strconv.Quote(segs[i]) + " at " + strconv.Quote(strings.Join(segs[:i], "."))
}

// read returns the value at the accessor's path. A nil pointer or map, an
// absent key, or an empty value of a field the JSON omits when empty all
// read as missing, as the same path reads as None in a condition.
func (a *accessor) read(p *profile.Profile) scalar {
	v := reflect.ValueOf(p).Elem()
	omit := false
	for i := range a.steps {
		s := &a.steps[i]
		var ok bool
		if v, ok = fieldpath.Indirect(v); !ok {
			return scalar{}
		}
		omit = s.field.OmitEmpty || s.field.OmitZero
		if !s.isMap {
			if v, ok = s.field.Value(v); !ok {
				return scalar{}
			}
			continue
		}
		if v.IsNil() {
			return scalar{}
		}
		v = v.MapIndex(s.key)
		if !v.IsValid() {
			return scalar{}
		}
	}
	if a.dynLeaf {
		return readDynamic(v.Interface(), a.dynamic)
	}
	v, ok := fieldpath.Indirect(v)
	if !ok || omit && v.IsZero() {
		return scalar{}
	}
	return readTyped(v)
}

func readTyped(v reflect.Value) scalar {
	switch {
	case v.Kind() == reflect.String:
		return scalar{kind: stringValue, s: v.String()}
	case v.Kind() == reflect.Bool:
		return scalar{kind: boolValue, b: v.Bool()}
	case v.CanInt():
		return scalar{kind: numberValue, n: float64(v.Int()), i: v.Int(), isInt: true}
	case v.CanUint():
		return scalar{kind: numberValue, n: float64(v.Uint()), i: int64(v.Uint()), isInt: true}
	case v.CanFloat():
		return scalar{kind: numberValue, n: v.Float()}
	}
	return scalar{}
}

// readDynamic walks free JSON (profile.Object values) by keys.
func readDynamic(v any, keys []string) scalar {
	for _, k := range keys {
		var m map[string]any
		switch o := v.(type) {
		case map[string]any:
			m = o
		case profile.Object:
			m = o
		default:
			return scalar{}
		}
		var ok bool
		if v, ok = m[k]; !ok {
			return scalar{}
		}
	}
	return readAny(v)
}

func readAny(v any) scalar {
	switch x := v.(type) {
	case string:
		return scalar{kind: stringValue, s: x}
	case bool:
		return scalar{kind: boolValue, b: x}
	case float64:
		return scalar{kind: numberValue, n: x}
	case json.Number:
		return numberText(string(x))
	}
	return scalar{}
}

func numberText(s string) scalar {
	if i, err := strconv.ParseInt(s, 10, 64); err == nil {
		return scalar{kind: numberValue, n: float64(i), i: i, isInt: true, s: s}
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return scalar{}
	}
	return scalar{kind: numberValue, n: f, s: s}
}

// tableKey writes the value as the key of a value-to-score table: a string
// as is, a boolean as true or false, a number in its decimal form. buf is
// scratch space so that integers need no allocation.
func (s scalar) tableKey(buf []byte) []byte {
	switch s.kind {
	case stringValue:
		return append(buf, s.s...)
	case boolValue:
		return strconv.AppendBool(buf, s.b)
	case numberValue:
		if s.s != "" {
			return append(buf, s.s...)
		}
		if s.isInt {
			return strconv.AppendInt(buf, s.i, 10)
		}
		return strconv.AppendFloat(buf, s.n, 'g', -1, 64)
	}
	return buf
}

// conditionPathProblem checks a path a condition reads under dprofile
// against the Profile type, so that a misspelt field is caught at load time
// instead of reading as None on every profile. Inside maps and free JSON
// any key may exist; a path may end on an object or a list, which a
// condition can compare with None.
func conditionPathProblem(segs []string) string {
	t := profileType
	for i, seg := range segs {
		t = deref(t)
		switch t.Kind() {
		case reflect.Struct:
			f, ok := fieldpath.Of(t).Lookup(seg)
			if !ok {
				return noField(segs, i)
			}
			t = f.Type
		case reflect.Map, reflect.Interface:
			return ""
		default:
			return "unknown profile path: " + strconv.Quote(strings.Join(segs[:i], ".")) + " has no fields"
		}
	}
	return ""
}
