package ownership_test

import (
	"context"
	"fmt"

	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/profile/ownership"
)

func share(pct float64) profile.Object {
	return profile.Object{"ownership": map[string]any{"capital": map[string]any{"exact": pct}}}
}

func ExampleCompute() {
	g := ownership.MapGraph{
		"group": {ID: "group", PersonType: profile.LegalPerson, Relations: []profile.Relation{
			{ProfileID: "holding", Relationship: profile.RelationBusinessPartner, Extra: share(60)},
			{ProfileID: "ana", Relationship: profile.RelationBusinessPartner, Extra: share(10)},
			{ProfileID: "ceo", Relationship: profile.RelationLegalRepresentative},
		}},
		"holding": {ID: "holding", PersonType: profile.LegalPerson, Relations: []profile.Relation{
			{ProfileID: "ana", Relationship: profile.RelationBusinessPartner, Extra: share(50)},
			{ProfileID: "ben", Relationship: profile.RelationBusinessPartner, Extra: share(50)},
		}},
		"ana": {ID: "ana", PersonType: profile.NaturalPerson},
		"ben": {ID: "ben", PersonType: profile.NaturalPerson},
		"ceo": {ID: "ceo", PersonType: profile.NaturalPerson},
	}
	r, err := ownership.Compute(context.Background(), g, "group", ownership.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(r.Explain())
	// Output:
	// Beneficial owners of group (threshold 25% of capital or votes):
	//   ana is a beneficial owner: capital 40%, votes 40%
	//     group <- holding 60% <- ana 50% = 30%
	//     group <- ana 10% = 10%
	//   ben is a beneficial owner: capital 30%, votes 30%
	//     group <- holding 60% <- ben 50% = 30%
	//   ceo is a senior managing official
}
