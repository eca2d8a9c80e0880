package ownership

import (
	"context"
	"slices"

	"github.com/kycsdk/kyc/profile"
)

// Flags are what the risk inputs need to know of one person.
type Flags struct {
	// PEP: the person declared, or was found to be, politically exposed.
	PEP bool
	// Sanctioned: a confirmed hit on a sanctions list (a blocked person).
	Sanctioned bool
}

// FlagsOf reads the flags of a profile: PEP when declaration.pep is true or
// the "pep" list of blacklist_found has a confirmed hit (seed 003,
// 3.1.1.4); sanctioned when a list in sanctionLists has a confirmed hit
// ("sanctioned" when none are given).
func FlagsOf(p *profile.Profile, sanctionLists ...string) Flags {
	var f Flags
	if p == nil {
		return f
	}
	if len(sanctionLists) == 0 {
		sanctionLists = []string{"sanctioned"}
	}
	f.PEP = p.Declaration != nil && p.Declaration.PEP != nil && *p.Declaration.PEP
	for list, hit := range p.BlacklistFound {
		switch {
		case !hit.Confirmed:
		case list == "pep":
			f.PEP = true
		case slices.Contains(sanctionLists, list):
			f.Sanctioned = true
		}
	}
	return f
}

// FlagSource returns the flags of the profile id; a profile it does not
// know has no flags.
type FlagSource func(ctx context.Context, id string) (Flags, error)

// RiskInputs are the values over the ownership graph that a risk matrix
// scores (see Values).
type RiskInputs struct {
	// PEPOwner: a politically exposed person is, or may be, a beneficial
	// owner (an owner, a control person, or a senior managing official in
	// the fallback).
	PEPOwner bool `json:"pep_owner"`
	// SanctionedOwner: a sanctioned person is, or may be, one.
	SanctionedOwner bool `json:"sanctioned_owner"`
	// ChainDepth is the length of the longest ownership chain followed.
	ChainDepth int `json:"chain_depth"`
	// SanctionedShare is the share held in aggregate by blocked persons
	// under OFAC's 50 percent rule: a blocked person's holding, and the
	// whole holding of an entity that is itself 50% or more owned by
	// blocked persons, counted through every level.
	SanctionedShare Interval `json:"sanctioned_share"`
	// Blocked applies the rule: Is when SanctionedShare's minimum reaches
	// 50%, MayBe when only its maximum does, Below otherwise.
	Blocked Status `json:"blocked"`
}

// OFACThreshold is OFAC's 50 percent rule: 50% or more in the aggregate.
const OFACThreshold = 0.5

// RiskInputs computes the risk inputs of the result, reading the flags of
// the beneficial owners and, for the 50 percent rule, of every holder the
// walk read.
func (r *Result) RiskInputs(ctx context.Context, flags FlagSource) (RiskInputs, error) {
	in := RiskInputs{ChainDepth: r.Depth}
	cache := map[string]Flags{}
	get := func(id string) (Flags, error) {
		if f, ok := cache[id]; ok {
			return f, nil
		}
		f, err := flags(ctx, id)
		if err != nil {
			return f, err
		}
		cache[id] = f
		return f, nil
	}
	for _, id := range r.BeneficialOwners() {
		f, err := get(id)
		if err != nil {
			return in, err
		}
		in.PEPOwner = in.PEPOwner || f.PEP
		in.SanctionedOwner = in.SanctionedOwner || f.Sanctioned
	}
	share, err := r.blockedShare(r.ProfileID, map[string]bool{}, map[string]Interval{}, get)
	if err != nil {
		return in, err
	}
	in.SanctionedShare = share
	switch {
	case reaches(share.Min, OFACThreshold):
		in.Blocked = Is
	case reaches(share.Max, OFACThreshold):
		in.Blocked = MayBe
	default:
		in.Blocked = Below
	}
	return in, nil
}

// blockedShare is the aggregate share of id held by blocked persons. A
// profile on the current chain counts as not blocked (a cycle adds
// nothing).
func (r *Result) blockedShare(id string, onPath map[string]bool, memo map[string]Interval, get func(string) (Flags, error)) (Interval, error) {
	if v, ok := memo[id]; ok {
		return v, nil
	}
	n := r.nodes[id]
	var sum Interval
	if n == nil {
		return sum, nil
	}
	onPath[id] = true
	defer delete(onPath, id)
	for _, e := range n.edges {
		if !e.owns || onPath[e.holder] {
			continue
		}
		capital, _, _ := e.shares()
		f, err := get(e.holder)
		if err != nil {
			return sum, err
		}
		if f.Sanctioned {
			sum = sum.Add(capital)
			continue
		}
		h := r.nodes[e.holder]
		if h == nil || !h.legal {
			continue
		}
		b, err := r.blockedShare(e.holder, onPath, memo, get)
		if err != nil {
			return sum, err
		}
		switch {
		case reaches(b.Min, OFACThreshold):
			sum = sum.Add(capital)
		case reaches(b.Max, OFACThreshold):
			sum = sum.Add(Interval{0, capital.Max})
		}
	}
	memo[id] = sum
	return sum, nil
}

// Values returns the inputs as a flat object of scalars, keyed by their JSON
// names, for a risk matrix to score.
func (in RiskInputs) Values() map[string]any {
	return map[string]any{
		"pep_owner":            in.PEPOwner,
		"sanctioned_owner":     in.SanctionedOwner,
		"chain_depth":          in.ChainDepth,
		"sanctioned_share_min": in.SanctionedShare.Min * 100,
		"sanctioned_share_max": in.SanctionedShare.Max * 100,
		"blocked":              string(in.Blocked),
	}
}
