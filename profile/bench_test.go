package profile

import (
	"bytes"
	"encoding/json"
	"testing"
)

// The benchmarks run on the full seed profile (testdata/seed/full.json: the
// legal person of seed 003, 3.1.1.2, with the contact, address, activity and
// tax examples of 3.1.2 to 3.1.5) and on a stored profile. Each compares
// the package's codec ("kyc", go-json-experiment/json) with encoding/json
// v1 into or from the same struct ("encoding_json_v1"), so the figure is a
// ratio; Decode and Encode also show encoding/json with a generic
// map[string]any.

func BenchmarkDecode(b *testing.B) {
	data := readGolden(b, "full.json")
	b.Run("kyc", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			if _, err := Decode(data); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encoding_json_map", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			var m map[string]any
			dec := json.NewDecoder(bytes.NewReader(data))
			dec.UseNumber() // exact numbers, as Decode keeps them
			if err := dec.Decode(&m); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encoding_json_v1", func(b *testing.B) { benchmarkUnmarshalV1(b, data) })
}

// storedProfile is a typical natural-person profile as a store keeps it,
// 794 bytes of JSON: the profile of the SQL stores' Get benchmark.
func storedProfile() *Profile {
	income := int64(1001)
	return &Profile{
		ID: "g", Version: 1, CreatedAt: 1700000000001, ModifiedAt: 1700000000001,
		CreatedBy: "admin", ModifiedBy: "admin", TaxPayerID: "20-00000001-7", Name: "Person 1",
		PersonType: NaturalPerson, Risk: "medium", State: "pending",
		DeclaredIncome: &income, Labels: []string{"retail"},
		NaturalPerson: &Natural{Name: Name{First: "Person", Last: "1"}, Nationality: "AR", Gender: "female"},
		Contacts:      []Contact{{ContactType: "email", Value: "p1@example.com", Main: true}},
		Addresses:     []Address{{AddressType: "personal", Main: true, Country: "AR", State: "Santa Fe", City: "Rosario", StreetName: "Córdoba", Number: "1234"}},
	}
}

// BenchmarkDecodeStored decodes what a store's Get reads. The peer is
// encoding/json's Unmarshal into the same struct (the profile's fields
// without its methods).
func BenchmarkDecodeStored(b *testing.B) {
	data, err := Encode(storedProfile())
	if err != nil {
		b.Fatal(err)
	}
	b.Run("kyc", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			if _, err := Decode(data); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encoding_json_v1", func(b *testing.B) { benchmarkUnmarshalV1(b, data) })
}

func benchmarkUnmarshalV1(b *testing.B, data []byte) {
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		var p wire
		if err := json.Unmarshal(data, &p); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkValidate(b *testing.B) {
	data := readGolden(b, "full.json")
	p, err := Decode(data)
	if err != nil {
		b.Fatal(err)
	}
	v := NewValidator(Options{Now: seedNow})
	b.Run("kyc", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := v.Validate(p); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("kyc_normalize_then_validate", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			q := *p
			q.Addresses = append([]Address(nil), p.Addresses...)
			q.Contacts = append([]Contact(nil), p.Contacts...)
			q.Normalize()
			if err := v.Validate(&q); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkEncode(b *testing.B) {
	data := readGolden(b, "full.json")
	p, err := Decode(data)
	if err != nil {
		b.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		b.Fatal(err)
	}
	b.Run("kyc", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := Encode(p); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encoding_json_map", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := json.Marshal(m); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encoding_json_v1", func(b *testing.B) { benchmarkMarshalV1(b, p) })
}

// BenchmarkEncodeStored encodes what a store's Create and Update write. The
// peer is encoding/json's Marshal of the same struct.
func BenchmarkEncodeStored(b *testing.B) {
	p := storedProfile()
	b.Run("kyc", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := Encode(p); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encoding_json_v1", func(b *testing.B) { benchmarkMarshalV1(b, p) })
}

func benchmarkMarshalV1(b *testing.B, p *Profile) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := json.Marshal((*wire)(p)); err != nil {
			b.Fatal(err)
		}
	}
}
