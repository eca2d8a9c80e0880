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

// Page metadata follows the client API of seed 002.
func ExampleNewPageInfo() {
	info := storage.NewPageInfo(20, 0, 2)
	fmt.Printf("size %d, %d elements, %d page(s), page %d\n", info.Size, info.TotalElements, info.TotalPages, info.Number)
	// Output: size 20, 2 elements, 1 page(s), page 0
}
