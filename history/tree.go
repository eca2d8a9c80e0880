package history

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"sync"
	"unicode/utf8"

	"github.com/go-json-experiment/json/jsontext"
)

// A tree is a JSON document parsed for DiffJSON: one flat slice of nodes in
// which the children of an object or an array are contiguous, and the
// members of an object keep the order of the text. It is built from the
// tokens of a jsontext.Decoder. Nodes hold no pointers, only spans of the
// input, so that building and dropping a tree costs the garbage collector
// nothing; diffing two trees builds no map and boxes no value that is not
// in a change.
type tree struct {
	dec    jsontext.Decoder
	in     bytes.Buffer // the input, which the decoder reads without a copy
	data   []byte       // the input, while parsing
	s      string       // one string copy of the input
	esc    string       // the decoded strings that are not substrings of s, end to end
	escBuf []byte       // esc while parsing
	check  stringCheck  // what a string needs before it is its own text
	nodes  []node       // the children of every container; the root last
	stack  []node       // children of the containers being parsed
}

// span is a string of a tree: s[off:off+n], or esc[^off:^off+n] when off is
// negative.
type span struct{ off, n int32 }

// stringCheck says what a string of the document must be checked for
// before its quoted text, less the quotes, is its value.
type stringCheck uint8

const (
	checkNothing stringCheck = iota // no escapes and valid UTF-8 anywhere
	checkEscapes                    // valid UTF-8, but escapes somewhere
	checkAll                        // invalid UTF-8 somewhere
)

// node is one JSON value in a tree.
type node struct {
	key   span  // the member's key, when the parent is an object
	text  span  // a string's value or a number's text
	first int32 // the children are nodes[first : first+n]
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

// linearMax is the size up to which an object's keys are looked up by
// scanning: profile objects have a few dozen keys at most, and a scan of
// those is faster than building a map.
const linearMax = 32

// treePair is the pooled scratch of one DiffJSON.
type treePair struct{ a, b tree }

var trees = sync.Pool{New: func() any { return new(treePair) }}

func getTrees() *treePair { return trees.Get().(*treePair) }

// putTrees drops the trees' references to the documents and pools them,
// unless a large document grew them beyond what is worth keeping.
func putTrees(t *treePair) {
	if cap(t.a.nodes) > 16*maxPooled || cap(t.b.nodes) > 16*maxPooled ||
		cap(t.a.escBuf) > 64*maxPooled || cap(t.b.escBuf) > 64*maxPooled {
		return
	}
	t.a.release()
	t.b.release()
	trees.Put(t)
}

func (t *tree) release() {
	t.data, t.s, t.esc = nil, "", ""
	t.in = bytes.Buffer{}
	t.dec.Reset(&t.in)
}

// decodeJSON decodes data as one JSON value, as encoding/json does with
// UseNumber: map[string]any, []any, string, json.Number, bool or nil. The
// result shares memory with one string copy of data, never with data itself.
func decodeJSON(data []byte) (any, error) {
	p := getTrees()
	defer putTrees(p)
	root, err := p.a.parse(data)
	if err != nil {
		return nil, err
	}
	return p.a.value(root), nil
}

// parse parses data and returns the index of the root node. It accepts what
// encoding/json accepts: duplicate keys (the first position and the last
// value, as Python's json.loads) and invalid UTF-8 (replaced by U+FFFD).
func (t *tree) parse(data []byte) (int32, error) {
	if len(data) > math.MaxInt32 {
		return 0, fmt.Errorf("%w: document larger than 2 GiB", ErrInvalidJSON)
	}
	t.data, t.s = data, string(data)
	t.check = checkNothing
	switch {
	case !utf8.Valid(data):
		t.check = checkAll
	case bytes.IndexByte(data, '\\') >= 0:
		t.check = checkEscapes
	}
	t.in = *bytes.NewBuffer(data)
	t.dec.Reset(&t.in, jsontext.AllowDuplicateNames(true), jsontext.AllowInvalidUTF8(true))
	t.nodes, t.stack, t.escBuf = t.nodes[:0], t.stack[:0], t.escBuf[:0]
	root, err := t.node()
	if err != nil {
		return 0, invalidJSON(err)
	}
	if _, err := t.dec.ReadToken(); err != io.EOF {
		return 0, fmt.Errorf("%w: data after the top-level value at offset %d", ErrInvalidJSON, t.dec.InputOffset())
	}
	t.esc = string(t.escBuf)
	t.nodes = append(t.nodes, root)
	return int32(len(t.nodes) - 1), nil
}

// invalidJSON turns an error of the decoder into one that wraps
// ErrInvalidJSON and says where, without the text of the document.
func invalidJSON(err error) error {
	var se *jsontext.SyntacticError
	switch {
	case errors.As(err, &se):
		return fmt.Errorf("%w at offset %d", ErrInvalidJSON, se.ByteOffset)
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Errorf("%w: unexpected end of input", ErrInvalidJSON)
	}
	return fmt.Errorf("%w: %w", ErrInvalidJSON, err)
}

// str returns the string of a span.
func (t *tree) str(sp span) string {
	if sp.off >= 0 {
		return t.s[sp.off : sp.off+sp.n]
	}
	off := ^sp.off
	return t.esc[off : off+sp.n]
}

func (t *tree) node() (node, error) {
	switch t.dec.PeekKind() {
	case '{':
		return t.object()
	case '[':
		return t.array()
	case '"':
		sp, err := t.readString()
		return node{kind: kindString, text: sp}, err
	case '0':
		v, err := t.dec.ReadValue()
		if err != nil {
			return node{}, err
		}
		return node{kind: kindNumber, text: t.last(len(v), 0)}, nil
	}
	tok, err := t.dec.ReadToken() // a literal, or the decoder's error
	if err != nil {
		return node{}, err
	}
	switch tok.Kind() {
	case 't':
		return node{kind: kindTrue}, nil
	case 'f':
		return node{kind: kindFalse}, nil
	}
	return node{kind: kindNull}, nil
}

// last returns the span of the n bytes just read, less trim bytes at each
// end (the quotes of a string).
func (t *tree) last(n, trim int) span {
	start := int(t.dec.InputOffset()) - n
	return span{off: int32(start + trim), n: int32(n - 2*trim)}
}

// readString reads a string (a value or an object's key) and returns the
// span of its decoded value: a substring of the input when it has no
// escapes and is valid UTF-8, which is most strings, so that nothing is
// copied.
func (t *tree) readString() (span, error) {
	v, err := t.dec.ReadValue()
	if err != nil {
		return span{}, err
	}
	if t.verbatim(v) {
		return t.last(len(v), 1), nil
	}
	// The decoder has checked the string; the only error left is the
	// report of invalid UTF-8, which is replaced as encoding/json does.
	off := len(t.escBuf)
	t.escBuf, _ = jsontext.AppendUnquote(t.escBuf, v)
	return span{off: ^int32(off), n: int32(len(t.escBuf) - off)}, nil
}

// verbatim reports whether a quoted string is its own value between the
// quotes: no escapes and valid UTF-8. parse has checked the whole document
// once, so most strings need no look.
func (t *tree) verbatim(quoted []byte) bool {
	switch t.check {
	case checkNothing:
		return true
	case checkEscapes:
		return bytes.IndexByte(quoted, '\\') < 0
	}
	return bytes.IndexByte(quoted, '\\') < 0 && utf8.Valid(quoted)
}

func (t *tree) object() (node, error) {
	if _, err := t.dec.ReadToken(); err != nil {
		return node{}, err
	}
	base := len(t.stack)
	defer func() { t.stack = t.stack[:base] }()
	for t.dec.PeekKind() != '}' {
		key, err := t.readString()
		if err != nil {
			return node{}, err
		}
		v, err := t.node()
		if err != nil {
			return node{}, err
		}
		v.key = key
		t.stack = append(t.stack, v)
	}
	if _, err := t.dec.ReadToken(); err != nil {
		return node{}, err
	}
	return t.close(kindObject, t.dedupe(t.stack[base:])), nil
}

func (t *tree) array() (node, error) {
	if _, err := t.dec.ReadToken(); err != nil {
		return node{}, err
	}
	base := len(t.stack)
	defer func() { t.stack = t.stack[:base] }()
	for t.dec.PeekKind() != ']' {
		v, err := t.node()
		if err != nil {
			return node{}, err
		}
		t.stack = append(t.stack, v)
	}
	if _, err := t.dec.ReadToken(); err != nil {
		return node{}, err
	}
	return t.close(kindArray, t.stack[base:]), nil
}

func (t *tree) close(k kind, children []node) node {
	first := len(t.nodes)
	t.nodes = append(t.nodes, children...)
	return node{kind: k, first: int32(first), n: int32(len(children))}
}

// dedupe resolves repeated keys as Python's json.loads does, on whose
// output dictdiffer runs: a repeated key keeps the position of its first
// occurrence and the value of its last. Keys are almost never repeated: a
// 64-bit filter of the keys seen so far lets most keys skip the scan.
func (t *tree) dedupe(members []node) []node {
	if len(members) > linearMax {
		return t.dedupeMap(members)
	}
	var seen uint64
	kept := members[:0]
	for _, m := range members {
		key := t.parsed(m.key)
		bit := keyBit(key)
		if seen&bit != 0 {
			if i := t.indexKey(kept, key); i >= 0 {
				kept[i] = m
				continue
			}
		}
		seen |= bit
		kept = append(kept, m)
	}
	return kept
}

// parsed returns the bytes of a span while the tree is being parsed, when
// the decoded strings are still in escBuf.
func (t *tree) parsed(sp span) []byte {
	if sp.off >= 0 {
		return t.data[sp.off : sp.off+sp.n]
	}
	off := ^sp.off
	return t.escBuf[off : off+sp.n]
}

// keyBit is the filter bit of dedupe for a key.
func keyBit(key []byte) uint64 {
	h := uint(len(key))
	if len(key) > 0 {
		h = h*31 + uint(key[0])*7 + uint(key[len(key)-1])
	}
	return 1 << (h & 63)
}

func (t *tree) indexKey(members []node, key []byte) int {
	for i := range members {
		if bytes.Equal(t.parsed(members[i].key), key) {
			return i
		}
	}
	return -1
}

func (t *tree) dedupeMap(members []node) []node {
	at := make(map[string]int, len(members))
	kept := members[:0]
	for _, m := range members {
		key := t.parsed(m.key)
		if i, ok := at[string(key)]; ok {
			kept[i] = m
			continue
		}
		at[string(key)] = len(kept)
		kept = append(kept, m)
	}
	return kept
}

// value returns node i as decodeJSON decodes it: map[string]any, []any,
// string, json.Number, bool or nil.
func (t *tree) value(i int32) any {
	n := &t.nodes[i]
	switch n.kind {
	case kindFalse:
		return false
	case kindTrue:
		return true
	case kindNumber:
		return json.Number(t.str(n.text))
	case kindString:
		return t.str(n.text)
	case kindArray:
		out := make([]any, n.n)
		for j := range out {
			out[j] = t.value(n.first + int32(j))
		}
		return out
	case kindObject:
		out := make(map[string]any, n.n)
		for j := n.first; j < n.first+n.n; j++ {
			out[t.str(t.nodes[j].key)] = t.value(j)
		}
		return out
	}
	return nil
}

// sameLeaf reports whether node ia of ta and node ib of tb, not both
// containers, are the same JSON value, as Equal compares decoded values.
func sameLeaf(ta, tb *tree, a, b *node) bool {
	if a.kind != b.kind {
		return false
	}
	switch a.kind {
	case kindString:
		return ta.str(a.text) == tb.str(b.text)
	case kindNumber:
		return numbersEqual(ta.str(a.text), tb.str(b.text))
	case kindArray, kindObject:
		return false
	}
	return true
}

// tree records the changes from node ia of ta to node ib of tb, in the
// order of dictdiffer on documents read by json.loads.
func (d *differ) tree(ta, tb *tree, ia, ib int32) {
	a, b := &ta.nodes[ia], &tb.nodes[ib]
	switch {
	case a.kind == kindObject && b.kind == kindObject:
		d.treeObject(members{t: ta, n: a}, members{t: tb, n: b})
	case a.kind == kindArray && b.kind == kindArray:
		d.treeArray(ta, tb, a, b)
	case !sameLeaf(ta, tb, a, b):
		d.change(ta.value(ia), tb.value(ib))
	}
}

// members looks up the keys of one object of a tree.
type members struct {
	t     *tree
	n     *node
	byKey map[string]int32 // for objects above linearMax, built on first use
}

func (m *members) key(i int32) string { return m.t.str(m.t.nodes[i].key) }

// find returns the index in m.t.nodes of the member key, or -1. The member
// at hint is tried first: two versions of a document mostly have their keys
// in the same order.
func (m *members) find(key string, hint int32) int32 {
	end := m.n.first + m.n.n
	if hint < end && m.key(hint) == key {
		return hint
	}
	if m.n.n <= linearMax {
		for j := m.n.first; j < end; j++ {
			if m.key(j) == key {
				return j
			}
		}
		return -1
	}
	if m.byKey == nil {
		m.byKey = make(map[string]int32, m.n.n)
		for j := m.n.first; j < end; j++ {
			m.byKey[m.key(j)] = j
		}
	}
	if j, ok := m.byKey[key]; ok {
		return j
	}
	return -1
}

// treeObject follows dictdiffer's walk of two dicts: the keys common to
// both in the first's order (recursing into them), then one add of the new
// keys in the second's order, then one remove of the dropped keys in the
// first's order.
func (d *differ) treeObject(a, b members) {
	common := int32(0)
	hint := b.n.first
	for i := a.n.first; i < a.n.first+a.n.n; i++ {
		key := a.key(i)
		j := b.find(key, hint)
		if j < 0 {
			continue
		}
		common++
		hint = j + 1
		d.path = append(d.path, step{key: key, isKey: true})
		d.tree(a.t, b.t, i, j)
		d.path = d.path[:len(d.path)-1]
	}
	if common < b.n.n {
		d.onlyIn(OpAdd, &b, &a)
	}
	if common < a.n.n {
		d.onlyIn(OpRemove, &a, &b)
	}
}

// onlyIn records one add or remove of the members of x whose keys are not
// in y, in x's order.
func (d *differ) onlyIn(op Op, x, y *members) {
	from := len(d.items)
	hint := y.n.first
	for i := x.n.first; i < x.n.first+x.n.n; i++ {
		key := x.key(i)
		if j := y.find(key, hint); j >= 0 {
			hint = j + 1
			continue
		}
		d.items = append(d.items, Item{Key: key, Value: x.t.value(i)})
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
