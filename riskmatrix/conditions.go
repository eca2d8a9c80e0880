package riskmatrix

import (
	"cmp"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/kycsdk/kyc/internal/condition"
	"github.com/kycsdk/kyc/profile"
)

// root is the one name conditions of a matrix read: the profile, as in
// workflow conditions (seed 003, 3.3).
const root = "dprofile"

// compile compiles a condition, reporting a syntax error with its column.
func (b *builder) compile(path, src string) (*condition.Expr, bool) {
	x, err := condition.Compile(src, condition.Options{Roots: []string{root}})
	if err != nil {
		var se *condition.SyntaxError
		if errors.As(err, &se) {
			b.addf(path, "condition does not compile: column %d: %s", se.Column, se.Msg)
		} else {
			b.addf(path, "condition does not compile: %v", err)
		}
		return nil, false
	}
	ok := true
	for _, p := range x.Paths() {
		if p[0] != root {
			continue
		}
		if msg := conditionPathProblem(p[1:]); msg != "" {
			b.addf(path, "condition reads %s: %s", strings.Join(p, "."), msg)
			ok = false
		}
	}
	b.m.hasCondition = true
	return x, ok
}

// ruleSpec is one condition rule of a rules factor: when the condition
// holds, the factor scores score and reports label.
type ruleSpec struct {
	When  string   `json:"when"`
	Score *float64 `json:"score"`
	Label string   `json:"label"`
}

type rule struct {
	when  *condition.Expr
	score float64
	label string
}

// noRule is the value of a rules factor when no rule holds.
const noRule = "no_rule"

func (b *builder) rulesFactor(path string, s *factorSpec, f *factor) {
	if len(s.Rules) == 0 {
		b.addf(path+".rules", "a rules factor needs at least one rule")
	}
	if s.Default == nil {
		b.addf(path+".default", "a rules factor needs a default score, for when no rule holds")
	}
	rules := make([]rule, 0, len(s.Rules))
	for i, r := range s.Rules {
		p := path + ".rules[" + strconv.Itoa(i) + "]"
		rules = append(rules, b.rule(p, i, r))
		f.values = append(f.values, rules[i].label)
	}
	f.values = append(f.values, noRule)
	def := 0.0
	if s.Default != nil {
		def = *s.Default
	}
	f.eval = rulesEval(rules, def)
}

func (b *builder) rule(path string, i int, r ruleSpec) rule {
	out := rule{label: cmp.Or(r.Label, fmt.Sprintf("rule_%d", i))}
	if r.Score == nil {
		b.addf(path+".score", "a rule needs a score")
	} else {
		b.score(path+".score", *r.Score)
		out.score = *r.Score
	}
	if r.When == "" {
		b.addf(path+".when", "a rule needs a condition")
		return out
	}
	out.when, _ = b.compile(path+".when", r.When)
	return out
}

// rulesEval scores the first rule that holds. A condition that cannot be
// evaluated stops the factor with StatusError: a later rule holding must
// not hide that an earlier, possibly stricter one could not be decided.
func rulesEval(rules []rule, def float64) func(*profile.Profile, time.Time, *condition.Root) outcome {
	return func(_ *profile.Profile, _ time.Time, env *condition.Root) outcome {
		for i := range rules {
			ok, err := rules[i].when.Truth(env)
			if err != nil {
				return outcome{value: rules[i].label, status: StatusError}
			}
			if ok {
				return outcome{value: rules[i].label, score: rules[i].score, status: StatusScored}
			}
		}
		return outcome{value: noRule, score: def, status: StatusUnlisted}
	}
}
