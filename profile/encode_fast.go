package profile

import (
	"strconv"
	"sync"
)

// encodeFast writes the profile's JSON without encoding/json's reflection:
// every store write encodes the profile. Its output is byte for byte what
// json.Marshal of a plain followed by the Unknown keys writes: fields in
// the order of types.go, omitempty as encoding/json applies it, strings
// escaped with HTML escaping on, map keys sorted. Only Object values can
// fail to encode; their errors are *ValidationError problems with the path
// of the Object, never the value.
func encodeFast(p *Profile) ([]byte, error) {
	bp := encodeBuffers.Get().(*[]byte)
	b, err := appendProfile((*bp)[:0], p)
	if err != nil {
		encodeBuffers.Put(bp)
		return nil, err
	}
	// One allocation of the final size: the scratch buffer, grown if it
	// had to be, stays in the pool for the next profile.
	out := append([]byte(nil), b...)
	if cap(b) <= maxPooledBuffer {
		*bp = b
	}
	encodeBuffers.Put(bp)
	return out, nil
}

// maxPooledBuffer keeps a profile with a 10 MB string from pinning its
// buffer in the pool; such a profile pays for its own.
const maxPooledBuffer = 64 << 10

var encodeBuffers = sync.Pool{New: func() any {
	b := make([]byte, 0, 2048)
	return &b
}}

// Each record writer below appends every member as `,"key":value`, in the
// order of the record's fields, so that whether a member is the first one
// written needs no test: endObject turns the first comma into the opening
// brace, and writes "{}" for a record with no member written.

func endObject(b []byte, start int) []byte {
	if len(b) == start {
		return append(b, "{}"...)
	}
	b[start] = '{'
	return append(b, '}')
}

func appendProfile(b []byte, p *Profile) ([]byte, error) {
	start := len(b)
	b = appendStrOmit(b, `,"id":`, p.ID)
	b = appendIntOmit(b, `,"created_at":`, p.CreatedAt)
	b = appendIntOmit(b, `,"modified_at":`, p.ModifiedAt)
	b = appendStrOmit(b, `,"created_by":`, p.CreatedBy)
	b = appendStrOmit(b, `,"modified_by":`, p.ModifiedBy)
	b = appendIntOmit(b, `,"version":`, p.Version)
	b = appendStrOmit(b, `,"tax_payer_id":`, p.TaxPayerID)
	b = appendStrOmit(b, `,"name":`, p.Name)
	b = appendStrOmit(b, `,"person_type":`, string(p.PersonType))
	b = appendStrOmit(b, `,"risk":`, p.Risk)
	b = appendIntOmit(b, `,"risk_calculated_at":`, p.RiskCalculatedAt)
	b = appendStrOmit(b, `,"external_ref":`, p.ExternalRef)
	b = appendStrOmit(b, `,"state":`, p.State)
	b = appendIntPtr(b, `,"transactional_profile_amount":`, p.TransactionalProfileAmount)
	b = appendIntOmit(b, `,"transactional_profile_calculated_at":`, p.TransactionalProfileCalculatedAt)
	b = appendIntOmit(b, `,"blacklists_checked_at":`, p.BlacklistsCheckedAt)
	b = appendIntOmit(b, `,"last_due_diligence_at":`, p.LastDueDiligenceAt)
	b = appendIntPtr(b, `,"declared_income":`, p.DeclaredIncome)
	if p.NaturalPerson != nil {
		b = appendNatural(append(b, `,"natural_person":`...), p.NaturalPerson)
	}
	if p.LegalPerson != nil {
		b = appendLegal(append(b, `,"legal_person":`...), p.LegalPerson)
	}
	if p.Declaration != nil {
		b = appendDeclaration(append(b, `,"declaration":`...), p.Declaration)
	}
	b = appendStrOmit(b, `,"pep_type":`, p.PEPType)
	b = appendStrOmit(b, `,"obligated_subject_type":`, p.ObligatedSubjectType)
	b = appendIntPtr(b, `,"obligated_subject_date":`, p.ObligatedSubjectDate)
	b = appendStrOmit(b, `,"oecd_main_country":`, p.OECDMainCountry)
	b = appendStrOmit(b, `,"oecd_main_tax_payer_id":`, p.OECDMainTaxPayerID)
	b = appendStrOmit(b, `,"oecd_secondary_country":`, p.OECDSecondaryCountry)
	b = appendStrOmit(b, `,"oecd_secondary_tax_payer_id":`, p.OECDSecondaryTaxPayerID)
	b = appendStrOmit(b, `,"fatca_ssn":`, p.FATCASSN)
	if len(p.BlacklistFound) > 0 {
		b = appendListHits(append(b, `,"blacklist_found":`...), p.BlacklistFound)
	}
	b = appendList(b, `,"contacts":`, p.Contacts, appendContact)
	b, err := appendAddresses(b, p.Addresses)
	if err != nil {
		return nil, err
	}
	b = appendList(b, `,"activities":`, p.Activities, appendActivity)
	b = appendList(b, `,"taxes":`, p.Taxes, appendTax)
	if b, err = appendRelations(b, p.Relations); err != nil {
		return nil, err
	}
	b = appendStrings(b, `,"labels":`, p.Labels)
	b = appendList(b, `,"identity_documents":`, p.IdentityDocuments, appendIdentityDocument)
	b = appendStrOmit(b, `,"residence_country":`, p.ResidenceCountry)
	b = appendList(b, `,"tax_residences":`, p.TaxResidences, appendTaxResidence)
	if p.Employment != nil {
		b = appendEmployment(append(b, `,"employment":`...), p.Employment)
	}
	if len(p.Consents) > 0 {
		b = appendConsents(append(b, `,"consents":`...), p.Consents)
	}
	b = appendIntOmit(b, `,"open_cases":`, p.OpenCases)
	b = appendStrOmit(b, `,"entity_profile":`, p.EntityProfile)
	b = appendIntOmit(b, `,"verified_at":`, p.VerifiedAt)
	b = appendStrings(b, `,"pending_reverification":`, p.PendingReverification)
	b = appendList(b, `,"checks":`, p.Checks, appendCheck)
	if b, err = appendObjectField(b, `,"metadata":`, p.Metadata); err != nil {
		return nil, objectError("metadata", err)
	}
	b = endObject(b, start)
	if len(p.Unknown) == 0 {
		return b, nil
	}
	return appendUnknown(b, start, p.Unknown)
}

func appendNatural(b []byte, n *Natural) []byte {
	start := len(b)
	b = appendName(append(b, `,"name":`...), &n.Name)
	b = appendIntPtr(b, `,"birth_date":`, n.BirthDate)
	b = appendStrOmit(b, `,"birth_place":`, n.BirthPlace)
	b = appendStrOmit(b, `,"id_number":`, n.IDNumber)
	b = appendStrOmit(b, `,"id_type":`, n.IDType)
	b = appendStrOmit(b, `,"id_country":`, n.IDCountry)
	b = appendStrOmit(b, `,"nationality":`, n.Nationality)
	b = appendStrOmit(b, `,"civil_state":`, n.CivilState)
	b = appendStrOmit(b, `,"classification":`, n.Classification)
	b = appendStrOmit(b, `,"gender":`, n.Gender)
	b = appendBool(b, `,"is_employee":`, n.IsEmployee)
	return endObject(b, start)
}

func appendName(b []byte, n *Name) []byte {
	start := len(b)
	b = appendStr(b, `,"first":`, n.First)
	b = appendStr(b, `,"middle":`, n.Middle)
	b = appendStr(b, `,"last":`, n.Last)
	return endObject(b, start)
}

func appendLegal(b []byte, l *Legal) []byte {
	start := len(b)
	b = appendStrOmit(b, `,"constitution":`, l.Constitution)
	b = appendBool(b, `,"is_listed_on_stock_exchange":`, l.IsListedOnStockExchange)
	b = appendIntPtr(b, `,"foundation_date":`, l.FoundationDate)
	b = appendStrOmit(b, `,"foundation_place":`, l.FoundationPlace)
	return endObject(b, start)
}

func appendDeclaration(b []byte, d *Declaration) []byte {
	start := len(b)
	b = appendBoolPtr(b, `,"pep":`, d.PEP)
	b = appendBoolPtr(b, `,"obligated_subject":`, d.ObligatedSubject)
	b = appendBoolPtr(b, `,"fatca":`, d.FATCA)
	b = appendBoolPtr(b, `,"oecd":`, d.OECD)
	return endObject(b, start)
}

func appendListHit(b []byte, h *ListHit) []byte {
	start := len(b)
	b = appendBool(b, `,"hit":`, h.Hit)
	b = appendBool(b, `,"confirmed":`, h.Confirmed)
	return endObject(b, start)
}

func appendContact(b []byte, c *Contact) []byte {
	start := len(b)
	b = appendStrOmit(b, `,"contact_type":`, c.ContactType)
	b = appendStrOmit(b, `,"value":`, c.Value)
	b = appendStrOmit(b, `,"description":`, c.Description)
	b = appendBool(b, `,"main":`, c.Main)
	b = appendBool(b, `,"is_verified":`, c.IsVerified)
	return endObject(b, start)
}

func appendAddresses(b []byte, list []Address) ([]byte, error) {
	if len(list) == 0 {
		return b, nil
	}
	b = append(b, `,"addresses":[`...)
	for i := range list {
		if i > 0 {
			b = append(b, ',')
		}
		var err error
		if b, err = appendAddress(b, &list[i], i); err != nil {
			return nil, err
		}
	}
	return append(b, ']'), nil
}

func appendAddress(b []byte, a *Address, i int) ([]byte, error) {
	start := len(b)
	b = appendStr(b, `,"address_type":`, a.AddressType)
	b = appendBool(b, `,"main":`, a.Main)
	b = appendStr(b, `,"country":`, a.Country)
	b = appendStr(b, `,"state":`, a.State)
	b = appendStr(b, `,"city":`, a.City)
	b = appendStr(b, `,"department":`, a.Department)
	b = appendStr(b, `,"zip_code":`, a.ZipCode)
	b = appendStr(b, `,"street_name":`, a.StreetName)
	b = appendStr(b, `,"number":`, a.Number)
	b = appendStr(b, `,"building_name":`, a.BuildingName)
	b = appendStr(b, `,"building_floor_number":`, a.BuildingFloorNumber)
	b = appendStr(b, `,"building_room_number":`, a.BuildingRoomNumber)
	b = appendStr(b, `,"formatted_address":`, a.FormattedAddress)
	b = appendStr(b, `,"normalization_method":`, a.NormalizationMethod)
	b, err := appendObjectField(b, `,"extra":`, a.Extra)
	if err != nil {
		return nil, objectError("addresses["+strconv.Itoa(i)+"].extra", err)
	}
	return endObject(b, start), nil
}

func appendActivity(b []byte, a *Activity) []byte {
	start := len(b)
	b = appendStrOmit(b, `,"code":`, a.Code)
	b = appendStrOmit(b, `,"description":`, a.Description)
	b = appendBool(b, `,"main":`, a.Main)
	b = appendStrOmit(b, `,"organization":`, a.Organization)
	return endObject(b, start)
}

func appendTax(b []byte, t *Tax) []byte {
	start := len(b)
	b = appendStrOmit(b, `,"code":`, t.Code)
	b = appendStrOmit(b, `,"description":`, t.Description)
	b = appendIntPtr(b, `,"inscription_date":`, t.InscriptionDate)
	b = appendStrOmit(b, `,"jurisdiction":`, t.Jurisdiction)
	b = appendStrOmit(b, `,"organization":`, t.Organization)
	return endObject(b, start)
}

func appendRelations(b []byte, list []Relation) ([]byte, error) {
	if len(list) == 0 {
		return b, nil
	}
	b = append(b, `,"relations":[`...)
	for i := range list {
		if i > 0 {
			b = append(b, ',')
		}
		var err error
		if b, err = appendRelation(b, &list[i], i); err != nil {
			return nil, err
		}
	}
	return append(b, ']'), nil
}

func appendRelation(b []byte, r *Relation, i int) ([]byte, error) {
	start := len(b)
	b = appendStr(b, `,"profile_id":`, r.ProfileID)
	b = appendStr(b, `,"relationship":`, r.Relationship)
	b = appendIntPtr(b, `,"since":`, r.Since)
	b = appendIntPtr(b, `,"until":`, r.Until)
	b, err := appendObjectField(b, `,"extra":`, r.Extra)
	if err != nil {
		return nil, objectError("relations["+strconv.Itoa(i)+"].extra", err)
	}
	return endObject(b, start), nil
}

func appendIdentityDocument(b []byte, d *IdentityDocument) []byte {
	start := len(b)
	b = appendStr(b, `,"type":`, d.Type)
	b = appendStr(b, `,"number":`, d.Number)
	b = appendStrOmit(b, `,"issuing_country":`, d.IssuingCountry)
	b = appendIntPtr(b, `,"issue_date":`, d.IssueDate)
	b = appendIntPtr(b, `,"expiry_date":`, d.ExpiryDate)
	return endObject(b, start)
}

func appendTaxResidence(b []byte, t *TaxResidence) []byte {
	start := len(b)
	b = appendStr(b, `,"country":`, t.Country)
	b = appendStrOmit(b, `,"tax_payer_id":`, t.TaxPayerID)
	return endObject(b, start)
}

func appendEmployment(b []byte, e *Employment) []byte {
	start := len(b)
	b = appendStrOmit(b, `,"status":`, e.Status)
	b = appendStrOmit(b, `,"employer":`, e.Employer)
	b = appendStrOmit(b, `,"occupation":`, e.Occupation)
	b = appendStrOmit(b, `,"industry":`, e.Industry)
	b = appendIntPtr(b, `,"since":`, e.Since)
	return endObject(b, start)
}

func appendCheck(b []byte, c *Check) []byte {
	start := len(b)
	b = appendStr(b, `,"id":`, c.ID)
	b = appendStr(b, `,"type":`, c.Type)
	b = appendStr(b, `,"outcome":`, c.Outcome)
	b = appendStrings(b, `,"matched":`, c.Matched)
	b = appendStrOmit(b, `,"source":`, c.Source)
	b = appendInt(b, `,"performed_at":`, c.PerformedAt)
	b = appendIntOmit(b, `,"expires_at":`, c.ExpiresAt)
	b = appendStrOmit(b, `,"entity_profile":`, c.EntityProfile)
	return endObject(b, start)
}

// Field writers. key is `,"name":`; the ...Omit writers leave out the zero
// value, as omitempty does, and the pointer writers a nil pointer only, so
// that a pointer to zero is written.

func appendStr(b []byte, key, s string) []byte {
	return appendString(append(b, key...), s)
}

func appendStrOmit(b []byte, key, s string) []byte {
	if s == "" {
		return b
	}
	return appendStr(b, key, s)
}

func appendInt[T ~int | ~int64](b []byte, key string, n T) []byte {
	return strconv.AppendInt(append(b, key...), int64(n), 10)
}

func appendIntOmit[T ~int | ~int64](b []byte, key string, n T) []byte {
	if n == 0 {
		return b
	}
	return appendInt(b, key, n)
}

func appendIntPtr[T ~int64](b []byte, key string, n *T) []byte {
	if n == nil {
		return b
	}
	return appendInt(b, key, *n)
}

func appendBool(b []byte, key string, v bool) []byte {
	return strconv.AppendBool(append(b, key...), v)
}

func appendBoolPtr(b []byte, key string, v *bool) []byte {
	if v == nil {
		return b
	}
	return appendBool(b, key, *v)
}

// appendList writes a list of records, left out when empty: every list of
// Profile is omitempty.
func appendList[T any](b []byte, key string, list []T, elem func([]byte, *T) []byte) []byte {
	if len(list) == 0 {
		return b
	}
	b = append(append(b, key...), '[')
	for i := range list {
		if i > 0 {
			b = append(b, ',')
		}
		b = elem(b, &list[i])
	}
	return append(b, ']')
}

func appendStrings(b []byte, key string, list []string) []byte {
	if len(list) == 0 {
		return b
	}
	b = append(append(b, key...), '[')
	for i, s := range list {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, s)
	}
	return append(b, ']')
}

func appendListHits(b []byte, m map[string]ListHit) []byte {
	var buf [16]string
	b = append(b, '{')
	for i, k := range keysSorted(buf[:0], m) {
		if i > 0 {
			b = append(b, ',')
		}
		h := m[k]
		b = appendListHit(append(appendString(b, k), ':'), &h)
	}
	return append(b, '}')
}

func appendConsents(b []byte, m map[string]bool) []byte {
	var buf [16]string
	b = append(b, '{')
	for i, k := range keysSorted(buf[:0], m) {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendBool(append(appendString(b, k), ':'), m[k])
	}
	return append(b, '}')
}
