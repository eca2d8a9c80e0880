package riskmatrix_test

import (
	"bytes"
	"encoding/json"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/vm"

	"github.com/kycsdk/kyc/bench"
	"github.com/kycsdk/kyc/internal/country"
	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/riskmatrix"
)

// testNow is the instant the library's riskmatrix tests assess at.
var testNow = time.Date(2024, 6, 1, 12, 0, 0, 0, time.UTC)

const msPerDay = 24 * 60 * 60 * 1000

// exampleMatrix loads the example matrix the library's tests use.
func exampleMatrix(t testing.TB) *riskmatrix.Matrix {
	t.Helper()
	m, err := riskmatrix.Load(bench.Testdata(t, "riskmatrix/testdata/example.json"))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// seedProfile builds the full seed profile: the natural person example of
// seed 003 (3.1.1.1) with the contact, address, activity and tax fragments
// of sections 3.1.2 to 3.1.5, countries normalised to alpha-2 as a stored
// profile holds them (DESIGN.md, The profile).
func seedProfile(t testing.TB) *profile.Profile {
	t.Helper()
	seed := bench.Shared(t, "seeds/003_4c5ea5c90f46f665.txt")
	obj := balanced(t, seed, []byte("basic profile of a natural person"), '{', '}')
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(obj, &doc); err != nil {
		t.Fatalf("seed natural person example: %v", err)
	}
	for _, key := range []string{"contacts", "addresses", "activities", "taxes"} {
		doc[key] = balanced(t, seed, []byte(`"`+key+`": [`), '[', ']')
	}
	b, _ := json.Marshal(doc)
	var p profile.Profile
	if err := json.Unmarshal(b, &p); err != nil {
		t.Fatalf("seed profile: %v", err)
	}
	p.NaturalPerson.Nationality = alpha2(t, p.NaturalPerson.Nationality)
	for i := range p.Addresses {
		p.Addresses[i].Country = alpha2(t, p.Addresses[i].Country)
	}
	income := int64(4_800_000)
	p.DeclaredIncome = &income
	return &p
}

func alpha2(t testing.TB, s string) string {
	a, ok := country.Alpha2(s)
	if !ok {
		t.Fatalf("seed country %q is not a country", s)
	}
	return a
}

// balanced returns the bracketed JSON value that starts at the first open
// after marker in text.
func balanced(t testing.TB, text, marker []byte, open, close byte) []byte {
	t.Helper()
	i := bytes.Index(text, marker)
	if i < 0 {
		t.Fatalf("seed: %q not found", marker)
	}
	start := i + bytes.IndexByte(text[i:], open)
	depth, inString := 0, false
	for j := start; j < len(text); j++ {
		switch c := text[j]; {
		case inString && c == '\\':
			j++
		case c == '"':
			inString = !inString
		case inString:
		case c == open:
			depth++
		case c == close:
			if depth--; depth == 0 {
				return text[start : j+1]
			}
		}
	}
	t.Fatalf("seed: unbalanced value after %q", marker)
	return nil
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

// exprExample is the example matrix (testdata/example.json) written for
// github.com/expr-lang/expr, the closest public peer: one compiled program
// over a flat map of the profile's values, returning [score, level index].

// residenceCountry, nationality, incorporationCountry and constitution read
// the profile as the example matrix's factors do (riskmatrix/factor.go):
// the code a user of a generic expression engine writes to flatten a
// profile for it.
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

func constitution(p *profile.Profile) string {
	if p.LegalPerson == nil {
		return ""
	}
	return p.LegalPerson.Constitution
}

// TestExprPeerAgrees checks that it scores every profile as Assess does.
const exprExample = `
let unknown = 50;
let res = residence == "" ? unknown : (residence in t_country ? t_country[residence] : 30);
let nat = person_type == "legal_person" ? -1 : (nationality == "" ? unknown : (nationality in t_country ? t_country[nationality] : 30));
let inc = person_type == "natural_person" ? -1 : (incorporation == "" ? unknown : (incorporation in t_incorporation ? t_incorporation[incorporation] : 30));
let pt = person_type in t_person_type ? t_person_type[person_type] : unknown;
let con = person_type == "natural_person" ? -1 : (constitution == "" ? unknown : (constitution in t_constitution ? t_constitution[constitution] : 50));
let pepS = pep == nil ? unknown : (pep ? 100 : 0);
let obl = obligated == nil ? unknown : (obligated ? 10 : 20);
let sanc = sanctions_confirmed ? 100 : (sanctions_hit ? 60 : (screened ? 0 : unknown));
let pepl = peplist_confirmed ? 80 : (peplist_hit ? 40 : (screened ? 0 : unknown));
let act = len(activities) == 0 ? unknown : max(map(activities, # in t_activity ? t_activity[#] : 30));
let incm = income == nil ? unknown : (income >= 10000000 ? 60 : (income >= 1000000 ? 30 : (income >= 0 ? 10 : unknown)));
let amt = amount == nil ? unknown : (amount >= 5000000 ? 80 : (amount >= 500000 ? 40 : (amount >= 0 ? 10 : unknown)));
let days = created_at == 0 ? -1 : int((now_ms - created_at) / 86400000);
let rel = created_at == 0 ? unknown : (days >= 730 ? 20 : (days >= 180 ? 40 : (days >= 0 ? 60 : unknown)));
let doc = len(expiries) == 0 ? unknown : (max(expiries) > soon ? 0 : (max(expiries) >= today ? 30 : 80));
let emp = employee == nil ? unknown : (employee ? 40 : 0);
let alerts = open_cases > 0 ? 80 : 0;
let ws = 3*res + (nat >= 0 ? 2*nat : 0) + (inc >= 0 ? 3*inc : 0) + pt + (con >= 0 ? con : 0) + 3*pepS + obl + 4*sanc + 2*pepl + 2*act + incm + amt + rel + 2*doc + emp + 2*alerts;
let w = 3 + (nat >= 0 ? 2 : 0) + (inc >= 0 ? 3 : 0) + 1 + (con >= 0 ? 1 : 0) + 3 + 1 + 4 + 2 + 2 + 1 + 1 + 1 + 2 + 1 + 2;
let score = ws / w;
let l0 = score >= 50 ? 2 : (score >= 25 ? 1 : 0);
let l1 = sanctions_confirmed ? max(l0, 2) : l0;
let l2 = pep == true ? max(l1, 1) : l1;
let l3 = peplist_confirmed ? max(l2, 1) : l2;
[score, l3]
`

// exprTables are the example's tables, handed to the program in its env.
var exprTables = map[string]any{
	"t_country":       map[string]float64{"AR": 20, "CL": 15, "UY": 15, "US": 10, "GB": 10, "DE": 10, "PA": 60, "VE": 70, "MM": 90, "IR": 100, "KP": 100},
	"t_incorporation": map[string]float64{"AR": 20, "US": 10, "GB": 10, "PA": 80, "VG": 90, "KY": 80, "IR": 100, "KP": 100},
	"t_person_type":   map[string]float64{"natural_person": 10, "legal_person": 30},
	"t_constitution":  map[string]float64{"society_limited_liability": 30, "corporation": 20, "sole_proprietorship": 30, "trust": 80, "foundation": 70},
	"t_activity":      map[string]float64{"11501": 20, "620100": 20, "649100": 60, "661910": 70, "920001": 90},
}

// flatten turns a profile into the flat map the expr program reads: what a
// user of a generic expression engine has to write and run per profile.
func flatten(p *profile.Profile, now int64, today, soon int64) map[string]any {
	env := make(map[string]any, 40)
	for k, v := range exprTables {
		env[k] = v
	}
	env["residence"] = alpha2Or(residenceCountry(p))
	env["nationality"] = alpha2Or(nationality(p))
	env["incorporation"] = alpha2Or(incorporationCountry(p))
	env["person_type"] = string(p.PersonType)
	env["constitution"] = constitution(p)
	env["pep"], env["obligated"] = any(nil), any(nil)
	if d := p.Declaration; d != nil {
		env["pep"], env["obligated"] = boolOrNil(d.PEP), boolOrNil(d.ObligatedSubject)
	}
	hit := func(l string) bool { return p.BlacklistFound[l].Hit }
	conf := func(l string) bool { return p.BlacklistFound[l].Confirmed }
	env["sanctions_confirmed"] = conf("sanctioned") || conf("terrorism") || conf("wanted")
	env["sanctions_hit"] = hit("sanctioned") || hit("terrorism") || hit("wanted")
	env["peplist_confirmed"], env["peplist_hit"] = conf("pep"), hit("pep")
	env["screened"] = !p.BlacklistsCheckedAt.IsZero() || len(p.BlacklistFound) > 0
	codes := make([]any, 0, len(p.Activities))
	for _, a := range p.Activities {
		if a.Code != "" {
			codes = append(codes, a.Code)
		}
	}
	env["activities"] = codes
	env["income"], env["amount"] = int64OrNil(p.DeclaredIncome), int64OrNil(p.TransactionalProfileAmount)
	env["created_at"], env["now_ms"] = int64(p.CreatedAt), now
	expiries := make([]any, 0, len(p.IdentityDocuments))
	for _, d := range p.IdentityDocuments {
		e := int64(math.MaxInt64)
		if d.ExpiryDate != nil {
			e = int64(*d.ExpiryDate)
		}
		expiries = append(expiries, e)
	}
	env["expiries"], env["today"], env["soon"] = expiries, today, soon
	env["employee"] = any(nil)
	if p.NaturalPerson != nil {
		env["employee"] = p.NaturalPerson.IsEmployee
	}
	env["open_cases"] = p.OpenCases
	return env
}

func alpha2Or(s string) string {
	a, _ := country.Alpha2(s)
	return a
}

func boolOrNil(b *bool) any {
	if b == nil {
		return nil
	}
	return *b
}

func int64OrNil(i *int64) any {
	if i == nil {
		return nil
	}
	return *i
}

func compileExprPeer(t testing.TB) *vm.Program {
	t.Helper()
	prog, err := expr.Compile(exprExample)
	if err != nil {
		t.Fatalf("expr: %v", err)
	}
	return prog
}

func runExprPeer(t testing.TB, prog *vm.Program, p *profile.Profile) (float64, int) {
	now := testNow.UnixMilli()
	today := int64(profile.DateFromTime(testNow))
	out, err := expr.Run(prog, flatten(p, now, today, today+30*msPerDay))
	if err != nil {
		t.Fatalf("expr: %v", err)
	}
	r := out.([]any)
	return toFloat(r[0]), r[1].(int)
}

func toFloat(v any) float64 {
	switch x := v.(type) {
	case int:
		return float64(x)
	case float64:
		return x
	}
	return math.NaN()
}

// TestExprPeerAgrees makes the benchmark's comparison fair: the expr program
// must score every profile exactly as the example matrix does.
func TestExprPeerAgrees(t *testing.T) {
	m := exampleMatrix(t)
	prog := compileExprPeer(t)
	profiles := append(randomProfiles(rand.New(rand.NewPCG(3, 4)), 300), seedProfile(t))
	for i, p := range profiles {
		a := m.Assess(p, testNow)
		score, lvl := runExprPeer(t, prog, p)
		if math.Abs(score-a.Score) > 1e-9 || m.Levels()[lvl] != a.Level {
			t.Fatalf("profile %d: expr gives %v %s, Assess %v %s\n%s", i, score, m.Levels()[lvl], a.Score, a.Level, a.Explain())
		}
	}
}

// BenchmarkAssess assesses the full seed profile with the example matrix
// (16 factors, 3 overrides), with Assess and with AssessInto reusing one
// Assessment, and runs the same rules through expr.
func BenchmarkAssess(b *testing.B) {
	m := exampleMatrix(b)
	p := seedProfile(b)
	b.Run("riskmatrix", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = m.Assess(p, testNow)
		}
	})
	b.Run("riskmatrix-into", func(b *testing.B) {
		b.ReportAllocs()
		var a riskmatrix.Assessment
		for b.Loop() {
			m.AssessInto(p, testNow, &a)
		}
	})
	prog := compileExprPeer(b)
	b.Run("expr", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			runExprPeer(b, prog, p)
		}
	})
	env := flatten(p, testNow.UnixMilli(), int64(profile.DateFromTime(testNow)), int64(profile.DateFromTime(testNow))+30*msPerDay)
	b.Run("expr-prebuilt-env", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := expr.Run(prog, env); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkAssessParallel re-scores a portfolio on every core: each op is
// one profile out of a pool of varied ones. With -benchtime=1000000x it
// assesses 1,000,000 profiles; the profiles/s metric says how long a
// million take.
func BenchmarkAssessParallel(b *testing.B) {
	m := exampleMatrix(b)
	pool := randomProfiles(rand.New(rand.NewPCG(5, 6)), 4096)
	b.Run("riskmatrix", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			i := 0
			for pb.Next() {
				_ = m.Assess(pool[i&4095], testNow)
				i++
			}
		})
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "profiles/s")
	})
	b.Run("riskmatrix-into", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			var a riskmatrix.Assessment
			i := 0
			for pb.Next() {
				m.AssessInto(pool[i&4095], testNow, &a)
				i++
			}
		})
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "profiles/s")
	})
	prog := compileExprPeer(b)
	b.Run("expr", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			i := 0
			for pb.Next() {
				runExprPeer(b, prog, pool[i&4095])
				i++
			}
		})
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "profiles/s")
	})
}
