package history

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	r3diff "github.com/r3labs/diff/v3"
	"github.com/wI2L/jsondiff"
)

// The pair of benchmarks: the full seed-003 profile (testdata/README) and
// the same profile after 8 field changes, one list element added and one
// removed among them.
func benchPair(b *testing.B) (v1, v2 []byte) {
	b.Helper()
	v1, err := os.ReadFile(filepath.Join("testdata", "profile-v1.json"))
	if err != nil {
		b.Fatal(err)
	}
	v2, err = os.ReadFile(filepath.Join("testdata", "profile-v2.json"))
	if err != nil {
		b.Fatal(err)
	}
	return v1, v2
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
	d1, d2 := stdDecode(b, j1), stdDecode(b, j2)
	if n := len(Diff(d1, d2)); n != 8 {
		b.Fatalf("the benchmark pair differs in %d changes, want 8", n)
	}
	f1, f2 := floatDecode(b, j1), floatDecode(b, j2)

	b.Run("Diff/decoded", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			Diff(d1, d2)
		}
	})
	b.Run("DiffJSON/bytes", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(j1) + len(j2)))
		for b.Loop() {
			if _, err := DiffJSON(j1, j2); err != nil {
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

func BenchmarkPatchProfile(b *testing.B) {
	j1, j2 := benchPair(b)
	d1, d2 := stdDecode(b, j1), stdDecode(b, j2)
	changes := Diff(d1, d2)
	b.Run("Patch", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := Patch(changes, d1); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Revert", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := Revert(changes, d2); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkRebuild rebuilds version 1 from version 201 through 200 entries
// of random edits.
func BenchmarkRebuild(b *testing.B) {
	versions, entries := history200(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Rebuild(versions[201], 201, entries, 1); err != nil {
			b.Fatal(err)
		}
	}
}
