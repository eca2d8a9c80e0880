package entityprofile

import (
	"bytes"
	_ "embed"
)

//go:embed reference/recipes.json
var referenceRecipesJSON []byte

var referenceRecipes = func() *Registry {
	r, err := LoadBytes(referenceRecipesJSON)
	if err != nil {
		panic(err) // the reference document is tested; this cannot happen
	}
	return r
}()

// ReferenceRecipes returns an example set of recipes: seed 001's
// safe_harbour (two name matches, one address, one date of birth;
// screening, and adverse media at high risk), a simplified "standard" and
// an "enhanced" recipe, assigned automatically (legal persons none, high
// risk enhanced, Australian residents safe_harbour, others standard). It
// is an example of the format, not advice: the checks, ageing and minimums
// are illustrations, and a tenant supplies its own.
func ReferenceRecipes() *Registry { return referenceRecipes }

// ReferenceRecipesJSON returns the document of ReferenceRecipes
// (entityprofile/reference/ in the repository), a starting point to edit.
// The slice is new on every call.
func ReferenceRecipesJSON() []byte { return bytes.Clone(referenceRecipesJSON) }
