package interop_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/kycsdk/kyc/profile/interop"
)

// The reference for both benchmarks is encoding/json with a map[string]any,
// the usual way to read and write a shape without a model of it: ours does
// the same decoding, then maps every field (and, on export, reads its own
// output back to find what was lost).

func BenchmarkImportEntity(b *testing.B) {
	data := readTestdata(b, "entity.json")
	b.Run("kyc", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			if _, _, err := interop.ImportEntity(data, interop.Options{}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encoding-json-map", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			dec := json.NewDecoder(bytes.NewReader(data))
			dec.UseNumber()
			var v map[string]any
			if err := dec.Decode(&v); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkExportEntity(b *testing.B) {
	data := readTestdata(b, "entity.json")
	p, _, err := interop.ImportEntity(data, interop.Options{})
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
			if _, _, err := interop.ExportEntity(p); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encoding-json-map", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := json.Marshal(m); err != nil {
				b.Fatal(err)
			}
		}
	})
}
