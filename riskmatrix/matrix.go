package riskmatrix

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"

	"github.com/kycsdk/kyc/internal/jsonconfig"
	"github.com/kycsdk/kyc/profile"
)

// Aggregation is how a matrix combines the factors' scores into one score.
type Aggregation string

// Aggregations. Each factor's contribution is weight × score (divided by
// the sum of the weights for the weighted average), and the score is the sum
// of the contributions, or for Maximum the largest one.
const (
	// WeightedSum adds the contributions.
	WeightedSum Aggregation = "weighted_sum"
	// WeightedAverage divides the sum by the weights of the factors that
	// apply, so that the score stays on the scale of the scores.
	WeightedAverage Aggregation = "weighted_average"
	// Maximum takes the largest contribution.
	Maximum Aggregation = "maximum"
)

// Ranges a matrix must keep to, so that a typo (a weight of 1000) is caught
// at load time rather than skewing every assessment.
const (
	// MaxWeight is the largest weight a factor may have; weights are above 0.
	MaxWeight = 100
	// MaxScore is the largest score; scores are from 0.
	MaxScore = 100
)

// Matrix is a compiled risk matrix. It is immutable once loaded and safe
// for concurrent use by any number of goroutines.
type Matrix struct {
	version      string
	levels       []string
	aggregation  Aggregation
	thresholds   []threshold
	factors      []factor
	overrides    []override
	tx           *txTable
	hasCondition bool
}

// Version returns the matrix version, recorded in every assessment.
func (m *Matrix) Version() string { return m.version }

// Levels returns the ordered levels, lowest first.
func (m *Matrix) Levels() []string { return slices.Clone(m.levels) }

// Aggregation returns how factor scores are combined.
func (m *Matrix) Aggregation() Aggregation { return m.aggregation }

// matrixSpec is the JSON document of a matrix.
type matrixSpec struct {
	Version              string            `json:"version"`
	Description          string            `json:"description"`
	Levels               json.RawMessage   `json:"levels"`
	Aggregation          Aggregation       `json:"aggregation"`
	UnknownScore         *float64          `json:"unknown_score"`
	Thresholds           []thresholdSpec   `json:"thresholds"`
	Factors              []json.RawMessage `json:"factors"`
	Overrides            []json.RawMessage `json:"overrides"`
	TransactionalProfile json.RawMessage   `json:"transactional_profile"`
}

type thresholdSpec struct {
	Level string   `json:"level"`
	From  *float64 `json:"from"`
}

type bandSpec struct {
	From  *float64 `json:"from"`
	Score *float64 `json:"score"`
	Label string   `json:"label"`
}

// builder compiles a matrix document, collecting every problem.
type builder struct {
	problems []Problem
	levels   map[string]int
	unknown  float64
	factors  map[string]int
	m        *Matrix
}

func (b *builder) addf(path, format string, args ...any) {
	b.problems = append(b.problems, Problem{Path: path, Message: fmt.Sprintf(format, args...)})
}

// Load compiles a matrix from its JSON document. Every problem found is
// reported at once in a *MatrixError (errors.Is ErrInvalidMatrix), each with
// its JSON path in the document; the returned Matrix is then ready to
// assess without further checks.
func Load(data []byte) (*Matrix, error) {
	var spec matrixSpec
	if err := jsonconfig.Decode(data, &spec); err != nil {
		var de *jsonconfig.Error
		if !errors.As(err, &de) {
			return nil, &MatrixError{Problems: []Problem{{Message: "not a matrix document: " + err.Error()}}}
		}
		return nil, &MatrixError{Problems: []Problem{{Path: de.Path, Message: de.Problem}}}
	}
	b := &builder{m: &Matrix{version: spec.Version}, factors: map[string]int{}}
	if spec.Version == "" {
		b.addf("version", "a version is required: assessments record it for audit")
	}
	b.loadLevels(spec.Levels)
	b.loadAggregation(spec.Aggregation)
	b.loadUnknown(spec.UnknownScore)
	b.loadThresholds(spec.Thresholds)
	b.loadFactors(spec.Factors)
	b.loadOverrides(spec.Overrides)
	b.loadTransactional(spec.TransactionalProfile)
	if len(b.problems) > 0 {
		return nil, &MatrixError{Problems: b.problems}
	}
	return b.m, nil
}

func (b *builder) loadLevels(raw json.RawMessage) {
	var levels []string
	var name string
	switch {
	case len(raw) == 0:
		b.addf("levels", "levels are required: a list, or the preset %q or %q", PresetDigitalProfile, PresetClient)
		return
	case json.Unmarshal(raw, &name) == nil:
		var ok bool
		if levels, ok = Preset(name); !ok {
			b.addf("levels", "unknown level preset %q (known: %q, %q)", name, PresetDigitalProfile, PresetClient)
			return
		}
	case json.Unmarshal(raw, &levels) != nil:
		b.addf("levels", "levels must be a list of names or a preset name")
		return
	}
	if len(levels) < 2 {
		b.addf("levels", "at least two levels are needed")
	}
	b.levels = make(map[string]int, len(levels))
	for i, l := range levels {
		if l == "" {
			b.addf(fmt.Sprintf("levels[%d]", i), "a level needs a name")
		}
		if _, dup := b.levels[l]; dup {
			b.addf(fmt.Sprintf("levels[%d]", i), "level %q is listed twice", l)
		}
		b.levels[l] = i
	}
	b.m.levels = levels
}

// level resolves a level name, reporting one not in the level list. When
// the level list itself is broken, the problem was already reported.
func (b *builder) level(path, name string) (int, bool) {
	i, ok := b.levels[name]
	if !ok && b.levels != nil {
		b.addf(path, "level %q is not in the level list %q", name, b.m.levels)
	}
	return i, ok
}

func (b *builder) loadAggregation(a Aggregation) {
	switch a {
	case WeightedSum, WeightedAverage, Maximum:
		b.m.aggregation = a
	case "":
		b.addf("aggregation", "an aggregation is required: %q, %q or %q", WeightedSum, WeightedAverage, Maximum)
	default:
		b.addf("aggregation", "unknown aggregation %q: use %q, %q or %q", a, WeightedSum, WeightedAverage, Maximum)
	}
}

// loadUnknown requires the unknown score: a missing value must score
// something the methodology chose, never a silent zero (issue 8).
func (b *builder) loadUnknown(s *float64) {
	if s == nil {
		b.addf("unknown_score", "unknown_score is required: the score of a value the profile does not hold")
		return
	}
	b.score("unknown_score", *s)
	b.unknown = *s
}

func (b *builder) score(path string, s float64) {
	if math.IsNaN(s) || s < 0 || s > MaxScore {
		b.addf(path, "score %v out of range [0, %d]", s, MaxScore)
	}
}

func (b *builder) weight(path string, w *float64) float64 {
	switch {
	case w == nil:
		b.addf(path, "a weight is required")
		return 0
	case math.IsNaN(*w) || *w <= 0 || *w > MaxWeight:
		b.addf(path, "weight %v out of range (0, %d]", *w, MaxWeight)
	}
	return *w
}

// loadThresholds checks that thresholds rise with the levels: each names a
// level above the lowest (which applies below every threshold), in level
// order, with a strictly greater lower bound than the one before.
func (b *builder) loadThresholds(specs []thresholdSpec) {
	if len(specs) == 0 {
		b.addf("thresholds", "at least one threshold is needed")
		return
	}
	prev := threshold{level: 0, from: math.Inf(-1)}
	for i, t := range specs {
		path := fmt.Sprintf("thresholds[%d]", i)
		lvl, ok := b.level(path+".level", t.Level)
		if t.From == nil {
			b.addf(path+".from", "a lower bound is required")
			continue
		}
		if !ok {
			continue
		}
		if lvl <= prev.level {
			b.addf(path+".level", "level %q must be above %q: thresholds follow the level order", t.Level, b.m.levels[prev.level])
		}
		if *t.From <= prev.from {
			b.addf(path+".from", "thresholds not increasing: %v is not above %v", *t.From, prev.from)
		}
		prev = threshold{level: lvl, from: *t.From}
		b.m.thresholds = append(b.m.thresholds, prev)
	}
}

// scores checks a value-to-score table: every score in range and, when
// allowed is set, every key one of allowed; required keys must be present.
func (b *builder) scores(path string, m map[string]float64, allowed []string, required bool) {
	if len(m) == 0 {
		b.addf(path, "a score table is required")
		return
	}
	for _, k := range slices.Sorted(maps.Keys(m)) {
		if allowed != nil && !slices.Contains(allowed, k) {
			b.addf(path+"."+k, "key %q is not one of %q", k, allowed)
		}
		b.score(path+"."+k, m[k])
	}
	if !required {
		return
	}
	for _, k := range allowed {
		if _, ok := m[k]; !ok {
			b.addf(path, "key %q is required", k)
		}
	}
}

// bands checks and compiles bands: lower bounds strictly increasing, scores
// in range.
func (b *builder) bands(path string, specs []bandSpec, unit string) []band {
	if len(specs) == 0 {
		b.addf(path, "bands are required")
		return nil
	}
	out := make([]band, 0, len(specs))
	for i, s := range specs {
		p := path + "[" + strconv.Itoa(i) + "]"
		if s.From == nil || s.Score == nil {
			b.addf(p, "a band needs from and score")
			continue
		}
		b.score(p+".score", *s.Score)
		if len(out) > 0 && *s.From <= out[len(out)-1].from {
			b.addf(p+".from", "bands not increasing: %v is not above %v", *s.From, out[len(out)-1].from)
			continue
		}
		out = append(out, band{from: *s.From, score: *s.Score, label: s.Label})
	}
	bandLabels(out, unit)
	return out
}

var emptyProfile profile.Profile
