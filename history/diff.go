package history

import (
	"slices"
	"strings"
)

// Diff returns the changes that turn a into b, in the format and the
// canonical order of dictdiffer (seed 003 section 3.2, DESIGN.md History):
// at each object, the common keys in sorted order (recursing into them),
// then one add of the new keys (sorted), then one remove of the dropped keys
// (sorted); at each array, the common indexes ascending, then one add of the
// extra indexes ascending, then one remove of the dropped indexes
// descending. Arrays are compared index by index. Two values of different
// kinds (an object and a string, an array and an object) give one change of
// the whole value.
//
// a and b are decoded JSON values: map[string]any, []any, string, json.Number,
// float64, int, int64, bool or nil. Numbers compare by value (see Equal). The
// values in the changes are shared with a and b, not copied. Equal values give
// an empty (nil) list.
func Diff(a, b any) Changes {
	var d differ
	d.diff(a, b)
	return d.out
}

// DiffJSON decodes two JSON documents, numbers kept exact, and returns Diff
// of them. An error wraps ErrInvalidJSON and says which document and where.
func DiffJSON(a, b []byte) (Changes, error) {
	var dec decoder
	va, err := dec.reset(a).document()
	if err != nil {
		return nil, sideError("first", err)
	}
	vb, err := dec.reset(b).document()
	if err != nil {
		return nil, sideError("second", err)
	}
	return Diff(va, vb), nil
}

// differ holds the state of one Diff: the output, the path from the root to
// the value being compared, and scratch stacks shared by all levels so that
// a diff allocates little more than its result.
type differ struct {
	out   Changes
	path  []step
	segs  []segment
	keys  []string
	spare Changes
	slab  []any
}

// step is one element of the current path, kept unboxed until a change needs
// its Path.
type step struct {
	key   string
	index int
	isKey bool
}

// segment is the run of output changes that came from one common key of an
// object, so that runs visited in map order can be put in key order.
type segment struct {
	key      string
	from, to int
}

func (d *differ) diff(a, b any) {
	switch av := a.(type) {
	case map[string]any:
		if bv, ok := b.(map[string]any); ok {
			d.object(av, bv)
			return
		}
	case []any:
		if bv, ok := b.([]any); ok {
			d.array(av, bv)
			return
		}
	}
	// Strings are most leaves of a profile: compare them without Equal's
	// type switch.
	if as, ok := a.(string); ok {
		if bs, ok := b.(string); ok && as == bs {
			return
		}
	} else if Equal(a, b) {
		return
	}
	d.emit(Change{Op: OpChange, Path: d.currentPath(), Old: a, New: b})
}

// emit appends a change; the first one allocates room for a typical edit.
func (d *differ) emit(c Change) {
	if d.out == nil {
		d.out = make(Changes, 0, 8)
	}
	d.out = append(d.out, c)
}

func (d *differ) object(a, b map[string]any) {
	start, segBase, keyBase := len(d.out), len(d.segs), len(d.keys)
	removed := 0
	for k, av := range a {
		bv, ok := b[k]
		if !ok {
			d.keys = append(d.keys, k)
			removed++
			continue
		}
		from := len(d.out)
		d.path = append(d.path, step{key: k, isKey: true})
		d.diff(av, bv)
		d.path = d.path[:len(d.path)-1]
		if len(d.out) > from {
			d.segs = append(d.segs, segment{key: k, from: from, to: len(d.out)})
		}
	}
	d.sortSegments(start, d.segs[segBase:])
	d.segs = d.segs[:segBase]
	if len(b) > len(a)-removed {
		d.addKeys(a, b) // leaves d.keys as it found it
	}
	if removed > 0 {
		d.removeKeys(a, d.keys[keyBase:])
	}
	d.keys = d.keys[:keyBase]
}

// sortSegments puts the changes of the common keys, appended in map order
// from start on, in key order.
func (d *differ) sortSegments(start int, segs []segment) {
	if len(segs) < 2 {
		return
	}
	slices.SortFunc(segs, func(x, y segment) int { return strings.Compare(x.key, y.key) })
	d.spare = append(d.spare[:0], d.out[start:]...)
	w := start
	for _, s := range segs {
		w += copy(d.out[w:], d.spare[s.from-start:s.to-start])
	}
	clear(d.spare)
}

func (d *differ) addKeys(a, b map[string]any) {
	base := len(d.keys)
	for k := range b {
		if _, ok := a[k]; !ok {
			d.keys = append(d.keys, k)
		}
	}
	added := d.keys[base:]
	slices.Sort(added)
	items := make([]Item, len(added))
	for i, k := range added {
		items[i] = Item{Key: k, Value: b[k]}
	}
	d.keys = d.keys[:base]
	d.emit(Change{Op: OpAdd, Path: d.currentPath(), Items: items})
}

func (d *differ) removeKeys(a map[string]any, removed []string) {
	slices.Sort(removed)
	items := make([]Item, len(removed))
	for i, k := range removed {
		items[i] = Item{Key: k, Value: a[k]}
	}
	d.emit(Change{Op: OpRemove, Path: d.currentPath(), Items: items})
}

func (d *differ) array(a, b []any) {
	common := min(len(a), len(b))
	for i := range common {
		d.path = append(d.path, step{index: i})
		d.diff(a[i], b[i])
		d.path = d.path[:len(d.path)-1]
	}
	if len(b) > common {
		items := make([]Item, 0, len(b)-common)
		for i := common; i < len(b); i++ {
			items = append(items, Item{Key: i, Value: b[i]})
		}
		d.emit(Change{Op: OpAdd, Path: d.currentPath(), Items: items})
	}
	if len(a) > common {
		items := make([]Item, 0, len(a)-common)
		for i := len(a) - 1; i >= common; i-- {
			items = append(items, Item{Key: i, Value: a[i]})
		}
		d.emit(Change{Op: OpRemove, Path: d.currentPath(), Items: items})
	}
}

// currentPath boxes the current path into a Path; nil at the root.
func (d *differ) currentPath() Path {
	if len(d.path) == 0 {
		return nil
	}
	n := len(d.path)
	if cap(d.slab)-len(d.slab) < n {
		d.slab = make([]any, 0, max(32, n))
	}
	// Paths are cut from one slab, capacity-limited so that appending to one
	// copies it instead of writing over the next.
	p := Path(d.slab[len(d.slab) : len(d.slab)+n : len(d.slab)+n])
	d.slab = d.slab[:len(d.slab)+n]
	for i, s := range d.path {
		if s.isKey {
			p[i] = s.key
		} else {
			p[i] = s.index
		}
	}
	return p
}
