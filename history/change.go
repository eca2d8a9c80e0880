package history

import (
	"strconv"
	"strings"
)

// Op is the operation of one change: change, add or remove.
type Op string

// The three operations of the dictdiffer format (seed 003, section 3.2).
const (
	OpChange Op = "change"
	OpAdd    Op = "add"
	OpRemove Op = "remove"
)

// Path addresses a value: empty for the root, otherwise object keys (string)
// and array indexes (int) from the root down.
type Path []any

// String renders the path in the dotted form of audit screens and validation
// messages: addresses[1].country. The root is the empty string. A key that
// would be ambiguous in dotted form (empty, or holding '.', '[', ']' or '"')
// is written quoted in brackets: metadata["a.b"].
func (p Path) String() string {
	var b strings.Builder
	for _, step := range p {
		writeStep(&b, step)
	}
	return b.String()
}

// display is String with a visible name for the root, for error messages and
// renderings where an empty string would read as nothing.
func (p Path) display() string {
	if len(p) == 0 {
		return "(root)"
	}
	return p.String()
}

// child returns a new path: p followed by step.
func (p Path) child(step any) Path {
	out := make(Path, len(p)+1)
	copy(out, p)
	out[len(p)] = step
	return out
}

func writeStep(b *strings.Builder, step any) {
	if i, ok := asIndex(step); ok {
		b.WriteByte('[')
		b.WriteString(strconv.Itoa(i))
		b.WriteByte(']')
		return
	}
	key, _ := step.(string)
	if key == "" || strings.ContainsAny(key, ".[]\"") {
		b.WriteByte('[')
		b.WriteString(strconv.Quote(key))
		b.WriteByte(']')
		return
	}
	if b.Len() > 0 {
		b.WriteByte('.')
	}
	b.WriteString(key)
}

// asIndex reports whether step is an array index (int or int64).
func asIndex(step any) (int, bool) {
	switch v := step.(type) {
	case int:
		return v, true
	case int64:
		if int64(int(v)) == v {
			return int(v), true
		}
	}
	return 0, false
}

// Item is one key (string) or index (int) and its value, in an add or remove.
type Item struct {
	Key   any
	Value any
}

// Change is one [op, path, values] triple of the dictdiffer format. For
// OpChange, Path is the changed value and Old/New its two values; for OpAdd
// and OpRemove, Path is the parent and Items the keys added or removed.
//
// Values are shared with the documents they were taken from: treat them as
// read-only.
type Change struct {
	Op    Op
	Path  Path
	Old   any
	New   any
	Items []Item
}

// Changes is a list of changes in the dictdiffer JSON format.
type Changes []Change

// Redact returns a copy of c keeping every operation, path and added or
// removed key but with every value (old, new, added, removed) set to nil. It
// is what storage keeps of a history when a retention rule erases the
// personal data of a profile: the audit trail of who changed which field and
// when survives, the values do not. Redacted changes no longer apply with
// Patch or Revert.
func (c Changes) Redact() Changes {
	if c == nil {
		return nil
	}
	out := make(Changes, len(c))
	for i, ch := range c {
		out[i] = Change{Op: ch.Op, Path: append(Path(nil), ch.Path...)}
		if len(ch.Items) == 0 {
			continue
		}
		items := make([]Item, len(ch.Items))
		for j, it := range ch.Items {
			items[j] = Item{Key: it.Key}
		}
		out[i].Items = items
	}
	return out
}

// Paths returns the paths that c changes, in the dotted form of Path.String
// (addresses[1].country), each once, in the order of the changes. For an add
// or a remove, the path is the one of each added or removed key
// (contacts[2], legal_person.constitution), not the parent's.
func (c Changes) Paths() []string {
	out := make([]string, 0, len(c))
	seen := make(map[string]bool, len(c))
	add := func(p string) {
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	for _, ch := range c {
		if ch.Op == OpChange {
			add(ch.Path.String())
			continue
		}
		for _, it := range ch.Items {
			add(ch.Path.child(it.Key).String())
		}
	}
	return out
}
