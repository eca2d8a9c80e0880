package riskmatrix

import "slices"

// Names of the level presets a matrix may give as "levels" instead of a list.
const (
	// PresetDigitalProfile is low, medium, high: the three classes of the
	// digital profile (seed 003, 3.1.1, "risk").
	PresetDigitalProfile = "digital_profile"
	// PresetClient is low, medium, high, severe: the risk values of the
	// client API (seed 002).
	PresetClient = "client"
)

var presets = map[string][]string{
	PresetDigitalProfile: {"low", "medium", "high"},
	PresetClient:         {"low", "medium", "high", "severe"},
}

// Preset returns a copy of the ordered levels of a named preset, lowest
// first, and whether the name is known.
func Preset(name string) ([]string, bool) {
	l, ok := presets[name]
	return slices.Clone(l), ok
}

// threshold says that a score of at least from is level (an index into the
// matrix's levels).
type threshold struct {
	level int
	from  float64
}

// levelOf maps a score to a level index: the highest threshold reached, or
// the lowest level below every threshold.
func levelOf(ts []threshold, score float64) int {
	for i := len(ts) - 1; i >= 0; i-- {
		if score >= ts[i].from {
			return ts[i].level
		}
	}
	return 0
}
