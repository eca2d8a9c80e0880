// Package bench holds the benchmarks that compare this library with the
// closest public libraries (wI2L/jsondiff, r3labs/diff, expr-lang/expr) on
// the same input in the same run, as BENCHMARKS.md reports them.
//
// It is a module of its own so that the peers are requirements of the
// benchmarks, never of the library: a program that imports
// github.com/kycsdk/kyc does not see them in its module graph. The
// benchmarks live in the sub-directories named for the package they measure
// (history, profile, workflow, riskmatrix); this package only locates the
// inputs they share with the library's own tests. Its functions keep no
// state and are safe for concurrent use.
package bench

import (
	"os"
	"path/filepath"
	"testing"
)

// root is the library's module root: the parent of this module's
// directory, found from the working directory go test gives a benchmark
// (its package's directory).
func root(tb testing.TB) string {
	tb.Helper()
	dir, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Dir(dir)
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			tb.Fatal("bench: go.mod not found above the working directory")
		}
		dir = parent
	}
}

// Testdata returns the content of rel, a slash-separated path from the
// library's module root (for example "history/testdata/profile-v1.json"),
// so that a benchmark reads the very file the library's tests read.
func Testdata(tb testing.TB, rel string) []byte {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join(root(tb), filepath.FromSlash(rel)))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// Shared returns the content of rel inside the shared reference folder that
// sits beside the library's checkout (../shared), as the library's tests
// read it. The benchmark is skipped, saying so, when the folder is absent.
func Shared(tb testing.TB, rel string) []byte {
	tb.Helper()
	p := filepath.Join(root(tb), "..", "shared", filepath.FromSlash(rel))
	b, err := os.ReadFile(p)
	if err != nil {
		tb.Skipf("shared material not found (../shared/%s): %v", rel, err)
	}
	return b
}
