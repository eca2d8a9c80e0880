package country

import (
	"fmt"
	"testing"

	"github.com/biter777/countries"
)

func TestAlpha2(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		want   string
		wantOK bool
	}{
		{name: "alpha-2 lower case", in: "ar", want: "AR", wantOK: true},
		{name: "alpha-2 upper case", in: "AR", want: "AR", wantOK: true},
		{name: "alpha-3", in: "ARG", want: "AR", wantOK: true},
		{name: "alpha-3 mixed case", in: "aRg", want: "AR", wantOK: true},
		{name: "English name", in: "Argentina", want: "AR", wantOK: true},
		{name: "English name upper case", in: "ARGENTINA", want: "AR", wantOK: true},
		{name: "surrounding space", in: "  Argentina ", want: "AR", wantOK: true},
		{name: "multi-word name", in: "united kingdom", want: "GB", wantOK: true},
		{name: "name with punctuation", in: "Cote d'Ivoire", want: "CI", wantOK: true},
		{name: "user-assigned Kosovo", in: "XK", want: "XK", wantOK: true},
		// biter777/countries.ByName("England") gives GBR: an alias, not a
		// country of ISO 3166-1.
		{name: "England is not a country", in: "England", wantOK: false},
		{name: "alias ENG is not a code", in: "ENG", wantOK: false},
		{name: "German name is an alias", in: "Argentinien", wantOK: false},
		{name: "spaces removed is an alias", in: "UnitedKingdom", wantOK: false},
		{name: "withdrawn Netherlands Antilles", in: "AN", wantOK: false},
		{name: "empty", in: "", wantOK: false},
		{name: "blank", in: "   ", wantOK: false},
		{name: "unknown code", in: "ZZ", wantOK: false},
		{name: "numeric code", in: "032", wantOK: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := Alpha2(tt.in)
			if ok != tt.wantOK || got != tt.want {
				t.Errorf("Alpha2(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

// TestEnglandIsAnAliasUpstream pins the reason for this package: the wrapped
// library resolves the alias, Alpha2 must not.
func TestEnglandIsAnAliasUpstream(t *testing.T) {
	if got := countries.ByName("England"); got != countries.GBR {
		t.Fatalf("countries.ByName(England) = %v; the strictness test no longer covers an alias", got)
	}
	if _, ok := Alpha2("England"); ok {
		t.Fatal("Alpha2(England) resolved an alias")
	}
}

func TestAlpha3AndName(t *testing.T) {
	tests := []struct {
		name      string
		in        string
		wantA3    string
		wantName  string
		wantFound bool
	}{
		{name: "Argentina", in: "AR", wantA3: "ARG", wantName: "Argentina", wantFound: true},
		{name: "lower case", in: "gb", wantA3: "GBR", wantName: "United Kingdom", wantFound: true},
		{name: "alpha-3 is not alpha-2", in: "ARG", wantFound: false},
		{name: "name is not alpha-2", in: "Argentina", wantFound: false},
		{name: "unknown", in: "ZZ", wantFound: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a3, ok3 := Alpha3(tt.in)
			n, okn := Name(tt.in)
			if ok3 != tt.wantFound || okn != tt.wantFound || a3 != tt.wantA3 || n != tt.wantName {
				t.Errorf("Alpha3/Name(%q) = %q %v, %q %v; want %q, %q, %v",
					tt.in, a3, ok3, n, okn, tt.wantA3, tt.wantName, tt.wantFound)
			}
		})
	}
}

func TestIsAlpha2(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"AR", true}, {"ar", false}, {"ARG", false}, {"Argentina", false}, {"", false},
	}
	for _, tt := range tests {
		if got := IsAlpha2(tt.in); got != tt.want {
			t.Errorf("IsAlpha2(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

// TestEveryCodeRoundTrips checks that every code the tables accept resolves
// to itself through each of its three forms.
func TestEveryCodeRoundTrips(t *testing.T) {
	n := 0
	for a2 := range load().alpha3 {
		n++
		a3, _ := Alpha3(a2)
		name, _ := Name(a2)
		for _, in := range []string{a2, a3, name} {
			if got, ok := Alpha2(in); !ok || got != a2 {
				t.Errorf("Alpha2(%q) = %q, %v; want %q", in, got, ok, a2)
			}
		}
	}
	if n < 240 {
		t.Errorf("only %d countries loaded", n)
	}
}

func ExampleAlpha2() {
	for _, s := range []string{"ar", "ARG", "Argentina", "England"} {
		a2, ok := Alpha2(s)
		fmt.Printf("%s: %q %v\n", s, a2, ok)
	}
	// Output:
	// ar: "AR" true
	// ARG: "AR" true
	// Argentina: "AR" true
	// England: "" false
}

func BenchmarkAlpha2(b *testing.B) {
	b.ReportAllocs()
	b.Run("kyc", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			Alpha2("Argentina")
		}
	})
	// The peer: the wrapped library's own alias-matching lookup.
	b.Run("biter777.ByName", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = countries.ByName("Argentina").Alpha2()
		}
	})
}
