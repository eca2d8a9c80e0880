package driver

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/kycsdk/kyc/storage"
)

// CheckRelationIDs checks the arguments of RelationsOf and RelatedTo.
func CheckRelationIDs(tenant string, ids, types []string) error {
	if err := CheckID("tenant", tenant); err != nil {
		return err
	}
	if len(ids) > storage.MaxRelationIDs || len(types) > storage.MaxRelationIDs {
		return fmt.Errorf("%w: more than %d ids or types", storage.ErrInvalid, storage.MaxRelationIDs)
	}
	for _, id := range ids {
		if err := CheckID("id", id); err != nil {
			return err
		}
	}
	return nil
}

// SortLinks orders links as RelatedTo returns them and drops duplicates.
func SortLinks(links []storage.RelationLink) []storage.RelationLink {
	slices.SortFunc(links, func(a, b storage.RelationLink) int {
		return cmp.Or(cmp.Compare(a.To, b.To), cmp.Compare(a.From, b.From), cmp.Compare(a.Relationship, b.Relationship))
	})
	return slices.Compact(links)
}
