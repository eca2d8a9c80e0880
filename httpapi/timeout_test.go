package httpapi

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/kycsdk/kyc"
	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/storage"
	"github.com/kycsdk/kyc/storage/memory"
)

// stuckStore is a store whose reads hang until their context ends, as a
// database that stopped answering does.
type stuckStore struct{ *memory.Store }

func (s stuckStore) GetProfile(ctx context.Context, tenant, id string) (*profile.Profile, error) {
	<-ctx.Done()
	return nil, ctx.Err()
}

func (s stuckStore) GetRecord(ctx context.Context, tenant, id string) (storage.Record, error) {
	<-ctx.Done()
	return storage.Record{}, ctx.Err()
}

func (s stuckStore) GetJSON(ctx context.Context, tenant, id string) ([]byte, int, error) {
	<-ctx.Done()
	return nil, 0, ctx.Err()
}

// TestTimeout: a request whose work outlasts Options.Timeout is answered
// with a 503 timeout problem when the time is up, not when the store wakes.
func TestTimeout(t *testing.T) {
	svc, err := kyc.New(stuckStore{memory.New()}, kycOptions())
	if err != nil {
		t.Fatal(err)
	}
	h, err := New(svc, testAuth, Options{Timeout: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	req, _ := http.NewRequest("GET", srv.URL+"/profiles/p1", nil)
	req.Header.Set("Authorization", "Bearer acme/sam/supervisor")
	start := time.Now()
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Content-Type") != mediaProblem {
		t.Fatalf("%d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("answered after %v", d)
	}
}
