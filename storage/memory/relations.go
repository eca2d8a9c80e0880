package memory

import (
	"context"
	"encoding/json"
	"slices"

	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/storage"
	"github.com/kycsdk/kyc/storage/driver"
)

// storedRelations returns the relations of p as the store keeps them: a
// copy that shares nothing with p, with the numbers of Extra as the JSON
// decoding gives them (json.Number), as every store returns them.
func storedRelations(p *profile.Profile) []profile.Relation {
	if len(p.Relations) == 0 {
		return nil
	}
	out := copyRelations(p.Relations)
	for i := range out {
		if out[i].Extra == nil {
			continue
		}
		b, err := json.Marshal(out[i].Extra)
		var o profile.Object
		if err == nil && o.UnmarshalJSON(b) == nil {
			out[i].Extra = o
		}
	}
	return out
}

// copyRelations copies relations deeply, as Profile.Clone copies them;
// none is an empty list, not nil.
func copyRelations(rels []profile.Relation) []profile.Relation {
	if rels == nil {
		return []profile.Relation{}
	}
	return (&profile.Profile{Relations: rels}).Clone().Relations
}

// index updates the tenant's reverse index of relations from old (nil for
// a create) to new (nil for a delete).
func (t *tenant) index(id string, old, new []profile.Relation) {
	for _, r := range old {
		l := storage.RelationLink{From: id, To: r.ProfileID, Relationship: r.Relationship}
		set := t.related[r.ProfileID]
		if set[l]--; set[l] <= 0 {
			delete(set, l)
		}
		if len(set) == 0 {
			delete(t.related, r.ProfileID)
		}
	}
	for _, r := range new {
		l := storage.RelationLink{From: id, To: r.ProfileID, Relationship: r.Relationship}
		set := t.related[r.ProfileID]
		if set == nil {
			set = make(map[storage.RelationLink]int)
			t.related[r.ProfileID] = set
		}
		set[l]++
	}
}

// RelationsOf implements storage.Store.
func (s *Store) RelationsOf(ctx context.Context, tenantName string, ids []string) ([]storage.ProfileRelations, error) {
	const op = "relations of"
	if err := driver.CheckRelationIDs(tenantName, ids, nil); err != nil {
		return nil, driver.Wrap(op, "", err)
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.begin(ctx, op, ""); err != nil {
		return nil, err
	}
	out := make([]storage.ProfileRelations, 0, len(ids))
	for _, id := range ids {
		r := s.lookup(tenantName, id)
		if r == nil {
			continue
		}
		out = append(out, storage.ProfileRelations{ID: id, PersonType: r.personType, Relations: copyRelations(r.relations)})
	}
	return out, nil
}

// RelatedTo implements storage.Store.
func (s *Store) RelatedTo(ctx context.Context, tenantName string, ids, types []string) ([]storage.RelationLink, error) {
	const op = "related to"
	if err := driver.CheckRelationIDs(tenantName, ids, types); err != nil {
		return nil, driver.Wrap(op, "", err)
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.begin(ctx, op, ""); err != nil {
		return nil, err
	}
	t := s.tenants[tenantName]
	out := []storage.RelationLink{}
	if t == nil {
		return out, nil
	}
	for _, id := range ids {
		for l := range t.related[id] {
			if len(types) == 0 || slices.Contains(types, l.Relationship) {
				out = append(out, l)
			}
		}
	}
	return driver.SortLinks(out), nil
}
