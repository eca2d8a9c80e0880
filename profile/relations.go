package profile

import (
	"fmt"
	"maps"
	"slices"
)

// Relation types of seed 003, section 3.1.7: the defaults every tenant has.
const (
	RelationBusinessPartner     = "business_partner"
	RelationGuarantor           = "guarantor"
	RelationLegalRepresentative = "legal_representative"
)

// seedRelationTypes are seed 003's defaults (3.1.7).
var seedRelationTypes = []string{
	RelationBusinessPartner,
	RelationGuarantor,
	RelationLegalRepresentative,
}

// fintracRelationTypes are the relationship types of FINTRAC's suspicious
// transaction report (STR) guide, which seed 000 requires us to track
// ("Relationships"), as snake_case keys. "business partner" is also a seed
// 003 default.
var fintracRelationTypes = []string{
	"accountant", "agent", "borrower", "brother", "business_partner",
	"co_worker", "common_law_partner", "employee", "employer", "father",
	"friend", "mother", "other", "sister", "spouse", "student",
}

// RelationTypes is a registry of the relationship types a Relation may use.
// It is immutable: With returns a new registry, so one registry can be
// shared by every goroutine and every tenant that uses it.
type RelationTypes struct {
	types map[string]struct{}
}

var defaultRelationTypes = mustRelationTypes(append(slices.Clone(seedRelationTypes), fintracRelationTypes...))

func mustRelationTypes(keys []string) *RelationTypes {
	r, err := (&RelationTypes{}).With(keys...)
	if err != nil {
		panic(err) // the built-in keys are snake_case: a programming error
	}
	return r
}

// DefaultRelationTypes returns the registry of seed 003's default types
// (business_partner, guarantor, legal_representative) and FINTRAC's STR
// relationship types (accountant, agent, borrower, brother, co_worker,
// common_law_partner, employee, employer, father, friend, mother, other,
// sister, spouse, student).
func DefaultRelationTypes() *RelationTypes { return defaultRelationTypes }

// With returns a registry holding r's types and the given ones, as a tenant
// extends the enumeration (seed 003, 3.1.7). Keys are snake_case: lower-case
// ASCII letters and digits separated by single underscores. r is unchanged.
func (r *RelationTypes) With(types ...string) (*RelationTypes, error) {
	out := &RelationTypes{types: make(map[string]struct{}, r.Len()+len(types))}
	if r != nil {
		maps.Copy(out.types, r.types)
	}
	for _, t := range types {
		if !isSnakeCase(t) {
			return nil, fmt.Errorf("%w: %q is not a snake_case key", ErrRelationType, shortKey(t))
		}
		out.types[t] = struct{}{}
	}
	return out, nil
}

// Has reports whether t is a registered relationship type. A nil registry
// holds none.
func (r *RelationTypes) Has(t string) bool {
	if r == nil {
		return false
	}
	_, ok := r.types[t]
	return ok
}

// Len returns the number of registered types.
func (r *RelationTypes) Len() int {
	if r == nil {
		return 0
	}
	return len(r.types)
}

// Types returns the registered types in sorted order.
func (r *RelationTypes) Types() []string {
	if r == nil {
		return nil
	}
	return slices.Sorted(maps.Keys(r.types))
}

func isSnakeCase(s string) bool {
	if s == "" || s[0] == '_' || s[len(s)-1] == '_' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		case c == '_' && s[i-1] != '_':
		default:
			return false
		}
	}
	return true
}
