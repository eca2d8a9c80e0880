package httpapi

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kycsdk/kyc"
	"github.com/kycsdk/kyc/internal/pgtest"
	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/storage"
	"github.com/kycsdk/kyc/storage/sqlstore"
)

// TestMain stops the throwaway PostgreSQL server the benchmarks may start
// (pgtest.DSN).
func TestMain(m *testing.M) { pgtest.Main(m) }

// benchStore is a store the HTTP benchmarks run on.
type benchStore struct {
	name string
	open func(b *testing.B) storage.Store
}

// benchStores are a SQLite file and, with KYC_BENCH_POSTGRES set, a fresh
// database on pgtest's throwaway PostgreSQL server (a unix socket, fsync
// off) or on KYC_TEST_POSTGRES_DSN: the store a served deployment uses,
// where every Service call is a round trip to the server.
func benchStores() []benchStore {
	stores := []benchStore{{"sqlite", func(b *testing.B) storage.Store {
		st, err := sqlstore.OpenSQLite(context.Background(), filepath.Join(b.TempDir(), "bench.db"))
		if err != nil {
			b.Fatal(err)
		}
		return st
	}}}
	if os.Getenv("KYC_BENCH_POSTGRES") == "" {
		return stores
	}
	return append(stores, benchStore{"postgres", func(b *testing.B) storage.Store {
		st, err := sqlstore.OpenPostgres(context.Background(), pgtest.DSN(b))
		if err != nil {
			b.Fatal(err)
		}
		return st
	}})
}

// benchEnv is a Service on store behind a real local server, with one
// profile created.
func benchEnv(b *testing.B, store storage.Store) (*kyc.Service, *httptest.Server, string) {
	b.Helper()
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

// floorServer is the floor of any HTTP API on this machine: the same
// client and server answering body with a handler that does nothing else.
func floorServer(b *testing.B, body []byte) *httptest.Server {
	floor := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		w.Write(body)
	}))
	b.Cleanup(floor.Close)
	return floor
}

// BenchmarkGet reads one profile through the handler with a local HTTP
// client, against Service.Get of the same profile in the same store and
// the loopback floor, in the same run, on each store of benchStores.
func BenchmarkGet(b *testing.B) {
	for _, st := range benchStores() {
		b.Run(st.name, func(b *testing.B) { benchGet(b, st.open(b)) })
	}
}

func benchGet(b *testing.B, store storage.Store) {
	svc, srv, id := benchEnv(b, store)
	ctx := context.Background()
	// cctx can be cancelled, as every HTTP request's context can:
	// database/sql and the drivers then watch the context of each query
	// (on SQLite a goroutine each), which context.Background() spares the
	// plain reference.
	cctx, cancel := context.WithTimeout(ctx, time.Hour)
	defer cancel()
	b.Run("service", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := svc.Get(ctx, benchOp, id); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("service-cancellable", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := svc.Get(cctx, benchOp, id); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("getjson-cancellable", func(b *testing.B) {
		// The Service call the handler makes: the stored JSON and its
		// version, under a cancellable context.
		b.ReportAllocs()
		for b.Loop() {
			if _, _, err := svc.GetJSON(cctx, benchOp, id); err != nil {
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
		body, _, err := svc.GetJSON(ctx, benchOp, id)
		if err != nil {
			b.Fatal(err)
		}
		floor := floorServer(b, body)
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
// already read, in the same store, and the loopback floor of the same
// request, in the same run, on each store of benchStores.
func BenchmarkPatch(b *testing.B) {
	for _, st := range benchStores() {
		b.Run(st.name, func(b *testing.B) { benchPatch(b, st.open(b)) })
	}
}

func benchPatch(b *testing.B, store storage.Store) {
	svc, srv, id := benchEnv(b, store)
	ctx := context.Background()
	patch := func(url string, i, version int) *http.Request {
		body := fmt.Sprintf(`{"labels":["label-%d"]}`, i%2)
		r, _ := http.NewRequest("PATCH", url+"/profiles/"+id, strings.NewReader(body))
		r.Header.Set("Authorization", "Bearer acme/sam/supervisor")
		r.Header.Set("Content-Type", mediaMergePatch)
		r.Header.Set("If-Match", etag(version))
		return r
	}
	update := func(b *testing.B, ctx context.Context) {
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
	}
	b.Run("service", func(b *testing.B) { update(b, ctx) })
	b.Run("service-cancellable", func(b *testing.B) {
		// Update under a context that can be cancelled, as the handler's
		// is: on SQLite the write's transaction and each of its
		// statements are watched.
		cctx, cancel := context.WithTimeout(ctx, time.Hour)
		defer cancel()
		update(b, cctx)
	})
	b.Run("http-floor", func(b *testing.B) {
		body, version, err := svc.GetJSON(ctx, benchOp, id)
		if err != nil {
			b.Fatal(err)
		}
		floor := floorServer(b, body)
		c := floor.Client()
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			if resp := send(b, c, patch(floor.URL, i, version)); resp.StatusCode != 200 {
				b.Fatal(resp.Status)
			}
			i++
		}
	})
	b.Run("http", func(b *testing.B) {
		_, version, err := svc.GetJSON(ctx, benchOp, id)
		if err != nil {
			b.Fatal(err)
		}
		c := srv.Client()
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			if resp := send(b, c, patch(srv.URL, i, version)); resp.StatusCode != 200 {
				b.Fatal(resp.Status)
			}
			i++
			version++
		}
	})
}
