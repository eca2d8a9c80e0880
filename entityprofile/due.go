package entityprofile

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/kycsdk/kyc/profile"
)

// DueKind says why a profile needs re-verification.
type DueKind uint8

// Reasons for ongoing due diligence.
const (
	// DueResult: the latest result of a check type the profile needs
	// expires (or has expired) by the date.
	DueResult DueKind = iota + 1
	// DueDocument: an identity document expires (or has expired) by the
	// date.
	DueDocument
	// DuePending: a change the field-change rules flagged awaits
	// re-verification; it is due at once.
	DuePending
)

// String returns "result expiring", "document expiring" or "pending
// re-verification".
func (k DueKind) String() string { return textOf(dueKindTexts, k) }

// Due is a profile that needs re-verification by the date asked about, with
// every reason.
type Due struct {
	ProfileID string `json:"profile_id"`
	// By is the earliest instant among the reasons; 0 means at once.
	By      profile.Timestamp `json:"by"`
	Reasons []DueReason       `json:"reasons"`
}

// DueReason is one reason a profile is due. Path is the JSON path of the
// document or of the flagged field ("identity_documents[0]", "addresses");
// Type and CheckID name the expiring result. None carries personal data.
type DueReason struct {
	Kind    DueKind `json:"kind"`
	Type    string  `json:"type"`
	CheckID string  `json:"check_id"`
	Path    string  `json:"path"`
	// At is when the result or document expires; 0 for a pending flag.
	At profile.Timestamp `json:"at"`
}

// DueBy lists the profiles that need re-verification by date, earliest
// first (then by profile id), with the reasons: a result of a check type
// the profile needs expiring under the ageing in force, an identity document
// expiring, a field change pending re-verification. The check types a
// profile needs are those of its entity profile at its risk level; under
// `none`, every type it holds a result of. A profile whose assignment cannot
// be resolved is left out and its error, naming the profile id, is joined
// into the error returned beside the list of the others.
func (r *Registry) DueBy(profiles []*profile.Profile, date time.Time) ([]Due, error) {
	at := profile.TimestampOf(date)
	var (
		chunks  [][]Due
		errs    []error
		reasons []DueReason
	)
	for i, p := range profiles {
		if p == nil {
			errs = append(errs, fmt.Errorf("profile at index %d: %w", i, ErrNilProfile))
			continue
		}
		// Reasons and dues fill fixed-size chunks, never regrown: growing
		// one slice of a large portfolio would copy it over and over.
		if cap(reasons)-len(reasons) < minReasonRoom {
			reasons = make([]DueReason, 0, chunkLen(len(profiles)-i, minReasonRoom))
		}
		start := len(reasons)
		var err error
		reasons, err = r.due(p, at, reasons)
		if err != nil {
			errs = append(errs, fmt.Errorf("profile %s: %w", p.ID, err))
			continue
		}
		if len(reasons) == start {
			continue
		}
		rs := reasons[start:len(reasons):len(reasons)]
		chunks = appendChunked(chunks, Due{ProfileID: p.ID, By: earliest(rs), Reasons: rs}, len(profiles)-i)
	}
	return sortDues(chunks), errors.Join(errs...)
}

// dueKey orders dues without moving them: sorting small keys free of
// pointers is several times cheaper than sorting the dues themselves.
type dueKey struct {
	by    profile.Timestamp
	chunk int32
	i     int32
}

// sortDues returns the dues of chunks in one slice, earliest first, then by
// profile id.
func sortDues(chunks [][]Due) []Due {
	n := 0
	for _, chunk := range chunks {
		n += len(chunk)
	}
	if n == 0 {
		return nil
	}
	keys := make([]dueKey, 0, n)
	for c, chunk := range chunks {
		for i := range chunk {
			keys = append(keys, dueKey{by: chunk[i].By, chunk: int32(c), i: int32(i)})
		}
	}
	id := func(k dueKey) string { return chunks[k.chunk][k.i].ProfileID }
	slices.SortFunc(keys, func(a, b dueKey) int {
		if c := cmp.Compare(a.by, b.by); c != 0 {
			return c
		}
		return strings.Compare(id(a), id(b))
	})
	out := make([]Due, n)
	for n, k := range keys {
		out[n] = chunks[k.chunk][k.i]
	}
	return out
}

// chunkSize is the length of the chunks DueBy fills; minReasonRoom is the
// room left in a chunk of reasons below which a new one is started (a
// profile with more reasons than that regrows the chunk once).
const (
	chunkSize     = 4096
	minReasonRoom = 16
)

func appendChunked(chunks [][]Due, d Due, left int) [][]Due {
	if n := len(chunks); n == 0 || len(chunks[n-1]) == cap(chunks[n-1]) {
		chunks = append(chunks, make([]Due, 0, chunkLen(left, 1)))
	}
	last := &chunks[len(chunks)-1]
	*last = append(*last, d)
	return chunks
}

// chunkLen is the length of a new chunk when left profiles remain, each
// needing about per entries: a whole chunk for a portfolio, no more than
// the profiles need for a few, so that the due work of one profile (each
// commit's, in the service) does not allocate a portfolio's chunk (266 KB).
func chunkLen(left, per int) int {
	return min(chunkSize, max(minReasonRoom, left*per))
}

// due appends p's reasons to rs.
func (r *Registry) due(p *profile.Profile, at profile.Timestamp, rs []DueReason) ([]DueReason, error) {
	vw, err := r.assigned(p)
	if err != nil {
		return rs, err
	}
	var buf stateBuf
	a := assessment{r: r, p: p, vw: vw, now: at, st: states(&buf, len(r.types))}
	a.scan()
	for _, path := range p.PendingReverification {
		rs = append(rs, DueReason{Kind: DuePending, Path: path})
	}
	rs = a.dueResults(rs)
	return dueDocuments(rs, p.IdentityDocuments, at), nil
}

// dueResults adds the required types whose latest result is no longer valid
// at the date. Under `none` nothing is required, so every type with a
// result counts.
func (a *assessment) dueResults(rs []DueReason) []DueReason {
	if a.vw.recipe == "" {
		for idx := range a.r.types {
			rs = a.dueType(rs, idx)
		}
		return rs
	}
	for _, idx := range a.vw.required {
		rs = a.dueType(rs, idx)
	}
	return rs
}

func (a *assessment) dueType(rs []DueReason, idx int) []DueReason {
	if a.st[idx].valid >= 0 || a.st[idx].expired < 0 {
		return rs
	}
	c := &a.p.Checks[a.st[idx].expired]
	return append(rs, DueReason{Kind: DueResult, Type: c.Type, CheckID: c.ID, At: a.st[idx].expiredAt})
}

func dueDocuments(rs []DueReason, docs []profile.IdentityDocument, at profile.Timestamp) []DueReason {
	for i := range docs {
		end, expires := documentEnd(docs[i])
		if !expires || end > at {
			continue
		}
		rs = append(rs, DueReason{Kind: DueDocument, Path: documentPath(i), At: end})
	}
	return rs
}

// documentIndexPaths are the paths of the first documents, built once.
var documentIndexPaths = [...]string{
	"identity_documents[0]", "identity_documents[1]", "identity_documents[2]", "identity_documents[3]",
}

func documentPath(i int) string {
	if i < len(documentIndexPaths) {
		return documentIndexPaths[i]
	}
	return "identity_documents[" + strconv.Itoa(i) + "]"
}

func earliest(rs []DueReason) profile.Timestamp {
	if len(rs) == 0 {
		return 0
	}
	by := rs[0].At
	for _, r := range rs[1:] {
		by = min(by, r.At)
	}
	return by
}
