package reliability

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kycsdk/kyc"
	"github.com/kycsdk/kyc/entityprofile"
	"github.com/kycsdk/kyc/history"
	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/storage"
)

var (
	tenantA = kyc.Operator{Tenant: "tenant-a", User: "maker", Scopes: []string{"tenant_aml_operator", "tenant_backoffice_supervisor"}}
	tenantB = kyc.Operator{Tenant: "tenant-b", User: "maker", Scopes: []string{"tenant_aml_operator"}}
)

// tenantDump is everything a tenant has, read through the Store.
func tenantDump(t *testing.T, st storage.Store, tenant string) []string {
	t.Helper()
	ctx := context.Background()
	page, err := st.ListProfiles(ctx, tenant, storage.Query{Size: storage.MaxPageSize, Sort: storage.SortCreatedAsc})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, p := range page.Profiles {
		out = append(out, jsonText(t, p))
		entries, err := allHistory(ctx, st, tenant, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, jsonText(t, entries))
		comments, err := st.ListComments(ctx, tenant, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, jsonText(t, comments))
	}
	return out
}

func jsonText(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// isolationFixture is tenant B's data: a profile with an update, a
// transition and a comment.
type isolationFixture struct {
	id, commentID string
	profile       *profile.Profile
}

func seedTenantB(t *testing.T, svc *kyc.Service) isolationFixture {
	t.Helper()
	ctx := context.Background()
	in, err := profile.Decode([]byte(canaryDoc))
	if err != nil {
		t.Fatal(err)
	}
	p, err := svc.Create(ctx, tenantB, in)
	if err != nil {
		t.Fatal(err)
	}
	next := *p
	next.Labels = []string{"tenant-b-label"}
	if p, err = svc.Update(ctx, tenantB, &next, kyc.UpdateOptions{}); err != nil {
		t.Fatal(err)
	}
	if p, err = svc.Transition(ctx, tenantB, p.ID, "pending"); err != nil {
		t.Fatal(err)
	}
	c, err := svc.AddComment(ctx, tenantB, p.ID, "<p>tenant b note</p>")
	if err != nil {
		t.Fatal(err)
	}
	return isolationFixture{id: p.ID, commentID: c.ID, profile: p}
}

// TestTenantIsolationService has tenant A call every Service method on
// tenant B's profile: each fails as if the profile did not exist, returns
// nothing of B's, and B's data is unchanged.
func TestTenantIsolationService(t *testing.T) {
	for _, b := range backends() {
		t.Run(b.name, func(t *testing.T) {
			ctx := context.Background()
			st := b.open(t)
			svc := leakService(t, st, nil, &leakRecorder{})
			fx := seedTenantB(t, svc)
			before := tenantDump(t, st, tenantB.Tenant)
			var errs []string
			expectNotFound := func(what string, err error) {
				t.Helper()
				if !errors.Is(err, storage.ErrNotFound) {
					t.Errorf("%s across tenants: got %v, want storage.ErrNotFound", what, err)
				}
				if err != nil {
					errs = append(errs, err.Error())
				}
			}
			for what, call := range serviceCalls(svc, fx) {
				got, err := call(ctx)
				expectNotFound(what, err)
				if leaks(got, fx) {
					t.Errorf("%s across tenants returned %+v", what, got)
				}
			}
			page, err := svc.List(ctx, tenantA, storage.Query{})
			if err != nil || page.TotalElements != 0 || len(page.Profiles) != 0 {
				t.Errorf("List across tenants: %d profiles, %v", page.TotalElements, err)
			}
			for _, q := range []string{"qzlastcanary", "20-77123456-9", "qzextrefcanary"} {
				page, err := svc.List(ctx, tenantA, storage.Query{Text: q})
				if err != nil || page.TotalElements != 0 {
					t.Errorf("List across tenants by text: %d profiles, %v", page.TotalElements, err)
				}
			}
			// The same id in tenant A is another profile: creating it
			// works and touches nothing of B's.
			same, err := profile.Decode([]byte(canaryDoc))
			if err != nil {
				t.Fatal(err)
			}
			same.ID = fx.id
			if _, err := svc.Create(ctx, tenantA, same); err != nil {
				t.Errorf("creating B's id in tenant A: %v", err)
			}
			if err := svc.Delete(ctx, tenantA, fx.id, kyc.DeleteOptions{Force: true, Reason: "isolation test"}); err != nil {
				t.Errorf("deleting A's own profile with B's id: %v", err)
			}
			if diff := cmp.Diff(before, tenantDump(t, st, tenantB.Tenant)); diff != "" {
				t.Errorf("tenant B's data changed (-before +after):\n%s", diff)
			}
			checkNoCanary(t, errs)
		})
	}
}

// leaks reports whether a value a refused call returned carries anything
// of tenant B's: the profile id or a canary.
func leaks(v any, fx isolationFixture) bool {
	b, err := json.Marshal(v)
	if err != nil {
		return true
	}
	s := strings.ToLower(string(b))
	if strings.Contains(s, strings.ToLower(fx.id)) {
		return true
	}
	for _, c := range canaries {
		if strings.Contains(s, strings.ToLower(c)) {
			return true
		}
	}
	return false
}

func checkNoCanary(t *testing.T, errs []string) {
	t.Helper()
	text := strings.ToLower(strings.Join(errs, "\n"))
	for field, c := range canaries {
		if strings.Contains(text, strings.ToLower(c)) {
			t.Errorf("an error across tenants carries B's %s", field)
		}
	}
}

// serviceCalls are every Service method that names a profile, called by
// tenant A on tenant B's profile.
func serviceCalls(svc *kyc.Service, fx isolationFixture) map[string]func(context.Context) (any, error) {
	a := tenantA
	edit := func() *profile.Profile {
		p := *fx.profile
		p.Labels = []string{"from-tenant-a"}
		return &p
	}
	return map[string]func(context.Context) (any, error){
		"Get":         func(ctx context.Context) (any, error) { return svc.Get(ctx, a, fx.id) },
		"Update":      func(ctx context.Context) (any, error) { return svc.Update(ctx, a, edit(), kyc.UpdateOptions{}) },
		"Transition":  func(ctx context.Context) (any, error) { return svc.Transition(ctx, a, fx.id, "under_review") },
		"Transitions": func(ctx context.Context) (any, error) { return svc.Transitions(ctx, a, fx.id) },
		"AssessRisk":  func(ctx context.Context) (any, error) { return svc.AssessRisk(ctx, a, fx.id) },
		"Transactional": func(ctx context.Context) (any, error) {
			return svc.Transactional(ctx, a, fx.id)
		},
		"AddComment": func(ctx context.Context) (any, error) { return svc.AddComment(ctx, a, fx.id, "from a") },
		"EditComment": func(ctx context.Context) (any, error) {
			return svc.EditComment(ctx, a, fx.id, fx.commentID, "from a")
		},
		"DeleteComment": func(ctx context.Context) (any, error) {
			return nil, svc.DeleteComment(ctx, a, fx.id, fx.commentID)
		},
		"Comments": func(ctx context.Context) (any, error) { return svc.Comments(ctx, a, fx.id) },
		"History": func(ctx context.Context) (any, error) {
			return svc.History(ctx, a, fx.id, storage.HistoryQuery{})
		},
		"Version": func(ctx context.Context) (any, error) { return svc.Version(ctx, a, fx.id, 1) },
		"Revert": func(ctx context.Context) (any, error) {
			return svc.Revert(ctx, a, fx.id, 1, fx.profile.Version)
		},
		"Delete": func(ctx context.Context) (any, error) {
			return nil, svc.Delete(ctx, a, fx.id, kyc.DeleteOptions{Force: true, Reason: "isolation test"})
		},
		"InjectRisk": func(ctx context.Context) (any, error) { return svc.InjectRisk(ctx, a, fx.id, "low", "bureau") },
		"RecordScreening": func(ctx context.Context) (any, error) {
			return svc.RecordScreening(ctx, a, fx.id, kyc.Screening{Lists: map[string]profile.ListHit{"pep": {}}})
		},
		"ClearConfirmedHit": func(ctx context.Context) (any, error) {
			return svc.ClearConfirmedHit(ctx, a, fx.id, "sanctioned", "from a")
		},
		"OpenCase":  func(ctx context.Context) (any, error) { return svc.OpenCase(ctx, a, fx.id, "from a") },
		"CloseCase": func(ctx context.Context) (any, error) { return svc.CloseCase(ctx, a, fx.id, "from a") },
		"CompleteReview": func(ctx context.Context) (any, error) {
			return svc.CompleteReview(ctx, a, fx.id, kyc.Review{Outcome: "from a"})
		},
		"Summary":         func(ctx context.Context) (any, error) { return svc.Summary(ctx, a, fx.id) },
		"ResearchQueries": func(ctx context.Context) (any, error) { return svc.ResearchQueries(ctx, a, fx.id) },
		"AssignEntityProfile": func(ctx context.Context) (any, error) {
			return svc.AssignEntityProfile(ctx, a, fx.id, "standard")
		},
		"PlanVerification": func(ctx context.Context) (any, error) {
			return svc.PlanVerification(ctx, a, fx.id, "id_document")
		},
		"EvaluateVerification": func(ctx context.Context) (any, error) {
			return svc.EvaluateVerification(ctx, a, fx.id, "id_document")
		},
		"RecordCheckResult": func(ctx context.Context) (any, error) {
			return svc.RecordCheckResult(ctx, a, fx.id, entityprofile.Result{Type: entityprofile.NameDOB, Outcome: profile.OutcomePass})
		},
		"ClearReverification": func(ctx context.Context) (any, error) {
			return svc.ClearReverification(ctx, a, fx.id)
		},
	}
}

// TestTenantIsolationStore has tenant A call every Store method on tenant
// B's records, on every adapter.
func TestTenantIsolationStore(t *testing.T) {
	for _, b := range backends() {
		t.Run(b.name, func(t *testing.T) {
			ctx := context.Background()
			st := b.open(t)
			fx := seedTenantB(t, leakService(t, st, nil, &leakRecorder{}))
			before := tenantDump(t, st, tenantB.Tenant)
			a := tenantA.Tenant

			var errs []string
			notFound := func(what string, err error) {
				t.Helper()
				if !errors.Is(err, storage.ErrNotFound) && !errors.Is(err, storage.ErrConflict) {
					t.Errorf("%s across tenants: got %v, want storage.ErrNotFound", what, err)
				}
				if err != nil {
					errs = append(errs, err.Error())
				}
			}
			p, err := st.GetProfile(ctx, a, fx.id)
			notFound("GetProfile", err)
			if p != nil {
				t.Errorf("GetProfile across tenants returned a profile")
			}
			next := *fx.profile
			next.Version++
			next.Labels = []string{"from-tenant-a"}
			entry := history.Entry{ID: "entry-from-a", OrigID: fx.id, Version: fx.profile.Version, CreatedBy: "maker"}
			notFound("UpdateProfile", st.UpdateProfile(ctx, a, storage.Record{Profile: &next}, entry))
			h, err := st.History(ctx, a, fx.id, storage.HistoryQuery{})
			notFound("History", err)
			if h != nil && len(h.Entries) != 0 {
				t.Errorf("History across tenants returned %d entries", len(h.Entries))
			}
			cs, err := st.ListComments(ctx, a, fx.id)
			notFound("ListComments", err)
			if len(cs) != 0 {
				t.Errorf("ListComments across tenants returned %d comments", len(cs))
			}
			notFound("AddComment", st.AddComment(ctx, a, &storage.Comment{ID: "c-from-a", ProfileID: fx.id, Author: "maker", Body: "x", CreatedAt: 1}, nil))
			notFound("UpdateComment", st.UpdateComment(ctx, a, &storage.Comment{ID: fx.commentID, ProfileID: fx.id, Author: "maker", Body: "x", CreatedAt: 1, ModifiedAt: 2}, nil))
			notFound("DeleteComment", st.DeleteComment(ctx, a, fx.id, fx.commentID, nil))
			notFound("DeleteProfile", st.DeleteProfile(ctx, a, fx.id, storage.DeleteOptions{Force: true}))
			page, err := st.ListProfiles(ctx, a, storage.Query{Text: "qzlastcanary"})
			if err != nil || page.TotalElements != 0 || len(page.Profiles) != 0 {
				t.Errorf("ListProfiles across tenants: %d, %v", page.TotalElements, err)
			}
			// B's ids are free in A.
			own := *fx.profile
			own.Version = 1
			if err := st.CreateProfile(ctx, a, storage.Record{Profile: &own}, &history.Entry{ID: "a-entry", OrigID: fx.id, Version: 0, CreatedBy: "maker"}); err != nil {
				t.Errorf("CreateProfile with B's id in tenant A: %v", err)
			}
			if diff := cmp.Diff(before, tenantDump(t, st, tenantB.Tenant)); diff != "" {
				t.Errorf("tenant B's data changed (-before +after):\n%s", diff)
			}
			checkNoCanary(t, errs)
		})
	}
}
