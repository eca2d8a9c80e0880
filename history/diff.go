package history

import (
	"slices"
	"strings"
	"sync"
)

// Diff returns the changes that turn a into b, in the format of dictdiffer
// (seed 003 section 3.2, DESIGN.md History) and in its order on documents
// whose keys are sorted: decoded Go maps have no order, so Diff sorts keys
// (use DiffJSON for the order of a JSON text). At each object, the common
// keys in sorted order (recursing into them), then one add of the new keys
// (sorted), then one remove of the dropped keys (sorted); at each array,
// the common indexes ascending, then one add of the extra indexes
// ascending, then one remove of the dropped indexes descending. Arrays are
// compared index by index. Two values of different kinds (an object and a
// string, an array and an object) give one change of the whole value.
//
// a and b are decoded JSON values: map[string]any, []any, string, json.Number,
// float64, int, int64, bool or nil. Numbers compare by value (see Equal). The
// values in the changes are shared with a and b, not copied. Equal values give
// an empty (nil) list.
func Diff(a, b any) Changes {
	d := getDiffer()
	defer putDiffer(d)
	d.diff(a, b)
	return d.result()
}

// DiffJSON compares two JSON documents, numbers kept exact, and returns the
// changes dictdiffer gives on them as Python's json.loads reads them: the
// changes of Diff, with object keys in the order the text has them. At each
// object, the keys common to both in the first document's order
// (recursing into them), then one add of the new keys in the second's
// order, then one remove of the dropped keys in the first's order; arrays
// as in Diff. A key written twice keeps the place of its first occurrence
// and the value of its last, as in json.loads. Strings compare by their
// decoded value ("\u00e9" equals "é"), numbers by value as in Diff. An error
// wraps ErrInvalidJSON and says which document and where.
//
// It does not build the maps of Diff's input: both documents are read with
// a jsontext.Decoder into flat trees (see tree.go), and only the values that
// end up in a change are turned into decoded JSON values.
func DiffJSON(a, b []byte) (Changes, error) {
	t := getTrees()
	defer putTrees(t)
	ra, err := t.a.parse(a)
	if err != nil {
		return nil, sideError("first", err)
	}
	rb, err := t.b.parse(b)
	if err != nil {
		return nil, sideError("second", err)
	}
	d := getDiffer()
	defer putDiffer(d)
	d.tree(&t.a, &t.b, ra, rb)
	return d.result(), nil
}

// differ holds the state of one diff. Changes are recorded as pending
// entries in the order they are found; order is the permutation of them
// into canonical order, so that putting the changes of an object's keys
// (found in map order) in key order moves integers, not Changes. The paths
// and items of all pending changes share two stacks, and result builds the
// Changes with one allocation each for the list, the paths and the items.
//
// A differ is scratch memory reused through a sync.Pool, so that a diff
// allocates little more than its result.
type differ struct {
	pend  []pending
	order []int32
	tmp   []int32
	path  []step // path from the root to the value being compared
	steps []step // the paths of pending changes, end to end
	items []Item // the items of pending adds and removes, end to end
	segs  []segment
	keys  []string
}

// pending is one change before result builds it: its path is
// steps[pathFrom:pathTo] and its items items[itemFrom:itemTo].
type pending struct {
	op               Op
	old, new         any
	pathFrom, pathTo int32
	itemFrom, itemTo int32
}

// step is one element of a path, kept unboxed until result builds the Path.
type step struct {
	key   string
	index int
	isKey bool
}

// segment is the run order[from:to] of changes that came from one common
// key of an object, so that runs visited in map order can be put in key
// order.
type segment struct {
	key      string
	from, to int
}

var differs = sync.Pool{New: func() any { return new(differ) }}

func getDiffer() *differ { return differs.Get().(*differ) }

// maxPooled bounds the scratch stacks a pooled differ keeps, so that one
// huge diff does not pin its memory for the life of the process.
const maxPooled = 1 << 12

// putDiffer drops the references the scratch held to the documents and
// returns it to the pool.
func putDiffer(d *differ) {
	if cap(d.pend) > maxPooled || cap(d.items) > maxPooled || cap(d.keys) > maxPooled || cap(d.steps) > maxPooled {
		return
	}
	clear(d.pend)
	clear(d.items)
	clear(d.keys[:cap(d.keys)])
	clear(d.path[:cap(d.path)])
	clear(d.steps)
	clear(d.segs[:cap(d.segs)])
	d.pend, d.order, d.path, d.steps, d.items = d.pend[:0], d.order[:0], d.path[:0], d.steps[:0], d.items[:0]
	d.segs, d.keys = d.segs[:0], d.keys[:0]
	differs.Put(d)
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
	d.change(a, b)
}

// change records a change of the value at the current path.
func (d *differ) change(old, new any) {
	d.record(pending{op: OpChange, old: old, new: new})
}

// record fills in the current path of p and appends it; the items of an
// add or a remove are already on d.items, from p.itemFrom on.
func (d *differ) record(p pending) {
	p.pathFrom = int32(len(d.steps))
	d.steps = append(d.steps, d.path...)
	p.pathTo = int32(len(d.steps))
	d.order = append(d.order, int32(len(d.pend)))
	d.pend = append(d.pend, p)
}

// collection records an add or a remove of the items from itemFrom on.
func (d *differ) collection(op Op, itemFrom int) {
	d.record(pending{op: op, itemFrom: int32(itemFrom), itemTo: int32(len(d.items))})
}

func (d *differ) object(a, b map[string]any) {
	start, segBase, keyBase := len(d.order), len(d.segs), len(d.keys)
	removed := 0
	for k, av := range a {
		bv, ok := b[k]
		if !ok {
			d.keys = append(d.keys, k)
			removed++
			continue
		}
		from := len(d.order)
		d.path = append(d.path, step{key: k, isKey: true})
		d.diff(av, bv)
		d.path = d.path[:len(d.path)-1]
		if len(d.order) > from {
			d.segs = append(d.segs, segment{key: k, from: from, to: len(d.order)})
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

// sortSegments puts the changes of the common keys, recorded in map order
// from order[start] on, in key order.
func (d *differ) sortSegments(start int, segs []segment) {
	if len(segs) < 2 {
		return
	}
	slices.SortFunc(segs, func(x, y segment) int { return strings.Compare(x.key, y.key) })
	d.tmp = append(d.tmp[:0], d.order[start:]...)
	w := start
	for _, s := range segs {
		w += copy(d.order[w:], d.tmp[s.from-start:s.to-start])
	}
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
	from := len(d.items)
	for _, k := range added {
		d.items = append(d.items, Item{Key: k, Value: b[k]})
	}
	d.keys = d.keys[:base]
	d.collection(OpAdd, from)
}

func (d *differ) removeKeys(a map[string]any, removed []string) {
	slices.Sort(removed)
	from := len(d.items)
	for _, k := range removed {
		d.items = append(d.items, Item{Key: k, Value: a[k]})
	}
	d.collection(OpRemove, from)
}

func (d *differ) array(a, b []any) {
	common := min(len(a), len(b))
	for i := range common {
		d.path = append(d.path, step{index: i})
		d.diff(a[i], b[i])
		d.path = d.path[:len(d.path)-1]
	}
	if len(b) > common {
		from := len(d.items)
		for i := common; i < len(b); i++ {
			d.items = append(d.items, Item{Key: i, Value: b[i]})
		}
		d.collection(OpAdd, from)
	}
	if len(a) > common {
		from := len(d.items)
		for i := len(a) - 1; i >= common; i-- {
			d.items = append(d.items, Item{Key: i, Value: a[i]})
		}
		d.collection(OpRemove, from)
	}
}

// result builds the Changes in canonical order: nil when there are none.
// The list, the paths and the items take one allocation each (plus one per
// object key in a path, which boxing a string costs); each Path and Items
// slice is capacity-limited so that appending to one copies it instead of
// writing over the next.
func (d *differ) result() Changes {
	if len(d.order) == 0 {
		return nil
	}
	out := make(Changes, len(d.order))
	var paths []any
	if len(d.steps) > 0 {
		paths = make([]any, len(d.steps))
		for i, s := range d.steps {
			if s.isKey {
				paths[i] = s.key
			} else {
				paths[i] = s.index
			}
		}
	}
	var items []Item
	if len(d.items) > 0 {
		items = slices.Clone(d.items)
	}
	for i, j := range d.order {
		p := &d.pend[j]
		c := &out[i]
		c.Op, c.Old, c.New = p.op, p.old, p.new
		if p.pathTo > p.pathFrom {
			c.Path = Path(paths[p.pathFrom:p.pathTo:p.pathTo])
		}
		if p.itemTo > p.itemFrom {
			c.Items = items[p.itemFrom:p.itemTo:p.itemTo]
		}
	}
	return out
}
