package entityprofile

import (
	"slices"
	"time"

	"github.com/kycsdk/kyc/profile"
)

// Result is the outcome of one check as the verification service returned
// it, before it is recorded on a profile.
type Result struct {
	// ID identifies the result (a record id, not personal data).
	ID   string
	Type string
	// Outcome is profile.OutcomePass, OutcomeFail or OutcomePartial.
	Outcome string
	// Matched lists the fields the check matched (profile.MatchName,
	// MatchAddress, MatchDOB); a failed check matches none.
	Matched     []string
	Source      string
	PerformedAt time.Time
}

// Record checks res, turns it into a profile.Check whose ExpiresAt follows
// the ageing rules in force for p (the assigned entity profile at p's risk
// level, or the check type's own under `none`), appends it to p.Checks and
// returns it. ExpiresAt is 0 when the result never expires, and the
// performed time itself when it is expired at once: a result aged by the
// identity document, recorded while p holds no valid document, verified
// nothing that lasts (seed 001, "until the identity document expires").
// Record does not
// clear p.PendingReverification: the caller does, once the plan's checks
// have all been recorded.
func (r *Registry) Record(p *profile.Profile, res Result) (profile.Check, error) {
	vw, err := r.assigned(p)
	if err != nil {
		return profile.Check{}, err
	}
	idx, err := r.checkResult(res)
	if err != nil {
		return profile.Check{}, err
	}
	performed := profile.TimestampOf(res.PerformedAt)
	c := profile.Check{
		ID:            res.ID,
		Type:          res.Type,
		Outcome:       res.Outcome,
		Matched:       slices.Clone(res.Matched),
		Source:        res.Source,
		PerformedAt:   performed,
		ExpiresAt:     vw.ageing[idx].expiry(performed, p.IdentityDocuments),
		EntityProfile: vw.recipe,
	}
	p.Checks = append(p.Checks, c)
	return c, nil
}

func (r *Registry) checkResult(res Result) (int, error) {
	idx, ok := r.typeIndex[res.Type]
	switch {
	case res.ID == "":
		return 0, &ResultError{Field: "id", Reason: "empty"}
	case !ok:
		return 0, &ResultError{Field: "type", Reason: "unknown check type"}
	case res.PerformedAt.IsZero():
		return 0, &ResultError{Field: "performed_at", Reason: "not set"}
	}
	switch res.Outcome {
	case profile.OutcomePass, profile.OutcomePartial:
	case profile.OutcomeFail:
		if len(res.Matched) > 0 {
			return 0, &ResultError{Field: "matched", Reason: "a failed check matches no field"}
		}
	default:
		return 0, &ResultError{Field: "outcome", Reason: "not pass, fail or partial"}
	}
	return idx, r.checkMatched(idx, res.Matched)
}

func (r *Registry) checkMatched(idx int, matched []string) error {
	var seen fields
	for _, f := range matched {
		bit, ok := fieldOf(f)
		switch {
		case !ok:
			return &ResultError{Field: "matched", Reason: "unknown field (want name, address or dob)"}
		case r.types[idx].matches&bit == 0:
			return &ResultError{Field: "matched", Reason: "the check type cannot match " + f}
		case seen&bit != 0:
			return &ResultError{Field: "matched", Reason: "field listed twice"}
		}
		seen |= bit
	}
	return nil
}
