// Package fieldchange decides which edits of a verified customer need KYC
// re-verification: seed 000's "Client Profile Field Change Guide" as a
// Policy of rules over the profile's JSON paths.
//
// Start from Default (the seed's table and the rules below) or Load a
// tenant's policy from JSON; New builds one from Rules in Go. Policy.Check
// compares two versions of a profile field by field and returns a Report:
// every Change with its path, kind (Modified, Added, Removed) and the rule
// that matched, and ReverifyPaths, the paths that need re-verification.
// Lists whose elements have an identity (addresses by type, contacts by
// type and value, identity documents by type and number) are matched by it,
// so reordering a list is no change.
//
// The default policy (DefaultRules) is the seed 000 table, plus rules that
// go beyond it, each for a stated reason: moving the main e-mail or adding
// one as the main needs re-verification (one-time codes and notices go to
// it), and so does changing a legal person's name, tax payer id,
// constitution or foundation date (a legal person's identity is its name,
// registration and foundation, as a natural person's is the name, birth
// date and documents the table lists).
//
// A Policy is immutable once built and safe for concurrent use. Reports
// carry paths and rule names, never the values that changed.
package fieldchange
