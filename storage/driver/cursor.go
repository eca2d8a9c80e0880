package driver

import (
	"encoding/base64"
	"encoding/binary"
	"math"
	"slices"

	"github.com/kycsdk/kyc/storage"
	"github.com/kycsdk/kyc/storage/internal/cursorkey"
)

// Cursor is the position a keyset cursor holds: the sort key and id of the
// last row of a page, so that the next page starts strictly after it, and
// the number of the page it leads to. Callers only ever see it sealed (see
// CursorKey); adapters build their "after this row" condition from it.
type Cursor struct {
	Str    string // string sort key (SortName*)
	Int    int64  // integer sort key (times, versions)
	ID     string // the last row's id, the tie breaker
	Number int    // the page the cursor leads to, at least 1
}

// maxCursorLen bounds a sealed cursor, so that a hostile one costs little
// to reject. It is generous: a name sort key is a folded name, which no id
// limit bounds.
const maxCursorLen = 64 << 10

// cursorDomain starts the data every cursor is bound to, so that a change
// of format refuses old cursors.
const cursorDomain = "kyc storage cursor v1\x00"

// Kinds of walk a cursor belongs to, bound into it so that a history cursor
// is refused by a list and the other way round.
const (
	walkList     = 'L'
	walkHistory  = 'H'
	walkProfiles = 'W'
)

// binding is what a cursor is sealed for: the key and the authenticated
// data naming the walk, the tenant and the normalised query.
type binding struct {
	key *storage.CursorKey
	aad []byte
}

func newBinding(key *storage.CursorKey, walk byte, tenant string, query []byte) binding {
	aad := make([]byte, 0, len(cursorDomain)+1+binary.MaxVarintLen64+len(tenant)+len(query))
	aad = append(aad, cursorDomain...)
	aad = append(aad, walk)
	aad = appendString(aad, tenant)
	return binding{key: key, aad: append(aad, query...)}
}

// seal returns the cursor for c as an opaque URL-safe string.
func (b binding) seal(c Cursor) string {
	plain := appendPosition(make([]byte, 0, 64), c)
	plain = append(plain, make([]byte, paddedLen(len(plain))-len(plain))...)
	return base64.RawURLEncoding.EncodeToString(cursorkey.Seal(b.key, plain, b.aad))
}

// open returns the position sealed in s, or a *QueryError for the Cursor
// field: the same one whatever is wrong (a stranger's cursor, a tampered
// one, a truncated one), since AES-GCM cannot tell them apart and the
// caller's remedy is the same.
func (b binding) open(s string) (Cursor, error) {
	bad := &storage.QueryError{Field: "Cursor", Reason: "not a cursor of this query"}
	if len(s) > maxCursorLen {
		return Cursor{}, bad
	}
	// Only the encoding seal writes, so that no two strings open to the
	// same cursor: Strict refuses nonzero unused bits, the length check
	// the newlines the decoder skips.
	sealed, err := base64.RawURLEncoding.Strict().DecodeString(s)
	if err != nil || base64.RawURLEncoding.EncodedLen(len(sealed)) != len(s) {
		return Cursor{}, bad
	}
	plain, err := cursorkey.Open(b.key, sealed, b.aad)
	if err != nil {
		return Cursor{}, bad
	}
	c, ok := parsePosition(plain)
	if !ok || c.Number < 1 || c.ID == "" {
		return Cursor{}, bad
	}
	return c, nil
}

// paddedLen rounds a position's length up to a power of two, at least 64
// bytes, so that a cursor's length says nothing of the usual name and id
// lengths and little of unusual ones.
func paddedLen(n int) int {
	size := 64
	for size < n {
		size *= 2
	}
	return size
}

func appendPosition(b []byte, c Cursor) []byte {
	b = binary.AppendUvarint(b, uint64(c.Number))
	b = binary.AppendVarint(b, c.Int)
	b = appendString(b, c.Str)
	return appendString(b, c.ID)
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// parsePosition reads what appendPosition wrote and its zero padding, and
// nothing else.
func parsePosition(b []byte) (Cursor, bool) {
	var c Cursor
	n, k := binary.Uvarint(b)
	if k <= 0 || n > math.MaxInt {
		return c, false
	}
	c.Number, b = int(n), b[k:]
	i, k := binary.Varint(b)
	if k <= 0 {
		return c, false
	}
	c.Int, b = i, b[k:]
	var ok bool
	if c.Str, b, ok = readString(b); !ok {
		return c, false
	}
	if c.ID, b, ok = readString(b); !ok {
		return c, false
	}
	return c, !slices.ContainsFunc(b, func(z byte) bool { return z != 0 })
}

func readString(b []byte) (string, []byte, bool) {
	n, k := binary.Uvarint(b)
	if k <= 0 || n > uint64(len(b)-k) {
		return "", nil, false
	}
	b = b[k:]
	return string(b[:n]), b[n:], true
}
