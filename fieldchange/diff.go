package fieldchange

import (
	"encoding/json"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/kycsdk/kyc/internal/fieldpath"
	"github.com/kycsdk/kyc/profile"
)

// listIdentity says how the elements of a list are told apart, so that a
// list whose elements were only reordered shows no change (seed 000 names
// fields, not positions). The key of an element gives its identity:
// elements of the two sides with the same key are the same element. The
// group pairs the elements left over, so that an e-mail contact whose
// address changed is a change of that contact rather than one removed and
// another added.
type listIdentity struct {
	fields  []string // the fields of the key; nil: the whole content but without
	without string
	group   []string // the fields of the group; nil: no pairing of leftovers
}

// listIdentities holds the lists of Profile that have a natural identity:
// contacts by type and value, addresses by their content (the main flag
// aside, since moving it is a change of the primary address), identity
// documents by type and number, tax residences by country. Other lists
// compare elements by their whole content.
var listIdentities = map[string]listIdentity{
	"contacts":           {fields: []string{"contact_type", "value"}, group: []string{"contact_type"}},
	"addresses":          {without: "main", group: []string{"main"}},
	"identity_documents": {fields: []string{"type", "number"}, group: []string{"type"}},
	"tax_residences":     {fields: []string{"country"}},
}

var wholeContent = listIdentity{}

// key is the canonical JSON of the element's identity.
func (id listIdentity) key(elem reflect.Value) string {
	if id.fields != nil {
		return fieldsKey(elem, id.fields)
	}
	var b strings.Builder
	writeCanonical(&b, elem, id.without)
	return b.String()
}

func (id listIdentity) groupKey(elem reflect.Value) string { return fieldsKey(elem, id.group) }

func fieldsKey(elem reflect.Value, names []string) string {
	var b strings.Builder
	if elem = present(elem); elem.Kind() != reflect.Struct && elem.Kind() != reflect.Map {
		writeCanonical(&b, elem, "")
		return b.String()
	}
	for _, n := range names {
		writeCanonical(&b, child(elem, n), "")
		b.WriteByte(0)
	}
	return b.String()
}

// present returns v with its pointers and interfaces followed, or the zero
// Value when its JSON tree would not hold it: nil, an empty list or map, a
// map whose keys are not strings, a value with no JSON form (a channel).
// Profile and the free JSON in it are read through present and entries
// alike, so that a typed record and a map with the same keys compare as
// the same object.
func present(v reflect.Value) reflect.Value {
	for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		if v.IsNil() {
			return reflect.Value{}
		}
		v = v.Elem()
	}
	switch v.Kind() {
	case reflect.Slice, reflect.Array:
		if v.Len() == 0 {
			return reflect.Value{}
		}
	case reflect.Map:
		if v.Len() == 0 || v.Type().Key().Kind() != reflect.String {
			return reflect.Value{}
		}
	case reflect.Struct, reflect.String, reflect.Bool,
		reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64:
	default:
		return reflect.Value{}
	}
	return v
}

// entry is a key of an object and its present value.
type entry struct {
	key string
	val reflect.Value
}

// entries returns the keys of an object (a struct under its JSON keys, or
// a map) that hold a present value, in key order.
func entries(v reflect.Value) []entry {
	var out []entry
	switch v.Kind() {
	case reflect.Struct:
		fs := fieldpath.Of(v.Type())
		for i := range fs.List {
			f := &fs.List[i]
			if fv, ok := f.Value(v); ok && !f.Omitted(fv) {
				if fv = present(fv); fv.IsValid() {
					out = append(out, entry{f.Name, fv})
				}
			}
		}
	case reflect.Map:
		for it := v.MapRange(); it.Next(); {
			if fv := present(it.Value()); fv.IsValid() {
				out = append(out, entry{it.Key().String(), fv})
			}
		}
	}
	slices.SortFunc(out, func(a, b entry) int { return strings.Compare(a.key, b.key) })
	return out
}

// child returns the present value under key of object v, or the zero Value.
func child(v reflect.Value, key string) reflect.Value {
	switch v.Kind() {
	case reflect.Struct:
		f, ok := fieldpath.Of(v.Type()).Lookup(key)
		if !ok {
			return reflect.Value{}
		}
		fv, ok := f.Value(v)
		if !ok || f.Omitted(fv) {
			return reflect.Value{}
		}
		return present(fv)
	case reflect.Map:
		return present(v.MapIndex(reflect.ValueOf(key).Convert(v.Type().Key())))
	}
	return reflect.Value{}
}

var numberType = reflect.TypeFor[json.Number]()

// scalarText is the text of a present scalar as a selector compares it:
// a string as it is, a number in its shortest form.
func scalarText(v reflect.Value) (string, bool) {
	switch v.Kind() {
	case reflect.String:
		return v.String(), true
	case reflect.Bool:
		return strconv.FormatBool(v.Bool()), true
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(v.Int(), 10), true
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return strconv.FormatUint(v.Uint(), 10), true
	case reflect.Float32, reflect.Float64:
		return strconv.FormatFloat(v.Float(), 'g', -1, 64), true
	}
	return "", false
}

// writeCanonical writes v as JSON with sorted keys, its absent parts and
// the key skip of an object left out, so that equal values give equal
// strings.
func writeCanonical(b *strings.Builder, v reflect.Value, skip string) {
	switch v = present(v); v.Kind() {
	case reflect.Invalid:
		b.WriteString("null")
	case reflect.Struct, reflect.Map:
		b.WriteByte('{')
		first := true
		for _, e := range entries(v) {
			if e.key == skip {
				continue
			}
			if !first {
				b.WriteByte(',')
			}
			first = false
			b.WriteString(strconv.Quote(e.key))
			b.WriteByte(':')
			writeCanonical(b, e.val, "")
		}
		b.WriteByte('}')
	case reflect.Slice, reflect.Array:
		b.WriteByte('[')
		for i := range v.Len() {
			if i > 0 {
				b.WriteByte(',')
			}
			writeCanonical(b, v.Index(i), "")
		}
		b.WriteByte(']')
	case reflect.String:
		if v.Type() == numberType {
			b.WriteString(v.String())
			break
		}
		b.WriteString(strconv.Quote(v.String()))
	default:
		s, _ := scalarText(v)
		b.WriteString(s)
	}
}

func canonical(v reflect.Value) string {
	var b strings.Builder
	writeCanonical(&b, v, "")
	return b.String()
}

// differ collects the changes between two profiles (walk.go), each
// classified by the policy where it is found.
type differ struct {
	policy  *Policy
	path    []step
	out     []Change
	scratch []int // walkList's pairings, used as a stack
	persons [2]profile.PersonType
}

// emit records a change at the current path. whole says that a whole list
// element was added or removed.
func (d *differ) emit(kind Kind, whole bool) {
	d.out = append(d.out, d.policy.classify(d.path, kind, whole, d.persons))
}

// pairElements returns, for each element of list new, the index of the
// element of list old it is paired with, or -1 when it has none.
func pairElements(old, new reflect.Value, id listIdentity) []int {
	n, m := listLen(old), listLen(new)
	pairOf := make([]int, m)
	used := make([]bool, n)
	byKey := make(map[string][]int, n)
	for i := range n {
		k := id.key(old.Index(i))
		byKey[k] = append(byKey[k], i)
	}
	for j := range m {
		pairOf[j] = -1
		k := id.key(new.Index(j))
		if q := byKey[k]; len(q) > 0 {
			pairOf[j], byKey[k] = q[0], q[1:]
			used[q[0]] = true
		}
	}
	if id.group != nil {
		pairLeftovers(old, new, id, pairOf, used)
	}
	return pairOf
}

// pairLeftovers pairs the unpaired elements of the same group, in order.
func pairLeftovers(old, new reflect.Value, id listIdentity, pairOf []int, used []bool) {
	for j := range pairOf {
		if pairOf[j] >= 0 {
			continue
		}
		g := id.groupKey(new.Index(j))
		for i := range used {
			if !used[i] && id.groupKey(old.Index(i)) == g {
				pairOf[j], used[i] = i, true
				break
			}
		}
	}
}
