package fieldchange

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"github.com/kycsdk/kyc/internal/fieldpath"
)

// A rule path names fields by their JSON keys, separated by dots. A list
// field is followed by "[]" to address any of its elements, or by one or
// more selectors "[key=value]" to address only the elements whose scalar
// field key holds value, every selector at once:
// "contacts[contact_type=email].value", "addresses[main=true]",
// "contacts[contact_type=email][main=true].main". A path that ends at a
// field covers everything below it.

// elemSel says how a rule path segment addresses list elements.
type elemSel int

const (
	selNone  elemSel = iota // the field itself (and, for a list, all of it)
	selAny                  // "[]": any element
	selMatch                // "[key=value]...": elements whose keys hold the values
)

type pathSeg struct {
	key  string
	sel  elemSel
	sels []selector // selMatch: every one must hold
}

// selector is one "[key=value]" of a path segment. validatePath resolves
// key on the element type it selects in (typ), so that matching a typed
// record reads the field by index.
type selector struct {
	key, val string
	typ      reflect.Type
	field    fieldpath.Field
}

// parseRulePath splits a rule path into segments. It checks the syntax only;
// validatePath checks the segments against the profile's fields.
func parseRulePath(s string) ([]pathSeg, error) {
	if s == "" {
		return nil, errEmptyPath
	}
	parts := strings.Split(s, ".")
	segs := make([]pathSeg, 0, len(parts))
	for _, part := range parts {
		seg, err := parseSeg(part)
		if err != nil {
			return nil, err
		}
		segs = append(segs, seg)
	}
	return segs, nil
}

func parseSeg(part string) (pathSeg, error) {
	key, rest, hasBracket := strings.Cut(part, "[")
	if key == "" || strings.ContainsAny(key, "]=") {
		return pathSeg{}, errBadSegment
	}
	if !hasBracket {
		return pathSeg{key: key}, nil
	}
	inner, ok := strings.CutSuffix(rest, "]")
	if !ok {
		return pathSeg{}, errBadSegment
	}
	if inner == "" {
		return pathSeg{key: key, sel: selAny}, nil
	}
	seg := pathSeg{key: key, sel: selMatch}
	for _, cond := range strings.Split(inner, "][") {
		if strings.ContainsAny(cond, "[]") {
			return pathSeg{}, errBadSegment
		}
		k, v, ok := strings.Cut(cond, "=")
		if !ok || k == "" || v == "" {
			return pathSeg{}, errBadSelector
		}
		seg.sels = append(seg.sels, selector{key: k, val: v})
	}
	return seg, nil
}

// validatePath checks that segs names fields of Profile; the message says
// which field is wrong, never a value.
func validatePath(segs []pathSeg) error {
	node := profileSchema()
	for i, seg := range segs {
		next, err := schemaStep(node, seg)
		if err != nil {
			return err
		}
		if next == nil {
			return nil // free JSON below: any deeper path is acceptable
		}
		if next.kind == schemaList && seg.sel == selNone && i < len(segs)-1 {
			return fmt.Errorf("field %q is a list: address its elements with %q or a selector", seg.key, seg.key+"[]")
		}
		node = next
	}
	return nil
}

// schemaStep follows one segment; it returns nil when the segment enters
// free JSON, below which no field is known in advance.
func schemaStep(node *schemaNode, seg pathSeg) (*schemaNode, error) {
	var next *schemaNode
	switch node.kind {
	case schemaFree:
		return nil, nil
	case schemaDict:
		next = node.elem
	case schemaObject:
		next = node.fields[seg.key]
		if next == nil {
			return nil, fmt.Errorf("unknown field %q", seg.key)
		}
	default:
		return nil, fmt.Errorf("field %q is inside a scalar", seg.key)
	}
	if seg.sel == selNone {
		return next, nil
	}
	if next.kind == schemaFree {
		return nil, nil
	}
	if next.kind != schemaList {
		return nil, fmt.Errorf("field %q is not a list", seg.key)
	}
	for i := range seg.sels {
		if err := validateSelector(next.elem, seg.key, &seg.sels[i]); err != nil {
			return nil, err
		}
	}
	return next.elem, nil
}

func validateSelector(elem *schemaNode, list string, sel *selector) error {
	if elem.kind == schemaFree {
		return nil
	}
	if elem.kind != schemaObject {
		return fmt.Errorf("elements of %q have no fields to select on", list)
	}
	f := elem.fields[sel.key]
	if f == nil {
		return fmt.Errorf("unknown selector field %q in %q", sel.key, list)
	}
	if f.kind != schemaScalar {
		return fmt.Errorf("selector field %q in %q is not a scalar", sel.key, list)
	}
	if f.isBool && sel.val != "true" && sel.val != "false" {
		return fmt.Errorf("selector field %q in %q is a boolean: use true or false", sel.key, list)
	}
	sel.field, _ = fieldpath.Of(elem.typ).Lookup(sel.key)
	sel.typ = elem.typ
	return nil
}

// step is one step of the path of a detected change. A list element step
// carries the element on both sides, so that selectors can look at it.
type step struct {
	key   string
	index int // -1 unless the step is a list element
	old   any // the element in the old profile (nil when added)
	new   any // the element in the new profile (nil when removed)
}

// matchScore reports whether the rule path segs covers the change at steps,
// and how specific the rule is (higher wins). whole says that the change is
// a whole list element added or removed, which a rule naming a field inside
// such elements also covers.
func matchScore(segs []pathSeg, steps []step, whole bool) (int, bool) {
	if len(segs) > len(steps) && !whole {
		return 0, false
	}
	score := 0
	for i, seg := range segs {
		if i >= len(steps) {
			break
		}
		if !segMatches(seg, steps[i]) {
			return 0, false
		}
		score += 4
		switch seg.sel {
		case selAny:
			score++
		case selMatch:
			score += 2 * len(seg.sels)
		}
	}
	return score, true
}

func segMatches(seg pathSeg, st step) bool {
	if seg.key != st.key {
		return false
	}
	switch seg.sel {
	case selAny:
		return st.index >= 0
	case selMatch:
		return st.index >= 0 && (selected(st.old, seg.sels) || selected(st.new, seg.sels))
	}
	return true
}

// selected reports whether a list element holds every selector's value: a
// change matches when the element did before it or does after it.
func selected(elem any, sels []selector) bool {
	for i := range sels {
		if !fieldIs(elem, &sels[i]) {
			return false
		}
	}
	return true
}

// fieldIs reports whether the scalar under the selector's key of a list
// element (elementRef: a pointer to a typed record, or free JSON) is its
// value.
func fieldIs(elem any, sel *selector) bool {
	v := reflect.ValueOf(elem)
	if v.Kind() == reflect.Pointer && !v.IsNil() && v.Elem().Type() == sel.typ {
		// A typed record: the field validatePath resolved.
		fv, ok := sel.field.Value(v.Elem())
		if !ok || sel.field.Omitted(fv) {
			return false
		}
		v = present(fv)
	} else {
		v = child(present(v), sel.key)
	}
	got, ok := scalarText(v)
	return ok && got == sel.val
}

// formatSteps writes a change path as a JSON path: "addresses[1].city".
// Keys that are not plain identifiers (tenant metadata keys) are quoted:
// metadata["risk.score"].
func formatSteps(steps []step) string {
	var b strings.Builder
	size := 0
	for _, st := range steps {
		size += len(st.key) + 8 // a dot or brackets and quotes, an index
	}
	b.Grow(size)
	for i, st := range steps {
		writeKey(&b, st.key, i == 0)
		if st.index >= 0 {
			b.WriteByte('[')
			b.WriteString(strconv.Itoa(st.index))
			b.WriteByte(']')
		}
	}
	return b.String()
}

func writeKey(b *strings.Builder, key string, first bool) {
	if !isIdent(key) {
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

func isIdent(s string) bool {
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
