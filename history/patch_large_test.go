package history

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// frontInserts is one add of n items at index 0 of the array "x": each goes
// before the previous one, so the array ends in reverse order. Applied one
// by one, every insert shifts the whole array (issue 16, 11).
func frontInserts(n int) Changes {
	items := make([]Item, n)
	for i := range items {
		items[i] = Item{Key: 0, Value: float64(i)}
	}
	return Changes{{Op: OpAdd, Path: Path{"x"}, Items: items}}
}

// TestPatchManyInserts: 200,000 inserts at index 0, patched and reverted.
func TestPatchManyInserts(t *testing.T) {
	const n = 200_000
	changes := frontInserts(n)
	doc := map[string]any{"x": []any{}}
	got, err := Patch(changes, doc)
	if err != nil {
		t.Fatal(err)
	}
	x := got.(map[string]any)["x"].([]any)
	if len(x) != n {
		t.Fatalf("%d elements, want %d", len(x), n)
	}
	for i, v := range x {
		if v != float64(n-1-i) {
			t.Fatalf("x[%d] = %v, want %d", i, v, n-1-i)
		}
	}
	back, err := Revert(changes, got)
	if err != nil {
		t.Fatal(err)
	}
	if !Equal(back, doc) {
		t.Errorf("Revert did not give the original back")
	}
	// Removing index 0 n times empties the array, checking each value.
	removes := Changes{{Op: OpRemove, Path: Path{"x"}, Items: make([]Item, n)}}
	for i := range removes[0].Items {
		removes[0].Items[i] = Item{Key: 0, Value: float64(n - 1 - i)}
	}
	empty, err := Patch(removes, got)
	if err != nil {
		t.Fatal(err)
	}
	if !Equal(empty, doc) {
		t.Errorf("removing every element left %v", empty)
	}
}

// sequential applies one add or remove item by item, the reference the
// batched application must agree with, errors included.
func sequential(s []any, c Change) ([]any, error) {
	s = slices.Clone(s)
	for _, it := range c.Items {
		i := it.Key.(int)
		if c.Op == OpAdd {
			if i < 0 || i > len(s) {
				return nil, &PatchError{Path: c.Path.child(i), Err: ErrPathNotFound}
			}
			s = slices.Insert(s, i, it.Value)
			continue
		}
		if i < 0 || i >= len(s) {
			return nil, &PatchError{Path: c.Path.child(i), Err: ErrPathNotFound}
		}
		if !Equal(s[i], it.Value) {
			return nil, &PatchError{Path: c.Path.child(i), Err: ErrValueMismatch}
		}
		s = slices.Delete(s, i, i+1)
	}
	return s, nil
}

// TestPatchArrayBatchAgrees: random adds and removes of many indexes to one
// array give what applying them one by one gives, or the same error.
func TestPatchArrayBatchAgrees(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for round := range 2000 {
		n := r.IntN(40)
		s := make([]any, n)
		for i := range s {
			s[i] = float64(r.IntN(3))
		}
		op := OpAdd
		if r.IntN(2) == 0 {
			op = OpRemove
		}
		m := 1 + r.IntN(60)
		items := make([]Item, m)
		size := n
		for k := range items {
			bound := size + 1
			if op == OpRemove {
				bound = max(size, 1)
			}
			i := r.IntN(bound + 1) // sometimes one past: an error
			if r.IntN(50) == 0 {
				i = -1
			}
			var v any = float64(k)
			if op == OpRemove && i >= 0 && i < size {
				v = float64(r.IntN(3)) // sometimes not the value there
			}
			items[k] = Item{Key: i, Value: v}
			if op == OpAdd {
				size++
			} else if size > 0 {
				size--
			}
		}
		c := Change{Op: op, Path: Path{"x"}, Items: items}
		want, wantErr := sequential(s, c)
		got, gotErr := Patch(Changes{c}, map[string]any{"x": s})
		name := fmt.Sprintf("round %d: %s of %d items on %d", round, op, m, n)
		if (wantErr == nil) != (gotErr == nil) {
			t.Fatalf("%s: error %v, want %v", name, gotErr, wantErr)
		}
		if wantErr != nil {
			var wp, gp *PatchError
			errors.As(wantErr, &wp)
			if !errors.As(gotErr, &gp) || !errors.Is(gotErr, wp.Err) || gp.Path.String() != wp.Path.String() {
				t.Fatalf("%s: error %v, want %v", name, gotErr, wantErr)
			}
			continue
		}
		if !Equal(got.(map[string]any)["x"], want) {
			t.Fatalf("%s: got %v, want %v", name, got, want)
		}
	}
}

// BenchmarkPatchFrontInserts applies n inserts at index 0 of one array.
func BenchmarkPatchFrontInserts(b *testing.B) {
	for _, n := range []int{2_000, 20_000, 200_000} {
		changes := frontInserts(n)
		doc := map[string]any{"x": []any{}}
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Patch(changes, doc); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
