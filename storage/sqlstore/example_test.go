package sqlstore_test

import (
	"context"
	"fmt"

	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/storage"
	"github.com/kycsdk/kyc/storage/sqlstore"
)

// A private in-memory SQLite database: the whole schema, nothing on disk.
// A file path instead of ":memory:" keeps the data; OpenPostgres takes a
// PostgreSQL DSN. The rest of the code does not change.
func ExampleOpenSQLite() {
	ctx := context.Background()
	s, err := sqlstore.OpenSQLite(ctx, ":memory:")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer s.Close()

	for i, risk := range []string{"low", "high", "high"} {
		p := &profile.Profile{ID: fmt.Sprintf("p%d", i+1), Version: 1, Name: fmt.Sprintf("Client %d", i+1),
			PersonType: profile.NaturalPerson, State: "active", Risk: risk, ModifiedAt: profile.Timestamp(1000 + i)}
		if err := s.CreateProfile(ctx, "tenant-a", storage.Record{Profile: p}, nil); err != nil {
			fmt.Println(err)
			return
		}
	}
	page, err := s.ListProfiles(ctx, "tenant-a", storage.Query{Risks: []string{"high"}, Size: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(page.Profiles[0].ID, page.TotalElements, page.TotalPages)
	v, _ := s.SchemaVersion(ctx)
	fmt.Println("schema version", v)
	// Output:
	// p3 2 2
	// schema version 10
}
