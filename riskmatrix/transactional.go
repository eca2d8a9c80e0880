package riskmatrix

import (
	"cmp"
	"encoding/json"
	"maps"
	"math"
	"slices"
	"time"

	"github.com/kycsdk/kyc/internal/jsonconfig"
	"github.com/kycsdk/kyc/profile"
)

// Period is the period a transactional amount is expressed in; seed 003
// (3.1.1) lets the amount be "expressed annualy or monthly".
type Period string

// Periods of an amount.
const (
	// Monthly is an amount per calendar month.
	Monthly Period = "monthly"
	// Annual is an amount per year.
	Annual Period = "annual"
)

// txSpec is the JSON of a matrix's transactional_profile section: the
// expected amount is the declared income, converted from income_period to
// period, times the multiplier of the profile's main economic activity.
type txSpec struct {
	IncomePeriod      Period             `json:"income_period"`
	Period            Period             `json:"period"`
	Multipliers       map[string]float64 `json:"activity_multipliers"`
	DefaultMultiplier *float64           `json:"default_multiplier"`
	Minimum           *int64             `json:"minimum"`
	Maximum           *int64             `json:"maximum"`
	UnknownAmount     *int64             `json:"unknown_income_amount"`
}

// txTable is the compiled transactional-profile table.
type txTable struct {
	incomePeriod Period
	period       Period
	multipliers  map[string]entry
	defMult      float64
	min, max     int64
	unknown      *int64
}

// TransactionalProfile is an assessed transactional profile: the amount the
// customer is expected to move per period, and how it was found. The
// declared income itself is not repeated.
type TransactionalProfile struct {
	ProfileID     string            `json:"profile_id,omitempty"`
	MatrixVersion string            `json:"matrix_version"`
	CalculatedAt  profile.Timestamp `json:"calculated_at"`
	Amount        int64             `json:"amount"`
	Period        Period            `json:"period"`
	// Activity is the economic activity code whose multiplier applied, or
	// "default".
	Activity   string  `json:"activity"`
	Multiplier float64 `json:"multiplier"`
	// IncomeKnown is false when the amount is the table's amount for an
	// unknown income.
	IncomeKnown bool `json:"income_known"`
}

// Apply records the transactional profile on the profile:
// transactional_profile_amount and transactional_profile_calculated_at
// (seed 003, 3.1.1).
func (t TransactionalProfile) Apply(p *profile.Profile) {
	amount := t.Amount
	p.TransactionalProfileAmount = &amount
	p.TransactionalProfileCalculatedAt = t.CalculatedAt
}

func (b *builder) loadTransactional(raw json.RawMessage) {
	if len(raw) == 0 || string(raw) == "null" {
		return
	}
	const path = "transactional_profile"
	var s txSpec
	if err := jsonconfig.Decode(raw, &s); err != nil {
		b.addf(path, "cannot decode: %v", err)
		return
	}
	t := &txTable{incomePeriod: b.period(path+".income_period", s.IncomePeriod), period: b.period(path+".period", s.Period),
		multipliers: make(map[string]entry, len(s.Multipliers)), min: 0, max: math.MaxInt64, unknown: s.UnknownAmount}
	for _, k := range slices.Sorted(maps.Keys(s.Multipliers)) {
		b.multiplier(path+".activity_multipliers."+k, s.Multipliers[k])
		t.multipliers[k] = entry{key: k, score: s.Multipliers[k]}
	}
	if s.DefaultMultiplier == nil {
		b.addf(path+".default_multiplier", "a default multiplier is required, for activities not in the table")
	} else {
		b.multiplier(path+".default_multiplier", *s.DefaultMultiplier)
		t.defMult = *s.DefaultMultiplier
	}
	b.amountBounds(path, &s, t)
	b.m.tx = t
}

func (b *builder) period(path string, p Period) Period {
	if p != Monthly && p != Annual {
		b.addf(path, "period must be %q or %q, not %q", Monthly, Annual, p)
	}
	return p
}

func (b *builder) multiplier(path string, x float64) {
	if math.IsNaN(x) || x < 0 || x > 1000 {
		b.addf(path, "multiplier %v out of range [0, 1000]", x)
	}
}

func (b *builder) amountBounds(path string, s *txSpec, t *txTable) {
	if s.Minimum != nil {
		t.min = *s.Minimum
	}
	if s.Maximum != nil {
		t.max = *s.Maximum
	}
	if t.min < 0 {
		b.addf(path+".minimum", "minimum %d is negative", t.min)
	}
	if t.max < t.min {
		b.addf(path+".maximum", "maximum %d is below minimum %d", t.max, t.min)
	}
	if t.unknown != nil && *t.unknown < 0 {
		b.addf(path+".unknown_income_amount", "amount %d is negative", *t.unknown)
	}
}

// TransactionalProfile assesses the expected amount the customer moves per
// period: the declared income, converted to the table's period, times the
// multiplier of the main economic activity (or the first activity when none
// is marked main; the default multiplier when the code is not listed). The
// amount is rounded to the unit and kept within the table's bounds. It
// fails with ErrNoTransactionalProfile when the matrix has no table, and
// with ErrIncomeUnknown when the profile declares no income and the table
// sets no amount for that case.
func (m *Matrix) TransactionalProfile(p *profile.Profile, now time.Time) (TransactionalProfile, error) {
	t := m.tx
	if t == nil {
		return TransactionalProfile{}, ErrNoTransactionalProfile
	}
	p = cmp.Or(p, &emptyProfile)
	r := TransactionalProfile{ProfileID: p.ID, MatrixVersion: m.version, CalculatedAt: profile.TimestampOf(now), Period: t.period}
	if p.DeclaredIncome == nil {
		if t.unknown == nil {
			return TransactionalProfile{}, ErrIncomeUnknown
		}
		r.Amount, r.Activity = *t.unknown, "default"
		return r, nil
	}
	r.IncomeKnown = true
	r.Activity, r.Multiplier = t.multiplierOf(p)
	income := float64(*p.DeclaredIncome)
	switch {
	case t.incomePeriod == Annual && t.period == Monthly:
		income /= 12
	case t.incomePeriod == Monthly && t.period == Annual:
		income *= 12
	}
	r.Amount = t.clamp(income * r.Multiplier)
	return r, nil
}

func (t *txTable) multiplierOf(p *profile.Profile) (string, float64) {
	a := mainActivity(p)
	if a == nil {
		return "default", t.defMult
	}
	if e, ok := t.multipliers[a.Code]; ok {
		return e.key, e.score
	}
	return "default", t.defMult
}

func mainActivity(p *profile.Profile) *profile.Activity {
	for i := range p.Activities {
		if p.Activities[i].Main {
			return &p.Activities[i]
		}
	}
	if len(p.Activities) > 0 {
		return &p.Activities[0]
	}
	return nil
}

func (t *txTable) clamp(x float64) int64 {
	x = math.Round(x)
	switch {
	case x <= float64(t.min):
		return t.min
	case x >= float64(t.max):
		return t.max
	}
	return int64(x)
}
