package httpapi

import (
	"errors"
	"net/http"
	"slices"
	"strconv"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/kycsdk/kyc"
	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/profile/interop"
)

// riskSource is the source recorded with a risk level the client API
// injects (seed 002: risk is accepted from Create Client and Update Client).
const riskSource = "client-api"

// createClient creates a profile from a seed-002 POST /clients body. The
// client's risk is an injected fact: it is recorded by InjectRisk, under
// its own permission, after the creation; both permissions and the level
// are checked before anything is stored.
func createClient(c *call) error {
	body, err := c.h.readBody(c.w, c.r, mediaJSON)
	if err != nil {
		return err
	}
	req, _, err := interop.ImportClientRequest(body, interop.Options{Strict: true})
	if err != nil {
		return err
	}
	p := req.Client
	risk := p.Risk
	p.Risk = ""
	if err := c.checkRisk(p, risk, kyc.OpCreate); err != nil {
		return err
	}
	// One write: the risk is in the creation, so that a failure cannot
	// leave a client without the risk it was sent with.
	var created *profile.Profile
	if risk == "" {
		created, err = c.h.svc.Create(c.r.Context(), c.op, p)
	} else {
		created, err = c.h.svc.CreateWithRisk(c.r.Context(), c.op, p, risk, riskSource)
	}
	if err != nil {
		probe := p.Clone()
		probe.Risk = risk
		return clientProblem(err, probe)
	}
	c.w.Header().Set("Location", "clients/"+created.ID)
	return c.writeClient(http.StatusCreated, req.Envelope, created)
}

// checkRisk authorizes ops, and InjectRisk too when a risk level is to be
// set, and validates the level on a copy of p, so that a refused level
// leaves nothing half-written.
func (c *call) checkRisk(p *profile.Profile, risk string, ops ...kyc.Operation) error {
	if risk != "" {
		ops = append(ops, kyc.OpInjectRisk)
	}
	if err := c.h.svc.Authorize(c.r.Context(), c.op, ops...); err != nil {
		return err
	}
	if risk == "" {
		return nil
	}
	probe := p.Clone()
	probe.Risk = risk
	if _, err := c.h.svc.Validate(probe); err != nil {
		return clientProblem(err, probe)
	}
	return nil
}

// clientProblem points the problems found in the profile p at the fields
// of the client's body they came from.
func clientProblem(err error, p *profile.Profile) error {
	var already *Problem
	if errors.As(err, &already) {
		return already // built for the client's body already
	}
	pr := problemOf(err)
	if len(pr.Errors) == 0 {
		return pr
	}
	out := *pr
	out.Errors = make([]FieldProblem, len(pr.Errors))
	for i, e := range pr.Errors {
		e.Pointer = clientPointer(p, e.Pointer)
		out.Errors[i] = e
	}
	return &out
}

func (c *call) writeClient(status int, env interop.Envelope, p *profile.Profile) error {
	out, _, err := interop.ExportClientRequest(&interop.ClientRequest{Envelope: env, Client: p})
	if err != nil {
		return err
	}
	c.w.Header().Set("ETag", etag(p.Version))
	return c.writeRaw(status, mediaJSON, out)
}

// inclusion is what the seed-002 flags includeProfile and
// includePrimaryAddress (default false) ask a client answer to show.
type inclusion struct{ profile, address bool }

func readInclusion(r *http.Request) (inclusion, error) {
	var in inclusion
	for name, dst := range map[string]*bool{"includeProfile": &in.profile, "includePrimaryAddress": &in.address} {
		v := r.URL.Query().Get(name)
		if v == "" {
			continue
		}
		on, err := strconv.ParseBool(v)
		if err != nil {
			return in, invalidField(name, "type", "true or false")
		}
		*dst = on
	}
	return in, nil
}

// metadata echoes the flags, as the seed's GET answer does.
func (in inclusion) metadata() profile.Object {
	return profile.Object{"includeProfile": in.profile, "includePrimaryAddress": in.address}
}

// view returns p with what the flags leave out removed (a copy when
// anything is).
func (in inclusion) view(p *profile.Profile) *profile.Profile {
	if in.profile && in.address {
		return p
	}
	v := p.Clone()
	if !in.profile {
		v.Contacts = nil
	}
	v.Addresses = nil // shown only with both flags
	return v
}

func getClient(c *call) error {
	p, err := c.h.svc.Get(c.r.Context(), c.op, c.r.PathValue(pid))
	if err != nil {
		return err
	}
	in, err := readInclusion(c.r)
	if err != nil {
		return err
	}
	return c.writeClient(http.StatusOK, interop.Envelope{Workflow: profile.Object{}, Connect: profile.Object{}, Metadata: in.metadata()}, in.view(p))
}

func listClients(c *call) error {
	q, err := profileQuery(c.r)
	if err != nil {
		return err
	}
	in, err := readInclusion(c.r)
	if err != nil {
		return err
	}
	page, err := c.h.svc.List(c.r.Context(), c.op, q)
	if err != nil {
		return err
	}
	l := &interop.ClientList{
		Envelope: interop.Envelope{Workflow: profile.Object{}, Connect: profile.Object{}, Metadata: profile.Object{}},
		Page: &interop.Page{
			Size: int64(page.Size), TotalElements: int64(page.TotalElements),
			TotalPages: int64(page.TotalPages), Number: int64(page.Number),
		},
	}
	l.Clients = make([]*profile.Profile, 0, len(page.Profiles))
	for _, p := range page.Profiles {
		l.Clients = append(l.Clients, in.view(p))
	}
	if page.NextCursor != "" {
		l.Metadata["nextCursor"] = page.NextCursor
	}
	out, _, err := interop.ExportClientList(l)
	if err != nil {
		return err
	}
	return c.writeRaw(http.StatusOK, mediaJSON, out)
}

// clientPatch is the body of PATCH /clients/{id}: the seed-002 envelope
// whose data.client is a JSON Merge Patch of the client.
type clientPatch struct {
	Workflow profile.Object `json:"workflow"`
	Data     struct {
		Client jsontext.Value `json:"client"`
	} `json:"data"`
	Connect  profile.Object `json:"connect"`
	Metadata profile.Object `json:"metadata"`
}

// patchClient applies data.client as a JSON Merge Patch to the stored
// profile seen as a client, then writes back only what the client shape
// holds (names, dates, country, identifications, the main address of the
// client's kind, phone, email, client number): the rest of the profile is
// kept as stored. A changed risk is injected after the update, under its
// own permission.
func patchClient(c *call) error {
	base, err := ifMatch(c.r)
	if err != nil {
		return err
	}
	body, err := c.h.readBody(c.w, c.r, mediaJSON, mediaMergePatch)
	if err != nil {
		return err
	}
	var in clientPatch
	if err := decode(body, &in); err != nil {
		return err
	}
	if in.Data.Client.Kind() != '{' {
		return invalidField("/data/client", "type", "an object")
	}
	// The edit runs on the stored record UpdateJSON reads: the client's
	// risk is checked (permission and level) before anything is written.
	var (
		next *profile.Profile
		risk string
	)
	edit := func(stored []byte) (*profile.Profile, error) {
		cur, err := profile.Decode(stored)
		if err != nil {
			return nil, err
		}
		n, r, err := patchedClient(cur, in.Data.Client)
		if err != nil {
			return nil, err
		}
		if r == cur.Risk {
			r = ""
		}
		if err := c.checkRisk(n, r, kyc.OpUpdate); err != nil {
			return nil, err
		}
		next, risk = n, r
		return n, nil
	}
	updated, err := c.h.svc.UpdateJSON(c.r.Context(), c.op, c.r.PathValue(pid), base, edit, kyc.UpdateOptions{Reason: "client update"})
	if err != nil {
		return clientProblem(c.conflict(err), next)
	}
	if risk != "" {
		// A second write, on the version the edit made only: a write of
		// another client in between makes this a 412, not a risk recorded
		// on a profile this request did not see.
		if updated, err = c.h.svc.Expect(updated.Version).InjectRisk(c.r.Context(), c.op, updated.ID, risk, riskSource); err != nil {
			return c.conflict(err)
		}
	}
	env := interop.Envelope{Workflow: in.Workflow, Connect: in.Connect, Metadata: in.Metadata}
	return c.writeClient(http.StatusOK, env, updated)
}

// patchedClient merges patch into cur's client JSON and returns cur with
// the client's fields replaced, and the client's risk.
func patchedClient(cur *profile.Profile, patch jsontext.Value) (*profile.Profile, string, error) {
	doc, _, err := interop.ExportClient(cur)
	if err != nil {
		return nil, "", err
	}
	merged, err := mergePatch(doc, patch)
	if err != nil {
		return nil, "", badRequest("the client patch is not a JSON object")
	}
	wrapped, err := json.Marshal(map[string]map[string]jsontext.Value{"data": {"client": merged}})
	if err != nil {
		return nil, "", err
	}
	req, _, err := interop.ImportClientRequest(wrapped, interop.Options{Strict: true})
	if err != nil {
		return nil, "", err
	}
	cl := req.Client
	switch {
	case cl.ID != cur.ID:
		return nil, "", readOnly("/data/client/id")
	case cl.State != cur.State:
		return nil, "", readOnly("/data/client/status")
	case cl.PersonType != cur.PersonType:
		return nil, "", readOnly("/data/client/identity/type")
	case cl.Risk == "" && cur.Risk != "":
		return nil, "", readOnly("/data/client/risk")
	}
	return overlay(cur, cl), cl.Risk, nil
}

func readOnly(pointer string) *Problem {
	p := problem(http.StatusUnprocessableEntity, KindReadOnly, "the client API does not change this field")
	p.Errors = []FieldProblem{{Pointer: pointer, Code: "read_only"}}
	return p
}

// overlay returns cur with the fields of the client shape taken from cl.
func overlay(cur, cl *profile.Profile) *profile.Profile {
	next := cur.Clone()
	next.ExternalRef = cl.ExternalRef
	switch cur.PersonType {
	case profile.NaturalPerson:
		if next.NaturalPerson == nil {
			next.NaturalPerson = &profile.Natural{}
		}
		n, c := next.NaturalPerson, cl.NaturalPerson
		n.Name.First, n.Name.Last, n.BirthDate, n.Nationality = c.Name.First, c.Name.Last, c.BirthDate, c.Nationality
		next.IdentityDocuments = cl.IdentityDocuments
		if cur.NaturalPerson == nil || cur.NaturalPerson.Name != n.Name {
			next.Name = ""
		}
	case profile.LegalPerson:
		if next.LegalPerson == nil {
			next.LegalPerson = &profile.Legal{}
		}
		next.Name = cl.Name
		next.LegalPerson.FoundationDate, next.LegalPerson.FoundationPlace = cl.LegalPerson.FoundationDate, cl.LegalPerson.FoundationPlace
	}
	for _, typ := range []string{profile.AddressPersonal, profile.AddressLegal} {
		var in *profile.Address
		if i := mainAddress(cl.Addresses, typ); i >= 0 {
			in = &cl.Addresses[i]
		}
		next.Addresses = overlayAddress(next.Addresses, in, typ)
	}
	next.Contacts = overlayContact(next.Contacts, firstValue(cl.Contacts, profile.ContactMobile), profile.ContactMobile, profile.ContactLandline)
	next.Contacts = overlayContact(next.Contacts, firstValue(cl.Contacts, profile.ContactEmail), profile.ContactEmail)
	return next
}

// mainAddress returns the index of the main address of typ, or -1.
func mainAddress(as []profile.Address, typ string) int {
	return slices.IndexFunc(as, func(a profile.Address) bool { return a.Main && a.AddressType == typ })
}

// overlayAddress sets the client's fields of the main address of typ,
// keeping the fields the client shape does not hold (floor, room...).
func overlayAddress(as []profile.Address, in *profile.Address, typ string) []profile.Address {
	i := mainAddress(as, typ)
	switch {
	case i < 0 && in == nil:
		return as
	case i < 0:
		return append(as, *in)
	case in == nil:
		return append(as[:i:i], as[i+1:]...)
	}
	at := &as[i]
	at.Country, at.State, at.City, at.StreetName, at.Number, at.ZipCode = in.Country, in.State, in.City, in.StreetName, in.Number, in.ZipCode
	if r, ok := in.Extra["refinement"]; ok {
		if at.Extra == nil {
			at.Extra = profile.Object{}
		}
		at.Extra["refinement"] = r
	} else {
		delete(at.Extra, "refinement")
	}
	return as
}

func firstValue(cs []profile.Contact, typ string) string {
	for _, c := range cs {
		if c.ContactType == typ {
			return c.Value
		}
	}
	return ""
}

// overlayContact sets the value of the contact the client shape shows for
// types (the main one of the first type that has one, else its first), adds
// a main contact of types[0] when there is none, removes it when the client
// has no value.
func overlayContact(cs []profile.Contact, value string, types ...string) []profile.Contact {
	at := -1
	for _, t := range types {
		first := -1
		for i := range cs {
			if cs[i].ContactType != t || cs[i].Value == "" {
				continue
			}
			if cs[i].Main {
				first = i
				break
			}
			if first < 0 {
				first = i
			}
		}
		if first >= 0 {
			at = first
			break
		}
	}
	switch {
	case at < 0 && value == "":
		return cs
	case at < 0:
		return append(cs, profile.Contact{ContactType: types[0], Value: value, Main: true})
	case value == "":
		return append(cs[:at:at], cs[at+1:]...)
	}
	cs[at].Value = value
	return cs
}
