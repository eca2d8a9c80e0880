package kyc_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/kycsdk/kyc"
	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/storage"
	"github.com/kycsdk/kyc/storage/memory"
)

func TestLogLines(t *testing.T) {
	var buf bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&buf, nil))
	svc := newService(t, memory.New(), func(o *kyc.Options) { o.Logger = logger })
	ctx := context.Background()
	p := create(t, svc)
	p.Addresses[0].StreetName = "Calle Falsa"
	p.Labels = []string{"x"}
	if _, err := svc.Update(ctx, operator, p, kyc.UpdateOptions{}); !errors.Is(err, profile.ErrInvalid) {
		t.Fatalf("got %v", err)
	}
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("%d log lines, want one per operation:\n%s", len(lines), buf.String())
	}
	for _, want := range []string{`"tenant":"acme"`, `"operator":"maker"`, `"profile_id":"id-000001"`, `"outcome":"ok"`} {
		if !strings.Contains(lines[0], want) {
			t.Errorf("create line lacks %s: %s", want, lines[0])
		}
	}
	if !strings.Contains(lines[1], `"outcome":"error"`) {
		t.Errorf("refused update not logged as an error: %s", lines[1])
	}
	for _, secret := range []string{"John", "Doe", "Falsa", "Córdoba", "39499655", "20-39499655-9", "example.com"} {
		if strings.Contains(buf.String(), secret) {
			t.Errorf("log leaks %q:\n%s", secret, buf.String())
		}
	}
}

func TestListAndDelete(t *testing.T) {
	stores(t, func(t *testing.T, store storage.Store) {
		ctx := context.Background()
		now := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
		svc := newService(t, store, func(o *kyc.Options) { o.Clock = func() time.Time { return now } })
		for range 5 {
			create(t, svc)
		}
		page, err := svc.List(ctx, operator, storage.Query{Size: 2, Text: "doe"})
		if err != nil {
			t.Fatal(err)
		}
		if page.TotalElements != 5 || page.TotalPages != 3 || len(page.Profiles) != 2 {
			t.Fatalf("page: %+v with %d profiles", page.PageInfo, len(page.Profiles))
		}
		err = svc.Delete(ctx, supervisor, "id-000001", kyc.DeleteOptions{})
		if !errors.Is(err, storage.ErrRetention) {
			t.Fatalf("delete during retention: got %v, want ErrRetention", err)
		}
		if err := svc.Delete(ctx, supervisor, "id-000001", kyc.DeleteOptions{Force: true, Reason: "erasure request"}); err != nil {
			t.Fatalf("forced delete: %v", err)
		}
		if _, err := svc.Get(ctx, operator, "id-000001"); !errors.Is(err, storage.ErrNotFound) {
			t.Errorf("deleted profile still readable: %v", err)
		}
		h, err := svc.History(ctx, operator, "id-000001", storage.HistoryQuery{})
		if err != nil || len(h.Entries) != 2 || h.Entries[1].Reason != "forced delete (tenant_backoffice_supervisor): erasure request" {
			t.Fatalf("redacted history with the deletion: %v, %v", h, err)
		}
		if strings.Contains(string(mustJSON(t, h.Entries[0].Changes)), "Doe") {
			t.Error("deleted profile's history keeps personal values")
		}
	})
}

func mustJSON(t *testing.T, v interface{ MarshalJSON() ([]byte, error) }) []byte {
	t.Helper()
	b, err := v.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestEndStates: the retention period runs from a change in one of the
// Service's end states, which reach the store with every Delete; the
// default is fresh on every call and an end state the workflow does not
// have is refused.
func TestEndStates(t *testing.T) {
	ctx := context.Background()
	kyc.DefaultEndStates()[0] = "creating"
	if diff := cmp.Diff([]string{"inactive", "banned"}, kyc.DefaultEndStates()); diff != "" {
		t.Errorf("DefaultEndStates() (-want +got):\n%s", diff)
	}
	now := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	svc := newService(t, memory.New(), func(o *kyc.Options) { o.Clock = clock })
	p := create(t, svc) // in "creating", which a caller's change to the default did not make an end state
	now = now.AddDate(50, 0, 0)
	var re *storage.RetentionError
	if err := svc.Delete(ctx, supervisor, p.ID, kyc.DeleteOptions{}); !errors.As(err, &re) || !re.Until.IsZero() {
		t.Fatalf("delete with the default end states: got %v, want a *RetentionError without an end", err)
	}

	now = time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	svc = newService(t, memory.New(), func(o *kyc.Options) { o.Clock, o.EndStates = clock, []string{"creating"} })
	p = create(t, svc)
	now = now.AddDate(storage.DefaultRetentionYears, 0, -1)
	if err := svc.Delete(ctx, supervisor, p.ID, kyc.DeleteOptions{}); !errors.As(err, &re) || !re.Until.Equal(p.ModifiedAt.Time().AddDate(storage.DefaultRetentionYears, 0, 0)) {
		t.Fatalf("delete within the period: got %v, want a *RetentionError until five years after the change", err)
	}
	now = now.AddDate(0, 0, 1)
	if err := svc.Delete(ctx, supervisor, p.ID, kyc.DeleteOptions{}); err != nil {
		t.Fatalf("delete after the period from a change in an end state: %v", err)
	}

	if _, err := kyc.New(memory.New(), kyc.Options{EndStates: []string{"closed"}}); !errors.Is(err, kyc.ErrInvalidInput) {
		t.Errorf("end state outside the workflow: got %v, want ErrInvalidInput", err)
	}
}
