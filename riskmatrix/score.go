package riskmatrix

import (
	"strconv"
)

// Status says how a factor's score was found. It is a small integer that
// encodes as its name in JSON and text ("scored").
type Status uint8

// Statuses of a factor result. Anything but StatusScored is a value the
// matrix did not list: it is named in the assessment, never scored as a
// silent zero.
const (
	// StatusScored: the value is listed in the factor's table or bands.
	StatusScored Status = iota + 1
	// StatusUnlisted: the value is present but not in the table; it scores
	// the factor's default, or the unknown score when there is no default.
	StatusUnlisted
	// StatusUnknown: the profile does not hold the value; it scores the
	// unknown score.
	StatusUnknown
	// StatusNotApplicable: the factor does not apply to the person type
	// (nationality of a legal person); it takes no part in the aggregate.
	StatusNotApplicable
	// StatusError: a rule's condition could not be evaluated on this
	// profile; it scores the unknown score.
	StatusError
)

// statusNames are the JSON names of the statuses, indexed by Status.
var statusNames = [...]string{
	"",
	StatusScored:        "scored",
	StatusUnlisted:      "unlisted",
	StatusUnknown:       "unknown",
	StatusNotApplicable: "not_applicable",
	StatusError:         "error",
}

// String returns the status's name; "" for an invalid status.
func (s Status) String() string { return nameOf(statusNames[:], s) }

// MarshalText encodes the status as its name.
func (s Status) MarshalText() ([]byte, error) { return marshalName(statusNames[:], s) }

// UnmarshalText decodes a status's name.
func (s *Status) UnmarshalText(b []byte) error { return unmarshalName(statusNames[:], b, s) }

// parseStatus returns the status of a name, and false for an unknown one.
func parseStatus(name string) (Status, bool) { return parseName[Status](statusNames[:], name) }

// outcome is what a factor found on one profile.
type outcome struct {
	value  string
	score  float64
	status Status
}

// entry is one row of a value-to-score table; it keeps its key so that a
// lookup made with scratch bytes returns the table's own string.
type entry struct {
	key   string
	score float64
}

// table is a value-to-score table. Keys are matrix configuration.
type table struct {
	scores map[string]entry
	// def scores a value that is present but not listed; hasDef false
	// means such a value scores the unknown score.
	def    float64
	hasDef bool
	// showRaw says the raw value of an unlisted entry may be shown (codes
	// such as countries and activities); otherwise it reads "other", since
	// an arbitrary profile path may hold personal data.
	showRaw bool
	unknown float64
}

func newTable(scores map[string]float64) table {
	t := table{scores: make(map[string]entry, len(scores))}
	for k, v := range scores {
		t.scores[k] = entry{key: k, score: v}
	}
	return t
}

func (t *table) lookup(key string) outcome {
	if e, ok := t.scores[key]; ok {
		return outcome{value: e.key, score: e.score, status: StatusScored}
	}
	return t.unlisted(key)
}

// lookupBytes is lookup without converting the key to a string: the
// compiler does not allocate for m[string(b)]. The raw value of an unlisted
// key is never shown, as it lives in scratch memory.
func (t *table) lookupBytes(key []byte) outcome {
	if e, ok := t.scores[string(key)]; ok {
		return outcome{value: e.key, score: e.score, status: StatusScored}
	}
	return t.unlisted("")
}

func (t *table) unlisted(raw string) outcome {
	v := "other"
	if t.showRaw && raw != "" {
		v = raw
	}
	if t.hasDef {
		return outcome{value: v, score: t.def, status: StatusUnlisted}
	}
	return outcome{value: v, score: t.unknown, status: StatusUnlisted}
}

// band scores the values from its lower bound (inclusive) up to the next
// band's.
type band struct {
	from  float64
	score float64
	label string
}

// bands are ascending by lower bound; a value below the first is unlisted.
type bands struct {
	list    []band
	def     float64
	hasDef  bool
	unknown float64
}

func (b *bands) lookup(x float64) outcome {
	for i := len(b.list) - 1; i >= 0; i-- {
		if x >= b.list[i].from {
			return outcome{value: b.list[i].label, score: b.list[i].score, status: StatusScored}
		}
	}
	if b.hasDef {
		return outcome{value: "below_bands", score: b.def, status: StatusUnlisted}
	}
	return outcome{value: "below_bands", score: b.unknown, status: StatusUnlisted}
}

// bandLabels names each band by its range, as an analyst reads it:
// "10000 to 50000", "50000 and over".
func bandLabels(list []band, unit string) {
	for i := range list {
		if list[i].label != "" {
			continue
		}
		from := strconv.FormatFloat(list[i].from, 'f', -1, 64)
		if i == len(list)-1 {
			list[i].label = from + unit + " and over"
			continue
		}
		list[i].label = from + " to " + strconv.FormatFloat(list[i+1].from, 'f', -1, 64) + unit
	}
}
