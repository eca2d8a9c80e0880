package condition_test

import (
	"fmt"

	"github.com/kycsdk/kyc/internal/condition"
)

func ExampleCompile() {
	e, err := condition.Compile(
		"dprofile.blacklists_checked_at != None and dprofile.risk != None and dprofile.open_cases == 0",
		condition.Options{Roots: []string{"dprofile", "context"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	env := condition.MapEnv{"dprofile": map[string]any{"blacklists_checked_at": 1624649377278, "open_cases": 0}}
	ok, err := e.Truth(env)
	fmt.Println(ok, err)
	env["dprofile"].(map[string]any)["risk"] = "low"
	ok, err = e.Truth(env)
	fmt.Println(ok, err)

	_, err = condition.Compile("dprofile.labels[0]", condition.Options{Roots: []string{"dprofile"}})
	fmt.Println(err)
	// Output:
	// false <nil>
	// true <nil>
	// condition: syntax error at column 16: subscripts are not supported
}
