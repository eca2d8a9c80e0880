package httpapi

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kycsdk/kyc"
	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/storage/sqlstore"
)

// benchEnv is a Service on a SQLite file behind a real local server.
func benchEnv(b *testing.B) (*kyc.Service, *httptest.Server, string) {
	b.Helper()
	store, err := sqlstore.OpenSQLite(context.Background(), filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { store.Close() })
	svc, err := kyc.New(store, kycOptions())
	if err != nil {
		b.Fatal(err)
	}
	h, err := New(svc, testAuth, Options{})
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(h)
	b.Cleanup(srv.Close)
	p, err := profile.Decode([]byte(benchProfile))
	if err != nil {
		b.Fatal(err)
	}
	created, err := svc.Create(context.Background(), benchOp, p)
	if err != nil {
		b.Fatal(err)
	}
	return svc, srv, created.ID
}

var benchOp = kyc.Operator{Tenant: "acme", User: "sam", Scopes: []string{kyc.ScopeSupervisor}}

const benchProfile = `{"person_type":"natural_person","tax_payer_id":"20-12345678-9",
 "natural_person":{"name":{"first":"John","middle":"Q","last":"Doe"},"birth_date":315532800000,"nationality":"AR","is_employee":false},
 "contacts":[{"contact_type":"email","value":"john@example.com","main":true},{"contact_type":"mobile","value":"+5491112345678","main":true}],
 "addresses":[{"address_type":"personal","main":true,"country":"AR","state":"Buenos Aires","city":"CABA","street_name":"Corrientes","number":"1234","zip_code":"C1043"}],
 "labels":["retail"]}`

func send(b *testing.B, c *http.Client, r *http.Request) *http.Response {
	resp, err := c.Do(r)
	if err != nil {
		b.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp
}

// BenchmarkGet reads one profile through the handler with a local HTTP
// client, against Service.Get of the same profile in the same store.
func BenchmarkGet(b *testing.B) {
	svc, srv, id := benchEnv(b)
	ctx := context.Background()
	b.Run("service", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := svc.Get(ctx, benchOp, id); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("service-cancellable", func(b *testing.B) {
		// The Service call under a context that can be cancelled, as every
		// HTTP request's is: database/sql and the SQLite driver then watch
		// the context of each query (a goroutine each), which
		// context.Background() spares the plain reference.
		cctx, cancel := context.WithTimeout(ctx, time.Minute)
		defer cancel()
		b.ReportAllocs()
		for b.Loop() {
			if _, err := svc.Get(cctx, benchOp, id); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("handler-no-network", func(b *testing.B) {
		// The handler called in process with a recorder: the Service call
		// plus the handler's own work, without the round trip.
		h := srv.Config.Handler
		b.ReportAllocs()
		for b.Loop() {
			r := httptest.NewRequest("GET", "/profiles/"+id, nil)
			r.Header.Set("Authorization", "Bearer acme/sam/supervisor")
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if w.Code != 200 {
				b.Fatal(w.Code)
			}
		}
	})
	b.Run("http-floor", func(b *testing.B) {
		// The floor of any HTTP API on this machine: the same client and
		// server answering the same profile bytes with a handler that does
		// nothing else.
		p, err := svc.Get(ctx, benchOp, id)
		if err != nil {
			b.Fatal(err)
		}
		body, err := profile.Encode(p)
		if err != nil {
			b.Fatal(err)
		}
		floor := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.Write(body)
		}))
		defer floor.Close()
		c := floor.Client()
		b.ReportAllocs()
		for b.Loop() {
			r, _ := http.NewRequest("GET", floor.URL+"/profiles/"+id, nil)
			r.Header.Set("Authorization", "Bearer acme/sam/supervisor")
			if resp := send(b, c, r); resp.StatusCode != 200 {
				b.Fatal(resp.Status)
			}
		}
	})
	b.Run("http", func(b *testing.B) {
		c := srv.Client()
		b.ReportAllocs()
		for b.Loop() {
			r, _ := http.NewRequest("GET", srv.URL+"/profiles/"+id, nil)
			r.Header.Set("Authorization", "Bearer acme/sam/supervisor")
			if resp := send(b, c, r); resp.StatusCode != 200 {
				b.Fatal(resp.Status)
			}
		}
	})
}

// BenchmarkPatch changes one label through the handler (JSON Merge Patch
// with If-Match), against Service.Update of the same change on the profile
// already read, in the same store.
func BenchmarkPatch(b *testing.B) {
	svc, srv, id := benchEnv(b)
	ctx := context.Background()
	b.Run("service", func(b *testing.B) {
		p, err := svc.Get(ctx, benchOp, id)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			p.Labels = []string{"label-" + strconv.Itoa(i%2)}
			i++
			if p, err = svc.Update(ctx, benchOp, p, kyc.UpdateOptions{}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("http", func(b *testing.B) {
		p, err := svc.Get(ctx, benchOp, id)
		if err != nil {
			b.Fatal(err)
		}
		version := p.Version
		c := srv.Client()
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			body := fmt.Sprintf(`{"labels":["label-%d"]}`, i%2)
			i++
			r, _ := http.NewRequest("PATCH", srv.URL+"/profiles/"+id, strings.NewReader(body))
			r.Header.Set("Authorization", "Bearer acme/sam/supervisor")
			r.Header.Set("Content-Type", mediaMergePatch)
			r.Header.Set("If-Match", etag(version))
			resp := send(b, c, r)
			if resp.StatusCode != 200 {
				b.Fatal(resp.Status)
			}
			version++
		}
	})
}
