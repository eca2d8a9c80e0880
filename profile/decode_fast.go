package profile

// decodeFast decodes the common input, a profile as Encode writes it, without
// encoding/json's reflection: a stored profile is decoded on every read of a
// store. It reports false, leaving *p half-filled, for any input it is not
// sure to decode exactly as the encoding/json path does; the caller then
// discards *p and takes that path, which also produces every error. So it
// declines any key that is not exactly a field's (encoding/json folds case
// and skips unknown nested keys), a repeated key (encoding/json merges the
// second value into the first), strings it would alter (invalid UTF-8, lone
// surrogates), numbers strconv.ParseInt would refuse, a value of the wrong
// kind, and every syntax error, input over MaxInputSize and nesting deeper
// than MaxDepth.
//
// When it reports true, *p is what json.Unmarshal into a plain gives, no key
// was unknown, and the depth was within MaxDepth.
func decodeFast(data []byte, p *Profile) bool {
	if len(data) > MaxInputSize {
		return false
	}
	d := decoder{data: data}
	d.skipSpace()
	// null at the top is not a profile: the general path refuses it.
	if d.peek() != '{' || !d.profile(p) {
		return false
	}
	d.skipSpace()
	return d.i == len(d.data)
}

// fieldSet records the fields of a struct read so far, numbered in the
// order of the struct, to decline a repeated key.
type fieldSet uint64

func (s *fieldSet) add(field uint) bool {
	if *s&(1<<field) != 0 {
		return false
	}
	*s |= 1 << field
	return true
}

// Each record reader below switches on the exact keys of the record's JSON
// tags; a key matching no case is declined.

func (d *decoder) profile(p *Profile) bool {
	var seen fieldSet
	return d.object(func(key []byte) bool {
		switch string(key) {
		case "id":
			return seen.add(0) && d.str(&p.ID)
		case "created_at":
			return seen.add(1) && readInt(d, &p.CreatedAt)
		case "modified_at":
			return seen.add(2) && readInt(d, &p.ModifiedAt)
		case "created_by":
			return seen.add(3) && d.str(&p.CreatedBy)
		case "modified_by":
			return seen.add(4) && d.str(&p.ModifiedBy)
		case "version":
			return seen.add(5) && readInt(d, &p.Version)
		case "tax_payer_id":
			return seen.add(6) && d.str(&p.TaxPayerID)
		case "name":
			return seen.add(7) && d.str(&p.Name)
		case "person_type":
			return seen.add(8) && d.str((*string)(&p.PersonType))
		case "risk":
			return seen.add(9) && d.str(&p.Risk)
		case "risk_calculated_at":
			return seen.add(10) && readInt(d, &p.RiskCalculatedAt)
		case "external_ref":
			return seen.add(11) && d.str(&p.ExternalRef)
		case "state":
			return seen.add(12) && d.str(&p.State)
		case "transactional_profile_amount":
			return seen.add(13) && decodePtr(d, &p.TransactionalProfileAmount, d.int64)
		case "transactional_profile_calculated_at":
			return seen.add(14) && readInt(d, &p.TransactionalProfileCalculatedAt)
		case "blacklists_checked_at":
			return seen.add(15) && readInt(d, &p.BlacklistsCheckedAt)
		case "last_due_diligence_at":
			return seen.add(16) && readInt(d, &p.LastDueDiligenceAt)
		case "declared_income":
			return seen.add(17) && decodePtr(d, &p.DeclaredIncome, d.int64)
		case "natural_person":
			return seen.add(18) && decodePtr(d, &p.NaturalPerson, d.natural)
		case "legal_person":
			return seen.add(19) && decodePtr(d, &p.LegalPerson, d.legal)
		case "declaration":
			return seen.add(20) && decodePtr(d, &p.Declaration, d.declaration)
		case "pep_type":
			return seen.add(21) && d.str(&p.PEPType)
		case "obligated_subject_type":
			return seen.add(22) && d.str(&p.ObligatedSubjectType)
		case "obligated_subject_date":
			return seen.add(23) && decodePtr(d, &p.ObligatedSubjectDate, d.date)
		case "oecd_main_country":
			return seen.add(24) && d.str(&p.OECDMainCountry)
		case "oecd_main_tax_payer_id":
			return seen.add(25) && d.str(&p.OECDMainTaxPayerID)
		case "oecd_secondary_country":
			return seen.add(26) && d.str(&p.OECDSecondaryCountry)
		case "oecd_secondary_tax_payer_id":
			return seen.add(27) && d.str(&p.OECDSecondaryTaxPayerID)
		case "fatca_ssn":
			return seen.add(28) && d.str(&p.FATCASSN)
		case "blacklist_found":
			return seen.add(29) && decodeMap(d, &p.BlacklistFound, d.listHit)
		case "contacts":
			return seen.add(30) && decodeSlice(d, &p.Contacts, d.contact)
		case "addresses":
			return seen.add(31) && decodeSlice(d, &p.Addresses, d.address)
		case "activities":
			return seen.add(32) && decodeSlice(d, &p.Activities, d.activity)
		case "taxes":
			return seen.add(33) && decodeSlice(d, &p.Taxes, d.tax)
		case "relations":
			return seen.add(34) && decodeSlice(d, &p.Relations, d.relation)
		case "labels":
			return seen.add(35) && decodeSlice(d, &p.Labels, d.str)
		case "identity_documents":
			return seen.add(36) && decodeSlice(d, &p.IdentityDocuments, d.identityDocument)
		case "residence_country":
			return seen.add(37) && d.str(&p.ResidenceCountry)
		case "tax_residences":
			return seen.add(38) && decodeSlice(d, &p.TaxResidences, d.taxResidence)
		case "employment":
			return seen.add(39) && decodePtr(d, &p.Employment, d.employment)
		case "consents":
			return seen.add(40) && decodeMap(d, &p.Consents, d.boolean)
		case "open_cases":
			return seen.add(41) && readInt(d, &p.OpenCases)
		case "entity_profile":
			return seen.add(42) && d.str(&p.EntityProfile)
		case "verified_at":
			return seen.add(46) && readInt(d, &p.VerifiedAt)
		case "pending_reverification":
			return seen.add(43) && decodeSlice(d, &p.PendingReverification, d.str)
		case "checks":
			return seen.add(44) && decodeSlice(d, &p.Checks, d.check)
		case "metadata":
			return seen.add(45) && d.anyObject(&p.Metadata)
		}
		return false
	})
}

func (d *decoder) natural(n *Natural) bool {
	var seen fieldSet
	return d.object(func(key []byte) bool {
		switch string(key) {
		case "name":
			return seen.add(0) && d.name(&n.Name)
		case "birth_date":
			return seen.add(1) && decodePtr(d, &n.BirthDate, d.date)
		case "birth_place":
			return seen.add(2) && d.str(&n.BirthPlace)
		case "id_number":
			return seen.add(3) && d.str(&n.IDNumber)
		case "id_type":
			return seen.add(4) && d.str(&n.IDType)
		case "id_country":
			return seen.add(5) && d.str(&n.IDCountry)
		case "nationality":
			return seen.add(6) && d.str(&n.Nationality)
		case "civil_state":
			return seen.add(7) && d.str(&n.CivilState)
		case "classification":
			return seen.add(8) && d.str(&n.Classification)
		case "gender":
			return seen.add(9) && d.str(&n.Gender)
		case "is_employee":
			return seen.add(10) && d.boolean(&n.IsEmployee)
		}
		return false
	})
}

func (d *decoder) name(n *Name) bool {
	var seen fieldSet
	return d.object(func(key []byte) bool {
		switch string(key) {
		case "first":
			return seen.add(0) && d.str(&n.First)
		case "middle":
			return seen.add(1) && d.str(&n.Middle)
		case "last":
			return seen.add(2) && d.str(&n.Last)
		}
		return false
	})
}

func (d *decoder) legal(l *Legal) bool {
	var seen fieldSet
	return d.object(func(key []byte) bool {
		switch string(key) {
		case "constitution":
			return seen.add(0) && d.str(&l.Constitution)
		case "is_listed_on_stock_exchange":
			return seen.add(1) && d.boolean(&l.IsListedOnStockExchange)
		case "foundation_date":
			return seen.add(2) && decodePtr(d, &l.FoundationDate, d.date)
		case "foundation_place":
			return seen.add(3) && d.str(&l.FoundationPlace)
		}
		return false
	})
}

func (d *decoder) declaration(x *Declaration) bool {
	var seen fieldSet
	return d.object(func(key []byte) bool {
		switch string(key) {
		case "pep":
			return seen.add(0) && decodePtr(d, &x.PEP, d.boolean)
		case "obligated_subject":
			return seen.add(1) && decodePtr(d, &x.ObligatedSubject, d.boolean)
		case "fatca":
			return seen.add(2) && decodePtr(d, &x.FATCA, d.boolean)
		case "oecd":
			return seen.add(3) && decodePtr(d, &x.OECD, d.boolean)
		}
		return false
	})
}

func (d *decoder) listHit(h *ListHit) bool {
	var seen fieldSet
	return d.object(func(key []byte) bool {
		switch string(key) {
		case "hit":
			return seen.add(0) && d.boolean(&h.Hit)
		case "confirmed":
			return seen.add(1) && d.boolean(&h.Confirmed)
		}
		return false
	})
}

func (d *decoder) contact(c *Contact) bool {
	var seen fieldSet
	return d.object(func(key []byte) bool {
		switch string(key) {
		case "contact_type":
			return seen.add(0) && d.str(&c.ContactType)
		case "value":
			return seen.add(1) && d.str(&c.Value)
		case "description":
			return seen.add(2) && d.str(&c.Description)
		case "main":
			return seen.add(3) && d.boolean(&c.Main)
		case "is_verified":
			return seen.add(4) && d.boolean(&c.IsVerified)
		}
		return false
	})
}

func (d *decoder) address(a *Address) bool {
	var seen fieldSet
	return d.object(func(key []byte) bool {
		switch string(key) {
		case "address_type":
			return seen.add(0) && d.str(&a.AddressType)
		case "main":
			return seen.add(1) && d.boolean(&a.Main)
		case "country":
			return seen.add(2) && d.str(&a.Country)
		case "state":
			return seen.add(3) && d.str(&a.State)
		case "city":
			return seen.add(4) && d.str(&a.City)
		case "department":
			return seen.add(5) && d.str(&a.Department)
		case "zip_code":
			return seen.add(6) && d.str(&a.ZipCode)
		case "street_name":
			return seen.add(7) && d.str(&a.StreetName)
		case "number":
			return seen.add(8) && d.str(&a.Number)
		case "building_name":
			return seen.add(9) && d.str(&a.BuildingName)
		case "building_floor_number":
			return seen.add(10) && d.str(&a.BuildingFloorNumber)
		case "building_room_number":
			return seen.add(11) && d.str(&a.BuildingRoomNumber)
		case "formatted_address":
			return seen.add(12) && d.str(&a.FormattedAddress)
		case "normalization_method":
			return seen.add(13) && d.str(&a.NormalizationMethod)
		case "extra":
			return seen.add(14) && d.anyObject(&a.Extra)
		}
		return false
	})
}

func (d *decoder) activity(a *Activity) bool {
	var seen fieldSet
	return d.object(func(key []byte) bool {
		switch string(key) {
		case "code":
			return seen.add(0) && d.str(&a.Code)
		case "description":
			return seen.add(1) && d.str(&a.Description)
		case "main":
			return seen.add(2) && d.boolean(&a.Main)
		case "organization":
			return seen.add(3) && d.str(&a.Organization)
		}
		return false
	})
}

func (d *decoder) tax(t *Tax) bool {
	var seen fieldSet
	return d.object(func(key []byte) bool {
		switch string(key) {
		case "code":
			return seen.add(0) && d.str(&t.Code)
		case "description":
			return seen.add(1) && d.str(&t.Description)
		case "inscription_date":
			return seen.add(2) && decodePtr(d, &t.InscriptionDate, d.date)
		case "jurisdiction":
			return seen.add(3) && d.str(&t.Jurisdiction)
		case "organization":
			return seen.add(4) && d.str(&t.Organization)
		}
		return false
	})
}

func (d *decoder) relation(r *Relation) bool {
	var seen fieldSet
	return d.object(func(key []byte) bool {
		switch string(key) {
		case "profile_id":
			return seen.add(0) && d.str(&r.ProfileID)
		case "relationship":
			return seen.add(1) && d.str(&r.Relationship)
		case "since":
			return seen.add(2) && decodePtr(d, &r.Since, d.date)
		case "until":
			return seen.add(3) && decodePtr(d, &r.Until, d.date)
		case "extra":
			return seen.add(4) && d.anyObject(&r.Extra)
		}
		return false
	})
}

func (d *decoder) identityDocument(doc *IdentityDocument) bool {
	var seen fieldSet
	return d.object(func(key []byte) bool {
		switch string(key) {
		case "type":
			return seen.add(0) && d.str(&doc.Type)
		case "number":
			return seen.add(1) && d.str(&doc.Number)
		case "issuing_country":
			return seen.add(2) && d.str(&doc.IssuingCountry)
		case "issue_date":
			return seen.add(3) && decodePtr(d, &doc.IssueDate, d.date)
		case "expiry_date":
			return seen.add(4) && decodePtr(d, &doc.ExpiryDate, d.date)
		}
		return false
	})
}

func (d *decoder) taxResidence(t *TaxResidence) bool {
	var seen fieldSet
	return d.object(func(key []byte) bool {
		switch string(key) {
		case "country":
			return seen.add(0) && d.str(&t.Country)
		case "tax_payer_id":
			return seen.add(1) && d.str(&t.TaxPayerID)
		}
		return false
	})
}

func (d *decoder) employment(e *Employment) bool {
	var seen fieldSet
	return d.object(func(key []byte) bool {
		switch string(key) {
		case "status":
			return seen.add(0) && d.str(&e.Status)
		case "employer":
			return seen.add(1) && d.str(&e.Employer)
		case "occupation":
			return seen.add(2) && d.str(&e.Occupation)
		case "industry":
			return seen.add(3) && d.str(&e.Industry)
		case "since":
			return seen.add(4) && decodePtr(d, &e.Since, d.date)
		}
		return false
	})
}

func (d *decoder) check(c *Check) bool {
	var seen fieldSet
	return d.object(func(key []byte) bool {
		switch string(key) {
		case "id":
			return seen.add(0) && d.str(&c.ID)
		case "type":
			return seen.add(1) && d.str(&c.Type)
		case "outcome":
			return seen.add(2) && d.str(&c.Outcome)
		case "matched":
			return seen.add(3) && decodeSlice(d, &c.Matched, d.str)
		case "source":
			return seen.add(4) && d.str(&c.Source)
		case "performed_at":
			return seen.add(5) && readInt(d, &c.PerformedAt)
		case "expires_at":
			return seen.add(6) && readInt(d, &c.ExpiresAt)
		case "entity_profile":
			return seen.add(7) && d.str(&c.EntityProfile)
		}
		return false
	})
}
