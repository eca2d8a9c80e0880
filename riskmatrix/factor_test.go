package riskmatrix

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/kycsdk/kyc/profile"
)

var testNow = time.Date(2024, 6, 1, 12, 0, 0, 0, time.UTC)

// mustLoad builds a matrix around the given factors and overrides, with the
// client levels, weighted sum and unknown score 50.
func mustLoad(t testing.TB, factors, overrides string) *Matrix {
	t.Helper()
	if overrides == "" {
		overrides = "[]"
	}
	doc := `{"version": "t1", "levels": "client", "aggregation": "weighted_sum", "unknown_score": 50,
		"thresholds": [{"level": "medium", "from": 30}, {"level": "high", "from": 60}, {"level": "severe", "from": 90}],
		"factors": ` + factors + `, "overrides": ` + overrides + `}`
	m, err := Load([]byte(doc))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return m
}

// got is the part of a factor result the kind decides.
type got struct {
	Value  string
	Status Status
	Score  float64
}

func TestFactorKinds(t *testing.T) {
	countries := `"scores": {"AR": 20, "IR": 100}, "default": 30`
	tests := []struct {
		name   string
		factor string
		p      profile.Profile
		want   got
	}{
		{"residence field", `{"kind": "country_of_residence", ` + countries + `}`,
			profile.Profile{ResidenceCountry: "IR"}, got{"IR", StatusScored, 100}},
		{"residence from main address", `{"kind": "country_of_residence", ` + countries + `}`,
			profile.Profile{Addresses: []profile.Address{{Country: "IR"}, {Country: "AR", Main: true}}}, got{"AR", StatusScored, 20}},
		{"residence from personal address", `{"kind": "country_of_residence", ` + countries + `}`,
			profile.Profile{Addresses: []profile.Address{{AddressType: "fiscal", Country: "IR"}, {AddressType: "personal", Country: "AR"}}}, got{"AR", StatusScored, 20}},
		{"residence by name", `{"kind": "country_of_residence", ` + countries + `}`,
			profile.Profile{ResidenceCountry: "Argentina"}, got{"AR", StatusScored, 20}},
		{"residence unlisted shows the code", `{"kind": "country_of_residence", ` + countries + `}`,
			profile.Profile{ResidenceCountry: "FR"}, got{"FR", StatusUnlisted, 30}},
		{"residence unrecognised", `{"kind": "country_of_residence", ` + countries + `}`,
			profile.Profile{ResidenceCountry: "Atlantis"}, got{"unrecognised_country", StatusUnknown, 50}},
		{"residence missing", `{"kind": "country_of_residence", ` + countries + `}`,
			profile.Profile{}, got{"unknown", StatusUnknown, 50}},
		{"nationality", `{"kind": "nationality", ` + countries + `}`,
			profile.Profile{PersonType: profile.NaturalPerson, NaturalPerson: &profile.Natural{Nationality: "ar"}}, got{"AR", StatusScored, 20}},
		{"nationality of a legal person", `{"kind": "nationality", ` + countries + `}`,
			profile.Profile{PersonType: profile.LegalPerson}, got{"not_applicable", StatusNotApplicable, 0}},
		{"incorporation from fiscal address", `{"kind": "country_of_incorporation", ` + countries + `}`,
			profile.Profile{PersonType: profile.LegalPerson, Addresses: []profile.Address{{AddressType: "legal", Country: "AR", Main: true}, {AddressType: "fiscal", Country: "IR"}}}, got{"IR", StatusScored, 100}},
		{"incorporation of a natural person", `{"kind": "country_of_incorporation", ` + countries + `}`,
			profile.Profile{PersonType: profile.NaturalPerson}, got{"not_applicable", StatusNotApplicable, 0}},
		{"person type", `{"kind": "person_type", "scores": {"natural_person": 10, "legal_person": 30}}`,
			profile.Profile{PersonType: profile.LegalPerson}, got{"legal_person", StatusScored, 30}},
		{"person type missing", `{"kind": "person_type", "scores": {"natural_person": 10, "legal_person": 30}}`,
			profile.Profile{}, got{"unknown", StatusUnknown, 50}},
		{"constitution", `{"kind": "legal_constitution", "scores": {"trust": 80}, "default": 40}`,
			profile.Profile{PersonType: profile.LegalPerson, LegalPerson: &profile.Legal{Constitution: "trust"}}, got{"trust", StatusScored, 80}},
		{"constitution unlisted without default", `{"kind": "legal_constitution", "scores": {"trust": 80}}`,
			profile.Profile{PersonType: profile.LegalPerson, LegalPerson: &profile.Legal{Constitution: "cooperative"}}, got{"cooperative", StatusUnlisted, 50}},
		{"pep yes", `{"kind": "pep_declaration", "scores": {"true": 100, "false": 0}}`,
			profile.Profile{Declaration: &profile.Declaration{PEP: new(true)}}, got{"true", StatusScored, 100}},
		{"pep no", `{"kind": "pep_declaration", "scores": {"true": 100, "false": 0}}`,
			profile.Profile{Declaration: &profile.Declaration{PEP: new(false)}}, got{"false", StatusScored, 0}},
		{"pep null is unknown", `{"kind": "pep_declaration", "scores": {"true": 100, "false": 0}}`,
			profile.Profile{Declaration: &profile.Declaration{}}, got{"unknown", StatusUnknown, 50}},
		{"pep with own unknown score", `{"kind": "pep_declaration", "unknown": 70, "scores": {"true": 100, "false": 0}}`,
			profile.Profile{}, got{"unknown", StatusUnknown, 70}},
		{"obligated subject", `{"kind": "obligated_subject_declaration", "scores": {"true": 10, "false": 20}}`,
			profile.Profile{Declaration: &profile.Declaration{ObligatedSubject: new(true)}}, got{"true", StatusScored, 10}},
		{"watchlist confirmed beats hit", `{"kind": "watchlist", "lists": ["sanctioned", "terrorism"], "scores": {"none": 0, "hit": 60, "confirmed": 100}}`,
			profile.Profile{BlacklistFound: map[string]profile.ListHit{"sanctioned": {Hit: true}, "terrorism": {Hit: true, Confirmed: true}}}, got{"confirmed", StatusScored, 100}},
		{"watchlist hit", `{"kind": "watchlist", "lists": ["sanctioned"], "scores": {"none": 0, "hit": 60, "confirmed": 100}}`,
			profile.Profile{BlacklistFound: map[string]profile.ListHit{"sanctioned": {Hit: true}}}, got{"hit", StatusScored, 60}},
		{"watchlist other list only", `{"kind": "watchlist", "lists": ["sanctioned"], "scores": {"none": 0, "hit": 60, "confirmed": 100}}`,
			profile.Profile{BlacklistFound: map[string]profile.ListHit{"pep": {Hit: true, Confirmed: true}}}, got{"none", StatusScored, 0}},
		{"watchlist screened clean", `{"kind": "watchlist", "lists": ["sanctioned"], "scores": {"none": 0, "hit": 60, "confirmed": 100}}`,
			profile.Profile{BlacklistsCheckedAt: 1624649377278}, got{"none", StatusScored, 0}},
		{"watchlist never screened", `{"kind": "watchlist", "lists": ["sanctioned"], "scores": {"none": 0, "hit": 60, "confirmed": 100}}`,
			profile.Profile{}, got{"unknown", StatusUnknown, 50}},
		{"activity highest", `{"kind": "economic_activity", "scores": {"11501": 20, "920001": 90}, "default": 30}`,
			profile.Profile{Activities: []profile.Activity{{Code: "11501", Main: true}, {Code: "920001"}}}, got{"920001", StatusScored, 90}},
		{"activity main only", `{"kind": "economic_activity", "activities": "main", "scores": {"11501": 20, "920001": 90}}`,
			profile.Profile{Activities: []profile.Activity{{Code: "11501", Main: true}, {Code: "920001"}}}, got{"11501", StatusScored, 20}},
		{"activity unlisted", `{"kind": "economic_activity", "scores": {"11501": 20}, "default": 30}`,
			profile.Profile{Activities: []profile.Activity{{Code: "47110"}}}, got{"47110", StatusUnlisted, 30}},
		{"activity none", `{"kind": "economic_activity", "scores": {"11501": 20}}`,
			profile.Profile{}, got{"unknown", StatusUnknown, 50}},
		{"income band", `{"kind": "declared_income", "bands": [{"from": 0, "score": 10}, {"from": 1000, "score": 40}, {"from": 5000, "score": 80}]}`,
			profile.Profile{DeclaredIncome: new(int64(1000))}, got{"1000 to 5000", StatusScored, 40}},
		{"income top band", `{"kind": "declared_income", "bands": [{"from": 0, "score": 10}, {"from": 1000, "score": 40}]}`,
			profile.Profile{DeclaredIncome: new(int64(99999))}, got{"1000 and over", StatusScored, 40}},
		{"income below bands", `{"kind": "declared_income", "bands": [{"from": 0, "score": 10}]}`,
			profile.Profile{DeclaredIncome: new(int64(-5))}, got{"below_bands", StatusUnlisted, 50}},
		{"income missing", `{"kind": "declared_income", "bands": [{"from": 0, "score": 10}]}`,
			profile.Profile{}, got{"unknown", StatusUnknown, 50}},
		{"transactional amount", `{"kind": "transactional_amount", "bands": [{"from": 0, "score": 10, "label": "small"}, {"from": 500, "score": 70, "label": "large"}]}`,
			profile.Profile{TransactionalProfileAmount: new(int64(700))}, got{"large", StatusScored, 70}},
		{"relationship age", `{"kind": "relationship_age", "bands": [{"from": 0, "score": 60}, {"from": 180, "score": 40}]}`,
			profile.Profile{CreatedAt: profile.TimestampOf(testNow.AddDate(0, 0, -180))}, got{"180 days and over", StatusScored, 40}},
		{"relationship one day short", `{"kind": "relationship_age", "bands": [{"from": 0, "score": 60}, {"from": 180, "score": 40}]}`,
			profile.Profile{CreatedAt: profile.TimestampOf(testNow.AddDate(0, 0, -180).Add(time.Minute))}, got{"0 to 180 days", StatusScored, 60}},
		{"relationship unknown start", `{"kind": "relationship_age", "bands": [{"from": 0, "score": 60}]}`,
			profile.Profile{}, got{"unknown", StatusUnknown, 50}},
		{"document expired", `{"kind": "identity_document", "expiring_within_days": 30, "scores": {"valid": 0, "expiring": 30, "expired": 80}}`,
			profile.Profile{IdentityDocuments: []profile.IdentityDocument{{ExpiryDate: new(profile.DateOf(2024, 5, 31))}}}, got{"expired", StatusScored, 80}},
		{"document valid on its expiry day", `{"kind": "identity_document", "expiring_within_days": 30, "scores": {"valid": 0, "expiring": 30, "expired": 80}}`,
			profile.Profile{IdentityDocuments: []profile.IdentityDocument{{ExpiryDate: new(profile.DateOf(2024, 6, 1))}}}, got{"expiring", StatusScored, 30}},
		{"document expiring at the limit", `{"kind": "identity_document", "expiring_within_days": 30, "scores": {"valid": 0, "expiring": 30, "expired": 80}}`,
			profile.Profile{IdentityDocuments: []profile.IdentityDocument{{ExpiryDate: new(profile.DateOf(2024, 7, 1))}}}, got{"expiring", StatusScored, 30}},
		{"document valid after the limit", `{"kind": "identity_document", "expiring_within_days": 30, "scores": {"valid": 0, "expiring": 30, "expired": 80}}`,
			profile.Profile{IdentityDocuments: []profile.IdentityDocument{{ExpiryDate: new(profile.DateOf(2024, 7, 2))}}}, got{"valid", StatusScored, 0}},
		{"best document counts", `{"kind": "identity_document", "expiring_within_days": 30, "scores": {"valid": 0, "expiring": 30, "expired": 80}}`,
			profile.Profile{IdentityDocuments: []profile.IdentityDocument{{ExpiryDate: new(profile.DateOf(2020, 1, 1))}, {}}}, got{"valid", StatusScored, 0}},
		{"no document", `{"kind": "identity_document", "expiring_within_days": 30, "scores": {"valid": 0, "expiring": 30, "expired": 80}}`,
			profile.Profile{}, got{"unknown", StatusUnknown, 50}},
		{"path string", `{"kind": "profile_path", "path": "natural_person.civil_state", "scores": {"married": 5}, "default": 15}`,
			profile.Profile{NaturalPerson: &profile.Natural{CivilState: "married"}}, got{"married", StatusScored, 5}},
		{"path unlisted hides the value", `{"kind": "profile_path", "path": "natural_person.birth_place", "scores": {"x": 5}, "default": 15}`,
			profile.Profile{NaturalPerson: &profile.Natural{BirthPlace: "Rosario"}}, got{"other", StatusUnlisted, 15}},
		{"path bool", `{"kind": "profile_path", "path": "natural_person.is_employee", "scores": {"true": 40, "false": 0}}`,
			profile.Profile{NaturalPerson: &profile.Natural{IsEmployee: true}}, got{"true", StatusScored, 40}},
		{"path nil parent", `{"kind": "profile_path", "path": "natural_person.is_employee", "scores": {"true": 40, "false": 0}}`,
			profile.Profile{}, got{"unknown", StatusUnknown, 50}},
		{"path integer table", `{"kind": "profile_path", "path": "open_cases", "scores": {"1": 40, "2": 60}}`,
			profile.Profile{OpenCases: 2}, got{"2", StatusScored, 60}},
		{"path omitted zero is unknown", `{"kind": "profile_path", "path": "open_cases", "scores": {"0": 0}}`,
			profile.Profile{}, got{"unknown", StatusUnknown, 50}},
		{"path bands", `{"kind": "profile_path", "path": "open_cases", "bands": [{"from": 1, "score": 40}, {"from": 3, "score": 90}]}`,
			profile.Profile{OpenCases: 4}, got{"3 and over", StatusScored, 90}},
		{"path map entry", `{"kind": "profile_path", "path": "blacklist_found.wanted.confirmed", "scores": {"true": 90, "false": 10}}`,
			profile.Profile{BlacklistFound: map[string]profile.ListHit{"wanted": {Hit: true, Confirmed: true}}}, got{"true", StatusScored, 90}},
		{"path metadata string", `{"kind": "profile_path", "path": "metadata.segment", "scores": {"private_banking": 70}}`,
			profile.Profile{Metadata: profile.Object{"segment": "private_banking"}}, got{"private_banking", StatusScored, 70}},
		{"path metadata number", `{"kind": "profile_path", "path": "metadata.scoring.points", "bands": [{"from": 0, "score": 0}, {"from": 700, "score": 30}]}`,
			profile.Profile{Metadata: profile.Object{"scoring": map[string]any{"points": json.Number("750")}}}, got{"700 and over", StatusScored, 30}},
		{"path metadata not a number", `{"kind": "profile_path", "path": "metadata.points", "bands": [{"from": 0, "score": 0}], "default": 25}`,
			profile.Profile{Metadata: profile.Object{"points": "many"}}, got{"other", StatusUnlisted, 25}},
		{"rules first match", `{"kind": "rules", "default": 0, "rules": [
				{"when": "dprofile.open_cases != None and dprofile.open_cases > 2", "score": 90, "label": "many cases"},
				{"when": "dprofile.open_cases != None", "score": 40, "label": "some cases"}]}`,
			profile.Profile{OpenCases: 1}, got{"some cases", StatusScored, 40}},
		{"rules none holds", `{"kind": "rules", "default": 5, "rules": [{"when": "dprofile.open_cases != None", "score": 40}]}`,
			profile.Profile{}, got{"no_rule", StatusUnlisted, 5}},
		{"rules error", `{"kind": "rules", "default": 5, "rules": [{"when": "dprofile.open_cases > 2", "score": 40, "label": "many"}]}`,
			profile.Profile{}, got{"many", StatusError, 50}},
		{"rules default label", `{"kind": "rules", "default": 5, "rules": [{"when": "dprofile.person_type == 'legal_person'", "score": 40}]}`,
			profile.Profile{PersonType: profile.LegalPerson}, got{"rule_0", StatusScored, 40}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := strings.Replace(tt.factor, "{", `{"id": "f", "weight": 1, `, 1)
			m := mustLoad(t, "["+f+"]", "")
			r := m.Assess(&tt.p, testNow).Factors[0]
			if diff := cmp.Diff(tt.want, got{r.Value, r.Status, r.Score}); diff != "" {
				t.Errorf("factor result (-want +got):\n%s", diff)
			}
		})
	}
}
