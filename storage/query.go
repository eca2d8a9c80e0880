package storage

import (
	"cmp"
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
	SortNameAsc      Sort = "name" // by the folded name (see Fold)
	SortNameDesc     Sort = "-name"
	// SortCreatedAsc and SortCreatedDesc sort by a key that never changes,
	// so a cursor walk in these orders is stable under concurrent updates.
	SortCreatedAsc  Sort = "created_at"
	SortCreatedDesc Sort = "-created_at"
	// SortDue puts the profile due earliest first (Record.Due); profiles
	// with nothing due come last. A walk in this order sees a profile
	// again, or misses it, when a write moves its due moment meanwhile.
	SortDue Sort = "due"
)

// Desc reports whether the order is descending.
func (s Sort) Desc() bool { return strings.HasPrefix(string(s), "-") }

// Field returns the sorted field without the direction: "modified_at",
// "name", "created_at" or "due".
func (s Sort) Field() string { return strings.TrimPrefix(string(s), "-") }

func (s Sort) valid() bool {
	switch s {
	case SortModifiedDesc, SortModifiedAsc, SortNameAsc, SortNameDesc, SortCreatedAsc, SortCreatedDesc, SortDue:
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

	// ExternalRef and TaxPayerID select the profiles whose external_ref,
	// or tax_payer_id, is exactly this value (no folding): the lookups of
	// an import that recognises a customer it already holds. Both are
	// indexed on the SQL stores. They are personal data: a cursor seals
	// them like Text, and no error names them.
	ExternalRef string
	TaxPayerID  string

	CreatedFrom   profile.Timestamp
	CreatedUntil  profile.Timestamp
	ModifiedFrom  profile.Timestamp
	ModifiedUntil profile.Timestamp

	// DueBy selects the profiles due at or before it (Record.Due); a
	// profile with nothing due never matches. 0: no filter.
	DueBy profile.Timestamp

	// OnlyDue returns the page's due work (Page.Due) without its profiles
	// (Page.Profiles is empty): what a due list reads, without decoding a
	// profile it does not show. Rows, order and cursors are those of the
	// same query without it.
	OnlyDue bool

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

// Normalize checks q and fills its defaults: the sort, the page size,
// Text folded with Fold, and States and Risks sorted without repeats
// (copies: the caller's slices are left alone). A text that folds to
// nothing (only accents or control characters) is empty here; adapters
// call driver.PrepareList instead, which also opens the cursor and reports
// such a text as matching nothing.
func (q Query) Normalize() (Query, error) {
	q.Sort = cmp.Or(q.Sort, SortModifiedDesc)
	if !q.Sort.valid() {
		return q, &QueryError{Field: "Sort", Reason: "unknown sort"}
	}
	var err error
	if q.Size, err = checkPage(q.Size, q.Number); err != nil {
		return q, err
	}
	if err := checkFilters(q); err != nil {
		return q, err
	}
	q.States, q.Risks = sortedSet(q.States), sortedSet(q.Risks)
	q.Text = Fold(q.Text)
	return q, nil
}

// checkFilters bounds every filter of q (MaxFilterValues,
// MaxFilterValueBytes, MaxTextBytes) and refuses values no database can
// compare: not UTF-8, or holding NUL, which PostgreSQL text cannot.
func checkFilters(q Query) error {
	err := cmp.Or(
		checkValues("States", q.States),
		checkValues("Risks", q.Risks),
		checkValue("PersonType", string(q.PersonType), true),
		checkValue("Label", q.Label, true),
		checkValue("ExternalRef", q.ExternalRef, true),
		checkValue("TaxPayerID", q.TaxPayerID, true),
	)
	switch {
	case err != nil:
		return err
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

// Page is one page of profiles.
type Page struct {
	Profiles []*profile.Profile `json:"profiles"`
	// Due is the due work stored with each profile of the page, in the
	// same order.
	Due []Due `json:"due,omitempty"`
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

// Normalize checks q and fills its defaults, as driver.PrepareHistory does.
func (q HistoryQuery) Normalize() (HistoryQuery, error) {
	size, err := checkPage(q.Size, q.Number)
	q.Size = size
	return q, err
}

// DueKey is the key a store sorts and filters due work by: the due moment,
// or math.MaxInt64 when nothing is due, so that "due by T" is one range
// of an index and nothing due sorts last.
func DueKey(at profile.Timestamp) int64 {
	if at == 0 {
		return math.MaxInt64
	}
	return int64(at)
}

// DueOf is the inverse of DueKey.
func DueOf(key int64) profile.Timestamp {
	if key == math.MaxInt64 {
		return 0
	}
	return profile.Timestamp(key)
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
