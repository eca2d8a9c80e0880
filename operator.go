package kyc

import "slices"

// Operator is the person or application acting on the service: every call
// names one, nothing is done anonymously. Scopes reach workflow conditions as
// context.scope (seed 003, 3.3).
type Operator struct {
	Tenant string
	User   string
	Scopes []string
}

// HasScope reports whether the operator holds scope.
func (o Operator) HasScope(scope string) bool { return slices.Contains(o.Scopes, scope) }

func (o Operator) check() error {
	if o.Tenant == "" {
		return &OperatorError{Field: "tenant"}
	}
	if o.User == "" {
		return &OperatorError{Field: "user"}
	}
	return nil
}
