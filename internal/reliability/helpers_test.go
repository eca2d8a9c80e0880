package reliability

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/kycsdk/kyc"
	"github.com/kycsdk/kyc/history"
	"github.com/kycsdk/kyc/internal/pgtest"
	"github.com/kycsdk/kyc/internal/testsource"
	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/storage"
	"github.com/kycsdk/kyc/storage/memory"
	"github.com/kycsdk/kyc/storage/sqlstore"
)

var (
	maker = kyc.Operator{Tenant: "tenant-a", User: "maker", Scopes: []string{"tenant_aml_operator"}}
)

// backend names a Store constructor; each test that promises something of
// every adapter runs on all of them.
type backend struct {
	name string
	open func(t *testing.T) storage.Store
}

func backends() []backend {
	return []backend{
		{"memory", func(t *testing.T) storage.Store { return memory.New() }},
		{"sqlite", openSQLite},
		{"postgres", openPostgres},
	}
}

func openSQLite(t *testing.T) storage.Store {
	t.Helper()
	st, err := sqlstore.OpenSQLite(context.Background(), filepath.Join(t.TempDir(), "kyc.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func openPostgres(t *testing.T) storage.Store {
	t.Helper()
	st, err := sqlstore.OpenPostgres(context.Background(), pgtest.DSN(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// newService returns a Service over store with a deterministic clock and
// ids, and opts applied.
func newService(t testing.TB, store storage.Store, opts ...func(*kyc.Options)) *kyc.Service {
	t.Helper()
	o := kyc.Options{Clock: testsource.NewClock(time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC), time.Second).Now, IDs: testsource.Sequence("id")}
	for _, f := range opts {
		f(&o)
	}
	svc, err := kyc.New(store, o)
	if err != nil {
		t.Fatal(err)
	}
	return svc
}

// personJSON is a valid natural person; %s are filled by person.
const personJSON = `{
	"id": %q,
	"tax_payer_id": %q,
	"person_type": "natural_person",
	"natural_person": {
		"name": {"first": %q, "middle": "", "last": %q},
		"birth_date": 865987200000,
		"birth_place": %q,
		"id_number": %q,
		"id_type": "national_identity_card",
		"id_country": "ar",
		"nationality": "Argentina",
		"civil_state": "single",
		"gender": "male",
		"is_employee": false
	},
	"contacts": [{"contact_type": "email", "value": %q, "main": true, "is_verified": true}],
	"addresses": [{"address_type": "personal", "main": true, "country": "Argentina", "state": "Santa Fe",
		"city": %q, "department": "", "zip_code": "S2000", "street_name": %q, "number": "1748",
		"building_name": "", "building_floor_number": "", "building_room_number": "",
		"formatted_address": "", "normalization_method": ""}],
	"metadata": {"counter": 0}
}`

// person returns a valid profile with id (empty: the service picks one).
func person(t testing.TB, id string) *profile.Profile {
	t.Helper()
	p, err := profile.Decode(fmt.Appendf(nil, personJSON, id, "20-39499655-9", "John", "Doe",
		"Vicente Lopez", "39499655", "john.doe@example.com", "Rosario", "Cordoba"))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// counter reads metadata.counter, the value the load tests increment.
func counter(p *profile.Profile) (int, error) {
	switch v := p.Metadata["counter"].(type) {
	case json.Number:
		n, err := strconv.Atoi(string(v))
		return n, err
	case int:
		return v, nil
	case float64:
		return int(v), nil
	}
	return 0, fmt.Errorf("metadata.counter is %T", p.Metadata["counter"])
}

// bump returns a copy of p with its counter incremented.
func bump(p *profile.Profile) (*profile.Profile, error) {
	n, err := counter(p)
	if err != nil {
		return nil, err
	}
	next := *p
	next.Metadata = profile.Object{}
	for k, v := range p.Metadata {
		next.Metadata[k] = v
	}
	next.Metadata["counter"] = n + 1
	return &next, nil
}

// allHistory reads every history entry of a profile, oldest first.
func allHistory(ctx context.Context, st storage.Store, tenant, id string) ([]history.Entry, error) {
	var out []history.Entry
	q := storage.HistoryQuery{Size: storage.MaxPageSize}
	for {
		page, err := st.History(ctx, tenant, id, q)
		if err != nil {
			return nil, err
		}
		out = append(out, page.Entries...)
		if page.NextCursor == "" {
			return out, nil
		}
		q.Cursor = page.NextCursor
	}
}

// checkHistory checks that the entries are exactly one per version, 0 to
// version-1, in order.
func checkHistory(entries []history.Entry, version int) error {
	if len(entries) != version {
		return fmt.Errorf("%d history entries for version %d", len(entries), version)
	}
	for i, e := range entries {
		if e.Version != i {
			return fmt.Errorf("entry %d starts from version %d", i, e.Version)
		}
	}
	return nil
}

// personNoID returns a valid profile without an id, for the service to
// name; it cannot fail, the JSON being a constant.
func personNoID() *profile.Profile {
	p, err := profile.Decode(fmt.Appendf(nil, personJSON, "", "20-39499655-9", "John", "Doe",
		"Vicente Lopez", "39499655", "john.doe@example.com", "Rosario", "Cordoba"))
	if err != nil {
		panic(err)
	}
	return p
}
