// Command postgres runs the main flow on PostgreSQL: the same calls as the
// other examples, with the store opened by sqlstore.OpenPostgres. Give it a
// DSN in KYC_POSTGRES_DSN (for instance
// "postgres://user:pass@localhost:5432/kyc?sslmode=disable"); without one it
// says so and exits successfully.
package main

import (
	"context"
	"fmt"
	"log"
	"os"

	"github.com/google/uuid"

	"github.com/kycsdk/kyc"
	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/storage"
	"github.com/kycsdk/kyc/storage/sqlstore"
)

func main() {
	dsn := os.Getenv("KYC_POSTGRES_DSN")
	if dsn == "" {
		fmt.Println("skipped: set KYC_POSTGRES_DSN to a PostgreSQL DSN to run this example")
		return
	}
	if err := run(context.Background(), dsn); err != nil {
		log.Fatal(err)
	}
}

func run(ctx context.Context, dsn string) error {
	store, err := sqlstore.OpenPostgres(ctx, dsn) // the only line that differs from SQLite
	if err != nil {
		return err
	}
	defer store.Close()
	svc, err := kyc.New(store, kyc.Options{})
	if err != nil {
		return err
	}
	op := kyc.Operator{Tenant: "example-" + uuid.NewString(), User: "maria"}

	p, err := svc.Create(ctx, op, &profile.Profile{
		PersonType: profile.NaturalPerson,
		NaturalPerson: &profile.Natural{
			Name: profile.Name{First: "Ada", Last: "Lovelace"},
		},
	})
	if err != nil {
		return err
	}
	fmt.Printf("created %s: %q, version %d\n", p.ID, p.Name, p.Version)
	for _, dest := range []string{"pending", "under_review"} {
		if p, err = svc.Transition(ctx, op, p.ID, dest); err != nil {
			return err
		}
		fmt.Printf("-> %s (version %d)\n", p.State, p.Version)
	}
	page, err := svc.History(ctx, op, p.ID, storage.HistoryQuery{})
	if err != nil {
		return err
	}
	fmt.Printf("history: %d entries\n", page.TotalElements)
	v1, err := svc.Version(ctx, op, p.ID, 1)
	if err != nil {
		return err
	}
	fmt.Printf("version 1 rebuilt: state %s\n", v1.State)
	return nil
}
