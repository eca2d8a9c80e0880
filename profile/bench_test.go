package profile

import (
	"bytes"
	"encoding/json"
	"testing"
)

// The benchmarks run on the full seed profile (testdata/seed/full.json: the
// legal person of seed 003, 3.1.1.2, with the contact, address, activity and
// tax examples of 3.1.2 to 3.1.5). The peer is encoding/json with a generic
// map[string]any, the closest public library doing the same job on the same
// bytes.

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
}
