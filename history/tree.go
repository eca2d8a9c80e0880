package history

import (
	"encoding/json"
	"slices"
	"strings"
	"sync"
)

// A tree is a JSON document parsed for DiffJSON: one flat slice of nodes in
// which the children of an object or an array are contiguous, and the
// members of an object are sorted by key with duplicates resolved (the last
// one wins, as in encoding/json and decoder). Diffing two trees merges the
// sorted members, which gives dictdiffer's canonical order without sorting
// changes, and builds no map and boxes no value that is not in a change.
type tree struct {
	decoder        // the lexer, shared so that both parsers accept the same text
	nodes   []node // the children of every container; the root last
	stack   []node // children of the containers being parsed
}

// node is one JSON value in a tree.
type node struct {
	key   string // the member's key, when the parent is an object
	text  string // a string's value or a number's text
	first int32  // the children are nodes[first : first+n]
	n     int32
	kind  kind
}

// kind is the JSON type of a node; true and false are two kinds so that a
// boolean compares by kind alone.
type kind uint8

const (
	kindNull kind = iota
	kindFalse
	kindTrue
	kindNumber
	kindString
	kindArray
	kindObject
)

// treePair is the pooled scratch of one DiffJSON.
type treePair struct{ a, b tree }

var trees = sync.Pool{New: func() any { return new(treePair) }}

func getTrees() *treePair { return trees.Get().(*treePair) }

// putTrees drops the trees' references to the documents and pools them,
// unless a large document grew them beyond what is worth keeping.
func putTrees(t *treePair) {
	if cap(t.a.nodes) > 16*maxPooled || cap(t.b.nodes) > 16*maxPooled {
		return
	}
	t.a.release()
	t.b.release()
	trees.Put(t)
}

func (t *tree) release() {
	clear(t.nodes)
	clear(t.stack[:cap(t.stack)])
	t.nodes, t.stack, t.s = t.nodes[:0], t.stack[:0], ""
}

// parse parses data and returns the index of the root node. Errors are
// those of decoder for the same text.
func (t *tree) parse(data []byte) (int32, error) {
	t.reset(data)
	t.nodes, t.stack = t.nodes[:0], t.stack[:0]
	t.skipSpace()
	root, err := t.node()
	if err != nil {
		return 0, err
	}
	t.skipSpace()
	if t.i != len(t.s) {
		return 0, t.fail("data after the top-level value")
	}
	t.nodes = append(t.nodes, root)
	return int32(len(t.nodes) - 1), nil
}

func (t *tree) node() (node, error) {
	if t.i >= len(t.s) {
		return node{}, t.fail("unexpected end of input")
	}
	switch c := t.s[t.i]; {
	case c == '{':
		return t.object()
	case c == '[':
		return t.array()
	case c == '"':
		s, err := t.str()
		return node{kind: kindString, text: s}, err
	case c == '-' || isDigit(c):
		s, err := t.number()
		return node{kind: kindNumber, text: s}, err
	case c == 't':
		return node{kind: kindTrue}, t.literal("true")
	case c == 'f':
		return node{kind: kindFalse}, t.literal("false")
	case c == 'n':
		return node{kind: kindNull}, t.literal("null")
	}
	return node{}, t.fail("unexpected character")
}

func (t *tree) object() (node, error) {
	if err := t.enter(); err != nil {
		return node{}, err
	}
	base := len(t.stack)
	defer func() { t.stack = t.stack[:base] }()
	if t.i < len(t.s) && t.s[t.i] == '}' {
		return t.closeObject(base), nil
	}
	for {
		if err := t.member(); err != nil {
			return node{}, err
		}
		t.skipSpace()
		if t.i >= len(t.s) {
			return node{}, t.fail("unexpected end of input in object")
		}
		switch t.s[t.i] {
		case ',':
			t.i++
			t.skipSpace()
		case '}':
			return t.closeObject(base), nil
		default:
			return node{}, t.fail("expected ',' or '}' in object")
		}
	}
}

func (t *tree) member() error {
	key, err := t.key()
	if err != nil {
		return err
	}
	v, err := t.node()
	if err != nil {
		return err
	}
	v.key = key
	t.stack = append(t.stack, v)
	return nil
}

func compareKeys(x, y node) int { return strings.Compare(x.key, y.key) }

// closeObject sorts the members by key, keeps the last of equal keys, and
// moves them to the nodes.
func (t *tree) closeObject(base int) node {
	t.i++
	t.depth--
	members := t.stack[base:]
	if !slices.IsSortedFunc(members, compareKeys) {
		slices.SortStableFunc(members, compareKeys)
	}
	kept := members[:0]
	for i := range members {
		if i+1 < len(members) && members[i+1].key == members[i].key {
			continue
		}
		kept = append(kept, members[i])
	}
	return t.close(kindObject, kept)
}

func (t *tree) close(k kind, children []node) node {
	first := len(t.nodes)
	t.nodes = append(t.nodes, children...)
	clear(children)
	return node{kind: k, first: int32(first), n: int32(len(children))}
}

func (t *tree) array() (node, error) {
	if err := t.enter(); err != nil {
		return node{}, err
	}
	base := len(t.stack)
	defer func() { t.stack = t.stack[:base] }()
	if t.i < len(t.s) && t.s[t.i] == ']' {
		return t.closeArray(base), nil
	}
	for {
		v, err := t.node()
		if err != nil {
			return node{}, err
		}
		t.stack = append(t.stack, v)
		t.skipSpace()
		if t.i >= len(t.s) {
			return node{}, t.fail("unexpected end of input in array")
		}
		switch t.s[t.i] {
		case ',':
			t.i++
			t.skipSpace()
		case ']':
			return t.closeArray(base), nil
		default:
			return node{}, t.fail("expected ',' or ']' in array")
		}
	}
}

func (t *tree) closeArray(base int) node {
	t.i++
	t.depth--
	return t.close(kindArray, t.stack[base:])
}

// value returns node i as decoder would have decoded it: map[string]any,
// []any, string, json.Number, bool or nil.
func (t *tree) value(i int32) any {
	n := &t.nodes[i]
	switch n.kind {
	case kindFalse:
		return false
	case kindTrue:
		return true
	case kindNumber:
		return json.Number(n.text)
	case kindString:
		return n.text
	case kindArray:
		out := make([]any, n.n)
		for j := range out {
			out[j] = t.value(n.first + int32(j))
		}
		return out
	case kindObject:
		out := make(map[string]any, n.n)
		for j := n.first; j < n.first+n.n; j++ {
			out[t.nodes[j].key] = t.value(j)
		}
		return out
	}
	return nil
}

// sameLeaf reports whether two nodes that are not both containers are the
// same JSON value, as Equal compares decoded values.
func sameLeaf(a, b *node) bool {
	if a.kind != b.kind {
		return false
	}
	switch a.kind {
	case kindString:
		return a.text == b.text
	case kindNumber:
		return numbersEqual(a.text, b.text)
	case kindArray, kindObject:
		return false
	}
	return true
}

// tree records the changes from node ia of ta to node ib of tb, in the
// order of differ.diff.
func (d *differ) tree(ta, tb *tree, ia, ib int32) {
	a, b := &ta.nodes[ia], &tb.nodes[ib]
	switch {
	case a.kind == kindObject && b.kind == kindObject:
		d.treeObject(ta, tb, a, b)
	case a.kind == kindArray && b.kind == kindArray:
		d.treeArray(ta, tb, a, b)
	case !sameLeaf(a, b):
		d.change(ta.value(ia), tb.value(ib))
	}
}

// treeObject merges the sorted members of two objects: the common keys in
// order (recursing), then the added keys, then the removed ones, each
// already sorted.
func (d *differ) treeObject(ta, tb *tree, a, b *node) {
	added, removed := false, false
	i, j := a.first, b.first
	aEnd, bEnd := a.first+a.n, b.first+b.n
	for i < aEnd && j < bEnd {
		switch c := strings.Compare(ta.nodes[i].key, tb.nodes[j].key); {
		case c < 0:
			removed = true
			i++
		case c > 0:
			added = true
			j++
		default:
			d.path = append(d.path, step{key: ta.nodes[i].key, isKey: true})
			d.tree(ta, tb, i, j)
			d.path = d.path[:len(d.path)-1]
			i++
			j++
		}
	}
	if added || j < bEnd {
		d.onlyIn(OpAdd, tb, b, ta, a)
	}
	if removed || i < aEnd {
		d.onlyIn(OpRemove, ta, a, tb, b)
	}
}

// onlyIn records one add or remove of the members of x (in tx) whose keys
// are not in y (in ty).
func (d *differ) onlyIn(op Op, tx *tree, x *node, ty *tree, y *node) {
	from := len(d.items)
	j, yEnd := y.first, y.first+y.n
	for i := x.first; i < x.first+x.n; i++ {
		key := tx.nodes[i].key
		for j < yEnd && ty.nodes[j].key < key {
			j++
		}
		if j < yEnd && ty.nodes[j].key == key {
			continue
		}
		d.items = append(d.items, Item{Key: key, Value: tx.value(i)})
	}
	d.collection(op, from)
}

func (d *differ) treeArray(ta, tb *tree, a, b *node) {
	common := min(a.n, b.n)
	for i := range common {
		d.path = append(d.path, step{index: int(i)})
		d.tree(ta, tb, a.first+i, b.first+i)
		d.path = d.path[:len(d.path)-1]
	}
	if b.n > common {
		from := len(d.items)
		for i := common; i < b.n; i++ {
			d.items = append(d.items, Item{Key: int(i), Value: tb.value(b.first + i)})
		}
		d.collection(OpAdd, from)
	}
	if a.n > common {
		from := len(d.items)
		for i := a.n - 1; i >= common; i-- {
			d.items = append(d.items, Item{Key: int(i), Value: ta.value(a.first + i)})
		}
		d.collection(OpRemove, from)
	}
}
