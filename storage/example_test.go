package storage_test

import (
	"fmt"

	"github.com/kycsdk/kyc/storage"
)

// Text filters match without regard to case or accents: adapters store the
// folded name and compare it with the folded filter.
func ExampleFold() {
	fmt.Println(storage.Fold("Canay ÖZEL"))
	fmt.Println(storage.Fold("ozel") == storage.Fold("Özel"))
	// Output:
	// canay ozel
	// true
}
