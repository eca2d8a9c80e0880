package driver

import (
	"cmp"
	"fmt"

	"encoding/binary"

	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/storage"
)

// ListRequest is a ListProfiles call checked and decoded for an adapter:
// the normalised query and, when the call continues a walk, the position
// its cursor holds.
type ListRequest struct {
	Query  storage.Query
	Cursor *Cursor
	// MatchesNothing is set when the query can match no profile: its
	// text filter folds to the empty string (a lone accent, control
	// characters). A filter the caller gave never widens a list, so the
	// adapter returns an empty page without reading.
	MatchesNothing bool
	bind           binding
}

// NextCursor seals c, the position after the last row of this page, into
// the NextCursor of the page: bound to the tenant and the query.
func (r ListRequest) NextCursor(c Cursor) string { return r.bind.seal(c) }

// PrepareList checks the tenant, normalises q and opens its cursor with
// key, so that every adapter accepts and refuses exactly the same list
// calls; adapters call it first. The error is wrapped for the "list
// profiles" operation; key must not be nil.
func PrepareList(key *storage.CursorKey, tenant string, q storage.Query) (ListRequest, error) {
	const op = "list profiles"
	if err := CheckID("tenant", tenant); err != nil {
		return ListRequest{}, Wrap(op, "", err)
	}
	n, err := q.Normalize()
	if err != nil {
		return ListRequest{}, Wrap(op, "", err)
	}
	// The text of a query matching nothing is empty once folded, as a
	// query without text is; the flag keeps their cursors apart.
	nothing := q.Text != "" && n.Text == ""
	q = n
	query := append(appendQuery(nil, q), boolByte(nothing))
	req := ListRequest{Query: q, MatchesNothing: nothing, bind: newBinding(mustKey(key), walkList, tenant, query)}
	if q.Cursor != "" {
		c, err := req.bind.open(q.Cursor)
		if err != nil {
			return ListRequest{}, Wrap(op, "", err)
		}
		req.Cursor = &c
	}
	return req, nil
}

// appendQuery appends what identifies the normalised query's filters and
// order (not its page size or position) to b, each field length-prefixed
// so that no two queries share an encoding.
func appendQuery(b []byte, q storage.Query) []byte {
	for _, list := range [][]string{q.States, q.Risks} {
		b = binary.AppendUvarint(b, uint64(len(list)))
		for _, s := range list {
			b = appendString(b, s)
		}
	}
	for _, s := range []string{string(q.PersonType), q.Label, q.Text, string(q.Sort)} {
		b = appendString(b, s)
	}
	for _, t := range []profile.Timestamp{q.CreatedFrom, q.CreatedUntil, q.ModifiedFrom, q.ModifiedUntil} {
		b = binary.BigEndian.AppendUint64(b, uint64(t))
	}
	// Only when set, so that the cursors of queries without it, sealed
	// before it existed, still open; the length keeps the two apart.
	if q.DueBy != 0 {
		b = binary.BigEndian.AppendUint64(b, uint64(q.DueBy))
	}
	// The exact lookups likewise, each behind a tag byte of its own.
	if q.ExternalRef != "" {
		b = appendString(append(b, 'e'), q.ExternalRef)
	}
	if q.TaxPayerID != "" {
		b = appendString(append(b, 't'), q.TaxPayerID)
	}
	return b
}

func boolByte(b bool) byte {
	if b {
		return 1
	}
	return 0
}

func mustKey(key *storage.CursorKey) *storage.CursorKey {
	if key == nil {
		panic("storage/driver: an adapter prepared a query without a CursorKey")
	}
	return key
}

// HistoryRequest is a History call checked and decoded for an adapter: the
// normalised query and, when the call continues a walk, the position its
// cursor holds.
type HistoryRequest struct {
	Query  storage.HistoryQuery
	Cursor *Cursor
	bind   binding
}

// NextCursor seals c, the position after the last entry of this page, into
// the NextCursor of the page: bound to the tenant, the profile and the
// order.
func (r HistoryRequest) NextCursor(c Cursor) string { return r.bind.seal(c) }

// PrepareHistory checks the tenant and profile id, normalises q and opens
// its cursor with key, so that every adapter accepts and refuses exactly
// the same history calls; adapters call it first. The error is wrapped for
// the "history" operation; key must not be nil.
func PrepareHistory(key *storage.CursorKey, tenant, id string, q storage.HistoryQuery) (HistoryRequest, error) {
	const op = "history"
	if err := CheckIDs(tenant, id); err != nil {
		return HistoryRequest{}, Wrap(op, id, err)
	}
	q, err := q.Normalize()
	if err != nil {
		return HistoryRequest{}, Wrap(op, id, err)
	}
	query := append(appendString(nil, id), boolByte(q.NewestFirst))
	req := HistoryRequest{Query: q, bind: newBinding(mustKey(key), walkHistory, tenant, query)}
	if q.Cursor != "" {
		c, err := req.bind.open(q.Cursor)
		if err != nil {
			return HistoryRequest{}, Wrap(op, id, err)
		}
		req.Cursor = &c
	}
	return req, nil
}

// NewPageInfo returns the metadata of page number of size rows out of total.
func NewPageInfo(size, number, total int) storage.PageInfo {
	pages := 0
	if size > 0 {
		pages = (total + size - 1) / size
	}
	return storage.PageInfo{Size: size, TotalElements: total, TotalPages: pages, Number: number}
}

// WalkRequest is a WalkProfiles call checked and decoded for an adapter:
// the batch size and, when the call continues a walk, the id after which
// it goes on and the counts its cursor carries.
type WalkRequest struct {
	Size int
	// After is the id of the last profile returned so far, "" for the
	// first batch (every id is longer).
	After string
	// Walked is how many profiles earlier batches returned; Total is the
	// count the first batch took, which the adapter carries on rather
	// than counting again.
	Walked, Total int
	// First is set on the first batch (no cursor), the one that counts
	// the tenant.
	First bool
	bind  binding
}

// NextCursor seals the position after last, the last profile of this
// batch, walked profiles returned so far out of total.
func (r WalkRequest) NextCursor(last string, walked, total int) string {
	// Number is at least 1 in every sealed cursor; Int carries the count.
	return r.bind.seal(Cursor{ID: last, Int: int64(walked), Number: total + 1})
}

// PrepareWalk checks the tenant and the batch size and opens the walk's
// cursor with key, so that every adapter accepts and refuses exactly the
// same walk calls; adapters call it first. The error is wrapped for the
// "walk profiles" operation; key must not be nil.
func PrepareWalk(key *storage.CursorKey, tenant string, w storage.Walk) (WalkRequest, error) {
	const op = "walk profiles"
	if err := CheckID("tenant", tenant); err != nil {
		return WalkRequest{}, Wrap(op, "", err)
	}
	size, err := checkWalkSize(w.Size)
	if err != nil {
		return WalkRequest{}, Wrap(op, "", err)
	}
	req := WalkRequest{Size: size, First: w.Cursor == "", bind: newBinding(mustKey(key), walkProfiles, tenant, nil)}
	if w.Cursor != "" {
		c, err := req.bind.open(w.Cursor)
		if err != nil || c.Int < 0 {
			return WalkRequest{}, Wrap(op, "", cmp.Or(err, error(&storage.QueryError{Field: "Cursor", Reason: "not a cursor of this query"})))
		}
		req.After, req.Walked, req.Total = c.ID, int(c.Int), c.Number-1
	}
	return req, nil
}

func checkWalkSize(size int) (int, error) {
	if size < 0 || size > storage.MaxPageSize {
		return 0, &storage.QueryError{Field: "Size", Reason: fmt.Sprintf("not between 0 and %d", storage.MaxPageSize)}
	}
	return cmp.Or(size, storage.DefaultPageSize), nil
}
