package ownership

import (
	"fmt"
	"maps"
	"slices"

	"github.com/kycsdk/kyc/profile"
)

// Carries says what a relation type carries.
type Carries struct {
	// Ownership: the related profile may hold a share of the profile that
	// carries the relation.
	Ownership bool
	// Control: the related profile may control it.
	Control bool
	// DefaultControl is the control kind a relation of the type has when
	// its Extra records none; empty means none.
	DefaultControl string
}

// Registry says which relation types carry ownership or control. Types it
// does not name carry neither, and stay valid relations (seed 003's
// guarantor, FINTRAC's family and work relationships of seed 000): the walk
// ignores them. A Registry is immutable: With returns a new one.
type Registry struct {
	types map[string]Carries
}

var defaultRegistry = &Registry{types: map[string]Carries{
	// Seed 003, 3.1.7: "the natural personas who have an economic
	// participation in it".
	profile.RelationBusinessPartner: {Ownership: true},
	// Seed 003, 3.1.7: "the people who can operate on their behalf": the
	// person with significant responsibility to manage (31 CFR
	// 1010.230(d)(2)), a senior managing official (AMLR Art. 22) unless
	// the relation says otherwise.
	profile.RelationLegalRepresentative: {Control: true, DefaultControl: ControlSeniorManagingOfficial},
}}

// DefaultRegistry returns the registry of the seed's types: business_partner
// carries ownership; legal_representative carries control, senior managing
// official by default. Every other type carries neither.
func DefaultRegistry() *Registry { return defaultRegistry }

// With returns a registry holding r's entries and t carrying c (replacing
// an entry for t), as a tenant that adds "shareholder" or "director" types
// to its relation types registers what they mean here. r is unchanged.
func (r *Registry) With(t string, c Carries) (*Registry, error) {
	if _, err := (&profile.RelationTypes{}).With(t); err != nil {
		return nil, fmt.Errorf("%w: %q is not a snake_case key", ErrRelationType, safeKey(t))
	}
	if c.DefaultControl != "" && (!c.Control || !controlKinds[c.DefaultControl]) {
		return nil, fmt.Errorf("%w: default control kind of %q must be a known kind on a type that carries control", ErrRelationType, t)
	}
	out := &Registry{types: make(map[string]Carries, r.Len()+1)}
	if r != nil {
		maps.Copy(out.types, r.types)
	}
	out.types[t] = c
	return out, nil
}

// Carries returns what relation type t carries; a nil registry is the
// default one.
func (r *Registry) Carries(t string) Carries {
	if r == nil {
		r = defaultRegistry
	}
	return r.types[t]
}

// Len returns the number of types that carry ownership or control.
func (r *Registry) Len() int {
	if r == nil {
		return 0
	}
	return len(r.types)
}

// Types returns the relation types that carry ownership or control, sorted.
func (r *Registry) Types() []string {
	if r == nil {
		r = defaultRegistry
	}
	return slices.Sorted(maps.Keys(r.types))
}
