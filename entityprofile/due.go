package entityprofile

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strconv"
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
func (k DueKind) String() string {
	switch k {
	case DueResult:
		return "result expiring"
	case DueDocument:
		return "document expiring"
	case DuePending:
		return "pending re-verification"
	}
	return "unknown"
}

// Due is a profile that needs re-verification by the date asked about, with
// every reason.
type Due struct {
	ProfileID string
	// By is the earliest instant among the reasons; 0 means at once.
	By      profile.Timestamp
	Reasons []DueReason
}

// DueReason is one reason a profile is due. Path is the JSON path of the
// document or of the flagged field ("identity_documents[0]", "addresses");
// Type and CheckID name the expiring result. None carries personal data.
type DueReason struct {
	Kind    DueKind
	Type    string
	CheckID string
	Path    string
	// At is when the result or document expires; 0 for a pending flag.
	At profile.Timestamp
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
	var out []Due
	var errs []error
	for _, p := range profiles {
		d, err := r.due(p, at)
		if err != nil {
			errs = append(errs, fmt.Errorf("profile %s: %w", p.ID, err))
			continue
		}
		if len(d.Reasons) > 0 {
			out = append(out, d)
		}
	}
	slices.SortFunc(out, func(a, b Due) int {
		return cmp.Or(cmp.Compare(a.By, b.By), cmp.Compare(a.ProfileID, b.ProfileID))
	})
	return out, errors.Join(errs...)
}

func (r *Registry) due(p *profile.Profile, at profile.Timestamp) (Due, error) {
	vw, err := r.assigned(p)
	if err != nil {
		return Due{}, err
	}
	if vw == nil {
		vw = &r.defaults
	}
	var a assessment
	a.init(r, p, vw, at)
	d := Due{ProfileID: p.ID}
	for _, path := range p.PendingReverification {
		d.Reasons = append(d.Reasons, DueReason{Kind: DuePending, Path: path})
	}
	a.dueResults(&d)
	dueDocuments(&d, p.IdentityDocuments, at)
	d.By = earliest(d.Reasons)
	return d, nil
}

// dueResults adds the required types whose latest result is no longer valid
// at the date. Under `none` nothing is required, so every type with a
// result counts.
func (a *assessment) dueResults(d *Due) {
	if a.vw.recipe == "" {
		for idx := range a.r.types {
			a.dueType(d, idx)
		}
		return
	}
	for _, idx := range a.vw.required {
		a.dueType(d, idx)
	}
}

func (a *assessment) dueType(d *Due, idx int) {
	if a.valid[idx] >= 0 || a.expired[idx] < 0 {
		return
	}
	c := &a.p.Checks[a.expired[idx]]
	d.Reasons = append(d.Reasons, DueReason{Kind: DueResult, Type: c.Type, CheckID: c.ID, At: a.expiredAt[idx]})
}

func dueDocuments(d *Due, docs []profile.IdentityDocument, at profile.Timestamp) {
	for i := range docs {
		end := documentEnd(docs[i])
		if end == 0 || end > at {
			continue
		}
		d.Reasons = append(d.Reasons, DueReason{Kind: DueDocument, Path: "identity_documents[" + strconv.Itoa(i) + "]", At: end})
	}
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
