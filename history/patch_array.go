package history

// An add or a remove of many indexes of one array is applied in one pass.
// dictdiffer's format applies the items one after the other, each index
// read in the array as the previous items left it, so inserting n items at
// index 0 shifts the array n times: 200,000 such inserts took minutes
// (issue 16, 11). insertAll and deleteAll give exactly what the items give
// one by one, with the same checks and the same first error, in
// O((n+m) log(n+m)) for m items on an array of n: each item finds its
// place among the free (or remaining) slots with a Fenwick tree.

// batchMin is the number of items from which an array change is applied in
// one pass; below it, inserting one by one costs at most batchMin shifts
// and allocates less.
const batchMin = 16

// insertAll inserts the items in order, each at its index in the array as
// the earlier items left it, into a new array.
func insertAll(s []any, its []Item, path Path) ([]any, error) {
	n := len(s)
	idx := make([]int, len(its))
	for k, it := range its {
		i, ok := asIndex(it.Key)
		if !ok || i < 0 || i > n+k {
			return nil, &PatchError{Path: path.child(it.Key), Err: ErrPathNotFound}
		}
		idx[k] = i
	}
	// The last item is at its index in the result; without it, the result
	// is the array before it, where the item before is at its index, and
	// so on: each item, last to first, takes the free slot of its rank.
	out := make([]any, n+len(its))
	taken := make([]bool, len(out))
	free := newSlots(len(out))
	for k := len(its) - 1; k >= 0; k-- {
		pos := free.take(idx[k])
		out[pos], taken[pos] = its[k].Value, true
	}
	j := 0
	for pos := range out {
		if !taken[pos] {
			out[pos] = s[j]
			j++
		}
	}
	return out, nil
}

// deleteAll removes the items in order, each at its index in the array as
// the earlier items left it, checking each removed value, into a new array.
func deleteAll(s []any, its []Item, path Path) ([]any, error) {
	n := len(s)
	left := newSlots(n)
	gone := make([]bool, n)
	for k, it := range its {
		i, ok := asIndex(it.Key)
		if !ok || i < 0 || i >= n-k {
			return nil, &PatchError{Path: path.child(it.Key), Err: ErrPathNotFound}
		}
		pos := left.take(i)
		if !Equal(s[pos], it.Value) {
			return nil, &PatchError{Path: path.child(i), Err: ErrValueMismatch}
		}
		gone[pos] = true
	}
	out := make([]any, 0, n-len(its))
	for pos, v := range s {
		if !gone[pos] {
			out = append(out, v)
		}
	}
	return out, nil
}

// slots is a Fenwick tree over n slots, each free or taken, all free at
// first.
type slots struct {
	tree []int // 1-based: tree[i] counts the free slots of its range
	top  int   // the highest power of two not above n
}

func newSlots(n int) slots {
	t := make([]int, n+1)
	for i := 1; i <= n; i++ {
		t[i] = i & -i // every slot of the range is free
	}
	top := 1
	for top*2 <= n {
		top *= 2
	}
	return slots{tree: t, top: top}
}

// take marks taken the free slot of 0-based rank k among the free slots,
// which the caller knows exists, and returns its 0-based position.
func (s slots) take(k int) int {
	pos, rem := 0, k+1
	for step := s.top; step > 0; step >>= 1 {
		if next := pos + step; next < len(s.tree) && s.tree[next] < rem {
			pos, rem = next, rem-s.tree[next]
		}
	}
	for i := pos + 1; i < len(s.tree); i += i & -i {
		s.tree[i]--
	}
	return pos
}
