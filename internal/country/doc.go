// Package country is a strict wrapper over github.com/biter777/countries for
// ISO 3166-1 country codes.
//
// The profile stores countries as ISO 3166-1 alpha-2 and accepts alpha-2,
// alpha-3 or the exact English name in any case (DESIGN.md, "The profile").
// The wrapped library's ByName also matches aliases and transliterations
// ("England" gives GBR, "Argentinien" gives ARG); this package does not: an
// input resolves only when it equals, ignoring case and surrounding space, a
// country's alpha-2 code, alpha-3 code or English name.
//
// Start from Alpha2. The lookup tables are built once, on first use, and are
// read-only afterwards: every function is safe for concurrent use.
package country
