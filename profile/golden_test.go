package profile

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// seedNow is a clock after every date of the seed examples.
func seedNow() time.Time { return time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC) }

func readGolden(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "seed", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// jsonAny decodes data as a generic JSON value with exact numbers, to
// compare two documents key order aside.
func jsonAny(t testing.TB, data []byte) any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	return v
}

// TestSeedExamplesRoundTrip: every profile JSON of seed 003 (3.1.1.1,
// 3.1.1.2 corrected, the fragments of 3.1.2 to 3.1.5 inside a minimal legal
// person, and all of them together) decodes, validates and encodes back to
// the same JSON value.
func TestSeedExamplesRoundTrip(t *testing.T) {
	files := []string{
		"natural_person.json", // 3.1.1.1
		"legal_person.json",   // 3.1.1.2 without its trailing comma
		"contact.json",        // 3.1.2
		"address.json",        // 3.1.3
		"activity.json",       // 3.1.4
		"tax.json",            // 3.1.5
		"full.json",           // 3.1.1.2 with 3.1.2 to 3.1.5
	}
	v := NewValidator(Options{Now: seedNow})
	for _, name := range files {
		t.Run(name, func(t *testing.T) {
			in := readGolden(t, name)
			for _, strict := range []bool{false, true} {
				p, err := decode(in, strict)
				if err != nil {
					t.Fatalf("decode (strict %v): %v", strict, err)
				}
				if err := v.Validate(p); err != nil {
					t.Fatalf("validate: %v", err)
				}
				out, err := Encode(p)
				if err != nil {
					t.Fatalf("encode: %v", err)
				}
				if diff := cmp.Diff(jsonAny(t, in), jsonAny(t, out)); diff != "" {
					t.Errorf("round trip (-want +got):\n%s", diff)
				}
			}
		})
	}
}

// TestSeedLegalPersonVerbatim: the seed's own legal-person example (3.1.1.2)
// has a trailing comma after "foundation_date", so it is not JSON. The
// decoder must say exactly that, and where.
func TestSeedLegalPersonVerbatim(t *testing.T) {
	_, err := Decode(readGolden(t, "legal_person_verbatim.json"))
	var se *SyntaxError
	if !errors.As(err, &se) {
		t.Fatalf("Decode = %v, want a *SyntaxError", err)
	}
	// The trailing comma itself, at the end of line 12.
	want := &SyntaxError{Line: 12, Column: 32, Offset: se.Offset, Reason: "unexpected character"}
	if diff := cmp.Diff(want, se); diff != "" {
		t.Errorf("syntax error (-want +got):\n%s", diff)
	}
	if !errors.Is(err, ErrSyntax) {
		t.Errorf("errors.Is(err, ErrSyntax) = false")
	}
}

// TestSeedExamplesBeforeNormalize: the seed writes countries as English names
// ("nationality":"Argentina", the address's "country":"Argentina") and in
// lower case ("id_country":"ar") although 3.1.1.1 asks for ISO 3166-1
// alpha-2. Validate accepts both forms (they resolve), and Normalize stores
// the alpha-2 code.
func TestSeedExamplesBeforeNormalize(t *testing.T) {
	p, err := Decode(readGolden(t, "natural_person.json"))
	if err != nil {
		t.Fatal(err)
	}
	a, err := Decode(readGolden(t, "address.json"))
	if err != nil {
		t.Fatal(err)
	}
	p.Normalize()
	a.Normalize()
	got := []string{p.NaturalPerson.IDCountry, p.NaturalPerson.Nationality, a.Addresses[0].Country, p.Name}
	want := []string{"AR", "AR", "AR", "John Doe"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("normalised (-want +got):\n%s", diff)
	}
	v := NewValidator(Options{Now: seedNow})
	for _, q := range []*Profile{p, a} {
		if err := v.Validate(q); err != nil {
			t.Errorf("normalised seed example: %v", err)
		}
	}
}
