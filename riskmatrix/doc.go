// Package riskmatrix assesses the risk of a digital profile from a
// parametrised, explainable risk matrix, and its transactional profile.
//
// Seed 003 (3.1.1) says a profile's risk "may be injected by an external
// system, or can be assessed from a given parametrization": this package is
// that parametrisation. A compliance team writes its methodology as a JSON
// matrix: ordered levels (low, medium, high as in seed 003, or low, medium,
// high, severe as in seed 002), factors that each turn one thing about the
// profile into a score (countries, person type, declarations, watchlist
// hits, activities, income and amount bands, relationship age, document
// validity, any profile path, or condition rules written in the workflow
// condition language over dprofile), an aggregation, thresholds from score
// to level, and overrides that force a minimum or exact level. A value the
// profile lacks scores the matrix's unknown score, never a silent zero.
//
// Start from Load, which validates the whole document and reports every
// problem with its JSON path, then call Matrix.Assess for each profile. The
// Assessment names the level, the score and every factor's value, score,
// weight and contribution, and the overrides that fired; it encodes to JSON
// for audit, explains itself as text (Assessment.Explain) and records
// itself on the profile (Assessment.Apply). Matrix.TransactionalProfile
// assesses the expected amount per month or year the same way.
//
// A Matrix is immutable once loaded and safe for concurrent use; profile
// paths and conditions are resolved and compiled by Load, so an assessment
// does no parsing. A Profile is not safe for concurrent mutation: do not
// Apply to a profile another goroutine reads.
package riskmatrix
