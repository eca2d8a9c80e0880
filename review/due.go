package review

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/kycsdk/kyc/entityprofile"
	"github.com/kycsdk/kyc/profile"
)

// Reason is one reason a customer is due: its kind, the moment it falls
// (or fell) due, and the JSON path of the fact behind it
// ("last_due_diligence_at", "identity_documents[0]", "checks", "risk",
// "blacklist_found.sanctioned"). Detail names a check type or a list type
// where the kind has one. No reason carries a personal value.
type Reason struct {
	Kind   Kind              `json:"kind"`
	At     profile.Timestamp `json:"at"`
	Path   string            `json:"path"`
	Detail string            `json:"detail,omitempty"`
}

// Work is the due work of one customer: every reason, earliest first, and
// At, the earliest moment among them, which is what a store indexes to
// answer "who is due before T".
type Work struct {
	At      profile.Timestamp `json:"at"`
	Reasons []Reason          `json:"reasons"`
}

// DueBy returns the reasons that fall due at or before t.
func (w Work) DueBy(t time.Time) []Reason {
	at := profile.TimestampOf(t)
	var out []Reason
	for _, r := range w.Reasons {
		if r.At <= at {
			out = append(out, r)
		}
	}
	return out
}

// farFuture is the horizon at which every ageing result and document
// shows up in entityprofile's due list, whatever its date.
var farFuture = time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)

// noRecipes is the registry used when the caller has none: the check
// types of seed 001 with their default ageing.
var noRecipes = sync.OnceValues(func() (*entityprofile.Registry, error) {
	return entityprofile.NewRegistry(entityprofile.Config{})
})

// Due computes p's due work from what the profile holds, the recipes its
// check results age under (nil: the default check types), and the open
// event reasons (from Events, kept since earlier commits; those answered
// by a review completed after them are dropped, see Open).
//
// The periodic review counts from the last completed review, or before
// the first from verification, or creation; re-screening from the last
// screening (never screened: due at creation); an identity document is
// due DocumentLeadTime before it expires; a check result the recipe needs
// when it ages out; a change pending re-verification no later than the
// profile's last modification.
func (pol *Policy) Due(p *profile.Profile, recipes *entityprofile.Registry, open []Reason) (Work, error) {
	if p == nil {
		return Work{}, fmt.Errorf("%w: no profile", ErrPolicy)
	}
	var rs []Reason
	base, path := since(p)
	rs = append(rs, Reason{Kind: PeriodicReview, At: after(pol.Review.For(p.Risk), base), Path: path})
	if p.BlacklistsCheckedAt == 0 {
		rs = append(rs, Reason{Kind: Rescreening, At: p.CreatedAt, Path: "blacklists_checked_at"})
	} else {
		rs = append(rs, Reason{Kind: Rescreening, At: after(pol.Rescreen.For(p.Risk), p.BlacklistsCheckedAt), Path: "blacklists_checked_at"})
	}
	if recipes == nil {
		var err error
		if recipes, err = noRecipes(); err != nil {
			return Work{}, err
		}
	}
	dues, err := recipes.DueBy([]*profile.Profile{p}, farFuture)
	if err != nil {
		return Work{}, fmt.Errorf("review: profile %s: %w", p.ID, err)
	}
	for _, d := range dues {
		for _, r := range d.Reasons {
			rs = pol.appendRecipeReason(rs, p, r)
		}
	}
	for _, r := range Open(open, p) {
		if pol.Enabled(r.Kind) {
			rs = append(rs, r)
		}
	}
	return newWork(rs), nil
}

// appendRecipeReason turns one of entityprofile's due reasons into ours.
func (pol *Policy) appendRecipeReason(rs []Reason, p *profile.Profile, r entityprofile.DueReason) []Reason {
	switch r.Kind {
	case entityprofile.DueResult:
		if pol.Enabled(CheckExpiring) {
			rs = append(rs, Reason{Kind: CheckExpiring, At: r.At, Path: cmp.Or(r.Path, "checks"), Detail: r.Type})
		}
	case entityprofile.DueDocument:
		if pol.Enabled(DocumentExpiring) {
			rs = append(rs, Reason{Kind: DocumentExpiring, At: profile.TimestampOf(pol.DocumentLeadTime.Before(r.At.Time())), Path: r.Path})
		}
	case entityprofile.DuePending:
		if pol.Enabled(Reverification) {
			rs = append(rs, Reason{Kind: Reverification, At: p.ModifiedAt, Path: r.Path})
		}
	}
	return rs
}

// since returns the moment the periodic review counts from, and its path.
func since(p *profile.Profile) (profile.Timestamp, string) {
	switch {
	case p.LastDueDiligenceAt != 0:
		return p.LastDueDiligenceAt, "last_due_diligence_at"
	case p.VerifiedAt != 0:
		return p.VerifiedAt, "verified_at"
	}
	return p.CreatedAt, "created_at"
}

func after(i Interval, t profile.Timestamp) profile.Timestamp {
	return profile.TimestampOf(i.After(t.Time()))
}

// newWork sorts the reasons, earliest first (then by kind and path, so
// that equal work compares equal), and takes the earliest moment.
func newWork(rs []Reason) Work {
	slices.SortFunc(rs, func(a, b Reason) int {
		return cmp.Or(cmp.Compare(a.At, b.At), strings.Compare(string(a.Kind), string(b.Kind)),
			strings.Compare(a.Path, b.Path), strings.Compare(a.Detail, b.Detail))
	})
	rs = slices.Compact(rs)
	w := Work{Reasons: rs}
	if len(rs) > 0 {
		w.At = rs[0].At
	}
	return w
}

// Events returns the event reasons a committed change from prev to next
// raises at the moment at: the risk level changed (not its first
// assessment, which is part of onboarding), a watchlist hit was newly
// confirmed, or a screening's outcome changed. prev is nil for a new profile, which raises none. A caller
// keeps them (with Open) until a review answers them; related-profile
// changes are reported by the caller as RelatedChanged reasons.
func (pol *Policy) Events(prev, next *profile.Profile, at profile.Timestamp) []Reason {
	if prev == nil || next == nil {
		return nil
	}
	var rs []Reason
	if pol.Enabled(RiskChanged) && prev.Risk != "" && prev.Risk != next.Risk {
		rs = append(rs, Reason{Kind: RiskChanged, At: at, Path: "risk"})
	}
	lists := slices.Sorted(maps.Keys(next.BlacklistFound))
	for _, list := range slices.Sorted(maps.Keys(prev.BlacklistFound)) {
		if _, ok := next.BlacklistFound[list]; !ok {
			lists = append(lists, list)
		}
	}
	for _, list := range lists {
		was, is := prev.BlacklistFound[list], next.BlacklistFound[list]
		path := "blacklist_found." + list
		switch {
		case is.Confirmed && !was.Confirmed:
			if pol.Enabled(ConfirmedHit) {
				rs = append(rs, Reason{Kind: ConfirmedHit, At: at, Path: path, Detail: list})
			}
		case is.Hit != was.Hit:
			if pol.Enabled(ScreeningChanged) {
				rs = append(rs, Reason{Kind: ScreeningChanged, At: at, Path: path, Detail: list})
			}
		}
	}
	return rs
}

// Open returns the event reasons not yet answered: those after the
// profile's last completed review. A review at the same moment as an event
// answers it.
func Open(events []Reason, p *profile.Profile) []Reason {
	var out []Reason
	for _, r := range events {
		if r.At > p.LastDueDiligenceAt {
			out = append(out, r)
		}
	}
	return out
}
