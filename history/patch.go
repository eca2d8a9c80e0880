package history

import (
	"reflect"
	"slices"
	"unsafe"
)

// Patch applies changes to a and returns the result, as dictdiffer's patch:
// Patch(Diff(a, b), a) equals b. It checks every change against the document
// (the path exists, the old or removed value is the one recorded, an added
// key is not already there, an added index is at most the array's length)
// and returns a *PatchError naming the change and its path when one does not
// apply.
//
// Patch never modifies a or the changes: containers on the changed paths are
// copied, the rest of the result is shared with a (and added values with the
// changes), so treat the result as read-only too, or copy it. On error the
// result is nil: nothing is half-applied.
func Patch(changes Changes, a any) (any, error) {
	var p patcher
	return p.patch(changes, a)
}

// Revert undoes changes on b and returns the result, as dictdiffer's
// revert: Revert(Diff(a, b), b) equals a. The changes are undone last to
// first, each one inverted (old and new swapped, add and remove exchanged).
// Errors and sharing are as for Patch.
func Revert(changes Changes, b any) (any, error) {
	var p patcher
	return p.revert(changes, b)
}

// patcher applies changes with copy-on-write: a container is copied the
// first time a change goes through it and owned from then on, so that later
// changes (and later entries, in Rebuild) write to the copy in place.
type patcher struct {
	owned map[unsafe.Pointer]struct{}
}

func (p *patcher) patch(changes Changes, doc any) (any, error) {
	for i, c := range changes {
		var err error
		if doc, err = p.apply(doc, c, false); err != nil {
			return nil, withIndex(err, i)
		}
	}
	return doc, nil
}

func (p *patcher) revert(changes Changes, doc any) (any, error) {
	for i := len(changes) - 1; i >= 0; i-- {
		var err error
		if doc, err = p.apply(doc, changes[i], true); err != nil {
			return nil, withIndex(err, i)
		}
	}
	return doc, nil
}

func withIndex(err error, i int) error {
	if pe, ok := err.(*PatchError); ok {
		pe.Change = i
	}
	return err
}

// apply applies one change, or its inverse when reverse is set.
func (p *patcher) apply(doc any, c Change, reverse bool) (any, error) {
	switch {
	case c.Op == OpChange:
		old, new := c.Old, c.New
		if reverse {
			old, new = new, old
		}
		return p.update(doc, c.Path, func(cur any) (any, error) {
			if !Equal(cur, old) {
				return nil, &PatchError{Path: c.Path, Err: ErrValueMismatch}
			}
			return new, nil
		})
	case c.Op == OpAdd || c.Op == OpRemove:
		// Undoing an add is a remove, and undoing a remove an add.
		adding := (c.Op == OpAdd) != reverse
		return p.update(doc, c.Path, func(cur any) (any, error) {
			if adding {
				return p.insert(cur, c, reverse)
			}
			return p.delete(cur, c, reverse)
		})
	}
	return nil, &PatchError{Path: c.Path, Err: ErrInvalidChange}
}

// update replaces the value at path with fn of it, owning every container
// from the root down to the value's parent.
func (p *patcher) update(doc any, path Path, fn func(any) (any, error)) (any, error) {
	if len(path) == 0 {
		return fn(doc)
	}
	root := p.own(doc)
	parent := root
	for i, s := range path[:len(path)-1] {
		child, ok := get(parent, s)
		if !ok {
			return nil, &PatchError{Path: path[:i+1], Err: ErrPathNotFound}
		}
		child = p.own(child)
		set(parent, s, child)
		parent = child
	}
	last := path[len(path)-1]
	cur, ok := get(parent, last)
	if !ok {
		return nil, &PatchError{Path: path, Err: ErrPathNotFound}
	}
	v, err := fn(cur)
	if err != nil {
		return nil, err
	}
	set(parent, last, v)
	return root, nil
}

// items returns the items in the order they are applied: reversed when the
// change is undone, so that array indexes stay valid (an add of 2 then 3 is
// undone by removing 3 then 2).
func items(c Change, reverse bool) []Item {
	if !reverse {
		return c.Items
	}
	out := slices.Clone(c.Items)
	slices.Reverse(out)
	return out
}

// insert adds the change's items to the container cur.
func (p *patcher) insert(cur any, c Change, reverse bool) (any, error) {
	switch v := cur.(type) {
	case map[string]any:
		m := p.ownMap(v)
		for _, it := range items(c, reverse) {
			key, ok := it.Key.(string)
			if !ok {
				return nil, &PatchError{Path: c.Path, Err: ErrPathNotFound}
			}
			if _, exists := m[key]; exists {
				return nil, &PatchError{Path: c.Path.child(key), Err: ErrKeyExists}
			}
			m[key] = it.Value
		}
		return m, nil
	case []any:
		its := items(c, reverse)
		if len(its) >= batchMin {
			s, err := insertAll(v, its, c.Path)
			if err != nil {
				return nil, err
			}
			p.markSlice(s)
			return s, nil
		}
		s := p.ownSlice(v)
		for _, it := range its {
			i, ok := asIndex(it.Key)
			if !ok || i < 0 || i > len(s) {
				return nil, &PatchError{Path: c.Path.child(it.Key), Err: ErrPathNotFound}
			}
			s = slices.Insert(s, i, it.Value)
		}
		p.markSlice(s)
		return s, nil
	}
	return nil, &PatchError{Path: c.Path, Err: ErrPathNotFound}
}

// delete removes the change's items from the container cur, checking that
// each removed value is the recorded one.
func (p *patcher) delete(cur any, c Change, reverse bool) (any, error) {
	switch v := cur.(type) {
	case map[string]any:
		m := p.ownMap(v)
		for _, it := range items(c, reverse) {
			key, ok := it.Key.(string)
			if !ok {
				return nil, &PatchError{Path: c.Path, Err: ErrPathNotFound}
			}
			old, exists := m[key]
			if !exists {
				return nil, &PatchError{Path: c.Path.child(key), Err: ErrPathNotFound}
			}
			if !Equal(old, it.Value) {
				return nil, &PatchError{Path: c.Path.child(key), Err: ErrValueMismatch}
			}
			delete(m, key)
		}
		return m, nil
	case []any:
		its := items(c, reverse)
		if len(its) >= batchMin {
			s, err := deleteAll(v, its, c.Path)
			if err != nil {
				return nil, err
			}
			p.markSlice(s)
			return s, nil
		}
		s := p.ownSlice(v)
		for _, it := range its {
			i, ok := asIndex(it.Key)
			if !ok || i < 0 || i >= len(s) {
				return nil, &PatchError{Path: c.Path.child(it.Key), Err: ErrPathNotFound}
			}
			if !Equal(s[i], it.Value) {
				return nil, &PatchError{Path: c.Path.child(i), Err: ErrValueMismatch}
			}
			s = slices.Delete(s, i, i+1)
		}
		return s, nil
	}
	return nil, &PatchError{Path: c.Path, Err: ErrPathNotFound}
}

// get returns the child of container c at step s.
func get(c any, s any) (any, bool) {
	switch v := c.(type) {
	case map[string]any:
		key, ok := s.(string)
		if !ok {
			return nil, false
		}
		child, ok := v[key]
		return child, ok
	case []any:
		i, ok := asIndex(s)
		if !ok || i < 0 || i >= len(v) {
			return nil, false
		}
		return v[i], true
	}
	return nil, false
}

// set stores v in the owned container c at step s, which get has checked.
func set(c any, s any, v any) {
	switch c := c.(type) {
	case map[string]any:
		c[s.(string)] = v
	case []any:
		i, _ := asIndex(s)
		c[i] = v
	}
}

// own returns v itself when it is not a container or already owned, and
// otherwise an owned shallow copy.
func (p *patcher) own(v any) any {
	switch c := v.(type) {
	case map[string]any:
		return p.ownMap(c)
	case []any:
		return p.ownSlice(c)
	}
	return v
}

func (p *patcher) ownMap(m map[string]any) map[string]any {
	ptr := reflect.ValueOf(m).UnsafePointer()
	if _, ok := p.owned[ptr]; ok {
		return m
	}
	c := make(map[string]any, len(m))
	for k, v := range m {
		c[k] = v
	}
	p.mark(reflect.ValueOf(c).UnsafePointer())
	return c
}

func (p *patcher) ownSlice(s []any) []any {
	if len(s) > 0 {
		if _, ok := p.owned[unsafe.Pointer(unsafe.SliceData(s))]; ok {
			return s
		}
	}
	c := slices.Clone(s)
	if c == nil {
		c = []any{}
	}
	p.markSlice(c)
	return c
}

// markSlice records s as owned; an empty slice has no storage to record and
// is copied again next time, which costs nothing.
func (p *patcher) markSlice(s []any) {
	if cap(s) > 0 {
		p.mark(unsafe.Pointer(unsafe.SliceData(s)))
	}
}

// mark records an owned container. The map holds the pointers, so an owned
// container is never freed and its address never reused by an input while
// the patcher lives.
func (p *patcher) mark(ptr unsafe.Pointer) {
	if p.owned == nil {
		p.owned = make(map[unsafe.Pointer]struct{})
	}
	p.owned[ptr] = struct{}{}
}
