package kyc_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/kycsdk/kyc"
	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/storage"
	"github.com/kycsdk/kyc/storage/memory"
)

// TestSeedHistoryExample makes the edit of seed 003, section 3.2, through
// Service.Update: "admin" created a legal person at 1624648537726 and
// "operador" adds legal_person.constitution at 1624648551709. The entry
// the service writes holds exactly the seed's changes, in the seed's order.
func TestSeedHistoryExample(t *testing.T) {
	ctx := context.Background()
	clock := []time.Time{time.UnixMilli(1624648537726), time.UnixMilli(1624648551709)}
	store := memory.New()
	svc, err := kyc.New(store, kyc.Options{Clock: func() time.Time {
		now := clock[0]
		if len(clock) > 1 {
			clock = clock[1:]
		}
		return now
	}})
	if err != nil {
		t.Fatal(err)
	}
	admin := kyc.Operator{Tenant: "t", User: "admin", Scopes: []string{kyc.ScopeSupervisor}}
	created, err := svc.Create(ctx, admin, &profile.Profile{
		PersonType: profile.LegalPerson, Name: "Consorcio Córdoba 1748", TaxPayerID: "30-71234567-8",
		LegalPerson: &profile.Legal{},
	})
	if err != nil {
		t.Fatal(err)
	}
	edit := created.Clone()
	edit.LegalPerson.Constitution = "horizontal_property_consortium"
	operador := admin
	operador.User = "operador"
	if _, err := svc.Update(ctx, operador, edit, kyc.UpdateOptions{}); err != nil {
		t.Fatal(err)
	}
	page, err := store.History(ctx, "t", created.ID, storage.HistoryQuery{NewestFirst: true, Size: 1})
	if err != nil {
		t.Fatal(err)
	}
	got, err := json.Marshal(page.Entries[0].Changes)
	if err != nil {
		t.Fatal(err)
	}
	const want = `[["change","modified_at",[1624648537726,1624648551709]],` +
		`["change","modified_by",["admin","operador"]],` +
		`["add","legal_person",[["constitution","horizontal_property_consortium"]]],` +
		`["change","version",[1,2]]]`
	if string(got) != want {
		t.Errorf("changes of the seed's edit:\n got %s\nwant %s", got, want)
	}
	if e := page.Entries[0]; e.Version != 1 || e.OrigID != created.ID || e.CreatedBy != "operador" || e.CreatedAt != 1624648551709 {
		t.Errorf("entry = version %d, orig_id %q, by %q at %d", e.Version, e.OrigID, e.CreatedBy, e.CreatedAt)
	}
}
