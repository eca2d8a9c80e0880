package history_test

import (
	"bytes"
	"encoding/json"
	"testing"

	r3diff "github.com/r3labs/diff/v3"
	"github.com/wI2L/jsondiff"

	"github.com/kycsdk/kyc/bench"
	"github.com/kycsdk/kyc/history"
)

// The pair of benchmarks: the full seed-003 profile (history/testdata/README)
// and the same profile after 8 field changes, one list element added and one
// removed among them.
func benchPair(b *testing.B) (v1, v2 []byte) {
	b.Helper()
	return bench.Testdata(b, "history/testdata/profile-v1.json"), bench.Testdata(b, "history/testdata/profile-v2.json")
}

// numberDecode decodes with encoding/json and UseNumber, the decoded form
// history.Diff takes (exact numbers).
func numberDecode(b *testing.B, data []byte) any {
	b.Helper()
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		b.Fatal(err)
	}
	return v
}

// floatDecode decodes as plain json.Unmarshal does (float64 numbers), the
// input the peers expect from decoded values.
func floatDecode(b *testing.B, data []byte) any {
	b.Helper()
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		b.Fatal(err)
	}
	return v
}

func BenchmarkDiffProfile(b *testing.B) {
	j1, j2 := benchPair(b)
	d1, d2 := numberDecode(b, j1), numberDecode(b, j2)
	if n := len(history.Diff(d1, d2)); n != 8 {
		b.Fatalf("the benchmark pair differs in %d changes, want 8", n)
	}
	f1, f2 := floatDecode(b, j1), floatDecode(b, j2)

	b.Run("Diff/decoded", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			history.Diff(d1, d2)
		}
	})
	b.Run("DiffJSON/bytes", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(j1) + len(j2)))
		for b.Loop() {
			if _, err := history.DiffJSON(j1, j2); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("peer=jsondiff.CompareJSON/bytes", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(j1) + len(j2)))
		for b.Loop() {
			if _, err := jsondiff.CompareJSON(j1, j2); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("peer=jsondiff.CompareWithoutMarshal/decoded", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := jsondiff.CompareWithoutMarshal(f1, f2); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("peer=r3labs.Diff/decoded", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := r3diff.Diff(f1, f2); err != nil {
				b.Fatal(err)
			}
		}
	})
}
