package webhook_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/kycsdk/kyc/storage"
	"github.com/kycsdk/kyc/storage/memory"
	"github.com/kycsdk/kyc/storage/sqlstore"
	"github.com/kycsdk/kyc/webhook"
)

// BenchmarkRelay measures delivery to a local HTTP receiver by one relay:
// one op is one event read from the feed, signed, posted and recorded.
// The reference posts the same events with the same HTTPSink straight,
// with no feed, position or lease: the ratio is what the relay adds to
// the HTTP round trip. events/s is reported.
func BenchmarkRelay(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) }))
	defer srv.Close()
	secret := webhook.NewSecret()
	sink := &webhook.HTTPSink{URL: srv.URL, Secrets: []webhook.Secret{secret}}
	ctx := context.Background()
	b.Run("reference-sink-only", func(b *testing.B) {
		st := memory.New()
		fill(b, st, "acme", 0, b.N)
		evs := readAll(b, st)
		b.ResetTimer()
		for _, ev := range evs {
			if err := sink.Deliver(ctx, "acme", ev); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
	})
	stores := map[string]func(b *testing.B) webhook.Store{
		"memory": func(*testing.B) webhook.Store { return memory.New() },
		"sqlite": func(b *testing.B) webhook.Store {
			s, err := sqlstore.OpenSQLite(ctx, filepath.Join(b.TempDir(), "kyc.db"))
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { s.Close() })
			return s
		},
	}
	for _, name := range []string{"memory", "sqlite"} {
		b.Run("relay-"+name, func(b *testing.B) {
			st := stores[name](b)
			fill(b, st.(storage.Store), "acme", 0, b.N)
			relay, err := webhook.NewRelay(st, sink, webhook.Options{Tenants: []string{"acme"}})
			if err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			if n, err := relay.RunOnce(ctx); err != nil || n != b.N {
				b.Fatalf("RunOnce = %d, %v", n, err)
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
		})
	}
}

func readAll(b *testing.B, st storage.Store) []storage.Event {
	var out []storage.Event
	var after int64
	for {
		evs, err := st.Changes(context.Background(), "acme", after, storage.MaxChanges)
		if err != nil {
			b.Fatal(err)
		}
		if len(evs) == 0 {
			return out
		}
		out = append(out, evs...)
		after = evs[len(evs)-1].Position
	}
}
