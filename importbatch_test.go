package kyc_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/kycsdk/kyc"
	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/storage"
	"github.com/kycsdk/kyc/storage/memory"
	"github.com/kycsdk/kyc/storage/sqlstore"
)

// importFixture returns n valid profiles, each with an external
// reference, some with the facts an import carries (state, risk, dates).
func importFixture(t *testing.T, n int) []*profile.Profile {
	out := make([]*profile.Profile, n)
	for i := range out {
		p := johnDoe(t)
		p.ExternalRef = fmt.Sprintf("crm-%03d", i)
		p.TaxPayerID = fmt.Sprintf("20-%08d-9", i)
		if i%2 == 1 {
			p.ID = fmt.Sprintf("legacy-%03d", i)
			p.State, p.Risk = "active", "medium"
			p.CreatedAt = profile.TimestampOf(time.Date(2019, 3, 1, 0, 0, 0, 0, time.UTC))
			p.CreatedBy = "legacy-user"
		}
		out[i] = p
	}
	return out
}

// withoutBatches hides a store's BatchCreator, so that ImportBatch
// writes one by one.
type withoutBatches struct{ storage.Store }

// importStores runs fn on a fresh pair of stores of each kind ImportBatch
// is tested on: memory, SQLite, and memory without BatchCreator.
func importStores(t *testing.T, fn func(t *testing.T, newStore func() storage.Store)) {
	t.Run("memory", func(t *testing.T) { fn(t, func() storage.Store { return memory.New() }) })
	t.Run("one by one", func(t *testing.T) { fn(t, func() storage.Store { return withoutBatches{memory.New()} }) })
	t.Run("sqlite", func(t *testing.T) {
		n := 0
		fn(t, func() storage.Store {
			n++
			st, err := sqlstore.OpenSQLite(context.Background(), filepath.Join(t.TempDir(), fmt.Sprintf("kyc-%d.db", n)))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { st.Close() })
			return st
		})
	})
}

// TestImportBatchLikeImport imports the same profiles with Import, one by
// one, and with ImportBatch in batches of 3, into two services with the
// same clock and ids: the profiles, their history and the feed are the
// same, byte for byte.
func TestImportBatchLikeImport(t *testing.T) {
	importStores(t, func(t *testing.T, newStore func() storage.Store) {
		ctx := context.Background()
		one, many := newStore(), newStore()
		svcOne, svcMany := newService(t, one), newService(t, many)
		ps := importFixture(t, 8)
		// A relation to a profile earlier in the same call.
		ps[7].Relations = []profile.Relation{{ProfileID: "legacy-001", Relationship: "spouse"}}
		for _, p := range ps {
			if _, err := svcOne.Import(ctx, supervisor, p, kyc.ImportOptions{Source: "crm"}); err != nil {
				t.Fatalf("Import: %v", err)
			}
		}
		report, err := svcMany.ImportBatch(ctx, supervisor, ps, kyc.ImportOptions{Source: "crm", BatchSize: 3})
		if err != nil {
			t.Fatalf("ImportBatch: %v", err)
		}
		if report.Imported != len(ps) || report.Refused != 0 || report.Duplicates != 0 {
			t.Fatalf("report: %+v", report)
		}
		for i, r := range report.Results {
			if r.Index != i || r.Outcome != kyc.ImportCreated {
				t.Errorf("result %d: %+v", i, r)
			}
			a, err := one.GetRecord(ctx, supervisor.Tenant, r.ID)
			if err != nil {
				t.Fatal(err)
			}
			b, err := many.GetRecord(ctx, supervisor.Tenant, r.ID)
			if err != nil {
				t.Fatal(err)
			}
			if string(a.JSON) != string(b.JSON) || a.Due != b.Due || string(a.DueReasons) != string(b.DueReasons) {
				t.Errorf("%s stored differently:\n%s\n%s", r.ID, a.JSON, b.JSON)
			}
			ha, err := one.History(ctx, supervisor.Tenant, r.ID, storage.HistoryQuery{})
			if err != nil {
				t.Fatal(err)
			}
			hb, err := many.History(ctx, supervisor.Tenant, r.ID, storage.HistoryQuery{})
			if err != nil {
				t.Fatal(err)
			}
			if d := gocmp.Diff(ha.Entries, hb.Entries); d != "" {
				t.Errorf("%s history (-one by one +batch):\n%s", r.ID, d)
			}
		}
		fa, err := one.Changes(ctx, supervisor.Tenant, 0, 100)
		if err != nil {
			t.Fatal(err)
		}
		fb, err := many.Changes(ctx, supervisor.Tenant, 0, 100)
		if err != nil {
			t.Fatal(err)
		}
		if len(fa) != len(ps) {
			t.Errorf("%d events, want %d", len(fa), len(ps))
		}
		if d := gocmp.Diff(fa, fb); d != "" {
			t.Errorf("feed (-one by one +batch):\n%s", d)
		}
		if related, err := many.RelatedTo(ctx, supervisor.Tenant, []string{"legacy-001"}, nil); err != nil || len(related) != 1 {
			t.Errorf("RelatedTo after the batch: %v, %v", related, err)
		}
	})
}

// TestImportBatchBadRecords: invalid profiles are refused with their
// paths and no values, duplicates (by id, by external reference, stored
// or earlier in the call) are skipped, and every good profile of each
// batch is stored, with one event each.
func TestImportBatchBadRecords(t *testing.T) {
	importStores(t, func(t *testing.T, newStore func() storage.Store) {
		ctx := context.Background()
		store := newStore()
		svc := newService(t, store)
		stored := importFixture(t, 2)
		first, err := svc.ImportBatch(ctx, supervisor, stored, kyc.ImportOptions{Source: "crm"})
		if err != nil {
			t.Fatal(err)
		}
		ps := importFixture(t, 12)[2:]
		ps[1].State = "limbo"                     // refused: state
		ps[2] = nil                               // refused: not a profile
		ps[3].ExternalRef = stored[0].ExternalRef // duplicate of a stored reference
		ps[4].ExternalRef = ps[0].ExternalRef     // duplicate of an earlier one in the call
		ps[5].ID = "legacy-001"                   // an id already stored: the batch falls back
		ps[6].NaturalPerson.BirthDate = nil       // refused: a required field
		ps[6].PersonType = "alien"
		report, err := svc.ImportBatch(ctx, supervisor, ps, kyc.ImportOptions{Source: "crm", BatchSize: 4})
		if err != nil {
			t.Fatalf("ImportBatch: %v", err)
		}
		want := []kyc.ImportOutcome{kyc.ImportCreated, kyc.ImportRefused, kyc.ImportRefused, kyc.ImportDuplicateRef,
			kyc.ImportDuplicateRef, kyc.ImportDuplicateID, kyc.ImportRefused, kyc.ImportCreated, kyc.ImportCreated, kyc.ImportCreated}
		var got []kyc.ImportOutcome
		for _, r := range report.Results {
			got = append(got, r.Outcome)
		}
		if d := gocmp.Diff(want, got); d != "" {
			t.Fatalf("outcomes (-want +got):\n%s", d)
		}
		if report.Imported != 4 || report.Refused != 3 || report.Duplicates != 3 {
			t.Errorf("counts: %d imported, %d refused, %d duplicates", report.Imported, report.Refused, report.Duplicates)
		}
		if r := report.Results[1]; len(r.Problems) != 1 || r.Problems[0].Path != "state" || r.Problems[0].Code != kyc.CodeUnknownState {
			t.Errorf("unknown state: %+v", r)
		}
		if r := report.Results[6]; len(r.Problems) == 0 || r.Problems[0].Path != "person_type" {
			t.Errorf("bad person type: %+v", r)
		}
		if r := report.Results[3]; r.Existing != first.Results[0].ID {
			t.Errorf("duplicate of a stored reference: %+v", r)
		}
		if r := report.Results[4]; r.Existing != report.Results[0].ID {
			t.Errorf("duplicate in the call: existing %q, want %q", r.Existing, report.Results[0].ID)
		}
		for _, r := range report.Results {
			for _, p := range r.Problems {
				if text := p.Path + p.Message + p.Code; strings.Contains(text, "20-") || strings.Contains(text, "Doe") || strings.Contains(text, "limbo") {
					t.Errorf("a problem quotes a value: %+v", p)
				}
			}
		}
		events, err := store.Changes(ctx, supervisor.Tenant, 0, 100)
		if err != nil {
			t.Fatal(err)
		}
		if len(events) != 2+report.Imported {
			t.Errorf("%d events, want one per stored profile (%d)", len(events), 2+report.Imported)
		}
		for i, e := range events {
			if e.Position != int64(i+1) {
				t.Errorf("event %d at position %d", i, e.Position)
			}
		}
		pg, err := store.ListProfiles(ctx, supervisor.Tenant, storage.Query{Size: 100})
		if err != nil || pg.TotalElements != 2+report.Imported {
			t.Errorf("%v profiles stored (%v), want %d", pg, err, 2+report.Imported)
		}
	})
}

// TestImportBatchRefusals: what stops a whole call changes nothing.
func TestImportBatchRefusals(t *testing.T) {
	ctx := context.Background()
	store := memory.New()
	svc := newService(t, store)
	ps := importFixture(t, 3)
	if _, err := svc.ImportBatch(ctx, operator, ps, kyc.ImportOptions{Source: "crm"}); !errors.Is(err, kyc.ErrForbidden) {
		t.Errorf("an operator without the import permission: %v", err)
	}
	if _, err := svc.ImportBatch(ctx, supervisor, ps, kyc.ImportOptions{}); !errors.Is(err, kyc.ErrInvalidInput) {
		t.Errorf("no source: %v", err)
	}
	if _, err := svc.ImportBatch(ctx, supervisor, ps, kyc.ImportOptions{Source: "crm", BatchSize: storage.MaxBatch + 1}); !errors.Is(err, kyc.ErrInvalidInput) {
		t.Errorf("a batch size over the limit: %v", err)
	}
	if events, _ := store.Changes(ctx, supervisor.Tenant, 0, 10); len(events) != 0 {
		t.Errorf("refused calls wrote %d events", len(events))
	}
}

// failingBatches is a memory store whose batch writes fail as a broken
// database would.
type failingBatches struct{ *memory.Store }

var errDiskFull = errors.New("disk full")

func (failingBatches) CreateBatch(context.Context, string, []storage.Creation) error {
	return errDiskFull
}

// TestImportBatchStoreFailure: a store failure stops the call with its
// error; the profiles it reports imported are stored, the others have no
// outcome and are not.
func TestImportBatchStoreFailure(t *testing.T) {
	ctx := context.Background()
	store := failingBatches{memory.New()}
	svc := newService(t, store)
	ps := importFixture(t, 5)
	ps[1].State = "limbo"
	report, err := svc.ImportBatch(ctx, supervisor, ps, kyc.ImportOptions{Source: "crm", BatchSize: 2})
	if !errors.Is(err, errDiskFull) {
		t.Fatalf("ImportBatch = %v, want the store's error", err)
	}
	want := []kyc.ImportOutcome{"", kyc.ImportRefused, ""}
	var got []kyc.ImportOutcome
	for _, r := range report.Results {
		got = append(got, r.Outcome)
	}
	if d := gocmp.Diff(want, got); d != "" || report.Refused != 1 || report.Imported != 0 {
		t.Errorf("outcomes (-want +got):\n%s; counts %+v", d, report)
	}
	if events, _ := store.Changes(ctx, supervisor.Tenant, 0, 10); len(events) != 0 {
		t.Errorf("%d events after a failed batch", len(events))
	}
}

// TestImportBatchStrict: a strict call stops at its first refused
// profile, after writing the ones before it.
func TestImportBatchStrict(t *testing.T) {
	importStores(t, func(t *testing.T, newStore func() storage.Store) {
		ctx := context.Background()
		store := newStore()
		svc := newService(t, store)
		ps := importFixture(t, 6)
		ps[1].ExternalRef = ps[0].ExternalRef // a duplicate does not stop it
		ps[3].State = "limbo"
		report, err := svc.ImportBatch(ctx, supervisor, ps, kyc.ImportOptions{Source: "crm", BatchSize: 2, Strict: true})
		if err != nil {
			t.Fatal(err)
		}
		var got []kyc.ImportOutcome
		for _, r := range report.Results {
			got = append(got, r.Outcome)
		}
		want := []kyc.ImportOutcome{kyc.ImportCreated, kyc.ImportDuplicateRef, kyc.ImportCreated, kyc.ImportRefused}
		if d := gocmp.Diff(want, got); d != "" {
			t.Errorf("outcomes (-want +got):\n%s", d)
		}
		pg, err := store.ListProfiles(ctx, supervisor.Tenant, storage.Query{})
		if err != nil || pg.TotalElements != 2 {
			t.Errorf("%v stored (%v), want the 2 before the refused one", pg.TotalElements, err)
		}
	})
}
