package riskmatrix

import (
	"cmp"
	"time"

	"github.com/kycsdk/kyc/internal/condition"
	"github.com/kycsdk/kyc/profile"
)

// FactorResult is one factor's part in an assessment. Value is what the
// factor found, as the matrix names it: a table key, a band label, a code
// (country, activity), or a status word. It is never a raw personal value:
// amounts show as their band, dates as validity or age bands, and a profile
// path whose value is not in the table shows as "other".
type FactorResult struct {
	ID           string  `json:"id"`
	Kind         Kind    `json:"kind"`
	Value        string  `json:"value"`
	Status       Status  `json:"status"`
	Score        float64 `json:"score"`
	Weight       float64 `json:"weight"`
	Contribution float64 `json:"contribution"`
}

// Assessment is the risk of one profile under one matrix, with everything an
// analyst or an auditor needs to see why. It encodes to JSON as is.
type Assessment struct {
	ProfileID     string            `json:"profile_id,omitempty"`
	MatrixVersion string            `json:"matrix_version"`
	AssessedAt    profile.Timestamp `json:"assessed_at"`
	// Level is the final level, after overrides.
	Level string `json:"level"`
	// ScoreLevel is the level the score alone gives.
	ScoreLevel  string          `json:"score_level"`
	Score       float64         `json:"score"`
	Aggregation Aggregation     `json:"aggregation"`
	Factors     []FactorResult  `json:"factors"`
	Overrides   []FiredOverride `json:"overrides,omitempty"`
	// Unevaluated lists the ids of override rules whose condition could not
	// be evaluated on this profile; they did not fire.
	Unevaluated []string `json:"unevaluated_overrides,omitempty"`
}

// Apply records the assessment on the profile: risk and risk_calculated_at
// (seed 003, 3.1.1).
func (a Assessment) Apply(p *profile.Profile) {
	p.Risk = a.Level
	p.RiskCalculatedAt = a.AssessedAt
}

// Assess scores p at the instant now. It never fails: a value the profile
// lacks scores the matrix's unknown score, and a condition that cannot be
// evaluated is reported in the result. A nil profile assesses as an empty
// one.
func (m *Matrix) Assess(p *profile.Profile, now time.Time) Assessment {
	var a Assessment
	m.AssessInto(p, now, &a)
	return a
}

// AssessInto is Assess writing its result into a, for loops that re-score
// many profiles: it reuses the memory of a.Factors, a.Overrides and
// a.Unevaluated (their old contents are overwritten), so that once a has
// been through one assessment the next ones allocate nothing for the
// result. Overrides and Unevaluated may then be empty rather than nil,
// which encodes the same (both are omitempty). a must not be shared with another goroutine during the call, and
// the slices of an earlier result held elsewhere are overwritten too: copy
// what must outlive the next call.
func (m *Matrix) AssessInto(p *profile.Profile, now time.Time, a *Assessment) {
	p = cmp.Or(p, &emptyProfile)
	var env *condition.Root
	if m.hasCondition {
		env = &condition.Root{Name: root, Value: p}
	}
	factors := a.Factors
	if cap(factors) < len(m.factors) {
		factors = make([]FactorResult, len(m.factors))
	}
	*a = Assessment{
		ProfileID:     p.ID,
		MatrixVersion: m.version,
		AssessedAt:    profile.TimestampOf(now),
		Aggregation:   m.aggregation,
		Factors:       factors[:len(m.factors)],
		Overrides:     a.Overrides[:0],
		Unevaluated:   a.Unevaluated[:0],
	}
	a.Score = m.aggregate(a.Factors, p, now, env)
	lvl := levelOf(m.thresholds, a.Score)
	a.ScoreLevel = m.levels[lvl]
	a.Level = m.levels[m.applyOverrides(a, lvl, env)]
}

// aggregate evaluates every factor into res and returns the score.
func (m *Matrix) aggregate(res []FactorResult, p *profile.Profile, now time.Time, env *condition.Root) float64 {
	var sum, weights, top float64
	for i := range m.factors {
		f := &m.factors[i]
		o := f.evaluate(p, now, env)
		r := &res[i]
		*r = FactorResult{ID: f.id, Kind: f.kind, Value: o.value, Status: o.status, Score: o.score, Weight: f.weight}
		if o.status == StatusNotApplicable {
			continue
		}
		r.Contribution = f.weight * o.score
		sum += r.Contribution
		weights += f.weight
		top = max(top, r.Contribution)
	}
	switch m.aggregation {
	case Maximum:
		return top
	case WeightedAverage:
		return average(res, sum, weights)
	}
	return sum
}

// average turns contributions into shares of the weighted average, so that
// they still add up to the score.
func average(res []FactorResult, sum, weights float64) float64 {
	if weights == 0 {
		return 0
	}
	for i := range res {
		res[i].Contribution /= weights
	}
	return sum / weights
}

// applyOverrides records the overrides that fire and returns the final
// level: the highest exact level if any exact override fired, else the
// score's level raised to the highest minimum.
func (m *Matrix) applyOverrides(a *Assessment, lvl int, env *condition.Root) int {
	exact := -1
	for i := range m.overrides {
		o := &m.overrides[i]
		fired, err := o.fires(a.Factors, env)
		if err != nil {
			a.Unevaluated = append(a.Unevaluated, o.fired.ID)
			continue
		}
		if !fired {
			continue
		}
		a.Overrides = append(a.Overrides, o.fired)
		if o.fired.Effect == EffectExact {
			exact = max(exact, o.level)
			continue
		}
		lvl = max(lvl, o.level)
	}
	if exact >= 0 {
		return exact
	}
	return lvl
}
