package country

import (
	"strings"
	"sync"

	"github.com/biter777/countries"
)

// withdrawn lists codes the wrapped library still knows but ISO 3166-1 has
// withdrawn: AN (Netherlands Antilles) was split up in 2010, so a new
// profile must not use it.
var withdrawn = map[string]bool{"AN": true}

type tables struct {
	byKey  map[string]string // upper-case alpha-2, alpha-3 or name -> alpha-2
	alpha3 map[string]string // alpha-2 -> alpha-3
	name   map[string]string // alpha-2 -> English name
}

var load = sync.OnceValue(func() *tables {
	all := countries.All()
	t := &tables{
		byKey:  make(map[string]string, 3*len(all)),
		alpha3: make(map[string]string, len(all)),
		name:   make(map[string]string, len(all)),
	}
	for _, c := range all {
		a2 := c.Alpha2()
		if !c.IsValid() || withdrawn[a2] || len(a2) != 2 {
			continue
		}
		t.byKey[a2] = a2
		t.byKey[strings.ToUpper(c.Alpha3())] = a2
		t.byKey[strings.ToUpper(c.String())] = a2
		// The usual spellings, so that they resolve without a copy.
		t.byKey[c.String()] = a2
		t.byKey[strings.ToLower(a2)] = a2
		t.byKey[strings.ToLower(c.Alpha3())] = a2
		t.alpha3[a2] = c.Alpha3()
		t.name[a2] = c.String()
	}
	return t
})

// Alpha2 returns the ISO 3166-1 alpha-2 code (upper case) of s, which may be
// an alpha-2 code, an alpha-3 code or the exact English name of a country,
// in any case and with surrounding space ignored: "ar", "ARG" and
// "Argentina" all give "AR". Aliases are not guessed: "England" is not a
// country and reports false.
func Alpha2(s string) (string, bool) {
	t := load()
	// Stored values and the usual spellings are keys as they are.
	if a2, ok := t.byKey[s]; ok {
		return a2, true
	}
	key := strings.ToUpper(strings.TrimSpace(s))
	if key == "" {
		return "", false
	}
	a2, ok := t.byKey[key]
	return a2, ok
}

// Alpha3 returns the ISO 3166-1 alpha-3 code of an alpha-2 code (in any
// case), or false when alpha2 is not a current alpha-2 code.
func Alpha3(alpha2 string) (string, bool) {
	a3, ok := load().alpha3[strings.ToUpper(strings.TrimSpace(alpha2))]
	return a3, ok
}

// Name returns the English name of an alpha-2 code (in any case), or false
// when alpha2 is not a current alpha-2 code.
func Name(alpha2 string) (string, bool) {
	n, ok := load().name[strings.ToUpper(strings.TrimSpace(alpha2))]
	return n, ok
}

// IsAlpha2 reports whether s is exactly a current alpha-2 code in upper
// case, the stored form of a country.
func IsAlpha2(s string) bool {
	a2, ok := load().byKey[s]
	return ok && a2 == s
}
