package kyc_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/kycsdk/kyc"
	"github.com/kycsdk/kyc/storage/memory"
)

// BenchmarkTenantResolve prices resolving an operator's tenant to its
// configuration once it is cached (ConfigVersion does only that), among
// 1,000 tenants, against the hand-written reference: a map of tenant to
// configuration under a sync.RWMutex, read in the same run.
func BenchmarkTenantResolve(b *testing.B) {
	ctx := context.Background()
	tenants := kyc.NewTenants(kyc.TenantsOptions{Unknown: kyc.RefuseUnknown})
	ref := map[string]*kyc.TenantConfig{}
	var mu sync.RWMutex
	names := make([]string, 1000)
	for i := range names {
		names[i] = fmt.Sprintf("tenant-%04d", i)
		c := loadTenantDoc(b, fmt.Sprintf(`{"version": "v%d"}`, i))
		tenants.Set(names[i], c)
		ref[names[i]] = c
	}
	svc := newService(b, memory.New(), func(o *kyc.Options) { o.Tenants = tenants })
	for _, n := range names {
		if _, err := svc.ConfigVersion(ctx, n); err != nil { // build and cache
			b.Fatal(err)
		}
	}
	b.Run("service", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			if _, err := svc.ConfigVersion(ctx, names[i%len(names)]); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
	b.Run("reference=rwmutex-map", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			mu.RLock()
			c := ref[names[i%len(names)]]
			mu.RUnlock()
			if c == nil {
				b.Fatal("missing")
			}
			i++
		}
	})
}
