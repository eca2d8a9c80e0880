package storage

import (
	"fmt"
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
)

// Sort is the order of a profile list. Every order breaks ties by profile
// id, so that it is total and a keyset cursor never skips or repeats a row.
type Sort string

// The supported orders. A leading "-" means descending.
const (
	SortModifiedDesc Sort = "-modified_at" // the default: most recently changed first
	SortModifiedAsc  Sort = "modified_at"
	SortNameAsc      Sort = "name" // by the folded name (see Fold)
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
type Query struct {
	States     []string           // any of these states
	Risks      []string           // any of these risk levels
	PersonType profile.PersonType // natural_person or legal_person
	Label      string             // profiles carrying this label

	CreatedFrom   profile.Timestamp
	CreatedUntil  profile.Timestamp
	ModifiedFrom  profile.Timestamp
	ModifiedUntil profile.Timestamp

	// Text matches a substring of the name, the tax payer id or the external
	// reference, ignoring case and accents ("ozel" finds "Özel").
	Text string

	Sort Sort // default SortModifiedDesc

	// Size is the page size (default DefaultPageSize, at most MaxPageSize).
	Size int
	// Number is the zero-based page number (seed 002), used when Cursor is
	// empty. Deep pages by number cost more than pages by cursor.
	Number int
	// Cursor continues a walk from the NextCursor of an earlier page of the
	// same query (same filters and sort). A walk by cursor returns every
	// profile that matches throughout the walk exactly once, even while
	// others write, provided its sort key does not change meanwhile.
	Cursor string
}

// Normalize checks q and fills its defaults: the sort, the page size, and
// Text folded with Fold. Adapters call it first.
func (q Query) Normalize() (Query, error) {
	if q.Sort == "" {
		q.Sort = SortModifiedDesc
	}
	if !q.Sort.valid() {
		return q, fmt.Errorf("%w: unknown sort", ErrInvalid)
	}
	size, err := pageSize(q.Size, q.Number)
	if err != nil {
		return q, err
	}
	q.Size = size
	if len(q.Text) > MaxTextBytes || !utf8.ValidString(q.Text) {
		return q, fmt.Errorf("%w: text filter too long or not UTF-8", ErrInvalid)
	}
	q.Text = Fold(q.Text)
	if slices.Contains(q.States, "") || slices.Contains(q.Risks, "") {
		return q, fmt.Errorf("%w: empty state or risk filter", ErrInvalid)
	}
	return q, nil
}

func pageSize(size, number int) (int, error) {
	if size < 0 || size > MaxPageSize {
		return 0, fmt.Errorf("%w: page size out of range", ErrInvalid)
	}
	if number < 0 {
		return 0, fmt.Errorf("%w: negative page number", ErrInvalid)
	}
	if size == 0 {
		size = DefaultPageSize
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
	Size        int // default DefaultPageSize, at most MaxPageSize
	Number      int // zero-based page number, used when Cursor is empty
	Cursor      string
}

// Normalize checks q and fills its defaults.
func (q HistoryQuery) Normalize() (HistoryQuery, error) {
	size, err := pageSize(q.Size, q.Number)
	if err != nil {
		return q, err
	}
	q.Size = size
	return q, nil
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

// NameKey returns the key SortNameAsc and SortNameDesc order by.
func NameKey(p *profile.Profile) string { return Fold(p.Name) }

// ListRequest is a ListProfiles call checked and decoded for an adapter: the
// normalised query, its fingerprint and, when the call continues a walk,
// the decoded cursor.
type ListRequest struct {
	Query       Query
	Fingerprint uint64
	Cursor      *Cursor
}

// PrepareList checks the tenant, normalises q and decodes its cursor, so
// that every adapter accepts and refuses exactly the same list calls. The
// error is wrapped for the "list profiles" operation.
func PrepareList(tenant string, q Query) (ListRequest, error) {
	const op = "list profiles"
	if err := CheckID("tenant", tenant); err != nil {
		return ListRequest{}, Wrap(op, "", err)
	}
	q, err := q.Normalize()
	if err != nil {
		return ListRequest{}, Wrap(op, "", err)
	}
	req := ListRequest{Query: q, Fingerprint: q.Fingerprint()}
	if q.Cursor != "" {
		c, err := DecodeCursor(q.Cursor, q.Sort, req.Fingerprint)
		if err != nil {
			return ListRequest{}, Wrap(op, "", err)
		}
		req.Cursor = &c
	}
	return req, nil
}

// HistoryRequest is a History call checked and decoded for an adapter: the
// normalised query, its fingerprint and, when the call continues a walk,
// the decoded cursor.
type HistoryRequest struct {
	Query       HistoryQuery
	Fingerprint uint64
	Cursor      *Cursor
}

// PrepareHistory checks the tenant and profile id, normalises q and decodes
// its cursor, so that every adapter accepts and refuses exactly the same
// history calls. The error is wrapped for the "history" operation.
func PrepareHistory(tenant, id string, q HistoryQuery) (HistoryRequest, error) {
	const op = "history"
	if err := CheckIDs(tenant, id); err != nil {
		return HistoryRequest{}, Wrap(op, id, err)
	}
	q, err := q.Normalize()
	if err != nil {
		return HistoryRequest{}, Wrap(op, id, err)
	}
	req := HistoryRequest{Query: q, Fingerprint: q.Fingerprint(id)}
	if q.Cursor != "" {
		c, err := DecodeCursor(q.Cursor, q.HistorySort(), req.Fingerprint)
		if err != nil {
			return HistoryRequest{}, Wrap(op, id, err)
		}
		req.Cursor = &c
	}
	return req, nil
}
