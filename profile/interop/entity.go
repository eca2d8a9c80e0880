package interop

import (
	"cmp"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/kycsdk/kyc/profile"
)

// Entity types of seed 001 ("entityType").
const (
	EntityIndividual   = "INDIVIDUAL"
	EntityOrganisation = "ORGANISATION"
)

// Address types of seed 001 that have an exact counterpart in a profile
// address (type and main flag). Any other addressType is kept as given in
// the address's extra, under entityAddressTypeKey.
var entityAddressTypes = map[string]struct {
	typ  string
	main bool
}{
	"RESIDENTIAL1":      {profile.AddressPersonal, true},
	"RESIDENTIAL2":      {profile.AddressPersonal, false},
	"REGISTERED_OFFICE": {profile.AddressLegal, true},
	"PLACE_OF_BUSINESS": {profile.AddressLegal, false},
	"POSTAL":            {profile.AddressFiscal, false},
}

const entityAddressTypeKey = "entity_address_type"

// The extraData keys with a place in the profile (seed 001), and the
// kvpType they carry. An element with another kvpType is kept in metadata.
const (
	consentPrefix     = "consent."
	consentKVPType    = "general.bool"
	customerRefKey    = "customer_reference"
	customerRefKVPTyp = "id.external"
)

// knownConsents is the order seed 001 lists its consents in; export writes
// them first, in this order, then any other consent sorted.
var knownConsents = []string{"general", "docs", "creditheader"}

// ImportEntity reads the entity verification payload of seed 001
// ({"entity": {...}}) into a profile:
//
//   - entityProfile -> EntityProfile; entityType INDIVIDUAL / ORGANISATION
//     -> PersonType (required);
//   - name{givenName, middleName, familyName} -> natural_person.name
//     {first, middle, last}; dateOfBirth.dateOfBirth (ISO date) ->
//     natural_person.birth_date (midnight UTC);
//   - addresses[] -> addresses, alpha-3 countries stored as alpha-2;
//   - extraData[]: consent.* (general.bool) -> consents, customer_reference
//     (id.external) -> external_ref, any other element -> metadata[kvpKey]
//     = {kvpValue, kvpType} as given;
//   - identityDocs[]{country, idType, idNumber, idIssued, idExpiry} ->
//     identity_documents.
//
// Keys with no place in the profile are returned as Unmapped; an impossible
// date, a value of the wrong JSON type or an unknown entity type is an
// error naming its path.
func ImportEntity(data []byte, opts Options) (*profile.Profile, []Unmapped, error) {
	v, err := decode(data)
	if err != nil {
		return nil, nil, err
	}
	r := &reader{}
	p := readEntityRoot(r, v)
	if r.err != nil {
		return nil, nil, r.err
	}
	return finish(p, r.unmapped, opts)
}

func readEntityRoot(r *reader, v any) *profile.Profile {
	root := r.root(v)
	if root.m != nil && !root.has("entity") {
		r.fail("entity", ErrMissing)
	}
	p := readEntity(root.object("entity"))
	root.done()
	return p
}

func readEntity(e *obj) *profile.Profile {
	p := &profile.Profile{EntityProfile: e.str("entityProfile")}
	switch t := e.str("entityType"); t {
	case EntityIndividual:
		p.PersonType = profile.NaturalPerson
		p.NaturalPerson = &profile.Natural{}
		readEntityName(e.object("name"), p.NaturalPerson)
		readEntityDOB(e.object("dateOfBirth"), p.NaturalPerson)
	case EntityOrganisation:
		p.PersonType = profile.LegalPerson
		skipFor(e, reasonLegalPerson, "name", "dateOfBirth")
	case "":
		e.r.fail(e.at("entityType"), ErrMissing)
	default:
		e.r.fail(e.at("entityType"), ErrValue)
	}
	paths, elems := e.elements("addresses")
	for i, a := range elems {
		p.Addresses = append(p.Addresses, readEntityAddress(e.r.object(paths[i], a)))
	}
	readExtraData(e, p)
	paths, elems = e.elements("identityDocs")
	for i, d := range elems {
		p.IdentityDocuments = append(p.IdentityDocuments, readEntityDoc(e.r.object(paths[i], d)))
	}
	e.done()
	return p
}

// skipFor reports keys that the person type has no place for.
func skipFor(o *obj, reason string, keys ...string) {
	for _, k := range keys {
		if o.has(k) {
			o.raw(k)
			o.r.skip(o.at(k), reason)
		}
	}
}

func readEntityName(o *obj, n *profile.Natural) {
	n.Name = profile.Name{First: o.str("givenName"), Middle: o.str("middleName"), Last: o.str("familyName")}
	o.done()
}

func readEntityDOB(o *obj, n *profile.Natural) {
	n.BirthDate = o.date("dateOfBirth")
	o.done()
}

func readEntityAddress(o *obj) profile.Address {
	a := profile.Address{
		Country:            countryIn(o.str("country")),
		ZipCode:            o.str("postalCode"),
		State:              o.str("state"),
		City:               o.str("town"),
		StreetName:         o.str("streetName"),
		Number:             o.str("streetNumber"),
		BuildingRoomNumber: o.str("unitNumber"),
		BuildingName:       o.str("buildingName"),
		FormattedAddress:   o.str("longForm"),
	}
	setEntityAddressType(&a, o.str("addressType"))
	o.done()
	return a
}

func setEntityAddressType(a *profile.Address, t string) {
	if known, ok := entityAddressTypes[t]; ok {
		a.AddressType, a.Main = known.typ, known.main
		return
	}
	// No counterpart: a personal, non-main address that remembers its type.
	a.AddressType = profile.AddressPersonal
	a.Extra = profile.Object{entityAddressTypeKey: t}
}

func readEntityDoc(o *obj) profile.IdentityDocument {
	d := profile.IdentityDocument{
		IssuingCountry: countryIn(o.str("country")),
		Type:           o.str("idType"),
		Number:         o.str("idNumber"),
		IssueDate:      o.date("idIssued"),
		ExpiryDate:     o.date("idExpiry"),
	}
	o.done()
	return d
}

func readExtraData(e *obj, p *profile.Profile) {
	seen := map[string]bool{}
	base := e.at("extraData")
	for i, el := range e.list("extraData") {
		o := e.r.object(indexPath(base, i), el)
		key := o.str("kvpKey")
		switch {
		case o.m == nil && el == nil:
			e.r.skip(o.path, reasonNull)
		case o.m == nil:
			continue // not an object: the reader has the error
		case key == "":
			e.r.skip(o.path, reasonNoKey)
		case seen[key]:
			e.r.skip(o.path, reasonDuplicateKey)
		default:
			seen[key] = true
			readKVP(o, key, p)
		}
	}
}

// readKVP maps one extraData element. Every other key of the element is
// kept with it in metadata, so the element comes back whole on export.
func readKVP(o *obj, key string, p *profile.Profile) {
	value, _ := o.m["kvpValue"].(string)
	typ, _ := o.m["kvpType"].(string)
	if len(o.m) == 3 && o.has("kvpValue") && o.has("kvpType") {
		if consent, ok := strings.CutPrefix(key, consentPrefix); ok && typ == consentKVPType && (value == "true" || value == "false") {
			if p.Consents == nil {
				p.Consents = map[string]bool{}
			}
			p.Consents[consent] = value == "true"
			return
		}
		if key == customerRefKey && typ == customerRefKVPTyp && value != "" {
			p.ExternalRef = value
			return
		}
	}
	// A plain map, as nested objects of decoded metadata are.
	rest := maps.Clone(o.m)
	delete(rest, "kvpKey")
	if p.Metadata == nil {
		p.Metadata = profile.Object{}
	}
	p.Metadata[key] = rest
}

// ExportEntity writes p in the entity shape of seed 001, {"entity": {...}}
// (see ImportEntity for the mapping). extraData is written in a fixed
// order: the consents (seed 001's general, docs, creditheader first), then
// customer_reference, then the metadata entries by key. The second result
// lists the fields of p the shape cannot hold; a metadata entry is written
// only when it is an object (an extraData element without its key).
func ExportEntity(p *profile.Profile) ([]byte, []Unmapped, error) {
	e, err := entityOut(p)
	if err != nil {
		return nil, nil, err
	}
	out, err := encode(map[string]any{"entity": e})
	if err != nil {
		return nil, nil, err
	}
	lost, err := lostFields(p, out, ImportEntity)
	if err != nil {
		return nil, nil, err
	}
	return out, lost, nil
}

func entityOut(p *profile.Profile) (map[string]any, error) {
	e := map[string]any{}
	switch p.PersonType {
	case profile.NaturalPerson:
		e["entityType"] = EntityIndividual
		naturalOut(e, p.NaturalPerson)
	case profile.LegalPerson:
		e["entityType"] = EntityOrganisation
	default:
		return nil, ErrPersonType
	}
	if p.EntityProfile != "" {
		e["entityProfile"] = p.EntityProfile
	}
	if len(p.Addresses) > 0 {
		e["addresses"] = mapSlice(p.Addresses, entityAddressOut)
	}
	if x := extraDataOut(p); len(x) > 0 {
		e["extraData"] = x
	}
	if len(p.IdentityDocuments) > 0 {
		e["identityDocs"] = mapSlice(p.IdentityDocuments, entityDocOut)
	}
	return e, nil
}

func naturalOut(e map[string]any, n *profile.Natural) {
	n = cmp.Or(n, &profile.Natural{})
	e["name"] = map[string]any{"givenName": n.Name.First, "middleName": n.Name.Middle, "familyName": n.Name.Last}
	if n.BirthDate != nil {
		e["dateOfBirth"] = map[string]any{"dateOfBirth": n.BirthDate.String()}
	}
}

func mapSlice[T any](in []T, f func(T) map[string]any) []any {
	out := make([]any, len(in))
	for i, v := range in {
		out[i] = f(v)
	}
	return out
}

// entityAddressOut writes the keys of seed 001's address always, and the
// optional ones when set.
func entityAddressOut(a profile.Address) map[string]any {
	out := map[string]any{
		"addressType":  entityAddressType(a),
		"country":      alpha3Out(a.Country),
		"postalCode":   a.ZipCode,
		"state":        a.State,
		"unitNumber":   a.BuildingRoomNumber,
		"streetNumber": a.Number,
		"streetName":   a.StreetName,
		"town":         a.City,
	}
	if a.BuildingName != "" {
		out["buildingName"] = a.BuildingName
	}
	if a.FormattedAddress != "" {
		out["longForm"] = a.FormattedAddress
	}
	return out
}

func entityAddressType(a profile.Address) string {
	if t, ok := a.Extra[entityAddressTypeKey].(string); ok {
		return t
	}
	for name, known := range entityAddressTypes {
		if known.typ == a.AddressType && known.main == a.Main {
			return name
		}
	}
	// A main fiscal address has no entity type of its own.
	return "POSTAL"
}

func entityDocOut(d profile.IdentityDocument) map[string]any {
	out := map[string]any{"country": alpha3Out(d.IssuingCountry), "idType": d.Type, "idNumber": d.Number}
	if d.IssueDate != nil {
		out["idIssued"] = d.IssueDate.String()
	}
	if d.ExpiryDate != nil {
		out["idExpiry"] = d.ExpiryDate.String()
	}
	return out
}

func extraDataOut(p *profile.Profile) []any {
	var out []any
	for _, c := range consentOrder(p.Consents) {
		out = append(out, kvp(consentPrefix+c, strconv.FormatBool(p.Consents[c]), consentKVPType))
	}
	if p.ExternalRef != "" {
		out = append(out, kvp(customerRefKey, p.ExternalRef, customerRefKVPTyp))
	}
	for _, k := range slices.Sorted(maps.Keys(p.Metadata)) {
		rest, ok := p.Metadata[k].(map[string]any)
		if !ok || rest["kvpKey"] != nil {
			continue // not an extraData element: reported as not exported
		}
		el := map[string]any{"kvpKey": k}
		maps.Copy(el, rest)
		out = append(out, el)
	}
	return out
}

func consentOrder(c map[string]bool) []string {
	var out []string
	for _, k := range knownConsents {
		if _, ok := c[k]; ok {
			out = append(out, k)
		}
	}
	var rest []string
	for k := range c {
		if !slices.Contains(knownConsents, k) {
			rest = append(rest, k)
		}
	}
	slices.Sort(rest)
	return append(out, rest...)
}

func kvp(key, value, typ string) map[string]any {
	return map[string]any{"kvpKey": key, "kvpValue": value, "kvpType": typ}
}
