package storage

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// The ASCII fast path must give exactly what the general Fold gives.
func TestFoldASCIIAgrees(t *testing.T) {
	var all strings.Builder
	for c := range 128 {
		s := string(rune(c))
		all.WriteString(s)
		checkFoldAgrees(t, s)
		checkFoldAgrees(t, "Ab"+s+"Z9")
	}
	checkFoldAgrees(t, all.String())
	for _, s := range []string{"", "ana nunez", "ACC-31337", "20-30405060-7", "Núñez", "a\x80b"} {
		checkFoldAgrees(t, s)
	}
}

func FuzzFold(f *testing.F) {
	f.Add("Person 12 \x7f\t")
	f.Add("ÖZEL")
	f.Fuzz(func(t *testing.T, s string) { checkFoldAgrees(t, s) })
}

func checkFoldAgrees(t *testing.T, s string) {
	t.Helper()
	want := foldUnicode(s)
	if got := Fold(s); got != want {
		t.Fatalf("Fold(%q) = %q, general path %q", s, got, want)
	}
	if _, ascii := foldASCII(s); ascii != isASCII(s) {
		t.Fatalf("foldASCII(%q) took the fast path = %v", s, ascii)
	}
}

func isASCII(s string) bool {
	for i := range len(s) {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// Fold must be idempotent on every code point, or a stored folded text and
// a folded filter could disagree: x/text/cases once swapped the Cherokee
// letters on each pass (cherokeeCapital).
func TestFoldIdempotentOnEveryRune(t *testing.T) {
	if testing.Short() {
		t.Skip("every code point: a few seconds")
	}
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if !utf8.ValidRune(r) {
			continue
		}
		once := Fold(string(r))
		if twice := Fold(once); twice != once {
			t.Errorf("Fold(%U) = %q, and again %q", r, once, twice)
		}
	}
}
