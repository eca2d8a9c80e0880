package riskmatrix

import (
	"bytes"
	_ "embed"
)

var (
	//go:embed reference/digital_profile.json
	referenceDigitalProfileJSON []byte
	//go:embed reference/client.json
	referenceClientJSON []byte

	referenceDigitalProfile = mustLoadReference(referenceDigitalProfileJSON)
	referenceClient         = mustLoadReference(referenceClientJSON)
)

func mustLoadReference(data []byte) *Matrix {
	m, err := Load(data)
	if err != nil {
		panic(err) // the reference documents are tested; this cannot happen
	}
	return m
}

// ReferenceDigitalProfile returns an example matrix for seed 003's risk
// levels (low, medium, high, PresetDigitalProfile): country of residence,
// nationality, person type, the PEP declaration, sanctions lists,
// economic activity, declared income and identity documents, with two
// overrides and transactional-profile parameters. It is an example of the
// format, not advice: its countries, codes, weights and thresholds are
// illustrations, and a tenant supplies its own methodology.
func ReferenceDigitalProfile() *Matrix { return referenceDigitalProfile }

// ReferenceDigitalProfileJSON returns the document of
// ReferenceDigitalProfile, a starting point to edit (riskmatrix/reference/
// in the repository). The slice is new on every call.
func ReferenceDigitalProfileJSON() []byte { return bytes.Clone(referenceDigitalProfileJSON) }

// ReferenceClient returns an example matrix for seed 002's client risk
// levels (low, medium, high, severe, PresetClient): countries of
// residence and incorporation, person type, the PEP declaration, sanctions
// lists and the age of the relationship; a confirmed sanctions hit is
// severe. It is an example of the format, not advice: its countries,
// weights and thresholds are illustrations, and a tenant supplies its own
// methodology.
func ReferenceClient() *Matrix { return referenceClient }

// ReferenceClientJSON returns the document of ReferenceClient. The slice
// is new on every call.
func ReferenceClientJSON() []byte { return bytes.Clone(referenceClientJSON) }
