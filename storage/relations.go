package storage

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/kycsdk/kyc/profile"
)

// MaxRelationIDs bounds the ids of one RelationsOf or RelatedTo call, and
// the types of one RelatedTo call.
const MaxRelationIDs = 1000

// ProfileRelations is what RelationsOf returns of one profile: its id,
// person type and relations, as stored.
type ProfileRelations struct {
	ID         string
	PersonType profile.PersonType
	Relations  []profile.Relation
}

// RelationLink is one relation seen from the profile it points to: the
// profile From holds, among its relations, one of type Relationship whose
// profile_id is To (seed 003, 3.1.7).
type RelationLink struct {
	From         string
	To           string
	Relationship string
}

// CheckRelationIDs checks the arguments of RelationsOf and RelatedTo.
func CheckRelationIDs(tenant string, ids, types []string) error {
	if err := CheckID("tenant", tenant); err != nil {
		return err
	}
	if len(ids) > MaxRelationIDs || len(types) > MaxRelationIDs {
		return fmt.Errorf("%w: more than %d ids or types", ErrInvalid, MaxRelationIDs)
	}
	for _, id := range ids {
		if err := CheckID("id", id); err != nil {
			return err
		}
	}
	return nil
}

// SortLinks orders links as RelatedTo returns them and drops duplicates.
func SortLinks(links []RelationLink) []RelationLink {
	slices.SortFunc(links, func(a, b RelationLink) int {
		return cmp.Or(cmp.Compare(a.To, b.To), cmp.Compare(a.From, b.From), cmp.Compare(a.Relationship, b.Relationship))
	})
	return slices.Compact(links)
}
