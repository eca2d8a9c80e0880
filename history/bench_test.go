package history

import (
	"os"
	"path/filepath"
	"testing"
)

// The pair of benchmarks: the full seed-003 profile (testdata/README) and
// the same profile after 8 field changes, one list element added and one
// removed among them. BenchmarkDiffProfile, which compares Diff and DiffJSON
// with the peer libraries on this pair, is in the bench module.
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
