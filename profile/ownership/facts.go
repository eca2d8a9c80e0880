package ownership

import (
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"

	"github.com/kycsdk/kyc/profile"
)

// Problem is one broken rule, with the JSON path of the value in the
// profile and a message for a person; it is profile.Problem, so that a
// caller can merge these problems into a *profile.ValidationError.
type Problem = profile.Problem

// Problem codes of Validate.
const (
	CodeType     = "type"    // a value of the wrong JSON type
	CodeRange    = "range"   // a share below 0 or above 100 percent, or minimum above maximum
	CodeShape    = "shape"   // exact given with a bound, no figure at all, an unknown key
	CodeKind     = "kind"    // an unknown control kind
	CodeNotAllow = "allowed" // facts on a relation type that does not carry them
	CodeTotal    = "total"   // the exact or minimum shares of one profile add to more than 100%
	CodeDates    = "dates"   // until before since
	CodeSelf     = "self"    // a profile that owns or controls itself directly
)

// Reserved keys of a relation's Extra (seed 003, 3.1.7: "additional
// information (in key-value format) for each relation").
const (
	// KeyOwnership holds an object:
	//
	//	{"capital": Share, "votes": Share, "direct": bool}
	//
	// capital is the share of the capital (equity) the related profile
	// holds in the profile that carries the relation, votes its share of
	// the voting rights. At least one is given; a missing one takes the
	// other's value (one share, one vote). direct defaults to true; false
	// says the figure already is an indirect holding declared as such
	// (BODS directOrIndirect), which the walk does not multiply further
	// with a computed chain to the same person (see Compute).
	KeyOwnership = "ownership"
	// KeyControl holds a list of objects {"kind": ControlKind}: the ways in
	// which the related profile controls the profile that carries the
	// relation. The relation's Since and Until are the period of both
	// facts.
	KeyControl = "control"
)

// A Share is in percent, as the Beneficial Ownership Data Standard gives it
// ("share": {"exact"} or {"minimum", "maximum"}) and as registers publish
// bands (25-50%): either exact, or a minimum and a maximum, each in [0,
// 100]. A band with only a minimum runs to 100, one with only a maximum
// starts at 0.
type Share struct {
	Exact   *float64 `json:"exact,omitempty"`
	Minimum *float64 `json:"minimum,omitempty"`
	Maximum *float64 `json:"maximum,omitempty"`
}

// Interval returns the share as a fraction interval [min, max] in [0, 1].
func (s Share) Interval() Interval {
	if s.Exact != nil {
		v := *s.Exact / 100
		return Interval{v, v}
	}
	iv := Interval{0, 1}
	if s.Minimum != nil {
		iv.Min = *s.Minimum / 100
	}
	if s.Maximum != nil {
		iv.Max = *s.Maximum / 100
	}
	return iv
}

// Ownership is the ownership fact of one relation.
type Ownership struct {
	Capital *Share `json:"capital,omitempty"`
	Votes   *Share `json:"votes,omitempty"`
	// Direct is false when the figure is an indirect holding declared as
	// such; nil means direct.
	Direct *bool `json:"direct,omitempty"`
}

// IsDirect reports whether the figure is a direct holding.
func (o *Ownership) IsDirect() bool { return o == nil || o.Direct == nil || *o.Direct }

// Control kinds, after the interest types of the Beneficial Ownership Data
// Standard and EU AMLR Art. 53 (means of control).
const (
	ControlBoardAppointment       = "board_appointment"        // the right to appoint or remove the majority of the board
	ControlBoardMember            = "board_member"             // sits on the board
	ControlVeto                   = "veto"                     // a veto right over decisions
	ControlVotingAgreement        = "voting_agreement"         // controls votes through an agreement with other holders
	ControlContract               = "contract"                 // control granted by a contract or the articles
	ControlSeniorManagingOfficial = "senior_managing_official" // AMLR Art. 22; FinCEN's control person
	ControlOther                  = "other"                    // any other influence or control
)

// controlKinds are the kinds Validate accepts.
var controlKinds = map[string]bool{
	ControlBoardAppointment: true, ControlBoardMember: true, ControlVeto: true,
	ControlVotingAgreement: true, ControlContract: true,
	ControlSeniorManagingOfficial: true, ControlOther: true,
}

// ControlKinds returns the control kinds Validate accepts, sorted.
func ControlKinds() []string { return slices.Sorted(maps.Keys(controlKinds)) }

// Facts are the ownership and control facts of one relation.
type Facts struct {
	// Ownership is nil when the relation carries no ownership figure.
	Ownership *Ownership
	// Control lists the kinds of control, in the order given.
	Control []string
}

// Parse reads the facts of relation i of a profile (i gives the paths of the
// problems, "relations[i].extra..."). Facts on a relation whose type does
// not carry them are a problem; a relation whose type carries ownership but
// that records no figure has a nil Ownership (an unknown share, which
// Compute carries as [0, 100%]); one whose type carries control without a
// control fact gets the registry's default kind for the type.
func (r *Registry) Parse(i int, rel profile.Relation) (Facts, []Problem) {
	// The paths of problems are built only when there are problems: a
	// walk parses every relation it follows, nearly all of them valid.
	f, ps := r.parse("", rel)
	if len(ps) == 0 {
		return f, nil
	}
	return r.parse("relations["+strconv.Itoa(i)+"]", rel)
}

func (r *Registry) parse(at string, rel profile.Relation) (Facts, []Problem) {
	var f Facts
	var ps []Problem
	base := at + ".extra."
	carries := r.Carries(rel.Relationship)
	if raw, ok := rel.Extra[KeyOwnership]; ok {
		if !carries.Ownership {
			ps = append(ps, Problem{Path: base + KeyOwnership, Code: CodeNotAllow,
				Message: fmt.Sprintf("relation type %q does not carry ownership", rel.Relationship)})
		} else {
			f.Ownership, ps = parseOwnership(at, raw, ps)
		}
	}
	if raw, ok := rel.Extra[KeyControl]; ok {
		if !carries.Control {
			ps = append(ps, Problem{Path: base + KeyControl, Code: CodeNotAllow,
				Message: fmt.Sprintf("relation type %q does not carry control", rel.Relationship)})
		} else {
			f.Control, ps = parseControl(at, raw, ps)
		}
	}
	if carries.Control && len(f.Control) == 0 && carries.DefaultControl != "" {
		f.Control = []string{carries.DefaultControl}
	}
	if rel.Since != nil && rel.Until != nil && *rel.Until < *rel.Since {
		ps = append(ps, Problem{Path: at + ".until", Code: CodeDates, Message: "is before since"})
	}
	return f, ps
}

func parseOwnership(at string, raw any, ps []Problem) (*Ownership, []Problem) {
	path := ""
	if at != "" {
		path = at + ".extra." + KeyOwnership
	}
	m, ok := raw.(map[string]any)
	if !ok {
		if o, isObj := raw.(profile.Object); isObj {
			m, ok = o, true
		}
	}
	if !ok {
		return nil, append(ps, Problem{Path: path, Code: CodeType, Message: "must be an object"})
	}
	o := &Ownership{}
	given := false
	for k, v := range m {
		switch k {
		case "capital":
			given = true
			o.Capital, ps = parseShare(path+".capital", v, ps)
		case "votes":
			given = true
			o.Votes, ps = parseShare(path+".votes", v, ps)
		case "direct":
			b, isBool := v.(bool)
			if !isBool {
				ps = append(ps, Problem{Path: path + ".direct", Code: CodeType, Message: "must be true or false"})
				continue
			}
			o.Direct = &b
		default:
			ps = append(ps, Problem{Path: path + "." + safeKey(k), Code: CodeShape,
				Message: "is not a key of ownership (capital, votes, direct)"})
		}
	}
	if o.Capital == nil && o.Votes == nil {
		if !given {
			ps = append(ps, Problem{Path: path, Code: CodeShape, Message: "needs capital or votes"})
		}
		return nil, ps
	}
	if o.Capital == nil {
		o.Capital = o.Votes
	}
	if o.Votes == nil {
		o.Votes = o.Capital
	}
	return o, ps
}

func parseShare(path string, raw any, ps []Problem) (*Share, []Problem) {
	m, ok := raw.(map[string]any)
	if !ok {
		return nil, append(ps, Problem{Path: path, Code: CodeType, Message: "must be an object with exact, or minimum and maximum"})
	}
	s := &Share{}
	bad := false
	for k, v := range m {
		var dst **float64
		switch k {
		case "exact":
			dst = &s.Exact
		case "minimum":
			dst = &s.Minimum
		case "maximum":
			dst = &s.Maximum
		default:
			ps = append(ps, Problem{Path: path + "." + safeKey(k), Code: CodeShape,
				Message: "is not a key of a share (exact, minimum, maximum)"})
			bad = true
			continue
		}
		x, okNum := number(v)
		switch {
		case !okNum:
			ps = append(ps, Problem{Path: path + "." + k, Code: CodeType, Message: "must be a number of percent"})
			bad = true
		case x < 0 || x > 100:
			ps = append(ps, Problem{Path: path + "." + k, Code: CodeRange, Message: "must be between 0 and 100 percent"})
			bad = true
		default:
			*dst = &x
		}
	}
	switch {
	case bad:
		return nil, ps
	case s.Exact != nil && (s.Minimum != nil || s.Maximum != nil):
		return nil, append(ps, Problem{Path: path, Code: CodeShape, Message: "gives exact together with minimum or maximum"})
	case s.Exact == nil && s.Minimum == nil && s.Maximum == nil:
		return nil, append(ps, Problem{Path: path, Code: CodeShape, Message: "needs exact, or minimum and maximum"})
	case s.Minimum != nil && s.Maximum != nil && *s.Minimum > *s.Maximum:
		return nil, append(ps, Problem{Path: path + ".minimum", Code: CodeRange, Message: "is above maximum"})
	}
	return s, ps
}

// number reads a JSON number as decoded by profile.Object (json.Number) or
// built in Go.
func number(v any) (float64, bool) {
	var x float64
	switch n := v.(type) {
	case json.Number:
		f, err := n.Float64()
		if err != nil {
			return 0, false
		}
		x = f
	case float64:
		x = n
	case float32:
		x = float64(n)
	case int:
		x = float64(n)
	case int64:
		x = float64(n)
	default:
		return 0, false
	}
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return 0, false
	}
	return x, true
}

func parseControl(at string, raw any, ps []Problem) ([]string, []Problem) {
	path := ""
	if at != "" {
		path = at + ".extra." + KeyControl
	}
	list, ok := raw.([]any)
	if !ok {
		return nil, append(ps, Problem{Path: path, Code: CodeType, Message: "must be a list of objects with a kind"})
	}
	var kinds []string
	for j, item := range list {
		p := ""
		if path != "" {
			p = path + "[" + strconv.Itoa(j) + "]"
		}
		m, isObj := item.(map[string]any)
		if !isObj {
			ps = append(ps, Problem{Path: p, Code: CodeType, Message: "must be an object with a kind"})
			continue
		}
		kind, isStr := m["kind"].(string)
		switch {
		case !isStr:
			ps = append(ps, Problem{Path: p + ".kind", Code: CodeType, Message: "is required, a string"})
		case !controlKinds[kind]:
			ps = append(ps, Problem{Path: p + ".kind", Code: CodeKind, Message: "is not a known control kind"})
		default:
			kinds = append(kinds, kind)
		}
	}
	return kinds, ps
}

// safeKey shortens an unknown key for a message path: keys are the user's
// text, bounded so that an error stays small.
func safeKey(k string) string {
	if len(k) > 40 {
		return k[:40] + "…"
	}
	return k
}

// Validate checks the ownership and control facts of every relation of p,
// and the rules across them: a profile neither owns nor controls itself
// directly, and the exact or minimum shares of capital (and of votes) held
// in p add to at most 100%. It returns every problem, nil when there are
// none. Call it beside profile validation on create and update.
func (r *Registry) Validate(p *profile.Profile) []Problem {
	if p == nil {
		return nil
	}
	var ps []Problem
	var capital, votes float64
	for i, rel := range p.Relations {
		f, more := r.Parse(i, rel) // on a type that carries none, reports any facts
		ps = append(ps, more...)
		if carries := r.Carries(rel.Relationship); !carries.Ownership && !carries.Control {
			continue
		}
		if p.ID != "" && rel.ProfileID == p.ID {
			ps = append(ps, Problem{Path: "relations[" + strconv.Itoa(i) + "].profile_id", Code: CodeSelf,
				Message: "a profile cannot own or control itself"})
		}
		if f.Ownership != nil && f.Ownership.IsDirect() && rel.Until == nil {
			capital += f.Ownership.Capital.Interval().Min
			votes += f.Ownership.Votes.Interval().Min
		}
	}
	const eps = 1e-9
	if capital > 1+eps {
		ps = append(ps, Problem{Path: "relations", Code: CodeTotal, Message: "the current shares of capital add to more than 100%"})
	}
	if votes > 1+eps && votes != capital {
		ps = append(ps, Problem{Path: "relations", Code: CodeTotal, Message: "the current shares of votes add to more than 100%"})
	}
	return ps
}
