package webhook_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kycsdk/kyc"
	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/storage/memory"
	"github.com/kycsdk/kyc/webhook"
)

// TestClientProfile: a tenant that asks for it gets the changed profile
// in seed 002's client shape with each event; another tenant gets events
// alone; a deleted profile goes as no profile.
func TestClientProfile(t *testing.T) {
	ctx := context.Background()
	store := memory.New()
	svc, err := kyc.New(store, kyc.Options{})
	if err != nil {
		t.Fatal(err)
	}
	acme := kyc.Operator{Tenant: "acme", User: "maria", Scopes: []string{kyc.ScopeSupervisor}}
	globex := kyc.Operator{Tenant: "globex", User: "joe", Scopes: []string{kyc.ScopeSupervisor}}
	for _, op := range []kyc.Operator{acme, globex} {
		p, err := svc.Create(ctx, op, &profile.Profile{PersonType: profile.LegalPerson, Name: "Araoz S.R.L.", TaxPayerID: "33-96669665-8"})
		if err != nil {
			t.Fatal(err)
		}
		if op.Tenant == "acme" {
			if err := svc.Delete(ctx, op, p.ID, kyc.DeleteOptions{Force: true, Reason: "test"}); err != nil {
				t.Fatal(err)
			}
		}
	}
	secret := webhook.NewSecret()
	var mu sync.Mutex
	got := map[string]webhook.Payload{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if _, err := webhook.Verify([]webhook.Secret{secret}, r.Header, body, time.Now(), 0); err != nil {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		var p webhook.Payload
		if err := json.Unmarshal(body, &p); err != nil {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		mu.Lock()
		got[p.Data.Tenant+" "+p.Data.Kind] = p
		mu.Unlock()
	}))
	defer srv.Close()
	sink := &webhook.HTTPSink{URL: srv.URL, Secrets: []webhook.Secret{secret},
		Profile: webhook.ClientProfile(svc, func(tenant string) (kyc.Operator, bool) { return acme, tenant == "acme" })}
	relay, err := webhook.NewRelay(store, sink, webhook.Options{Tenants: []string{"acme", "globex"}})
	if err != nil {
		t.Fatal(err)
	}
	if n, err := relay.RunOnce(ctx); err != nil || n != 3 {
		t.Fatalf("RunOnce = %d, %v; want 3", n, err)
	}
	if p := got["acme created"]; len(p.Profile) != 0 {
		t.Errorf("the created event of a profile deleted since carries %s", p.Profile)
	}
	if p := got["globex created"]; len(p.Profile) != 0 {
		t.Errorf("a tenant that did not ask got a profile: %s", p.Profile)
	}
	// A tenant that asks, with the profile still there.
	p, err := svc.Create(ctx, acme, &profile.Profile{PersonType: profile.LegalPerson, Name: "Bodega S.A.", TaxPayerID: "30-50001091-2"})
	if err != nil {
		t.Fatal(err)
	}
	if n, err := relay.RunOnce(ctx); err != nil || n != 1 {
		t.Fatalf("RunOnce = %d, %v; want 1", n, err)
	}
	doc := string(got["acme created"].Profile)
	if !strings.Contains(doc, "Bodega") || !strings.Contains(doc, p.ID) {
		t.Errorf("client shape %s lacks the name or the id", doc)
	}
}
