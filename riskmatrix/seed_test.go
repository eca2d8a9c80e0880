package riskmatrix

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/kycsdk/kyc/internal/country"
	"github.com/kycsdk/kyc/internal/sharedtest"
	"github.com/kycsdk/kyc/profile"
)

// seedProfile builds the full seed profile: the natural person example of
// seed 003 (3.1.1.1) with the contact, address, activity and tax fragments
// of sections 3.1.2 to 3.1.5, countries normalised to alpha-2 as a stored
// profile holds them (DESIGN.md, The profile).
func seedProfile(t testing.TB) *profile.Profile {
	t.Helper()
	seed := sharedtest.Read(t, "seeds/003_4c5ea5c90f46f665.txt")
	obj := balanced(t, seed, []byte("basic profile of a natural person"), '{', '}')
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(obj, &doc); err != nil {
		t.Fatalf("seed natural person example: %v", err)
	}
	for _, key := range []string{"contacts", "addresses", "activities", "taxes"} {
		doc[key] = balanced(t, seed, []byte(`"`+key+`": [`), '[', ']')
	}
	b, _ := json.Marshal(doc)
	var p profile.Profile
	if err := json.Unmarshal(b, &p); err != nil {
		t.Fatalf("seed profile: %v", err)
	}
	p.NaturalPerson.Nationality = alpha2(t, p.NaturalPerson.Nationality)
	for i := range p.Addresses {
		p.Addresses[i].Country = alpha2(t, p.Addresses[i].Country)
	}
	income := int64(4_800_000)
	p.DeclaredIncome = &income
	return &p
}

func alpha2(t testing.TB, s string) string {
	a, ok := country.Alpha2(s)
	if !ok {
		t.Fatalf("seed country %q is not a country", s)
	}
	return a
}

// balanced returns the bracketed JSON value that starts at the first open
// after marker in text.
func balanced(t testing.TB, text, marker []byte, open, close byte) []byte {
	t.Helper()
	i := bytes.Index(text, marker)
	if i < 0 {
		t.Fatalf("seed: %q not found", marker)
	}
	start := i + bytes.IndexByte(text[i:], open)
	depth, inString := 0, false
	for j := start; j < len(text); j++ {
		switch c := text[j]; {
		case inString && c == '\\':
			j++
		case c == '"':
			inString = !inString
		case inString:
		case c == open:
			depth++
		case c == close:
			if depth--; depth == 0 {
				return text[start : j+1]
			}
		}
	}
	t.Fatalf("seed: unbalanced value after %q", marker)
	return nil
}
