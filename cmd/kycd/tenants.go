package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/kycsdk/kyc"
	"github.com/kycsdk/kyc/storage/driver"
)

// loadTenants reads a directory of tenant configurations, one
// <tenant>.json per tenant (kyc.LoadTenantConfig's format, see
// tenant.schema.json), into a registry. Every file is read before any
// answer: a bad one refuses the start with its path and every problem
// (JSON paths and kinds, never a value), and so does a directory without
// a configuration. unknown says what a tenant with no file gets: the
// server's own options ("defaults") or a refusal of every call
// ("refuse").
func loadTenants(dir, unknown string) (*kyc.Tenants, error) {
	opts := kyc.TenantsOptions{}
	switch unknown {
	case "defaults":
		opts.Unknown = kyc.UseDefaults
	case "refuse":
		opts.Unknown = kyc.RefuseUnknown
	default:
		return nil, fmt.Errorf("kycd: -unknown-tenants is defaults or refuse, not %q", unknown)
	}
	paths, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return nil, err
	}
	if len(paths) == 0 {
		return nil, fmt.Errorf("kycd: -tenants %s holds no <tenant>.json", dir)
	}
	tenants := kyc.NewTenants(opts)
	var errs []error
	for _, path := range paths {
		tenant := strings.TrimSuffix(filepath.Base(path), ".json")
		if driver.CheckID("tenant", tenant) != nil {
			errs = append(errs, fmt.Errorf("kycd: %s: the file name is not a tenant id the stores accept", path))
			continue
		}
		data, err := os.ReadFile(path)
		if err != nil {
			errs = append(errs, fmt.Errorf("kycd: %w", err))
			continue
		}
		c, err := kyc.LoadTenantConfig(data)
		if err != nil {
			errs = append(errs, fmt.Errorf("kycd: %s: %w", path, err))
			continue
		}
		tenants.Set(tenant, c)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return tenants, nil
}
