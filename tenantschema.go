package kyc

import (
	"bytes"
	_ "embed"

	"github.com/kycsdk/kyc/entityprofile"
	"github.com/kycsdk/kyc/fieldchange"
	"github.com/kycsdk/kyc/review"
	"github.com/kycsdk/kyc/riskmatrix"
	"github.com/kycsdk/kyc/workflow"
)

var (
	//go:embed tenant.schema.json
	tenantSchema []byte
	//go:embed policy.schema.json
	policySchema []byte
)

// TenantConfigSchema returns the JSON Schema (draft 2020-12) of the
// tenant configuration document LoadTenantConfig reads, as published in
// the repository (tenant.schema.json). Its parts refer to the schemas of
// the packages that load them by relative paths ("workflow/workflow.schema.json"),
// which are the keys of Schemas. The schema checks the form; the loader
// also checks the meaning (states of the workflow, levels of the matrix).
// The slice is new on every call.
func TenantConfigSchema() []byte { return bytes.Clone(tenantSchema) }

// PolicySchema returns the JSON Schema of a permission policy document
// (LoadPolicy, the "permissions" part of a tenant configuration), as
// published in the repository (policy.schema.json).
func PolicySchema() []byte { return bytes.Clone(policySchema) }

// Schemas returns every published JSON Schema by its path in the
// repository, which is also its path relative to the tenant schema's
// $id: written out into one directory tree, the tenant schema's
// references resolve. The map and slices are new on every call.
func Schemas() map[string][]byte {
	return map[string][]byte{
		"tenant.schema.json":                      TenantConfigSchema(),
		"policy.schema.json":                      PolicySchema(),
		"workflow/workflow.schema.json":           workflow.Schema(),
		"riskmatrix/riskmatrix.schema.json":       riskmatrix.Schema(),
		"entityprofile/entityprofile.schema.json": entityprofile.Schema(),
		"fieldchange/fieldchange.schema.json":     fieldchange.Schema(),
		"review/review.schema.json":               review.Schema(),
	}
}
