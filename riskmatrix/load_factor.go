package riskmatrix

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"

	"github.com/kycsdk/kyc/internal/country"
	"github.com/kycsdk/kyc/internal/jsonconfig"
	"github.com/kycsdk/kyc/profile"
)

// factorSpec is the JSON of one factor; which fields apply depends on the
// kind (see the Kind constants).
type factorSpec struct {
	ID          string             `json:"id"`
	KindName    string             `json:"kind"`
	Kind        Kind               `json:"-"` // parsed from KindName
	Description string             `json:"description"`
	Weight      *float64           `json:"weight"`
	Unknown     *float64           `json:"unknown"`
	Default     *float64           `json:"default"`
	Scores      map[string]float64 `json:"scores"`
	Bands       []bandSpec         `json:"bands"`
	Path        string             `json:"path"`
	Lists       []string           `json:"lists"`
	Activities  string             `json:"activities"`
	WithinDays  *int               `json:"expiring_within_days"`
	Rules       []ruleSpec         `json:"rules"`
}

func (b *builder) loadFactors(raws []json.RawMessage) {
	if len(raws) == 0 {
		b.addf("factors", "at least one factor is needed")
		return
	}
	for i, raw := range raws {
		path := fmt.Sprintf("factors[%d]", i)
		var s factorSpec
		if err := jsonconfig.Decode(raw, &s); err != nil {
			b.addf(path, "cannot decode factor: %v", err)
			continue
		}
		s.Kind, _ = parseKind(s.KindName)
		f, ok := b.factor(path, &s)
		if !ok {
			continue
		}
		b.factors[f.id] = len(b.m.factors)
		b.m.factors = append(b.m.factors, f)
	}
}

// factor compiles one factor; ok is false when the kind is unknown or the
// id unusable, in which case nothing else can refer to it.
func (b *builder) factor(path string, s *factorSpec) (factor, bool) {
	f := factor{id: s.ID, kind: s.Kind, unknown: b.unknown}
	ok := true
	if s.ID == "" {
		b.addf(path+".id", "a factor needs an id")
		ok = false
	} else if _, dup := b.factors[s.ID]; dup {
		b.addf(path+".id", "factor id %q is used twice", s.ID)
		ok = false
	}
	f.weight = b.weight(path+".weight", s.Weight)
	if s.Unknown != nil {
		b.score(path+".unknown", *s.Unknown)
		f.unknown = *s.Unknown
	}
	if s.Default != nil {
		b.score(path+".default", *s.Default)
	}
	if !b.kind(path, s, &f) {
		return f, false
	}
	return f, ok
}

// kind compiles the kind-specific part of a factor.
func (b *builder) kind(path string, s *factorSpec, f *factor) bool {
	switch s.Kind {
	case KindResidence, KindNationality, KindIncorporation:
		b.countryFactor(path, s, f)
	case KindPersonType:
		t := b.table(path, s, []string{string(profile.NaturalPerson), string(profile.LegalPerson)}, false, f)
		f.eval = stringEval(t, personType)
	case KindConstitution:
		t := b.table(path, s, nil, false, f)
		t.showRaw, f.values, f.applies = true, nil, profile.LegalPerson
		f.eval = stringEval(t, constitution)
	case KindPEP, KindObligatedSubject:
		t := b.table(path, s, []string{"true", "false"}, true, f)
		f.eval = declarationEval(t, map[Kind]func(*profile.Declaration) *bool{KindPEP: pepAnswer, KindObligatedSubject: obligatedAnswer}[s.Kind])
	case KindWatchlist:
		b.watchlistFactor(path, s, f)
	case KindActivity:
		b.activityFactor(path, s, f)
	case KindIncome, KindTransactionalAmount, KindRelationshipAge:
		b.bandFactor(path, s, f)
	case KindIdentityDocument:
		b.documentFactor(path, s, f)
	case KindPath:
		b.pathFactor(path, s, f)
	case KindRules:
		b.rulesFactor(path, s, f)
	case 0:
		if s.KindName == "" {
			b.addf(path+".kind", "a factor needs a kind")
		} else {
			b.addf(path+".kind", "unknown factor kind %q", s.KindName)
		}
		return false
	}
	return true
}

// table compiles the factor's value table. allowed, when set, is the closed
// set of keys the kind reads; required says each must be scored.
func (b *builder) table(path string, s *factorSpec, allowed []string, required bool, f *factor) *table {
	b.scores(path+".scores", s.Scores, allowed, required)
	t := newTable(s.Scores)
	t.unknown = f.unknown
	if s.Default != nil {
		t.def, t.hasDef = *s.Default, true
	}
	// A closed set of values is known whatever the table scores, so that an
	// override naming one is checked against the kind, not the table.
	f.values = append(slices.Clone(allowed), "other")
	if allowed == nil {
		f.values = append(slices.Sorted(maps.Keys(s.Scores)), "other")
	}
	return &t
}

// countryFactor compiles a country table, keyed by alpha-2 codes, the
// stored form of a country (DESIGN.md, The profile).
func (b *builder) countryFactor(path string, s *factorSpec, f *factor) {
	t := b.table(path, s, nil, false, f)
	for _, k := range slices.Sorted(maps.Keys(s.Scores)) {
		if !country.IsAlpha2(k) {
			b.addf(path+".scores."+k, "%q is not an ISO 3166-1 alpha-2 country code", k)
		}
	}
	t.showRaw, f.values = true, nil
	get := residenceCountry
	switch s.Kind {
	case KindNationality:
		get, f.applies = nationality, profile.NaturalPerson
	case KindIncorporation:
		get, f.applies = incorporationCountry, profile.LegalPerson
	}
	f.eval = countryEval(t, get)
}

func (b *builder) watchlistFactor(path string, s *factorSpec, f *factor) {
	if len(s.Lists) == 0 {
		b.addf(path+".lists", "name the list types to read (pep, sanctioned, wanted, terrorism, ...)")
	}
	t := b.table(path, s, watchStates[:], true, f)
	f.eval = watchlistEval(t, slices.Clone(s.Lists))
}

func (b *builder) activityFactor(path string, s *factorSpec, f *factor) {
	mainOnly := false
	switch s.Activities {
	case "", "all":
	case "main":
		mainOnly = true
	default:
		b.addf(path+".activities", "activities must be \"all\" or \"main\", not %q", s.Activities)
	}
	t := b.table(path, s, nil, false, f)
	t.showRaw, f.values = true, nil
	f.eval = activityEval(t, mainOnly)
}

func (b *builder) bandFactor(path string, s *factorSpec, f *factor) {
	unit := ""
	if s.Kind == KindRelationshipAge {
		unit = " days"
	}
	bs := b.bandTable(path, s, unit, f)
	switch s.Kind {
	case KindIncome:
		f.eval = amountEval(bs, declaredIncome)
	case KindTransactionalAmount:
		f.eval = amountEval(bs, txAmount)
	default:
		f.eval = relationshipAgeEval(bs)
	}
}

func (b *builder) bandTable(path string, s *factorSpec, unit string, f *factor) *bands {
	if s.Kind == KindRelationshipAge {
		b.dayBands(path+".bands", s.Bands)
	}
	bs := &bands{list: b.bands(path+".bands", s.Bands, unit), unknown: f.unknown}
	if s.Default != nil {
		bs.def, bs.hasDef = *s.Default, true
	}
	for _, x := range bs.list {
		f.values = append(f.values, x.label)
	}
	f.values = append(f.values, "below_bands", "other")
	return bs
}

// dayBands checks that the bands of a relationship age are day counts from
// 0 to MaxDays.
func (b *builder) dayBands(path string, specs []bandSpec) {
	for i, s := range specs {
		if s.From != nil && (*s.From < 0 || *s.From > MaxDays) {
			b.addf(path+"["+strconv.Itoa(i)+"].from", "a relationship age is 0 to %d days, not %v", MaxDays, *s.From)
		}
	}
}

func (b *builder) documentFactor(path string, s *factorSpec, f *factor) {
	days := 0
	switch {
	case s.WithinDays == nil:
		b.addf(path+".expiring_within_days", "say how many days before expiry a document counts as expiring")
	case *s.WithinDays < 1 || *s.WithinDays > MaxDays:
		b.addf(path+".expiring_within_days", "must be 1 to %d days, not %d", MaxDays, *s.WithinDays)
	default:
		days = *s.WithinDays
	}
	t := b.table(path, s, documentStates[:], true, f)
	f.eval = documentEval(t, days)
}

func (b *builder) pathFactor(path string, s *factorSpec, f *factor) {
	a, msg := resolvePath(s.Path)
	if msg != "" {
		b.addf(path+".path", "%s", msg)
	}
	switch {
	case len(s.Scores) > 0 && len(s.Bands) > 0:
		b.addf(path, "give scores or bands, not both")
	case len(s.Bands) > 0:
		if a != nil && !a.numeric && !a.dynLeaf {
			b.addf(path+".bands", "bands need a number, and %q is not one", s.Path)
		}
		f.eval = pathBandsEval(b.bandTable(path, s, "", f), a)
	default:
		f.eval = pathTableEval(b.table(path, s, nil, false, f), a)
	}
}
