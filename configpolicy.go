package kyc

import (
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/kycsdk/kyc/internal/jsonconfig"
)

// LoadPolicy reads a permission policy from its JSON form (the
// "permissions" part of a tenant configuration, PolicySchema):
//
//	{"grants": {"tenant_aml_operator": ["dprofile_profile:read", "dprofile_profile:write"]},
//	 "read_only": ["tenant_watcher"]}
//
// The error is a *ConfigError naming every problem by its JSON path.
func LoadPolicy(data []byte) (*Policy, error) {
	p, problems := loadPolicy(data)
	if len(problems) > 0 {
		return nil, &ConfigError{Problems: problems}
	}
	return p, nil
}

func loadPolicy(raw jsontext.Value) (*Policy, []ConfigProblem) {
	if len(raw) == 0 {
		return nil, nil
	}
	if raw.Kind() == 'n' {
		return nil, []ConfigProblem{{Message: "is null: leave the key out for the default"}}
	}
	var doc policyDoc
	if err := jsonconfig.Decode(raw, &doc); err != nil {
		return nil, []ConfigProblem{problemOf("", err)}
	}
	known := map[Permission]bool{}
	for _, p := range operations() {
		known[p] = true
	}
	var problems []ConfigProblem
	if doc.Grants == nil {
		problems = append(problems, ConfigProblem{Path: "grants", Message: "is required: a policy without grants lets nobody do anything"})
	}
	for _, scope := range slices.Sorted(maps.Keys(doc.Grants)) {
		path := "grants." + scope
		if strings.TrimSpace(scope) == "" || !cleanName(scope) {
			problems = append(problems, ConfigProblem{Path: "grants", Message: "a scope name is empty or holds control characters or surrounding white space"})
			continue
		}
		for i, text := range doc.Grants[scope] {
			p, err := ParsePermission(text)
			switch {
			case err != nil:
				problems = append(problems, ConfigProblem{Path: path + "[" + strconv.Itoa(i) + "]", Message: "is not resource:read or resource:write"})
			case !known[p]:
				problems = append(problems, ConfigProblem{Path: path + "[" + strconv.Itoa(i) + "]", Message: "no operation needs this permission"})
			}
		}
	}
	for i, scope := range doc.ReadOnly {
		if strings.TrimSpace(scope) == "" || !cleanName(scope) {
			problems = append(problems, ConfigProblem{Path: "read_only[" + strconv.Itoa(i) + "]", Message: "a scope name is empty or holds control characters or surrounding white space"})
		}
	}
	if len(problems) > 0 {
		return nil, problems
	}
	p, err := NewPolicy(doc.Grants, doc.ReadOnly...)
	if err != nil {
		// The checks above are NewPolicy's: a difference is a bug here,
		// reported rather than hidden.
		return nil, []ConfigProblem{{Message: strings.TrimPrefix(err.Error(), ErrInvalidInput.Error()+": ")}}
	}
	return p, nil
}
