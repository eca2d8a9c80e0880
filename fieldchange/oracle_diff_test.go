package fieldchange

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kycsdk/kyc/profile"
)

// changeFull returns a fresh profile that holds a value in every field,
// records in every list and free JSON at every level where it may be, so
// that random edits of it reach every branch of Check.
func changeFull() *profile.Profile {
	p := changeBase()
	p.CreatedAt, p.ModifiedAt, p.CreatedBy, p.ModifiedBy = 1000, 2000, "op-1", "op-2"
	p.Version, p.TaxPayerID, p.Name, p.Risk = 3, "20301112224", "Ana Diaz", "low"
	p.RiskCalculatedAt, p.ExternalRef, p.State = 3000, "ext-9", "active"
	amount, income := int64(1500), int64(0)
	p.TransactionalProfileAmount, p.DeclaredIncome = &amount, &income
	p.TransactionalProfileCalculatedAt, p.BlacklistsCheckedAt, p.LastDueDiligenceAt = 4000, 5000, 6000
	p.NaturalPerson.BirthPlace, p.NaturalPerson.Nationality = "Rosario", "AR"
	p.NaturalPerson.CivilState, p.NaturalPerson.Classification, p.NaturalPerson.Gender = "single", "retail", "female"
	p.NaturalPerson.IsEmployee = true
	p.LegalPerson = &profile.Legal{Constitution: "SA", FoundationDate: profile.DatePtr(profile.DateOf(2001, 2, 3)), FoundationPlace: "Cordoba"}
	yes, no := true, false
	p.Declaration = &profile.Declaration{PEP: &no, ObligatedSubject: &yes, FATCA: &no}
	p.PEPType, p.ObligatedSubjectType, p.ObligatedSubjectDate = "none", "bank", profile.DatePtr(profile.DateOf(2020, 1, 1))
	p.OECDMainCountry, p.OECDMainTaxPayerID = "AR", "1"
	p.OECDSecondaryCountry, p.OECDSecondaryTaxPayerID, p.FATCASSN = "US", "2", "078-05-1120"
	p.BlacklistFound = map[string]profile.ListHit{"pep": {Hit: true}, "sanctioned": {}}
	p.Addresses[1].Extra = profile.Object{"floor": json.Number("3"), "note": map[string]any{"gate": "b"}}
	p.Activities = []profile.Activity{{Code: "6201", Description: "software", Main: true}, {Code: "7020"}}
	p.Taxes = []profile.Tax{{Code: "IVA", InscriptionDate: profile.DatePtr(631152000000)}, {Code: "IIBB", Jurisdiction: "AR-S"}}
	p.Relations = []profile.Relation{
		{ProfileID: "p-2", Relationship: "spouse", Since: profile.DatePtr(profile.DateOf(2015, 6, 1)), Extra: profile.Object{"k": "v"}},
		{ProfileID: "p-3", Relationship: "parent"},
	}
	p.Labels = []string{"vip", "retail", "vip"}
	p.Consents = map[string]bool{"general": true, "docs": false}
	p.OpenCases, p.EntityProfile = 1, "auto"
	p.PendingReverification = []string{"addresses[0].city"}
	p.Checks = []profile.Check{
		{ID: "c-1", Type: "pep", Outcome: "pass", PerformedAt: 1000},
		{ID: "c-2", Type: "name_dob", Outcome: "fail", Matched: []string{"name", "dob"}, PerformedAt: 2000, ExpiresAt: 9000, EntityProfile: "v"},
	}
	p.Metadata = profile.Object{
		"segment": "retail",
		"tier":    json.Number("2"),
		"list":    []any{map[string]any{"k": "v", "n": json.Number("1")}, "x", nil},
		"nested":  map[string]any{"a": true, "b": []any{}, "risk.score": 1.5},
	}
	p.Unknown = map[string]json.RawMessage{"extra_key": json.RawMessage(`1`)}
	return p
}

// changePolicies are the policies the differential tests run: the seed's,
// a tenant's that extends it with "[]" and "[field=value]" selectors on
// every kind of list and on free JSON, one that replaces it, and the empty
// one, under which every change is uncovered.
func changePolicies(t testing.TB) map[string]*Policy {
	t.Helper()
	docs := map[string]string{
		"extend": `{"rules":[
			{"name":"nationality","paths":["natural_person.nationality","natural_person.name"],"change":true},
			{"name":"any_activity","paths":["activities[]"],"change":false,"add":true},
			{"name":"main_activity","paths":["activities[main=true].code"],"change":true},
			{"name":"spouse","paths":["relations[relationship=spouse]","relations[].extra","relations[since=1433116800000]"],"change":true,"add":false},
			{"name":"failed_checks","paths":["checks[outcome=fail].matched[]","checks[type=pep]","checks[performed_at=1000]"],"change":true},
			{"name":"meta","paths":["metadata.tier","metadata.list[]","metadata.list[k=v]","metadata.nested[]"],"change":true},
			{"name":"doc_country","paths":["identity_documents[issuing_country=AR].expiry_date","identity_documents[]"],"change":false,"add":false},
			{"name":"verified_contact","paths":["contacts[is_verified=true]","contacts[]","contacts[description=a b]"],"change":true},
			{"name":"dated_tax","paths":["taxes[inscription_date=631152000000]","taxes[]"],"change":true,"add":false},
			{"name":"screening","paths":["blacklist_found.pep.hit","blacklist_found","consents","declaration.pep"],"change":true},
			{"name":"address_extra","paths":["addresses[].extra","addresses[main=true].extra.floor","addresses[country=AR]"],"change":false,"add":true}
		]}`,
		"replace": `{"mode":"replace","rules":[
			{"name":"listed","paths":["contacts[]","addresses[]","tax_residences[]","labels[]","pending_reverification[]","checks[]"],"change":true,"add":false},
			{"name":"email","paths":["contacts[contact_type=email]"],"change":false,"add":true},
			{"name":"main_address","paths":["addresses[main=false].city","addresses[country=UY]"],"change":true},
			{"name":"checked","paths":["checks[performed_at=1000]","checks[entity_profile=v]","identity_documents[type=passport].number"],"change":true}
		]}`,
	}
	out := map[string]*Policy{"default": Default()}
	for name, doc := range docs {
		p, err := Load([]byte(doc))
		if err != nil {
			t.Fatalf("policy %s: %v", name, err)
		}
		out[name] = p
	}
	empty, err := New()
	if err != nil {
		t.Fatal(err)
	}
	out["empty"] = empty
	return out
}

// checkAgainstOracle holds Check to the tree diff it replaced, both ways
// round and for every policy, and keeps the properties the first fuzz
// target checked: a profile does not differ from itself, and a diff
// backwards finds as many changes as forwards.
func checkAgainstOracle(t *testing.T, policies map[string]*Policy, old, new *profile.Profile) {
	t.Helper()
	for name, p := range policies {
		for _, pair := range [][2]*profile.Profile{{old, new}, {new, old}} {
			want := oracleCheck(p, pair[0], pair[1])
			got := p.Check(pair[0], pair[1])
			if diff := cmp.Diff(want, got); diff != "" {
				t.Fatalf("policy %s: Check differs from the tree diff (-oracle +got):\n%s", name, diff)
			}
		}
		forward, backward := p.Check(old, new), p.Check(new, old)
		if n, m := len(forward.Changes)+len(forward.Uncovered), len(backward.Changes)+len(backward.Uncovered); n != m {
			t.Fatalf("policy %s: %d changes forwards, %d backwards", name, n, m)
		}
		for _, same := range []*profile.Profile{old, new} {
			if rep := p.Check(same, same); len(rep.Changes)+len(rep.Uncovered) != 0 {
				t.Fatalf("policy %s: a profile differs from itself: %+v", name, rep)
			}
		}
	}
}

func TestChangePolicyCheckMatchesOracle(t *testing.T) {
	policies := changePolicies(t)
	cases := []struct {
		name string
		edit func(old, new *profile.Profile)
	}{
		{"benchmark pair", func(_, p *profile.Profile) { _, after := benchPair(); *p = *after }},
		{"no change", func(*profile.Profile, *profile.Profile) {}},
		{"new profile", func(old, _ *profile.Profile) { *old = profile.Profile{} }},
		{"every list reversed", func(_, p *profile.Profile) {
			slices.Reverse(p.Contacts)
			slices.Reverse(p.Addresses)
			slices.Reverse(p.IdentityDocuments)
			slices.Reverse(p.Activities)
			slices.Reverse(p.Relations)
			slices.Reverse(p.Checks)
			slices.Reverse(p.Labels)
		}},
		{"every list emptied", func(_, p *profile.Profile) {
			p.Contacts, p.Addresses, p.IdentityDocuments, p.TaxResidences = nil, []profile.Address{}, nil, nil
			p.Activities, p.Taxes, p.Relations, p.Labels, p.Checks = nil, nil, nil, nil, nil
		}},
		{"records gone", func(_, p *profile.Profile) {
			p.NaturalPerson, p.LegalPerson, p.Declaration, p.Employment = nil, nil, nil, nil
		}},
		{"empty records", func(_, p *profile.Profile) {
			p.NaturalPerson, p.LegalPerson, p.Declaration, p.Employment = &profile.Natural{}, &profile.Legal{}, &profile.Declaration{}, &profile.Employment{}
		}},
		{"main address moves, extra changes", func(_, p *profile.Profile) {
			p.Addresses[0].Main, p.Addresses[1].Main = false, true
			p.Addresses[1].Extra["floor"] = json.Number("4")
		}},
		{"same extra, another number type", func(_, p *profile.Profile) {
			p.Addresses[1].Extra["floor"] = int64(3)
			p.Relations[0].Extra["k"] = json.Number(`"v"`)
		}},
		{"email changed and another added", func(_, p *profile.Profile) {
			p.Contacts[0].Value = "new@example.org"
			p.Contacts = append(p.Contacts, profile.Contact{ContactType: profile.ContactEmail, Value: "w@example.org", IsVerified: true})
		}},
		{"duplicate contacts", func(old, p *profile.Profile) {
			old.Contacts = append(old.Contacts, old.Contacts[0])
			p.Contacts = append(p.Contacts, p.Contacts[0], p.Contacts[0])
			p.Contacts[0].Description = "a b"
		}},
		{"metadata reshaped", func(_, p *profile.Profile) {
			p.Metadata["tier"] = map[string]any{"level": json.Number("2")}
			p.Metadata["list"] = []any{map[string]any{"k": "w"}, "x"}
			p.Metadata["nested"] = "flat"
			p.Metadata[""] = math.NaN()
		}},
		{"metadata of odd types", func(old, p *profile.Profile) {
			old.Metadata["n"] = math.Copysign(0, -1)
			p.Metadata["n"] = 0.0
			p.Metadata["typed"] = &profile.Contact{ContactType: profile.ContactEmail}
			p.Metadata["ints"] = []any{1, int64(1), uint8(1)}
		}},
		{"maps edited", func(_, p *profile.Profile) {
			p.BlacklistFound["pep"] = profile.ListHit{Hit: true, Confirmed: true}
			p.BlacklistFound["wanted"] = profile.ListHit{}
			delete(p.Consents, "docs")
		}},
		{"check matched list", func(_, p *profile.Profile) {
			p.Checks[1].Matched = []string{"dob", "name", "address"}
			p.Checks[1].Outcome = "pass"
		}},
		{"long lists", func(old, p *profile.Profile) {
			for i := range 60 {
				old.Labels = append(old.Labels, "l"+strconv.Itoa(i))
				p.Labels = append(p.Labels, "l"+strconv.Itoa(59-i))
				p.Contacts = append(p.Contacts, profile.Contact{ContactType: profile.ContactMobile, Value: strconv.Itoa(i)})
				old.Contacts = append(old.Contacts, profile.Contact{ContactType: profile.ContactMobile, Value: strconv.Itoa(i + 30)})
			}
		}},
		{"unknown keys are not compared", func(_, p *profile.Profile) { p.Unknown = nil }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			old, new := changeFull(), changeFull()
			c.edit(old, new)
			checkAgainstOracle(t, policies, old, new)
		})
	}
	t.Run("random edits", func(t *testing.T) {
		rng := rand.New(rand.NewPCG(1, 2))
		for range randomEditRuns(t) {
			ops := make([]byte, rng.IntN(48))
			for i := range ops {
				ops[i] = byte(rng.IntN(256))
			}
			old, new := editedPair(ops, "t")
			checkAgainstOracle(t, policies, old, new)
		}
	})
}

func FuzzChangePolicyCheck(f *testing.F) {
	f.Add([]byte{}, "")
	f.Add([]byte{0, 0, 7, 1}, "Ana")
	f.Add([]byte{4, 9, 3, 5, 200, 1, 17, 2, 40, 3}, "ana@example.org")
	f.Add([]byte{255, 1, 2, 3}, "Rosario")
	f.Add([]byte{254, 8, 8, 8, 8}, "x.y")
	policies := changePolicies(f)
	f.Fuzz(func(t *testing.T, ops []byte, text string) {
		old, new := editedPair(ops, text)
		checkAgainstOracle(t, policies, old, new)
	})
}

// editedPair reads ops as a program of edits of two full profiles: each
// edit picks a side, a field anywhere in that profile (a scalar, a pointer,
// a list, a map or free JSON) and what to do to it. A first op of 255 or
// 254 makes the new or the old profile nil.
func editedPair(ops []byte, text string) (old, new *profile.Profile) {
	old, new = changeFull(), changeFull()
	e := &editor{ops: ops, text: text}
	if len(ops) > 0 && ops[0] >= 254 {
		if ops[0] == 255 {
			new = nil
		} else {
			old = nil
		}
		e.ops = ops[1:]
	}
	for len(e.ops) > 0 {
		side := new
		if e.next()%4 == 0 {
			side = old
		}
		if side == nil {
			continue
		}
		slots := editSlots(reflect.ValueOf(side).Elem(), nil)
		e.edit(slots[e.pick(len(slots))])
	}
	return old, new
}

// editSlots lists the values an edit may change, depth first.
func editSlots(v reflect.Value, out []reflect.Value) []reflect.Value {
	switch v.Kind() {
	case reflect.Pointer:
		out = append(out, v)
		if !v.IsNil() {
			out = editSlots(v.Elem(), out)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				out = editSlots(v.Field(i), out)
			}
		}
	case reflect.Slice:
		out = append(out, v)
		for i := range v.Len() {
			out = editSlots(v.Index(i), out)
		}
	default:
		out = append(out, v)
	}
	return out
}

type editor struct {
	ops  []byte
	text string
}

func (e *editor) next() int {
	if len(e.ops) == 0 {
		return 0
	}
	b := e.ops[0]
	e.ops = e.ops[1:]
	return int(b)
}

func (e *editor) pick(n int) int { return (e.next()<<8 | e.next()) % n }

// The values edits write: the ones the policies' selectors look for, and
// the fuzzer's text.
var (
	editStrings = []string{"", "Ana", profile.ContactEmail, profile.ContactMobile, profile.ContactLandline, "AR", "UY", "spouse", "fail", "pep", "passport", "true", "v", "x.y", "a b"}
	editInts    = []int64{0, 1, -1, 1000, 631152000000, 1433116800000, 1<<53 + 1}
	editKeys    = []string{"segment", "tier", "list", "nested", "k", "floor", "", "risk.score", "a b"}
)

func (e *editor) str() string {
	if i := e.next() % (len(editStrings) + 1); i < len(editStrings) {
		return editStrings[i]
	}
	return e.text
}

func (e *editor) edit(v reflect.Value) {
	switch v.Kind() {
	case reflect.String:
		v.SetString(e.str())
	case reflect.Bool:
		v.SetBool(!v.Bool())
	case reflect.Int, reflect.Int64:
		v.SetInt(editInts[e.next()%len(editInts)])
	case reflect.Uint8:
		v.SetUint(uint64(e.next()))
	case reflect.Pointer:
		e.editPointer(v)
	case reflect.Slice:
		e.editSlice(v)
	case reflect.Map:
		e.editMap(v)
	case reflect.Interface:
		setJSON(v, e.json(2))
	}
}

func (e *editor) editPointer(v reflect.Value) {
	if !v.IsNil() && e.next()%2 == 0 {
		v.SetZero()
		return
	}
	n := reflect.New(v.Type().Elem())
	e.edit(n.Elem())
	v.Set(n)
}

func (e *editor) editSlice(v reflect.Value) {
	n := v.Len()
	op := e.next() % 7
	if n == 0 && op < 4 {
		op = 5
	}
	switch op {
	case 0: // remove one
		i := e.next() % n
		v.Set(reflect.AppendSlice(v.Slice3(0, i, i), v.Slice(i+1, n)))
	case 1: // duplicate one
		v.Set(reflect.Append(v.Slice3(0, n, n), v.Index(e.next()%n)))
	case 2: // swap two
		i, j := e.next()%n, e.next()%n
		a, b := v.Index(i).Interface(), v.Index(j).Interface()
		v.Index(i).Set(reflect.ValueOf(b))
		v.Index(j).Set(reflect.ValueOf(a))
	case 3: // reverse
		for i, j := 0, n-1; i < j; i, j = i+1, j-1 {
			a, b := v.Index(i).Interface(), v.Index(j).Interface()
			v.Index(i).Set(reflect.ValueOf(b))
			v.Index(j).Set(reflect.ValueOf(a))
		}
	case 4:
		v.SetZero()
	case 5: // append an element, edited once
		elem := reflect.New(v.Type().Elem()).Elem()
		if elem.Kind() != reflect.Struct {
			e.edit(elem)
		}
		v.Set(reflect.Append(v.Slice3(0, n, n), elem))
	default:
		v.Set(reflect.MakeSlice(v.Type(), 0, 0))
	}
}

func (e *editor) editMap(v reflect.Value) {
	switch e.next() % 5 {
	case 0:
		v.SetZero()
		return
	case 1:
		v.Set(reflect.MakeMap(v.Type()))
		return
	}
	if v.IsNil() {
		v.Set(reflect.MakeMap(v.Type()))
	}
	key := reflect.ValueOf(editKeys[e.next()%len(editKeys)]).Convert(v.Type().Key())
	if e.next()%3 == 0 {
		v.SetMapIndex(key, reflect.Value{})
		return
	}
	val := reflect.New(v.Type().Elem()).Elem()
	if val.Kind() == reflect.Interface {
		setJSON(val, e.json(2))
	} else {
		slots := editSlots(val, nil)
		e.edit(slots[e.pick(len(slots))])
	}
	v.SetMapIndex(key, val)
}

func setJSON(v reflect.Value, x any) {
	if x == nil {
		v.SetZero()
		return
	}
	v.Set(reflect.ValueOf(x))
}

// json returns free JSON as a decoder gives it, or as a caller may set it
// by hand: other number types, a typed record, NaN and -0.
func (e *editor) json(depth int) any {
	switch e.next() % 16 {
	case 0:
		return nil
	case 1:
		return e.str()
	case 2:
		return json.Number(strconv.Itoa(e.next() % 4))
	case 3:
		return json.Number(e.text)
	case 4:
		return e.next()%2 == 0
	case 5:
		return float64(e.next()%4) / 2
	case 6:
		return math.Copysign(0, -1)
	case 7:
		return math.NaN()
	case 8:
		return int64(e.next() % 4)
	case 9:
		return e.next() % 4
	case 10:
		return &profile.Contact{ContactType: e.str(), Value: e.str()}
	case 11, 12:
		if depth == 0 {
			return "leaf"
		}
		m := map[string]any{}
		for range e.next() % 3 {
			m[editKeys[e.next()%len(editKeys)]] = e.json(depth - 1)
		}
		return m
	}
	if depth == 0 {
		return []any{}
	}
	l := []any{}
	for range e.next() % 4 {
		l = append(l, e.json(depth-1))
	}
	return l
}

// randomEditRuns is how many random edit programs the unit test runs;
// FuzzChangePolicyCheck runs as many as it is given time for.
func randomEditRuns(t *testing.T) int {
	if testing.Short() {
		return 50
	}
	return 400
}
