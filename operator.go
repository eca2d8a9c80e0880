package kyc

import "github.com/kycsdk/kyc/workflow"

// Operator is the person or application acting on the service: every call
// names one, nothing is done anonymously. It is workflow.Operator, the one
// definition, so that the operator a call names is the one its workflow
// conditions read: scopes as context.scope, the user as context.user and
// the tenant as context.tenant (seed 003, 3.3).
type Operator = workflow.Operator

// checkOperator refuses an operator without a tenant or a user.
func checkOperator(o Operator) error {
	if o.Tenant == "" {
		return &OperatorError{Field: "tenant"}
	}
	if o.User == "" {
		return &OperatorError{Field: "user"}
	}
	return nil
}
