package httpapi

import (
	"strconv"
	"strings"

	"github.com/kycsdk/kyc/profile"
)

// The client fields of seed 002 that hold each profile field the client
// mapping fills (profile/interop.ImportClient), so that a problem found in
// the profile points at the field the client sent.
var (
	clientIdentityField = map[string]string{
		"/natural_person/name/first":     "identity/givenName",
		"/natural_person/name/last":      "identity/familyName",
		"/natural_person/birth_date":     "identity/birthDate",
		"/natural_person/nationality":    "identity/country",
		"/legal_person/foundation_date":  "identity/incorporationDate",
		"/legal_person/foundation_place": "identity/country",
		"/external_ref":                  "clientNumber",
		"/risk":                          "risk",
		"/state":                         "status",
		"/id":                            "id",
	}
	clientDocumentField = map[string]string{
		"type": "type", "number": "identificationNumber", "issuing_country": "issuingCountry",
		"issue_date": "issueDate", "expiry_date": "expirationDate",
	}
	clientAddressField = map[string]string{
		"country": "country", "state": "region", "city": "city", "street_name": "street",
		"number": "houseNumber", "zip_code": "postalCode",
	}
)

const clientRoot = "/data/client"

// clientPointer turns the JSON pointer of a profile field into the pointer
// of the client field it came from, in a body of seed 002 about p; a field
// the client does not hold points at the client object.
func clientPointer(p *profile.Profile, ptr string) string {
	if f, ok := clientIdentityField[ptr]; ok {
		return clientRoot + "/" + f
	}
	if ptr == "/name" {
		if p != nil && p.PersonType == profile.LegalPerson {
			return clientRoot + "/identity/legalName"
		}
		return clientRoot + "/fullName"
	}
	tokens := strings.Split(strings.TrimPrefix(ptr, "/"), "/")
	if len(tokens) < 2 || p == nil {
		return clientRoot
	}
	i, err := strconv.Atoi(tokens[1])
	if err != nil || i < 0 {
		return clientRoot
	}
	field := ""
	if len(tokens) > 2 {
		field = tokens[2]
	}
	switch tokens[0] {
	case "identity_documents":
		out := clientRoot + "/identity/identifications/" + tokens[1]
		if f, ok := clientDocumentField[field]; ok {
			out += "/" + f
		}
		return out
	case "addresses":
		if i >= len(p.Addresses) {
			return clientRoot + "/profile"
		}
		out := clientRoot + "/profile/residentialAddress"
		if p.Addresses[i].AddressType == profile.AddressLegal {
			out = clientRoot + "/profile/registrationAddress"
		}
		if f, ok := clientAddressField[field]; ok {
			out += "/" + f
		}
		return out
	case "contacts":
		if i >= len(p.Contacts) {
			return clientRoot + "/profile"
		}
		if p.Contacts[i].ContactType == profile.ContactEmail {
			return clientRoot + "/profile/email"
		}
		return clientRoot + "/profile/phone"
	}
	return clientRoot
}
