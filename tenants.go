package kyc

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"sync"
	"sync/atomic"
)

// UnknownTenant says what a Service does for an operator whose tenant has
// no configuration in its Tenants.
type UnknownTenant uint8

const (
	// UseDefaults applies the Service's own Options to such a tenant. It
	// is the default.
	UseDefaults UnknownTenant = iota
	// RefuseUnknown refuses every call of such a tenant with
	// ErrUnknownTenant, changing nothing.
	RefuseUnknown
)

// TenantsOptions configure a Tenants registry.
type TenantsOptions struct {
	// Load, when set, is asked for the configuration of a tenant the
	// registry does not hold, once: what it returns is kept (Set) and
	// used from then on. It returns (nil, nil) for a tenant without a
	// configuration, which Unknown then decides; an error refuses the
	// call and is asked again on the next one. It must be safe for
	// concurrent use; calls for one tenant are not concurrent.
	Load func(ctx context.Context, tenant string) (*TenantConfig, error)
	// Unknown is what happens to a tenant without a configuration;
	// default UseDefaults.
	Unknown UnknownTenant
}

// Tenants maps tenant ids to their configurations: the registry a
// Service with Options.Tenants resolves each operator's tenant in. Set
// and Remove take effect atomically: a call already running keeps the
// configuration it started with, the next call uses the new one. A
// Tenants is safe for concurrent use and may be shared by several
// Services.
type Tenants struct {
	// configs is replaced whole on every change (copy on write), so that
	// a lookup is one atomic load and one map read, without a lock.
	configs atomic.Pointer[map[string]*TenantConfig]
	// mu serialises the writers; loading guards the loader per tenant.
	mu      sync.Mutex
	loading sync.Map // tenant -> *sync.Mutex
	load    func(ctx context.Context, tenant string) (*TenantConfig, error)
	unknown UnknownTenant
}

// NewTenants returns an empty registry.
func NewTenants(opts TenantsOptions) *Tenants {
	t := &Tenants{load: opts.Load, unknown: opts.Unknown}
	t.configs.Store(&map[string]*TenantConfig{})
	return t
}

// Set makes c the configuration of tenant, replacing any other. A nil c
// is Remove.
func (t *Tenants) Set(tenant string, c *TenantConfig) {
	t.update(func(m map[string]*TenantConfig) {
		if c == nil {
			delete(m, tenant)
			return
		}
		m[tenant] = c
	})
}

// SetJSON loads doc (LoadTenantConfig) and makes it tenant's
// configuration. A document with any problem is refused whole: the error
// is LoadTenantConfig's and the tenant keeps the configuration it had.
func (t *Tenants) SetJSON(tenant string, doc []byte) (*TenantConfig, error) {
	c, err := LoadTenantConfig(doc)
	if err != nil {
		return nil, err
	}
	t.Set(tenant, c)
	return c, nil
}

// Remove forgets tenant's configuration; its next call is an unknown
// tenant's (and asks the loader again, when there is one).
func (t *Tenants) Remove(tenant string) { t.Set(tenant, nil) }

func (t *Tenants) update(fn func(map[string]*TenantConfig)) {
	t.mu.Lock()
	defer t.mu.Unlock()
	next := maps.Clone(*t.configs.Load())
	fn(next)
	t.configs.Store(&next)
}

// Get returns tenant's configuration as the registry holds it, without
// asking the loader.
func (t *Tenants) Get(tenant string) (*TenantConfig, bool) {
	c, ok := (*t.configs.Load())[tenant]
	return c, ok
}

// Len returns the number of tenants with a configuration.
func (t *Tenants) Len() int { return len(*t.configs.Load()) }

// resolve returns tenant's configuration: the registry's, else the
// loader's (kept), else nil for the defaults or ErrUnknownTenant.
func (t *Tenants) resolve(ctx context.Context, tenant string) (*TenantConfig, error) {
	if c, ok := (*t.configs.Load())[tenant]; ok {
		return c, nil
	}
	if t.load != nil {
		c, err := t.loadOnce(ctx, tenant)
		if err != nil {
			return nil, err
		}
		if c != nil {
			return c, nil
		}
	}
	if t.unknown == RefuseUnknown {
		return nil, ErrUnknownTenant
	}
	return nil, nil
}

// loadOnce asks the loader for tenant, one call at a time per tenant, so
// that a burst of first calls loads the configuration once.
func (t *Tenants) loadOnce(ctx context.Context, tenant string) (*TenantConfig, error) {
	mu, _ := t.loading.LoadOrStore(tenant, &sync.Mutex{})
	mu.(*sync.Mutex).Lock()
	defer mu.(*sync.Mutex).Unlock()
	if c, ok := (*t.configs.Load())[tenant]; ok {
		return c, nil // loaded while this call waited
	}
	c, err := t.load(ctx, tenant)
	if err != nil {
		// The loader's error may say anything; the call gets the kind.
		var ce *ConfigError
		if errors.As(err, &ce) {
			return nil, fmt.Errorf("%w: the tenant's configuration does not load: %w", ErrNotConfigured, err)
		}
		return nil, fmt.Errorf("%w: the tenant's configuration could not be loaded: %w", ErrNotConfigured, err)
	}
	if c != nil {
		t.Set(tenant, c)
	}
	return c, nil
}
