package kyc

import (
	"maps"
	"slices"

	"github.com/kycsdk/kyc/profile"
)

// A system field is a fact the library computes or records: it changes
// only through the operation made for it, which writes who, when and why
// into the history entry. Update, Revert and Create never change one; an
// attempt is refused with a *ReadOnlyError naming every path, and nothing
// is stored.
type systemField struct {
	path string
	// same reports whether b holds the same value as a.
	same func(a, b *profile.Profile) bool
	// keep copies the field from src to dst.
	keep func(dst, src *profile.Profile)
	// operation is where the field changes; empty for bookkeeping that
	// every save sets.
	operation string
}

// systemFields is the table of the facts. transactional_profile_amount is
// a fact once assessed (transactional_profile_calculated_at set); before
// that it is the customer's declared amount.
var systemFieldTable = systemFields()

func systemFields() []systemField {
	return []systemField{
		{"id", func(a, b *profile.Profile) bool { return a.ID == b.ID }, func(d, s *profile.Profile) { d.ID = s.ID }, ""},
		{"version", func(a, b *profile.Profile) bool { return a.Version == b.Version }, func(d, s *profile.Profile) { d.Version = s.Version }, ""},
		{"state", func(a, b *profile.Profile) bool { return a.State == b.State }, func(d, s *profile.Profile) { d.State = s.State }, "Transition"},
		{"created_at", func(a, b *profile.Profile) bool { return a.CreatedAt == b.CreatedAt }, func(d, s *profile.Profile) { d.CreatedAt = s.CreatedAt }, ""},
		{"created_by", func(a, b *profile.Profile) bool { return a.CreatedBy == b.CreatedBy }, func(d, s *profile.Profile) { d.CreatedBy = s.CreatedBy }, ""},
		{"modified_at", func(a, b *profile.Profile) bool { return a.ModifiedAt == b.ModifiedAt }, func(d, s *profile.Profile) { d.ModifiedAt = s.ModifiedAt }, ""},
		{"modified_by", func(a, b *profile.Profile) bool { return a.ModifiedBy == b.ModifiedBy }, func(d, s *profile.Profile) { d.ModifiedBy = s.ModifiedBy }, ""},
		{"checks", func(a, b *profile.Profile) bool { return sameChecks(a.Checks, b.Checks) }, func(d, s *profile.Profile) { d.Checks = slices.Clone(s.Checks) }, "RecordCheckResult"},
		{"pending_reverification", func(a, b *profile.Profile) bool {
			return slices.Equal(a.PendingReverification, b.PendingReverification)
		}, func(d, s *profile.Profile) { d.PendingReverification = slices.Clone(s.PendingReverification) }, "ClearReverification"},
		{"risk", func(a, b *profile.Profile) bool { return a.Risk == b.Risk }, func(d, s *profile.Profile) { d.Risk = s.Risk }, "AssessRisk, InjectRisk"},
		{"risk_calculated_at", func(a, b *profile.Profile) bool { return a.RiskCalculatedAt == b.RiskCalculatedAt }, func(d, s *profile.Profile) { d.RiskCalculatedAt = s.RiskCalculatedAt }, "AssessRisk, InjectRisk"},
		{"transactional_profile_amount", sameAssessedAmount, keepAssessedAmount, "AssessRisk, Transactional"},
		{"transactional_profile_calculated_at", func(a, b *profile.Profile) bool {
			return a.TransactionalProfileCalculatedAt == b.TransactionalProfileCalculatedAt
		}, func(d, s *profile.Profile) { d.TransactionalProfileCalculatedAt = s.TransactionalProfileCalculatedAt }, "AssessRisk, Transactional"},
		{"blacklists_checked_at", func(a, b *profile.Profile) bool { return a.BlacklistsCheckedAt == b.BlacklistsCheckedAt }, func(d, s *profile.Profile) { d.BlacklistsCheckedAt = s.BlacklistsCheckedAt }, "RecordScreening"},
		{"blacklist_found", func(a, b *profile.Profile) bool { return maps.Equal(a.BlacklistFound, b.BlacklistFound) }, func(d, s *profile.Profile) { d.BlacklistFound = maps.Clone(s.BlacklistFound) }, "RecordScreening"},
		{"last_due_diligence_at", func(a, b *profile.Profile) bool { return a.LastDueDiligenceAt == b.LastDueDiligenceAt }, func(d, s *profile.Profile) { d.LastDueDiligenceAt = s.LastDueDiligenceAt }, "CompleteReview"},
		{"open_cases", func(a, b *profile.Profile) bool { return a.OpenCases == b.OpenCases }, func(d, s *profile.Profile) { d.OpenCases = s.OpenCases }, "OpenCase, CloseCase"},
		{"entity_profile", func(a, b *profile.Profile) bool { return a.EntityProfile == b.EntityProfile }, func(d, s *profile.Profile) { d.EntityProfile = s.EntityProfile }, "AssignEntityProfile"},
		{"verified_at", func(a, b *profile.Profile) bool { return a.VerifiedAt == b.VerifiedAt }, func(d, s *profile.Profile) { d.VerifiedAt = s.VerifiedAt }, "Transition"},
	}
}

// SystemField describes one field the library owns: its JSON path and the
// Service operations that change it (empty for the bookkeeping every save
// sets: id, version, created_*, modified_*).
type SystemField struct {
	Path       string
	Operations string
}

// SystemFields returns the fields the library owns, in the order of the
// profile's JSON. Update, Revert and Create refuse to change them; Import
// brings them in from another system and records that it did.
func SystemFields() []SystemField {
	fs := systemFieldTable
	out := make([]SystemField, len(fs))
	for i, f := range fs {
		out[i] = SystemField{Path: f.path, Operations: f.operation}
	}
	return out
}

func sameChecks(a, b []profile.Check) bool {
	return slices.EqualFunc(a, b, func(x, y profile.Check) bool {
		return x.ID == y.ID && x.Type == y.Type && x.Outcome == y.Outcome && slices.Equal(x.Matched, y.Matched) &&
			x.Source == y.Source && x.PerformedAt == y.PerformedAt && x.ExpiresAt == y.ExpiresAt && x.EntityProfile == y.EntityProfile
	})
}

func assessed(p *profile.Profile) bool { return p.TransactionalProfileCalculatedAt != 0 }

// sameAssessedAmount compares the amount only where a is assessed: a
// declared amount is customer data that Update may change.
func sameAssessedAmount(a, b *profile.Profile) bool {
	if !assessed(a) {
		return true
	}
	return equalInt64(a.TransactionalProfileAmount, b.TransactionalProfileAmount)
}

func keepAssessedAmount(d, s *profile.Profile) {
	if !assessed(s) {
		return
	}
	d.TransactionalProfileAmount = cloneInt64(s.TransactionalProfileAmount)
}

func equalInt64(a, b *int64) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

func cloneInt64(p *int64) *int64 {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

// changedSystemFields names the system fields in which next differs from
// prev.
func changedSystemFields(prev, next *profile.Profile) []string {
	var paths []string
	for _, f := range systemFieldTable {
		if !f.same(prev, next) {
			paths = append(paths, f.path)
		}
	}
	return paths
}

// keepSystemFields copies every system field from src to dst, so that what
// a save writes holds the stored facts whatever dst carried.
func keepSystemFields(dst, src *profile.Profile) {
	for _, f := range systemFieldTable {
		f.keep(dst, src)
	}
}

// presetSystemFields names the facts a new profile p already carries.
// id is the caller's to choose and entity_profile an initial assignment
// (checked against the registry), so neither is listed.
func presetSystemFields(p *profile.Profile) []string {
	var zero profile.Profile
	zero.ID, zero.EntityProfile = p.ID, p.EntityProfile
	return changedSystemFields(&zero, p)
}
