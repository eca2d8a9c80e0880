package profile

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// StorableText reports whether s can be stored as text by every store:
// valid UTF-8 without NUL (U+0000). PostgreSQL refuses both in text and
// jsonb columns while memory and SQLite keep them, so a value one store
// accepts another would refuse (issue 16, 7). Validate refuses every string
// of a profile that is not storable; a caller storing other text (a comment
// body) applies the same test.
func StorableText(s string) bool {
	if len(s) > shortText {
		return strings.IndexByte(s, 0) < 0 && utf8.ValidString(s)
	}
	// Most fields are short ASCII: one loop instead of two calls, which
	// were most of the cost of the check.
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == 0:
			return false
		case c >= utf8.RuneSelf:
			return strings.IndexByte(s[i:], 0) < 0 && utf8.ValidString(s[i:])
		}
	}
	return true
}

// shortText is the length up to which StorableText reads byte by byte.
const shortText = 64

const msgText = "holds a NUL character or invalid UTF-8, which cannot be stored"
const msgTextKey = "has a key that holds a NUL character or invalid UTF-8, which cannot be stored"

// field is a named string of a record, checked without building its path.
type field struct{ name, v string }

// textRules refuse text that is not storable in every string of the
// profile, with the field's path; the paths are built only for a problem.
// TestTextRefusedInEveryField finds the fields by reflection, so a string
// field added to the types and not here fails it.
func (c *checker) textRules(p *Profile) {
	c.texts("", []field{
		{"id", p.ID}, {"created_by", p.CreatedBy}, {"modified_by", p.ModifiedBy},
		{"tax_payer_id", p.TaxPayerID}, {"name", p.Name}, {"person_type", string(p.PersonType)},
		{"risk", p.Risk}, {"external_ref", p.ExternalRef}, {"state", p.State},
		{"pep_type", p.PEPType}, {"obligated_subject_type", p.ObligatedSubjectType},
		{"oecd_main_country", p.OECDMainCountry}, {"oecd_main_tax_payer_id", p.OECDMainTaxPayerID},
		{"oecd_secondary_country", p.OECDSecondaryCountry}, {"oecd_secondary_tax_payer_id", p.OECDSecondaryTaxPayerID},
		{"fatca_ssn", p.FATCASSN},
	})
	if n := p.NaturalPerson; n != nil {
		c.texts("natural_person.", []field{
			{"name.first", n.Name.First}, {"name.middle", n.Name.Middle}, {"name.last", n.Name.Last},
			{"birth_place", n.BirthPlace}, {"id_number", n.IDNumber}, {"id_type", n.IDType},
			{"id_country", n.IDCountry}, {"nationality", n.Nationality}, {"civil_state", n.CivilState},
			{"classification", n.Classification}, {"gender", n.Gender},
		})
	}
	if l := p.LegalPerson; l != nil {
		c.texts("legal_person.", []field{{"constitution", l.Constitution}, {"foundation_place", l.FoundationPlace}})
	}
	mapKeys(c, "blacklist_found", p.BlacklistFound)
	c.recordTexts(p)
	c.list("labels", p.Labels)
	c.texts("", []field{{"residence_country", p.ResidenceCountry}})
	if e := p.Employment; e != nil {
		c.texts("employment.", []field{{"status", e.Status}, {"employer", e.Employer}, {"occupation", e.Occupation}, {"industry", e.Industry}})
	}
	mapKeys(c, "consents", p.Consents)
	c.texts("", []field{{"entity_profile", p.EntityProfile}})
	c.list("pending_reverification", p.PendingReverification)
	for i := range p.Checks {
		ch := &p.Checks[i]
		c.elemTexts("checks", i, []field{{"id", ch.ID}, {"type", ch.Type}, {"outcome", ch.Outcome}, {"source", ch.Source}, {"entity_profile", ch.EntityProfile}})
		if !allStorable(ch.Matched) {
			c.list(at("checks", i, "matched"), ch.Matched)
		}
	}
	c.object("metadata", p.Metadata, 2)
	c.unknownTexts(p.Unknown)
}

// recordTexts checks the lists of records.
func (c *checker) recordTexts(p *Profile) {
	for i := range p.Contacts {
		x := &p.Contacts[i]
		c.elemTexts("contacts", i, []field{{"contact_type", x.ContactType}, {"value", x.Value}, {"description", x.Description}})
	}
	for i := range p.Addresses {
		a := &p.Addresses[i]
		c.elemTexts("addresses", i, []field{
			{"address_type", a.AddressType}, {"country", a.Country}, {"state", a.State}, {"city", a.City},
			{"department", a.Department}, {"zip_code", a.ZipCode}, {"street_name", a.StreetName},
			{"number", a.Number}, {"building_name", a.BuildingName}, {"building_floor_number", a.BuildingFloorNumber},
			{"building_room_number", a.BuildingRoomNumber}, {"formatted_address", a.FormattedAddress},
			{"normalization_method", a.NormalizationMethod},
		})
		if a.Extra != nil {
			c.object(at("addresses", i, "extra"), a.Extra, 4)
		}
	}
	for i := range p.Activities {
		x := &p.Activities[i]
		c.elemTexts("activities", i, []field{{"code", x.Code}, {"description", x.Description}, {"organization", x.Organization}})
	}
	for i := range p.Taxes {
		x := &p.Taxes[i]
		c.elemTexts("taxes", i, []field{{"code", x.Code}, {"description", x.Description}, {"jurisdiction", x.Jurisdiction}, {"organization", x.Organization}})
	}
	for i := range p.Relations {
		r := &p.Relations[i]
		c.elemTexts("relations", i, []field{{"profile_id", r.ProfileID}, {"relationship", r.Relationship}})
		if r.Extra != nil {
			c.object(at("relations", i, "extra"), r.Extra, 4)
		}
	}
	for i := range p.IdentityDocuments {
		d := &p.IdentityDocuments[i]
		c.elemTexts("identity_documents", i, []field{{"type", d.Type}, {"number", d.Number}, {"issuing_country", d.IssuingCountry}})
	}
	for i := range p.TaxResidences {
		x := &p.TaxResidences[i]
		c.elemTexts("tax_residences", i, []field{{"country", x.Country}, {"tax_payer_id", x.TaxPayerID}})
	}
}

// texts checks the fields of a record whose path is prefix.
func (c *checker) texts(prefix string, fs []field) {
	for _, f := range fs {
		if f.v != "" && !StorableText(f.v) {
			c.add(prefix+f.name, CodeText, msgText)
		}
	}
}

// elemTexts checks the fields of element i of a list.
func (c *checker) elemTexts(list string, i int, fs []field) {
	for _, f := range fs {
		if f.v != "" && !StorableText(f.v) {
			c.add(at(list, i, f.name), CodeText, msgText)
		}
	}
}

func (c *checker) list(path string, l []string) {
	for i, s := range l {
		if !StorableText(s) {
			c.add(path+"["+strconv.Itoa(i)+"]", CodeText, msgText)
		}
	}
}

// keys reports, once at the map's path, keys that are not storable: the
// key cannot be written into a path.
func (c *checker) keys(path string, keys []string) {
	if !allStorable(keys) {
		c.add(path, CodeText, msgTextKey)
	}
}

// mapKeys is keys for the keys of a map.
func mapKeys[V any](c *checker, path string, m map[string]V) {
	for k := range m {
		if !StorableText(k) {
			c.add(path, CodeText, msgTextKey)
			return
		}
	}
}

func allStorable(l []string) bool {
	for _, s := range l {
		if !StorableText(s) {
			return false
		}
	}
	return true
}

// object checks free-form JSON at any depth. A clean object, the common
// case, is read once without sorting or paths; one with a problem is read
// again in sorted key order so that the problems come in a stable order.
// level is the object's own nesting in the profile's JSON (the top-level
// object is 1): an object built in Go that would nest the document deeper
// than MaxDepth is refused here, with its path, since no decoder would
// read it back.
func (c *checker) object(path string, o Object, level int) {
	if o == nil {
		return
	}
	if deeper(map[string]any(o), MaxDepth-level+1) {
		c.add(path, CodeTooDeep, fmt.Sprintf("nests the profile deeper than %d levels", MaxDepth))
		return
	}
	if storableValue(map[string]any(o), 0) {
		return
	}
	c.value(path, map[string]any(o), 0)
}

// deeper reports whether v nests arrays and objects more than room levels,
// v itself included; it reads at most room levels of v.
func deeper(v any, room int) bool {
	switch x := v.(type) {
	case []any:
		if room < 1 {
			return true
		}
		for _, e := range x {
			if deeper(e, room-1) {
				return true
			}
		}
	case map[string]any:
		if room < 1 {
			return true
		}
		for _, e := range x {
			if deeper(e, room-1) {
				return true
			}
		}
	case Object:
		return deeper(map[string]any(x), room)
	case []string:
		return room < 1
	}
	return false
}

// storableValue reports whether every key and string of a JSON value is
// storable. Values built in Go may hold other types: a nested Object, a
// []string, a map[string]any, or anything encoding/json can encode.
func storableValue(v any, level int) bool {
	if level > MaxDepth {
		return true // the encoder refuses it, with its own error
	}
	switch x := v.(type) {
	case string:
		return StorableText(x)
	case nil, bool, float64, json.Number, int, int64:
		return true
	case []string:
		return allStorable(x)
	case []any:
		for _, e := range x {
			if !storableValue(e, level+1) {
				return false
			}
		}
		return true
	case map[string]any:
		for k, e := range x {
			if !StorableText(k) || !storableValue(e, level+1) {
				return false
			}
		}
		return true
	case Object:
		return storableValue(map[string]any(x), level)
	}
	g, ok := generic(v)
	return !ok || storableValue(g, level)
}

// value adds a problem for every string and key of v that is not storable.
func (c *checker) value(path string, v any, level int) {
	if level > MaxDepth || storableValue(v, level) {
		return
	}
	switch x := v.(type) {
	case string:
		c.add(path, CodeText, msgText)
	case []string:
		c.list(path, x)
	case []any:
		for i, e := range x {
			c.value(path+"["+strconv.Itoa(i)+"]", e, level+1)
		}
	case map[string]any:
		c.members(path, x, level)
	case Object:
		c.members(path, x, level)
	default:
		if g, ok := generic(v); ok {
			c.value(path, g, level)
		}
	}
}

func (c *checker) members(path string, m map[string]any, level int) {
	keys := slices.Sorted(maps.Keys(m))
	c.keys(path, keys)
	for _, k := range keys {
		if StorableText(k) {
			c.value(path+"."+k, m[k], level+1)
		}
	}
}

// generic is a Go value of a type storableValue does not know as the JSON
// it encodes to; false when it does not encode.
func generic(v any) (any, bool) {
	data, err := json.Marshal(v)
	if err != nil {
		return nil, false
	}
	var g any
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if dec.Decode(&g) != nil {
		return nil, false
	}
	return g, true
}

// unknownTexts checks the unknown top-level keys kept by a lenient decode:
// their names, and the strings of their raw JSON values, where a NUL can
// arrive as the escape \u0000.
func (c *checker) unknownTexts(unknown map[string]json.RawMessage) {
	if len(unknown) == 0 {
		return
	}
	keys := slices.Sorted(maps.Keys(unknown))
	c.keys("", keys)
	for _, k := range keys {
		raw := unknown[k]
		if !StorableText(k) {
			continue
		}
		if bytes.IndexByte(raw, 0) >= 0 || !utf8.Valid(raw) {
			c.add(k, CodeText, msgText)
			continue
		}
		if !bytes.Contains(raw, []byte(`\u0000`)) {
			continue
		}
		var v any
		if json.Unmarshal(raw, &v) == nil && !storableValue(v, 0) {
			c.add(k, CodeText, msgText)
		}
	}
}
