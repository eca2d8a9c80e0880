package riskmatrix

import (
	"cmp"
	"math"
	"time"

	"github.com/kycsdk/kyc/internal/condition"
	"github.com/kycsdk/kyc/internal/country"
	"github.com/kycsdk/kyc/profile"
)

// Kind is the kind of a risk factor: what it reads from the profile and how
// it turns that into a score. It is a small integer, so that a factor
// result carries no string for it, and encodes as its name in JSON and
// text ("country_of_residence").
type Kind uint8

// Factor kinds. Each reads the fields named in its comment; the fields are
// those of the digital profile (seed 003, 3.1.1).
const (
	// KindResidence scores the country of residence: residence_country, or
	// else the country of the main address, else of the first personal
	// address. Table keys are ISO 3166-1 alpha-2 codes.
	KindResidence Kind = iota + 1
	// KindNationality scores natural_person.nationality (alpha-2 table).
	KindNationality
	// KindIncorporation scores a legal person's country of incorporation:
	// the country of the fiscal address, else the legal address, else the
	// main address (alpha-2 table).
	KindIncorporation
	// KindPersonType scores person_type (natural_person, legal_person).
	KindPersonType
	// KindConstitution scores legal_person.constitution.
	KindConstitution
	// KindPEP scores declaration.pep: table keys true and false; null is
	// unknown (seed 003, 3.1.1.3).
	KindPEP
	// KindObligatedSubject scores declaration.obligated_subject, as KindPEP.
	KindObligatedSubject
	// KindWatchlist scores blacklist_found for the list types it names
	// (seed 003, 3.1.1.4): table keys none, hit and confirmed; the worst
	// state over the lists counts. A profile never screened
	// (no blacklists_checked_at, no list entry) is unknown.
	KindWatchlist
	// KindActivity scores the economic activity codes (seed 003, 3.1.4):
	// the highest-scoring activity, or only the main one.
	KindActivity
	// KindIncome scores declared_income by bands.
	KindIncome
	// KindTransactionalAmount scores transactional_profile_amount by bands.
	KindTransactionalAmount
	// KindRelationshipAge scores the whole days from created_at to the
	// assessment time by bands, whose bounds are 0 to MaxDays.
	KindRelationshipAge
	// KindIdentityDocument scores the validity of identity_documents: table
	// keys valid, expiring (within expiring_within_days, 1 to MaxDays) and
	// expired; the best document counts, and a document without expiry
	// date is valid.
	KindIdentityDocument
	// KindPath scores any scalar of the profile named by a dotted path of
	// JSON names, by a value table or by bands.
	KindPath
	// KindRules scores the first condition rule that holds, in the
	// workflow condition language over dprofile.
	KindRules
)

// kindNames are the JSON names of the kinds, indexed by Kind.
var kindNames = [...]string{
	"",
	KindResidence:           "country_of_residence",
	KindNationality:         "nationality",
	KindIncorporation:       "country_of_incorporation",
	KindPersonType:          "person_type",
	KindConstitution:        "legal_constitution",
	KindPEP:                 "pep_declaration",
	KindObligatedSubject:    "obligated_subject_declaration",
	KindWatchlist:           "watchlist",
	KindActivity:            "economic_activity",
	KindIncome:              "declared_income",
	KindTransactionalAmount: "transactional_amount",
	KindRelationshipAge:     "relationship_age",
	KindIdentityDocument:    "identity_document",
	KindPath:                "profile_path",
	KindRules:               "rules",
}

// String returns the kind's name, as in a matrix; "" for an invalid kind.
func (k Kind) String() string { return nameOf(kindNames[:], k) }

// MarshalText encodes the kind as its name.
func (k Kind) MarshalText() ([]byte, error) { return marshalName(kindNames[:], k) }

// UnmarshalText decodes a kind's name.
func (k *Kind) UnmarshalText(b []byte) error { return unmarshalName(kindNames[:], b, k) }

// parseKind returns the kind of a name, and false for an unknown one.
func parseKind(name string) (Kind, bool) { return parseName[Kind](kindNames[:], name) }

// factor is one compiled factor of a matrix.
type factor struct {
	id      string
	kind    Kind
	weight  float64
	unknown float64
	// applies restricts the factor to one person type; empty means all.
	applies profile.PersonType
	// values lists every value the factor can report, for checking the
	// values an override names; nil when the set is open (raw codes).
	values []string
	eval   func(p *profile.Profile, now time.Time, env *condition.Root) outcome
}

// evaluate runs the factor on p and fills in the unknown score, so that a
// missing value is always scored explicitly.
func (f *factor) evaluate(p *profile.Profile, now time.Time, env *condition.Root) outcome {
	if f.applies != "" && p.PersonType != "" && p.PersonType != f.applies {
		return outcome{value: StatusNotApplicable.String(), status: StatusNotApplicable}
	}
	o := f.eval(p, now, env)
	if o.status == StatusUnknown || o.status == StatusError {
		o.score = f.unknown
		o.value = cmp.Or(o.value, o.status.String())
	}
	return o
}

// countryEval scores the country that get finds, normalised to alpha-2.
func countryEval(t *table, get func(*profile.Profile) string) func(*profile.Profile, time.Time, *condition.Root) outcome {
	return func(p *profile.Profile, _ time.Time, _ *condition.Root) outcome {
		raw := get(p)
		if raw == "" {
			return outcome{status: StatusUnknown}
		}
		// Profiles are normalised to alpha-2 on the way in (DESIGN.md, The
		// profile); a name or alpha-3 code is still understood here.
		code, ok := country.Alpha2(raw)
		if !ok {
			return outcome{value: "unrecognised_country", status: StatusUnknown}
		}
		return t.lookup(code)
	}
}

func residenceCountry(p *profile.Profile) string {
	if p.ResidenceCountry != "" {
		return p.ResidenceCountry
	}
	if a := mainAddress(p); a != nil && a.Country != "" {
		return a.Country
	}
	if a := addressOfType(p, profile.AddressPersonal); a != nil {
		return a.Country
	}
	return ""
}

func nationality(p *profile.Profile) string {
	if p.NaturalPerson == nil {
		return ""
	}
	return p.NaturalPerson.Nationality
}

func incorporationCountry(p *profile.Profile) string {
	for _, typ := range [...]string{profile.AddressFiscal, profile.AddressLegal} {
		if a := addressOfType(p, typ); a != nil && a.Country != "" {
			return a.Country
		}
	}
	if a := mainAddress(p); a != nil {
		return a.Country
	}
	return ""
}

func mainAddress(p *profile.Profile) *profile.Address {
	for i := range p.Addresses {
		if p.Addresses[i].Main {
			return &p.Addresses[i]
		}
	}
	return nil
}

func addressOfType(p *profile.Profile, typ string) *profile.Address {
	for i := range p.Addresses {
		if p.Addresses[i].AddressType == typ {
			return &p.Addresses[i]
		}
	}
	return nil
}

func stringEval(t *table, get func(*profile.Profile) string) func(*profile.Profile, time.Time, *condition.Root) outcome {
	return func(p *profile.Profile, _ time.Time, _ *condition.Root) outcome {
		v := get(p)
		if v == "" {
			return outcome{status: StatusUnknown}
		}
		return t.lookup(v)
	}
}

func personType(p *profile.Profile) string { return string(p.PersonType) }

func constitution(p *profile.Profile) string {
	if p.LegalPerson == nil {
		return ""
	}
	return p.LegalPerson.Constitution
}

// declarationEval scores a sworn-statement answer; nil is "not known"
// (seed 003, 3.1.1.3).
func declarationEval(t *table, get func(*profile.Declaration) *bool) func(*profile.Profile, time.Time, *condition.Root) outcome {
	return func(p *profile.Profile, _ time.Time, _ *condition.Root) outcome {
		if p.Declaration == nil {
			return outcome{status: StatusUnknown}
		}
		v := get(p.Declaration)
		if v == nil {
			return outcome{status: StatusUnknown}
		}
		if *v {
			return t.lookup("true")
		}
		return t.lookup("false")
	}
}

func pepAnswer(d *profile.Declaration) *bool       { return d.PEP }
func obligatedAnswer(d *profile.Declaration) *bool { return d.ObligatedSubject }

// Watchlist states, worst last.
var watchStates = [...]string{"none", "hit", "confirmed"}

func watchlistEval(t *table, lists []string) func(*profile.Profile, time.Time, *condition.Root) outcome {
	return func(p *profile.Profile, _ time.Time, _ *condition.Root) outcome {
		worst := -1
		for _, l := range lists {
			h, ok := p.BlacklistFound[l]
			if !ok {
				continue
			}
			worst = max(worst, watchState(h))
		}
		if worst < 0 && p.BlacklistsCheckedAt.IsZero() && len(p.BlacklistFound) == 0 {
			return outcome{status: StatusUnknown}
		}
		return t.lookup(watchStates[max(worst, 0)])
	}
}

// watchState ranks a list summary; a confirmed hit is a hit that an analyst
// confirmed (seed 003, 3.1.1.4).
func watchState(h profile.ListHit) int {
	switch {
	case h.Confirmed:
		return 2
	case h.Hit:
		return 1
	}
	return 0
}

func activityEval(t *table, mainOnly bool) func(*profile.Profile, time.Time, *condition.Root) outcome {
	return func(p *profile.Profile, _ time.Time, _ *condition.Root) outcome {
		best := outcome{status: StatusUnknown}
		for i := range p.Activities {
			a := &p.Activities[i]
			if a.Code == "" || mainOnly && !a.Main {
				continue
			}
			if o := t.lookup(a.Code); best.status == StatusUnknown || o.score > best.score {
				best = o
			}
		}
		return best
	}
}

func amountEval(b *bands, get func(*profile.Profile) *int64) func(*profile.Profile, time.Time, *condition.Root) outcome {
	return func(p *profile.Profile, _ time.Time, _ *condition.Root) outcome {
		v := get(p)
		if v == nil {
			return outcome{status: StatusUnknown}
		}
		return b.lookup(float64(*v))
	}
}

func declaredIncome(p *profile.Profile) *int64 { return p.DeclaredIncome }
func txAmount(p *profile.Profile) *int64       { return p.TransactionalProfileAmount }

const msPerDay = 24 * 60 * 60 * 1000

// MaxDays bounds every day count of a matrix: expiring_within_days and the
// bands of a relationship age, 100 years (36,525 days). A longer count is a
// typing error, and the bound keeps the date arithmetic of a document's
// expiry inside an int64: an unbounded expiring_within_days wrapped around
// and scored an expired document as valid.
const MaxDays = 36525

func relationshipAgeEval(b *bands) func(*profile.Profile, time.Time, *condition.Root) outcome {
	return func(p *profile.Profile, now time.Time, _ *condition.Root) outcome {
		if p.CreatedAt.IsZero() {
			return outcome{status: StatusUnknown}
		}
		// In float64: an unvalidated created_at far in the past must not
		// wrap around to a negative age.
		days := math.Trunc((float64(now.UnixMilli()) - float64(p.CreatedAt)) / msPerDay)
		return b.lookup(days)
	}
}

// Identity-document states, best last.
var documentStates = [...]string{"expired", "expiring", "valid"}

func documentEval(t *table, withinDays int) func(*profile.Profile, time.Time, *condition.Root) outcome {
	return func(p *profile.Profile, now time.Time, _ *condition.Root) outcome {
		if len(p.IdentityDocuments) == 0 {
			return outcome{status: StatusUnknown}
		}
		// A document is valid through its expiry date: dates are calendar
		// days at midnight UTC (DESIGN.md, The profile).
		today := profile.DateFromTime(now.UTC())
		soon := addDays(today, withinDays)
		best := 0
		for i := range p.IdentityDocuments {
			best = max(best, documentState(p.IdentityDocuments[i].ExpiryDate, today, soon))
		}
		return t.lookup(documentStates[best])
	}
}

// addDays is d plus n days (0 <= n <= MaxDays, checked at load), held at
// the largest date rather than wrapping around to a date before 1970.
func addDays(d profile.Date, n int) profile.Date {
	w := profile.Date(int64(n) * msPerDay)
	if d > math.MaxInt64-w {
		return math.MaxInt64
	}
	return d + w
}

func documentState(expiry *profile.Date, today, soon profile.Date) int {
	switch {
	case expiry == nil || *expiry > soon:
		return 2
	case *expiry >= today:
		return 1
	}
	return 0
}

func pathTableEval(t *table, a *accessor) func(*profile.Profile, time.Time, *condition.Root) outcome {
	return func(p *profile.Profile, _ time.Time, _ *condition.Root) outcome {
		v := a.read(p)
		switch v.kind {
		case missing:
			return outcome{status: StatusUnknown}
		case stringValue:
			return t.lookup(v.s)
		}
		var buf [32]byte
		return t.lookupBytes(v.tableKey(buf[:0]))
	}
}

func pathBandsEval(b *bands, a *accessor) func(*profile.Profile, time.Time, *condition.Root) outcome {
	return func(p *profile.Profile, _ time.Time, _ *condition.Root) outcome {
		v := a.read(p)
		switch v.kind {
		case missing:
			return outcome{status: StatusUnknown}
		case numberValue:
			return b.lookup(v.n)
		}
		if b.hasDef {
			return outcome{value: "other", score: b.def, status: StatusUnlisted}
		}
		return outcome{value: "other", score: b.unknown, status: StatusUnlisted}
	}
}
