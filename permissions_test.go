package kyc_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kycsdk/kyc"
	"github.com/kycsdk/kyc/entityprofile"
	"github.com/kycsdk/kyc/internal/testsource"
	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/storage"
)

// fixture is what each call of the permission matrix acts on.
type fixture struct {
	id        string
	commentID string
	version   int
}

// TestPermissionMatrix calls every Service method as every default role
// and checks it against the documented table of DefaultPolicy: allowed, or
// refused with ErrForbidden before anything changes.
func TestPermissionMatrix(t *testing.T) {
	const (
		none = 1 << iota
		wat
		opr
		sup
	)
	reads, writes, senior := wat|opr|sup, opr|sup, sup
	flag := kyc.Flag
	calls := []struct {
		name    string
		allowed int
		call    func(ctx context.Context, svc *kyc.Service, op kyc.Operator, fx fixture) error
	}{
		{"Get", reads, func(ctx context.Context, svc *kyc.Service, op kyc.Operator, fx fixture) error {
			_, err := svc.Get(ctx, op, fx.id)
			return err
		}},
		{"List", reads, func(ctx context.Context, svc *kyc.Service, op kyc.Operator, fx fixture) error {
			_, err := svc.List(ctx, op, storage.Query{})
			return err
		}},
		{"Transitions", reads, func(ctx context.Context, svc *kyc.Service, op kyc.Operator, fx fixture) error {
			_, err := svc.Transitions(ctx, op, fx.id)
			return err
		}},
		{"History", reads, func(ctx context.Context, svc *kyc.Service, op kyc.Operator, fx fixture) error {
			_, err := svc.History(ctx, op, fx.id, storage.HistoryQuery{})
			return err
		}},
		{"Version", reads, func(ctx context.Context, svc *kyc.Service, op kyc.Operator, fx fixture) error {
			_, err := svc.Version(ctx, op, fx.id, 1)
			return err
		}},
		{"PlanVerification", reads, func(ctx context.Context, svc *kyc.Service, op kyc.Operator, fx fixture) error {
			_, err := svc.PlanVerification(ctx, op, fx.id, "pep")
			return err
		}},
		{"EvaluateVerification", reads, func(ctx context.Context, svc *kyc.Service, op kyc.Operator, fx fixture) error {
			_, err := svc.EvaluateVerification(ctx, op, fx.id, "pep")
			return err
		}},
		{"DueWork", reads, func(ctx context.Context, svc *kyc.Service, op kyc.Operator, fx fixture) error {
			_, err := svc.DueWork(ctx, op, fx.id)
			return err
		}},
		{"DueList", reads, func(ctx context.Context, svc *kyc.Service, op kyc.Operator, fx fixture) error {
			_, err := svc.DueList(ctx, op, time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC), "", 0)
			return err
		}},
		{"Comments", reads, func(ctx context.Context, svc *kyc.Service, op kyc.Operator, fx fixture) error {
			_, err := svc.Comments(ctx, op, fx.id)
			return err
		}},
		{"Summary", reads, func(ctx context.Context, svc *kyc.Service, op kyc.Operator, fx fixture) error {
			_, err := svc.Summary(ctx, op, fx.id)
			return err
		}},
		{"ResearchQueries", reads, func(ctx context.Context, svc *kyc.Service, op kyc.Operator, fx fixture) error {
			_, err := svc.ResearchQueries(ctx, op, fx.id)
			return err
		}},
		{"Changes", reads, func(ctx context.Context, svc *kyc.Service, op kyc.Operator, fx fixture) error {
			_, err := svc.Changes(ctx, op, 0, 10)
			return err
		}},
		{"Create", writes, func(ctx context.Context, svc *kyc.Service, op kyc.Operator, fx fixture) error {
			_, err := svc.Create(ctx, op, johnDoe(t))
			return err
		}},
		{"Update", writes, func(ctx context.Context, svc *kyc.Service, op kyc.Operator, fx fixture) error {
			p, err := svc.Get(ctx, supervisor, fx.id)
			if err != nil {
				return err
			}
			p.Labels = []string{"edited"}
			_, err = svc.Update(ctx, op, p, kyc.UpdateOptions{})
			return err
		}},
		{"Update with a re-verification mode", senior, func(ctx context.Context, svc *kyc.Service, op kyc.Operator, fx fixture) error {
			p, err := svc.Get(ctx, supervisor, fx.id)
			if err != nil {
				return err
			}
			p.Labels = []string{"edited"}
			_, err = svc.Update(ctx, op, p, kyc.UpdateOptions{Reverification: &flag})
			return err
		}},
		{"Revert", writes, func(ctx context.Context, svc *kyc.Service, op kyc.Operator, fx fixture) error {
			_, err := svc.Revert(ctx, op, fx.id, 1, fx.version)
			return err
		}},
		{"Transition", writes, func(ctx context.Context, svc *kyc.Service, op kyc.Operator, fx fixture) error {
			_, err := svc.Transition(ctx, op, fx.id, "pending")
			return err
		}},
		{"AssessRisk", writes, func(ctx context.Context, svc *kyc.Service, op kyc.Operator, fx fixture) error {
			_, err := svc.AssessRisk(ctx, op, fx.id)
			return err
		}},
		{"Transactional", writes, func(ctx context.Context, svc *kyc.Service, op kyc.Operator, fx fixture) error {
			_, err := svc.Transactional(ctx, op, fx.id)
			return err
		}},
		{"AssignEntityProfile", writes, func(ctx context.Context, svc *kyc.Service, op kyc.Operator, fx fixture) error {
			_, err := svc.AssignEntityProfile(ctx, op, fx.id, "enhanced")
			return err
		}},
		{"RecordCheckResult", writes, func(ctx context.Context, svc *kyc.Service, op kyc.Operator, fx fixture) error {
			_, err := svc.RecordCheckResult(ctx, op, fx.id, entityprofile.Result{Type: "pep", Outcome: "pass"})
			return err
		}},
		{"ClearReverification", writes, func(ctx context.Context, svc *kyc.Service, op kyc.Operator, fx fixture) error {
			_, err := svc.ClearReverification(ctx, op, fx.id)
			return err
		}},
		{"RecordScreening", writes, func(ctx context.Context, svc *kyc.Service, op kyc.Operator, fx fixture) error {
			_, err := svc.RecordScreening(ctx, op, fx.id, screened("pep", false, false))
			return err
		}},
		{"OpenCase", writes, func(ctx context.Context, svc *kyc.Service, op kyc.Operator, fx fixture) error {
			_, err := svc.OpenCase(ctx, op, fx.id, "alert")
			return err
		}},
		{"CloseCase", writes, func(ctx context.Context, svc *kyc.Service, op kyc.Operator, fx fixture) error {
			_, err := svc.CloseCase(ctx, op, fx.id, "resolved")
			return err
		}},
		{"AddComment", writes, func(ctx context.Context, svc *kyc.Service, op kyc.Operator, fx fixture) error {
			_, err := svc.AddComment(ctx, op, fx.id, "<p>note</p>")
			return err
		}},
		{"EditComment", writes, func(ctx context.Context, svc *kyc.Service, op kyc.Operator, fx fixture) error {
			_, err := svc.EditComment(ctx, op, fx.id, fx.commentID, "<p>edited</p>")
			return err
		}},
		{"DeleteComment", writes, func(ctx context.Context, svc *kyc.Service, op kyc.Operator, fx fixture) error {
			return svc.DeleteComment(ctx, op, fx.id, fx.commentID)
		}},
		{"InjectRisk", senior, func(ctx context.Context, svc *kyc.Service, op kyc.Operator, fx fixture) error {
			_, err := svc.InjectRisk(ctx, op, fx.id, "high", "bureau")
			return err
		}},
		{"ClearConfirmedHit", senior, func(ctx context.Context, svc *kyc.Service, op kyc.Operator, fx fixture) error {
			_, err := svc.ClearConfirmedHit(ctx, op, fx.id, "sanctioned", "false positive")
			return err
		}},
		{"SweepDue", senior, func(ctx context.Context, svc *kyc.Service, op kyc.Operator, fx fixture) error {
			_, err := svc.SweepDue(ctx, op, "", 0)
			return err
		}},
		{"SweepAll", senior, func(ctx context.Context, svc *kyc.Service, op kyc.Operator, fx fixture) error {
			return svc.SweepAll(ctx, op, "", 0, nil)
		}},
		{"RescreenWalk", reads, func(ctx context.Context, svc *kyc.Service, op kyc.Operator, fx fixture) error {
			_, err := svc.RescreenWalk(ctx, op, "", 0)
			return err
		}},
		{"CompleteReview", senior, func(ctx context.Context, svc *kyc.Service, op kyc.Operator, fx fixture) error {
			_, err := svc.CompleteReview(ctx, op, fx.id, kyc.Review{Outcome: "no change"})
			return err
		}},
		{"Import", senior, func(ctx context.Context, svc *kyc.Service, op kyc.Operator, fx fixture) error {
			_, err := svc.Import(ctx, op, johnDoe(t), kyc.ImportOptions{Source: "legacy"})
			return err
		}},
		{"ImportBatch", senior, func(ctx context.Context, svc *kyc.Service, op kyc.Operator, fx fixture) error {
			_, err := svc.ImportBatch(ctx, op, []*profile.Profile{johnDoe(t)}, kyc.ImportOptions{Source: "legacy"})
			return err
		}},
		{"Delete", senior, func(ctx context.Context, svc *kyc.Service, op kyc.Operator, fx fixture) error {
			return svc.Delete(ctx, op, fx.id, kyc.DeleteOptions{})
		}},
		{"Delete forced", senior, func(ctx context.Context, svc *kyc.Service, op kyc.Operator, fx fixture) error {
			return svc.Delete(ctx, op, fx.id, kyc.DeleteOptions{Force: true, Reason: "erasure request"})
		}},
	}
	roles := []struct {
		bit int
		op  kyc.Operator
	}{
		{none, kyc.Operator{Tenant: "acme", User: "stranger"}},
		{wat, watcher},
		{opr, operator},
		{sup, kyc.Operator{Tenant: "acme", User: "senior", Scopes: supervisor.Scopes}},
	}
	stores(t, func(t *testing.T, store storage.Store) {
		ctx := context.Background()
		for _, c := range calls {
			for _, role := range roles {
				t.Run(c.name+"/"+role.op.User, func(t *testing.T) {
					svc := newService(t, store, func(o *kyc.Options) { o.IDs = testsource.Sequence(c.name + role.op.User) })
					fx := matrixFixture(t, svc, store, role.op.User)
					before := takeAll(t, store, fx)
					head := feedHead(t, store)
					err := c.call(ctx, svc, role.op, fx)
					allowed := c.allowed&role.bit != 0
					forbidden := errors.Is(err, kyc.ErrForbidden)
					// Every call that changed the tenant appends one event
					// to the feed; a read, a sweep of due work, a write
					// that changes nothing and a failed or refused write
					// append none.
					wantEvents := int64(0)
					if !slices.Equal(before, takeAll(t, store, fx)) {
						wantEvents = 1
					}
					if got := feedHead(t, store) - head; got != wantEvents {
						t.Errorf("%d events appended (err %v), want %d", got, err, wantEvents)
					}
					switch {
					case allowed && forbidden:
						t.Fatalf("refused: %v", err)
					case !allowed && !forbidden:
						t.Fatalf("allowed (err %v), the default policy refuses it", err)
					case !allowed:
						var fe *kyc.ForbiddenError
						if !errors.As(err, &fe) || !strings.Contains(err.Error(), string(fe.Operation)) {
							t.Errorf("refusal %v does not name the operation", err)
						}
						if strings.Contains(err.Error(), fx.id) || strings.Contains(err.Error(), role.op.User) {
							t.Errorf("refusal %q names the profile or the operator", err)
						}
						if after := takeAll(t, store, fx); !slices.Equal(before, after) {
							t.Errorf("a refusal changed the store")
						}
					}
				})
			}
		}
	})
}

// matrixFixture creates a profile with an open case, a confirmed hit and a
// comment by user, as the supervisor.
func matrixFixture(t *testing.T, svc *kyc.Service, store storage.Store, user string) fixture {
	t.Helper()
	ctx := context.Background()
	p, err := svc.Create(ctx, supervisor, johnDoe(t))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.OpenCase(ctx, supervisor, p.ID, "alert"); err != nil {
		t.Fatal(err)
	}
	last, err := svc.RecordScreening(ctx, supervisor, p.ID, screened("sanctioned", true, true))
	if err != nil {
		t.Fatal(err)
	}
	c := storage.Comment{ID: p.ID + "-c", ProfileID: p.ID, Author: user, Body: "<p>mine</p>", CreatedAt: last.ModifiedAt}
	if err := store.AddComment(ctx, "acme", &c, nil); err != nil {
		t.Fatal(err)
	}
	return fixture{id: p.ID, commentID: c.ID, version: last.Version}
}

// feedHead is the position of the last event of the tenant's feed.
func feedHead(t *testing.T, store storage.Store) int64 {
	t.Helper()
	var last int64
	for {
		evs, err := store.Changes(context.Background(), "acme", last, storage.MaxChanges)
		if err != nil {
			t.Fatal(err)
		}
		if len(evs) == 0 {
			return last
		}
		last = evs[len(evs)-1].Position
	}
}

// takeAll is the tenant's whole state as text: every profile with its
// version, the history length of the fixture and its comments.
func takeAll(t *testing.T, store storage.Store, fx fixture) []string {
	t.Helper()
	ctx := context.Background()
	page, err := store.ListProfiles(ctx, "acme", storage.Query{Size: storage.MaxPageSize})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, p := range page.Profiles {
		out = append(out, p.ID+"@"+strings.Repeat("v", p.Version))
	}
	h, err := store.History(ctx, "acme", fx.id, storage.HistoryQuery{Size: storage.MaxPageSize})
	if err != nil {
		t.Fatal(err)
	}
	out = append(out, strings.Repeat("h", len(h.Entries)))
	cs, err := store.ListComments(ctx, "acme", fx.id)
	if err == nil {
		for _, c := range cs {
			out = append(out, c.ID+":"+c.Body)
		}
	}
	return out
}
