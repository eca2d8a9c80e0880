package storage

import "github.com/kycsdk/kyc/profile"

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
