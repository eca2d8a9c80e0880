package storage

import (
	"cmp"
	"encoding/binary"
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"

	"github.com/kycsdk/kyc/history"
	"github.com/kycsdk/kyc/profile"
)

// Page sizes. The default is the page size of seed 002's list example.
const (
	DefaultPageSize = 20
	MaxPageSize     = 1000
	// MaxTextBytes bounds Query.Text.
	MaxTextBytes = 256
	// MaxFilterValues bounds each list filter of a Query (States,
	// Risks). Beyond a statement's parameter limit (SQLite 32,766,
	// PostgreSQL 65,535) the cost decides: SQLite looks each $n parameter
	// up among the earlier ones, so a list of 1,000 states and 1,000 risks
	// took 228 ms on SQLite, 100 and 100 take 1.6 ms, about a list's own
	// cost. A workflow has a few states and a matrix a few levels.
	MaxFilterValues = 100
	// MaxFilterValueBytes bounds each value of a filter (a state, a risk
	// level, the label, the person type).
	MaxFilterValueBytes = 256
)

// Sort is the order of a profile list. Every order breaks ties by profile
// id, so that it is total and a keyset cursor never skips or repeats a row.
type Sort string

// The supported orders. A leading "-" means descending.
const (
	SortModifiedDesc Sort = "-modified_at" // the default: most recently changed first
	SortModifiedAsc  Sort = "modified_at"
	SortNameAsc      Sort = "name" // by the folded name (see Fold and NameKey)
	SortNameDesc     Sort = "-name"
	// SortCreatedAsc and SortCreatedDesc sort by a key that never changes,
	// so a cursor walk in these orders is stable under concurrent updates.
	SortCreatedAsc  Sort = "created_at"
	SortCreatedDesc Sort = "-created_at"
)

// Desc reports whether the order is descending.
func (s Sort) Desc() bool { return strings.HasPrefix(string(s), "-") }

// Field returns the sorted field without the direction: "modified_at",
// "name" or "created_at".
func (s Sort) Field() string { return strings.TrimPrefix(string(s), "-") }

func (s Sort) valid() bool {
	switch s {
	case SortModifiedDesc, SortModifiedAsc, SortNameAsc, SortNameDesc, SortCreatedAsc, SortCreatedDesc:
		return true
	}
	return false
}

// Query selects and orders profiles for ListProfiles. Zero values mean "no
// filter"; all the filters given must match. Time ranges are [From, Until).
//
// Filters are bounded the same on every Store: at most MaxFilterValues
// states and as many risks, each value and the label and person type at
// most MaxFilterValueBytes of UTF-8 without NUL, the text at most
// MaxTextBytes. Beyond that ListProfiles fails with a *QueryError naming
// the field (errors.Is ErrInvalid).
type Query struct {
	States     []string           // any of these states (order and repeats do not matter)
	Risks      []string           // any of these risk levels
	PersonType profile.PersonType // natural_person or legal_person
	Label      string             // profiles carrying this label

	CreatedFrom   profile.Timestamp
	CreatedUntil  profile.Timestamp
	ModifiedFrom  profile.Timestamp
	ModifiedUntil profile.Timestamp

	// Text matches a substring of the name, the tax payer id or the external
	// reference, ignoring case and accents ("ozel" finds "Özel"): Fold of
	// the text is looked for in Fold of each field. A text that folds to
	// nothing (only accents or control characters) matches no profile.
	Text string

	Sort Sort // default SortModifiedDesc

	// Size is the page size (default DefaultPageSize, at most MaxPageSize).
	Size int
	// Number is the zero-based page number (seed 002), used when Cursor is
	// empty. Deep pages by number cost more than pages by cursor. A page
	// beyond the last is empty; a number whose page would end beyond
	// math.MaxInt rows, (Number+1)*Size+1 > math.MaxInt, is refused.
	Number int
	// Cursor continues a walk from the NextCursor of an earlier page of the
	// same query (same filters and sort) in the same tenant. A walk by
	// cursor returns every profile that matches throughout the walk exactly
	// once, even while others write, provided its sort key does not change
	// meanwhile. A cursor is opaque and sealed: used anywhere else it fails
	// with a *QueryError for Cursor (see the package documentation).
	Cursor string
}

// Normalize checks q and fills its defaults: the sort, the page size, Text
// folded with Fold, States and Risks sorted without repeats. Adapters call
// PrepareList instead, which also opens the cursor and reports a text that
// folds to nothing (an empty Text here) as matching nothing.
func (q Query) Normalize() (Query, error) {
	q, _, err := q.normalize()
	return q, err
}

// normalize checks q and fills its defaults: the sort, the page size,
// Text folded with Fold, and States and Risks sorted without duplicates
// (copies: the caller's slices are left alone). nothing reports a text
// filter that folds to the empty string, which matches no profile.
func (q Query) normalize() (_ Query, nothing bool, err error) {
	q.Sort = cmp.Or(q.Sort, SortModifiedDesc)
	if !q.Sort.valid() {
		return q, false, &QueryError{Field: "Sort", Reason: "unknown sort"}
	}
	if q.Size, err = checkPage(q.Size, q.Number); err != nil {
		return q, false, err
	}
	if err := checkFilters(q); err != nil {
		return q, false, err
	}
	q.States, q.Risks = sortedSet(q.States), sortedSet(q.Risks)
	folded := Fold(q.Text)
	nothing = q.Text != "" && folded == ""
	q.Text = folded
	return q, nothing, nil
}

// checkFilters bounds every filter of q (MaxFilterValues,
// MaxFilterValueBytes, MaxTextBytes) and refuses values no database can
// compare: not UTF-8, or holding NUL, which PostgreSQL text cannot.
func checkFilters(q Query) error {
	if err := checkValues("States", q.States); err != nil {
		return err
	}
	if err := checkValues("Risks", q.Risks); err != nil {
		return err
	}
	if err := checkValue("PersonType", string(q.PersonType), true); err != nil {
		return err
	}
	if err := checkValue("Label", q.Label, true); err != nil {
		return err
	}
	switch {
	case len(q.Text) > MaxTextBytes:
		return &QueryError{Field: "Text", Reason: fmt.Sprintf("over %d bytes", MaxTextBytes)}
	case !utf8.ValidString(q.Text):
		return &QueryError{Field: "Text", Reason: "not UTF-8"}
	}
	return nil
}

func checkValues(field string, values []string) error {
	if len(values) > MaxFilterValues {
		return &QueryError{Field: field, Reason: fmt.Sprintf("%d values, limit %d", len(values), MaxFilterValues)}
	}
	for _, v := range values {
		if err := checkValue(field, v, false); err != nil {
			return err
		}
	}
	return nil
}

// checkValue checks one filter value; an empty one is "no filter" where
// empty is allowed, and a mistake inside a list.
func checkValue(field, v string, emptyOK bool) error {
	switch {
	case v == "" && !emptyOK:
		return &QueryError{Field: field, Reason: "empty value"}
	case len(v) > MaxFilterValueBytes:
		return &QueryError{Field: field, Reason: fmt.Sprintf("value over %d bytes", MaxFilterValueBytes)}
	case !utf8.ValidString(v):
		return &QueryError{Field: field, Reason: "value not UTF-8"}
	case strings.IndexByte(v, 0) >= 0:
		return &QueryError{Field: field, Reason: "NUL in value"}
	}
	return nil
}

// sortedSet returns a sorted copy of values without duplicates, nil for
// none: the same filter whatever order the caller gave, and one bound
// parameter per distinct value.
func sortedSet(values []string) []string {
	if len(values) == 0 {
		return nil
	}
	out := slices.Clone(values)
	slices.Sort(out)
	return slices.Compact(out)
}

// checkPage checks a page size and number and returns the size with its
// default. The page must end, with the one row adapters read ahead to
// learn whether another page follows, within an int: a larger number would
// overflow Number*Size.
func checkPage(size, number int) (int, error) {
	if size < 0 || size > MaxPageSize {
		return 0, &QueryError{Field: "Size", Reason: fmt.Sprintf("not between 0 and %d", MaxPageSize)}
	}
	size = cmp.Or(size, DefaultPageSize)
	if number < 0 {
		return 0, &QueryError{Field: "Number", Reason: "negative"}
	}
	if number > (math.MaxInt-1)/size-1 {
		return 0, &QueryError{Field: "Number", Reason: "page offset out of range"}
	}
	return size, nil
}

// PageInfo is the page metadata of seed 002 (size, totalElements,
// totalPages, number) plus the keyset cursor of the next page, empty on the
// last page.
type PageInfo struct {
	Size          int    `json:"size"`
	TotalElements int    `json:"totalElements"`
	TotalPages    int    `json:"totalPages"`
	Number        int    `json:"number"`
	NextCursor    string `json:"nextCursor,omitempty"`
}

// NewPageInfo returns the metadata of page number of size rows out of total.
func NewPageInfo(size, number, total int) PageInfo {
	pages := 0
	if size > 0 {
		pages = (total + size - 1) / size
	}
	return PageInfo{Size: size, TotalElements: total, TotalPages: pages, Number: number}
}

// Page is one page of profiles.
type Page struct {
	Profiles []*profile.Profile `json:"profiles"`
	PageInfo
}

// HistoryQuery pages through the entries of one profile, ordered by
// version.
type HistoryQuery struct {
	NewestFirst bool
	Size        int    // default DefaultPageSize, at most MaxPageSize
	Number      int    // zero-based page number, used when Cursor is empty; bounded as Query.Number
	Cursor      string // the NextCursor of an earlier page of the same profile, order and tenant
}

// Normalize checks q and fills its defaults, as PrepareHistory does.
func (q HistoryQuery) Normalize() (HistoryQuery, error) {
	size, err := checkPage(q.Size, q.Number)
	q.Size = size
	return q, err
}

// HistoryPage is one page of history entries.
type HistoryPage struct {
	Entries []history.Entry `json:"entries"`
	PageInfo
}

// Fold returns s in the form text filters compare: case-folded, without
// accents (NFD, combining marks removed) and without control characters, so
// that "ÖZEL" and "ozel" match. Adapters store Fold of the name, the tax
// payer id and the external reference, and compare with Fold of Query.Text.
func Fold(s string) string {
	if folded, ok := foldASCII(s); ok {
		return folded
	}
	return foldUnicode(s)
}

// foldASCII is Fold for the common all-ASCII text, where NFD and NFC change
// nothing, there are no combining marks and case folding is lowering A-Z:
// a tenth of the general path's time, which every profile write pays.
func foldASCII(s string) (string, bool) {
	clean := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			return "", false
		}
		clean = clean && !('A' <= c && c <= 'Z') && !isASCIIControl(c)
	}
	if clean {
		return s, true
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case isASCIIControl(c):
		case 'A' <= c && c <= 'Z':
			b = append(b, c+'a'-'A')
		default:
			b = append(b, c)
		}
	}
	return string(b), true
}

func isASCIIControl(c byte) bool { return c < 0x20 || c == 0x7f }

// foldUnicode is the general Fold.
func foldUnicode(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range norm.NFD.String(s) {
		if unicode.Is(unicode.Mn, r) || unicode.IsControl(r) {
			continue
		}
		b.WriteRune(r)
	}
	// A Caser keeps state, so each call takes its own (x/text/cases docs).
	return norm.NFC.String(strings.Map(cherokeeCapital, cases.Fold().String(b.String())))
}

// cherokeeCapital maps the Cherokee small letters to their capitals, as
// Unicode's CaseFolding.txt folds them. x/text/cases folds a capital to its
// small letter and the small letter to its capital, so that Fold swapped
// "ꮄ" and "Ꮄ" on every pass instead of giving both one form.
func cherokeeCapital(r rune) rune {
	switch {
	case 0xAB70 <= r && r <= 0xABBF:
		return r - 0xAB70 + 0x13A0
	case 0x13F8 <= r && r <= 0x13FD:
		return r - 0x13F8 + 0x13F0
	}
	return r
}

// SearchText returns the folded text a Query.Text filter is matched against:
// the folded name, tax payer id and external reference, separated by a
// newline (which Fold removes from the filter, so a match never spans two
// fields).
func SearchText(p *profile.Profile) string {
	return Fold(p.Name) + "\n" + Fold(p.TaxPayerID) + "\n" + Fold(p.ExternalRef)
}

// MaxNameKeyBytes bounds NameKey. No real name comes near it; a longer one
// would make every cursor after it as long (cursors hold the key), and
// PostgreSQL refuses an index entry over 8 KB, so such a profile could not
// be stored there at all.
const MaxNameKeyBytes = 1024

// NameKey returns the key SortNameAsc and SortNameDesc order by: the
// folded name, cut to its first MaxNameKeyBytes bytes at a character
// boundary. Names that agree that far are ordered by id, as ties are.
func NameKey(p *profile.Profile) string {
	key := Fold(p.Name)
	if len(key) <= MaxNameKeyBytes {
		return key
	}
	cut := MaxNameKeyBytes
	for cut > 0 && !utf8.RuneStart(key[cut]) {
		cut--
	}
	return key[:cut]
}

// ListRequest is a ListProfiles call checked and decoded for an adapter:
// the normalised query and, when the call continues a walk, the position
// its cursor holds.
type ListRequest struct {
	Query  Query
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
func PrepareList(key *CursorKey, tenant string, q Query) (ListRequest, error) {
	const op = "list profiles"
	if err := CheckID("tenant", tenant); err != nil {
		return ListRequest{}, Wrap(op, "", err)
	}
	q, nothing, err := q.normalize()
	if err != nil {
		return ListRequest{}, Wrap(op, "", err)
	}
	// The text of a query matching nothing is empty once folded, as a
	// query without text is; the flag keeps their cursors apart.
	query := append(q.appendBinding(nil), boolByte(nothing))
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

// appendBinding appends what identifies the normalised query's filters and
// order (not its page size or position) to b, each field length-prefixed
// so that no two queries share an encoding.
func (q Query) appendBinding(b []byte) []byte {
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
	return b
}

func boolByte(b bool) byte {
	if b {
		return 1
	}
	return 0
}

func mustKey(key *CursorKey) *CursorKey {
	if key == nil {
		panic("storage: an adapter prepared a query without a CursorKey")
	}
	return key
}

// HistoryRequest is a History call checked and decoded for an adapter: the
// normalised query and, when the call continues a walk, the position its
// cursor holds.
type HistoryRequest struct {
	Query  HistoryQuery
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
func PrepareHistory(key *CursorKey, tenant, id string, q HistoryQuery) (HistoryRequest, error) {
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
