package profile

import "encoding/json"

// PersonType says whether a profile describes a natural or a legal person
// (seed 003, section 3.1.1).
type PersonType string

// The two person types of the digital profile.
const (
	NaturalPerson PersonType = "natural_person"
	LegalPerson   PersonType = "legal_person"
)

// Profile is the canonical digital profile of a natural or legal person: the
// digital profile of seed 003 (section 3), plus the identity documents,
// employment, other tax residences, consents and open-case count that the
// other seeds need.
//
// JSON keys are the seed's. Optional scalars are omitted from the JSON when
// empty; booleans of nested records are always written, and a Name and an
// Address are always written in full, as the seed's examples write them.
//
// A Profile is a plain value: it is not safe for concurrent mutation.
type Profile struct {
	// The fields are in the order of the seed's examples (seed 003,
	// 3.1.1.1 and 3.1.1.2), which is the order Encode writes: the record's
	// audit stamps, the person, version and state, the screening dates, and
	// the id last. The keys the examples do not show come between the
	// screening dates and the id, grouped: risk and amounts, workflow
	// facts, the declaration, the person's lists, the checks, metadata.
	CreatedAt     Timestamp  `json:"created_at,omitzero"`
	ModifiedAt    Timestamp  `json:"modified_at,omitzero"`
	CreatedBy     string     `json:"created_by,omitempty"`
	ModifiedBy    string     `json:"modified_by,omitempty"`
	Name          string     `json:"name,omitempty"`
	TaxPayerID    string     `json:"tax_payer_id,omitempty"`
	PersonType    PersonType `json:"person_type,omitempty"`
	NaturalPerson *Natural   `json:"natural_person,omitzero"`
	LegalPerson   *Legal     `json:"legal_person,omitzero"`
	Version       int        `json:"version,omitzero"`
	State         string     `json:"state,omitempty"`

	BlacklistsCheckedAt Timestamp `json:"blacklists_checked_at,omitzero"`
	LastDueDiligenceAt  Timestamp `json:"last_due_diligence_at,omitzero"`

	// Risk is one of the configured risk levels (low, medium, high by
	// default); empty means not assessed.
	Risk                             string    `json:"risk,omitempty"`
	RiskCalculatedAt                 Timestamp `json:"risk_calculated_at,omitzero"`
	TransactionalProfileAmount       *int64    `json:"transactional_profile_amount,omitempty"`
	TransactionalProfileCalculatedAt Timestamp `json:"transactional_profile_calculated_at,omitzero"`
	DeclaredIncome                   *int64    `json:"declared_income,omitempty"`
	ExternalRef                      string    `json:"external_ref,omitempty"`

	// EntityProfile records the entity profile (verification recipe)
	// assigned to the profile: a profile name, "auto" or "none" (seed 001).
	EntityProfile string `json:"entity_profile,omitempty"`
	// VerifiedAt is when the customer first reached a verified state of
	// the workflow (a fact the service records on the transition): from
	// then on, edits fall under the field-change policy of seed 000.
	VerifiedAt Timestamp `json:"verified_at,omitzero"`
	// PendingReverification lists the JSON paths of changes that need KYC
	// re-verification and have not been verified again yet.
	PendingReverification []string `json:"pending_reverification,omitempty"`
	// OpenCases is the number of open alert cases; workflow conditions read
	// it as dprofile.open_cases.
	OpenCases int `json:"open_cases,omitzero"`

	// Declaration and the top-level declared fields of seed 003, 3.1.1.3.
	Declaration             *Declaration `json:"declaration,omitzero"`
	PEPType                 string       `json:"pep_type,omitempty"`
	ObligatedSubjectType    string       `json:"obligated_subject_type,omitempty"`
	ObligatedSubjectDate    *Date        `json:"obligated_subject_date,omitempty"`
	OECDMainCountry         string       `json:"oecd_main_country,omitempty"`
	OECDMainTaxPayerID      string       `json:"oecd_main_tax_payer_id,omitempty"`
	OECDSecondaryCountry    string       `json:"oecd_secondary_country,omitempty"`
	OECDSecondaryTaxPayerID string       `json:"oecd_secondary_tax_payer_id,omitempty"`
	FATCASSN                string       `json:"fatca_ssn,omitempty"`

	// BlacklistFound holds one entry per watchlist type (pep, sanctioned,
	// wanted, terrorism, ...), seed 003, 3.1.1.4.
	BlacklistFound map[string]ListHit `json:"blacklist_found,omitempty"`

	Contacts   []Contact  `json:"contacts,omitempty"`
	Addresses  []Address  `json:"addresses,omitempty"`
	Activities []Activity `json:"activities,omitempty"`
	Taxes      []Tax      `json:"taxes,omitempty"`
	Relations  []Relation `json:"relations,omitempty"`
	Labels     []string   `json:"labels,omitempty"`

	// IdentityDocuments are the person's identity documents (seed 001
	// identityDocs, seed 002 identifications); a person may hold several.
	IdentityDocuments []IdentityDocument `json:"identity_documents,omitempty"`
	// ResidenceCountry is the customer's country of residency (seed 000,
	// "Customer Residency").
	ResidenceCountry string `json:"residence_country,omitempty"`
	// TaxResidences are tax residences other than the main one (seed 000,
	// "Other Tax Residence").
	TaxResidences []TaxResidence `json:"tax_residences,omitempty"`
	Employment    *Employment    `json:"employment,omitzero"`
	// Consents holds the consent flags of seed 001's extraData
	// (consent.general, consent.docs, consent.creditheader) keyed without
	// the "consent." prefix.
	Consents map[string]bool `json:"consents,omitempty"`

	// Checks are the results of the verification checks run on the person
	// (seed 001): they are part of the profile so that every result is
	// recorded in its history and can be reused while still valid.
	Checks []Check `json:"checks,omitempty"`

	// Metadata is the tenant's additional information, checked against the
	// tenant's JSON Schema when one is set (seed 003, 3.1.9).
	Metadata Object `json:"metadata,omitempty"`

	ID string `json:"id,omitempty"`

	// Unknown keeps top-level keys this package does not know, when a
	// profile is decoded leniently, so that they are written back unchanged
	// (whitespace aside), after the known keys and sorted.
	Unknown map[string]json.RawMessage `json:"-"`
}

// Natural holds what only a natural person has (seed 003, 3.1.1.1).
type Natural struct {
	Name           Name   `json:"name"`
	BirthDate      *Date  `json:"birth_date,omitempty"`
	BirthPlace     string `json:"birth_place,omitempty"`
	IDNumber       string `json:"id_number,omitempty"`
	IDType         string `json:"id_type,omitempty"`
	IDCountry      string `json:"id_country,omitempty"`
	Nationality    string `json:"nationality,omitempty"`
	CivilState     string `json:"civil_state,omitempty"`
	Classification string `json:"classification,omitempty"`
	Gender         string `json:"gender,omitempty"`
	IsEmployee     bool   `json:"is_employee"`
}

// Name is a natural person's name in parts; Profile.Name is derived from it.
type Name struct {
	First  string `json:"first"`
	Middle string `json:"middle"`
	Last   string `json:"last"`
}

// Legal holds what only a legal person has (seed 003, 3.1.1.2).
type Legal struct {
	Constitution            string `json:"constitution,omitempty"`
	IsListedOnStockExchange bool   `json:"is_listed_on_stock_exchange"`
	FoundationDate          *Date  `json:"foundation_date,omitempty"`
	FoundationPlace         string `json:"foundation_place,omitempty"`
}

// Declaration is the summary of the customer's sworn statement (seed 003,
// 3.1.1.3). A nil answer means the information is not known.
type Declaration struct {
	PEP              *bool `json:"pep,omitempty"`
	ObligatedSubject *bool `json:"obligated_subject,omitempty"`
	FATCA            *bool `json:"fatca,omitempty"`
	OECD             *bool `json:"oecd,omitempty"`
}

// ListHit summarises the watchlist screening for one list type.
type ListHit struct {
	Hit       bool `json:"hit"`
	Confirmed bool `json:"confirmed"`
}

// Contact types of seed 003, 3.1.2.
const (
	ContactEmail    = "email"
	ContactMobile   = "mobile"
	ContactLandline = "landline"
)

// Contact is one way to reach the person (seed 003, 3.1.2).
type Contact struct {
	ContactType string `json:"contact_type,omitempty"`
	Value       string `json:"value,omitempty"`
	Description string `json:"description,omitempty"`
	Main        bool   `json:"main"`
	IsVerified  bool   `json:"is_verified"`
}

// Address types of seed 003, 3.1.3.
const (
	AddressPersonal = "personal"
	AddressFiscal   = "fiscal"
	AddressLegal    = "legal"
)

// Address is a postal address (seed 003, 3.1.3). Country, state, city and
// street name are required.
type Address struct {
	AddressType         string `json:"address_type"`
	Main                bool   `json:"main"`
	Country             string `json:"country"`
	State               string `json:"state"`
	City                string `json:"city"`
	Department          string `json:"department"`
	ZipCode             string `json:"zip_code"`
	StreetName          string `json:"street_name"`
	Number              string `json:"number"`
	BuildingName        string `json:"building_name"`
	BuildingFloorNumber string `json:"building_floor_number"`
	BuildingRoomNumber  string `json:"building_room_number"`
	FormattedAddress    string `json:"formatted_address"`
	NormalizationMethod string `json:"normalization_method"`
	Extra               Object `json:"extra,omitempty"`
}

// Activity is an economic activity (seed 003, 3.1.4).
type Activity struct {
	Code         string `json:"code,omitempty"`
	Description  string `json:"description,omitempty"`
	Main         bool   `json:"main"`
	Organization string `json:"organization,omitempty"`
}

// Tax is a tax registration (seed 003, 3.1.5).
type Tax struct {
	Code            string `json:"code,omitempty"`
	Description     string `json:"description,omitempty"`
	InscriptionDate *Date  `json:"inscription_date,omitempty"`
	Jurisdiction    string `json:"jurisdiction,omitempty"`
	Organization    string `json:"organization,omitempty"`
}

// Relation links the profile to another profile (seed 003, 3.1.7). The
// relationship must be a type known to the RelationTypes registry in use.
type Relation struct {
	ProfileID    string `json:"profile_id"`
	Relationship string `json:"relationship"`
	Since        *Date  `json:"since,omitempty"`
	Until        *Date  `json:"until,omitempty"`
	Extra        Object `json:"extra,omitempty"`
}

// IdentityDocument is an identity document: seed 001's identityDocs and seed
// 002's identifications.
type IdentityDocument struct {
	Type           string `json:"type"`
	Number         string `json:"number"`
	IssuingCountry string `json:"issuing_country,omitempty"`
	IssueDate      *Date  `json:"issue_date,omitempty"`
	ExpiryDate     *Date  `json:"expiry_date,omitempty"`
}

// TaxResidence is a tax residence other than the main one.
type TaxResidence struct {
	Country    string `json:"country"`
	TaxPayerID string `json:"tax_payer_id,omitempty"`
}

// Employment is what the person declared about their work.
type Employment struct {
	Status     string `json:"status,omitempty"`
	Employer   string `json:"employer,omitempty"`
	Occupation string `json:"occupation,omitempty"`
	Industry   string `json:"industry,omitempty"`
	Since      *Date  `json:"since,omitempty"`
}

// Outcomes of a verification check.
const (
	OutcomePass    = "pass"
	OutcomeFail    = "fail"
	OutcomePartial = "partial"
)

// Fields a check can match, counted against an entity profile's minimum
// name, address and date-of-birth matches (seed 001).
const (
	MatchName    = "name"
	MatchAddress = "address"
	MatchDOB     = "dob"
)

// Check is the result of one verification check (seed 001): its type
// (name_dob, address, id_document, pep, sanctions, ...), outcome, the fields
// it matched, where it came from, when it was performed and, if the entity
// profile that asked for it gave it an age limit, when it expires.
type Check struct {
	ID            string    `json:"id"`
	Type          string    `json:"type"`
	Outcome       string    `json:"outcome"`
	Matched       []string  `json:"matched,omitempty"`
	Source        string    `json:"source,omitempty"`
	PerformedAt   Timestamp `json:"performed_at"`
	ExpiresAt     Timestamp `json:"expires_at,omitzero"`
	EntityProfile string    `json:"entity_profile,omitempty"`
}
