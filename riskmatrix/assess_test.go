package riskmatrix

import (
	"encoding/json"
	"errors"
	"math/rand/v2"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/kycsdk/kyc/profile"
)

const twoFactors = `[
	{"id": "pep", "kind": "pep_declaration", "weight": 1, "scores": {"true": 40, "false": 0}},
	{"id": "sanctions", "kind": "watchlist", "weight": 1, "lists": ["sanctioned"], "scores": {"none": 0, "hit": 20, "confirmed": 25}}
]`

func TestOverrides(t *testing.T) {
	clean := profile.Profile{BlacklistsCheckedAt: 1, Declaration: &profile.Declaration{PEP: new(false)}}
	confirmed := profile.Profile{Declaration: &profile.Declaration{PEP: new(false)},
		BlacklistFound: map[string]profile.ListHit{"sanctioned": {Hit: true, Confirmed: true}}}
	pep := profile.Profile{BlacklistsCheckedAt: 1, Declaration: &profile.Declaration{PEP: new(true)}}
	tests := []struct {
		name      string
		overrides string
		p         profile.Profile
		wantLevel string
		wantFired []string
	}{
		{"none fire", `[{"id": "s", "factor": "sanctions", "values": ["confirmed"], "minimum": "high"}]`,
			clean, "low", nil},
		{"confirmed sanctions at least high", `[{"id": "s", "factor": "sanctions", "values": ["confirmed"], "minimum": "high"}]`,
			confirmed, "high", []string{"s"}},
		{"pep at least medium", `[{"id": "p", "factor": "pep", "values": ["true"], "minimum": "medium"}]`,
			pep, "medium", []string{"p"}},
		{"minimum does not lower", `[{"id": "p", "factor": "pep", "values": ["true"], "minimum": "low"}]`,
			pep, "medium", []string{"p"}},
		{"highest minimum wins", `[{"id": "p", "factor": "pep", "values": ["true"], "minimum": "medium"},
				{"id": "q", "factor": "pep", "values": ["true"], "minimum": "severe"}]`,
			pep, "severe", []string{"p", "q"}},
		{"exact lowers", `[{"id": "e", "factor": "pep", "values": ["true"], "exact": "low"}]`,
			pep, "low", []string{"e"}},
		{"exact beats minimum", `[{"id": "m", "factor": "pep", "values": ["true"], "minimum": "severe"},
				{"id": "e", "factor": "pep", "values": ["true"], "exact": "high"}]`,
			pep, "high", []string{"m", "e"}},
		{"status word matches", `[{"id": "u", "factor": "sanctions", "values": ["unknown"], "minimum": "high"}]`,
			profile.Profile{Declaration: &profile.Declaration{PEP: new(false)}}, "high", []string{"u"}},
		{"condition", `[{"id": "c", "condition": "dprofile.blacklist_found.sanctioned.confirmed == True", "minimum": "severe"}]`,
			confirmed, "severe", []string{"c"}},
		{"condition false", `[{"id": "c", "condition": "dprofile.blacklist_found.sanctioned.confirmed == True", "minimum": "severe"}]`,
			clean, "low", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := mustLoad(t, twoFactors, tt.overrides)
			a := m.Assess(&tt.p, testNow)
			var fired []string
			for _, o := range a.Overrides {
				fired = append(fired, o.ID)
			}
			if diff := cmp.Diff(tt.wantLevel, a.Level); diff != "" {
				t.Errorf("level (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantFired, fired); diff != "" {
				t.Errorf("fired overrides (-want +got):\n%s", diff)
			}
		})
	}
}

func TestOverrideConditionError(t *testing.T) {
	m := mustLoad(t, twoFactors, `[{"id": "c", "condition": "dprofile.open_cases > 0", "minimum": "severe"}]`)
	a := m.Assess(&profile.Profile{BlacklistsCheckedAt: 1, Declaration: &profile.Declaration{PEP: new(false)}}, testNow)
	if diff := cmp.Diff([]string{"c"}, a.Unevaluated); diff != "" {
		t.Errorf("unevaluated (-want +got):\n%s", diff)
	}
	if a.Level == "severe" || len(a.Overrides) != 0 {
		t.Errorf("an override that cannot be evaluated fired: level %s, overrides %v", a.Level, a.Overrides)
	}
}

func TestAggregation(t *testing.T) {
	p := profile.Profile{Declaration: &profile.Declaration{PEP: new(true)}, BlacklistFound: map[string]profile.ListHit{"sanctioned": {Hit: true}}}
	factors := `[
		{"id": "pep", "kind": "pep_declaration", "weight": 3, "scores": {"true": 40, "false": 0}},
		{"id": "sanctions", "kind": "watchlist", "weight": 1, "lists": ["sanctioned"], "scores": {"none": 0, "hit": 20, "confirmed": 25}},
		{"id": "nat", "kind": "nationality", "weight": 5, "scores": {"AR": 0}}
	]`
	tests := []struct {
		aggregation string
		personType  profile.PersonType
		want        float64
		wantContrib []float64
	}{
		{"weighted_sum", profile.LegalPerson, 140, []float64{120, 20, 0}},
		{"weighted_average", profile.LegalPerson, 35, []float64{30, 5, 0}},
		{"maximum", profile.LegalPerson, 120, []float64{120, 20, 0}},
		// The missing nationality scores the unknown score (50), weight 5.
		{"weighted_average", profile.NaturalPerson, 43.333333333333336, []float64{120.0 / 9, 20.0 / 9, 250.0 / 9}},
	}
	for _, tt := range tests {
		t.Run(tt.aggregation+"/"+string(tt.personType), func(t *testing.T) {
			doc := `{"version": "t", "levels": ["low", "high"], "aggregation": "` + tt.aggregation + `", "unknown_score": 50,
				"thresholds": [{"level": "high", "from": 100}], "factors": ` + factors + `}`
			m, err := Load([]byte(doc))
			if err != nil {
				t.Fatal(err)
			}
			q := p
			q.PersonType = tt.personType
			a := m.Assess(&q, testNow)
			var contrib []float64
			for _, f := range a.Factors {
				contrib = append(contrib, f.Contribution)
			}
			if diff := cmp.Diff(tt.want, a.Score); diff != "" {
				t.Errorf("score (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantContrib, contrib); diff != "" {
				t.Errorf("contributions (-want +got):\n%s", diff)
			}
		})
	}
}

func TestThresholds(t *testing.T) {
	m := mustLoad(t, `[{"id": "x", "kind": "profile_path", "weight": 1, "path": "open_cases", "bands": [{"from": 0, "score": 0}, {"from": 29, "score": 29}, {"from": 30, "score": 30}, {"from": 60, "score": 60}, {"from": 95, "score": 95}]}]`, "")
	for cases, want := range map[int]string{1: "low", 29: "low", 30: "medium", 59: "medium", 60: "high", 95: "severe"} {
		a := m.Assess(&profile.Profile{OpenCases: cases}, testNow)
		if a.Level != want || a.ScoreLevel != want {
			t.Errorf("open_cases %d: level %s, score level %s, want %s", cases, a.Level, a.ScoreLevel, want)
		}
	}
}

func TestLoadProblems(t *testing.T) {
	valid := func(edit func(map[string]any)) string {
		doc := map[string]any{}
		if err := json.Unmarshal(exampleDoc(t), &doc); err != nil {
			t.Fatal(err)
		}
		edit(doc)
		b, _ := json.Marshal(doc)
		return string(b)
	}
	factor := func(doc map[string]any, i int) map[string]any { return doc["factors"].([]any)[i].(map[string]any) }
	tests := []struct {
		name string
		doc  string
		want []Problem
	}{
		{"not json", `{"version": `, []Problem{{"", "unexpected end of JSON input"}}},
		{"unknown top-level field", `{"version": "x", "colour": 1}`, []Problem{{"", `unknown field "colour"`}}},
		{"case-folded top-level field", `{"Version": "x"}`, []Problem{{"", `unknown field "Version"`}}},
		{"repeated top-level field", `{"version": "x", "version": "y"}`, []Problem{{"", `duplicate key "version"`}}},
		{"thresholds not a list", `{"version": "x", "thresholds": {"level": "high"}}`, []Problem{{"thresholds", "wrong type, want a list"}}},
		{"threshold of the wrong type", `{"version": "x", "thresholds": [{"level": "high", "from": "50"}]}`, []Problem{{"thresholds[0].from", "wrong type, want a number"}}},
		{"empty", `{}`, []Problem{
			{"version", "a version is required: assessments record it for audit"},
			{"levels", `levels are required: a list, or the preset "digital_profile" or "client"`},
			{"aggregation", `an aggregation is required: "weighted_sum", "weighted_average" or "maximum"`},
			{"unknown_score", "unknown_score is required: the score of a value the profile does not hold"},
			{"thresholds", "at least one threshold is needed"},
			{"factors", "at least one factor is needed"},
		}},
		{"unknown preset", valid(func(d map[string]any) { d["levels"] = "traffic_light" }), []Problem{
			{"levels", `unknown level preset "traffic_light" (known: "digital_profile", "client")`},
		}},
		{"duplicate level", valid(func(d map[string]any) { d["levels"] = []string{"low", "medium", "medium", "high"} }), []Problem{
			{"levels[2]", `level "medium" is listed twice`},
		}},
		{"unknown aggregation", valid(func(d map[string]any) { d["aggregation"] = "median" }), []Problem{
			{"aggregation", `unknown aggregation "median": use "weighted_sum", "weighted_average" or "maximum"`},
		}},
		{"unknown score out of range", valid(func(d map[string]any) { d["unknown_score"] = -1 }), []Problem{
			{"unknown_score", "score -1 out of range [0, 100]"},
		}},
		{"thresholds not increasing", valid(func(d map[string]any) {
			d["thresholds"] = []any{map[string]any{"level": "medium", "from": 50}, map[string]any{"level": "high", "from": 50}}
		}), []Problem{{"thresholds[1].from", "thresholds not increasing: 50 is not above 50"}}},
		{"threshold on the lowest level", valid(func(d map[string]any) {
			d["thresholds"] = []any{map[string]any{"level": "low", "from": 10}}
		}), []Problem{{"thresholds[0].level", `level "low" must be above "low": thresholds follow the level order`}}},
		{"threshold level unknown", valid(func(d map[string]any) {
			d["thresholds"] = []any{map[string]any{"level": "severe", "from": 10}}
		}), []Problem{{"thresholds[0].level", `level "severe" is not in the level list ["low" "medium" "high"]`}}},
		{"weight out of range", valid(func(d map[string]any) { factor(d, 0)["weight"] = 0; factor(d, 1)["weight"] = 101 }), []Problem{
			{"factors[0].weight", "weight 0 out of range (0, 100]"},
			{"factors[1].weight", "weight 101 out of range (0, 100]"},
		}},
		{"missing weight", valid(func(d map[string]any) { delete(factor(d, 3), "weight") }), []Problem{
			{"factors[3].weight", "a weight is required"},
		}},
		{"unknown kind", valid(func(d map[string]any) { factor(d, 2)["kind"] = "horoscope" }), []Problem{
			{"factors[2].kind", `unknown factor kind "horoscope"`},
		}},
		{"unknown field in a factor", valid(func(d map[string]any) { factor(d, 2)["wieght"] = 1 }), []Problem{
			{"factors[2]", `cannot decode factor: unknown field "wieght"`},
		}},
		{"duplicate factor id", valid(func(d map[string]any) { factor(d, 1)["id"] = "residence" }), []Problem{
			{"factors[1].id", `factor id "residence" is used twice`},
		}},
		{"bad country code", valid(func(d map[string]any) { factor(d, 0)["scores"] = map[string]any{"ARG": 1, "XX": 2} }), []Problem{
			{"factors[0].scores.ARG", `"ARG" is not an ISO 3166-1 alpha-2 country code`},
			{"factors[0].scores.XX", `"XX" is not an ISO 3166-1 alpha-2 country code`},
		}},
		{"score out of range", valid(func(d map[string]any) {
			factor(d, 3)["scores"] = map[string]any{"natural_person": 101, "legal_person": 0}
		}), []Problem{
			{"factors[3].scores.natural_person", "score 101 out of range [0, 100]"},
		}},
		{"key not read by the kind", valid(func(d map[string]any) { factor(d, 5)["scores"] = map[string]any{"true": 1, "false": 0, "maybe": 1} }), []Problem{
			{"factors[5].scores.maybe", `key "maybe" is not one of ["true" "false"]`},
		}},
		{"watchlist state missing", valid(func(d map[string]any) { factor(d, 7)["scores"] = map[string]any{"none": 0, "hit": 1} }), []Problem{
			{"factors[7].scores", `key "confirmed" is required`},
		}},
		{"bands not increasing", valid(func(d map[string]any) {
			factor(d, 10)["bands"] = []any{map[string]any{"from": 10, "score": 1}, map[string]any{"from": 5, "score": 2}}
		}), []Problem{{"factors[10].bands[1].from", "bands not increasing: 5 is not above 10"}}},
		{"unknown profile path", valid(func(d map[string]any) { factor(d, 14)["path"] = "natural_person.hair" }), []Problem{
			{"factors[14].path", `unknown profile path: no field "hair" at "natural_person"`},
		}},
		{"path through a list", valid(func(d map[string]any) { factor(d, 14)["path"] = "addresses.country" }), []Problem{
			{"factors[14].path", `unknown profile path: "addresses" is a list; use a factor kind for lists or a rule`},
		}},
		{"condition does not compile", valid(func(d map[string]any) {
			factor(d, 15)["rules"] = []any{map[string]any{"when": "dprofile.open_cases >", "score": 1}}
		}), []Problem{{"factors[15].rules[0].when", "condition does not compile: column 22: unexpected end of condition"}}},
		{"condition reads an unknown field", valid(func(d map[string]any) {
			factor(d, 15)["rules"] = []any{map[string]any{"when": "dprofile.opencases > 0", "score": 1}}
		}), []Problem{{"factors[15].rules[0].when", `condition reads dprofile.opencases: unknown profile path: no field "opencases" at ""`}}},
		{"override level not in list", valid(func(d map[string]any) {
			d["overrides"].([]any)[0].(map[string]any)["minimum"] = "severe"
		}), []Problem{{"overrides[0].minimum", `level "severe" is not in the level list ["low" "medium" "high"]`}}},
		{"override unknown factor and value", valid(func(d map[string]any) {
			d["overrides"] = []any{
				map[string]any{"id": "a", "factor": "nope", "values": []any{"x"}, "exact": "high"},
				map[string]any{"id": "b", "factor": "pep", "values": []any{"yes"}, "exact": "high"},
			}
		}), []Problem{
			{"overrides[0].factor", `no factor has the id "nope"`},
			{"overrides[1].values[0]", `factor "pep" never has the value "yes"`},
		}},
		{"override without effect or trigger", valid(func(d map[string]any) { d["overrides"] = []any{map[string]any{"id": "a"}} }), []Problem{
			{"overrides[0]", "an override needs a minimum or an exact level"},
			{"overrides[0]", "an override needs a factor and values, or a condition"},
		}},
		{"transactional table", valid(func(d map[string]any) {
			d["transactional_profile"] = map[string]any{"income_period": "weekly", "period": "annual", "activity_multipliers": map[string]any{"1": -1}, "minimum": 5, "maximum": 1}
		}), []Problem{
			{"transactional_profile.income_period", `period must be "monthly" or "annual", not "weekly"`},
			{"transactional_profile.activity_multipliers.1", "multiplier -1 out of range [0, 1000]"},
			{"transactional_profile.default_multiplier", "a default multiplier is required, for activities not in the table"},
			{"transactional_profile.maximum", "maximum 1 is below minimum 5"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := Load([]byte(tt.doc))
			if m != nil || !errors.Is(err, ErrInvalidMatrix) {
				t.Fatalf("Load = %v, %v; want an ErrInvalidMatrix", m, err)
			}
			var me *MatrixError
			if !errors.As(err, &me) {
				t.Fatalf("error %T is not a *MatrixError", err)
			}
			if diff := cmp.Diff(tt.want, me.Problems); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
		})
	}
}

func exampleDoc(t testing.TB) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/example.json")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func exampleMatrix(t testing.TB) *Matrix {
	t.Helper()
	m, err := Load(exampleDoc(t))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestPresets(t *testing.T) {
	for name, want := range map[string][]string{
		PresetDigitalProfile: {"low", "medium", "high"},
		PresetClient:         {"low", "medium", "high", "severe"},
	} {
		got, ok := Preset(name)
		if diff := cmp.Diff(want, got); !ok || diff != "" {
			t.Errorf("Preset(%q) (-want +got):\n%s", name, diff)
		}
	}
	if _, ok := Preset("nope"); ok {
		t.Error("Preset(nope) reported a preset")
	}
	m := exampleMatrix(t)
	m.Levels()[0] = "changed"
	if m.Levels()[0] != "low" {
		t.Error("Levels exposes the matrix's own slice")
	}
}

func TestAssessmentJSON(t *testing.T) {
	m := exampleMatrix(t)
	p := seedProfile(t)
	a := m.Assess(p, testNow)
	b, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	var back Assessment
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(a, back); diff != "" {
		t.Errorf("JSON round trip (-want +got):\n%s", diff)
	}
	// The assessment is for audit: no personal value of the profile may
	// appear in it.
	for _, personal := range []string{p.Name, p.TaxPayerID, p.NaturalPerson.IDNumber, p.NaturalPerson.BirthPlace, "Doe", "@", "39499655"} {
		if personal != "" && strings.Contains(string(b)+a.Explain(), personal) {
			t.Errorf("assessment shows personal data %q", personal)
		}
	}
}

func TestApply(t *testing.T) {
	m := exampleMatrix(t)
	p := seedProfile(t)
	a := m.Assess(p, testNow)
	a.Apply(p)
	if p.Risk != a.Level || p.RiskCalculatedAt != profile.TimestampOf(testNow) {
		t.Errorf("Apply set risk %q at %d, want %q at %d", p.Risk, p.RiskCalculatedAt, a.Level, profile.TimestampOf(testNow))
	}
}

func TestAssessNil(t *testing.T) {
	a := exampleMatrix(t).Assess(nil, testNow)
	for _, f := range a.Factors {
		if f.Status != StatusUnknown && f.Status != StatusUnlisted && f.Status != StatusScored {
			t.Errorf("factor %s of a nil profile: status %s", f.ID, f.Status)
		}
	}
	if a.Level == "" {
		t.Error("no level for a nil profile")
	}
}

// TestRaisingScoreNeverLowersLevel is the monotonicity property: for random
// profiles, raising the score of any one table entry or band of any factor
// never lowers the level, under every aggregation.
func TestRaisingScoreNeverLowersLevel(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	base := map[string]any{}
	if err := json.Unmarshal(exampleDoc(t), &base); err != nil {
		t.Fatal(err)
	}
	profiles := randomProfiles(rng, 120)
	for _, agg := range []Aggregation{WeightedSum, WeightedAverage, Maximum} {
		for trial := range 25 {
			low := randomScores(rng, base, agg)
			high, which := raiseOne(rng, low)
			mLow, mHigh := loadMap(t, low), loadMap(t, high)
			for i, p := range profiles {
				a, b := mLow.Assess(p, testNow), mHigh.Assess(p, testNow)
				if rank(mLow, b.Level) < rank(mLow, a.Level) {
					t.Fatalf("%s trial %d profile %d: raising %s lowered the level from %s (score %v) to %s (score %v)",
						agg, trial, i, which, a.Level, a.Score, b.Level, b.Score)
				}
			}
		}
	}
}

func rank(m *Matrix, level string) int {
	for i, l := range m.levels {
		if l == level {
			return i
		}
	}
	return -1
}

func loadMap(t *testing.T, doc map[string]any) *Matrix {
	t.Helper()
	b, _ := json.Marshal(doc)
	m, err := Load(b)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// randomScores copies the matrix document with random scores everywhere.
func randomScores(rng *rand.Rand, base map[string]any, agg Aggregation) map[string]any {
	b, _ := json.Marshal(base)
	var doc map[string]any
	_ = json.Unmarshal(b, &doc)
	doc["aggregation"] = string(agg)
	scale := 1.0
	if agg == WeightedSum {
		scale = 26
	}
	doc["thresholds"] = []any{
		map[string]any{"level": "medium", "from": 20 * scale},
		map[string]any{"level": "high", "from": 40 * scale},
	}
	for _, f := range doc["factors"].([]any) {
		f := f.(map[string]any)
		for k := range asMap(f["scores"]) {
			asMap(f["scores"])[k] = float64(rng.IntN(101))
		}
		for _, b := range asSlice(f["bands"]) {
			asMap(b)["score"] = float64(rng.IntN(101))
		}
		for _, r := range asSlice(f["rules"]) {
			asMap(r)["score"] = float64(rng.IntN(101))
		}
		if _, ok := f["default"]; ok {
			f["default"] = float64(rng.IntN(101))
		}
	}
	return doc
}

// raiseOne copies doc with one score of one factor raised.
func raiseOne(rng *rand.Rand, doc map[string]any) (map[string]any, string) {
	b, _ := json.Marshal(doc)
	var out map[string]any
	_ = json.Unmarshal(b, &out)
	factors := out["factors"].([]any)
	f := asMap(factors[rng.IntN(len(factors))])
	var slots []func(float64) float64
	for k := range asMap(f["scores"]) {
		slots = append(slots, bump(asMap(f["scores"]), k))
	}
	for _, b := range asSlice(f["bands"]) {
		slots = append(slots, bump(asMap(b), "score"))
	}
	for _, r := range asSlice(f["rules"]) {
		slots = append(slots, bump(asMap(r), "score"))
	}
	if _, ok := f["default"]; ok {
		slots = append(slots, bump(f, "default"))
	}
	if _, ok := f["unknown"]; !ok {
		f["unknown"] = out["unknown_score"]
	}
	slots = append(slots, bump(f, "unknown"))
	raised := slots[rng.IntN(len(slots))](float64(1 + rng.IntN(100)))
	return out, f["id"].(string) + " to " + json.Number(strings.TrimSpace(string(mustJSON(raised)))).String()
}

func bump(m map[string]any, k string) func(float64) float64 {
	return func(by float64) float64 {
		m[k] = min(100, m[k].(float64)+by)
		return m[k].(float64)
	}
}

func mustJSON(v any) []byte { b, _ := json.Marshal(v); return b }

func asMap(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

func asSlice(v any) []any {
	s, _ := v.([]any)
	return s
}

// randomProfiles draws profiles that reach every state of the example's
// factors: both person types, known and missing values, each list state.
func randomProfiles(rng *rand.Rand, n int) []*profile.Profile {
	countries := []string{"AR", "IR", "FR", "KP", "PA", "", "Atlantis"}
	states := []profile.ListHit{{}, {Hit: true}, {Hit: true, Confirmed: true}}
	pick := func(s []string) string { return s[rng.IntN(len(s))] }
	maybeBool := func() *bool {
		if rng.IntN(3) == 0 {
			return nil
		}
		return new(rng.IntN(2) == 0)
	}
	out := make([]*profile.Profile, n)
	for i := range out {
		p := &profile.Profile{ResidenceCountry: pick(countries), OpenCases: rng.IntN(3),
			Declaration: &profile.Declaration{PEP: maybeBool(), ObligatedSubject: maybeBool()}}
		if rng.IntN(2) == 0 {
			p.PersonType = profile.NaturalPerson
			p.NaturalPerson = &profile.Natural{Nationality: pick(countries), IsEmployee: rng.IntN(4) == 0}
		} else {
			p.PersonType = profile.LegalPerson
			p.LegalPerson = &profile.Legal{Constitution: pick([]string{"trust", "corporation", "cooperative", ""})}
			p.Addresses = []profile.Address{{AddressType: "fiscal", Country: pick(countries)}}
		}
		if rng.IntN(4) > 0 {
			p.BlacklistsCheckedAt = 1
			p.BlacklistFound = map[string]profile.ListHit{"sanctioned": states[rng.IntN(3)], "pep": states[rng.IntN(3)]}
		}
		if rng.IntN(4) > 0 {
			p.DeclaredIncome = new(rng.Int64N(20_000_000))
			p.TransactionalProfileAmount = new(rng.Int64N(10_000_000))
		}
		if rng.IntN(4) > 0 {
			p.CreatedAt = profile.TimestampOf(testNow.AddDate(0, 0, -rng.IntN(2000)))
		}
		if rng.IntN(4) > 0 {
			p.Activities = []profile.Activity{{Code: pick([]string{"11501", "649100", "920001", "47110"}), Main: true}}
		}
		if rng.IntN(4) > 0 {
			p.IdentityDocuments = []profile.IdentityDocument{{ExpiryDate: new(profile.DateFromTime(testNow.AddDate(0, 0, rng.IntN(120)-60)))}}
		}
		out[i] = p
	}
	return out
}

// TestAssessIntoMatchesAssess re-scores varied profiles into one reused
// Assessment, as a portfolio loop does: each result must be the one Assess
// gives, with nothing left over from the profile before.
func TestAssessIntoMatchesAssess(t *testing.T) {
	m := exampleMatrix(t)
	var into Assessment
	profiles := append(randomProfiles(rand.New(rand.NewPCG(7, 8)), 500), nil)
	for i, p := range profiles {
		want := m.Assess(p, testNow)
		m.AssessInto(p, testNow, &into)
		if d := cmp.Diff(want, into, cmpopts.EquateEmpty()); d != "" {
			t.Fatalf("profile %d: AssessInto (-want +got):\n%s", i, d)
		}
	}
}

// TestNamesEncodeAsText checks that the integer kinds and statuses read and
// write the names of the matrix JSON and of the assessment.
func TestNamesEncodeAsText(t *testing.T) {
	tests := []struct {
		name   string
		value  any
		want   string
		decode func([]byte) (any, error)
	}{
		{"kind", KindResidence, `"country_of_residence"`, func(b []byte) (any, error) { var k Kind; err := json.Unmarshal(b, &k); return k, err }},
		{"last kind", KindRules, `"rules"`, func(b []byte) (any, error) { var k Kind; err := json.Unmarshal(b, &k); return k, err }},
		{"status", StatusNotApplicable, `"not_applicable"`, func(b []byte) (any, error) { var s Status; err := json.Unmarshal(b, &s); return s, err }},
		{"first status", StatusScored, `"scored"`, func(b []byte) (any, error) { var s Status; err := json.Unmarshal(b, &s); return s, err }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := json.Marshal(tt.value)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, string(b)); diff != "" {
				t.Errorf("encoding (-want +got):\n%s", diff)
			}
			back, err := tt.decode(b)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.value, back); diff != "" {
				t.Errorf("round trip (-want +got):\n%s", diff)
			}
		})
	}
	var k Kind
	if err := json.Unmarshal([]byte(`"zodiac_sign"`), &k); !errors.Is(err, ErrUnknownName) {
		t.Errorf("unknown kind: error %v, want ErrUnknownName", err)
	}
	if _, err := json.Marshal(Status(0)); !errors.Is(err, ErrUnknownName) {
		t.Errorf("zero status: error %v, want ErrUnknownName", err)
	}
}
