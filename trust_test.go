package kyc_test

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/kycsdk/kyc"
	"github.com/kycsdk/kyc/entityprofile"
	"github.com/kycsdk/kyc/history"
	"github.com/kycsdk/kyc/internal/testsource"
	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/storage"
	"github.com/kycsdk/kyc/workflow"
)

// snapshot is everything the store holds about one profile, as bytes, so
// that a refusal can be shown to have changed nothing.
type snapshot struct {
	profile []byte
	history int
	last    string
}

func take(t *testing.T, store storage.Store, id string) snapshot {
	t.Helper()
	ctx := context.Background()
	p, err := store.GetProfile(ctx, "acme", id)
	if err != nil {
		t.Fatal(err)
	}
	b, err := profile.Encode(p)
	if err != nil {
		t.Fatal(err)
	}
	h, err := store.History(ctx, "acme", id, storage.HistoryQuery{NewestFirst: true, Size: 1})
	if err != nil {
		t.Fatal(err)
	}
	return snapshot{profile: b, history: h.TotalElements, last: h.Entries[0].ID}
}

func (a snapshot) equal(b snapshot) bool {
	return bytes.Equal(a.profile, b.profile) && a.history == b.history && a.last == b.last
}

// lastEntry returns the newest history entry of a profile.
func lastEntry(t *testing.T, svc *kyc.Service, id string) history.Entry {
	t.Helper()
	h, err := svc.History(context.Background(), supervisor, id, storage.HistoryQuery{NewestFirst: true, Size: 1})
	if err != nil {
		t.Fatal(err)
	}
	return h.Entries[0]
}

// touches reports whether an entry changes the top-level key.
func touches(e history.Entry, key string) bool {
	for _, c := range e.Changes {
		if len(c.Path) > 0 && c.Path[0] == key {
			return true
		}
		if len(c.Path) == 0 {
			for _, it := range c.Items {
				if it.Key == key {
					return true
				}
			}
		}
	}
	return false
}

func screened(list string, hit, confirmed bool) kyc.Screening {
	return kyc.Screening{Lists: map[string]profile.ListHit{list: {Hit: hit, Confirmed: confirmed}}}
}

// TestSystemFields: for every fact the library records, Update changing it
// is refused with its path and the store is byte-for-byte unchanged; the
// operation made for it changes it and writes one entry by its operator.
func TestSystemFields(t *testing.T) {
	ctx := context.Background()
	amount := int64(1)
	cases := []struct {
		path   string
		mutate func(*profile.Profile)
		// op performs the dedicated operation as who; nil for the
		// bookkeeping every save sets.
		op  func(svc *kyc.Service, id string) error
		who kyc.Operator
	}{
		{"id", func(p *profile.Profile) { p.ID = "other" }, nil, operator},
		{"version", func(p *profile.Profile) { p.Version = 7 }, nil, operator},
		{"created_at", func(p *profile.Profile) { p.CreatedAt++ }, nil, operator},
		{"created_by", func(p *profile.Profile) { p.CreatedBy = "someone" }, nil, operator},
		{"modified_at", func(p *profile.Profile) { p.ModifiedAt++ }, nil, operator},
		{"modified_by", func(p *profile.Profile) { p.ModifiedBy = "someone" }, nil, operator},
		{"state", func(p *profile.Profile) { p.State = "active" }, func(svc *kyc.Service, id string) error {
			_, err := svc.Transition(ctx, operator, id, "pending")
			return err
		}, operator},
		{"checks", func(p *profile.Profile) {
			p.Checks = append(p.Checks, profile.Check{ID: "c1", Type: "pep", Outcome: "pass", PerformedAt: p.CreatedAt})
		}, func(svc *kyc.Service, id string) error {
			_, err := svc.RecordCheckResult(ctx, operator, id, entityprofile.Result{Type: "pep", Outcome: "pass"})
			return err
		}, operator},
		{"risk", func(p *profile.Profile) { p.Risk = "low" }, func(svc *kyc.Service, id string) error {
			_, err := svc.AssessRisk(ctx, operator, id)
			return err
		}, operator},
		{"risk_calculated_at", func(p *profile.Profile) { p.RiskCalculatedAt = p.CreatedAt }, func(svc *kyc.Service, id string) error {
			_, err := svc.InjectRisk(ctx, supervisor, id, "high", "bureau")
			return err
		}, supervisor},
		{"transactional_profile_calculated_at", func(p *profile.Profile) {
			p.TransactionalProfileAmount, p.TransactionalProfileCalculatedAt = &amount, p.CreatedAt
		}, func(svc *kyc.Service, id string) error {
			_, err := svc.Transactional(ctx, operator, id)
			return err
		}, operator},
		{"blacklists_checked_at", func(p *profile.Profile) { p.BlacklistsCheckedAt = p.CreatedAt }, func(svc *kyc.Service, id string) error {
			_, err := svc.RecordScreening(ctx, operator, id, screened("pep", false, false))
			return err
		}, operator},
		{"blacklist_found", func(p *profile.Profile) {
			p.BlacklistFound = map[string]profile.ListHit{"sanctioned": {}}
		}, func(svc *kyc.Service, id string) error {
			_, err := svc.RecordScreening(ctx, operator, id, screened("sanctioned", true, false))
			return err
		}, operator},
		{"last_due_diligence_at", func(p *profile.Profile) { p.LastDueDiligenceAt = p.CreatedAt }, func(svc *kyc.Service, id string) error {
			_, err := svc.CompleteReview(ctx, supervisor, id, kyc.Review{Outcome: "no change"})
			return err
		}, supervisor},
		{"open_cases", func(p *profile.Profile) { p.OpenCases = 0; p.OpenCases-- }, func(svc *kyc.Service, id string) error {
			_, err := svc.OpenCase(ctx, operator, id, "alert 17")
			return err
		}, operator},
		{"entity_profile", func(p *profile.Profile) { p.EntityProfile = "standard" }, func(svc *kyc.Service, id string) error {
			_, err := svc.AssignEntityProfile(ctx, operator, id, "enhanced")
			return err
		}, operator},
		{"pending_reverification", func(p *profile.Profile) { p.PendingReverification = []string{"name"} }, nil, operator},
		{"verified_at", func(p *profile.Profile) { p.VerifiedAt = p.CreatedAt }, nil, operator},
	}
	covered := map[string]bool{"transactional_profile_amount": true}
	stores(t, func(t *testing.T, store storage.Store) {
		for _, tc := range cases {
			covered[tc.path] = true
			t.Run(tc.path, func(t *testing.T) {
				svc := newService(t, store, func(o *kyc.Options) { o.IDs = testsource.Sequence(tc.path) })
				p := create(t, svc)
				before := take(t, store, p.ID)
				edit, _ := svc.Get(ctx, operator, p.ID)
				tc.mutate(edit)
				_, err := svc.Update(ctx, operator, edit, kyc.UpdateOptions{})
				var ro *kyc.ReadOnlyError
				switch {
				case tc.path == "version":
					if !errors.Is(err, storage.ErrConflict) {
						t.Fatalf("Update with another version: got %v, want ErrConflict", err)
					}
				case tc.path == "id":
					// The id says which profile is updated.
					if !errors.Is(err, storage.ErrNotFound) {
						t.Fatalf("Update with another id: got %v, want ErrNotFound", err)
					}
				case !errors.As(err, &ro) || !slices.Contains(ro.Fields, tc.path) || !errors.Is(err, kyc.ErrReadOnly):
					t.Fatalf("Update changing %s: got %v, want a *ReadOnlyError naming it", tc.path, err)
				}
				if !before.equal(take(t, store, p.ID)) {
					t.Fatal("a refused Update changed the store")
				}
				if tc.op == nil {
					return
				}
				if err := tc.op(svc, p.ID); err != nil {
					t.Fatalf("the operation for %s: %v", tc.path, err)
				}
				after := take(t, store, p.ID)
				e := lastEntry(t, svc, p.ID)
				if after.history != before.history+1 || e.CreatedBy != tc.who.User || !touches(e, tc.path) {
					t.Errorf("operation: %d entries (was %d), last by %q touching %s: %v", after.history, before.history, e.CreatedBy, tc.path, touches(e, tc.path))
				}
			})
		}
	})
	for _, f := range kyc.SystemFields() {
		if !covered[f.Path] {
			t.Errorf("system field %s has no case", f.Path)
		}
	}
}

// TestAssessedAmountIsAFact: a declared transactional amount is customer
// data; once assessed, the amount is the library's.
func TestAssessedAmountIsAFact(t *testing.T) {
	ctx := context.Background()
	stores(t, func(t *testing.T, store storage.Store) {
		svc := newService(t, store)
		p := create(t, svc)
		declared := int64(5000)
		p.TransactionalProfileAmount = &declared
		p, err := svc.Update(ctx, operator, p, kyc.UpdateOptions{})
		if err != nil {
			t.Fatalf("declaring an amount: %v", err)
		}
		if _, err := svc.Transactional(ctx, operator, p.ID); err != nil {
			t.Fatal(err)
		}
		p, _ = svc.Get(ctx, operator, p.ID)
		forged := int64(1)
		p.TransactionalProfileAmount = &forged
		_, err = svc.Update(ctx, operator, p, kyc.UpdateOptions{})
		var ro *kyc.ReadOnlyError
		if !errors.As(err, &ro) || !slices.Contains(ro.Fields, "transactional_profile_amount") {
			t.Fatalf("changing an assessed amount: got %v", err)
		}
	})
}

// TestCreateRefusesFacts: Create takes customer data only.
func TestCreateRefusesFacts(t *testing.T) {
	ctx := context.Background()
	stores(t, func(t *testing.T, store storage.Store) {
		svc := newService(t, store)
		p := johnDoe(t)
		p.Risk, p.OpenCases = "low", 0
		p.Checks = []profile.Check{{ID: "c", Type: "pep", Outcome: "pass", PerformedAt: 1}}
		p.BlacklistFound = map[string]profile.ListHit{"sanctioned": {}}
		_, err := svc.Create(ctx, operator, p)
		var ro *kyc.ReadOnlyError
		if !errors.As(err, &ro) {
			t.Fatalf("got %v, want a *ReadOnlyError", err)
		}
		want := []string{"checks", "risk", "blacklist_found"}
		for _, path := range want {
			if !slices.Contains(ro.Fields, path) {
				t.Errorf("fields %v lack %s", ro.Fields, path)
			}
		}
		page, _ := svc.List(ctx, operator, storage.Query{})
		if page.TotalElements != 0 {
			t.Errorf("a refused create stored %d profiles", page.TotalElements)
		}
	})
}

// TestMakerCannotOpenTheGate reproduces the attack of a maker who lowers
// the risk and drops a confirmed sanctions hit with Update, then moves the
// profile to active on the maker-and-checker workflow.
func TestMakerCannotOpenTheGate(t *testing.T) {
	ctx := context.Background()
	stores(t, func(t *testing.T, store storage.Store) {
		svc := newService(t, store, func(o *kyc.Options) { o.Workflow = workflow.MakerChecker() })
		p := create(t, svc)
		for _, dest := range []string{"pending", "under_review"} {
			if _, err := svc.Transition(ctx, operator, p.ID, dest); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := svc.InjectRisk(ctx, supervisor, p.ID, "high", "bureau"); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.RecordScreening(ctx, operator, p.ID, screened("sanctioned", true, true)); err != nil {
			t.Fatal(err)
		}
		cur, _ := svc.Get(ctx, operator, p.ID)
		before := take(t, store, p.ID)
		cur.Risk = "low"
		delete(cur.BlacklistFound, "sanctioned")
		_, err := svc.Update(ctx, operator, cur, kyc.UpdateOptions{})
		var ro *kyc.ReadOnlyError
		if !errors.As(err, &ro) || !slices.Equal(ro.Fields, []string{"risk", "blacklist_found"}) {
			t.Fatalf("got %v, want risk and blacklist_found refused", err)
		}
		if !before.equal(take(t, store, p.ID)) {
			t.Fatal("refused update changed the store")
		}
		if _, err := svc.Transition(ctx, operator, p.ID, "active"); !errors.Is(err, workflow.ErrConditionFalse) {
			t.Fatalf("to active with high risk: got %v", err)
		}
		// A new screening run cannot withdraw the confirmed hit either.
		after, err := svc.RecordScreening(ctx, operator, p.ID, screened("sanctioned", false, false))
		if err != nil {
			t.Fatal(err)
		}
		if hit := after.BlacklistFound["sanctioned"]; !hit.Confirmed {
			t.Errorf("a screening run withdrew a confirmed hit: %+v", hit)
		}
		if _, err := svc.ClearConfirmedHit(ctx, operator, p.ID, "sanctioned", "false positive"); !errors.Is(err, kyc.ErrForbidden) {
			t.Errorf("operator clearing a confirmed hit: got %v", err)
		}
		cleared, err := svc.ClearConfirmedHit(ctx, supervisor, p.ID, "sanctioned", "false positive, different birth date")
		if err != nil || cleared.BlacklistFound["sanctioned"].Hit {
			t.Fatalf("supervisor clearing: %v %+v", err, cleared)
		}
	})
}

// TestHandMadeChecksDoNotPass: checks come only from RecordCheckResult.
func TestHandMadeChecksDoNotPass(t *testing.T) {
	ctx := context.Background()
	stores(t, func(t *testing.T, store storage.Store) {
		svc := newService(t, store)
		p := create(t, svc)
		if _, err := svc.AssignEntityProfile(ctx, operator, p.ID, "standard"); err != nil {
			t.Fatal(err)
		}
		cur, _ := svc.Get(ctx, operator, p.ID)
		for _, typ := range []string{"name_dob", "pep", "sanctions"} {
			cur.Checks = append(cur.Checks, profile.Check{ID: typ, Type: typ, Outcome: "pass", Matched: []string{"name", "dob"}, PerformedAt: cur.CreatedAt})
		}
		if _, err := svc.Update(ctx, operator, cur, kyc.UpdateOptions{}); !errors.Is(err, kyc.ErrReadOnly) {
			t.Fatalf("hand-made checks: got %v", err)
		}
		ev, err := svc.EvaluateVerification(ctx, operator, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if ev.Status == entityprofile.Passed {
			t.Error("verification passed without a recorded check")
		}
	})
}

// TestReverificationIsNotSwitchedOffByCallers: the flags stay until
// ClearReverification, and only the override permission chooses the mode
// of one call.
func TestReverificationIsNotSwitchedOffByCallers(t *testing.T) {
	ctx := context.Background()
	stores(t, func(t *testing.T, store storage.Store) {
		svc := newService(t, store)
		p := verifiedProfile(t, svc)
		flag := kyc.Flag
		p.Addresses[0].StreetName = "San Martín"
		before := take(t, store, p.ID)
		if _, err := svc.Update(ctx, operator, p, kyc.UpdateOptions{Reverification: &flag}); !errors.Is(err, kyc.ErrForbidden) {
			t.Fatalf("operator overriding the mode: got %v", err)
		}
		if !before.equal(take(t, store, p.ID)) {
			t.Fatal("refused update changed the store")
		}
		saved, err := svc.Update(ctx, supervisor, p, kyc.UpdateOptions{Reverification: &flag})
		if err != nil || len(saved.PendingReverification) == 0 {
			t.Fatalf("supervisor flagging: %v %v", err, saved)
		}
		saved.PendingReverification = nil
		if _, err := svc.Update(ctx, operator, saved, kyc.UpdateOptions{}); !errors.Is(err, kyc.ErrReadOnly) {
			t.Fatalf("emptying pending_reverification: got %v", err)
		}
		if _, err := svc.ClearReverification(ctx, watcher, p.ID); !errors.Is(err, kyc.ErrForbidden) {
			t.Fatalf("watcher clearing: got %v", err)
		}
		cleared, err := svc.ClearReverification(ctx, operator, p.ID)
		if err != nil || len(cleared.PendingReverification) != 0 {
			t.Fatalf("ClearReverification: %v %v", err, cleared)
		}
	})
}

// verifiedProfile returns John Doe imported as an active customer.
func verifiedProfile(t *testing.T, svc *kyc.Service) *profile.Profile {
	t.Helper()
	p := johnDoe(t)
	p.State = "active"
	got, err := svc.Import(context.Background(), supervisor, p, kyc.ImportOptions{Source: "legacy"})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// TestOnboardingEditsAreFree: the field-change table is about customers
// already verified; adding the first address while creating is not a
// re-verification.
func TestOnboardingEditsAreFree(t *testing.T) {
	ctx := context.Background()
	stores(t, func(t *testing.T, store storage.Store) {
		svc := newService(t, store)
		p := johnDoe(t)
		addr := p.Addresses
		p.Addresses = nil
		created, err := svc.Create(ctx, operator, p)
		if err != nil {
			t.Fatal(err)
		}
		created.Addresses = addr
		if _, err := svc.Update(ctx, operator, created, kyc.UpdateOptions{}); err != nil {
			t.Fatalf("adding the first address while creating: %v", err)
		}
		// Once verified, then back in review, the rules apply again: the
		// history says the customer was verified.
		v := verifiedProfile(t, svc)
		moved, err := svc.Transition(ctx, operator, v.ID, "pending")
		if err != nil {
			t.Fatal(err)
		}
		moved.Addresses[0].StreetName = "San Martín"
		if _, err := svc.Update(ctx, operator, moved, kyc.UpdateOptions{}); !errors.Is(err, kyc.ErrReverification) {
			t.Fatalf("changing a verified customer's address in review: got %v", err)
		}
	})
}

// TestMainEmailIsReverified: moving the main flag to a new e-mail of a
// verified customer needs re-verification, as a main address does; a
// second, non-main e-mail does not.
func TestMainEmailIsReverified(t *testing.T) {
	ctx := context.Background()
	stores(t, func(t *testing.T, store storage.Store) {
		svc := newService(t, store)
		v := verifiedProfile(t, svc)
		extra := *v
		extra.Contacts = append(slices.Clone(v.Contacts), profile.Contact{ContactType: profile.ContactEmail, Value: "second@example.com"})
		saved, err := svc.Update(ctx, operator, &extra, kyc.UpdateOptions{})
		if err != nil {
			t.Fatalf("adding a second, non-main e-mail: %v", err)
		}
		moved := *saved
		moved.Contacts = slices.Clone(saved.Contacts)
		moved.Contacts[0].Main, moved.Contacts[1].Main = false, true
		if _, err := svc.Update(ctx, operator, &moved, kyc.UpdateOptions{}); !errors.Is(err, kyc.ErrReverification) {
			t.Fatalf("moving the main flag to another e-mail: got %v, want ErrReverification", err)
		}
	})
}

// TestRevertRestoresCustomerDataOnly: the facts keep their current values,
// and a reverted name of a verified customer is a name change.
func TestRevertRestoresCustomerDataOnly(t *testing.T) {
	ctx := context.Background()
	stores(t, func(t *testing.T, store storage.Store) {
		svc := newService(t, store)
		p := create(t, svc)
		p.Labels = []string{"vip"}
		if _, err := svc.Update(ctx, operator, p, kyc.UpdateOptions{}); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.RecordScreening(ctx, operator, p.ID, screened("sanctioned", true, true)); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.AssessRisk(ctx, operator, p.ID); err != nil {
			t.Fatal(err)
		}
		cur, _ := svc.Get(ctx, operator, p.ID)
		reverted, err := svc.Revert(ctx, operator, p.ID, 1, cur.Version)
		if err != nil {
			t.Fatal(err)
		}
		if len(reverted.Labels) != 0 || reverted.Risk != cur.Risk || !reverted.BlacklistFound["sanctioned"].Confirmed || reverted.BlacklistsCheckedAt != cur.BlacklistsCheckedAt {
			t.Errorf("revert: labels %v risk %q (want %q) hits %v", reverted.Labels, reverted.Risk, cur.Risk, reverted.BlacklistFound)
		}

		v := verifiedProfile(t, svc)
		renamed := *v
		nat := *v.NaturalPerson
		nat.Name.First = "Jon"
		renamed.NaturalPerson = &nat
		flag := kyc.Flag
		if _, err := svc.Update(ctx, supervisor, &renamed, kyc.UpdateOptions{Reverification: &flag}); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.ClearReverification(ctx, operator, v.ID); err != nil {
			t.Fatal(err)
		}
		now, _ := svc.Get(ctx, operator, v.ID)
		if _, err := svc.Revert(ctx, operator, v.ID, 1, now.Version); !errors.Is(err, kyc.ErrReverification) {
			t.Fatalf("reverting a verified customer's name: got %v", err)
		}
	})
}

// TestReferences: relation targets exist in the tenant; the recipe is
// known and auto is resolved.
func TestReferences(t *testing.T) {
	ctx := context.Background()
	stores(t, func(t *testing.T, store storage.Store) {
		svc := newService(t, store)
		other := create(t, svc)
		p := johnDoe(t)
		p.Relations = []profile.Relation{{ProfileID: other.ID, Relationship: "guarantor"}, {ProfileID: "ghost", Relationship: "guarantor"}}
		_, err := svc.Create(ctx, operator, p)
		var ve *profile.ValidationError
		if !errors.As(err, &ve) || !ve.Has("relations[1].profile_id", kyc.CodeUnknownProfile) || ve.Has("relations[0].profile_id", kyc.CodeUnknownProfile) {
			t.Fatalf("unknown relation target: got %v", err)
		}
		// A profile of another tenant is not a target either.
		foreign, err := svc.Create(ctx, kyc.Operator{Tenant: "globex", User: "u", Scopes: operator.Scopes}, johnDoe(t))
		if err != nil {
			t.Fatal(err)
		}
		p.Relations = []profile.Relation{{ProfileID: foreign.ID, Relationship: "guarantor"}}
		if _, err := svc.Create(ctx, operator, p); !errors.As(err, &ve) || !ve.Has("relations[0].profile_id", kyc.CodeUnknownProfile) {
			t.Fatalf("another tenant's profile as target: got %v", err)
		}

		p = johnDoe(t)
		p.EntityProfile = "gold"
		if _, err := svc.Create(ctx, operator, p); !errors.As(err, &ve) || !ve.Has("entity_profile", kyc.CodeUnknownRecipe) {
			t.Fatalf("unknown recipe: got %v", err)
		}
		p.EntityProfile = entityprofile.Auto
		got, err := svc.Create(ctx, operator, p)
		if err != nil {
			t.Fatal(err)
		}
		if got.EntityProfile != "standard" {
			t.Errorf("auto stored as %q, want the recipe the rules choose", got.EntityProfile)
		}
		if _, err := svc.Create(ctx, watcher, p); !errors.Is(err, kyc.ErrForbidden) {
			t.Errorf("watcher create: %v", err)
		}
	})
}

// TestFourEyes: on the maker-and-checker workflow, the supervisor who
// moved the profile to pending_approval (or changed it since) cannot
// approve it; another supervisor can.
func TestFourEyes(t *testing.T) {
	ctx := context.Background()
	other := kyc.Operator{Tenant: "acme", User: "second", Scopes: supervisor.Scopes}
	stores(t, func(t *testing.T, store storage.Store) {
		svc := newService(t, store, func(o *kyc.Options) { o.Workflow = workflow.MakerChecker() })
		p := create(t, svc)
		for _, dest := range []string{"pending", "under_review", "pending_approval"} {
			if _, err := svc.Transition(ctx, supervisor, p.ID, dest); err != nil {
				t.Fatal(err)
			}
		}
		before := take(t, store, p.ID)
		if _, err := svc.Transition(ctx, supervisor, p.ID, "active"); !errors.Is(err, workflow.ErrFourEyes) {
			t.Fatalf("maker approving: got %v, want ErrFourEyes", err)
		}
		if !before.equal(take(t, store, p.ID)) {
			t.Fatal("refused move changed the store")
		}
		av, err := svc.Transitions(ctx, supervisor, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(av.Open) != 0 {
			t.Errorf("maker sees open moves %v", av.Open)
		}
		// Someone who changed the profile while it waits is a maker too.
		cur, _ := svc.Get(ctx, other, p.ID)
		cur.Labels = []string{"checked"}
		if _, err := svc.Update(ctx, other, cur, kyc.UpdateOptions{}); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Transition(ctx, other, p.ID, "active"); !errors.Is(err, workflow.ErrFourEyes) {
			t.Fatalf("editor approving: got %v, want ErrFourEyes", err)
		}
		third := kyc.Operator{Tenant: "acme", User: "third", Scopes: supervisor.Scopes}
		if _, err := svc.Transition(ctx, third, p.ID, "active"); err != nil {
			t.Fatalf("a second pair of eyes: %v", err)
		}
	})
}

// TestDeletePermissions: a forced delete needs its own scope and a reason,
// and both stay in the redacted trail.
func TestDeletePermissions(t *testing.T) {
	ctx := context.Background()
	stores(t, func(t *testing.T, store storage.Store) {
		svc := newService(t, store)
		p := create(t, svc)
		for _, who := range []kyc.Operator{watcher, operator, {Tenant: "acme", User: "nobody"}} {
			if err := svc.Delete(ctx, who, p.ID, kyc.DeleteOptions{Force: true, Reason: "court order"}); !errors.Is(err, kyc.ErrForbidden) {
				t.Errorf("%s forced delete: got %v", who.User, err)
			}
		}
		if err := svc.Delete(ctx, supervisor, p.ID, kyc.DeleteOptions{Force: true}); !errors.Is(err, kyc.ErrInvalidInput) {
			t.Errorf("forced delete without a reason: got %v", err)
		}
		if _, err := store.GetProfile(ctx, "acme", p.ID); err != nil {
			t.Fatalf("a refused delete removed the profile: %v", err)
		}
		if err := svc.Delete(ctx, supervisor, p.ID, kyc.DeleteOptions{Force: true, Reason: "court order 12/2026"}); err != nil {
			t.Fatal(err)
		}
		e := lastEntry(t, svc, p.ID)
		if e.CreatedBy != supervisor.User || e.Reason != "forced delete (tenant_backoffice_supervisor): court order 12/2026" || len(e.Changes) != 0 {
			t.Errorf("deletion entry: by %q reason %q changes %v", e.CreatedBy, e.Reason, e.Changes)
		}
	})
}

// TestCommentTrail: edits and deletes emit events with who and when.
func TestCommentTrail(t *testing.T) {
	ctx := context.Background()
	var events []kyc.Event
	stores(t, func(t *testing.T, store storage.Store) {
		events = nil
		svc := newService(t, store, func(o *kyc.Options) {
			o.OnEvent = func(_ context.Context, e kyc.Event) error { events = append(events, e); return nil }
		})
		p := create(t, svc)
		c, err := svc.AddComment(ctx, operator, p.ID, `<p onclick="x()">Called <script>alert(1)</script>the customer</p>`)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains([]byte(c.Body), []byte("script")) || bytes.Contains([]byte(c.Body), []byte("onclick")) {
			t.Errorf("stored body not sanitised: %q", c.Body)
		}
		if _, err := svc.EditComment(ctx, operator, p.ID, c.ID, "<p>Called twice</p>"); err != nil {
			t.Fatal(err)
		}
		if err := svc.DeleteComment(ctx, operator, p.ID, c.ID); err != nil {
			t.Fatal(err)
		}
		var kinds []kyc.EventKind
		for _, e := range events {
			if e.CommentID != "" {
				kinds = append(kinds, e.Kind)
				if e.User != operator.User || e.At.IsZero() {
					t.Errorf("%s: user %q at %v", e.Kind, e.User, e.At)
				}
			}
		}
		if !slices.Equal(kinds, []kyc.EventKind{kyc.EventCommentAdded, kyc.EventCommentEdited, kyc.EventCommentDeleted}) {
			t.Errorf("comment events %v", kinds)
		}
	})
}

// TestCasesAndReview: the operations refuse what makes no sense.
func TestCasesAndReview(t *testing.T) {
	ctx := context.Background()
	stores(t, func(t *testing.T, store storage.Store) {
		svc := newService(t, store)
		p := create(t, svc)
		if _, err := svc.CloseCase(ctx, operator, p.ID, "done"); !errors.Is(err, kyc.ErrNoCase) {
			t.Errorf("closing with none open: %v", err)
		}
		if _, err := svc.OpenCase(ctx, operator, p.ID, " "); !errors.Is(err, kyc.ErrInvalidInput) {
			t.Errorf("opening without a reason: %v", err)
		}
		if _, err := svc.OpenCase(ctx, operator, p.ID, "alert\x00"); !errors.Is(err, kyc.ErrInvalidInput) {
			t.Errorf("a NUL in the reason: %v", err)
		}
		open, err := svc.OpenCase(ctx, operator, p.ID, "alert 17")
		if err != nil || open.OpenCases != 1 {
			t.Fatalf("open: %v %d", err, open.OpenCases)
		}
		closed, err := svc.CloseCase(ctx, operator, p.ID, "false positive")
		if err != nil || closed.OpenCases != 0 {
			t.Fatalf("close: %v %d", err, closed.OpenCases)
		}
		if _, err := svc.CompleteReview(ctx, operator, p.ID, kyc.Review{Outcome: "no change"}); !errors.Is(err, kyc.ErrForbidden) {
			t.Errorf("operator completing a review: %v", err)
		}
		r, err := svc.CompleteReview(ctx, supervisor, p.ID, kyc.Review{Outcome: "no change", Notes: "documents current"})
		if err != nil || r.LastDueDiligenceAt == 0 {
			t.Fatalf("review: %v", err)
		}
		if e := lastEntry(t, svc, p.ID); e.Reason != "review completed: no change; documents current" {
			t.Errorf("review entry reason %q", e.Reason)
		}
		if _, err := svc.InjectRisk(ctx, supervisor, p.ID, "extreme", "bureau"); !errors.Is(err, profile.ErrInvalid) {
			t.Errorf("injecting an unknown level: %v", err)
		}
		if _, err := svc.InjectRisk(ctx, operator, p.ID, "low", "bureau"); !errors.Is(err, kyc.ErrForbidden) {
			t.Errorf("operator injecting risk: %v", err)
		}
	})
}

// TestImport carries state and facts in, recorded as imported.
func TestImport(t *testing.T) {
	ctx := context.Background()
	stores(t, func(t *testing.T, store storage.Store) {
		svc := newService(t, store)
		p := johnDoe(t)
		p.State, p.Risk = "active", "medium"
		p.CreatedAt = profile.TimestampOf(time.Date(2019, 3, 1, 0, 0, 0, 0, time.UTC))
		if _, err := svc.Import(ctx, operator, p, kyc.ImportOptions{Source: "legacy"}); !errors.Is(err, kyc.ErrForbidden) {
			t.Fatalf("operator import: %v", err)
		}
		got, err := svc.Import(ctx, supervisor, p, kyc.ImportOptions{Source: "legacy crm"})
		if err != nil {
			t.Fatal(err)
		}
		if got.State != "active" || got.Risk != "medium" || got.CreatedAt != p.CreatedAt || got.Version != 1 {
			t.Errorf("imported: %q %q %d v%d", got.State, got.Risk, got.CreatedAt, got.Version)
		}
		if e := lastEntry(t, svc, got.ID); e.Reason != "imported from legacy crm" || e.CreatedBy != supervisor.User {
			t.Errorf("import entry: %q by %q", e.Reason, e.CreatedBy)
		}
		p.ID, p.State = "", "limbo"
		var ve *profile.ValidationError
		if _, err := svc.Import(ctx, supervisor, p, kyc.ImportOptions{Source: "legacy"}); !errors.As(err, &ve) || !ve.Has("state", kyc.CodeUnknownState) {
			t.Errorf("importing an unknown state: %v", err)
		}
	})
}
