package driver_test

import (
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"hash/fnv"
	"slices"
	"strconv"
	"testing"

	"github.com/kycsdk/kyc/storage"
	"github.com/kycsdk/kyc/storage/driver"
)

// plainCursor is the cursor before issue 16, kept as the reference of
// BenchmarkCursorPage: base64 of JSON, readable by anyone, bound to the
// query by a 64-bit FNV hash and to no tenant.
type plainCursor struct {
	Sort   storage.Sort `json:"s"`
	Str    string       `json:"k,omitempty"`
	Int    int64        `json:"n,omitempty"`
	ID     string       `json:"i"`
	Number int          `json:"p"`
	Filter uint64       `json:"f"`
}

func (c plainCursor) encode() string {
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodePlain(s string) (plainCursor, bool) {
	var c plainCursor
	b, err := base64.RawURLEncoding.Strict().DecodeString(s)
	if err != nil || json.Unmarshal(b, &c) != nil || c.encode() != s {
		return c, false
	}
	return c, true
}

func plainFingerprint(q storage.Query) uint64 {
	h := fnv.New64a()
	put := func(s string) {
		h.Write(strconv.AppendInt(nil, int64(len(s)), 10))
		h.Write([]byte{':'})
		h.Write([]byte(s))
	}
	states, risks := slices.Clone(q.States), slices.Clone(q.Risks)
	slices.Sort(states)
	slices.Sort(risks)
	for _, list := range [][]string{states, risks} {
		put(strconv.Itoa(len(list)))
		for _, s := range list {
			put(s)
		}
	}
	put(string(q.PersonType))
	put(q.Label)
	put(q.Text)
	put(string(q.Sort))
	var n [8]byte
	for _, t := range []int64{int64(q.CreatedFrom), int64(q.CreatedUntil), int64(q.ModifiedFrom), int64(q.ModifiedUntil)} {
		binary.BigEndian.PutUint64(n[:], uint64(t))
		h.Write(n[:])
	}
	return h.Sum64()
}

// BenchmarkCursorPage measures what a page of a cursor walk by name pays
// for its cursors: check and normalise the query, open the cursor it
// came with and make the next one. "plain" is the unsealed cursor it
// replaced, measured in the same run.
func BenchmarkCursorPage(b *testing.B) {
	q := storage.Query{Sort: storage.SortNameAsc, States: []string{"active", "under_review"}, Risks: []string{"high"}, Size: 20}
	pos := driver.Cursor{Str: "ana maria nunez gomez", ID: "0190f3c4-7b1e-7cc2-9a57-6f2d1c3b8e01", Number: 7}

	b.Run("sealed", func(b *testing.B) {
		key := storage.RandomCursorKey()
		q := q
		q.Cursor = sealList(b, key, "tenant-1", q, pos)
		b.ReportAllocs()
		for b.Loop() {
			req, err := driver.PrepareList(key, "tenant-1", q)
			if err != nil {
				b.Fatal(err)
			}
			next := *req.Cursor
			next.Number++
			_ = req.NextCursor(next)
		}
	})
	b.Run("plain", func(b *testing.B) {
		q := q
		fp := plainFingerprint(q)
		q.Cursor = plainCursor{Sort: q.Sort, Str: pos.Str, ID: pos.ID, Number: pos.Number, Filter: fp}.encode()
		b.ReportAllocs()
		for b.Loop() {
			n, err := q.Normalize()
			if err != nil {
				b.Fatal(err)
			}
			c, ok := decodePlain(n.Cursor)
			if !ok || c.Filter != plainFingerprint(n) || c.Sort != n.Sort {
				b.Fatal("plain cursor refused")
			}
			c.Number++
			_ = c.encode()
		}
	})
}
