package fieldchange

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"

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

func (id listIdentity) key(elem any) string {
	if id.fields != nil {
		return fieldsKey(elem, id.fields)
	}
	return contentKeyWithout(elem, id.without)
}

func (id listIdentity) groupKey(elem any) string { return fieldsKey(elem, id.group) }

func fieldsKey(elem any, names []string) string {
	m, ok := elem.(map[string]any)
	if !ok {
		return canonical(elem)
	}
	var b strings.Builder
	for _, n := range names {
		writeCanonical(&b, m[n])
		b.WriteByte(0)
	}
	return b.String()
}

func contentKeyWithout(elem any, skip string) string {
	m, ok := elem.(map[string]any)
	if !ok || skip == "" {
		return canonical(elem)
	}
	var b strings.Builder
	writeObject(&b, m, skip)
	return b.String()
}

func canonical(v any) string {
	var b strings.Builder
	writeCanonical(&b, v)
	return b.String()
}

// writeCanonical writes v as JSON with sorted keys, so that equal values
// give equal strings.
func writeCanonical(b *strings.Builder, v any) {
	switch x := v.(type) {
	case map[string]any:
		writeObject(b, x, "")
	case []any:
		b.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				b.WriteByte(',')
			}
			writeCanonical(b, e)
		}
		b.WriteByte(']')
	case string:
		b.WriteString(strconv.Quote(x))
	case json.Number:
		b.WriteString(x.String())
	case nil:
		b.WriteString("null")
	default:
		s, _ := scalarString(x)
		b.WriteString(s)
	}
}

func writeObject(b *strings.Builder, m map[string]any, skip string) {
	b.WriteByte('{')
	first := true
	for _, k := range sortedKeys(m) {
		if k == skip {
			continue
		}
		if !first {
			b.WriteByte(',')
		}
		first = false
		b.WriteString(strconv.Quote(k))
		b.WriteByte(':')
		writeCanonical(b, m[k])
	}
	b.WriteByte('}')
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// differ collects the changes between two profiles (change_walk.go) or
// two trees of free JSON, each classified by the policy where it is found.
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

// node compares old and new at the current path. Absent values (nil) are
// compared as empty objects or lists when the other side is one, so that
// every leaf that appears or disappears is reported under its own path.
func (d *differ) node(old, new any) {
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

func (d *differ) scalar(old, new any) {
	switch {
	case old == nil && new == nil:
	case old == nil:
		d.emit(Added, false)
	case new == nil:
		d.emit(Removed, false)
	case old == new:
		// Same scalar: both sides are scalars here, never maps or lists
		// (node sends those to object and list), so == cannot panic.
	case canonical(old) != canonical(new):
		d.emit(Modified, false)
	}
}

func (d *differ) object(old, new map[string]any) {
	keys := sortedKeys(old)
	for k := range new {
		if _, ok := old[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		d.path = append(d.path, step{key: k, index: -1})
		d.node(old[k], new[k])
		d.path = d.path[:len(d.path)-1]
	}
}

// list compares two lists element by element identity (see listIdentity).
// The list is the last step of the path, entered as a key.
func (d *differ) list(old, new []any) {
	id := wholeContent
	if len(d.path) == 1 {
		if li, ok := listIdentities[d.path[0].key]; ok {
			id = li
		}
	}
	pairOf := pairElements(old, new, id)
	usedOld := make([]bool, len(old))
	for j, i := range pairOf {
		if i >= 0 {
			usedOld[i] = true
			d.element(j, old[i], new[j], false, Modified)
		}
	}
	for j, i := range pairOf {
		if i < 0 {
			d.element(j, nil, new[j], true, Added)
		}
	}
	for i, used := range usedOld {
		if !used {
			d.element(i, old[i], nil, true, Removed)
		}
	}
}

// element compares one pair of elements, or reports a whole element added
// or removed, under the list's key with the element's index.
func (d *differ) element(index int, old, new any, whole bool, kind Kind) {
	k := len(d.path) - 1
	saved := d.path[k]
	d.path[k].index, d.path[k].old, d.path[k].new = index, old, new
	if whole {
		d.emit(kind, true)
	} else {
		d.node(old, new)
	}
	d.path[k] = saved
}

// pairElements returns, for each element of new, the index of the element
// of old it is paired with, or -1 when it has none.
func pairElements(old, new []any, id listIdentity) []int {
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
		pairLeftovers(old, new, id.groupKey, pairOf, used)
	}
	return pairOf
}

// pairLeftovers pairs the unpaired elements of the same group, in order.
func pairLeftovers(old, new []any, group func(any) string, pairOf []int, used []bool) {
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
