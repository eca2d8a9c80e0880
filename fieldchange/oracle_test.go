package fieldchange

// The implementation of Policy.Check before it compared typed
// profiles field by field: it builds the JSON trees of both profiles by
// reflection and diffs them, then classifies every change. Its diff and
// classification are kept here, unchanged but for their names, as the
// oracle that the differential tests and FuzzChangePolicyCheck hold the
// typed comparison to. Its trees and canonical keys are its own
// (oracle_tree_test.go); the rule path matching is the package's.

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"

	"github.com/kycsdk/kyc/profile"
)

func oracleCheck(p *Policy, old, new *profile.Profile) Report {
	var d oracleDiffer
	d.node(oracleProfileTree(old), oracleProfileTree(new))
	var rep Report
	for _, rc := range d.out {
		c := oracleClassify(p, rc, personTypes(old, new))
		if c.Rule == "" {
			rep.Uncovered = append(rep.Uncovered, c)
			continue
		}
		rep.Changes = append(rep.Changes, c)
	}
	return rep
}

func oracleProfileTree(p *profile.Profile) any {
	if p == nil {
		return nil
	}
	return oracleStructTree(reflect.ValueOf(p).Elem())
}

func oracleClassify(p *Policy, rc oracleRawChange, persons [2]profile.PersonType) Change {
	c := Change{Path: formatSteps(rc.steps), Kind: rc.kind}
	best := -1
	for _, r := range p.rules {
		if !r.rule.applies(persons) {
			continue
		}
		for i, segs := range r.paths {
			score, ok := matchScore(segs, rc.steps, rc.whole)
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
	steps []step
	kind  Kind
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

// oracleDiffer collects the changes between two trees.
type oracleDiffer struct {
	path []step
	out  []oracleRawChange
}

func (d *oracleDiffer) emit(kind Kind, whole bool) {
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
		d.emit(Added, false)
	case new == nil:
		d.emit(Removed, false)
	case old == new:
		// Same scalar: both sides are scalars here, never maps or lists
		// (node sends those to object and list), so == cannot panic.
	case oracleCanonical(old) != oracleCanonical(new):
		d.emit(Modified, false)
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
		d.path = append(d.path, step{key: k, index: -1})
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
func (d *oracleDiffer) element(index int, old, new any, whole bool, kind Kind) {
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

var oracleNumberType = reflect.TypeFor[json.Number]()
