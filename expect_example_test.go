package kyc_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/kycsdk/kyc"
	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/storage"
	"github.com/kycsdk/kyc/storage/memory"
)

// A user saw version 1 and asks to open a case on it; meanwhile another
// user moved the profile on. Under Expect the case is not opened on a
// version the user never saw.
func ExampleService_Expect() {
	ctx := context.Background()
	svc, err := kyc.New(memory.New(), kyc.Options{})
	if err != nil {
		log.Fatal(err)
	}
	op := kyc.Operator{Tenant: "acme", User: "maria", Scopes: []string{kyc.ScopeSupervisor}}
	p, err := svc.Create(ctx, op, &profile.Profile{PersonType: profile.LegalPerson, Name: "Araoz S.R.L."})
	if err != nil {
		log.Fatal(err)
	}
	seen := p.Version
	if _, err := svc.Transition(ctx, op, p.ID, "pending"); err != nil {
		log.Fatal(err)
	}
	_, err = svc.Expect(seen).OpenCase(ctx, op, p.ID, "alert 7")
	fmt.Println(errors.Is(err, storage.ErrConflict))
	cur, err := svc.Get(ctx, op, p.ID)
	if err != nil {
		log.Fatal(err)
	}
	cur, err = svc.Expect(cur.Version).OpenCase(ctx, op, p.ID, "alert 7")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(cur.Version, cur.OpenCases)
	// Output:
	// true
	// 3 1
}

// A customer arrives with the risk level an outside system gave it: the
// profile and its risk are one write, so there is never a customer
// without it.
func ExampleService_CreateWithRisk() {
	ctx := context.Background()
	svc, err := kyc.New(memory.New(), kyc.Options{})
	if err != nil {
		log.Fatal(err)
	}
	op := kyc.Operator{Tenant: "acme", User: "maria", Scopes: []string{kyc.ScopeSupervisor}}
	p, err := svc.CreateWithRisk(ctx, op, &profile.Profile{PersonType: profile.LegalPerson, Name: "Araoz S.R.L."}, "high", "bureau")
	if err != nil {
		log.Fatal(err)
	}
	h, err := svc.History(ctx, op, p.ID, storage.HistoryQuery{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(p.Version, p.Risk, len(h.Entries), h.Entries[0].Reason)
	// Output:
	// 1 high 1 created; risk injected: high (source: bureau)
}

// A caller that passes the profile on as JSON takes the stored bytes,
// which are what profile.Encode makes of Get's profile.
func ExampleService_GetJSON() {
	ctx := context.Background()
	svc, err := kyc.New(memory.New(), kyc.Options{IDs: func() string { return "p-1" }})
	if err != nil {
		log.Fatal(err)
	}
	op := kyc.Operator{Tenant: "acme", User: "maria", Scopes: []string{kyc.ScopeSupervisor}}
	if _, err := svc.Create(ctx, op, &profile.Profile{PersonType: profile.LegalPerson, Name: "Araoz S.R.L."}); err != nil {
		log.Fatal(err)
	}
	data, version, err := svc.GetJSON(ctx, op, "p-1")
	if err != nil {
		log.Fatal(err)
	}
	p, err := svc.Get(ctx, op, "p-1")
	if err != nil {
		log.Fatal(err)
	}
	enc, err := profile.Encode(p)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(version, string(data) == string(enc))
	// Output:
	// 1 true
}
