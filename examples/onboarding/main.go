// Command onboarding runs the main flow of the library end to end on the
// embedded default store (SQLite in a temporary directory): it creates a
// natural person from the reference model's JSON, assesses the risk, plans
// and records verification checks, moves the profile through the default
// workflow to active, makes an address change that needs re-verification,
// and shows the history and version 1 rebuilt from it.
package main

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"

	"github.com/kycsdk/kyc"
	"github.com/kycsdk/kyc/entityprofile"
	"github.com/kycsdk/kyc/history"
	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/riskmatrix"
	"github.com/kycsdk/kyc/storage"
	"github.com/kycsdk/kyc/storage/sqlstore"
)

//go:embed testdata/john_doe.json
var johnDoeJSON []byte

//go:embed testdata/matrix.json
var matrixJSON []byte

//go:embed testdata/recipes.json
var recipesJSON []byte

func main() {
	if err := run(context.Background()); err != nil {
		log.Fatal(err)
	}
}

func run(ctx context.Context) error {
	dir, err := os.MkdirTemp("", "kyc-onboarding-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	store, err := sqlstore.OpenSQLite(ctx, filepath.Join(dir, "kyc.db"))
	if err != nil {
		return err
	}
	defer store.Close()

	matrix, err := riskmatrix.Load(matrixJSON)
	if err != nil {
		return err
	}
	recipes, err := entityprofile.LoadBytes(recipesJSON)
	if err != nil {
		return err
	}
	svc, err := kyc.New(store, kyc.Options{RiskMatrix: matrix, EntityProfiles: recipes})
	if err != nil {
		return err
	}
	op := kyc.Operator{Tenant: "acme", User: "maria", Scopes: []string{"tenant_aml_operator"}}

	step("1. create a natural person from the reference model's JSON")
	in, err := profile.Decode(johnDoeJSON)
	if err != nil {
		return err
	}
	p, err := svc.Create(ctx, op, in)
	if err != nil {
		return err
	}
	fmt.Printf("created %s: %q, state %s, version %d, nationality normalised to %s\n",
		p.ID, p.Name, p.State, p.Version, p.NaturalPerson.Nationality)

	step("2. assess the risk")
	a, err := svc.AssessRisk(ctx, op, p.ID)
	if err != nil {
		return err
	}
	fmt.Print(a.Explain())

	step("3. plan and record the verification checks of the safe_harbour recipe")
	if _, err := svc.AssignEntityProfile(ctx, op, p.ID, "safe_harbour"); err != nil {
		return err
	}
	if err := verify(ctx, svc, op, p.ID); err != nil {
		return err
	}

	step("4. move the profile through the default workflow to active")
	if err := screen(ctx, svc, op, p.ID); err != nil {
		return err
	}
	for _, dest := range []string{"pending", "under_review", "active"} {
		moved, err := svc.Transition(ctx, op, p.ID, dest)
		if err != nil {
			return err
		}
		fmt.Printf("-> %s (version %d)\n", moved.State, moved.Version)
	}

	step("5. an address change needs re-verification")
	if err := moveHouse(ctx, svc, op, p.ID); err != nil {
		return err
	}

	step("6. the history, and version 1 rebuilt from it")
	return showHistory(ctx, svc, op, p.ID)
}

func step(title string) { fmt.Printf("\n== %s\n", title) }

func verify(ctx context.Context, svc *kyc.Service, op kyc.Operator, id string) error {
	ev, err := svc.EvaluateVerification(ctx, op, id)
	if err != nil {
		return err
	}
	fmt.Printf("before: %s, %d check types not run\n", ev.Status, len(ev.NotRun))
	plan, err := svc.PlanVerification(ctx, op, id)
	if err != nil {
		return err
	}
	for _, s := range plan.Run {
		res := entityprofile.Result{Type: s.Type, Outcome: profile.OutcomePass, Source: "example-provider"}
		switch s.Type {
		case entityprofile.NameDOB:
			res.Matched = []string{profile.MatchName, profile.MatchDOB}
		case "address":
			res.Matched = []string{profile.MatchName, profile.MatchAddress}
		}
		c, err := svc.RecordCheckResult(ctx, op, id, res)
		if err != nil {
			return err
		}
		fmt.Printf("recorded %-12s %s\n", c.Type, c.Outcome)
	}
	ev, err = svc.EvaluateVerification(ctx, op, id)
	if err != nil {
		return err
	}
	fmt.Printf("after: %s\n", ev.Status)
	return nil
}

// screen records the result of a watchlist screening run, as a screening
// system reports it: no hit on any list.
func screen(ctx context.Context, svc *kyc.Service, op kyc.Operator, id string) error {
	p, err := svc.RecordScreening(ctx, op, id, kyc.Screening{Lists: map[string]profile.ListHit{
		"pep": {}, "sanctioned": {}, "terrorism": {},
	}})
	if err != nil {
		return err
	}
	fmt.Printf("screened: %d list types, no hit\n", len(p.BlacklistFound))
	return nil
}

func moveHouse(ctx context.Context, svc *kyc.Service, op kyc.Operator, id string) error {
	p, err := svc.Get(ctx, op, id)
	if err != nil {
		return err
	}
	p.Addresses[0].StreetName = "Avenida Pellegrini"
	p.Addresses[0].Number = "250"
	_, err = svc.Update(ctx, op, p, kyc.UpdateOptions{})
	var re *kyc.ReverificationError
	if !errors.As(err, &re) {
		return fmt.Errorf("expected the change to be refused for re-verification, got %v", err)
	}
	fmt.Println("refused:", err)
	for _, c := range re.Report.Changes {
		fmt.Printf("  %-28s rule %-16s %s, re-verify %v\n", c.Path, c.Rule, c.Kind, c.Reverify)
	}
	// A supervisor may save the change flagged for re-verification.
	chief := kyc.Operator{Tenant: op.Tenant, User: "jose", Scopes: []string{kyc.ScopeSupervisor}}
	flag := kyc.Flag
	saved, err := svc.Update(ctx, chief, p, kyc.UpdateOptions{Reverification: &flag, Reason: "customer moved"})
	if err != nil {
		return err
	}
	fmt.Printf("saved flagged as version %d, pending re-verification: %s\n",
		saved.Version, strings.Join(saved.PendingReverification, ", "))
	return nil
}

func showHistory(ctx context.Context, svc *kyc.Service, op kyc.Operator, id string) error {
	page, err := svc.History(ctx, op, id, storage.HistoryQuery{Size: 50})
	if err != nil {
		return err
	}
	for _, e := range page.Entries {
		fmt.Printf("v%d -> v%d by %s: %d change(s) %s\n", e.Version, e.Version+1, e.CreatedBy, len(e.Changes), e.Reason)
	}
	fmt.Printf("last entry, masked for an audit screen:\n%s\n", page.Entries[len(page.Entries)-1].Render(history.RenderOptions{Mask: true}))
	v1, err := svc.Version(ctx, op, id, 1)
	if err != nil {
		return err
	}
	fmt.Printf("version 1: state %s, risk %q, %d checks\n", v1.State, v1.Risk, len(v1.Checks))
	return nil
}
