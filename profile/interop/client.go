package interop

import (
	"cmp"
	"encoding/json"
	"maps"

	"github.com/kycsdk/kyc/profile"
)

// Identity types of seed 002 ("identity.type", "profile.identityType").
const (
	ClientIndividual = "individual"
	ClientCorporate  = "corporate"
)

// refinementKey holds an address's "refinement" (flat, floor, ...) in the
// address's extra: the profile has no such field, and keeping it there,
// empty or not, lets it come back exactly as given.
const refinementKey = "refinement"

// Envelope is what the client API of seed 002 wraps around its data:
// "workflow", "connect" and "metadata", kept as given.
type Envelope struct {
	Workflow profile.Object
	Connect  profile.Object
	Metadata profile.Object
}

// ClientRequest is a message of seed 002 about one client: the body of
// POST /clients, PATCH /clients/<id> and the answer of GET /clients/<id>,
// {"workflow", "data": {"client"}, "connect", "metadata"}.
type ClientRequest struct {
	Envelope
	Client *profile.Profile
}

// Page is the pagination of a client list (seed 002, metadata.page).
type Page struct {
	Size          int64 `json:"size"`
	TotalElements int64 `json:"totalElements"`
	TotalPages    int64 `json:"totalPages"`
	Number        int64 `json:"number"`
}

// ClientList is a page of clients of seed 002, {"workflow", "data":
// {"clients": [...]}, "connect", "metadata": {"page": {...}}}. Envelope's
// Metadata holds the metadata other than the page.
type ClientList struct {
	Envelope
	Clients []*profile.Profile
	Page    *Page
}

// ImportClient reads one client object of seed 002 into a profile:
//
//   - id -> id; clientNumber -> external_ref; status -> state; risk -> risk;
//     fullName -> name;
//   - identity (required) of type individual: givenName, familyName ->
//     natural_person.name.first, .last; birthDate -> natural_person.birth_date;
//     country -> natural_person.nationality; identifications[]{type,
//     identificationNumber, issuingCountry, issueDate, expirationDate} ->
//     identity_documents; of type corporate: legalName -> name;
//     incorporationDate -> legal_person.foundation_date; country ->
//     legal_person.foundation_place;
//   - profile: residentialAddress -> the main personal address,
//     registrationAddress -> the main legal address ({country, region, city,
//     street, houseNumber, postalCode} -> {country, state, city, street_name,
//     number, zip_code}; refinement -> extra.refinement); phone -> the main
//     mobile contact; email -> the main email contact; identityType must
//     agree with identity.type.
//
// Dates are ISO 8601 calendar dates; an impossible one is an error naming
// its path.
func ImportClient(data []byte, opts Options) (*profile.Profile, []Unmapped, error) {
	v, err := decode(data)
	if err != nil {
		return nil, nil, err
	}
	r := &reader{}
	p := readClient(r.root(v))
	if r.err != nil {
		return nil, nil, r.err
	}
	return finish(p, r.unmapped, opts)
}

// ImportClientRequest reads a seed 002 message about one client (see
// ClientRequest); the client is read as ImportClient does.
func ImportClientRequest(data []byte, opts Options) (*ClientRequest, []Unmapped, error) {
	v, err := decode(data)
	if err != nil {
		return nil, nil, err
	}
	r := &reader{}
	root := r.root(v)
	req := &ClientRequest{Envelope: readEnvelope(root)}
	d := root.object("data")
	if !d.has("client") {
		r.fail(d.at("client"), ErrMissing)
	}
	req.Client = readClient(d.object("client"))
	d.done()
	root.done()
	if r.err != nil {
		return nil, nil, r.err
	}
	return finish(req, r.unmapped, opts)
}

// ImportClientList reads a page of clients of seed 002 (see ClientList).
func ImportClientList(data []byte, opts Options) (*ClientList, []Unmapped, error) {
	v, err := decode(data)
	if err != nil {
		return nil, nil, err
	}
	r := &reader{}
	root := r.root(v)
	l := &ClientList{Envelope: readEnvelope(root)}
	l.Page = readPage(r, l.Metadata)
	d := root.object("data")
	paths, elems := d.elements("clients")
	for i, c := range elems {
		l.Clients = append(l.Clients, readClient(r.object(paths[i], c)))
	}
	d.done()
	root.done()
	if r.err != nil {
		return nil, nil, r.err
	}
	return finish(l, r.unmapped, opts)
}

func readEnvelope(root *obj) Envelope {
	return Envelope{
		Workflow: root.freeObject("workflow"),
		Connect:  root.freeObject("connect"),
		Metadata: root.freeObject("metadata"),
	}
}

// readPage takes metadata.page out of the metadata, which keeps the rest.
func readPage(r *reader, meta profile.Object) *Page {
	v, ok := meta["page"]
	if !ok {
		return nil
	}
	delete(meta, "page")
	o := r.object("metadata.page", v)
	pg := &Page{
		Size:          o.integer("size"),
		TotalElements: o.integer("totalElements"),
		TotalPages:    o.integer("totalPages"),
		Number:        o.integer("number"),
	}
	o.done()
	return pg
}

func (o *obj) integer(key string) int64 {
	switch v := o.raw(key).(type) {
	case json.Number:
		n, err := v.Int64()
		if err != nil {
			o.r.fail(o.at(key), ErrType)
		}
		return n
	case nil:
	default:
		o.r.fail(o.at(key), ErrType)
	}
	return 0
}

func readClient(o *obj) *profile.Profile {
	p := &profile.Profile{
		ID:          o.str("id"),
		ExternalRef: o.str("clientNumber"),
		State:       o.str("status"),
		Risk:        o.str("risk"),
	}
	if o.m != nil && !o.has("identity") {
		o.r.fail(o.at("identity"), ErrMissing)
	}
	typ := readIdentity(o.object("identity"), p)
	readClientProfile(o.object("profile"), p, typ)
	readFullName(o, p)
	o.done()
	return p
}

func readIdentity(o *obj, p *profile.Profile) string {
	typ := o.str("type")
	switch typ {
	case ClientIndividual:
		p.PersonType = profile.NaturalPerson
		p.NaturalPerson = &profile.Natural{
			Name:        profile.Name{First: o.str("givenName"), Last: o.str("familyName")},
			BirthDate:   o.date("birthDate"),
			Nationality: countryIn(o.str("country")),
		}
		paths, elems := o.elements("identifications")
		for i, d := range elems {
			p.IdentityDocuments = append(p.IdentityDocuments, readIdentification(o.r.object(paths[i], d)))
		}
	case ClientCorporate:
		p.PersonType = profile.LegalPerson
		p.Name = o.str("legalName")
		p.LegalPerson = &profile.Legal{
			FoundationDate:  o.date("incorporationDate"),
			FoundationPlace: countryIn(o.str("country")),
		}
	case "":
		if o.m != nil {
			o.r.fail(o.at("type"), ErrMissing)
		}
	default:
		o.r.fail(o.at("type"), ErrValue)
	}
	o.done()
	return typ
}

func readIdentification(o *obj) profile.IdentityDocument {
	d := profile.IdentityDocument{
		Type:           o.str("type"),
		Number:         o.str("identificationNumber"),
		IssuingCountry: countryIn(o.str("issuingCountry")),
		IssueDate:      o.date("issueDate"),
		ExpiryDate:     o.date("expirationDate"),
	}
	o.done()
	return d
}

func readClientProfile(o *obj, p *profile.Profile, typ string) {
	if o.has("identityType") && o.str("identityType") != typ {
		o.r.skip(o.at("identityType"), reasonTypeMismatch)
	}
	if o.has("residentialAddress") {
		p.Addresses = append(p.Addresses, readClientAddress(o.object("residentialAddress"), profile.AddressPersonal))
	}
	if o.has("registrationAddress") {
		p.Addresses = append(p.Addresses, readClientAddress(o.object("registrationAddress"), profile.AddressLegal))
	}
	if phone := o.str("phone"); phone != "" {
		p.Contacts = append(p.Contacts, profile.Contact{ContactType: profile.ContactMobile, Value: phone, Main: true})
	}
	if email := o.str("email"); email != "" {
		p.Contacts = append(p.Contacts, profile.Contact{ContactType: profile.ContactEmail, Value: email, Main: true})
	}
	o.done()
}

func readClientAddress(o *obj, typ string) profile.Address {
	a := profile.Address{
		AddressType: typ,
		Main:        true,
		Country:     countryIn(o.str("country")),
		State:       o.str("region"),
		City:        o.str("city"),
		StreetName:  o.str("street"),
		Number:      o.str("houseNumber"),
		ZipCode:     o.str("postalCode"),
	}
	if o.has(refinementKey) {
		a.Extra = profile.Object{refinementKey: o.str(refinementKey)}
	}
	o.done()
	return a
}

// readFullName keeps fullName as the profile's name. A corporate client's
// name is its legal name: a different fullName is reported, not kept.
func readFullName(o *obj, p *profile.Profile) {
	if !o.has("fullName") {
		return
	}
	full := o.str("fullName")
	switch {
	case p.Name == "":
		p.Name = full
	case full != p.Name:
		o.r.skip(o.at("fullName"), reasonNameMismatch)
	}
}

// ExportClient writes p as one client object of seed 002 (see ImportClient
// for the mapping). id, clientNumber, status and risk are written when set;
// fullName, a field of the API's answers, is written with the id, and for
// an individual whenever the profile has a name. The
// second result lists the fields of p the shape cannot hold.
func ExportClient(p *profile.Profile) ([]byte, []Unmapped, error) {
	c, err := clientOut(p)
	if err != nil {
		return nil, nil, err
	}
	out, err := encode(c)
	if err != nil {
		return nil, nil, err
	}
	lost, err := lostFields(p, out, ImportClient)
	if err != nil {
		return nil, nil, err
	}
	return out, lost, nil
}

// ExportClientRequest writes r as a seed 002 message about one client; an
// absent envelope part is written as {}.
func ExportClientRequest(r *ClientRequest) ([]byte, []Unmapped, error) {
	if r == nil || r.Client == nil {
		return nil, nil, &FieldError{Path: "data.client", Err: ErrMissing}
	}
	c, err := clientOut(r.Client)
	if err != nil {
		return nil, nil, err
	}
	out, err := encode(envelopeOut(r.Envelope, r.Envelope.Metadata, map[string]any{"client": c}))
	if err != nil {
		return nil, nil, err
	}
	back, err := clientBack(c)
	if err != nil {
		return nil, nil, err
	}
	return out, lostBetween(r.Client, back), nil
}

// ExportClientList writes l as a page of clients of seed 002. The fields a
// client cannot hold are reported under "clients[i].".
func ExportClientList(l *ClientList) ([]byte, []Unmapped, error) {
	if l == nil {
		return nil, nil, &FieldError{Path: "data.clients", Err: ErrMissing}
	}
	clients := make([]any, len(l.Clients))
	var lost []Unmapped
	for i, p := range l.Clients {
		c, err := clientOut(p)
		if err != nil {
			return nil, nil, &FieldError{Path: indexPath("data.clients", i), Err: err}
		}
		clients[i] = c
		back, err := clientBack(c)
		if err != nil {
			return nil, nil, err
		}
		for _, u := range lostBetween(p, back) {
			lost = append(lost, Unmapped{Path: indexPath("clients", i) + "." + u.Path, Reason: u.Reason})
		}
	}
	meta := map[string]any{}
	maps.Copy(meta, l.Metadata)
	if l.Page != nil {
		meta["page"] = l.Page
	}
	out, err := encode(envelopeOut(l.Envelope, meta, map[string]any{"clients": clients}))
	if err != nil {
		return nil, nil, err
	}
	return out, lost, nil
}

// clientBack reads an exported client object back.
func clientBack(c map[string]any) (*profile.Profile, error) {
	b, err := encode(c)
	if err != nil {
		return nil, err
	}
	back, _, err := ImportClient(b, Options{})
	return back, err
}

func envelopeOut(e Envelope, meta map[string]any, data map[string]any) map[string]any {
	return map[string]any{
		"workflow": orEmpty(e.Workflow),
		"data":     data,
		"connect":  orEmpty(e.Connect),
		"metadata": orEmpty(meta),
	}
}

func orEmpty(m map[string]any) map[string]any {
	if m == nil {
		return map[string]any{}
	}
	return m
}

func clientOut(p *profile.Profile) (map[string]any, error) {
	if p == nil {
		return nil, &FieldError{Path: "client", Err: ErrMissing}
	}
	c := map[string]any{}
	identity, typ, err := identityOut(p)
	if err != nil {
		return nil, err
	}
	c["identity"] = identity
	c["profile"] = clientProfileOut(p, typ)
	setIf(c, "id", p.ID)
	setIf(c, "clientNumber", p.ExternalRef)
	setIf(c, "status", p.State)
	setIf(c, "risk", p.Risk)
	if writesFullName(p) {
		c["fullName"] = p.Name
	}
	return c, nil
}

// writesFullName says whether the client's fullName is written: with the
// id (the API's answers carry both), and for an individual whenever the
// profile has a name, so that the name survives a round trip. A corporate
// client's name is already its legalName.
func writesFullName(p *profile.Profile) bool {
	if p.Name == "" {
		return false
	}
	return p.ID != "" || p.PersonType == profile.NaturalPerson
}

func setIf(m map[string]any, key, value string) {
	if value != "" {
		m[key] = value
	}
}

func identityOut(p *profile.Profile) (map[string]any, string, error) {
	switch p.PersonType {
	case profile.NaturalPerson:
		return individualOut(p), ClientIndividual, nil
	case profile.LegalPerson:
		return corporateOut(p), ClientCorporate, nil
	}
	return nil, "", ErrPersonType
}

func individualOut(p *profile.Profile) map[string]any {
	n := cmp.Or(p.NaturalPerson, &profile.Natural{})
	id := map[string]any{"type": ClientIndividual, "givenName": n.Name.First, "familyName": n.Name.Last}
	if n.BirthDate != nil {
		id["birthDate"] = n.BirthDate.String()
	}
	setIf(id, "country", n.Nationality)
	if len(p.IdentityDocuments) > 0 {
		id["identifications"] = mapSlice(p.IdentityDocuments, identificationOut)
	}
	return id
}

func identificationOut(d profile.IdentityDocument) map[string]any {
	out := map[string]any{"type": d.Type, "identificationNumber": d.Number}
	setIf(out, "issuingCountry", d.IssuingCountry)
	if d.IssueDate != nil {
		out["issueDate"] = d.IssueDate.String()
	}
	if d.ExpiryDate != nil {
		out["expirationDate"] = d.ExpiryDate.String()
	}
	return out
}

func corporateOut(p *profile.Profile) map[string]any {
	l := cmp.Or(p.LegalPerson, &profile.Legal{})
	id := map[string]any{"type": ClientCorporate, "legalName": p.Name}
	if l.FoundationDate != nil {
		id["incorporationDate"] = l.FoundationDate.String()
	}
	setIf(id, "country", l.FoundationPlace)
	return id
}

func clientProfileOut(p *profile.Profile, typ string) map[string]any {
	out := map[string]any{"identityType": typ}
	if a := mainAddress(p.Addresses, profile.AddressPersonal); a != nil {
		out["residentialAddress"] = clientAddressOut(*a)
	}
	if a := mainAddress(p.Addresses, profile.AddressLegal); a != nil {
		out["registrationAddress"] = clientAddressOut(*a)
	}
	if c := firstContact(p.Contacts, profile.ContactMobile, profile.ContactLandline); c != nil {
		out["phone"] = c.Value
	}
	if c := firstContact(p.Contacts, profile.ContactEmail); c != nil {
		out["email"] = c.Value
	}
	return out
}

func mainAddress(as []profile.Address, typ string) *profile.Address {
	for i := range as {
		if as[i].Main && as[i].AddressType == typ {
			return &as[i]
		}
	}
	return nil
}

// firstContact returns the main contact of the first type that has one,
// else the first contact of the first type that has any.
func firstContact(cs []profile.Contact, types ...string) *profile.Contact {
	for _, t := range types {
		var first *profile.Contact
		for i := range cs {
			if cs[i].ContactType != t || cs[i].Value == "" {
				continue
			}
			if cs[i].Main {
				return &cs[i]
			}
			if first == nil {
				first = &cs[i]
			}
		}
		if first != nil {
			return first
		}
	}
	return nil
}

func clientAddressOut(a profile.Address) map[string]any {
	out := map[string]any{
		"country":     a.Country,
		"region":      a.State,
		"city":        a.City,
		"street":      a.StreetName,
		"houseNumber": a.Number,
		"postalCode":  a.ZipCode,
	}
	if r, ok := a.Extra[refinementKey].(string); ok {
		out[refinementKey] = r
	}
	return out
}
