package driver_test

import (
	"fmt"

	"github.com/kycsdk/kyc/storage/driver"
)

// Page metadata follows the client API of seed 002.
func ExampleNewPageInfo() {
	info := driver.NewPageInfo(20, 0, 2)
	fmt.Printf("size %d, %d elements, %d page(s), page %d\n", info.Size, info.TotalElements, info.TotalPages, info.Number)
	// Output: size 20, 2 elements, 1 page(s), page 0
}
