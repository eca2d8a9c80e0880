package profile

import (
	"time"

	"github.com/kycsdk/kyc/internal/country"
)

// countryRules: countries are ISO 3166-1 (seed 003, 3.1.1.1 for id_country;
// DESIGN.md for the others), accepted in any form Normalize resolves.
func (c *checker) countryRules(p *Profile) {
	c.country("oecd_main_country", p.OECDMainCountry)
	c.country("oecd_secondary_country", p.OECDSecondaryCountry)
	c.country("residence_country", p.ResidenceCountry)
	if n := p.NaturalPerson; n != nil {
		c.country("natural_person.id_country", n.IDCountry)
		c.country("natural_person.nationality", n.Nationality)
	}
	for i, a := range p.Addresses {
		c.listCountry("addresses", i, "country", a.Country)
	}
	for i, d := range p.IdentityDocuments {
		c.listCountry("identity_documents", i, "issuing_country", d.IssuingCountry)
	}
	for i, t := range p.TaxResidences {
		c.listCountry("tax_residences", i, "country", t.Country)
	}
}

// listCountry checks the country of a list element, building its path only
// when there is a problem to report.
func (c *checker) listCountry(list string, i int, field, v string) {
	if v == "" {
		return
	}
	if _, ok := country.Alpha2(v); !ok {
		c.country(indexPath(list, i, field), v)
	}
}

func (c *checker) country(path, v string) {
	if v == "" {
		return
	}
	if _, ok := country.Alpha2(v); !ok {
		c.add(path, CodeCountry, "is not an ISO 3166-1 country (alpha-2, alpha-3 or English name)")
	}
}

// Dates and timestamps outside years 1 to 9999 cannot be written as
// ISO 8601 dates and are certainly typing errors.
var (
	minMillis = time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC).UnixMilli()
	maxMillis = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC).UnixMilli() - 1
)

// latestDate is the latest calendar date anywhere on Earth at now (UTC+14),
// so that a person born "today" in Kiribati is not in the future.
func latestDate(now time.Time) Date {
	return DateFromTime(now.UTC().Add(14 * time.Hour))
}

// dateRules: calendar dates are midnight UTC (DESIGN.md); birth, foundation
// and document issue dates are not in the future; an end date comes after
// its start.
func (c *checker) dateRules(p *Profile) {
	latest := latestDate(c.v.now())
	c.timestamps(p)
	c.date("obligated_subject_date", p.ObligatedSubjectDate, 0)
	if n := p.NaturalPerson; n != nil {
		c.date("natural_person.birth_date", n.BirthDate, latest)
	}
	if l := p.LegalPerson; l != nil {
		c.date("legal_person.foundation_date", l.FoundationDate, latest)
	}
	for i, t := range p.Taxes {
		c.date(indexPath("taxes", i, "inscription_date"), t.InscriptionDate, 0)
	}
	for i, d := range p.IdentityDocuments {
		c.date(indexPath("identity_documents", i, "issue_date"), d.IssueDate, latest)
		c.date(indexPath("identity_documents", i, "expiry_date"), d.ExpiryDate, 0)
		if d.IssueDate != nil && d.ExpiryDate != nil && *d.ExpiryDate <= *d.IssueDate {
			c.add(indexPath("identity_documents", i, "expiry_date"), CodeDateOrder, "must be after issue_date")
		}
	}
	for i, r := range p.Relations {
		c.date(indexPath("relations", i, "since"), r.Since, 0)
		c.date(indexPath("relations", i, "until"), r.Until, 0)
		if r.Since != nil && r.Until != nil && *r.Until < *r.Since {
			c.add(indexPath("relations", i, "until"), CodeDateOrder, "must not be before since")
		}
	}
	if e := p.Employment; e != nil {
		c.date("employment.since", e.Since, 0)
	}
}

// date checks one optional calendar date; latest, when not zero, is the
// latest date allowed.
func (c *checker) date(path string, d *Date, latest Date) {
	if d == nil {
		return
	}
	switch {
	case int64(*d) < minMillis || int64(*d) > maxMillis:
		c.add(path, CodeOutOfRange, "is outside years 1 to 9999")
	case !d.IsMidnight():
		c.add(path, CodeNotMidnight, "must be a calendar date: midnight UTC in milliseconds")
	case latest != 0 && *d > latest:
		c.add(path, CodeFutureDate, "must not be in the future")
	}
}

func (c *checker) timestamps(p *Profile) {
	c.timestamp("created_at", p.CreatedAt)
	c.timestamp("modified_at", p.ModifiedAt)
	c.timestamp("risk_calculated_at", p.RiskCalculatedAt)
	c.timestamp("transactional_profile_calculated_at", p.TransactionalProfileCalculatedAt)
	c.timestamp("blacklists_checked_at", p.BlacklistsCheckedAt)
	c.timestamp("last_due_diligence_at", p.LastDueDiligenceAt)
	c.timestamp("verified_at", p.VerifiedAt)
	for i, ch := range p.Checks {
		c.timestamp(indexPath("checks", i, "performed_at"), ch.PerformedAt)
		c.timestamp(indexPath("checks", i, "expires_at"), ch.ExpiresAt)
	}
}

func (c *checker) timestamp(path string, t Timestamp) {
	if int64(t) < minMillis || int64(t) > maxMillis {
		c.add(path, CodeOutOfRange, "is outside years 1 to 9999")
	}
}
