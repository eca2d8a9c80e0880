package profile

import (
	"maps"
	"slices"
)

// Clone returns a deep copy of p: no slice, map, pointer or free-form value
// of the copy is shared with p, so either can be changed without touching
// the other. It is the typed copy the service takes of a caller's profile,
// and costs a fraction of an encode and decode. Clone of nil is nil.
func (p *Profile) Clone() *Profile {
	if p == nil {
		return nil
	}
	c := *p
	c.TransactionalProfileAmount = clonePtr(p.TransactionalProfileAmount)
	c.DeclaredIncome = clonePtr(p.DeclaredIncome)
	if p.NaturalPerson != nil {
		n := *p.NaturalPerson
		n.BirthDate = clonePtr(n.BirthDate)
		c.NaturalPerson = &n
	}
	if p.LegalPerson != nil {
		l := *p.LegalPerson
		l.FoundationDate = clonePtr(l.FoundationDate)
		c.LegalPerson = &l
	}
	if p.Declaration != nil {
		d := *p.Declaration
		d.PEP, d.ObligatedSubject = clonePtr(d.PEP), clonePtr(d.ObligatedSubject)
		d.FATCA, d.OECD = clonePtr(d.FATCA), clonePtr(d.OECD)
		c.Declaration = &d
	}
	c.ObligatedSubjectDate = clonePtr(p.ObligatedSubjectDate)
	c.BlacklistFound = maps.Clone(p.BlacklistFound)
	c.Contacts = slices.Clone(p.Contacts)
	c.Addresses = cloneEach(p.Addresses, func(a *Address) { a.Extra = a.Extra.Clone() })
	c.Activities = slices.Clone(p.Activities)
	c.Taxes = cloneEach(p.Taxes, func(t *Tax) { t.InscriptionDate = clonePtr(t.InscriptionDate) })
	c.Relations = cloneEach(p.Relations, func(r *Relation) {
		r.Since, r.Until, r.Extra = clonePtr(r.Since), clonePtr(r.Until), r.Extra.Clone()
	})
	c.Labels = slices.Clone(p.Labels)
	c.IdentityDocuments = cloneEach(p.IdentityDocuments, func(d *IdentityDocument) {
		d.IssueDate, d.ExpiryDate = clonePtr(d.IssueDate), clonePtr(d.ExpiryDate)
	})
	c.TaxResidences = slices.Clone(p.TaxResidences)
	if p.Employment != nil {
		e := *p.Employment
		e.Since = clonePtr(e.Since)
		c.Employment = &e
	}
	c.Consents = maps.Clone(p.Consents)
	c.PendingReverification = slices.Clone(p.PendingReverification)
	c.Checks = cloneEach(p.Checks, func(k *Check) { k.Matched = slices.Clone(k.Matched) })
	c.Metadata = p.Metadata.Clone()
	c.Unknown = maps.Clone(p.Unknown)
	for k, v := range c.Unknown {
		c.Unknown[k] = slices.Clone(v)
	}
	return &c
}

// Clone returns a deep copy of o: nested objects and arrays are copied,
// scalars (strings, numbers, booleans) are immutable and shared.
func (o Object) Clone() Object {
	if o == nil {
		return nil
	}
	c := make(Object, len(o))
	for k, v := range o {
		c[k] = cloneValue(v)
	}
	return c
}

func cloneValue(v any) any {
	switch v := v.(type) {
	case map[string]any:
		return map[string]any(Object(v).Clone())
	case Object:
		return v.Clone()
	case []any:
		c := make([]any, len(v))
		for i, e := range v {
			c[i] = cloneValue(e)
		}
		return c
	default:
		return v
	}
}

func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

// cloneEach copies s and lets deep copy the parts of each element that
// a shallow copy would share.
func cloneEach[S ~[]E, E any](s S, deep func(*E)) S {
	c := slices.Clone(s)
	for i := range c {
		deep(&c[i])
	}
	return c
}
