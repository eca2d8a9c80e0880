package entityprofile_test

import (
	"fmt"

	"github.com/kycsdk/kyc/entityprofile"
	"github.com/kycsdk/kyc/profile"
)

// The reference recipes are an example, not advice. An Australian
// resident is assigned seed 001's safe_harbour.
func ExampleReferenceRecipes() {
	r := entityprofile.ReferenceRecipes()
	fmt.Println(r.Names())
	name, err := r.Choose(&profile.Profile{PersonType: profile.NaturalPerson, ResidenceCountry: "AU"})
	fmt.Println(name, err)
	// Output:
	// [safe_harbour standard enhanced]
	// safe_harbour <nil>
}
