package interop_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/profile/interop"
)

func TestImportErrors(t *testing.T) {
	cases := []struct {
		name   string
		data   string
		client bool
		kind   error
		path   string
	}{
		{name: "impossible date of birth", data: `{"entity":{"entityType":"INDIVIDUAL","dateOfBirth":{"dateOfBirth":"1989-02-30"}}}`, kind: interop.ErrDate, path: "entity.dateOfBirth.dateOfBirth"},
		{name: "not a date", data: `{"entity":{"entityType":"INDIVIDUAL","identityDocs":[{"idExpiry":"soon"}]}}`, kind: interop.ErrDate, path: "entity.identityDocs[0].idExpiry"},
		{name: "no entity", data: `{"entities":{}}`, kind: interop.ErrMissing, path: "entity"},
		{name: "no entity type", data: `{"entity":{"name":{}}}`, kind: interop.ErrMissing, path: "entity.entityType"},
		{name: "unknown entity type", data: `{"entity":{"entityType":"ROBOT"}}`, kind: interop.ErrValue, path: "entity.entityType"},
		{name: "name is a string", data: `{"entity":{"entityType":"INDIVIDUAL","name":"Stacy"}}`, kind: interop.ErrType, path: "entity.name"},
		{name: "root is a list", data: `[]`, kind: interop.ErrType, path: ""},
		{name: "client: impossible birth date", client: true, data: `{"identity":{"type":"individual","birthDate":"2023-02-29"}}`, kind: interop.ErrDate, path: "identity.birthDate"},
		{name: "client: no identity", client: true, data: `{"risk":"low"}`, kind: interop.ErrMissing, path: "identity"},
		{name: "client: unknown identity type", client: true, data: `{"identity":{"type":"trust"}}`, kind: interop.ErrValue, path: "identity.type"},
		{name: "client: number as text", client: true, data: `{"identity":{"type":"individual","givenName":7}}`, kind: interop.ErrType, path: "identity.givenName"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var err error
			if c.client {
				_, _, err = interop.ImportClient([]byte(c.data), interop.Options{})
			} else {
				_, _, err = interop.ImportEntity([]byte(c.data), interop.Options{})
			}
			if !errors.Is(err, c.kind) {
				t.Fatalf("error %v, want %v", err, c.kind)
			}
			var fe *interop.FieldError
			if !errors.As(err, &fe) {
				t.Fatalf("error %v is not a *FieldError", err)
			}
			if fe.Path != c.path {
				t.Errorf("path %q, want %q", fe.Path, c.path)
			}
			// The value never appears in the message (personal data).
			for _, v := range []string{"1989", "2023", "soon", "Stacy", "ROBOT", "trust"} {
				if strings.Contains(err.Error(), v) {
					t.Errorf("error %q contains a value of the input", err)
				}
			}
		})
	}
}

func TestImportEntityUnmapped(t *testing.T) {
	data := []byte(`{"entity":{
		"entityType":"INDIVIDUAL",
		"name":{"givenName":"STACY","familyName":"TESTFORTY","title":"MS"},
		"addresses":[{"addressType":"RESIDENTIAL3","country":"AUS","suburb":"Hobart"}, null],
		"extraData":[
			{"kvpKey":"consent.general","kvpValue":"yes","kvpType":"general.bool"},
			{"kvpKey":"customer_reference","kvpValue":"cust_001","kvpType":"id.external"},
			{"kvpKey":"customer_reference","kvpValue":"cust_002","kvpType":"id.external"},
			{"kvpValue":"x"}
		],
		"verify": true
	},
	"channel":"web"}`)
	p, unmapped, err := interop.ImportEntity(data, interop.Options{})
	if err != nil {
		t.Fatal(err)
	}
	wantUnmapped := []interop.Unmapped{
		{Path: "entity.name.title", Reason: "no field of the profile holds it"},
		{Path: "entity.addresses[1]", Reason: "null element"},
		{Path: "entity.addresses[0].suburb", Reason: "no field of the profile holds it"},
		{Path: "entity.extraData[2]", Reason: "key already given earlier in the list"},
		{Path: "entity.extraData[3]", Reason: "element has no kvpKey"},
		{Path: "entity.verify", Reason: "no field of the profile holds it"},
		{Path: "channel", Reason: "no field of the profile holds it"},
	}
	if diff := cmp.Diff(wantUnmapped, unmapped); diff != "" {
		t.Errorf("unmapped (-want +got):\n%s", diff)
	}
	// A consent whose value is not a boolean stays in metadata, whole; an
	// address type without a counterpart is kept in the address's extra.
	wantMeta := profile.Object{"consent.general": map[string]any{"kvpValue": "yes", "kvpType": "general.bool"}}
	if diff := cmp.Diff(wantMeta, p.Metadata); diff != "" {
		t.Errorf("metadata (-want +got):\n%s", diff)
	}
	wantAddr := []profile.Address{{AddressType: profile.AddressPersonal, Country: "AU", Extra: profile.Object{"entity_address_type": "RESIDENTIAL3"}}}
	if diff := cmp.Diff(wantAddr, p.Addresses); diff != "" {
		t.Errorf("addresses (-want +got):\n%s", diff)
	}
	if p.ExternalRef != "cust_001" {
		t.Errorf("external_ref is not the first customer_reference")
	}

	_, _, err = interop.ImportEntity(data, interop.Options{Strict: true})
	var ue *interop.UnmappedError
	if !errors.As(err, &ue) || !errors.Is(err, interop.ErrUnmapped) {
		t.Fatalf("strict import: error %v is not an *UnmappedError", err)
	}
	if diff := cmp.Diff(wantUnmapped, ue.Unmapped); diff != "" {
		t.Errorf("strict unmapped (-want +got):\n%s", diff)
	}
	if strings.Contains(err.Error(), "Hobart") || strings.Contains(err.Error(), "MS") {
		t.Errorf("strict error %q contains a value of the input", err)
	}
}

func TestImportClientUnmapped(t *testing.T) {
	data := []byte(`{"identity":{"type":"corporate","legalName":"I.F Technology Ltd","vat":"GB1"},
		"profile":{"identityType":"individual","website":"x"},
		"fullName":"IF Tech"}`)
	p, unmapped, err := interop.ImportClient(data, interop.Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []interop.Unmapped{
		{Path: "identity.vat", Reason: "no field of the profile holds it"},
		{Path: "profile.identityType", Reason: "disagrees with identity.type"},
		{Path: "profile.website", Reason: "no field of the profile holds it"},
		{Path: "fullName", Reason: "disagrees with the legal name"},
	}
	if diff := cmp.Diff(want, unmapped); diff != "" {
		t.Errorf("unmapped (-want +got):\n%s", diff)
	}
	if p.Name != "I.F Technology Ltd" {
		t.Errorf("name is not the legal name")
	}
}

func TestExportLostFields(t *testing.T) {
	p := &profile.Profile{
		PersonType: profile.NaturalPerson,
		Name:       "Ana Diaz",
		TaxPayerID: "20-1-9",
		NaturalPerson: &profile.Natural{
			Name:   profile.Name{First: "Ana", Last: "Diaz"},
			Gender: "female",
		},
		Contacts: []profile.Contact{{ContactType: profile.ContactEmail, Value: "ana@example.org", Main: true}},
		Addresses: []profile.Address{
			{AddressType: profile.AddressPersonal, Main: true, Country: "AR", City: "Rosario", Department: "Rosario"},
		},
		Metadata: profile.Object{"segment": "retail"},
	}
	_, lost, err := interop.ExportEntity(p)
	if err != nil {
		t.Fatal(err)
	}
	want := []interop.Unmapped{
		{Path: "addresses[0].department", Reason: "the shape has no field for it"},
		{Path: "contacts[0]", Reason: "the shape has no field for it"},
		{Path: "metadata.segment", Reason: "the shape has no field for it"},
		{Path: "natural_person.gender", Reason: "the shape has no field for it"},
		{Path: "tax_payer_id", Reason: "the shape has no field for it"},
	}
	if diff := cmp.Diff(want, lost); diff != "" {
		t.Errorf("entity export lost (-want +got):\n%s", diff)
	}

	_, lost, err = interop.ExportClient(p)
	if err != nil {
		t.Fatal(err)
	}
	want = []interop.Unmapped{
		{Path: "addresses[0].department", Reason: "the shape has no field for it"},
		{Path: "metadata.segment", Reason: "the shape has no field for it"},
		{Path: "natural_person.gender", Reason: "the shape has no field for it"},
		{Path: "tax_payer_id", Reason: "the shape has no field for it"},
	}
	if diff := cmp.Diff(want, lost); diff != "" {
		t.Errorf("client export lost (-want +got):\n%s", diff)
	}

	if _, _, err := interop.ExportEntity(&profile.Profile{}); !errors.Is(err, interop.ErrPersonType) {
		t.Errorf("export without person type: error %v, want ErrPersonType", err)
	}
}
