package kyc

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/kycsdk/kyc/profile"
)

// SearchEngine turns a query into a URL. Template holds one "{query}"
// placeholder, replaced by the URL-encoded query.
type SearchEngine struct {
	Name     string
	Template string
}

// DefaultSearchEngines returns the engines research queries are generated
// for when Options.SearchEngines is nil. The slice is new on every call, so
// that no caller can change the engines of every Service.
func DefaultSearchEngines() []SearchEngine {
	return []SearchEngine{
		{Name: "google", Template: "https://www.google.com/search?q={query}"},
		{Name: "bing", Template: "https://www.bing.com/search?q={query}"},
		{Name: "duckduckgo", Template: "https://duckduckgo.com/?q={query}"},
	}
}

// ResearchQuery is one web search suggested for a profile (seed 003, 3.5):
// what it looks for, the query text and its URL on each engine. No network
// call is ever made by the library; the caller opens the URLs.
type ResearchQuery struct {
	Purpose string            `json:"purpose"`
	Query   string            `json:"query"`
	URLs    map[string]string `json:"urls"`
}

// adverseKeywords are the adverse-media terms searched next to the name, by
// language. The language is chosen from the person's nationality or country.
var adverseKeywords = map[string][]string{
	"en": {"fraud", "money laundering", "corruption", "sanctions", "arrested"},
	"es": {"fraude", "lavado de dinero", "corrupción", "sanciones", "detenido"},
	"pt": {"fraude", "lavagem de dinheiro", "corrupção", "sanções", "preso"},
	"fr": {"fraude", "blanchiment", "corruption", "sanctions", "arrêté"},
	"de": {"Betrug", "Geldwäsche", "Korruption", "Sanktionen", "verhaftet"},
	"it": {"frode", "riciclaggio", "corruzione", "sanzioni", "arrestato"},
	"tr": {"dolandırıcılık", "kara para aklama", "yolsuzluk", "yaptırım", "tutuklandı"},
}

var languageByCountry = map[string]string{
	"AR": "es", "BO": "es", "CL": "es", "CO": "es", "CR": "es", "CU": "es",
	"DO": "es", "EC": "es", "ES": "es", "GT": "es", "HN": "es", "MX": "es",
	"NI": "es", "PA": "es", "PE": "es", "PY": "es", "SV": "es", "UY": "es",
	"VE": "es", "BR": "pt", "PT": "pt", "AO": "pt", "MZ": "pt", "FR": "fr",
	"BE": "fr", "LU": "fr", "MC": "fr", "DE": "de", "AT": "de", "CH": "de",
	"LI": "de", "IT": "it", "SM": "it", "TR": "tr",
}

// researchLanguage picks the language of the adverse-media keywords from the
// first known country of the profile; English when none is known.
func researchLanguage(p *profile.Profile) string {
	var candidates []string
	if np := p.NaturalPerson; np != nil {
		candidates = append(candidates, np.Nationality, np.IDCountry)
	}
	candidates = append(candidates, p.ResidenceCountry)
	for _, a := range p.Addresses {
		if a.Main {
			candidates = append(candidates, a.Country)
		}
	}
	for _, c := range candidates {
		if lang, ok := languageByCountry[strings.ToUpper(c)]; ok {
			return lang
		}
	}
	return "en"
}

// researchQueries builds the queries for a profile: the name with and without
// quotes, with the birth year, with the country, with adverse-media keywords,
// and for legal persons with their tax id.
func researchQueries(p *profile.Profile, engines []SearchEngine) []ResearchQuery {
	name := strings.TrimSpace(p.Name)
	if name == "" {
		return nil
	}
	quoted := strconv.Quote(name)
	var qs []ResearchQuery
	add := func(purpose, q string) {
		qs = append(qs, ResearchQuery{Purpose: purpose, Query: q, URLs: engineURLs(q, engines)})
	}
	add("name", name)
	add("exact name", quoted)
	if np := p.NaturalPerson; np != nil && np.BirthDate != nil {
		add("name and birth year", quoted+" "+strconv.Itoa(np.BirthDate.Time().Year()))
	}
	if country := researchCountry(p); country != "" {
		add("name and country", quoted+" "+country)
	}
	lang := researchLanguage(p)
	add("adverse media ("+lang+")", quoted+" ("+orTerms(adverseKeywords[lang])+")")
	if p.PersonType == profile.LegalPerson && p.TaxPayerID != "" {
		add("name and tax id", quoted+" "+strconv.Quote(p.TaxPayerID))
	}
	return qs
}

func researchCountry(p *profile.Profile) string {
	for _, a := range p.Addresses {
		if a.Main && a.Country != "" {
			return a.Country
		}
	}
	if p.ResidenceCountry != "" {
		return p.ResidenceCountry
	}
	if np := p.NaturalPerson; np != nil {
		return np.Nationality
	}
	return ""
}

func orTerms(terms []string) string {
	quoted := make([]string, len(terms))
	for i, t := range terms {
		if strings.Contains(t, " ") {
			t = strconv.Quote(t)
		}
		quoted[i] = t
	}
	return strings.Join(quoted, " OR ")
}

func engineURLs(q string, engines []SearchEngine) map[string]string {
	urls := make(map[string]string, len(engines))
	for _, e := range engines {
		urls[e.Name] = strings.ReplaceAll(e.Template, "{query}", url.QueryEscape(q))
	}
	return urls
}
