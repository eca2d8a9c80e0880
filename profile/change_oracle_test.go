package profile

// The implementation of ChangePolicy.Check before it compared typed
// profiles field by field: it builds the JSON trees of both profiles by
// reflection and diffs them. It is kept here, unchanged but for its names,
// as the oracle that the differential tests and FuzzChangePolicyCheck hold
// the typed comparison to.

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
)

func oracleCheck(p *ChangePolicy, old, new *Profile) ChangeReport {
	var d oracleDiffer
	d.node(oracleProfileTree(old), oracleProfileTree(new))
	var rep ChangeReport
	for _, rc := range d.out {
		c := oracleClassify(p, rc)
		if c.Rule == "" {
			rep.Uncovered = append(rep.Uncovered, c)
			continue
		}
		rep.Changes = append(rep.Changes, c)
	}
	return rep
}

func oracleProfileTree(p *Profile) any {
	if p == nil {
		return nil
	}
	return oracleStructTree(reflect.ValueOf(p).Elem())
}

func oracleClassify(p *ChangePolicy, rc oracleRawChange) Change {
	c := Change{Path: oracleFormatSteps(rc.steps), Kind: rc.kind}
	best := -1
	for _, r := range p.rules {
		for i, segs := range r.paths {
			score, ok := oracleMatchScore(segs, rc.steps, rc.whole)
			if !ok || score < best {
				continue
			}
			need := r.rule.needs(rc.kind)
			if score == best && (c.Reverify || !need) {
				continue
			}
			best = score
			c.Rule, c.RulePath, c.Reverify = r.rule.Name, r.rule.Paths[i], need
		}
	}
	return c
}

// oracleRawChange is a difference between two profile trees, before any rule is
// applied to it.
type oracleRawChange struct {
	steps []oracleStep
	kind  ChangeKind
	whole bool // a whole list element was added or removed
}

// oracleListIdentity says how the elements of a list are told apart, so that a
// list whose elements were only reordered shows no change (seed 000 names
// fields, not positions). key gives an element's identity; elements of the
// two sides with the same identity are the same element. group pairs the
// elements left over, so that an e-mail contact whose address changed is a
// change of that contact rather than one removed and another added.
type oracleListIdentity struct {
	key   func(elem any) string
	group func(elem any) string
}

// oracleListIdentities holds the lists of Profile that have a natural identity:
// contacts by type and value, addresses by their content (the main flag
// aside, since moving it is a change of the primary address), identity
// documents by type and number, tax residences by country. Other lists
// compare elements by their whole content.
var oracleListIdentities = map[string]oracleListIdentity{
	"contacts":           {key: oracleFieldsKey("contact_type", "value"), group: oracleFieldsKey("contact_type")},
	"addresses":          {key: oracleContentKeyWithout("main"), group: oracleFieldsKey("main")},
	"identity_documents": {key: oracleFieldsKey("type", "number"), group: oracleFieldsKey("type")},
	"tax_residences":     {key: oracleFieldsKey("country")},
}

var oracleWholeContent = oracleListIdentity{key: oracleContentKeyWithout("")}

func oracleFieldsKey(names ...string) func(any) string {
	return func(elem any) string {
		m, ok := elem.(map[string]any)
		if !ok {
			return oracleCanonical(elem)
		}
		var b strings.Builder
		for _, n := range names {
			oracleWriteCanonical(&b, m[n])
			b.WriteByte(0)
		}
		return b.String()
	}
}

func oracleContentKeyWithout(skip string) func(any) string {
	return func(elem any) string {
		m, ok := elem.(map[string]any)
		if !ok || skip == "" {
			return oracleCanonical(elem)
		}
		var b strings.Builder
		oracleWriteObject(&b, m, skip)
		return b.String()
	}
}

func oracleCanonical(v any) string {
	var b strings.Builder
	oracleWriteCanonical(&b, v)
	return b.String()
}

// oracleWriteCanonical writes v as JSON with sorted keys, so that equal values
// give equal strings.
func oracleWriteCanonical(b *strings.Builder, v any) {
	switch x := v.(type) {
	case map[string]any:
		oracleWriteObject(b, x, "")
	case []any:
		b.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				b.WriteByte(',')
			}
			oracleWriteCanonical(b, e)
		}
		b.WriteByte(']')
	case string:
		b.WriteString(strconv.Quote(x))
	case json.Number:
		b.WriteString(x.String())
	case nil:
		b.WriteString("null")
	default:
		s, _ := oracleScalarString(x)
		b.WriteString(s)
	}
}

func oracleWriteObject(b *strings.Builder, m map[string]any, skip string) {
	b.WriteByte('{')
	first := true
	for _, k := range oracleSortedKeys(m) {
		if k == skip {
			continue
		}
		if !first {
			b.WriteByte(',')
		}
		first = false
		b.WriteString(strconv.Quote(k))
		b.WriteByte(':')
		oracleWriteCanonical(b, m[k])
	}
	b.WriteByte('}')
}

func oracleSortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// oracleDiffer collects the changes between two trees.
type oracleDiffer struct {
	path []oracleStep
	out  []oracleRawChange
}

func (d *oracleDiffer) emit(kind ChangeKind, whole bool) {
	d.out = append(d.out, oracleRawChange{steps: slices.Clone(d.path), kind: kind, whole: whole})
}

// node compares old and new at the current path. Absent values (nil) are
// compared as empty objects or lists when the other side is one, so that
// every leaf that appears or disappears is reported under its own path.
func (d *oracleDiffer) node(old, new any) {
	om, oObj := old.(map[string]any)
	nm, nObj := new.(map[string]any)
	if (oObj || old == nil) && (nObj || new == nil) && (oObj || nObj) {
		d.object(om, nm)
		return
	}
	ol, oList := old.([]any)
	nl, nList := new.([]any)
	if (oList || old == nil) && (nList || new == nil) && (oList || nList) {
		d.list(ol, nl)
		return
	}
	d.scalar(old, new)
}

func (d *oracleDiffer) scalar(old, new any) {
	switch {
	case old == nil && new == nil:
	case old == nil:
		d.emit(ChangeAdded, false)
	case new == nil:
		d.emit(ChangeRemoved, false)
	case old == new:
		// Same scalar: both sides are scalars here, never maps or lists
		// (node sends those to object and list), so == cannot panic.
	case oracleCanonical(old) != oracleCanonical(new):
		d.emit(ChangeModified, false)
	}
}

func (d *oracleDiffer) object(old, new map[string]any) {
	keys := oracleSortedKeys(old)
	for k := range new {
		if _, ok := old[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		d.path = append(d.path, oracleStep{key: k, index: -1})
		d.node(old[k], new[k])
		d.path = d.path[:len(d.path)-1]
	}
}

// list compares two lists element by element identity (see listIdentity).
// The list is the last step of the path, entered as a key.
func (d *oracleDiffer) list(old, new []any) {
	id := oracleWholeContent
	if len(d.path) == 1 {
		if li, ok := oracleListIdentities[d.path[0].key]; ok {
			id = li
		}
	}
	pairOf := oraclePairElements(old, new, id)
	usedOld := make([]bool, len(old))
	for j, i := range pairOf {
		if i >= 0 {
			usedOld[i] = true
			d.element(j, old[i], new[j], false, ChangeModified)
		}
	}
	for j, i := range pairOf {
		if i < 0 {
			d.element(j, nil, new[j], true, ChangeAdded)
		}
	}
	for i, used := range usedOld {
		if !used {
			d.element(i, old[i], nil, true, ChangeRemoved)
		}
	}
}

// element compares one pair of elements, or reports a whole element added
// or removed, under the list's key with the element's index.
func (d *oracleDiffer) element(index int, old, new any, whole bool, kind ChangeKind) {
	last := &d.path[len(d.path)-1]
	saved := *last
	last.index, last.old, last.new = index, old, new
	if whole {
		d.emit(kind, true)
	} else {
		d.node(old, new)
	}
	*last = saved
}

// oraclePairElements returns, for each element of new, the index of the element
// of old it is paired with, or -1 when it has none.
func oraclePairElements(old, new []any, id oracleListIdentity) []int {
	pairOf := make([]int, len(new))
	used := make([]bool, len(old))
	byKey := make(map[string][]int, len(old))
	for i, e := range old {
		k := id.key(e)
		byKey[k] = append(byKey[k], i)
	}
	for j, e := range new {
		pairOf[j] = -1
		k := id.key(e)
		if q := byKey[k]; len(q) > 0 {
			pairOf[j], byKey[k] = q[0], q[1:]
			used[q[0]] = true
		}
	}
	if id.group != nil {
		oraclePairLeftovers(old, new, id.group, pairOf, used)
	}
	return pairOf
}

// oraclePairLeftovers pairs the unpaired elements of the same group, in order.
func oraclePairLeftovers(old, new []any, group func(any) string, pairOf []int, used []bool) {
	for j, e := range new {
		if pairOf[j] >= 0 {
			continue
		}
		g := group(e)
		for i, o := range old {
			if !used[i] && group(o) == g {
				pairOf[j], used[i] = i, true
				break
			}
		}
	}
}

// oracleTreeOf returns the JSON tree of v: map[string]any for objects, []any for
// lists, and string, bool, int64, uint64, float64 or json.Number for
// scalars. The second result is false when v is absent (nil pointer,
// interface, slice or map, or an empty list or map).
func oracleTreeOf(v reflect.Value) (any, bool) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return nil, false
		}
		return oracleTreeOf(v.Elem())
	case reflect.Struct:
		return oracleStructTree(v), true
	case reflect.Slice, reflect.Array:
		return oracleListTree(v)
	case reflect.Map:
		return oracleMapTree(v)
	}
	return oracleScalarOf(v)
}

func oracleScalarOf(v reflect.Value) (any, bool) {
	switch v.Kind() {
	case reflect.String:
		if v.Type() == oracleNumberType {
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

var oracleNumberType = reflect.TypeFor[json.Number]()

func oracleStructTree(v reflect.Value) map[string]any {
	fields := oracleJSONFields(v.Type())
	out := make(map[string]any, len(fields))
	for _, f := range fields {
		fv := v.Field(f.index)
		if f.omitEmpty && oracleIsEmptyValue(fv) {
			continue
		}
		if t, ok := oracleTreeOf(fv); ok {
			out[f.name] = t
		}
	}
	return out
}

func oracleListTree(v reflect.Value) (any, bool) {
	if v.Len() == 0 {
		return nil, false
	}
	out := make([]any, 0, v.Len())
	for i := range v.Len() {
		t, _ := oracleTreeOf(v.Index(i))
		out = append(out, t)
	}
	return out, true
}

func oracleMapTree(v reflect.Value) (any, bool) {
	if v.Len() == 0 || v.Type().Key().Kind() != reflect.String {
		return nil, false
	}
	out := make(map[string]any, v.Len())
	it := v.MapRange()
	for it.Next() {
		if t, ok := oracleTreeOf(it.Value()); ok {
			out[it.Key().String()] = t
		}
	}
	return out, true
}

// oracleIsEmptyValue is encoding/json's omitempty test.
func oracleIsEmptyValue(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() == 0
	case reflect.Bool:
		return !v.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return v.Int() == 0
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return v.Uint() == 0
	case reflect.Float32, reflect.Float64:
		return v.Float() == 0
	case reflect.Interface, reflect.Pointer:
		return v.IsNil()
	}
	return false
}

// oracleJSONField is one exported struct field with its JSON name.
type oracleJSONField struct {
	name      string
	index     int
	omitEmpty bool
}

var oracleFieldCache sync.Map // reflect.Type -> []oracleJSONField

func oracleJSONFields(t reflect.Type) []oracleJSONField {
	if f, ok := oracleFieldCache.Load(t); ok {
		return f.([]oracleJSONField)
	}
	var out []oracleJSONField
	for i := range t.NumField() {
		sf := t.Field(i)
		if !sf.IsExported() {
			continue
		}
		name, opts, _ := strings.Cut(sf.Tag.Get("json"), ",")
		if name == "-" && opts == "" {
			continue
		}
		if name == "" {
			name = sf.Name
		}
		out = append(out, oracleJSONField{name: name, index: i, omitEmpty: strings.Contains(opts, "omitempty")})
	}
	oracleFieldCache.Store(t, out)
	return out
}

// oracleStep is one step of the path of a detected change. A list element step
// carries the element on both sides, so that selectors can look at it.
type oracleStep struct {
	key   string
	index int // -1 unless the step is a list element
	old   any // the element in the old profile (nil when added)
	new   any // the element in the new profile (nil when removed)
}

// oracleMatchScore reports whether the rule path segs covers the change at steps,
// and how specific the rule is (higher wins). whole says that the change is
// a whole list element added or removed, which a rule naming a field inside
// such elements also covers.
func oracleMatchScore(segs []pathSeg, steps []oracleStep, whole bool) (int, bool) {
	if len(segs) > len(steps) && !whole {
		return 0, false
	}
	score := 0
	for i, seg := range segs {
		if i >= len(steps) {
			break
		}
		if !oracleSegMatches(seg, steps[i]) {
			return 0, false
		}
		score += 4
		switch seg.sel {
		case selAny:
			score++
		case selMatch:
			score += 2
		}
	}
	return score, true
}

func oracleSegMatches(seg pathSeg, st oracleStep) bool {
	if seg.key != st.key {
		return false
	}
	switch seg.sel {
	case selAny:
		return st.index >= 0
	case selMatch:
		return st.index >= 0 && (oracleFieldIs(st.old, seg.selKey, seg.selVal) || oracleFieldIs(st.new, seg.selKey, seg.selVal))
	}
	return true
}

func oracleFieldIs(elem any, key, want string) bool {
	m, ok := elem.(map[string]any)
	if !ok {
		return false
	}
	got, ok := oracleScalarString(m[key])
	return ok && got == want
}

func oracleScalarString(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case bool:
		return strconv.FormatBool(x), true
	case int64:
		return strconv.FormatInt(x, 10), true
	case uint64:
		return strconv.FormatUint(x, 10), true
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64), true
	case fmt.Stringer:
		return x.String(), true
	}
	return "", false
}

// oracleFormatSteps writes a change path as a JSON path: "addresses[1].city".
// Keys that are not plain identifiers (tenant metadata keys) are quoted:
// metadata["risk.score"].
func oracleFormatSteps(steps []oracleStep) string {
	var b strings.Builder
	for i, st := range steps {
		oracleWriteKey(&b, st.key, i == 0)
		if st.index >= 0 {
			b.WriteByte('[')
			b.WriteString(strconv.Itoa(st.index))
			b.WriteByte(']')
		}
	}
	return b.String()
}

func oracleWriteKey(b *strings.Builder, key string, first bool) {
	if !oracleIsIdent(key) {
		b.WriteByte('[')
		b.WriteString(strconv.Quote(key))
		b.WriteByte(']')
		return
	}
	if !first {
		b.WriteByte('.')
	}
	b.WriteString(key)
}

func oracleIsIdent(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		ok := r == '_' || r == '-' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9')
		if !ok {
			return false
		}
	}
	return true
}
