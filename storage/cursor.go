package storage

import (
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"slices"
	"strconv"
)

// Cursor is the decoded form of a keyset cursor: the sort key and id of the
// last row of a page, so that the next page starts strictly after it, the
// number of the page it leads to, and a fingerprint of the query it belongs
// to. Callers see it only as an opaque string; adapters use it to build
// their "after this row" condition.
type Cursor struct {
	Sort   Sort   `json:"s"`
	Str    string `json:"k,omitempty"` // string sort key (SortName*)
	Int    int64  `json:"n,omitempty"` // integer sort key (times, versions)
	ID     string `json:"i"`           // the last row's id, the tie breaker
	Number int    `json:"p"`           // the page the cursor leads to
	Filter uint64 `json:"f"`           // Fingerprint of the query
}

// maxCursorLen bounds an encoded cursor, so that a hostile one costs
// little to reject. It is generous: a name sort key is a folded name,
// which no id limit bounds.
const maxCursorLen = 16 << 10

// Encode returns the cursor as an opaque URL-safe string.
func (c Cursor) Encode() string {
	b, _ := json.Marshal(c) // a struct of strings and integers always encodes
	return base64.RawURLEncoding.EncodeToString(b)
}

// DecodeCursor parses s and checks it belongs to a query with this sort and
// fingerprint: a cursor reused with other filters would skip or repeat rows,
// so it fails with ErrInvalid instead.
//
// Only the form Encode writes is accepted (json.Unmarshal alone would also
// take other spellings: spaces, keys in another case or order, duplicate
// keys), so that a position has exactly one cursor.
func DecodeCursor(s string, sort Sort, fingerprint uint64) (Cursor, error) {
	var c Cursor
	if len(s) > maxCursorLen {
		return Cursor{}, fmt.Errorf("%w: malformed cursor", ErrInvalid)
	}
	b, err := base64.RawURLEncoding.Strict().DecodeString(s)
	if err != nil {
		return Cursor{}, fmt.Errorf("%w: malformed cursor", ErrInvalid)
	}
	if err := json.Unmarshal(b, &c); err != nil || c.Encode() != s {
		return Cursor{}, fmt.Errorf("%w: malformed cursor", ErrInvalid)
	}
	if c.Sort != sort || c.Filter != fingerprint || c.Number < 1 || c.ID == "" {
		return c, fmt.Errorf("%w: cursor belongs to another query", ErrInvalid)
	}
	return c, nil
}

// Fingerprint identifies the filters and sort of a normalized query (not
// its page size or position), for cursors.
func (q Query) Fingerprint() uint64 {
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

// Fingerprint identifies a history query's order, for cursors.
func (q HistoryQuery) Fingerprint(profileID string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(profileID))
	if q.NewestFirst {
		h.Write([]byte{1})
	}
	return h.Sum64()
}

// HistorySort is the Sort recorded in history cursors.
func (q HistoryQuery) HistorySort() Sort {
	if q.NewestFirst {
		return "-version"
	}
	return "version"
}
