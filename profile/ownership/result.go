package ownership

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Status says whether a person is a beneficial owner.
type Status string

// Statuses.
const (
	// Is: the minimum of the person's share reaches the threshold.
	Is Status = "is"
	// MayBe: the share is a range that straddles the threshold (its
	// maximum reaches it, its minimum does not); the analyst must find out.
	MayBe Status = "may_be"
	// Below: even the maximum stays under the threshold.
	Below Status = "below"
)

// Step is one relation of a path: Held carries, at index Relation of its
// relations, a relation of type Relationship to Holder, who holds Capital
// and Votes of Held.
type Step struct {
	Holder       string   `json:"holder"`
	Held         string   `json:"held"`
	Relationship string   `json:"relationship"`
	Relation     int      `json:"relation"`
	Capital      Interval `json:"capital"`
	Votes        Interval `json:"votes"`
	// Recorded is false when the relation carries no figure: the share is
	// unknown, [0, 100%].
	Recorded bool `json:"recorded"`
	// Declared is true for a share declared as an indirect holding.
	Declared bool `json:"declared,omitempty"`
}

// Path is one chain of holdings from the legal person (Steps[0].Held) to a
// holder (the last step's Holder), with the product of its shares.
type Path struct {
	Steps    []Step   `json:"steps"`
	Capital  Interval `json:"capital"`
	Votes    Interval `json:"votes"`
	Declared bool     `json:"declared,omitempty"`
}

// Depth returns the number of relations on the path.
func (p Path) Depth() int { return len(p.Steps) }

// Owner is a natural person holding a share, directly or indirectly.
type Owner struct {
	ProfileID string `json:"profile_id"`
	Status    Status `json:"status"`
	// Capital and Votes are the effective shares: the sum over the paths
	// (see Compute for declared indirect shares), capped at 100%.
	Capital Interval `json:"capital"`
	Votes   Interval `json:"votes"`
	Paths   []Path   `json:"paths"`
}

// ControlPerson is a natural person who controls the legal person.
type ControlPerson struct {
	ProfileID string   `json:"profile_id"`
	Kinds     []string `json:"kinds"`
	// Via lists the legal persons from the computed one to the one the
	// person controls directly: [root] for direct control.
	Via []string `json:"via"`
}

// End kinds of an OpenEnd.
const (
	EndNotFound  = "not_found" // the holder is not a profile of the graph
	EndNoOwners  = "no_owners" // a legal person with no recorded holders
	EndDeclared  = "declared"  // a declared indirect share to a legal person
	EndTruncated = "truncated" // a legal person beyond the limits
)

// OpenEnd is a path that does not end at a natural person: part of the
// ownership nobody could be found for.
type OpenEnd struct {
	Path   Path   `json:"path"`
	Reason string `json:"reason"`
}

// Limits a walk can reach.
const (
	LimitDepth = "depth"
	LimitNodes = "nodes"
	LimitPaths = "paths"
)

// Truncation is a limit the walk reached, and the profile where.
type Truncation struct {
	Limit     string `json:"limit"`
	ProfileID string `json:"profile_id"`
}

// Result is the beneficial ownership of one legal person.
type Result struct {
	ProfileID string `json:"profile_id"`
	// Threshold is the fraction from which a person is an owner (0.25).
	Threshold float64 `json:"threshold"`
	// Owners are the natural persons whose share reaches the threshold (Is)
	// or may reach it (MayBe), largest first.
	Owners []Owner `json:"owners"`
	// Below are the other natural persons holding a share.
	Below []Owner `json:"below,omitempty"`
	// Control lists the control persons other than senior managing
	// officials.
	Control []ControlPerson `json:"control,omitempty"`
	// SeniorManagingOfficials lists the persons with that kind of control.
	SeniorManagingOfficials []ControlPerson `json:"senior_managing_officials,omitempty"`
	// Fallback is true when nobody is or may be an owner and nobody
	// controls otherwise: the senior managing officials are then the
	// beneficial owners (AMLR Art. 22).
	Fallback bool `json:"fallback,omitempty"`
	// Cycles lists each cycle met once, as the profiles on it (at most
	// 100).
	Cycles   [][]string `json:"cycles,omitempty"`
	OpenEnds []OpenEnd  `json:"open_ends,omitempty"`
	// Truncated lists the limits reached; empty when the walk is complete.
	Truncated []Truncation `json:"truncated,omitempty"`
	// Depth is the length of the longest path followed.
	Depth int `json:"depth"`

	holders  map[string]*Owner
	control  map[string]*ControlPerson
	paths    int
	maxPaths int
	stopped  bool
	nodes    map[string]*node
}

// Complete reports whether the walk reached no limit.
func (r *Result) Complete() bool { return len(r.Truncated) == 0 }

// BeneficialOwners returns the ids of the persons to identify: the owners
// and the control persons, or the senior managing officials when Fallback.
func (r *Result) BeneficialOwners() []string {
	var out []string
	add := func(id string) {
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	for _, o := range r.Owners {
		add(o.ProfileID)
	}
	for _, c := range r.Control {
		add(c.ProfileID)
	}
	if r.Fallback {
		for _, c := range r.SeniorManagingOfficials {
			add(c.ProfileID)
		}
	}
	return out
}

func (r *Result) truncate(limit, id string) {
	if t := (Truncation{Limit: limit, ProfileID: id}); !slices.Contains(r.Truncated, t) {
		r.Truncated = append(r.Truncated, t)
	}
}

func (r *Result) deeper(p Path) { r.Depth = max(r.Depth, p.Depth()) }

// maxCycles bounds the distinct cycles a Result lists.
const maxCycles = 100

func (r *Result) cycle(steps []Step) {
	last := steps[len(steps)-1].Holder
	var ids []string
	for i := len(steps) - 1; i >= 0; i-- {
		ids = append(ids, steps[i].Held)
		if steps[i].Held == last {
			break
		}
	}
	slices.Reverse(ids)
	// the same cycle met from another entry point reads rotated
	k := slices.Index(ids, slices.Min(ids))
	ids = append(ids[k:], ids[:k]...)
	known := slices.ContainsFunc(r.Cycles, func(c []string) bool { return slices.Equal(c, ids) })
	if !known && len(r.Cycles) < maxCycles {
		r.Cycles = append(r.Cycles, ids)
	}
}

func (r *Result) openEnd(p Path, reason string) {
	r.deeper(p)
	r.OpenEnds = append(r.OpenEnds, OpenEnd{Path: p, Reason: reason})
}

// count counts one more path, and reports false past the limit, where
// the walk stops.
func (r *Result) count() bool {
	if r.paths >= r.maxPaths {
		if !r.stopped {
			r.stopped = true
			r.truncate(LimitPaths, r.ProfileID)
		}
		return false
	}
	r.paths++
	return true
}

func (r *Result) addPath(holder string, p Path) {
	r.deeper(p)
	if r.holders == nil {
		r.holders = make(map[string]*Owner)
	}
	o := r.holders[holder]
	if o == nil {
		o = &Owner{ProfileID: holder}
		r.holders[holder] = o
	}
	o.Paths = append(o.Paths, p)
}

func (r *Result) addControl(holder string, kinds []string, via []string, e edge) {
	if r.control == nil {
		r.control = make(map[string]*ControlPerson)
	}
	for _, k := range kinds {
		key := holder
		if k == ControlSeniorManagingOfficial {
			key = "smo\x00" + holder
		}
		c := r.control[key]
		if c == nil {
			c = &ControlPerson{ProfileID: holder, Via: via}
			r.control[key] = c
		}
		if !slices.Contains(c.Kinds, k) {
			c.Kinds = append(c.Kinds, k)
		}
	}
}

// reaches compares with a tolerance, so that 20% + 10% reaches 30%
// although 0.2 + 0.1 is 0.30000000000000004 and 0.1 + 0.2 - 0.3 > 0.
func reaches(x, t float64) bool { return x >= t-1e-9 }

// finish sums the paths, classifies the holders and sorts everything.
func (r *Result) finish() {
	for _, o := range r.holders {
		var sum, decl Interval
		var sumV, declV Interval
		for _, p := range o.Paths {
			if p.Declared {
				decl, declV = maxOf(decl, p.Capital), maxOf(declV, p.Votes)
				continue
			}
			sum, sumV = sum.Add(p.Capital), sumV.Add(p.Votes)
		}
		o.Capital, o.Votes = maxOf(sum, decl), maxOf(sumV, declV)
		switch lo, hi := max(o.Capital.Min, o.Votes.Min), max(o.Capital.Max, o.Votes.Max); {
		case reaches(lo, r.Threshold):
			o.Status = Is
		case reaches(hi, r.Threshold):
			o.Status = MayBe
		default:
			o.Status = Below
		}
		if o.Status == Below {
			r.Below = append(r.Below, *o)
		} else {
			r.Owners = append(r.Owners, *o)
		}
	}
	byShare := func(a, b Owner) int {
		return cmp.Or(cmp.Compare(statusRank(a.Status), statusRank(b.Status)),
			cmp.Compare(b.Capital.Min, a.Capital.Min), cmp.Compare(b.Capital.Max, a.Capital.Max),
			cmp.Compare(a.ProfileID, b.ProfileID))
	}
	slices.SortFunc(r.Owners, byShare)
	slices.SortFunc(r.Below, byShare)
	for key, c := range r.control {
		if strings.HasPrefix(key, "smo\x00") {
			r.SeniorManagingOfficials = append(r.SeniorManagingOfficials, *c)
		} else {
			r.Control = append(r.Control, *c)
		}
	}
	byID := func(a, b ControlPerson) int { return cmp.Compare(a.ProfileID, b.ProfileID) }
	slices.SortFunc(r.Control, byID)
	slices.SortFunc(r.SeniorManagingOfficials, byID)
	if r.Owners == nil {
		r.Owners = []Owner{}
	}
	r.Fallback = len(r.Owners) == 0 && len(r.Control) == 0
}

func statusRank(s Status) int {
	switch s {
	case Is:
		return 0
	case MayBe:
		return 1
	}
	return 2
}

// Explain renders the result for an analyst: who is or may be a beneficial
// owner and why, path by path, then control, the fallback, and what the
// walk could not resolve. It names profiles by id only.
func (r *Result) Explain() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Beneficial owners of %s (threshold %s%% of capital or votes):\n", r.ProfileID, pct(r.Threshold))
	if len(r.Owners) == 0 {
		b.WriteString("  nobody reaches the threshold through ownership\n")
	}
	for _, o := range r.Owners {
		verb := "is a beneficial owner"
		if o.Status == MayBe {
			verb = "may be a beneficial owner (the range straddles the threshold)"
		}
		fmt.Fprintf(&b, "  %s %s: capital %s, votes %s\n", o.ProfileID, verb, o.Capital, o.Votes)
		writePaths(&b, o.Paths)
	}
	for _, o := range r.Below {
		fmt.Fprintf(&b, "  %s is below the threshold: capital %s, votes %s\n", o.ProfileID, o.Capital, o.Votes)
		writePaths(&b, o.Paths)
	}
	for _, c := range r.Control {
		fmt.Fprintf(&b, "  %s controls it (%s)%s\n", c.ProfileID, strings.Join(c.Kinds, ", "), via(c.Via))
	}
	for _, c := range r.SeniorManagingOfficials {
		fmt.Fprintf(&b, "  %s is a senior managing official%s\n", c.ProfileID, via(c.Via))
	}
	if r.Fallback {
		if len(r.SeniorManagingOfficials) == 0 {
			b.WriteString("  nobody owns or controls it and no senior managing official is recorded\n")
		} else {
			b.WriteString("  nobody owns or controls it: the senior managing officials are recorded as its beneficial owners (AMLR Art. 22)\n")
		}
	}
	for _, e := range r.OpenEnds {
		fmt.Fprintf(&b, "  unresolved: %s %s\n", pathText(e.Path), endText(e.Reason))
	}
	for _, c := range r.Cycles {
		fmt.Fprintf(&b, "  cycle not followed: %s -> %s\n", strings.Join(c, " -> "), c[0])
	}
	for _, t := range r.Truncated {
		fmt.Fprintf(&b, "  incomplete: the %s limit was reached at %s\n", t.Limit, t.ProfileID)
	}
	return b.String()
}

func writePaths(b *strings.Builder, ps []Path) {
	for _, p := range ps {
		fmt.Fprintf(b, "    %s\n", pathText(p))
	}
}

// pathText reads "L <- A 60% <- P 50% = 30%": L is held by A for 60%, A by
// P for 50%.
func pathText(p Path) string {
	var b strings.Builder
	b.WriteString(p.Steps[0].Held)
	for _, s := range p.Steps {
		share := s.Capital.String()
		if !s.Recorded {
			share = "share not recorded"
		}
		if s.Declared {
			share += " declared indirect"
		}
		if s.Votes != s.Capital {
			share += ", votes " + s.Votes.String()
		}
		fmt.Fprintf(&b, " <- %s %s", s.Holder, share)
	}
	fmt.Fprintf(&b, " = %s", p.Capital)
	if p.Votes != p.Capital {
		fmt.Fprintf(&b, ", votes %s", p.Votes)
	}
	return b.String()
}

func endText(reason string) string {
	switch reason {
	case EndNotFound:
		return "(the holder is not a profile of the tenant)"
	case EndNoOwners:
		return "(a legal person with no recorded owners)"
	case EndDeclared:
		return "(a declared indirect share held by a legal person)"
	}
	return "(beyond the walk's limits)"
}

func via(v []string) string {
	if len(v) <= 1 {
		return ""
	}
	return " through " + strings.Join(v[1:], " -> ")
}
