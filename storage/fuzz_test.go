package storage_test

import (
	"errors"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/kycsdk/kyc/storage"
)

// FuzzQueryNormalize feeds arbitrary field values to Query.Normalize: it
// never panics, fails only with a *QueryError, and what it returns is in
// range and normalizes to itself (Fold is idempotent).
func FuzzQueryNormalize(f *testing.F) {
	f.Add("active", "high", "natural_person", "vip", "Núñez", "-modified_at", 20, 0, int64(0), int64(0))
	f.Add("", "", "", "", "", "", 0, 0, int64(-1), int64(1))
	f.Add("x", "y", "", "", "İSTANBUL ǅ ß ﬁ", "name", 1000, 3, int64(1), int64(2))
	f.Add("a", "b", "", "", "\xff", "bogus", -1, -1, int64(0), int64(0))
	f.Add("a", "a\x00", "", "", "\u0301", "name", 1, 1<<62, int64(0), int64(0))
	f.Fuzz(func(t *testing.T, state, risk, personType, label, text, sort string, size, number int, from, until int64) {
		q := storage.Query{
			States: []string{state, state}, Risks: []string{risk}, PersonType: storageType(personType), Label: label,
			Text: text, Sort: storage.Sort(sort), Size: size, Number: number,
			CreatedFrom: ts(from), ModifiedUntil: ts(until),
		}
		n, err := q.Normalize()
		if err != nil {
			var qe *storage.QueryError
			if !errors.Is(err, storage.ErrInvalid) || !errors.As(err, &qe) {
				t.Fatalf("Normalize error %v is not a *QueryError", err)
			}
			return
		}
		if n.Size < 1 || n.Size > storage.MaxPageSize || n.Number < 0 || n.Number > (1<<63-2)/n.Size-1 {
			t.Fatalf("size %d, number %d out of range", n.Size, n.Number)
		}
		if !utf8.ValidString(n.Text) || len(n.States) != 1 {
			t.Fatalf("text %q, states %q", n.Text, n.States)
		}
		again, err := n.Normalize()
		if err != nil {
			t.Fatalf("normalized query rejected: %v", err)
		}
		if d := cmp.Diff(n, again); d != "" {
			t.Fatalf("Normalize not idempotent (-once +twice):\n%s", d)
		}
	})
}
