package fieldchange

import (
	"encoding/json"
	"math"
	"reflect"
	"slices"
	"sync"

	"github.com/kycsdk/kyc/internal/fieldpath"
	"github.com/kycsdk/kyc/profile"
)

// Check walks the two typed profiles side by side, field by field in the
// order of their JSON keys, rather than building the JSON tree of each and
// diffing the trees: a save compares two profiles that are almost the same,
// and building maps of both only to find them equal cost nearly all of the
// time. The walk reports exactly what a diff of the JSON trees does (the
// oracle test holds it to one): a field is present when its tree would hold
// it, scalars are equal when their JSON is, and list elements are paired by
// their identities. Free JSON (metadata, extra, maps), whose types are known
// only when it is met, is walked by its JSON shape (walkAny), and only when
// a cheap look has not found it equal.

// planKind is how the walk compares the values of one Go type.
type planKind uint8

const (
	planScalar planKind = iota // string, bool, integer or float
	planStruct                 // fields under their JSON keys
	planList                   // a slice
	planAny                    // anything else: walked by its JSON shape
)

// plan is how to compare the values of one type, worked out once.
type plan struct {
	kind   planKind
	fields []planField // planStruct: in JSON key order, the diff's order
	elem   *plan       // planList
	// exact says that no free JSON lies below, so that typed equality is
	// equality of the canonical JSON that identifies list elements.
	exact bool
}

// planField is a field of a planStruct.
type planField struct {
	// index is the field's own index when it is not promoted from an
	// embedded struct, else -1: the walk reads most fields by it, without
	// the call through Field.Value that costs the walk several percent.
	index int
	plan  *plan
	ident *typedIdentity // a top-level list of Profile with an identity
	fieldpath.Field
}

// typedIdentity is a listIdentity resolved to the fields of the element
// plan; -1 stands for a field the element does not have, which the tree
// compares as null on both sides.
type typedIdentity struct {
	tree  listIdentity
	keys  []int // nil: the whole content but skip
	skip  int
	group []int
}

var profilePlan = sync.OnceValue(func() *plan {
	p := planOf(reflect.TypeFor[profile.Profile](), map[reflect.Type]*plan{})
	for i := range p.fields {
		f := &p.fields[i]
		if id, ok := listIdentities[f.Name]; ok && f.plan.kind == planList {
			f.ident = resolveIdentity(id, f.plan.elem)
		}
	}
	return p
})

// planOf works out the plan of t. Pointers are followed when comparing, as
// JSON does. A type met again while its plan is being built keeps the
// placeholder's inexact flag, which only makes list pairing go through
// canonical keys.
func planOf(t reflect.Type, seen map[reflect.Type]*plan) *plan {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if p, ok := seen[t]; ok {
		return p
	}
	p := &plan{kind: planAny}
	seen[t] = p
	switch t.Kind() {
	case reflect.String, reflect.Bool,
		reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64:
		p.kind, p.exact = planScalar, true
	case reflect.Struct:
		planStructOf(p, t, seen)
	case reflect.Slice:
		p.kind, p.elem = planList, planOf(t.Elem(), seen)
		p.exact = p.elem.exact
	}
	return p
}

// planStructOf fills p for a struct type, with its fields in the order of
// their JSON keys.
func planStructOf(p *plan, t reflect.Type, seen map[reflect.Type]*plan) {
	list := fieldpath.Of(t).List
	p.kind, p.fields, p.exact = planStruct, make([]planField, len(list)), true
	for i, f := range list {
		p.fields[i] = planField{index: -1, Field: f, plan: planOf(f.Type, seen)}
		if len(f.Index) == 1 {
			p.fields[i].index = f.Index[0]
		}
		p.exact = p.exact && p.fields[i].plan.exact
	}
}

func resolveIdentity(id listIdentity, elem *plan) *typedIdentity {
	indexOf := func(name string) int {
		return slices.IndexFunc(elem.fields, func(f planField) bool { return f.Name == name })
	}
	ti := &typedIdentity{tree: id, skip: -1}
	if elem.kind != planStruct {
		return ti
	}
	if id.fields != nil {
		ti.keys = make([]int, len(id.fields))
		for i, n := range id.fields {
			ti.keys[i] = indexOf(n)
		}
	} else if id.without != "" {
		ti.skip = indexOf(id.without)
	}
	for _, n := range id.group {
		ti.group = append(ti.group, indexOf(n))
	}
	return ti
}

// value returns v with its pointers followed, or the zero Value when the
// JSON tree would not hold it: a nil pointer or an empty list. Free JSON is
// returned as it is; walkAny knows when it is absent.
func (p *plan) value(v reflect.Value) reflect.Value {
	for v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return reflect.Value{}
		}
		v = v.Elem()
	}
	if p.kind == planList && v.Len() == 0 {
		return reflect.Value{}
	}
	return v
}

// get returns the field of struct v as value does, or the zero Value when
// the JSON leaves it out.
func (f *planField) get(v reflect.Value) reflect.Value {
	if !v.IsValid() {
		return reflect.Value{}
	}
	fv, ok := v, true
	if f.index >= 0 {
		fv = v.Field(f.index)
	} else {
		fv, ok = f.Value(v)
	}
	if !ok || f.Omitted(fv) {
		return reflect.Value{}
	}
	return f.plan.value(fv)
}

// walk compares old and new, values of plan p, at the current path; the
// zero Value is an absent value.
func (d *differ) walk(p *plan, ident *typedIdentity, old, new reflect.Value) {
	switch p.kind {
	case planScalar:
		d.walkScalar(old, new)
	case planStruct:
		d.walkStruct(p, old, new)
	case planList:
		d.walkList(p.elem, ident, old, new)
	case planAny:
		// Free JSON: walked by its shape once a cheap look has not found
		// it equal.
		if !sameTree(old, new) {
			d.walkAny(old, new)
		}
	}
}

func (d *differ) walkScalar(old, new reflect.Value) {
	switch {
	case !old.IsValid() && !new.IsValid():
	case !old.IsValid():
		d.emit(Added, false)
	case !new.IsValid():
		d.emit(Removed, false)
	case !sameScalar(old, new):
		d.emit(Modified, false)
	}
}

func (d *differ) walkStruct(p *plan, old, new reflect.Value) {
	for i := range p.fields {
		f := &p.fields[i]
		ov, nv := f.get(old), f.get(new)
		if !ov.IsValid() && !nv.IsValid() {
			continue
		}
		d.path = append(d.path, step{key: f.Name, index: -1})
		d.walk(f.plan, f.ident, ov, nv)
		d.path = d.path[:len(d.path)-1]
	}
}

// walkAny compares two values of any type by their JSON shape, as free
// JSON needs: objects (structs or maps) key by key in key order, lists as
// walkList does, scalars by their canonical JSON. Absent values compare as
// empty objects or lists when the other side is one, so that every leaf
// that appears or disappears is reported under its own path; values of
// different shapes are one change.
func (d *differ) walkAny(old, new reflect.Value) {
	old, new = present(old), present(new)
	os, ns := shapeOf(old), shapeOf(new)
	switch {
	case os == shapeAbsent && ns == shapeAbsent:
	case os|ns == shapeObject|shapeAbsent || os&ns == shapeObject:
		d.walkObject(entries(old), entries(new))
	case os|ns == shapeList|shapeAbsent || os&ns == shapeList:
		d.walkList(anyPlan, nil, old, new)
	case os == shapeAbsent:
		d.emit(Added, false)
	case ns == shapeAbsent:
		d.emit(Removed, false)
	case isFloat(old) && isFloat(new) && old.Float() == new.Float():
		// -0 is 0 as a value, though its canonical JSON differs.
	case canonical(old) != canonical(new):
		d.emit(Modified, false)
	}
}

func isFloat(v reflect.Value) bool { return v.Kind() == reflect.Float32 || v.Kind() == reflect.Float64 }

// The JSON shapes of a present value, as bits so that walkAny can ask
// whether both sides are of one shape or absent.
const (
	shapeAbsent = 1 << iota
	shapeObject
	shapeList
	shapeScalar
)

func shapeOf(v reflect.Value) int {
	switch v.Kind() {
	case reflect.Invalid:
		return shapeAbsent
	case reflect.Struct, reflect.Map:
		return shapeObject
	case reflect.Slice, reflect.Array:
		return shapeList
	}
	return shapeScalar
}

// anyPlan is the plan of a value whose type is known only when it is met.
var anyPlan = &plan{kind: planAny}

// walkObject compares the entries of two objects, each in key order.
func (d *differ) walkObject(old, new []entry) {
	for len(old) > 0 || len(new) > 0 {
		var key string
		var ov, nv reflect.Value
		switch {
		case len(new) == 0 || len(old) > 0 && old[0].key < new[0].key:
			key, ov, old = old[0].key, old[0].val, old[1:]
		case len(old) == 0 || new[0].key < old[0].key:
			key, nv, new = new[0].key, new[0].val, new[1:]
		default:
			key, ov, nv = old[0].key, old[0].val, new[0].val
			old, new = old[1:], new[1:]
		}
		d.path = append(d.path, step{key: key, index: -1})
		d.walkAny(ov, nv)
		d.path = d.path[:len(d.path)-1]
	}
}

// walkList compares two lists (the last step of the path) as differ.list
// does: paired elements in the order of the new list, then the new
// elements, then the removed ones.
func (d *differ) walkList(elem *plan, ident *typedIdentity, old, new reflect.Value) {
	n, m := listLen(old), listLen(new)
	mark := len(d.scratch)
	d.scratch = slices.Grow(d.scratch, m+n)[:mark+m+n]
	pairOf, usedOld := d.scratch[mark:mark+m], d.scratch[mark+m:mark+m+n]
	pairValues(elem, ident, old, new, pairOf, usedOld)
	for j, i := range pairOf {
		if i >= 0 {
			d.walkElement(elem, j, old.Index(i), new.Index(j), false, Modified)
		}
	}
	for j, i := range pairOf {
		if i < 0 {
			d.walkElement(elem, j, reflect.Value{}, new.Index(j), true, Added)
		}
	}
	for i, used := range usedOld {
		if used == 0 {
			d.walkElement(elem, i, old.Index(i), reflect.Value{}, true, Removed)
		}
	}
	d.scratch = d.scratch[:mark]
}

func listLen(v reflect.Value) int {
	if !v.IsValid() {
		return 0
	}
	return v.Len()
}

// walkElement compares one pair of elements, or reports a whole element
// added or removed, under the list's key with the element's index.
func (d *differ) walkElement(elem *plan, index int, old, new reflect.Value, whole bool, kind Kind) {
	k := len(d.path) - 1
	saved := d.path[k]
	d.path[k].index, d.path[k].old, d.path[k].new = index, elementRef(elem, old), elementRef(elem, new)
	if whole {
		d.emit(kind, true)
	} else {
		d.walk(elem, nil, elem.value(old), elem.value(new))
	}
	d.path[k] = saved
}

// elementRef is what a step holds of a list element for selectors to look
// at: a pointer to a typed record (see fieldIs), free JSON as it is, and
// nothing for a scalar or a list, which have no fields to select on.
func elementRef(elem *plan, v reflect.Value) any {
	if !v.IsValid() {
		return nil
	}
	switch elem.kind {
	case planStruct:
		if v = elem.value(v); v.IsValid() {
			return v.Addr().Interface()
		}
		return nil
	case planAny:
		if v = present(v); v.IsValid() {
			return v.Interface()
		}
	}
	return nil
}

// maxTypedPairs bounds the element comparisons of typed pairing; longer
// lists are paired through canonical keys in a map, as before.
const maxTypedPairs = 1024

// pairValues sets pairOf[j] to the index of the element of old paired with
// new[j], or -1, and usedOld[i] to 1 for the paired elements of old. It
// pairs as pairElements does: each new element, in order, with the first
// unused old element of the same identity, then the leftovers by group.
func pairValues(elem *plan, ident *typedIdentity, old, new reflect.Value, pairOf, usedOld []int) {
	for j := range pairOf {
		pairOf[j] = -1
	}
	clear(usedOld)
	if len(pairOf) == 0 || len(usedOld) == 0 {
		return
	}
	typed := elem.kind == planStruct || ident == nil
	if !typed || len(pairOf)*len(usedOld) > maxTypedPairs || !elem.exactList(old) || !elem.exactList(new) {
		pairByKey(ident, old, new, pairOf, usedOld)
		return
	}
	same := func(a, b reflect.Value) bool { return elem.equal(elem.value(a), elem.value(b)) }
	if ident != nil {
		same = func(a, b reflect.Value) bool { return ident.sameKey(elem, a, b) }
	}
	pairBy(old, new, same, pairOf, usedOld)
	if ident != nil && ident.group != nil {
		pairBy(old, new, func(a, b reflect.Value) bool { return sameFields(elem, ident.group, a, b) }, pairOf, usedOld)
	}
}

// pairBy pairs each unpaired element of new, in order, with the first
// unused element of old that same says is its counterpart.
func pairBy(old, new reflect.Value, same func(a, b reflect.Value) bool, pairOf, usedOld []int) {
	for j := range pairOf {
		if pairOf[j] >= 0 {
			continue
		}
		nv := new.Index(j)
		for i := range usedOld {
			if usedOld[i] == 0 && same(old.Index(i), nv) {
				pairOf[j], usedOld[i] = i, 1
				break
			}
		}
	}
}

// pairByKey pairs the elements through their canonical keys in a map: for
// long lists, and for elements that hold free JSON, which typed equality
// cannot compare.
func pairByKey(ident *typedIdentity, old, new reflect.Value, pairOf, usedOld []int) {
	id := wholeContent
	if ident != nil {
		id = ident.tree
	}
	got := pairElements(old, new, id)
	copy(pairOf, got)
	for _, i := range got {
		if i >= 0 {
			usedOld[i] = 1
		}
	}
}

func (ti *typedIdentity) sameKey(elem *plan, a, b reflect.Value) bool {
	if ti.keys != nil {
		return sameFields(elem, ti.keys, a, b)
	}
	a, b = elem.value(a), elem.value(b)
	for i := range elem.fields {
		f := &elem.fields[i]
		if i != ti.skip && !f.plan.equal(f.get(a), f.get(b)) {
			return false
		}
	}
	return true
}

func sameFields(elem *plan, fields []int, a, b reflect.Value) bool {
	a, b = elem.value(a), elem.value(b)
	for _, i := range fields {
		if i < 0 {
			continue
		}
		f := &elem.fields[i]
		if !f.plan.equal(f.get(a), f.get(b)) {
			return false
		}
	}
	return true
}

// exactList reports whether every element of list v holds no free JSON,
// so that typed equality decides its identity.
func (p *plan) exactList(v reflect.Value) bool {
	if p.exact || !v.IsValid() {
		return true
	}
	for i := range v.Len() {
		if !p.exactValue(p.value(v.Index(i))) {
			return false
		}
	}
	return true
}

func (p *plan) exactValue(v reflect.Value) bool {
	if p.exact || !v.IsValid() {
		return true
	}
	switch p.kind {
	case planStruct:
		for i := range p.fields {
			f := &p.fields[i]
			if !f.plan.exactValue(f.get(v)) {
				return false
			}
		}
		return true
	case planList:
		return p.elem.exactList(v)
	}
	return !present(v).IsValid()
}

// equal reports whether a and b, values of plan p as value returns them,
// have the same JSON tree. Free JSON in them must be absent (exactValue).
func (p *plan) equal(a, b reflect.Value) bool {
	if !a.IsValid() || !b.IsValid() {
		return a.IsValid() == b.IsValid()
	}
	switch p.kind {
	case planScalar:
		return sameText(a, b)
	case planStruct:
		for i := range p.fields {
			f := &p.fields[i]
			if !f.plan.equal(f.get(a), f.get(b)) {
				return false
			}
		}
		return true
	case planList:
		if a.Len() != b.Len() {
			return false
		}
		for i := range a.Len() {
			if !p.elem.equal(p.elem.value(a.Index(i)), p.elem.value(b.Index(i))) {
				return false
			}
		}
		return true
	}
	return sameTree(a, b)
}

// sameScalar reports whether two scalars of one type are the same to a
// diff of JSON trees: equal, or written alike (NaN).
func sameScalar(a, b reflect.Value) bool {
	if isFloat(a) {
		x, y := a.Float(), b.Float()
		return x == y || sameFloat(x, y)
	}
	return sameText(a, b)
}

// sameText reports whether two scalars of one type have the same canonical
// JSON, which is what identifies list elements: there -0 is not 0.
func sameText(a, b reflect.Value) bool {
	switch a.Kind() {
	case reflect.String:
		return a.String() == b.String()
	case reflect.Bool:
		return a.Bool() == b.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return a.Int() == b.Int()
	case reflect.Float32, reflect.Float64:
		return sameFloat(a.Float(), b.Float())
	}
	return a.Uint() == b.Uint()
}

// sameFloat reports whether x and y have the same shortest form.
func sameFloat(x, y float64) bool {
	if math.IsNaN(x) || math.IsNaN(y) {
		return math.IsNaN(x) && math.IsNaN(y)
	}
	return x == y && math.Signbit(x) == math.Signbit(y)
}

// sameTree is a cheap look at free JSON: true only when both trees are
// surely the same, by the stricter sameJSON. False sends the values to
// walkAny.
func sameTree(a, b reflect.Value) bool {
	aAbsent, bAbsent := !present(a).IsValid(), !present(b).IsValid()
	if aAbsent || bAbsent {
		return aAbsent && bAbsent
	}
	if !a.CanInterface() || !b.CanInterface() || a.Type() != b.Type() {
		return false
	}
	return sameJSON(a.Interface(), b.Interface())
}

// sameJSON reports whether x and y are the same decoded JSON, of the same
// types: then their trees are the same. Any other type is left to the
// tree comparison.
func sameJSON(x, y any) bool {
	switch a := x.(type) {
	case nil:
		return y == nil
	case string:
		b, ok := y.(string)
		return ok && a == b
	case json.Number:
		b, ok := y.(json.Number)
		return ok && a == b
	case bool:
		b, ok := y.(bool)
		return ok && a == b
	case float64:
		b, ok := y.(float64)
		return ok && sameFloat(a, b)
	case int64:
		b, ok := y.(int64)
		return ok && a == b
	case int:
		b, ok := y.(int)
		return ok && a == b
	case map[string]any:
		b, ok := y.(map[string]any)
		return ok && sameJSONObject(a, b)
	case profile.Object:
		b, ok := y.(profile.Object)
		return ok && sameJSONObject(a, b)
	case []any:
		b, ok := y.([]any)
		return ok && slices.EqualFunc(a, b, sameJSON)
	}
	return false
}

func sameJSONObject(a, b map[string]any) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		w, ok := b[k]
		if !ok || !sameJSON(v, w) {
			return false
		}
	}
	return true
}
