package riskmatrix

import (
	"encoding/json"
	"fmt"
	"slices"

	"github.com/kycsdk/kyc/internal/condition"
	"github.com/kycsdk/kyc/internal/jsonconfig"
)

// Effect is what an override does to the level.
type Effect string

// Override effects. When exact overrides fire, the highest of their levels
// is the result, whatever the score and the minimum overrides say; otherwise
// minimum overrides raise the level the score gave.
const (
	// EffectMinimum raises the level to at least the override's level.
	EffectMinimum Effect = "minimum"
	// EffectExact sets the level to the override's level.
	EffectExact Effect = "exact"
)

// overrideSpec is the JSON of an override: a trigger (a factor's value, or
// a condition over dprofile) and an effect (minimum or exact level).
type overrideSpec struct {
	ID          string   `json:"id"`
	Description string   `json:"description"`
	Factor      string   `json:"factor"`
	Values      []string `json:"values"`
	Condition   string   `json:"condition"`
	Minimum     string   `json:"minimum"`
	Exact       string   `json:"exact"`
}

// override is a compiled override rule.
type override struct {
	fired  FiredOverride
	level  int
	factor int      // index of the factor whose value triggers it, or -1
	values []string // factor values that trigger it
	// statuses are the values that name a status, which match the factor's
	// status as well as its value.
	statuses []Status
	cond     *condition.Expr // the condition that triggers it, when factor is -1
}

// FiredOverride is an override that fired in an assessment.
type FiredOverride struct {
	ID          string `json:"id"`
	Effect      Effect `json:"effect"`
	Level       string `json:"level"`
	Description string `json:"description,omitempty"`
}

func (b *builder) loadOverrides(raws []json.RawMessage) {
	ids := map[string]bool{}
	for i, raw := range raws {
		path := fmt.Sprintf("overrides[%d]", i)
		var s overrideSpec
		if err := jsonconfig.Decode(raw, &s); err != nil {
			b.addf(path, "cannot decode override: %v", err)
			continue
		}
		if s.ID == "" {
			b.addf(path+".id", "an override needs an id")
		} else if ids[s.ID] {
			b.addf(path+".id", "override id %q is used twice", s.ID)
		}
		ids[s.ID] = true
		o, ok := b.override(path, &s)
		if ok {
			b.m.overrides = append(b.m.overrides, o)
		}
	}
}

func (b *builder) override(path string, s *overrideSpec) (override, bool) {
	o := override{factor: -1, fired: FiredOverride{ID: s.ID, Description: s.Description}}
	okEffect := b.effect(path, s, &o)
	okTrigger := b.trigger(path, s, &o)
	return o, okEffect && okTrigger
}

// effect reads the override's effect; its level is at path.minimum or
// path.exact, the effect's name.
func (b *builder) effect(path string, s *overrideSpec, o *override) bool {
	o.fired.Effect, o.fired.Level = EffectMinimum, s.Minimum
	switch {
	case s.Minimum != "" && s.Exact != "":
		b.addf(path, "give minimum or exact, not both")
		return false
	case s.Exact != "":
		o.fired.Effect, o.fired.Level = EffectExact, s.Exact
	case s.Minimum == "":
		b.addf(path, "an override needs a minimum or an exact level")
		return false
	}
	var ok bool
	o.level, ok = b.level(path+"."+string(o.fired.Effect), o.fired.Level)
	return ok
}

func (b *builder) trigger(path string, s *overrideSpec, o *override) bool {
	switch {
	case s.Factor != "" && s.Condition != "":
		b.addf(path, "give factor and values, or a condition, not both")
		return false
	case s.Condition != "":
		c, ok := b.compile(path+".condition", s.Condition)
		o.cond = c
		return ok
	case s.Factor == "":
		b.addf(path, "an override needs a factor and values, or a condition")
		return false
	}
	return b.factorTrigger(path, s, o)
}

func (b *builder) factorTrigger(path string, s *overrideSpec, o *override) bool {
	i, ok := b.factors[s.Factor]
	if !ok {
		b.addf(path+".factor", "no factor has the id %q", s.Factor)
		return false
	}
	if len(s.Values) == 0 {
		b.addf(path+".values", "name the factor values that trigger the override")
		return false
	}
	known := b.m.factors[i].values
	for j, v := range s.Values {
		// A value may name a status, which the override matches as well
		// (an unknown PEP declaration, say).
		st, isStatus := parseStatus(v)
		switch {
		case isStatus:
			o.statuses = append(o.statuses, st)
		case known != nil && !slices.Contains(known, v):
			b.addf(fmt.Sprintf("%s.values[%d]", path, j), "factor %q never has the value %q", s.Factor, v)
			ok = false
		}
	}
	o.factor, o.values = i, slices.Clone(s.Values)
	return ok
}

// fires reports whether the override fires, given the factor results of the
// assessment. A condition that cannot be evaluated does not fire; the caller
// records it (err).
func (o *override) fires(res []FactorResult, env *condition.Root) (bool, error) {
	if o.factor < 0 {
		return o.cond.Truth(env)
	}
	r := &res[o.factor]
	return slices.Contains(o.values, r.Value) || slices.Contains(o.statuses, r.Status), nil
}
