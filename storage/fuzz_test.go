package storage_test

import (
	"errors"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/kycsdk/kyc/storage"
)

// FuzzDecodeCursor feeds arbitrary strings to DecodeCursor: it never
// panics, fails only with ErrInvalid, and a cursor it accepts is the one
// Encode writes, so that it decodes again to the same value.
func FuzzDecodeCursor(f *testing.F) {
	valid := storage.Cursor{Sort: storage.SortNameAsc, Str: "ana", ID: "p1", Number: 2, Filter: 7}
	f.Add(valid.Encode(), string(valid.Sort), valid.Filter)
	f.Add(storage.Cursor{Sort: "version", Int: -3, ID: "e\x00", Number: 1}.Encode(), "version", uint64(0))
	f.Add("", "-modified_at", uint64(0))
	f.Add("eyJzIjoibmFtZSJ9", "name", uint64(0)) // {"s":"name"}
	f.Add("!!!", "name", uint64(1))
	f.Fuzz(func(t *testing.T, s, sort string, fp uint64) {
		c, err := storage.DecodeCursor(s, storage.Sort(sort), fp)
		if err != nil {
			if !errors.Is(err, storage.ErrInvalid) {
				t.Fatalf("DecodeCursor error %v is not ErrInvalid", err)
			}
			return
		}
		if got := c.Encode(); got != s {
			t.Fatalf("accepted %q, which re-encodes as %q", s, got)
		}
		again, err := storage.DecodeCursor(c.Encode(), storage.Sort(sort), fp)
		if err != nil {
			t.Fatalf("re-encoded cursor rejected: %v", err)
		}
		if d := cmp.Diff(c, again); d != "" {
			t.Fatalf("cursor round trip (-want +got):\n%s", d)
		}
	})
}

// FuzzQueryNormalize feeds arbitrary field values to Query.Normalize: it
// never panics, fails only with ErrInvalid, and what it returns is in
// range and normalizes to itself (Fold is idempotent), with the same
// fingerprint.
func FuzzQueryNormalize(f *testing.F) {
	f.Add("active", "high", "natural_person", "vip", "Núñez", "-modified_at", 20, 0, int64(0), int64(0))
	f.Add("", "", "", "", "", "", 0, 0, int64(-1), int64(1))
	f.Add("x", "y", "", "", "İSTANBUL ǅ ß ﬁ", "name", 1000, 3, int64(1), int64(2))
	f.Add("a", "b", "", "", "\xff", "bogus", -1, -1, int64(0), int64(0))
	f.Fuzz(func(t *testing.T, state, risk, personType, label, text, sort string, size, number int, from, until int64) {
		q := storage.Query{
			States: []string{state}, Risks: []string{risk}, PersonType: storageType(personType), Label: label,
			Text: text, Sort: storage.Sort(sort), Size: size, Number: number,
			CreatedFrom: ts(from), ModifiedUntil: ts(until),
		}
		n, err := q.Normalize()
		if err != nil {
			if !errors.Is(err, storage.ErrInvalid) {
				t.Fatalf("Normalize error %v is not ErrInvalid", err)
			}
			return
		}
		if n.Size < 1 || n.Size > storage.MaxPageSize || n.Number < 0 {
			t.Fatalf("size %d, number %d out of range", n.Size, n.Number)
		}
		if !utf8.ValidString(n.Text) {
			t.Fatalf("text %q not UTF-8", n.Text)
		}
		again, err := n.Normalize()
		if err != nil {
			t.Fatalf("normalized query rejected: %v", err)
		}
		if d := cmp.Diff(n, again); d != "" {
			t.Fatalf("Normalize not idempotent (-once +twice):\n%s", d)
		}
		if n.Fingerprint() != again.Fingerprint() {
			t.Fatal("fingerprint changed by a second Normalize")
		}
	})
}
