package kyc

import (
	"cmp"
	"context"
	"fmt"
)

// tenantService is a tenant's Service, built from the configuration it
// was built for: when the registry holds another configuration, the
// Service is built again.
type tenantService struct {
	config *TenantConfig
	svc    *Service
}

// sharedOptions are the settings of opts that every tenant's Service
// shares with the Service New builds.
func sharedOptions(opts Options) Options {
	return Options{
		Ownership:       opts.Ownership,
		NoStoredDueWork: opts.NoStoredDueWork,
		Clock:           opts.Clock,
		IDs:             opts.IDs,
		Logger:          opts.Logger,
		OnEvent:         opts.OnEvent,
		MaxCommentBytes: opts.MaxCommentBytes,
	}
}

// resolve returns the Service that applies the rules of op's tenant: s
// itself without Options.Tenants or for a tenant using the defaults, else
// the tenant's Service, built once per configuration. A tenant that is
// refused, or whose configuration does not build, gets a Service that
// refuses every call (authorize returns the refusal) and touches nothing.
func (s *Service) resolve(ctx context.Context, op Operator) *Service {
	r := s.resolveTenant(ctx, op)
	if s.expect != 0 && r.expect != s.expect {
		return r.Expect(s.expect)
	}
	return r
}

// resolveTenant is resolve without the expected version of Expect.
func (s *Service) resolveTenant(ctx context.Context, op Operator) *Service {
	if s.tenants == nil {
		return s
	}
	c, err := s.tenants.resolve(ctx, op.Tenant)
	switch {
	case err != nil:
		return s.refusing(err)
	case c == nil:
		return s
	}
	if v, ok := s.built.Load(op.Tenant); ok && v.(*tenantService).config == c {
		return v.(*tenantService).svc
	}
	svc, err := s.forConfig(c)
	if err != nil {
		// Kept like a good one, so that the refusal is not rebuilt on
		// every call.
		svc = s.refusing(err)
	}
	// Two calls may build the same configuration at once: either result
	// applies the same rules, and the last stored is kept.
	s.built.Store(op.Tenant, &tenantService{config: c, svc: svc})
	return svc
}

// forConfig builds the Service of a tenant configuration over s's store,
// with s's shared settings.
func (s *Service) forConfig(c *TenantConfig) (*Service, error) {
	opts := c.Options()
	sh := s.shared
	opts.Ownership = cmp.Or(c.Ownership, sh.Ownership)
	opts.NoStoredDueWork, opts.Clock, opts.IDs = sh.NoStoredDueWork, sh.Clock, sh.IDs
	opts.Logger, opts.OnEvent, opts.MaxCommentBytes = sh.Logger, sh.OnEvent, sh.MaxCommentBytes
	opts.ConfigVersion = c.Version
	svc, err := New(s.store, opts)
	if err != nil {
		return nil, fmt.Errorf("%w: the tenant's configuration does not apply: %w", ErrNotConfigured, err)
	}
	return svc, nil
}

// refusing returns a copy of s that refuses every call with err: it has
// no registry of its own, so that nothing resolves past the refusal.
func (s *Service) refusing(err error) *Service {
	c := *s
	c.tenants, c.refusal = nil, err
	return &c
}

// ConfigVersion returns the version of the configuration the Service
// applies to tenant's calls, which its history entries record (for the
// Service's own Options, Options.ConfigVersion), or the refusal a call of
// that tenant gets.
func (s *Service) ConfigVersion(ctx context.Context, tenant string) (string, error) {
	r := s.resolve(ctx, Operator{Tenant: tenant})
	return r.config, r.refusal
}
